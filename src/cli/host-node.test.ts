import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DiskPersistence, nodeSha256 } from './host-node.ts';

test('DiskPersistence.list walks only the prefix folder and still matches partial names', async () => {
  const p = new DiskPersistence(mkdtempSync(join(tmpdir(), 'layerlab-disk-')));
  const bytes = new Uint8Array([1]);
  for (const k of ['index.json', 'blobs/sha256/aa', 'blobs/sha256/ab', 'registries/r/blobs/sha256/aa', 'layerlab/recipes/x.json']) await p.put(k, bytes);
  expect((await p.list('blobs/sha256/')).sort()).toEqual(['blobs/sha256/aa', 'blobs/sha256/ab']);
  expect((await p.list('blobs/sha256/a')).sort()).toEqual(['blobs/sha256/aa', 'blobs/sha256/ab']);
  expect((await p.list('blobs/sha256/b')).sort()).toEqual([]);
  expect((await p.list('layerlab/')).sort()).toEqual(['layerlab/recipes/x.json']);
  expect((await p.list('nothing/here/')).sort()).toEqual([]);
  expect((await p.list('')).length).toBe(5);
  expect((await p.list('i')).sort()).toEqual(['index.json']);
});

test('nodeSha256 agrees with the known digest of "abc", one-shot and streamed', async () => {
  const abc = new TextEncoder().encode('abc');
  const want = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
  expect(await nodeSha256.oneShot(abc)).toBe(want);
  const h = await nodeSha256.create();
  h.update(abc.subarray(0, 1));
  h.update(abc.subarray(1));
  expect(h.hex()).toBe(want);
});
