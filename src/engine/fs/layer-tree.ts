/**
 * One layer's entries as an inode tree: the in-memory form of an OCI layer changeset
 * (image-spec layer.md). A LayerTree holds what the layer adds or changes, plus whiteouts
 * (an entry that hides the same path in lower layers; `.wh.NAME` in a tar) and opaque
 * directories (a directory that hides everything below it in lower layers; `.wh..wh..opq`).
 *
 * Words used here:
 * - inode: a file, directory, symlink, device, fifo or socket, with metadata. Hard links are the
 *   same Inode object reachable by two names in one tree (`nlink` counts the names).
 * - entry: what a directory maps a name to: an Inode, or a Whiteout.
 * - A base layer is a LayerTree with no whiteouts; an upperdir is a LayerTree being changed.
 *
 * Lifecycle: a tree is built (by a tar reader, a catalog loader, or a union upperdir), then
 * `freeze()`d when it is committed; a frozen tree is never changed again and can be shared by
 * every image and container that stacks it.
 *
 * Why not memfs: see ../../../../shared/DEPENDENCIES.md (device nodes, ownership, memory).
 */
import type { FileContent } from './content.ts';
import { EMPTY_CONTENT } from './content.ts';

/** Inode types, named as `stat`'s `%F` and tar's typeflags map onto them. */
export type InodeType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket';

/** File-type bits of st_mode (Linux sys/stat.h). */
export const S_IFMT = 0o170000;
export const TYPE_BITS: Record<InodeType, number> = {
  socket: 0o140000,
  symlink: 0o120000,
  file: 0o100000,
  block: 0o060000,
  dir: 0o040000,
  char: 0o020000,
  fifo: 0o010000,
};

let nextIno = 1;

/** Metadata shared by every inode type. `mode` holds only permission bits (0o7777, incl. setuid/setgid/sticky). */
export interface InodeMeta {
  mode: number;
  uid: number;
  gid: number;
  /** Modification time in seconds since the epoch (tar's resolution). */
  mtime: number;
  /** Extended attributes (e.g. `security.capability`), as tar PAX `SCHILY.xattr.*` carries them. */
  xattrs?: Record<string, Uint8Array>;
}

const NO_DEVICE = Object.freeze({ major: 0, minor: 0 });

/** A file-system object. Only `content` (file), `target` (symlink), `children`/`opaque` (dir) and `rdev` (devices) apply per type. */
export class Inode implements InodeMeta {
  readonly ino = nextIno++;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  xattrs?: Record<string, Uint8Array>;
  /** Number of directory entries naming this inode within its tree. */
  nlink = 0;
  content: FileContent = EMPTY_CONTENT;
  target = '';
  /** Device numbers (char/block); other inodes share one frozen zero pair instead of allocating their own. */
  rdev: { readonly major: number; readonly minor: number } = NO_DEVICE;
  /** Children of a directory, by name. Never contains '.' or '..'. */
  children?: Map<string, Entry>;
  /** An opaque directory hides all lower-layer entries below it. */
  opaque = false;

  constructor(
    readonly type: InodeType,
    meta: Partial<InodeMeta> = {},
  ) {
    this.mode = meta.mode ?? (type === 'dir' ? 0o755 : type === 'symlink' ? 0o777 : 0o644);
    this.uid = meta.uid ?? 0;
    this.gid = meta.gid ?? 0;
    this.mtime = meta.mtime ?? 0;
    if (meta.xattrs) this.xattrs = meta.xattrs;
    if (type === 'dir') this.children = new Map();
  }

  get size(): number {
    return this.type === 'file' ? this.content.size : this.type === 'symlink' ? this.target.length : 0;
  }

  /** st_mode: type bits | permission bits. */
  get stMode(): number {
    return TYPE_BITS[this.type] | (this.mode & 0o7777);
  }

  /** A copy of this inode's data and metadata as a new inode (what copy-up creates). Children are not copied. */
  cloneShallow(): Inode {
    const n = new Inode(this.type, this);
    n.content = this.content;
    n.target = this.target;
    n.rdev = this.rdev === NO_DEVICE ? NO_DEVICE : { ...this.rdev };
    if (this.xattrs) n.xattrs = { ...this.xattrs };
    return n;
  }
}

/** A whiteout: hides the same name in every lower layer. */
export class Whiteout {
  readonly kind = 'whiteout' as const;
}
export const WHITEOUT = new Whiteout();

/** What a directory maps a name to. */
export type Entry = Inode | Whiteout;

let treeGeneration = 0;

/**
 * Counts changes to the shape of mutable layer trees (an entry added, replaced or removed; a
 * directory made opaque), so a lookup cache over a tree (the union's last directory) knows when it
 * may be stale. Code that changes `children` maps of a tree a mount is using calls `noteTreeChange()`.
 */
export function noteTreeChange(): void {
  treeGeneration++;
}

/** The current change count (see `noteTreeChange`). */
export function treeChangeCount(): number {
  return treeGeneration;
}

export function isWhiteout(e: Entry | undefined): e is Whiteout {
  return e instanceof Whiteout;
}

/** Helpers to make inodes. */
export function makeFile(content: FileContent = EMPTY_CONTENT, meta: Partial<InodeMeta> = {}): Inode {
  const n = new Inode('file', meta);
  n.content = content;
  return n;
}
export function makeDir(meta: Partial<InodeMeta> = {}): Inode {
  return new Inode('dir', meta);
}
export function makeSymlink(target: string, meta: Partial<InodeMeta> = {}): Inode {
  const n = new Inode('symlink', { mode: 0o777, ...meta });
  n.target = target;
  return n;
}
export function makeDevice(type: 'char' | 'block', major: number, minor: number, meta: Partial<InodeMeta> = {}): Inode {
  const n = new Inode(type, meta);
  n.rdev = { major, minor };
  return n;
}

/** Splits an absolute or relative path into clean components ('.' dropped; '..' kept for the caller). */
export function splitPath(p: string): string[] {
  return p.split('/').filter((c) => c !== '' && c !== '.');
}

/** One layer: a root directory inode and its descendants. See the module comment. */
export class LayerTree {
  readonly root: Inode;
  private frozen = false;

  constructor(root?: Inode) {
    this.root = root ?? makeDir();
    if (this.root.type !== 'dir') throw new Error('LayerTree root must be a directory');
  }

  get isFrozen() {
    return this.frozen;
  }

  /** Marks the tree immutable (a committed layer). Mutating helpers throw afterwards. */
  freeze(): this {
    this.frozen = true;
    return this;
  }

  private assertMutable() {
    if (this.frozen) throw new Error('LayerTree is committed (frozen) and cannot change');
  }

  /** The entry at a clean absolute path inside this layer only (no symlink following, no lower layers). */
  get(path: string): Entry | undefined {
    let cur: Entry = this.root;
    for (const c of splitPath(path)) {
      if (!(cur instanceof Inode) || !cur.children) return undefined;
      const next: Entry | undefined = cur.children.get(c);
      if (!next) return undefined;
      cur = next;
    }
    return cur;
  }

  /**
   * Puts `entry` at `path`, creating missing parent directories with `parentMeta` (default 0755 root).
   * Replaces whatever was there (a replaced inode's nlink drops by one).
   */
  set(path: string, entry: Entry, parentMeta: Partial<InodeMeta> = {}): void {
    this.assertMutable();
    noteTreeChange();
    const parts = splitPath(path);
    if (parts.length === 0) throw new Error('cannot replace the root of a LayerTree');
    let dir = this.root;
    for (const c of parts.slice(0, -1)) {
      let next = dir.children!.get(c);
      if (!(next instanceof Inode) || next.type !== 'dir') {
        if (next instanceof Inode) next.nlink--;
        next = makeDir(parentMeta);
        next.nlink = 1;
        dir.children!.set(c, next);
      }
      dir = next;
    }
    const name = parts[parts.length - 1];
    const old = dir.children!.get(name);
    if (old instanceof Inode) old.nlink--;
    if (entry instanceof Inode) entry.nlink++;
    dir.children!.set(name, entry);
  }

  /** Removes the entry at `path` from this layer (not a whiteout: the name simply stops being in the layer). */
  delete(path: string): boolean {
    this.assertMutable();
    noteTreeChange();
    const parts = splitPath(path);
    const parent = this.get('/' + parts.slice(0, -1).join('/'));
    if (!(parent instanceof Inode) || !parent.children) return false;
    const old = parent.children.get(parts[parts.length - 1]);
    if (old instanceof Inode) old.nlink--;
    return parent.children.delete(parts[parts.length - 1]);
  }

  /** Every entry, depth-first, parents before children, names in byte order: `[path, entry]`. The root is not included. */
  *walk(): Generator<[string, Entry]> {
    // An explicit stack, not recursion: a tree 5,000 directories deep (input-controlled) would
    // overflow the call stack, and nested generators cost O(depth) per entry.
    const stack: { prefix: string; dir: Inode; names: string[]; i: number }[] = [{ prefix: '', dir: this.root, names: [...this.root.children!.keys()].sort(compareNames), i: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.i >= top.names.length) {
        stack.pop();
        continue;
      }
      const name = top.names[top.i++];
      const e = top.dir.children!.get(name)!;
      const p = `${top.prefix}/${name}`;
      yield [p, e];
      if (e instanceof Inode && e.type === 'dir') stack.push({ prefix: p, dir: e, names: [...e.children!.keys()].sort(compareNames), i: 0 });
    }
  }

  /** Number of entries (whiteouts included; the root excluded). */
  get entryCount(): number {
    let n = 0;
    for (const _ of this.walk()) n++;
    return n;
  }

  private contentSizeMemo?: number;

  /** Sum of the sizes of regular files, counting hard-linked inodes once: the layer's content bytes. */
  get contentSize(): number {
    if (this.contentSizeMemo !== undefined) return this.contentSizeMemo;
    const seen = new Set<number>();
    let n = 0;
    for (const [, e] of this.walk()) {
      if (e instanceof Inode && e.type === 'file' && !seen.has(e.ino)) {
        seen.add(e.ino);
        n += e.size;
      }
    }
    // A committed layer never changes, so its size is computed once.
    if (this.frozen) this.contentSizeMemo = n;
    return n;
  }
}

/** Byte-order comparison of names, as Go's sort.Strings and tar writers in image builders use. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
