// Layers stacked on the base trees: python:3.12-slim (on debian:bookworm-slim), node:22-alpine and
// nginx:alpine (on alpine), and the ubuntu:24.04 model (derived from the bookworm package trees).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, field, statusStanza } from './deb.mjs';
import { unpackDebs, writeDpkgInfo, statusFile } from './debian.mjs';
import { GenTree } from './tree.mjs';
import { apkAddLayer, pkg, so, ALPINE_PASSWD, ALPINE_GROUP, shadowOf } from './alpine.mjs';

/** Sum of regular-file sizes over layers (what `docker images` reports, near enough). */
export const totalSize = (trees) => trees.reduce((n, t) => n + t.contentSize, 0);

/** Sets one synthetic file's size so that the layers add up to `target` bytes. */
export function calibrate(trees, tree, path, target) {
  const e = tree.entries.get(path);
  const rest = totalSize(trees) - e.size;
  e.size = target - rest;
  if (e.size <= 0) throw new Error(`cannot calibrate ${path}: the other files already weigh ${rest}`);
}

// ---------------------------------------------------------------- python:3.12-slim (bookworm)

function dpkgState(t, allDebs) {
  t.file('/var/lib/dpkg/status', { text: statusFile(allDebs) });
  t.file('/var/lib/dpkg/status-old', { size: Buffer.byteLength(statusFile(allDebs)) });
  t.file('/var/cache/debconf/config.dat', { size: 11283 + 400 * allDebs.length });
  t.file('/var/cache/debconf/templates.dat', { size: 418316 });
  t.file('/var/log/dpkg.log', { size: 180 * allDebs.length });
  t.file('/var/log/apt/history.log', { size: 2100 });
  t.file('/var/log/apt/term.log', { size: 9800 });
  t.file('/var/log/apt/eipp.log.xz', { size: 21000, mode: 0o600 });
  t.file('/var/lib/apt/extended_states', { size: 120 * allDebs.length });
  t.file('/etc/ld.so.cache', { size: 9210 });
  // `rm -rf /var/lib/apt/lists/*` removes the base's lists/partial: a whiteout in this layer.
  t.dir('/var/lib/apt/lists');
  t.whiteout('/var/lib/apt/lists/partial');
  t.file('/var/lib/apt/lists/lock', { text: '', mode: 0o640 });
  t.entries.delete('/var/lib/apt/lists/lock');
}

/** RUN apt-get install ca-certificates netbase tzdata: the runtime-dependency layer. */
export function pythonRuntimeDeps(baseDebs) {
  const t = new GenTree();
  const debs = unpackDebs(t, ['libssl3', 'openssl', 'ca-certificates', 'netbase']);
  writeDpkgInfo(t, debs);
  dpkgState(t, [...baseDebs, ...debs]);
  // update-ca-certificates: the bundle plus one symlink per certificate, as its postinst leaves them.
  const certs = [...t.entries.keys()].filter((p) => p.startsWith('/usr/share/ca-certificates/mozilla/'));
  let bundle = 0;
  for (const c of certs) {
    const name = c.split('/').pop().replace(/\.crt$/, '.pem');
    t.symlink(`/etc/ssl/certs/${name}`, c);
    bundle += t.entries.get(c).size;
  }
  t.file('/etc/ssl/certs/ca-certificates.crt', { size: bundle });
  t.file('/etc/ca-certificates.conf', { text: certs.map((c) => c.replace('/usr/share/ca-certificates/', '')).join('\n') + '\n' });
  return { tree: t, debs };
}

/** The big RUN that builds CPython into /usr/local, keeping only the shared libraries it links. */
export function pythonBuild(baseDebs, depDebs, { version }) {
  const t = new GenTree();
  const kept = unpackDebs(t, ['readline-common', 'libreadline8', 'libncursesw6', 'libsqlite3-0', 'libgdbm6']);
  writeDpkgInfo(t, kept);
  dpkgState(t, [...baseDebs, ...depDebs, ...kept]);
  // Simulation: CPython 3.12's files are modelled on Debian's python3.11 packages (real paths and
  // sizes of the 3.11 stdlib, renamed to 3.12, minus what 3.12 removed and what the Dockerfile deletes).
  const src = new GenTree();
  unpackDebs(src, ['libpython3.11-minimal', 'libpython3.11-stdlib', 'python3-pip'], { slim: true });
  const minor = version.split('.').slice(0, 2).join('.');
  const removed = /\/(distutils|test|tests|idle_test|__pycache__)(\/|$)|\/(asynchat|asyncore|imp|smtpd)\.py$/;
  for (const [p, e] of src.entries) {
    let q;
    if (p.startsWith('/usr/lib/python3.11/')) q = `/usr/local/lib/python${minor}/` + p.slice('/usr/lib/python3.11/'.length);
    else if (p.startsWith('/usr/lib/python3/dist-packages/pip')) q = `/usr/local/lib/python${minor}/site-packages/pip` + p.slice('/usr/lib/python3/dist-packages/pip'.length).replace(/^-[\d.]+\.dist-info/, '-25.0.1.dist-info');
    else continue;
    if (removed.test(q)) continue;
    q = q.replace(/cpython-311/g, 'cpython-312').replace(/_sysconfigdata__x86_64-linux-gnu/, '_sysconfigdata__linux_x86_64-linux-gnu');
    if (e.type === 'd') t.dir(q, e.mode);
    else if (e.type === 'f') t.file(q, { size: e.size, mode: e.mode });
    else if (e.type === 'l') t.symlink(q, e.target);
  }
  const lib = `/usr/local/lib/python${minor}`;
  t.file(`${lib}/ensurepip/__init__.py`, { size: 9443 });
  t.file(`${lib}/ensurepip/__main__.py`, { size: 88 });
  t.file(`${lib}/ensurepip/_uninstall.py`, { size: 808 });
  t.file(`${lib}/ensurepip/_bundled/pip-25.0.1-py3-none-any.whl`, { size: 1841506 });
  t.file(`${lib}/config-${minor}-x86_64-linux-gnu/Makefile`, { size: 138000 });
  t.file(`${lib}/config-${minor}-x86_64-linux-gnu/python.o`, { size: 5840 });
  t.file(`${lib}/config-${minor}-x86_64-linux-gnu/python-config.py`, { size: 2231 });
  t.file(`${lib}/site-packages/README.txt`, { text: 'This directory exists so that 3rd party packages can be installed\nhere.  Read the source for site.py for more details.\n' });
  t.file(`/usr/local/bin/python${minor}`, { size: 14472, mode: 0o755 });
  t.symlink('/usr/local/bin/python3', `python${minor}`);
  t.file(`/usr/local/bin/python${minor}-config`, { size: 3085, mode: 0o755 });
  t.symlink('/usr/local/bin/python3-config', `python${minor}-config`);
  t.file(`/usr/local/bin/pydoc${minor}`, { text: `#!/usr/local/bin/python${minor}\n\nimport pydoc\nif __name__ == '__main__':\n    pydoc.cli()\n`, mode: 0o755 });
  t.symlink('/usr/local/bin/pydoc3', `pydoc${minor}`);
  t.file(`/usr/local/bin/idle${minor}`, { text: `#!/usr/local/bin/python${minor}\n\nfrom idlelib.pyshell import main\nif __name__ == '__main__':\n    main()\n`, mode: 0o755 });
  t.symlink('/usr/local/bin/idle3', `idle${minor}`);
  for (const n of ['pip3', `pip${minor}`]) { // ensurepip without default_pip: no bare `pip`
    t.file(`/usr/local/bin/${n}`, { text: `#!/usr/local/bin/python${minor}\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom pip._internal.cli.main import main\nif __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n    sys.exit(main())\n`, mode: 0o755 });
  }
  t.file(`/usr/local/lib/libpython${minor}.so.1.0`, { size: 1, mode: 0o755 });
  t.symlink(`/usr/local/lib/libpython${minor}.so`, `libpython${minor}.so.1.0`);
  t.file('/usr/local/lib/libpython3.so', { size: 14296, mode: 0o755 });
  t.file(`/usr/local/lib/pkgconfig/python-${minor}.pc`, { text: `prefix=/usr/local\nexec_prefix=\${prefix}\nlibdir=\${exec_prefix}/lib\nincludedir=\${prefix}/include\n\nName: Python\nDescription: Build a C extension for Python\nRequires:\nVersion: ${minor}\nLibs.private: -ldl \nLibs: -L\${libdir} -lpython${minor}\nCflags: -I\${includedir}/python${minor}\n` });
  t.file(`/usr/local/lib/pkgconfig/python-${minor}-embed.pc`, { size: 297 });
  t.symlink('/usr/local/lib/pkgconfig/python3.pc', `python-${minor}.pc`);
  t.symlink('/usr/local/lib/pkgconfig/python3-embed.pc', `python-${minor}-embed.pc`);
  t.file(`/usr/local/share/man/man1/python${minor}.1`, { size: 22542 });
  t.symlink('/usr/local/share/man/man1/python3.1', `python${minor}.1`);
  for (const [h, s] of [['Python.h', 2854], ['pyconfig.h', 53211], ['object.h', 34562], ['abstract.h', 34004], ['pyport.h', 25765], ['patchlevel.h', 1299]]) t.file(`/usr/local/include/python${minor}/${h}`, { size: s });
  for (let i = 0; i < 60; i++) t.file(`/usr/local/include/python${minor}/cpython/header${String(i).padStart(2, '0')}.h`, { size: 6000 });
  return { tree: t, debs: kept };
}

/** RUN ln -svT … : the `python`, `pip`, `pydoc`, `idle`, `python-config` convenience symlinks. */
export function pythonSymlinks() {
  const t = new GenTree();
  t.dir('/usr/local/bin');
  for (const src of ['idle3', 'pip3', 'pydoc3', 'python3', 'python3-config']) t.symlink(`/usr/local/bin/${src.replace('3', '')}`, src);
  return t;
}

// ---------------------------------------------------------------- ubuntu:24.04 (model)

const NOBLE_RENAME = {
  'debian-archive-keyring': 'ubuntu-keyring', 'gcc-12-base': 'gcc-14-base', libunistring2: 'libunistring5',
  'libapt-pkg6.0': 'libapt-pkg6.0t64', 'libdb5.3': 'libdb5.3t64', libext2fs2: 'libext2fs2t64', libgnutls30: 'libgnutls30t64',
  libhogweed6: 'libhogweed6t64', libnettle8: 'libnettle8t64',
};
const NOBLE_VERSION = { apt: '2.8.3', 'libapt-pkg6.0t64': '2.8.3', libacl1: '2.3.2-1build1.1', libattr1: '1:2.5.2-1build1.1',
  'libaudit-common': '1:3.1.2-2.1build1.1', libaudit1: '1:3.1.2-2.1build1.1', 'base-files': '13ubuntu10.4', 'base-passwd': '3.6.3build1',
  bash: '5.2.21-2ubuntu4', 'libbz2-1.0': '1.0.8-5.1build0.1', libdebconfclient0: '0.271ubuntu3', coreutils: '9.4-3ubuntu6.2',
  dash: '0.5.12-6ubuntu5', 'libdb5.3t64': '5.3.28+dfsg2-7', debconf: '1.5.86ubuntu1', debianutils: '5.17build1',
  diffutils: '1:3.10-1build1', dpkg: '1.22.6ubuntu6.6', e2fsprogs: '1.47.0-2.4~exp1ubuntu4.1', 'libcom-err2': '1.47.0-2.4~exp1ubuntu4.1',
  'libext2fs2t64': '1.47.0-2.4~exp1ubuntu4.1', libss2: '1.47.0-2.4~exp1ubuntu4.1', logsave: '1.47.0-2.4~exp1ubuntu4.1' };

/**
 * ubuntu:24.04. Simulation: noble's packages are not reachable from here, so the tree is the
 * bookworm package set with noble's package names (t64 renames, ubuntu-keyring…), the noble
 * versions repo-info lists where known, Ubuntu's own /etc files, and binaries scaled to the real size.
 */
export function buildUbuntu(debianTree, baseDebs, { created }) {
  const t = new GenTree();
  for (const [p, e] of debianTree.entries) {
    if (p.startsWith('/usr/share/zoneinfo') || p.includes('/dpkg/info/tzdata') || p === '/etc/timezone' || p === '/etc/localtime') continue;
    if (p.startsWith('/etc/apt/sources.list.d/debian') || p === '/etc/dpkg/dpkg.cfg.d/docker') continue;
    let q = p.replace('debian-archive-keyring', 'ubuntu-keyring').replace('/info/gcc-12-base', '/info/gcc-14-base').replace('/doc/gcc-12-base', '/doc/gcc-14-base');
    for (const [from, to] of Object.entries(NOBLE_RENAME)) if (q.includes(`/info/${from}:`) || q.includes(`/info/${from}.`)) q = q.replace(`/info/${from}`, `/info/${to}`);
    t.entries.set(q, { ...e });
  }
  const debs = baseDebs.filter((d) => d.name !== 'tzdata').map((d) => {
    const name = NOBLE_RENAME[d.name] ?? d.name;
    const fields = d.fields.map(([k, v]) => [k, k === 'Package' ? name : k === 'Version' ? NOBLE_VERSION[name] ?? v.replace(/\+deb12u\d+|\+b\d+/g, '') + 'build1' : k === 'Maintainer' ? 'Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>' : v]);
    return { ...d, name, fields };
  });
  t.file('/var/lib/dpkg/status', { text: debs.map(statusStanza).join('\n') });
  t.file('/var/lib/dpkg/status-old', { size: t.entries.get('/var/lib/dpkg/status').size });
  t.file('/usr/lib/os-release', { text: 'PRETTY_NAME="Ubuntu 24.04.3 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION="24.04.3 LTS (Noble Numbat)"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\nSUPPORT_URL="https://help.ubuntu.com/"\nBUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\nPRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"\nUBUNTU_CODENAME=noble\nLOGO=ubuntu-logo\n' });
  t.file('/etc/lsb-release', { text: 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=24.04\nDISTRIB_CODENAME=noble\nDISTRIB_DESCRIPTION="Ubuntu 24.04.3 LTS"\n' });
  t.file('/etc/debian_version', { text: 'trixie/sid\n' });
  t.file('/etc/issue', { text: 'Ubuntu 24.04.3 LTS \\n \\l\n\n' });
  t.file('/etc/issue.net', { text: 'Ubuntu 24.04.3 LTS\n' });
  t.file('/etc/legal', { text: '\nThe programs included with the Ubuntu system are free software;\nthe exact distribution terms for each program are described in the\nindividual files in /usr/share/doc/*/copyright.\n\nUbuntu comes with ABSOLUTELY NO WARRANTY, to the extent permitted by\napplicable law.\n\n' });
  const passwd = t.entries.get('/etc/passwd').text + 'ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash\n';
  const group = t.entries.get('/etc/group').text + 'ubuntu:x:1000:\n';
  const days = Math.floor(Date.parse(created) / 86400000);
  t.file('/etc/passwd', { text: passwd });
  t.file('/etc/group', { text: group });
  t.file('/etc/shadow', { text: passwd.split('\n').filter(Boolean).map((l) => `${l.split(':')[0]}:${l.startsWith('ubuntu') ? '!' : '*'}:${days}:0:99999:7:::`).join('\n') + '\n', mode: 0o640, gid: 42 });
  t.file('/etc/gshadow', { text: group.split('\n').filter(Boolean).map((l) => `${l.split(':')[0]}:${l.startsWith('ubuntu') ? '!' : '*'}::`).join('\n') + '\n', mode: 0o640, gid: 42 });
  t.dir('/home/ubuntu', 0o750, 1000, 1000);
  for (const f of ['.bash_logout', '.bashrc', '.profile']) {
    const s = t.entries.get(`/etc/skel/${f}`);
    if (s) t.entries.set(`/home/ubuntu/${f}`, { ...s, uid: 1000, gid: 1000 });
  }
  t.file('/etc/apt/sources.list.d/ubuntu.sources', { text: '# Ubuntu sources have moved to the /etc/apt/sources.list.d/ubuntu.sources\nTypes: deb\nURIs: http://archive.ubuntu.com/ubuntu/\nSuites: noble noble-updates noble-backports\nComponents: main universe restricted multiverse\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n\nTypes: deb\nURIs: http://security.ubuntu.com/ubuntu/\nSuites: noble-security\nComponents: main universe restricted multiverse\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n' });
  t.file('/etc/dpkg/dpkg.cfg.d/excludes', { text: '# Drop all man pages\npath-exclude=/usr/share/man/*\n\n# Drop all translations\npath-exclude=/usr/share/locale/*/LC_MESSAGES/*.mo\n\n# Drop all documentation ...\npath-exclude=/usr/share/doc/*\n\n# ... except copyright files ...\npath-include=/usr/share/doc/*/copyright\n\n# ... and Debian changelogs for native & non-native packages\npath-include=/usr/share/doc/*/changelog.*\n\n# Drop all info pages\npath-exclude=/usr/share/info/*\n' });
  t.file('/usr/local/sbin/unminimize', { size: 3021, mode: 0o755 });
  t.file('/etc/update-motd.d/60-unminimize', { size: 240, mode: 0o755 });
  return { tree: t, debs };
}

// ---------------------------------------------------------------- node:22-alpine

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });

/** The real file list of an npm package (`npm pack`, cached): [path under package/, size, mode]. */
export function npmFiles(spec) {
  const dir = join(CACHE, 'npm');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, spec.replace('@', '-').replace(/^@/, '') + '.tgz');
  if (!existsSync(file)) run('npm', ['pack', spec, '--silent'], { cwd: dir });
  const out = [];
  for (const line of run('tar', ['tzvf', file]).split('\n')) {
    const m = /^(\S)(\S{9})\s+\S+\s+(\d+)\s+\S+\s+\S+\s+package\/(.*)$/.exec(line);
    if (m && m[1] === '-') out.push([m[4], Number(m[3]), m[2][2] === 'x' ? 0o755 : 0o644]);
  }
  return out;
}

/** The real text of a package's package.json (from the same `npm pack` tarball as npmFiles). */
export function npmPackageJson(spec) {
  npmFiles(spec);
  return run('tar', ['xzf', join(CACHE, 'npm', spec.replace('@', '-').replace(/^@/, '') + '.tgz'), '-O', 'package/package.json']);
}

export function nodeLayers(base, { nodeVersion, yarnVersion, npmVersion, corepackVersion }) {
  // RUN addgroup/adduser node && apk add libstdc++ && (node tarball into /usr/local) && apk del .build-deps
  const passwd = ALPINE_PASSWD + 'node:x:1000:1000:Linux User,,,:/home/node:/bin/sh\n';
  const group = ALPINE_GROUP + 'node:x:1000:node\n';
  const extra = [
    pkg('libgcc', '15.2.0-r2', 169, ['f:/usr/lib/libgcc_s.so.1'], { desc: 'GNU C compiler runtime libraries', license: 'GPL-2.0-or-later AND LGPL-2.1-or-later' }),
    pkg('libstdc++', '15.2.0-r2', 2738, [...so('libstdc++.so.6', 'libstdc++.so.6.0.34')], { desc: 'GNU C++ standard runtime library', license: 'GPL-2.0-or-later AND LGPL-2.1-or-later' }),
  ];
  const l2 = apkAddLayer(base, extra, { world: 'alpine-baselayout\nalpine-keys\nalpine-release\napk-tools\nbusybox\nca-certificates-bundle\nlibc-utils\nlibstdc++\n', passwd, group, shadow: shadowOf(passwd) });
  l2.dir('/home/node', 0o2755, 1000, 1000);
  l2.file('/usr/local/bin/node', { size: 1, mode: 0o755 });
  l2.symlink('/usr/local/bin/nodejs', '/usr/local/bin/node');
  l2.symlink('/usr/local/bin/npm', '../lib/node_modules/npm/bin/npm-cli.js');
  l2.symlink('/usr/local/bin/npx', '../lib/node_modules/npm/bin/npx-cli.js');
  // Node 25+ no longer ships corepack (corepackVersion null).
  if (corepackVersion) l2.symlink('/usr/local/bin/corepack', '../lib/node_modules/corepack/dist/corepack.js');
  for (const [p, s, m] of npmFiles(`npm@${npmVersion}`)) l2.file(`/usr/local/lib/node_modules/npm/${p}`, { size: s, mode: m });
  if (corepackVersion) for (const [p, s, m] of npmFiles(`corepack@${corepackVersion}`)) l2.file(`/usr/local/lib/node_modules/corepack/${p}`, { size: s, mode: m });
  l2.file('/usr/local/CHANGELOG.md', { size: 128400 });
  l2.file('/usr/local/LICENSE', { size: 129640 });
  l2.file('/usr/local/README.md', { size: 39240 });
  l2.file('/usr/local/share/doc/node/gdbinit', { size: 9300 });
  l2.file('/usr/local/share/doc/node/lldb_commands.py', { size: 2800 });
  l2.file('/usr/local/share/man/man1/node.1', { size: 21500 });
  l2.file('/usr/local/share/systemtap/tapset/node.stp', { size: 4700 });
  // Simulation: node's headers (include/node: v8, uv, openssl for linux-x86_64 only, as the
  // Dockerfile deletes the other OpenSSL archs) are modelled as a handful of directories.
  for (const [d, n, s] of [['', 40, 9000], ['cppgc', 40, 12000], ['libplatform', 3, 4000], ['uv', 12, 8000], ['openssl', 120, 11000], ['openssl/archs/linux-x86_64/asm/include/openssl', 40, 26000], ['openssl/archs/linux-x86_64/asm_avx2/include/openssl', 40, 26000], ['openssl/archs/linux-x86_64/no-asm/include/openssl', 40, 26000]]) {
    for (let i = 0; i < n; i++) l2.file(`/usr/local/include/node/${d ? d + '/' : ''}h${String(i).padStart(3, '0')}.h`, { size: s });
  }
  // RUN apk add .build-deps-yarn … && tar -xzf yarn-v$YARN_VERSION.tar.gz -C /opt/ && ln -s …
  const l3 = apkAddLayer(base, extra, { world: l2.entries.get('/etc/apk/world').text });
  for (const [p, s, m] of npmFiles(`yarn@${yarnVersion}`)) {
    if (p === 'preinstall.js') continue;
    l3.file(`/opt/yarn-v${yarnVersion}/${p}`, { size: s, mode: m });
  }
  l3.symlink('/usr/local/bin/yarn', `/opt/yarn-v${yarnVersion}/bin/yarn`);
  l3.symlink('/usr/local/bin/yarnpkg', `/opt/yarn-v${yarnVersion}/bin/yarnpkg`);
  // COPY docker-entrypoint.sh /usr/local/bin/
  const l4 = new GenTree();
  l4.file('/usr/local/bin/docker-entrypoint.sh', { mode: 0o755, text: '#!/bin/sh\nset -e\n\n# Run command with node if the first argument contains a "-" or is not a system command. The last\n# part inside the "{}" is a workaround for the following bug in ash/dash:\n# https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=874264\nif [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then\n  set -- node "$@"\nfi\n\nexec "$@"\n' });
  return [l2, l3, l4];
}

// ---------------------------------------------------------------- nginx:alpine

const NGINX_CONF = `
user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
`;
const DEFAULT_CONF = `server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
`;
const INDEX_HTML = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, nginx is successfully installed and working.
Further configuration is required for the web server, reverse proxy,
API gateway, load balancer, and more.</p>

<p>For online documentation and support please refer to
<a href="https://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="https://www.f5.com/">www.f5.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;
const ENTRYPOINT_SH = `#!/bin/sh
# vim:sw=4:ts=4:et

set -e

entrypoint_log() {
    if [ -z "\${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
        echo "$@"
    fi
}

if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then
    if /usr/bin/find "/docker-entrypoint.d/" -mindepth 1 -maxdepth 1 -type f -print -quit 2>/dev/null | read v; then
        entrypoint_log "$0: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"

        entrypoint_log "$0: Looking for shell scripts in /docker-entrypoint.d/"
        find "/docker-entrypoint.d/" -follow -type f -print | sort -V | while read -r f; do
            case "$f" in
                *.envsh)
                    if [ -x "$f" ]; then
                        entrypoint_log "$0: Sourcing $f";
                        . "$f"
                    else
                        # warn on shell scripts without exec bit
                        entrypoint_log "$0: Ignoring $f, not executable";
                    fi
                    ;;
                *.sh)
                    if [ -x "$f" ]; then
                        entrypoint_log "$0: Launching $f";
                        "$f"
                    else
                        # warn on shell scripts without exec bit
                        entrypoint_log "$0: Ignoring $f, not executable";
                    fi
                    ;;
                *) entrypoint_log "$0: Ignoring $f";;
            esac
        done

        entrypoint_log "$0: Configuration complete; ready for start up"
    else
        entrypoint_log "$0: No files found in /docker-entrypoint.d/, skipping configuration"
    fi
fi

exec "$@"
`;

/** nginx:alpine: nginx:alpine-slim's RUN and four COPY layers, then the dynamic-modules RUN. */
export function nginxLayers(base, { nginxVersion }) {
  const passwd = ALPINE_PASSWD + 'nginx:x:101:101:nginx:/var/cache/nginx:/sbin/nologin\n';
  const group = ALPINE_GROUP + 'nginx:x:101:nginx\n';
  const P = (n, v, kib, files = [`f:/usr/lib/lib${n.replace(/-libs$/, '')}.so.1`]) => pkg(n, v, kib, files, { desc: n });
  const slimPkgs = [
    pkg('nginx', `${nginxVersion}-r1`, 2835, ['f:/usr/sbin/nginx', 'f:/usr/sbin/nginx-debug:1480000', 't:/etc/nginx/nginx.conf', 't:/etc/nginx/conf.d/default.conf', 'f:/etc/nginx/mime.types:5349', 'f:/etc/nginx/fastcgi_params:1007', 'f:/etc/nginx/scgi_params:636', 'f:/etc/nginx/uwsgi_params:664', 'l:/etc/nginx/modules>../../usr/lib/nginx/modules', 't:/usr/share/nginx/html/index.html', 'f:/usr/share/nginx/html/50x.html:497', 'd:/usr/lib/nginx/modules', 'd:/var/cache/nginx'], { desc: 'High performance web server', license: '2-clause BSD-like license', url: 'https://nginx.org/' }),
    P('pcre2', '10.48-r0', 779, ['f:/usr/lib/libpcre2-8.so.0.15.0', 'l:/usr/lib/libpcre2-8.so.0>libpcre2-8.so.0.15.0']),
    pkg('gettext-envsubst', '1.0-r0', 45, ['f:/usr/bin/envsubst'], { desc: 'GNU gettext envsubst binary' }),
    P('libintl', '1.0-r0', 133, ['f:/usr/lib/libintl.so.8.4.2', 'l:/usr/lib/libintl.so.8>libintl.so.8.4.2']),
    pkg('tzdata', '2026d-r0', 441, ['f:/usr/share/zoneinfo/UTC:114', 'f:/usr/share/zoneinfo/Europe/Paris:2962', 'f:/usr/share/zoneinfo/America/New_York:3552', 'f:/usr/share/zoneinfo/Asia/Tokyo:309', 'f:/usr/share/zoneinfo/tzdata.zi'], { desc: 'Timezone data' }),
  ];
  const texts = { '/etc/nginx/nginx.conf': NGINX_CONF, '/etc/nginx/conf.d/default.conf': DEFAULT_CONF, '/usr/share/nginx/html/index.html': INDEX_HTML };
  const l2 = apkAddLayer(base, slimPkgs, { world: 'alpine-baselayout\nalpine-keys\nalpine-release\napk-tools\nbusybox\nca-certificates-bundle\ngettext-envsubst\nlibc-utils\nnginx\ntzdata\n', passwd, group, shadow: shadowOf(passwd) });
  for (const [p, text] of Object.entries(texts)) l2.file(p, { text });
  l2.dir('/var/cache/nginx');
  l2.dir('/var/log/nginx');
  l2.symlink('/var/log/nginx/access.log', '/dev/stdout');
  l2.symlink('/var/log/nginx/error.log', '/dev/stderr');
  l2.dir('/docker-entrypoint.d');
  const copy = (path, text) => {
    const t = new GenTree();
    t.file(path, { text, mode: 0o775 });
    return t;
  };
  const l3 = copy('/docker-entrypoint.sh', ENTRYPOINT_SH);
  const l4 = copy('/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh', '#!/bin/sh\n# vim:sw=4:ts=4:et\n\nset -e\n\nentrypoint_log() {\n    if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then\n        echo "$@"\n    fi\n}\n\nME=$(basename "$0")\nDEFAULT_CONF_FILE="etc/nginx/conf.d/default.conf"\n\n# check if we have ipv6 available\nif [ ! -f "/proc/net/if_inet6" ]; then\n    entrypoint_log "$ME: info: ipv6 not available"\n    exit 0\nfi\n\nif [ ! -f "/$DEFAULT_CONF_FILE" ]; then\n    entrypoint_log "$ME: info: /$DEFAULT_CONF_FILE is not a file or does not exist"\n    exit 0\nfi\n\n# check if the file can be modified, e.g. not on a r/o filesystem\ntouch /$DEFAULT_CONF_FILE 2>/dev/null || { entrypoint_log "$ME: info: can not modify /$DEFAULT_CONF_FILE (read-only file system?)"; exit 0; }\n\n# enable ipv6 on default.conf listen sockets\nsed -i -E \'s,listen       80;,listen       80;\\n    listen  [::]:80;,\' /$DEFAULT_CONF_FILE\n\nentrypoint_log "$ME: info: Enabled listen on IPv6 in /$DEFAULT_CONF_FILE"\n\nexit 0\n');
  const l5 = copy('/docker-entrypoint.d/15-local-resolvers.envsh', '#!/bin/sh\n# vim:sw=2:ts=2:sts=2:et\n\nset -eu\n\nLC_ALL=C\nPATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"\n\n[ "${NGINX_ENTRYPOINT_LOCAL_RESOLVERS:-}" ] || return 0\n\nNGINX_LOCAL_RESOLVERS=$(awk \'BEGIN{ORS=" "} $1=="nameserver" {if ($2 ~ ":") {print "["$2"]"} else {print $2}}\' /etc/resolv.conf)\n\nNGINX_LOCAL_RESOLVERS="${NGINX_LOCAL_RESOLVERS% }"\n\nexport NGINX_LOCAL_RESOLVERS\n');
  const l6 = new GenTree();
  l6.file('/docker-entrypoint.d/20-envsubst-on-templates.sh', { size: 3018, mode: 0o775 });
  const l7 = new GenTree();
  l7.file('/docker-entrypoint.d/30-tune-worker-processes.sh', { size: 4620, mode: 0o775 });
  // The alpine variant's RUN: dynamic modules and what they pull in (repo-info installed sizes).
  const mods = [
    pkg('nginx-module-njs', `${nginxVersion}.1.0.1-r1`, 9867, ['f:/usr/lib/nginx/modules/ngx_http_js_module.so', 'f:/usr/lib/nginx/modules/ngx_stream_js_module.so:4900000', 'f:/usr/bin/njs:2400000'], { desc: 'nginx njs dynamic modules' }),
    pkg('nginx-module-acme', `${nginxVersion}.0.4.1-r1`, 8167, ['f:/usr/lib/nginx/modules/ngx_http_acme_module.so'], { desc: 'nginx nginx-acme' }),
    pkg('nginx-module-geoip', `${nginxVersion}-r1`, 62, ['f:/usr/lib/nginx/modules/ngx_http_geoip_module.so', 'f:/usr/lib/nginx/modules/ngx_stream_geoip_module.so:24000'], { desc: 'nginx GeoIP dynamic modules' }),
    pkg('nginx-module-image-filter', `${nginxVersion}-r1`, 46, ['f:/usr/lib/nginx/modules/ngx_http_image_filter_module.so'], { desc: 'nginx image filter dynamic module' }),
    pkg('nginx-module-xslt', `${nginxVersion}-r1`, 47, ['f:/usr/lib/nginx/modules/ngx_http_xslt_filter_module.so'], { desc: 'nginx xslt dynamic module' }),
    P('aom-libs', '3.14.1-r0', 8180, ['f:/usr/lib/libaom.so.3.14.1', 'l:/usr/lib/libaom.so.3>libaom.so.3.14.1']),
    P('brotli-libs', '1.2.0-r1', 957, ['f:/usr/lib/libbrotlienc.so.1.2.0', 'f:/usr/lib/libbrotlidec.so.1.2.0:52000', 'f:/usr/lib/libbrotlicommon.so.1.2.0:140000']),
    P('c-ares', '1.34.8-r0', 237, ['f:/usr/lib/libcares.so.2.19.4']),
    pkg('ca-certificates', '20260909-r0', 210, ['f:/usr/sbin/update-ca-certificates:30000', 'f:/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt:1939', 'f:/usr/share/ca-certificates/mozilla/ISRG_Root_X2.crt:790', 'f:/etc/ca-certificates.conf'], { desc: 'Common CA certificates PEM files from Mozilla' }),
    pkg('curl', '8.22.0-r0', 278, ['f:/usr/bin/curl'], { desc: 'URL retrieval utility and library' }),
    P('fontconfig', '2.17.1-r1', 518, ['f:/usr/lib/libfontconfig.so.1.17.1', 'f:/etc/fonts/fonts.conf:2700']),
    P('freetype', '2.14.3-r0', 658, ['f:/usr/lib/libfreetype.so.6.20.4']),
    P('geoip', '1.6.12-r6', 225, ['f:/usr/lib/libGeoIP.so.1.6.12', 'f:/usr/share/GeoIP/GeoIP.dat:120000']),
    P('libavif', '1.4.1-r0', 245), P('libbsd', '0.12.2-r0', 62, ['f:/usr/lib/libbsd.so.0.12.2']), P('libbz2', '1.0.8-r6', 76, ['f:/usr/lib/libbz2.so.1.0.8']),
    P('libcurl', '8.22.0-r0', 725, ['f:/usr/lib/libcurl.so.4.8.0']), P('libdav1d', '1.5.3-r0', 1709, ['f:/usr/lib/libdav1d.so.7']),
    P('libedit', '20260508.3.1-r1', 173, ['f:/usr/lib/libedit.so.0.0.75']), P('libexpat', '2.8.4-r0', 137, ['f:/usr/lib/libexpat.so.1.11.0']),
    P('libgcc', '15.2.0-r5', 169, ['f:/usr/lib/libgcc_s.so.1']), P('libgd', '2.3.3-r10', 344, ['f:/usr/lib/libgd.so.3.0.11']),
    P('libice', '1.1.2-r0', 86, ['f:/usr/lib/libICE.so.6.3.0']), P('libidn2', '2.3.8-r0', 193, ['f:/usr/lib/libidn2.so.0.4.0']),
    P('libjpeg-turbo', '3.1.3-r0', 641, ['f:/usr/lib/libjpeg.so.8.3.2', 'f:/usr/lib/libturbojpeg.so.0.4.0:400000']),
    P('libmd', '1.2.0-r0', 61, ['f:/usr/lib/libmd.so.0.1.0']), P('libncursesw', '6.6_p20260516-r0', 334, ['f:/usr/lib/libncursesw.so.6.6']),
    P('libpng', '1.6.58-r1', 181, ['f:/usr/lib/libpng16.so.16.58.0']), P('libpsl', '0.21.5-r3', 73, ['f:/usr/lib/libpsl.so.5.3.5']),
    P('libsharpyuv', '1.6.0-r0', 25, ['f:/usr/lib/libsharpyuv.so.0.1.2']), P('libsm', '1.2.6-r0', 33, ['f:/usr/lib/libSM.so.6.0.1']),
    P('libstdc++', '15.2.0-r5', 2738, ['f:/usr/lib/libstdc++.so.6.0.34', 'l:/usr/lib/libstdc++.so.6>libstdc++.so.6.0.34']),
    P('libunistring', '1.4.2-r0', 1877, ['f:/usr/lib/libunistring.so.5.2.0']), P('libuuid', '2.42.3-r1', 29, ['f:/usr/lib/libuuid.so.1.3.0']),
    P('libwebp', '1.6.0-r0', 545, ['f:/usr/lib/libwebp.so.7.2.0', 'f:/usr/lib/libwebpdemux.so.2.0.16:14000', 'f:/usr/lib/libwebpmux.so.3.1.1:40000']),
    P('libx11', '1.8.13-r0', 2271, ['f:/usr/lib/libX11.so.6.4.0', 'f:/usr/share/X11/XErrorDB:42000', 'f:/usr/share/X11/locale/locale.alias:80000']),
    P('libxau', '1.0.12-r0', 13, ['f:/usr/lib/libXau.so.6.0.0']), P('libxcb', '1.17.0-r2', 943, ['f:/usr/lib/libxcb.so.1.1.0']),
    P('libxdmcp', '1.1.5-r1', 25, ['f:/usr/lib/libXdmcp.so.6.0.0']), P('libxext', '1.3.7-r0', 66, ['f:/usr/lib/libXext.so.6.4.0']),
    P('libxml2', '2.13.9-r2', 1046, ['f:/usr/lib/libxml2.so.2.13.9']), P('libxpm', '3.5.19-r0', 106, ['f:/usr/lib/libXpm.so.4.11.0']),
    P('libxslt', '1.1.43-r3', 301, ['f:/usr/lib/libxslt.so.1.1.43', 'f:/usr/lib/libexslt.so.0.8.24:90000']), P('libxt', '1.3.1-r0', 347, ['f:/usr/lib/libXt.so.6.0.0']),
    P('libyuv', '0.0.1928-r0', 1979, ['f:/usr/lib/libyuv.so.0.0.1928']), pkg('ncurses-terminfo-base', '6.6_p20260516-r0', 100, ['f:/etc/terminfo/x/xterm', 'f:/etc/terminfo/v/vt100:1200', 'f:/etc/terminfo/l/linux:1800'], { desc: 'Descriptions of common terminals' }),
    P('nghttp2-libs', '1.69.0-r0', 129, ['f:/usr/lib/libnghttp2.so.14.28.6']), P('tiff', '4.7.1-r0', 453, ['f:/usr/lib/libtiff.so.6.1.0']),
    P('xz-libs', '5.8.4-r0', 221, ['f:/usr/lib/liblzma.so.5.8.4']), P('zstd-libs', '1.5.7-r2', 697, ['f:/usr/lib/libzstd.so.1.5.7']),
  ];
  const l8 = apkAddLayer({ pkgs: [...base.pkgs, ...slimPkgs] }, mods, { world: l2.entries.get('/etc/apk/world').text.replace('nginx\n', 'nginx\nnginx-module-acme\nnginx-module-geoip\nnginx-module-image-filter\nnginx-module-njs\nnginx-module-xslt\n').replace('busybox\n', 'busybox\nca-certificates\ncurl\n') });
  return [l2, l3, l4, l5, l6, l7, l8];
}

export { field };
