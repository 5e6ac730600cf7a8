/**
 * The content-addressed image store: blobs by digest, images by image ID (config digest), tags by
 * full reference. Its persisted form IS an OCI image layout (image-spec image-layout.md):
 * `oci-layout`, `index.json` (one manifest descriptor per tag, annotated with
 * `org.opencontainers.image.ref.name` and `io.containerd.image.name` = the full reference, plus
 * one unannotated descriptor per untagged image), `blobs/sha256/<hex>`; layerlab's own state sits
 * under `layerlab/` (layer records, layer recipes).
 *
 * Lifecycle: `ImageStore.open(persistence)` reads the layout; `commitLayer` turns a frozen
 * LayerTree into a layer blob; `putImage` writes config + manifest; `tag`/`remove` change names
 * like `docker tag` / `docker rmi`. Untrusted input (load, pull) is verified in a staging area by
 * its reader and enters through `putVerifiedImage` only when every digest matched.
 *
 * Simulation: layers that are mostly SyntheticContent are kept as "lazy blobs": their digest and
 * size are computed from the real gzip bytes, but the bytes are re-created from the LayerTree (or
 * its persisted recipe, see recipe.ts) when read, saved or pushed, instead of being stored.
 */
import { chainIdOf, digestOf, hexOf, isDigest, shortId, type DiffID, type Digest } from '../digest.ts';
import { LayerlabError } from '../errors.ts';
import type { LayerTree } from '../fs/layer-tree.ts';
import { withStoreLock, type BlobPersistence, type Clock } from '../host.ts';
import { familiarRefString, normalizeRefString, parseReference, repositoryName } from '../reference.ts';
import { parseConfig, serializeConfig, type ImageConfig } from './config.ts';
import type { Descriptor } from './descriptor.ts';
import { ANNOTATION_CONTAINERD_NAME, ANNOTATION_REF_NAME, parseIndex, serializeIndex } from './image-index.ts';
import { computeLayer, materializeBlob, readLayerBlob, type LayerRecord } from './layer.ts';
import { imageLimits, type ImageLimits } from './limits.ts';
import { OCI_CONFIG, OCI_INDEX, OCI_MANIFEST } from './media-types.ts';
import { parseManifest, serializeManifest, type Manifest } from './manifest.ts';
import { recipeToTree, syntheticBytes, treeToRecipe } from './recipe.ts';

export type { LayerRecord } from './layer.ts';

/** Everything known about one image. `repoTags` are familiar strings (`alpine:latest`), sorted. */
export interface ImageRecord {
  /** The config digest (`docker images --no-trunc` IMAGE ID). */
  imageId: Digest;
  manifestDigest: Digest;
  config: ImageConfig;
  manifest: Manifest;
  /** One per manifest layer, bottom first, with its DiffID from the config. */
  layers: LayerRecord[];
  repoTags: string[];
  /** The config's `created`, if any. */
  created?: string;
  /** Sum of the uncompressed layer sizes (what `docker images` SIZE shows, roughly). */
  size: number;
}

/** Options for opening a store. */
export interface ImageStoreOptions {
  clock?: Clock;
  limits?: Partial<ImageLimits>;
  /** Layers with at least this many synthetic bytes become lazy blobs (default 4 MiB). */
  lazyThreshold?: number;
}

/** A verified blob handed to `putVerifiedImage`. */
export interface VerifiedBlob {
  digest: Digest;
  bytes: Uint8Array;
}

interface ImageEntry {
  imageId: Digest;
  manifestDigest: Digest;
  manifest: Manifest;
  config: ImageConfig;
  rawManifest: Uint8Array;
}

const KEY_LAYOUT = 'oci-layout';
const KEY_INDEX = 'index.json';
const KEY_LAYERS = 'layerlab/layers.json';
const blobKey = (d: Digest) => `blobs/sha256/${hexOf(d)}`;
const recipeKey = (d: Digest) => `layerlab/recipes/${hexOf(d)}.json`;
const OCI_LAYOUT_BYTES = new TextEncoder().encode('{"imageLayoutVersion":"1.0.0"}');

function notFound(ref: string): LayerlabError {
  return new LayerlabError('image/not-found', `Error response from daemon: No such image: ${ref}`, { data: { ref } });
}

/** The content-addressed image store; see the module comment. */
export class ImageStore {
  readonly limits: ImageLimits;
  private readonly blobs = new Set<Digest>();
  private readonly lazy = new Map<Digest, { tree: LayerTree; record: LayerRecord }>();
  private readonly layersByDiff = new Map<DiffID, LayerRecord>();
  private readonly trees = new Map<DiffID, LayerTree>();
  private readonly images = new Map<Digest, ImageEntry>();
  /** Full reference (`docker.io/library/alpine:latest`) → image ID. */
  private readonly tags = new Map<string, Digest>();
  private readonly lazyThreshold: number;
  /** Set when another process or tab changed the store; `syncIfChanged` then re-reads it. */
  private stale = false;

  private constructor(
    readonly persistence: BlobPersistence,
    opts: ImageStoreOptions,
  ) {
    this.limits = imageLimits(opts.limits);
    this.lazyThreshold = opts.lazyThreshold ?? 4 * 1024 * 1024;
  }

  /** Opens (or initialises) the store persisted in `persistence`. */
  static async open(persistence: BlobPersistence, opts: ImageStoreOptions = {}): Promise<ImageStore> {
    const s = new ImageStore(persistence, opts);
    if (!(await persistence.get(KEY_LAYOUT))) await withStoreLock(persistence, () => persistence.put(KEY_LAYOUT, OCI_LAYOUT_BYTES));
    await s.load();
    persistence.watch?.(() => (s.stale = true));
    return s;
  }

  /** Re-reads the persisted store if another process or tab announced a change since the last read. */
  async syncIfChanged(): Promise<void> {
    if (!this.stale) return;
    this.stale = false;
    await this.load();
  }

  /**
   * Runs a mutation as a read-modify-write under the store's write lock: the persisted index,
   * layer records and blob list are re-read first, so a change another process made since this
   * one opened the store is kept, never overwritten by a stale in-memory copy.
   */
  private locked<T>(fn: () => Promise<T>): Promise<T> {
    return withStoreLock(this.persistence, async () => {
      await this.load();
      return fn();
    });
  }

  /**
   * (Re-)reads the persisted layout into memory; idempotent, keeps cached trees. Readers take no
   * lock, so a reader may read an index that a concurrent `rmi` has replaced by the time it looks
   * for the blobs; it then reads again (writers put blobs before the index names them, and drop
   * them only after the index stopped naming them).
   */
  private async load() {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.loadOnce();
      } catch (e) {
        if (!(e instanceof LayerlabError && e.code === 'image/blob-unknown') || attempt >= 5) throw e;
      }
    }
  }

  private async loadOnce() {
    const p = this.persistence;
    const rawIndex = await p.get(KEY_INDEX);
    const layers = await p.get(KEY_LAYERS);
    const blobKeys = await p.list('blobs/sha256/');
    this.blobs.clear();
    for (const k of blobKeys) {
      const d = `sha256:${k.slice('blobs/sha256/'.length)}`;
      if (isDigest(d)) this.blobs.add(d);
    }
    const persisted = new Map<DiffID, LayerRecord>();
    if (layers) for (const r of JSON.parse(new TextDecoder().decode(layers)) as LayerRecord[]) persisted.set(r.diffId, r);
    // Records only this process knows survive a re-read while their blob exists (a layer being
    // committed); a size learnt here is kept over an unknown one on disk.
    for (const [d, r] of this.layersByDiff) {
      const q = persisted.get(d);
      if (q ? q.uncompressedSize < 0 && r.uncompressedSize >= 0 && q.digest === r.digest : this.blobs.has(r.digest) || this.lazy.has(r.digest)) persisted.set(d, r);
    }
    this.layersByDiff.clear();
    for (const [d, r] of persisted) this.layersByDiff.set(d, r);
    const recipeKeys = new Set(await p.list('layerlab/recipes/'));
    for (const d of [...this.lazy.keys()]) if (!recipeKeys.has(recipeKey(d))) this.lazy.delete(d);
    for (const k of recipeKeys) {
      const d = `sha256:${k.slice('layerlab/recipes/'.length).replace(/\.json$/, '')}` as Digest;
      if (this.lazy.has(d)) continue;
      const rec = [...this.layersByDiff.values()].find((r) => r.digest === d);
      const bytes = await p.get(k);
      if (rec && bytes) this.lazy.set(d, { tree: recipeToTree(bytes).freeze(), record: rec });
    }
    const known = new Map([...this.images.values()].map((e) => [e.manifestDigest, e]));
    // Built aside and swapped in at once: a reader in this process never sees a half-read index.
    const images = new Map<Digest, ImageEntry>();
    const tags = new Map<string, Digest>();
    for (const desc of rawIndex ? parseIndex(rawIndex).manifests : []) {
      let entry = known.get(desc.digest);
      if (!entry) {
        const rawManifest = await this.getBlob(desc.digest);
        const manifest = parseManifest(rawManifest);
        const config = parseConfig(await this.getBlob(manifest.config.digest));
        entry = { imageId: manifest.config.digest, manifestDigest: desc.digest, manifest, config, rawManifest };
        known.set(desc.digest, entry);
        this.rememberLayers(entry);
      }
      images.set(entry.imageId, entry);
      const name = desc.annotations?.[ANNOTATION_CONTAINERD_NAME] ?? desc.annotations?.[ANNOTATION_REF_NAME];
      if (name) {
        try {
          tags.set(normalizeRefString(name), entry.imageId);
        } catch {
          // A bare tag (`latest`) as other tools write it names no repository: the image stays untagged.
        }
      }
    }
    this.images.clear();
    this.tags.clear();
    for (const [k, v] of images) this.images.set(k, v);
    for (const [k, v] of tags) this.tags.set(k, v);
  }

  private rememberLayers(e: ImageEntry) {
    e.manifest.layers.forEach((l, i) => {
      const diffId = e.config.rootfs.diff_ids[i];
      if (diffId && !this.layersByDiff.has(diffId)) {
        this.layersByDiff.set(diffId, { diffId, digest: l.digest, size: l.size, uncompressedSize: -1, mediaType: l.mediaType });
      }
    });
  }

  // ---- blobs ----

  /** True if the store holds (or can re-create) the blob. */
  hasBlob(digest: Digest): boolean {
    return this.blobs.has(digest) || this.lazy.has(digest);
  }

  /** The blob's bytes; lazy blobs are re-created and checked. Throws `image/blob-unknown`. */
  async getBlob(digest: Digest): Promise<Uint8Array> {
    const lz = this.lazy.get(digest);
    if (lz) return materializeBlob(lz.tree, lz.record);
    const b = this.blobs.has(digest) ? await this.persistence.get(blobKey(digest)) : undefined;
    if (!b) throw new LayerlabError('image/blob-unknown', `blob unknown: ${digest}`, { data: { digest } });
    return b;
  }

  /** Stores bytes after checking they hash to `expectedDigest` (if given); returns their digest. */
  async putBlob(bytes: Uint8Array, expectedDigest?: Digest): Promise<Digest> {
    const d = await digestOf(bytes);
    if (expectedDigest && d !== expectedDigest) {
      throw new LayerlabError('image/digest-mismatch', `blob digest mismatch: expected ${expectedDigest}, got ${d}`, { data: { expected: expectedDigest, actual: d } });
    }
    if (!this.blobs.has(d)) {
      await this.persistence.put(blobKey(d), bytes);
      this.blobs.add(d);
    }
    return d;
  }

  /** Every blob digest held (stored or lazy). */
  blobDigests(): Digest[] {
    return [...new Set([...this.blobs, ...this.lazy.keys()])].sort();
  }

  // ---- layers ----

  /**
   * Commits a layer: freezes the tree, tars, hashes and gzips it, stores the blob (or keeps it
   * lazy) and caches the tree by DiffID. Committing an identical tree again stores nothing new.
   */
  async commitLayer(tree: LayerTree): Promise<LayerRecord> {
    tree.freeze();
    const lazy = syntheticBytes(tree) >= this.lazyThreshold;
    const { record, blob } = await computeLayer(tree, { keepBlob: !lazy });
    const known = this.layersByDiff.get(record.diffId);
    if (known && known.digest === record.digest && this.hasBlob(known.digest) && known.uncompressedSize >= 0) {
      if (!this.trees.has(record.diffId)) this.trees.set(record.diffId, tree);
      return known;
    }
    this.trees.set(record.diffId, tree);
    await this.locked(async () => {
      await this.writeLayerBlob(tree, record, lazy ? undefined : blob);
      this.layersByDiff.set(record.diffId, record);
      await this.saveLayers();
    });
    return record;
  }

  /** Writes a layer's blob (or its recipe, for a lazy one) unless the store already holds it. Under the lock. */
  private async writeLayerBlob(tree: LayerTree, record: LayerRecord, blob: Uint8Array | undefined): Promise<void> {
    if (this.hasBlob(record.digest)) return;
    if (blob) {
      await this.putBlob(blob, record.digest);
    } else {
      await this.persistence.put(recipeKey(record.digest), treeToRecipe(tree));
      this.lazy.set(record.digest, { tree, record });
    }
  }

  /**
   * Under the lock, before an image refers to its layers: a layer blob another process deleted
   * (`rmi` of an image that shared it) since this one committed it is written again from its tree.
   */
  private async restoreLayerBlobs(layers: readonly LayerRecord[]): Promise<void> {
    for (const l of layers) {
      if (this.hasBlob(l.digest)) continue;
      const tree = this.trees.get(l.diffId);
      if (!tree) throw new LayerlabError('image/blob-unknown', `layer blob ${l.digest} is not in the store`, { data: { digest: l.digest } });
      const lazy = syntheticBytes(tree) >= this.lazyThreshold;
      const { record, blob } = await computeLayer(tree, { keepBlob: !lazy });
      await this.writeLayerBlob(tree, record, blob);
      if (!this.layersByDiff.has(record.diffId)) this.layersByDiff.set(record.diffId, record);
    }
  }

  /** The layer record for a DiffID, if the store knows it. */
  layerRecord(diffId: DiffID): LayerRecord | undefined {
    return this.layersByDiff.get(diffId);
  }

  /** The LayerTree of a layer: from the cache, else read from its blob and verified. */
  async layerTree(diffId: DiffID): Promise<LayerTree> {
    const t = this.trees.get(diffId);
    if (t) return t;
    const rec = this.layersByDiff.get(diffId);
    if (!rec) throw new LayerlabError('image/layer-unknown', `layer unknown: ${diffId}`, { data: { diffId } });
    const lz = this.lazy.get(rec.digest);
    if (lz) {
      this.trees.set(diffId, lz.tree);
      return lz.tree;
    }
    const { tree, uncompressedSize } = await readLayerBlob(await this.getBlob(rec.digest), { digest: rec.digest, diffId, limits: this.limits });
    tree.freeze();
    this.trees.set(diffId, tree);
    if (rec.uncompressedSize < 0) {
      rec.uncompressedSize = uncompressedSize;
      await this.locked(() => this.saveLayers());
    }
    return tree;
  }

  /** The layer trees of an image, bottom first. */
  async imageLayerTrees(refOrId: string): Promise<LayerTree[]> {
    const img = this.resolve(refOrId);
    return Promise.all(img.config.rootfs.diff_ids.map((d) => this.layerTree(d)));
  }

  private async saveLayers() {
    const all = [...this.layersByDiff.values()].sort((a, b) => (a.diffId < b.diffId ? -1 : 1));
    await this.persistence.put(KEY_LAYERS, new TextEncoder().encode(JSON.stringify(all)));
  }

  // ---- images ----

  /**
   * Writes an image: the config blob (its digest is the image ID) and an OCI manifest listing
   * `layers` (which must match `config.rootfs.diff_ids` and be in the store); optionally tags it.
   */
  async putImage(img: { config: ImageConfig; layers: readonly LayerRecord[]; tags?: readonly string[] }): Promise<{ imageId: Digest; manifestDigest: Digest }> {
    const { config, layers } = img;
    const ids = config.rootfs.diff_ids;
    if (ids.length !== layers.length || layers.some((l, i) => l.diffId !== ids[i])) {
      throw new LayerlabError('image/invalid-config', 'putImage: layers do not match config.rootfs.diff_ids', { data: { diffIds: ids, layers: layers.map((l) => l.diffId) } });
    }
    return this.locked(async () => {
      await this.restoreLayerBlobs(layers);
      return this.putImageLocked(config, layers, img.tags ?? []);
    });
  }

  private async putImageLocked(config: ImageConfig, layers: readonly LayerRecord[], tags: readonly string[]): Promise<{ imageId: Digest; manifestDigest: Digest }> {
    const rawConfig = serializeConfig(config);
    const imageId = await this.putBlob(rawConfig);
    const manifest: Manifest = {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: imageId, size: rawConfig.length },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
    };
    const rawManifest = serializeManifest(manifest);
    const manifestDigest = await this.putBlob(rawManifest);
    const entry = { imageId, manifestDigest, manifest, config: parseConfig(rawConfig), rawManifest };
    const known = this.images.get(imageId);
    const tagRefs = tags.map((t) => this.tagRef(t));
    // Rebuilding an identical image (a fully cached build) changes nothing: skip rewriting index.json.
    if (known && known.manifestDigest === manifestDigest && tagRefs.every((r) => this.tags.get(r) === imageId)) return { imageId, manifestDigest };
    this.images.set(imageId, entry);
    for (const r of tagRefs) this.tags.set(r, imageId);
    await this.saveLayers();
    await this.saveIndex();
    return { imageId, manifestDigest };
  }

  /**
   * Adds an image whose blobs a reader (load, pull) has already verified: writes any missing
   * blobs, then the manifest, then tags. Nothing is written if a blob is missing.
   */
  async putVerifiedImage(v: { rawManifest: Uint8Array; blobs: readonly VerifiedBlob[]; layerRecords: readonly LayerRecord[]; trees?: ReadonlyMap<DiffID, LayerTree>; tags: readonly string[] }): Promise<{ imageId: Digest; manifestDigest: Digest }> {
    return this.locked(() => this.putVerifiedImageLocked(v));
  }

  private async putVerifiedImageLocked(v: Parameters<ImageStore['putVerifiedImage']>[0]): Promise<{ imageId: Digest; manifestDigest: Digest }> {
    const manifest = parseManifest(v.rawManifest, this.limits.maxJsonBytes);
    const have = new Map(v.blobs.map((b) => [b.digest, b.bytes]));
    for (const d of [manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) {
      if (!have.has(d) && !this.hasBlob(d)) throw new LayerlabError('image/blob-unknown', `image blob ${d} missing`);
    }
    const rawConfig = have.get(manifest.config.digest) ?? (await this.getBlob(manifest.config.digest));
    const config = parseConfig(rawConfig, this.limits.maxJsonBytes);
    for (const b of v.blobs) await this.putBlob(b.bytes, b.digest);
    const manifestDigest = await this.putBlob(v.rawManifest);
    for (const r of v.layerRecords) {
      const known = this.layersByDiff.get(r.diffId);
      if (!known || known.uncompressedSize < 0 || !this.hasBlob(known.digest)) this.layersByDiff.set(r.diffId, r);
    }
    for (const [d, t] of v.trees ?? []) if (!this.trees.has(d)) this.trees.set(d, t.freeze());
    await this.saveLayers();
    const imageId = manifest.config.digest;
    this.images.set(imageId, { imageId, manifestDigest, manifest, config, rawManifest: v.rawManifest });
    for (const t of v.tags) this.tags.set(this.tagRef(t), imageId);
    await this.saveIndex();
    return { imageId, manifestDigest };
  }

  private tagRef(ref: string): string {
    const r = parseReference(ref);
    if (r.digest) throw new LayerlabError('reference/invalid', 'refusing to create a tag with a digest reference', { data: { ref } });
    return normalizeRefString(ref);
  }

  /** `docker tag SOURCE TARGET`: points the full reference `target` at the image `source` resolves to. */
  async tag(source: string, target: string): Promise<void> {
    await this.locked(async () => {
      const img = this.resolve(source);
      this.tags.set(this.tagRef(target), img.imageId);
      await this.saveIndex();
    });
  }

  private findEntry(refOrId: string): ImageEntry | undefined {
    const s = refOrId.trim();
    const hex = s.startsWith('sha256:') ? s.slice(7) : s;
    // A full ID always means the ID (docker refuses 64-hex repository names).
    if (/^[a-f0-9]{64}$/.test(hex)) return this.images.get(`sha256:${hex}` as Digest);
    if (!s.startsWith('sha256:')) {
      try {
        const r = parseReference(s);
        if (r.digest) {
          const repo = repositoryName(r);
          for (const e of this.images.values()) {
            if (e.manifestDigest === r.digest && [...this.tags].some(([t, id]) => id === e.imageId && repositoryName(parseReference(t)) === repo)) return e;
          }
          return undefined;
        }
        const id = this.tags.get(normalizeRefString(s));
        if (id) return this.images.get(id);
      } catch {
        // not a reference: maybe an ID prefix
      }
    }
    if (/^[a-f0-9]+$/.test(hex)) {
      const hits = [...this.images.keys()].filter((id) => hexOf(id).startsWith(hex));
      if (hits.length === 1) return this.images.get(hits[0]);
      if (hits.length > 1) throw new LayerlabError('image/ambiguous', `Error response from daemon: ambiguous image ID prefix: ${hex}`, { data: { prefix: hex } });
    }
    return undefined;
  }

  /** The image a user string names: `alpine`, `alpine:3.20`, `name@sha256:…`, a full or short image ID. */
  resolve(refOrId: string): ImageRecord {
    const e = this.findEntry(refOrId);
    if (!e) throw notFound(this.displayRef(refOrId));
    return this.record(e);
  }

  /** Like `resolve`, but `undefined` instead of `image/not-found`. */
  tryResolve(refOrId: string): ImageRecord | undefined {
    const e = this.findEntry(refOrId);
    return e && this.record(e);
  }

  private displayRef(s: string): string {
    try {
      if (/^(sha256:)?[a-f0-9]+$/.test(s)) return s;
      return familiarRefString(normalizeRefString(s));
    } catch {
      return s;
    }
  }

  private record(e: ImageEntry): ImageRecord {
    const layers = e.manifest.layers.map((l, i) => {
      const diffId = e.config.rootfs.diff_ids[i];
      const known = this.layersByDiff.get(diffId);
      return { diffId, digest: l.digest, size: l.size, uncompressedSize: known?.uncompressedSize ?? -1, mediaType: l.mediaType };
    });
    return {
      imageId: e.imageId,
      manifestDigest: e.manifestDigest,
      config: e.config,
      manifest: e.manifest,
      layers,
      repoTags: this.tagsOf(e.imageId).map(familiarRefString),
      created: e.config.created,
      size: layers.reduce((n, l) => n + Math.max(0, l.uncompressedSize >= 0 ? l.uncompressedSize : l.size), 0),
    };
  }

  /** Full references tagging an image, sorted. */
  tagsOf(imageId: Digest): string[] {
    return [...this.tags].filter(([, id]) => id === imageId).map(([t]) => t).sort();
  }

  /** The raw manifest bytes of an image (for save/push). */
  rawManifest(imageId: Digest): Uint8Array {
    const e = this.images.get(imageId);
    if (!e) throw notFound(imageId);
    return e.rawManifest;
  }

  /** Every image, newest first (then by ID); untagged ones have `repoTags: []` (`<none>:<none>`). */
  listImages(): ImageRecord[] {
    return [...this.images.values()]
      .map((e) => this.record(e))
      .sort((a, b) => (b.created ?? '').localeCompare(a.created ?? '') || a.imageId.localeCompare(b.imageId));
  }

  /**
   * `docker rmi`: removing a tag untags it (`Untagged: alpine:latest`); when no tag is left the
   * image is deleted (`Deleted: sha256:…`) with the layer blobs no other image uses. Removing by
   * ID untags every tag first, but refuses (unless forced) when the tags span several repositories,
   * as moby's ImageDelete does.
   */
  async remove(refOrId: string, opts: { force?: boolean } = {}): Promise<string[]> {
    return this.locked(() => this.removeLocked(refOrId, opts));
  }

  private async removeLocked(refOrId: string, opts: { force?: boolean }): Promise<string[]> {
    const e = this.findEntry(refOrId);
    if (!e) throw notFound(this.displayRef(refOrId));
    const out: string[] = [];
    const tags = this.tagsOf(e.imageId);
    let byId = true;
    try {
      const s = refOrId.trim();
      if (!/^(sha256:)?[a-f0-9]{64}$/.test(s) && !s.startsWith('sha256:')) {
        const full = normalizeRefString(s);
        if (this.tags.get(full) === e.imageId) {
          byId = false;
          this.tags.delete(full);
          out.push(`Untagged: ${familiarRefString(full)}`);
        }
      }
    } catch {
      byId = true;
    }
    if (byId && tags.length > 0) {
      const repos = new Set(tags.map((t) => repositoryName(parseReference(t))));
      if (repos.size > 1 && !opts.force) {
        throw new LayerlabError(
          'image/conflict',
          `Error response from daemon: conflict: unable to delete ${shortId(e.imageId)} (must be forced) - image is referenced in multiple repositories`,
          { data: { imageId: e.imageId, tags } },
        );
      }
      for (const t of tags) {
        this.tags.delete(t);
        out.push(`Untagged: ${familiarRefString(t)}`);
      }
    }
    if (this.tagsOf(e.imageId).length === 0) out.push(...(await this.deleteImage(e)));
    await this.saveIndex();
    return out;
  }

  private async deleteImage(e: ImageEntry): Promise<string[]> {
    this.images.delete(e.imageId);
    // The index drops the image before its blobs go: a reader never sees an entry without blobs
    // for longer than one re-read (see load).
    await this.saveIndex();
    const out = [`Deleted: ${e.imageId}`];
    const inUse = new Set<Digest>();
    for (const o of this.images.values()) {
      inUse.add(o.manifestDigest);
      inUse.add(o.imageId);
      for (const l of o.manifest.layers) inUse.add(l.digest);
    }
    const drop = async (d: Digest) => {
      if (inUse.has(d)) return false;
      if (this.blobs.delete(d)) await this.persistence.delete(blobKey(d));
      if (this.lazy.delete(d)) await this.persistence.delete(recipeKey(d));
      return true;
    };
    await drop(e.manifestDigest);
    await drop(e.imageId);
    const diffIds = e.config.rootfs.diff_ids;
    for (let i = 0; i < e.manifest.layers.length; i++) {
      const l = e.manifest.layers[i];
      if (inUse.has(l.digest)) continue;
      await drop(l.digest);
      const diffId = diffIds[i];
      if (diffId) {
        this.trees.delete(diffId);
        this.layersByDiff.delete(diffId);
        // Simulation: Docker's layer store prints the removed layer's ChainID.
        out.push(`Deleted: ${await chainIdOf(diffIds.slice(0, i + 1))}`);
      }
    }
    await this.saveLayers();
    return out;
  }

  private async saveIndex() {
    const manifests: Descriptor[] = [];
    const tagged = new Set<Digest>();
    for (const [ref, id] of [...this.tags].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const e = this.images.get(id);
      if (!e) continue;
      tagged.add(id);
      manifests.push({
        mediaType: e.manifest.mediaType,
        digest: e.manifestDigest,
        size: e.rawManifest.length,
        annotations: { [ANNOTATION_CONTAINERD_NAME]: ref, [ANNOTATION_REF_NAME]: ref },
      });
    }
    for (const e of [...this.images.values()].sort((a, b) => (a.imageId < b.imageId ? -1 : 1))) {
      if (!tagged.has(e.imageId)) manifests.push({ mediaType: e.manifest.mediaType, digest: e.manifestDigest, size: e.rawManifest.length });
    }
    await this.persistence.put(KEY_INDEX, serializeIndex({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
  }
}

