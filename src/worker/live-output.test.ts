/**
 * The worker's batching of a process's output for the page: pieces pushed in one synchronous run
 * are merged per stream, in order; `streamed` resolves only after the listener has finished with
 * the last batch (the page handles output before the call's result), and a throwing listener does
 * not lose the result.
 */
import { describe, expect, it } from 'vitest';
import { liveOutput, streamed } from './live-output.ts';

describe('worker live output', () => {
  it('merges pieces pushed before the next microtask, per run of one stream, in order', async () => {
    const calls: [string, string][] = [];
    const live = liveOutput((stream, text) => void calls.push([stream, text]));
    live.push!('stdout', 'a');
    live.push!('stdout', 'b');
    live.push!('stderr', 'e');
    live.push!('stdout', 'c');
    await Promise.resolve();
    live.push!('stdout', 'd');
    await live.done();
    expect(calls).toEqual([['stdout', 'ab'], ['stderr', 'e'], ['stdout', 'c'], ['stdout', 'd']]);
  });

  it('streamed returns after the listener has handled the last output', async () => {
    const handled: string[] = [];
    // A page-side handler that takes a while (a comlink call is a round trip).
    const slow = (_s: 'stdout' | 'stderr', text: string) => new Promise<void>((r) => setTimeout(() => (handled.push(text), r()), 30)) as unknown as void;
    const result = await streamed(slow, async (push) => {
      push!('stdout', 'one\n');
      await new Promise((r) => setTimeout(r, 5));
      push!('stdout', 'two\n');
      return 'exit 0';
    });
    expect(result).toBe('exit 0');
    expect(handled).toEqual(['one\n', 'two\n']);
  });

  it('without a listener the call runs unbatched; a throwing listener does not lose the result', async () => {
    expect(await streamed(undefined, async (push) => (push === undefined ? 'no push' : 'push'))).toBe('no push');
    const r = await streamed(() => {
      throw new Error('proxy released');
    }, async (push) => {
      push!('stdout', 'x');
      return 7;
    });
    expect(r).toBe(7);
  });
});
