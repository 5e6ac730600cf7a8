/** A scenario as a build request for the engine (context files with their modes, the chosen Dockerfile, options). */
import type { BuildRequest, ContextFile } from '../engine/index.ts';
import { fileBytes, type Scenario } from './format.ts';

/**
 * The context files of a scenario, as the engine takes them (mtime 0: it never enters a cache key).
 * `.dockerignore` is a file of the context too, as in a docker build and in the lab's workspace.
 */
export function scenarioContext(s: Scenario): ContextFile[] {
  const files: ContextFile[] = s.files.map((f) => ({ path: f.path, type: 'file', mode: f.mode ?? 0o644, content: fileBytes(f), mtime: 0 }));
  if (s.dockerignore !== undefined && !s.files.some((f) => f.path === '.dockerignore')) {
    files.push({ path: '.dockerignore', type: 'file', mode: 0o644, content: new TextEncoder().encode(s.dockerignore), mtime: 0 });
  }
  return files;
}

/** The build request that replays a scenario's build. */
export function scenarioBuildRequest(s: Scenario): BuildRequest {
  const filename = s.build?.file ?? ('Dockerfile' in s.dockerfiles ? 'Dockerfile' : Object.keys(s.dockerfiles)[0]);
  return {
    dockerfile: s.dockerfiles[filename],
    filename,
    files: scenarioContext(s),
    dockerignore: s.dockerignore,
    tags: s.build?.tags ?? [`${s.id}:latest`],
    buildArgs: s.build?.buildArgs,
    target: s.build?.target,
    noCache: s.build?.noCache,
    epochMs: s.clock,
  };
}
