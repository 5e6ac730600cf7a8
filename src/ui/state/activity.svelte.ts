/**
 * What the engine is doing right now, for the status line and the pull-progress display: the
 * operations the page has in flight (pull, build, load, save…) and docker pull's per-layer board,
 * folded from the engine's registry events. The status never reads "ready" while `working`.
 */
import { applyPullEvent, pullInProgress, type PullRow } from '../../worker/client.ts';
import type { EngineEvent } from '../../worker/api.ts';

export class ActivityState {
  /** Labels of operations in flight, oldest first (`pulling node:22-alpine`, `building app:latest`). */
  tasks = $state.raw<string[]>([]);
  /** The current (or last) pull's layers, one row each, as `docker pull` shows them. */
  pullRows = $state.raw<PullRow[]>([]);
  /** The repository the board is about (`docker.io/library/node`). */
  pullRepository = $state('');
  /** Events are still being played onto the board. */
  playing = $state(false);

  /** True while any operation or layer transfer is in flight. */
  get working(): boolean {
    return this.tasks.length > 0 || pullInProgress(this.pullRows) || this.playing;
  }

  /** What to tell the reader: the newest operation, and the pull's layer count while one runs. */
  get label(): string {
    const task = this.tasks[this.tasks.length - 1] ?? '';
    if (!pullInProgress(this.pullRows) && !this.playing) return task;
    const done = this.pullRows.filter((r) => r.status === 'Pull complete' || r.status === 'Already exists').length;
    const pull = `pulling ${this.pullRepository} (${done}/${this.pullRows.length} layers)`;
    return task && !task.startsWith('pulling') ? `${task} · ${pull}` : pull;
  }

  /** Marks an operation as started; call the returned function when it ends (success or not). */
  begin(label: string): () => void {
    this.tasks = [...this.tasks, label];
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const i = this.tasks.indexOf(label);
      if (i >= 0) this.tasks = [...this.tasks.slice(0, i), ...this.tasks.slice(i + 1)];
      // The work is over: a board still playing jumps to its end (never shown as current afterwards).
      if (!this.tasks.length) this.flush();
    };
  }

  /**
   * Milliseconds between two steps of the board (0: apply events as they come). A catalog pull is
   * metadata only and its events reach the page in one batch; played back one step at a time, the
   * board moves the way `docker pull`'s does, and the status stays busy until it has finished.
   */
  stepMs: () => number = () => 0;
  private queue: EngineEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Folds one engine event in: a fetched manifest starts a pull's board, layer progress fills it. */
  onEngineEvent(e: EngineEvent) {
    if (e.source !== 'registry') return;
    const step = this.stepMs();
    if (step <= 0 && !this.queue.length) return this.apply(e);
    this.queue.push(e);
    if (this.timer === undefined) {
      this.playing = true;
      this.playNext();
    }
  }

  private playNext() {
    const e = this.queue.shift();
    if (!e) {
      this.timer = undefined;
      this.playing = false;
      return;
    }
    this.apply(e);
    const step = this.stepMs();
    // Only layer progress takes a step of time; the rest (a fetched manifest) is applied at once.
    if (step <= 0 || e.source !== 'registry' || e.type !== 'progress') this.playNext();
    else this.timer = setTimeout(() => this.playNext(), step);
  }

  private apply(e: EngineEvent) {
    if (e.source !== 'registry') return;
    if (e.type === 'manifest' && e.action === 'fetched') {
      const repository = `${e.registry}/${e.repository}`;
      // An index is fetched first, then the platform's manifest: one pull, one board.
      if (repository !== this.pullRepository || !pullInProgress(this.pullRows)) this.pullRows = [];
      this.pullRepository = repository;
    } else if (e.type === 'progress') {
      this.pullRows = applyPullEvent(this.pullRows, e);
    }
  }

  /** Forgets operations and transfers in flight (the worker was replaced: they will not finish). */
  /** Applies what is still queued at once (the work is over, or the page moves on). */
  flush() {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const e of this.queue.splice(0)) this.apply(e);
    this.playing = false;
  }

  reset() {
    this.flush();
    this.tasks = [];
    this.pullRows = this.pullRows.filter((r) => r.status === 'Pull complete' || r.status === 'Already exists');
  }
}
