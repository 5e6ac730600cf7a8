/**
 * Compression for layer blobs: fflate (gzip, level 6) and fzstd (zstd, read only). This module is
 * the only one that imports them, and it loads them on first use (`import()`), so a command that
 * compresses nothing never pays for them. Gzip output is made deterministic, so equal tars give
 * equal blob digests: header mtime 0, no file name, and input re-cut into fixed-size blocks before
 * deflate (fflate's output depends on how input is chunked).
 *
 * Decompression streams: `Decompressor` takes input chunks and hands output on as it is produced,
 * counting it against a limit, so a bomb stops after at most the limit of output.
 */
import { LayerlabError } from '../errors.ts';

/** Compression of a layer blob, detected by magic bytes. */
export type Compression = 'none' | 'gzip' | 'zstd';

/** The gzip level layerlab writes (Docker and BuildKit use Go's default, 6... compress/gzip.DefaultCompression). */
export const GZIP_LEVEL = 6;
const BLOCK = 64 * 1024;

type Fflate = typeof import('fflate');
type Fzstd = typeof import('fzstd');
let fflateP: Promise<Fflate> | undefined;
let fzstdP: Promise<Fzstd> | undefined;
const fflate = () => (fflateP ??= import('fflate'));
const fzstd = () => (fzstdP ??= import('fzstd'));

/**
 * A one-shot gunzip from the platform (node:zlib in the CLI): `maxBytes` is the exact size the
 * output may reach; beyond it the function throws. Used only where that size is already known
 * and trusted (a layer the store verified when it came in), never for untrusted input.
 */
export type PlatformGunzip = (blob: Uint8Array, maxBytes: number) => Uint8Array;
let platformGunzip: PlatformGunzip | undefined;

/** Installs the host's one-shot gunzip (see PlatformGunzip); process-wide, like useSha256. */
export function useGunzip(f: PlatformGunzip | undefined): void {
  platformGunzip = f;
}

/**
 * Gunzips a trusted blob whose uncompressed size is known, with the platform's gunzip when there
 * is one (several times fflate's speed in Node); undefined when there is none.
 */
export function gunzipKnownSize(blob: Uint8Array, size: number): Uint8Array | undefined {
  if (!platformGunzip || detectCompression(blob) !== 'gzip') return undefined;
  const out = platformGunzip(blob, size);
  if (out.length !== size) throw new LayerlabError('image/digest-mismatch', `layer: gunzipped to ${out.length} bytes, the store recorded ${size}`, { data: { expected: size, actual: out.length } });
  return out;
}

/** Detects gzip (`1f 8b`) or zstd (`28 b5 2f fd`) by magic; anything else is taken as a plain tar. */
export function detectCompression(b: Uint8Array): Compression {
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (b.length >= 4 && b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd) return 'zstd';
  return 'none';
}

/** A streaming deterministic gzip compressor: `push` tar chunks, then `finish`; output goes to `onData`. */
export class GzipWriter {
  private buf = new Uint8Array(BLOCK);
  private fill = 0;

  private constructor(private readonly gz: InstanceType<Fflate['Gzip']>) {}

  /** A writer whose compressed output goes to `onData` (loads fflate on first use). */
  static async create(onData: (chunk: Uint8Array) => void): Promise<GzipWriter> {
    const { Gzip } = await fflate();
    return new GzipWriter(new Gzip({ level: GZIP_LEVEL, mtime: 0 }, (chunk) => onData(chunk)));
  }

  push(chunk: Uint8Array): void {
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(BLOCK - this.fill, chunk.length - off);
      this.buf.set(chunk.subarray(off, off + n), this.fill);
      this.fill += n;
      off += n;
      if (this.fill === BLOCK) {
        this.gz.push(this.buf, false);
        this.buf = new Uint8Array(BLOCK);
        this.fill = 0;
      }
    }
  }

  finish(): void {
    this.gz.push(this.buf.subarray(0, this.fill), true);
  }
}

/** Gzips bytes deterministically (same output as GzipWriter). */
export async function gzipBytes(data: Uint8Array): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  const w = await GzipWriter.create((c) => out.push(c));
  w.push(data);
  w.finish();
  return concatBytes(out);
}

/** Joins chunks into one array. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/**
 * A streaming decompressor for gzip (multi-member, as Go's compress/gzip reads), zstd or plain
 * input, chosen by the first bytes. `push` input, then `finish`; output goes to `onData` as it is
 * produced. Past `maxBytes` of output it stops with `image/too-large` naming `limit`; a cut-off
 * or corrupt stream raises `image/truncated`.
 */
export class Decompressor {
  /** Bytes of output so far. */
  total = 0;
  private ended = false;
  private members = 0;
  private readonly tail = new Uint8Array(4);
  private tailFill = 0;
  private inflater?: { push(c: Uint8Array, final?: boolean): void };

  private constructor(
    readonly compression: Compression,
    private readonly onData: (chunk: Uint8Array) => void,
    private readonly maxBytes: number,
    private readonly what: string,
    private readonly limit: string,
  ) {}

  /** A decompressor for the stream whose first bytes are `head` (at least 4 when the stream has them). */
  static async open(head: Uint8Array, onData: (chunk: Uint8Array) => void, opts: { maxBytes: number; what: string; limit?: string }): Promise<Decompressor> {
    const compression = detectCompression(head);
    const d = new Decompressor(compression, onData, opts.maxBytes, opts.what, opts.limit ?? 'maxLayerBytes');
    const out = (chunk: Uint8Array, final?: boolean) => {
      d.emit(chunk);
      if (final) d.ended = true;
    };
    if (compression === 'gzip') {
      const g = new (await fflate()).Gunzip(out);
      g.onmember = () => void d.members++;
      d.inflater = g;
    } else if (compression === 'zstd') d.inflater = new (await fzstd()).Decompress(out);
    return d;
  }

  private emit(chunk: Uint8Array) {
    this.total += chunk.length;
    if (this.total > this.maxBytes) throw tooLarge(this.what, this.maxBytes, this.limit);
    if (chunk.length) this.onData(chunk);
  }

  push(chunk: Uint8Array): void {
    if (!this.inflater) return this.emit(chunk);
    if (chunk.length >= 4) {
      this.tail.set(chunk.subarray(chunk.length - 4));
      this.tailFill = 4;
    } else if (chunk.length > 0) {
      const keep = Math.max(0, Math.min(this.tailFill, 4 - chunk.length));
      this.tail.copyWithin(0, this.tailFill - keep, this.tailFill);
      this.tail.set(chunk, keep);
      this.tailFill = keep + chunk.length;
    }
    this.guard(() => {
      // Small input slices bound each step's output (deflate expands at most ~1032:1, zstd's RLE
      // blocks far more), so a bomb is stopped before one step allocates much past the limit.
      const CH = this.compression === 'gzip' ? 4 * 1024 : 1024;
      for (let i = 0; i < chunk.length; i += CH) this.inflater!.push(chunk.subarray(i, i + CH), false);
    });
  }

  finish(): void {
    if (!this.inflater) return;
    this.guard(() => this.inflater!.push(new Uint8Array(0), true));
    if (this.compression === 'gzip' && this.members === 0) {
      // fflate does not check the trailer; ISIZE (length mod 2^32) catches most cut streams.
      const t = this.tail;
      const isize = (t[0] | (t[1] << 8) | (t[2] << 16) | (t[3] << 24)) >>> 0;
      if (this.tailFill < 4 || isize !== this.total % 2 ** 32) this.ended = false;
    }
    if (!this.ended) throw new LayerlabError('image/truncated', `${this.what}: ${this.compression} stream is truncated`, { data: { compression: this.compression } });
  }

  private guard(f: () => void) {
    try {
      f();
    } catch (e) {
      if (e instanceof LayerlabError) throw e;
      throw new LayerlabError('image/truncated', `${this.what}: ${this.compression} stream is corrupt or truncated: ${(e as Error).message}`, {
        data: { compression: this.compression },
        cause: e,
      });
    }
  }
}

/**
 * Decompresses a whole blob held in memory (gzip, zstd or plain) with a bomb guard (see Decompressor).
 */
export async function decompress(blob: Uint8Array, maxBytes: number, what = 'layer', limit = 'maxLayerBytes'): Promise<{ bytes: Uint8Array; compression: Compression }> {
  if (detectCompression(blob) === 'none') {
    if (blob.length > maxBytes) throw tooLarge(what, maxBytes, limit);
    return { bytes: blob, compression: 'none' };
  }
  const out: Uint8Array[] = [];
  const d = await Decompressor.open(blob.subarray(0, 4), (c) => out.push(c), { maxBytes, what, limit });
  d.push(blob);
  d.finish();
  return { bytes: concatBytes(out), compression: d.compression };
}

function tooLarge(what: string, maxBytes: number, limit: string): LayerlabError {
  return new LayerlabError('image/too-large', `${what}: decompressed size exceeds the limit ${limit}=${maxBytes} (decompression bomb?)`, {
    data: { limit, max: maxBytes },
  });
}
