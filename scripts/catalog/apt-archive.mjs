// Reading Debian's archive metadata as apt sees it on this machine: the Packages files of
// bookworm, bookworm-updates and bookworm-security under /var/lib/apt/lists (decompressed with
// apt's own apt-helper), candidate versions (highest version wins; all three have priority 500),
// virtual packages (Provides) and the closure apt-get install pulls in.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Another Debian release's lists (apt-trixie.mjs): LAYERLAB_APT_LISTS (a private apt state) and LAYERLAB_APT_CODENAME.
export const LISTS = process.env.LAYERLAB_APT_LISTS ?? '/var/lib/apt/lists';
const CODENAME = process.env.LAYERLAB_APT_CODENAME ?? 'bookworm';
/** The suites of debian:<codename>-slim's debian.sources, in apt's order. */
export const SOURCES = [
  { uri: 'http://deb.debian.org/debian', suite: CODENAME, prefix: `deb.debian.org_debian_dists_${CODENAME}` },
  { uri: 'http://deb.debian.org/debian', suite: `${CODENAME}-updates`, prefix: `deb.debian.org_debian_dists_${CODENAME}-updates` },
  { uri: 'http://deb.debian.org/debian-security', suite: `${CODENAME}-security`, prefix: `deb.debian.org_debian-security_dists_${CODENAME}-security` },
];

/** dpkg's version comparison (lib/dpkg/version.c dpkg_version_compare / verrevcmp). */
export function compareVersions(a, b) {
  const split = (v) => {
    const c = v.indexOf(':');
    const epoch = c >= 0 ? Number(v.slice(0, c)) : 0;
    const rest = c >= 0 ? v.slice(c + 1) : v;
    const d = rest.lastIndexOf('-');
    return [epoch, d >= 0 ? rest.slice(0, d) : rest, d >= 0 ? rest.slice(d + 1) : ''];
  };
  const order = (ch) => (ch === '~' ? -1 : /\d/.test(ch) ? 0 : !ch ? 0 : /[A-Za-z]/.test(ch) ? ch.charCodeAt(0) : ch.charCodeAt(0) + 256);
  const verrevcmp = (x, y) => {
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      let first = 0;
      while ((i < x.length && !/\d/.test(x[i])) || (j < y.length && !/\d/.test(y[j]))) {
        const ac = order(x[i]);
        const bc = order(y[j]);
        if (ac !== bc) return ac - bc;
        i++;
        j++;
      }
      while (x[i] === '0') i++;
      while (y[j] === '0') j++;
      while (/\d/.test(x[i] ?? '') && /\d/.test(y[j] ?? '')) {
        if (!first) first = x.charCodeAt(i) - y.charCodeAt(j);
        i++;
        j++;
      }
      if (/\d/.test(x[i] ?? '')) return 1;
      if (/\d/.test(y[j] ?? '')) return -1;
      if (first) return first;
    }
    return 0;
  };
  const [ea, ua, ra] = split(a);
  const [eb, ub, rb] = split(b);
  if (ea !== eb) return ea - eb;
  return verrevcmp(ua, ub) || verrevcmp(ra, rb);
}

/** Parses a Packages file into stanzas (Map of field → value, multi-line values kept). */
export function parseStanzas(text) {
  const out = [];
  for (const block of text.split(/\n\n+/)) {
    if (!block.trim()) continue;
    const f = new Map();
    let last;
    for (const line of block.split('\n')) {
      if (/^\s/.test(line) && last) f.set(last, f.get(last) + '\n' + line);
      else {
        const i = line.indexOf(':');
        last = line.slice(0, i);
        f.set(last, line.slice(i + 1).trim());
      }
    }
    out.push(f);
  }
  return out;
}

/** A dependency field as a list of OR-groups of {name, op, version, arch}. */
export function parseDepends(s) {
  if (!s) return [];
  return s.split(',').map((g) => g.trim()).filter(Boolean).map((g) =>
    g.split('|').map((a) => {
      const m = /^([^\s(:]+)(?::(\S+))?\s*(?:\(\s*([<>=]+)\s*([^)\s]+)\s*\))?/.exec(a.trim());
      return { name: m[1], arch: m[2], op: m[3], version: m[4] };
    }),
  );
}

/** The archive: candidate stanza per package name, providers per virtual name, list-file facts. */
export function readArchive() {
  const candidates = new Map();
  const allNames = new Set();
  for (const src of SOURCES) {
    const file = readdirSync(LISTS).find((f) => f.startsWith(src.prefix + '_main_binary-amd64_Packages'));
    if (!file) throw new Error(`no Packages list for ${src.suite}: run apt-get update`);
    const text = execFileSync('/usr/lib/apt/apt-helper', ['cat-file', join(LISTS, file)], { encoding: 'utf8', maxBuffer: 1 << 30 });
    for (const st of parseStanzas(text)) {
      const name = st.get('Package');
      allNames.add(name);
      st.set('_suite', src.suite);
      st.set('_uri', src.uri);
      const old = candidates.get(name);
      if (!old || compareVersions(st.get('Version'), old.get('Version')) > 0) candidates.set(name, st);
    }
  }
  const providers = new Map();
  for (const [name, st] of candidates) {
    for (const g of parseDepends(st.get('Provides'))) {
      const v = g[0].name;
      if (!providers.has(v)) providers.set(v, []);
      providers.get(v).push(name);
    }
  }
  return { candidates, providers, allNames };
}

/** The list files `apt-get update` leaves, with their on-disk sizes and the downloaded (.xz) sizes. */
export function listFacts() {
  const files = [];
  for (const src of SOURCES) {
    const inRelease = `${src.prefix}_InRelease`;
    const irText = readFileSync(join(LISTS, inRelease), 'utf8');
    const pk = readdirSync(LISTS).find((f) => f.startsWith(src.prefix + '_main_binary-amd64_Packages'));
    const xz = /^ [0-9a-f]{64}\s+(\d+) main\/binary-amd64\/Packages\.xz$/m.exec(irText);
    const date = /^Date: (.*)$/m.exec(irText)[1];
    files.push({ suite: src.suite, uri: src.uri, inRelease, inReleaseSize: statSync(join(LISTS, inRelease)).size,
      packages: pk, packagesSize: statSync(join(LISTS, pk)).size, packagesDownload: xz ? Number(xz[1]) : 0, date });
  }
  return files;
}

/**
 * What `apt-get install` adds for `names` on a system where `installed` is present: Depends and
 * Pre-Depends, and Recommends unless `noRecommends`, recursively; an OR-group takes its first
 * alternative that is installed, else its first that exists (a real package or a virtual one's
 * first provider), as apt's resolver does for a fresh install.
 */
export function closure(archive, names, { installed = new Set(), noRecommends = false } = {}) {
  const out = new Set();
  const missing = [];
  const resolve = (n) => {
    if (archive.candidates.has(n)) return n;
    const p = archive.providers.get(n);
    return p?.[0];
  };
  const visit = (n) => {
    if (out.has(n) || installed.has(n)) return;
    out.add(n);
    const st = archive.candidates.get(n);
    const fields = ['Pre-Depends', 'Depends', ...(noRecommends ? [] : ['Recommends'])];
    for (const fld of fields) {
      for (const g of parseDepends(st.get(fld))) {
        if (g.some((a) => installed.has(a.name) || out.has(a.name) || (archive.providers.get(a.name) ?? []).some((p) => installed.has(p) || out.has(p)))) continue;
        const pick = g.map((a) => resolve(a.name)).find(Boolean);
        if (pick) visit(pick);
        else if (fld !== 'Recommends') missing.push(`${n}: ${fld} ${g.map((a) => a.name).join(' | ')}`);
      }
    }
  };
  for (const n of names) {
    const r = resolve(n);
    if (r) visit(r);
    else missing.push(n);
  }
  return { packages: out, missing };
}
