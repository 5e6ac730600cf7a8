/**
 * `push`, `pull`, `manifest inspect` and the `registry` commands end to end, with golden
 * transcripts under test/golden/registry/ (UPDATE_GOLDEN=1 rewrites them; refused under CI).
 * Two "machines" (two image stores) talk to the same lab registries, so a push on one and a pull
 * on the other really move bytes between content-addressed areas. Catalog-based digests are
 * deterministic, so nothing is masked.
 */
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/command.ts';
import { main } from '../src/cli/main.ts';
import { createEngine } from '../src/engine/index.ts';
import { MemoryPersistence, type BlobPersistence } from '../src/engine/host.ts';
import { textContent } from '../src/engine/fs/content.ts';
import { LayerTree, makeFile, WHITEOUT } from '../src/engine/fs/layer-tree.ts';
import type { ImageStore } from '../src/engine/image/store.ts';
import { assertValidImage } from '../src/engine/image/validate.ts';
import { RegistryHub } from '../src/engine/registry/hub.ts';
import { expectGolden, testHost } from './helpers.ts';

const NOW = Date.parse('2026-03-01T00:00:00Z');

const hubs = new WeakMap<BlobPersistence, Promise<RegistryHub>>();

/** One machine: an engine with its own store, talking to the lab's registries (one hub per `registries`). */
async function machine(registries: BlobPersistence) {
  const host = testHost(new MemoryPersistence());
  if (!hubs.has(registries)) hubs.set(registries, RegistryHub.open(registries, { asset: host.asset }));
  // Several machines (engines with their own stores) share one set of registries.
  const engine = createEngine(host, { registryHub: await hubs.get(registries) });
  const service = engine.registries;
  let transcript = '';
  const cli = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const io: CliIo = { out: (s) => void (out += s), err: (s) => void (err += s), outBytes: () => {}, stdoutIsTty: false, cwd: '/', now: () => NOW, readStdin: async () => new Uint8Array() };
    const code = await main(argv, io, engine);
    transcript += `$ layerlab ${argv.join(' ')}\n${out}${err}${code ? `[exit ${code}]\n` : ''}`;
    return { code, out, err };
  };
  return { engine, service, cli, store: () => engine.store(), transcript: () => transcript, note: (s: string) => void (transcript += `# ${s}\n`) };
}

function tree(files: Record<string, string | null>): LayerTree {
  const t = new LayerTree();
  for (const [path, s] of Object.entries(files)) t.set(path, s === null ? WHITEOUT : makeFile(textContent(s), { mtime: Date.UTC(2026, 1, 1) / 1000 }));
  return t;
}

/** An app image on top of `base` (as `docker build` would commit it): one new layer with `files`. */
async function buildOn(store: ImageStore, base: string, files: Record<string, string | null>, tag: string) {
  const b = store.resolve(base);
  const rec = await store.commitLayer(tree(files));
  await store.putImage({
    config: {
      ...b.config,
      created: '2026-02-01T00:00:00Z',
      rootfs: { type: 'layers', diff_ids: [...b.config.rootfs.diff_ids, rec.diffId] },
      history: [...(b.config.history ?? []), { created: '2026-02-01T00:00:00Z', created_by: 'COPY app /app # buildkit', comment: 'buildkit.dockerfile.v0' }],
    },
    layers: [...b.layers, rec],
    tags: [tag],
  });
}

describe('layerlab CLI (registry commands)', () => {
  it('pulls alpine from docker.io, per platform, and inspects its index', { timeout: 120_000 }, async () => {
    const m = await machine(new MemoryPersistence());
    expect((await m.cli('pull', 'alpine:3.22')).code).toBe(0);
    expect((await m.cli('pull', 'alpine:3.22')).out).toContain('Status: Image is up to date for alpine:3.22');
    expect((await m.cli('pull', '--platform', 'linux/s390x', 'alpine:3.22')).code).toBe(1);
    await m.cli('manifest', 'inspect', 'alpine:3.22');
    expect((await m.cli('pull', 'alpine:nope')).code).toBe(1);
    expect((await m.cli('pull', 'nosuchimage')).code).toBe(1);
    const arm = await m.engine.registries.pull('alpine:3.22', { platform: 'linux/arm64' });
    m.note(`engine.pull(alpine:3.22, linux/arm64): ${arm.lines.join(' | ')}`);
    const store = await m.store();
    expect(store.resolve('alpine:3.22').config.architecture).toBe('arm64');
    expect(arm.manifestDigest).not.toBe(arm.digest);
    const byDigest = await m.cli('pull', `alpine@${arm.digest}`);
    expect(byDigest.out).toContain('Status: Image is up to date for alpine@sha256:');
    await m.cli('images');
    await assertValidImage(store, 'alpine:3.22');
    expectGolden('registry/pull-alpine.txt', m.transcript());
  });

  it('pushes two images sharing layers: Pushed, Mounted from, Layer already exists, 0 bytes re-pushed', { timeout: 120_000 }, async () => {
    const registries = new MemoryPersistence();
    const m = await machine(registries);
    await m.cli('pull', 'alpine:3.22');
    const store = await m.store();
    await buildOn(store, 'alpine:3.22', { '/app/main.sh': 'echo hello\n' }, 'localhost:5000/app:1.0');
    await m.cli('tag', 'alpine:3.22', 'localhost:5000/base:3.22');
    await m.cli('push', 'localhost:5000/base:3.22');
    await m.cli('push', 'localhost:5000/app:1.0');
    await m.cli('tag', 'localhost:5000/app:1.0', 'localhost:5000/app:latest');
    const again = await m.engine.registries.push('localhost:5000/app:latest');
    m.note(`engine.push(localhost:5000/app:latest): ${again.lines.join(' | ')}; blob bytes moved: ${again.bytesPushed}`);
    expect(again.bytesPushed).toBe(0);
    // Docker Hub: the base layer is mounted from the official repository instead of uploaded.
    await m.cli('tag', 'localhost:5000/app:1.0', 'lab/app:1.0');
    await m.cli('push', 'lab/app:1.0');
    expect((await m.cli('push', 'alpine:3.22')).code).toBe(1);
    expect((await m.cli('push', 'localhost:5000/ghost')).code).toBe(1);
    await m.cli('manifest', 'inspect', 'localhost:5000/app:1.0');
    await m.cli('registry', 'ls');
    await assertValidImage(store, 'localhost:5000/app:1.0');
    expectGolden('registry/push-shared-layers.txt', m.transcript());
  });

  it('pulls an image whose base another machine already has: Already exists', { timeout: 120_000 }, async () => {
    const registries = new MemoryPersistence();
    const a = await machine(registries);
    await a.engine.registries.pull('alpine:3.22');
    const sa = await a.store();
    await buildOn(sa, 'alpine:3.22', { '/app/main.sh': 'echo hello\n' }, 'localhost:5000/app:1.0');
    await a.engine.registries.push('localhost:5000/app:1.0');
    const b = await machine(registries);
    await b.cli('pull', 'alpine:3.22');
    const res = await b.engine.registries.pull('localhost:5000/app:1.0');
    b.note(`engine.pull(localhost:5000/app:1.0): ${res.lines.join(' | ')}`);
    b.note(`blob bytes downloaded: ${res.bytesDownloaded} (${res.blobs.map((x) => `${x.kind} ${x.action}`).join(', ')})`);
    expect(res.blobs.filter((x) => x.kind === 'layer').map((x) => x.action)).toEqual(['already-exists', 'downloaded']);
    const sb = await b.store();
    await b.cli('images');
    await assertValidImage(sb, 'localhost:5000/app:1.0');
    expect(sb.resolve('localhost:5000/app:1.0').imageId).toBe(sa.resolve('localhost:5000/app:1.0').imageId);
    expectGolden('registry/pull-shared-base.txt', b.transcript());
  });

  it('re-pulls a moved tag: only the changed layer is downloaded', { timeout: 120_000 }, async () => {
    const registries = new MemoryPersistence();
    const a = await machine(registries);
    const b = await machine(registries);
    await a.engine.registries.pull('alpine:3.22');
    const sa = await a.store();
    await buildOn(sa, 'alpine:3.22', { '/app/main.sh': 'echo v1\n' }, 'localhost:5000/app:1.0');
    await a.cli('push', 'localhost:5000/app:1.0');
    await b.cli('pull', 'localhost:5000/app:1.0');
    await buildOn(sa, 'alpine:3.22', { '/app/main.sh': 'echo v2\n', '/app/extra.txt': 'new\n' }, 'localhost:5000/app:1.0');
    await a.cli('push', 'localhost:5000/app:1.0');
    const moved = await b.engine.registries.pull('localhost:5000/app:1.0');
    b.note(`engine.pull(localhost:5000/app:1.0) after the tag moved: ${moved.lines.join(' | ')}`);
    const newTop = sa.resolve('localhost:5000/app:1.0').layers[1];
    const cfg = sa.resolve('localhost:5000/app:1.0').manifest!.config;
    expect(moved.bytesDownloaded).toBe(newTop.size! + cfg.size);
    b.note(`blob bytes downloaded: ${moved.bytesDownloaded} = changed layer ${newTop.size} + config ${cfg.size}`);
    expect((await b.cli('pull', 'localhost:5000/app:1.0')).out).toContain('Image is up to date');
    const sb = await b.store();
    await assertValidImage(sb, 'localhost:5000/app:1.0');
    expectGolden('registry/moved-tag.txt', a.transcript() + b.transcript());
  });

  it('deletes a tag, keeps blobs other manifests use, garbage-collects the rest', { timeout: 120_000 }, async () => {
    const registries = new MemoryPersistence();
    const a = await machine(registries);
    await a.engine.registries.pull('alpine:3.22');
    const sa = await a.store();
    await buildOn(sa, 'alpine:3.22', { '/app/main.sh': 'echo hello\n' }, 'localhost:5000/app:1.0');
    await sa.tag('alpine:3.22', 'localhost:5000/base:3.22');
    await a.engine.registries.push('localhost:5000/base:3.22');
    await a.engine.registries.push('localhost:5000/app:1.0');
    await a.cli('registry', 'rm-tag', 'localhost:5000/app:1.0');
    expect((await a.cli('registry', 'rm-tag', 'localhost:5000/app:1.0')).code).toBe(1);
    // --dry-run (distribution's flag) lists the same blobs and deletes none; it is kept out of the golden transcript.
    const before = (await a.engine.registries.list()).find((r) => r.host === 'localhost:5000')!.blobCount;
    const dry = await a.service.gc('localhost:5000', { dryRun: true });
    expect(dry.lines.at(-1)).toBe(`${before - dry.blobsDeleted.length} blobs marked, ${dry.blobsDeleted.length} blobs and 1 manifests eligible for deletion`);
    expect((await a.engine.registries.list()).find((r) => r.host === 'localhost:5000')!.blobCount).toBe(before);
    await a.cli('registry', 'gc', 'localhost:5000');
    expect(a.transcript()).toContain(dry.lines.slice(0, -1).join('\n'));
    await a.cli('registry', 'ls');
    const b = await machine(registries);
    expect((await b.cli('pull', 'localhost:5000/app:1.0')).code).toBe(1);
    expect((await b.cli('pull', 'localhost:5000/base:3.22')).code).toBe(0);
    await assertValidImage(await b.store(), 'localhost:5000/base:3.22');
    expectGolden('registry/rm-tag-gc.txt', a.transcript() + b.transcript());
  });
});
