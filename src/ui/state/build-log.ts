/**
 * The build log as collapsible groups: one per BuildKit vertex (`#5 [2/4] RUN …`) in plain mode,
 * one per `Step N/M` in classic mode, each with its step's cache reason. Text comes from the same
 * printers the CLI uses; grouping only decides where each printed chunk goes.
 */
import { classicProgress, plainProgress } from '../../worker/client.ts';
import type { BuildEvent } from '../../worker/api.ts';

/** One collapsible part of the log. */
export interface LogGroup {
  id: string;
  /** First line (`#5 [2/4] RUN …` / `Step 2/4 : RUN …`). */
  title: string;
  /** The rest of the group's text. */
  body: string;
  state: 'running' | 'done' | 'cached' | 'error' | 'info';
  step?: number;
  /** Why the step was cached or rebuilt, in a student's words. */
  reason?: string;
}

/** Keeps at most this many characters of one group's output (the tail), so a chatty RUN stays cheap to draw. */
const MAX_BODY = 64 * 1024;

export type LogFormat = 'plain' | 'classic';

export class BuildLogModel {
  private readonly print: (e: BuildEvent) => string;
  private readonly groups = new Map<string, LogGroup>();
  private readonly order: string[] = [];
  private readonly stepOfVertex = new Map<number, number>();
  private readonly groupOfStep = new Map<number, string>();
  private current = '';
  private info = 0;

  constructor(readonly format: LogFormat) {
    this.print = format === 'classic' ? classicProgress() : plainProgress();
  }

  /** Feeds one event; returns true when a group changed. */
  add(e: BuildEvent): boolean {
    if (e.type === 'vertex-start' && e.step !== undefined) this.stepOfVertex.set(e.vertex, e.step);
    const text = this.print(e);
    let changed = false;
    if (text) {
      const id = this.groupFor(e, text);
      this.append(id, text);
      changed = true;
    }
    if (e.type === 'step' && e.outcome !== 'metadata' && e.cache) {
      const id = this.groupOfStep.get(e.step) ?? (e.vertex !== undefined ? `v${e.vertex}` : undefined);
      const g = id ? this.groups.get(id) : undefined;
      if (g && e.outcome !== 'from') {
        this.groups.set(id!, { ...g, step: e.step, reason: `${e.cache.hit ? 'CACHED' : 'rebuilt'}: ${e.cache.reason}` });
        changed = true;
      }
    }
    if (e.type === 'vertex-done') {
      const id = this.format === 'plain' ? `v${e.vertex}` : this.groupOfStep.get(this.stepOfVertex.get(e.vertex) ?? -1);
      const g = id ? this.groups.get(id) : undefined;
      if (g) {
        this.groups.set(id!, { ...g, state: e.error ? 'error' : e.cached ? 'cached' : 'done' });
        changed = true;
      }
    }
    if (e.type === 'build-error' && this.format === 'classic') {
      const g = this.groups.get(this.current);
      if (g) this.groups.set(this.current, { ...g, state: 'error' });
    }
    return changed;
  }

  private groupFor(e: BuildEvent, text: string): string {
    if (this.format === 'plain') {
      if ('vertex' in e && typeof e.vertex === 'number' && e.type !== 'build-error') {
        if (e.type === 'vertex-start' && e.step !== undefined) this.groupOfStep.set(e.step, `v${e.vertex}`);
        return `v${e.vertex}`;
      }
      return `i${this.info++}`;
    }
    // classic: a "Step N/M" line opens a group; everything else continues the current one.
    if (text.startsWith('Step ')) {
      const step = e.type === 'vertex-start' ? e.step : e.type === 'step' ? e.step : undefined;
      this.current = `s${step ?? this.info++}`;
      if (step !== undefined) this.groupOfStep.set(step, this.current);
      return this.current;
    }
    if (e.type === 'build-done' || e.type === 'build-error' || !this.current) return `i${this.info++}`;
    return this.current;
  }

  private append(id: string, text: string) {
    const g = this.groups.get(id);
    if (!g) {
      const nl = text.indexOf('\n');
      const title = nl < 0 ? text : text.slice(0, nl);
      const body = nl < 0 ? '' : text.slice(nl + 1);
      this.groups.set(id, { id, title, body, state: id.startsWith('i') ? 'info' : 'running' });
      this.order.push(id);
      return;
    }
    let body = g.body + text;
    if (body.length > MAX_BODY) body = `… (earlier output cut)\n${body.slice(-MAX_BODY)}`;
    this.groups.set(id, { ...g, body });
  }

  /** The groups in order (unchanged groups keep their identity between calls). */
  snapshot(): LogGroup[] {
    return this.order.map((id) => this.groups.get(id)!);
  }
}
