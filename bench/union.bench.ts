/**
 * Union lookup benchmark: random `stat` + `readFile` of 2,000 files spread over 1, 16 and 128 lower
 * layers, against the same lookups on a union over a single flat layer holding the same files (the
 * ratio is the cost of stacking). The detail also gives the raw `LayerTree.get` time as a floor.
 * Goal: ratio ≤ 1.5. Run standalone with `npx tsx bench/union.bench.ts`.
 */
import { textContent } from '../src/engine/fs/content.ts';
import { LayerTree, makeFile } from '../src/engine/fs/layer-tree.ts';
import { LowerStack } from '../src/engine/fs/lower-stack.ts';
import { UnionFs } from '../src/engine/fs/union.ts';

const FILES = 2000;
const LOOKUPS = 100_000;

function filePaths(): string[] {
  const out: string[] = [];
  for (let i = 0; i < FILES; i++) out.push(`/usr/share/pkg${i % 40}/sub${i % 7}/file${i}.txt`);
  return out;
}

function layered(paths: string[], layers: number): LowerStack {
  const trees = Array.from({ length: layers }, () => new LayerTree());
  paths.forEach((p, i) => trees[i % layers].set(p, makeFile(textContent(`content of ${p}`))));
  return new LowerStack(trees.map((t) => t.freeze()));
}

function lookupOrder(paths: string[]): string[] {
  let s = 12345;
  const out: string[] = [];
  for (let i = 0; i < LOOKUPS; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out.push(paths[s % paths.length]);
  }
  return out;
}

function time(fn: () => void, runs = 7): number {
  for (let i = 0; i < 3; i++) fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

let sink = 0;
function unionLookups(u: UnionFs, order: string[]) {
  return () => {
    for (const p of order) {
      sink += u.stat(p).size;
      sink += u.readFile(p).length;
    }
  };
}

/** Runs the benchmark; each row's ratio is (union over N layers) / (union over one flat layer). */
export async function runUnionBench(): Promise<{ name: string; ratio: number; detail: string }[]> {
  const paths = filePaths();
  const order = lookupOrder(paths);
  const flatStack = layered(paths, 1);
  const flatTree = flatStack.layers[0];
  const flat = new UnionFs(flatStack);
  // A few upper entries, as in a running container.
  flat.writeFile('/tmp-file', 'x');
  const rawMs = time(() => {
    for (const p of order) {
      const e = flatTree.get(p) as { size: number; content: { read(): Uint8Array } };
      sink += e.size + e.content.read().length;
    }
  });
  const results: { name: string; ratio: number; detail: string }[] = [];
  for (const n of [1, 16, 128]) {
    const u = new UnionFs(layered(paths, n));
    u.writeFile('/tmp-file', 'x');
    // Alternate the two measurements so both see the same machine load; keep the best of each.
    let flatMs = Infinity;
    let layeredMs = Infinity;
    for (let round = 0; round < 5; round++) {
      flatMs = Math.min(flatMs, time(unionLookups(flat, order), 2));
      layeredMs = Math.min(layeredMs, time(unionLookups(u, order), 2));
    }
    const ratio = layeredMs / flatMs;
    results.push({
      name: `union stat+readFile, ${n} layers vs 1 flat layer`,
      ratio,
      detail: `${LOOKUPS} lookups of ${FILES} files: ${layeredMs.toFixed(1)} ms vs ${flatMs.toFixed(1)} ms (raw LayerTree.get: ${rawMs.toFixed(1)} ms, union/raw ${(layeredMs / rawMs).toFixed(2)}×)`,
    });
  }
  return results;
}

const isMain = typeof process !== 'undefined' && process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!);
if (isMain) {
  for (const r of await runUnionBench()) console.log(`${r.ratio.toFixed(2)}×  ${r.name}  (${r.detail})`);
  if (sink === -1) console.log(sink);
}
