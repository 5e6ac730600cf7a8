import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { MemoryPersistence } from '../host.ts';
import { digestOf } from '../digest.ts';
import { textContent } from '../fs/content.ts';
import { LayerTree, makeFile } from '../fs/layer-tree.ts';
import { serializeConfig } from './config.ts';
import { loadArchive } from './docker-archive.ts';
import { gzipBytes } from './gzip.ts';
import { saveImages } from './oci-layout.ts';
import { ImageStore } from './store.ts';
import { layerTarBytes, listTar, packArchive, unpackArchive } from './tar.ts';
import { assertValidImage } from './validate.ts';
import { packTar } from 'modern-tar';
import { configFor, snapshot, storeWithImage } from './test-support.ts';

const json = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b));
const hasGnuTar = (() => {
  try {
    return /GNU tar/.test(execFileSync('tar', ['--version']).toString());
  } catch {
    return false;
  }
})();

describe('save', () => {
  test('writes an OCI layout plus Docker manifest.json and repositories', async () => {
    const { store, imageId, manifestDigest, layers } = await storeWithImage(['alpine:latest', 'alpine:3.20']);
    const files = await unpackArchive(await saveImages(store, ['alpine:latest', 'alpine:3.20']));
    expect([...files.keys()].filter((k) => !k.startsWith('blobs/')).sort()).toEqual(['index.json', 'manifest.json', 'oci-layout', 'repositories']);
    const index = json(files.get('index.json')!);
    expect(index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations)).toEqual([
      { 'io.containerd.image.name': 'docker.io/library/alpine:latest', 'org.opencontainers.image.ref.name': 'latest' },
      { 'io.containerd.image.name': 'docker.io/library/alpine:3.20', 'org.opencontainers.image.ref.name': '3.20' },
    ]);
    expect(index.manifests[0].digest).toBe(manifestDigest);
    expect(json(files.get('manifest.json')!)).toEqual([
      { Config: `blobs/sha256/${imageId.slice(7)}`, RepoTags: ['alpine:latest', 'alpine:3.20'], Layers: layers.map((l) => `blobs/sha256/${l.digest.slice(7)}`) },
    ]);
    expect(json(files.get('repositories')!)).toEqual({ alpine: { '3.20': imageId.slice(7), latest: imageId.slice(7) } });
    for (const [k, v] of files) if (k.startsWith('blobs/')) expect(await digestOf(v)).toBe(`sha256:${k.slice(13)}`);
  });

  test('save → load → save keeps every digest identical', async () => {
    const { store } = await storeWithImage(['alpine:latest', 'localhost:5000/app:v1']);
    const first = await saveImages(store, ['alpine', 'localhost:5000/app:v1']);
    const other = await ImageStore.open(new MemoryPersistence());
    const { loaded, imageIds } = await loadArchive(other, first);
    expect(loaded).toEqual(['Loaded image: alpine:latest', 'Loaded image: localhost:5000/app:v1']);
    expect(other.blobDigests()).toEqual(store.blobDigests());
    const second = await saveImages(other, ['alpine', 'localhost:5000/app:v1']);
    expect(second).toEqual(first);
    for (const id of imageIds) await assertValidImage(other, id);
  });

  test('an image saved by ID loads untagged', async () => {
    const { store, imageId } = await storeWithImage(['alpine:latest']);
    const other = await ImageStore.open(new MemoryPersistence());
    expect((await loadArchive(other, await saveImages(store, [imageId.slice(7, 19)]))).loaded).toEqual([`Loaded image ID: ${imageId}`]);
    await assertValidImage(other, imageId);
  });

  test.runIf(hasGnuTar)('GNU tar lists the archive and a layer as expected', async () => {
    const { store, layers } = await storeWithImage();
    const dir = mkdtempSync(join(tmpdir(), 'layerlab-'));
    writeFileSync(join(dir, 'a.tar'), await saveImages(store, ['alpine']));
    const listing = execFileSync('tar', ['-tf', join(dir, 'a.tar')]).toString().trim().split('\n');
    expect(listing).toContain('index.json');
    expect(listing).toContain(`blobs/sha256/${layers[0].digest.slice(7)}`);
    writeFileSync(join(dir, 'l.tar.gz'), await store.getBlob(layers[1].digest));
    const v = execFileSync('tar', ['-tvzf', join(dir, 'l.tar.gz'), '--numeric-owner']).toString().trim().split('\n');
    const short = v.map((l) => { const f = l.split(/\s+/); return `${f[0]} ${f[1]} ${f[2]} ${f.slice(5).join(' ')}`; });
    expect(short).toEqual([
      'drwxr-xr-x 0/0 0 etc/',
      '---------- 0/0 0 etc/.wh.passwd',
      '-rw-r--r-- 0/0 6 etc/motd',
      'prw-r--r-- 0/0 0 run',
      'drwxr-xr-x 0/0 0 tmp/',
      '---------- 0/0 0 tmp/.wh..wh..opq',
      '-rw-r--r-- 0/0 1 tmp/new',
    ]);
  });
});

async function classicArchive(opts: { gzipLayer?: boolean } = {}) {
  const t = new LayerTree();
  t.set('/hello', makeFile(textContent('hi\n')));
  const tar = await layerTarBytes(t);
  const layerFile = opts.gzipLayer ? await gzipBytes(tar) : tar;
  const diffId = await digestOf(tar);
  const config = serializeConfig(configFor([{ diffId } as never], { history: [{ created_by: 'COPY hello /' }] }));
  const id = (await digestOf(config)).slice(7);
  return packArchive([
    { name: `${id}.json`, bytes: config },
    { name: 'abc/layer.tar', bytes: layerFile },
    { name: 'abc/VERSION', bytes: new TextEncoder().encode('1.0') },
    { name: 'manifest.json', bytes: new TextEncoder().encode(JSON.stringify([{ Config: `${id}.json`, RepoTags: ['hello:1'], Layers: ['abc/layer.tar'] }])) },
  ]);
}

describe('load', () => {
  test.each([false, true])('reads a classic docker save archive (gzip layer: %s)', async (gzipLayer) => {
    const store = await ImageStore.open(new MemoryPersistence());
    const { loaded, imageIds } = await loadArchive(store, await classicArchive({ gzipLayer }));
    expect(loaded).toEqual(['Loaded image: hello:1']);
    const tree = await store.layerTree(store.resolve('hello:1').config.rootfs.diff_ids[0]);
    expect([...tree.walk()].map(([p]) => p)).toEqual(['/hello']);
    await assertValidImage(store, imageIds[0]);
  });

  test('accepts a gzip-compressed archive', async () => {
    const store = await ImageStore.open(new MemoryPersistence());
    const { imageIds } = await loadArchive(store, await gzipBytes(await classicArchive()));
    await assertValidImage(store, imageIds[0]);
  });
});

/** Builds a classic archive around one hand-written layer tar. */
async function archiveWithLayer(layer: Uint8Array, tamper?: (files: { name: string; bytes: Uint8Array }[]) => void) {
  const diffId = await digestOf(layer);
  const config = serializeConfig(configFor([{ diffId } as never], { history: [{ created_by: 'x' }] }));
  const files = [
    { name: 'c.json', bytes: config },
    { name: 'l/layer.tar', bytes: layer },
    { name: 'manifest.json', bytes: new TextEncoder().encode(JSON.stringify([{ Config: 'c.json', RepoTags: ['evil:1'], Layers: ['l/layer.tar'] }])) },
  ];
  tamper?.(files);
  return packArchive(files);
}

describe('hostile archives leave the store unchanged', async () => {
  const cases: [string, () => Promise<Uint8Array>, string][] = [
    ['absolute path', async () => archiveWithLayer(await packTar([{ header: { name: '/etc/passwd', size: 1 }, body: 'x' }])), 'image/unsafe-path'],
    ['../ path', async () => archiveWithLayer(await packTar([{ header: { name: '../x', size: 1 }, body: 'x' }])), 'image/unsafe-path'],
    ['symlink then file through it', async () => archiveWithLayer(await packTar([
      { header: { name: 'a', type: 'symlink', size: 0, linkname: '/etc' } },
      { header: { name: 'a/passwd', size: 1 }, body: 'x' },
    ])), 'image/unsafe-path'],
    ['hardlink to outside', async () => archiveWithLayer(await packTar([{ header: { name: 'h', type: 'link', size: 0, linkname: '../../etc/shadow' } }])), 'image/link-escape'],
    ['hardlink to a missing entry', async () => archiveWithLayer(await packTar([{ header: { name: 'h', type: 'link', size: 0, linkname: 'nope' } }])), 'image/link-escape'],
    ['digest mismatch', async () => archiveWithLayer(await packTar([{ header: { name: 'f', size: 1 }, body: 'x' }]), (files) => {
      files[1].bytes = new Uint8Array(files[1].bytes);
      files[1].bytes[512] = 'y'.charCodeAt(0);
    }), 'image/digest-mismatch'],
    ['truncated gzip layer', async () => {
      const tar = await packTar([{ header: { name: 'f', size: 5000 }, body: new Uint8Array(5000).fill(7) }]);
      const gz = await gzipBytes(tar);
      return archiveWithLayer(tar, (files) => { files[1].bytes = gz.subarray(0, gz.length - 10); });
    }, 'image/truncated'],
    ['archive path escaping', async () => packTar([{ header: { name: '../../manifest.json', size: 2 }, body: '[]' }]), 'image/unsafe-path'],
  ];
  for (const [name, make, code] of cases) {
    test(name, async () => {
      const { persistence, store } = await storeWithImage();
      const before = snapshot(persistence);
      await expect(loadArchive(store, await make())).rejects.toMatchObject({ code });
      expect(snapshot(persistence)).toBe(before);
      expect(store.listImages()).toHaveLength(1);
      await assertValidImage(store, 'alpine');
    });
  }

  test('decompression bomb past maxLayerBytes', async () => {
    const persistence = new MemoryPersistence();
    const store = await ImageStore.open(persistence, { limits: { maxLayerBytes: 1 << 20 } });
    const big = await packTar([{ header: { name: 'zeros', size: 8 << 20 }, body: new Uint8Array(8 << 20) }]);
    const gz = await gzipBytes(big);
    expect(gz.length).toBeLessThan(100_000);
    const before = snapshot(persistence);
    await expect(loadArchive(store, await archiveWithLayer(big, (f) => { f[1].bytes = gz; }))).rejects.toMatchObject({ code: 'image/too-large' });
    expect(snapshot(persistence)).toBe(before);
  });
});

test('listTar reads what packArchive wrote', async () => {
  const l = await listTar(await packArchive([{ name: 'a/b', bytes: new Uint8Array(3) }]));
  expect(l.map((e) => [e.name, e.type])).toEqual([['a/', 'directory'], ['a/b', 'file']]);
});
