#!/usr/bin/env node
// public/catalog/apt/trixie/index.json: what `apt-get update` fetches for the trixie images
// (debian:trixie*, python/node/nginx/httpd/redis/postgres/golang on trixie) — the real InRelease
// and Packages file names, sizes and dates of trixie, trixie-updates and trixie-security, fetched
// by this machine's apt into a private state directory — and `packagesFrom: "bookworm"`:
// Simulation: the catalog's trixie images are bookworm's package tree with trixie's release files
// (models.mjs), so their installs resolve against bookworm's packages (versions, dependencies,
// file lists), which is what their dpkg status holds; only the suite names are trixie's.
//   node scripts/catalog/apt-trixie.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(process.env.LAYERLAB_CATALOG_CACHE ?? '/tmp/layerlab-catalog', 'apt-trixie');
for (const d of ['lists/partial', 'cache/archives/partial', 'sources', 'preferences.d']) mkdirSync(join(ROOT, d), { recursive: true });
writeFileSync(join(ROOT, 'sources', 'debian.sources'), [
  'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: trixie trixie-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n',
  'Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: trixie-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n',
].join('\n'));
writeFileSync(join(ROOT, 'status'), '');
const opts = [['Dir::Etc::SourceList', '/dev/null'], ['Dir::Etc::SourceParts', join(ROOT, 'sources')], ['Dir::State::Lists', join(ROOT, 'lists')],
  ['Dir::Cache', join(ROOT, 'cache')], ['Dir::Etc::Preferences', '/dev/null'], ['Dir::Etc::PreferencesParts', join(ROOT, 'preferences.d')], ['Dir::State::status', join(ROOT, 'status')]];
execFileSync('apt-get', [...opts.flatMap(([k, v]) => ['-o', `${k}=${v}`]), 'update'], { stdio: 'inherit' });

process.env.LAYERLAB_APT_LISTS = join(ROOT, 'lists');
process.env.LAYERLAB_APT_CODENAME = 'trixie';
const { listFacts } = await import('./apt-archive.mjs');
const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../public/catalog/apt/trixie');
mkdirSync(OUT, { recursive: true });
const index = {
  format: 'layerlab-apt/1',
  distribution: 'debian trixie (13), amd64, main: the lists; packages from bookworm (see packagesFrom)',
  generated: new Date().toISOString(),
  source: 'InRelease and Packages files of trixie, trixie-updates, trixie-security as fetched by apt on the generating machine (names, sizes, dates); packages: the bookworm catalog',
  packagesFrom: 'bookworm',
  lists: listFacts(),
  packages: [],
};
writeFileSync(join(OUT, 'index.json'), JSON.stringify(index, null, 1) + '\n');
console.log(JSON.stringify(index.lists, null, 1));
