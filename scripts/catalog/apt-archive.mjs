// Reading a release's archive metadata as apt sees it: the Packages files of its suites (decompressed
// with apt's own apt-helper), candidate versions (highest pin, then highest version), virtual
// packages (Provides) and the closure apt-get install pulls in.
//  - bookworm: this (bookworm) machine's own /var/lib/apt/lists (bookworm, bookworm-updates,
//    bookworm-security; main; all pinned 500).
//  - noble, jammy, focal, resolute: the lists a real `apt-get update` (this machine's apt 2.6.1, with the
//    docker images' apt.conf.d, so lists are kept lz4-compressed under apt's own file names) writes
//    for the sources of the ubuntu image (24.04's /etc/apt/sources.list.d/ubuntu.sources, 22.04's
//    and 20.04's sources.list), into $LAYERLAB_CATALOG_CACHE/<codename>/lists (`updateUbuntu`).
//    <codename>-backports is NotAutomatic + ButAutomaticUpgrades (pin 100), the other suites 500.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const CACHE = process.env.LAYERLAB_CATALOG_CACHE || '/tmp/layerlab-catalog';
// Another Debian release's lists (apt-trixie.mjs): LAYERLAB_APT_LISTS (a private apt state) and LAYERLAB_APT_CODENAME.
export const LISTS = process.env.LAYERLAB_APT_LISTS ?? '/var/lib/apt/lists';
const CODENAME = process.env.LAYERLAB_APT_CODENAME ?? 'bookworm';
/** The suites of debian:<codename>-slim's debian.sources, in apt's order. */
export const SOURCES = [
  { uri: 'http://deb.debian.org/debian', suite: CODENAME, prefix: `deb.debian.org_debian_dists_${CODENAME}` },
  { uri: 'http://deb.debian.org/debian', suite: `${CODENAME}-updates`, prefix: `deb.debian.org_debian_dists_${CODENAME}-updates` },
  { uri: 'http://deb.debian.org/debian-security', suite: `${CODENAME}-security`, prefix: `deb.debian.org_debian-security_dists_${CODENAME}-security` },
];

const ubuntuSuite = (uri, suite, pin) => ({ uri, suite, pin, prefix: `${uri.replace(/^http:\/\//, '').replace(/\//g, '_')}_dists_${suite}` });
/**
 * An Ubuntu release as its image's sources name it: <codename>, -updates, -backports (pin 100:
 * NotAutomatic + ButAutomaticUpgrades) on archive.ubuntu.com, -security on security.ubuntu.com,
 * with the components in the order the image's sources file lists them (the catalog's image models:
 * ubuntu:24.04's ubuntu.sources says `main universe restricted multiverse`, 22.04's and 20.04's
 * sources.list `main restricted universe multiverse`).
 */
function ubuntu(codename, version, components) {
  const archive = 'http://archive.ubuntu.com/ubuntu';
  const security = 'http://security.ubuntu.com/ubuntu';
  return {
    codename,
    version,
    ubuntu: true,
    lists: join(CACHE, codename, 'lists'),
    // The ubuntu images' /etc/apt/apt.conf.d/docker-gzip-indexes also sets
    // `Acquire::CompressionTypes::Order:: "gz"` (docker's old mkimage/debootstrap recipe), so apt
    // downloads Packages.gz, not .xz: BuildKit logs of `FROM ubuntu:24.04` + `RUN apt-get update`
    // print `noble/universe amd64 Packages [19.3 MB]` and `noble/main … [1808 kB]`, the .gz sizes
    // (19,315,644 and 1,808,488 bytes in noble's InRelease). It keeps them as .lz4 all the same.
    download: 'gz',
    components,
    suites: [
      ubuntuSuite(archive, codename, 500),
      ubuntuSuite(archive, `${codename}-updates`, 500),
      ubuntuSuite(archive, `${codename}-backports`, 100),
      ubuntuSuite(security, `${codename}-security`, 500),
    ],
    sourcesFile: `Types: deb\nURIs: ${archive}/\nSuites: ${codename} ${codename}-updates ${codename}-backports\nComponents: ${components.join(' ')}\nTrusted: yes\n\n` +
      `Types: deb\nURIs: ${security}/\nSuites: ${codename}-security\nComponents: ${components.join(' ')}\nTrusted: yes\n`,
  };
}

/** Where each release's lists live and which suites (and components) its image's sources name. */
export const DISTROS = {
  bookworm: { codename: 'bookworm', lists: LISTS, components: ['main'], suites: SOURCES.map((s) => ({ ...s, pin: 500 })) },
  noble: ubuntu('noble', '24.04', ['main', 'universe', 'restricted', 'multiverse']),
  jammy: ubuntu('jammy', '22.04', ['main', 'restricted', 'universe', 'multiverse']),
  focal: ubuntu('focal', '20.04', ['main', 'restricted', 'universe', 'multiverse']),
  resolute: ubuntu('resolute', '26.04', ['main', 'universe', 'restricted', 'multiverse']),
};

/**
 * Runs a real `apt-get update` for an Ubuntu image's sources into the cache (own lists, cache and
 * state directories; the machine's apt state is not touched). Simulation: Ubuntu's archive key is
 * not on this machine, so the sources are `Trusted: yes` and apt keeps each InRelease under the
 * name `_Release` (same bytes); the catalog names it `_InRelease` as a verifying apt does.
 */
export function updateUbuntu(distro) {
  const d = join(CACHE, distro.codename);
  for (const sub of ['sources.list.d', 'lists/partial', 'cache/archives/partial', 'state']) mkdirSync(join(d, sub), { recursive: true });
  writeFileSync(join(d, 'sources.list.d', 'ubuntu.sources'), distro.sourcesFile);
  if (!existsSync(join(d, 'status'))) writeFileSync(join(d, 'status'), '');
  execFileSync('apt-get', ['update', '-o', 'Dir::Etc::SourceList=/dev/null', '-o', `Dir::Etc::SourceParts=${d}/sources.list.d`, '-o', `Dir::State::Lists=${d}/lists`,
    '-o', `Dir::Cache=${d}/cache`, '-o', `Dir::State::status=${d}/status`, '-o', `Dir::State=${d}/state`, '-o', 'Debug::NoLocking=1',
    '-o', 'APT::Architecture=amd64', '-o', 'APT::Architectures::=amd64'], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** The InRelease file apt kept for a suite (`_Release` when it could not verify it, see updateNoble). */
function inReleaseFile(distro, src) {
  for (const n of [`${src.prefix}_InRelease`, `${src.prefix}_Release`]) if (existsSync(join(distro.lists, n))) return n;
  throw new Error(`no InRelease for ${src.suite} in ${distro.lists}: run apt-get update`);
}

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

/**
 * The archive: candidate stanza per package name (`_suite`, `_component`, `_uri` of the first source
 * in sources order that has the candidate version; `_origins`: every version of the name in every
 * source, as `apt-cache policy` lists them), providers per virtual name, every binary name.
 */
export function readArchive(distro = DISTROS.bookworm) {
  const candidates = new Map();
  const allNames = new Set();
  const origins = new Map();
  for (const src of distro.suites) {
    for (const component of distro.components) {
      const file = readdirSync(distro.lists).find((f) => f.startsWith(`${src.prefix}_${component}_binary-amd64_Packages`));
      // An empty Packages (e.g. noble-backports/restricted) is known from the InRelease: apt writes no file.
      if (!file && distro.components.length > 1) continue;
      if (!file) throw new Error(`no Packages list for ${src.suite}/${component}: run apt-get update`);
      const text = execFileSync('/usr/lib/apt/apt-helper', ['cat-file', join(distro.lists, file)], { encoding: 'utf8', maxBuffer: 1 << 30 });
      for (const st of parseStanzas(text)) {
        const name = st.get('Package');
        allNames.add(name);
        st.set('_suite', src.suite);
        st.set('_component', component);
        st.set('_uri', src.uri);
        st.set('_pin', src.pin);
        if (!origins.has(name)) origins.set(name, []);
        origins.get(name).push([st.get('Version'), `${src.suite}/${component}`, src.pin]);
        const old = candidates.get(name);
        const newer = !old || src.pin > old.get('_pin') || (src.pin === old.get('_pin') && compareVersions(st.get('Version'), old.get('Version')) > 0);
        if (newer) candidates.set(name, st);
      }
    }
  }
  for (const [name, st] of candidates) {
    const list = origins.get(name).sort((a, b) => compareVersions(b[0], a[0]));
    st.set('_origins', list.map((o) => o.join(' ')).join(','));
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

/**
 * The list files `apt-get update` leaves, with their on-disk sizes and the downloaded sizes (.xz;
 * .gz for the Ubuntu images, see `download`):
 * one row per suite and component (`component` omitted for bookworm's single `main`).
 */
export function listFacts(distro = DISTROS.bookworm) {
  const files = [];
  for (const src of distro.suites) {
    const irFile = inReleaseFile(distro, src);
    const inRelease = `${src.prefix}_InRelease`;
    const irText = readFileSync(join(distro.lists, irFile), 'utf8');
    const date = /^Date: (.*)$/m.exec(irText)[1];
    for (const component of distro.components) {
      const pk = readdirSync(distro.lists).find((f) => f.startsWith(`${src.prefix}_${component}_binary-amd64_Packages`));
      if (!pk) continue;
      const xz = new RegExp(`^ [0-9a-f]{64}\\s+(\\d+) ${component}/binary-amd64/Packages\\.${distro.download ?? 'xz'}$`, 'm').exec(irText);
      files.push({ suite: src.suite, uri: src.uri, ...(distro.components.length > 1 ? { component } : {}), inRelease, inReleaseSize: statSync(join(distro.lists, irFile)).size,
        packages: pk, packagesSize: statSync(join(distro.lists, pk)).size, packagesDownload: xz ? Number(xz[1]) : 0, date });
    }
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
