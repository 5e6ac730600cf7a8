import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../dockerfile/index.ts';
import { testEngine } from '../../../test/helpers.ts';
import { hintsFor } from './hints.ts';

const ids = (h: { id: string; range?: { start: { line: number } } }[]) => h.map((x) => `${x.range?.start.line ?? '-'} ${x.id}`);

describe('layerlab hints', () => {
  it('apt-get update alone, and COPY . . before an install (with the last install time)', () => {
    const ast = parseDockerfile('FROM node:22\nRUN apt-get update\nRUN apt-get update && apt-get install -y curl\nWORKDIR /app\nCOPY . .\nRUN npm ci\nFROM alpine\nRUN npm ci\n');
    const h = hintsFor({ ast, durations: { 6: 41_000 } });
    expect(ids(h)).toEqual(['2 apt-update-alone', '6 copy-all-before-install']);
    expect(h[1].message).toContain('COPY . . before `npm ci`: any source edit re-runs the install (last build: 41.0 s of install re-run)');
  });

  it('no copy-all hint when dependency files are copied first', () => {
    const ast = parseDockerfile('FROM node:22\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n');
    expect(hintsFor({ ast })).toEqual([]);
  });

  it('ties deleted bytes to the RUN that deletes them and the layer that still ships them', async () => {
    const engine = testEngine();
    const dockerfile = 'FROM alpine:3.22\nRUN seq 1 20000 > /big.txt\nRUN rm /big.txt\n';
    const res = await engine.builds.build({ dockerfile, files: [], tags: ['h:1'] });
    const layers = await engine.images.layers(res.imageId);
    const n = layers.length;
    const layerRanges = Array(n).fill(undefined);
    layerRanges[n - 2] = { start: { line: 2, column: 1 }, end: { line: 2, column: 26 } };
    layerRanges[n - 1] = { start: { line: 3, column: 1 }, end: { line: 3, column: 15 } };
    const h = await engine.inspector.hints('h:1', dockerfile, { layerRanges });
    const bytes = 9 * 2 + 90 * 3 + 900 * 4 + 9000 * 5 + 10001 * 6;
    expect(h).toEqual([
      expect.objectContaining({ id: 'deleted-bytes-ship', layer: n - 1, bytes, range: layerRanges[n - 1] }),
    ]);
    expect(h[0].message).toMatch(new RegExp(`^this RUN deletes or replaces 10\\dkB that layer ${n - 2} still ships`));
  }, 60_000);
});
