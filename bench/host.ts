/** The engine host benchmarks use: real clock, in-memory store, the catalog read from public/. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MemoryPersistence, offlineFetcher, seededRandom, silentLog, type Host } from '../src/engine/host.ts';

export const ROOT = resolve(import.meta.dirname, '..');

export function benchHost(): Host {
  return {
    clock: { now: () => Date.now(), monotonic: () => performance.now() },
    random: seededRandom(1),
    persistence: new MemoryPersistence(),
    fetcher: offlineFetcher,
    log: silentLog,
    asset: async (p) => new Uint8Array(readFileSync(join(ROOT, 'public', p))),
  };
}

/** The fastest of `n` runs of `f`, in milliseconds (wall time). */
export async function bestOf(n: number, f: () => Promise<void> | void): Promise<number> {
  let min = Infinity;
  for (let k = 0; k < n; k++) {
    const t = performance.now();
    await f();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

/** Wall and process CPU time (ms) of one run of `f`. */
export async function wallAndCpu(f: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  await f();
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  return { wall, cpu: (d.user + d.system) / 1000 };
}
