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
