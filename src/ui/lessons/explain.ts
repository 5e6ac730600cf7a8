/**
 * What each Dockerfile instruction does, in a sentence a student can read before it runs
 * (step-by-step mode) — and whether it makes a layer.
 */

const LAYER_STEPS: Record<string, string> = {
  RUN: 'runs a command in a container on top of the layers below; the files it changes become a new layer (none if it changes nothing).',
  COPY: 'copies files from the build context (or another stage) into a new layer; its cache key is the files’ content and mode, never their mtime.',
  ADD: 'like COPY, and also unpacks local tar archives; the result is a new layer.',
  WORKDIR: 'sets the working directory; with BuildKit, creating a missing directory makes a small layer.',
};

const CONFIG_STEPS: Record<string, string> = {
  FROM: 'starts a stage from a base image: its layers become the bottom of the stack, shared with every image built on it.',
  ENV: 'sets an environment variable in the image config: a history entry, no layer.',
  ARG: 'declares a build argument: visible to later steps during the build only, no layer.',
  LABEL: 'adds metadata to the image config: no layer.',
  USER: 'sets the user later steps and containers run as: config only, no layer.',
  EXPOSE: 'documents a port in the image config: no layer, nothing is opened.',
  VOLUME: 'declares a volume in the config: containers mount one there; no layer.',
  CMD: 'sets the default command of containers: config only, no layer.',
  ENTRYPOINT: 'sets the program containers start with: config only, no layer.',
  SHELL: 'changes the shell later RUN lines use: config only.',
  HEALTHCHECK: 'sets how a container reports its health: config only.',
  STOPSIGNAL: 'sets the signal that stops containers: config only.',
  ONBUILD: 'records an instruction for images built FROM this one: config only.',
  MAINTAINER: 'sets the author field (deprecated): config only.',
};

/** "RUN: runs a command in a container …" for a keyword. */
export function explainInstruction(keyword: string): string {
  const k = keyword.toUpperCase();
  const text = LAYER_STEPS[k] ?? CONFIG_STEPS[k] ?? 'an instruction the lab does not explain yet.';
  return `${k}: ${text}`;
}
