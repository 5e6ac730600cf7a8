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
 * its persisted recipe, see recipe.ts) when read, saved or pushed, instead of being stored. A
 * layer pulled from the base catalog is lazy the same way, with the catalog itself as its source
 * (`layerlab/lazy/<hex>.json` names the catalog file, platform and layer): its tree is built on
 * first read and its gzip bytes only when the blob itself is needed, where they are checked
 * against the known digest (`image/digest-mismatch`).
 *
 * Layers committed by a build or a container commit are kept *uncompressed* at first, as Docker's
 * classic store keeps layers and compresses only at push/save: `commitLayer` computes the tar's
 * DiffID (what the config needs) and persists the tree as a recipe under
 * `layerlab/uncompressed/<diffId hex>.json`. An image made of such layers is recorded by its
 * config (its image ID) with no manifest yet (`layerlab/pending-images.json` keeps it and its
 * tags, since index.json can only list manifests); `completeImage` gzips each layer, stores or
 * keeps the blob as above, writes the manifest and moves the image into index.json. Save, push
 * and `validateImage` complete an image first.
 */
import { chainIdOf, digestOf, hexOf, isDigest, shortId, type DiffID, type Digest } from '../digest.ts';
import { LayerlabError } from '../errors.ts';
import type { LayerTree } from '../fs/layer-tree.ts';
import type { BlobPersistence, Clock } from '../host.ts';
import { familiarRefString, normalizeRefString, parseReference, repositoryName } from '../reference.ts';
import { parseConfig, serializeConfig, type ImageConfig } from './config.ts';
import type { Descriptor } from './descriptor.ts';
import { ANNOTATION_CONTAINERD_NAME, ANNOTATION_REF_NAME, parseIndex, serializeIndex } from './image-index.ts';
import { computeLayer, diffIdOfTree, materializeBlob, readLayerBlob, type BlobLayerRecord, type LayerRecord } from './layer.ts';
import { catalogLayerSource, type CatalogLayerSource, type CatalogLayers } from './catalog-layers.ts';
import { imageLimits, type ImageLimits } from './limits.ts';
import { OCI_CONFIG, OCI_INDEX, OCI_LAYER_GZIP, OCI_MANIFEST } from './media-types.ts';
import { parseManifest, serializeManifest, type Manifest } from './manifest.ts';
import { recipeToTree, syntheticBytes, treeToRecipe } from './recipe.ts';

export type { BlobLayerRecord, LayerRecord } from './layer.ts';

/** Everything known about one image. `repoTags` are familiar strings (`alpine:latest`), sorted. */
export interface ImageRecord {
  /** The config digest (`docker images --no-trunc` IMAGE ID). */
  imageId: Digest;
  /** Undefined while the image's layers are not compressed yet (see `completeImage`). */
  manifestDigest?: Digest;
  config: ImageConfig;
  /** Undefined while the image's layers are not compressed yet (see `completeImage`). */
  manifest?: Manifest;
  /** One per layer (config DiffID), bottom first; `digest`/`size` undefined until compressed. */
  layers: LayerRecord[];
  repoTags: string[];
  /** The config's `created`, if any. */
  created?: string;
  /** Sum of the uncompressed layer sizes (what `docker images` SIZE shows, roughly). */
  size: number;
}

/** An image whose blobs all exist: manifest, manifest digest and every layer's digest known. */
export interface CompleteImageRecord extends ImageRecord {
  manifestDigest: Digest;
  manifest: Manifest;
  layers: BlobLayerRecord[];
}

/** Options for opening a store. */
export interface ImageStoreOptions {
  clock?: Clock;
  limits?: Partial<ImageLimits>;
  /** Layers with at least this many synthetic bytes become lazy blobs (default 4 MiB). */
  lazyThreshold?: number;
  /** The base catalog, for layers pulled lazily from it (without it such layers cannot be read). */
  catalog?: CatalogLayers;
}

/** Where a lazy layer's content comes from: a persisted recipe, or a layer of the base catalog. */
export type LazyLayerSource = { kind: 'recipe' } | ({ kind: 'catalog' } & CatalogLayerSource);

/** A layer known by its record whose blob is produced on demand; `tree` is built on first read. */
interface LazyLayer {
  record: BlobLayerRecord;
  source: LazyLayerSource;
  tree?: Promise<LayerTree>;
}

/** A layer a reader (pull) has verified by its metadata and hands over lazily. */
export interface LazyLayerHandoff {
  record: BlobLayerRecord;
  source: CatalogLayerSource;
}

/** A verified blob handed to `putVerifiedImage`. */
export interface VerifiedBlob {
  digest: Digest;
  bytes: Uint8Array;
}

interface ImageEntry {
  imageId: Digest;
  config: ImageConfig;
  /** Undefined for an image whose layers are not compressed yet. */
  done?: { manifestDigest: Digest; manifest: Manifest; rawManifest: Uint8Array };
}

const KEY_LAYOUT = 'oci-layout';
const KEY_INDEX = 'index.json';
const KEY_LAYERS = 'layerlab/layers.json';
const blobKey = (d: Digest) => `blobs/sha256/${hexOf(d)}`;
const recipeKey = (d: Digest) => `layerlab/recipes/${hexOf(d)}.json`;
const LAZY_PREFIX = 'layerlab/lazy/';
const UNCOMPRESSED_PREFIX = 'layerlab/uncompressed/';
const uncompressedKey = (d: DiffID) => `${UNCOMPRESSED_PREFIX}${hexOf(d)}.json`;
const KEY_PENDING = 'layerlab/pending-images.json';
const lazyKey = (d: Digest) => `${LAZY_PREFIX}${hexOf(d)}.json`;
const OCI_LAYOUT_BYTES = new TextEncoder().encode('{"imageLayoutVersion":"1.0.0"}');

const isCompressed = (r: LayerRecord): r is BlobLayerRecord => r.digest !== undefined && r.size !== undefined;

function notFound(ref: string): LayerlabError {
  return new LayerlabError('image/not-found', `Error response from daemon: No such image: ${ref}`, { data: { ref } });
}

/** The content-addressed image store; see the module comment. */
export class ImageStore {
  readonly limits: ImageLimits;
  private readonly blobs = new Set<Digest>();
  private readonly lazy = new Map<Digest, LazyLayer>();
  private readonly layersByDiff = new Map<DiffID, LayerRecord>();
  /** Committed layers not compressed yet (their recipe is persisted under `layerlab/uncompressed/`). */
  private readonly uncompressed = new Set<DiffID>();
  private readonly compressing = new Map<DiffID, Promise<BlobLayerRecord>>();
  private readonly trees = new Map<DiffID, LayerTree>();
  private readonly images = new Map<Digest, ImageEntry>();
  /** Full reference (`docker.io/library/alpine:latest`) → image ID. */
  private readonly tags = new Map<string, Digest>();
  private readonly lazyThreshold: number;
  private readonly catalog?: CatalogLayers;

  private constructor(
    readonly persistence: BlobPersistence,
    opts: ImageStoreOptions,
  ) {
    this.limits = imageLimits(opts.limits);
    this.lazyThreshold = opts.lazyThreshold ?? 4 * 1024 * 1024;
    this.catalog = opts.catalog;
  }

  /** Opens (or initialises) the store persisted in `persistence`. */
  static async open(persistence: BlobPersistence, opts: ImageStoreOptions = {}): Promise<ImageStore> {
    const s = new ImageStore(persistence, opts);
    await s.load();
    return s;
  }

  private async load() {
    const p = this.persistence;
    if (!(await p.get(KEY_LAYOUT))) await p.put(KEY_LAYOUT, OCI_LAYOUT_BYTES);
    for (const k of await p.list('blobs/sha256/')) {
      const d = `sha256:${k.slice('blobs/sha256/'.length)}`;
      if (isDigest(d)) this.blobs.add(d);
    }
    const layers = await p.get(KEY_LAYERS);
    if (layers) for (const r of JSON.parse(new TextDecoder().decode(layers)) as LayerRecord[]) this.layersByDiff.set(r.diffId, r);
    const byDigest = new Map([...this.layersByDiff.values()].filter(isCompressed).map((r) => [r.digest, r]));
    for (const k of await p.list(UNCOMPRESSED_PREFIX)) {
      const d = `sha256:${k.slice(UNCOMPRESSED_PREFIX.length).replace(/\.json$/, '')}` as DiffID;
      if (this.layersByDiff.get(d)?.digest === undefined && this.layersByDiff.has(d)) this.uncompressed.add(d);
    }
    for (const k of await p.list('layerlab/recipes/')) {
      const d = `sha256:${k.slice('layerlab/recipes/'.length).replace(/\.json$/, '')}` as Digest;
      const rec = byDigest.get(d);
      if (rec) this.lazy.set(d, { record: rec, source: { kind: 'recipe' } });
    }
    for (const k of await p.list(LAZY_PREFIX)) {
      const d = `sha256:${k.slice(LAZY_PREFIX.length).replace(/\.json$/, '')}` as Digest;
      const rec = byDigest.get(d);
      const bytes = rec && (await p.get(k));
      if (!rec || !bytes) continue;
      try {
        const source = catalogLayerSource(JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>);
        this.lazy.set(d, { record: rec, source: { kind: 'catalog', ...source } });
      } catch {
        // A damaged source record: the layer is unknown, as if its blob were missing (pull again).
      }
    }
    const pending = await p.get(KEY_PENDING);
    for (const pi of pending ? (JSON.parse(new TextDecoder().decode(pending)) as { imageId: Digest; tags: string[] }[]) : []) {
      if (!this.blobs.has(pi.imageId)) continue;
      this.images.set(pi.imageId, { imageId: pi.imageId, config: parseConfig(await this.getBlob(pi.imageId)) });
      for (const t of pi.tags) this.tags.set(t, pi.imageId);
    }
    const rawIndex = await p.get(KEY_INDEX);
    if (!rawIndex) return;
    for (const desc of parseIndex(rawIndex).manifests) {
      let entry = [...this.images.values()].find((e) => e.done?.manifestDigest === desc.digest);
      if (!entry) {
        const rawManifest = await this.getBlob(desc.digest);
        const manifest = parseManifest(rawManifest);
        const config = parseConfig(await this.getBlob(manifest.config.digest));
        entry = { imageId: manifest.config.digest, config, done: { manifestDigest: desc.digest, manifest, rawManifest } };
        this.images.set(entry.imageId, entry);
        this.rememberLayers(entry);
      }
      const name = desc.annotations?.[ANNOTATION_CONTAINERD_NAME] ?? desc.annotations?.[ANNOTATION_REF_NAME];
      if (name) {
        try {
          this.tags.set(normalizeRefString(name), entry.imageId);
        } catch {
          // A bare tag (`latest`) as other tools write it names no repository: the image stays untagged.
        }
      }
    }
  }

  private rememberLayers(e: ImageEntry) {
    e.done?.manifest.layers.forEach((l, i) => {
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
    if (lz) return materializeBlob(await this.lazyTree(lz), lz.record);
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

  /** The tree of a lazy layer, built from its recipe or the catalog on first use. */
  private lazyTree(lz: LazyLayer): Promise<LayerTree> {
    lz.tree ??= (async () => {
      const src = lz.source;
      if (src.kind === 'recipe') {
        const bytes = await this.persistence.get(recipeKey(lz.record.digest));
        if (!bytes) throw new LayerlabError('image/blob-unknown', `blob unknown: ${lz.record.digest} (its recipe is missing)`, { data: { digest: lz.record.digest } });
        return recipeToTree(bytes).freeze();
      }
      if (!this.catalog) throw new LayerlabError('image/blob-unknown', `blob unknown: ${lz.record.digest} (the base catalog is not available)`, { data: { digest: lz.record.digest } });
      return this.catalog.layerTree(src);
    })();
    lz.tree.catch(() => (lz.tree = undefined));
    return lz.tree;
  }

  /** True if the store can keep layers lazily with the base catalog as their source (pull asks). */
  get keepsCatalogLayers(): boolean {
    return !!this.catalog;
  }

  /** True if the layer's blob exists only as metadata so far (its gzip bytes are produced on demand). */
  isLazy(digest: Digest): boolean {
    return this.lazy.has(digest);
  }

  /** Every blob digest held (stored or lazy). */
  blobDigests(): Digest[] {
    return [...new Set([...this.blobs, ...this.lazy.keys()])].sort();
  }

  // ---- layers ----

  /**
   * Commits a layer: freezes the tree, tars and hashes it (the DiffID, what the image config
   * needs) and persists it uncompressed; its gzip blob is made by `completeImage` when a blob is
   * needed. Committing an identical tree again stores nothing new.
   */
  async commitLayer(tree: LayerTree): Promise<LayerRecord> {
    tree.freeze();
    const { diffId, uncompressedSize } = await diffIdOfTree(tree);
    const known = this.layersByDiff.get(diffId);
    if (known && this.hasLayer(diffId)) {
      if (!this.trees.has(diffId)) this.trees.set(diffId, tree);
      if (known.uncompressedSize < 0) {
        known.uncompressedSize = uncompressedSize;
        await this.saveLayers();
      }
      return known;
    }
    const record: LayerRecord = { diffId, uncompressedSize, mediaType: OCI_LAYER_GZIP };
    await this.persistence.put(uncompressedKey(diffId), treeToRecipe(tree));
    this.uncompressed.add(diffId);
    this.trees.set(diffId, tree);
    this.layersByDiff.set(diffId, record);
    await this.saveLayers();
    return record;
  }

  /** True if the store holds the layer: its blob (stored or re-creatable) or its uncompressed form. */
  hasLayer(diffId: DiffID): boolean {
    const r = this.layersByDiff.get(diffId);
    if (!r) return false;
    return r.digest ? this.hasBlob(r.digest) : this.uncompressed.has(diffId);
  }

  /**
   * Compresses an uncompressed layer: tar + gzip once, then keeps the blob (stored, or lazy when
   * mostly synthetic) and forgets the uncompressed copy. The tar must hash to the DiffID.
   */
  private compressLayer(diffId: DiffID): Promise<BlobLayerRecord> {
    let p = this.compressing.get(diffId);
    if (!p) {
      p = (async () => {
        const rec = this.layersByDiff.get(diffId);
        if (!rec) throw new LayerlabError('image/layer-unknown', `layer unknown: ${diffId}`, { data: { diffId } });
        if (rec.digest && rec.size !== undefined) return { ...rec, digest: rec.digest, size: rec.size };
        const tree = await this.layerTree(diffId);
        const lazy = syntheticBytes(tree) >= this.lazyThreshold;
        const { record, blob } = await computeLayer(tree, { keepBlob: !lazy });
        if (record.diffId !== diffId) {
          throw new LayerlabError('image/digest-mismatch', `layer ${diffId}: its tar now hashes to ${record.diffId}`, { data: { expected: diffId, actual: record.diffId, kind: 'diff_id' } });
        }
        if (lazy) {
          if (!this.hasBlob(record.digest)) {
            await this.persistence.put(recipeKey(record.digest), treeToRecipe(tree));
            this.lazy.set(record.digest, { record, source: { kind: 'recipe' }, tree: Promise.resolve(tree) });
          }
        } else {
          await this.putBlob(blob!, record.digest);
        }
        Object.assign(rec, { digest: record.digest, size: record.size, uncompressedSize: record.uncompressedSize });
        this.uncompressed.delete(diffId);
        await this.saveLayers();
        await this.persistence.delete(uncompressedKey(diffId));
        return record;
      })();
      this.compressing.set(diffId, p);
      p.finally(() => this.compressing.delete(diffId)).catch(() => undefined);
    }
    return p;
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
    if (!rec.digest) {
      const bytes = this.uncompressed.has(diffId) ? await this.persistence.get(uncompressedKey(diffId)) : undefined;
      if (!bytes) throw new LayerlabError('image/layer-unknown', `layer unknown: ${diffId} (its uncompressed copy is missing)`, { data: { diffId } });
      const tree = recipeToTree(bytes).freeze();
      this.trees.set(diffId, tree);
      return tree;
    }
    const lz = this.lazy.get(rec.digest);
    if (lz) {
      const tree = await this.lazyTree(lz);
      this.trees.set(diffId, tree);
      return tree;
    }
    const { tree, uncompressedSize } = await readLayerBlob(await this.getBlob(rec.digest), { digest: rec.digest, diffId, limits: this.limits, knownSize: rec.uncompressedSize >= 0 ? rec.uncompressedSize : undefined });
    tree.freeze();
    this.trees.set(diffId, tree);
    if (rec.uncompressedSize < 0) {
      rec.uncompressedSize = uncompressedSize;
      await this.saveLayers();
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
   * Writes an image: the config blob (its digest is the image ID) and, when every layer has its
   * blob, an OCI manifest listing `layers` (which must match `config.rootfs.diff_ids` and be in
   * the store); optionally tags it. With uncompressed layers the image waits for `completeImage`.
   */
  async putImage(img: { config: ImageConfig; layers: readonly LayerRecord[]; tags?: readonly string[] }): Promise<{ imageId: Digest; manifestDigest?: Digest }> {
    const { config, layers } = img;
    const ids = config.rootfs.diff_ids;
    if (ids.length !== layers.length || layers.some((l, i) => l.diffId !== ids[i])) {
      throw new LayerlabError('image/invalid-config', 'putImage: layers do not match config.rootfs.diff_ids', { data: { diffIds: ids, layers: layers.map((l) => l.diffId) } });
    }
    for (const l of layers) if (!this.hasLayer(l.diffId)) throw new LayerlabError('image/blob-unknown', `putImage: layer ${l.diffId} is not in the store`);
    const rawConfig = serializeConfig(config);
    const imageId = await this.putBlob(rawConfig);
    const records = layers.map((l) => this.layersByDiff.get(l.diffId)!);
    const done = records.every((r) => r.digest) ? await this.manifestFor(imageId, rawConfig.length, records) : undefined;
    if (done) await this.putBlob(done.rawManifest);
    const known = this.images.get(imageId);
    const tagRefs = (img.tags ?? []).map((t) => this.tagRef(t));
    // Rebuilding an identical image (a fully cached build) changes nothing: skip rewriting index.json.
    if (known && (known.done ? known.done.manifestDigest === done?.manifestDigest || !done : !done) && tagRefs.every((r) => this.tags.get(r) === imageId)) {
      return { imageId, manifestDigest: known.done?.manifestDigest };
    }
    this.images.set(imageId, { imageId, config: parseConfig(rawConfig), done: done ?? known?.done });
    for (const r of tagRefs) this.tags.set(r, imageId);
    await this.saveIndex();
    return { imageId, manifestDigest: (done ?? known?.done)?.manifestDigest };
  }

  private async manifestFor(imageId: Digest, configSize: number, records: readonly LayerRecord[]) {
    const manifest: Manifest = {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: imageId, size: configSize },
      layers: records.map((l) => ({ mediaType: l.mediaType, digest: l.digest!, size: l.size! })),
    };
    const rawManifest = serializeManifest(manifest);
    return { manifest, rawManifest, manifestDigest: await digestOf(rawManifest) };
  }

  /**
   * Makes every blob of an image exist: compresses its uncompressed layers (gzip, digest, kept),
   * writes its manifest and lists it in index.json. What save, push and validation call first.
   */
  async completeImage(refOrId: string): Promise<CompleteImageRecord> {
    const e = this.findEntry(refOrId);
    if (!e) throw notFound(this.displayRef(refOrId));
    if (!e.done) {
      const records: BlobLayerRecord[] = [];
      for (const d of e.config.rootfs.diff_ids) records.push(await this.compressLayer(d));
      const done = await this.manifestFor(e.imageId, (await this.getBlob(e.imageId)).length, records);
      await this.putBlob(done.rawManifest);
      e.done = done;
      await this.saveIndex();
    }
    const r = this.record(e);
    return { ...r, manifestDigest: e.done.manifestDigest, manifest: e.done.manifest, layers: r.layers as BlobLayerRecord[] };
  }

  /**
   * Adds an image whose blobs a reader (load, pull) has already verified: writes any missing
   * blobs, then the manifest, then tags. Nothing is written if a blob is missing.
   */
  async putVerifiedImage(v: {
    rawManifest: Uint8Array;
    blobs: readonly VerifiedBlob[];
    layerRecords: readonly LayerRecord[];
    trees?: ReadonlyMap<DiffID, LayerTree>;
    lazyLayers?: readonly LazyLayerHandoff[];
    tags: readonly string[];
  }): Promise<{ imageId: Digest; manifestDigest: Digest }> {
    const manifest = parseManifest(v.rawManifest, this.limits.maxJsonBytes);
    const have = new Map(v.blobs.map((b) => [b.digest, b.bytes]));
    const lazy = new Map((v.lazyLayers ?? []).map((l) => [l.record.digest, l]));
    for (const d of [manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) {
      if (!have.has(d) && !lazy.has(d) && !this.hasBlob(d)) throw new LayerlabError('image/blob-unknown', `image blob ${d} missing`);
    }
    if (lazy.size && !this.catalog) throw new LayerlabError('image/blob-unknown', 'lazy catalog layers offered to a store without the base catalog');
    const rawConfig = have.get(manifest.config.digest) ?? (await this.getBlob(manifest.config.digest));
    const config = parseConfig(rawConfig, this.limits.maxJsonBytes);
    for (const b of v.blobs) await this.putBlob(b.bytes, b.digest);
    for (const l of lazy.values()) {
      if (this.hasBlob(l.record.digest)) continue;
      await this.persistence.put(lazyKey(l.record.digest), new TextEncoder().encode(JSON.stringify({ file: l.source.file, platform: l.source.platform, layer: l.source.layer })));
      this.lazy.set(l.record.digest, { record: l.record, source: { kind: 'catalog', ...l.source } });
    }
    const manifestDigest = await this.putBlob(v.rawManifest);
    for (const r of [...v.layerRecords, ...[...lazy.values()].map((l) => l.record)]) {
      const known = this.layersByDiff.get(r.diffId);
      if (!known || known.uncompressedSize < 0 || !this.hasLayer(r.diffId)) this.layersByDiff.set(r.diffId, r);
      else if (!known.digest && r.digest) {
        // The same layer arrived compressed: its blob is now known; the uncompressed copy goes.
        Object.assign(known, { digest: r.digest, size: r.size });
        this.uncompressed.delete(r.diffId);
        await this.persistence.delete(uncompressedKey(r.diffId));
      }
    }
    for (const [d, t] of v.trees ?? []) if (!this.trees.has(d)) this.trees.set(d, t.freeze());
    await this.saveLayers();
    const imageId = manifest.config.digest;
    this.images.set(imageId, { imageId, config, done: { manifestDigest, manifest, rawManifest: v.rawManifest } });
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
    const img = this.resolve(source);
    this.tags.set(this.tagRef(target), img.imageId);
    await this.saveIndex();
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
            if (e.done?.manifestDigest === r.digest && [...this.tags].some(([t, id]) => id === e.imageId && repositoryName(parseReference(t)) === repo)) return e;
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
    const layers: LayerRecord[] = e.config.rootfs.diff_ids.map((diffId, i) => {
      const l = e.done?.manifest.layers[i];
      const known = this.layersByDiff.get(diffId);
      return {
        diffId, digest: l?.digest ?? known?.digest, size: l?.size ?? known?.size,
        uncompressedSize: known?.uncompressedSize ?? -1, mediaType: l?.mediaType ?? known?.mediaType ?? OCI_LAYER_GZIP,
      };
    });
    return {
      imageId: e.imageId,
      manifestDigest: e.done?.manifestDigest,
      config: e.config,
      manifest: e.done?.manifest,
      layers,
      repoTags: this.tagsOf(e.imageId).map(familiarRefString),
      created: e.config.created,
      size: layers.reduce((n, l) => n + Math.max(0, l.uncompressedSize >= 0 ? l.uncompressedSize : (l.size ?? 0)), 0),
    };
  }

  /** Full references tagging an image, sorted. */
  tagsOf(imageId: Digest): string[] {
    return [...this.tags].filter(([, id]) => id === imageId).map(([t]) => t).sort();
  }

  /** The raw manifest bytes of an image (for save/push); call `completeImage` first. */
  rawManifest(imageId: Digest): Uint8Array {
    const e = this.images.get(imageId);
    if (!e) throw notFound(imageId);
    if (!e.done) throw new LayerlabError('image/incomplete', `image ${imageId} has no manifest yet: its layers are not compressed (completeImage first)`, { data: { imageId } });
    return e.done.rawManifest;
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
    const out = [`Deleted: ${e.imageId}`];
    const inUse = new Set<Digest>();
    const diffInUse = new Set<DiffID>();
    for (const o of this.images.values()) {
      if (o.done) inUse.add(o.done.manifestDigest);
      inUse.add(o.imageId);
      for (const l of o.done?.manifest.layers ?? []) inUse.add(l.digest);
      for (const d of o.config.rootfs.diff_ids) diffInUse.add(d);
    }
    const drop = async (d: Digest) => {
      if (inUse.has(d)) return false;
      if (this.blobs.delete(d)) await this.persistence.delete(blobKey(d));
      const lz = this.lazy.get(d);
      if (lz) {
        this.lazy.delete(d);
        await this.persistence.delete(lz.source.kind === 'recipe' ? recipeKey(d) : lazyKey(d));
      }
      return true;
    };
    if (e.done) await drop(e.done.manifestDigest);
    await drop(e.imageId);
    const diffIds = e.config.rootfs.diff_ids;
    for (let i = 0; i < diffIds.length; i++) {
      const diffId = diffIds[i];
      const digest = e.done?.manifest.layers[i]?.digest ?? this.layersByDiff.get(diffId)?.digest;
      if (diffInUse.has(diffId) || (digest && inUse.has(digest))) continue;
      if (digest) await drop(digest);
      if (this.uncompressed.delete(diffId)) await this.persistence.delete(uncompressedKey(diffId));
      this.trees.delete(diffId);
      this.layersByDiff.delete(diffId);
      // Simulation: Docker's layer store prints the removed layer's ChainID.
      out.push(`Deleted: ${await chainIdOf(diffIds.slice(0, i + 1))}`);
    }
    await this.saveLayers();
    return out;
  }

  private async saveIndex() {
    const manifests: Descriptor[] = [];
    const tagged = new Set<Digest>();
    const pending = new Map<Digest, string[]>();
    for (const [ref, id] of [...this.tags].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const e = this.images.get(id);
      if (!e) continue;
      tagged.add(id);
      if (!e.done) {
        pending.set(id, [...(pending.get(id) ?? []), ref]);
        continue;
      }
      manifests.push({
        mediaType: e.done.manifest.mediaType,
        digest: e.done.manifestDigest,
        size: e.done.rawManifest.length,
        annotations: { [ANNOTATION_CONTAINERD_NAME]: ref, [ANNOTATION_REF_NAME]: ref },
      });
    }
    for (const e of [...this.images.values()].sort((a, b) => (a.imageId < b.imageId ? -1 : 1))) {
      if (!e.done) {
        if (!pending.has(e.imageId)) pending.set(e.imageId, []);
      } else if (!tagged.has(e.imageId)) manifests.push({ mediaType: e.done.manifest.mediaType, digest: e.done.manifestDigest, size: e.done.rawManifest.length });
    }
    await this.persistence.put(KEY_INDEX, serializeIndex({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
    const rows = [...pending].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([imageId, tags]) => ({ imageId, tags }));
    await this.persistence.put(KEY_PENDING, new TextEncoder().encode(JSON.stringify(rows)));
  }
}
