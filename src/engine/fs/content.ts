/**
 * File content. Content objects are immutable and shared: a layer's file points at one, a copy-up
 * points the new upper file at the *same* content object (the bytes counted as copied are the whole
 * file, as overlayfs copies them; sharing the object is only how the model avoids doubling memory).
 * A write produces a new content object.
 *
 * Two kinds:
 * - `BytesContent`: real bytes (text files, files written by RUN, files from a context or a tar).
 * - `SyntheticContent`: a deterministic generator of `size` bytes from a seed, for package binaries
 *   of base images. Simulation: its bytes are not the real program, but they are fixed by (seed, size),
 *   so digests are stable, and they compress with gzip at about 2–3× like typical ELF binaries.
 *   Memory follows metadata: nothing is materialised until read or exported.
 */

/** Immutable file bytes, possibly produced on demand. */
export interface FileContent {
  readonly size: number;
  /** All bytes at once; fine for small files, avoid for synthetic multi-megabyte content. */
  read(): Uint8Array;
  /** The bytes in chunks of at most `chunkSize`, without materialising the whole file. */
  chunks(chunkSize?: number): Iterable<Uint8Array>;
  /** A cheap identity: equal ids mean equal bytes (not necessarily the converse). */
  readonly id: string;
}

let nextBytesId = 1;

/** Content held as real bytes. */
export class BytesContent implements FileContent {
  readonly id: string;
  constructor(readonly bytes: Uint8Array) {
    this.id = `b${nextBytesId++}`;
  }
  get size() {
    return this.bytes.length;
  }
  read() {
    return this.bytes;
  }
  *chunks(chunkSize = 1 << 20) {
    for (let i = 0; i < this.bytes.length; i += chunkSize) yield this.bytes.subarray(i, i + chunkSize);
  }
}

/** The empty file's content, shared. */
export const EMPTY_CONTENT: FileContent = new BytesContent(new Uint8Array(0));

/** Content from a string (UTF-8). */
export function textContent(s: string): FileContent {
  return new BytesContent(new TextEncoder().encode(s));
}

/** Content from bytes (the array is kept, not copied: do not mutate it afterwards). */
export function bytesContent(b: Uint8Array): FileContent {
  return b.length === 0 ? EMPTY_CONTENT : new BytesContent(b);
}

// Words of a fake symbol table: repeating them gives the 2–3× gzip ratio of real binaries.
const WORDS = [
  '__libc_start_main', 'memcpy', 'GLIBC_2.34', '.text', '.rodata', 'malloc', 'free', 'strlen',
  '_ITM_registerTMCloneTable', '__cxa_finalize', 'printf', 'fwrite', 'stderr', 'optarg', 'getopt_long',
  '/usr/lib/x86_64-linux-gnu', 'usage: %s [OPTION]... [FILE]...', 'Try --help', 'gmon_start',
].map((w) => new TextEncoder().encode(w + '\0'));

/**
 * Deterministic pseudo-binary content of a given size. Simulation: stands in for a real binary
 * whose bytes we do not ship; see the module comment.
 */
/** The share of random blocks (out of 256) in SyntheticContent unless told otherwise. */
export const DEFAULT_RANDOM_SHARE = 100;

export class SyntheticContent implements FileContent {
  readonly id: string;
  /**
   * @param randomShare how many of 256 64-byte blocks are random rather than words (default 100, a
   *   gzip -6 ratio of about 2.5; lower compresses better). Catalog layers set it per layer to
   *   reach the published compressed size of the real image.
   */
  constructor(
    readonly size: number,
    readonly seed: number,
    readonly randomShare = DEFAULT_RANDOM_SHARE,
  ) {
    this.id = randomShare === DEFAULT_RANDOM_SHARE ? `s${seed >>> 0}:${size}` : `s${seed >>> 0}:${size}:r${randomShare}`;
  }
  read() {
    const out = new Uint8Array(this.size);
    let off = 0;
    for (const c of this.chunks()) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
  *chunks(chunkSize = 1 << 20) {
    // xorshift32 seeded per file; blocks of 64 bytes are either random (machine code stands in)
    // or a run of symbol-table words, in proportions that give gzip -6 a ratio of about 2.5.
    // The generator is inlined (no closure call per byte); the bytes are exactly those of the
    // plain loop, which the catalog's precomputed digests depend on.
    let s = (this.seed ^ 0x2545f491) >>> 0 || 1;
    const share = this.randomShare;
    const nw = WORDS.length;
    let remaining = this.size;
    while (remaining > 0) {
      const n = Math.min(chunkSize, remaining);
      const buf = new Uint8Array(n);
      let i = 0;
      while (i < n) {
        s ^= s << 13;
        s >>>= 0;
        s ^= s >>> 17;
        s ^= s << 5;
        s >>>= 0;
        const end = i + 64 < n ? i + 64 : n;
        if ((s & 0xff) < share) {
          while (i + 3 <= end) {
            s ^= s << 13;
            s >>>= 0;
            s ^= s >>> 17;
            s ^= s << 5;
            s >>>= 0;
            buf[i] = s;
            buf[i + 1] = s >>> 8;
            buf[i + 2] = s >>> 16;
            i += 3;
          }
          if (i < end) {
            s ^= s << 13;
            s >>>= 0;
            s ^= s >>> 17;
            s ^= s << 5;
            s >>>= 0;
            buf[i++] = s;
            if (i < end) buf[i++] = s >>> 8;
          }
        } else {
          while (i < end) {
            s ^= s << 13;
            s >>>= 0;
            s ^= s >>> 17;
            s ^= s << 5;
            s >>>= 0;
            const w = WORDS[s % nw];
            const m = w.length;
            if (i + m <= end) {
              for (let k = 0; k < m; k++) buf[i + k] = w[k];
              i += m;
            } else {
              for (let k = 0; i < end; k++) buf[i++] = w[k];
            }
          }
        }
      }
      remaining -= n;
      yield buf;
    }
  }
}

/** True if two contents certainly hold the same bytes (same object/id, or equal small byte arrays). */
export function sameContent(a: FileContent, b: FileContent): boolean {
  if (a === b || a.id === b.id) return true;
  if (a.size !== b.size) return false;
  if (a instanceof SyntheticContent || b instanceof SyntheticContent) return false;
  const x = a.read();
  const y = b.read();
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
