/**
 * Registry benchmarks, as ratios measured in the same run.
 *
 *   npx tsx bench/registry.bench.ts
 *
 * 1. Dedupe: blob bytes moved by re-pushing (under a new tag) an image the registry already has,
 *    and by pushing a second image that shares its base. Goal: 0 bytes for the re-push
 *    (reported as ratio = bytes of a first push / (1 + bytes of the re-push)), and only the new
 *    layer for the shared-base push.
 * 2. Push vs pull of the same image (alpine:3.22 plus a 1 MiB app layer) between two stores:
 *    ratio = push time / pull time. A pull verifies every blob and parses each layer (gunzip +
 *    tar + DiffID check); a push streams blobs and checks their digests, so push ≤ pull (ratio ≤ 1)
 *    is expected. The same for alpine's 4 MB base layer (pulled from docker.io
 *    first, so the pushing store holds its real gzip bytes).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bytesContent } from '../src/engine/fs/content.ts';
import { LayerTree, makeFile } from '../src/engine/fs/layer-tree.ts';
import { MemoryPersistence } from '../src/engine/host.ts';
import { ImageStore } from '../src/engine/image/store.ts';
import { assertValidImage } from '../src/engine/image/validate.ts';
import { RegistryService } from '../src/engine/registry/api.ts';
import { RegistryHub } from '../src/engine/registry/hub.ts';

export interface BenchResult {
  name: string;
  ratio: number;
  detail: string;
}

const ROOT = resolve(import.meta.dirname, '..');
const asset = async (p: string) => new Uint8Array(readFileSync(join(ROOT, 'public', p)));

async function time<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await f();
  return [performance.now() - t, r];
}

/** Deterministic, poorly compressible bytes (an app binary). */
function appBytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  let s = 0x2545f491;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    b[i] = s & 0xff;
  }
  return b;
}

/** Runs both measurements; returns one result per figure. */
export async function runRegistryBench(): Promise<BenchResult[]> {
  const registries = new MemoryPersistence();
  const hub = await RegistryHub.open(registries, { asset });
  const storeA = await ImageStore.open(new MemoryPersistence());
  const a = new RegistryService({ store: async () => storeA, persistence: registries, hub });
  await a.pull('alpine:3.22');
  const base = storeA.resolve('alpine:3.22');
  const app = new LayerTree();
  app.set('/app/server', makeFile(bytesContent(appBytes(1024 * 1024)), { mode: 0o755, mtime: 1 }));
  const rec = await storeA.commitLayer(app);
  await storeA.putImage({
    config: { ...base.config, rootfs: { type: 'layers', diff_ids: [...base.config.rootfs.diff_ids, rec.diffId] }, history: [...(base.config.history ?? []), { created_by: 'COPY server /app/' }] },
    layers: [...base.layers, rec],
    tags: ['localhost:5000/app:1.0'],
  });
  await storeA.tag('alpine:3.22', 'localhost:5000/base:3.22');

  const [basePushMs, baseFirst] = await time(() => a.push('localhost:5000/base:3.22'));
  const [pushMs, first] = await time(() => a.push('localhost:5000/app:1.0'));
  await storeA.tag('localhost:5000/app:1.0', 'localhost:5000/app:again');
  const again = await a.push('localhost:5000/app:again');

  const storeB = await ImageStore.open(new MemoryPersistence());
  const b = new RegistryService({ store: async () => storeB, persistence: registries, hub });
  // Fair comparison: the pull moves the same blobs the timed push moved (base first, then app).
  const [basePullMs, basePulled] = await time(() => b.pull('localhost:5000/base:3.22'));
  const [pullMs, pulled] = await time(() => b.pull('localhost:5000/app:1.0'));
  await assertValidImage(storeB, 'localhost:5000/app:1.0');

  return [
    {
      name: 're-push of an image the registry has: blob bytes moved (goal 0)',
      ratio: again.bytesPushed,
      detail: `re-push moved ${again.bytesPushed} B (goal 0); base push ${baseFirst.bytesPushed} B; app push on a shared base ${first.bytesPushed} B (${first.lines.slice(1, -1).join(', ')})`,
    },
    {
      name: 'push time / pull time of the same blobs',
      ratio: pushMs / pullMs,
      detail: `push ${pushMs.toFixed(0)} ms (${first.bytesPushed} B), pull ${pullMs.toFixed(0)} ms (${pulled.bytesDownloaded} B)`,
    },
    {
      name: 'push time / pull time of alpine\'s 4 MB base layer',
      ratio: basePushMs / basePullMs,
      detail: `push ${basePushMs.toFixed(0)} ms (${baseFirst.bytesPushed} B), pull ${basePullMs.toFixed(0)} ms (${basePulled.bytesDownloaded} B)`,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runRegistryBench()) console.log(`${r.name}: ratio ${r.ratio.toFixed(3)} — ${r.detail}`);
}
