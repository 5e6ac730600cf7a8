/**
 * ARG/ENV word expansion as BuildKit's Dockerfile shell lexer does it
 * (moby/buildkit frontend/dockerfile/shell/lex.go): quote removal, `$VAR` / `${VAR…}` substitution
 * and, for lists, word splitting. This is not how `RUN` executes; it is how BuildKit expands the
 * arguments of ENV, ARG, WORKDIR, COPY, ADD, USER, LABEL… before using them.
 */

import { LayerlabError } from '../errors.ts';

/** Where expansion reads variables: a Map, a plain record or a lookup function (undefined = unset). */
export type EnvLookup =
  | ReadonlyMap<string, string>
  | Readonly<Record<string, string>>
  | ((name: string) => string | undefined);

/** Options of the shell lexer; the raw modes are the ones BuildKit's heredoc detection uses. */
export interface ExpandOptions {
  /** The Dockerfile escape character (`\` or `` ` ``); default `\`. */
  escapeToken?: string;
  /** Keep quote characters in the output (BuildKit `RawQuotes`). */
  rawQuotes?: boolean;
  /** Keep escape characters in the output (BuildKit `RawEscapes`). */
  rawEscapes?: boolean;
  /** Leave references to unset variables as written (BuildKit `SkipUnsetEnv`). */
  skipUnsetEnv?: boolean;
}

/** The result of an expansion plus the variable names it looked up, for ARG-aware cache keys. */
export interface ExpandResult<T> {
  value: T;
  /** Names that were referenced and set (BuildKit's `matches`). */
  used: Set<string>;
  /** Names that were referenced but unset. */
  unset: Set<string>;
}

/**
 * Most `${…}` nested inside one another in one word. Simulation: BuildKit has no limit (Go's
 * stacks grow); the lexer here is recursive descent, so it refuses deeper nesting with a clear
 * error instead of overflowing the call stack (which happened near 1,800 levels).
 */
export const MAX_EXPANSION_DEPTH = 500;

/** Error code for a word the lexer rejects (`${}`, unterminated quote, `${X:?msg}` …). */
export const EXPAND_ERROR = 'dockerfile/expand';

function toLookup(env: EnvLookup): (name: string) => string | undefined {
  if (typeof env === 'function') return env;
  if (env instanceof Map) return (n) => env.get(n);
  const rec = env as Readonly<Record<string, string>>;
  return (n) => (Object.prototype.hasOwnProperty.call(rec, n) ? rec[n] : undefined);
}

/** Go's unicode.IsSpace, which the lexer uses to split words. */
export function isGoSpace(ch: string): boolean {
  switch (ch) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case '\u0085':
    case '\u00a0':
      return true;
  }
  const c = ch.codePointAt(0) ?? 0;
  if (c < 0x1680) return false;
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

const isLetter = (ch: string) => /^\p{L}$/u.test(ch);
const isDigit = (ch: string) => /^\p{Nd}$/u.test(ch);

/** Accumulates characters into words, splitting on unquoted whitespace. */
class Words {
  word = '';
  words: string[] = [];
  inWord = false;
  addChar(ch: string): void {
    if (isGoSpace(ch)) {
      if (this.inWord && this.word.length > 0) {
        this.words.push(this.word);
        this.word = '';
        this.inWord = false;
      }
    } else {
      this.addRawChar(ch);
    }
  }
  addRawChar(ch: string): void {
    this.word += ch;
    this.inWord = true;
  }
  addString(s: string): void {
    for (const ch of s) this.addChar(ch);
  }
  addRawString(s: string): void {
    this.word += s;
    this.inWord = true;
  }
  finish(): string[] {
    if (this.word.length > 0) {
      this.words.push(this.word);
      this.word = '';
      this.inWord = false;
    }
    return this.words;
  }
}

const EOF = '';

/** One pass of the lexer over one word; mirrors BuildKit's `shellWord`. */
class ShellWord {
  private readonly chars: string[];
  private pos = 0;
  private depth = 0;
  private rawEscapes: boolean;
  readonly used = new Set<string>();
  readonly unset = new Set<string>();

  constructor(
    source: string,
    private readonly lookup: (name: string) => string | undefined,
    private readonly escapeToken: string,
    private readonly rawQuotes: boolean,
    rawEscapes: boolean,
    private readonly skipUnsetEnv: boolean,
  ) {
    this.chars = Array.from(source);
    this.rawEscapes = rawEscapes;
  }

  private peek(): string {
    return this.pos < this.chars.length ? this.chars[this.pos] : EOF;
  }
  private next(): string {
    return this.pos < this.chars.length ? this.chars[this.pos++] : EOF;
  }

  processStopOn(stops: string[], rawEscapes: boolean): { word: string; words: string[] } {
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      let result = '';
      const words = new Words();
      while (this.peek() !== EOF) {
        let ch = this.peek();
        if (stops.includes(ch)) {
          this.next();
          return { word: result, words: words.finish() };
        }
        if (ch === '$') {
          const tmp = this.processDollar();
          result += tmp;
          words.addString(tmp);
        } else if (ch === "'" || ch === '"') {
          const tmp = ch === "'" ? this.processSingleQuote() : this.processDoubleQuote();
          result += tmp;
          words.addRawString(tmp);
        } else {
          ch = this.next();
          if (ch === this.escapeToken) {
            if (this.rawEscapes) {
              words.addRawChar(ch);
              result += ch;
            }
            ch = this.next();
            if (ch === EOF) break;
            words.addRawChar(ch);
          } else {
            words.addChar(ch);
          }
          result += ch;
        }
      }
      if (stops.length > 0) {
        throw new Error(`unexpected end of statement while looking for matching ${stops.join('')}`);
      }
      return { word: result, words: words.finish() };
    } finally {
      this.rawEscapes = saved;
    }
  }

  private processSingleQuote(): string {
    // Inside '…' everything is literal and a ' cannot be escaped, as in sh.
    let result = this.next();
    if (!this.rawQuotes) result = '';
    for (;;) {
      const ch = this.next();
      if (ch === EOF) throw new Error('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") return this.rawQuotes ? result + ch : result;
      result += ch;
    }
  }

  private processDoubleQuote(): string {
    // Inside "…" only $ expands, and the escape token escapes only " $ and itself.
    let result = this.next();
    if (!this.rawQuotes) result = '';
    for (;;) {
      const p = this.peek();
      if (p === EOF) throw new Error('unexpected end of statement while looking for matching double-quote');
      if (p === '"') {
        this.next();
        return this.rawQuotes ? result + '"' : result;
      }
      if (p === '$') {
        result += this.processDollar();
        continue;
      }
      let ch = this.next();
      if (ch === this.escapeToken) {
        const q = this.peek();
        if (q === EOF) continue;
        if (q === '"' || q === '$' || q === this.escapeToken) {
          if (this.rawEscapes) result += ch;
          ch = this.next();
        }
      }
      result += ch;
    }
  }

  private getEnv(name: string): string | undefined {
    const v = this.lookup(name);
    if (v === undefined) this.unset.add(name);
    else this.used.add(name);
    return v;
  }

  private processName(): string {
    let name = '';
    while (this.peek() !== EOF) {
      const ch = this.peek();
      if (name.length === 0 && isDigit(ch)) {
        // $1x is $1 followed by x: a name starting with a digit is only digits.
        while (this.peek() !== EOF && isDigit(this.peek())) name += this.next();
        return name;
      }
      if (name.length === 0 && '@*#?-$!0'.includes(ch)) return this.next();
      if (!isLetter(ch) && !isDigit(ch) && ch !== '_') break;
      name += this.next();
    }
    return name;
  }

  private processDollar(): string {
    if (++this.depth > MAX_EXPANSION_DEPTH) {
      throw new Error(`substitutions nested more than ${MAX_EXPANSION_DEPTH} deep (at character ${this.pos + 1})`);
    }
    try {
      return this.processDollarAt();
    } finally {
      this.depth--;
    }
  }

  private processDollarAt(): string {
    this.next();
    if (this.peek() !== '{') {
      const name = this.processName();
      if (name === '') return '$';
      const v = this.getEnv(name);
      if (v === undefined && this.skipUnsetEnv) return '$' + name;
      return v ?? '';
    }
    this.next();
    const first = this.peek();
    if (first === EOF) throw new Error("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new Error('syntax error: bad substitution');
    const name = this.processName();
    let ch = this.next();
    let chs = ch;
    switch (ch) {
      case '}': {
        const v = this.getEnv(name);
        if (v === undefined && this.skipUnsetEnv) return '${' + name + '}';
        return v ?? '';
      }
      case ':':
      case '+':
      case '-':
      case '?':
      case '#':
      case '%': {
        const nullIsUnset = ch === ':';
        if (nullIsUnset) {
          ch = this.next();
          chs += ch;
        }
        if (!'+-?#%'.includes(ch) || ch === EOF) {
          throw new Error(`unsupported modifier (${chs}) in substitution`);
        }
        const patternLike = ch === '#' || ch === '%';
        if (nullIsUnset && patternLike) throw new Error(`unsupported modifier (${chs}) in substitution`);
        const word = this.readUntil(['}'], patternLike, "syntax error: missing '}'");
        const value = this.getEnv(name);
        if (value === undefined && this.skipUnsetEnv) return '${' + name + chs + word + '}';
        const isUnset = value === undefined || (nullIsUnset && value === '');
        switch (ch) {
          case '-':
            return isUnset ? word : (value as string);
          case '+':
            return isUnset ? '' : word;
          case '?':
            if (value === undefined) throw new Error(`${name}: ${word || 'is not allowed to be unset'}`);
            if (nullIsUnset && value === '') throw new Error(`${name}: ${word || 'is not allowed to be empty'}`);
            return value;
          default: {
            let pattern = word;
            const longest = pattern.startsWith(ch);
            if (longest) pattern = pattern.slice(1);
            return trimPattern(value ?? '', pattern, ch === '#' ? 'prefix' : 'suffix', longest, this.escapeToken);
          }
        }
      }
      case '/': {
        const all = this.peek() === '/';
        if (all) this.next();
        const pattern = this.readUntil(['/'], true, "syntax error: missing '/' in ${}");
        const replacement = this.readUntil(['}'], true, "syntax error: missing '}'");
        const value = this.getEnv(name);
        if (value === undefined && this.skipUnsetEnv) return '${' + name + (all ? '//' : '/') + pattern + '/' + replacement + '}';
        return replacePattern(value ?? '', pattern, replacement, all, this.escapeToken);
      }
      default:
        throw new Error(ch === EOF ? "syntax error: missing '}'" : `unsupported modifier (${chs}) in substitution`);
    }
  }

  private readUntil(stops: string[], rawEscapes: boolean, eofMessage: string): string {
    try {
      return this.processStopOn(stops, rawEscapes).word;
    } catch (e) {
      if (this.peek() === EOF) throw new Error(eofMessage);
      throw e;
    }
  }
}

/** Translate a shell glob (`*`, `?`, escapes; no bracket classes, as BuildKit) to a regex source. */
function globToRegex(pattern: string, escapeToken: string): string {
  let out = '';
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === escapeToken && i + 1 < chars.length) {
      out += escapeRegex(chars[++i]);
    } else if (ch === '*') {
      out += '[\\s\\S]*';
    } else if (ch === '?') {
      out += '[\\s\\S]';
    } else {
      out += escapeRegex(ch);
    }
  }
  return out;
}

function escapeRegex(ch: string): string {
  return ch.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** `${v#p}` `${v##p}` `${v%p}` `${v%%p}`: remove the shortest/longest matching prefix or suffix. */
function trimPattern(
  value: string,
  pattern: string,
  side: 'prefix' | 'suffix',
  longest: boolean,
  escapeToken: string,
): string {
  const re = new RegExp('^(?:' + globToRegex(pattern, escapeToken) + ')$', 'u');
  const chars = Array.from(value);
  const n = chars.length;
  // Candidate cut lengths, tried in the order that yields the wanted (shortest or longest) match.
  for (let k = 0; k <= n; k++) {
    const len = longest ? n - k : k;
    const part = side === 'prefix' ? chars.slice(0, len).join('') : chars.slice(n - len).join('');
    if (re.test(part)) {
      return side === 'prefix' ? chars.slice(len).join('') : chars.slice(0, n - len).join('');
    }
  }
  return value;
}

/** `${v/p/r}` and `${v//p/r}`: replace the first or every match (greedy, leftmost, like Go's regexp). */
function replacePattern(value: string, pattern: string, replacement: string, all: boolean, escapeToken: string): string {
  if (pattern === '') return value;
  const re = new RegExp(globToRegex(pattern, escapeToken), all ? 'gu' : 'u');
  return value.replace(re, () => replacement);
}

function run<T>(
  word: string,
  env: EnvLookup,
  opts: ExpandOptions,
  pick: (r: { word: string; words: string[] }) => T,
): ExpandResult<T> {
  const sw = new ShellWord(
    word,
    toLookup(env),
    opts.escapeToken ?? '\\',
    opts.rawQuotes ?? false,
    opts.rawEscapes ?? false,
    opts.skipUnsetEnv ?? false,
  );
  try {
    const r = sw.processStopOn([], opts.rawEscapes ?? false);
    return { value: pick(r), used: sw.used, unset: sw.unset };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // The message quotes at most 80 characters of the word (it may be megabytes long); data keeps all of it.
    const shown = word.length > 80 ? `${goQuote(word.slice(0, 80)).slice(0, -1)}…"` : goQuote(word);
    throw new LayerlabError(EXPAND_ERROR, `failed to process ${shown}: ${msg}`, {
      data: { word, reason: msg },
      cause: e,
    });
  }
}

/** Expand one word like BuildKit's `ProcessWord`: quotes removed, variables replaced, no splitting. */
export function expandWord(word: string, env: EnvLookup, opts: ExpandOptions = {}): string {
  return run(word, env, opts, (r) => r.word).value;
}

/** Expand and split into words like BuildKit's `ProcessWords` (e.g. COPY sources, SHELL-less lists). */
export function expandWords(word: string, env: EnvLookup, opts: ExpandOptions = {}): string[] {
  return run(word, env, opts, (r) => r.words).value;
}

/** Like expandWord, and also report which variable names the word referenced (for cache keys). */
export function expandWordTracked(word: string, env: EnvLookup, opts: ExpandOptions = {}): ExpandResult<string> {
  return run(word, env, opts, (r) => r.word);
}

/** Like expandWords, and also report which variable names the word referenced. */
export function expandWordsTracked(word: string, env: EnvLookup, opts: ExpandOptions = {}): ExpandResult<string[]> {
  return run(word, env, opts, (r) => r.words);
}

/** Go's `%q` / strconv.Quote for a string (used in messages and the AST dump). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (c < 0x20 || c === 0x7f) {
      out += '\\x' + c.toString(16).padStart(2, '0');
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate is not valid UTF-8; Go prints the replacement character's escape.
      out += '\\ufffd';
    } else if (c < 0x80 || (c !== 0x20 && isGoPrintable(ch))) {
      out += ch;
    } else if (c <= 0xffff) {
      out += '\\u' + c.toString(16).padStart(4, '0');
    } else {
      out += '\\U' + c.toString(16).padStart(8, '0');
    }
  }
  return out + '"';
}

/** Go's unicode.IsPrint for non-ASCII: letters, marks, numbers, punctuation and symbols. */
function isGoPrintable(ch: string): boolean {
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}
