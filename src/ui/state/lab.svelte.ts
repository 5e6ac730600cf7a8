/**
 * The lab's state: images in the store, the selected image's layer stack, and the selected
 * layer's entries. Snapshots from the worker are replaced whole ($state.raw).
 */
import { EngineClient, type WorkerStatus } from '../../worker/client.ts';
import type { CatalogEntry, ImageSummary, LayerEntryView, LayerView } from '../../worker/api.ts';

export class LabState {
  readonly client = new EngineClient();
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
  /** Monotonic request id: results of superseded requests are ignored. */
  private requestId = 0;

  constructor() {
    this.client.onStatus = (s, detail) => {
      this.status = s;
      if (s === 'crashed') this.error = `The engine stopped (${detail}). Your images are kept; it restarts on the next action.`;
    };
  }

  private async run<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    this.error = '';
    try {
      return await fn();
    } catch (e) {
      this.error = `${what}: ${e instanceof Error ? e.message : String(e)}`;
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  async start() {
    await this.run('starting the engine', async () => {
      const engine = await this.client.engine();
      this.catalog = await engine.catalog();
      await this.refreshImages();
    });
  }

  async refreshImages() {
    const engine = await this.client.engine();
    this.images = await engine.images();
    if (!this.selectedImage && this.images.length) await this.selectImage(this.images[0].imageId);
  }

  async pull(ref: string) {
    await this.run(`pulling ${ref}`, async () => {
      const engine = await this.client.engine();
      const lines = await engine.pullCatalog(ref);
      this.message = lines.join('\n');
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
      const engine = await this.client.engine();
      const layers = await engine.imageLayers(imageId);
      if (id === this.requestId) this.layers = layers;
    });
  }

  async selectLayer(index: number) {
    const id = ++this.requestId;
    this.selectedLayer = index;
    const layer = this.layers[index];
    if (!layer) return;
    await this.run('reading layer', async () => {
      const engine = await this.client.engine();
      const entries = await engine.layerEntries(layer.diffId);
      if (id === this.requestId) this.entries = entries;
    });
  }

  async loadArchive(file: File) {
    await this.run(`loading ${file.name}`, async () => {
      const engine = await this.client.engine();
      const lines = await engine.load(new Uint8Array(await file.arrayBuffer()));
      this.message = lines.join('\n');
      await this.refreshImages();
    });
  }

  async saveSelected(): Promise<{ name: string; bytes: Uint8Array } | undefined> {
    const img = this.images.find((i) => i.imageId === this.selectedImage);
    if (!img) return undefined;
    const ref = img.repository === '<none>' ? img.imageId : `${img.repository}:${img.tag}`;
    return this.run(`saving ${ref}`, async () => {
      const engine = await this.client.engine();
      const bytes = await engine.save([ref]);
      return { name: `${ref.replace(/[^a-z0-9._-]+/gi, '_')}.tar`, bytes };
    });
  }
}
