#!/usr/bin/env node
// Builds public/catalog/: one JSON file per image plus index.json. Re-runnable; downloads are
// cached under $LAYERLAB_CATALOG_CACHE (default /tmp/layerlab-catalog). See
// src/engine/image/catalog-README.md for sources, sizes and what is real vs modelled.
//   node scripts/catalog/build.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBookwormSlim } from './debian.mjs';
import { buildAlpineBase, buildBusybox } from './alpine.mjs';
import { pythonRuntimeDeps, pythonBuild, pythonSymlinks, buildUbuntu, nodeLayers, nginxLayers, calibrate, totalSize } from './derived.mjs';
import { encodeLayer } from './tree.mjs';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../public/catalog');
const FORMAT = 'layerlab-catalog/1';
const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const sec = (iso) => Math.floor(Date.parse(iso) / 1000);

/** What BuildKit records as `created_by` for a RUN: the shell form, line continuations joined. */
const runBy = (script) => `RUN /bin/sh -c ${script.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n').replace(/\\\n/g, '')} # buildkit`;

const DEBIAN_RENAME = [['x86_64-linux-gnu', 'aarch64-linux-gnu'], ['ld-linux-x86-64.so.2', 'ld-linux-aarch64.so.1'], ['amd64', 'arm64']];
const ALPINE_RENAME = [['x86_64', 'aarch64']];

function platforms(config, rename) {
  return {
    'linux/amd64': { config: { architecture: 'amd64', os: 'linux', ...config } },
    'linux/arm64': { config: { architecture: 'arm64', os: 'linux', variant: 'v8', ...config }, rename, seedSalt: 'arm64' },
  };
}

/** Scales every synthetic file under `prefixes` so that the layers add up to `target`. */
function scaleTo(trees, tree, prefixes, target) {
  const pick = [...tree.entries].filter(([p, e]) => e.type === 'f' && e.text === undefined && prefixes.some((x) => p.startsWith(x)));
  const scalable = pick.reduce((n, [, e]) => n + e.size, 0);
  const factor = (target - (totalSize(trees) - scalable)) / scalable;
  for (const [, e] of pick) e.size = Math.round(e.size * factor);
  return factor;
}

const images = [];
function image({ name, tags, description, reference, created, layers, layerSeeds, layerCreated, config, history, rename, expectedSize, sizeSource, onlyAmd64 }) {
  const file = `${name}-${tags[0]}.json`.replace(/[:/]/g, '_');
  const plats = platforms({ created, config, history }, rename);
  if (onlyAmd64) delete plats['linux/arm64'];
  const data = {
    format: FORMAT,
    reference,
    expectedSize,
        // A layer shared with another catalog image (python's debian base) keeps that image's seed and
    // mtime, so both produce the same tar bytes and the same diffID, as a real shared layer does.
    layers: layers.map((t, i) => encodeLayer(t, { mtime: sec(layerCreated?.[i] ?? created), seed: layerSeeds?.[i] ?? `${reference}#${i}`, comment: history.filter((h) => !h.empty_layer)[i]?.created_by.slice(0, 80) })),
    platforms: plats,
  };
  const json = JSON.stringify(data);
  writeFileSync(join(OUT, file), json);
  const size = totalSize(layers);
  const entries = layers.reduce((n, t) => n + t.fileCount, 0);
  images.push({ name, tags, file, platforms: Object.keys(plats), layerCount: layers.length, expectedSize, sizeSource, description });
  console.log(`${reference.padEnd(26)} layers=${layers.length} entries=${String(entries).padStart(6)} size=${(size / 1e6).toFixed(2)}MB real=${(expectedSize / 1e6).toFixed(2)}MB (${(((size - expectedSize) / expectedSize) * 100).toFixed(2)}%) file=${(json.length / 1024).toFixed(0)}KiB`);
}

mkdirSync(OUT, { recursive: true });

// ------------------------------------------------------------------ scratch
image({ name: 'scratch', tags: ['latest'], reference: 'scratch', description: 'The empty image: FROM scratch starts with no layers.',
  created: '1970-01-01T00:00:00Z', layers: [], config: {}, history: [], expectedSize: 0, sizeSource: 'no layers by definition', onlyAmd64: false });

// ------------------------------------------------------------------ busybox
{
  const created = '2024-09-26T21:31:42Z';
  const t = buildBusybox({ targetSize: 4.42e6 });
  image({ name: 'busybox', tags: ['1.37.0', '1.37', 'latest', 'glibc'], reference: 'busybox:1.37.0', created,
    description: 'BusyBox 1.37.0 (glibc): one binary hard-linked under ~300 applet names.',
    layers: [t], config: { Env: [PATH], Cmd: ['sh'] }, history: [{ created, created_by: 'BusyBox 1.37.0 (glibc), Debian 12' }],
    rename: [['ld-linux-x86-64.so.2', 'ld-linux-aarch64.so.1']], expectedSize: 4.42e6,
    sizeSource: 'docker-library/repo-info repos/busybox/local/1.37.0.md: Virtual Size ~ 4.42 Mb' });
}

// ------------------------------------------------------------------ alpine
const alpineAdd = (release, created) => ({ created, created_by: `ADD alpine-minirootfs-${release}-x86_64.tar.gz / # buildkit`, comment: 'buildkit.dockerfile.v0' });
const alpineCmd = (created) => ({ created, created_by: 'CMD ["/bin/sh"]', comment: 'buildkit.dockerfile.v0', empty_layer: true });
{
  const created = '2026-09-17T20:37:44Z';
  const base = buildAlpineBase({ release: '3.22.6', apk: '2.14.12-r0', libapk: 'libapk2', busybox: '1.37.0-r20', musl: '1.2.5-r12' });
  calibrate([base.tree], base.tree, '/usr/lib/libcrypto.so.3', 8.3e6);
  image({ name: 'alpine', tags: ['3.22', '3.22.6', 'latest'], reference: 'alpine:3.22.6', created,
    description: 'Alpine Linux 3.22: musl, busybox (applets are symlinks to /bin/busybox), apk.',
    layers: [base.tree], config: { Env: [PATH], Cmd: ['/bin/sh'] }, history: [alpineAdd('3.22.6', created), alpineCmd(created)],
    rename: ALPINE_RENAME, expectedSize: 8.3e6, sizeSource: 'docker-library/repo-info repos/alpine/local/3.22.md: Virtual Size ~ 8.3 Mb' });
}

// ------------------------------------------------------------------ debian:bookworm-slim
const debianCreated = '2026-09-18T00:00:00Z';
const debian = buildBookwormSlim({ created: debianCreated });
const debianHistory = [{ created: debianCreated, created_by: `# debian.sh --arch 'amd64' out/ 'bookworm' '@${sec(debianCreated)}'`, comment: 'debuerreotype 0.16' }];
// Docker Hub's aliases of bookworm-slim: 12-slim and the point release (/etc/debian_version says
// 12.15). Not stable-slim: Debian 13 (trixie) has been stable since 2025-08-09.
image({ name: 'debian', tags: ['bookworm-slim', '12-slim', '12.15-slim'], reference: 'debian:bookworm-slim', created: debianCreated,
  description: 'Debian 12 slim: the real package set (88 packages) from bookworm .debs, slimified like debuerreotype.',
  layers: [debian.tree], config: { Env: [PATH], Cmd: ['bash'] }, history: debianHistory, rename: DEBIAN_RENAME,
  expectedSize: 74.83e6, sizeSource: 'docker-library/repo-info repos/debian/local/bookworm-slim.md: Virtual Size ~ 74.83 Mb' });

// ------------------------------------------------------------------ ubuntu:24.04 (model)
{
  const created = '2026-08-17T13:09:51Z';
  const u = buildUbuntu(debian.tree, debian.debs, { created });
  const factor = scaleTo([u.tree], u.tree, ['/usr/lib/x86_64-linux-gnu/', '/usr/bin/', '/usr/sbin/'], 78.16e6);
  console.log(`  ubuntu binaries scaled by ${factor.toFixed(3)}`);
  const h = (s, empty = true) => ({ created, created_by: `/bin/sh -c #(nop) ${s}`, ...(empty ? { empty_layer: true } : {}) });
  image({ name: 'ubuntu', tags: ['24.04', 'noble', 'latest'], reference: 'ubuntu:24.04', created,
    description: 'Ubuntu 24.04 (model): noble package names and /etc, bookworm package layouts, real total size.',
    layers: [u.tree], config: { Env: [PATH], Cmd: ['/bin/bash'], Labels: { 'org.opencontainers.image.version': '24.04' } },
    history: [h(' ARG RELEASE'), h(' ARG LAUNCHPAD_BUILD_ARCH'), h(' LABEL org.opencontainers.image.version=24.04'),
      h('ADD file:32a4a2d4a1e5c1ba1fd3b1a7d3bd0d8ea4c1b5e6b4a0d6ae4f3b2a1c0d9e8f7a6 in / ', false), h(' CMD ["/bin/bash"]')],
    rename: DEBIAN_RENAME, expectedSize: 78.16e6, sizeSource: 'docker-library/repo-info repos/ubuntu/local/24.04.md: Virtual Size ~ 78.16 Mb' });
}

// ------------------------------------------------------------------ python:3.12-slim (bookworm)
{
  // Simulation: repo-info's python:3.12.13-slim-bookworm was created 2026-08-05 on an earlier debian
  // snapshot; here it is rebuilt on the catalog's debian:bookworm-slim layer so the two share it.
  const created = '2026-09-18T01:14:10Z';
  const version = '3.12.13';
  const deps = pythonRuntimeDeps(debian.debs);
  const build = pythonBuild(debian.debs, deps.debs, { version });
  const links = pythonSymlinks();
  const layers = [debian.tree, deps.tree, build.tree, links];
  calibrate(layers, build.tree, '/usr/local/lib/libpython3.12.so.1.0', 124.3e6);
  const env = ['PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'LANG=C.UTF-8',
    'GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305', `PYTHON_VERSION=${version}`, 'PYTHON_SHA256=c08bc65a81971c1dd5783182826503369466c7e67374d1646519adf05207b684'];
  const b = (created_by, empty) => ({ created, created_by, comment: 'buildkit.dockerfile.v0', ...(empty ? { empty_layer: true } : {}) });
  image({ name: 'python', tags: ['3.12-slim', '3.12-slim-bookworm', `${version}-slim-bookworm`], reference: 'python:3.12-slim-bookworm', created,
    description: 'CPython 3.12 on debian:bookworm-slim: runtime .debs real, /usr/local modelled on python3.11\'s layout.',
    layers, layerSeeds: ['debian:bookworm-slim#0'], layerCreated: [debianCreated],
    config: { Env: env, Cmd: ['python3'] },
    history: [...debianHistory, b('ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', true), b('ENV LANG=C.UTF-8', true),
      b(runBy('set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates \t\tnetbase \t\ttzdata \t; \trm -rf /var/lib/apt/lists/*')),
      b('ENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305', true), b(`ENV PYTHON_VERSION=${version}`, true), b(`ENV PYTHON_SHA256=${env[4].split('=')[1]}`, true),
      b(runBy('set -eux; \t\tsavedAptMark="$(apt-mark showmanual)"; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tdpkg-dev \t\tgcc \t\tgnupg \t\tlibbluetooth-dev \t\tlibbz2-dev \t\tlibc6-dev \t\tlibdb-dev \t\tlibffi-dev \t\tlibgdbm-dev \t\tliblzma-dev \t\tlibncursesw5-dev \t\tlibreadline-dev \t\tlibsqlite3-dev \t\tlibssl-dev \t\tmake \t\ttk-dev \t\tuuid-dev \t\twget \t\txz-utils \t\tzlib1g-dev \t; \t\twget -O python.tar.xz "https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz"; \techo "$PYTHON_SHA256 *python.tar.xz" | sha256sum -c -; \t… ./configure --enable-loadable-sqlite-extensions --enable-optimizations --enable-option-checking=fatal --enable-shared --with-lto --with-ensurepip; make -j "$nproc"; make install; \t… \tapt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \trm -rf /var/lib/apt/lists/*; \t\texport PYTHONDONTWRITEBYTECODE=1; \tpython3 --version; \tpip3 --version')),
      b(runBy('set -eux; \tfor src in idle3 pip3 pydoc3 python3 python3-config; do \t\tdst="$(echo "$src" | tr -d 3)"; \t\t[ -s "/usr/local/bin/$src" ]; \t\t[ ! -e "/usr/local/bin/$dst" ]; \t\tln -svT "$src" "/usr/local/bin/$dst"; \tdone')),
      b('CMD ["python3"]', true)],
    rename: DEBIAN_RENAME, expectedSize: 124.3e6, sizeSource: 'docker-library/repo-info repos/python/local/3.12-slim-bookworm.md (python:3.12.13-slim-bookworm): Virtual Size ~ 124.3 Mb' });
}

// ------------------------------------------------------------------ node:22-alpine (alpine 3.23)
{
  const created = '2026-09-17T21:47:30Z';
  const base = buildAlpineBase({ release: '3.23.6', apk: '3.0.8-r0', libapk: 'libapk', busybox: '1.37.0-r30', musl: '1.2.5-r23' });
  const nodeVersion = '22.23.2';
  const [l2, l3, l4] = nodeLayers(base, { nodeVersion, yarnVersion: '1.22.22', npmVersion: '10.9.8', corepackVersion: '0.34.0' });
  const layers = [base.tree, l2, l3, l4];
  calibrate(layers, l2, '/usr/local/bin/node', 167.63e6);
  const b = (created_by, empty) => ({ created, created_by, comment: 'buildkit.dockerfile.v0', ...(empty ? { empty_layer: true } : {}) });
  image({ name: 'node', tags: ['22-alpine', '22-alpine3.23', `${nodeVersion}-alpine3.23`], reference: 'node:22-alpine3.23', created,
    description: 'Node.js 22 on Alpine 3.23: real npm, corepack and yarn file trees from the npm registry; node binary sized.',
    layers, config: { Env: [PATH, `NODE_VERSION=${nodeVersion}`, 'YARN_VERSION=1.22.22'], Entrypoint: ['docker-entrypoint.sh'], Cmd: ['node'] },
    history: [alpineAdd('3.23.6', created), alpineCmd(created), b(`ENV NODE_VERSION=${nodeVersion}`, true),
      b(runBy('addgroup -g 1000 node     && adduser -u 1000 -G node -s /bin/sh -D node     && apk add --no-cache         libstdc++     && apk add --no-cache --virtual .build-deps         curl     && ARCH= OPENSSL_ARCH=\'linux*\' && alpineArch="$(apk --print-arch)"       && case "${alpineArch##*-}" in         x86_64) ARCH=\'x64\' CHECKSUM="…" OPENSSL_ARCH=linux-x86_64;;         x86) OPENSSL_ARCH=linux-elf;;         aarch64) OPENSSL_ARCH=linux-aarch64;;         *) ;;       esac   && … tar -xJf "node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz" -C /usr/local --strip-components=1 --no-same-owner       && ln -s /usr/local/bin/node /usr/local/bin/nodejs;   …   && find /usr/local/include/node/openssl/archs -mindepth 1 -maxdepth 1 ! -name "$OPENSSL_ARCH" -exec rm -rf {} \\;   && apk del .build-deps   && node --version   && npm --version   && rm -rf /tmp/*')),
      b('ENV YARN_VERSION=1.22.22', true),
      b(runBy('apk add --no-cache --virtual .build-deps-yarn curl gnupg tar   && export GNUPGHOME="$(mktemp -d)"   && …   && curl -fsSLO --compressed "https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz"   && …   && mkdir -p /opt   && tar -xzf yarn-v$YARN_VERSION.tar.gz -C /opt/   && ln -s /opt/yarn-v$YARN_VERSION/bin/yarn /usr/local/bin/yarn   && ln -s /opt/yarn-v$YARN_VERSION/bin/yarnpkg /usr/local/bin/yarnpkg   && rm yarn-v$YARN_VERSION.tar.gz.asc yarn-v$YARN_VERSION.tar.gz   && apk del .build-deps-yarn   && yarn --version   && rm -rf /tmp/*')),
      b('COPY docker-entrypoint.sh /usr/local/bin/ # buildkit'), b('ENTRYPOINT ["docker-entrypoint.sh"]', true), b('CMD ["node"]', true)],
    rename: ALPINE_RENAME, expectedSize: 167.63e6, sizeSource: 'docker-library/repo-info repos/node/local/22-alpine3.23.md: Virtual Size ~ 167.63 Mb' });
}

// ------------------------------------------------------------------ nginx:alpine (mainline, alpine 3.24)
{
  const created = '2026-09-22T22:10:35Z';
  const base = buildAlpineBase({ release: '3.24.2', apk: '3.0.8-r0', libapk: 'libapk', busybox: '1.37.0-r31', musl: '1.2.6-r2' });
  const nginxVersion = '1.31.6';
  const rest = nginxLayers(base, { nginxVersion });
  const layers = [base.tree, ...rest];
  calibrate(layers, rest[6], '/usr/lib/nginx/modules/ngx_http_acme_module.so', 62.39e6);
  const b = (created_by, empty) => ({ created, created_by, comment: 'buildkit.dockerfile.v0', ...(empty ? { empty_layer: true } : {}) });
  image({ name: 'nginx', tags: ['alpine', 'mainline-alpine', `${nginxVersion}-alpine`], reference: 'nginx:alpine', created,
    description: 'nginx mainline on Alpine 3.24: alpine-slim\'s 7 layers plus the dynamic-modules RUN (8 layers).',
    layers,
    config: { Env: [PATH, `NGINX_VERSION=${nginxVersion}`, 'PKG_RELEASE=1', 'DYNPKG_RELEASE=1', 'NJS_VERSION=1.0.1', 'NJS_RELEASE=1', 'ACME_VERSION=0.4.1'],
      Entrypoint: ['/docker-entrypoint.sh'], Cmd: ['nginx', '-g', 'daemon off;'], ExposedPorts: { '80/tcp': {} }, StopSignal: 'SIGQUIT',
      Labels: { maintainer: 'NGINX Docker Maintainers <docker-maint@nginx.com>' } },
    history: [alpineAdd('3.24.2', created), alpineCmd(created), b('LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>', true),
      b(`ENV NGINX_VERSION=${nginxVersion}`, true), b('ENV PKG_RELEASE=1', true), b('ENV DYNPKG_RELEASE=1', true),
      b('RUN /bin/sh -c set -x     && addgroup -g 101 -S nginx     && adduser -S -D -H -u 101 -h /var/cache/nginx -s /sbin/nologin -G nginx -g nginx nginx     && apkArch="$(cat /etc/apk/arch)"     && nginxPackages="         nginx=${NGINX_VERSION}-r${PKG_RELEASE}     "     && apk add --no-cache --virtual .checksum-deps         openssl     && case "$apkArch" in         x86_64|aarch64)             … apk add --repositories-file /dev/null -X "https://nginx.org/packages/mainline/alpine/v$(egrep -o \'^[0-9]+\\.[0-9]+\' /etc/alpine-release)/main" --no-cache $nginxPackages             ;;         *) … ;;     esac     && apk del --no-network .checksum-deps     && if [ -n "$tempDir" ]; then rm -rf "$tempDir"; fi     && if [ -f "/etc/apk/keys/abuild-key.rsa.pub" ]; then rm -f /etc/apk/keys/abuild-key.rsa.pub; fi     && apk add --no-cache gettext-envsubst     && apk add --no-cache tzdata     && ln -sf /dev/stdout /var/log/nginx/access.log     && ln -sf /dev/stderr /var/log/nginx/error.log     && mkdir /docker-entrypoint.d # buildkit'),
      b('COPY docker-entrypoint.sh / # buildkit'), b('COPY 10-listen-on-ipv6-by-default.sh /docker-entrypoint.d # buildkit'),
      b('COPY 15-local-resolvers.envsh /docker-entrypoint.d # buildkit'), b('COPY 20-envsubst-on-templates.sh /docker-entrypoint.d # buildkit'),
      b('COPY 30-tune-worker-processes.sh /docker-entrypoint.d # buildkit'), b('ENTRYPOINT ["/docker-entrypoint.sh"]', true),
      b('EXPOSE map[80/tcp:{}]', true), b('STOPSIGNAL SIGQUIT', true), b('CMD ["nginx" "-g" "daemon off;"]', true),
      b('ENV NJS_VERSION=1.0.1', true), b('ENV NJS_RELEASE=1', true), b('ENV ACME_VERSION=0.4.1', true),
      b('RUN /bin/sh -c set -x     && apkArch="$(cat /etc/apk/arch)"     && nginxPackages="         nginx=${NGINX_VERSION}-r${PKG_RELEASE}         nginx-module-xslt=${NGINX_VERSION}-r${DYNPKG_RELEASE}         nginx-module-geoip=${NGINX_VERSION}-r${DYNPKG_RELEASE}         nginx-module-image-filter=${NGINX_VERSION}-r${DYNPKG_RELEASE}         nginx-module-njs=${NGINX_VERSION}.${NJS_VERSION}-r${NJS_RELEASE}         nginx-module-acme=${NGINX_VERSION}.${ACME_VERSION}-r${PKG_RELEASE}     "     && apk add --no-cache --virtual .checksum-deps         openssl     && case "$apkArch" in         x86_64|aarch64)             apk add -X "https://nginx.org/packages/mainline/alpine/v$(egrep -o \'^[0-9]+\\.[0-9]+\' /etc/alpine-release)/main" --no-cache $nginxPackages             ;;         *) … ;;     esac     && apk del --no-network .checksum-deps     && if [ -n "$tempDir" ]; then rm -rf "$tempDir"; fi     && if [ -f "/etc/apk/keys/abuild-key.rsa.pub" ]; then rm -f /etc/apk/keys/abuild-key.rsa.pub; fi     && apk add --no-cache curl ca-certificates # buildkit')],
    rename: ALPINE_RENAME, expectedSize: 62.39e6,
    sizeSource: 'docker-library/repo-info repos/nginx/local/1.30-alpine3.24.md (nginx:1.30.5-alpine, same package set as 1.31.6 in repos/nginx/local/1.31.6-alpine3.24.md): Virtual Size ~ 62.39 Mb' });
}

writeFileSync(join(OUT, 'index.json'), JSON.stringify({ format: FORMAT, images }, null, 1) + '\n');
console.log(`wrote ${images.length} images to ${OUT}`);
