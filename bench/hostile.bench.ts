/**
 * Hostile archives (test/hostile/archives.ts), each loaded in a child process: time to refusal
 * against the 5 s budget (ratio = 5 s / slowest case, goal ≥ 1) and peak RSS against
 * 256 MiB (ratio = 256 MiB / highest peak, goal ≥ 1). `npm test` checks memory and the refusals;
 * the times live here. The time includes generating the archive lazily in the same process.
 *
 *   BENCH=hostile npm run bench
 */
import { HOSTILE_CASES } from '../test/hostile/archives.ts';
import { runHostileCase, type HostileReport } from '../test/hostile/run.ts';

const MiB = 1 << 20;

export async function runHostileBench(): Promise<{ name: string; ratio: number; detail: string }[]> {
  const reports: HostileReport[] = [];
  for (let i = 0; i < HOSTILE_CASES.length; i++) reports.push(await runHostileCase(i));
  const slowest = reports.reduce((a, b) => (b.ms > a.ms ? b : a));
  const fattest = reports.reduce((a, b) => (b.peakRss > a.peakRss ? b : a));
  const each = reports.map((r) => `${r.name}: ${r.limit} in ${r.ms.toFixed(0)} ms (${r.cpuMs.toFixed(0)} ms CPU), ${(r.peakRss / MiB).toFixed(0)} MiB`).join('; ');
  const cpuSlowest = reports.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a));
  return [
    { name: 'hostile archives: 5 s budget / slowest refusal, wall time (goal ≥ 1)', ratio: 5000 / slowest.ms, detail: `slowest ${slowest.name} ${slowest.ms.toFixed(0)} ms wall` },
    { name: 'hostile archives: 5 s budget / slowest refusal, CPU time (what a quiet machine sees)', ratio: 5000 / cpuSlowest.cpuMs, detail: `slowest ${cpuSlowest.name} ${cpuSlowest.cpuMs.toFixed(0)} ms CPU` },
    { name: 'hostile archives: 256 MiB / highest peak RSS (goal ≥ 1)', ratio: (256 * MiB) / fattest.peakRss, detail: each },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runHostileBench()) console.log(`${r.name}: ${r.ratio.toFixed(2)}  (${r.detail})`);
}
