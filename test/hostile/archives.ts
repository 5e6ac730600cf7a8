/**
 * Hostile `docker load` inputs, generated on the fly and lazily: each is an async stream of the
 * archive's bytes that only produces what the reader pulls, so a 100 GiB bomb costs nothing to
 * make and the generator's count proves how much the reader consumed before refusing it.
 *
 * The bytes are real: multi-member gzip (RFC 1952 §2.2, which Go's compress/gzip and Docker read)
 * of real tar headers; the compressed zero runs are produced once and repeated.
 */
import { gzipSync } from 'node:zlib';
import { encodeHeader } from '../../src/engine/image/tar-format.ts';
import type { TarHeader } from 'modern-tar';

const MiB = 1 << 20;
const GiB = 1 << 30;

/** A hostile archive: its name, what it should be refused with, and its byte stream. */
export interface HostileCase {
  name: string;
  /** What the archive would expand to if read to its end. */
  expandsTo: number;
  code: string;
  limit?: string;
  /** Per-load limit overrides (otherwise the defaults). */
  limits?: Record<string, number>;
  /** The archive's bytes as pulled; `counter.bytes` is how many compressed bytes were produced. */
  stream(counter: { bytes: number }): AsyncIterable<Uint8Array>;
}

const hdr = (h: Partial<TarHeader> & { name: string; size: number }): Uint8Array => {
  const blocks = encodeHeader({ mode: 0o644, mtime: new Date(0), type: 'file', ...h } as TarHeader);
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of blocks) {
    out.set(b, o);
    o += b.length;
  }
  return out;
};

/** One gzip member holding `n` zero bytes (n ≤ 1 GiB); cached by size. */
const zeroMembers = new Map<number, Uint8Array>();
function gzipZeros(n: number): Uint8Array {
  let m = zeroMembers.get(n);
  if (!m) {
    m = new Uint8Array(gzipSync(new Uint8Array(n), { level: 9 }));
    zeroMembers.set(n, m);
  }
  return m;
}

/** `total` zero bytes as repeated gzip members of `member` bytes each. */
function* zeros(total: number, member = 64 * MiB): Generator<Uint8Array> {
  for (let left = total; left > 0; left -= member) yield gzipZeros(Math.min(member, left));
}

const gz = (b: Uint8Array) => new Uint8Array(gzipSync(b, { level: 1 }));

async function* counted(counter: { bytes: number }, parts: Iterable<Uint8Array>): AsyncIterable<Uint8Array> {
  for (const p of parts) {
    counter.bytes += p.length;
    yield p;
  }
}

/** A classic `docker save` archive (plain tar) whose only layer is `layer`; the config's diff_id is a placeholder (never reached). */
function classicWithLayer(layer: Uint8Array): Uint8Array {
  const config = new TextEncoder().encode(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${'0'.repeat(64)}`] } }));
  const manifest = new TextEncoder().encode(JSON.stringify([{ Config: 'c.json', RepoTags: ['evil:1'], Layers: ['l/layer.tar'] }]));
  const parts: Uint8Array[] = [];
  for (const [name, body] of [['c.json', config], ['l/layer.tar', layer], ['manifest.json', manifest]] as const) {
    parts.push(hdr({ name, size: body.length }), body, new Uint8Array(-body.length & 511));
  }
  parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const HOSTILE_CASES: HostileCase[] = [
  {
    // A layer that gunzips to 4 GiB of zeros: the tar ends at its first block, the rest is padding
    // Docker would still hash; refused once it passes maxTrailingBytes.
    name: 'layer: gzip bomb, 4 GiB of zeros',
    expandsTo: 4 * GiB,
    code: 'image/too-large',
    limit: 'maxTrailingBytes',
    stream: (c) => counted(c, [classicWithLayer(concat([...zeros(4 * GiB)]))]),
  },
  {
    // A layer whose one file claims 4 GiB of zeros: refused at its header.
    name: 'layer: gzip bomb, one 4 GiB file of zeros',
    expandsTo: 4 * GiB + 1024,
    code: 'image/too-large',
    limit: 'maxFileBytes',
    stream: (c) => counted(c, [classicWithLayer(concat([gz(hdr({ name: 'zeros', size: 4 * GiB })), ...zeros(4 * GiB)]))]),
  },
  {
    // The whole archive is a gzip stream of 100 GiB: a blob entry of 100 GiB of zeros (PAX size).
    name: 'archive: gzip bomb, 100 GiB of zeros in one entry',
    expandsTo: 100 * GiB,
    code: 'image/too-large',
    limit: 'maxFileBytes',
    stream: (c) => counted(c, (function* () {
      yield gz(hdr({ name: `blobs/sha256/${'a'.repeat(64)}`, size: 100 * GiB }));
      yield* zeros(100 * GiB, GiB);
    })()),
  },
  {
    // 100 GiB of zeros in entries of 8 MiB, each within maxFileBytes: only the expansion count
    // stops it (limits lowered so the kept files stay small: the counting is what is under test).
    name: 'archive: gzip bomb, 100 GiB of zeros in many entries',
    expandsTo: 100 * GiB,
    code: 'image/too-large',
    limit: 'maxArchiveBytes',
    limits: { maxArchiveBytes: 64 * MiB, maxFileBytes: 8 * MiB },
    stream: (c) => counted(c, (function* () {
      for (let i = 0; i < (100 * GiB) / (8 * MiB); i++) {
        yield gz(hdr({ name: `junk/${i}`, size: 8 * MiB }));
        yield* zeros(8 * MiB);
      }
    })()),
  },
  {
    // 10 million empty entries with distinct names, gzipped in members of 10,000 headers.
    name: 'archive: 10 million empty entries',
    expandsTo: 10_000_000 * 512,
    code: 'image/too-large',
    limit: 'maxArchiveEntries',
    stream: (c) => counted(c, (function* () {
      const batch = 10_000;
      for (let i = 0; i < 10_000_000; i += batch) yield gz(emptyEntries(i, batch, true));
    })()),
  },
  {
    // A layer of 10 million empty entries (one name, so the blob gzips to a few MiB, as a bomb does).
    name: 'layer: 10 million empty entries',
    expandsTo: 10_000_000 * 512,
    code: 'image/too-large',
    limit: 'maxEntries',
    stream: (c) => {
      const member = new Uint8Array(gzipSync(emptyEntries(0, 10_000, false), { level: 9 }));
      return counted(c, [classicWithLayer(concat(Array(1000).fill(member)))]);
    },
  },
  {
    // A 1 GB file-name table: a PAX record claiming a 1 GiB path, refused at its header.
    name: 'archive: 1 GB file name (PAX path record)',
    expandsTo: GiB,
    code: 'image/too-large',
    limit: 'maxMetaBytes',
    stream: (c) => counted(c, (function* () {
      const h = hdr({ name: 'PaxHeader/x', size: GiB, type: 'pax-header' as TarHeader['type'] });
      yield gz(h);
      for (let i = 0; i < 1024; i++) yield gz(new TextEncoder().encode('a/'.repeat(512 * 1024)));
    })()),
  },
  {
    // The same as a GNU long-name record.
    name: 'archive: 1 GB file name (GNU long name)',
    expandsTo: GiB,
    code: 'image/too-large',
    limit: 'maxMetaBytes',
    stream: (c) => counted(c, (function* () {
      const h = hdr({ name: '././@LongLink', size: GiB });
      h[156] = 'L'.charCodeAt(0);
      fixChecksum(h);
      yield gz(h);
      for (let i = 0; i < 1024; i++) yield gz(new TextEncoder().encode('a/'.repeat(512 * 1024)));
    })()),
  },
  {
    // Directories nested one level per entry (a/, a/a/, …) until the path passes PATH_MAX.
    name: 'layer: deeply nested directories',
    expandsTo: 100_000 * 1024,
    code: 'image/too-large',
    limit: 'maxPathBytes',
    stream: (c) => {
      const parts: Uint8Array[] = [];
      for (let d = 1; d <= 100_000 && 2 * d <= 8192; d++) parts.push(hdr({ name: 'a/'.repeat(d), size: 0, type: 'directory', mode: 0o755 }));
      return counted(c, [classicWithLayer(gz(concat(parts)))]);
    },
  },
];

/** `n` empty-file headers: names `e/<i in base 36>` (distinct) or all `e/x`. */
function emptyEntries(first: number, n: number, distinct: boolean): Uint8Array {
  const template = hdr({ name: 'e/x', size: 0 });
  const buf = new Uint8Array(n * 512);
  for (let k = 0; k < n; k++) {
    const b = buf.subarray(k * 512, k * 512 + 512);
    b.set(template);
    if (distinct) {
      const name = `e/${(first + k).toString(36)}`;
      b.fill(0, 0, 100);
      for (let j = 0; j < name.length; j++) b[j] = name.charCodeAt(j);
      fixChecksum(b);
    }
  }
  return buf;
}

function fixChecksum(b: Uint8Array) {
  b.fill(32, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += b[i];
  const s = sum.toString(8).padStart(6, '0');
  for (let i = 0; i < 6; i++) b[148 + i] = s.charCodeAt(i);
  b[154] = 0;
  b[155] = 32;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
