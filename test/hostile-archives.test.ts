/**
 * The hostile archive set (test/hostile/archives.ts): gzip bombs of 4 GiB and 100 GiB of zeros,
 * 10 million empty entries (archive and layer), 1 GB file-name records, deeply nested directories.
 * Each is loaded in a child process of its own, so the peak resident memory the OS reports is the
 * load's alone; each must be refused with the limit it breaks, leave the store untouched, and stay
 * under 256 MiB. How long each takes is a figure for `npm run bench` (bench/hostile.bench.ts).
 */
import { describe, expect, test } from 'vitest';
import { HOSTILE_CASES } from './hostile/archives.ts';
import { runHostileCase } from './hostile/run.ts';

const MiB = 1 << 20;

describe('hostile archives are refused while streaming, in bounded memory', () => {
  HOSTILE_CASES.forEach((c, i) => {
    test(c.name, { timeout: 180_000 }, async () => {
      const r = await runHostileCase(i);
      expect(r, r.message).toMatchObject({ code: c.code, limit: c.limit, unchanged: true });
      expect(r.peakRss, `peak RSS ${(r.peakRss / MiB).toFixed(0)} MiB (${r.rssSource})`).toBeLessThanOrEqual(256 * MiB);
      // Read at most the limit: far less of the compressed stream than the whole bomb would take.
      expect(r.pulledBytes).toBeLessThan(c.expandsTo / 100);
    });
  });
});
