#!/usr/bin/env node
// The base-image tags people write beyond the hand-built core of build.mjs: more alpine, debian,
// ubuntu, python, node releases and the server/runtime images (nginx, httpd, redis, postgres,
// mysql, golang, eclipse-temurin, openjdk). Run after build.mjs:
//   node scripts/catalog/models.mjs
// Every image reuses the core catalog's layers by reference ({ref, layer}: stored once, same diffID,
// as a real shared base layer) and adds modelled layers: real package file lists where Debian's
// archive has them, the real npm/pip file trees already used by the core, and a handful of named,
// sized files elsewhere. Each image's total is calibrated to its uncompressed size, and each
// modelled layer gets a SyntheticContent random share chosen so the gzip blobs add up to the
// published compressed size. Figures and their sources: src/engine/image/catalog-README.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAlpineBase, apkAddLayer } from './alpine.mjs';
import { buildBookwormSlim, unpackDebs, writeDpkgInfo } from './debian.mjs';
import { pythonRuntimeDeps, pythonBuild, pythonSymlinks, buildUbuntu, nodeLayers, npmPackageJson, totalSize } from './derived.mjs';
import { GenTree, encodeLayer } from './tree.mjs';
import { FIGURES } from './model-figures.mjs';
import { ratioOf, shareFor } from './ratio.mjs';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../public/catalog');
const FORMAT = 'layerlab-catalog/1';
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const sec = (iso) => Math.floor(Date.parse(iso) / 1000);
const DEBIAN_RENAME = [['x86_64-linux-gnu', 'aarch64-linux-gnu'], ['ld-linux-x86-64.so.2', 'ld-linux-aarch64.so.1'], ['amd64', 'arm64']];
const ALPINE_RENAME = [['x86_64', 'aarch64']];

// ------------------------------------------------------------------ helpers

/** Bytes of regular files (texts included) in a stored layer of another catalog file, and its random share per platform. */
function storedLayer(file, layer) {
  const img = JSON.parse(readFileSync(join(OUT, file), 'utf8'));
  const raw = img.layers[layer];
  if (raw.ref) return storedLayer(raw.ref, raw.layer);
  let n = 0;
  for (const line of raw.entries.split('\n')) {
    const [, , kind, , data] = line.split('\t');
    if (kind?.[0] !== 'f') continue;
    n += data.startsWith('=') ? Buffer.byteLength(raw.texts[Number(data.slice(1))]) : Number(data);
  }
  const rnd = Object.fromEntries(PLATFORMS.map((p) => [p, img.platforms[p]?.rnd?.[layer] ?? raw.rnd ?? 100]));
  return { size: n, file, layer, rnd };
}
/** Real blob sizes of the core layers after calibrate.mts, by `file#layer` and platform. */
const CORE_GZ = (() => {
  try {
    return JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'core-gz.json'), 'utf8'));
  } catch {
    return {};
  }
})();
/** Expected blob size of a shared layer: measured for core layers, from its random share otherwise. */
const sharedBlob = (r, platform) => CORE_GZ[`${r.file}#${r.layer}`]?.[platform] ?? r.size * ratioOf(r.rnd[platform]);
const ref = (file, layer) => ({ ref: storedLayer(file, layer) });

/** Named files: [path, size, mode?]. */
function put(t, list) {
  for (const [p, size, mode = 0o644] of list) t.file(p, { size, mode });
}
/** Symlinks: [path, target]. */
function links(t, list) {
  for (const [p, target] of list) t.symlink(p, target);
}
/** Scales the synthetic files of `trees` (all if no prefixes) so the image adds up to `target`. */
function scaleModel(trees, fixed, target) {
  const all = trees.flatMap((t) => [...t.entries.values()].filter((e) => e.type === 'f' && e.text === undefined && !e.fixed));
  const scalable = all.reduce((n, e) => n + e.size, 0);
  const others = trees.reduce((n, t) => n + t.contentSize, 0) - scalable + fixed;
  const factor = (target - others) / scalable;
  if (!(factor > 0)) throw new Error(`cannot scale to ${target}: fixed part ${others}`);
  for (const e of all) e.size = Math.max(0, Math.round(e.size * factor));
  // Rounding: put the remainder on the biggest file.
  const now = trees.reduce((n, t) => n + t.contentSize, 0) + fixed;
  const big = all.reduce((a, b) => (b.size > a.size ? b : a));
  big.size += target - now;
  return factor;
}
/** Clone of a GenTree (entries copied). */
function clone(t) {
  const c = new GenTree();
  for (const [p, e] of t.entries) c.entries.set(p, { ...e });
  return c;
}

const images = [];
const written = [];
const CORE_FILES = new Set(JSON.parse(readFileSync(join(OUT, 'index.json'), 'utf8')).images.filter((i) => !i.model).map((i) => i.file));
/**
 * Writes one image. `layers`: GenTrees (modelled here) or {ref} (shared with another catalog file).
 * `size`/`compressed`: the published figures; `sizeSource`: where they come from.
 */
function image({ name, tags, reference, description, created, layers, config, history, rename, size, compressed, compressedArm64, sizeSource, file }) {
  tags = [...new Set(tags)];
  file ??= `${name}-${tags[0]}.json`.replace(/[:/]/g, '_');
  // Never overwrite a core image's file (python:3.12-slim-bookworm is python-3.12-slim.json).
  if (CORE_FILES.has(file)) file = `${reference.replace(/[:/]/g, '-')}.json`;
  const own = layers.filter((l) => !l.ref);
  const fixed = layers.filter((l) => l.ref).reduce((n, l) => n + l.ref.size, 0);
  if (own.length) scaleModel(own, fixed, size);
  // Compressed: shared layers keep their blobs (measured for the core's, estimated from their
  // random share otherwise); the modelled ones get the share that brings the image to the
  // published compressed size of each platform (arm64's blobs are not amd64's size).
  const ownSize = own.reduce((n, t) => n + t.contentSize, 0);
  const targets = { 'linux/amd64': compressed, 'linux/arm64': compressedArm64 ?? compressed };
  const sharedGz = Object.fromEntries(PLATFORMS.map((p) => [p, layers.filter((l) => l.ref).reduce((n, l) => n + sharedBlob(l.ref, p), 0)]));
  const share = Object.fromEntries(PLATFORMS.map((p) => [p, ownSize ? Math.max(0, Math.min(256, shareFor((targets[p] - sharedGz[p]) / ownSize))) : 100]));
  const rnd = share['linux/amd64'];
  const armRnd = layers.map((l) => (l.ref || share['linux/arm64'] === rnd ? null : share['linux/arm64']));
  const bys = history.filter((h) => !h.empty_layer);
  if (bys.length !== layers.length) throw new Error(`${reference}: ${bys.length} layer history entries for ${layers.length} layers`);
  const data = {
    format: FORMAT,
    reference,
    expectedSize: size,
    expectedCompressedSize: compressed,
    layers: layers.map((l, i) => (l.ref ? { ref: l.ref.file, layer: l.ref.layer } : { ...encodeLayer(l, { mtime: sec(created), seed: `${reference}#${i}`, comment: bys[i].created_by.slice(0, 80) }), rnd })),
    // Both platforms the core images have: arm64 is the same tree with the multiarch names and
    // another seed for the synthetic bytes (as the core's), and its own random share where the
    // published arm64 blobs differ in size.
    platforms: {
      'linux/amd64': { config: { architecture: 'amd64', os: 'linux', created, config, history } },
      'linux/arm64': { config: { architecture: 'arm64', os: 'linux', variant: 'v8', created, config, history }, rename, seedSalt: 'arm64', ...(armRnd.some((x) => x !== null) ? { rnd: armRnd } : {}) },
    },
  };
  const json = JSON.stringify(data);
  writeFileSync(join(OUT, file), json);
  written.push(file);
  images.push({ name, tags, file, platforms: Object.keys(data.platforms), layerCount: layers.length, expectedSize: size, sizeSource, description });
  const total = ownSize + fixed;
  const gz = (p) => ((sharedGz[p] + ownSize * ratioOf(share[p])) / 1e6).toFixed(1);
  console.log(`${reference.padEnd(34)} layers=${layers.length} size=${(total / 1e6).toFixed(2)}MB/${(size / 1e6).toFixed(2)} gz~${gz('linux/amd64')}MB/${(compressed / 1e6).toFixed(1)} arm64~${gz('linux/arm64')}MB/${(targets['linux/arm64'] / 1e6).toFixed(1)} r=${rnd}/${share['linux/arm64']} file=${(json.length / 1024).toFixed(0)}KiB`);
  return { file, layers: data.layers, share };
}
const layerOf = (img, i) => {
  const l = img.layers[i];
  return l.ref ? ref(l.ref, l.layer) : { ref: storedLayer(img.file, i) };
};
const bk = (created) => (created_by, empty) => ({ created, created_by, comment: 'buildkit.dockerfile.v0', ...(empty ? { empty_layer: true } : {}) });
const F = (key) => {
  const f = FIGURES[key];
  if (!f) throw new Error(`no figures for ${key}`);
  return f;
};

// ------------------------------------------------------------------ alpine
const alpineHistory = (release, created) => [
  { created, created_by: `ADD alpine-minirootfs-${release}-x86_64.tar.gz / # buildkit`, comment: 'buildkit.dockerfile.v0' },
  { created, created_by: 'CMD ["/bin/sh"]', comment: 'buildkit.dockerfile.v0', empty_layer: true },
];
const ALPINE = {};
for (const [minor, v] of Object.entries({
  '3.24': { file: 'nginx-alpine.json', layer: 0, release: '3.24.2' },
  '3.23': { file: 'node-22-alpine.json', layer: 0, release: '3.23.6' },
  '3.21': { release: '3.21.8', apk: '2.14.6-r3', libapk: 'libapk2', busybox: '1.37.0-r14', musl: '1.2.5-r11' },
  '3.20': { release: '3.20.8', apk: '2.14.4-r1', libapk: 'libapk2', busybox: '1.36.1-r29', musl: '1.2.5-r1' },
})) {
  const fig = F(`alpine:${minor}`);
  const tags = [minor, v.release, ...(minor === '3.24' ? ['3', 'latest'] : [])];
  const layers = v.file ? [ref(v.file, v.layer)] : [buildAlpineBase(v).tree];
  ALPINE[minor] = image({ name: 'alpine', tags, reference: `alpine:${v.release}`, created: fig.created, description: `Alpine Linux ${minor}: musl, busybox, apk (model).`,
    layers, config: { Env: [PATH], Cmd: ['/bin/sh'] }, history: alpineHistory(v.release, fig.created), rename: ALPINE_RENAME, ...fig });
  ALPINE[minor].release = v.release;
}

// ------------------------------------------------------------------ debian
const debianCreated = '2026-09-18T00:00:00Z';
const debian = buildBookwormSlim({ created: debianCreated });
const BOOKWORM_SLIM = ref('debian-bookworm-slim.json', 0);

/** The docs, man pages and locales debuerreotype's slimify removes, from the same packages. */
function unslimmed() {
  const full = new GenTree();
  unpackDebs(full, debian.debs.map((d) => d.name), { slim: false });
  const docs = new GenTree();
  for (const [p, e] of full.entries) if (/^\/usr\/share\/(doc|man|info|locale|lintian)\//.test(p) && !debian.tree.entries.has(p)) docs.entries.set(p, { ...e });
  return docs;
}
const DOCS = unslimmed();
function debianRelease(tree, { version, codename, slim }) {
  const t = clone(tree);
  const text = (p, s) => t.entries.has(p) && t.file(p, { text: s, mode: t.entries.get(p).mode });
  const major = version.split('.')[0];
  text('/etc/debian_version', `${version}\n`);
  text('/usr/lib/os-release', `PRETTY_NAME="Debian GNU/Linux ${major} (${codename})"\nNAME="Debian GNU/Linux"\nVERSION_ID="${major}"\nVERSION="${major} (${codename})"\nVERSION_CODENAME=${codename}\nDEBIAN_VERSION_FULL=${version}\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n`);
  text('/etc/apt/sources.list.d/debian.sources', `Types: deb\n# http://snapshot.debian.org/archive/debian/20260915T000000Z\nURIs: http://deb.debian.org/debian\nSuites: ${codename} ${codename}-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\nTypes: deb\n# http://snapshot.debian.org/archive/debian-security/20260915T000000Z\nURIs: http://deb.debian.org/debian-security\nSuites: ${codename}-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`);
  if (!slim) {
    for (const [p, e] of DOCS.entries) t.entries.set(p, { ...e });
    for (const p of [...t.entries.keys()]) if (p.startsWith('/etc/dpkg/dpkg.cfg.d/docker') || p === '/etc/apt/apt.conf.d/docker-no-languages') t.entries.delete(p);
  }
  return t;
}
const debHistory = (created, arch, codename) => [{ created, created_by: `# debian.sh --arch '${arch}' out/ '${codename}' '@${sec(created)}'`, comment: 'debuerreotype 0.16' }];
const DEB = {};
{
  const c = F('debian:trixie-slim').created;
  DEB['trixie-slim'] = image({ name: 'debian', tags: ['trixie-slim', '13-slim', '13.2-slim', 'stable-slim'], reference: 'debian:trixie-slim', created: c,
    description: 'Debian 13 slim (model): bookworm-slim\'s tree with trixie\'s release files, sized to the real image.',
    layers: [debianRelease(debian.tree, { version: '13.2', codename: 'trixie', slim: true })], config: { Env: [PATH], Cmd: ['bash'] },
    history: debHistory(c, 'amd64', 'trixie'), rename: DEBIAN_RENAME, ...F('debian:trixie-slim') });
  DEB.trixie = image({ name: 'debian', tags: ['trixie', '13', '13.2', 'latest', 'stable'], reference: 'debian:trixie', created: c,
    description: 'Debian 13 (model): the slim tree plus the docs, man pages and locales of its packages.',
    layers: [debianRelease(debian.tree, { version: '13.2', codename: 'trixie', slim: false })], config: { Env: [PATH], Cmd: ['bash'] },
    history: debHistory(c, 'amd64', 'trixie'), rename: DEBIAN_RENAME, ...F('debian:trixie') });
  DEB.bookworm = image({ name: 'debian', tags: ['bookworm', '12', '12.15'], reference: 'debian:bookworm', created: debianCreated,
    description: 'Debian 12 (model): the real bookworm-slim tree plus the docs, man pages and locales slimify removes.',
    layers: [debianRelease(debian.tree, { version: '12.15', codename: 'bookworm', slim: false })], config: { Env: [PATH], Cmd: ['bash'] },
    history: debHistory(debianCreated, 'amd64', 'bookworm'), rename: DEBIAN_RENAME, ...F('debian:bookworm') });
}
const TRIXIE_SLIM = layerOf(DEB['trixie-slim'], 0);
const TRIXIE = layerOf(DEB.trixie, 0);
const BOOKWORM = layerOf(DEB.bookworm, 0);

// ------------------------------------------------------------------ ubuntu
{
  const u = buildUbuntu(debian.tree, debian.debs, { created: '2026-08-17T13:09:51Z' });
  for (const [ver, codename, pretty] of [['22.04', 'jammy', '22.04.5 LTS (Jammy Jellyfish)'], ['20.04', 'focal', '20.04.6 LTS (Focal Fossa)']]) {
    const t = clone(u.tree);
    const text = (p, s) => t.entries.has(p) && t.file(p, { text: s, mode: t.entries.get(p).mode });
    text('/usr/lib/os-release', `PRETTY_NAME="Ubuntu ${pretty.split(' (')[0]}"\nNAME="Ubuntu"\nVERSION_ID="${ver}"\nVERSION="${pretty}"\nVERSION_CODENAME=${codename}\nID=ubuntu\nID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\nSUPPORT_URL="https://help.ubuntu.com/"\nBUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\nPRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"\nUBUNTU_CODENAME=${codename}\n`);
    text('/etc/lsb-release', `DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=${ver}\nDISTRIB_CODENAME=${codename}\nDISTRIB_DESCRIPTION="Ubuntu ${pretty.split(' (')[0]}"\n`);
    text('/etc/debian_version', ver === '22.04' ? 'bookworm/sid\n' : 'bullseye/sid\n');
    if (t.entries.has('/etc/apt/sources.list.d/ubuntu.sources')) t.entries.delete('/etc/apt/sources.list.d/ubuntu.sources');
    t.file('/etc/apt/sources.list', { text: ['', '-updates', '-backports', '-security'].map((s) => `deb http://${s === '-security' ? 'security' : 'archive'}.ubuntu.com/ubuntu/ ${codename}${s} main restricted universe multiverse\n`).join('') });
    // jammy/focal have no ubuntu user (added in noble).
    for (const p of ['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/gshadow']) {
      const e = t.entries.get(p);
      if (e?.text) e.text = e.text.split('\n').filter((l) => !l.startsWith('ubuntu:')).join('\n');
    }
    t.delete('/home/ubuntu');
    const fig = F(`ubuntu:${ver}`);
    const h = (s, empty = true) => ({ created: fig.created, created_by: `/bin/sh -c #(nop) ${s}`, ...(empty ? { empty_layer: true } : {}) });
    image({ name: 'ubuntu', tags: [ver, codename], reference: `ubuntu:${ver}`, created: fig.created,
      description: `Ubuntu ${ver} (model): the noble model with ${codename}'s release files, sized to the real image.`,
      layers: [t], config: { Env: [PATH], Cmd: ['/bin/bash'], Labels: { 'org.opencontainers.image.ref.name': 'ubuntu', 'org.opencontainers.image.version': ver } },
      history: [h(' ARG RELEASE'), h(' ARG LAUNCHPAD_BUILD_ARCH'), h(' LABEL org.opencontainers.image.ref.name=ubuntu'), h(` LABEL org.opencontainers.image.version=${ver}`),
        h(`ADD file:${ver === '22.04' ? 'f2c4b5cbd1a8ff5fc1c3e34f4af6ad5d4b6fb9a6a1ce2fc1ad7f8e3c5a0d2b9e' : 'a21e1a8b0b5a7ab1c4cd33d0e2a3e7e7ff1dcb4fe6e5a9f9cbb6c2e0f3b6d8c1'} in / `, false), h(' CMD ["/bin/bash"]')],
      rename: DEBIAN_RENAME, ...fig });
  }
}

// Docker Hub moved `ubuntu:latest` to 26.04 (resolute) and eclipse-temurin's `21`, `21-jdk`,
// `21-jre`, `latest` to its resolute builds (repo-info: ubuntu/remote/latest.md lists the same amd64
// manifest as ubuntu/remote/26.04.md). Switch to keep the new images under their own tags only.
const MOVE_ALIASES = true;
// ubuntu:26.04 (resolute): built by rockcraft since 25.10 — two layers (the rootfs, then rockcraft's
// "control data" layer holding /.rock/metadata.yaml: rockcraft/oci.py set_control_data) and a
// history of `umoci` steps (repo-info ubuntu/remote/26.04.md).
const ROCK_DESCRIPTION = "The Ubuntu container image maintained by Canonical\n\nUbuntu is a Debian-based Linux operating system that runs from the desktop to the cloud, to all your internet connected things.\nIt is the world's most popular operating system across public clouds and OpenStack clouds.\nIt is the number one platform for containers; from Docker to Kubernetes to LXD, Ubuntu can run your containers at scale.\nFast, secure and simple, Ubuntu powers millions of PCs worldwide.\n";
/** rockcraft's history of an ubuntu rock (build dir and pid as in the published amd64 history). */
function rockHistory(created, { dir = '/home/buildd/rockcraft-ubuntu-64c38dcc01e7a4a6a4edc23c9f41a2cf/images', pid = 9520, labelCreated = created.replace('Z', '.825539+00:00') } = {}) {
  const img = `${dir}/ubuntu:26.04`;
  const h = (created_by, empty = true) => ({ created, created_by, ...(empty ? { empty_layer: true } : {}) });
  const labels = `org.opencontainers.image.version=26.04 --config.label org.opencontainers.image.title=ubuntu --config.label org.opencontainers.image.created=${labelCreated} --config.label org.opencontainers.image.description=${ROCK_DESCRIPTION}`;
  return [
    h(`umoci raw add-layer --image ${dir}/ubuntu:rockcraft-base ${dir}/.temp_layer.${pid}.tar --tag 26.04`, false),
    h(`umoci config --image ${img} --clear=config.entrypoint --clear=config.cmd`),
    h(`umoci config --image ${img} --clear=config.cmd --config.cmd /bin/bash`),
    h(`umoci config --image ${img} --config.env ${PATH}`),
    h(`umoci config --image ${img} --clear=config.labels --config.label ${labels}`),
    h(`umoci config --image ${img} --clear=manifest.annotations --manifest.annotation ${labels.replaceAll('--config.label', '--manifest.annotation')}`),
    h(`umoci raw add-layer --image ${img} ${dir}/.temp_layer.control_data.${pid}.tar`, false),
  ];
}
const UBUNTU_RESOLUTE = (() => {
  const fig = F('ubuntu:26.04');
  const u = buildUbuntu(debian.tree, debian.debs, { created: fig.created });
  const t = clone(u.tree);
  const text = (p, s) => t.entries.has(p) && t.file(p, { text: s, mode: t.entries.get(p).mode });
  text('/usr/lib/os-release', 'PRETTY_NAME="Ubuntu 26.04 LTS"\nNAME="Ubuntu"\nVERSION_ID="26.04"\nVERSION="26.04 LTS (Resolute Raccoon)"\nVERSION_CODENAME=resolute\nID=ubuntu\nID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\nSUPPORT_URL="https://help.ubuntu.com/"\nBUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\nPRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"\nUBUNTU_CODENAME=resolute\nLOGO=ubuntu-logo\n');
  text('/etc/lsb-release', 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=26.04\nDISTRIB_CODENAME=resolute\nDISTRIB_DESCRIPTION="Ubuntu 26.04 LTS"\n');
  text('/etc/debian_version', 'trixie/sid\n');
  const src = t.entries.get('/etc/apt/sources.list.d/ubuntu.sources');
  if (!src?.text) throw new Error('noble model without ubuntu.sources');
  src.text = src.text.replaceAll('noble', 'resolute');
  // Simulation: the control-data layer's metadata.yaml as rockcraft writes it (yaml.dump of the
  // rock's metadata); the published blob is 391 B gzip.
  const control = new GenTree();
  control.dir('/.rock', 0o755, 0, 0);
  control.file('/.rock/metadata.yaml', { mode: 0o644, text: `architecture: amd64\nbase: bare\nbuild_base: ubuntu@26.04\ncreated: '${fig.created.replace('Z', '.825539+00:00')}'\ndescription: |\n  The Ubuntu container image maintained by Canonical\nname: ubuntu\nsummary: Ubuntu 26.04 LTS\nversion: '26.04'\n` });
  const labels = { 'org.opencontainers.image.created': fig.created.replace('Z', '.825539+00:00'), 'org.opencontainers.image.description': ROCK_DESCRIPTION, 'org.opencontainers.image.title': 'ubuntu', 'org.opencontainers.image.version': '26.04' };
  return image({ name: 'ubuntu', tags: ['26.04', 'resolute', 'resolute-20260912', ...(MOVE_ALIASES ? ['latest'] : [])], reference: 'ubuntu:26.04', created: fig.created, file: 'ubuntu-26.04.json',
    description: 'Ubuntu 26.04 (model): the noble model with resolute\'s release files, and rockcraft\'s control-data layer, sized to the real image.',
    layers: [t, control], config: { Env: [PATH], Cmd: ['/bin/bash'], Labels: labels }, history: rockHistory(fig.created), rename: DEBIAN_RENAME, ...fig });
})();

// ------------------------------------------------------------------ buildpack-deps (under python/node/golang full images)
/** One apt-get install RUN from real bookworm packages (files, dpkg info), docs kept (not a slim image). */
function aptLayer(names) {
  const t = new GenTree();
  const debs = unpackDebs(t, names, { slim: false });
  writeDpkgInfo(t, debs);
  t.file('/var/lib/dpkg/status', { size: 40000 + 900 * debs.length });
  t.file('/var/cache/debconf/templates.dat', { size: 600000 });
  t.file('/var/log/dpkg.log', { size: 180 * debs.length });
  t.file('/var/log/apt/history.log', { size: 3000 });
  t.file('/var/log/apt/term.log', { size: 12000 });
  t.file('/var/lib/apt/extended_states', { size: 120 * debs.length });
  t.file('/etc/ld.so.cache', { size: 30000 });
  return t;
}
const have = (names) => names.filter((n) => { try { readFileSync(join(process.env.LAYERLAB_CATALOG_CACHE ?? '/tmp/layerlab-catalog', 'x', n, 'control')); return true; } catch { return existsDeb(n); } });
function existsDeb(n) {
  try {
    return JSON.parse(readFileSync(join(OUT, 'apt/bookworm/pkg', `${n}.json`), 'utf8')) !== undefined;
  } catch {
    return false;
  }
}
const BPD_CURL = 'ca-certificates curl gnupg dirmngr netbase wget libcurl4 libssl3 openssl libnghttp2-14 librtmp1 libssh2-1 libpsl5 libbrotli1 libldap-2.5-0 libsasl2-2 libsasl2-modules-db libgssapi-krb5-2 libkrb5-3 libk5crypto3 libkrb5support0 libkeyutils1 gpg gpgconf gpg-agent libassuan0 libksba8 libnpth0 pinentry-curses libreadline8 readline-common libsqlite3-0 libldap-common libgnutls30 libidn2-0 libpcre2-8-0 libncursesw6'.split(' ');
const BPD_SCM = 'git git-man libcurl3-gnutls liberror-perl libexpat1 perl perl-modules-5.36 libperl5.36 libgdbm6 libgdbm-compat4 mercurial mercurial-common python3 python3-minimal python3.11 python3.11-minimal libpython3.11-minimal libpython3.11-stdlib libpython3-stdlib openssh-client libcbor0.8 libedit2 libfido2-1 libxext6 libxmuu1 libx11-6 libx11-data libxau6 libxcb1 libxdmcp6 libbsd0 subversion libsvn1 libapr1 libaprutil1 libserf-1-1 libutf8proc2 procps libproc2-0 libmagic1 libmagic-mgc'.split(' ');
const BPD_BIG = 'autoconf automake bzip2 dpkg-dev file g++ gcc libbz2-dev libc6-dev libcurl4-openssl-dev libdb-dev libevent-dev libffi-dev libgdbm-dev libglib2.0-dev libgmp-dev libjpeg-dev libkrb5-dev liblzma-dev libncurses-dev libpng-dev libpq-dev libreadline-dev libsqlite3-dev libssl-dev libtool libwebp-dev libxml2-dev libxslt1-dev libyaml-dev make patch unzip xz-utils zlib1g-dev default-libmysqlclient-dev libmariadb-dev libmariadb-dev-compat cpp cpp-12 gcc-12 g++-12 libstdc++-12-dev libgcc-12-dev binutils binutils-common binutils-x86-64-linux-gnu libbinutils libctf0 libctf-nobfd0 libgprofng0 libjansson4 libasan8 libatomic1 libcc1-0 libgomp1 libitm1 liblsan0 libquadmath0 libtsan2 libubsan1 libisl23 libmpc3 libmpfr6 linux-libc-dev libcrypt-dev libnsl-dev libtirpc-dev rpcsvc-proto libglib2.0-0 libglib2.0-bin libglib2.0-data libglib2.0-dev-bin libicu72 libxml2 libxslt1.1 libjpeg62-turbo libjpeg62-turbo-dev libpng16-16 libwebp7 libyaml-0-2 libpq5 m4 libltdl-dev libltdl7 libsigsegv2 libdpkg-perl pkgconf pkgconf-bin libpkgconf3 pkg-config python3-distutils python3-lib2to3 libevent-2.1-7 libevent-core-2.1-7 libevent-extra-2.1-7 libevent-openssl-2.1-7 libevent-pthreads-2.1-7 libgmpxx4ldbl libncurses6 libtinfo-dev'.split(' ');
const bpdHistory = (created) => [
  { created, created_by: 'RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates \t\tcurl \t\tgnupg \t\tnetbase \t\tsq \t\twget \t; \trm -rf /var/lib/apt/lists/* # buildkit', comment: 'buildkit.dockerfile.v0' },
  { created, created_by: 'RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tgit \t\tmercurial \t\topenssh-client \t\tsubversion \t\t\t\tprocps \t; \trm -rf /var/lib/apt/lists/* # buildkit', comment: 'buildkit.dockerfile.v0' },
  { created, created_by: 'RUN /bin/sh -c set -ex; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tautoconf \t\tautomake \t\tbzip2 \t\tdefault-libmysqlclient-dev \t\tdpkg-dev \t\tfile \t\tg++ \t\tgcc \t\timagemagick \t\tlibbz2-dev \t\tlibc6-dev \t\tlibcurl4-openssl-dev \t\tlibdb-dev \t\tlibevent-dev \t\tlibffi-dev \t\tlibgdbm-dev \t\tlibglib2.0-dev \t\tlibgmp-dev \t\tlibjpeg-dev \t\tlibkrb5-dev \t\tliblzma-dev \t\tlibmagickcore-dev \t\tlibmagickwand-dev \t\tlibmaxminddb-dev \t\tlibncurses-dev \t\tlibpng-dev \t\tlibpq-dev \t\tlibreadline-dev \t\tlibsqlite3-dev \t\tlibssl-dev \t\tlibtool \t\tlibwebp-dev \t\tlibxml2-dev \t\tlibxslt-dev \t\tlibyaml-dev \t\tmake \t\tpatch \t\tunzip \t\txz-utils \t\tzlib1g-dev \t; \trm -rf /var/lib/apt/lists/* # buildkit', comment: 'buildkit.dockerfile.v0' },
];
// Simulation: buildpack-deps:trixie is built from bookworm's real packages (the trixie archive is
// not on this machine); one image file holds its three layers, the full python/node/golang images share them.
const BPD = (() => {
  const fig = F('buildpack-deps:trixie');
  const l1 = aptLayer(have(BPD_CURL));
  const l2 = aptLayer(have(BPD_SCM));
  const l3 = aptLayer(have(BPD_BIG));
  return image({ name: 'buildpack-deps', tags: ['trixie', 'latest', '13'], reference: 'buildpack-deps:trixie', created: fig.created,
    description: 'buildpack-deps:trixie (model): curl, scm and the build toolchain from real Debian package file lists; the base of the full python, node and golang images.',
    layers: [TRIXIE, l1, l2, l3], config: { Env: [PATH], Cmd: ['bash'] }, history: [...debHistory(fig.created, 'amd64', 'trixie'), ...bpdHistory(fig.created)], rename: DEBIAN_RENAME, ...fig });
})();
const BPD_LAYERS = [0, 1, 2, 3].map((i) => layerOf(BPD, i));
// buildpack-deps:bookworm (under node:24/22/20/18): debian:bookworm and the same three RUNs, from
// bookworm's real packages, sized to its own published figures.
const BPD_BOOKWORM_HISTORY = [...debHistory(debianCreated, 'amd64', 'bookworm'), ...bpdHistory(F('buildpack-deps:bookworm').created).map((h, i) => (i === 0 ? { ...h, created_by: h.created_by.replace(' \t\tsq', '') } : h))];
const BPD_BOOKWORM = (() => {
  const fig = F('buildpack-deps:bookworm');
  return image({ name: 'buildpack-deps', tags: ['bookworm', '12'], reference: 'buildpack-deps:bookworm', created: fig.created,
    description: 'buildpack-deps:bookworm (model): curl, scm and the build toolchain from real Debian 12 package file lists; the base of the full node 18–24 images.',
    layers: [BOOKWORM, aptLayer(have(BPD_CURL)), aptLayer(have(BPD_SCM)), aptLayer(have(BPD_BIG))], config: { Env: [PATH], Cmd: ['bash'] },
    history: BPD_BOOKWORM_HISTORY, rename: DEBIAN_RENAME, ...fig });
})();
const BPD_BOOKWORM_LAYERS = [0, 1, 2, 3].map((i) => layerOf(BPD_BOOKWORM, i));

// ------------------------------------------------------------------ python
const PY_VERSIONS = { '3.14': '3.14.7', '3.13': '3.13.15', '3.12': '3.12.13', '3.11': '3.11.16' };
const pyEnv = (v) => ['PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305', `PYTHON_VERSION=${v}`];
function pythonLayers(version, { alpine = false } = {}) {
  const deps = pythonRuntimeDeps(debian.debs);
  const build = pythonBuild(debian.debs, deps.debs, { version }).tree;
  if (alpine) {
    // Only /usr/local comes over; apk's db and the musl runtime deps replace dpkg's.
    for (const p of [...build.entries.keys()]) if (!p.startsWith('/usr/local')) build.entries.delete(p);
    const t = new GenTree();
    t.file('/etc/apk/world', { text: 'alpine-baselayout\nalpine-keys\nalpine-release\napk-tools\nbusybox\nca-certificates\nlibc-utils\ntzdata\n.python-rundeps\n' });
    t.file('/usr/share/zoneinfo/tzdata.zi', { size: 109000 });
    t.file('/etc/ssl/certs/ca-certificates.crt', { size: 219000 });
    t.file('/lib/apk/db/installed', { size: 38000 });
    return [t, build, pythonSymlinks()];
  }
  return [deps.tree, build, pythonSymlinks()];
}
const pyHistory = (created, version, base, { alpine = false } = {}) => {
  const b = bk(created);
  return [...base, b('ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', true), ...(alpine ? [] : [b('ENV LANG=C.UTF-8', true)]),
    alpine ? b('RUN /bin/sh -c set -eux; \tapk add --no-cache \t\tca-certificates \t\ttzdata \t; # buildkit') : b('RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates \t\tnetbase \t\ttzdata \t; \tapt-get dist-clean # buildkit'),
    b('ENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305', true), b(`ENV PYTHON_VERSION=${version}`, true),
    b(`RUN /bin/sh -c set -eux; \t${alpine ? 'apk add --no-cache --virtual .build-deps \t\tgnupg \t\ttar \t\txz \t\t… \t' : 'savedAptMark="$(apt-mark showmanual)"; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tdpkg-dev \t\tgcc \t\t… \t'}; \twget -O python.tar.xz "https://www.python.org/ftp/python/\${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz"; \t… ./configure --enable-loadable-sqlite-extensions --enable-optimizations --enable-option-checking=fatal --enable-shared --with-lto --with-ensurepip; make -j "$nproc"; make install; \t… \tpython3 --version; \tpip3 --version # buildkit`),
    b('RUN /bin/sh -c set -eux; \tfor src in idle3 pip3 pydoc3 python3 python3-config; do \t\tdst="$(echo "$src" | tr -d 3)"; \t\t[ -s "/usr/local/bin/$src" ]; \t\t[ ! -e "/usr/local/bin/$dst" ]; \t\tln -svT "$src" "/usr/local/bin/$dst"; \tdone # buildkit'),
    b('CMD ["python3"]', true)];
};
for (const [minor, version] of Object.entries(PY_VERSIONS)) {
  const latest = minor === '3.14';
  const alias = (suffix) => [`${minor}${suffix}`, `${version}${suffix}`, ...(latest ? [`3${suffix}`] : [])];
  // full (trixie)
  {
    const fig = F(`python:${minor}`);
    const [deps, build, links] = pythonLayers(version);
    deps.entries.clear();
    image({ name: 'python', tags: [...alias(''), ...alias('-trixie'), ...(latest ? ['latest', 'trixie'] : [])], reference: `python:${version}-trixie`, created: fig.created,
      description: `CPython ${minor} on buildpack-deps:trixie (model).`,
      layers: [...BPD_LAYERS, build, links], config: { Env: pyEnv(version), Cmd: ['python3'] },
      history: [...debHistory(fig.created, 'amd64', 'trixie'), ...bpdHistory(fig.created), ...pyHistory(fig.created, version, []).filter((h) => !/apt-get dist-clean|^ENV LANG/.test(h.created_by))],
      rename: DEBIAN_RENAME, ...fig });
  }
  // slim (trixie)
  {
    const fig = F(`python:${minor}-slim`);
    image({ name: 'python', tags: [...alias('-slim'), ...alias('-slim-trixie'), ...(latest ? ['slim', 'slim-trixie'] : [])], reference: `python:${version}-slim-trixie`, created: fig.created,
      description: `CPython ${minor} on debian:trixie-slim (model: runtime .debs and /usr/local as python:3.12-slim-bookworm).`,
      layers: [TRIXIE_SLIM, ...pythonLayers(version)], config: { Env: pyEnv(version), Cmd: ['python3'] },
      history: pyHistory(fig.created, version, debHistory(fig.created, 'amd64', 'trixie')), rename: DEBIAN_RENAME, ...fig });
  }
  // slim-bookworm (3.12's is the core image)
  if (minor !== '3.12') {
    const fig = F(`python:${minor}-slim-bookworm`);
    image({ name: 'python', tags: [...alias('-slim-bookworm'), ...(latest ? ['slim-bookworm'] : [])], reference: `python:${version}-slim-bookworm`, created: fig.created,
      description: `CPython ${minor} on debian:bookworm-slim (model, as python:3.12-slim-bookworm).`,
      layers: [BOOKWORM_SLIM, ...pythonLayers(version)], config: { Env: pyEnv(version), Cmd: ['python3'] },
      history: pyHistory(fig.created, version, debHistory(debianCreated, 'amd64', 'bookworm')), rename: DEBIAN_RENAME, ...fig });
  }
  // alpine (3.24)
  {
    const fig = F(`python:${minor}-alpine`);
    const a = ALPINE['3.24'];
    image({ name: 'python', tags: [...alias('-alpine'), ...alias('-alpine3.24'), ...(latest ? ['alpine', 'alpine3.24'] : [])], reference: `python:${version}-alpine3.24`, created: fig.created,
      description: `CPython ${minor} on alpine:3.24 (model: /usr/local as the Debian variants, apk runtime deps).`,
      layers: [layerOf(a, 0), ...pythonLayers(version, { alpine: true })], config: { Env: pyEnv(version), Cmd: ['python3'] },
      history: pyHistory(fig.created, version, alpineHistory(a.release, fig.created), { alpine: true }), rename: ALPINE_RENAME, ...fig });
  }
}
// The core python:3.12-slim-bookworm keeps only its bookworm tags (3.12-slim is trixie now).

// ------------------------------------------------------------------ node
const NODE = { 26: '26.10.0', 24: '24.21.0', 22: '22.23.2', 20: '20.20.0', 18: '18.20.8' };
const NPM = { 26: '11.6.2', 24: '11.6.2', 22: '10.9.8', 20: '10.8.2', 18: '10.8.2' };
const nodeEntrypoint = () => {
  const t = new GenTree();
  t.file('/usr/local/bin/docker-entrypoint.sh', { mode: 0o755, text: '#!/bin/sh\nset -e\n\n# Run command with node if the first argument contains a "-" or is not a system command. The last\n# part inside the "{}" is a workaround for the following bug in ash/dash:\n# https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=874264\nif [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then\n  set -- node "$@"\nfi\n\nexec "$@"\n' });
  return t;
};
/** Node 25+ images: no corepack (dropped by Node 25) and no yarn layer (repo-info node/remote/26-alpine.md). */
const NO_YARN = (major) => Number(major) >= 25;
function nodeOn(major, { alpine }) {
  const base = alpine ? buildAlpineBase({ release: '3.24.2', apk: '3.0.8-r0', libapk: 'libapk', busybox: '1.37.0-r31', musl: '1.2.6-r2' }) : null;
  let npm = NPM[major];
  let l2, l3;
  try {
    [l2, l3] = nodeLayers(base ?? buildAlpineBase({ release: '3.24.2', apk: '3.0.8-r0', libapk: 'libapk', busybox: '1.37.0-r31', musl: '1.2.6-r2' }), { nodeVersion: NODE[major], yarnVersion: '1.22.22', npmVersion: npm, corepackVersion: NO_YARN(major) ? null : '0.34.0' });
  } catch {
    npm = '10.9.8';
    [l2, l3] = nodeLayers(base ?? buildAlpineBase({ release: '3.24.2', apk: '3.0.8-r0', libapk: 'libapk', busybox: '1.37.0-r31', musl: '1.2.6-r2' }), { nodeVersion: NODE[major], yarnVersion: '1.22.22', npmVersion: npm, corepackVersion: NO_YARN(major) ? null : '0.34.0' });
  }
  // npm's own package.json is its real text (what `npm --version` reads), not sized bytes.
  l2.file('/usr/local/lib/node_modules/npm/package.json', { text: npmPackageJson(`npm@${npm}`), mode: 0o644 });
  // The node binary is most of the layer (the linux-x64 build of Node 18–26 is 90–120 MB); the
  // scaling below keeps this proportion.
  l2.entries.get('/usr/local/bin/node').size = { 26: 122e6, 24: 118e6, 22: 115e6, 20: 98e6, 18: 92e6 }[major];
  if (!alpine) {
    // Debian variants: the same /usr/local and /opt trees; passwd/group from groupadd/useradd, no apk db.
    for (const t of [l2, l3]) for (const p of [...t.entries.keys()]) if (/^\/(lib\/apk|etc\/apk|usr\/lib\/lib(gcc|stdc))/.test(p) || /^\/etc\/(passwd|group|shadow)$/.test(p)) t.entries.delete(p);
    l2.file('/etc/passwd', { text: 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\nsync:x:4:65534:sync:/bin:/bin/sync\ngames:x:5:60:games:/usr/games:/usr/sbin/nologin\nman:x:6:12:man:/var/cache/man:/usr/sbin/nologin\nlp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin\nmail:x:8:8:mail:/var/mail:/usr/sbin/nologin\nnews:x:9:9:news:/var/spool/news:/usr/sbin/nologin\nuucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin\nproxy:x:13:13:proxy:/bin:/usr/sbin/nologin\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nbackup:x:34:34:backup:/var/backups:/usr/sbin/nologin\nlist:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin\nirc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin\n_apt:x:42:65534::/nonexistent:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nnode:x:1000:1000::/home/node:/bin/bash\n' });
  }
  return { l2, l3: NO_YARN(major) ? null : l3, npm };
}
const nodeHistory = (created, version, base, { alpine, yarn = true }) => {
  const b = bk(created);
  return [...base, ...(alpine ? [] : [b('RUN /bin/sh -c groupadd --gid 1000 node   && useradd --uid 1000 --gid node --shell /bin/bash --create-home node # buildkit')]).map((h) => h),
    b(`ENV NODE_VERSION=${version}`, true),
    b(alpine ? 'RUN /bin/sh -c addgroup -g 1000 node     && adduser -u 1000 -G node -s /bin/sh -D node     && apk add --no-cache         libstdc++     && apk add --no-cache --virtual .build-deps         curl     && … tar -xJf "node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz" -C /usr/local --strip-components=1 --no-same-owner   …   && apk del .build-deps   && node --version   && npm --version   && rm -rf /tmp/* # buildkit'
      : 'RUN /bin/sh -c ARCH= OPENSSL_ARCH= && dpkgArch="$(dpkg --print-architecture)"     && case "${dpkgArch##*-}" in       amd64) ARCH=\'x64\' OPENSSL_ARCH=\'linux-x86_64\';;       …     esac     && set -ex     && … curl -fsSLO --compressed "https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH.tar.xz"     && tar -xJf "node-v$NODE_VERSION-linux-$ARCH.tar.xz" -C /usr/local --strip-components=1 --no-same-owner     && … && ln -s /usr/local/bin/node /usr/local/bin/nodejs     && node --version     && npm --version     && rm -rf /tmp/* # buildkit'),
    ...(yarn ? [b('ENV YARN_VERSION=1.22.22', true),
    b(`RUN /bin/sh -c ${alpine ? 'apk add --no-cache --virtual .build-deps-yarn curl gnupg tar   && ' : ''}… curl -fsSLO --compressed "https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz"   && … tar -xzf yarn-v$YARN_VERSION.tar.gz -C /opt/   && ln -s /opt/yarn-v$YARN_VERSION/bin/yarn /usr/local/bin/yarn   && ln -s /opt/yarn-v$YARN_VERSION/bin/yarnpkg /usr/local/bin/yarnpkg   && … yarn --version   && rm -rf /tmp/* # buildkit`)] : []),
    b('COPY docker-entrypoint.sh /usr/local/bin/ # buildkit'), b('ENTRYPOINT ["docker-entrypoint.sh"]', true), b('CMD ["node"]', true)];
};
for (const major of Object.keys(NODE)) {
  const version = NODE[major];
  const extra = { 26: ['latest', 'current'], 24: ['lts'], 22: [], 20: [], 18: [] }[major];
  // Docker Hub's default Debian per line (repo-info, 2026-09): node 26 is trixie-based; the LTS lines
  // 24 and 22 stayed on bookworm (node:24-slim is node:24-bookworm-slim) with separate -trixie tags.
  const codename = Number(major) >= 26 ? 'trixie' : 'bookworm';
  const yarn = !NO_YARN(major);
  const env = () => [PATH, `NODE_VERSION=${version}`, ...(yarn ? ['YARN_VERSION=1.22.22'] : [])];
  const own = (l2, l3) => [l2, ...(l3 ? [l3] : []), nodeEntrypoint()];
  const cfg = { Entrypoint: ['docker-entrypoint.sh'], Cmd: ['node'] };
  const tagsFor = (suffix, more = []) => [`${major}${suffix}`, `${version}${suffix}`, ...extra.map((e) => (e === 'latest' ? (suffix ? suffix.slice(1) : 'latest') : `${e}${suffix}`)), ...more];
  // full
  {
    const fig = F(`node:${major}`);
    const { l2, l3 } = nodeOn(major, { alpine: false });
    const baseLayers = codename === 'trixie' ? BPD_LAYERS : BPD_BOOKWORM_LAYERS;
    // The full images run the same groupadd/useradd as the slim ones (repo-info node/remote/26.md: 7 layers).
    const groupadd = new GenTree();
    groupadd.file('/etc/group', { text: 'root:x:0:\nnode:x:1000:\n' });
    groupadd.dir('/home/node', 0o755, 1000, 1000);
    image({ name: 'node', tags: tagsFor('', tagsFor(`-${codename}`)), reference: `node:${version}-${codename}`, created: fig.created,
      description: `Node.js ${major} on buildpack-deps:${codename} (model: real npm${yarn ? '/corepack/yarn' : ''} trees, node binary sized).`,
      layers: [...baseLayers, groupadd, ...own(l2, l3)], config: { Env: env(), ...cfg },
      history: [...(codename === 'trixie' ? [...debHistory(fig.created, 'amd64', codename), ...bpdHistory(fig.created)] : BPD_BOOKWORM_HISTORY), ...nodeHistory(fig.created, version, [], { alpine: false, yarn })],
      rename: DEBIAN_RENAME, ...fig });
  }
  // slim (on the line's default Debian) and the other Debian's slim where Docker Hub has both
  const other = { 26: ['bookworm-slim'], 24: ['trixie-slim'], 22: ['trixie-slim'] }[major] ?? [];
  for (const variant of ['slim', ...other]) {
    const onBookworm = variant === 'bookworm-slim' || (variant === 'slim' && codename === 'bookworm');
    const fig = F(`node:${major}-${variant}`);
    const { l2, l3 } = nodeOn(major, { alpine: false });
    const groupadd = new GenTree();
    groupadd.file('/etc/group', { text: 'root:x:0:\nnode:x:1000:\n' });
    groupadd.dir('/home/node', 0o755, 1000, 1000);
    const tags = variant === 'slim' ? tagsFor('-slim', tagsFor(`-${codename}-slim`)) : tagsFor(`-${variant}`);
    image({ name: 'node', tags, reference: `node:${version}-${onBookworm ? 'bookworm' : 'trixie'}-slim`, created: fig.created,
      description: `Node.js ${major} on debian:${onBookworm ? 'bookworm' : 'trixie'}-slim (model).`,
      layers: [onBookworm ? BOOKWORM_SLIM : TRIXIE_SLIM, groupadd, ...own(l2, l3)], config: { Env: env(), ...cfg },
      history: nodeHistory(fig.created, version, debHistory(onBookworm ? debianCreated : fig.created, 'amd64', onBookworm ? 'bookworm' : 'trixie'), { alpine: false, yarn }),
      rename: DEBIAN_RENAME, ...fig });
  }
  if (major === '22') continue; // node:22-alpine is the core image
  {
    const fig = F(`node:${major}-alpine`);
    const { l2, l3 } = nodeOn(major, { alpine: true });
    const a = ALPINE['3.24'];
    image({ name: 'node', tags: tagsFor('-alpine', [`${major}-alpine3.24`]), reference: `node:${version}-alpine3.24`, created: fig.created,
      description: `Node.js ${major} on alpine:3.24 (model).`,
      layers: [layerOf(a, 0), ...own(l2, l3)], config: { Env: env(), ...cfg },
      history: nodeHistory(fig.created, version, alpineHistory(a.release, fig.created), { alpine: true, yarn }), rename: ALPINE_RENAME, ...fig });
  }
}

// ------------------------------------------------------------------ servers and runtimes
/** A layer of named files (paths under real install prefixes) whose sizes are scaled later. */
function payload(list, { links: l = [], texts = {}, dirs = [] } = {}) {
  const t = new GenTree();
  for (const [d, mode = 0o755, uid = 0, gid = 0] of dirs) t.dir(d, mode, uid, gid);
  put(t, list);
  links(t, l);
  for (const [p, text] of Object.entries(texts)) t.file(p, { text, mode: p.endsWith('.sh') ? 0o755 : 0o644 });
  return t;
}
/** `n` files in `dir` named from `names` (cycled with an index suffix), each `each` bytes. */
const many = (dir, names, n, each, ext = '') => Array.from({ length: n }, (_, i) => [`${dir}/${names[i % names.length]}${i >= names.length ? `_${Math.floor(i / names.length)}` : ''}${ext}`, each]);
const withFixed = (t, paths) => {
  for (const p of paths) t.entries.get(p).fixed = true;
  return t;
};
const ENTRY = {
  redis: '#!/bin/sh\nset -e\n\n# first arg is `-f` or `--some-option`\n# or first arg is `something.conf`\nif [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then\n\tset -- redis-server "$@"\nfi\n\n# allow the container to be started with `--user`\nif [ "$1" = \'redis-server\' -a "$(id -u)" = \'0\' ]; then\n\tfind . \\! -user redis -exec chown redis \'{}\' +\n\texec gosu redis "$0" "$@"\nfi\n\nexec "$@"\n',
  httpdForeground: '#!/bin/sh\nset -e\n\n# Apache gets grumpy about PID files pre-existing\nrm -f /usr/local/apache2/logs/httpd.pid\n\nexec httpd -DFOREGROUND "$@"\n',
};

// nginx (debian trixie): latest = mainline, stable
for (const [tag, version, extraTags] of [['latest', '1.31.3', ['mainline', '1.31', '1.31.3', 'mainline-trixie', 'trixie']], ['stable', '1.30.5', ['1.30', '1.30.5', 'stable-trixie']]]) {
  const fig = F(`nginx:${tag}`);
  const b = bk(fig.created);
  const t = aptLayer(have(['libssl3', 'libpcre2-8-0', 'zlib1g', 'ca-certificates', 'gettext-base', 'curl', 'libcurl4', 'libnghttp2-14', 'libpsl5', 'librtmp1', 'libssh2-1', 'libbrotli1']));
  put(t, [['/usr/sbin/nginx', 1480000, 0o755], ['/usr/sbin/nginx-debug', 1520000, 0o755], ...['ngx_http_geoip_module', 'ngx_http_image_filter_module', 'ngx_http_js_module', 'ngx_http_xslt_filter_module', 'ngx_stream_geoip_module', 'ngx_stream_js_module', 'ngx_http_acme_module'].flatMap((m) => [[`/usr/lib/nginx/modules/${m}.so`, 200000], [`/usr/lib/nginx/modules/${m}-debug.so`, 210000]])]);
  for (const [p, text] of Object.entries({ '/etc/nginx/nginx.conf': 'user  nginx;\nworker_processes  auto;\n\nerror_log  /var/log/nginx/error.log notice;\npid        /run/nginx.pid;\n\n\nevents {\n    worker_connections  1024;\n}\n\n\nhttp {\n    include       /etc/nginx/mime.types;\n    default_type  application/octet-stream;\n\n    log_format  main  \'$remote_addr - $remote_user [$time_local] "$request" \'\n                      \'$status $body_bytes_sent "$http_referer" \'\n                      \'"$http_user_agent" "$http_x_forwarded_for"\';\n\n    access_log  /var/log/nginx/access.log  main;\n\n    sendfile        on;\n    #tcp_nopush     on;\n\n    keepalive_timeout  65;\n\n    #gzip  on;\n\n    include /etc/nginx/conf.d/*.conf;\n}\n', '/usr/share/nginx/html/index.html': '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n' })) t.file(p, { text });
  t.dir('/var/cache/nginx', 0o755, 101, 101);
  t.symlink('/var/log/nginx/access.log', '/dev/stdout');
  t.symlink('/var/log/nginx/error.log', '/dev/stderr');
  t.dir('/docker-entrypoint.d');
  const copies = ['docker-entrypoint.sh', '10-listen-on-ipv6-by-default.sh', '15-local-resolvers.envsh', '20-envsubst-on-templates.sh', '30-tune-worker-processes.sh'].map((f, i) => {
    const c = new GenTree();
    c.file(i === 0 ? `/${f}` : `/docker-entrypoint.d/${f}`, { size: [1620, 2125, 389, 3018, 4693][i], mode: 0o755 });
    c.entries.get(i === 0 ? `/${f}` : `/docker-entrypoint.d/${f}`).fixed = true;
    return c;
  });
  image({ name: 'nginx', tags: [tag, ...extraTags], reference: `nginx:${version}`, created: fig.created, description: `nginx ${version} on debian:trixie-slim (model).`,
    layers: [TRIXIE_SLIM, t, ...copies], config: { Env: [PATH, `NGINX_VERSION=${version}`, `NJS_VERSION=${tag === 'latest' ? '1.0.0' : '1.0.1'}`, 'NJS_RELEASE=1~trixie', 'ACME_VERSION=0.4.1', 'PKG_RELEASE=1~trixie', 'DYNPKG_RELEASE=1~trixie'], Entrypoint: ['/docker-entrypoint.sh'], Cmd: ['nginx', '-g', 'daemon off;'], ExposedPorts: { '80/tcp': {} }, StopSignal: 'SIGQUIT', Labels: { maintainer: 'NGINX Docker Maintainers <docker-maint@nginx.com>' } },
    history: [...debHistory(fig.created, 'amd64', 'trixie'), b('LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>', true), b(`ENV NGINX_VERSION=${version}`, true),
      b('RUN /bin/sh -c set -x     && groupadd --system --gid 101 nginx     && useradd --system --gid nginx --no-create-home --home /nonexistent --comment "nginx user" --shell /bin/false --uid 101 nginx     && apt-get update     && apt-get install --no-install-recommends --no-install-suggests -y gnupg1 ca-certificates     && … apt-get install --no-install-recommends --no-install-suggests -y $nginxPackages gettext-base curl     && apt-get remove --purge --auto-remove -y && rm -rf /var/lib/apt/lists/* /etc/apt/sources.list.d/nginx.list     && ln -sf /dev/stdout /var/log/nginx/access.log     && ln -sf /dev/stderr /var/log/nginx/error.log     && mkdir /docker-entrypoint.d # buildkit'),
      b('COPY docker-entrypoint.sh / # buildkit'), b('COPY 10-listen-on-ipv6-by-default.sh /docker-entrypoint.d # buildkit'), b('COPY 15-local-resolvers.envsh /docker-entrypoint.d # buildkit'),
      b('COPY 20-envsubst-on-templates.sh /docker-entrypoint.d # buildkit'), b('COPY 30-tune-worker-processes.sh /docker-entrypoint.d # buildkit'),
      b('ENTRYPOINT ["/docker-entrypoint.sh"]', true), b('EXPOSE map[80/tcp:{}]', true), b('STOPSIGNAL SIGQUIT', true), b('CMD ["nginx" "-g" "daemon off;"]', true)],
    rename: DEBIAN_RENAME, ...fig });
}

// httpd
{
  const fig = F('httpd:latest');
  const b = bk(fig.created);
  const v = '2.4.68';
  const mkdir = payload([], { dirs: [['/usr/local/apache2']] });
  const deps = aptLayer(have(['libapr1', 'libaprutil1', 'libaprutil1-ldap', 'libbrotli1', 'libcurl4', 'libjansson4', 'liblua5.4-0', 'libnghttp2-14', 'libpcre2-8-0', 'libssl3', 'libxml2', 'ca-certificates']));
  const mods = 'access_compat actions alias allowmethods asis auth_basic auth_digest auth_form authn_anon authn_core authn_dbd authn_dbm authn_file authn_socache authz_core authz_dbd authz_dbm authz_groupfile authz_host authz_owner authz_user autoindex brotli buffer cache cache_disk cache_socache cgid charset_lite data dav dav_fs dav_lock dbd deflate dialup dir dumpio echo env expires ext_filter file_cache filter headers heartmonitor http2 include info lbmethod_bybusyness lbmethod_byrequests lbmethod_bytraffic lbmethod_heartbeat ldap log_config log_debug log_forensic logio lua macro md mime mime_magic mpm_event mpm_prefork mpm_worker negotiation proxy proxy_ajp proxy_balancer proxy_connect proxy_express proxy_fcgi proxy_fdpass proxy_ftp proxy_hcheck proxy_html proxy_http proxy_http2 proxy_scgi proxy_uwsgi proxy_wstunnel ratelimit reflector remoteip reqtimeout request rewrite sed session session_cookie session_crypto session_dbd setenvif slotmem_plain slotmem_shm socache_dbm socache_memcache socache_redis socache_shmcb speling ssl status substitute unique_id unixd userdir usertrack version vhost_alias watchdog xml2enc'.split(' ');
  const build = payload([['/usr/local/apache2/bin/httpd', 2300000, 0o755], ...['ab', 'apxs', 'checkgid', 'dbmmanage', 'fcgistarter', 'htcacheclean', 'htdbm', 'htdigest', 'htpasswd', 'httxt2dbm', 'logresolve', 'rotatelogs', 'apachectl', 'envvars', 'envvars-std'].map((n) => [`/usr/local/apache2/bin/${n}`, 60000, 0o755]),
    ...mods.map((m) => [`/usr/local/apache2/modules/mod_${m}.so`, 60000, 0o755]), ['/usr/local/apache2/modules/httpd.exp', 16000],
    ...many('/usr/local/apache2/include', ['ap_config', 'ap_mmn', 'ap_mpm', 'ap_provider', 'ap_regex', 'ap_release', 'apr', 'apr_buckets', 'apr_hooks', 'apr_pools', 'http_config', 'http_connection', 'http_core', 'http_log', 'http_main', 'http_protocol', 'http_request', 'httpd', 'mod_ssl', 'util_filter'], 80, 12000, '.h'),
    ...many('/usr/local/apache2/error', ['HTTP_BAD_GATEWAY', 'HTTP_BAD_REQUEST', 'HTTP_FORBIDDEN', 'HTTP_GONE', 'HTTP_INTERNAL_SERVER_ERROR', 'HTTP_NOT_FOUND', 'HTTP_SERVICE_UNAVAILABLE', 'HTTP_UNAUTHORIZED'], 8, 9000, '.html.var'),
    ...many('/usr/local/apache2/icons', ['a', 'alert.black', 'back', 'binary', 'blank', 'compressed', 'dir', 'folder', 'image1', 'text', 'unknown'], 200, 600, '.gif'),
    ['/usr/local/apache2/conf/mime.types', 60000], ['/usr/local/apache2/conf/magic', 13000], ...many('/usr/local/apache2/conf/extra', ['httpd-autoindex', 'httpd-dav', 'httpd-default', 'httpd-info', 'httpd-languages', 'httpd-manual', 'httpd-mpm', 'httpd-multilang-errordoc', 'httpd-ssl', 'httpd-userdir', 'httpd-vhosts', 'proxy-html'], 12, 4000, '.conf'),
  ], { texts: { '/usr/local/apache2/conf/httpd.conf': 'ServerRoot "/usr/local/apache2"\nListen 80\nLoadModule mpm_event_module modules/mod_mpm_event.so\nLoadModule authz_core_module modules/mod_authz_core.so\nLoadModule mime_module modules/mod_mime.so\nLoadModule log_config_module modules/mod_log_config.so\nLoadModule unixd_module modules/mod_unixd.so\nLoadModule dir_module modules/mod_dir.so\n<IfModule unixd_module>\nUser www-data\nGroup www-data\n</IfModule>\nServerAdmin you@example.com\nDocumentRoot "/usr/local/apache2/htdocs"\n<Directory "/usr/local/apache2/htdocs">\n    Options Indexes FollowSymLinks\n    AllowOverride None\n    Require all granted\n</Directory>\nDirectoryIndex index.html\nErrorLog /proc/self/fd/2\nLogLevel warn\nCustomLog /proc/self/fd/1 common\nTypesConfig conf/mime.types\n', '/usr/local/apache2/htdocs/index.html': '<html><body><h1>It works!</h1></body></html>\n' } });
  const fg = payload([], { texts: { '/usr/local/bin/httpd-foreground.sh': ENTRY.httpdForeground } });
  fg.entries.set('/usr/local/bin/httpd-foreground', { ...fg.entries.get('/usr/local/bin/httpd-foreground.sh') });
  fg.entries.delete('/usr/local/bin/httpd-foreground.sh');
  image({ name: 'httpd', tags: ['latest', '2.4', '2', v, `${v}-trixie`, 'trixie'], reference: `httpd:${v}`, created: fig.created, description: `Apache httpd ${v} on debian:trixie-slim (model).`,
    layers: [TRIXIE_SLIM, mkdir, deps, build, fg], config: { Env: ['PATH=/usr/local/apache2/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HTTPD_PREFIX=/usr/local/apache2', `HTTPD_VERSION=${v}`, 'HTTPD_SHA256=68c74d4df38c26bed4dfbdb8f3baf1eb532f3872357becc1bba5d136f6b63c06', 'HTTPD_PATCHES='], WorkingDir: '/usr/local/apache2', ExposedPorts: { '80/tcp': {} }, StopSignal: 'SIGWINCH', Cmd: ['httpd-foreground'] },
    history: [...debHistory(fig.created, 'amd64', 'trixie'), b('ENV HTTPD_PREFIX=/usr/local/apache2', true), b('ENV PATH=/usr/local/apache2/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', true),
      b('RUN /bin/sh -c mkdir -p "$HTTPD_PREFIX" \t&& chown www-data:www-data "$HTTPD_PREFIX" # buildkit'), b('WORKDIR /usr/local/apache2', true),
      b('RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates \t\tlibaprutil1-ldap \t\tlibldap-common \t; \trm -rf /var/lib/apt/lists/* # buildkit'),
      b(`ENV HTTPD_VERSION=${v}`, true), b('RUN /bin/sh -c set -eux; \t\tsavedAptMark="$(apt-mark showmanual)"; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tbzip2 \t\tdpkg-dev \t\tgcc \t\t… \t; \t… ./configure --build="$gnuArch" --prefix="$HTTPD_PREFIX" --enable-mods-shared=reallyall --enable-mpms-shared=all …; \tmake -j "$(nproc)"; \tmake install; \t… \thttpd -v # buildkit'),
      b('STOPSIGNAL SIGWINCH', true), b('COPY httpd-foreground /usr/local/bin/ # buildkit'), b('EXPOSE map[80/tcp:{}]', true), b('CMD ["httpd-foreground"]', true)],
    rename: DEBIAN_RENAME, ...fig });
}

// redis
{
  const fig = F('redis:latest');
  const b = bk(fig.created);
  const v = '8.8.0';
  const user = payload([], { texts: { '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nredis:x:999:999::/home/redis:/usr/sbin/nologin\n', '/etc/group': 'root:x:0:\nredis:x:999:\n' } });
  const deps = aptLayer(have(['ca-certificates', 'libssl3', 'tzdata', 'libgomp1']));
  put(deps, [['/usr/local/bin/gosu', 2300000, 0o755]]);
  const build = payload([['/usr/local/bin/redis-server', 19000000, 0o755], ['/usr/local/bin/redis-cli', 8700000, 0o755], ['/usr/local/bin/redis-benchmark', 8900000, 0o755],
    ...['redisbloom', 'redisearch', 'redistimeseries', 'rejson'].map((m) => [`/usr/local/lib/redis/modules/${m}.so`, 12000000, 0o755])],
    { links: [['/usr/local/bin/redis-check-aof', 'redis-server'], ['/usr/local/bin/redis-check-rdb', 'redis-server'], ['/usr/local/bin/redis-sentinel', 'redis-server']] });
  const data = payload([], { dirs: [['/data', 0o755, 999, 999]] });
  const entry = payload([], { texts: { '/usr/local/bin/docker-entrypoint.sh': ENTRY.redis } });
  image({ name: 'redis', tags: ['latest', '8', '8.8', v, `${v}-trixie`, 'trixie'], reference: `redis:${v}`, created: fig.created, description: `Redis ${v} on debian:trixie-slim (model).`,
    layers: [TRIXIE_SLIM, user, deps, build, data, entry], config: { Env: [PATH, `REDIS_VERSION=${v}`], Entrypoint: ['docker-entrypoint.sh'], Cmd: ['redis-server'], WorkingDir: '/data', Volumes: { '/data': {} }, ExposedPorts: { '6379/tcp': {} } },
    history: [...debHistory(fig.created, 'amd64', 'trixie'), b('RUN /bin/sh -c set -eux; \tgroupadd -r -g 999 redis; \tuseradd -r -g redis -u 999 redis # buildkit'),
      b('RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\ttzdata \t; \t… gosu …; \trm -rf /var/lib/apt/lists/* # buildkit'),
      b(`ENV REDIS_VERSION=${v}`, true), b('RUN /bin/sh -c set -eux; \t\tsavedAptMark="$(apt-mark showmanual)"; \tapt-get update; \t… make -C /usr/src/redis -j "$(nproc)" all; \tmake -C /usr/src/redis install; \t… \tredis-cli --version; \tredis-server --version # buildkit'),
      b('RUN /bin/sh -c mkdir /data && chown redis:redis /data # buildkit'), b('VOLUME [/data]', true), b('WORKDIR /data', true),
      b('COPY docker-entrypoint.sh /usr/local/bin/ # buildkit'), b('ENTRYPOINT ["docker-entrypoint.sh"]', true), b('EXPOSE map[6379/tcp:{}]', true), b('CMD ["redis-server"]', true)],
    rename: DEBIAN_RENAME, ...fig });
}

// postgres
{
  const fig = F('postgres:latest');
  const b = bk(fig.created);
  const major = '18';
  const v = '18.4-1.pgdg13+1';
  const user = payload([['/usr/local/bin/gosu', 2300000, 0o755]], { texts: { '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\npostgres:x:999:999::/var/lib/postgresql:/bin/bash\n' } });
  const locales = aptLayer(have(['locales', 'libjemalloc2', 'libnss-wrapper', 'zstd', 'xz-utils']));
  put(locales, [['/usr/lib/locale/locale-archive', 3060000]]);
  const bin = 'clusterdb createdb createuser dropdb dropuser initdb oid2name pg_amcheck pg_archivecleanup pg_basebackup pg_checksums pg_combinebackup pg_config pg_controldata pg_createsubscriber pg_ctl pg_dump pg_dumpall pg_isready pg_receivewal pg_recvlogical pg_resetwal pg_restore pg_rewind pg_test_fsync pg_test_timing pg_upgrade pg_verifybackup pg_waldump pg_walsummary pgbench postgres psql reindexdb vacuumdb vacuumlo'.split(' ');
  const pg = aptLayer(have(['libpq5', 'libldap-2.5-0', 'libicu72', 'libxml2', 'libxslt1.1', 'libllvm14', 'libz3-4', 'libsasl2-2', 'libgssapi-krb5-2', 'libkrb5-3', 'libk5crypto3', 'libkrb5support0', 'libkeyutils1', 'libzstd1', 'liblz4-1', 'libsystemd0', 'libuuid1', 'libedit2', 'libreadline8']));
  put(pg, [...bin.map((n) => [`/usr/lib/postgresql/${major}/bin/${n}`, n === 'postgres' ? 9800000 : 120000, 0o755]),
    ...many(`/usr/lib/postgresql/${major}/lib`, ['llvmjit', 'plpgsql', 'pgoutput', 'dict_snowball', 'libpqwalreceiver', 'euc_jp_and_sjis', 'utf8_and_big5', 'pg_stat_statements', 'pgcrypto', 'postgres_fdw', 'hstore', 'pg_trgm', 'uuid-ossp', 'btree_gin', 'btree_gist', 'citext', 'cube', 'earthdistance', 'fuzzystrmatch', 'intarray', 'isn', 'lo', 'ltree', 'pageinspect', 'pg_buffercache', 'pg_prewarm', 'pgrowlocks', 'pgstattuple', 'seg', 'tablefunc', 'unaccent'], 60, 300000, '.so'),
    ...many(`/usr/lib/postgresql/${major}/lib/bitcode/postgres`, ['access', 'catalog', 'commands', 'executor', 'optimizer', 'parser', 'storage', 'utils'], 900, 40000, '.bc'),
    ...many(`/usr/share/postgresql/${major}/extension`, ['hstore', 'pg_trgm', 'pgcrypto', 'postgres_fdw', 'uuid-ossp', 'citext', 'cube', 'ltree', 'pg_stat_statements', 'tablefunc'], 300, 3000, '.sql'),
    ...many(`/usr/share/postgresql/${major}/timezonesets`, ['Africa.txt', 'America.txt', 'Antarctica.txt', 'Asia.txt', 'Atlantic.txt', 'Australia', 'Australia.txt', 'Default', 'Etc.txt', 'Europe.txt', 'India', 'Indian.txt', 'Pacific.txt'], 13, 10000),
    ...many(`/usr/share/postgresql/${major}/tsearch_data`, ['danish.stop', 'dutch.stop', 'english.stop', 'french.stop', 'german.stop', 'hunspell_sample.affix', 'ispell_sample.dict', 'synonym_sample.syn', 'thesaurus_sample.ths'], 30, 2000),
    ...many(`/usr/share/locale`, ['de', 'es', 'fr', 'it', 'ja', 'ko', 'pl', 'pt_BR', 'ru', 'sv', 'tr', 'uk', 'zh_CN'], 13 * 12, 60000, '.mo'),
    [`/usr/share/postgresql/${major}/postgresql.conf.sample`, 32000], [`/usr/share/postgresql/${major}/postgres.bki`, 1000000], [`/usr/share/postgresql/${major}/information_schema.sql`, 120000], [`/usr/share/postgresql/${major}/system_views.sql`, 55000]]);
  links(pg, [[`/usr/lib/postgresql/${major}/bin/postmaster`, 'postgres']]);
  const run = payload([], { dirs: [['/var/run/postgresql', 0o3777, 999, 999], ['/var/lib/postgresql', 0o1777, 999, 999], ['/docker-entrypoint-initdb.d']] });
  const entry = payload([['/usr/local/bin/docker-entrypoint.sh', 12600, 0o755], ['/usr/local/bin/docker-ensure-initdb.sh', 1160, 0o755]], { links: [['/usr/local/bin/docker-enforce-initdb.sh', 'docker-ensure-initdb.sh']] });
  for (const p of ['/usr/local/bin/docker-entrypoint.sh', '/usr/local/bin/docker-ensure-initdb.sh']) entry.entries.get(p).fixed = true;
  image({ name: 'postgres', tags: ['latest', major, '18.4', `${major}-trixie`, 'trixie'], reference: 'postgres:18.4', created: fig.created, description: 'PostgreSQL 18 on debian:trixie-slim from the PGDG packages (model).',
    layers: [TRIXIE_SLIM, user, locales, pg, run, entry],
    config: { Env: [`PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/postgresql/${major}/bin`, 'GOSU_VERSION=1.19', 'LANG=en_US.utf8', `PG_MAJOR=${major}`, `PG_VERSION=${v}`, 'PGDATA=/var/lib/postgresql/18/docker'], Entrypoint: ['docker-entrypoint.sh'], Cmd: ['postgres'], Volumes: { '/var/lib/postgresql': {} }, ExposedPorts: { '5432/tcp': {} }, StopSignal: 'SIGINT' },
    history: [...debHistory(fig.created, 'amd64', 'trixie'), b('RUN /bin/sh -c set -eux; \tgroupadd -r postgres --gid=999; \tuseradd -r -g postgres --uid=999 --home-dir=/var/lib/postgresql --shell=/bin/bash postgres; … gosu … # buildkit'),
      b('RUN /bin/sh -c set -eux; \tapt-get update; apt-get install -y --no-install-recommends locales libjemalloc2 libnss-wrapper xz-utils zstd; … localedef -i en_US -c -f UTF-8 -A /usr/share/locale/locale.alias en_US.UTF-8 # buildkit'),
      b('ENV LANG=en_US.utf8', true), b(`ENV PG_MAJOR=${major}`, true), b(`ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/postgresql/${major}/bin`, true), b(`ENV PG_VERSION=${v}`, true),
      b('RUN /bin/sh -c set -ex; \t\texport PYTHONDONTWRITEBYTECODE=1; \t… apt-get install -y --no-install-recommends "postgresql-$PG_MAJOR=$PG_VERSION"; \t… postgres --version # buildkit'),
      b('RUN /bin/sh -c install --verbose --directory --owner postgres --group postgres --mode 3777 /var/run/postgresql # buildkit'),
      b('ENV PGDATA=/var/lib/postgresql/18/docker', true), b('VOLUME [/var/lib/postgresql]', true),
      b('COPY docker-entrypoint.sh docker-ensure-initdb.sh /usr/local/bin/ # buildkit'), b('ENTRYPOINT ["docker-entrypoint.sh"]', true), b('STOPSIGNAL SIGINT', true), b('EXPOSE map[5432/tcp:{}]', true), b('CMD ["postgres"]', true)],
    rename: DEBIAN_RENAME, ...fig });
}

// mysql (Oracle Linux 9 slim base)
{
  const fig = F('mysql:latest');
  const b = bk(fig.created);
  const v = '26.7.0';
  // Simulation: oraclelinux:9-slim is not in the catalog; its layer is modelled by its main paths.
  const ol = payload([['/usr/lib64/libc.so.6', 2500000, 0o755], ['/usr/lib64/libcrypto.so.3.0.7', 4700000, 0o755], ['/usr/lib64/libssl.so.3.0.7', 700000, 0o755], ['/usr/bin/bash', 1400000, 0o755], ['/usr/bin/coreutils', 1500000, 0o755], ['/usr/bin/microdnf', 100000, 0o755], ['/usr/lib64/libdnf.so.2', 2300000, 0o755], ['/usr/lib64/librpm.so.9.1.3', 500000, 0o755], ['/usr/lib/locale/C.utf8/LC_CTYPE', 350000], ['/var/lib/rpm/rpmdb.sqlite', 6000000],
    ...many('/usr/lib64', ['libacl', 'libattr', 'libblkid', 'libbz2', 'libcap', 'libcurl', 'libffi', 'libgcrypt', 'libglib-2.0', 'libgmp', 'libgpg-error', 'libidn2', 'liblzma', 'libmount', 'libpcre2-8', 'libreadline', 'libselinux', 'libsmartcols', 'libsqlite3', 'libstdc++', 'libsystemd', 'libtinfo', 'libuuid', 'libxml2', 'libz', 'libzstd'], 26, 500000, '.so'),
    ...many('/usr/share/zoneinfo', ['UTC', 'Europe', 'America', 'Asia', 'Africa', 'Australia', 'Pacific'], 600, 1500)],
    { texts: { '/etc/os-release': 'NAME="Oracle Linux Server"\nVERSION="9.6"\nID="ol"\nID_LIKE="fedora"\nVERSION_ID="9.6"\nPLATFORM_ID="platform:el9"\nPRETTY_NAME="Oracle Linux Server 9.6"\n', '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nmysql:x:999:999::/var/lib/mysql:/bin/bash\n' }, links: [['/bin', 'usr/bin'], ['/lib64', 'usr/lib64'], ['/sbin', 'usr/sbin'], ['/lib', 'usr/lib'], ['/usr/bin/sh', 'bash']] });
  const gosu = payload([['/usr/local/bin/gosu', 2300000, 0o755]]);
  const deps = payload([['/usr/bin/xz', 90000, 0o755], ['/usr/bin/zstd', 600000, 0o755], ['/usr/bin/openssl', 1000000, 0o755], ['/usr/bin/gpg', 1100000, 0o755]]);
  const server = payload([['/usr/sbin/mysqld', 76000000, 0o755], ['/usr/bin/mysql', 8300000, 0o755], ['/usr/bin/mysqladmin', 8000000, 0o755], ['/usr/bin/mysqldump', 8100000, 0o755], ['/usr/bin/mysqlbinlog', 8700000, 0o755], ['/usr/bin/mysqlcheck', 8000000, 0o755], ['/usr/bin/mysqlimport', 8000000, 0o755], ['/usr/bin/mysqlshow', 8000000, 0o755], ['/usr/bin/mysqlslap', 8000000, 0o755], ['/usr/bin/mysql_migrate_keyring', 8000000, 0o755], ['/usr/bin/mysql_tzinfo_to_sql', 7200000, 0o755], ['/usr/bin/mysql_config_editor', 7200000, 0o755],
    ['/usr/lib64/mysql/private/libprotobuf-lite.so.24.4.0', 900000], ['/usr/lib64/mysql/private/libprotobuf.so.24.4.0', 3500000], ['/usr/lib64/mysql/private/libabsl.so', 2500000], ['/usr/lib64/mysql/private/libfido2.so.1', 300000],
    ...many('/usr/lib64/mysql/plugin', ['auth_socket', 'authentication_ldap_sasl_client', 'authentication_kerberos_client', 'authentication_oci_client', 'authentication_webauthn_client', 'component_validate_password', 'component_log_sink_json', 'connection_control', 'ddl_rewriter', 'group_replication', 'keyring_udf', 'mysql_clone', 'semisync_source', 'semisync_replica', 'validate_password', 'rewriter', 'component_keyring_file', 'component_mysqlbackup', 'adt_null', 'ha_example'], 60, 1200000, '.so'),
    ...many('/usr/share/mysql-26.7', ['english', 'german', 'french', 'spanish', 'japanese', 'korean', 'russian', 'czech', 'danish', 'dutch', 'estonian', 'greek', 'hungarian', 'italian', 'norwegian', 'polish', 'portuguese', 'romanian', 'serbian', 'slovak', 'swedish', 'ukrainian', 'bulgarian'], 23, 1100000, '/errmsg.sys'),
    ...many('/usr/share/mysql-26.7/charsets', ['Index', 'armscii8', 'ascii', 'cp1250', 'cp1251', 'cp1256', 'cp1257', 'cp850', 'cp852', 'cp866', 'dec8', 'geostd8', 'greek', 'hebrew', 'hp8', 'keybcs2', 'koi8r', 'koi8u', 'latin1', 'latin2', 'latin5', 'latin7', 'macce', 'macroman', 'swe7'], 25, 20000, '.xml'),
    ['/usr/share/mysql-26.7/messages_to_clients.txt', 900000], ['/usr/share/mysql-26.7/messages_to_error_log.txt', 1200000]],
    { dirs: [['/var/lib/mysql', 0o755, 999, 999], ['/var/run/mysqld', 0o1777, 999, 999], ['/var/lib/mysql-files', 0o750, 999, 999]], texts: { '/etc/my.cnf': '[mysqld]\nhost-cache-size=0\nskip-name-resolve\ndatadir=/var/lib/mysql\nsocket=/var/run/mysqld/mysqld.sock\nsecure-file-priv=/var/lib/mysql-files\nuser=mysql\n\npid-file=/var/run/mysqld/mysqld.pid\n[client]\nsocket=/var/run/mysqld/mysqld.sock\n\n!includedir /etc/mysql/conf.d/\n' } });
  const shell = payload([['/usr/bin/mysqlsh', 40000000, 0o755], ...many('/usr/lib/mysqlsh/lib', ['libpython3.12', 'libantlr4-runtime', 'libssh', 'libcrypto', 'libssl', 'libprotobuf'], 6, 9000000, '.so'), ...many('/usr/lib/mysqlsh/lib/python3.12', ['abc', 'ast', 'asyncio', 'collections', 'email', 'encodings', 'http', 'json', 'logging', 'multiprocessing', 'os', 'pathlib', 're', 'socket', 'ssl', 'subprocess', 'typing', 'unittest', 'urllib', 'xml'], 2000, 25000, '.py')]);
  const vol = payload([], { dirs: [['/var/lib/mysql', 0o755, 999, 999]] });
  const entry = payload([['/usr/local/bin/docker-entrypoint.sh', 16000, 0o755]], { links: [['/entrypoint.sh', 'usr/local/bin/docker-entrypoint.sh']] });
  entry.entries.get('/usr/local/bin/docker-entrypoint.sh').fixed = true;
  image({ name: 'mysql', tags: ['latest', '26', '26.7', v, 'oraclelinux9', '26-oraclelinux9', 'innovation', 'innovation-oraclelinux9'], reference: `mysql:${v}`, created: fig.created, description: `MySQL ${v} on oraclelinux:9-slim (model).`,
    layers: [ol, gosu, deps, server, shell, vol, entry],
    config: { Env: [PATH, 'GOSU_VERSION=1.19', 'MYSQL_MAJOR=innovation', `MYSQL_VERSION=${v}-1.el9`, `MYSQL_SHELL_VERSION=${v}-1.el9`], Entrypoint: ['docker-entrypoint.sh'], Cmd: ['mysqld'], Volumes: { '/var/lib/mysql': {} }, ExposedPorts: { '3306/tcp': {}, '33060/tcp': {} } },
    history: [{ created: fig.created, created_by: 'ADD oraclelinux-9-slim-amd64-rootfs.tar.xz / # buildkit', comment: 'buildkit.dockerfile.v0' }, b('CMD ["/bin/bash"]', true),
      b('RUN /bin/sh -c set -eux; \tgroupadd --system --gid 999 mysql; \tuseradd --system --uid 999 --gid 999 --home-dir /var/lib/mysql --no-create-home mysql; … gosu … # buildkit'),
      b('RUN /bin/sh -c set -eux; \tmicrodnf install -y \t\tbzip2 \t\tgzip \t\topenssl \t\txz \t\tzstd \t\tfindutils \t; \tmicrodnf clean all # buildkit'),
      b('ENV MYSQL_MAJOR=innovation', true), b(`ENV MYSQL_VERSION=${v}-1.el9`, true), b('RUN /bin/sh -c set -eu; \t… microdnf install -y "mysql-community-server-minimal-$MYSQL_VERSION"; \tmicrodnf clean all; \t… mysqld --version; \tmysql --version # buildkit'),
      b(`ENV MYSQL_SHELL_VERSION=${v}-1.el9`, true), b('RUN /bin/sh -c set -eu; \tmicrodnf install -y "mysql-shell-$MYSQL_SHELL_VERSION"; \tmicrodnf clean all; \tmysqlsh --version # buildkit'),
      { created: fig.created, created_by: 'RUN /bin/sh -c mkdir -p /var/lib/mysql && chown mysql:mysql /var/lib/mysql # buildkit', comment: 'buildkit.dockerfile.v0' }, b('VOLUME [/var/lib/mysql]', true),
      b('COPY docker-entrypoint.sh /usr/local/bin/ # buildkit'), b('ENTRYPOINT ["docker-entrypoint.sh"]', true), b('EXPOSE map[3306/tcp:{} 33060/tcp:{}]', true), b('CMD ["mysqld"]', true)],
    rename: [['x86_64', 'aarch64'], ['amd64', 'arm64']], ...fig });
}

// golang (full on buildpack-deps:trixie-scm, alpine on 3.24)
const GO_STD = 'archive/tar archive/zip bufio bytes cmp compress/gzip container/heap context crypto crypto/aes crypto/ecdsa crypto/rsa crypto/sha256 crypto/tls crypto/x509 database/sql debug/elf embed encoding/base64 encoding/binary encoding/json encoding/xml errors flag fmt go/ast go/parser go/types hash html/template image io io/fs log log/slog maps math math/big mime net net/http net/http/httputil net/netip net/url os os/exec os/signal path path/filepath reflect regexp runtime runtime/pprof slices sort strconv strings sync sync/atomic syscall testing text/template time unicode unsafe cmd/compile/internal/ssa cmd/compile/internal/types2 cmd/go/internal/load cmd/go/internal/modload cmd/link/internal/ld cmd/vendor/golang.org/x/tools/go/analysis internal/abi internal/poll internal/runtime/atomic vendor/golang.org/x/crypto vendor/golang.org/x/net/http2'.split(' ');
function goTree(version, alpine) {
  const root = '/usr/local/go';
  const tools = ['addr2line', 'asm', 'buildid', 'cgo', 'compile', 'covdata', 'cover', 'doc', 'fix', 'link', 'nm', 'objdump', 'pack', 'pprof', 'preprofile', 'test2json', 'trace', 'vet'];
  const t = payload([[`${root}/bin/go`, 14500000, 0o755], [`${root}/bin/gofmt`, 3400000, 0o755], ...tools.map((n) => [`${root}/pkg/tool/linux_amd64/${n}`, { compile: 20000000, link: 6800000, vet: 8300000, pprof: 11000000, trace: 10000000, cgo: 4300000, doc: 4900000, objdump: 4200000, covdata: 3800000, asm: 4400000 }[n] ?? 2500000, 0o755]),
    ...GO_STD.flatMap((p) => many(`${root}/src/${p}`, [p.split('/').pop(), 'doc', 'export_test', `${p.split('/').pop()}_test`, 'example_test', 'util', 'types', 'decode', 'encode', 'format'], 24, 14000, '.go')),
    ...many(`${root}/pkg/include`, ['asm_amd64', 'asm_ppc64x', 'funcdata', 'textflag'], 4, 3000, '.h'),
    ...many(`${root}/lib/time`, ['zoneinfo'], 1, 400000, '.zip'), [`${root}/VERSION`, 40], [`${root}/LICENSE`, 1453], [`${root}/go.env`, 388], [`${root}/CONTRIBUTING.md`, 1339], [`${root}/README.md`, 1454], [`${root}/SECURITY.md`, 397],
    ...many(`${root}/misc/wasm`, ['wasm_exec', 'wasm_exec_node'], 2, 17000, '.js'), ...many(`${root}/api`, ['go1', 'go1.1', 'go1.10', 'go1.20', 'go1.21', 'go1.22', 'go1.23', 'go1.24', 'go1.25', 'except', 'next'], 40, 30000, '.txt'),
    ...many(`${root}/test`, ['fixedbugs', 'ken', 'chan', 'typeparam', 'codegen', 'interface'], 1800, 1500, '.go')],
  { dirs: [['/go', 0o1777], ['/go/bin', 0o777], ['/go/src', 0o777]] });
  t.file(`${root}/VERSION`, { text: `go${version}\ntime 2026-11-04T16:11:23Z\n` });
  if (alpine) t.file('/etc/nsswitch.conf', { text: 'hosts: files dns\n' });
  return t;
}
for (const alpine of [false, true]) {
  const v = '1.25.4';
  const fig = F(alpine ? 'golang:alpine' : 'golang:latest');
  const b = bk(fig.created);
  const env = ['PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'GOLANG_VERSION=1.25.4', 'GOTOOLCHAIN=local', 'GOPATH=/go'];
  const work = payload([], { dirs: [['/go', 0o1777], ['/go/bin', 0o777], ['/go/src', 0o777]] });
  const pre = alpine ? payload([['/usr/lib/libc.a', 2400000]], { texts: { '/etc/apk/world': 'alpine-baselayout\nalpine-keys\nalpine-release\napk-tools\nbusybox\nca-certificates\nlibc-utils\n' } }) : aptLayer(have(['g++', 'gcc', 'libc6-dev', 'make', 'pkg-config', 'pkgconf', 'pkgconf-bin', 'libpkgconf3']));
  const go = goTree(v, alpine);
  const wd = payload([], { dirs: [['/go', 0o1777]] });
  const base = alpine ? [layerOf(ALPINE['3.24'], 0)] : BPD_LAYERS.slice(0, 3);
  image({ name: 'golang', tags: alpine ? ['alpine', '1-alpine', '1.25-alpine', `${v}-alpine`, 'alpine3.24', `${v}-alpine3.24`] : ['latest', '1', '1.25', v, 'trixie', '1.25-trixie', `${v}-trixie`],
    reference: `golang:${v}${alpine ? '-alpine3.24' : '-trixie'}`, created: fig.created, description: `Go ${v} on ${alpine ? 'alpine:3.24' : 'buildpack-deps:trixie-scm'} (model: real toolchain paths, std sources modelled).`,
    layers: [...base, pre, go, work, wd].slice(0, base.length + 3), config: { Env: env, WorkingDir: '/go', ...(alpine ? { Cmd: ['/bin/sh'] } : { Cmd: ['bash'] }) },
    history: [...(alpine ? alpineHistory(ALPINE['3.24'].release, fig.created) : [...debHistory(fig.created, 'amd64', 'trixie'), ...bpdHistory(fig.created).slice(0, 2)]),
      b(alpine ? 'RUN /bin/sh -c apk add --no-cache ca-certificates # buildkit' : 'RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tg++ \t\tgcc \t\tlibc6-dev \t\tmake \t\tpkg-config \t; \trm -rf /var/lib/apt/lists/* # buildkit'),
      b('ENV GOLANG_VERSION=1.25.4', true), b('ENV GOTOOLCHAIN=local', true), b('ENV GOPATH=/go', true), b('ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', true),
      b('COPY /target/ / # buildkit'), b('RUN /bin/sh -c mkdir -p "$GOPATH/src" "$GOPATH/bin" && chmod -R 1777 "$GOPATH" # buildkit'), b('WORKDIR /go', true)],
    rename: alpine ? ALPINE_RENAME : [...DEBIAN_RENAME, ['linux_amd64', 'linux_arm64']], ...fig });
}

// eclipse-temurin (ubuntu noble) JDK and JRE; openjdk (deprecated image, last tags)
const UBUNTU_NOBLE = ref('ubuntu-24.04.json', 0);
/** A JDK/JRE tree; `date` is the release's GA date (the release file's JAVA_VERSION_DATE, which `java -version` prints). */
function javaTree(kind, feature, { srcZip = true, temurin = true, date }) {
  const home = '/opt/java/openjdk';
  const bins = kind === 'jdk' ? ['jar', 'jarsigner', 'java', 'javac', 'javadoc', 'javap', 'jcmd', 'jconsole', 'jdb', 'jdeprscan', 'jdeps', 'jfr', 'jhsdb', 'jimage', 'jinfo', 'jlink', 'jmap', 'jmod', 'jpackage', 'jps', 'jrunscript', 'jshell', 'jstack', 'jstat', 'jstatd', 'jwebserver', 'keytool', 'rmiregistry', 'serialver'] : ['java', 'jfr', 'jrunscript', 'jwebserver', 'keytool', 'rmiregistry'];
  return payload([...bins.map((n) => [`${home}/bin/${n}`, 13000, 0o755]), [`${home}/lib/modules`, kind === 'jdk' ? 140000000 : 50000000], [`${home}/lib/server/libjvm.so`, 23000000, 0o755], [`${home}/lib/server/classes.jsa`, 15000000], [`${home}/lib/server/classes_nocoops.jsa`, 15000000],
    ...many(`${home}/lib`, ['libawt', 'libawt_headless', 'libawt_xawt', 'libfontmanager', 'libfreetype', 'libjava', 'libjimage', 'libjli', 'libjsig', 'libjsound', 'liblcms', 'libmanagement', 'libmlib_image', 'libnet', 'libnio', 'libprefs', 'librmi', 'libsctp', 'libsplashscreen', 'libsyslookup', 'libverify', 'libzip', 'libextnet', 'libj2gss', 'libj2pcsc', 'libj2pkcs11', 'libjaas', 'libattach', 'libdt_socket', 'libjdwp', 'libinstrument', 'libjavajpeg', 'liblcms'], 33, 300000, '.so'),
    ...(kind === 'jdk' ? [...(srcZip ? [[`${home}/lib/src.zip`, 59000000]] : []), [`${home}/lib/ct.sym`, 9000000], ...many(`${home}/jmods`, ['java.base', 'java.compiler', 'java.datatransfer', 'java.desktop', 'java.instrument', 'java.logging', 'java.management', 'java.naming', 'java.net.http', 'java.prefs', 'java.rmi', 'java.scripting', 'java.se', 'java.security.jgss', 'java.sql', 'java.xml', 'jdk.compiler', 'jdk.jfr', 'jdk.jshell', 'jdk.httpserver'], 70, 1500000, '.jmod'), ...many(`${home}/include`, ['jni', 'jvmti', 'jawt', 'jdwpTransport', 'classfile_constants'], 5, 20000, '.h')] : []),
    [`${home}/lib/security/cacerts`, 160000], [`${home}/lib/tzdb.dat`, 105000], [`${home}/lib/jvm.cfg`, 29], [`${home}/NOTICE`, 160], ...many(`${home}/legal/java.base`, ['ADDITIONAL_LICENSE_INFO', 'ASSEMBLY_EXCEPTION', 'LICENSE', 'aes.md', 'c-libutl.md', 'cldr.md', 'icu.md', 'public_suffix.md', 'unicode.md', 'zlib.md'], 10, 4000)],
  { texts: { [`${home}/release`]: temurin
    ? `IMPLEMENTOR="Eclipse Adoptium"\nIMPLEMENTOR_VERSION="Temurin-${feature}"\nJAVA_RUNTIME_VERSION="${feature}"\nJAVA_VERSION="${feature.split('+')[0]}"\nJAVA_VERSION_DATE="${date}"\nOS_ARCH="x86_64"\nOS_NAME="Linux"\n`
    : `IMPLEMENTOR="Oracle Corporation"\nJAVA_VERSION="${feature}"\nJAVA_VERSION_DATE="${date}"\nOS_ARCH="x86_64"\nOS_NAME="Linux"\n` } });
}
for (const kind of ['jdk', 'jre']) for (const on of ['noble', 'resolute']) {
  const resolute = on === 'resolute';
  const fig = F(`eclipse-temurin:21-${kind}-${on}`);
  const b = bk(fig.created);
  const feature = '21.0.12+8';
  // The RUN's packages (eclipse-temurin's Dockerfile: binutils only in the JDK, for jlink).
  const locale = aptLayer(have(['locales', 'tzdata', 'ca-certificates', 'curl', 'libcurl4', 'wget', 'gnupg', 'gpg', 'gpgconf', 'gpg-agent', 'dirmngr', 'libassuan0', 'libksba8', 'libnpth0', 'fontconfig', 'fontconfig-config', 'fonts-dejavu-core', 'libfontconfig1', 'libfreetype6', 'libpng16-16', 'libbrotli1', 'p11-kit', 'p11-kit-modules', 'libp11-kit0', 'libexpat1',
    ...(kind === 'jdk' ? ['binutils', 'binutils-common', 'binutils-x86-64-linux-gnu', 'libbinutils', 'libctf0', 'libctf-nobfd0', 'libgprofng0', 'libjansson4'] : [])]));
  put(locale, [['/usr/lib/locale/locale-archive', 3060000]]);
  // eclipse-temurin's RUN deletes the JDK's lib/src.zip.
  const java = javaTree(kind, feature, { srcZip: false, date: '2026-07-21' });
  const check = payload([['/opt/java/openjdk/lib/security/cacerts', 160000]]);
  const entry = payload([['/__cacert_entrypoint.sh', 5300, 0o755]]);
  entry.entries.get('/__cacert_entrypoint.sh').fixed = true;
  check.entries.get('/opt/java/openjdk/lib/security/cacerts').fixed = true;
  // Docker Hub's aliases (repo-info eclipse-temurin/remote/21-jdk.md, 21-jre.md: the resolute
  // builds): the short tags name the ubuntu 26.04 image, the noble one keeps its -noble tags.
  const v = feature.replace('+', '_');
  const short = kind === 'jdk' ? ['21-jdk', '21', `${v}-jdk`, 'latest'] : ['21-jre', `${v}-jre`];
  const own = kind === 'jdk' ? [`21-jdk-${on}`, `21-${on}`, `${v}-jdk-${on}`] : [`21-jre-${on}`, `${v}-jre-${on}`];
  const tags = MOVE_ALIASES === resolute ? [...short, ...own] : own;
  // Simulation: the resolute builds share the catalog's ubuntu:26.04 layers (the real ones sit on
  // the 2026-09-01 build of 26.04, 41,602,703 B against 41,572,999 B).
  const base = resolute ? [layerOf(UBUNTU_RESOLUTE, 0), layerOf(UBUNTU_RESOLUTE, 1)] : [UBUNTU_NOBLE];
  const baseHistory = resolute ? rockHistory('2026-09-01T20:37:00Z', { dir: '/home/buildd/rockcraft-ubuntu-e1c60b1bc0d25a2115f571511888c62b/images', pid: 9485, labelCreated: '2026-09-01T20:37:00.369571+00:00' })
    : [{ created: fig.created, created_by: '/bin/sh -c #(nop) ADD file:32a4a2d4a1e5c1ba1fd3b1a7d3bd0d8ea4c1b5e6b4a0d6ae4f3b2a1c0d9e8f7a6 in / ' }];
  // The resolute history's RUN lines read `RUN set -eux; …` (repo-info), noble's `RUN /bin/sh -c set -eux; …`.
  const run = (x) => (resolute ? x.replace('RUN /bin/sh -c ', 'RUN ') : x);
  image({ name: 'eclipse-temurin', tags, reference: `eclipse-temurin:${v}-${kind}-${on}`, created: fig.created, file: `eclipse-temurin-21-${kind}${resolute ? '-resolute' : ''}.json`,
    description: `Eclipse Temurin ${feature} ${kind.toUpperCase()} on ubuntu:${resolute ? '26.04' : '24.04'} (model).`,
    layers: [...base, locale, java, check, entry],
    config: { Env: ['JAVA_HOME=/opt/java/openjdk', 'PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'LANG=en_US.UTF-8', 'LANGUAGE=en_US:en', 'LC_ALL=en_US.UTF-8', `JAVA_VERSION=jdk-${feature}`], Entrypoint: ['/__cacert_entrypoint.sh'], ...(kind === 'jdk' ? { Cmd: ['jshell'] } : {}) },
    history: [...baseHistory, ...[b('ENV JAVA_HOME=/opt/java/openjdk', true), b('ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', true), b('ENV LANG=en_US.UTF-8 LANGUAGE=en_US:en LC_ALL=en_US.UTF-8', true),
      b(`RUN /bin/sh -c set -eux;     apt-get update;     DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends         curl         wget         gnupg         fontconfig         ca-certificates p11-kit${kind === 'jdk' ? '         binutils' : ''}         tzdata         locales     ;     echo "en_US.UTF-8 UTF-8" >> /etc/locale.gen;     locale-gen en_US.UTF-8;     rm -rf /var/lib/apt/lists/* # buildkit`),
      b(`ENV JAVA_VERSION=jdk-${feature}`, true), b(`RUN /bin/sh -c set -eux;     ARCH="$(dpkg --print-architecture)";     case "\${ARCH}" in … esac;     wget --progress=dot:giga -O /tmp/openjdk.tar.gz \${BINARY_URL};     wget --progress=dot:giga -O /tmp/openjdk.tar.gz.sig \${BINARY_URL}.sig;     … gpg --batch --verify /tmp/openjdk.tar.gz.sig /tmp/openjdk.tar.gz;     … mkdir -p "$JAVA_HOME";     tar --extract         --file /tmp/openjdk.tar.gz         --directory "$JAVA_HOME"         --strip-components 1         --no-same-owner     ;     rm -f /tmp/openjdk.tar.gz${kind === 'jdk' ? ' \${JAVA_HOME}/lib/src.zip' : ''};     find "$JAVA_HOME/lib" -name '*.so' -exec dirname '{}' ';' | sort -u > /etc/ld.so.conf.d/docker-openjdk.conf;     ldconfig;     java -Xshare:dump; # buildkit`),
      b(`RUN /bin/sh -c set -eux;     echo "Verifying install ...";     ${kind === 'jdk' ? 'fileEncoding="$(echo \'System.out.println(System.getProperty("file.encoding"))\' | jshell -s -)"; [ "$fileEncoding" = \'UTF-8\' ]; rm -rf ~/.java;     echo "javac --version"; javac --version;' : ''}     echo "java --version"; java --version;     echo "Complete." # buildkit`),
      b('COPY --chmod=755 entrypoint.sh /__cacert_entrypoint.sh # buildkit'), b('ENTRYPOINT ["/__cacert_entrypoint.sh"]', true), ...(kind === 'jdk' ? [b('CMD ["jshell"]', true)] : [])].map((h) => ({ ...h, created_by: run(h.created_by) }))],
    rename: [...DEBIAN_RENAME, ['x86_64', 'aarch64']], ...fig });
}
{
  // openjdk: the official image is deprecated; openjdk:17-jdk-slim (bullseye) is its most pulled
  // tag. Simulation: modelled on the catalog's bookworm-slim.
  const fig = F('openjdk:17-jdk-slim');
  const b = bk(fig.created);
  const feature = '17.0.2';
  const deps = aptLayer(have(['ca-certificates', 'p11-kit', 'libp11-kit0', 'fontconfig-config', 'fonts-dejavu-core', 'libfontconfig1', 'libfreetype6', 'libpng16-16', 'libbrotli1', 'libexpat1']));
  const java = javaTree('jdk', feature, { temurin: false, date: '2022-01-18' });
  for (const [p, e] of [...java.entries]) if (p.startsWith('/opt/java/openjdk')) { java.entries.delete(p); java.entries.set(p.replace('/opt/java/openjdk', '/usr/local/openjdk-17'), e); }
  java.delete('/opt');
  image({ name: 'openjdk', tags: ['17-jdk-slim', '17-slim', '17.0.2-jdk-slim', '17.0.2-slim', '17-jdk-slim-bullseye'], reference: 'openjdk:17-jdk-slim', created: fig.created, description: 'OpenJDK 17.0.2 (deprecated official image) on Debian slim (model).',
    layers: [BOOKWORM_SLIM, deps, java],
    config: { Env: ['PATH=/usr/local/openjdk-17/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'JAVA_HOME=/usr/local/openjdk-17', 'LANG=C.UTF-8', `JAVA_VERSION=${feature}`], Cmd: ['jshell'] },
    history: [...debHistory(debianCreated, 'amd64', 'bookworm'), b('RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates p11-kit \t\tfontconfig libfreetype6 \t; \trm -rf /var/lib/apt/lists/* # buildkit'),
      b('ENV JAVA_HOME=/usr/local/openjdk-17', true), b('ENV PATH=/usr/local/openjdk-17/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', true), b('ENV LANG=C.UTF-8', true), b(`ENV JAVA_VERSION=${feature}`, true),
      b('RUN /bin/sh -c set -eux; \t\tarch="$(dpkg --print-architecture)"; \t… wget --progress=dot:giga -O openjdk.tgz "$downloadUrl"; \t… tar --extract --file openjdk.tgz --directory "$JAVA_HOME" --strip-components 1 --no-same-owner; \t… javac --version; \tjava --version # buildkit'),
      b('CMD ["jshell"]', true)],
    rename: [...DEBIAN_RENAME, ['x86_64', 'aarch64']], ...fig });
}

// ------------------------------------------------------------------ index
{
  const indexPath = join(OUT, 'index.json');
  const index = JSON.parse(readFileSync(indexPath, 'utf8'));
  const core = index.images.filter((i) => !i.model);
  // Tags Docker Hub moved: alpine:latest is 3.24 now; python:3.12-slim is trixie-based; ubuntu:latest is 26.04.
  for (const i of core) {
    if (i.name === 'alpine') i.tags = i.tags.filter((t) => t !== 'latest');
    if (i.name === 'python') i.tags = i.tags.filter((t) => t !== '3.12-slim');
    if (i.name === 'ubuntu' && MOVE_ALIASES) i.tags = i.tags.filter((t) => t !== 'latest');
  }
  const all = [...core, ...images.map((i) => ({ ...i, model: true }))];
  const seen = new Map();
  for (const i of all) for (const t of i.tags) {
    const k = `${i.name}:${t}`;
    if (seen.has(k)) throw new Error(`tag ${k} in ${seen.get(k)} and ${i.file}`);
    seen.set(k, i.file);
  }
  writeFileSync(indexPath, JSON.stringify({ format: FORMAT, images: all }, null, 1) + '\n');
  console.log(`wrote ${images.length} model images (${all.length} in the index, ${seen.size} tags)`);
}
