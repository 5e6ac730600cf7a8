/**
 * `docker load`: reads an OCI-layout archive (what Docker 25+ and `skopeo copy oci-archive:`
 * write) or a classic `docker save` archive (`manifest.json` + `<id>/layer.tar` + `<id>.json`),
 * optionally gzip/zstd-compressed as a whole, with layers plain, gzip or zstd.
 *
 * Everything is verified in a staging area first — manifest, config and layer digests, sizes,
 * diff_ids against the uncompressed layers, and each layer tar parsed for hostile entries — and
 * only then written to the store, so a malformed or hostile archive leaves the store untouched.
 *
 * Reading streams (limits.ts): the archive is decompressed and its tar read chunk by chunk, each
 * header checked against the limits before its body; reading stops at the tar's end-of-archive
 * marker, as Go's archive/tar does. The archive's files are kept (layers still compressed); each
 * layer is then decompressed, hashed and parsed in one pass, never held uncompressed.
 */
import { createHasher, type DiffID, type Digest } from '../digest.ts';
import { LayerlabError } from '../errors.ts';
import type { LayerTree } from '../fs/layer-tree.ts';
import { familiarRefString, normalizeRefString } from '../reference.ts';
import { parseConfig } from './config.ts';
import { parseDescriptor, type Descriptor } from './descriptor.ts';
import { Decompressor, concatBytes } from './gzip.ts';
import { ANNOTATION_CONTAINERD_NAME, ANNOTATION_REF_NAME, parseIndex } from './image-index.ts';
import { isObject, parseJsonBytes } from './json.ts';
import { readLayerBlob, type ExpansionBudget, type LayerRecord } from './layer.ts';
import { imageLimits, type ImageLimits } from './limits.ts';
import { INDEX_TYPES, OCI_CONFIG, OCI_LAYER_GZIP, OCI_LAYER_TAR, OCI_LAYER_ZSTD, OCI_MANIFEST } from './media-types.ts';
import { parseManifest, serializeManifest, type Manifest } from './manifest.ts';
import type { ImageStore, VerifiedBlob } from './store.ts';
import { ArchiveCollector, tarReadLimits } from './tar.ts';
import { TarReader } from './tar-format.ts';

/** One image ready to enter the store, every blob verified. */
interface StagedImage {
  rawManifest: Uint8Array;
  blobs: VerifiedBlob[];
  layerRecords: LayerRecord[];
  trees: Map<DiffID, LayerTree>;
  tags: string[];
}

async function sha(bytes: Uint8Array): Promise<Digest> {
  const h = await createHasher();
  h.update(bytes);
  return h.digest() as Digest;
}

function mismatch(what: string, expected: string, actual: string) {
  return new LayerlabError('image/digest-mismatch', `${what}: digest mismatch: expected ${expected}, got ${actual}`, { data: { expected, actual } });
}

function missing(path: string) {
  return new LayerlabError('image/invalid-archive', `invalid archive: ${path} is missing`, { data: { path } });
}

/** Input of `load`: the archive's bytes, or its chunks as they arrive (a file or stdin, streamed). */
export type ArchiveSource = Uint8Array | AsyncIterable<Uint8Array>;

/** Slices of at most 64 KiB, so reading can stop at the tar's end without inflating the rest. */
async function* slices(src: ArchiveSource): AsyncIterable<Uint8Array> {
  const SL = 64 * 1024;
  const chunks: AsyncIterable<Uint8Array> | Uint8Array[] = src instanceof Uint8Array ? [src] : src;
  for await (const c of chunks) for (let i = 0; i < c.length; i += SL) yield c.subarray(i, i + SL);
}

/** Streams the archive (plain, gzip or zstd) through the tar reader; returns its files and expanded size. */
async function readArchiveFiles(src: ArchiveSource, limits: ImageLimits): Promise<{ files: Map<string, Uint8Array>; expanded: number }> {
  const collector = new ArchiveCollector(limits);
  const tar = new TarReader(collector, { ...tarReadLimits(limits), maxEntries: limits.maxArchiveEntries, entriesLimitName: 'maxArchiveEntries' }, 'archive');
  const feed = (c: Uint8Array) => {
    if (!tar.ended) tar.push(c);
  };
  let d: Decompressor | undefined;
  let head: Uint8Array[] = [];
  let headLen = 0;
  const open = async () => {
    const first = concatBytes(head);
    head = [];
    d = await Decompressor.open(first.subarray(0, 4), feed, { maxBytes: limits.maxArchiveBytes, what: 'archive', limit: 'maxArchiveBytes' });
    d.push(first);
  };
  for await (const c of slices(src)) {
    if (!d) {
      head.push(c);
      headLen += c.length;
      if (headLen >= 4) await open();
    } else d.push(c);
    if (tar.ended) break;
  }
  if (!d) {
    if (headLen === 0) throw new LayerlabError('image/invalid-archive', 'invalid archive: the input is empty');
    await open();
  }
  if (!tar.ended) d!.finish();
  tar.finish();
  return { files: collector.files(), expanded: d!.total };
}

/**
 * `docker load`: verifies the whole archive, then adds its images; returns docker's lines.
 * `limits` override the store's for this load (the CLI's `--max-layer-size`).
 */
export async function loadArchive(store: ImageStore, archive: ArchiveSource, over: Partial<ImageLimits> = {}): Promise<{ loaded: string[]; imageIds: Digest[] }> {
  const limits = imageLimits({ ...store.limits, ...over });
  const { files, expanded } = await readArchiveFiles(archive, limits);
  const budget: ExpansionBudget = { used: expanded, max: limits.maxLoadBytes };
  const ctx = { limits, budget };
  const staged = files.has('index.json') && files.has('oci-layout') ? await stageOci(ctx, files) : files.has('manifest.json') ? await stageDocker(ctx, files) : undefined;
  if (!staged) throw new LayerlabError('image/invalid-archive', 'invalid archive: neither index.json + oci-layout nor manifest.json found');
  const loaded: string[] = [];
  const imageIds: Digest[] = [];
  for (const s of staged) {
    const { imageId } = await store.putVerifiedImage(s);
    imageIds.push(imageId);
    if (s.tags.length === 0) loaded.push(`Loaded image ID: ${imageId}`);
    for (const t of s.tags) loaded.push(`Loaded image: ${familiarRefString(t)}`);
  }
  return { loaded, imageIds };
}

/** What staging needs: the limits of this load and its expansion budget. */
interface LoadContext {
  limits: ImageLimits;
  budget: ExpansionBudget;
}

async function stageLayers(ctx: LoadContext, manifest: Manifest, diffIds: DiffID[], getBlob: (d: Descriptor) => Uint8Array): Promise<Omit<StagedImage, 'rawManifest' | 'tags'>> {
  if (diffIds.length !== manifest.layers.length) {
    throw new LayerlabError('image/invalid-archive', `invalid image: config has ${diffIds.length} diff_ids for ${manifest.layers.length} layers`);
  }
  if (manifest.layers.length > ctx.limits.maxLayers) {
    throw new LayerlabError('image/too-large', `image has ${manifest.layers.length} layers, over the limit maxLayers=${ctx.limits.maxLayers}`, { data: { limit: 'maxLayers' } });
  }
  const blobs: VerifiedBlob[] = [];
  const layerRecords: LayerRecord[] = [];
  const trees = new Map<DiffID, LayerTree>();
  for (let i = 0; i < manifest.layers.length; i++) {
    const l = manifest.layers[i];
    const blob = getBlob(l);
    if (blob.length !== l.size) throw new LayerlabError('image/size-mismatch', `layer ${l.digest}: size ${blob.length}, manifest says ${l.size}`, { data: { expected: l.size, actual: blob.length } });
    const { tree, uncompressedSize } = await readLayerBlob(blob, { digest: l.digest, diffId: diffIds[i], limits: ctx.limits, budget: ctx.budget });
    blobs.push({ digest: l.digest, bytes: blob });
    layerRecords.push({ diffId: diffIds[i], digest: l.digest, size: l.size, uncompressedSize, mediaType: l.mediaType });
    trees.set(diffIds[i], tree);
  }
  return { blobs, layerRecords, trees };
}

async function stageOci(ctx: LoadContext, files: Map<string, Uint8Array>): Promise<StagedImage[]> {
  const layout = parseJsonBytes(files.get('oci-layout')!, 'oci-layout');
  if (!isObject(layout) || typeof layout.imageLayoutVersion !== 'string') throw new LayerlabError('image/invalid-archive', 'invalid archive: bad oci-layout file');
  const index = parseIndex(files.get('index.json')!, ctx.limits.maxJsonBytes);
  const blob = async (d: Descriptor, what: string) => {
    const path = `blobs/sha256/${d.digest.slice(7)}`;
    const b = files.get(path);
    if (!b) throw missing(path);
    const actual = await sha(b);
    if (actual !== d.digest) throw mismatch(what, d.digest, actual);
    if (b.length !== d.size) throw new LayerlabError('image/size-mismatch', `${what}: size ${b.length}, descriptor says ${d.size}`);
    return b;
  };
  const byManifest = new Map<Digest, StagedImage>();
  for (let desc of index.manifests) {
    const tagName = desc.annotations?.[ANNOTATION_CONTAINERD_NAME] ?? desc.annotations?.[ANNOTATION_REF_NAME];
    // Nested index / manifest list: take linux/amd64 (the lab's platform), else the first manifest.
    for (let depth = 0; INDEX_TYPES.includes(desc.mediaType) && depth < 4; depth++) {
      const nested = parseIndex(await blob(desc, `index ${desc.digest}`), ctx.limits.maxJsonBytes);
      const pick = nested.manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ?? nested.manifests[0];
      if (!pick) throw new LayerlabError('image/invalid-archive', `index ${desc.digest} lists no manifests`);
      desc = pick;
    }
    let st = byManifest.get(desc.digest);
    if (!st) {
      const rawManifest = await blob(desc, `manifest ${desc.digest}`);
      const manifest = parseManifest(rawManifest, ctx.limits.maxJsonBytes);
      const rawConfig = await blob(manifest.config, `config ${manifest.config.digest}`);
      const config = parseConfig(rawConfig, ctx.limits.maxJsonBytes);
      const layerBlobs = new Map<string, Uint8Array>();
      for (const l of manifest.layers) layerBlobs.set(l.digest, await blob(l, `layer ${l.digest}`));
      const staged = await stageLayers(ctx, manifest, config.rootfs.diff_ids, (l) => layerBlobs.get(l.digest)!);
      st = { rawManifest, ...staged, blobs: [{ digest: manifest.config.digest, bytes: rawConfig }, ...staged.blobs], tags: [] };
      byManifest.set(desc.digest, st);
    }
    if (tagName) {
      try {
        const full = normalizeRefString(tagName);
        if (!st.tags.includes(full)) st.tags.push(full);
      } catch {
        // A bare tag as ref name (`latest`) without io.containerd.image.name: docker loads the image untagged.
      }
    }
  }
  return [...byManifest.values()];
}

async function stageDocker(ctx: LoadContext, files: Map<string, Uint8Array>): Promise<StagedImage[]> {
  const doc = parseJsonBytes(files.get('manifest.json')!, 'manifest.json', ctx.limits.maxJsonBytes);
  if (!Array.isArray(doc)) throw new LayerlabError('image/invalid-archive', 'invalid archive: manifest.json is not a list');
  const out: StagedImage[] = [];
  for (const entry of doc) {
    if (!isObject(entry) || typeof entry.Config !== 'string' || !Array.isArray(entry.Layers)) {
      throw new LayerlabError('image/invalid-archive', 'invalid archive: manifest.json entry needs Config and Layers');
    }
    const get = (p: unknown) => {
      const path = String(p).split('/').filter((c) => c && c !== '.').join('/');
      const b = files.get(path);
      if (!b) throw missing(path);
      return b;
    };
    const rawConfig = get(entry.Config);
    const config = parseConfig(rawConfig, ctx.limits.maxJsonBytes);
    const configDigest = await sha(rawConfig);
    // A blobs/sha256/<hex> path promises its digest: check it (docker load does).
    const m = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(String(entry.Config));
    if (m && `sha256:${m[1]}` !== configDigest) throw mismatch(`config ${entry.Config}`, `sha256:${m[1]}`, configDigest);
    const layers: Descriptor[] = [];
    const layerBytes = new Map<string, Uint8Array>();
    for (const p of entry.Layers) {
      const b = get(p);
      const d = await sha(b);
      const lm = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(String(p));
      if (lm && `sha256:${lm[1]}` !== d) throw mismatch(`layer ${p}`, `sha256:${lm[1]}`, d);
      const magic = b[0] === 0x1f && b[1] === 0x8b ? OCI_LAYER_GZIP : b[0] === 0x28 && b[1] === 0xb5 ? OCI_LAYER_ZSTD : OCI_LAYER_TAR;
      layers.push(parseDescriptor({ mediaType: magic, digest: d, size: b.length }));
      layerBytes.set(d, b);
    }
    const manifest: Manifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: OCI_CONFIG, digest: configDigest, size: rawConfig.length }, layers };
    const staged = await stageLayers(ctx, manifest, config.rootfs.diff_ids, (l) => layerBytes.get(l.digest)!);
    const tags: string[] = [];
    for (const t of Array.isArray(entry.RepoTags) ? entry.RepoTags : []) {
      const full = normalizeRefString(String(t));
      if (!tags.includes(full)) tags.push(full);
    }
    out.push({ rawManifest: serializeManifest(manifest), ...staged, blobs: [{ digest: configDigest, bytes: rawConfig }, ...staged.blobs], tags });
  }
  return out;
}


/** Alias matching the CLI verb. */
export const load = loadArchive;
