// Reading real Debian packages: `apt-get download` into the cache, then dpkg-deb for the file
// list (modes, owners, sizes, symlinks, hard links), control fields, md5sums and maintainer scripts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CACHE = process.env.LAYERLAB_CATALOG_CACHE || '/tmp/layerlab-catalog';
const DEBS = join(CACHE, 'debs');
const X = join(CACHE, 'x');

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });

let updated = false;
/** Downloads the packages not in the cache yet (one apt-get update per run, only if needed). */
export function fetchDebs(names) {
  mkdirSync(DEBS, { recursive: true });
  const have = new Set(readdirSync(DEBS).map((f) => f.split('_')[0]));
  const missing = names.filter((n) => !have.has(n));
  if (missing.length === 0) return;
  if (!updated && !existsSync('/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease')) {
    run('apt-get', ['update'], { stdio: 'inherit' });
    updated = true;
  }
  run('apt-get', ['download', ...missing], { cwd: DEBS, stdio: ['ignore', 'ignore', 'inherit'] });
}

function debFile(name, debs = DEBS) {
  const f = readdirSync(debs).find((x) => x.split('_')[0] === name);
  if (!f) throw new Error(`package ${name} not downloaded`);
  return join(debs, f);
}

// base-passwd's static users and groups (/usr/share/base-passwd/{passwd,group}.master).
const USER = { root: 0, daemon: 1, bin: 2, sys: 3, sync: 4, games: 5, man: 6, lp: 7, mail: 8, news: 9, uucp: 10, proxy: 13, 'www-data': 33, backup: 34, list: 38, irc: 39, _apt: 42, nobody: 65534 };
const GROUP = { root: 0, daemon: 1, bin: 2, sys: 3, adm: 4, tty: 5, disk: 6, lp: 7, mail: 8, news: 9, uucp: 10, man: 12, proxy: 13, kmem: 15, dialout: 20, fax: 21, voice: 22, cdrom: 24, floppy: 25, tape: 26, sudo: 27, audio: 29, dip: 30, 'www-data': 33, backup: 34, operator: 37, list: 38, irc: 39, src: 40, shadow: 42, utmp: 43, video: 44, sasl: 45, plugdev: 46, staff: 50, games: 60, users: 100, nogroup: 65534, crontab: 101 };

/**
 * One package: control fields (ordered), its data entries as dpkg-deb -c lists them,
 * control-archive files (md5sums, conffiles, scripts) and a reader for small files. `dirs` names
 * the cache directories of another release (noble's .debs live apart from bookworm's).
 */
export function readDeb(name, dirs = { debs: DEBS, x: X }) {
  const file = debFile(name, dirs.debs);
  const controlText = run('dpkg-deb', ['-f', file]);
  const fields = parseControl(controlText);
  const ctlDir = join(dirs.x, name, 'DEBIAN');
  const dataDir = join(dirs.x, name, 'data');
  if (!existsSync(ctlDir)) {
    mkdirSync(ctlDir, { recursive: true });
    run('dpkg-deb', ['-e', file, ctlDir]);
    run('dpkg-deb', ['-x', file, dataDir]);
  }
  const control = {};
  for (const f of readdirSync(ctlDir)) if (f !== 'control') control[f] = readFileSync(join(ctlDir, f), 'utf8');
  const entries = [];
  for (const line of run('dpkg-deb', ['-c', file]).split('\n')) {
    if (!line) continue;
    const m = /^(\S)(\S{9})\s+(\S+)\/(\S+)\s+(\d+)\s+\S+\s+\S+\s+\.(\/.*)$/.exec(line);
    if (!m) throw new Error('unparsed: ' + line);
    const [, t, perm, user, group, size, rest] = m;
    let path = rest;
    let target;
    let linkTo;
    if (t === 'l') [path, target] = rest.split(' -> ');
    else if (t === 'h') {
      [path, linkTo] = rest.split(' link to ');
      linkTo = linkTo.replace(/^\./, '');
    }
    path = path.replace(/\/$/, '');
    if (path === '') continue;
    const uid = USER[user] ?? Number(user);
    const gid = GROUP[group] ?? Number(group);
    if (Number.isNaN(uid) || Number.isNaN(gid)) throw new Error(`unknown owner ${user}/${group} in ${name}`);
    entries.push({ type: t === '-' ? 'f' : t, mode: permToMode(perm), uid, gid, size: Number(size), path, target, linkTo });
  }
  return {
    name,
    fields,
    control,
    entries,
    /** Text content of a small file of the package, or undefined if it is not valid UTF-8 text. */
    text(path) {
      const p = join(dataDir, path);
      if (!existsSync(p) || statSync(p).size > 64 * 1024) return undefined;
      const b = readFileSync(p);
      if (b.includes(0)) return undefined;
      const s = b.toString('utf8');
      return s.includes('\uFFFD') ? undefined : s;
    },
  };
}

function permToMode(p) {
  let m = 0;
  const bits = [0o400, 0o200, 0o100, 0o40, 0o20, 0o10, 4, 2, 1];
  for (let i = 0; i < 9; i++) if (p[i] !== '-' && p[i] !== 'S' && p[i] !== 'T') m |= bits[i];
  if (p[2] === 's' || p[2] === 'S') m |= 0o4000;
  if (p[5] === 's' || p[5] === 'S') m |= 0o2000;
  if (p[8] === 't' || p[8] === 'T') m |= 0o1000;
  if (p[2] === 'S') m &= ~0o100;
  if (p[5] === 'S') m &= ~0o10;
  if (p[8] === 'T') m &= ~1;
  return m;
}

/** Control fields as an ordered list of [name, value] (multi-line values kept). */
export function parseControl(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    if (/^\s/.test(line)) out[out.length - 1][1] += '\n' + line;
    else {
      const i = line.indexOf(':');
      out.push([line.slice(0, i), line.slice(i + 1).trim()]);
    }
  }
  return out;
}

// dpkg's field order in /var/lib/dpkg/status (lib/dpkg/parse.c fieldinfos[]).
const ORDER = ['Package', 'Essential', 'Protected', 'Status', 'Priority', 'Section', 'Installed-Size', 'Origin',
  'Maintainer', 'Bugs', 'Architecture', 'Multi-Arch', 'Source', 'Version', 'Config-Version', 'Replaces', 'Provides',
  'Depends', 'Pre-Depends', 'Recommends', 'Suggests', 'Breaks', 'Conflicts', 'Enhances', 'Conffiles', 'Description',
  'Triggers-Pending', 'Triggers-Awaited'];

/** The package's stanza in /var/lib/dpkg/status, as dpkg writes it after a successful install. */
export function statusStanza(deb) {
  const f = new Map(deb.fields);
  f.set('Status', 'install ok installed');
  if (deb.control.conffiles) {
    const sums = new Map();
    for (const l of (deb.control.md5sums || '').split('\n')) {
      const m = /^(\w+)\s+(.*)$/.exec(l);
      if (m) sums.set('/' + m[2], m[1]);
    }
    const cf = deb.control.conffiles.split('\n').filter(Boolean);
    f.set('Conffiles', cf.map((p) => `\n ${p} ${sums.get(p) ?? 'newconffile'}`).join(''));
  }
  const keys = [...ORDER.filter((k) => f.has(k)), ...[...f.keys()].filter((k) => !ORDER.includes(k))];
  return keys.map((k) => (k === 'Conffiles' ? `${k}:${f.get(k)}` : `${k}: ${f.get(k)}`)).join('\n') + '\n';
}

export function field(deb, name) {
  return deb.fields.find(([k]) => k === name)?.[1];
}
