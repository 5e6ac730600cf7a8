/**
 * `load` of an archive whose layer is zstd-compressed (as `docker save` of a zstd-pushed image or
 * a containerd export can hold): the layer is decompressed with fzstd and verified by its diff_id.
 * The zstd bytes come from the real `zstd` program; without it the suite is skipped with a message.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { diffIdOf } from '../digest.ts';
import { textContent } from '../fs/content.ts';
import { LayerTree, makeFile } from '../fs/layer-tree.ts';
import { MemoryPersistence } from '../host.ts';
import { loadArchive } from './docker-archive.ts';
import { ImageStore } from './store.ts';
import { layerTarBytes, packArchive } from './tar.ts';
import { assertValidImage } from './validate.ts';

const hasZstd = (() => {
  try {
    execFileSync('zstd', ['--version']);
    return true;
  } catch {
    console.warn('[image-zstd] skipping: the `zstd` program is not installed (apt-get install -y zstd)');
    return false;
  }
})();

describe.skipIf(!hasZstd)('zstd layers', () => {
  it('loads a classic archive with a zstd layer and verifies its diff_id', async () => {
    const tree = new LayerTree();
    tree.set('/hello.txt', makeFile(textContent('hello zstd\n'.repeat(100)), { mtime: 1 }));
    const tar = await layerTarBytes(tree);
    const zst = new Uint8Array(execFileSync('zstd', ['-q', '-c', '-19'], { input: tar }));
    expect([...zst.subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd]);
    const diffId = await diffIdOf(tar);
    const config = new TextEncoder().encode(
      JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [diffId] }, history: [{ created_by: 'COPY hello.txt /' }] }),
    );
    const configHex = (await diffIdOf(config)).slice(7);
    const manifest = JSON.stringify([{ Config: `${configHex}.json`, RepoTags: ['zstd:1'], Layers: ['l1/layer.tar'] }]);
    const archive = await packArchive([
      { name: 'manifest.json', bytes: new TextEncoder().encode(manifest) },
      { name: `${configHex}.json`, bytes: config },
      { name: 'l1/layer.tar', bytes: zst },
    ]);
    const store = await ImageStore.open(new MemoryPersistence());
    const { loaded } = await loadArchive(store, archive);
    expect(loaded).toEqual(['Loaded image: zstd:1']);
    const img = store.resolve('zstd:1');
    expect(img.config.rootfs.diff_ids).toEqual([diffId]);
    const back = await store.layerTree(diffId);
    expect(new TextDecoder().decode((back.get('/hello.txt') as ReturnType<typeof makeFile>).content.read())).toBe('hello zstd\n'.repeat(100));
    await assertValidImage(store, 'zstd:1');
  });
});
