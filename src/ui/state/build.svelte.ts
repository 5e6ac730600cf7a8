/**
 * One build at a time: sends the request to the worker, feeds its events to the log and the
 * stack, paces it (slow motion, step-by-step), and says where it failed. Its steps and problem are
 * what the editor's marks are derived from (state/editor.svelte.ts).
 */
import * as Comlink from 'comlink';
import type { BuildEvent, ContextFile, StepPreview } from '../../worker/api.ts';
import { BuildLogModel, type LogFormat, type LogGroup } from './build-log.ts';
import type { EngineState } from './engine.svelte.ts';
import type { ImagesState } from './images.svelte.ts';
import type { StackState } from './stack.svelte.ts';
import { SLOW_STEP_MS, type TeachingState } from './teaching.svelte.ts';

type StepEvent = Extract<BuildEvent, { type: 'step' }>;

/** One step of the last build. */
export interface StepRow {
  step: number;
  instruction: string;
  outcome: StepEvent['outcome'];
  cached?: boolean;
  reason?: string;
  size?: number;
  /** Compressed blob digest of the layer the step made (undefined until it is compressed, at save or push). */
  digest?: string;
  /** DiffID of the layer the step made. */
  diffId?: string;
  /** How long the step took in this build (about 0 for a cache hit). */
  durationMs?: number;
  /** Simulation: how long it would take for real, where the engine models it (npm installs). */
  simulatedMs?: number;
  line: number;
}

/** What the user asked to build. */
export interface BuildInput {
  dockerfile: string;
  files: ContextFile[];
  dockerignore?: string;
  tag: string;
  noCache?: boolean;
  /** The workspace's build clock (see Workspace.epochMs). */
  epochMs?: number;
}

export type BuildPhase = 'idle' | 'building' | 'done' | 'failed' | 'stopped';

export class BuildState {
  phase = $state<BuildPhase>('idle');
  steps = $state.raw<StepRow[]>([]);
  /** The failure of the last build (message, and where if known). */
  problem = $state<{ message: string; line?: number; column?: number; endLine?: number; endColumn?: number } | undefined>(undefined);
  /** Build check warnings of the last build (BuildKit's rules), located for the editor. */
  warnings = $state.raw<{ message: string; line: number; column: number; endLine: number; endColumn: number; rule?: string; url?: string }[]>([]);
  log = $state.raw<LogGroup[]>([]);
  format = $state<LogFormat>('plain');
  fsEvents = $state(0);
  /** The instruction the build is paused before (step-by-step) or about to run (slow motion). */
  next = $state<(StepPreview & { waiting: boolean }) | null>(null);
  /** The step running now, for the status line. */
  running = $state('');
  /** Builds started since the page opened; the summary names the last one. */
  count = $state(0);
  /** One line about the last build: "Build 3: done in 0.4 s · 3 cached · 1 rebuilt". */
  summary = $state('');
  /** Layers of the last built image, base included (0 until a build succeeds). */
  layerCount = $state(0);
  /** The last time each instruction really ran (not a cache hit), by its text: what a rebuild would cost. */
  private ranMs = new Map<string, number>();
  private events: BuildEvent[] = [];
  private model = new BuildLogModel('plain');
  private request = 0;
  private release?: () => void;
  private activity?: number;

  constructor(
    private readonly engine: EngineState,
    private readonly stack: StackState,
    private readonly images: ImagesState,
    private readonly teaching: TeachingState,
  ) {}

  get building(): boolean {
    return this.phase === 'building';
  }

  /**
   * For each step of the last build, by its Dockerfile line: how long it took when it last really ran
   * (this build, or the build a cache hit reuses), as the engine models it for real hardware where it
   * does (npm installs), else as measured. The hints use it to say what a cache miss costs.
   */
  durationsByLine(): Record<number, number> {
    const out: Record<number, number> = {};
    for (const r of this.steps) {
      const ms = r.cached ? this.ranMs.get(r.instruction) : (r.simulatedMs ?? r.durationMs);
      if (ms !== undefined) out[r.line] = ms;
    }
    return out;
  }

  /** Re-renders the log in the other format. */
  setFormat(format: LogFormat) {
    this.format = format;
    this.model = new BuildLogModel(format);
    for (const e of this.events) this.model.add(e);
    this.log = this.model.snapshot();
  }

  /** Step-by-step mode: lets the paused build run its next instruction. */
  continue() {
    const r = this.release;
    this.release = undefined;
    r?.();
  }

  private async beforeStep(p: StepPreview, id: number): Promise<void> {
    if (id !== this.request) return;
    if (this.teaching.stepMode) {
      this.next = { ...p, waiting: true };
      this.setActivity(`paused before step ${p.step}/${p.totalSteps}: press Next step`);
      await new Promise<void>((r) => (this.release = r));
    } else if (this.teaching.speed === 'slow') {
      this.next = { ...p, waiting: false };
      await new Promise((r) => setTimeout(r, SLOW_STEP_MS));
    }
    if (id === this.request) {
      this.next = null;
      this.setActivity(`building step ${p.step}/${p.totalSteps}: ${p.instruction.split('\n')[0]}`);
    }
  }

  private setActivity(text: string) {
    this.running = text;
    if (this.activity !== undefined) this.engine.update(this.activity, text);
  }

  async build(input: BuildInput) {
    const id = ++this.request;
    this.release?.();
    this.phase = 'building';
    const n = ++this.count;
    const t0 = performance.now();
    this.summary = `Build ${n}: running`;
    this.problem = undefined;
    this.steps = [];
    this.warnings = [];
    this.events = [];
    this.model = new BuildLogModel(this.format);
    this.log = [];
    this.fsEvents = 0;
    this.layerCount = 0;
    this.next = null;
    const tag = input.tag.trim();
    this.stack.beginBuild(`building ${tag || 'an untagged image'}…`);
    if (this.activity !== undefined) this.engine.end(this.activity);
    this.activity = this.engine.begin(`building ${tag || 'image'}: starting`);
    const rows: StepRow[] = [];
    let started: { step?: number; line?: number } | undefined;
    const onEvents = (batch: BuildEvent[]) => {
      if (id !== this.request) return;
      let changed = false;
      const stepsBefore = rows.length;
      for (const e of batch) {
        if (e.type === 'fs') {
          this.fsEvents++;
          continue;
        }
        this.events.push(e);
        if (this.model.add(e)) changed = true;
        if (e.type === 'warning' && e.range) {
          const { start, end } = e.range;
          this.warnings = [...this.warnings, { message: e.message, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, rule: e.rule, url: e.url }];
        }
        if (e.type === 'vertex-start' && e.kind === 'step') started = { step: e.step, line: e.range?.start.line };
        if (e.type === 'vertex-start') this.setActivity(e.kind === 'step' ? `building step ${e.step}: ${e.name}` : e.name);
        if (e.type === 'step') {
          rows.push({ step: e.step, instruction: e.instruction, outcome: e.outcome, cached: e.cache?.hit, reason: e.cache?.reason, size: e.layer?.size, digest: e.layer?.digest, diffId: e.layer?.diffId, durationMs: e.durationMs, simulatedMs: e.simulatedMs, line: e.range.start.line });
          if (!e.cache?.hit && (e.outcome === 'layer' || e.outcome === 'empty')) this.ranMs.set(e.instruction, e.simulatedMs ?? e.durationMs);
          this.stack.onStep(e);
        }
      }
      if (changed) this.log = this.model.snapshot();
      // Most batches are filesystem events only: a new array would re-derive the editor's marks for nothing.
      if (rows.length !== stepsBefore) this.steps = [...rows];
    };
    try {
      const api = await this.engine.api();
      const res = await api.builds.buildBatched(
        { dockerfile: input.dockerfile, files: input.files, dockerignore: input.dockerignore, tags: tag ? [tag] : [], noCache: input.noCache, epochMs: input.epochMs },
        Comlink.proxy(onEvents),
        Comlink.proxy((p: StepPreview) => this.beforeStep(p, id)),
      );
      if (id !== this.request) return;
      this.setActivity('reading the new image');
      await this.images.refresh();
      const layers = await api.images.layers(res.imageId);
      if (id !== this.request) return;
      this.layerCount = layers.length;
      this.stack.finishBuild(tag || res.imageId.slice(7, 19), layers, res.imageId);
      await this.images.select(res.imageId, false);
      const layerSteps = rows.filter((r) => r.outcome === 'layer' || r.outcome === 'empty');
      const cached = layerSteps.filter((r) => r.cached).length;
      this.summary = `Build ${n}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s · ${cached} cached · ${layerSteps.length - cached} rebuilt`;
      this.phase = 'done';
    } catch (e) {
      if (id !== this.request) return;
      const err = e as Error & { range?: { start: { line: number; column: number }; end?: { line: number; column: number } } };
      const r = err.range;
      this.problem = { message: err.message, line: r?.start.line, column: r?.start.column, endLine: r?.end?.line, endColumn: r?.end?.column };
      const step = r && started?.line === r.start.line ? started.step : undefined;
      this.stack.failBuild({ message: err.message, line: r?.start.line, step, instruction: r ? input.dockerfile.split('\n')[r.start.line - 1] : undefined });
      this.summary = `Build ${n}: failed${r ? ` at line ${r.start.line}` : ''}`;
      this.phase = 'failed';
    } finally {
      if (id === this.request) {
        this.next = null;
        this.running = '';
        if (this.activity !== undefined) this.engine.end(this.activity);
        this.activity = undefined;
      }
    }
  }

  /** Stop: a runaway RUN cannot be interrupted inside the worker, so the worker is replaced. */
  stop() {
    this.request++;
    this.release = undefined;
    this.engine.client.restart();
    this.next = null;
    this.running = '';
    if (this.activity !== undefined) this.engine.end(this.activity);
    this.activity = undefined;
    this.phase = 'stopped';
    this.summary = `Build ${this.count}: stopped`;
    const message = 'Build stopped: the engine worker was restarted. Your Dockerfile, context and images are kept.';
    this.problem = { message };
    this.stack.failBuild({ message });
  }
}
