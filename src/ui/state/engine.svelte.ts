/**
 * The connection to the engine worker and the status line: what the engine is doing right now.
 * Every long operation registers an activity; the status says "ready" only when none runs.
 */
import * as Comlink from 'comlink';
import { EngineClient, humanSize, type WorkerStatus } from '../../worker/client.ts';
import type { EngineApi, EngineEvent } from '../../worker/api.ts';
import { ActivityState } from './activity.svelte.ts';

/** One operation in progress, shown in the status line. */
export interface Activity {
  id: number;
  text: string;
}

export class EngineState {
  readonly client: EngineClient;
  status = $state<WorkerStatus>('idle');
  /** Why the worker stopped, when it crashed. */
  crash = $state('');
  activities = $state.raw<Activity[]>([]);
  /** The latest registry transfer seen (pulls during a build show here). */
  transfer = $state('');
  /** docker pull's per-layer board, folded from registry events (a build's FROM pulls too). */
  readonly pulls = new ActivityState();
  private nextId = 1;
  private watched?: Comlink.Remote<EngineApi>;

  /** `memoryStore`: the worker keeps images in memory only (an embed), not in the page origin's IndexedDB. */
  constructor(options: { memoryStore?: boolean } = {}) {
    this.client = new EngineClient({ memoryStore: options.memoryStore });
    this.client.onStatus = (s, detail) => {
      this.status = s;
      if (s === 'crashed') this.crash = `The engine stopped (${detail}). Your images are kept; it restarts on the next action.`;
      if (s === 'ready') this.crash = '';
      if (s === 'idle' || s === 'crashed') this.pulls.reset();
    };
  }

  /** The remote engine (starting the worker on first use), subscribed to registry transfers. */
  async api(): Promise<Comlink.Remote<EngineApi>> {
    const api = await this.client.engine();
    if (api !== this.watched) {
      this.watched = api;
      await api.events.watchBatched(Comlink.proxy((events: EngineEvent[]) => {
        for (const e of events) this.onEngineEvent(e);
      }));
    }
    return api;
  }

  /** Other state areas' subscriptions to engine events (containers: union events), kept across worker restarts. */
  readonly listeners = new Set<(e: EngineEvent) => void>();

  private onEngineEvent(e: EngineEvent) {
    this.pulls.onEngineEvent(e);
    for (const l of this.listeners) l(e);
    if (e.source !== 'registry' || e.type !== 'blob') return;
    const verbs: Record<string, string> = { downloaded: 'downloaded', 'already-exists': 'already exists', pushed: 'pushed', exists: 'layer already exists', mounted: 'mounted' };
    const verb = verbs[e.action] ?? e.action;
    this.transfer = `${e.registry}/${e.repository}: ${e.kind} ${e.digest.slice(7, 19)} ${humanSize(e.size)} ${verb}`;
  }

  /** Registers an operation; returns its id for `update`/`end`. */
  begin(text: string): number {
    const id = this.nextId++;
    this.activities = [...this.activities, { id, text }];
    return id;
  }

  update(id: number, text: string) {
    this.activities = this.activities.map((a) => (a.id === id ? { id, text } : a));
  }

  end(id: number) {
    this.activities = this.activities.filter((a) => a.id !== id);
    if (!this.activities.length) {
      this.transfer = '';
      this.pulls.flush();
    }
  }

  /** Runs `fn` as an activity. */
  async track<T>(text: string, fn: () => Promise<T>): Promise<T> {
    const id = this.begin(text);
    try {
      return await fn();
    } finally {
      this.end(id);
    }
  }

  get busy(): boolean {
    return this.activities.length > 0 || this.pulls.working;
  }

  /** The status line: never "ready" while an activity runs or the worker is not up. */
  get statusText(): string {
    const a = this.activities.at(-1);
    const pull = this.pulls.working ? this.pulls.label : this.transfer;
    if (a) return `engine: working · ${a.text}${pull ? ` · ${pull}` : ''}`;
    if (this.pulls.working) return `engine: working · ${this.pulls.label}`;
    if (this.status === 'ready') return 'engine: ready';
    if (this.status === 'starting') return 'engine: starting';
    if (this.status === 'crashed') return 'engine: crashed (restarts on the next action)';
    return 'engine: idle (starts on the next action)';
  }
}
