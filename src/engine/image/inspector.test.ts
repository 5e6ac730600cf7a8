import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testEngine } from '../../../test/helpers.ts';

const DELETING = `FROM alpine:3.22
RUN mkdir -p /var/cache/pkgs && seq 1 50000 > /var/cache/pkgs/index && echo keep > /keep.txt
RUN rm -rf /var/cache/pkgs
RUN chmod 600 /etc/motd
`;
// seq 1 50000 prints 9×2 + 90×3 + 900×4 + 9000×5 + 40001×6 bytes.
const INDEX_BYTES = 9 * 2 + 90 * 3 + 900 * 4 + 9000 * 5 + 40001 * 6;

describe('engine.inspector on a real build', () => {
  it('attributes the bytes a later RUN deletes to the layer that still ships them', async () => {
    const engine = testEngine();
    const { imageId } = await engine.builds.build({ dockerfile: DELETING, files: [], tags: ['fat:1'] });
    const layers = await engine.images.layers(imageId);
    const top = layers.length - 1;
    const motd = (await engine.inspector.readFile('fat:1', '/etc/motd', { upTo: top - 3 })).size;
    const w = await engine.inspector.waste('fat:1');
    expect(w.wasted).toBe(INDEX_BYTES + motd);
    expect(w.files).toContainEqual({ path: '/var/cache/pkgs/index', size: INDEX_BYTES, layer: top - 2, hiddenBy: top - 1, cause: 'whiteout' });
    expect(w.files).toContainEqual({ path: '/etc/motd', size: motd, layer: expect.any(Number), hiddenBy: top, cause: 'replaced' });
    expect(w.layers[top - 1].hides).toBe(INDEX_BYTES);
    expect(w.createdBy[top - 1]).toContain('rm -rf /var/cache/pkgs');
    expect(w.efficiency).toBeCloseTo(1 - w.wasted / w.total, 12);

    const changes = await engine.inspector.layerChanges('fat:1', top - 1);
    expect(changes.find((c) => c.path === '/var/cache/pkgs')).toMatchObject({ marker: 'x', lowerLayer: top - 2, lowerSize: INDEX_BYTES });
    const chmod = await engine.inspector.layerChanges('fat:1', top);
    expect(chmod.find((c) => c.path === '/etc/motd')).toMatchObject({ marker: '~', lowerSize: motd, size: motd, mode: 0o600 });
    expect(await engine.inspector.fileHistory('fat:1', '/var/cache/pkgs/index')).toEqual([
      { layer: top - 2, change: 'added', type: 'file', size: INDEX_BYTES, visible: false },
      { layer: top - 1, change: 'hidden', size: 0, visible: false },
    ]);
  }, 60_000);

  it('reads files in pages, tells text from binary, and refuses what is not a file', async () => {
    const engine = testEngine();
    await engine.builds.build({ dockerfile: DELETING, files: [], tags: ['fat:1'] });
    const first = await engine.inspector.readFile('fat:1', '/etc/os-release');
    expect(first.text).toBe(true);
    expect(new TextDecoder().decode(first.bytes)).toContain('Alpine');
    const merged = await engine.inspector.merged('fat:1');
    const bin = merged.find((e) => e.type === 'file' && e.size > 100_000)!;
    const page = await engine.inspector.readFile('fat:1', bin.path, { offset: 10, length: 100 });
    expect(page).toMatchObject({ size: bin.size, offset: 10, layer: bin.layer });
    expect(page.bytes.length).toBe(100);
    const whole = await engine.inspector.readFile('fat:1', bin.path, { length: 110 });
    expect([...page.bytes]).toEqual([...whole.bytes.subarray(10, 110)]);
    expect(merged.find((e) => e.path === '/keep.txt')).toMatchObject({ layer: merged.find((e) => e.path === '/keep.txt')!.layer, size: 5 });
    await expect(engine.inspector.readFile('fat:1', '/etc')).rejects.toMatchObject({ code: 'fs/EISDIR' });
    await expect(engine.inspector.readFile('fat:1', '/var/cache/pkgs/index')).rejects.toMatchObject({ code: 'fs/ENOENT' });
    await expect(engine.inspector.layerChanges('fat:1', 99)).rejects.toMatchObject({ code: 'image/no-such-layer' });
  }, 60_000);

  it('downloads a layer as its real tar and gzip blobs whose sha256 are the diff_id and the digest', async () => {
    const engine = testEngine();
    const { imageId } = await engine.builds.build({ dockerfile: DELETING, files: [], tags: ['fat:1'] });
    const top = (await engine.images.layers(imageId)).length - 1;
    for (const i of [0, top - 2]) {
      const tar = await engine.inspector.layerBlob('fat:1', i, 'tar');
      const gz = await engine.inspector.layerBlob('fat:1', i, 'gzip');
      expect(`sha256:${createHash('sha256').update(tar.bytes).digest('hex')}`).toBe(tar.diffId);
      expect(`sha256:${createHash('sha256').update(gz.bytes).digest('hex')}`).toBe(gz.digest);
      expect(gz.bytes[0]).toBe(0x1f);
      expect(gz.digest).not.toBe(gz.diffId);
    }
  }, 60_000);

  it('compares two builds of one tag: shared base layers, then what changed', async () => {
    const engine = testEngine();
    const a = await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nCOPY app.txt /app/\n', files: [{ path: 'app.txt', type: 'file', mode: 0o644, content: new TextEncoder().encode('v1\n') }], tags: ['app:1'] });
    const b = await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nCOPY app.txt /app/\nRUN echo big > /app/big\n', files: [{ path: 'app.txt', type: 'file', mode: 0o644, content: new TextEncoder().encode('version 2\n') }], tags: ['app:2'] });
    const r = await engine.inspector.compare(a.imageId, b.imageId);
    const base = (await engine.images.layers(a.imageId)).length - 1;
    expect(r.sharedLayers).toBe(base);
    expect(r.changed).toEqual([{ path: '/app/app.txt', sizeBefore: 3, sizeAfter: 10 }]);
    expect(r.added).toEqual([{ path: '/app/big', size: 4 }]);
    expect(r.removed).toEqual([]);
    expect(r.sizeDelta).toBe(7 + 4);
  }, 60_000);
});

describe('engine.inspector.objects', () => {
  it('returns index → manifest → config → layers whose digests are the sha256 of the bytes shown', async () => {
    const engine = testEngine();
    const { imageId } = await engine.builds.build({ dockerfile: 'FROM busybox:1.37\nRUN echo hi > /hi\n', files: [], tags: ['obj:1'] });
    const o = await engine.inspector.objects('obj:1');
    const sha = (s: string) => `sha256:${createHash('sha256').update(new TextEncoder().encode(s)).digest('hex')}`;
    expect(o.config.digest).toBe(imageId);
    for (const x of [o.index, o.manifest, o.config]) {
      expect(sha(x.raw)).toBe(x.digest);
      expect(new TextEncoder().encode(x.raw).length).toBe(x.size);
    }
    const index = JSON.parse(o.index.raw);
    expect(index.manifests[0]).toMatchObject({ digest: o.manifest.digest, size: o.manifest.size });
    expect(index.manifests[0].annotations['io.containerd.image.name']).toContain('obj:1');
    const manifest = JSON.parse(o.manifest.raw);
    expect(manifest.config).toEqual({ mediaType: o.config.mediaType, digest: imageId, size: o.config.size });
    expect(manifest.layers.map((l: { digest: string }) => l.digest)).toEqual(o.layers.map((l) => l.digest));
    expect(JSON.parse(o.config.raw).rootfs.diff_ids).toEqual(o.layers.map((l) => l.diffId));
  }, 60_000);
});
