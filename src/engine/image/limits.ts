/**
 * Limits applied to untrusted image input (loaded archives, pulled blobs). Breaching one raises
 * `image/too-large` naming the limit. One documented options object with defaults, as STYLE.md asks.
 */

/** Size and count limits for reading images. */
export interface ImageLimits {
  /** Largest uncompressed layer tar accepted (decompression-bomb guard). Default 2 GiB. */
  maxLayerBytes: number;
  /** Largest archive (`docker load` input) accepted, after decompression. Default 2 GiB. */
  maxArchiveBytes: number;
  /** Largest JSON document (manifest, config, index). Default 4 MiB. */
  maxJsonBytes: number;
  /** Most tar entries in one layer. Default 1,000,000. */
  maxEntries: number;
  /** Most layers in one image (Docker's overlay2 allows 125 + 2). Default 127. */
  maxLayers: number;
  /** Longest path inside a layer, in bytes (Linux PATH_MAX). Default 4096. */
  maxPathBytes: number;
}

/** The defaults; pass a partial object to override some. */
export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = Object.freeze({
  maxLayerBytes: 2 * 1024 ** 3,
  maxArchiveBytes: 2 * 1024 ** 3,
  maxJsonBytes: 4 * 1024 ** 2,
  maxEntries: 1_000_000,
  maxLayers: 127,
  maxPathBytes: 4096,
});

/** The defaults with `over` applied. */
export function imageLimits(over: Partial<ImageLimits> = {}): ImageLimits {
  return { ...DEFAULT_IMAGE_LIMITS, ...over };
}
