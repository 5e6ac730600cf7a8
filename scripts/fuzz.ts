/**
 * `npm run fuzz`: every fuzz target of test/fuzz/targets.ts, long. Environment: FUZZ_RUNS
 * (inputs per target, default 2000), FUZZ_SEED (default: random, printed), FUZZ_BUDGET_MS
 * (default 2000), FUZZ_HEAP_MB (default 1024), FUZZ_ONLY (a target name). Exit 1 on a finding.
 */
import { runFuzz } from '../test/fuzz/targets.ts';

const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const runs = Number(process.env.FUZZ_RUNS ?? 2000);
console.log(`fuzz: seed ${seed}, ${runs} inputs per target (reproduce with FUZZ_SEED=${seed})`);
const findings = await runFuzz({ runs, seed, budgetMs: Number(process.env.FUZZ_BUDGET_MS ?? 2000), heapMb: Number(process.env.FUZZ_HEAP_MB ?? 1024), only: process.env.FUZZ_ONLY }, (s) => console.log(s));
for (const f of findings) console.log(`FINDING ${f.target} ${f.kind}: ${f.detail}\n  input: ${f.input}`);
console.log(findings.length ? `fuzz: ${findings.length} finding(s)` : 'fuzz: no findings');
process.exitCode = findings.length ? 1 : 0;
