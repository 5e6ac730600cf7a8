/**
 * npm's install tree over the offline catalog: resolve package.json ranges to versions, place each
 * package in node_modules as npm's hoisting does, and read/write package-lock.json (lockfileVersion 3).
 *
 * Simulation: placement is a simplified arborist — a dependency goes to the top-level node_modules
 * unless a different version of the same name is already visible from its dependent, in which
 * case it nests under that dependent; peer dependencies are installed like dependencies (npm ≥7);
 * optional platform packages are kept only for linux/x64 (and the image's libc).
 */
import { loadSemver } from './semver.ts';
import type { NpmCatalog, NpmVersion } from './npm-catalog.ts';

export interface TreeNode {
  /** `node_modules/a` or `node_modules/a/node_modules/b`. */
  location: string;
  /** The folder name (an alias for `npm:` specs). */
  name: string;
  /** The registry package (differs from `name` for an alias). */
  pkg: string;
  version: string;
  meta: NpmVersion;
  dev: boolean;
  optional: boolean;
}

export interface RootManifest {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  [k: string]: unknown;
}

export class ResolveFailure extends Error {
  constructor(
    readonly kind: 'no-package' | 'no-version',
    readonly pkg: string,
    readonly range: string,
  ) {
    super(`${kind} ${pkg}@${range}`);
  }
}

/** The location of the package whose node_modules holds `loc` ('' for the top level). */
export const parentOf = (loc: string) => {
  const i = loc.lastIndexOf('/node_modules/');
  return i < 0 ? '' : loc.slice(0, i);
};
const childLoc = (parent: string, name: string) => (parent ? `${parent}/node_modules/${name}` : `node_modules/${name}`);

/**
 * Builds the tree for a root manifest. `locked` (name → version at top level, from an existing
 * package-lock.json) is preferred where it satisfies, as `npm install` keeps locked versions.
 */
export async function buildTree(cat: NpmCatalog, root: RootManifest, opts: { libc: 'glibc' | 'musl' | 'any'; locked?: Map<string, string> }): Promise<Map<string, TreeNode>> {
  const semver = await loadSemver();
  const nodes = new Map<string, TreeNode>();
  const queue: { parent: string; name: string; range: string; dev: boolean; optional: boolean }[] = [];
  for (const [n, r] of Object.entries(root.dependencies ?? {})) queue.push({ parent: '', name: n, range: r, dev: false, optional: false });
  for (const [n, r] of Object.entries(root.optionalDependencies ?? {})) queue.push({ parent: '', name: n, range: r, dev: false, optional: true });
  for (const [n, r] of Object.entries(root.devDependencies ?? {})) if (!root.dependencies?.[n]) queue.push({ parent: '', name: n, range: r, dev: true, optional: false });
  for (let qi = 0; qi < queue.length; qi++) {
    const q = queue[qi];
    // Node's lookup from the dependent: its own node_modules, then each ancestor's.
    let visible: TreeNode | undefined;
    for (let p: string | undefined = q.parent; p !== undefined; p = p === '' ? undefined : parentOf(p)) {
      const hit = nodes.get(childLoc(p, q.name));
      if (hit) { visible = hit; break; }
    }
    const wanted = q.range.startsWith('npm:') ? q.range.slice(q.range.lastIndexOf('@') + 1) : q.range;
    if (visible && (q.range === 'latest' || q.range === '*' || satisfiesRange(semver, visible.version, wanted))) {
      if (!q.dev) visible.dev = false;
      if (!q.optional) visible.optional = false;
      continue;
    }
    const alias = /^npm:((?:@[^/]+\/)?[^@]+)(?:@(.*))?$/.exec(q.range);
    const pkg = alias ? alias[1] : q.name;
    const range = alias ? alias[2] || 'latest' : q.range;
    const lockedV = opts.locked?.get(q.name);
    let picked: { version: string; meta: NpmVersion } | 'no-package' | 'no-version';
    const want = !visible && lockedV && !alias && semver.satisfies(lockedV, range) ? lockedV : range;
    picked = cat.pickKnown(pkg, want) ?? (await cat.pick(pkg, want));
    if (typeof picked === 'string') {
      if (q.optional) continue;
      throw new ResolveFailure(picked, pkg, range);
    }
    const m = picked.meta;
    if (q.optional && !platformOk(m, opts.libc)) continue;
    const location = visible ? childLoc(q.parent, q.name) : `node_modules/${q.name}`;
    const node: TreeNode = { location, name: q.name, pkg, version: picked.version, meta: m, dev: q.dev, optional: q.optional };
    nodes.set(location, node);
    for (const [n, r] of Object.entries(m.deps ?? {})) queue.push({ parent: location, name: n, range: r, dev: q.dev, optional: q.optional });
    for (const [n, r] of Object.entries(m.peers ?? {})) queue.push({ parent: parentOf(location), name: n, range: r, dev: q.dev, optional: q.optional });
    for (const [n, r] of Object.entries(m.optional ?? {})) queue.push({ parent: location, name: n, range: r, dev: q.dev, optional: true });
  }
  // A package reached from production dependencies is not dev (npm's `dev` flag), even if a dev path reached it first.
  const prod = new Set<string>();
  const walk = (loc: string) => {
    if (prod.has(loc)) return;
    prod.add(loc);
    const n = nodes.get(loc)!;
    for (const dep of [...Object.keys(n.meta.deps ?? {}), ...Object.keys(n.meta.peers ?? {}), ...Object.keys(n.meta.optional ?? {})]) {
      const hit = resolveFrom(nodes, n.meta.peers?.[dep] ? parentOf(loc) : loc, dep);
      if (hit) walk(hit.location);
    }
  };
  for (const n of [...Object.keys(root.dependencies ?? {}), ...Object.keys(root.optionalDependencies ?? {})]) {
    const hit = nodes.get(`node_modules/${n}`);
    if (hit) walk(hit.location);
  }
  for (const n of nodes.values()) n.dev = !prod.has(n.location);
  return new Map([...nodes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const satisfied = new Map<string, boolean>();
/** `semver.satisfies` for a valid range (false for an invalid one), remembered: trees ask the same pairs again and again. */
function satisfiesRange(semver: Awaited<ReturnType<typeof loadSemver>>, version: string, range: string): boolean {
  const key = `${version}\0${range}`;
  let r = satisfied.get(key);
  if (r === undefined) {
    r = semver.validRange(range) !== null && semver.satisfies(version, range);
    if (satisfied.size > 50_000) satisfied.clear();
    satisfied.set(key, r);
  }
  return r;
}

/** The package `name` as Node's lookup from `from` finds it (its own node_modules, then each ancestor's). */
export function resolveFrom(nodes: Map<string, TreeNode>, from: string, name: string): TreeNode | undefined {
  for (let p: string | undefined = from; p !== undefined; p = p === '' ? undefined : parentOf(p)) {
    const hit = nodes.get(childLoc(p, name));
    if (hit) return hit;
  }
  return undefined;
}

/** Whether a package can be installed on linux/x64 with this libc (`any`: either, as pnpm's platform-independent lockfile resolves). */
export function platformOk(m: NpmVersion, libc: 'glibc' | 'musl' | 'any'): boolean {
  const ok = (list: string[] | undefined, want: string) =>
    !list || !list.length || list.includes(want) || (list.every((x) => x.startsWith('!')) && !list.includes('!' + want));
  return ok(m.os, 'linux') && ok(m.cpu, 'x64') && (libc === 'any' || ok(m.libc, libc));
}

const REGISTRY = 'https://registry.npmjs.org';
export const tarballUrl = (name: string, version: string) => `${REGISTRY}/${name}/-/${name.split('/').pop()}-${version}.tgz`;

/** package-lock.json (lockfileVersion 3) as npm 10 writes it; `hidden` gives node_modules/.package-lock.json. */
export function lockfile(root: RootManifest, nodes: Map<string, TreeNode>, hidden = false): string {
  const parts: string[] = [];
  if (!hidden) {
    const r: Record<string, unknown> = { name: root.name, version: root.version };
    for (const k of ['license', 'dependencies', 'devDependencies', 'optionalDependencies'] as const) if (root[k]) r[k] = root[k];
    parts.push(`    "": ${indented(r)}`);
  }
  for (const n of nodes.values()) parts.push(`    ${JSON.stringify(n.location)}: ${lockEntryText(n)}`);
  // The document as JSON.stringify(doc, null, 2) writes it, with the packages spliced in (each entry's text is kept per version).
  const head = JSON.stringify({ name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages: 0 }, null, 2);
  return head.replace(/"packages": 0\n\}$/, `"packages": ${parts.length ? `{\n${parts.join(',\n')}\n  }` : '{}'}\n}`) + '\n';
}

/** A value as JSON.stringify(…, null, 2) writes it two levels deep (inside `packages`). */
const indented = (v: unknown) => JSON.stringify(v, null, 2).replace(/\n/g, '\n    ');

/** Lock entry texts per catalog version and the flags that change them (the catalog never changes once loaded). */
const entryTexts = new WeakMap<NpmVersion, Map<string, string>>();

function lockEntryText(n: TreeNode): string {
  const m = n.meta;
  let byFlags = entryTexts.get(m);
  if (!byFlags) entryTexts.set(m, (byFlags = new Map()));
  const key = `${n.pkg}@${n.version}|${n.name !== n.pkg ? n.name : ''}|${n.dev ? 'd' : ''}${n.optional ? 'o' : ''}`;
  let text = byFlags.get(key);
  if (text !== undefined) return text;
  const e: Record<string, unknown> = n.pkg !== n.name ? { name: n.pkg } : {};
  Object.assign(e, { version: n.version, resolved: tarballUrl(n.pkg, n.version), integrity: m.integrity });
  if (n.dev) e.dev = true;
  if (n.optional) e.optional = true;
  if (m.hasInstallScript) e.hasInstallScript = true;
  if (m.license) e.license = m.license;
  if (m.deps) e.dependencies = m.deps;
  if (m.optional) e.optionalDependencies = m.optional;
  if (m.peers) e.peerDependencies = m.peers;
  if (m.bin) e.bin = m.bin;
  if (m.cpu) e.cpu = m.cpu;
  if (m.engines) e.engines = m.engines;
  if (m.funding) e.funding = {};
  if (m.libc) e.libc = m.libc;
  if (m.os) e.os = m.os;
  text = indented(e);
  byFlags.set(key, text);
  return text;
}

/** Reads the nodes of an existing package-lock.json (v2/v3 `packages`); undefined if it has none. */
export async function treeFromLock(cat: NpmCatalog, lock: { packages?: Record<string, Record<string, unknown>> }, libc: 'glibc' | 'musl'): Promise<Map<string, TreeNode> | ResolveFailure> {
  const nodes = new Map<string, TreeNode>();
  for (const [loc, e] of Object.entries(lock.packages ?? {})) {
    if (!loc.startsWith('node_modules/') || e.link) continue;
    // npm ci skips optional packages for another platform (fsevents on Linux).
    if (e.optional && !platformOk({ os: e.os as string[] | undefined, cpu: e.cpu as string[] | undefined, libc: e.libc as string[] | undefined } as NpmVersion, libc)) continue;
    const name = (e.name as string | undefined) ?? loc.slice(loc.lastIndexOf('node_modules/') + 13);
    const version = String(e.version ?? '');
    const picked = cat.pickKnown(name, version) ?? (await cat.pick(name, version));
    if (typeof picked === 'string') return new ResolveFailure(picked, name, version);
    nodes.set(loc, { location: loc, name: loc.slice(loc.lastIndexOf('node_modules/') + 13), pkg: name, version, meta: picked.meta, dev: !!e.dev, optional: !!e.optional });
  }
  return nodes;
}
