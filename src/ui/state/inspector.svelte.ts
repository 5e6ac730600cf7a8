/**
 * The inspector's state: which image and layer it shows, that layer's changes (with filters, sort
 * and search), the merged view, the open file (a page of it, every version of it down the stack),
 * and the image's wasted space. Everything comes from `engine.inspector` through the worker; a
 * request superseded by a newer selection is ignored when it answers.
 */
import type { Remote } from 'comlink';
import type { EngineApi, FileContents, FileVersion, Hint, ImageWaste, LayerChange, MergedEntry } from '../../worker/api.ts';

export type ChangeFilter = 'all' | 'added' | 'modified' | 'removed';
export type SortKey = 'name' | 'size';
export type InspectorView = 'changes' | 'merged' | 'waste' | 'hints';

/** What a change counts as for the filter buttons. */
export function changeKind(c: LayerChange): Exclude<ChangeFilter, 'all'> {
  if (c.marker === 'x') return 'removed';
  if (c.marker === '+' || ((c.marker === '→' || c.marker === '⇄') && !c.replaces)) return 'added';
  return 'modified';
}

/** Entries sorted and filtered as the controls say; directories that are only parents of changes are kept for context only in name order. */
export function visibleChanges(all: readonly LayerChange[], filter: ChangeFilter, sort: SortKey, query: string): LayerChange[] {
  const q = query.trim().toLowerCase();
  let out = all.filter((c) => (filter === 'all' || changeKind(c) === filter) && (!q || c.path.toLowerCase().includes(q)));
  // A modified directory with no bytes is only the parent of a change: keep it in the full list, not in "modified".
  if (filter === 'modified') out = out.filter((c) => !(c.type === 'dir' && c.marker === '~'));
  if (sort === 'size') out = [...out].sort((a, b) => (b.lowerSize ?? b.size) - (a.lowerSize ?? a.size) || a.path.localeCompare(b.path));
  return out;
}

export class InspectorState {
  /** The image shown (an ID or reference) and its layer count. */
  ref = $state<string | null>(null);
  layerCount = $state(0);
  /** The selected layer, 0 = bottom. */
  layer = $state<number | null>(null);
  view = $state<InspectorView>('changes');
  filter = $state<ChangeFilter>('all');
  sort = $state<SortKey>('name');
  query = $state('');
  changes = $state.raw<LayerChange[]>([]);
  merged = $state.raw<MergedEntry[]>([]);
  /** "Up to the selected layer" in the merged view, or the whole image. */
  mergedUpToLayer = $state(false);
  waste = $state.raw<ImageWaste | null>(null);
  file = $state.raw<FileContents | null>(null);
  versions = $state.raw<FileVersion[]>([]);
  hints = $state.raw<Hint[]>([]);
  /**
   * What hints need besides the image: the Dockerfile it was built from, each layer's line (bottom
   * first) and each step's last measured duration by line.
   */
  hintSource: { dockerfile: string; layerLines: (number | undefined)[]; durations?: Record<number, number> } = { dockerfile: '', layerLines: [] };
  loading = $state(false);
  error = $state('');
  private seq = 0;

  constructor(private readonly api: () => Promise<Remote<EngineApi>>) {}

  get shown(): LayerChange[] {
    return visibleChanges(this.changes, this.filter, this.sort, this.query);
  }

  /** Shows `layer` of image `ref` (layerCount layers); reloads what the current view needs. */
  async select(ref: string | null, layer: number | null, layerCount: number): Promise<void> {
    const changedImage = ref !== this.ref;
    this.ref = ref;
    this.layer = layer;
    this.layerCount = layerCount;
    if (changedImage) {
      this.hints = [];
      this.waste = null;
      this.file = null;
      this.versions = [];
    }
    await this.refresh();
  }

  setView(v: InspectorView) {
    this.view = v;
    return this.refresh();
  }

  /** Loads what the current view needs for the current selection. */
  async refresh(): Promise<void> {
    const my = ++this.seq;
    const { ref, layer } = this;
    if (!ref) {
      this.changes = [];
      this.merged = [];
      return;
    }
    this.loading = true;
    this.error = '';
    try {
      const api = await this.api();
      if (this.view === 'changes' && layer !== null) {
        const c = await api.inspector.layerChanges(ref, layer);
        if (my === this.seq) this.changes = c;
      } else if (this.view === 'merged') {
        const m = await api.inspector.merged(ref, this.mergedUpToLayer && layer !== null ? layer : undefined);
        if (my === this.seq) this.merged = m;
      } else if (this.view === 'hints') {
        const layerRanges = this.hintSource.layerLines.map((l) => (l === undefined ? undefined : { start: { line: l, column: 1 }, end: { line: l, column: 1 } }));
        const h = await api.inspector.hints(ref, this.hintSource.dockerfile, { layerRanges, durations: this.hintSource.durations });
        if (my === this.seq) this.hints = h;
      } else if (this.view === 'waste') {
        const w = await api.inspector.waste(ref);
        if (my === this.seq) this.waste = w;
      }
    } catch (e) {
      if (my === this.seq) this.error = (e as Error).message;
    } finally {
      if (my === this.seq) this.loading = false;
    }
  }

  /** Opens a file: its first page and its versions down the stack. */
  async open(path: string, offset = 0): Promise<void> {
    if (!this.ref) return;
    const my = ++this.seq;
    try {
      const api = await this.api();
      const upTo = this.view === 'changes' && this.layer !== null ? this.layer : this.mergedUpToLayer && this.layer !== null ? this.layer : undefined;
      const [file, versions] = await Promise.all([api.inspector.readFile(this.ref, path, { upTo, offset }), api.inspector.fileHistory(this.ref, path)]);
      if (my !== this.seq) return;
      this.file = file;
      this.versions = versions;
      this.error = '';
    } catch (e) {
      if (my === this.seq) this.error = (e as Error).message;
    }
  }

  closeFile() {
    this.file = null;
    this.versions = [];
  }

  /** The bytes to save for a download: the whole open file, or a layer blob. */
  async fileBytes(path: string): Promise<Uint8Array> {
    const api = await this.api();
    const first = await api.inspector.readFile(this.ref!, path, { length: 1 });
    const parts: Uint8Array[] = [];
    for (let off = 0; off < first.size; off += 256 * 1024) parts.push((await api.inspector.readFile(this.ref!, path, { offset: off, length: 256 * 1024 })).bytes);
    const out = new Uint8Array(first.size);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  async layerBlob(kind: 'tar' | 'gzip') {
    const api = await this.api();
    return api.inspector.layerBlob(this.ref!, this.layer!, kind);
  }
}
