/**
 * The UI's handle on the engine worker: starts it lazily, restarts it after a crash (the store is
 * persisted in IndexedDB, so a new worker reloads everything), and can terminate a stuck worker
 * (a tight shell loop cannot be interrupted cooperatively).
 */
import * as Comlink from 'comlink';
import type { EngineApi } from './api.ts';
import { installWire } from './wire.ts';

installWire();

/** Build output printers (pure functions over BuildEvents), re-exported for the UI. */
export { plainProgress, classicProgress } from '../engine/builder/progress.ts';
/** docker pull's per-layer board (one row per layer, docker's wording), folded from engine events. */
export { applyPullEvent, formatPullRow, pullInProgress, type PullRow } from '../engine/registry/pull-progress.ts';
/** docker's size and duration texts, the same the CLI prints. */
export { humanSize, humanDuration } from '../engine/units.ts';
export { onStoreChanged } from './store-channel.ts';

/** The worker's name when it must keep its store in memory (read by worker/main.ts). */
export const MEMORY_WORKER_NAME = 'layerlab-engine:memory';

/** Status a UI can show. */
export type WorkerStatus = 'idle' | 'starting' | 'ready' | 'crashed';

export class EngineClient {
  private worker?: Worker;
  private remote?: Comlink.Remote<EngineApi>;
  private starting?: Promise<Comlink.Remote<EngineApi>>;
  status: WorkerStatus = 'idle';
  onStatus?: (s: WorkerStatus, detail?: string) => void;

  /**
   * `memoryStore`: the worker keeps its store in memory (an embed), so embeds on one docs page neither
   * share nor lock the origin's IndexedDB store; a restart after Stop then starts empty.
   */
  constructor(private readonly options: { memoryStore?: boolean } = {}) {}

  private setStatus(s: WorkerStatus, detail?: string) {
    this.status = s;
    this.onStatus?.(s, detail);
  }

  /** The remote engine, starting the worker on first use. */
  engine(): Promise<Comlink.Remote<EngineApi>> {
    if (this.remote) return Promise.resolve(this.remote);
    if (this.starting) return this.starting;
    this.setStatus('starting');
    this.starting = new Promise((resolve, reject) => {
      const w = new Worker(new URL('./main.ts', import.meta.url), { type: 'module', name: this.options.memoryStore ? MEMORY_WORKER_NAME : 'layerlab-engine' });
      this.worker = w;
      const onMessage = (ev: MessageEvent) => {
        if (ev.data?.type === 'layerlab-ready') {
          w.removeEventListener('message', onMessage);
          this.remote = Comlink.wrap<EngineApi>(w);
          this.starting = undefined;
          this.setStatus('ready');
          resolve(this.remote);
        }
      };
      w.addEventListener('message', onMessage);
      w.addEventListener('error', (ev) => {
        const msg = ev.message || 'worker failed';
        this.reset();
        this.setStatus('crashed', msg);
        reject(new Error(`engine worker crashed: ${msg}`));
      });
    });
    return this.starting;
  }

  private reset() {
    this.worker?.terminate();
    this.worker = undefined;
    this.remote = undefined;
    this.starting = undefined;
  }

  /** Terminates the worker (Stop on a runaway RUN); the next call starts a fresh one from the persisted store. */
  restart(): void {
    this.reset();
    this.setStatus('idle');
  }
}
