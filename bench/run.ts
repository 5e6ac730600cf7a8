/**
 * `npm run bench`: runs every benchmark in bench/ and prints one line per figure. Figures are
 * ratios against a reference measured in the same run (or a budget, where the issue sets one),
 * never absolute timings judged by a unit test.
 *
 *   npm run bench                 all benchmarks (the 1 GiB heap figure takes a couple of minutes)
 *   BENCH=union,build npm run bench
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

type Row = { name: string; ratio?: number; ms?: number; detail: string };
const only = process.env.BENCH?.split(',').map((s) => s.trim());
const dir = import.meta.dirname;
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
let failed = false;
for (const f of files) {
  const name = basename(f, '.bench.ts');
  if (only && !only.includes(name)) continue;
  const mod = (await import(join(dir, f))) as Record<string, unknown>;
  const run = Object.entries(mod).find(([k, v]) => /^run.*Bench$/.test(k) && typeof v === 'function')?.[1] as (() => Promise<Row[]>) | undefined;
  if (!run) continue;
  console.log(`\n## ${name}`);
  try {
    for (const r of await run()) {
      const fig = [r.ratio !== undefined ? r.ratio.toFixed(3) : '', r.ms !== undefined ? `${r.ms.toFixed(0)} ms` : ''].filter(Boolean).join(', ');
      console.log(`- ${r.name}: ${fig}  (${r.detail})`);
    }
  } catch (e) {
    failed = true;
    console.log(`- failed: ${(e as Error).stack ?? e}`);
  }
}
process.exitCode = failed ? 1 : 0;
