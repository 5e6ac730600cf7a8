#!/usr/bin/env node
/**
 * Builds layerlab's offline npm catalog (public/catalog/npm/) from the real npm registry.
 *
 *   node scripts/catalog/npm.mjs [ROOT[@VERSION]…]      (default: the popular set below)
 *
 * For each root it resolves the full dependency tree as npm does: every dependency range (and every
 * non-optional peer dependency, which npm ≥7 installs) → the highest published version satisfying
 * it (`semver.maxSatisfying` over the packument's versions, i.e. `npm view NAME versions --json`).
 * Optional dependencies are kept only when their `os`/`cpu` allow linux/x64 (esbuild's and next's
 * platform packages), with their `libc` recorded so the engine can pick glibc or musl.
 * For every package@version it downloads the real tarball (dist.tarball, checked against
 * dist.integrity) and records what `npm pack --dry-run --json` lists: each file's path, size and
 * mode, plus the real package.json text. Output:
 *   public/catalog/npm/index.json        — every package: versions → deps, integrity, sizes, bin, os/cpu/libc
 *   public/catalog/npm/files/<name>@<version>.json — that version's file table and package.json (loaded lazily)
 * Roots merge into an existing index (rerun with more roots to grow the catalog).
 *
 *   node scripts/catalog/npm.mjs --refresh-meta   (re-reads every catalog package's packument and
 *                                                  fills per-version metadata added later, e.g. the
 *                                                  sha1 `shasum` yarn writes into yarn.lock, the optional
 *                                                  peers pnpm's lockfile lists; no tarballs)
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const REGISTRY = 'https://registry.npmjs.org';
const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../public/catalog/npm');
const DEFAULT_ROOTS = ['express', 'dotenv', 'cors', 'lodash', 'axios', 'nodemon', 'pg', 'mongoose', 'react', 'react-dom',
  'typescript', 'jest', 'eslint', 'vite', 'next'];

const packuments = new Map();
async function retrying(fn) {
  for (let attempt = 0; ; attempt++) {
    try { return await fn(); } catch (e) { if (attempt >= 4) throw e; await new Promise((r) => setTimeout(r, 500 * (attempt + 1))); }
  }
}
async function packument(name) {
  if (!packuments.has(name)) {
    packuments.set(name, (async () => {
      for (let attempt = 0; ; attempt++) {
        const r = await retrying(() => fetch(`${REGISTRY}/${name.replace('/', '%2f')}`, { headers: { accept: 'application/vnd.npm.install-v1+json' } }));
        if (r.ok) return r.json();
        if (attempt >= 3 || r.status === 404) throw new Error(`GET ${name}: ${r.status}`);
      }
    })());
  }
  return packuments.get(name);
}

/** Highest published (non-deprecated preferred) version satisfying a range, as npm picks it. */
function pick(doc, range) {
  if (doc['dist-tags']?.[range]) return doc['dist-tags'][range];
  const all = Object.keys(doc.versions);
  const latest = doc['dist-tags']?.latest;
  // npm prefers the `latest` tag when it satisfies the range.
  if (latest && semver.satisfies(latest, range || '*')) return latest;
  return semver.maxSatisfying(all, range || '*');
}

const platformOk = (v) => {
  const ok = (list, want) => !list || !list.length || (list.includes(want) || (list.some((x) => x.startsWith('!')) && !list.includes('!' + want)));
  return ok(v.os, 'linux') && ok(v.cpu, 'x64');
};

/** Lists a .tgz's members: path (without the `package/` prefix), size, mode; and package.json's text. */
function listTarball(tgz) {
  const tar = gunzipSync(tgz);
  const files = [];
  let pkgJson;
  let longName;
  let pax = {};
  for (let off = 0; off + 512 <= tar.length;) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a, n) => { const s = h.subarray(a, a + n); const z = s.indexOf(0); return Buffer.from(z < 0 ? s : s.subarray(0, z)).toString('utf8'); };
    let name = str(0, 100);
    const prefix = str(345, 155);
    if (prefix) name = prefix + '/' + name;
    const size = parseInt(str(124, 12).trim() || '0', 8);
    const mode = parseInt(str(100, 8).trim() || '0', 8) & 0o7777;
    const type = String.fromCharCode(h[156] || 48);
    const body = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') { longName = Buffer.from(body).toString('utf8').replace(/\0+$/, ''); continue; }
    if (type === 'x') {
      for (const line of Buffer.from(body).toString('utf8').split('\n')) { const m = /^\d+ ([^=]+)=(.*)$/.exec(line); if (m) pax[m[1]] = m[2]; }
      continue;
    }
    if (type === 'g') continue;
    if (longName) { name = longName; longName = undefined; }
    if (pax.path) name = pax.path;
    pax = {};
    if (type !== '0' && type !== '\0' && type !== '7') continue; // npm packs files only
    const rel = name.replace(/^[^/]+\//, '');
    files.push([rel, size, mode]);
    if (rel === 'package.json') pkgJson = Buffer.from(body).toString('utf8');
  }
  files.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { files, pkgJson };
}

async function fetchFiles(name, version, meta) {
  const path = join(OUT, 'files', `${name.replace('/', '+')}@${version}.json`);
  if (existsSync(path)) return;
  const tgz = await retrying(async () => {
    const r = await fetch(meta.dist.tarball);
    if (!r.ok) throw new Error(`GET ${meta.dist.tarball}: ${r.status}`);
    return Buffer.from(await r.arrayBuffer());
  });
  const [alg, b64] = meta.dist.integrity.split(/-(.*)/s);
  const got = createHash(alg).update(tgz).digest('base64');
  if (got !== b64) throw new Error(`${name}@${version}: integrity mismatch`);
  const { files, pkgJson } = listTarball(tgz);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ name, version, tarballSize: tgz.length, packageJson: pkgJson, files }));
  return tgz.length;
}

/** Peer dependencies marked optional in peerDependenciesMeta (npm does not install them; pnpm's lockfile lists them), or undefined. */
function optionalPeersOf(v) {
  const out = {};
  for (const [d, meta] of Object.entries(v.peerDependenciesMeta ?? {})) if (meta?.optional) out[d] = v.peerDependencies?.[d] ?? '*';
  return Object.keys(out).length ? out : undefined;
}

/** `--refresh-meta`: fills metadata fields for the versions the index already has, from their packuments. */
async function refreshMeta() {
  const indexPath = join(OUT, 'index.json');
  const index = JSON.parse(readFileSync(indexPath, 'utf8'));
  const names = Object.keys(index.packages);
  let next = 0;
  let filled = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < names.length) {
      const name = names[next++];
      const doc = await packument(name);
      for (const [version, e] of Object.entries(index.packages[name].versions)) {
        const dist = doc.versions[version]?.dist;
        if (!dist) throw new Error(`${name}@${version} is no longer in the registry`);
        if (dist.integrity !== e.integrity) throw new Error(`${name}@${version}: integrity changed`);
        e.shasum = dist.shasum;
        e.optionalPeers = optionalPeersOf(doc.versions[version]);
        filled++;
      }
    }
  }));
  writeFileSync(indexPath, JSON.stringify(index));
  console.log(`${filled} versions of ${names.length} packages refreshed`);
}

async function main() {
  if (process.argv[2] === '--refresh-meta') return refreshMeta();
  const roots = process.argv.slice(2).length ? process.argv.slice(2) : DEFAULT_ROOTS;
  const indexPath = join(OUT, 'index.json');
  const index = existsSync(indexPath) ? JSON.parse(readFileSync(indexPath, 'utf8')) : { packages: {} };
  const queue = [];
  const seen = new Set();
  const rootsOut = index.roots ?? {};
  // `"alias": "npm:real@range"` installs `real` under the alias's folder.
  const enqueue = (name, range) => {
    const m = /^npm:((?:@[^/]+\/)?[^@]+)(?:@(.*))?$/.exec(range);
    queue.push(m ? [m[1], m[2] || 'latest'] : [name, range]);
  };
  for (const r of roots) {
    const at = r.lastIndexOf('@');
    const [name, range] = at > 0 ? [r.slice(0, at), r.slice(at + 1)] : [r, 'latest'];
    enqueue(name, range);
  }
  const tasks = [];
  let active = 0;
  const limit = async (fn) => {
    while (active >= 6) await new Promise((res) => setTimeout(res, 20));
    active++;
    try { return await fn(); } finally { active--; }
  };
  while (queue.length) {
    const batch = queue.splice(0);
    await Promise.all(batch.map(async ([name, range]) => {
      const doc = await limit(() => packument(name));
      const version = pick(doc, range);
      if (!version) throw new Error(`no version of ${name} satisfies ${range}`);
      // A bare root names the `latest` pick, not every version of that name the run resolves.
      for (const r of roots) if ((r === name && range === 'latest') || r === `${name}@${range}`) rootsOut[r] = version;
      const key = `${name}@${version}`;
      if (seen.has(key)) return;
      seen.add(key);
      const v = doc.versions[version];
      const deps = { ...(v.dependencies ?? {}) };
      const optional = {};
      for (const [d, rg] of Object.entries(v.optionalDependencies ?? {})) optional[d] = rg;
      const peers = {};
      for (const [d, rg] of Object.entries(v.peerDependencies ?? {})) {
        if (v.peerDependenciesMeta?.[d]?.optional) continue;
        peers[d] = rg;
      }
      const entry = (index.packages[name] ??= { versions: {} });
      entry.versions[version] = {
        deps: Object.keys(deps).length ? deps : undefined,
        optional: Object.keys(optional).length ? optional : undefined,
        peers: Object.keys(peers).length ? peers : undefined,
        optionalPeers: optionalPeersOf(v),
        bin: typeof v.bin === 'string' ? { [name.split('/').pop()]: v.bin } : v.bin,
        integrity: v.dist.integrity,
        // sha1 of the tarball: yarn classic writes it after `#` in yarn.lock's `resolved` URL.
        shasum: v.dist.shasum,
        unpackedSize: v.dist.unpackedSize,
        fileCount: v.dist.fileCount,
        os: v.os, cpu: v.cpu, libc: v.libc,
        license: typeof v.license === 'string' ? v.license : undefined,
        engines: v.engines,
        hasInstallScript: v.hasInstallScript || undefined,
        funding: v.funding ? 1 : undefined,
        // npm's cache key for the tarball and the sha256 that names its _cacache/index-v5 file.
        cacheIndex: createHash('sha256').update(`make-fetch-happen:request-cache:${v.dist.tarball}`).digest('hex'),
      };
      tasks.push(limit(() => fetchFiles(name, version, v)));
      for (const [d, rg] of Object.entries(deps)) enqueue(d, rg);
      for (const [d, rg] of Object.entries(peers)) enqueue(d, rg);
      for (const [d, rg] of Object.entries(optional)) {
        const od = await limit(() => packument(d)).catch(() => undefined);
        const ov = od && pick(od, rg);
        if (ov && platformOk(od.versions[ov])) enqueue(d, rg);
      }
    }));
  }
  await Promise.all(tasks);
  for (const [name, e] of Object.entries(index.packages)) {
    const doc = packuments.has(name) ? await packuments.get(name) : undefined;
    if (doc) e.latest = doc['dist-tags'].latest;
  }
  index.roots = rootsOut;
  index.source = REGISTRY;
  index.generated = new Date().toISOString();
  index.packages = Object.fromEntries(Object.entries(index.packages).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeFileSync(indexPath, JSON.stringify(index));
  console.log(`${Object.keys(index.packages).length} packages, ${Object.values(index.packages).reduce((n, e) => n + Object.keys(e.versions).length, 0)} versions`);
}

main().catch((e) => { console.error(e); process.exit(1); });
