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
import type { TarHeader } from 'modern-tar';
import { LayerlabError } from '../errors.ts';
import { BytesContent, bytesContent } from '../fs/content.ts';
import { Inode, LayerTree, WHITEOUT, makeDevice, makeDir, makeFile, makeSymlink, type InodeMeta } from '../fs/layer-tree.ts';
import { DEFAULT_IMAGE_LIMITS, type ImageLimits } from './limits.ts';
import { concatBytes } from './gzip.ts';
import type { ArchiveEntry } from '../fs/archive-entry.ts';
import { ZEROS, TarReader, encodeHeader, padding, type TarEntryHeader, type TarReadLimits } from './tar-format.ts';

/** modern-tar, loaded on first use (`docker save`, the shell's tar): the CLI starts without it. */
type ModernTar = typeof import('modern-tar');
let modernTar: Promise<ModernTar> | undefined;
const loadModernTar = () => (modernTar ??= import('modern-tar'));

/** Whiteout file prefix (layer.md). */
export const WHITEOUT_PREFIX = '.wh.';
/** Opaque-directory marker file name (layer.md). */
export const OPAQUE_MARKER = '.wh..wh..opq';

const enc = new TextEncoder();

const SURROGATE = /[\ud800-\udfff]/;

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

/** A directory's children in write order: sibling names by UTF-8 bytes, whiteouts as `.wh.NAME`. */
function sortedChildren(dir: Inode): [string, Inode | null][] {
  const items: [string, Inode | null][] = [];
  for (const [name, e] of dir.children!) items.push(e instanceof Inode ? [name, e] : [WHITEOUT_PREFIX + name, null]);
  // UTF-16 order equals UTF-8 byte order unless a name holds a surrogate pair: check once per directory.
  if (items.some((it) => SURROGATE.test(it[0]))) items.sort((a, b) => compareBytes(a[0], b[0]));
  else items.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return items;
}

const EPOCH = new Date(0);

/** The entries of a layer tar in write order (see the module comment). Sockets are skipped, as tar cannot hold them. */
export function* layerTarEntries(tree: LayerTree): Generator<LayerTarEntry> {
  const firstName = new Map<Inode, string>();
  // Depth-first with an explicit stack (a directory's entries right after its own), which costs
  // less per entry than nested generators.
  const stack: { prefix: string; items: [string, Inode | null][]; i: number }[] = [{ prefix: '', items: sortedChildren(tree.root), i: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.i >= top.items.length) {
      stack.pop();
      continue;
    }
    const [name, node] = top.items[top.i++];
    const path = top.prefix + name;
    if (node === null) {
      yield { header: { name: path, type: 'file', size: 0, mode: 0, uid: 0, gid: 0, mtime: EPOCH } };
      continue;
    }
    if (node.type === 'socket') continue;
    let pax = xattrPax(node.xattrs);
    // An mtime past the 11-digit octal field (year 2242) goes to PAX, as Go's archive/tar does.
    if (node.mtime > 0o77777777777 || node.mtime < 0) pax = { ...pax, mtime: String(node.mtime) };
    const mode = node.mode & 0o7777;
    const mtime = new Date(Math.min(Math.max(node.mtime, 0), 0o77777777777) * 1000);
    if (node.type !== 'dir') {
      const first = firstName.get(node);
      if (first !== undefined) {
        yield { header: { name: path, type: 'link', size: 0, mode, uid: node.uid, gid: node.gid, mtime, pax, linkname: first } };
        continue;
      }
      firstName.set(node, path);
    }
    if (node.type === 'dir') {
      yield { header: { name: path + '/', type: 'directory', size: 0, mode, uid: node.uid, gid: node.gid, mtime, pax } };
      if (node.opaque) yield { header: { name: `${path}/${OPAQUE_MARKER}`, type: 'file', size: 0, mode: 0, uid: 0, gid: 0, mtime: EPOCH } };
      stack.push({ prefix: path + '/', items: sortedChildren(node), i: 0 });
    } else if (node.type === 'file') {
      yield { header: { name: path, type: 'file', size: node.content.size, mode, uid: node.uid, gid: node.gid, mtime, pax }, inode: node };
    } else if (node.type === 'symlink') {
      yield { header: { name: path, type: 'symlink', size: 0, mode, uid: node.uid, gid: node.gid, mtime, pax, linkname: node.target } };
    } else {
      yield { header: { name: path, type: TYPE_NAMES[node.type], size: 0, mode, uid: node.uid, gid: node.gid, mtime, pax }, rdev: node.type === 'fifo' ? undefined : node.rdev };
    }
  }
}

/**
 * Streams the layer tar of `tree` into `sink`, chunk by chunk, never holding more than one file
 * chunk: headers are encoded here (tar-format.ts), large file bodies pass as the content's own
 * chunks, and small pieces (headers, small files, padding) are gathered into one staging buffer
 * so the consumer (a hasher) sees few large updates. A chunk is only valid during the `sink`
 * call (the staging buffer is reused): copy what you keep.
 */
export async function writeLayerTar(tree: LayerTree, sink: (chunk: Uint8Array) => void, chunkSize = 1 << 20): Promise<void> {
  const STAGE = 256 * 1024;
  const stage = new Uint8Array(STAGE);
  let fill = 0;
  const flush = () => {
    if (fill > 0) sink(stage.subarray(0, fill));
    fill = 0;
  };
  const put = (c: Uint8Array) => {
    if (c.length >= STAGE / 4) {
      flush();
      sink(c);
      return;
    }
    if (fill + c.length > STAGE) flush();
    stage.set(c, fill);
    fill += c.length;
  };
  for (const e of layerTarEntries(tree)) {
    for (const block of encodeHeader(e.header, e.rdev)) put(block);
    const size = e.header.type === 'file' ? e.header.size : 0;
    if (e.inode && size > 0) {
      let written = 0;
      const content = e.inode.content;
      // Bytes already in memory go out whole (one hash update); generated content in chunks.
      if (size <= chunkSize || content instanceof BytesContent) {
        const c = content.read();
        written = c.length;
        put(c);
      } else {
        for (const c of content.chunks(chunkSize)) {
          written += c.length;
          put(c);
        }
      }
      if (written !== size) throw new Error(`layer tar: ${e.header.name} produced ${written} bytes, header says ${size}`);
      put(padding(size));
    }
  }
  put(ZEROS);
  flush();
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

type Parsed = { header: TarHeader; data?: Uint8Array; rdev?: { major: number; minor: number } };

/** The part of ImageLimits the tar reader enforces. */
export function tarReadLimits(l: ImageLimits): TarReadLimits {
  return { maxEntries: l.maxEntries, maxPathBytes: l.maxPathBytes, maxFileBytes: l.maxFileBytes, maxMetaBytes: l.maxMetaBytes };
}

const isDevice = (h: TarEntryHeader) => h.type === 'character-device' || h.type === 'block-device';

/** modern-tar's header shape, for callers that list or unpack whole tars. */
function toTarHeader(h: TarEntryHeader): TarHeader {
  const out: TarHeader = { name: h.name, type: (h.type === 'other' ? h.typeflag : h.type) as TarHeader['type'], size: h.size, mode: h.mode, uid: h.uid, gid: h.gid, mtime: new Date(h.mtime * 1000) };
  if (h.linkname) out.linkname = h.linkname;
  if (Object.keys(h.pax).length) out.pax = h.pax;
  return out;
}

/** Collects one entry's body into a buffer of its declared size (the only copy kept). */
class BodyBuffer {
  private buf?: Uint8Array;
  private fill = 0;
  start(size: number) {
    this.buf = size > 0 ? new Uint8Array(size) : undefined;
    this.fill = 0;
  }
  add(c: Uint8Array) {
    this.buf!.set(c, this.fill);
    this.fill += c.length;
  }
  take(): Uint8Array | undefined {
    const b = this.buf;
    this.buf = undefined;
    return b;
  }
}

/** Parses an uncompressed tar into entries with their data; errors become `image/truncated` / `image/invalid-tar`. */
export async function parseTar(tar: Uint8Array, what = 'tar', limits: ImageLimits = DEFAULT_IMAGE_LIMITS): Promise<Parsed[]> {
  const out: Parsed[] = [];
  const body = new BodyBuffer();
  const reader = new TarReader(
    {
      entry(h) {
        out.push({ header: toTarHeader(h), rdev: isDevice(h) ? { major: h.devmajor, minor: h.devminor } : undefined });
        body.start(h.size);
      },
      data: (c) => body.add(c),
      entryEnd() {
        const e = out[out.length - 1];
        e.data = body.take() ?? (e.header.type === 'file' ? new Uint8Array(0) : undefined);
      },
    },
    tarReadLimits(limits),
    what,
  );
  reader.push(tar);
  reader.finish();
  return out;
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
  if (name.length * 3 > limits.maxPathBytes && enc.encode(name).length > limits.maxPathBytes) {
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

function metaOf(h: TarEntryHeader): Partial<InodeMeta> {
  const meta: Partial<InodeMeta> = { mode: h.mode & 0o7777, uid: h.uid, gid: h.gid, mtime: h.mtime };
  let xattrs: Record<string, Uint8Array> | undefined;
  for (const k in h.pax) if (k.startsWith('SCHILY.xattr.')) (xattrs ??= {})[k.slice('SCHILY.xattr.'.length)] = enc.encode(h.pax[k]);
  if (xattrs) meta.xattrs = xattrs;
  return meta;
}

/**
 * Builds a LayerTree from tar entries as they stream by (a TarReader's visitor): whiteouts and
 * opaque markers mapped back, hard links as one shared Inode; hostile entries are refused as they
 * arrive. Holds the tree and one file body at a time, never the tar.
 */
export class LayerTarBuilder {
  readonly tree = new LayerTree();
  private current?: TarEntryHeader;
  private readonly body = new BodyBuffer();

  constructor(
    private readonly limits: ImageLimits,
    private readonly what: string,
  ) {}

  entry(h: TarEntryHeader): void {
    // Path checks before the body is read: a hostile name is refused without reading on.
    safeComponents(h.name, this.what, this.limits);
    this.current = h;
    this.body.start(h.type === 'file' ? h.size : 0);
  }

  data(c: Uint8Array): void {
    if (this.current?.type === 'file') this.body.add(c);
  }

  entryEnd(): void {
    const h = this.current!;
    this.current = undefined;
    this.apply(h, this.body.take());
  }

  // Walks to the parent directory of `parts`, creating missing directories; refuses to pass
  // through a symlink or any non-directory (a tar that writes through a symlink could escape).
  private parentOf(parts: string[], name: string): Inode {
    let dir = this.tree.root;
    for (let i = 0; i < parts.length - 1; i++) {
      const c = parts[i];
      let next = dir.children!.get(c);
      if (next === undefined || next === WHITEOUT) {
        const d = makeDir();
        d.nlink = 1;
        dir.children!.set(c, d);
        next = d;
      }
      if (!(next instanceof Inode) || next.type !== 'dir') throw unsafe(name, this.what, `'${c}' is a ${(next as Inode).type}, not a directory`);
      dir = next;
    }
    return dir;
  }

  private apply(h: TarEntryHeader, data: Uint8Array | undefined): void {
    const what = this.what;
    const parts = safeComponents(h.name, what, this.limits);
    if (parts.length === 0) return; // `./` itself: the layer root carries no metadata
    const base = parts[parts.length - 1];
    const dir = this.parentOf(parts, h.name);
    const type = h.type;
    if (base.startsWith(WHITEOUT_PREFIX)) {
      if (base === OPAQUE_MARKER) dir.opaque = true;
      else if (!base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
        const hidden = base.slice(WHITEOUT_PREFIX.length);
        if (hidden === '' || hidden === '.' || hidden === '..') throw unsafe(h.name, what, 'whiteout of an invalid name');
        put(dir, hidden, WHITEOUT);
      }
      // Other `.wh..wh.` names are aufs metadata (e.g. `.wh..wh.plnk`): ignored, as Docker does.
      return;
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
        put(dir, base, makeSymlink(h.linkname, meta));
        break;
      case 'link': {
        const target = h.linkname;
        let tparts: string[];
        try {
          tparts = safeComponents(target, what, this.limits);
        } catch {
          throw linkEscape(h.name, target, what, 'target is outside the layer');
        }
        const t = this.tree.get('/' + tparts.join('/'));
        if (!(t instanceof Inode)) throw linkEscape(h.name, target, what, 'target is not an earlier entry of this layer');
        if (t.type === 'dir') throw linkEscape(h.name, target, what, 'target is a directory');
        put(dir, base, t);
        break;
      }
      case 'character-device':
      case 'block-device':
        put(dir, base, makeDevice(type === 'character-device' ? 'char' : 'block', h.devmajor, h.devminor, meta));
        break;
      case 'fifo':
        put(dir, base, new Inode('fifo', meta));
        break;
      default:
        throw new LayerlabError('image/invalid-tar', `${what}: unsupported tar entry type ${JSON.stringify(h.typeflag)} for ${JSON.stringify(h.name)}`);
    }
  }
}

/**
 * Reads an uncompressed layer tar into a LayerTree (see LayerTarBuilder). Throws on hostile input;
 * see the module comment.
 */
export async function readLayerTar(tar: Uint8Array, opts: { limits?: ImageLimits; what?: string } = {}): Promise<LayerTree> {
  const limits = opts.limits ?? DEFAULT_IMAGE_LIMITS;
  const what = opts.what ?? 'layer';
  const builder = new LayerTarBuilder(limits, what);
  const reader = new TarReader(builder, tarReadLimits(limits), what);
  reader.push(tar);
  reader.finish();
  return builder.tree;
}

/** Puts `e` at `name` in `dir`, keeping link counts right. */
function put(dir: Inode, name: string, e: Inode | typeof WHITEOUT): void {
  const old = dir.children!.get(name);
  if (old instanceof Inode) old.nlink--;
  if (e instanceof Inode) e.nlink++;
  dir.children!.set(name, e);
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
  const { packTar } = await loadModernTar();
  return (await packTar(entries)) as Uint8Array;
}

/**
 * Collects an archive's regular files by clean relative path as the tar streams by (a TarReader's
 * visitor); `files()` then resolves links. Symlinks inside the archive (classic `docker save`
 * links a repeated `layer.tar` to its first copy) are resolved to the file they name; a link
 * leaving the archive, or a path through a symlink, raises `image/unsafe-path`.
 */
export class ArchiveCollector {
  private readonly kept = new Map<string, Uint8Array>();
  private readonly links = new Map<string, string>();
  private current?: { h: TarEntryHeader; path: string };
  private readonly body = new BodyBuffer();

  constructor(private readonly limits: ImageLimits) {}

  entry(h: TarEntryHeader): void {
    const parts = safeComponents(h.name, 'archive', this.limits);
    const path = parts.join('/');
    this.current = { h, path };
    this.body.start(h.type === 'file' ? h.size : 0);
    if (h.type === 'symlink' || h.type === 'link') {
      const target = h.linkname;
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
      this.links.set(path, resolved.join('/'));
    }
  }

  data(c: Uint8Array): void {
    if (this.current?.h.type === 'file') this.body.add(c);
  }

  entryEnd(): void {
    const cur = this.current!;
    this.current = undefined;
    const data = this.body.take();
    if (cur.h.type === 'file') this.kept.set(cur.path, data ?? new Uint8Array(0));
  }

  /** The files by path, links resolved; refuses a path that passes through a file or link. */
  files(): Map<string, Uint8Array> {
    const files = new Map(this.kept);
    for (const [from, to] of this.links) {
      let t = to;
      for (let i = 0; i < 40 && !files.has(t) && this.links.has(t); i++) t = this.links.get(t)!;
      const bytes = files.get(t);
      if (bytes) files.set(from, bytes);
    }
    for (const path of files.keys()) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) {
        const p = parts.slice(0, i).join('/');
        if (files.has(p) || this.links.has(p)) throw unsafe(path, 'archive', `'${p}' is not a directory`);
      }
    }
    return files;
  }
}

/** Unpacks a whole archive tar held in memory (see ArchiveCollector). */
export async function unpackArchive(tar: Uint8Array, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): Promise<Map<string, Uint8Array>> {
  const c = new ArchiveCollector(limits);
  const reader = new TarReader(c, tarReadLimits(limits), 'archive');
  reader.push(tar);
  reader.finish();
  return c.files();
}

const GENERIC_TYPES = { file: 'file', dir: 'directory', symlink: 'symlink', hardlink: 'link' } as const;

/** Packs arbitrary members in the given order (GNU tar's `c`). */
export async function packEntries(entries: readonly ArchiveEntry[]): Promise<Uint8Array> {
  const { packTar } = await loadModernTar();
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
