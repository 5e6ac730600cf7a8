/**
 * Layer tars (image-spec layer.md) and archive tars, on modern-tar. This module is the only one
 * that imports it; the rest of the engine sees LayerTrees and `Uint8Array`s.
 *
 * Writing a LayerTree (what BuildKit's differ and containerd's `archive.WriteDiff` produce):
 * - entries in a fixed order: parents before children, sibling names sorted by bytes;
 *   a directory's `.wh..wh..opq` marker right after the directory's own entry;
 * - whiteouts as empty regular files `.wh.NAME`, mode 0, uid/gid 0 (layer.md "Whiteouts");
 * - hard links: the first name carries the data, later names are typeflag '1' pointing at it;
 * - symlinks, char/block devices (devmajor/devminor), fifos; all mode bits incl. setuid/setgid/sticky;
 *   uid/gid; mtime; xattrs as PAX `SCHILY.xattr.<name>`; uname/gname empty;
 * - names relative without a leading `./`, directories with a trailing `/`; PAX for long names,
 *   long link targets and large uids (modern-tar decides, as Go's archive/tar does).
 *
 * Reading maps `.wh.NAME` back to Whiteout entries and `.wh..wh..opq` to opaque directories and
 * rejects hostile input (absolute or `..` paths, paths through symlinks, hard links to entries
 * not earlier in the same layer) with `image/unsafe-path` / `image/link-escape`.
 */
import { createTarPacker, packTar, unpackTar, type TarHeader } from 'modern-tar';
import { LayerlabError } from '../errors.ts';
import { bytesContent } from '../fs/content.ts';
import { Inode, LayerTree, WHITEOUT, makeDevice, makeDir, makeFile, makeSymlink, type InodeMeta } from '../fs/layer-tree.ts';
import { DEFAULT_IMAGE_LIMITS, type ImageLimits } from './limits.ts';
import { concatBytes } from './gzip.ts';
import type { ArchiveEntry } from '../fs/archive-entry.ts';

/** Whiteout file prefix (layer.md). */
export const WHITEOUT_PREFIX = '.wh.';
/** Opaque-directory marker file name (layer.md). */
export const OPAQUE_MARKER = '.wh..wh..opq';

/** Minimal shapes of the Web Streams modern-tar uses (the engine's lib has no DOM types). */
interface StreamReader<T> {
  read(): Promise<{ done: boolean; value?: T }>;
}
interface StreamWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
interface Packer {
  readable: { getReader(): StreamReader<Uint8Array> };
  controller: { add(h: TarHeader): { getWriter(): StreamWriter }; finalize(): void; error(e: unknown): void };
}

const enc = new TextEncoder();

/** Compares two names by their UTF-8 bytes (Go's string order), not UTF-16 code units. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  // For BMP-only strings UTF-16 order equals UTF-8 byte order; only surrogates differ.
  if (!/[\ud800-\udfff]/.test(a + b)) return a < b ? -1 : 1;
  const x = enc.encode(a);
  const y = enc.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** One tar entry as the writer emits it, before modern-tar encodes it. */
export interface LayerTarEntry {
  header: TarHeader;
  /** The file's inode for regular files with data. */
  inode?: Inode;
  rdev?: { major: number; minor: number };
}

const TYPE_NAMES = { file: 'file', dir: 'directory', symlink: 'symlink', char: 'character-device', block: 'block-device', fifo: 'fifo' } as const;

function xattrPax(x: Record<string, Uint8Array> | undefined): Record<string, string> | undefined {
  if (!x) return undefined;
  const keys = Object.keys(x).sort(compareBytes);
  if (keys.length === 0) return undefined;
  // Simulation: modern-tar writes PAX values as UTF-8 text, so a binary xattr value (e.g. a
  // security.capability blob) is stored with invalid bytes replaced by U+FFFD.
  const dec = new TextDecoder();
  return Object.fromEntries(keys.map((k) => [`SCHILY.xattr.${k}`, dec.decode(x[k])]));
}

/** The entries of a layer tar in write order (see the module comment). Sockets are skipped, as tar cannot hold them. */
export function* layerTarEntries(tree: LayerTree): Generator<LayerTarEntry> {
  const firstName = new Map<Inode, string>();
  const sortedItems = (dir: Inode) => {
    const items: [string, Inode | null][] = [];
    for (const [name, e] of dir.children!) items.push(e instanceof Inode ? [name, e] : [WHITEOUT_PREFIX + name, null]);
    return items.sort((a, b) => compareBytes(a[0], b[0]));
  };
  // Depth-first with an explicit stack (a tree's depth is input-controlled; recursion overflowed).
  const stack: { prefix: string; items: [string, Inode | null][]; i: number }[] = [{ prefix: '', items: sortedItems(tree.root), i: 0 }];
  while (stack.length) {
    const frame = stack[stack.length - 1];
    if (frame.i >= frame.items.length) {
      stack.pop();
      continue;
    }
    const [name, node] = frame.items[frame.i++];
    const path = frame.prefix + name;
    if (node === null) {
      yield { header: { name: path, type: 'file', size: 0, mode: 0, uid: 0, gid: 0, mtime: new Date(0) } };
      continue;
    }
    if (node.type === 'socket') continue;
    let pax = xattrPax(node.xattrs);
    // An mtime past the 11-digit octal field (year 2242) goes to PAX, as Go's archive/tar does.
    if (node.mtime > 0o77777777777 || node.mtime < 0) pax = { ...pax, mtime: String(node.mtime) };
    const base = { mode: node.mode & 0o7777, uid: node.uid, gid: node.gid, mtime: new Date(Math.min(Math.max(node.mtime, 0), 0o77777777777) * 1000), pax };
    if (node.type !== 'dir') {
      const first = firstName.get(node);
      if (first !== undefined) {
        yield { header: { ...base, name: path, type: 'link', size: 0, linkname: first } };
        continue;
      }
      firstName.set(node, path);
    }
    if (node.type === 'dir') {
      yield { header: { ...base, name: path + '/', type: 'directory', size: 0 } };
      if (node.opaque) yield { header: { name: `${path}/${OPAQUE_MARKER}`, type: 'file', size: 0, mode: 0, uid: 0, gid: 0, mtime: new Date(0) } };
      stack.push({ prefix: path + '/', items: sortedItems(node), i: 0 });
    } else if (node.type === 'file') {
      yield { header: { ...base, name: path, type: 'file', size: node.content.size }, inode: node };
    } else if (node.type === 'symlink') {
      yield { header: { ...base, name: path, type: 'symlink', size: 0, linkname: node.target } };
    } else {
      yield { header: { ...base, name: path, type: TYPE_NAMES[node.type], size: 0 }, rdev: node.type === 'fifo' ? undefined : node.rdev };
    }
  }
}

function writeOctalField(b: Uint8Array, off: number, size: number, v: number) {
  const s = v.toString(8).padStart(size - 1, '0');
  for (let i = 0; i < size - 1; i++) b[off + i] = s.charCodeAt(i);
  b[off + size - 1] = 0;
}

function headerChecksumOk(b: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : b[i];
  let stored = 0;
  for (let i = 148; i < 156 && b[i] >= 48 && b[i] <= 55; i++) stored = stored * 8 + (b[i] - 48);
  return sum === stored;
}

function rewriteChecksum(b: Uint8Array) {
  b.fill(32, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += b[i];
  writeOctalField(b, 148, 7, sum);
  b[155] = 32;
}

const isUstarHeader = (b: Uint8Array) =>
  b.length === 512 && b[257] === 0x75 && b[258] === 0x73 && b[259] === 0x74 && b[260] === 0x61 && b[261] === 0x72 && headerChecksumOk(b);

/**
 * Streams the layer tar of `tree` into `sink`, chunk by chunk, never holding more than a few
 * MiB: file contents are read with `FileContent.chunks()`. Chunks may be reused by the caller
 * only after `sink` returns.
 */
export async function writeLayerTar(tree: LayerTree, sink: (chunk: Uint8Array) => void, chunkSize = 1 << 20): Promise<void> {
  const { readable, controller } = createTarPacker() as unknown as Packer;
  const reader = readable.getReader();
  // modern-tar 0.8.6 does not write devmajor/devminor: patch them into each device's ustar
  // header as it passes (header blocks are emitted as their own 512-byte chunks).
  const devices: { major: number; minor: number }[] = [];
  const bodies = new WeakSet<Uint8Array>();
  let devFault: unknown;
  const consume = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || !value) return;
      if (devices.length > 0 && !bodies.has(value) && (value[156] === 0x33 || value[156] === 0x34) && isUstarHeader(value)) {
        const d = devices.shift()!;
        writeOctalField(value, 329, 8, d.major);
        writeOctalField(value, 337, 8, d.minor);
        rewriteChecksum(value);
      }
      try {
        sink(value);
      } catch (e) {
        devFault = e;
        controller.error(e);
        return;
      }
    }
  })();
  try {
    for (const e of layerTarEntries(tree)) {
      if (e.rdev) devices.push(e.rdev);
      const w = controller.add(e.header).getWriter();
      if (e.inode && e.inode.content.size > 0) {
        for (const c of e.inode.content.chunks(chunkSize)) {
          bodies.add(c);
          await w.write(c);
        }
      }
      await w.close();
    }
    controller.finalize();
  } catch (e) {
    await consume.catch(() => undefined);
    throw devFault ?? e;
  }
  await consume;
  if (devFault) throw devFault;
}

/** The whole layer tar of `tree` in memory (small layers, tests). */
export async function layerTarBytes(tree: LayerTree): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await writeLayerTar(tree, (c) => void chunks.push(c.slice()));
  return concatBytes(chunks);
}

/** A tar entry as read back, for listings and golden files. */
export interface TarListing {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  pax?: Record<string, string>;
}

function octalAt(b: Uint8Array, off: number, size: number): number {
  let v = 0;
  for (let i = off; i < off + size; i++) {
    const c = b[i];
    if (c === 0) break;
    if (c === 32) continue;
    if (c < 48 || c > 55) return NaN;
    v = v * 8 + (c - 48);
  }
  return v;
}

/** devmajor/devminor of every char/block entry in order (modern-tar does not read them). */
function scanDeviceNumbers(tar: Uint8Array): { major: number; minor: number }[] {
  const out: { major: number; minor: number }[] = [];
  let off = 0;
  let paxSize: number | undefined;
  while (off + 512 <= tar.length) {
    const b = tar.subarray(off, off + 512);
    if (b.every((x) => x === 0)) break;
    const type = String.fromCharCode(b[156]);
    let size = octalAt(b, 124, 12);
    if (!Number.isFinite(size)) break;
    if (type === 'x') {
      const body = new TextDecoder().decode(tar.subarray(off + 512, off + 512 + size));
      const m = /(?:^|\n)\d+ size=(\d+)\n/.exec(body);
      paxSize = m ? Number(m[1]) : undefined;
    } else if (type !== 'g' && type !== 'L' && type !== 'K') {
      if (paxSize !== undefined) size = paxSize;
      paxSize = undefined;
      if (type === '3' || type === '4') out.push({ major: octalAt(b, 329, 8) || 0, minor: octalAt(b, 337, 8) || 0 });
      if (type === '1' || type === '2' || type === '3' || type === '4' || type === '5' || type === '6') size = 0;
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

type Parsed = { header: TarHeader; data?: Uint8Array; rdev?: { major: number; minor: number } };

/** Parses an uncompressed tar into entries with their data; errors become `image/truncated` / `image/invalid-tar`. */
export async function parseTar(tar: Uint8Array, what = 'tar'): Promise<Parsed[]> {
  let entries: Parsed[];
  try {
    entries = (await unpackTar(tar, { strict: true })) as Parsed[];
  } catch (e) {
    const msg = (e as Error).message;
    const code = /truncated|EOF/i.test(msg) ? 'image/truncated' : 'image/invalid-tar';
    throw new LayerlabError(code, `${what}: ${code === 'image/truncated' ? 'archive is truncated' : 'invalid tar'}: ${msg}`, { cause: e });
  }
  if (tar.length > 0 && entries.length === 0 && !tar.subarray(0, 512).every((x) => x === 0)) {
    throw new LayerlabError('image/invalid-tar', `${what}: not a tar archive`);
  }
  if (entries.some((e) => e.header.type === 'character-device' || e.header.type === 'block-device')) {
    const devs = scanDeviceNumbers(tar);
    for (const e of entries) if (e.header.type === 'character-device' || e.header.type === 'block-device') e.rdev = devs.shift() ?? { major: 0, minor: 0 };
  }
  return entries;
}

/** Lists a tar's entries (names as stored), for tests and golden files. */
export async function listTar(tar: Uint8Array): Promise<TarListing[]> {
  return (await parseTar(tar)).map(({ header: h, rdev }) => {
    const l: TarListing = { name: h.name, type: h.type ?? 'file', mode: h.mode ?? 0, uid: h.uid ?? 0, gid: h.gid ?? 0, size: h.size, mtime: Math.floor((h.mtime?.getTime() ?? 0) / 1000) };
    if (h.linkname) l.linkname = h.linkname;
    if (rdev) Object.assign(l, { devmajor: rdev.major, devminor: rdev.minor });
    const pax = Object.fromEntries(Object.entries(h.pax ?? {}).filter(([k]) => !['path', 'linkpath', 'size', 'uid', 'gid', 'mtime', 'uname', 'gname'].includes(k)));
    if (Object.keys(pax).length) l.pax = pax;
    return l;
  });
}

/** Splits an entry name into safe components, rejecting absolute paths and `..` (`image/unsafe-path`). */
export function safeComponents(name: string, what: string, limits: Pick<ImageLimits, 'maxPathBytes'> = DEFAULT_IMAGE_LIMITS): string[] {
  if (name.startsWith('/')) throw unsafe(name, what, 'absolute path');
  if (enc.encode(name).length > limits.maxPathBytes) {
    throw new LayerlabError('image/too-large', `${what}: path longer than maxPathBytes=${limits.maxPathBytes}`, { data: { limit: 'maxPathBytes' } });
  }
  const parts = name.split('/').filter((c) => c !== '' && c !== '.');
  if (parts.includes('..')) throw unsafe(name, what, "path contains '..'");
  if (parts.some((c) => c.includes('\0'))) throw unsafe(name, what, 'NUL in path');
  return parts;
}

function unsafe(name: string, what: string, why: string) {
  return new LayerlabError('image/unsafe-path', `${what}: unsafe path ${JSON.stringify(name)}: ${why}`, { data: { path: name, reason: why } });
}

function metaOf(h: TarHeader): Partial<InodeMeta> {
  const meta: Partial<InodeMeta> = { mode: (h.mode ?? 0) & 0o7777, uid: h.uid ?? 0, gid: h.gid ?? 0, mtime: Math.floor((h.mtime?.getTime() ?? 0) / 1000) };
  const xattrs: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(h.pax ?? {})) if (k.startsWith('SCHILY.xattr.')) xattrs[k.slice('SCHILY.xattr.'.length)] = enc.encode(v);
  if (Object.keys(xattrs).length) meta.xattrs = xattrs;
  return meta;
}

/**
 * Reads an uncompressed layer tar into a LayerTree (whiteouts and opaque markers mapped back,
 * hard links as one shared Inode). Throws on hostile input; see the module comment.
 */
export async function readLayerTar(tar: Uint8Array, opts: { limits?: ImageLimits; what?: string } = {}): Promise<LayerTree> {
  const limits = opts.limits ?? DEFAULT_IMAGE_LIMITS;
  const what = opts.what ?? 'layer';
  const entries = await parseTar(tar, what);
  if (entries.length > limits.maxEntries) {
    throw new LayerlabError('image/too-large', `${what}: ${entries.length} entries, over the limit maxEntries=${limits.maxEntries}`, { data: { limit: 'maxEntries' } });
  }
  const tree = new LayerTree();
  // Walks to the parent directory of `parts`, creating missing directories; refuses to pass
  // through a symlink or any non-directory (a tar that writes through a symlink could escape).
  const parentOf = (parts: string[], name: string): Inode => {
    let dir = tree.root;
    for (const c of parts.slice(0, -1)) {
      let next = dir.children!.get(c);
      if (next === undefined || next === WHITEOUT) {
        const d = makeDir();
        d.nlink = 1;
        dir.children!.set(c, d);
        next = d;
      }
      if (!(next instanceof Inode) || next.type !== 'dir') throw unsafe(name, what, `'${c}' is a ${(next as Inode).type}, not a directory`);
      dir = next;
    }
    return dir;
  };
  const put = (dir: Inode, name: string, e: Inode | typeof WHITEOUT) => {
    const old = dir.children!.get(name);
    if (old instanceof Inode) old.nlink--;
    if (e instanceof Inode) e.nlink++;
    dir.children!.set(name, e);
  };
  for (const { header: h, data, rdev } of entries) {
    const parts = safeComponents(h.name, what, limits);
    if (parts.length === 0) continue; // `./` itself: the layer root carries no metadata
    const base = parts[parts.length - 1];
    const dir = parentOf(parts, h.name);
    const type = h.type ?? 'file';
    if (base.startsWith(WHITEOUT_PREFIX)) {
      if (base === OPAQUE_MARKER) dir.opaque = true;
      else if (!base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
        const hidden = base.slice(WHITEOUT_PREFIX.length);
        if (hidden === '' || hidden === '.' || hidden === '..') throw unsafe(h.name, what, 'whiteout of an invalid name');
        put(dir, hidden, WHITEOUT);
      }
      // Other `.wh..wh.` names are aufs metadata (e.g. `.wh..wh.plnk`): ignored, as Docker does.
      continue;
    }
    const meta = metaOf(h);
    switch (type) {
      case 'directory': {
        const old = dir.children!.get(base);
        if (old instanceof Inode && old.type === 'dir') {
          Object.assign(old, { mode: meta.mode, uid: meta.uid, gid: meta.gid, mtime: meta.mtime });
          if (meta.xattrs) old.xattrs = meta.xattrs;
        } else put(dir, base, makeDir(meta));
        break;
      }
      case 'file':
        put(dir, base, makeFile(bytesContent(data ?? new Uint8Array(0)), meta));
        break;
      case 'symlink':
        put(dir, base, makeSymlink(h.linkname ?? '', meta));
        break;
      case 'link': {
        const target = h.linkname ?? '';
        let tparts: string[];
        try {
          tparts = safeComponents(target, what, limits);
        } catch {
          throw linkEscape(h.name, target, what, 'target is outside the layer');
        }
        const t = tree.get('/' + tparts.join('/'));
        if (!(t instanceof Inode)) throw linkEscape(h.name, target, what, 'target is not an earlier entry of this layer');
        if (t.type === 'dir') throw linkEscape(h.name, target, what, 'target is a directory');
        put(dir, base, t);
        break;
      }
      case 'character-device':
      case 'block-device':
        put(dir, base, makeDevice(type === 'character-device' ? 'char' : 'block', rdev?.major ?? 0, rdev?.minor ?? 0, meta));
        break;
      case 'fifo':
        put(dir, base, new Inode('fifo', meta));
        break;
      default:
        throw new LayerlabError('image/invalid-tar', `${what}: unsupported tar entry type ${type} for ${JSON.stringify(h.name)}`);
    }
  }
  return tree;
}

function linkEscape(name: string, target: string, what: string, why: string) {
  return new LayerlabError('image/link-escape', `${what}: hard link ${JSON.stringify(name)} -> ${JSON.stringify(target)}: ${why}`, {
    data: { path: name, target, reason: why },
  });
}

/** A file to put in an archive (`docker save` output). */
export interface ArchiveFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Packs files into a tar, adding parent directory entries first, in the given order.
 * Deterministic: mtime 0, mode 0644 files / 0755 directories, uid/gid 0.
 */
export async function packArchive(files: readonly ArchiveFile[]): Promise<Uint8Array> {
  const seen = new Set<string>();
  const entries: { header: TarHeader; body?: Uint8Array }[] = [];
  for (const f of files) {
    const parts = f.name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/') + '/';
      if (!seen.has(d)) {
        seen.add(d);
        entries.push({ header: { name: d, type: 'directory', size: 0, mode: 0o755, mtime: new Date(0) } });
      }
    }
    if (seen.has(f.name)) continue;
    seen.add(f.name);
    entries.push({ header: { name: f.name, type: 'file', size: f.bytes.length, mode: 0o644, mtime: new Date(0) }, body: f.bytes });
  }
  return (await packTar(entries)) as Uint8Array;
}

/**
 * Unpacks an archive's regular files by clean relative path. Symlinks inside the archive (classic
 * `docker save` links a repeated `layer.tar` to its first copy) are resolved to the file they name;
 * a link leaving the archive, or a path through a symlink, raises `image/unsafe-path`.
 */
export async function unpackArchive(tar: Uint8Array, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const links = new Map<string, string>();
  for (const { header: h, data } of await parseTar(tar, 'archive')) {
    const parts = safeComponents(h.name, 'archive', limits);
    const path = parts.join('/');
    if (h.type === 'file') files.set(path, data ?? new Uint8Array(0));
    else if (h.type === 'symlink' || h.type === 'link') {
      const target = h.linkname ?? '';
      if (target.startsWith('/')) throw unsafe(h.name, 'archive', `link to absolute path ${target}`);
      const base = h.type === 'symlink' ? parts.slice(0, -1) : [];
      const resolved: string[] = [];
      for (const c of [...base, ...target.split('/')]) {
        if (c === '' || c === '.') continue;
        if (c === '..') {
          if (resolved.length === 0) throw unsafe(h.name, 'archive', `link target ${target} leaves the archive`);
          resolved.pop();
        } else resolved.push(c);
      }
      links.set(path, resolved.join('/'));
    }
  }
  for (const [from, to] of links) {
    let t = to;
    for (let i = 0; i < 40 && !files.has(t) && links.has(t); i++) t = links.get(t)!;
    const bytes = files.get(t);
    if (bytes) files.set(from, bytes);
  }
  for (const path of files.keys()) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      if (files.has(p) || links.has(p)) throw unsafe(path, 'archive', `'${p}' is not a directory`);
    }
  }
  return files;
}

const GENERIC_TYPES = { file: 'file', dir: 'directory', symlink: 'symlink', hardlink: 'link' } as const;

/** Packs arbitrary members in the given order (GNU tar's `c`). */
export async function packEntries(entries: readonly ArchiveEntry[]): Promise<Uint8Array> {
  return (await packTar(
    entries.map((e) => ({
      header: {
        name: e.type === 'dir' && !e.path.endsWith('/') ? `${e.path}/` : e.path,
        type: GENERIC_TYPES[e.type],
        size: e.type === 'file' ? (e.data?.length ?? 0) : 0,
        mode: e.mode & 0o7777,
        uid: e.uid,
        gid: e.gid,
        mtime: new Date(e.mtime * 1000),
        linkname: e.linkTarget,
      },
      body: e.type === 'file' ? e.data : undefined,
    })),
  )) as Uint8Array;
}

/** Unpacks every member with its metadata (GNU tar's `x`/`t`); names are returned as stored, minus a trailing `/`. */
export async function unpackEntries(tar: Uint8Array): Promise<ArchiveEntry[]> {
  const out: ArchiveEntry[] = [];
  for (const { header: h, data } of await parseTar(tar, 'tar')) {
    const type = h.type === 'directory' ? 'dir' : h.type === 'symlink' ? 'symlink' : h.type === 'link' ? 'hardlink' : h.type === 'file' || h.type === undefined ? 'file' : undefined;
    if (!type) continue;
    out.push({ path: h.name.replace(/\/$/, ''), type, mode: (h.mode ?? 0o644) & 0o7777, uid: h.uid ?? 0, gid: h.gid ?? 0, mtime: Math.floor((h.mtime?.getTime() ?? 0) / 1000), data: type === 'file' ? (data ?? new Uint8Array()) : undefined, linkTarget: h.linkname || undefined });
  }
  return out;
}
