/**
 * Plain, structured-cloneable data the engine returns through its services (`createEngine`):
 * what the CLI formats as docker's tables and JSON, and what the lab UI draws. No class
 * instances, no functions: everything here crosses the worker boundary by structured clone.
 */

/** One row of `images`: one per repo:tag, or one `<none>:<none>` row for a dangling image. */
export interface ImageSummary {
  /** Familiar repository (`alpine`, `localhost:5000/app`) or `<none>`. */
  repository: string;
  tag: string;
  /** Config digest, `sha256:…`. */
  imageId: string;
  /** ISO time from the config's `created`. */
  created?: string;
  /** Sum of the layers' uncompressed sizes (what `docker images` shows). */
  size: number;
  layerCount: number;
}

/** One row of `history`, newest first, like the docker CLI's. */
export interface HistoryRow {
  /** The image ID for the top row, `<missing>` for the others (as docker shows for pulled/built layers). */
  id: string;
  created?: string;
  createdBy: string;
  /** Uncompressed size of the layer this entry made; 0 for an empty_layer entry. */
  size: number;
  comment: string;
  emptyLayer: boolean;
}

/** One layer of an image, bottom first, for the lab's layer stack. */
export interface LayerView {
  index: number;
  diffId: string;
  /** Blob digest; undefined while the layer is not compressed yet (it is at save or push). */
  digest?: string;
  /** Uncompressed tar size of the layer. */
  size: number;
  /** Compressed blob size; undefined while the layer is not compressed yet. */
  compressedSize?: number;
  /** Sum of file content bytes in the layer. */
  contentSize: number;
  createdBy: string;
  /** History entries that did not make a layer (ENV, CMD…) directly above this layer. */
  metadataAbove: { createdBy: string; created?: string }[];
  counts: { added: number; whiteouts: number; opaque: number };
}

/** One entry of a layer, for the inspector and file trees. */
export interface LayerEntryView {
  path: string;
  /** 'whiteout' and 'opaque' are markers; the rest are inode types. */
  type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo' | 'socket' | 'whiteout';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkTarget?: string;
  opaque?: boolean;
}

/** An image of the embedded base catalog. */
export interface CatalogEntry {
  name: string;
  tags: string[];
  platforms: string[];
  layers: number;
  size: number;
  description?: string;
}

/** A prune's outcome: what was deleted and the bytes reclaimed. */
export interface PruneResult {
  deleted: string[];
  /** `untagged: …` / `deleted: sha256:…` lines for image prune. */
  lines?: string[];
  reclaimed: number;
}
