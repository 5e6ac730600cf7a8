#!/usr/bin/env node
// Builds public/catalog/apt/<codename>/: the apt archive metadata and per-package file lists that
// the engine's apt-get, dpkg and apt-cache read. See src/engine/shell/packages/README.md for the format.
//  - bookworm (default): Debian's archive as this (bookworm) machine's apt sees it — the Packages
//    files under /var/lib/apt/lists and the real .debs (`apt-get download`, `dpkg-deb -f/-c/-e/-x`).
//  - noble, jammy, focal, resolute: Ubuntu's archive (archive.ubuntu.com, security.ubuntu.com) as a real
//    `apt-get update` for the ubuntu image's sources writes it (apt-archive.mjs updateUbuntu), the
//    .debs fetched with curl from the pool path in `Filename:` (noble's and jammy's members are
//    zstd-compressed; dpkg-deb 1.21 reads them).
//   node scripts/catalog/apt.mjs [--codename noble|jammy|focal|resolute] [--no-update]
//   (downloads are cached under $LAYERLAB_CATALOG_CACHE)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readArchive, closure, listFacts, DISTROS, updateUbuntu } from './apt-archive.mjs';
import { CACHE, readDeb, statusStanza, field } from './deb.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ci = process.argv.indexOf('--codename');
const CODENAME = ci >= 0 ? process.argv[ci + 1] : 'bookworm';
const DISTRO = DISTROS[CODENAME];
if (!DISTRO) throw new Error(`unknown codename ${CODENAME} (known: ${Object.keys(DISTROS).join(', ')})`);
const OUT = join(HERE, `../../public/catalog/apt/${CODENAME}`);
// bookworm's .debs stay where earlier runs cached them; other releases get their own directories.
const DIRS = CODENAME === 'bookworm' ? { debs: join(CACHE, 'debs'), x: join(CACHE, 'x') } : { debs: join(CACHE, CODENAME, 'debs'), x: join(CACHE, CODENAME, 'x') };
const DEBS = DIRS.debs;
const FORMAT = 'layerlab-apt/1';

/**
 * The seed list names bookworm packages. On Ubuntu: a name that is only virtual there (noble's t64
 * renames: libssl3 → libssl3t64, libasound2 → libasound2t64 …, libfreetype6-dev →
 * libfreetype-dev) takes its first provider, as `apt-get install libssl3` selects it; libaio1
 * became libaio1t64 on noble without a Provides; a name the release does not have at all
 * (noble: python3-distutils, gone with Python 3.12, and awscli) is dropped and listed in
 * index.json's `seedsDropped`. Then every `Priority: required` package and util-linux-extra (where
 * it exists): the packages of the image itself, so that apt-cache policy and the "not upgraded"
 * count know their candidates.
 */
const SEED_MAP = { noble: { libaio1: 'libaio1t64' } };

if (DISTRO.ubuntu && !process.argv.includes('--no-update')) updateUbuntu(DISTRO);
const rawSeeds = readFileSync(join(HERE, 'apt-popular.txt'), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join(' ').split(/\s+/).filter(Boolean);
const archive = readArchive(DISTRO);
const seeds = [];
const seedsDropped = [];
for (const s0 of rawSeeds) {
  let s = SEED_MAP[CODENAME]?.[s0] ?? s0;
  if (DISTRO.ubuntu && !archive.candidates.has(s)) {
    if (archive.providers.has(s)) s = archive.providers.get(s)[0];
    else {
      seedsDropped.push(s0);
      continue;
    }
  }
  if (!seeds.includes(s)) seeds.push(s);
}
if (DISTRO.ubuntu) {
  for (const [n, st] of archive.candidates) if (st.get('Priority') === 'required' && !seeds.includes(n)) seeds.push(n);
  if (archive.candidates.has('util-linux-extra') && !seeds.includes('util-linux-extra')) seeds.push('util-linux-extra');
}
if (seedsDropped.length) console.log(`not in ${CODENAME}, dropped: ${seedsDropped.join(' ')}`);
const unknown = seeds.filter((s) => !archive.candidates.has(s));
if (unknown.length) throw new Error(`not in ${CODENAME}: ${unknown.join(' ')}`);
const names = [...closure(archive, seeds).packages].sort();
console.log(`${seeds.length} seeds, closure ${names.length} packages`);

// Download what the cache lacks (the pinned candidate version).
mkdirSync(DEBS, { recursive: true });
const debFileOf = (n, v) => `${n}_${v.replace(/:/g, '%3a')}_`;
const have = new Set(readdirSync(DEBS));
const haveDeb = (n) => { const v = archive.candidates.get(n).get('Version'); const p = debFileOf(n, v); return [...have].some((f) => f.startsWith(p)); };
const missing = names.filter((n) => !haveDeb(n));
if (CODENAME === 'bookworm') {
  // four apt-get processes at a time (apt-get download pins the version)
  for (let i = 0; i < missing.length; i += 100) {
    const batch = missing.slice(i, i + 100).map((n) => `${n}=${archive.candidates.get(n).get('Version')}`);
    execFileSync('apt-get', ['download', ...batch], { cwd: DEBS, stdio: ['ignore', 'ignore', 'inherit'] });
  }
} else if (missing.length) {
  // curl, eight transfers at a time, from the pool path of the candidate's source; then the SHA256 of
  // each file checked against its Packages stanza.
  const cfg = missing.map((n) => {
    const st = archive.candidates.get(n);
    return `url = "${st.get('_uri')}/${st.get('Filename')}"\noutput = "${join(DEBS, `${debFileOf(n, st.get('Version'))}${st.get('Architecture')}.deb`)}"\n`;
  }).join('');
  writeFileSync(join(DEBS, '..', 'curl.cfg'), cfg);
  console.log(`downloading ${missing.length} .debs`);
  execFileSync('curl', ['-sSf', '--parallel', '--parallel-max', '8', '-K', join(DEBS, '..', 'curl.cfg')], { stdio: ['ignore', 'inherit', 'inherit'] });
  for (const n of missing) {
    const st = archive.candidates.get(n);
    const f = join(DEBS, `${debFileOf(n, st.get('Version'))}${st.get('Architecture')}.deb`);
    const sum = execFileSync('sha256sum', [f], { encoding: 'utf8' }).split(' ')[0];
    if (sum !== st.get('SHA256')) throw new Error(`${n}: sha256 ${sum} is not the archive's ${st.get('SHA256')}`);
  }
}

// Which files keep their real bytes: configuration, scripts, copyright notices, all small text.
const TEXT_MAX = 16 * 1024;
function keepText(path, e, deb) {
  if (e.size > TEXT_MAX) return undefined;
  const inEtc = path.startsWith('/etc/');
  // /usr/lib/os-release too: base-files ships it, and an upgraded base-files must keep the release readable.
  const copyright = /^\/usr\/share\/doc\/[^/]+\/copyright$/.test(path) || path === '/usr/lib/os-release';
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
  const deb = readDeb(n, DIRS);
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
    f('Suggests'), f('Provides'), f('Conflicts'), f('Breaks'), f('Source'), f('Description').split('\n')[0], f('Maintainer'), f('SHA256'),
    ...(CODENAME === 'bookworm' ? [] : [st.get('_component'), st.get('_origins')])]);
  if (i % 100 === 0) console.log(`${i}/${names.length} ${n} (${((Date.now() - t0) / 1000).toFixed(0)}s)`);
}
const META = {
  bookworm: {
    distribution: 'debian bookworm (12), amd64, main',
    source: 'Packages files of bookworm, bookworm-updates, bookworm-security as fetched by apt on the generating machine; .debs from deb.debian.org',
  },
};
for (const d of Object.values(DISTROS)) {
  if (!d.ubuntu) continue;
  const c = d.codename;
  META[c] = {
    distribution: `ubuntu ${c} (${d.version}), amd64, ${d.components.join(' ')}`,
    source: `Packages files of ${c}, ${c}-updates, ${c}-backports (archive.ubuntu.com) and ${c}-security (security.ubuntu.com) as a real apt-get update fetched them for ubuntu:${d.version}'s sources; .debs from their pool paths`,
  };
}
const index = {
  format: FORMAT,
  codename: CODENAME,
  ...META[CODENAME],
  generated: new Date().toISOString(),
  lists: listFacts(DISTRO),
  columns: ['package', 'version', 'architecture', 'multiArch', 'priority', 'section', 'essential', 'installedSize', 'size', 'suite', 'filename',
    'preDepends', 'depends', 'recommends', 'suggests', 'provides', 'conflicts', 'breaks', 'source', 'description', 'maintainer', 'sha256',
    ...(CODENAME === 'bookworm' ? [] : ['component', 'origins'])],
  seeds,
  ...(seedsDropped.length ? { seedsDropped } : {}),
  packages: rows,
};
const indexJson = JSON.stringify(index);
writeFileSync(join(OUT, 'index.json'), indexJson);
// Every binary package name of the archive: tells "not in the offline catalog" from "not in Debian".
const all = [...archive.allNames].sort().join('\n') + '\n';
writeFileSync(join(OUT, 'archive-names.txt'), all);
console.log(`index ${(indexJson.length / 1024).toFixed(0)} KiB (${(gzipSync(indexJson).length / 1024).toFixed(0)} KiB gz), ` +
  `packages ${(shipped / 1e6).toFixed(1)} MB (${(shippedGz / 1e6).toFixed(1)} MB gz), names ${(all.length / 1024).toFixed(0)} KiB (${(gzipSync(all).length / 1024).toFixed(0)} KiB gz)`);
