/**
 * A short seeded pass of the fuzz targets (test/fuzz/targets.ts) as part of `npm test`; `npm run
 * fuzz` runs them long. FC_SEED explores other seeds.
 */
import { expect, it } from 'vitest';
import { runFuzz } from './fuzz/targets.ts';

it('fuzz targets: no exception outside LayerlabError, no input over budget, no runaway heap', { timeout: 300_000 }, async () => {
  const findings = await runFuzz({ runs: 60, seed: Number(process.env.FC_SEED ?? 20261128), budgetMs: 5000, heapMb: 1024 });
  expect(findings).toEqual([]);
});
