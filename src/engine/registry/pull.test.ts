/**
 * Pulling a catalog image costs metadata, not bytes: the layer arrives as a record plus its
 * catalog source, its tree is built on first read, and its gzip bytes are made only when the blob
 * is asked for, where they are checked against the known digest. Progress follows docker pull.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestOf, hexOf } from '../digest.ts';
import { MemoryPersistence } from '../host.ts';
import { CatalogLayers } from '../image/catalog-layers.ts';
import { ImageStore } from '../image/store.ts';
import { assertValidImage } from '../image/validate.ts';
import type { LayerProgressEvent, TransferEvent } from './events.ts';
import { RegistryHub } from './hub.ts';
import { pull } from './pull.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const asset = async (p: string) => new Uint8Array(readFileSync(join(ROOT, 'public', p)));

async function setup(storeAsset = asset) {
  const persistence = new MemoryPersistence();
  const hub = await RegistryHub.open(persistence, { asset });
  const store = await ImageStore.open(persistence, { catalog: new CatalogLayers(storeAsset) });
  return { persistence, hub, store };
}

describe('pull of a catalog image', () => {
  it('stores layers lazily, reports docker-like progress, and makes verified bytes on demand', async () => {
    const { persistence, hub, store } = await setup();
    const events: TransferEvent[] = [];
    const res = await pull(store, 'busybox:1.37.0', hub, { onEvent: (e) => events.push(e) });
    const img = store.resolve('busybox:1.37.0');
    const layer = img.layers[0].digest!;
    expect(store.isLazy(layer)).toBe(true);
    // No gzip blob was written for the layer: only its source record.
    expect(await persistence.get(`blobs/sha256/${hexOf(layer)}`)).toBeUndefined();
    expect(await persistence.get(`layerlab/lazy/${hexOf(layer)}.json`)).toBeDefined();
    const statuses = events.filter((e): e is LayerProgressEvent => e.type === 'progress' && e.digest === layer).map((e) => e.status);
    expect(statuses).toEqual(['Pulling fs layer', 'Download complete', 'Pull complete']);
    expect(res.lines.some((l) => l.endsWith('Pull complete'))).toBe(true);
    expect(res.bytesDownloaded).toBe(img.layers[0].size! + img.manifest!.config.size);
    // First read builds the tree; the blob is gzip bytes that hash to the manifest's digest.
    const tree = await store.layerTree(img.layers[0].diffId);
    expect(tree.get('/bin/busybox')).toBeDefined();
    const blob = await store.getBlob(layer);
    expect(await digestOf(blob)).toBe(layer);
    expect(blob.length).toBe(img.layers[0].size);
    await assertValidImage(store, img.imageId);
    // A reopened store still knows the layer lazily.
    const again = await ImageStore.open(persistence, { catalog: new CatalogLayers(asset) });
    expect(again.isLazy(layer)).toBe(true);
    expect((await again.layerTree(img.layers[0].diffId)).get('/bin/busybox')).toBeDefined();
  });

  it('fails with image/digest-mismatch when the bytes it produces do not match the known digest', async () => {
    // The store's copy of the catalog differs from the registry's (the first layer's mtime).
    const tampered = async (p: string) => {
      const b = await asset(p);
      if (!p.endsWith('busybox-1.37.0.json')) return b;
      return new TextEncoder().encode(new TextDecoder().decode(b).replace(/"mtime":(\d+)/, (_m, n) => `"mtime":${Number(n) + 1}`));
    };
    const { hub, store } = await setup(tampered);
    await pull(store, 'busybox:1.37.0', hub);
    const layer = store.resolve('busybox:1.37.0').layers[0].digest!;
    await expect(store.getBlob(layer)).rejects.toMatchObject({ code: 'image/digest-mismatch' });
  });

  it('downloads real bytes when the store cannot keep catalog layers', async () => {
    const persistence = new MemoryPersistence();
    const hub = await RegistryHub.open(persistence, { asset });
    const store = await ImageStore.open(persistence);
    const events: TransferEvent[] = [];
    await pull(store, 'busybox:1.37.0', hub, { onEvent: (e) => events.push(e) });
    const layer = store.resolve('busybox:1.37.0').layers[0].digest!;
    expect(store.isLazy(layer)).toBe(false);
    expect(await persistence.get(`blobs/sha256/${hexOf(layer)}`)).toBeDefined();
    const statuses = events.filter((e): e is LayerProgressEvent => e.type === 'progress').map((e) => e.status);
    expect(statuses).toEqual(['Pulling fs layer', 'Downloading', 'Verifying Checksum', 'Download complete', 'Extracting', 'Pull complete']);
  });

  it('hands each output line to onLine as it is decided, between the layer events, not at the end', async () => {
    const persistence = new MemoryPersistence();
    const hub = await RegistryHub.open(persistence, { asset });
    const store = await ImageStore.open(persistence);
    const seen: string[] = [];
    let resolved = false;
    const res = await pull(store, 'busybox:1.37.0', hub, {
      onLine: (l) => seen.push(`${resolved ? 'late' : 'line'}: ${l}`),
      onEvent: (e) => {
        if (e.type === 'progress') seen.push(`event: ${e.status}`);
      },
    });
    resolved = true;
    const short = res.lines[1].slice(0, 12);
    expect(seen).toEqual([
      'line: 1.37.0: Pulling from library/busybox',
      'event: Pulling fs layer',
      'event: Downloading',
      'event: Verifying Checksum',
      'event: Download complete',
      'event: Extracting',
      `line: ${short}: Pull complete`,
      'event: Pull complete',
      `line: ${res.lines[2]}`,
      `line: ${res.lines[3]}`,
      `line: ${res.lines[4]}`,
    ]);
    expect(res.lines[2]).toMatch(/^Digest: /);
  });
});
