/**
 * Images in the store, the offline base catalog, and the history of the selected image; loading
 * and saving archives. Snapshots from the worker are replaced whole.
 */
import type { CatalogEntry, HistoryRow, ImageSummary, PruneResult } from '../../worker/api.ts';
import { humanSize, onStoreChanged } from '../../worker/client.ts';
import type { EngineState } from './engine.svelte.ts';

/** docker image prune's output. */
function formatPrune(r: PruneResult): string {
  const lines = (r.lines ?? r.deleted).length ? ['Deleted Images:', ...(r.lines ?? r.deleted), ''] : [];
  return [...lines, `Total reclaimed space: ${humanSize(r.reclaimed)}`].join('\n');
}

export class ImagesState {
  catalog = $state.raw<CatalogEntry[]>([]);
  images = $state.raw<ImageSummary[]>([]);
  selected = $state<string | undefined>(undefined);
  history = $state.raw<HistoryRow[]>([]);
  message = $state('');
  error = $state('');
  /** Called when the user picks an image (the stack then shows it). */
  onSelect?: (imageId: string, title: string) => void;

  constructor(private readonly engine: EngineState) {}

  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    this.error = '';
    try {
      return await this.engine.track(what, fn);
    } catch (e) {
      this.error = `${what}: ${e instanceof Error ? e.message : String(e)}`;
      return undefined;
    }
  }

  private storeChangeTimer: ReturnType<typeof setTimeout> | undefined;

  async start() {
    // Another tab (or this tab's worker) changed the shared store: list again, once per burst.
    onStoreChanged(() => {
      clearTimeout(this.storeChangeTimer);
      this.storeChangeTimer = setTimeout(() => void this.refresh().catch(() => undefined), 150);
    });
    await this.guard('starting the engine', async () => {
      const api = await this.engine.api();
      this.catalog = await api.registries.catalog();
      await this.refresh();
    });
  }

  /** A readable name for an image: its first tag, or its short ID. */
  titleOf(imageId: string): string {
    const img = this.images.find((i) => i.imageId === imageId && i.repository !== '<none>');
    return img ? `${img.repository}:${img.tag}` : imageId.slice(7, 19);
  }

  async refresh() {
    const api = await this.engine.api();
    this.images = await api.images.list({ all: this.all });
    if (this.selected && !this.images.some((i) => i.imageId === this.selected)) this.selected = undefined;
  }

  async select(imageId: string, notify = true) {
    this.selected = imageId;
    if (notify) this.onSelect?.(imageId, this.titleOf(imageId));
    await this.loadHistory();
  }

  async loadHistory() {
    const id = this.selected;
    if (!id) {
      this.history = [];
      return;
    }
    const rows = await this.guard('reading history', async () => (await this.engine.api()).images.history(id));
    if (rows && this.selected === id) this.history = rows;
  }

  /** `images -a`. */
  all = $state(false);

  async setAll(all: boolean) {
    this.all = all;
    await this.refresh();
  }

  /** `docker tag SOURCE TARGET`. */
  async tag(source: string, target: string) {
    await this.guard(`tagging ${target}`, async () => {
      await (await this.engine.api()).images.tag(source, target);
      this.message = '';
      await this.refresh();
    });
  }

  /** `docker rmi REF`: the output lines (Untagged:/Deleted:) go to the message. */
  async remove(ref: string) {
    await this.guard(`removing ${ref}`, async () => {
      this.message = (await (await this.engine.api()).images.remove([ref])).join('\n');
      await this.refresh();
    });
  }

  /** `docker image prune`: dangling images no container uses. */
  async prune() {
    await this.guard('pruning images', async () => {
      const r = await (await this.engine.api()).images.prune();
      this.message = formatPrune(r);
      await this.refresh();
    });
  }

  async pull(ref: string) {
    await this.guard(`pulling ${ref}`, async () => {
      const api = await this.engine.api();
      const res = await api.registries.pull(ref);
      this.message = res.lines.join('\n');
      await this.refresh();
      const img = this.images.find((i) => `${i.repository}:${i.tag}` === ref || i.repository === ref);
      if (img) await this.select(img.imageId);
    });
  }

  async load(file: File) {
    await this.guard(`loading ${file.name}`, async () => {
      const api = await this.engine.api();
      const lines = await api.images.load(new Uint8Array(await file.arrayBuffer()));
      this.message = lines.join('\n');
      await this.refresh();
    });
  }

  async saveSelected(): Promise<{ name: string; bytes: Uint8Array } | undefined> {
    const img = this.images.find((i) => i.imageId === this.selected);
    if (!img) return undefined;
    const ref = img.repository === '<none>' ? img.imageId : `${img.repository}:${img.tag}`;
    return this.guard(`saving ${ref}`, async () => {
      const bytes = await (await this.engine.api()).images.save([ref]);
      return { name: `${ref.replace(/[^a-z0-9._-]+/gi, '_')}.tar`, bytes };
    });
  }
}
