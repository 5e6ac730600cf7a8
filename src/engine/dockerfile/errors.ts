/**
 * Located Dockerfile errors worded like BuildKit's (moby/buildkit frontend/dockerfile/parser/errors.go,
 * util/suggest/error.go) and the CLI code frame BuildKit prints for them (solver/errdefs/source.go).
 */

import { LayerlabError, type SourceRange } from '../errors.ts';

/** Error codes this folder raises. */
export const DockerfileErrorCode = {
  /** Syntax the parser rejects (bad directive, unterminated heredoc, no instructions…). */
  parse: 'dockerfile/parse',
  /** A keyword that is not a Dockerfile instruction. */
  unknownInstruction: 'dockerfile/unknown-instruction',
  /** A `--flag` the instruction does not take, or a bad flag value. */
  flag: 'dockerfile/flag',
  /** An instruction whose arguments are wrong (count, form, values). */
  instruction: 'dockerfile/instruction',
} as const;

/** A Dockerfile error: `dockerfile parse error on line N: <BuildKit message>` with its source range. */
export function dockerfileError(
  code: string,
  detail: string,
  range: SourceRange,
  opts: { file?: string; cause?: unknown; data?: Record<string, unknown> } = {},
): LayerlabError {
  return new LayerlabError(code, `dockerfile parse error on line ${range.start.line}: ${detail}`, {
    range,
    cause: opts.cause,
    data: { line: range.start.line, file: opts.file ?? 'Dockerfile', detail, ...opts.data },
  });
}

/** Levenshtein distance between two strings (code points). */
export function editDistance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  let prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length];
}

/**
 * The option nearest to `value` within edit distance 2 (BuildKit's suggest package: threshold 3 as
 * in HCL; case-insensitive matches take the case of `value`), or undefined; an exact match gives none.
 */
export function suggest(value: string, options: readonly string[], caseSensitive = false): string | undefined {
  // Edit distance is at least the difference in length: a value 3 or more longer or shorter than
  // every option cannot be a typo of one, so a megabyte-long token costs nothing (it took 2 s).
  if (!options.some((o) => Math.abs(o.length - value.length) < 3)) return undefined;
  const v = caseSensitive ? value : value.toLowerCase();
  let match: string | undefined;
  let min = 3;
  for (const o of options) {
    const opt = caseSensitive ? o : o.toLowerCase();
    if (opt === v) return undefined;
    if (Math.abs(opt.length - v.length) >= min) continue;
    const d = editDistance(v, opt);
    if (d < min) {
      min = d;
      match = caseSensitive ? opt : matchCase(opt, value);
    }
  }
  return match;
}

function matchCase(val: string, orig: string): string {
  if (orig === orig.toLowerCase()) return val.toLowerCase();
  if (orig === orig.toUpperCase()) return val.toUpperCase();
  return val;
}

/** `s` quoted in a message: at most `max` characters, an ellipsis marking the cut. */
export function excerpt(s: string, max = 80): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`;
}

/** Append BuildKit's ` (did you mean X?)` to a message when a near option exists. */
export function withSuggestion(message: string, value: string, options: readonly string[]): string {
  const s = suggest(value, options);
  return s === undefined ? message : `${message} (did you mean ${s}?)`;
}

/**
 * Render an error the way the docker/buildx CLI prints a failed Dockerfile step: the file name and
 * first line, up to two lines of context each side (four in all for a one-line range), `>>>` on the
 * offending lines, then `ERROR: failed to solve: <message>`. Without a range only the ERROR line.
 */
export function formatCodeFrame(
  source: string,
  error: { message: string; range?: SourceRange },
  filename = 'Dockerfile',
): string {
  const last = `ERROR: failed to solve: ${error.message}\n`;
  const r = error.range;
  if (!r) return last;
  const lines = source.split('\n');
  let start = r.start.line;
  let end = Math.max(r.end.line, start);
  if (start < 1 || start > lines.length) return last;
  end = Math.min(end, lines.length);
  const firstMarked = start;
  const lastMarked = end;
  // Same padding walk as errdefs.Source.Print.
  const pad = end === start ? 4 : 2;
  for (let p = 0; p < pad; ) {
    if (start > 1) {
      start--;
      p++;
    }
    if (end !== lines.length) {
      end++;
      p++;
    }
    p++;
  }
  let out = `${filename}:${firstMarked}\n--------------------\n`;
  for (let i = start; i <= end; i++) {
    const pfx = i >= firstMarked && i <= lastMarked ? '>>>' : '   ';
    out += ` ${String(i).padStart(3, ' ')} | ${pfx} ${lines[i - 1]}\n`;
  }
  return out + '--------------------\n' + last;
}
