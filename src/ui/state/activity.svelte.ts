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

  /** True while any operation or layer transfer is in flight. */
  get working(): boolean {
    return this.tasks.length > 0 || pullInProgress(this.pullRows);
  }

  /** What to tell the reader: the newest operation, and the pull's layer count while one runs. */
  get label(): string {
    const task = this.tasks[this.tasks.length - 1] ?? '';
    if (!pullInProgress(this.pullRows)) return task;
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
    };
  }

  /** Folds one engine event in: a fetched manifest starts a pull's board, layer progress fills it. */
  onEngineEvent(e: EngineEvent) {
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
  reset() {
    this.tasks = [];
    this.pullRows = this.pullRows.filter((r) => r.status === 'Pull complete' || r.status === 'Already exists');
  }
}
