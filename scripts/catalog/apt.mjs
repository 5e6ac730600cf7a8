#!/usr/bin/env node
// Builds public/catalog/apt/bookworm/: the apt archive metadata and per-package file lists that the
// engine's apt-get, dpkg and apt-cache read. Source: Debian's archive as this (bookworm) machine's
// apt sees it — the Packages files under /var/lib/apt/lists and the real .debs (`apt-get download`,
// `dpkg-deb -f/-c/-e/-x`). See src/engine/packages/README.md for the format.
//   node scripts/catalog/apt.mjs            (downloads are cached under $LAYERLAB_CATALOG_CACHE)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readArchive, closure, listFacts, parseDepends } from './apt-archive.mjs';
import { CACHE, readDeb, statusStanza, field } from './deb.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, '../../public/catalog/apt/bookworm');
const DEBS = join(CACHE, 'debs');
const FORMAT = 'layerlab-apt/1';

const seeds = readFileSync(join(HERE, 'apt-popular.txt'), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join(' ').split(/\s+/).filter(Boolean);
const archive = readArchive();
const unknown = seeds.filter((s) => !archive.candidates.has(s));
if (unknown.length) throw new Error(`not in bookworm: ${unknown.join(' ')}`);
const names = [...closure(archive, seeds).packages].sort();
console.log(`${seeds.length} seeds, closure ${names.length} packages`);

// Download what the cache lacks, four apt-get processes at a time (apt-get download pins the version).
mkdirSync(DEBS, { recursive: true });
const debFileOf = (n, v) => `${n}_${v.replace(/:/g, '%3a')}_`;
const have = new Set(readdirSync(DEBS));
const haveDeb = (n) => { const v = archive.candidates.get(n).get('Version'); const p = debFileOf(n, v); return [...have].some((f) => f.startsWith(p)); };
const missing = names.filter((n) => !haveDeb(n));
for (let i = 0; i < missing.length; i += 100) {
  const batch = missing.slice(i, i + 100).map((n) => `${n}=${archive.candidates.get(n).get('Version')}`);
  execFileSync('apt-get', ['download', ...batch], { cwd: DEBS, stdio: ['ignore', 'ignore', 'inherit'] });
}

// Which files keep their real bytes: configuration, scripts, copyright notices, all small text.
const TEXT_MAX = 16 * 1024;
function keepText(path, e, deb) {
  if (e.size > TEXT_MAX) return undefined;
  const inEtc = path.startsWith('/etc/');
  const copyright = /^\/usr\/share\/doc\/[^/]+\/copyright$/.test(path);
  const exec = (e.mode & 0o111) !== 0;
  if (!inEtc && !copyright && !exec) return undefined;
  const t = deb.text(path);
  if (t === undefined) return undefined;
  if (exec && !inEtc && !t.startsWith('#!')) return undefined;
  return t;
}

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
/** Entries in dpkg-deb order as prefix-compressed lines `shared\trest\tkind+mode\towner\tdata`. */
function encodeEntries(deb) {
  const lines = [];
  const texts = [];
  let prev = '';
  for (const e of deb.entries) {
    const p = e.path;
    let shared = 0;
    const max = Math.min(prev.length, p.length, 99);
    while (shared < max && prev.charCodeAt(shared) === p.charCodeAt(shared)) shared++;
    const owner = e.uid === 0 && e.gid === 0 ? '' : `${e.uid}:${e.gid}`;
    let data = '';
    if (e.type === 'f') {
      const t = keepText(p, e, deb);
      if (t !== undefined) { texts.push(t); data = '=' + (texts.length - 1); } else data = String(e.size);
    } else if (e.type === 'l') data = e.target;
    else if (e.type === 'h') data = e.linkTo;
    const mode = e.type === 'l' ? '' : e.mode.toString(8);
    lines.push(`${shared || ''}\t${p.slice(shared)}\t${e.type}${mode}\t${owner}\t${data}`);
    prev = p;
  }
  return { entries: lines.join('\n'), texts };
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(join(OUT, 'pkg'), { recursive: true });
const rows = [];
let shipped = 0;
let shippedGz = 0;
const t0 = Date.now();
for (const [i, n] of names.entries()) {
  const st = archive.candidates.get(n);
  const deb = readDeb(n);
  if (field(deb, 'Version') !== st.get('Version')) throw new Error(`${n}: cached deb ${field(deb, 'Version')} is not the candidate ${st.get('Version')}`);
  const { entries, texts } = encodeEntries(deb);
  // Control-archive members as dpkg copies them to /var/lib/dpkg/info: small ones as text, big
  // ones (md5sums of big packages, debconf templates with all translations, symbols) by size.
  const control = {};
  for (const [k, v] of Object.entries(deb.control)) control[k] = Buffer.byteLength(v) <= 8192 || /^(pre|post)(inst|rm)$|^config$|^conffiles$|^triggers$/.test(k) ? v : Buffer.byteLength(v);
  const json = JSON.stringify({ format: FORMAT, package: n, version: st.get('Version'), status: statusStanza(deb), control, entries, texts });
  writeFileSync(join(OUT, 'pkg', `${n}.json`), json);
  shipped += json.length;
  shippedGz += gzipSync(json).length;
  const f = (k) => st.get(k) ?? '';
  rows.push([n, f('Version'), f('Architecture'), f('Multi-Arch'), f('Priority'), f('Section'), f('Essential') === 'yes' ? 1 : 0,
    Number(f('Installed-Size')), Number(f('Size')), st.get('_suite'), f('Filename'), f('Pre-Depends'), f('Depends'), f('Recommends'),
    f('Suggests'), f('Provides'), f('Conflicts'), f('Breaks'), f('Source'), f('Description').split('\n')[0], f('Maintainer'), f('SHA256')]);
  if (i % 100 === 0) console.log(`${i}/${names.length} ${n} (${((Date.now() - t0) / 1000).toFixed(0)}s)`);
}
const index = {
  format: FORMAT,
  distribution: 'debian bookworm (12), amd64, main',
  generated: new Date().toISOString(),
  source: 'Packages files of bookworm, bookworm-updates, bookworm-security as fetched by apt on the generating machine; .debs from deb.debian.org',
  lists: listFacts(),
  columns: ['package', 'version', 'architecture', 'multiArch', 'priority', 'section', 'essential', 'installedSize', 'size', 'suite', 'filename',
    'preDepends', 'depends', 'recommends', 'suggests', 'provides', 'conflicts', 'breaks', 'source', 'description', 'maintainer', 'sha256'],
  seeds,
  packages: rows,
};
const indexJson = JSON.stringify(index);
writeFileSync(join(OUT, 'index.json'), indexJson);
// Every binary package name of the archive: tells "not in the offline catalog" from "not in Debian".
const all = [...archive.allNames].sort().join('\n') + '\n';
writeFileSync(join(OUT, 'archive-names.txt'), all);
console.log(`index ${(indexJson.length / 1024).toFixed(0)} KiB (${(gzipSync(indexJson).length / 1024).toFixed(0)} KiB gz), ` +
  `packages ${(shipped / 1e6).toFixed(1)} MB (${(shippedGz / 1e6).toFixed(1)} MB gz), names ${(all.length / 1024).toFixed(0)} KiB (${(gzipSync(all).length / 1024).toFixed(0)} KiB gz)`);
