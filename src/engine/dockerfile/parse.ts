/**
 * The Dockerfile parser: source text to an AST of instruction nodes with source ranges, following
 * BuildKit's `parser.Parse` (moby/buildkit frontend/dockerfile/parser/parser.go): directives at the
 * top, comments and blank lines, line continuations with the escape character, per-instruction
 * argument rules, ONBUILD sub-instructions and heredoc bodies.
 */

import type { SourceRange } from '../errors.ts';
import { DirectiveReader, type Directives } from './directives.ts';
import { DockerfileErrorCode, dockerfileError } from './errors.ts';
import { goQuote } from './expand.ts';
import { heredocsFromLine, type Heredoc } from './heredoc.ts';
import { LineParseError, parseLineArgs, splitCommand, trimGoSpaceLeft } from './lexer.ts';

/** One instruction of the AST (BuildKit's `parser.Node`, flattened). */
export interface DockerfileNode {
  /** The instruction keyword, lowercased (`from`, `run`, … or an unknown word). */
  keyword: string;
  /** The keyword exactly as written (`Run`), for messages. */
  rawKeyword: string;
  /** The `--name=value` words before the arguments, quotes and escapes resolved. */
  flags: string[];
  /** Where each flag word is written, for underlining a bad flag. */
  flagRanges: SourceRange[];
  /** The arguments as BuildKit's AST holds them (raw, unexpanded); see README section 2. */
  args: string[];
  /** True when the arguments came from a JSON array (exec form). */
  json: boolean;
  /** The logical line as written (continuations joined): BuildKit's `node.Original`. */
  original: string;
  /** From the first line of the instruction to the last line consumed for it (heredocs included). */
  range: SourceRange;
  /** Where the keyword itself is, for unknown-instruction underlines. */
  keywordRange: SourceRange;
  /** Heredoc bodies that follow the instruction (RUN, COPY, ADD only). */
  heredocs: Heredoc[];
  /** ONBUILD: the trigger instruction. */
  next?: DockerfileNode;
  /** Comment lines directly above the instruction, `#` and surrounding spaces removed. */
  comments: string[];
}

/** A problem that does not stop parsing (BuildKit warns about empty continuation lines). */
export interface ParseWarning {
  message: string;
  detail?: string;
  range: SourceRange;
}

/** The parsed Dockerfile: directives, the escape token in force and the instruction nodes. */
export interface ParsedDockerfile {
  directives: Directives;
  escapeToken: string;
  children: DockerfileNode[];
  warnings: ParseWarning[];
  /** The file name used in error messages. */
  filename: string;
}

/** Options for parseDockerfile. */
export interface ParseOptions {
  /** Name used in error data and code frames; default `Dockerfile`. */
  filename?: string;
}

const HEREDOC_KEYWORDS = new Set(['add', 'copy', 'run']);

/** Split into lines that keep their `\n` (BuildKit's `scanLines`). */
function scanLines(source: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < source.length) {
    const nl = source.indexOf('\n', start);
    if (nl < 0) {
      out.push(source.slice(start));
      break;
    }
    out.push(source.slice(start, nl + 1));
    start = nl + 1;
  }
  return out;
}

const trimNewline = (s: string) => s.replace(/[\r\n]+$/, '');
const isComment = (s: string) => trimGoSpaceLeft(trimNewline(s)).startsWith('#');
const isBlank = (s: string) => trimGoSpaceLeft(trimNewline(s)) === '';

function continuationRegex(escape: string): RegExp {
  const e = escape === '\\' ? '\\\\' : escape;
  return new RegExp(`([^${e}])${e}[ \\t]*$|^${e}[ \\t]*$`, 'u');
}

/** Source position of every UTF-16 unit of a logical line (continuations joined). */
type PositionMap = { line: number; column: number }[];

function spanRange(map: PositionMap, a: number, b: number): SourceRange {
  const last = map[map.length - 1] ?? { line: 1, column: 1 };
  const s = map[a] ?? last;
  const e = map[Math.max(a, b - 1)] ?? last;
  return { start: { ...s }, end: { line: e.line, column: e.column + 1 } };
}

/** Build a node from one logical line (BuildKit `newNodeFromLine`); throws LineParseError. */
function nodeFromLine(line: string, escapeToken: string, range: SourceRange, map: PositionMap, offset = 0): DockerfileNode {
  const sp = splitCommand(line);
  const keyword = sp.keyword.toLowerCase();
  const parsed = parseLineArgs(keyword, sp.rest, escapeToken);
  const node: DockerfileNode = {
    keyword,
    rawKeyword: sp.keyword,
    flags: sp.flags,
    flagRanges: sp.flagSpans.map(([a, b]) => spanRange(map, offset + a, offset + b)),
    args: parsed.args,
    json: parsed.json,
    original: line,
    range,
    keywordRange: spanRange(map, offset + sp.keywordStart, offset + sp.keywordStart + sp.keyword.length),
    heredocs: [],
    comments: [],
  };
  if (parsed.subCommand !== undefined && parsed.subCommand !== '') {
    node.next = nodeFromLine(parsed.subCommand, escapeToken, range, map, offset + sp.restStart);
  }
  return node;
}

function canContainHeredoc(node: DockerfileNode): boolean {
  const n = node.keyword === 'onbuild' && node.next ? node.next : node;
  return HEREDOC_KEYWORDS.has(n.keyword) && !n.json;
}

/**
 * Parse a Dockerfile into instruction nodes. Unknown instructions are kept (as BuildKit's parser
 * does); `parseInstruction` / `parseStages` reject them with a suggestion.
 */
export function parseDockerfile(source: string, opts: ParseOptions = {}): ParsedDockerfile {
  const file = opts.filename ?? 'Dockerfile';
  const lines = scanLines(source.startsWith('\uFEFF') ? source.slice(1) : source);
  const d = new DirectiveReader();
  const children: DockerfileNode[] = [];
  const warnings: ParseWarning[] = [];
  let comments: string[] = [];
  let i = 0; // index of the next line to read; the 1-based number of the last line read
  const lineLen = (n: number) => trimNewline(lines[n - 1] ?? '').length;
  const rangeOf = (start: number, startCol: number, end: number): SourceRange => ({
    start: { line: start, column: startCol },
    end: { line: end, column: lineLen(end) + 1 },
  });
  const fail = (code: string, e: unknown, range: SourceRange): never => {
    const msg = e instanceof Error ? e.message : String(e);
    throw dockerfileError(code, msg, range, { file, cause: e });
  };
  const readDirective = (text: string, lineNo: number) => {
    try {
      return d.feed(text);
    } catch (e) {
      return fail(DockerfileErrorCode.parse, e, rangeOf(lineNo, 1, lineNo));
    }
  };

  while (i < lines.length) {
    const raw = lines[i++];
    const startLine = i;
    const noNl = trimNewline(raw);
    const trimmed = trimGoSpaceLeft(noNl);
    const startCol = noNl.length - trimmed.length + 1;
    const wasDirective = readDirective(trimmed, startLine);
    if (isComment(raw)) {
      if (!wasDirective) comments.push(trimmed.slice(1).trim());
      continue;
    }
    const cont = continuationRegex(d.escapeToken);
    let line = trimmed;
    const map: PositionMap = Array.from({ length: trimmed.length }, (_, k) => ({ line: startLine, column: startCol + k }));
    let endOfLine = !cont.test(line);
    if (!endOfLine) line = line.replace(cont, '$1');
    map.length = line.length; // the continuation character (and trailing blanks) went at the end
    if (endOfLine && line === '') continue;

    let emptyContinuation = false;
    while (!endOfLine && i < lines.length) {
      const next = lines[i++];
      readDirective(trimNewline(next), i);
      if (isComment(next)) continue;
      if (isBlank(next)) {
        emptyContinuation = true;
        continue;
      }
      let part = trimNewline(next);
      endOfLine = !cont.test(part);
      if (!endOfLine) part = part.replace(cont, '$1');
      for (let k = 0; k < part.length; k++) map.push({ line: i, column: k + 1 });
      line += part;
    }
    if (emptyContinuation) {
      warnings.push({
        message: `Empty continuation line found in: ${line}`,
        detail: 'Empty continuation lines will become errors in a future release',
        range: rangeOf(startLine, startCol, i),
      });
    }

    let child: DockerfileNode;
    try {
      child = nodeFromLine(line, d.escapeToken, rangeOf(startLine, startCol, i), map);
    } catch (e) {
      if (!(e instanceof LineParseError)) throw e;
      return fail(DockerfileErrorCode.parse, e, rangeOf(startLine, startCol, i));
    }

    if (canContainHeredoc(child)) {
      let headers: ReturnType<typeof heredocsFromLine>;
      try {
        headers = heredocsFromLine(line);
      } catch (e) {
        return fail(DockerfileErrorCode.parse, e, rangeOf(startLine, startCol, i));
      }
      for (const h of headers) {
        let content = '';
        let terminated = false;
        while (i < lines.length) {
          const bodyLine = lines[i++];
          let candidate = trimNewline(bodyLine);
          if (h.chomp) candidate = candidate.replace(/^\t+/, '');
          if (candidate === h.name) {
            terminated = true;
            break;
          }
          content += bodyLine;
        }
        if (!terminated) fail(DockerfileErrorCode.parse, new Error('unterminated heredoc'), rangeOf(startLine, startCol, i));
        child.heredocs.push({ ...h, content });
      }
    }

    setRange(child, rangeOf(startLine, startCol, i));
    child.comments = comments;
    comments = [];
    children.push(child);
  }

  if (children.length === 0) {
    const last = Math.max(i, 1);
    fail(DockerfileErrorCode.parse, new Error('file with no instructions'), rangeOf(last, 1, last));
  }
  return { directives: d.directives, escapeToken: d.escapeToken, children, warnings, filename: file };
}

function setRange(node: DockerfileNode, range: SourceRange): void {
  node.range = range;
  if (node.next) setRange(node.next, range);
}

/** Print one node as BuildKit's `Node.Dump` does, e.g. `(copy ["--from=a"] "x" "/y")`. */
export function dumpNode(node: DockerfileNode): string {
  let s = node.keyword;
  if (node.flags.length > 0) s += ' [' + node.flags.map(goQuote).join(' ') + ']';
  if (node.next) s += ' ' + dumpNode(node.next);
  for (const a of node.args) s += ' ' + goQuote(a);
  return '(' + s.trim() + ')';
}

/** Print a whole AST as BuildKit's parser tests do: one dumped node per line. */
export function dumpAst(ast: ParsedDockerfile): string {
  return ast.children.map((c) => dumpNode(c) + '\n').join('');
}
