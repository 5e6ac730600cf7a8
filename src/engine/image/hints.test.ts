import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../dockerfile/index.ts';
import { testEngine, testHost } from '../../../test/helpers.ts';
import { createEngine } from '../index.ts';
import type { BuildEvent } from '../builder/events.ts';
import { hintsFor } from './hints.ts';

const ids = (h: { id: string; range?: { start: { line: number } } }[]) => h.map((x) => `${x.range?.start.line ?? '-'} ${x.id}`);

describe('layerlab hints', () => {
  it('apt-get update alone, and COPY . . before an install (with the last install time)', () => {
    const ast = parseDockerfile('FROM node:22\nRUN apt-get update\nRUN apt-get update && apt-get install -y curl\nWORKDIR /app\nCOPY . .\nRUN npm ci\nFROM alpine\nRUN npm ci\n');
    const h = hintsFor({ ast, durations: { 6: 41_000 } });
    expect(ids(h)).toEqual(['2 apt-update-alone', '6 copy-all-before-install']);
    expect(h[1].message).toContain('COPY . . before `npm ci`: any source edit re-runs the install (last build: 41.0 s of simulated install time re-run)');
    // The lab's simulated installs are quick: under a second the figure is in milliseconds, never "0.0 s".
    expect(hintsFor({ ast, durations: { 6: 37.6 } })[1].message).toContain('(last build: 38 ms of simulated install time re-run)');
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

  it("the install's measured step time from the build reaches the COPY . . hint", async () => {
    // A monotonic clock that advances 1.3 s per reading makes the step durations known, non-zero figures.
    let m = 0;
    const host = testHost();
    const engine = createEngine({ ...host, clock: { now: host.clock.now, monotonic: () => (m += 1300) } });
    const dockerfile = 'FROM alpine:3.22\nWORKDIR /app\nCOPY . .\nRUN echo "npm ci" > /app/install.log\n';
    const events: BuildEvent[] = [];
    await engine.builds.build({ dockerfile, files: [{ path: 'server.js', type: 'file', mode: 0o644, content: new TextEncoder().encode('x') }], tags: ['d:1'] }, (e) => events.push(e));
    const step = events.find((e): e is Extract<BuildEvent, { type: 'step' }> => e.type === 'step' && e.range.start.line === 4)!;
    expect(step.durationMs).toBeGreaterThan(0);
    const layers = await engine.images.layers('d:1');
    const layerRanges: ({ start: { line: number; column: number }; end: { line: number; column: number } } | undefined)[] = layers.map(() => undefined);
    layerRanges[layers.length - 1] = { start: { line: 4, column: 1 }, end: { line: 4, column: 40 } };
    const h = await engine.inspector.hints('d:1', dockerfile, { durations: { 4: step.durationMs }, layerRanges });
    // Linked to the line and to the layer that line made (the top one).
    expect(h.map((x) => [x.id, x.range?.start.line, x.layer])).toEqual([['copy-all-before-install', 4, layers.length - 1]]);
    expect(h[0].message).toContain(`any source edit re-runs the install (last build: ${(step.durationMs / 1000).toFixed(1)} s of simulated install time re-run)`);
    // Without durations the hint still stands, without a figure.
    expect((await engine.inspector.hints('d:1', dockerfile))[0].message).not.toContain('last build');
  }, 60_000);
});
