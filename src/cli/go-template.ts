/**
 * A subset of Go's text/template, enough for the `--format` strings people paste into docker
 * commands: `{{.Field}}`, `{{.A.B}}`, `{{json .}}`, pipelines (`{{.Name | upper}}`), variables
 * (`$`, `{{$v := …}}`, `{{range $k, $v := …}}`), `if`/`else if`/`else`, `range` (with `else`,
 * `break`, `continue`), `with`, comments, `{{-`/`-}}` trimming, Go's builtins (and, or, not, len,
 * index, slice, print, printf, println, eq, ne, lt, le, gt, ge) and docker's functions from
 * docker/cli `templates/templates.go` (json, split, join, title, lower, upper, pad, truncate).
 * Values print as Go's fmt prints them (`[a b]`, `map[k:v]`, `<no value>`, `<nil>`); errors read
 * like Go's (`template: :1: function "foo" not defined`, `template: :1:2: executing "" at <.X>: …`).
 *
 * Simulation: values are JSON-shaped. A JSON object prints as a Go map (`map[k:v]`, sorted keys)
 * unless it is marked as a struct with {@link goStruct}, when it prints as Go prints a struct
 * (`{v1 v2}` in field order) and an unknown field is an error, as on docker's typed contexts.
 * Numbers print as Go prints int64 when integral, else as float64 (%v).
 */

/** Error from parsing or executing a template; the message is Go's. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

const STRUCT = Symbol('goStruct');
const MAP_HINT = Symbol('goMap');

/** Marks `obj` as a Go struct named `typeName`: unknown fields are errors and it prints as `{…}`. */
export function goStruct<T extends object>(obj: T, typeName: string): T {
  Object.defineProperty(obj, STRUCT, { value: typeName, enumerable: false });
  return obj;
}

/** Object keys whose values are Go maps inside otherwise struct-shaped documents (docker inspect). */
export const GO_MAP_FIELDS = new Set(['Labels', 'ExposedPorts', 'Volumes', 'Options', 'Ports', 'Networks', 'Annotations', 'Tmpfs', 'StorageOpt', 'Sysctls', 'DriverOpts', 'Data']);

/** Keys whose values are Go slices in docker's inspect types: a JSON null there prints `[]`, as a nil slice does. */
export const GO_SLICE_FIELDS = new Set(['Entrypoint', 'Cmd', 'Env', 'OnBuild', 'Shell', 'RepoTags', 'RepoDigests', 'Layers', 'Mounts', 'Binds', 'Args', 'Dns', 'DnsOptions', 'DnsSearch', 'ExtraHosts', 'CapAdd', 'CapDrop', 'Aliases']);

/** A function callable from a template; receives evaluated arguments. */
export type TemplateFunc = (...args: unknown[]) => unknown;

// ---------------------------------------------------------------- lexer + parser

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pos: number; pipe: Pipe }
  | { kind: 'if' | 'with'; pos: number; pipe: Pipe; list: Node[]; elseList?: Node[] }
  | { kind: 'range'; pos: number; pipe: Pipe; list: Node[]; elseList?: Node[] }
  | { kind: 'break' | 'continue'; pos: number };

interface Pipe {
  pos: number;
  decl: string[];
  /** `=` assigns existing variables instead of declaring. */
  assign: boolean;
  cmds: Cmd[];
}
interface Cmd {
  pos: number;
  args: Operand[];
}
type Operand =
  | { kind: 'field'; pos: number; text: string; path: string[] }
  | { kind: 'var'; pos: number; name: string; path: string[] }
  | { kind: 'dot'; pos: number }
  | { kind: 'ident'; pos: number; name: string }
  | { kind: 'const'; pos: number; value: unknown; text: string }
  | { kind: 'pipe'; pos: number; pipe: Pipe; path: string[] };

interface Tok {
  t: 'field' | 'var' | 'dot' | 'ident' | 'string' | 'number' | 'char' | 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign' | 'comma' | 'space' | 'end' | 'bool' | 'nil';
  v: string;
  pos: number;
}

function lineOf(src: string, pos: number): number {
  let n = 1;
  for (let i = 0; i < pos && i < src.length; i++) if (src[i] === '\n') n++;
  return n;
}

class Parser {
  private toks: Tok[] = [];
  private i = 0;
  constructor(
    private src: string,
    private funcs: Record<string, TemplateFunc>,
  ) {}

  fail(pos: number, msg: string): never {
    throw new TemplateError(`template: :${lineOf(this.src, pos)}: ${msg}`);
  }

  /** Splits the source into text and action token lists, then parses the node tree. */
  parse(): Node[] {
    const items: ({ text: string } | { pos: number; toks: Tok[] })[] = [];
    const src = this.src;
    let i = 0;
    let trimNextText = false;
    while (i < src.length) {
      const open = src.indexOf('{{', i);
      let text = open < 0 ? src.slice(i) : src.slice(i, open);
      if (trimNextText) text = text.replace(/^[ \t\r\n]+/, '');
      trimNextText = false;
      if (open < 0) {
        if (text) items.push({ text });
        break;
      }
      let start = open + 2;
      if (src.startsWith('- ', start) || src.startsWith('-\t', start) || src.startsWith('-\n', start) || src.startsWith('-\r', start)) {
        text = text.replace(/[ \t\r\n]+$/, '');
        start += 1;
      }
      if (text) items.push({ text });
      // comments
      const afterSpace = src.slice(start).match(/^\s*/)![0].length;
      if (src.startsWith('/*', start + afterSpace)) {
        const endC = src.indexOf('*/', start + afterSpace + 2);
        if (endC < 0) this.fail(open, 'unclosed comment');
        let j = endC + 2;
        const m = src.slice(j).match(/^\s*(-\s*)?\}\}/);
        if (!m) this.fail(open, 'comment ends before closing delimiter');
        if (m[1]) trimNextText = true;
        i = j + m[0].length;
        continue;
      }
      const { toks, end, trim } = this.lexAction(start, open);
      trimNextText = trim;
      items.push({ pos: open, toks });
      i = end;
    }
    const [list, stop] = this.parseList(items, 0, new Set());
    if (stop !== undefined) this.fail((items[stop] as { pos: number }).pos, `unexpected {{${(items[stop] as { toks: Tok[] }).toks[0].v}}}`);
    return list;
  }

  private lexAction(i: number, open: number): { toks: Tok[]; end: number; trim: boolean } {
    const src = this.src;
    const toks: Tok[] = [];
    let depth = 0;
    for (;;) {
      if (i >= src.length) this.fail(open, 'unclosed action');
      const c = src[i];
      if (/\s/.test(c)) {
        if (/^\s+-\}\}/.test(src.slice(i))) {
          const m = src.slice(i).match(/^\s+-\}\}/)!;
          return { toks, end: i + m[0].length, trim: true };
        }
        if (c === '\n' && depth === 0) {
          // Go allows newlines inside actions since 1.16; keep going.
        }
        if (toks.length && toks[toks.length - 1].t !== 'space') toks.push({ t: 'space', v: ' ', pos: i });
        i++;
        continue;
      }
      if (src.startsWith('}}', i)) {
        if (depth > 0) this.fail(i, 'unclosed left paren');
        return { toks: toks[toks.length - 1]?.t === 'space' ? toks.slice(0, -1) : toks, end: i + 2, trim: false };
      }
      const rest = src.slice(i);
      let m: RegExpMatchArray | null;
      if (c === '"') {
        m = rest.match(/^"(?:[^"\\\n]|\\.)*"/);
        if (!m) this.fail(i, 'unterminated quoted string');
        toks.push({ t: 'string', v: m[0], pos: i });
      } else if (c === '`') {
        const e = src.indexOf('`', i + 1);
        if (e < 0) this.fail(i, 'unterminated raw quoted string');
        toks.push({ t: 'string', v: src.slice(i, e + 1), pos: i });
        m = [src.slice(i, e + 1)] as unknown as RegExpMatchArray;
      } else if (c === "'") {
        m = rest.match(/^'(?:[^'\\]|\\.)+'/);
        if (!m) this.fail(i, 'unterminated character constant');
        toks.push({ t: 'char', v: m[0], pos: i });
      } else if ((m = rest.match(/^:=/))) toks.push({ t: 'declare', v: ':=', pos: i });
      else if ((m = rest.match(/^=/))) toks.push({ t: 'assign', v: '=', pos: i });
      else if (c === '|') {
        m = ['|'] as unknown as RegExpMatchArray;
        toks.push({ t: 'pipe', v: '|', pos: i });
      } else if (c === '(') {
        depth++;
        m = ['('] as unknown as RegExpMatchArray;
        toks.push({ t: 'lparen', v: '(', pos: i });
      } else if (c === ')') {
        depth--;
        if (depth < 0) this.fail(i, 'unexpected right paren');
        m = [')'] as unknown as RegExpMatchArray;
        toks.push({ t: 'rparen', v: ')', pos: i });
      } else if (c === ',') {
        m = [','] as unknown as RegExpMatchArray;
        toks.push({ t: 'comma', v: ',', pos: i });
      } else if ((m = rest.match(/^\$[A-Za-z0-9_]*/))) toks.push({ t: 'var', v: m[0], pos: i });
      else if ((m = rest.match(/^(\.[A-Za-z_][A-Za-z0-9_]*)+/))) toks.push({ t: 'field', v: m[0], pos: i });
      else if ((m = rest.match(/^[-+]?(0[xX][0-9a-fA-F_]+|(\d[\d_]*)?\.?\d[\d_]*([eE][-+]?\d+)?)/)) && m[0] !== '.' && m[0] !== '') toks.push({ t: 'number', v: m[0], pos: i });
      else if (c === '.') {
        m = ['.'] as unknown as RegExpMatchArray;
        toks.push({ t: 'dot', v: '.', pos: i });
      } else if ((m = rest.match(/^[A-Za-z_][A-Za-z0-9_]*/))) {
        const w = m[0];
        toks.push({ t: w === 'true' || w === 'false' ? 'bool' : w === 'nil' ? 'nil' : 'ident', v: w, pos: i });
      } else this.fail(i, `unexpected "${c}" in ${toks.length ? 'operand' : 'command'}`);
      i += m[0].length;
    }
  }

  /** Parses items from `at` until an `end`/`else` keyword in `stops`; returns the list and the index of the stop item. */
  private parseList(items: ({ text: string } | { pos: number; toks: Tok[] })[], at: number, stops: Set<string>): [Node[], number | undefined, number] {
    const out: Node[] = [];
    let i = at;
    while (i < items.length) {
      const it = items[i];
      if ('text' in it) {
        out.push({ kind: 'text', text: it.text });
        i++;
        continue;
      }
      const head = it.toks[0];
      if (!head) this.fail(it.pos, 'missing value for command');
      const kw = head.t === 'ident' ? head.v : '';
      if (kw === 'end' || kw === 'else') {
        if (!stops.has(kw)) this.fail(it.pos, `unexpected {{${kw}}}`);
        return [out, i, i];
      }
      if (kw === 'if' || kw === 'with' || kw === 'range') {
        const node = this.parseControl(kw, items, i);
        out.push(node.node);
        i = node.next;
        continue;
      }
      if (kw === 'break' || kw === 'continue') {
        out.push({ kind: kw, pos: it.pos });
        i++;
        continue;
      }
      if (kw === 'define' || kw === 'template' || kw === 'block') this.fail(it.pos, `{{${kw}}} is not supported here`);
      out.push({ kind: 'action', pos: it.pos, pipe: this.parsePipe(it.toks, it.pos, true) });
      i++;
    }
    if (stops.size) this.fail(this.src.length, 'unexpected EOF');
    return [out, undefined, i];
  }

  private parseControl(kw: 'if' | 'with' | 'range', items: ({ text: string } | { pos: number; toks: Tok[] })[], at: number): { node: Node; next: number } {
    const it = items[at] as { pos: number; toks: Tok[] };
    const toks = it.toks.slice(1).filter((t, k) => !(k === 0 && t.t === 'space'));
    if (!toks.length) this.fail(it.pos, `missing value for ${kw}`);
    const pipe = this.parsePipe(toks, it.pos, kw === 'range' ? 'range' : true);
    const [list, stop] = this.parseList(items, at + 1, new Set(['end', 'else']));
    const stopItem = items[stop!] as { pos: number; toks: Tok[] };
    let elseList: Node[] | undefined;
    let next = stop! + 1;
    if (stopItem.toks[0].v === 'else') {
      const rest = stopItem.toks.slice(1).filter((t, k) => !(k === 0 && t.t === 'space'));
      if (rest.length && rest[0].t === 'ident' && (rest[0].v === 'if' || rest[0].v === 'with') && kw !== 'range') {
        // {{else if …}} is {{else}}{{if …}}…{{end}} sharing the outer end.
        const synthetic = { pos: stopItem.pos, toks: rest };
        const copy = items.slice();
        copy[stop!] = synthetic;
        const inner = this.parseControl(rest[0].v as 'if' | 'with', copy, stop!);
        elseList = [inner.node];
        next = inner.next;
        return { node: { kind: kw, pos: it.pos, pipe, list, elseList }, next };
      }
      if (rest.length) this.fail(stopItem.pos, 'unexpected tokens after else');
      const [el, stop2] = this.parseList(items, stop! + 1, new Set(['end']));
      elseList = el;
      next = stop2! + 1;
    }
    return { node: { kind: kw, pos: it.pos, pipe, list, elseList }, next };
  }

  private parsePipe(toksIn: Tok[], pos: number, allowDecl: boolean | 'range'): Pipe {
    this.toks = toksIn;
    this.i = 0;
    const pipe: Pipe = { pos, decl: [], assign: false, cmds: [] };
    // declarations: $x := … or $k, $v := … (range)
    const save = this.i;
    const vars: string[] = [];
    let k = 0;
    const t = (n: number) => this.toks.filter((x) => x.t !== 'space')[n];
    if (allowDecl && t(0)?.t === 'var') {
      if (t(1)?.t === 'declare' || t(1)?.t === 'assign') {
        vars.push(t(0).v);
        k = 2;
        pipe.assign = t(1).t === 'assign';
      } else if (allowDecl === 'range' && t(1)?.t === 'comma' && t(2)?.t === 'var' && (t(3)?.t === 'declare' || t(3)?.t === 'assign')) {
        vars.push(t(0).v, t(2).v);
        k = 4;
      }
    }
    pipe.decl = vars;
    const nonSpace = this.toks.filter((x) => x.t !== 'space');
    const declEnd = k ? nonSpace[k - 1] : undefined;
    this.i = declEnd ? this.toks.indexOf(declEnd) + 1 : save;
    pipe.cmds = this.parseCmds(pos, false);
    if (!pipe.cmds.length) this.fail(pos, 'missing value for command');
    return pipe;
  }

  private skipSpace(): void {
    while (this.toks[this.i]?.t === 'space') this.i++;
  }

  private parseCmds(pos: number, inParen: boolean): Cmd[] {
    const cmds: Cmd[] = [];
    for (;;) {
      this.skipSpace();
      const cmd: Cmd = { pos: this.toks[this.i]?.pos ?? pos, args: [] };
      for (;;) {
        this.skipSpace();
        const tok = this.toks[this.i];
        if (!tok || tok.t === 'pipe' || tok.t === 'rparen') break;
        cmd.args.push(this.parseOperand());
        const nxt = this.toks[this.i];
        if (nxt && nxt.t !== 'space' && nxt.t !== 'pipe' && nxt.t !== 'rparen') this.fail(nxt.pos, `unexpected "${nxt.v}" in operand`);
      }
      if (!cmd.args.length) this.fail(pos, 'missing value for command');
      cmds.push(cmd);
      const tok = this.toks[this.i];
      if (!tok) {
        if (inParen) this.fail(pos, 'unclosed left paren');
        return cmds;
      }
      if (tok.t === 'rparen') {
        if (!inParen) this.fail(tok.pos, 'unexpected right paren');
        return cmds;
      }
      this.i++; // pipe
    }
  }

  private parseOperand(): Operand {
    const tok = this.toks[this.i++];
    switch (tok.t) {
      case 'field':
        return { kind: 'field', pos: tok.pos, text: tok.v, path: tok.v.slice(1).split('.') };
      case 'var': {
        const [name, ...path] = tok.v.split('.');
        const more = this.fieldChain();
        return { kind: 'var', pos: tok.pos, name, path: [...path, ...more] };
      }
      case 'dot':
        return { kind: 'dot', pos: tok.pos };
      case 'ident':
        if (!(tok.v in this.funcs) && !BUILTIN_NAMES.has(tok.v)) this.fail(tok.pos, `function "${tok.v}" not defined`);
        return { kind: 'ident', pos: tok.pos, name: tok.v };
      case 'string':
        return { kind: 'const', pos: tok.pos, value: unquote(tok.v, (m) => this.fail(tok.pos, m)), text: tok.v };
      case 'char':
        return { kind: 'const', pos: tok.pos, value: (unquote('"' + tok.v.slice(1, -1) + '"', (m) => this.fail(tok.pos, m)) as string).codePointAt(0), text: tok.v };
      case 'number': {
        const n = Number(tok.v.replace(/_/g, ''));
        if (!Number.isFinite(n)) this.fail(tok.pos, `illegal number syntax: "${tok.v}"`);
        return { kind: 'const', pos: tok.pos, value: n, text: tok.v };
      }
      case 'bool':
        return { kind: 'const', pos: tok.pos, value: tok.v === 'true', text: tok.v };
      case 'nil':
        return { kind: 'const', pos: tok.pos, value: null, text: 'nil' };
      case 'lparen': {
        const cmds = this.parseCmds(tok.pos, true);
        this.i++; // rparen
        return { kind: 'pipe', pos: tok.pos, pipe: { pos: tok.pos, decl: [], assign: false, cmds }, path: this.fieldChain() };
      }
      default:
        this.fail(tok.pos, `unexpected "${tok.v}" in operand`);
    }
  }

  /** A `.A.B` directly after a variable or a parenthesised pipeline. */
  private fieldChain(): string[] {
    const tok = this.toks[this.i];
    if (tok?.t === 'field') {
      this.i++;
      return tok.v.slice(1).split('.');
    }
    return [];
  }
}

function unquote(lit: string, fail: (m: string) => never): string {
  if (lit.startsWith('`')) return lit.slice(1, -1);
  try {
    // Go's escapes are JSON's plus \a \v \' \x.. \NNN; map the extra ones first.
    const s = lit
      .slice(1, -1)
      .replace(/\\([avx'0-7])((?<=x)[0-9a-fA-F]{2}|(?<=[0-7])[0-7]{2})?/g, (_m, c: string, rest: string | undefined) => {
        if (c === 'a') return '\\u0007';
        if (c === 'v') return '\\u000b';
        if (c === "'") return "'";
        if (c === 'x') return '\\u00' + (rest ?? '');
        return '\\u' + parseInt(c + (rest ?? ''), 8).toString(16).padStart(4, '0');
      });
    return JSON.parse('"' + s + '"') as string;
  } catch {
    fail(`invalid syntax: ${lit}`);
  }
}

// ---------------------------------------------------------------- values

/** Go's fmt %v of a value as text/template prints it. */
export function goPrint(v: unknown, key?: string): string {
  // A field docker's typed struct has but the JSON omitted (omitempty) prints as the Go zero value.
  if (v === undefined) return key && (GO_MAP_FIELDS.has(key) || GO_SLICE_FIELDS.has(key)) ? goValue(null, key) : '<no value>';
  return goValue(v, key);
}

function goValue(v: unknown, key?: string): string {
  if (v === undefined || v === null) return key && GO_MAP_FIELDS.has(key) ? 'map[]' : key && GO_SLICE_FIELDS.has(key) ? '[]' : '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return '[' + v.map((x) => goValue(x)).join(' ') + ']';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ((o as Record<symbol, unknown>)[STRUCT] !== undefined || (key !== undefined && !GO_MAP_FIELDS.has(key) && !(o as Record<symbol, unknown>)[MAP_HINT] && isStructLike(o))) {
      return '{' + Object.keys(o).map((k) => goValue(o[k], k)).join(' ') + '}';
    }
    // ExposedPorts and Volumes are map[string]struct{}: their values print as Go's empty struct.
    const structValues = key === 'ExposedPorts' || key === 'Volumes';
    return 'map[' + Object.keys(o).sort().map((k) => `${k}:${structValues && isEmptyObject(o[k]) ? '{}' : goValue(o[k])}`).join(' ') + ']';
  }
  return String(v);
}

function isEmptyObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** Object keys that look like Go struct fields (exported, capitalised) rather than map keys. */
function isStructLike(o: Record<string, unknown>): boolean {
  const keys = Object.keys(o);
  return keys.length > 0 && keys.every((k) => /^[A-Z][A-Za-z0-9]*$/.test(k));
}

function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  // %v of float64 is %g with the shortest repr: exponent for < 1e-4 or >= 1e21.
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(n);
}

/** Go's `truth`: the zero value, nil, and empty collections are false. */
function truth(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return (v as Record<symbol, unknown>)[STRUCT] !== undefined || Object.keys(v as object).length > 0;
  return true;
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  const s = (v as Record<symbol, unknown>)[STRUCT];
  return typeof s === 'string' ? s : 'map[string]interface {}';
}

// ---------------------------------------------------------------- functions

const BUILTIN_NAMES = new Set(['and', 'or', 'not', 'len', 'index', 'slice', 'print', 'printf', 'println', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'call', 'html', 'js', 'urlquery']);

class ExecError extends Error {}

function basicKind(v: unknown): string {
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return 'other';
}

function compare(op: string, a: unknown, b: unknown): boolean {
  if (op === 'eq' || op === 'ne') {
    if ((a === null || a === undefined) && (b === null || b === undefined)) return op === 'eq';
    const ka = basicKind(a);
    const kb = basicKind(b);
    if (ka === 'other' || kb === 'other') {
      if (a === null || b === null || a === undefined || b === undefined) return op === 'ne';
      throw new ExecError(`error calling ${op}: non-comparable type ${typeName(ka === 'other' ? a : b)}`);
    }
    if (ka !== kb) throw new ExecError(`error calling ${op}: incompatible types for comparison`);
    return (a === b) === (op === 'eq');
  }
  const ka = basicKind(a);
  if (ka !== basicKind(b)) throw new ExecError(`error calling ${op}: incompatible types for comparison`);
  if (ka === 'bool' || ka === 'other') throw new ExecError(`error calling ${op}: invalid type for comparison`);
  const x = a as number | string;
  const y = b as number | string;
  return op === 'lt' ? x < y : op === 'le' ? x <= y : op === 'gt' ? x > y : x >= y;
}

/** Go's fmt.Sprint: spaces between operands when neither side is a string. */
function sprint(args: unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += goPrint(a);
  });
  return out;
}

/** Go's fmt.Sprintf for the verbs templates use: %v %s %d %q %x %f %t %%, widths and `-`. */
export function sprintf(format: string, args: unknown[]): string {
  let k = 0;
  const out = format.replace(/%([-+ 0#]*)(\d+)?(?:\.(\d+))?([vsdqxXftTc%])/g, (_m, flags: string, width: string | undefined, prec: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (k >= args.length) return `%!${verb}(MISSING)`;
    const a = args[k++];
    let s: string;
    switch (verb) {
      case 'd':
        s = typeof a === 'number' ? String(Math.trunc(a)) : `%!d(${typeName(a)}=${goPrint(a)})`;
        break;
      case 'q':
        s = JSON.stringify(String(typeof a === 'string' ? a : goPrint(a)));
        break;
      case 'x':
      case 'X':
        s = typeof a === 'number' ? a.toString(16) : [...new TextEncoder().encode(String(a))].map((b) => b.toString(16).padStart(2, '0')).join('');
        if (verb === 'X') s = s.toUpperCase();
        break;
      case 'f':
        s = typeof a === 'number' ? a.toFixed(prec ? Number(prec) : 6) : `%!f(${typeName(a)}=${goPrint(a)})`;
        break;
      case 'T':
        s = typeName(a);
        break;
      case 'c':
        s = typeof a === 'number' ? String.fromCodePoint(a) : goPrint(a);
        break;
      default:
        s = goPrint(a);
        if (verb === 's' && prec !== undefined) s = s.slice(0, Number(prec));
    }
    const w = width ? Number(width) : 0;
    if (s.length < w) s = flags.includes('-') ? s.padEnd(w) : s.padStart(w, flags.includes('0') && verb !== 's' ? '0' : ' ');
    return s;
  });
  return k < args.length ? out + '%!(EXTRA ' + args.slice(k).map((a) => `${typeName(a)}=${goPrint(a)}`).join(', ') + ')' : out;
}

/** docker/cli `templates.basicFunctions`. */
export const DOCKER_FUNCS: Record<string, TemplateFunc> = {
  // json.Encoder with SetEscapeHTML(false), trailing newline trimmed.
  json: (v) => (v === undefined ? 'null' : JSON.stringify(v)),
  split: (s, sep) => String(s).split(String(sep)),
  join: (xs, sep) => {
    if (!Array.isArray(xs)) throw new ExecError(`wrong type for value; expected []string; got ${typeName(xs)}`);
    return xs.map((x) => goPrint(x)).join(String(sep));
  },
  title: (s) => String(s).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase()),
  lower: (s) => String(s).toLowerCase(),
  upper: (s) => String(s).toUpperCase(),
  pad: (s, before, after) => ' '.repeat(Number(before)) + String(s) + ' '.repeat(Number(after)),
  truncate: (s, n) => [...String(s)].slice(0, Number(n)).join(''),
};

/** docker/cli `templates.HeaderFunctions`: in a table header every function passes its text through. */
export const HEADER_FUNCS: Record<string, TemplateFunc> = Object.fromEntries(Object.keys(DOCKER_FUNCS).map((k) => [k, (v: unknown) => v]));

// ---------------------------------------------------------------- execution

interface Scope {
  vars: { name: string; value: unknown }[];
}

class Loop {
  constructor(public kind: 'break' | 'continue') {}
}

/** A parsed template; `execute(data)` renders it. */
export class Template {
  private nodes: Node[];
  constructor(
    private src: string,
    private funcs: Record<string, TemplateFunc>,
  ) {
    this.nodes = new Parser(src, funcs).parse();
  }

  /** Renders with `data` as dot (and `$`). `funcs` may replace functions (the table header's pass-through set). */
  execute(data: unknown, funcs: Record<string, TemplateFunc> = this.funcs): string {
    const out: string[] = [];
    const scope: Scope = { vars: [{ name: '$', value: data }] };
    this.walk(this.nodes, data, scope, out, funcs, 0);
    return out.join('');
  }

  private fail(pos: number, node: string, msg: string): never {
    const before = this.src.slice(0, pos);
    const line = lineOf(this.src, pos);
    const nl = before.lastIndexOf('\n');
    const col = nl < 0 ? pos : pos - nl - 1;
    throw new TemplateError(`template: :${line}:${col}: executing "" at <${node}>: ${msg}`);
  }

  private walk(nodes: Node[], dot: unknown, scope: Scope, out: string[], funcs: Record<string, TemplateFunc>, depth: number): void {
    if (depth > 1000) throw new TemplateError('template: exceeded maximum template depth (100000)');
    const mark = scope.vars.length;
    for (const n of nodes) {
      switch (n.kind) {
        case 'text':
          out.push(n.text);
          break;
        case 'action': {
          const v = this.pipe(n.pipe, dot, scope, funcs);
          if (!n.pipe.decl.length) out.push(this.printable(v, n.pipe));
          break;
        }
        case 'if':
        case 'with': {
          const inner = scope.vars.length;
          const v = this.pipe(n.pipe, dot, scope, funcs);
          if (truth(v)) this.walk(n.list, n.kind === 'with' ? v : dot, scope, out, funcs, depth + 1);
          else if (n.elseList) this.walk(n.elseList, dot, scope, out, funcs, depth + 1);
          scope.vars.length = inner;
          break;
        }
        case 'range':
          this.range(n, dot, scope, out, funcs, depth);
          break;
        case 'break':
        case 'continue':
          throw new Loop(n.kind);
      }
    }
    scope.vars.length = mark;
  }

  private range(n: Extract<Node, { kind: 'range' }>, dot: unknown, scope: Scope, out: string[], funcs: Record<string, TemplateFunc>, depth: number): void {
    const inner = scope.vars.length;
    const val = this.pipe({ ...n.pipe, decl: [] }, dot, scope, funcs);
    let entries: [unknown, unknown][];
    if (val === undefined || val === null) entries = [];
    else if (Array.isArray(val)) entries = val.map((x, i) => [i, x]);
    else if (typeof val === 'number' && Number.isInteger(val)) entries = Array.from({ length: Math.max(0, val) }, (_x, i) => [i, i]);
    else if (typeof val === 'object' && (val as Record<symbol, unknown>)[STRUCT] === undefined) entries = Object.keys(val).sort().map((k) => [k, (val as Record<string, unknown>)[k]]);
    else this.fail(n.pos, 'range', `range can't iterate over ${goPrint(val)}`);
    if (!entries.length) {
      if (n.elseList) this.walk(n.elseList, dot, scope, out, funcs, depth + 1);
      return;
    }
    for (const [k, v] of entries) {
      scope.vars.length = inner;
      if (n.pipe.decl.length === 1) scope.vars.push({ name: n.pipe.decl[0], value: v });
      else if (n.pipe.decl.length === 2) scope.vars.push({ name: n.pipe.decl[0], value: k }, { name: n.pipe.decl[1], value: v });
      try {
        this.walk(n.list, v, scope, out, funcs, depth + 1);
      } catch (e) {
        if (!(e instanceof Loop)) throw e;
        if (e.kind === 'break') break;
      }
    }
    scope.vars.length = inner;
  }

  /** text/template's printValue: a value that is not printable (a func) is an error; undefined prints `<no value>`. */
  private printable(v: unknown, pipe: Pipe): string {
    const last = pipe.cmds[pipe.cmds.length - 1];
    const key = last.args.length === 1 && (last.args[0].kind === 'field' || last.args[0].kind === 'var') ? (last.args[0] as { path: string[] }).path.at(-1) : undefined;
    return goPrint(v, key);
  }

  private pipe(p: Pipe, dot: unknown, scope: Scope, funcs: Record<string, TemplateFunc>): unknown {
    let v: unknown;
    let first = true;
    for (const c of p.cmds) {
      v = this.cmd(c, dot, scope, funcs, first ? undefined : { value: v });
      first = false;
    }
    if (p.decl.length) {
      if (p.assign) {
        const slot = [...scope.vars].reverse().find((x) => x.name === p.decl[0]);
        if (!slot) this.fail(p.pos, p.decl[0], `undefined variable: ${p.decl[0]}`);
        slot.value = v;
      } else scope.vars.push({ name: p.decl[0], value: v });
    }
    return v;
  }

  private nodeText(a: Operand): string {
    switch (a.kind) {
      case 'field':
        return a.text;
      case 'var':
        return [a.name, ...a.path].join('.');
      case 'dot':
        return '.';
      case 'ident':
        return a.name;
      case 'const':
        return a.text;
      case 'pipe':
        return '(…)';
    }
  }

  private cmd(c: Cmd, dot: unknown, scope: Scope, funcs: Record<string, TemplateFunc>, piped?: { value: unknown }): unknown {
    const [head, ...rest] = c.args;
    if (head.kind === 'ident') {
      const args = rest.map((a) => this.arg(a, dot, scope, funcs));
      if (piped) args.push(piped.value);
      try {
        return this.call(head.name, args, funcs, rest, dot, scope);
      } catch (e) {
        if (e instanceof ExecError) this.fail(head.pos, head.name, e.message);
        throw e;
      }
    }
    if (rest.length || piped) {
      // Go: a field that is not a method cannot take arguments.
      if (head.kind === 'field' || head.kind === 'var') this.fail(head.pos, this.nodeText(head), `${head.kind === 'field' ? head.path.at(-1) : head.name} is not a method but has arguments`);
      this.fail(head.pos, this.nodeText(head), `can't give argument to non-function ${this.nodeText(head)}`);
    }
    return this.arg(head, dot, scope, funcs);
  }

  private arg(a: Operand, dot: unknown, scope: Scope, funcs: Record<string, TemplateFunc>): unknown {
    switch (a.kind) {
      case 'dot':
        return dot;
      case 'const':
        return a.value;
      case 'field':
        return this.fields(dot, a.path, a);
      case 'var': {
        const slot = [...scope.vars].reverse().find((x) => x.name === a.name);
        if (!slot) throw new TemplateError(`template: :1: undefined variable "${a.name}"`);
        return this.fields(slot.value, a.path, a);
      }
      case 'ident':
        try {
          return this.call(a.name, [], funcs, [], dot, scope);
        } catch (e) {
          if (e instanceof ExecError) this.fail(a.pos, a.name, e.message);
          throw e;
        }
      case 'pipe':
        return this.fields(this.pipe(a.pipe, dot, scope, funcs), a.path, a);
    }
  }

  private fields(v: unknown, path: string[], node: Operand): unknown {
    let cur = v;
    for (let i = 0; i < path.length; i++) {
      const name = path[i];
      const at = this.nodeText(node);
      if (cur === undefined || cur === null) {
        this.fail(node.pos, at, `nil pointer evaluating ${typeName(cur)}.${name}`);
      }
      if (typeof cur !== 'object' || Array.isArray(cur)) this.fail(node.pos, at, `can't evaluate field ${name} in type ${typeName(cur)}`);
      const o = cur as Record<string, unknown>;
      const struct = (o as Record<symbol, unknown>)[STRUCT];
      if (struct !== undefined && !Object.prototype.hasOwnProperty.call(o, name)) this.fail(node.pos, at, `can't evaluate field ${name} in type ${String(struct)}`);
      cur = Object.prototype.hasOwnProperty.call(o, name) ? o[name] : undefined;
      // A JSON null inside a map reads as a nil interface: a further field on it is an error, printing it shows <nil>.
    }
    return cur;
  }

  private call(name: string, args: unknown[], funcs: Record<string, TemplateFunc>, _ops: Operand[], _dot: unknown, _scope: Scope): unknown {
    const f = funcs[name];
    if (f) return f(...args);
    const need = (n: number) => {
      if (args.length !== n) throw new ExecError(`wrong number of args for ${name}: want ${n} got ${args.length}`);
    };
    switch (name) {
      case 'and': {
        if (!args.length) throw new ExecError('wrong number of args for and: want at least 1 got 0');
        for (const a of args) if (!truth(a)) return a;
        return args[args.length - 1];
      }
      case 'or': {
        if (!args.length) throw new ExecError('wrong number of args for or: want at least 1 got 0');
        for (const a of args) if (truth(a)) return a;
        return args[args.length - 1];
      }
      case 'not':
        need(1);
        return !truth(args[0]);
      case 'len': {
        need(1);
        const a = args[0];
        if (typeof a === 'string') return new TextEncoder().encode(a).length;
        if (Array.isArray(a)) return a.length;
        if (a && typeof a === 'object') return Object.keys(a).length;
        throw new ExecError(`error calling len: len of type ${typeName(a)}`);
      }
      case 'index': {
        if (!args.length) throw new ExecError('wrong number of args for index: want at least 1 got 0');
        let cur = args[0];
        for (const k of args.slice(1)) {
          if (Array.isArray(cur) || typeof cur === 'string') {
            if (typeof k !== 'number') throw new ExecError(`error calling index: cannot index slice/array with type ${typeName(k)}`);
            if (k < 0 || k >= cur.length) throw new ExecError(`error calling index: index out of range: ${k}`);
            cur = typeof cur === 'string' ? new TextEncoder().encode(cur)[k] : cur[k];
          } else if (cur && typeof cur === 'object') {
            if (typeof k !== 'string') throw new ExecError(`error calling index: value has type ${typeName(k)}; should be string`);
            cur = Object.prototype.hasOwnProperty.call(cur, k) ? (cur as Record<string, unknown>)[k] : undefined;
          } else if (cur === undefined || cur === null) throw new ExecError('error calling index: index of untyped nil');
          else throw new ExecError(`error calling index: can't index item of type ${typeName(cur)}`);
        }
        return cur;
      }
      case 'slice': {
        const [x, ...ix] = args;
        if (typeof x !== 'string' && !Array.isArray(x)) throw new ExecError(`error calling slice: can't slice item of type ${typeName(x)}`);
        const lo = (ix[0] as number | undefined) ?? 0;
        const hi = (ix[1] as number | undefined) ?? x.length;
        if (lo < 0 || hi > x.length || lo > hi) throw new ExecError(`error calling slice: index out of range: ${hi > x.length ? hi : lo}`);
        return x.slice(lo, hi);
      }
      case 'print':
        return sprint(args);
      case 'println':
        return args.map((a) => goPrint(a)).join(' ') + '\n';
      case 'printf':
        if (!args.length) throw new ExecError('wrong number of args for printf: want at least 1 got 0');
        return sprintf(String(args[0]), args.slice(1));
      case 'eq':
        if (args.length < 2) throw new ExecError('missing argument for comparison');
        return args.slice(1).some((b) => compare('eq', args[0], b));
      case 'ne':
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge':
        need(2);
        return compare(name, args[0], args[1]);
      case 'html':
        return sprint(args).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!);
      case 'js':
        return sprint(args).replace(/[\\'"<>&=]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0'));
      case 'urlquery':
        return encodeURIComponent(sprint(args)).replace(/%20/g, '+');
      default:
        throw new ExecError(`"${name}" is not a defined function`);
    }
  }
}

/** Parses `src` with docker's template functions (docker/cli `templates.Parse`). */
export function parseTemplate(src: string, funcs: Record<string, TemplateFunc> = DOCKER_FUNCS): Template {
  return new Template(src, funcs);
}
