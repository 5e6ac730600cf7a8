/**
 * Disk usage as Docker accounts it: image sizes from their layers (a layer is *shared* when
 * another image also uses it; moby `daemon/images` `ImageDiskUsage` → SharedSize), container
 * sizes from their upper layers (SizeRw), volume sizes from their data; plus `image prune`.
 * Sizes are bytes of regular files (what `docker images` and `du` report), not tar bytes.
 */
import type { DiffID } from '../digest.ts';
import { splitRepoTag } from '../reference.ts';
import type { ImageRecord, ImageStore } from '../image/store.ts';
import type { DfImage, PruneResult } from './types.ts';

/** Caches each layer's content size by DiffID (layers are immutable). */
export class LayerSizes {
  private readonly sizes = new Map<DiffID, number>();
  constructor(private readonly store: ImageStore) {}

  async layer(diffId: DiffID): Promise<number> {
    let n = this.sizes.get(diffId);
    if (n === undefined) {
      n = (await this.store.layerTree(diffId)).contentSize;
      this.sizes.set(diffId, n);
    }
    return n;
  }

  /** An image's size: the sum of its layers. */
  async image(img: ImageRecord): Promise<number> {
    let n = 0;
    for (const d of img.config.rootfs.diff_ids) n += await this.layer(d);
    return n;
  }
}

/**
 * Per-image SIZE, SHARED SIZE (layers another image also has) and UNIQUE SIZE, plus the total of
 * distinct layers (docker's `LayersSize`, the Images SIZE of `system df`).
 */
export async function imageDiskUsage(store: ImageStore, sizes: LayerSizes, containersOf: (imageId: string) => number): Promise<{ items: DfImage[]; layersSize: number }> {
  const images = store.listImages();
  const users = new Map<DiffID, number>();
  for (const img of images) for (const d of new Set(img.config.rootfs.diff_ids)) users.set(d, (users.get(d) ?? 0) + 1);
  let layersSize = 0;
  for (const d of users.keys()) layersSize += await sizes.layer(d);
  const items: DfImage[] = [];
  for (const img of images) {
    let size = 0;
    let shared = 0;
    for (const d of new Set(img.config.rootfs.diff_ids)) {
      const n = await sizes.layer(d);
      size += n;
      if ((users.get(d) ?? 0) > 1) shared += n;
    }
    const [repository, tag] = firstTag(img);
    items.push({ repository, tag, imageId: img.imageId, created: img.created, size, sharedSize: shared, uniqueSize: size - shared, containers: containersOf(img.imageId) });
  }
  return { items, layersSize };
}

function firstTag(img: ImageRecord): [string, string] {
  const t = img.repoTags[0];
  if (!t) return ['<none>', '<none>'];
  const { repository, tag } = splitRepoTag(t);
  return [repository, tag];
}

/**
 * `docker image prune`: deletes dangling images (no tag) that no container uses, and reports
 * docker's `deleted: sha256:…` lines and the bytes of layers no remaining image holds.
 */
export async function imagePrune(store: ImageStore, sizes: LayerSizes, inUse: (imageId: string) => boolean, opts: { all?: boolean } = {}): Promise<PruneResult> {
  const before = new Set(store.listImages().flatMap((i) => i.config.rootfs.diff_ids));
  for (const d of before) await sizes.layer(d);
  const deleted: string[] = [];
  const lines: string[] = [];
  for (const img of store.listImages()) {
    // `-a`: every image no container uses, tagged or not (its tags are untagged first, as rmi -f does).
    if ((img.repoTags.length > 0 && !opts.all) || inUse(img.imageId)) continue;
    if (!store.tryResolve(img.imageId)) continue; // removed with an image it was a parent of
    const out = await store.remove(img.imageId, { force: true });
    deleted.push(img.imageId);
    for (const l of out) lines.push(l.replace(/^Deleted: /, 'deleted: ').replace(/^Untagged: /, 'untagged: '));
  }
  const after = new Set(store.listImages().flatMap((i) => i.config.rootfs.diff_ids));
  let reclaimed = 0;
  for (const d of before) if (!after.has(d)) reclaimed += await sizes.layer(d);
  return { deleted, lines, reclaimed };
}
