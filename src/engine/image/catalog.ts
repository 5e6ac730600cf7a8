/**
 * The offline base-image catalog: turns the compact data under `public/catalog/` (made by
 * `scripts/catalog/build.mjs`) into frozen LayerTrees and an image config, so `FROM alpine` works
 * without a registry. See ./catalog-README.md for the data format, sources and what is modelled.
 *
 * Simulation: binaries and other big files carry deterministic SyntheticContent of their real size
 * (seeded per layer, platform and path); small text files (os-release, passwd, the package
 * databases…) carry their real bytes.
 */
import { LayerlabError } from '../errors.ts';
import { SyntheticContent, textContent } from '../fs/content.ts';
import { LayerTree, WHITEOUT, makeDevice, makeDir, makeFile, makeSymlink, Inode } from '../fs/layer-tree.ts';
import type { InodeMeta } from '../fs/layer-tree.ts';

/** The format tag every catalog file carries. */
export const CATALOG_FORMAT = 'layerlab-catalog/1';

/** One image of `public/catalog/index.json`. */
export interface CatalogIndexEntry {
  /** Repository name as `docker pull` spells it (`alpine`, `python`). */
  name: string;
  /** Tags that resolve to this image (`3.22`, `latest`…). */
  tags: string[];
  /** The image's data file, relative to index.json. */
  file: string;
  /** `os/arch[/variant]` of every manifest in the real image index. */
  platforms: string[];
  /** Number of filesystem layers (history entries without `empty_layer`). */
  layerCount: number;
  /** Uncompressed size that `docker images` reports for the real linux/amd64 image, in bytes. */
  expectedSize: number;
  /** Where `expectedSize` comes from. */
  sizeSource: string;
  description: string;
  /** A model image (scripts/catalog/models.mjs) rather than one of the hand-built core images. */
  model?: boolean;
  /**
   * `pending`: the registry digests of some of its layers are not precomputed in
   * catalog-digests.ts yet, so its first pull computes them (slowly) and remembers them.
   */
  digests?: 'pending';
}

/** The parsed `public/catalog/index.json`. */
export interface CatalogIndex {
  format: typeof CATALOG_FORMAT;
  images: CatalogIndexEntry[];
}

/** The runtime part of an image config (image-spec config.md `config`), as Docker writes it. */
export interface CatalogRunConfig {
  User?: string;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
  ExposedPorts?: Record<string, Record<string, never>>;
  Volumes?: Record<string, Record<string, never>>;
  Labels?: Record<string, string>;
  StopSignal?: string;
  Shell?: string[];
}

/** One image-spec history entry. */
export interface CatalogHistoryEntry {
  created?: string;
  created_by?: string;
  comment?: string;
  empty_layer?: boolean;
}

/** An image config without `rootfs` (the diff IDs are computed from the layers by the image store). */
export interface CatalogImageConfig {
  architecture: string;
  os: string;
  variant?: string;
  created?: string;
  config: CatalogRunConfig;
  history: CatalogHistoryEntry[];
}

/** A catalog image for one platform: its layers, bottom first, and its config. */
export interface CatalogImage {
  /** `name:tag` of the real image this models. */
  reference: string;
  platform: string;
  layers: LayerTree[];
  config: CatalogImageConfig;
  expectedSize: number;
}

interface RawLayer {
  comment?: string;
  mtime: number;
  seed: string;
  entries: string;
  texts: string[];
  /** SyntheticContent's random share for this layer's files (default 100; see content.ts). */
  rnd?: number;
  /** A layer shared with another catalog image: that image's data file and layer index. */
  ref?: string;
  layer?: number;
}

/** Where a shared layer really lives: another catalog data file and its layer index. */
export interface CatalogLayerRef {
  file: string;
  layer: number;
}

/** Reads the layers an image data file points at (`{ref, layer}`), for resolving shared layers. */
export type CatalogFileReader = (file: string) => Uint8Array;

interface RawPlatform {
  config: CatalogImageConfig;
  /** Substrings replaced in paths, symlink targets and texts for this platform (e.g. multiarch triplets). */
  rename?: [string, string][];
  /** Mixed into every synthetic file's seed, so another architecture's binaries get other bytes. */
  seedSalt?: string;
  /**
   * Per layer index, this platform's SyntheticContent random share where it differs from the
   * layer's `rnd` (the real arm64 blobs do not compress like the amd64 ones); null keeps the layer's.
   */
  rnd?: (number | null)[];
}

interface RawImage {
  format: string;
  reference: string;
  expectedSize: number;
  layers: RawLayer[];
  platforms: Record<string, RawPlatform>;
}

const invalid = (message: string, data: Record<string, unknown> = {}) =>
  new LayerlabError('catalog/invalid', message, { data });

function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new LayerlabError('catalog/invalid', `${what} is not valid JSON`, { cause });
  }
}

/** Parses `public/catalog/index.json`. */
export function parseCatalogIndex(bytes: Uint8Array): CatalogIndex {
  const j = parseJson(bytes, 'catalog index') as Partial<CatalogIndex>;
  if (j?.format !== CATALOG_FORMAT || !Array.isArray(j.images)) {
    throw invalid(`catalog index is not in format ${CATALOG_FORMAT}`, { format: j?.format });
  }
  return j as CatalogIndex;
}

/** The platforms an image data file provides, without building its layers. */
export function catalogImagePlatforms(bytes: Uint8Array): string[] {
  return Object.keys(readImage(bytes).platforms);
}

function readImage(bytes: Uint8Array): RawImage {
  const j = parseJson(bytes, 'catalog image') as Partial<RawImage>;
  if (j?.format !== CATALOG_FORMAT || !Array.isArray(j.layers) || typeof j.platforms !== 'object') {
    throw invalid(`catalog image is not in format ${CATALOG_FORMAT}`, { format: j?.format });
  }
  return j as RawImage;
}

/** A parsed catalog image data file (opaque outside this module). */
export interface CatalogFile {
  readonly reference: string;
}

/** Parses a catalog image data file once, for `catalogImageMeta` and `loadCatalogLayer`. */
export function parseCatalogFile(bytes: Uint8Array): CatalogFile {
  return readImage(bytes);
}

function platformOf(img: RawImage, platform: string): RawPlatform {
  const p = img.platforms[platform];
  if (!p) {
    throw new LayerlabError('catalog/unknown-platform', `no matching manifest for ${platform} in the manifest list entries of ${img.reference}`, {
      data: { platform, available: Object.keys(img.platforms) },
    });
  }
  return p;
}

function renamer(p: RawPlatform): (s: string) => string {
  const rename = p.rename ?? [];
  return (s: string) => {
    for (const [from, to] of rename) s = s.split(from).join(to);
    return s;
  };
}

/** What a catalog image is for one platform, without building its layers: config and layer count. */
export interface CatalogImageMeta {
  reference: string;
  platform: string;
  layerCount: number;
  config: CatalogImageConfig;
}

/** Reads a catalog image's config and layer count for `platform` (cheap: no LayerTree is built). */
export function catalogImageMeta(file: CatalogFile, platform: string): CatalogImageMeta {
  const img = file as RawImage;
  const p = platformOf(img, platform);
  return { reference: img.reference, platform, layerCount: img.layers.length, config: JSON.parse(JSON.stringify(p.config)) as CatalogImageConfig };
}

/**
 * The layer `index` of an image when it is shared with another catalog image (stored once, in the
 * other image's data file), or undefined when the layer's data is in this file.
 */
export function catalogLayerRef(file: CatalogFile, index: number): CatalogLayerRef | undefined {
  const l = (file as RawImage).layers[index];
  if (!l) throw invalid(`${file.reference} has no layer ${index}`, { layer: index });
  if (l.ref === undefined) return undefined;
  if (!/^[\w.-]+\.json$/.test(l.ref) || typeof l.layer !== 'number') throw invalid(`${file.reference} layer ${index}: bad shared-layer reference`, { layer: index });
  return { file: l.ref, layer: l.layer };
}

/** Builds one layer (bottom = 0) of a catalog image for `platform` as a frozen LayerTree. */
export function loadCatalogLayer(file: CatalogFile, platform: string, index: number): LayerTree {
  const img = file as RawImage;
  const p = platformOf(img, platform);
  const l = img.layers[index];
  if (!l) throw invalid(`${img.reference} has no layer ${index}`, { layer: index });
  if (l.ref !== undefined) throw invalid(`${img.reference} layer ${index} is shared with ${l.ref}: load it from there`, { layer: index });
  try {
    return buildLayer(l, renamer(p), p.seedSalt ?? '', p.rnd?.[index] ?? l.rnd);
  } catch (cause) {
    throw new LayerlabError('catalog/invalid', `reading layer ${index} of ${img.reference}`, { cause, data: { layer: index } });
  }
}

/**
 * Builds one platform of a catalog image: every layer as a frozen LayerTree, and the config.
 * Throws `catalog/unknown-platform` when the real image has no manifest for `platform`.
 */
export function loadCatalogImage(bytes: Uint8Array, opts: { platform?: string; read?: CatalogFileReader } = {}): CatalogImage {
  const img = readImage(bytes);
  const platform = opts.platform ?? 'linux/amd64';
  const p = platformOf(img, platform);
  const apply = renamer(p);
  const layers = img.layers.map((l, i) => {
    const ref = catalogLayerRef(img, i);
    if (ref) {
      if (!opts.read) throw invalid(`${img.reference} layer ${i} is shared with ${ref.file}: no reader given`, { layer: i });
      return loadCatalogLayer(parseCatalogFile(opts.read(ref.file)), platform, ref.layer);
    }
    try {
      return buildLayer(l, apply, p.seedSalt ?? '', p.rnd?.[i] ?? l.rnd);
    } catch (cause) {
      throw new LayerlabError('catalog/invalid', `reading layer ${i} of ${img.reference}`, { cause, data: { layer: i } });
    }
  });
  const config = JSON.parse(JSON.stringify(p.config)) as CatalogImageConfig;
  return { reference: img.reference, platform, layers, config, expectedSize: img.expectedSize };
}

/** FNV-1a over a string: the per-file seed of SyntheticContent. */
function seedOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function buildLayer(l: RawLayer, apply: (s: string) => string, salt: string, rnd: number | undefined): LayerTree {
  const tree = new LayerTree();
  const hardlinks: [string, string][] = [];
  let prev = '';
  for (const line of l.entries.split('\n')) {
    if (!line) continue;
    const [sharedText, rest, kindMode, owner, data] = line.split('\t');
    const raw = prev.slice(0, Number(sharedText || 0)) + rest;
    prev = raw;
    const path = apply(raw);
    const kind = kindMode[0];
    const meta: Partial<InodeMeta> = { mode: parseInt(kindMode.slice(1) || '777', 8), mtime: l.mtime };
    if (owner) {
      const [uid, gid] = owner.split(':').map(Number);
      meta.uid = uid;
      meta.gid = gid;
    }
    const parentMeta = { mtime: l.mtime };
    switch (kind) {
      case 'd':
      case 'D': {
        const existing = tree.get(path);
        const dir = existing instanceof Inode && existing.type === 'dir' ? existing : makeDir(meta);
        Object.assign(dir, meta);
        dir.opaque = kind === 'D';
        if (dir !== existing) tree.set(path, dir, parentMeta);
        break;
      }
      case 'f': {
        const content = data.startsWith('=')
          ? textContent(apply(l.texts[Number(data.slice(1))] ?? ''))
          : new SyntheticContent(Number(data), seedOf(`${l.seed}|${salt}|${raw}`), rnd);
        tree.set(path, makeFile(content, meta), parentMeta);
        break;
      }
      case 'l':
        tree.set(path, makeSymlink(apply(data), meta), parentMeta);
        break;
      case 'h':
        hardlinks.push([path, apply(data)]);
        break;
      case 'c':
      case 'b': {
        const [major, minor] = data.split(',').map(Number);
        tree.set(path, makeDevice(kind === 'c' ? 'char' : 'block', major, minor, meta), parentMeta);
        break;
      }
      case 'w':
        tree.set(path, WHITEOUT, parentMeta);
        break;
      default:
        throw invalid(`unknown entry kind ${kind} at ${path}`, { path, kind });
    }
  }
  // A hard link is the same Inode under a second name (tar typeflag '1' semantics).
  for (const [path, target] of hardlinks) {
    const t = tree.get(target);
    if (!(t instanceof Inode) || t.type === 'dir') throw invalid(`hard link ${path} to missing ${target}`, { path, target });
    tree.set(path, t);
  }
  return tree.freeze();
}
