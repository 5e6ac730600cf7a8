/**
 * The YAML pnpm's lockfiles are written in: scalars quoted as js-yaml's dump quotes them (pnpm
 * writes pnpm-lock.yaml with js-yaml), flow maps and lists on one line, and a reader for the
 * block-mapping subset such files use (2-space indents, `- item` lists, quoted keys).
 */
const PLAIN_UNSAFE_START = /^[-?:,[\]{}#&*!|>'"%@`\s]/;
const YAML_KEYWORD = /^(?:true|false|null|~|yes|no|on|off|y|n)$/i;
const NUMBER_LIKE = /^[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$|^0x[0-9a-f]+$|^0o[0-7]+$|^[-+]?\.(?:inf|nan)$/i;

/** A scalar as js-yaml writes it in block context: plain when that reads back as the same string, else single-quoted. */
export function yamlScalar(s: string, flow = false): string {
  const unsafe = s === '' || PLAIN_UNSAFE_START.test(s) || /\s$/.test(s) || s.includes(': ') || s.includes(' #') || s.endsWith(':') || YAML_KEYWORD.test(s) || NUMBER_LIKE.test(s) || (flow && /[,[\]{}]/.test(s));
  return unsafe ? `'${s.replace(/'/g, "''")}'` : s;
}

export const flowMap = (o: Record<string, string>) => `{${Object.entries(o).map(([k, v]) => `${yamlScalar(k, true)}: ${yamlScalar(v, true)}`).join(', ')}}`;
export const flowList = (l: string[]) => `[${l.map((x) => yamlScalar(x, true)).join(', ')}]`;

export type YamlValue = string | boolean | YamlMap | string[];
export interface YamlMap { [k: string]: YamlValue }

function unquote(s: string): string {
  s = s.trim();
  if (s.startsWith("'") && s.endsWith("'") && s.length >= 2) return s.slice(1, -1).replace(/''/g, "'");
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) return JSON.parse(s) as string;
  return s;
}

/** Splits `a: b, c: d` at top-level commas (quotes respected). */
function splitFlow(s: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let q = '';
  for (const ch of s) {
    if (q) { if (ch === q) q = ''; cur += ch; continue; }
    if (ch === "'" || ch === '"') { q = ch; cur += ch; continue; }
    if (ch === ',') { parts.push(cur); cur = ''; continue; }
    cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts;
}

/** The key of `key: value` (quoted keys may hold `: `). */
function splitKey(line: string): [string, string] | undefined {
  const t = line.trimStart();
  if (t.startsWith("'") || t.startsWith('"')) {
    const q = t[0];
    let i = 1;
    for (; i < t.length; i++) {
      if (t[i] === q) {
        if (q === "'" && t[i + 1] === "'") { i++; continue; }
        break;
      }
    }
    const rest = t.slice(i + 1);
    if (!rest.startsWith(':')) return undefined;
    return [unquote(t.slice(0, i + 1)), rest.slice(1).trim()];
  }
  const m = /^([^:]+?):(?:\s+(.*))?$/.exec(t);
  return m ? [m[1], (m[2] ?? '').trim()] : undefined;
}

function scalarValue(v: string): YamlValue {
  if (v.startsWith('{') && v.endsWith('}')) {
    const o: YamlMap = {};
    for (const part of splitFlow(v.slice(1, -1))) {
      const kv = splitKey(part);
      if (kv) o[kv[0]] = unquote(kv[1]);
    }
    return o;
  }
  if (v.startsWith('[') && v.endsWith(']')) return splitFlow(v.slice(1, -1)).map(unquote);
  if (v === 'true') return true;
  if (v === 'false') return false;
  return unquote(v);
}

/** Parses the block-mapping YAML pnpm writes (2-space indents, flow maps and lists on one line). Throws on what it cannot read. */
export function parseYamlMap(text: string): YamlMap {
  const root: YamlMap = {};
  const stack: { indent: number; map: YamlMap; parent?: YamlMap; key?: string }[] = [{ indent: -1, map: root }];
  for (const raw of text.split('\n')) {
    if (!raw.trim() || raw.trimStart().startsWith('#')) continue;
    const indent = raw.length - raw.trimStart().length;
    const item = /^\s*- (.*)$/.exec(raw);
    if (item) {
      // A block sequence item (transitivePeerDependencies): the key that opened it holds a list.
      while (stack.length > 1 && indent < stack[stack.length - 1].indent) stack.pop();
      const top = stack[stack.length - 1];
      if (!top.parent || !top.key) throw new Error(`cannot read line: ${raw.trim()}`);
      const list = Array.isArray(top.parent[top.key]) ? (top.parent[top.key] as string[]) : (top.parent[top.key] = []);
      (list as string[]).push(unquote(item[1]));
      continue;
    }
    const kv = splitKey(raw);
    if (!kv) throw new Error(`cannot read line: ${raw.trim()}`);
    while (stack.length > 1 && indent <= stack[stack.length - 1].indent) stack.pop();
    const parent = stack[stack.length - 1].map;
    const [k, v] = kv;
    if (v === '') {
      const child: YamlMap = {};
      parent[k] = child;
      stack.push({ indent, map: child, parent, key: k });
    } else parent[k] = scalarValue(v);
  }
  return root;
}
