/**
 * The parts of Python packaging pip's resolver needs here: requirement strings (PEP 508:
 * `name[extra1,extra2] >=1.0,<2 ; python_version >= "3.8"`), version order and specifiers
 * (PEP 440: `==`, `!=`, `<`, `<=`, `>`, `>=`, `~=`, `===`, `==1.2.*`) and environment markers.
 *
 * Simulation: versions compare by release numbers, then pre-release (a < b < rc < final), post and
 * dev parts; local labels (`+dfsg`) are ignored. Markers are evaluated for CPython on Linux x86_64.
 */

/** A parsed requirement. */
export interface Requirement {
  /** As written (`Werkzeug`). */
  name: string;
  /** PEP 503 normalised (`werkzeug`): how the catalog and site-packages are keyed. */
  key: string;
  extras: string[];
  /** The specifier text (`>=3.1.0`, or '' for any version). */
  specifier: string;
  marker?: string;
  /** The text before the marker, as pip prints it in `Collecting Werkzeug>=3.1.0 (from flask)`. */
  text: string;
}

/** PEP 503 name normalisation. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Parses one requirement; undefined if it is not one (a URL, an option line, garbage). */
export function parseRequirement(s: string): Requirement | undefined {
  const [head, ...rest] = s.split(';');
  const marker = rest.join(';').trim() || undefined;
  const m = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*\(?([^)]*)\)?\s*$/.exec(head);
  if (!m) return undefined;
  const specifier = m[3].replace(/\s+/g, '');
  if (specifier && !/^(===?|~=|!=|<=?|>=?)/.test(specifier)) return undefined;
  const extras = m[2] ? m[2].split(',').map((x) => x.trim()).filter(Boolean) : [];
  const text = head.trim().replace(/\s+/g, '');
  return { name: m[1], key: normalizeName(m[1]), extras, specifier, marker, text };
}

interface ParsedVersion {
  release: number[];
  pre?: [number, number];
  post?: number;
  dev?: number;
}

function parseVersion(v: string): ParsedVersion | undefined {
  const m = /^\s*v?(?:\d+!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|rc|c|pre|preview)[-_.]?(\d*))?(?:(?:-(\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\d*)))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+[a-z0-9.]+)?\s*$/i.exec(v);
  if (!m) return undefined;
  const preKind = m[2]?.toLowerCase();
  const preRank = preKind === undefined ? undefined : preKind.startsWith('a') ? 0 : preKind.startsWith('b') ? 1 : 2;
  return {
    release: m[1].split('.').map(Number),
    pre: preRank === undefined ? undefined : [preRank, Number(m[3] || 0)],
    post: m[4] !== undefined ? Number(m[4]) : m[5] !== undefined ? Number(m[6] || 0) : undefined,
    dev: m[7] !== undefined ? Number(m[7] || 0) : undefined,
  };
}

/** PEP 440 order: negative if a < b. Unparseable versions compare as text. */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) return a < b ? -1 : a > b ? 1 : 0;
  for (let i = 0; i < Math.max(x.release.length, y.release.length); i++) {
    const d = (x.release[i] ?? 0) - (y.release[i] ?? 0);
    if (d) return d;
  }
  // dev-only < pre < final < post.
  const phase = (p: ParsedVersion) => (p.pre ? 1 : p.dev !== undefined && p.post === undefined ? 0 : 2);
  const d = phase(x) - phase(y);
  if (d) return d;
  if (x.pre && y.pre) {
    const e = x.pre[0] - y.pre[0] || x.pre[1] - y.pre[1];
    if (e) return e;
  }
  const post = (x.post ?? -1) - (y.post ?? -1);
  if (post) return post;
  return (x.dev ?? Infinity) - (y.dev ?? Infinity) || 0;
}

/** True if `version` satisfies every clause of `specifier` (`>=1.2,<2`, `==1.*`, `~=2.2`). */
export function satisfies(version: string, specifier: string): boolean {
  if (!specifier) return true;
  return specifier.split(',').every((clause) => {
    const m = /^(===|==|~=|!=|<=|>=|<|>)\s*(.+)$/.exec(clause.trim());
    if (!m) return false;
    const [, op, want] = m;
    if (op === '===') return version === want;
    if ((op === '==' || op === '!=') && want.endsWith('.*')) {
      const prefix = want.slice(0, -2).split('.').map(Number);
      const rel = parseVersion(version)?.release ?? [];
      const match = prefix.every((n, i) => (rel[i] ?? 0) === n);
      return op === '==' ? match : !match;
    }
    const c = compareVersions(version, want);
    switch (op) {
      case '==': return c === 0;
      case '!=': return c !== 0;
      case '<': return c < 0;
      case '<=': return c <= 0;
      case '>': return c > 0;
      case '>=': return c >= 0;
      case '~=': {
        const parts = want.split('.');
        const upper = parts.slice(0, Math.max(1, parts.length - 1));
        return c >= 0 && satisfies(version, `==${upper.join('.')}.*`);
      }
    }
    return false;
  });
}

/** The environment markers are evaluated against (PEP 508 names). */
export interface MarkerEnv {
  python_version: string;
  python_full_version: string;
  extras: string[];
}

/**
 * Evaluates a marker (`python_version < "3.10" and sys_platform != "win32"`, `extra == "async"`).
 * An expression it cannot read counts as true, so a dependency is installed rather than lost.
 */
export function evaluateMarker(marker: string | undefined, env: MarkerEnv): boolean {
  if (!marker) return true;
  const vars: Record<string, string> = {
    python_version: env.python_version, python_full_version: env.python_full_version, sys_platform: 'linux', platform_system: 'Linux',
    os_name: 'posix', platform_machine: 'x86_64', platform_python_implementation: 'CPython', implementation_name: 'cpython',
    implementation_version: env.python_full_version, platform_release: '', platform_version: '',
  };
  const tokens = marker.match(/\(|\)|"[^"]*"|'[^']*'|[A-Za-z_]+|===|==|!=|<=|>=|~=|<|>|not in|in/g) ?? [];
  let i = 0;
  const value = (t: string): { v: string; isVersion: boolean } => {
    if (/^["']/.test(t)) return { v: t.slice(1, -1), isVersion: false };
    return { v: t === 'extra' ? '\0extra' : vars[t] ?? '', isVersion: /version/.test(t) };
  };
  const compare = (l: { v: string; isVersion: boolean }, op: string, r: { v: string; isVersion: boolean }): boolean => {
    if (l.v === '\0extra' || r.v === '\0extra') {
      const other = normalizeName(l.v === '\0extra' ? r.v : l.v);
      const has = env.extras.map(normalizeName).includes(other);
      return op === '==' ? has : op === '!=' ? !has : false;
    }
    if (op === 'in') return r.v.includes(l.v);
    if (op === 'not') return !r.v.includes(l.v);
    if (l.isVersion || r.isVersion) {
      if (r.isVersion) return satisfies(r.v, `${({ '<': '>', '>': '<', '<=': '>=', '>=': '<=' } as Record<string, string>)[op] ?? op}${l.v}`);
      return satisfies(l.v, `${op}${r.v}`);
    }
    return op === '==' ? l.v === r.v : op === '!=' ? l.v !== r.v : true;
  };
  const atom = (): boolean => {
    if (tokens[i] === '(') {
      i++;
      const v = or();
      i++;
      return v;
    }
    const l = value(tokens[i++] ?? '');
    let op = tokens[i++] ?? '==';
    if (op === 'not in') op = 'not';
    const r = value(tokens[i++] ?? '');
    return compare(l, op, r);
  };
  const and = (): boolean => {
    let v = atom();
    while (tokens[i] === 'and') {
      i++;
      v = atom() && v;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (tokens[i] === 'or') {
      i++;
      v = and() || v;
    }
    return v;
  };
  try {
    return or();
  } catch {
    return true;
  }
}
