/**
 * Catalog layers on demand: the base catalog's data files read once through the host's asset
 * loader, and each layer built as a LayerTree only when something reads it. The docker.io registry
 * (registry/catalog-seed.ts) and the image store (a pulled catalog layer kept lazily) share one.
 */
import { LayerlabError } from '../errors.ts';
import type { LayerTree } from '../fs/layer-tree.ts';
import { catalogImageMeta, catalogLayerRef, loadCatalogLayer, parseCatalogFile, type CatalogFile, type CatalogImageMeta } from './catalog.ts';

/** Reads a static asset: `catalog/index.json`, `catalog/<file>` (the Host's `asset`). */
export type AssetLoader = (path: string) => Promise<Uint8Array>;

/** Where a catalog layer's content comes from: a data file, a platform and the layer index (bottom = 0). */
export interface CatalogLayerSource {
  file: string;
  platform: string;
  layer: number;
}

/** Checks that a persisted source names a catalog layer; throws `catalog/invalid` otherwise. */
export function catalogLayerSource(v: Record<string, unknown>): CatalogLayerSource {
  const { file, platform, layer } = v;
  if (typeof file !== 'string' || typeof platform !== 'string' || typeof layer !== 'number' || !/^[\w.-]+\.json$/.test(file)) {
    throw new LayerlabError('catalog/invalid', 'not a catalog layer source', { data: { source: v } });
  }
  return { file, platform, layer };
}

/** The catalog's data files and layers, loaded on first use and kept; see the module comment. */
export class CatalogLayers {
  private readonly bytes = new Map<string, Promise<Uint8Array>>();
  private readonly files = new Map<string, Promise<CatalogFile>>();
  /** Built trees by `file|platform|layer`; frozen, so sharing them is safe. */
  private readonly trees = new Map<string, Promise<LayerTree>>();

  constructor(private readonly asset: AssetLoader) {}

  /** The raw bytes of a catalog data file. */
  fileBytes(file: string): Promise<Uint8Array> {
    let b = this.bytes.get(file);
    if (!b) {
      b = this.asset(`catalog/${file}`);
      this.bytes.set(file, b);
      b.catch(() => this.bytes.delete(file));
    }
    return b;
  }

  private parsed(file: string): Promise<CatalogFile> {
    let f = this.files.get(file);
    if (!f) {
      f = this.fileBytes(file).then(parseCatalogFile);
      this.files.set(file, f);
      f.catch(() => this.files.delete(file));
    }
    return f;
  }

  /** Config and layer count of one platform of a catalog image, without building layers. */
  async meta(file: string, platform: string): Promise<CatalogImageMeta> {
    return catalogImageMeta(await this.parsed(file), platform);
  }

  /**
   * Where a layer's data really is: a layer shared with another catalog image (python's debian
   * base) is stored once, in that image's file; followed to the end (at most 8 hops).
   */
  async resolve(src: CatalogLayerSource): Promise<CatalogLayerSource> {
    let cur = src;
    for (let hop = 0; hop < 8; hop++) {
      const ref = catalogLayerRef(await this.parsed(cur.file), cur.layer);
      if (!ref) return cur;
      cur = { file: ref.file, platform: cur.platform, layer: ref.layer };
    }
    throw new LayerlabError('catalog/invalid', `shared-layer references from ${src.file} loop`, { data: { source: src } });
  }

  /** One layer as a frozen LayerTree (built on first call, then shared). */
  layerTree(src: CatalogLayerSource): Promise<LayerTree> {
    const key = `${src.file}|${src.platform}|${src.layer}`;
    let t = this.trees.get(key);
    if (!t) {
      t = this.resolve(src).then(async (real) => loadCatalogLayer(await this.parsed(real.file), real.platform, real.layer));
      this.trees.set(key, t);
      t.catch(() => this.trees.delete(key));
    }
    return t;
  }
}
