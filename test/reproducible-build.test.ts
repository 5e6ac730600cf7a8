/**
 * Time comes from the host: a build replayed on a fresh engine with the same fixed clock
 * reproduces its image ID exactly (history `created`, config `created`, the mtimes RUN and COPY
 * stamp, the output of `date`), and a different clock gives a different ID, which proves the clock
 * is what the build reads. The lab's shareable scenarios rely on this.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/engine/index.ts';
import { fixedClock, MemoryPersistence } from '../src/engine/host.ts';
import { testHost } from './helpers.ts';

const enc = (s: string) => new TextEncoder().encode(s);

const DOCKERFILE = [
  'FROM busybox:1.37',
  'WORKDIR /app',
  'COPY hello.txt ./',
  'RUN date -u +%Y-%m-%dT%H:%M:%SZ > /built-at && mkdir -p /data && touch /data/stamp',
  'ENV BUILT=yes',
  '',
].join('\n');

/** A fresh engine (empty in-memory store) whose clock starts at `startMs`. */
function engineAt(startMs: number) {
  return createEngine({ ...testHost(new MemoryPersistence()), clock: fixedClock(startMs) });
}

async function buildScenario(startMs: number) {
  const engine = engineAt(startMs);
  const res = await engine.builds.build({
    dockerfile: DOCKERFILE,
    files: [{ path: 'hello.txt', type: 'file', mode: 0o644, content: enc('hello\n'), mtime: 1_700_000_000 }],
    tags: ['scenario:1'],
  });
  return { engine, imageId: res.imageId };
}

describe('builds replayed with a fixed host clock', () => {
  it('reproduce the image ID on a fresh engine, and change it under another clock', async () => {
    const t0 = Date.UTC(2026, 0, 15);
    const a = await buildScenario(t0);
    const b = await buildScenario(t0);
    expect(b.imageId).toBe(a.imageId);

    const c = await buildScenario(t0 + 86_400_000);
    expect(c.imageId).not.toBe(a.imageId);

    // The timestamps in the image are the clock's, not the machine's.
    const history = await a.engine.images.history('scenario:1');
    const run = history.find((h) => h.createdBy.includes('date -u'))!;
    expect(run.created?.startsWith('2026-01-15T')).toBe(true);
    const layers = await a.engine.images.layers('scenario:1');
    const top = layers.at(-1)!;
    const stamp = (await a.engine.images.layerEntries(top.diffId)).find((e) => e.path === '/data/stamp')!;
    expect(stamp.mtime * 1000).toBeGreaterThanOrEqual(t0);
    expect(stamp.mtime * 1000).toBeLessThan(t0 + 3_600_000);

    // `date` in RUN read the same clock.
    const out = await a.engine.containers.run({ image: 'scenario:1', cmd: ['cat', '/built-at'] });
    expect(out.stdout).toMatch(/^2026-01-15T00:\d\d:\d\dZ\n$/);
  });
});
