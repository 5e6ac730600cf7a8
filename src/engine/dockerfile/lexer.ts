/**
 * Splitting one logical Dockerfile line into keyword, `--flags` and arguments, per instruction, as
 * BuildKit's parser does (moby/buildkit frontend/dockerfile/parser/split_command.go and
 * line_parsers.go). Arguments stay raw: quotes and escapes are removed later, at expansion time.
 */

import { isGoSpace } from './expand.ts';

/** What a line parser produces: the argument list as the AST dump shows it. */
export interface LineArgs {
  args: string[];
  /** True when the arguments came from a JSON array (exec form). */
  json: boolean;
  /** Set for ONBUILD: the rest of the line, to be parsed again as an instruction. */
  subCommand?: string;
}

/** Raised by a line parser; the parser adds the line location. */
export class LineParseError extends Error {}

const NOT_STRING_ARRAY = 'when using JSON array syntax, arrays must be comprised of strings only';
const RE_WHITESPACE = /[\t\v\f\r ]+/;

/** Go's strings.TrimSpace. */
export function trimGoSpace(s: string): string {
  // Every Unicode space is in the BMP, so UTF-16 units can be tested one by one.
  let a = 0;
  let b = s.length;
  while (a < b && isGoSpace(s[a])) a++;
  while (b > a && isGoSpace(s[b - 1])) b--;
  return s.slice(a, b);
}

/** Go's strings.TrimLeftFunc(s, unicode.IsSpace). */
export function trimGoSpaceLeft(s: string): string {
  let a = 0;
  while (a < s.length && isGoSpace(s[a])) a++;
  return s.slice(a);
}

/** A split logical line; offsets are UTF-16 indexes into the line given to splitCommand. */
export interface SplitLine {
  keyword: string;
  keywordStart: number;
  flags: string[];
  /** [start, end) of each flag word as written. */
  flagSpans: [number, number][];
  rest: string;
  restStart: number;
}

/** Split a logical line into keyword (as written), flags and the trimmed rest (BuildKit `splitCommand`). */
export function splitCommand(line: string): SplitLine {
  const lead = line.length - trimGoSpaceLeft(line).length;
  const trimmed = trimGoSpace(line);
  const m = RE_WHITESPACE.exec(trimmed);
  if (!m) return { keyword: trimmed, keywordStart: lead, flags: [], flagSpans: [], rest: '', restStart: line.length };
  const keyword = trimmed.slice(0, m.index);
  const base = lead + m.index + m[0].length;
  const x = extractBuilderFlags(trimmed.slice(m.index + m[0].length));
  const restLead = x.rest.length - trimGoSpaceLeft(x.rest).length;
  return {
    keyword,
    keywordStart: lead,
    flags: x.flags,
    flagSpans: x.spans.map(([a, b]) => [a + base, b + base]),
    rest: trimGoSpace(x.rest),
    restStart: base + x.restStart + restLead,
  };
}

/**
 * Read leading `--name[=value]` words (quotes removed, `\` escapes the next character; BuildKit
 * hard-codes `\` here whatever the escape directive says). A bare `--` ends the flags and is dropped.
 */
export function extractBuilderFlags(line: string): {
  rest: string;
  restStart: number;
  flags: string[];
  spans: [number, number][];
} {
  const flags: string[] = [];
  const spans: [number, number][] = [];
  let pos = 0;
  const done = (p: number) => ({ rest: line.slice(p), restStart: p, flags, spans });
  for (;;) {
    while (pos < line.length && isGoSpace(line[pos])) pos++;
    if (pos >= line.length) return done(line.length);
    if (line[pos] !== '-' || line[pos + 1] !== '-') return done(pos);
    const start = pos;
    let word = '';
    let blankOK = false;
    let quote = '';
    for (; pos < line.length; pos++) {
      let ch = line[pos];
      if (quote) {
        if (ch === quote) {
          quote = '';
          continue;
        }
      } else {
        if (isGoSpace(ch)) break;
        if (ch === "'" || ch === '"') {
          quote = ch;
          blankOK = true;
          continue;
        }
      }
      if (ch === '\\') {
        if (pos + 1 === line.length) {
          quote = '';
          continue;
        }
        ch = line[++pos];
      }
      word += ch;
    }
    if (word === '--') return done(pos);
    if (blankOK || word.length > 0) {
      flags.push(word);
      spans.push([start, pos]);
    }
    if (pos >= line.length) return done(line.length);
  }
}

/**
 * Quote-aware split on whitespace that keeps quotes and escapes in the words (BuildKit
 * `parseWords`, used by ENV, LABEL and ARG).
 */
export function parseWords(rest: string, escapeToken: string): string[] {
  const words: string[] = [];
  const chars = Array.from(rest);
  let word = '';
  let inWord = false;
  let quote = '';
  let blankOK = false;
  for (let pos = 0; pos < chars.length; pos++) {
    let ch = chars[pos];
    if (!inWord) {
      if (isGoSpace(ch)) continue;
      inWord = true;
    }
    if (!quote) {
      if (isGoSpace(ch)) {
        if (blankOK || word.length > 0) words.push(word);
        word = '';
        blankOK = false;
        inWord = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
      } else if (ch === escapeToken) {
        if (pos + 1 === chars.length) continue;
        word += ch;
        ch = chars[++pos];
      }
      word += ch;
      continue;
    }
    if (ch === quote) {
      quote = '';
    } else if (ch === escapeToken && quote !== "'") {
      if (pos + 1 === chars.length) {
        quote = '';
        continue;
      }
      word += ch;
      ch = chars[++pos];
    }
    word += ch;
  }
  if (inWord && (blankOK || word.length > 0)) words.push(word);
  return words;
}

/**
 * Decode `rest` as a JSON array of strings the way BuildKit's `parseJSON` does with json.Unmarshal:
 * the whole text must be one JSON value. Returns undefined when it is not (shell form then).
 */
export function parseJsonArray(rest: string): string[] | undefined {
  const s = trimGoSpaceLeft(rest);
  if (!s.startsWith('[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(s);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  if (!value.every((v) => typeof v === 'string')) throw new LineParseError(NOT_STRING_ARRAY);
  return value as string[];
}

function whitespaceDelimited(rest: string): LineArgs {
  if (rest === '') return { args: [], json: false };
  return { args: rest.split(RE_WHITESPACE), json: false };
}

function maybeJson(rest: string): LineArgs {
  if (rest === '') return { args: [], json: false };
  const arr = parseJsonArray(rest);
  if (arr) return { args: arr, json: true };
  return { args: [rest], json: false };
}

function maybeJsonToList(rest: string): LineArgs {
  const arr = parseJsonArray(rest);
  if (arr) return { args: arr, json: true };
  return whitespaceDelimited(rest);
}

function nameVal(rest: string, keyword: string, escapeToken: string): LineArgs {
  const words = parseWords(rest, escapeToken);
  if (words.length === 0) return { args: [], json: false };
  if (!words[0].includes('=')) {
    // Old form `ENV KEY value…`: one key, the rest of the line is the value.
    const m = RE_WHITESPACE.exec(rest);
    if (!m) throw new LineParseError(`${keyword} must have two arguments`);
    return { args: [rest.slice(0, m.index), rest.slice(m.index + m[0].length), ''], json: false };
  }
  const args: string[] = [];
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq < 0) throw new LineParseError(`Syntax error - can't find = in "${w}". Must be of the form: name=value`);
    args.push(w.slice(0, eq), w.slice(eq + 1), '=');
  }
  return { args, json: false };
}

function healthConfig(rest: string): LineArgs {
  let sep = 0;
  while (sep < rest.length && !isGoSpace(rest[sep])) sep++;
  let next = sep;
  while (next < rest.length && isGoSpace(rest[next])) next++;
  if (sep === 0) return { args: [], json: false };
  const cmd = maybeJson(rest.slice(next));
  return { args: [rest.slice(0, sep), ...cmd.args], json: cmd.json };
}

/** Instruction keywords BuildKit knows (lowercase), in its own order. */
export const INSTRUCTIONS = [
  'add',
  'arg',
  'cmd',
  'copy',
  'entrypoint',
  'env',
  'expose',
  'from',
  'healthcheck',
  'label',
  'maintainer',
  'onbuild',
  'run',
  'shell',
  'stopsignal',
  'user',
  'volume',
  'workdir',
] as const;

/** Run the per-instruction line parser for `keyword` (lowercase) on the text after the flags. */
export function parseLineArgs(keyword: string, rest: string, escapeToken: string): LineArgs {
  switch (keyword) {
    case 'add':
    case 'copy':
    case 'volume':
      return maybeJsonToList(rest);
    case 'arg': {
      const words = parseWords(rest, escapeToken);
      return { args: words, json: false };
    }
    case 'cmd':
    case 'entrypoint':
    case 'run':
    case 'shell':
      return maybeJson(rest);
    case 'env':
      return nameVal(rest, 'ENV', escapeToken);
    case 'label':
      return nameVal(rest, 'LABEL', escapeToken);
    case 'expose':
    case 'from':
      return whitespaceDelimited(rest);
    case 'healthcheck':
      return healthConfig(rest);
    case 'maintainer':
    case 'stopsignal':
    case 'user':
    case 'workdir':
      return { args: rest === '' ? [] : [rest], json: false };
    case 'onbuild':
      return { args: [], json: false, subCommand: rest };
    default:
      // BuildKit's parser keeps unknown instructions with one empty argument; instructions reject them.
      return { args: [''], json: false };
  }
}
