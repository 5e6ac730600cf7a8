/**
 * A container's output arrives while its process runs (`run`, `start`, `exec`, a terminal line),
 * not at the end: `echo a; sleep 1; echo b` delivers `a` before the sleep and `b` after it. What the
 * calls return and what `logs` shows afterwards are unchanged; a session's own bookkeeping (the
 * function definitions it captures after each line) never reaches the listener.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, MemoryPersistence, seededRandom } from '../host.ts';
import { ImageStore } from '../image/store.ts';
import { ContainerRuntime } from './api.ts';
import { putAlpine } from './test-support.ts';
import type { OutputListener } from './types.ts';

const ALPINE = readFileSync(new URL('../../../public/catalog/alpine-3.22.json', import.meta.url));
let store: ImageStore;

beforeAll(async () => {
  store = await ImageStore.open(new MemoryPersistence());
  await putAlpine(store, ALPINE);
});

const runtime = () => new ContainerRuntime({ store, persistence: new MemoryPersistence(), clock: fixedClock(Date.UTC(2026, 2, 1)), random: seededRandom(11) });

/** A listener recording each chunk with the wall time it arrived (ms since the recorder was made). */
function recorder() {
  const t0 = performance.now();
  const chunks: { stream: string; text: string; at: number }[] = [];
  const listener: OutputListener = (stream, text) => chunks.push({ stream, text, at: performance.now() - t0 });
  return { chunks, listener };
}

describe('live container output', () => {
  it('run: `a` arrives before the one-second sleep, `b` after it; the result and the logs keep everything', async () => {
    const rt = runtime();
    const { chunks, listener } = recorder();
    const r = await rt.run({ image: 'alpine', name: 'live', cmd: ['sh', '-c', 'echo a; sleep 1; echo b; echo e >&2'] }, listener);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('a\nb\n');
    expect(r.stderr).toBe('e\n');
    expect(chunks.filter((c) => c.stream === 'stdout').map((c) => c.text)).toEqual(['a\n', 'b\n']);
    expect(chunks.filter((c) => c.stream === 'stderr').map((c) => c.text).join('')).toBe('e\n');
    expect(chunks[1].at - chunks[0].at).toBeGreaterThanOrEqual(900);
    const logs = await rt.logs('live');
    expect(logs.filter((l) => l.stream === 'stdout').map((l) => l.text).join('')).toBe('a\nb\n');
    expect(logs.filter((l) => l.stream === 'stderr').map((l) => l.text).join('')).toBe('e\n');
  }, 20_000);

  it('logs during the run show what was printed so far', async () => {
    const rt = runtime();
    let during = '';
    const r = rt.run({ image: 'alpine', name: 'half', cmd: ['sh', '-c', 'echo first; sleep 1; echo second'] }, (_s, text) => {
      if (text === 'first\n') void rt.logs('half').then((l) => (during = l.map((x) => x.text).join('')));
    });
    await r;
    expect(during).toBe('first\n');
  }, 20_000);

  it('exec streams too, and returns the same result', async () => {
    const rt = runtime();
    const { id } = await rt.create({ image: 'alpine', name: 'srv', cmd: ['sh'], tty: true, interactive: true });
    await rt.start(id, { interactive: true });
    const { chunks, listener } = recorder();
    const r = await rt.exec('srv', ['sh', '-c', 'echo one; sleep 1; echo two'], {}, listener);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'one\ntwo\n' });
    expect(chunks.map((c) => c.text)).toEqual(['one\n', 'two\n']);
    expect(chunks[1].at - chunks[0].at).toBeGreaterThanOrEqual(900);
  }, 20_000);

  it('streaming keeps redirections: `1<>FILE` still writes into the file', async () => {
    const rt = runtime();
    const { id } = await rt.create({ image: 'alpine', name: 'rw', cmd: ['sh'], tty: true, interactive: true });
    await rt.start(id, { interactive: true });
    const { chunks, listener } = recorder();
    const r = await rt.exec('rw', ['sh', '-c', 'printf abc > /tmp/f; printf x 1<> /tmp/f; cat /tmp/f'], {}, listener);
    expect(r.stdout).toBe('xbc');
    expect(chunks.map((c) => c.text).join('')).toBe('xbc');
  }, 20_000);

  it('a terminal line streams without the session bookkeeping; functions and variables still carry over', async () => {
    const rt = runtime();
    const { id } = await rt.create({ image: 'alpine', name: 'term', cmd: ['sh'], tty: true, interactive: true });
    const { sessionId } = await rt.start(id, { interactive: true }) as { sessionId: string };
    const first = recorder();
    const r1 = await rt.sessionLine(sessionId, 'greet() { echo "hi $1"; }; X=7; echo a; sleep 1; echo b', undefined, first.listener);
    expect(r1.stdout).toBe('a\nb\n');
    expect(first.chunks.map((c) => c.text).join('')).toBe('a\nb\n');
    expect(first.chunks[1].at - first.chunks[0].at).toBeGreaterThanOrEqual(900);
    const second = recorder();
    const r2 = await rt.sessionLine(sessionId, 'greet you; echo "x=$X"; echo bad >&2', undefined, second.listener);
    expect(r2).toMatchObject({ stdout: 'hi you\nx=7\n', stderr: 'bad\n' });
    expect(second.chunks.filter((c) => c.stream === 'stdout').map((c) => c.text).join('')).toBe('hi you\nx=7\n');
    expect(second.chunks.filter((c) => c.stream === 'stderr').map((c) => c.text).join('')).toBe('bad\n');
    // The main shell's output is the container's log.
    expect((await rt.logs('term')).map((l) => l.text).join('')).toBe('a\nb\nhi you\nx=7\nbad\n');
  }, 20_000);

  it('a line into a paused container is refused with docker`s exec error; after unpause it runs', async () => {
    const rt = runtime();
    const { id } = await rt.create({ image: 'alpine', name: 'frozen', cmd: ['sh'], tty: true, interactive: true });
    const { sessionId } = await rt.start(id, { interactive: true }) as { sessionId: string };
    await rt.pause('frozen');
    await expect(rt.sessionLine(sessionId, 'echo hi')).rejects.toThrow('Error response from daemon: Container frozen is paused, unpause the container before exec');
    await expect(rt.exec('frozen', ['true'])).rejects.toThrow('Error response from daemon: Container frozen is paused, unpause the container before exec');
    await rt.unpause('frozen');
    expect((await rt.sessionLine(sessionId, 'echo hi')).stdout).toBe('hi\n');
  }, 20_000);
});
