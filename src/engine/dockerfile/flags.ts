/**
 * Instruction flags (`--from=…`, `--link`, `--mount=…`) validated as BuildKit's `BFlags` does
 * (moby/buildkit frontend/dockerfile/instructions/bflag.go), plus the two value syntaxes flags use:
 * Go durations (HEALTHCHECK) and `RUN --mount` specs (instructions/commands_runmount.go).
 */

import { suggest } from './errors.ts';

type FlagType = 'bool' | 'string' | 'strings';

/** A rejected flag word; `index` is its position among the instruction's flags. */
export class FlagError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

interface FlagDef {
  type: FlagType;
  value: string;
  values: string[];
  set: boolean;
}

/** The flags one instruction accepts; `parse()` fills them from the node's flag words. */
export class BuildFlags {
  private readonly defs = new Map<string, FlagDef>();

  constructor(private readonly words: readonly string[]) {}

  /** Declare a boolean flag (`--link`, `--link=true`). */
  addBool(name: string, def = false): this {
    this.defs.set(name, { type: 'bool', value: String(def), values: [], set: false });
    return this;
  }
  /** Declare a string flag (`--from=build`). */
  addString(name: string, def = ''): this {
    this.defs.set(name, { type: 'string', value: def, values: [], set: false });
    return this;
  }
  /** Declare a repeatable flag (`--mount=…`, `--exclude=…`). */
  addStrings(name: string): this {
    this.defs.set(name, { type: 'strings', value: '', values: [], set: false });
    return this;
  }

  /** Check the flag words; throws with BuildKit's wording (`unknown flag: foo (did you mean from?)`). */
  parse(): this {
    for (let index = 0; index < this.words.length; index++) {
      try {
        if (this.parseWord(this.words[index])) return this;
      } catch (e) {
        throw new FlagError((e as Error).message, index);
      }
    }
    return this;
  }

  /** Apply one flag word; true when it was the `--` terminator. */
  private parseWord(word: string): boolean {
    if (!word.startsWith('--')) throw new Error(`arg should start with -- : ${word}`);
    if (word === '--') return true;
    let name = word.slice(2);
    let value = '';
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const def = this.defs.get(name);
    if (!def) {
      const s = suggest(name, [...this.defs.keys()], true);
      throw new Error(`unknown flag: ${name}${s ? ` (did you mean ${s}?)` : ''}`);
    }
    if (def.set && def.type !== 'strings') throw new Error(`duplicate flag specified: ${name}`);
    def.set = true;
    if (def.type === 'bool') {
      if (eq >= 0 && value === '') throw new Error(`missing a value on flag: ${name}`);
      const lower = value.toLowerCase();
      if (lower === '') def.value = 'true';
      else if (lower === 'true' || lower === 'false') def.value = lower;
      else throw new Error(`expecting boolean value for flag ${name}, not: ${value}`);
    } else {
      if (eq < 0) throw new Error(`missing a value on flag: ${name}`);
      if (def.type === 'string') def.value = value;
      else def.values.push(value);
    }
    return false;
  }

  /** A boolean flag's value. */
  bool(name: string): boolean {
    return this.defs.get(name)?.value === 'true';
  }
  /** A string flag's value, undefined when not given and without a default. */
  string(name: string): string | undefined {
    const d = this.defs.get(name);
    if (!d || (!d.set && d.value === '')) return undefined;
    return d.value;
  }
  /** Every value of a repeatable flag, in order. */
  strings(name: string): string[] {
    return [...(this.defs.get(name)?.values ?? [])];
  }
  /** Whether the flag was written at all. */
  isSet(name: string): boolean {
    return this.defs.get(name)?.set ?? false;
  }
}

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Parse a Go duration (`30s`, `1m30s`, `1.5h`, `0`) into nanoseconds, as time.ParseDuration. */
export function parseGoDuration(text: string): number {
  const bad = () => new Error(`time: invalid duration "${text}"`);
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw bad();
  let total = 0;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s);
    if (!m || (m[1] === '' && (m[2] === undefined || m[2] === ''))) throw bad();
    s = s.slice(m[0].length);
    const u = /^[^\d.]+/.exec(s);
    if (!u) throw new Error(`time: missing unit in duration "${text}"`);
    const unit = UNIT_NS[u[0]];
    if (unit === undefined) throw new Error(`time: unknown unit "${u[0]}" in duration "${text}"`);
    s = s.slice(u[0].length);
    total += Number(`${m[1] || '0'}.${m[2] || '0'}`) * unit;
  }
  return sign * Math.round(total);
}

/** One `RUN --mount=…` as BuildKit reads it. */
export interface RunMount {
  type: 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';
  /** Where the mount appears in the RUN container. */
  target: string;
  /** Path in the source (stage, image or context); for secrets the secret file. */
  source?: string;
  /** Stage or image to mount from (bind, cache). */
  from?: string;
  readonly: boolean;
  /** Cache/secret/ssh id. */
  id?: string;
  /** Cache sharing mode. */
  sharing?: 'shared' | 'private' | 'locked';
  /** File mode (octal in the spec). */
  mode?: number;
  uid?: number;
  gid?: number;
  /** Secret/ssh must exist. */
  required?: boolean;
  /** tmpfs size in bytes. */
  size?: number;
  /** Secret exposed as this environment variable. */
  env?: string;
}

const MOUNT_TYPES = new Set(['bind', 'cache', 'tmpfs', 'secret', 'ssh']);

function parseBoolValue(key: string, v: string | undefined): boolean {
  if (v === undefined) return true;
  const l = v.toLowerCase();
  if (l === 'true' || l === '1') return true;
  if (l === 'false' || l === '0') return false;
  throw new Error(`invalid value for ${key}: ${v}`);
}

/**
 * Parse one `--mount` value (comma-separated `key=value`, keys case-insensitive, type bind by default)
 * with BuildKit's defaults: read-only bind mounts, `sharing=shared` caches keyed by target, secrets
 * at `/run/secrets/<id>`, ssh at `/run/buildkit/ssh_agent.<n>`.
 * Simulation: size suffixes and some error wordings are approximations of BuildKit's.
 */
export function parseMountSpec(spec: string, sshIndex = 0): RunMount {
  const fields = spec.split(',').filter((f) => f !== '');
  const raw: Record<string, string | undefined> = {};
  let type = 'bind';
  for (const f of fields) {
    const eq = f.indexOf('=');
    const key = (eq < 0 ? f : f.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? undefined : f.slice(eq + 1);
    if (key === 'type') {
      if (!value || !MOUNT_TYPES.has(value.toLowerCase())) throw new Error(`unsupported mount type "${value ?? ''}"`);
      type = value.toLowerCase();
      continue;
    }
    raw[key] = value;
  }
  const m: RunMount = { type: type as RunMount['type'], target: '', readonly: type === 'bind' };
  for (const [key, value] of Object.entries(raw)) {
    const need = () => {
      if (value === undefined) throw new Error(`invalid field '${key}' must be a key=value pair`);
      return value;
    };
    switch (key) {
      case 'target':
      case 'dst':
      case 'destination':
        m.target = need();
        break;
      case 'source':
      case 'src':
        m.source = need();
        break;
      case 'from':
        m.from = need();
        break;
      case 'readonly':
      case 'ro':
        m.readonly = parseBoolValue(key, value);
        break;
      case 'readwrite':
      case 'rw':
        m.readonly = !parseBoolValue(key, value);
        break;
      case 'required':
        m.required = parseBoolValue(key, value);
        break;
      case 'id':
        m.id = need();
        break;
      case 'env':
        m.env = need();
        break;
      case 'sharing': {
        const v = need().toLowerCase();
        if (v !== 'shared' && v !== 'private' && v !== 'locked') throw new Error(`unsupported sharing value "${v}"`);
        m.sharing = v;
        break;
      }
      case 'mode': {
        const n = parseInt(need(), 8);
        if (Number.isNaN(n)) throw new Error(`invalid value for mode: ${value}`);
        m.mode = n;
        break;
      }
      case 'uid':
      case 'gid': {
        const n = Number(need());
        if (!Number.isInteger(n) || n < 0) throw new Error(`invalid value for ${key}: ${value}`);
        m[key] = n;
        break;
      }
      case 'size': {
        const sm = /^(\d+)([kmg]?)b?$/i.exec(need());
        if (!sm) throw new Error(`invalid value for size: ${value}`);
        const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[sm[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
        m.size = Number(sm[1]) * mult;
        break;
      }
      default:
        throw new Error(`unexpected key '${key}' in '${spec}'`);
    }
  }
  if (m.type === 'secret') {
    if (!m.id && m.source) m.id = m.source.split('/').pop();
    if (!m.target && !m.env) {
      if (!m.id) throw new Error('one of source, target required');
      m.target = `/run/secrets/${m.id}`;
    }
  } else if (m.type === 'ssh') {
    m.id ??= 'default';
    m.target ||= `/run/buildkit/ssh_agent.${sshIndex}`;
  } else if (!m.target) {
    throw new Error(`mount type ${m.type} requires a target`);
  }
  if (m.type === 'cache') {
    m.sharing ??= 'shared';
    m.id ??= m.target;
  }
  return m;
}
