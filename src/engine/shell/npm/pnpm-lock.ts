/**
 * pnpm's dependency graph and its lockfile (pnpm-lock.yaml, lockfileVersion '9.0', as pnpm 9 and
 * 10 write it): `importers` (the project's specifiers and the versions they resolved to),
 * `packages` (one entry per name@version: `resolution: {integrity: …}`, engines, cpu/os/libc,
 * hasBin, peerDependencies) and `snapshots` (one per dependency path, i.e. name@version plus the
 * peers it was resolved with: its own dependency edges).
 *
 * The graph comes from the npm model's resolution (npm-tree.ts `buildTree`): each installed
 * package's edges are what Node's lookup finds from its place in that tree, so the .pnpm layout
 * is built from who depends on whom, not from npm's hoisted locations.
 *
 * Optional peers (the registry's peerDependenciesMeta and @yarnpkg/extensions' additions, which
 * pnpm applies by default: debug@<4.2.0 gains `supports-color`) are listed in `packages` and in
 * every ancestor's `transitivePeerDependencies` that does not depend on them itself (resolved or not).
 *
 * Simulation: @yarnpkg/extensions entries that add dependencies are not applied; a peer suffix is one level deep (`react-dom@18.3.1(react@18.3.1)`; pnpm nests the
 * peers' own suffixes); where npm's tree holds the same name@version twice with different edges,
 * the first one found (breadth first) gives the snapshot (pnpm resolves every range to the highest
 * match, so such splits are rare).
 */
import { parentOf, platformOk, resolveFrom, type RootManifest, type TreeNode } from './npm-tree.ts';
import type { NpmCatalog, NpmVersion } from './npm-catalog.ts';
import { PACKAGE_EXTENSION_PEERS } from './package-extensions.ts';
import { flowList, flowMap, parseYamlMap, yamlScalar, type YamlMap, type YamlValue } from './pnpm-yaml.ts';
import type { loadSemver } from './semver.ts';

type Semver = Awaited<ReturnType<typeof loadSemver>>;

/**
 * A package's optional peers as pnpm sees them: the registry's (peerDependenciesMeta) and those
 * @yarnpkg/extensions adds (`debug@<4.2.0` → `supports-color`); a peer named only in the meta
 * has the range '*'.
 */
export function optionalPeersOf(semver: Semver, name: string, version: string, meta: NpmVersion): Record<string, string> {
  const out: Record<string, string> = { ...(meta.optionalPeers ?? {}) };
  for (const [selector, peers, optional] of PACKAGE_EXTENSION_PEERS) {
    const at = selector.lastIndexOf('@');
    if (selector.slice(0, at) !== name || !semver.satisfies(version, selector.slice(at + 1))) continue;
    for (const peer of optional) if (!meta.peers?.[peer]) out[peer] = peers[peer] ?? out[peer] ?? '*';
  }
  return out;
}

/** One snapshot: a package at a version with the peers it was resolved with. */
export interface PnpmPackage {
  /** `name@version` plus `(peer@version)` suffixes: the snapshot key and .pnpm folder source. */
  depPath: string;
  /** `name@version`: the `packages` key (the same files whatever the peers). */
  pkgId: string;
  name: string;
  version: string;
  meta: NpmVersion;
  /** Dependency name (or alias) → the depPath it resolves to. */
  deps: Map<string, string>;
  optionalDeps: Map<string, string>;
  /** Reached only through optional dependencies (`optional: true` in the snapshot). */
  optional: boolean;
  /** Reached only through devDependencies (pnpm's lockfile does not record it; installs with --prod skip these). */
  dev: boolean;
  /** Optional peers (the registry's peerDependenciesMeta plus @yarnpkg/extensions'): name → range. */
  optionalPeers: Record<string, string>;
  /** Optional peers of the packages below this one that it does not provide (the snapshot's transitivePeerDependencies). */
  transitivePeers: string[];
}

export type DepField = 'dependencies' | 'devDependencies' | 'optionalDependencies';
export const DEP_FIELDS: DepField[] = ['dependencies', 'devDependencies', 'optionalDependencies'];

/** The project's direct dependencies: name → specifier (the range in package.json) and the depPath it resolved to. */
export type PnpmImporter = Record<DepField, Map<string, { specifier: string; depPath: string }>>;

export interface PnpmGraph {
  importer: PnpmImporter;
  packages: Map<string, PnpmPackage>;
}

/** A direct or transitive edge's value as the lockfile writes it: the version (with peers) for the same name, the whole depPath for an alias. */
export function refOf(alias: string, depPath: string): string {
  return depPath.startsWith(`${alias}@`) ? depPath.slice(alias.length + 1) : depPath;
}

/** The depPath an edge value names (inverse of refOf). */
export function depPathOf(alias: string, ref: string): string {
  return /^\d/.test(ref) ? `${alias}@${ref}` : ref;
}

/** `name@version` of a depPath (its peers suffix dropped). */
export function pkgIdOf(depPath: string): string {
  const i = depPath.indexOf('(');
  return i < 0 ? depPath : depPath.slice(0, i);
}

/** Splits `name@version` (scoped names keep their leading `@`). */
export function splitPkgId(pkgId: string): { name: string; version: string } {
  const at = pkgId.indexOf('@', 1);
  return { name: pkgId.slice(0, at), version: pkgId.slice(at + 1) };
}

/**
 * The folder a depPath gets under node_modules/.pnpm (pnpm's `depPathToFilename`, virtual store
 * names up to 120 characters): `/` → `+`, peers `(a@1)(b@2)` → `_a@1_b@2`.
 * Simulation: a name too long or with capitals is cut and given a hash suffix by pnpm (sha256);
 * here the suffix is a 32-hex FNV-based digest of the same text.
 */
export function depPathToFilename(depPath: string, maxLength = 120): string {
  let filename = depPath.replace(/[\\/:*?"<>|#]/g, '+');
  if (filename.includes('(')) filename = filename.replace(/\)$/, '').replace(/\)\(|\(|\)/g, '_');
  if (filename.length > maxLength || filename !== filename.toLowerCase()) return `${filename.substring(0, maxLength - 33)}_${shortHash(filename)}`;
  return filename;
}

function shortHash(s: string): string {
  let out = '';
  for (let k = 0; k < 4; k++) {
    let h = 0x811c9dc5 ^ k;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    out += (h >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}

/** The pnpm graph of an npm-model tree (see the module comment). */
export function graphFromTree(semver: Semver, root: RootManifest, tree: Map<string, TreeNode>): PnpmGraph {
  const optionalOf = new Map<TreeNode, Record<string, string>>();
  const optional = (n: TreeNode) => {
    let o = optionalOf.get(n);
    if (!o) optionalOf.set(n, (o = optionalPeersOf(semver, n.pkg, n.version, n.meta)));
    return o;
  };
  const keyOf = (n: TreeNode) => `${n.pkg}@${n.version}`;
  // Each package's own dependency edges (where Node's lookup from its folder finds them), and who depends on each name@version.
  const edges = new Map<TreeNode, { deps: Map<string, TreeNode>; optional: Map<string, TreeNode> }>();
  const dependents = new Map<string, TreeNode[]>();
  for (const n of tree.values()) {
    const e = { deps: new Map<string, TreeNode>(), optional: new Map<string, TreeNode>() };
    for (const [field, into] of [[n.meta.deps, e.deps], [n.meta.optional, e.optional]] as const) {
      for (const name of Object.keys(field ?? {})) {
        const hit = resolveFrom(tree, n.location, name);
        if (!hit) continue;
        into.set(name, hit);
        (dependents.get(keyOf(hit)) ?? dependents.set(keyOf(hit), []).get(keyOf(hit))!).push(n);
      }
    }
    edges.set(n, e);
  }
  const direct = new Map<string, TreeNode>();
  for (const field of DEP_FIELDS) for (const name of Object.keys(root[field] ?? {})) {
    const hit = tree.get(`node_modules/${name}`);
    if (hit) direct.set(name, hit);
  }
  const directKeys = new Set([...direct.values()].map(keyOf));
  /**
   * Where a peer comes from. A required peer: where Node's lookup from the dependent's folder finds
   * it (npm ≥ 7 and pnpm's auto-install-peers both install it). An optional peer: only a package
   * that depends on this one and itself depends on the peer (or the project, for its own direct
   * dependency) provides it; pnpm does not install an optional peer nobody asked for.
   */
  const providerOf = (n: TreeNode, name: string): TreeNode | undefined => {
    if (n.meta.peers?.[name]) return resolveFrom(tree, parentOf(n.location), name);
    for (const d of dependents.get(keyOf(n)) ?? []) {
      const hit = edges.get(d)!.deps.get(name) ?? edges.get(d)!.optional.get(name);
      if (hit) return hit;
    }
    return directKeys.has(keyOf(n)) ? direct.get(name) : undefined;
  };
  const peerNamesOf = (n: TreeNode) => [...Object.keys(n.meta.peers ?? {}), ...Object.keys(optional(n))];
  const depPathAt = new Map<string, string>();
  const depPathOfNode = (n: TreeNode): string => {
    let p = depPathAt.get(n.location);
    if (p) return p;
    const peers = peerNamesOf(n)
      .map((name) => providerOf(n, name))
      .filter((x): x is TreeNode => !!x)
      .map(keyOf)
      .sort();
    p = `${keyOf(n)}${peers.map((x) => `(${x})`).join('')}`;
    depPathAt.set(n.location, p);
    return p;
  };
  const packages = new Map<string, PnpmPackage>();
  /** Per depPath: its regular edges (what transitivePeerDependencies walk; peers come from above) and its optional peers' names. */
  const regular = new Map<string, string[]>();
  const optionalPeerNames = new Map<string, string[]>();
  // Breadth first (shallow locations first), so the first node of a depPath is the one nearest the root.
  const nodes = [...tree.values()].sort((a, b) => a.location.split('/node_modules/').length - b.location.split('/node_modules/').length || (a.location < b.location ? -1 : 1));
  for (const n of nodes) {
    const depPath = depPathOfNode(n);
    const old = packages.get(depPath);
    if (old) {
      old.dev &&= n.dev;
      old.optional &&= n.optional;
      continue;
    }
    const e = edges.get(n)!;
    const deps = new Map<string, string>([...e.deps].map(([name, t]) => [name, depPathOfNode(t)]));
    const optionalDeps = new Map<string, string>([...e.optional].map(([name, t]) => [name, depPathOfNode(t)]));
    regular.set(depPath, [...deps.values(), ...optionalDeps.values()]);
    // A resolved peer is listed with the dependencies; an optional one with the optional dependencies.
    for (const name of peerNamesOf(n)) {
      const hit = providerOf(n, name);
      if (hit) (optional(n)[name] && !n.meta.peers?.[name] ? optionalDeps : deps).set(name, depPathOfNode(hit));
    }
    optionalPeerNames.set(depPath, Object.keys(optional(n)));
    packages.set(depPath, { depPath, pkgId: keyOf(n), name: n.pkg, version: n.version, meta: n.meta, deps: sortMap(deps), optionalDeps: sortMap(optionalDeps), optional: n.optional, dev: n.dev, optionalPeers: optional(n), transitivePeers: [] });
  }
  // transitivePeerDependencies: the optional peers of the packages below one (resolved or not) that it does not provide itself.
  const below = new Map<string, Set<string>>();
  const visit = (d: string, path: Set<string>): Set<string> => {
    const known = below.get(d);
    if (known) return known;
    const p = packages.get(d);
    const acc = new Set<string>();
    if (!p || path.has(d)) return acc;
    path.add(d);
    for (const child of regular.get(d) ?? []) {
      for (const x of optionalPeerNames.get(child) ?? []) acc.add(x);
      for (const x of visit(child, path)) acc.add(x);
    }
    path.delete(d);
    for (const name of p.deps.keys()) acc.delete(name);
    below.set(d, acc);
    return acc;
  };
  for (const p of packages.values()) p.transitivePeers = [...visit(p.depPath, new Set())].sort();
  const importer = emptyImporter();
  for (const field of DEP_FIELDS) {
    for (const [name, specifier] of Object.entries(root[field] ?? {})) {
      if (field === 'devDependencies' && root.dependencies?.[name]) continue;
      const hit = tree.get(`node_modules/${name}`);
      if (hit) importer[field].set(name, { specifier, depPath: depPathOfNode(hit) });
    }
    importer[field] = sortMap(importer[field]);
  }
  return { importer, packages: new Map([...packages].sort(([a], [b]) => (a < b ? -1 : 1))) };
}

export function emptyImporter(): PnpmImporter {
  return { dependencies: new Map(), devDependencies: new Map(), optionalDependencies: new Map() };
}

function sortMap<V>(m: Map<string, V>): Map<string, V> {
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The depPaths an install with these fields needs (all three unless `prod`), walking snapshot edges from the importer. */
export function reachable(g: PnpmGraph, opts: { prod?: boolean; optional?: boolean } = {}): Set<string> {
  const seen = new Set<string>();
  const stack: string[] = [];
  for (const field of DEP_FIELDS) {
    if (field === 'devDependencies' && opts.prod) continue;
    if (field === 'optionalDependencies' && opts.optional === false) continue;
    for (const d of g.importer[field].values()) stack.push(d.depPath);
  }
  while (stack.length) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    const pkg = g.packages.get(p);
    if (!pkg) continue;
    seen.add(p);
    for (const d of pkg.deps.values()) stack.push(d);
    if (opts.optional !== false) for (const d of pkg.optionalDeps.values()) stack.push(d);
  }
  return seen;
}

/** pnpm-lock.yaml (lockfileVersion '9.0') for a graph. */
export function writePnpmLock(g: PnpmGraph): string {
  const out: string[] = ["lockfileVersion: '9.0'", '', 'settings:', '  autoInstallPeers: true', '  excludeLinksFromLockfile: false', '', 'importers:', ''];
  const fields = DEP_FIELDS.filter((f) => g.importer[f].size);
  if (!fields.length) out.push('  .: {}');
  else {
    out.push('  .:');
    for (const f of fields) {
      out.push(`    ${f}:`);
      for (const [name, d] of g.importer[f]) out.push(`      ${yamlScalar(name)}:`, `        specifier: ${yamlScalar(d.specifier)}`, `        version: ${yamlScalar(refOf(name, d.depPath))}`);
    }
  }
  const pkgs = new Map<string, PnpmPackage>();
  for (const p of g.packages.values()) if (!pkgs.has(p.pkgId)) pkgs.set(p.pkgId, p);
  if (pkgs.size) {
    out.push('', 'packages:');
    for (const id of [...pkgs.keys()].sort()) {
      const m = pkgs.get(id)!.meta;
      out.push('', `  ${yamlScalar(id)}:`, `    resolution: ${flowMap({ integrity: m.integrity })}`);
      if (m.engines && Object.keys(m.engines).length) out.push(`    engines: ${flowMap(m.engines)}`);
      if (m.cpu) out.push(`    cpu: ${flowList(m.cpu)}`);
      if (m.os) out.push(`    os: ${flowList(m.os)}`);
      if (m.libc) out.push(`    libc: ${flowList(m.libc)}`);
      if (m.bin && Object.keys(m.bin).length) out.push('    hasBin: true');
      const optionalPeers = pkgs.get(id)!.optionalPeers;
      const peers = { ...(m.peers ?? {}), ...optionalPeers };
      if (Object.keys(peers).length) {
        out.push('    peerDependencies:');
        for (const [k, v] of Object.entries(peers).sort(([a], [b]) => (a < b ? -1 : 1))) out.push(`      ${yamlScalar(k)}: ${yamlScalar(v)}`);
      }
      if (Object.keys(optionalPeers).length) {
        out.push('    peerDependenciesMeta:');
        for (const k of Object.keys(optionalPeers).sort()) out.push(`      ${yamlScalar(k)}:`, '        optional: true');
      }
    }
    out.push('', 'snapshots:');
    for (const p of g.packages.values()) {
      const body: string[] = [];
      if (p.deps.size) {
        body.push('    dependencies:');
        for (const [k, v] of p.deps) body.push(`      ${yamlScalar(k)}: ${yamlScalar(refOf(k, v))}`);
      }
      if (p.optionalDeps.size) {
        body.push('    optionalDependencies:');
        for (const [k, v] of p.optionalDeps) body.push(`      ${yamlScalar(k)}: ${yamlScalar(refOf(k, v))}`);
      }
      if (p.transitivePeers.length) body.push('    transitivePeerDependencies:', ...p.transitivePeers.map((x) => `      - ${yamlScalar(x)}`));
      if (p.optional) body.push('    optional: true');
      out.push('', body.length ? `  ${yamlScalar(p.depPath)}:` : `  ${yamlScalar(p.depPath)}: {}`, ...body);
    }
  }
  return out.join('\n') + '\n';
}

/** Why a lockfile could not be used. */
export class LockReadError extends Error {}

/**
 * The graph of a pnpm-lock.yaml (v9), with each package's catalog metadata. Returns the missing
 * name@version when the catalog lacks one; throws LockReadError for a file it cannot read.
 */
export async function readPnpmLock(cat: NpmCatalog, text: string): Promise<PnpmGraph | { missing: string }> {
  let doc: YamlMap;
  try {
    doc = parseYamlMap(text);
  } catch (e) {
    throw new LockReadError((e as Error).message);
  }
  if (String(doc.lockfileVersion ?? '') !== '9.0') throw new LockReadError(`lockfileVersion ${String(doc.lockfileVersion ?? 'missing')}`);
  const importers = (doc.importers ?? {}) as YamlMap;
  const dot = (importers['.'] ?? {}) as YamlMap;
  const importer = emptyImporter();
  for (const f of DEP_FIELDS) {
    for (const [name, e] of Object.entries((dot[f] ?? {}) as YamlMap)) {
      const m = e as YamlMap;
      importer[f].set(name, { specifier: String(m.specifier ?? ''), depPath: depPathOf(name, String(m.version ?? '')) });
    }
  }
  const snapshots = (doc.snapshots ?? {}) as YamlMap;
  const pkgEntries = (doc.packages ?? {}) as YamlMap;
  const packages = new Map<string, PnpmPackage>();
  for (const [depPath, s] of Object.entries(snapshots)) {
    const snap = (typeof s === 'object' && !Array.isArray(s) ? s : {}) as YamlMap;
    const pkgId = pkgIdOf(depPath);
    const { name, version } = splitPkgId(pkgId);
    const entry = (pkgEntries[pkgId] ?? {}) as YamlMap;
    const picked = cat.pickKnown(name, version) ?? (await cat.pick(name, version));
    let meta: NpmVersion;
    if (typeof picked !== 'string' && picked.version === version) meta = picked.meta;
    else {
      // A package for another platform (fsevents, @esbuild/darwin-arm64: the lockfile is the same on every machine) is never installed here: its lockfile entry is enough.
      const list = (k: string) => (Array.isArray(entry[k]) ? (entry[k] as string[]) : undefined);
      const stub: NpmVersion = { integrity: String(((entry.resolution ?? {}) as YamlMap).integrity ?? ''), cacheIndex: '', os: list('os'), cpu: list('cpu'), libc: list('libc') };
      if (!(stub.os || stub.cpu || stub.libc) || platformOk(stub, 'any')) return { missing: pkgId };
      meta = stub;
    }
    const edges = (o: YamlValue | undefined) => new Map(Object.entries((o ?? {}) as YamlMap).map(([k, v]) => [k, depPathOf(k, String(v))]));
    const peerRanges = (entry.peerDependencies ?? {}) as Record<string, string>;
    const optionalPeers = Object.fromEntries(Object.keys((entry.peerDependenciesMeta ?? {}) as YamlMap).map((k) => [k, peerRanges[k] ?? '*']));
    const transitivePeers = Array.isArray(snap.transitivePeerDependencies) ? snap.transitivePeerDependencies : [];
    packages.set(depPath, { depPath, pkgId, name, version, meta, deps: edges(snap.dependencies), optionalDeps: edges(snap.optionalDependencies), optional: snap.optional === true, dev: false, optionalPeers, transitivePeers });
  }
  const g = { importer, packages };
  // dev: reached only from devDependencies.
  const prod = reachable(g, { prod: true });
  for (const p of packages.values()) p.dev = !prod.has(p.depPath);
  return g;
}

/** pnpm's `satisfiesPackageManifest`: the lockfile's specifiers against package.json's; the reason as pnpm words it, or undefined when they match. */
export function specifiersDiff(g: PnpmGraph, manifest: RootManifest): string | undefined {
  const specs: Record<string, string> = {};
  for (const f of DEP_FIELDS) for (const [n, d] of g.importer[f]) specs[n] = d.specifier;
  const existing: Record<string, string> = { ...(manifest.devDependencies ?? {}), ...(manifest.dependencies ?? {}), ...(manifest.optionalDependencies ?? {}) };
  const added = Object.entries(existing).filter(([k]) => !Object.hasOwn(specs, k));
  const removed = Object.entries(specs).filter(([k]) => !Object.hasOwn(existing, k));
  const modified = Object.entries(specs).filter(([k, v]) => Object.hasOwn(existing, k) && existing[k] !== v);
  if (!added.length && !removed.length && !modified.length) return undefined;
  let r = '';
  if (added.length) r += `* ${added.length} dependencies were added: ${added.map(([k, v]) => `${k}@${v}`).join(', ')}\n`;
  if (removed.length) r += `* ${removed.length} dependencies were removed: ${removed.map(([k, v]) => `${k}@${v}`).join(', ')}\n`;
  if (modified.length) r += `* ${modified.length} dependencies are mismatched:\n${modified.map(([k, v]) => `  - ${k} (lockfile: ${v}, manifest: ${existing[k]})\n`).join('')}`;
  return r;
}
