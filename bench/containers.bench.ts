/**
 * Container start-up memory: start 100 containers (`run -d IMAGE sleep infinity`, a modelled
 * server, so no shell runs) from one 5,000-file image and report the heap each costs. Goal: at
 * most 1 MiB per container, i.e. containers share the image's layers and LowerStack and cost only
 * their own upper layer and record. The reference is the heap of the image itself (its layer trees
 * and merged index), measured in the same run. Run with `node --expose-gc` for exact figures:
 * `node --expose-gc --import tsx bench/containers.bench.ts` (plain `npx tsx` works, less precisely).
 */
import { textContent } from '../src/engine/fs/content.ts';
import { LayerTree, makeFile, makeSymlink } from '../src/engine/fs/layer-tree.ts';
import { fixedClock, MemoryPersistence, seededRandom } from '../src/engine/host.ts';
import { ImageStore } from '../src/engine/image/store.ts';
import { ContainerRuntime } from '../src/engine/container/api.ts';

const FILES = 5000;
const CONTAINERS = 100;
const MiB = 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;
function heap(): number {
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

/** Result of the benchmark. */
export interface ContainersBench {
  files: number;
  containers: number;
  imageMiB: number;
  perContainerMiB: number;
  ratioToImage: number;
  exactGc: boolean;
  ok: boolean;
}

export async function measureContainers(): Promise<ContainersBench> {
  const store = await ImageStore.open(new MemoryPersistence());
  const before = heap();
  const tree = new LayerTree();
  tree.set('/bin/sleep', makeFile(textContent('#!/bin/sh\n'), { mode: 0o755 }));
  tree.set('/bin/sh', makeSymlink('/bin/busybox'));
  tree.set('/bin/busybox', makeFile(textContent('elf'), { mode: 0o755 }));
  for (let i = 0; i < FILES; i++) tree.set(`/usr/share/pkg${i % 50}/dir${i % 7}/file${i}.txt`, makeFile(textContent(`file ${i}\n`)));
  const rec = await store.commitLayer(tree.freeze());
  await store.putImage({
    config: { architecture: 'amd64', os: 'linux', config: { Cmd: ['sleep', 'infinity'] }, rootfs: { type: 'layers', diff_ids: [rec.diffId] } },
    layers: [rec],
    tags: ['many:1'],
  });
  const rt = new ContainerRuntime({ store, persistence: new MemoryPersistence(), clock: fixedClock(), random: seededRandom(1) });
  // The first container builds the image's shared LowerStack: count it with the image.
  await rt.run({ image: 'many:1', detach: true });
  const imageBytes = heap() - before;
  const start = heap();
  for (let i = 0; i < CONTAINERS; i++) await rt.run({ image: 'many:1', detach: true });
  const per = (heap() - start) / CONTAINERS;
  const running = (await rt.list()).length;
  if (running !== CONTAINERS + 1) throw new Error(`expected ${CONTAINERS + 1} running containers, got ${running}`);
  return {
    files: FILES,
    containers: CONTAINERS,
    imageMiB: imageBytes / MiB,
    perContainerMiB: per / MiB,
    ratioToImage: per / imageBytes,
    exactGc: !!gc,
    ok: per <= MiB,
  };
}

/** The benchmark as rows for `npm run bench`. */
export async function runContainersBench(): Promise<{ name: string; ratio: number; detail: string }[]> {
  const r = await measureContainers();
  return [
    {
      name: `heap per container, ${r.containers} containers of a ${r.files}-file image, MiB (goal ≤ 1)`,
      ratio: r.perContainerMiB,
      detail: `image ${r.imageMiB.toFixed(2)} MiB; per container / image ${r.ratioToImage.toFixed(4)}${r.exactGc ? '' : '; without --expose-gc'}`,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measureContainers();
  console.log(
    `containers: ${r.containers} from a ${r.files}-file image: ${r.perContainerMiB.toFixed(3)} MiB heap each ` +
      `(image ${r.imageMiB.toFixed(2)} MiB; ratio ${r.ratioToImage.toFixed(4)}; goal ≤ 1 MiB: ${r.ok ? 'ok' : 'FAIL'}${r.exactGc ? '' : '; run with --expose-gc for exact figures'})`,
  );
}
