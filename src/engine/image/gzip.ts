/**
 * Compression for layer blobs: fflate (gzip, level 6) and fzstd (zstd, read only). This module is
 * the only one that imports them. Gzip output is made deterministic, so equal tars give equal
 * blob digests: header mtime 0, no file name, and input re-cut into fixed-size blocks before
 * deflate (fflate's output depends on how input is chunked).
 */
import { Gunzip, Gzip } from 'fflate';
import { Decompress as ZstdDecompress } from 'fzstd';
import { LayerlabError } from '../errors.ts';

/** Compression of a layer blob, detected by magic bytes. */
export type Compression = 'none' | 'gzip' | 'zstd';

/** The gzip level layerlab writes (Docker and BuildKit use Go's default, 6... compress/gzip.DefaultCompression). */
export const GZIP_LEVEL = 6;
const BLOCK = 64 * 1024;

/** Detects gzip (`1f 8b`) or zstd (`28 b5 2f fd`) by magic; anything else is taken as a plain tar. */
export function detectCompression(b: Uint8Array): Compression {
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (b.length >= 4 && b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd) return 'zstd';
  return 'none';
}

/** A streaming deterministic gzip compressor: `push` tar chunks, then `finish`; output goes to `onData`. */
export class GzipWriter {
  private readonly gz: Gzip;
  private buf = new Uint8Array(BLOCK);
  private fill = 0;

  constructor(onData: (chunk: Uint8Array) => void) {
    this.gz = new Gzip({ level: GZIP_LEVEL, mtime: 0 }, (chunk) => onData(chunk));
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
export function gzipBytes(data: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [];
  const w = new GzipWriter((c) => out.push(c));
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
 * Decompresses a layer blob (gzip, zstd or plain) with a bomb guard: past `maxBytes` of output it
 * stops with `image/too-large`; a cut-off stream raises `image/truncated`.
 */
export function decompress(blob: Uint8Array, maxBytes: number, what = 'layer'): { bytes: Uint8Array; compression: Compression } {
  const compression = detectCompression(blob);
  if (compression === 'none') {
    if (blob.length > maxBytes) throw tooLarge(what, maxBytes);
    return { bytes: blob, compression };
  }
  const out: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const onData = (chunk: Uint8Array, final?: boolean) => {
    total += chunk.length;
    if (total > maxBytes) throw tooLarge(what, maxBytes);
    out.push(chunk);
    if (final) ended = true;
  };
  try {
    const CH = 256 * 1024;
    if (compression === 'gzip') {
      const g = new Gunzip(onData);
      for (let i = 0; i < blob.length; i += CH) g.push(blob.subarray(i, i + CH), i + CH >= blob.length);
      // fflate does not check the trailer; ISIZE (length mod 2^32) catches most cut streams.
      const isize = (blob[blob.length - 4] | (blob[blob.length - 3] << 8) | (blob[blob.length - 2] << 16) | (blob[blob.length - 1] << 24)) >>> 0;
      if (blob.length < 18 || isize !== total % 2 ** 32) ended = false;
    } else {
      const z = new ZstdDecompress(onData);
      for (let i = 0; i < blob.length; i += CH) z.push(blob.subarray(i, i + CH), i + CH >= blob.length);
    }
  } catch (e) {
    if (e instanceof LayerlabError) throw e;
    throw new LayerlabError('image/truncated', `${what}: ${compression} stream is corrupt or truncated: ${(e as Error).message}`, {
      data: { compression },
      cause: e,
    });
  }
  if (!ended) throw new LayerlabError('image/truncated', `${what}: ${compression} stream is truncated`, { data: { compression } });
  return { bytes: concatBytes(out), compression };
}

function tooLarge(what: string, maxBytes: number): LayerlabError {
  return new LayerlabError('image/too-large', `${what}: decompressed size exceeds the limit maxLayerBytes=${maxBytes} (decompression bomb?)`, {
    data: { limit: 'maxLayerBytes', max: maxBytes },
  });
}

/**
 * The first `n` bytes of a compressed blob's content (fewer if it is shorter), decompressing no
 * more than needed: enough to tell whether a gzip or zstd file holds a tar (ADD's archive test)
 * without inflating a decompression bomb. Throws `image/truncated` on a corrupt stream start.
 */
export function decompressHead(blob: Uint8Array, n: number): Uint8Array {
  const compression = detectCompression(blob);
  if (compression === 'none') return blob.subarray(0, n);
  const out: Uint8Array[] = [];
  let total = 0;
  const enough = {};
  const onData = (chunk: Uint8Array) => {
    out.push(chunk);
    total += chunk.length;
    if (total >= n) throw enough;
  };
  try {
    const CH = 16 * 1024;
    const d = compression === 'gzip' ? new Gunzip(onData) : new ZstdDecompress(onData);
    for (let i = 0; i < blob.length; i += CH) d.push(blob.subarray(i, i + CH), i + CH >= blob.length);
  } catch (e) {
    if (e !== enough) throw new LayerlabError('image/truncated', `${compression} stream is corrupt: ${(e as Error).message}`, { data: { compression }, cause: e });
  }
  return concatBytes(out).subarray(0, n);
}
