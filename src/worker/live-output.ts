/**
 * A process's output on its way from the worker to the page (container `run`, `start`, `exec`, a
 * terminal line): the page's callback is a comlink proxy, so each call is a message.
 */
import * as Comlink from 'comlink';
import type { OutputListener } from '../engine/container/api.ts';

/**
 * Batches a listener: chunks pushed before the next microtask go out as one call per run of one
 * stream (a command that writes many pieces synchronously sends one message), and `done()`
 * resolves once the listener has handled the last call, so on the page the output lands before
 * the call's result (which travels on another channel than the callback's).
 */
export function liveOutput(listener: OutputListener | undefined): { push?: OutputListener; done: () => Promise<void> } {
  if (!listener) return { done: async () => undefined };
  let buf: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  let scheduled = false;
  let delivered: Promise<unknown> = Promise.resolve();
  const flush = () => {
    scheduled = false;
    const out = buf;
    buf = [];
    for (const c of out) {
      try {
        delivered = Promise.resolve(listener(c.stream, c.text)).catch(() => undefined);
      } catch {
        // a released or closed page callback: the output still comes back with the result
      }
    }
  };
  return {
    push(stream, text) {
      const last = buf.at(-1);
      if (last?.stream === stream) last.text += text;
      else buf.push({ stream, text });
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    },
    async done() {
      flush();
      await delivered;
    },
  };
}

/** Runs `call` with a batched listener (see liveOutput); its result comes back after the output. */
export async function streamed<T>(listener: OutputListener | undefined, call: (push?: OutputListener) => Promise<T>): Promise<T> {
  const live = liveOutput(listener);
  try {
    return await call(live.push);
  } finally {
    await live.done();
    // The page's callback proxy is done with: free its message channel now rather than at GC.
    (listener as { [Comlink.releaseProxy]?: () => void } | undefined)?.[Comlink.releaseProxy]?.();
  }
}

