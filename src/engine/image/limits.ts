/**
 * Limits applied to untrusted image input (loaded archives, pulled blobs). Breaching one raises
 * `image/too-large` naming the limit. One documented options object with defaults, as STYLE.md asks.
 *
 * Every limit is checked while the input streams: the tar reader refuses a header that breaks a
 * count, path or size limit before reading its body, and the decompressors count their output as
 * they produce it, so a bomb is refused after at most the limit of output, holding only the
 * legitimate files kept so far. The defaults suit a browser tab (a worker with a few hundred MiB
 * to spare); the CLI takes `--max-layer-size` or `LAYERLAB_MAX_LAYER_SIZE`.
 */

/** Size and count limits for reading images. */
export interface ImageLimits {
  /** Largest uncompressed layer tar accepted (decompression-bomb guard). Default 1 GiB. */
  maxLayerBytes: number;
  /** Largest archive (`docker load` input) accepted, after decompression. Default 1 GiB. */
  maxArchiveBytes: number;
  /** Most bytes one load may expand to: the archive plus every layer, uncompressed. Default 2 GiB. */
  maxLoadBytes: number;
  /** Largest single file inside a layer or archive, as its tar header declares it. Default 512 MiB. */
  maxFileBytes: number;
  /**
   * Bytes after a layer tar's end-of-archive marker. Docker reads them into the DiffID; more than
   * a tar record's padding means the stream is not a tar. Default 1 MiB.
   */
  maxTrailingBytes: number;
  /** Largest PAX extended header or GNU long-name record. Default 1 MiB. */
  maxMetaBytes: number;
  /** Largest JSON document (manifest, config, index). Default 4 MiB. */
  maxJsonBytes: number;
  /** Most tar entries in one layer. Default 250,000 (a large real layer has tens of thousands; each costs a tab memory). */
  maxEntries: number;
  /** Most entries in a `docker load` archive (a few per layer and image). Default 10,000. */
  maxArchiveEntries: number;
  /** Most layers in one image (Docker's overlay2 allows 125 + 2). Default 127. */
  maxLayers: number;
  /** Longest path inside a layer, in bytes (Linux PATH_MAX). Default 4096. */
  maxPathBytes: number;
}

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** The defaults; pass a partial object to override some. */
export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = Object.freeze({
  maxLayerBytes: GiB,
  maxArchiveBytes: GiB,
  maxLoadBytes: 2 * GiB,
  maxFileBytes: 512 * MiB,
  maxTrailingBytes: MiB,
  maxMetaBytes: MiB,
  maxJsonBytes: 4 * MiB,
  maxEntries: 250_000,
  maxArchiveEntries: 10_000,
  maxLayers: 127,
  maxPathBytes: 4096,
});

/** The defaults with `over` applied. */
export function imageLimits(over: Partial<ImageLimits> = {}): ImageLimits {
  return { ...DEFAULT_IMAGE_LIMITS, ...over };
}

/**
 * Parses a size as the docker CLI writes them (`512m`, `2g`, `1GiB`, `1048576`); binary units.
 * Returns undefined for text that is not a size.
 */
export function parseByteSize(s: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(s);
  if (!m) return undefined;
  const mult = { '': 1, k: 1024, m: MiB, g: GiB, t: 1024 * GiB }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const v = Math.floor(Number(m[1]) * mult);
  return Number.isSafeInteger(v) && v > 0 ? v : undefined;
}
