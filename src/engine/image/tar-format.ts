/**
 * The tar format itself, at the speed of the bytes: a header encoder for the layer writer and a
 * streaming, push-driven reader for untrusted archives. No library and no Web Streams: a layer of
 * hundreds of megabytes passes through as `subarray` views, and a hostile archive is refused at
 * the header that breaks a limit, before its body is read.
 *
 * Writing reproduces modern-tar 0.8.6's encoder byte for byte (its `createTarHeader` and
 * `generatePax`, MIT licence), so layer digests are the same as before this module existed; a
 * property test in tar.test.ts compares the two. Unlike modern-tar it writes devmajor/devminor.
 *
 * Reading follows Go's archive/tar (what Docker and containerd use): ustar, GNU and V7 headers,
 * octal or base-256 numbers, PAX extended headers (`path`, `linkpath`, `size`, `uid`, `gid`,
 * `mtime`, `SCHILY.xattr.*`), GNU long names (`L`/`K`); header-only types (links, directories,
 * devices, fifos) carry no body whatever their size field says; the archive ends at a zero block.
 */
import type { TarHeader } from 'modern-tar';
import { LayerlabError } from '../errors.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

const TYPEFLAG: Record<string, string> = {
  file: '0', link: '1', symlink: '2', 'character-device': '3', 'block-device': '4', directory: '5', fifo: '6', 'pax-header': 'x',
};

// ---- writing (modern-tar 0.8.6 src/tar/encoding.ts, header.ts, pax.ts, checksum.ts) ----

function writeString(view: Uint8Array, offset: number, size: number, value: string | undefined) {
  if (!value) return;
  for (let i = 0; i < value.length && i < size; i++) {
    const c = value.charCodeAt(i);
    if (c > 127) {
      enc.encodeInto(value, view.subarray(offset, offset + size));
      return;
    }
    view[offset + i] = c;
  }
}

function writeOctal(view: Uint8Array, offset: number, size: number, value: number | undefined) {
  if (value === undefined) return;
  let remaining = value;
  for (let i = offset + size - 2; i >= offset; i--) {
    view[i] = 48 + (remaining % 8);
    remaining = Math.floor(remaining / 8);
  }
  if (remaining === 0 && value % 1 === 0) return;
  enc.encodeInto(value.toString(8).padStart(size - 1, '0'), view.subarray(offset, offset + size - 1));
}

function writeChecksum(block: Uint8Array) {
  block.fill(32, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += block[i];
  for (let i = 153; i >= 148; i--) {
    block[i] = (sum & 7) + 48;
    sum >>= 3;
  }
  block[154] = 0;
  block[155] = 32;
}

const NON_ASCII = /[^\x00-\x7f]/;
function utf8TooLong(value: string, limit: number): boolean {
  if (value.length * 3 <= limit) return false;
  if (value.length > limit) return true;
  if (!NON_ASCII.test(value)) return false;
  return enc.encode(value).length > limit;
}

function ustarSplit(path: string): { prefix: string; name: string } | null {
  if (!utf8TooLong(path, 100) || utf8TooLong(path, 256)) return null;
  for (let i = path.length - 1; i > 0; i--) {
    if (path[i] !== '/') continue;
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (!utf8TooLong(prefix, 155) && !utf8TooLong(name, 100)) return { prefix, name };
  }
  return null;
}

const isBodyless = (h: TarHeader) => h.type === 'directory' || h.type === 'symlink' || h.type === 'link' || h.type === 'character-device' || h.type === 'block-device' || h.type === 'fifo';

/** The constant part of every ustar header: magic and version. */
const USTAR_TEMPLATE = (() => {
  const b = new Uint8Array(512);
  writeString(b, 257, 6, 'ustar\0');
  writeString(b, 263, 2, '00');
  return b;
})();

function ustarBlock(h: TarHeader, rdev?: { major: number; minor: number }): Uint8Array {
  const view = USTAR_TEMPLATE.slice();
  const size = isBodyless(h) ? 0 : (h.size ?? 0);
  let name = h.name;
  let prefix = '';
  if (!h.pax?.path && name.length * 3 > 100) {
    const split = ustarSplit(name);
    if (split) ({ name, prefix } = split);
  }
  writeString(view, 0, 100, name);
  writeOctal(view, 100, 8, h.mode ?? (h.type === 'directory' ? 0o755 : 0o644));
  writeOctal(view, 108, 8, h.uid ?? 0);
  writeOctal(view, 116, 8, h.gid ?? 0);
  writeOctal(view, 124, 12, size);
  writeOctal(view, 136, 12, Math.floor((h.mtime?.getTime() ?? 0) / 1e3));
  writeString(view, 156, 1, TYPEFLAG[h.type ?? 'file']);
  writeString(view, 157, 100, h.linkname);
  writeString(view, 265, 32, h.uname);
  writeString(view, 297, 32, h.gname);
  if (rdev) {
    // devmajor/devminor as GNU tar and Go's archive/tar write them (modern-tar leaves them empty).
    writeOctal(view, 329, 8, rdev.major);
    writeOctal(view, 337, 8, rdev.minor);
  }
  writeString(view, 345, 155, prefix);
  writeChecksum(view);
  return view;
}

/**
 * The header blocks of one entry: a PAX extended header (with its body, padded) when a field does
 * not fit ustar, then the ustar header. Bodyless types get size 0 whatever `h.size` says.
 */
export function encodeHeader(h: TarHeader, rdev?: { major: number; minor: number }): Uint8Array[] {
  const size = isBodyless(h) ? 0 : h.size;
  if (!Number.isSafeInteger(size) || size < 0) throw new Error('Invalid tar entry size.');
  const header = { ...h, size };
  const records: Record<string, string> = {};
  if (utf8TooLong(header.name, 100) && ustarSplit(header.name) === null) records.path = header.name;
  if (header.linkname && utf8TooLong(header.linkname, 100)) records.linkpath = header.linkname;
  if (header.uname && utf8TooLong(header.uname, 32)) records.uname = header.uname;
  if (header.gname && utf8TooLong(header.gname, 32)) records.gname = header.gname;
  if (header.uid != null && header.uid > 2097151) records.uid = String(header.uid);
  if (header.gid != null && header.gid > 2097151) records.gid = String(header.gid);
  if (header.pax) Object.assign(records, header.pax);
  if (header.size > 8589934591 || 'size' in records) records.size = String(header.size);
  const base = ustarBlock(header, rdev);
  const entries = Object.entries(records);
  if (entries.length === 0) return [base];
  const body = enc.encode(
    entries
      .map(([k, v]) => {
        const record = `${k}=${v}\n`;
        const part = enc.encode(record).length + 1;
        let total = part + String(part).length;
        total = part + String(total).length;
        return `${total} ${record}`;
      })
      .join(''),
  );
  const paxHeader = ustarBlock({
    name: dec.decode(enc.encode(`PaxHeader/${header.name}`).slice(0, 100)),
    size: body.length,
    type: 'pax-header' as TarHeader['type'],
    mode: 0o644,
    mtime: header.mtime,
    uname: header.uname,
    gname: header.gname,
    uid: header.uid,
    gid: header.gid,
  });
  const pad = -body.length & 511;
  return pad > 0 ? [paxHeader, body, ZEROS.subarray(0, pad), base] : [paxHeader, body, base];
}

/** Shared zero bytes for padding and the end-of-archive marker; never written to. */
export const ZEROS = new Uint8Array(1024);

/** Zero padding that follows a body of `size` bytes (a view of shared zeros). */
export function padding(size: number): Uint8Array {
  return ZEROS.subarray(0, -size & 511);
}

// ---- reading ----

/** Entry types the reader reports (modern-tar's names). `other` carries the raw typeflag. */
export type TarEntryType = 'file' | 'link' | 'symlink' | 'character-device' | 'block-device' | 'directory' | 'fifo' | 'other';

/** One entry's header after PAX and GNU long-name records are applied. `mtime` in seconds. */
export interface TarEntryHeader {
  name: string;
  type: TarEntryType;
  typeflag: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  linkname: string;
  devmajor: number;
  devminor: number;
  /** Every PAX record of the entry (`SCHILY.xattr.*` among them). */
  pax: Record<string, string>;
}

/** Limits the reader enforces while it reads (see limits.ts for their meaning and defaults). */
export interface TarReadLimits {
  maxEntries: number;
  /** How a breach of maxEntries is named (`maxArchiveEntries` for a load's outer archive). */
  entriesLimitName?: string;
  maxPathBytes: number;
  maxFileBytes: number;
  maxMetaBytes: number;
}

/**
 * What the reader calls: `entry` once per header (throw to refuse the archive), then `data` with
 * the body in order (views into the pushed chunks: copy what you keep), then `entryEnd`.
 */
export interface TarVisitor {
  entry(h: TarEntryHeader): void;
  data?(chunk: Uint8Array): void;
  entryEnd?(): void;
}

const TYPES: Record<string, TarEntryType> = {
  '0': 'file', '\0': 'file', '7': 'file', '1': 'link', '2': 'symlink', '3': 'character-device', '4': 'block-device', '5': 'directory', '6': 'fifo',
};

function cstring(b: Uint8Array, off: number, size: number): string {
  let end = off;
  while (end < off + size && b[end] !== 0) end++;
  if (end === off) return '';
  let ascii = true;
  for (let i = off; i < end; i++) if (b[i] > 127) ascii = false;
  if (ascii) return String.fromCharCode.apply(null, b.subarray(off, end) as unknown as number[]);
  return dec.decode(b.subarray(off, end));
}

/** A numeric field: octal (NUL/space padded) or GNU base-256 (high bit set), as Go's parseNumeric. */
function numeric(b: Uint8Array, off: number, size: number, what: string, field: string): number {
  if (b[off] & 0x80) {
    if (b[off] === 0xff) throw invalid(what, `negative ${field}`);
    let v = b[off] & 0x7f;
    for (let i = off + 1; i < off + size; i++) v = v * 256 + b[i];
    if (!Number.isSafeInteger(v)) throw invalid(what, `${field} out of range`);
    return v;
  }
  let v = 0;
  let i = off;
  const end = off + size;
  while (i < end && (b[i] === 32 || b[i] === 0)) i++;
  for (; i < end; i++) {
    const c = b[i];
    if (c === 0 || c === 32) break;
    if (c < 48 || c > 55) throw invalid(what, `invalid octal digit in ${field}`);
    v = v * 8 + (c - 48);
  }
  return v;
}

function invalid(what: string, why: string): LayerlabError {
  return new LayerlabError('image/invalid-tar', `${what}: invalid tar: ${why}`, { data: { reason: why } });
}

/** `image/too-large` naming the limit breached. */
export function limitError(what: string, limit: string, max: number, detail: string): LayerlabError {
  return new LayerlabError('image/too-large', `${what}: ${detail}, over the limit ${limit}=${max}`, { data: { limit, max } });
}

/** Sum of the 512 bytes of a block; four bytes per step (two 16-bit lanes) when the block is aligned. */
function byteSum(b: Uint8Array): number {
  if ((b.byteOffset & 3) !== 0) {
    let sum = 0;
    for (let k = 0; k < 512; k++) sum += b[k];
    return sum;
  }
  const w = new Uint32Array(b.buffer, b.byteOffset, 128);
  let lanes = 0;
  // 128 words × 2 bytes × 255 fits a 16-bit lane without carry into the next.
  for (let k = 0; k < 128; k++) {
    const v = w[k];
    lanes += (v & 0x00ff00ff) + ((v >>> 8) & 0x00ff00ff);
  }
  return (lanes & 0xffff) + (lanes >>> 16);
}

function byteSum8(b: Uint8Array, off: number): number {
  let sum = 0;
  for (let k = off; k < off + 8; k++) sum += b[k];
  return sum;
}

function checksumOk(b: Uint8Array): boolean {
  let stored = 0;
  let i = 148;
  while (i < 156 && (b[i] === 32 || b[i] === 0)) i++;
  for (; i < 156 && b[i] >= 48 && b[i] <= 55; i++) stored = stored * 8 + (b[i] - 48);
  // The field itself counts as eight spaces.
  const unsigned = byteSum(b) - byteSum8(b, 148) + 8 * 32;
  if (stored === unsigned) return true;
  // Some old tars summed signed bytes (Go's archive/tar accepts both).
  let signed = 8 * 32;
  for (let k = 0; k < 512; k++) if (k < 148 || k >= 156) signed += b[k] > 127 ? b[k] - 256 : b[k];
  return stored === signed;
}

function paxNumber(pax: Record<string, string>, key: string, fallback: number, what: string): number {
  if (pax[key] === undefined) return fallback;
  const v = Number(pax[key]);
  if (!Number.isFinite(v)) throw invalid(what, `bad PAX ${key}`);
  return v;
}

function parsePax(body: Uint8Array, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 0;
  while (off < body.length) {
    let sp = off;
    while (sp < body.length && body[sp] !== 32) sp++;
    const len = Number(dec.decode(body.subarray(off, sp)));
    if (!Number.isInteger(len) || len <= sp - off || off + len > body.length || body[off + len - 1] !== 10) throw invalid(what, 'malformed PAX record');
    const rec = dec.decode(body.subarray(sp + 1, off + len - 1));
    const eq = rec.indexOf('=');
    if (eq <= 0) throw invalid(what, 'malformed PAX record');
    out[rec.slice(0, eq)] = rec.slice(eq + 1);
    off += len;
  }
  return out;
}

const enum State {
  Header,
  Body,
  Meta,
  Padding,
  Ended,
}

/**
 * A push parser for tar: feed chunks with `push`, then `finish`. Limits are checked on every
 * header before its body is read; memory held is one 512-byte block plus a metadata record
 * (bounded by maxMetaBytes). After the end-of-archive block the rest is counted in `trailingBytes`.
 */
export class TarReader {
  private state = State.Header;
  private readonly block = new Uint8Array(512);
  private fill = 0;
  private remaining = 0;
  private pad = 0;
  private meta?: { type: string; buf: Uint8Array; fill: number };
  private pending: { pax: Record<string, string>; longName?: string; longLink?: string } = { pax: {} };
  /** Entries read so far (not counting PAX / long-name records). */
  entries = 0;
  /** Bytes pushed after the end-of-archive marker. */
  trailingBytes = 0;

  constructor(
    private readonly visitor: TarVisitor,
    private readonly limits: TarReadLimits,
    private readonly what = 'tar',
  ) {}

  /** True once the end-of-archive zero block was read. */
  get ended(): boolean {
    return this.state === State.Ended;
  }

  push(chunk: Uint8Array): void {
    let off = 0;
    const n = chunk.length;
    while (off < n) {
      switch (this.state) {
        case State.Ended:
          this.trailingBytes += n - off;
          return;
        case State.Header: {
          if (this.fill === 0 && n - off >= 512) {
            this.header(chunk.subarray(off, off + 512));
            off += 512;
          } else {
            const k = Math.min(512 - this.fill, n - off);
            this.block.set(chunk.subarray(off, off + k), this.fill);
            this.fill += k;
            off += k;
            if (this.fill === 512) {
              this.fill = 0;
              this.header(this.block);
            }
          }
          break;
        }
        case State.Body: {
          const k = Math.min(this.remaining, n - off);
          this.visitor.data?.(chunk.subarray(off, off + k));
          this.remaining -= k;
          off += k;
          if (this.remaining === 0) this.endBody();
          break;
        }
        case State.Meta: {
          const m = this.meta!;
          const k = Math.min(m.buf.length - m.fill, n - off);
          m.buf.set(chunk.subarray(off, off + k), m.fill);
          m.fill += k;
          off += k;
          if (m.fill === m.buf.length) this.endMeta();
          break;
        }
        case State.Padding: {
          const k = Math.min(this.pad, n - off);
          this.pad -= k;
          off += k;
          if (this.pad === 0) this.state = State.Header;
          break;
        }
      }
    }
  }

  /** Ends the input: refuses an archive cut inside an entry (`image/truncated`). */
  finish(): void {
    if (this.state === State.Ended) return;
    if (this.state !== State.Header || this.fill !== 0) {
      throw new LayerlabError('image/truncated', `${this.what}: archive is truncated`, { data: {} });
    }
  }

  private header(b: Uint8Array): void {
    let zero = true;
    for (let i = 0; i < 512; i++) {
      if (b[i] !== 0) {
        zero = false;
        break;
      }
    }
    if (zero) {
      this.state = State.Ended;
      return;
    }
    const what = this.what;
    if (!checksumOk(b)) throw invalid(what, 'header checksum mismatch');
    const flag = String.fromCharCode(b[156]);
    const size = numeric(b, 124, 12, what, 'size');
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (size > this.limits.maxMetaBytes) throw limitError(what, 'maxMetaBytes', this.limits.maxMetaBytes, `extended header record of ${size} bytes`);
      this.meta = { type: flag, buf: new Uint8Array(size), fill: 0 };
      this.pad = -size & 511;
      this.state = State.Meta;
      if (size === 0) this.endMeta();
      return;
    }
    const ustar = b[257] === 0x75 && b[258] === 0x73 && b[259] === 0x74 && b[260] === 0x61 && b[261] === 0x72;
    const gnu = ustar && b[262] === 0x20;
    let name = cstring(b, 0, 100);
    if (ustar && !gnu) {
      const prefix = cstring(b, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    const p = this.pending;
    this.pending = { pax: {} };
    const pax = p.pax;
    if (p.longName !== undefined) name = p.longName;
    if (pax.path !== undefined) name = pax.path;
    let linkname = p.longLink ?? cstring(b, 157, 100);
    if (pax.linkpath !== undefined) linkname = pax.linkpath;
    const type = TYPES[flag] ?? 'other';
    const num = (key: string, fallback: number) => paxNumber(pax, key, fallback, what);
    const h: TarEntryHeader = {
      name,
      type,
      typeflag: flag,
      size: num('size', size),
      mode: numeric(b, 100, 8, what, 'mode'),
      uid: num('uid', numeric(b, 108, 8, what, 'uid')),
      gid: num('gid', numeric(b, 116, 8, what, 'gid')),
      mtime: Math.floor(num('mtime', numeric(b, 136, 12, what, 'mtime'))),
      linkname,
      devmajor: ustar ? numeric(b, 329, 8, what, 'devmajor') : 0,
      devminor: ustar ? numeric(b, 337, 8, what, 'devminor') : 0,
      pax,
    };
    if (!Number.isSafeInteger(h.size) || h.size < 0) throw invalid(what, 'bad size');
    const headerOnly = type === 'link' || type === 'symlink' || type === 'character-device' || type === 'block-device' || type === 'directory' || type === 'fifo';
    if (headerOnly) h.size = 0;
    if (++this.entries > this.limits.maxEntries) throw limitError(what, this.limits.entriesLimitName ?? 'maxEntries', this.limits.maxEntries, `more than ${this.limits.maxEntries} entries`);
    if (h.name.length > this.limits.maxPathBytes && enc.encode(h.name).length > this.limits.maxPathBytes) {
      throw limitError(what, 'maxPathBytes', this.limits.maxPathBytes, `path of ${enc.encode(h.name).length} bytes`);
    }
    if (h.linkname.length > this.limits.maxPathBytes && enc.encode(h.linkname).length > this.limits.maxPathBytes) {
      throw limitError(what, 'maxPathBytes', this.limits.maxPathBytes, `link target of ${enc.encode(h.linkname).length} bytes`);
    }
    if (h.size > this.limits.maxFileBytes) throw limitError(what, 'maxFileBytes', this.limits.maxFileBytes, `${JSON.stringify(h.name.slice(0, 200))} is ${h.size} bytes`);
    this.visitor.entry(h);
    this.remaining = h.size;
    this.pad = -h.size & 511;
    if (h.size === 0) this.endBody();
    else this.state = State.Body;
  }

  private endBody(): void {
    this.visitor.entryEnd?.();
    this.state = this.pad > 0 ? State.Padding : State.Header;
  }

  private endMeta(): void {
    const m = this.meta!;
    this.meta = undefined;
    if (m.type === 'x') Object.assign(this.pending.pax, parsePax(m.buf, this.what));
    else if (m.type === 'L') this.pending.longName = cstring(m.buf, 0, m.buf.length);
    else if (m.type === 'K') this.pending.longLink = cstring(m.buf, 0, m.buf.length);
    // 'g' (PAX global header): ignored, as Docker's extraction ignores it.
    this.state = this.pad > 0 ? State.Padding : State.Header;
  }
}
