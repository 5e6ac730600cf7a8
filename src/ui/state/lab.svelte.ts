/**
 * The lab's state: images in the store, the selected image's layer stack, and the selected
 * layer's entries. Snapshots from the worker are replaced whole ($state.raw).
 */
import * as Comlink from 'comlink';
import { EngineClient, classicProgress, plainProgress, type WorkerStatus } from '../../worker/client.ts';
import type { BuildEvent, CatalogEntry, ContextFile, EngineApi, EngineEvent, ImageSummary, LayerEntryView, LayerView } from '../../worker/api.ts';
import { ActivityState } from './activity.svelte.ts';

/** One step of the last build, as the build panel lists it. */
export interface StepRow {
  step: number;
  instruction: string;
  outcome: string;
  cached?: boolean;
  reason?: string;
  size?: number;
  /** Compressed blob digest of the layer the step made. */
  digest?: string;
  line: number;
}

/** Where the last build failed, for the editor. */
export interface BuildProblem {
  message: string;
  line?: number;
  column?: number;
  /** End of the range, exclusive column (the engine's SourceRange end). */
  endLine?: number;
  endColumn?: number;
}

export class LabState {
  readonly client = new EngineClient();
  /** Work in flight and the current pull's layers (the status line and pull display read it). */
  readonly activity = new ActivityState();
  status = $state<WorkerStatus>('idle');
  message = $state('');
  error = $state('');
  busy = $state(false);
  catalog = $state.raw<CatalogEntry[]>([]);
  images = $state.raw<ImageSummary[]>([]);
  selectedImage = $state<string | undefined>(undefined);
  layers = $state.raw<LayerView[]>([]);
  selectedLayer = $state<number | undefined>(undefined);
  entries = $state.raw<LayerEntryView[]>([]);
  building = $state(false);
  buildLog = $state('');
  progressMode = $state<'plain' | 'classic'>('plain');
  steps = $state.raw<StepRow[]>([]);
  problem = $state<BuildProblem | undefined>(undefined);
  /** Build check warnings of the last build, located for the editor. */
  warnings = $state.raw<{ message: string; line: number; column: number; endLine: number; endColumn: number; rule?: string; url?: string }[]>([]);
  fsEventCount = $state(0);
  private events: BuildEvent[] = [];
  /** Build requests are numbered apart from reads, so a build is not superseded by the reads it triggers. */
  private buildRequest = 0;
  /** Monotonic request id: results of superseded requests are ignored. */
  private requestId = 0;
  /** The worker whose events this state listens to (a restarted worker needs a new subscription). */
  private watched?: Comlink.Remote<EngineApi>;

  constructor() {
    this.client.onStatus = (s, detail) => {
      this.status = s;
      // A stopped or crashed worker finishes nothing it was doing.
      if (s === 'idle' || s === 'crashed') this.activity.reset();
      if (s === 'crashed') this.error = `The engine stopped (${detail}). Your images are kept; it restarts on the next action.`;
    };
  }

  /** The status line: `engine: ready` only when nothing is in flight, else what is running. */
  get statusText(): string {
    if (this.status === 'ready' && this.activity.working) return `engine: busy — ${this.activity.label || 'working'}…`;
    return `engine: ${this.status}`;
  }

  /** The remote engine, subscribed to its events (pull progress) once per worker. */
  private async engine(): Promise<Comlink.Remote<EngineApi>> {
    const engine = await this.client.engine();
    if (this.watched !== engine) {
      this.watched = engine;
      await engine.events.watch(Comlink.proxy((e: EngineEvent) => this.activity.onEngineEvent(e)));
    }
    return engine;
  }

  private async run<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    this.error = '';
    const end = this.activity.begin(what);
    try {
      return await fn();
    } catch (e) {
      this.error = `${what}: ${e instanceof Error ? e.message : String(e)}`;
      return undefined;
    } finally {
      end();
      this.busy = false;
    }
  }

  async start() {
    await this.run('starting the engine', async () => {
      const engine = await this.engine();
      this.catalog = await engine.registries.catalog();
      await this.refreshImages();
    });
  }

  async refreshImages() {
    const engine = await this.engine();
    this.images = await engine.images.list();
    if (!this.selectedImage && this.images.length) await this.selectImage(this.images[0].imageId);
  }

  async pull(ref: string) {
    await this.run(`pulling ${ref}`, async () => {
      const engine = await this.engine();
      const res = await engine.registries.pull(ref);
      this.message = res.lines.join('\n');
      await this.refreshImages();
      const img = this.images.find((i) => `${i.repository}:${i.tag}` === ref || i.repository === ref);
      if (img) await this.selectImage(img.imageId);
    });
  }

  async selectImage(imageId: string) {
    const id = ++this.requestId;
    this.selectedImage = imageId;
    this.selectedLayer = undefined;
    this.entries = [];
    await this.run('reading layers', async () => {
      const engine = await this.engine();
      const layers = await engine.images.layers(imageId);
      if (id === this.requestId) this.layers = layers;
    });
  }

  async selectLayer(index: number) {
    const id = ++this.requestId;
    this.selectedLayer = index;
    const layer = this.layers[index];
    if (!layer) return;
    await this.run('reading layer', async () => {
      const engine = await this.engine();
      const entries = await engine.images.layerEntries(layer.diffId);
      if (id === this.requestId) this.entries = entries;
    });
  }

  /** Re-renders the log of the last build in the chosen format. */
  setProgressMode(mode: 'plain' | 'classic') {
    this.progressMode = mode;
    const printer = mode === 'classic' ? classicProgress() : plainProgress();
    this.buildLog = this.events.map((e) => printer(e)).join('');
  }

  async build(req: { dockerfile: string; files: ContextFile[]; dockerignore?: string; tag: string; noCache?: boolean }) {
    const id = ++this.buildRequest;
    this.building = true;
    this.error = '';
    this.problem = undefined;
    this.warnings = [];
    this.steps = [];
    this.events = [];
    this.buildLog = '';
    this.fsEventCount = 0;
    const end = this.activity.begin(`building ${req.tag || 'image'}`);
    const printer = this.progressMode === 'classic' ? classicProgress() : plainProgress();
    const files = req.files;
    const rows: StepRow[] = [];
    const onEvents = (batch: BuildEvent[]) => {
      if (id !== this.buildRequest) return;
      let text = '';
      for (const e of batch) {
        this.events.push(e);
        text += printer(e);
        if (e.type === 'fs') this.fsEventCount++;
        if (e.type === 'warning' && e.range) {
          const { start, end } = e.range;
          this.warnings = [...this.warnings, { message: e.message, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, rule: e.rule, url: e.url }];
        }
        if (e.type === 'step') {
          rows.push({ step: e.step, instruction: e.instruction, outcome: e.outcome, cached: e.cache?.hit, reason: e.cache?.reason, size: e.layer?.size, digest: e.layer?.digest, line: e.range.start.line });
        }
      }
      this.buildLog += text;
      this.steps = [...rows];
    };
    try {
      const engine = await this.engine();
      const dockerignore = req.dockerignore;
      const res = await engine.builds.buildBatched({ dockerfile: req.dockerfile, files, dockerignore, tags: req.tag ? [req.tag] : [], noCache: req.noCache }, Comlink.proxy(onEvents));
      if (id !== this.buildRequest) return;
      await this.refreshImages();
      await this.selectImage(res.imageId);
    } catch (e) {
      if (id !== this.buildRequest) return;
      const err = e as Error & { range?: { start: { line: number; column: number }; end: { line: number; column: number } } };
      this.problem = { message: err.message, line: err.range?.start.line, column: err.range?.start.column, endLine: err.range?.end.line, endColumn: err.range?.end.column };
    } finally {
      end();
      if (id === this.buildRequest) this.building = false;
    }
  }

  /** Stop: a runaway RUN cannot be interrupted inside the worker, so the worker is replaced. */
  stopBuild() {
    this.buildRequest++;
    this.client.restart();
    this.building = false;
    this.problem = { message: 'Build stopped: the engine worker was restarted. Your Dockerfile, context and images are kept.' };
  }

  async loadArchive(file: File) {
    await this.run(`loading ${file.name}`, async () => {
      const engine = await this.engine();
      const lines = await engine.images.load(new Uint8Array(await file.arrayBuffer()));
      this.message = lines.join('\n');
      await this.refreshImages();
    });
  }

  async saveSelected(): Promise<{ name: string; bytes: Uint8Array } | undefined> {
    const img = this.images.find((i) => i.imageId === this.selectedImage);
    if (!img) return undefined;
    const ref = img.repository === '<none>' ? img.imageId : `${img.repository}:${img.tag}`;
    return this.run(`saving ${ref}`, async () => {
      const engine = await this.engine();
      const bytes = await engine.images.save([ref]);
      return { name: `${ref.replace(/[^a-z0-9._-]+/gi, '_')}.tar`, bytes };
    });
  }
}
