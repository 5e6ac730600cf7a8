import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LayerlabError } from '../errors.ts';
import { SyntheticContent } from '../fs/content.ts';
import { Inode, isWhiteout, splitPath } from '../fs/layer-tree.ts';
import type { Entry, LayerTree } from '../fs/layer-tree.ts';
import { catalogImageMeta, catalogImagePlatforms, loadCatalogImage, loadCatalogLayer, parseCatalogFile, parseCatalogIndex } from './catalog.ts';
import type { CatalogImage } from './catalog.ts';

const DIR = fileURLToPath(new URL('../../../public/catalog/', import.meta.url));
const read = (f: string) => new Uint8Array(readFileSync(join(DIR, f)));
const index = parseCatalogIndex(read('index.json'));
const cache = new Map<string, CatalogImage>();
/** The catalog image `name` (its first entry: the core image) or the entry whose file is `file`. */
function load(name: string, platform = 'linux/amd64', file?: string): CatalogImage {
  const entry = file ? index.images.find((i) => i.file === file)! : index.images.find((i) => i.name === name)!;
  const key = `${entry.file}@${platform}`;
  if (!cache.has(key)) cache.set(key, loadCatalogImage(read(entry.file), { platform, read }));
  return cache.get(key)!;
}

/** The entry at an exact path in the stacked layers (top layer first, whiteouts hide lower ones). */
function mergedGet(layers: LayerTree[], path: string): Entry | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const e = layers[i].get(path);
    if (e) return isWhiteout(e) ? undefined : e;
  }
  return undefined;
}

/** Resolves `path` through symlinks (absolute and relative) across the layers, like path_resolution(7). */
function resolve(layers: LayerTree[], path: string, depth = 0): { path: string; inode: Inode } | undefined {
  if (depth > 40) throw new Error('ELOOP');
  const parts = splitPath(path);
  let cur: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === '..') {
      cur.pop();
      continue;
    }
    const p = '/' + [...cur, parts[i]].join('/');
    const e = mergedGet(layers, p);
    if (!(e instanceof Inode)) return undefined;
    if (e.type === 'symlink') {
      const base = e.target.startsWith('/') ? [] : cur;
      return resolve(layers, '/' + [...base, ...splitPath(e.target), ...parts.slice(i + 1)].join('/'), depth + 1);
    }
    cur = [...cur, parts[i]];
  }
  const e = mergedGet(layers, '/' + cur.join('/'));
  return e instanceof Inode ? { path: '/' + cur.join('/'), inode: e } : undefined;
}
const text = (layers: LayerTree[], path: string) => new TextDecoder().decode(resolve(layers, path)!.inode.content.read());

describe('catalog index', () => {
  it('lists the base images the issue asks for', () => {
    const refs = index.images.map((i) => `${i.name}:${i.tags[0]}`);
    for (const want of ['scratch', 'busybox', 'alpine', 'debian:bookworm-slim', 'ubuntu:24.04', 'python:3.12-slim', 'node:22-alpine', 'nginx:alpine']) {
      expect(refs.some((r) => r === want || r.startsWith(want + ':'))).toBe(true);
    }
  });
  it('rejects data in another format', () => {
    expect(() => parseCatalogIndex(new TextEncoder().encode('{"format":"x","images":[]}'))).toThrow(LayerlabError);
    expect(() => parseCatalogIndex(new TextEncoder().encode('not json'))).toThrow(/not valid JSON/);
  });
});

describe.each(index.images.map((i) => [`${i.name}:${i.tags[0]}`, i] as const))('%s', (_ref, entry) => {
  const name = entry.name;
  it('loads every platform with frozen layers, matching layer and history counts', () => {
    expect(catalogImagePlatforms(read(entry.file)).sort()).toEqual([...entry.platforms].sort());
    for (const platform of entry.platforms) {
      const img = load(name, platform, entry.file);
      expect(img.layers.length).toBe(entry.layerCount);
      expect(img.layers.every((l) => l.isFrozen)).toBe(true);
      expect(img.config.history.filter((h) => !h.empty_layer).length).toBe(img.layers.length);
      expect(img.config.architecture).toBe(platform.split('/')[1]);
    }
  });

  it('adds up to the size docker images reports, within 5%', () => {
    const img = load(name, 'linux/amd64', entry.file);
    const size = img.layers.reduce((n, l) => n + l.contentSize, 0);
    if (entry.expectedSize === 0) expect(size).toBe(0);
    else expect(Math.abs(size - entry.expectedSize) / entry.expectedSize).toBeLessThan(0.05);
  });

  it('has /etc/os-release and a /bin/sh that resolves to a regular file (scratch: nothing at all)', () => {
    const { layers } = load(name, 'linux/amd64', entry.file);
    if (name === 'scratch') {
      expect(layers).toEqual([]);
      return;
    }
    const sh = resolve(layers, '/bin/sh');
    expect(sh?.inode.type).toBe('file');
    expect(sh!.inode.mode & 0o111).not.toBe(0);
    if (name !== 'busybox') expect(text(layers, '/etc/os-release')).toMatch(/^(PRETTY_)?NAME=/m);
    expect(text(layers, '/etc/passwd')).toMatch(/^root:x:0:0:root:\/root:/);
  });
});

describe('debian:bookworm-slim', () => {
  const { layers, config } = load('debian');
  it('is merged-/usr: /bin is a symlink to usr/bin and /bin/sh is dash', () => {
    expect((mergedGet(layers, '/bin') as Inode).target).toBe('usr/bin');
    expect((mergedGet(layers, '/lib') as Inode).target).toBe('usr/lib');
    expect(resolve(layers, '/bin/sh')!.path).toBe('/usr/bin/dash');
  });
  it('carries the real package database and release files', () => {
    const status = text(layers, '/var/lib/dpkg/status');
    expect(status.match(/^Package: /gm)!.length).toBe(88);
    expect(status).toMatch(/^Package: coreutils\nEssential: yes\nStatus: install ok installed\n/m);
    expect(text(layers, '/var/lib/dpkg/info/coreutils.list')).toContain('\n/bin/cat\n');
    expect(text(layers, '/etc/debian_version')).toMatch(/^12\.\d+\n$/);
    expect(text(layers, '/etc/os-release')).toContain('VERSION_CODENAME=bookworm');
  });
  it('keeps root-only files root-only and slims docs to copyright files', () => {
    const shadow = mergedGet(layers, '/etc/shadow') as Inode;
    expect([shadow.mode, shadow.uid, shadow.gid]).toEqual([0o640, 0, 42]);
    expect(mergedGet(layers, '/usr/share/doc/bash/copyright')).toBeInstanceOf(Inode);
    expect(mergedGet(layers, '/usr/share/man/man1/bash.1.gz')).toBeUndefined();
    expect((mergedGet(layers, '/tmp') as Inode).mode).toBe(0o1777);
  });
  it('gives binaries deterministic synthetic content of their real size', () => {
    const libc = mergedGet(layers, '/usr/lib/x86_64-linux-gnu/libc.so.6') as Inode;
    expect(libc.content).toBeInstanceOf(SyntheticContent);
    expect(libc.size).toBeGreaterThan(1_500_000);
    const again = loadCatalogImage(read('debian-bookworm-slim.json'));
    expect((again.layers[0].get('/usr/lib/x86_64-linux-gnu/libc.so.6') as Inode).content.id).toBe(libc.content.id);
    expect(config.config.Cmd).toEqual(['bash']);
  });
  it('renames the multiarch paths and reseeds binaries for linux/arm64', () => {
    const arm = load('debian', 'linux/arm64');
    const libc = arm.layers[0].get('/usr/lib/aarch64-linux-gnu/libc.so.6') as Inode;
    expect(libc).toBeInstanceOf(Inode);
    expect(arm.layers[0].get('/usr/lib/x86_64-linux-gnu/libc.so.6')).toBeUndefined();
    expect(libc.content.id).not.toBe((mergedGet(layers, '/usr/lib/x86_64-linux-gnu/libc.so.6') as Inode).content.id);
    expect(text(arm.layers, '/var/lib/dpkg/status')).toContain('Architecture: arm64');
    expect(arm.config.variant).toBe('v8');
  });
  it('refuses a platform the real image index does not have', () => {
    expect(() => loadCatalogImage(read('debian-bookworm-slim.json'), { platform: 'linux/s390x' })).toThrow(
      expect.objectContaining({ code: 'catalog/unknown-platform' }),
    );
  });
});

describe('alpine and busybox', () => {
  it('alpine links applets to /bin/busybox and keeps an apk database', () => {
    const { layers } = load('alpine');
    expect((mergedGet(layers, '/bin/sh') as Inode).target).toBe('/bin/busybox');
    expect(resolve(layers, '/usr/bin/wget')!.path).toBe('/bin/busybox');
    expect(text(layers, '/etc/alpine-release')).toBe('3.22.6\n');
    expect(text(layers, '/lib/apk/db/installed')).toMatch(/^P:musl\nV:1\.2\.5-r12\nA:x86_64$/m);
    expect(resolve(load('alpine', 'linux/arm64').layers, '/lib/libc.musl-aarch64.so.1')!.path).toBe('/lib/ld-musl-aarch64.so.1');
  });
  it('busybox hard-links one binary under every applet name', () => {
    const [layer] = load('busybox').layers;
    const bb = layer.get('/bin/busybox') as Inode;
    expect(layer.get('/bin/ls')).toBe(bb);
    expect(bb.nlink).toBeGreaterThan(250);
  });
});

describe('images built on a base', () => {
  it('python:3.12-slim stacks debian, a runtime-deps RUN with a whiteout, the build and the symlinks', () => {
    const { layers, config } = load('python');
    const debianLayer = load('debian').layers[0];
    expect(layers[0].entryCount).toBe(debianLayer.entryCount);
    expect((layers[0].get('/usr/bin/dash') as Inode).content.id).toBe((debianLayer.get('/usr/bin/dash') as Inode).content.id);
    expect((layers[0].get('/etc/passwd') as Inode).mtime).toBe((debianLayer.get('/etc/passwd') as Inode).mtime);
    expect(isWhiteout(layers[1].get('/var/lib/apt/lists/partial'))).toBe(true);
    expect(resolve(layers, '/usr/local/bin/python')!.path).toBe('/usr/local/bin/python3.12');
    expect(resolve(layers, '/usr/local/lib/python3.12/os.py')?.inode.type).toBe('file');
    expect(text(layers, '/var/lib/dpkg/status')).toContain('Package: ca-certificates');
    expect(config.config.Env).toContain('PYTHON_VERSION=3.12.13');
    expect(config.config.Cmd).toEqual(['python3']);
  });
  it('node:22-alpine has the real npm tree, yarn and the entrypoint script', () => {
    const { layers, config } = load('node');
    expect(resolve(layers, '/usr/local/lib/node_modules/npm/package.json')!.inode.size).toBeGreaterThan(1000);
    expect(resolve(layers, '/usr/local/lib/node_modules/npm/node_modules/semver/package.json')?.inode.type).toBe('file');
    expect(resolve(layers, '/usr/local/bin/npm')!.path).toBe('/usr/local/lib/node_modules/npm/bin/npm-cli.js');
    expect(resolve(layers, '/usr/local/bin/yarn')!.path).toBe('/opt/yarn-v1.22.22/bin/yarn');
    expect(text(layers, '/usr/local/bin/docker-entrypoint.sh')).toMatch(/^#!\/bin\/sh\nset -e/);
    expect(text(layers, '/etc/passwd')).toContain('node:x:1000:1000:');
    expect(config.config.Entrypoint).toEqual(['docker-entrypoint.sh']);
  });
  it('nginx:alpine has 8 layers, SIGQUIT, port 80 and the real default config', () => {
    const { layers, config } = load('nginx');
    expect(layers.length).toBe(8);
    expect(config.config.StopSignal).toBe('SIGQUIT');
    expect(config.config.ExposedPorts).toEqual({ '80/tcp': {} });
    expect(text(layers, '/etc/nginx/conf.d/default.conf')).toContain('listen       80;');
    expect((mergedGet(layers, '/var/log/nginx/access.log') as Inode).target).toBe('/dev/stdout');
    expect(layers[2].get('/docker-entrypoint.sh')).toBeInstanceOf(Inode);
  });
  it('ubuntu:24.04 says noble and has the ubuntu user', () => {
    const { layers, config } = load('ubuntu');
    expect(text(layers, '/etc/os-release')).toContain('VERSION_CODENAME=noble');
    expect(text(layers, '/etc/passwd')).toContain('ubuntu:x:1000:1000:');
    expect(config.config.Labels).toEqual({ 'org.opencontainers.image.version': '24.04' });
  });
});

describe('one layer at a time (lazy pulls)', () => {
  it('builds the same layer as the whole image does, and reads config and layer count without building', async () => {
    const { diffIdOfTree } = await import('./layer.ts');
    const file = parseCatalogFile(read('python-3.12-slim.json'));
    const meta = catalogImageMeta(file, 'linux/arm64');
    const whole = load('python', 'linux/arm64');
    expect(meta.layerCount).toBe(whole.layers.length);
    expect(meta.config).toEqual(whole.config);
    const one = loadCatalogLayer(file, 'linux/arm64', 1);
    expect(one.isFrozen).toBe(true);
    expect((await diffIdOfTree(one)).diffId).toBe((await diffIdOfTree(whole.layers[1])).diffId);
    expect(() => loadCatalogLayer(file, 'linux/arm64', 99)).toThrow(LayerlabError);
    expect(() => catalogImageMeta(file, 'linux/s390x')).toThrow('no matching manifest for linux/s390x');
  });
});
