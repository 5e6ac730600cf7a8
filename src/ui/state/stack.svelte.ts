/**
 * The layer stack on screen: the layers of the image shown (bottom first), built slab by slab
 * while a build runs, and the previous result kept beside it — greyed once a build fails, so a
 * stale stack never looks current. Also the selected layer (the inspector shows it), and the
 * hover link between slabs and Dockerfile lines.
 */
import type { BuildEvent, LayerView } from '../../worker/api.ts';

type StepEvent = Extract<BuildEvent, { type: 'step' }>;

/** Where a slab came from: the base image, a cache hit, a step that ran, or an image read from the store. */
export type SlabStatus = 'base' | 'cached' | 'rebuilt' | 'stored';

/** A history entry without a layer (ENV, CMD…, or a RUN that changed nothing), drawn as a thin tab. */
export interface StackTab {
  text: string;
  line?: number;
  step?: number;
  /** 'empty': a filesystem step that changed nothing. */
  kind: 'metadata' | 'empty';
}

/** One layer as the stack draws it. */
export interface Slab {
  /** Unique within one stack (position + diffId). */
  key: string;
  /** Position in the image's layers, 0 = bottom. */
  index: number;
  diffId: string;
  /** Compressed blob digest; absent until the layer is gzipped (on save or push). */
  digest?: string;
  size: number;
  compressedSize?: number;
  createdBy: string;
  /** The Dockerfile instruction as written, for layers a build made. */
  instruction?: string;
  status: SlabStatus;
  /** The base image this layer belongs to, for base layers. */
  baseName?: string;
  /** Dockerfile line and step that made it (for base layers: the FROM line). */
  line?: number;
  step?: number;
  reason?: string;
  tabs: StackTab[];
  counts?: LayerView['counts'];
}

/** What became of a previous result's layer during the build that follows it. */
export type PreviousFate = 'waiting' | 'kept' | 'replaced';

/** Where and why the last build failed, for the stack and the editor. */
export interface StackFailure {
  message: string;
  step?: number;
  line?: number;
  instruction?: string;
}

function fromLayerView(l: LayerView, status: SlabStatus): Slab {
  return {
    key: `${l.index}:${l.diffId}`, index: l.index, diffId: l.diffId, digest: l.digest, size: l.size, compressedSize: l.compressedSize,
    createdBy: l.createdBy, status, counts: l.counts, tabs: l.metadataAbove.map((m) => ({ text: m.createdBy, kind: 'metadata' as const })),
  };
}

export class StackState {
  /** The stack shown as "Layers", bottom first. */
  slabs = $state.raw<Slab[]>([]);
  /** What the stack shows: an image name, or the build in progress. */
  title = $state('');
  /** Tabs above the top slab when there is no slab yet (FROM scratch, then ENV…). */
  looseTabs = $state.raw<StackTab[]>([]);
  building = $state(false);
  /** The stack shown before the current (or failed) build started. */
  previous = $state.raw<Slab[] | null>(null);
  previousTitle = $state('');
  previousFate = $state.raw<PreviousFate[]>([]);
  failure = $state<StackFailure | null>(null);
  /** Stage names of a multi-stage build that finished before the one shown. */
  stageNote = $state('');
  baseCollapsed = $state(true);
  selected = $state<number | undefined>(undefined);
  /** The image the stack shows (null while a build runs or after a failed one). */
  imageId = $state<string | null>(null);
  /** The Dockerfile line of the slab under the pointer (the editor highlights it). */
  slabHoverLine = $state<number | null>(null);
  /** The Dockerfile line under the pointer in the editor (its slab lights up). */
  editorHoverLine = $state<number | null>(null);
  /** Slab keys that arrived in the current build, in order (for entrance animations). */
  arrived = $state.raw<Set<string>>(new Set());

  get selectedSlab(): Slab | undefined {
    return this.selected === undefined ? undefined : this.slabs.find((s) => s.index === this.selected);
  }

  /** Shows an image from the store (after a build, `info` keeps each step's cache marks). */
  showImage(title: string, layers: LayerView[], info?: Slab[], imageId: string | null = null) {
    this.title = title;
    this.imageId = imageId;
    this.slabs = layers.map((l) => {
      const built = info?.find((s) => s.index === l.index && s.diffId === l.diffId);
      const slab = fromLayerView(l, built?.status ?? 'stored');
      if (built) Object.assign(slab, { baseName: built.baseName, line: built.line, step: built.step, reason: built.reason, instruction: built.instruction });
      if (built) slab.tabs = built.tabs.length >= slab.tabs.length ? built.tabs : slab.tabs;
      return slab;
    });
    this.looseTabs = [];
    this.failure = null;
    this.previous = null;
    this.selected = undefined;
  }

  /** A build starts: the stack empties and what was shown moves aside as the previous result. */
  beginBuild(title: string) {
    const shown = this.failure ? this.previous : this.slabs;
    const shownTitle = this.failure ? this.previousTitle : this.title;
    this.previous = shown && shown.length ? shown : null;
    this.previousTitle = shownTitle;
    this.previousFate = (this.previous ?? []).map(() => 'waiting');
    this.failure = null;
    this.slabs = [];
    this.looseTabs = [];
    this.stageNote = '';
    this.title = title;
    this.imageId = null;
    this.building = true;
    this.selected = undefined;
    this.arrived = new Set();
  }

  /** One finished build step: a slab settles (or a tab attaches to the top slab). */
  onStep(e: StepEvent) {
    const line = e.range.start.line;
    if (e.outcome === 'from') {
      if (this.slabs.length || this.looseTabs.length) this.stageNote = this.stageNote ? `${this.stageNote}, ${this.title}` : this.title;
      const name = e.base?.name.replace(/^docker\.io\/(library\/)?/, '') ?? 'scratch';
      const slabs = (e.base?.layers ?? []).map((l, i): Slab => ({
        key: `${i}:${l.diffId}`, index: i, diffId: l.diffId, digest: l.digest, size: l.size, compressedSize: l.compressedSize,
        createdBy: `layer ${i + 1} of ${name}`, status: 'base', baseName: name, line, step: e.step, reason: 'base image layer, read from the store', tabs: [],
      }));
      this.slabs = slabs;
      this.looseTabs = [];
      this.title = e.stageName ? `stage ${e.stageName}` : this.title;
      this.settle(slabs.map((s) => s.key));
      this.compareWithPrevious();
      return;
    }
    if (e.outcome === 'layer' && e.layer) {
      const index = this.slabs.length;
      const slab: Slab = {
        key: `${index}:${e.layer.diffId}`, index, diffId: e.layer.diffId, digest: e.layer.digest, size: e.layer.size, compressedSize: e.layer.compressedSize,
        createdBy: e.createdBy ?? e.instruction, instruction: e.instruction.split('\n')[0], status: e.cache?.hit ? 'cached' : 'rebuilt', line, step: e.step, reason: e.cache?.reason, tabs: [],
      };
      this.slabs = [...this.slabs, slab];
      this.settle([slab.key]);
      this.compareWithPrevious();
      return;
    }
    const tab: StackTab = { text: e.outcome === 'empty' ? `${e.instruction.split('\n')[0]} (changed nothing: no layer)` : (e.createdBy ?? e.instruction), line, step: e.step, kind: e.outcome === 'empty' ? 'empty' : 'metadata' };
    const top = this.slabs.at(-1);
    if (top) this.slabs = [...this.slabs.slice(0, -1), { ...top, tabs: [...top.tabs, tab] }];
    else this.looseTabs = [...this.looseTabs, tab];
  }

  /** Slabs that just arrived outside a build (a committed container layer): they animate in once. */
  arrive(keys: string[]) {
    this.arrived = new Set(keys);
  }

  private settle(keys: string[]) {
    const s = new Set(this.arrived);
    for (const k of keys) s.add(k);
    this.arrived = s;
  }

  /** Previous layers the new build reproduced stay; from the first difference up, they are replaced. */
  private compareWithPrevious() {
    if (!this.previous) return;
    let differs = false;
    this.previousFate = this.previous.map((p, i) => {
      if (i >= this.slabs.length) return differs ? 'replaced' : 'waiting';
      if (differs || this.slabs[i].diffId !== p.diffId) {
        differs = true;
        return 'replaced';
      }
      return 'kept';
    });
  }

  /** The build succeeded: the image from the store replaces the previous result. */
  finishBuild(title: string, layers: LayerView[], imageId: string) {
    const info = this.slabs;
    this.building = false;
    this.showImage(title, layers, info, imageId);
  }

  /** The build failed or was stopped: the previous result stays, greyed and labelled. */
  failBuild(failure: StackFailure) {
    this.building = false;
    this.failure = failure;
  }

  /** Selects a layer: the inspector (InspectorState) loads its changes from engine.inspector. */
  select(index: number) {
    this.selected = this.slabs.some((s) => s.index === index) ? index : undefined;
  }
}
