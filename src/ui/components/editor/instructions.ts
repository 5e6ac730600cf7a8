/**
 * What each Dockerfile instruction does, in a student's words, and where each instruction sits in
 * the text (a logical instruction may span continuation lines and heredocs). Pure: no DOM, no
 * CodeMirror, so the hover card, the step list and the tests share it.
 */

/**
 * What an instruction leaves in the image, with BuildKit: `base` (FROM: the base image's layers
 * become the bottom of the stack), `layer` (a filesystem step: a new layer), `metadata` (only the
 * image config and a history entry change; no layer).
 */
export type InstructionEffect = 'base' | 'layer' | 'metadata';

/** One entry of the dictionary. */
export interface InstructionInfo {
  keyword: string;
  effect: InstructionEffect;
  /** One or two sentences a student understands. */
  summary: string;
}

const info = (keyword: string, effect: InstructionEffect, summary: string): InstructionInfo => ({ keyword, effect, summary });

/** Every Dockerfile instruction BuildKit's frontend accepts. */
export const INSTRUCTIONS: Readonly<Record<string, InstructionInfo>> = Object.fromEntries(
  [
    info('FROM', 'base', 'Starts a stage from a base image. Its layers are reused as they are and become the bottom of your stack; `FROM scratch` starts empty.'),
    info('RUN', 'layer', 'Runs a shell command in a temporary container on top of the layers so far. The files it adds, changes or deletes become a new layer (no layer if nothing changed).'),
    info('COPY', 'layer', 'Copies files from the build context (or from another stage with --from) into the image as a new layer. Its cache key is the files\u2019 content and metadata, never their modification time.'),
    info('ADD', 'layer', 'Like COPY, but can also fetch URLs and unpacks local tar archives. Makes a new layer. Prefer COPY unless you need those extras.'),
    info('WORKDIR', 'layer', 'Sets the directory later instructions run in, creating it if missing. With BuildKit that creation is a (tiny) layer.'),
    info('ENV', 'metadata', 'Sets environment variables for the following steps and for containers. Only the image config changes: no layer.'),
    info('ARG', 'metadata', 'Declares a build-time variable (set with --build-arg). It is not kept in running containers\u2019 environment. No layer.'),
    info('CMD', 'metadata', 'The default command a container runs (or the default arguments of ENTRYPOINT). The last CMD wins. No layer.'),
    info('ENTRYPOINT', 'metadata', 'The program every container of this image starts; CMD then supplies its default arguments. No layer.'),
    info('EXPOSE', 'metadata', 'Documents which ports the program listens on. It publishes nothing by itself. No layer.'),
    info('LABEL', 'metadata', 'Attaches key=value notes to the image (author, version, source). No layer.'),
    info('USER', 'metadata', 'Chooses the user (and group) that later RUN steps and containers run as. No layer.'),
    info('VOLUME', 'metadata', 'Marks a directory as a mount point: each container gets a volume there, outside its writable layer. No layer.'),
    info('STOPSIGNAL', 'metadata', 'The signal `docker stop` sends to ask the container to exit. No layer.'),
    info('HEALTHCHECK', 'metadata', 'A command Docker runs now and then inside the container to see whether it is healthy. No layer.'),
    info('SHELL', 'metadata', 'Changes the shell used by the shell form of RUN, CMD and ENTRYPOINT (default ["/bin/sh", "-c"]). No layer.'),
    info('ONBUILD', 'metadata', 'Stores an instruction that runs later, when another Dockerfile builds FROM this image. No layer now.'),
    info('MAINTAINER', 'metadata', 'Deprecated author field; use LABEL maintainer=\u2026 instead. No layer.'),
  ].map((i) => [i.keyword, i]),
);

/** Words for an effect, as the hover card prints them. */
export function effectText(effect: InstructionEffect): string {
  if (effect === 'base') return 'Uses the base image\u2019s layers';
  if (effect === 'layer') return 'Makes a layer';
  return 'Metadata only: no layer';
}

/** The dictionary entry for a keyword in any case, or undefined for an unknown word. */
export function describeInstruction(keyword: string): InstructionInfo | undefined {
  return INSTRUCTIONS[keyword.toUpperCase()];
}

/** One instruction in the text: its keyword as written and its first and last line (1-based). */
export interface InstructionSpan {
  keyword: string;
  line: number;
  endLine: number;
}

const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

/**
 * The instructions of a Dockerfile with their line spans: comment and blank lines are skipped,
 * a line ending in the escape character (`\`, or the `# escape=` directive's) continues onto the
 * next, and heredocs (`<<EOF` on RUN/COPY/ADD) run to their terminator, as BuildKit's parser reads them.
 * Simulation: a tolerant reader for the editor; the engine's parser is the authority on errors.
 */
export function instructionSpans(text: string): InstructionSpan[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  let escape = '\\';
  let i = 0;
  // Parser directives: only at the very top, before any instruction or other comment.
  for (; i < lines.length; i++) {
    const m = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(lines[i]);
    if (!m) break;
    if (m[1].toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
  }
  const continues = (l: string) => l.trimEnd().endsWith(escape) && !l.trimEnd().endsWith(escape + escape);
  const spans: InstructionSpan[] = [];
  while (i < lines.length) {
    const trimmed = lines[i].trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++;
      continue;
    }
    const start = i;
    const keyword = /^\S+/.exec(trimmed)![0];
    let logical = lines[i];
    let open = continues(lines[i]);
    while (open && i + 1 < lines.length) {
      i++;
      // Comment and blank lines inside a continuation are dropped by BuildKit and keep it open.
      const t = lines[i].trim();
      if (t === '' || t.startsWith('#')) continue;
      logical += '\n' + lines[i];
      open = continues(lines[i]);
    }
    if (/^(RUN|COPY|ADD)$/i.test(keyword)) {
      for (const m of logical.matchAll(HEREDOC)) {
        const dash = m[1] === '-';
        while (i + 1 < lines.length) {
          i++;
          const l = dash ? lines[i].replace(/^\t+/, '') : lines[i];
          if (l === m[3]) break;
        }
      }
    }
    spans.push({ keyword, line: start + 1, endLine: i + 1 });
    i++;
  }
  return spans;
}

/** The instruction whose span covers `line`, if any. */
export function spanAt(spans: readonly InstructionSpan[], line: number): InstructionSpan | undefined {
  return spans.find((s) => s.line <= line && line <= s.endLine);
}
