/**
 * The build context: the files a build may COPY/ADD, after `.dockerignore` is applied.
 *
 * `.dockerignore` follows moby/patternmatcher (the matcher BuildKit uses): one pattern per line,
 * `#` comments, `!` exceptions, paths cleaned and a leading `/` dropped; `*` matches within one
 * path segment, `?` one character, `**` any number of segments; a pattern also matches every path
 * below a matching directory; the last matching pattern wins.
 */
import { cleanRelative } from '../fs/path.ts';

/** One file of a build context, with a path relative to the context root (`src/app.js`). */
export interface ContextFile {
  path: string;
  type: 'file' | 'dir' | 'symlink';
  /** Permission bits (0o7777). */
  mode: number;
  content?: Uint8Array;
  /** Symlink target. */
  target?: string;
  /** Seconds; never part of a cache key (BuildKit ignores mtime in content checksums). */
  mtime?: number;
}

interface Pattern {
  exclusion: boolean;
  cleaned: string;
  dirs: string[];
  re: RegExp;
}


/** Compiles a patternmatcher/filepath.Match pattern to an anchored RegExp. */
export function compilePattern(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        re += i + 1 >= pattern.length ? '.*' : '(.*/)?';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '\\' && i + 1 < pattern.length) re += '\\' + pattern[++i];
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let cls = pattern.slice(i + 1, end);
        if (cls.startsWith('^') || cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if ('.+()|{}$^'.includes(ch)) re += '\\' + ch;
    else re += ch;
  }
  return new RegExp(re + '$', 's');
}

/** Parses `.dockerignore` text into patterns (moby/patternmatcher/ignorefile.ReadAll + NewPatternMatcher). */
export function parseDockerignore(text: string): string[] {
  const out: string[] = [];
  for (let line of text.split('\n')) {
    line = line.replace(/\r$/, '');
    if (line.startsWith('#')) continue;
    line = line.trim();
    if (!line) continue;
    let invert = false;
    if (line.startsWith('!')) {
      invert = true;
      line = line.slice(1).trim();
    }
    if (line.length > 0) {
      line = cleanRelative(line.replace(/^\/+/, ''));
      if (line === '.') continue;
    }
    out.push(invert ? '!' + line : line);
  }
  return out;
}

/** A compiled `.dockerignore`. */
export class IgnoreMatcher {
  private readonly patterns: Pattern[];
  constructor(patterns: string[]) {
    this.patterns = patterns.map((p) => {
      const exclusion = p.startsWith('!');
      const cleaned = exclusion ? p.slice(1) : p;
      return { exclusion, cleaned, dirs: cleaned.split('/'), re: compilePattern(cleaned) };
    });
  }
  /** True if `path` (relative to the context) is excluded. */
  matches(path: string): boolean {
    const file = cleanRelative(path);
    const parentDirs = file.split('/').slice(0, -1);
    let matched = false;
    for (const p of this.patterns) {
      let m = p.re.test(file);
      if (!m && parentDirs.length > 0 && p.dirs.length <= parentDirs.length) {
        m = p.re.test(parentDirs.slice(0, p.dirs.length).join('/'));
      }
      if (m) matched = !p.exclusion;
    }
    return matched;
  }
}

/** The build context after `.dockerignore`: lookups by path and wildcard, for COPY/ADD and cache checksums. */
export class BuildContext {
  readonly files: Map<string, ContextFile>;
  readonly ignored: string[] = [];

  constructor(files: ContextFile[], dockerignore?: string) {
    const m = new IgnoreMatcher(dockerignore ? parseDockerignore(dockerignore) : []);
    this.files = new Map();
    for (const f of files) {
      const p = cleanRelative(f.path);
      if (p === '.') continue;
      if (m.matches(p)) this.ignored.push(p);
      else this.files.set(p, { ...f, path: p });
    }
    // Parent directories are implied even when the list omits them.
    for (const p of [...this.files.keys()]) {
      const parts = p.split('/');
      for (let i = 1; i < parts.length; i++) {
        const d = parts.slice(0, i).join('/');
        if (!this.files.has(d)) this.files.set(d, { path: d, type: 'dir', mode: 0o755 });
      }
    }
  }

  get(path: string): ContextFile | undefined {
    return this.files.get(cleanRelative(path));
  }

  /** Direct and indirect children of a directory ('.' for the root), sorted. */
  under(dir: string): ContextFile[] {
    const d = cleanRelative(dir);
    const prefix = d === '.' ? '' : d + '/';
    return [...this.files.values()].filter((f) => f.path.startsWith(prefix) && f.path !== d).sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  /** Paths matching a COPY source pattern (Go filepath.Match semantics per segment), sorted. */
  glob(pattern: string): string[] {
    const p = cleanRelative(pattern);
    if (!/[*?[]/.test(p)) return this.files.has(p) || p === '.' ? [p] : [];
    const segs = p.split('/');
    const res = segs.map((s) => compilePattern(s));
    return [...this.files.keys()]
      .filter((f) => {
        const fs = f.split('/');
        return fs.length === segs.length && fs.every((x, i) => res[i].test(x));
      })
      .sort();
  }
}
