/**
 * What a pnpm install leaves on disk (pnpm 9/10, `node-linker=isolated`): the virtual store
 * `node_modules/.pnpm/<name>@<version>/node_modules/<name>/` holding each package's files, a
 * symlink per dependency beside it (`.pnpm/a@1/node_modules/b -> ../../b@2/node_modules/b`), the
 * project's direct dependencies as symlinks into .pnpm, every other package hoisted as a symlink
 * in `.pnpm/node_modules/`, `node_modules/.bin/` shell shims, and the content-addressable store
 * (`<store>/files/xx/…`, `<store>/index/xx/…-name@version.json`) whose files are HARD LINKS of
 * the files in node_modules: one inode, two names, its bytes once in the layer.
 *
 * Simulation: file contents other than package.json are SyntheticContent of the real size, and
 * the store names each file by a stable pseudo-hash of (package, path, size) instead of the
 * sha512 of its bytes (which would mean generating and hashing every byte at install time), so
 * identical files of two packages are not deduplicated as pnpm would.
 */
import { SyntheticContent, textContent } from '../../fs/content.ts';
import type { GraftEntry } from '../../fs/union.ts';
import type { CommandIO } from './command.ts';
import { FsError } from '../../errors.ts';
import type { NpmCatalog, NpmFiles } from '../npm/npm-catalog.ts';
import { depPathToFilename, DEP_FIELDS, type DepField, type PnpmGraph, type PnpmPackage } from '../npm/pnpm-lock.ts';
import { b64ToHex, ensureDir, exists, seedOf, writeTree } from './npm.ts';

const enc = new TextEncoder();

/** What an install did, for pnpm's progress and summary lines. */
export interface LayoutResult {
  /** depPaths imported into node_modules/.pnpm by this run. */
  added: PnpmPackage[];
  /** depPaths removed from node_modules/.pnpm by this run. */
  removed: number;
  /** Packages whose files were already in the store (pnpm's "reused"). */
  reused: number;
  /** Packages fetched from the registry into the store (pnpm's "downloaded"). */
  downloaded: number;
  /** Bytes of the tarballs downloaded (for the modelled time). */
  tarBytes: number;
  /** Direct dependencies hoisted, by depPath → alias (for .modules.yaml). */
  hoisted: Map<string, string>;
  /** The first hard link refused across filesystems (a store on a cache mount): pnpm then copies, and says so. */
  crossDevice?: { src: string; dst: string };
}

export interface LayoutOptions {
  /** The project directory ('' for /). */
  base: string;
  graph: PnpmGraph;
  /** The depPaths to install (reachable from the included fields, platform-checked). */
  selected: Set<string>;
  /** The importer fields linked at the top level. */
  fields: DepField[];
  storeDir: string;
  /** `pnpm fetch`: only the virtual store, no top-level links, bins or hoisting. */
  virtualOnly?: boolean;
}

/** The relative path from directory `from` to `to` (both absolute). */
export function relativeTo(from: string, to: string): string {
  const a = from.split('/').filter(Boolean);
  const b = to.split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/') || '.';
}

const dirOf = (p: string) => p.slice(0, p.lastIndexOf('/'));

/** 128 hex digits standing for a file's sha512 in the store (see the Simulation note). */
function pseudoHex(key: string): string {
  let out = '';
  let h = seedOf(key);
  for (let i = 0; i < 16; i++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ Math.imul(i + 1, 0x297a2d39);
    h = (h ^ (h >>> 12)) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}


function hexToB64(hex: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < hex.length; i += 2) {
    acc = ((acc << 8) | parseInt(hex.slice(i, i + 2), 16)) & 0xffffff;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += alphabet[(acc >> bits) & 63];
    }
  }
  if (bits) out += alphabet[(acc << (6 - bits)) & 63];
  return out + '='.repeat((4 - (out.length % 4)) % 4);
}

/** The store's index file of a package (pnpm's getIndexFilePathInCafs: the tarball integrity's first 64 hex digits). */
export function indexPathOf(storeDir: string, integrity: string, pkgId: string): string {
  const hex = b64ToHex(integrity.replace(/^sha\d+-/, '')).slice(0, 64);
  return `${storeDir}/index/${hex.slice(0, 2)}/${hex.slice(2)}-${pkgId.replace(/[\\/:*?"<>|]/g, '+')}.json`;
}

/** A package version's files, prepared once: graft entries (relative paths), store paths, bytes. */
interface Prepared {
  entries: GraftEntry[];
  store: string[];
  /** Each file's integrity as the store's index records it (from the same pseudo-hash as its store path). */
  integrity: string[];
  bytes: number;
}
const prepared = new WeakMap<NpmFiles, Prepared>();

function prepare(f: NpmFiles, p: PnpmPackage): Prepared {
  let r = prepared.get(f);
  if (r) return r;
  const binTargets = new Set(Object.values(p.meta.bin ?? {}).map((t) => t.replace(/^\.\//, '')));
  const prefix = seedOf(`${p.name}@${p.version}/`);
  const entries: GraftEntry[] = [];
  const store: string[] = [];
  const integrity: string[] = [];
  let bytes = 0;
  for (const [rel, size, mode] of f.files) {
    const exec = !!(mode & 0o111) || binTargets.has(rel);
    const content = rel === 'package.json' ? textContent(f.packageJson) : new SyntheticContent(size, seedOf(rel, prefix));
    entries.push({ path: rel, type: 'file', mode: exec ? 0o755 : 0o644, content });
    const hex = pseudoHex(`${p.pkgId}/${rel}/${size}`);
    store.push(`files/${hex.slice(0, 2)}/${hex.slice(2)}${exec ? '-exec' : ''}`);
    integrity.push(`sha512-${hexToB64(hex)}`);
    bytes += content.size;
  }
  r = { entries, store, integrity, bytes };
  prepared.set(f, r);
  return r;
}

/** The package folder of a depPath inside the virtual store. */
export function packageDirOf(vstore: string, p: PnpmPackage): string {
  return `${modulesDirOf(vstore, p)}/${p.name}`;
}

/** The node_modules folder a package shares with its dependencies' links: `.pnpm/<name>@<version>/node_modules`. */
export function modulesDirOf(vstore: string, p: PnpmPackage): string {
  return `${vstore}/${depPathToFilename(p.depPath)}/node_modules`;
}

/** Writes (or brings up to date) the isolated layout and the store for `opts.selected`. */
export async function linkPnpmLayout(io: CommandIO, cat: NpmCatalog, opts: LayoutOptions): Promise<LayoutResult> {
  const modules = `${opts.base}/node_modules`;
  const vstore = `${modules}/.pnpm`;
  const g = opts.graph;
  const want = [...opts.selected].map((d) => g.packages.get(d)!).filter(Boolean);
  const wantDirs = new Set(want.map((p) => depPathToFilename(p.depPath)));
  ensureDir(io, vstore);
  // Packages no longer wanted leave the virtual store.
  let removed = 0;
  for (const d of io.fs.readdir(vstore)) {
    if (d === 'node_modules' || d === 'lock.yaml' || wantDirs.has(d)) continue;
    io.fs.rm(`${vstore}/${d}`, { recursive: true, force: true });
    removed++;
  }
  const tables = await Promise.all(want.map((p) => cat.filesKnown(p.name, p.version) ?? cat.filesOf(p.name, p.version)));
  const added: PnpmPackage[] = [];
  let reused = 0;
  let downloaded = 0;
  let tarBytes = 0;
  let crossDevice: { src: string; dst: string } | undefined;
  /**
   * pnpm's import (package-import-method=auto on Linux): a hard link, or, once one is refused with
   * EXDEV (store and node_modules on different filesystems, e.g. a `--mount=type=cache` store), a copy from then on.
   */
  const linkOrCopy = (src: string, dst: string, entry: GraftEntry, storeFirst: boolean) => {
    if (!crossDevice) {
      try {
        io.fs.link(src, dst);
        return;
      } catch (e) {
        if (!(e instanceof FsError) || e.errno !== 'EXDEV') throw e;
        // pnpm writes the store first and links from it: its message names the store file first.
        crossDevice = storeFirst ? { src, dst } : { src: dst, dst: src };
      }
    }
    io.countWrite(entry.content!.size);
    if (io.fs.writeContent) io.fs.writeContent(dst, entry.content!, { mode: entry.mode });
    else io.fs.writeFile(dst, entry.content!.read(), { mode: entry.mode });
  };
  const madeDirs = new Set<string>();
  // mkdir -p without a lookup first (an existing directory is fine), once per directory per install.
  const mkdirp = (d: string) => {
    if (!madeDirs.has(d)) { io.fs.mkdir(d, { recursive: true }); madeDirs.add(d); }
  };
  for (let i = 0; i < want.length; i++) {
    const p = want[i];
    const pkgDir = packageDirOf(vstore, p);
    if (exists(io, `${pkgDir}/package.json`)) continue;
    const f = tables[i];
    const prep = prepare(f, p);
    const index = indexPathOf(opts.storeDir, p.meta.integrity, p.pkgId);
    mkdirp(dirOf(pkgDir));
    if (exists(io, index)) {
      // In the store already: hard links from the store into node_modules (a store in a lower layer is copied up, as overlayfs does).
      reused++;
      for (let k = 0; k < prep.entries.length; k++) {
        const target = `${pkgDir}/${prep.entries[k].path}`;
        mkdirp(dirOf(target));
        const src = `${opts.storeDir}/${prep.store[k]}`;
        if (exists(io, src)) linkOrCopy(src, target, prep.entries[k], true);
        else writeTree(io, dirOf(target), [{ ...prep.entries[k], path: prep.entries[k].path.slice(prep.entries[k].path.lastIndexOf('/') + 1) }]);
      }
    } else {
      downloaded++;
      tarBytes += f.tarballSize;
      io.countWrite(prep.bytes);
      writeTree(io, pkgDir, prep.entries);
      for (let k = 0; k < prep.entries.length; k++) {
        const dst = `${opts.storeDir}/${prep.store[k]}`;
        mkdirp(dirOf(dst));
        try {
          linkOrCopy(`${pkgDir}/${prep.entries[k].path}`, dst, prep.entries[k], false);
        } catch (e) {
          // Already in the store (an earlier install of the same file whose index is gone): keep it.
          if (!(e instanceof FsError) || e.errno !== 'EEXIST') throw e;
        }
      }
      const files: Record<string, { checkedAt: number; integrity: string; mode: number; size: number }> = {};
      const checkedAt = Math.floor(io.now() * 1000);
      prep.entries.forEach((e, k) => {
        files[e.path] = { checkedAt, integrity: prep.integrity[k], mode: e.mode, size: e.content!.size };
      });
      const text = JSON.stringify({ name: p.name, version: p.version, requiresBuild: !!p.meta.hasInstallScript, files });
      mkdirp(dirOf(index));
      io.countWrite(text.length);
      io.fs.writeFile(index, enc.encode(text));
    }
    added.push(p);
  }
  // Each package's dependencies, as symlinks beside it.
  const fresh = new Set(added);
  for (const p of want) {
    const nm = modulesDirOf(vstore, p);
    for (const [alias, dep] of [...p.deps, ...p.optionalDeps]) {
      const target = g.packages.get(dep);
      if (!target || !opts.selected.has(dep)) continue;
      const link = `${nm}/${alias}`;
      // A package imported by this run has no links yet; one kept from an earlier install has them.
      if (!fresh.has(p) && exists(io, link)) continue;
      mkdirp(dirOf(link));
      io.fs.symlink(relativeTo(dirOf(link), packageDirOf(vstore, target)), link);
    }
  }
  const writeShim = (path: string, text: string) => {
    if (exists(io, path)) return;
    io.countWrite(text.length);
    io.fs.writeFile(path, enc.encode(text), { mode: 0o755 });
    io.fs.chmod(path, 0o755);
  };
  // Each imported package's node_modules/.bin: its dependencies' bins, pointing at their folders in .pnpm.
  for (const p of added) {
    const binDir = `${packageDirOf(vstore, p)}/node_modules/.bin`;
    for (const dep of [...p.deps.values(), ...p.optionalDeps.values()]) {
      const t = g.packages.get(dep);
      if (!t?.meta.bin || !opts.selected.has(dep)) continue;
      mkdirp(binDir);
      for (const [bin, path] of Object.entries(t.meta.bin)) writeShim(`${binDir}/${bin}`, binShim(vstore, t, `${relativeTo(binDir, packageDirOf(vstore, t))}/${path.replace(/^\.\//, '')}`));
    }
  }
  const hoisted = new Map<string, string>();
  if (opts.virtualOnly) return { added, removed, reused, downloaded, tarBytes, hoisted, crossDevice };
  // The project's direct dependencies (links from an earlier install are replaced).
  const direct = new Set<string>();
  for (const name of io.fs.readdir(modules)) {
    if (name.startsWith('.')) continue;
    const path = `${modules}/${name}`;
    if (name.startsWith('@')) {
      for (const sub of io.fs.readdir(path)) if (io.fs.lstat(`${path}/${sub}`).type === 'symlink') io.fs.unlink(`${path}/${sub}`);
    } else if (io.fs.lstat(path).type === 'symlink') io.fs.unlink(path);
  }
  for (const field of opts.fields) {
    for (const [name, d] of g.importer[field]) {
      const p = g.packages.get(d.depPath);
      if (!p || !opts.selected.has(d.depPath)) continue;
      direct.add(name);
      const link = `${modules}/${name}`;
      mkdirp(dirOf(link));
      // A folder npm or yarn left there gives way, as pnpm removes what is in its way.
      if (exists(io, link)) io.fs.rm(link, { recursive: true, force: true });
      io.fs.symlink(relativeTo(dirOf(link), packageDirOf(vstore, p)), link);
    }
  }
  // Every other package hoisted into .pnpm/node_modules (hoist-pattern '*'), nearest to the root first.
  const hoistDir = `${vstore}/node_modules`;
  if (exists(io, hoistDir)) io.fs.rm(hoistDir, { recursive: true, force: true });
  const queue = DEP_FIELDS.flatMap((f) => (opts.fields.includes(f) ? [...g.importer[f].values()].map((d) => d.depPath) : []));
  const seen = new Set<string>(queue);
  for (let qi = 0; qi < queue.length; qi++) {
    const p = g.packages.get(queue[qi]);
    if (!p) continue;
    for (const [alias, dep] of [...p.deps, ...p.optionalDeps]) {
      if (seen.has(dep) || !opts.selected.has(dep)) continue;
      seen.add(dep);
      queue.push(dep);
      if (direct.has(alias) || [...hoisted.values()].includes(alias)) continue;
      hoisted.set(dep, alias);
      const link = `${hoistDir}/${alias}`;
      mkdirp(dirOf(link));
      const t = g.packages.get(dep)!;
      io.fs.symlink(relativeTo(dirOf(link), packageDirOf(vstore, t)), link);
      // The hoisted packages' bins: .pnpm/node_modules/.bin, through the hoisted links.
      for (const [bin, path] of Object.entries(t.meta.bin ?? {})) {
        mkdirp(`${hoistDir}/.bin`);
        writeShim(`${hoistDir}/.bin/${bin}`, binShim(vstore, t, `../${alias}/${path.replace(/^\.\//, '')}`));
      }
    }
  }
  // node_modules/.bin: cmd-shim's shell scripts for the direct dependencies' bins.
  const binDir = `${modules}/.bin`;
  if (exists(io, binDir)) io.fs.rm(binDir, { recursive: true, force: true });
  for (const field of opts.fields) {
    for (const [name, d] of g.importer[field]) {
      const p = g.packages.get(d.depPath);
      if (!p?.meta.bin || !opts.selected.has(d.depPath)) continue;
      mkdirp(binDir);
      for (const [bin, target] of Object.entries(p.meta.bin)) {
        writeShim(`${binDir}/${bin}`, binShim(vstore, p, `../${name}/${target.replace(/^\.\//, '')}`));
      }
    }
  }
  return { added, removed, reused, downloaded, tarBytes, hoisted, crossDevice };
}

/**
 * The shell shim pnpm writes for a bin (@zkochan/cmd-shim `generateShShim`, for a `#!/usr/bin/env
 * node` script): NODE_PATH names the package's own node_modules folders and the hoisted folder.
 */
export function binShim(vstore: string, p: PnpmPackage, fromBinDir: string): string {
  const pkgDir = packageDirOf(vstore, p);
  const nodePath = [`${pkgDir}/node_modules`, modulesDirOf(vstore, p), `${vstore}/node_modules`].join(':');
  return `#!/bin/sh
basedir=$(dirname "$(echo "$0" | sed -e 's,\\\\,/,g')")

case \`uname\` in
    *CYGWIN*|*MINGW*|*MSYS*)
        if command -v cygpath > /dev/null 2>&1; then
            basedir=\`cygpath -w "$basedir"\`
        fi
    ;;
esac

if [ -z "$NODE_PATH" ]; then
  export NODE_PATH="${nodePath}"
else
  export NODE_PATH="${nodePath}:$NODE_PATH"
fi
if [ -x "$basedir/node" ]; then
  exec "$basedir/node"  "$basedir/${fromBinDir}" "$@"
else
  exec node  "$basedir/${fromBinDir}" "$@"
fi
`;
}
