/**
 * The inspector's half of the engine's API (`engine.inspector`): what the lab's right-hand panel
 * and `layerlab`'s inspection commands show of an image, computed from its real layers:
 * a layer's changes with markers, the merged view, every version of a file, file contents
 * (paged), a layer's real blobs with both digests, wasted space with efficiency, and a comparison
 * of two images. Plain, structured-cloneable data only.
 */
import { diffIdOf, digestOf } from '../digest.ts';
import { serializeIndex } from './image-index.ts';
import { OCI_INDEX } from './media-types.ts';
import { LayerlabError, type SourceRange } from '../errors.ts';
import { parseDockerfile } from '../dockerfile/index.ts';
import { hintsFor, type Hint } from './hints.ts';
import { Inode } from '../fs/layer-tree.ts';
import { compareStacks, fileHistory, layerChanges, mergedEntries, type FileVersion, type LayerChange, type MergedEntry, type StackComparison } from '../fs/layer-views.ts';
import { LowerStack, type LowerEntry } from '../fs/lower-stack.ts';
import { analyzeWaste, type WasteReport } from '../fs/waste.ts';
import { decompress } from './gzip.ts';
import type { ImageStore } from './store.ts';

/** Waste figures with each layer's instruction, for hints ("this RUN deletes 19.8 MB that layer 2 still ships"). */
export interface ImageWaste extends WasteReport {
  /** The history `created_by` of each layer, bottom first. */
  createdBy: string[];
}

/** A page of a file's contents. */
export interface FileContents {
  path: string;
  /** The layer that provides the file. */
  layer: number;
  size: number;
  /** True when the bytes look like text (UTF-8 without NULs in the first 8 KB). */
  text: boolean;
  offset: number;
  bytes: Uint8Array;
}

/** A layer's blobs as the store keeps them, with both digests. */
export interface LayerBlob {
  kind: 'tar' | 'gzip';
  bytes: Uint8Array;
  /** sha256 of the uncompressed tar: the config's `rootfs.diff_ids` entry. */
  diffId: string;
  /** sha256 of the compressed blob: the manifest's layer digest. */
  digest: string;
  mediaType: string;
}

/** One stored object (index, manifest or config): its digest and size over the raw bytes, and its JSON. */
export interface ImageObject {
  mediaType: string;
  digest: string;
  size: number;
  /** The raw bytes as text (exactly what is hashed). */
  raw: string;
}

/** The objects that make an image, as `save` writes them and a registry serves them. */
export interface ImageObjects {
  /** The OCI layout's index for this image (index.json of `save`), pointing at the manifest. */
  index: ImageObject;
  manifest: ImageObject;
  /** Its digest is the image ID. */
  config: ImageObject;
  layers: { mediaType: string; digest: string; size: number; diffId: string; uncompressedSize: number }[];
}

/** The inspector operations (`engine.inspector`). `ref` is any image reference or ID; layers are 0-based, bottom first. */
export interface InspectorEngine {
  /** One layer's changes against the layers below it: `+ ~ x ▦ → ⇄`. */
  layerChanges(ref: string, layer: number): Promise<LayerChange[]>;
  /** The filesystem a container sees of the image up to `upTo` (default: all layers), each entry with the layer that provides it. */
  merged(ref: string, upTo?: number): Promise<MergedEntry[]>;
  /** Every version of one path down the stack. */
  fileHistory(ref: string, path: string): Promise<FileVersion[]>;
  /** A page of a file as the image (up to `upTo`) shows it; 64 KB by default. */
  readFile(ref: string, path: string, opts?: { upTo?: number; offset?: number; length?: number }): Promise<FileContents>;
  /** A layer's real blob: the uncompressed tar or the gzip blob, with diff_id and digest. */
  layerBlob(ref: string, layer: number, kind: 'tar' | 'gzip'): Promise<LayerBlob>;
  /** Wasted bytes, efficiency, and which layer hid what. */
  waste(ref: string): Promise<ImageWaste>;
  /** What changed from image `a` to image `b`. */
  compare(a: string, b: string): Promise<StackComparison>;
  /** index → manifest → config → layers, with their real bytes and digests. */
  objects(ref: string): Promise<ImageObjects>;
  /**
   * layerlab's hints for an image built from `dockerfile`: `layerRanges` maps layers (bottom first)
   * to the Dockerfile range of the step that made them, `durations` a step's last time by start line.
   */
  hints(ref: string, dockerfile: string, opts?: { layerRanges?: (SourceRange | undefined)[]; durations?: Record<number, number> }): Promise<Hint[]>;
}

const PAGE = 64 * 1024;

/** InspectorEngine over the local store. */
export class InspectorService implements InspectorEngine {
  constructor(private readonly store: () => Promise<ImageStore>) {}

  private async stack(ref: string) {
    const store = await this.store();
    const img = store.resolve(ref);
    const layers = await store.imageLayerTrees(img.imageId);
    return { store, img, layers };
  }

  private static checkLayer(layer: number, count: number) {
    if (!Number.isInteger(layer) || layer < 0 || layer >= count) {
      throw new LayerlabError('image/no-such-layer', `layer ${layer} does not exist: the image has ${count} layer${count === 1 ? '' : 's'} (0 to ${count - 1})`, { data: { layer, count } });
    }
  }

  async layerChanges(ref: string, layer: number): Promise<LayerChange[]> {
    const { layers } = await this.stack(ref);
    InspectorService.checkLayer(layer, layers.length);
    return layerChanges(layers, layer);
  }

  async merged(ref: string, upTo?: number): Promise<MergedEntry[]> {
    const { layers } = await this.stack(ref);
    if (upTo !== undefined) InspectorService.checkLayer(upTo, layers.length);
    return mergedEntries(layers, upTo);
  }

  async fileHistory(ref: string, path: string): Promise<FileVersion[]> {
    return fileHistory((await this.stack(ref)).layers, path);
  }

  async readFile(ref: string, path: string, opts: { upTo?: number; offset?: number; length?: number } = {}): Promise<FileContents> {
    const { layers } = await this.stack(ref);
    const upTo = opts.upTo ?? layers.length - 1;
    InspectorService.checkLayer(upTo, layers.length);
    const found = resolveFollowing(new LowerStack(layers.slice(0, upTo + 1)), path);
    if (!found) throw new LayerlabError('fs/ENOENT', `${path}: No such file or directory`, { data: { path } });
    const inode: Inode = found.inode;
    if (inode.type !== 'file') throw new LayerlabError('fs/EISDIR', `${path}: not a regular file (${inode.type})`, { data: { path } });
    const offset = Math.max(0, Math.min(opts.offset ?? 0, inode.size));
    const length = Math.max(0, Math.min(opts.length ?? PAGE, 4 * PAGE, inode.size - offset));
    const bytes = readRange(inode, offset, length);
    const head = offset === 0 ? bytes.subarray(0, 8192) : readRange(inode, 0, Math.min(8192, inode.size));
    return { path, layer: found.layer, size: inode.size, text: looksLikeText(head), offset, bytes };
  }

  async layerBlob(ref: string, layer: number, kind: 'tar' | 'gzip'): Promise<LayerBlob> {
    const store = await this.store();
    InspectorService.checkLayer(layer, store.resolve(ref).layers.length);
    // A layer download needs the blob: layers committed uncompressed are gzipped (and kept) now.
    const rec = (await store.completeImage(ref)).layers[layer];
    const gz = await store.getBlob(rec.digest);
    if (kind === 'gzip') return { kind, bytes: gz, diffId: rec.diffId, digest: rec.digest, mediaType: rec.mediaType };
    const tar = (await decompress(gz, Math.max(rec.uncompressedSize, 1), `layer ${rec.digest}`)).bytes;
    const diffId = await diffIdOf(tar);
    if (diffId !== rec.diffId) throw new LayerlabError('image/digest-mismatch', `layer ${layer}: its tar hashes to ${diffId}, the config says ${rec.diffId}`);
    return { kind, bytes: tar, diffId: rec.diffId, digest: rec.digest, mediaType: 'application/vnd.oci.image.layer.v1.tar' };
  }

  async waste(ref: string): Promise<ImageWaste> {
    const { img, layers } = await this.stack(ref);
    const hist = (img.config.history ?? []).filter((h) => !h.empty_layer);
    return { ...analyzeWaste(layers), createdBy: layers.map((_, i) => hist[i]?.created_by ?? '') };
  }

  async compare(a: string, b: string): Promise<StackComparison> {
    const x = await this.stack(a);
    const y = await this.stack(b);
    return compareStacks({ diffIds: x.img.config.rootfs.diff_ids, layers: x.layers }, { diffIds: y.img.config.rootfs.diff_ids, layers: y.layers });
  }

  async hints(ref: string, dockerfile: string, opts: { layerRanges?: (SourceRange | undefined)[]; durations?: Record<number, number> } = {}): Promise<Hint[]> {
    const { layers } = await this.stack(ref);
    let ast;
    try {
      ast = parseDockerfile(dockerfile);
    } catch {
      return []; // the editor reports the parse error itself
    }
    const waste = analyzeWaste(layers);
    let aptLists: { bytes: number; layer: number } | undefined;
    const perLayer = new Map<number, number>();
    for (const e of mergedEntries(layers)) {
      if (e.type === 'file' && e.path.startsWith('/var/lib/apt/lists/')) perLayer.set(e.layer, (perLayer.get(e.layer) ?? 0) + e.size);
    }
    if (perLayer.size) {
      const [layer] = [...perLayer].sort((a, b) => b[1] - a[1])[0];
      aptLists = { bytes: [...perLayer.values()].reduce((a, b) => a + b, 0), layer };
    }
    return hintsFor({ ast, waste, layerRanges: opts.layerRanges, durations: opts.durations, aptLists });
  }

  async objects(ref: string): Promise<ImageObjects> {
    const store = await this.store();
    // The object graph shows the manifest and the layer digests: layers committed uncompressed are gzipped now.
    const img = await store.completeImage(ref);
    const td = new TextDecoder();
    const rawManifest = store.rawManifest(img.imageId);
    const rawConfig = await store.getBlob(img.imageId);
    const tags = store.tagsOf(img.imageId);
    const desc = { mediaType: img.manifest.mediaType, digest: img.manifestDigest, size: rawManifest.length };
    const manifests = tags.length ? tags.map((t) => ({ ...desc, annotations: { 'io.containerd.image.name': t, 'org.opencontainers.image.ref.name': t.slice(t.lastIndexOf(':') + 1) } })) : [desc];
    const rawIndex = serializeIndex({ schemaVersion: 2, mediaType: OCI_INDEX, manifests });
    return {
      index: { mediaType: OCI_INDEX, digest: await digestOf(rawIndex), size: rawIndex.length, raw: td.decode(rawIndex) },
      manifest: { mediaType: img.manifest.mediaType, digest: img.manifestDigest, size: rawManifest.length, raw: td.decode(rawManifest) },
      config: { mediaType: img.manifest.config.mediaType, digest: img.imageId, size: rawConfig.length, raw: td.decode(rawConfig) },
      layers: img.layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size, diffId: l.diffId, uncompressedSize: l.uncompressedSize })),
    };
  }
}

/** The entry at `path`, following symlinks in every component as `cat` would (ELOOP after 40 links). */
function resolveFollowing(stack: LowerStack, path: string): LowerEntry | undefined {
  let todo = path.split('/').filter(Boolean);
  let cur: string[] = [];
  let hops = 0;
  while (todo.length) {
    const name = todo.shift()!;
    if (name === '.') continue;
    if (name === '..') {
      cur.pop();
      continue;
    }
    const p = '/' + [...cur, name].join('/');
    const e = stack.get(p);
    if (!e) return undefined;
    if (e.inode.type === 'symlink') {
      if (++hops > 40) throw new LayerlabError('fs/ELOOP', `${path}: Too many levels of symbolic links`, { data: { path } });
      const t = e.inode.target;
      if (t.startsWith('/')) cur = [];
      todo = [...t.split('/').filter(Boolean), ...todo];
      continue;
    }
    cur.push(name);
  }
  return cur.length ? stack.get('/' + cur.join('/')) : undefined;
}

/** Bytes [offset, offset+length) of a file, reading chunk by chunk (synthetic content is never materialised whole). */
function readRange(inode: Inode, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let pos = 0;
  let filled = 0;
  for (const chunk of inode.content.chunks(PAGE)) {
    const end = pos + chunk.length;
    if (end > offset && pos < offset + length) {
      const from = Math.max(0, offset - pos);
      const to = Math.min(chunk.length, offset + length - pos);
      out.set(chunk.subarray(from, to), filled);
      filled += to - from;
    }
    pos = end;
    if (pos >= offset + length) break;
  }
  return out;
}

function looksLikeText(head: Uint8Array): boolean {
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.length === 8192 ? head.subarray(0, 8188) : head);
    return true;
  } catch {
    return false;
  }
}
