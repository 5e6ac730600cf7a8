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

  it('RUN echo a >&2; sleep 1; echo b >&2: stderr lines too, a second apart, in plain progress', async () => {
    const host = testHost(new MemoryPersistence());
    const engine = createEngine({ ...host, clock: { now: host.clock.now, monotonic: () => performance.now() } });
    const printer = plainProgress();
    let plain = '';
    const streams: string[] = [];
    await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nRUN echo a >&2; sleep 1; echo b >&2\n', files: [], tags: ['live:2'] }, (e) => {
      plain += printer(e);
      if (e.type === 'vertex-output') streams.push(e.stream);
    });
    expect(streams).toEqual(['stderr', 'stderr']);
    const lines = plain.split('\n').filter((l) => /^#\d+ \d+\.\d{3} [ab]$/.test(l));
    expect(lines.map((l) => l.split(' ')[2])).toEqual(['a', 'b']);
    const [ta, tb] = lines.map((l) => Number(l.split(' ')[1]));
    expect(tb - ta).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps stdout and stderr lines of a RUN in the order they were printed, with non-decreasing times', async () => {
    const host = testHost(new MemoryPersistence());
    const engine = createEngine({ ...host, clock: { now: host.clock.now, monotonic: () => performance.now() } });
    const printer = plainProgress();
    let plain = '';
    await engine.builds.build(
      { dockerfile: 'FROM alpine:3.22\nRUN echo out; echo err >&2; sleep 0.3; echo out2; nosuch; echo last >&2\n', files: [], tags: ['live:3'] },
      (e) => {
        plain += printer(e);
      },
    );
    const lines = plain.split('\n').map((l) => /^#\d+ (\d+\.\d{3}) (.*)$/.exec(l)).filter((m) => m && /^(out|err|out2|last|\/bin\/sh: .*)$/.test(m[2]));
    expect(lines.map((m) => m![2])).toEqual(['out', 'err', 'out2', '/bin/sh: nosuch: not found', 'last']);
    const times = lines.map((m) => Number(m![1]));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(0.25);
  });
});
