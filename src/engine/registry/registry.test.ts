/**
 * The Registry's distribution-API semantics over small hand-made blobs: digest verification,
 * repository scoping and cross-repository mounts, manifest checks (MANIFEST_BLOB_UNKNOWN), tags,
 * catalog, tag deletion and garbage collection, persistence across reopen; and push/pull between
 * two stores through the hub with dedupe, events and byte counts.
 */
import { describe, expect, it } from 'vitest';
import { digestOf, type Digest } from '../digest.ts';
import { textContent } from '../fs/content.ts';
import { LayerTree, makeFile } from '../fs/layer-tree.ts';
import { MemoryPersistence } from '../host.ts';
import { serializeIndex } from '../image/image-index.ts';
import { serializeManifest } from '../image/manifest.ts';
import { OCI_CONFIG, OCI_INDEX, OCI_LAYER_GZIP, OCI_MANIFEST } from '../image/media-types.ts';
import { ImageStore } from '../image/store.ts';
import { assertValidImage } from '../image/validate.ts';
import { RegistryService } from './api.ts';
import type { TransferEvent } from './events.ts';
import { RegistryHub } from './hub.ts';
import { Registry } from './registry.ts';

const enc = new TextEncoder();

async function blob(s: string): Promise<{ bytes: Uint8Array; digest: Digest }> {
  const bytes = enc.encode(s);
  return { bytes, digest: await digestOf(bytes) };
}

async function manifestOf(config: { bytes: Uint8Array; digest: Digest }, layers: { bytes: Uint8Array; digest: Digest }[]) {
  const bytes = serializeManifest({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: config.digest, size: config.bytes.length },
    layers: layers.map((l) => ({ mediaType: OCI_LAYER_GZIP, digest: l.digest, size: l.bytes.length })),
  });
  return { bytes, digest: await digestOf(bytes) };
}

const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e) => (e as { data?: { errorCode?: string } }).data?.errorCode ?? String(e));

describe('Registry (distribution API shape)', () => {
  it('verifies blob digests and scopes blobs to repositories', async () => {
    const reg = await Registry.open(new MemoryPersistence(), 'localhost:5000');
    const a = await blob('layer a');
    expect(await codeOf(reg.putBlob('app', enc.encode('tampered'), a.digest))).toBe('DIGEST_INVALID');
    expect(await reg.putBlob('app', a.bytes, a.digest)).toEqual({ digest: a.digest, size: a.bytes.length });
    expect(await reg.headBlob('app', a.digest)).toEqual({ digest: a.digest, size: 7 });
    expect(await reg.headBlob('other', a.digest)).toBeUndefined();
    expect(await codeOf(reg.getBlob('other', a.digest))).toBe('BLOB_UNKNOWN');
    expect(new TextDecoder().decode(await reg.getBlob('app', a.digest))).toBe('layer a');
    // Cross-repository mount: a link, no bytes moved, and refused when the source lacks the blob.
    expect(await reg.mountBlob('other', a.digest, 'app')).toBe(true);
    expect(await reg.headBlob('other', a.digest)).toBeDefined();
    expect(await reg.mountBlob('third', a.digest, 'nope')).toBe(false);
    expect(reg.blobDigests()).toEqual([a.digest]);
    expect(reg.reposWithBlob(a.digest, 'app')).toEqual(['other']);
  });

  it('checks manifests, resolves tags and digests, lists tags and the catalog', async () => {
    const reg = await Registry.open(new MemoryPersistence(), 'localhost:5000');
    const cfg = await blob('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
    const l = await blob('layer');
    const m = await manifestOf(cfg, [l]);
    await reg.putBlob('app', cfg.bytes, cfg.digest);
    expect(await codeOf(reg.putManifest('app', '1.0', m.bytes, OCI_MANIFEST))).toBe('MANIFEST_BLOB_UNKNOWN');
    await reg.putBlob('app', l.bytes, l.digest);
    expect(await codeOf(reg.putManifest('app', m.digest.replace(/.$/, '0'), m.bytes, OCI_MANIFEST))).toBe('DIGEST_INVALID');
    expect(await codeOf(reg.putManifest('app', '1.0', m.bytes, OCI_INDEX))).toBe('MANIFEST_INVALID');
    expect(await codeOf(reg.putManifest('app', 'bad tag', m.bytes, OCI_MANIFEST))).toBe('TAG_INVALID');
    expect(await reg.putManifest('app', '1.0', m.bytes, OCI_MANIFEST)).toBe(m.digest);
    expect((await reg.getManifest('app', '1.0')).digest).toBe(m.digest);
    expect((await reg.getManifest('app', m.digest)).mediaType).toBe(OCI_MANIFEST);
    expect(await codeOf(reg.getManifest('app', '2.0'))).toBe('MANIFEST_UNKNOWN');
    expect(await codeOf(reg.getManifest('nope', '1.0'))).toBe('NAME_UNKNOWN');
    expect(await codeOf(reg.tagsList('nope'))).toBe('NAME_UNKNOWN');
    // An index may only name manifests the repository has.
    const ix = serializeIndex({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest: m.digest, size: m.bytes.length, platform: { architecture: 'amd64', os: 'linux' } }] });
    expect(await codeOf(reg.putManifest('other', 'x', ix, OCI_INDEX))).toBe('MANIFEST_BLOB_UNKNOWN');
    await reg.putManifest('app', 'multi', ix, OCI_INDEX);
    await reg.putManifest('app', 'latest', m.bytes, OCI_MANIFEST);
    expect(await reg.tagsList('app')).toEqual({ name: 'app', tags: ['1.0', 'latest', 'multi'] });
    expect(await reg.catalog()).toEqual({ repositories: ['app', 'other'] });
  });

  it('deletes tags but keeps shared blobs; gc frees what no tag reaches; state survives reopen', async () => {
    const p = new MemoryPersistence();
    const reg = await Registry.open(p, 'localhost:5000');
    const cfg1 = await blob('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"n":1}');
    const cfg2 = await blob('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"n":2}');
    const base = await blob('base layer');
    const top = await blob('top layer');
    for (const b of [cfg1, cfg2, base, top]) await reg.putBlob('app', b.bytes, b.digest);
    const m1 = await manifestOf(cfg1, [base]);
    const m2 = await manifestOf(cfg2, [base, top]);
    await reg.putManifest('app', '1', m1.bytes, OCI_MANIFEST);
    await reg.putManifest('app', '2', m2.bytes, OCI_MANIFEST);
    expect(await reg.deleteTag('app', '2')).toBe(m2.digest);
    expect(await codeOf(reg.deleteTag('app', '2'))).toBe('MANIFEST_UNKNOWN');
    // Deleting a tag frees nothing by itself: the manifest is still reachable by digest.
    expect((await reg.getManifest('app', m2.digest)).digest).toBe(m2.digest);
    expect(reg.blobDigests()).toHaveLength(6);
    const again = await Registry.open(p, 'localhost:5000');
    expect(await again.tagsList('app')).toEqual({ name: 'app', tags: ['1'] });
    const res = await again.gc();
    expect(res.manifestsDeleted).toEqual([m2.digest]);
    expect(res.blobsDeleted.sort()).toEqual([cfg2.digest, top.digest, m2.digest].sort());
    expect(res.bytesFreed).toBe(cfg2.bytes.length + top.bytes.length + m2.bytes.length);
    expect(await again.headBlob('app', base.digest)).toBeDefined();
    expect((await again.getManifest('app', '1')).digest).toBe(m1.digest);
    const third = await Registry.open(p, 'localhost:5000');
    expect(third.blobDigests().sort()).toEqual([cfg1.digest, base.digest, m1.digest].sort());
  });
});

function tree(files: Record<string, string>): LayerTree {
  const t = new LayerTree();
  for (const [path, s] of Object.entries(files)) t.set(path, makeFile(textContent(s), { mtime: 1 }));
  return t;
}

async function makeImage(store: ImageStore, layers: LayerTree[], tag: string) {
  const recs = [];
  for (const l of layers) recs.push(await store.commitLayer(l));
  return store.putImage({
    config: {
      created: '2026-01-01T00:00:00Z',
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: recs.map((r) => r.diffId) },
      history: recs.map((_, i) => ({ created: '2026-01-01T00:00:00Z', created_by: `layer ${i}` })),
    },
    layers: recs,
    tags: [tag],
  });
}

describe('a repository provider under concurrent reads', () => {
  it('a second read of a repository being provided waits for it instead of finding no repository', async () => {
    const cfg = await blob('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
    const l = await blob('layer');
    const m = await manifestOf(cfg, [l]);
    let calls = 0;
    const provider = {
      async provide(reg: Registry, repo: string) {
        calls++;
        // The provider's work takes several turns of the event loop (a catalog read, hashing).
        for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 1));
        await reg.putBlob(repo, cfg.bytes, cfg.digest);
        await reg.putBlob(repo, l.bytes, l.digest);
        await reg.putManifest(repo, 'latest', m.bytes, OCI_MANIFEST);
        await reg.putManifest(repo, '1.0', m.bytes, OCI_MANIFEST);
      },
      async repositories() {
        return ['library/app'];
      },
      async materialize(): Promise<Uint8Array> {
        throw new Error('no lazy blobs here');
      },
    };
    const reg = await Registry.open(new MemoryPersistence(), 'docker.io', provider);
    const got = await Promise.all(['latest', '1.0', 'latest'].map((t) => reg.getManifest('library/app', t)));
    expect(got.map((g) => g.digest)).toEqual([m.digest, m.digest, m.digest]);
    expect(calls).toBe(1);
  });
});

describe('push and pull through the hub', () => {
  it('moves only missing blobs, mounts across repositories, reports events', async () => {
    const p = new MemoryPersistence();
    const store = await ImageStore.open(p);
    const svc = new RegistryService({ store: async () => store, persistence: p });
    const base = tree({ '/etc/os-release': 'ID=demo\n' });
    await makeImage(store, [base], 'localhost:5000/base:1');
    await makeImage(store, [base, tree({ '/app/main': 'hello\n' })], 'localhost:5000/app:1');
    const events: TransferEvent[] = [];
    const first = await svc.push('localhost:5000/base:1', { onEvent: (e) => events.push(e) });
    expect(first.lines[1]).toMatch(/^[0-9a-f]{12}: Pushed$/);
    expect(first.bytesPushed).toBeGreaterThan(0);
    expect(events.map((e) => (e.type === 'blob' ? `${e.kind}:${e.action}` : e.type))).toEqual(['layer:pushed', 'config:pushed', 'manifest']);
    const second = await svc.push('localhost:5000/app:1');
    expect(second.lines.slice(1, 3).map((l) => l.slice(14))).toEqual(['Pushed', 'Mounted from base']);
    const again = await svc.push('localhost:5000/app:1');
    expect(again.lines.slice(1, 3).map((l) => l.slice(14))).toEqual(['Layer already exists', 'Layer already exists']);
    expect(again.bytesPushed).toBe(0);

    // A second machine with its own store pulls from the same registries.
    const store2 = await ImageStore.open(new MemoryPersistence());
    const svc2 = new RegistryService({ store: async () => store2, persistence: p });
    const pb = await svc2.pull('localhost:5000/base:1');
    expect(pb.lines[1]).toMatch(/^[0-9a-f]{12}: Pull complete$/);
    const pa = await svc2.pull('localhost:5000/app:1');
    expect(pa.lines.slice(1, 3).map((l) => l.slice(14))).toEqual(['Already exists', 'Pull complete']);
    expect(pa.bytesDownloaded).toBe(pa.blobs.filter((b) => b.action === 'downloaded').reduce((n, b) => n + b.size, 0));
    await assertValidImage(store2, 'localhost:5000/app:1');
    await assertValidImage(store2, 'localhost:5000/base:1');
  });

  it('refuses tampered blobs on pull and pushes of missing images', async () => {
    const p = new MemoryPersistence();
    const store = await ImageStore.open(p);
    const svc = new RegistryService({ store: async () => store, persistence: p });
    await expect(svc.push('localhost:5000/ghost:1')).rejects.toThrow('An image does not exist locally with the tag: localhost:5000/ghost');
    await makeImage(store, [tree({ '/x': 'x' })], 'localhost:5000/app:1');
    await svc.push('localhost:5000/app:1');
    await expect(svc.pull('localhost:5000/app:2')).rejects.toThrow('manifest for localhost:5000/app:2 not found: manifest unknown: manifest unknown');
    await expect(svc.pull('localhost:5000/nope')).rejects.toThrow("pull access denied for localhost:5000/nope, repository does not exist or may require 'docker login'");
    await expect(svc.pull('registry.example.com/app')).rejects.toThrow('dial tcp: lookup registry.example.com: no such host');
    // Corrupt the stored layer blob: the pull must fail and leave the other store untouched.
    const img = store.resolve('localhost:5000/app:1');
    const key = `layerlab/registries/localhost:5000/blobs/sha256/${img.layers[0].digest!.slice(7)}`;
    const bytes = (await p.get(key))!.slice();
    bytes[bytes.length - 1] ^= 1;
    await p.put(key, bytes);
    const store2 = await ImageStore.open(new MemoryPersistence());
    const hub = await RegistryHub.open(p);
    const { pull } = await import('./pull.ts');
    await expect(pull(store2, 'localhost:5000/app:1', hub)).rejects.toThrow(/verification failed/);
    expect(store2.listImages()).toEqual([]);
  });
});

describe('manifest inspect formatting', () => {
  it('indents like Go json.Indent and prints docker\'s manifest list', async () => {
    const { goIndent, formatManifestList, base64 } = await import('./inspect.ts');
    expect(goIndent('{"a":[],"b":{},"c":[1,{"d":"x\\"y"}]}', '\t')).toBe('{\n\t"a": [],\n\t"b": {},\n\t"c": [\n\t\t1,\n\t\t{\n\t\t\t"d": "x\\"y"\n\t\t}\n\t]\n}');
    const d = 'sha256:' + 'a'.repeat(64);
    expect(formatManifestList([{ mediaType: OCI_MANIFEST, digest: d as Digest, size: 5, platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } }])).toBe(
      `{\n   "schemaVersion": 2,\n   "mediaType": "${OCI_INDEX}",\n   "manifests": [\n      {\n         "mediaType": "${OCI_MANIFEST}",\n         "size": 5,\n         "digest": "${d}",\n         "platform": {\n            "architecture": "arm64",\n            "os": "linux",\n            "variant": "v8"\n         }\n      }\n   ]\n}\n`,
    );
    expect(base64(enc.encode('manifest'))).toBe('bWFuaWZlc3Q=');
  });

  it('--verbose lists one ImageManifest per platform', async () => {
    const p = new MemoryPersistence();
    const store = await ImageStore.open(p);
    const svc = new RegistryService({ store: async () => store, persistence: p });
    await makeImage(store, [tree({ '/x': 'x' })], 'localhost:5000/app:1');
    await svc.push('localhost:5000/app:1');
    const v = JSON.parse((await svc.inspectManifest('localhost:5000/app:1', { verbose: true })).text);
    expect(Object.keys(v)).toEqual(['Ref', 'Descriptor', 'Raw', 'OCIManifest']);
    expect(v.Ref).toBe('localhost:5000/app:1');
    expect(v.OCIManifest.layers).toHaveLength(1);
    await expect(svc.inspectManifest('localhost:5000/app:2')).rejects.toThrow('no such manifest: localhost:5000/app:2');
  });
});
