/// <reference lib="webworker" />
/**
 * Worker entry: builds the engine on the browser host and exposes its services with comlink. Build events
 * are batched (one message per animation-sized slice) because a RUN can change thousands of files.
 */
import * as Comlink from 'comlink';
import { createEngine, createMachine, preloadShell, type BuildEvent, type StepPreview } from '../engine/index.ts';
import type { ContainerEngine, EngineApi, EngineEvent, WorkerBuildEngine, WorkerEventEngine } from './api.ts';
import { browserHost } from './host-browser.ts';
import { installWire } from './wire.ts';
import { streamed } from './live-output.ts';

installWire();
// The built site uses a relative base (it works from any path): this worker file then sits in
// assets/, and the app's root, where catalog/ lives, is the folder above it.
const appBase = import.meta.env.BASE_URL.startsWith('/') ? import.meta.env.BASE_URL : '../';
// An embed's worker (named by client.ts) keeps its store in memory: embeds on one page stay apart.
const host = await browserHost(appBase, { memoryStore: self.name === 'layerlab-engine:memory' });
const engine = createEngine(host);
/** The lab's "second machine": an empty store of its own in the same database, the same registries. */
const secondMachine = createMachine(engine, host, 'second');

/** Wraps an event callback so events reach the UI in batches every ~30 ms. */
function batched(cb: (events: BuildEvent[]) => void | Promise<void>): { push: (e: BuildEvent) => void; flush: () => void | Promise<void> } {
  let buf: BuildEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The last delivery: awaiting it means the UI has handled every batch sent so far (one channel, in order). */
  let delivered: void | Promise<void>;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (buf.length) {
      const out = buf;
      buf = [];
      delivered = cb(out);
    }
    return delivered;
  };
  return {
    push(e) {
      buf.push(e);
      // A step start goes out at once: the step may keep the worker busy (a RUN in a tight loop
      // never yields), and the UI must know what is running to offer Stop.
      if (e.type === 'vertex-start' || e.type === 'step') flush();
      else timer ??= setTimeout(flush, 30);
    },
    flush,
  };
}

const builds: WorkerBuildEngine = {
  build: (req, onEvent, hooks) => engine.builds.build(req, onEvent, hooks),
  cancel: (buildId) => engine.builds.cancel(buildId),
  pruneCache: () => engine.builds.pruneCache(),
  async buildBatched(req, onEvents, beforeStep) {
    const b = batched(onEvents);
    // The UI sees every event of the steps before a pause before it is asked to pause: each
    // comlink proxy has its own channel, so the flush is awaited rather than merely sent first.
    const hooks = beforeStep ? { beforeStep: async (p: StepPreview) => { await b.flush(); await beforeStep(p); } } : {};
    try {
      return await engine.builds.build(req, b.push, hooks);
    } finally {
      // The result travels on another channel than the events: let the events land first.
      await b.flush();
    }
  },
};

/** Most events per message: a command touching 10,000 files sends a few messages, each quick to clone. */
const EVENTS_PER_MESSAGE = 1000;

/**
 * Engine events in batches: a shell command runs synchronously in the worker, so per-event
 * messages (one comlink call each, with its reply) would queue by the thousand on the page.
 * A batch goes out when it is full, or at the next microtask: a synchronous loop of writes
 * (`touch $(seq 1 10000)`: 20,001 events) goes out as ~21 messages, each before the call's result.
 */
const events: WorkerEventEngine = {
  watch: (listener) => engine.events.watch(listener),
  unwatch: (id) => engine.events.unwatch(id),
  watchBatched(listener) {
    let buf: EngineEvent[] = [];
    let scheduled = false;
    const flush = () => {
      scheduled = false;
      if (!buf.length) return;
      const out = buf;
      buf = [];
      void Promise.resolve(listener(out)).catch(() => undefined);
    };
    return engine.events.watch((e) => {
      buf.push(e);
      if (buf.length >= EVENTS_PER_MESSAGE) flush();
      else if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    });
  },
};

/**
 * The container service with its output callbacks (comlink proxies from the page: `run`, `start`,
 * `exec`, `sessionLine`) batched by liveOutput; every other method is the engine's own.
 */
const rt = engine.containers;
const liveContainers: Partial<ContainerEngine> = {
  run: (opts, onOutput) => streamed(onOutput, (push) => rt.run(opts, push)),
  start: (ref, opts, onOutput) => streamed(onOutput, (push) => rt.start(ref, opts, push)),
  exec: (ref, command, opts, onOutput) => streamed(onOutput, (push) => rt.exec(ref, command, opts, push)),
  sessionLine: (sessionId, line, stdin, onOutput) => streamed(onOutput, (push) => rt.sessionLine(sessionId, line, stdin, push)),
};
const containers = new Proxy(rt, {
  get(target, prop) {
    if (typeof prop === 'string' && prop in liveContainers) return liveContainers[prop as keyof ContainerEngine];
    const v = Reflect.get(target, prop);
    return typeof v === 'function' ? v.bind(target) : v;
  },
});

/** The services, each proxy-marked so `remote.images.list()` calls into the worker. */
const api: EngineApi = {
  images: Comlink.proxy(engine.images),
  builds: Comlink.proxy(builds),
  containers: Comlink.proxy(containers),
  registries: Comlink.proxy(engine.registries),
  events: Comlink.proxy(events),
  inspector: Comlink.proxy(engine.inspector),
  second: Comlink.proxy({ images: Comlink.proxy(secondMachine.images), registries: Comlink.proxy(secondMachine.registries) }),
};

Comlink.expose(api);
postMessage({ type: 'layerlab-ready' });
// The first RUN would otherwise wait for the shell's chunk (about 1 MB) to load and compile.
setTimeout(() => void preloadShell().catch(() => undefined), 0);
