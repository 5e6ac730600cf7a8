/**
 * Registry deduplication across two machines (LAB-DESIGN scenario 8, issue 10): the first machine
 * builds two images on one base and pushes both to localhost:5000; the second push moves no bytes
 * for the shared layers. A second machine (its own store under `machines/second/` of the same
 * persistence, the same registries) pulls one image: every blob transfers; pulling the other then
 * skips the base ("Already exists"). Deleting a tag and collecting garbage removes exactly the
 * blobs no other manifest references, with the report `layerlab registry gc` prints.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, createMachine } from '../src/engine/index.ts';
import { MemoryPersistence } from '../src/engine/host.ts';
import { testHost } from './helpers.ts';

const file = (path: string, text: string) => ({ path, type: 'file' as const, mode: 0o644, content: new TextEncoder().encode(text) });

async function twoMachines(persistence = new MemoryPersistence()) {
  const host = testHost(persistence);
  const first = createEngine(host);
  const second = createMachine(first, host, 'second');
  return { first, second, persistence };
}

describe('two machines, one registry', () => {
  it('pushes shared layers once, pulls only what the second machine lacks, and gc frees exactly the unreferenced blobs', async () => {
    const { first, second, persistence } = await twoMachines();
    const ctx = [file('base.txt', 'the shared base '.repeat(500)), file('web.txt', 'web'), file('worker.txt', 'worker')];
    await first.builds.build({ dockerfile: 'FROM scratch\nCOPY base.txt /base.txt\n', files: ctx, tags: ['base:1'] });
    await first.builds.build({ dockerfile: 'FROM base:1\nCOPY web.txt /web.txt\n', files: ctx, tags: ['localhost:5000/shop:web'] });
    await first.builds.build({ dockerfile: 'FROM base:1\nCOPY worker.txt /worker.txt\n', files: ctx, tags: ['localhost:5000/shop:worker'] });

    const web = await first.registries.push('localhost:5000/shop:web');
    expect(web.blobs.filter((b) => b.kind === 'layer').map((b) => b.action)).toEqual(['pushed', 'pushed']);
    const worker = await first.registries.push('localhost:5000/shop:worker');
    const [workerTop, shared] = worker.blobs.filter((b) => b.kind === 'layer');
    expect(shared.action).toBe('exists');
    expect(shared.digest).toBe(web.blobs[1].digest);
    expect(workerTop.action).toBe('pushed');
    // Only the new layer and the config moved.
    const workerConfig = worker.blobs.find((b) => b.kind === 'config')!;
    expect(worker.bytesPushed).toBe(workerTop.size + workerConfig.size);
    expect(worker.lines[2]).toMatch(/^[0-9a-f]{12}: Layer already exists$/);

    // The second machine starts empty and shares the registries, not the store.
    expect(await second.images.list()).toEqual([]);
    const pulledWeb = await second.registries.pull('localhost:5000/shop:web');
    expect(pulledWeb.blobs.map((b) => b.action)).toEqual(['downloaded', 'downloaded', 'downloaded']);
    expect(pulledWeb.bytesDownloaded).toBe(web.bytesPushed);
    const pulledWorker = await second.registries.pull('localhost:5000/shop:worker');
    expect(pulledWorker.blobs.filter((b) => b.kind === 'layer').map((b) => b.action)).toEqual(['already-exists', 'downloaded']);
    expect(pulledWorker.lines[1]).toBe(`${shared.digest.slice(7, 19)}: Already exists`);
    expect(pulledWorker.bytesDownloaded).toBe(worker.bytesPushed);
    expect((await second.images.list()).map((i) => `${i.repository}:${i.tag}`).sort()).toEqual(['localhost:5000/shop:web', 'localhost:5000/shop:worker']);
    expect((await first.images.list()).map((i) => i.repository)).toContain('base');

    // Delete a tag: its manifest, config and top layer become unreferenced; the shared base does not.
    await first.registries.deleteTag('localhost:5000/shop:web');
    const before = await first.registries.blobs('localhost:5000');
    const unreferenced = before.filter((b) => b.unreferenced).map((b) => b.digest).sort();
    const webConfig = web.blobs.find((b) => b.kind === 'config')!;
    expect(unreferenced).toEqual([web.manifestDigest, webConfig.digest, web.blobs[0].digest].sort());
    expect(before.find((b) => b.digest === shared.digest)).toMatchObject({ kind: 'layer', refs: ['shop:worker'], unreferenced: false });
    const dry = await first.registries.gc('localhost:5000', { dryRun: true });
    expect(dry.blobsDeleted.sort()).toEqual(unreferenced);
    expect(dry.lines.at(-1)).toBe(`${before.length - 3} blobs marked, 3 blobs and 1 manifests eligible for deletion`);
    expect((await first.registries.blobs('localhost:5000')).length).toBe(before.length);
    const res = await first.registries.gc('localhost:5000');
    expect(res.blobsDeleted.sort()).toEqual(unreferenced);
    expect(res.bytesFreed).toBe(before.filter((b) => b.unreferenced).reduce((n, b) => n + b.size, 0));
    expect(res.lines.at(-1)).toMatch(/^1 manifests and 3 blobs deleted, [0-9.]+k?B freed$/);
    expect((await first.registries.blobs('localhost:5000')).map((b) => b.digest).sort()).toEqual(before.filter((b) => !b.unreferenced).map((b) => b.digest).sort());

    // Both machines' stores and the registry come back from the same persistence.
    const again = await twoMachines(persistence);
    expect((await again.second.images.list()).length).toBe(2);
    expect((await again.first.registries.list()).find((r) => r.host === 'localhost:5000')?.repositories[0].tags.map((t) => t.tag)).toEqual(['worker']);
  });

  it("describes docker.io's multi-platform blobs: the index and every platform's manifest, config and layers, all reached by the tag", async () => {
    const { first, second } = await twoMachines();
    const pulled = await second.registries.pull('alpine:3.22');
    const blobs = await first.registries.blobs('docker.io');
    const byDigest = new Map<string, (typeof blobs)[number]>(blobs.map((b) => [b.digest, b]));
    expect(byDigest.get(pulled.digest)).toMatchObject({ kind: 'manifest', unreferenced: false });
    expect(byDigest.get(pulled.manifestDigest)).toMatchObject({ kind: 'manifest', unreferenced: false });
    expect(byDigest.get(pulled.imageId)).toMatchObject({ kind: 'config', unreferenced: false });
    for (const b of pulled.blobs.filter((x) => x.kind === 'layer')) expect(byDigest.get(b.digest)?.kind).toBe('layer');
    expect(byDigest.get(pulled.imageId)!.refs).toContain('library/alpine:3.22');
    expect(blobs.filter((b) => b.unreferenced)).toEqual([]);
    // The first machine pulled nothing: its store is its own.
    expect(await first.images.list()).toEqual([]);
  });
});
