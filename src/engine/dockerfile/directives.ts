/**
 * Parser directives (`# syntax=`, `# escape=`, `# check=`) as BuildKit reads them
 * (moby/buildkit frontend/dockerfile/parser/directives.go and parser.go): only at the very top of
 * the file, each at most once; the first other line ends directive processing.
 */

/** The `# check=` directive: which build checks to skip and whether warnings fail the build. */
export interface CheckDirective {
  /** The directive's text as written, e.g. `skip=JSONArgsRecommended;error=true`. */
  raw: string;
  /** Check rule names to skip (`skip=A,B`); `['all']` skips every check. */
  skip: string[];
  /** `error=true`: check warnings become build errors. */
  error: boolean;
}

/** The directives found at the top of a Dockerfile. */
export interface Directives {
  /** `# syntax=docker/dockerfile:1` frontend image reference, if given. */
  syntax?: string;
  /** The escape character: `\` by default, or `` ` `` (typical on Windows). */
  escape: string;
  /** `# check=` settings, if given. */
  check?: CheckDirective;
}

// Like BuildKit's reDirectives; Go's RE2 `\s` is [\t\n\f\r ].
const RE_DIRECTIVE = /^#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$/;
const KNOWN = new Set(['syntax', 'escape', 'check']);

/** Parse the `check` directive's `key=value;key=value` body (BuildKit `ParseCheckDirective` rules). */
export function parseCheckDirective(raw: string): CheckDirective {
  const out: CheckDirective = { raw, skip: [], error: false };
  for (const part of raw.split(';')) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq < 0) throw new Error(`invalid check directive: ${raw}`);
    const key = p.slice(0, eq).trim().toLowerCase();
    const value = p.slice(eq + 1).trim();
    if (key === 'skip') {
      out.skip = value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    } else if (key === 'error') {
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false') throw new Error(`invalid check directive: ${raw}`);
      out.error = v === 'true';
    } else {
      throw new Error(`invalid check directive: ${raw}`);
    }
  }
  return out;
}

/**
 * Stateful reader of directive lines; feed it every source line in order (like BuildKit's
 * `possibleParserDirective`). Throws on a repeated directive or an invalid escape token.
 */
export class DirectiveReader {
  readonly directives: Directives = { escape: '\\' };
  private done = false;
  private readonly seen = new Set<string>();

  /** The escape token in force. */
  get escapeToken(): string {
    return this.directives.escape;
  }

  /** Look at one line (line ending removed); returns true if it was consumed as a directive. */
  feed(line: string): boolean {
    if (this.done) return false;
    const m = RE_DIRECTIVE.exec(line);
    if (!m) {
      this.done = true;
      return false;
    }
    const key = m[1].toLowerCase();
    if (!KNOWN.has(key)) {
      this.done = true;
      return false;
    }
    if (this.seen.has(key)) throw new Error(`only one ${key} parser directive can be used`);
    this.seen.add(key);
    const value = m[2];
    if (key === 'escape') {
      if (value !== '`' && value !== '\\') {
        throw new Error(`invalid escape token '${value}' does not match \` or \\`);
      }
      this.directives.escape = value;
    } else if (key === 'syntax') {
      this.directives.syntax = value;
    } else {
      this.directives.check = parseCheckDirective(value);
    }
    return true;
  }
}
