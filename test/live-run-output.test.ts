/**
 * RUN output is delivered while the step runs: in `RUN echo a; sleep 1; echo b` the build event
 * for `a` arrives before the sleep and the one for `b` after it, each stamped by the host's
 * monotonic clock, and BuildKit's plain progress prints them as `#N <elapsed> a` / `#N <elapsed> b`.
 * The only time asserted is a lower bound the `sleep 1` guarantees (never an upper one).
 */
import { describe, expect, it } from 'vitest';
import { createEngine, plainProgress } from '../src/engine/index.ts';
import { MemoryPersistence } from '../src/engine/host.ts';
import { testHost } from './helpers.ts';

describe('live RUN output', () => {
  it('RUN echo a; sleep 1; echo b: `a` before `b`, a second apart on the host clock', async () => {
    const host = testHost(new MemoryPersistence());
    const engine = createEngine({ ...host, clock: { now: host.clock.now, monotonic: () => performance.now() } });
    const events: { text: string; elapsedMs: number; seenAt: number }[] = [];
    const printer = plainProgress();
    let plain = '';
    await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nRUN echo a; sleep 1; echo b\n', files: [], tags: ['live:1'] }, (e) => {
      plain += printer(e);
      if (e.type === 'vertex-output') events.push({ text: e.text, elapsedMs: e.elapsedMs ?? -1, seenAt: performance.now() });
    });
    expect(events.map((e) => e.text)).toEqual(['a\n', 'b\n']);
    expect(events[1].elapsedMs - events[0].elapsedMs).toBeGreaterThanOrEqual(900);
    expect(events[1].seenAt - events[0].seenAt).toBeGreaterThanOrEqual(900);
    const lines = plain.split('\n').filter((l) => /^#\d+ \d+\.\d{3} [ab]$/.test(l));
    expect(lines).toHaveLength(2);
    const [ta, tb] = lines.map((l) => Number(l.split(' ')[1]));
    expect(tb - ta).toBeGreaterThanOrEqual(0.9);
  });
});
