/**
 * Layer sizes as docker reports them (the bytes of the files a layer holds, not tar overhead),
 * remembered per DiffID in the host's persistence so `images` does not re-read every layer of
 * every image in each new process (each CLI command).
 */
import type { DiffID } from '../digest.ts';
import type { LayerTree } from '../fs/layer-tree.ts';
import { updateJson, type BlobPersistence } from '../host.ts';
import type { ImageRecord, ImageStore } from './store.ts';

const SIZES_KEY = 'layerlab/layer-sizes.json';

/** A persisted DiffID → content-size map; layers are immutable, so an entry never goes stale. */
export class LayerSizeCache {
  private sizes?: Map<string, number>;

  constructor(
    private readonly persistence: BlobPersistence,
    private readonly store: () => Promise<ImageStore>,
  ) {}

  private async loadSizes() {
    if (!this.sizes) {
      const raw = await this.persistence.get(SIZES_KEY);
      this.sizes = new Map(raw ? (Object.entries(JSON.parse(new TextDecoder().decode(raw))) as [string, number][]) : []);
    }
    return this.sizes;
  }

  /** Records the size of a layer whose tree is at hand. */
  async rememberTree(diffId: DiffID, tree: LayerTree): Promise<void> {
    await this.remember(diffId, tree.contentSize);
  }

  /** Records a layer's size (a build step knows it when it commits the layer). */
  async remember(diffId: string, size: number): Promise<void> {
    const sizes = await this.loadSizes();
    if (sizes.get(diffId) === size) return;
    sizes.set(diffId, size);
    // Read-modify-write under the store lock: sizes other processes recorded are kept.
    await updateJson<Record<string, number>>(this.persistence, SIZES_KEY, (current) => ({ ...current, [diffId]: size }));
  }

  /** A layer's size, read from its tree the first time. */
  async layer(diffId: DiffID): Promise<number> {
    const sizes = await this.loadSizes();
    const known = sizes.get(diffId);
    if (known !== undefined) return known;
    const tree = await (await this.store()).layerTree(diffId);
    await this.rememberTree(diffId, tree);
    return tree.contentSize;
  }

  /** An image's size: the sum of its layers. */
  async image(img: ImageRecord): Promise<number> {
    let n = 0;
    for (const d of img.config.rootfs.diff_ids) n += await this.layer(d);
    return n;
  }
}
