/**
 * A union mount with overlayfs semantics (kernel Documentation/filesystems/overlayfs.rst), as
 * Docker's overlay2 driver mounts a container or a build step: read-only lowerdirs (a shared
 * LowerStack) under one writable upperdir (a LayerTree), seen through one merged view.
 *
 * Rules reproduced from overlayfs:
 * - Lookup goes top-down: upper first, then the merged lower index. A whiteout hides the name below;
 *   an opaque upper directory hides all lower children; a non-directory hides any directory below.
 * - Copy-up copies the whole file (data and metadata) into the upper layer before the first write,
 *   truncate, chmod, chown, utimes or link of a lower entry; its parent directories are copied up
 *   first, metadata only.
 * - Removing a name that exists in a lower layer leaves a whiteout; removing an upper-only name
 *   deletes it. A directory created where the upper layer holds a whiteout is made opaque.
 * - rename of a directory that has a lower part fails with EXDEV (overlayfs without redirect_dir;
 *   `mv` then copies and deletes). A renamed file is copied up, moved in the upper layer, and a
 *   whiteout is left at the old name if that name exists below.
 * The upper LayerTree is therefore exactly what Docker commits as the layer's changeset.
 *
 * The API is synchronous and node-fs-like (the shell and the benchmarks call it hot).
 *
 * Simulation notes: no umask (new files get the given mode, default 0644/0755); no atime/ctime
 * (only mtime, in seconds, from the `clock` option); copy-up breaks hard links between lower names
 * (overlay2 mounts with index=off) and gives the copy a new inode number; writes to char/block
 * devices and fifos are discarded and reads of them return no bytes.
 */
import { FsError } from '../errors.ts';
import { checkAccess, checkSticky, type Credentials, isOwner, R_OK, ROOT, W_OK, X_OK } from './access.ts';
import { bytesContent, type FileContent } from './content.ts';
import type { UnionEvent, UnionEventListener } from './events.ts';
import { Inode, type InodeType, LayerTree, WHITEOUT, isWhiteout, makeDevice, makeDir, makeFile, makeSymlink, noteTreeChange, treeChangeCount } from './layer-tree.ts';
import type { LowerEntry, LowerStack } from './lower-stack.ts';
import { baseName, childPath, components, isCleanAbsolute, nameTooLong, normalizePath, parentPath, PATH_MAX, pathTooLong, utf8Length } from './path.ts';
import { type LayerRef, Stats } from './stat.ts';

export { type Credentials, ROOT, R_OK, W_OK, X_OK, mayAccess } from './access.ts';
export { Stats, type LayerRef } from './stat.ts';

/** Options of a union mount. */
export interface UnionOptions {
  /** The upperdir; a new empty LayerTree by default. */
  upper?: LayerTree;
  /** Directory that relative paths resolve against (default `/`). */
  cwd?: string;
  /**
   * Current time in seconds, stamped on new and modified entries. The engine passes the host clock;
   * without one, time stands still at the Unix epoch (the fs module never reads the machine's clock).
   */
  clock?: () => number;
  /** Receives every change made to the upper layer. */
  onEvent?: UnionEventListener;
  /** Mounted read-only: every change fails with EROFS. */
  readOnly?: boolean;
  /** Acting credentials (default root). */
  user?: Credentials;
}

/** One entry of a prepared tree for `UnionFs.graft`: a path relative to the grafted directory. */
export interface GraftEntry {
  path: string;
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  content?: FileContent;
  target?: string;
}

/** Where a path of the merged view resolves: the inode and the layer providing it. */
export interface EntryInfo {
  path: string;
  inode: Inode;
  layer: LayerRef;
}

/** A directory entry with its type, as `readdir(…, {withFileTypes})` gives. */
export interface DirEntry {
  name: string;
  type: InodeType;
}

/** A relative path `graft` refuses: absolute, empty components, `.` or `..`, a trailing slash. */
const BAD_RELATIVE = /^\/|\/$|\/\/|(^|\/)\.\.?(\/|$)/;

/** Linux follows at most 40 symlinks while resolving one path (MAXSYMLINKS). */
export const MAX_SYMLINK_HOPS = 40;

/**
 * A node of the merged view found by the resolver.
 * `upper` is the upper-layer inode at this path if there is one; `lowerVisible` (directories) says
 * whether lower-layer children show through (no opaque upper directory at or above, and a lower
 * directory exists at this path).
 */
interface Node {
  path: string;
  inode: Inode;
  layer: LayerRef;
  upper: Inode | undefined;
  lowerVisible: boolean;
}

/** The result of resolving a path up to its last component: the parent directory, the name, and what is there. */
interface Walked {
  dir: Node;
  name: string;
  path: string;
  found: Node | undefined;
}

/** A writable union mount over a LowerStack. See the module comment for the overlayfs rules. */
export class UnionFs {
  readonly lower: LowerStack;
  readonly upper: LayerTree;
  private cwdPath: string;
  private cred: Credentials;
  private readonly clock: () => number;
  private readonly listener?: UnionEventListener;
  private readOnly: boolean;

  constructor(lower: LowerStack, opts: UnionOptions = {}) {
    this.lower = lower;
    this.upper = opts.upper ?? new LayerTree();
    this.cwdPath = normalizePath(opts.cwd ?? '/');
    this.cred = opts.user ?? ROOT;
    this.clock = opts.clock ?? (() => 0);
    this.listener = opts.onEvent;
    this.readOnly = opts.readOnly ?? this.upper.isFrozen;
    const r = this.upper.root;
    if (!this.upper.isFrozen && r.children!.size === 0) {
      // The merged root shows the lower root's metadata until it is changed.
      const lr = lower.get('/')!.inode;
      r.mode = lr.mode;
      r.uid = lr.uid;
      r.gid = lr.gid;
      r.mtime = lr.mtime;
    }
  }

  // ---------------------------------------------------------------- credentials, cwd, lifecycle

  /** The acting credentials. */
  get user(): Credentials {
    return this.cred;
  }
  /** Changes the acting credentials (like USER in a Dockerfile or `su`). */
  setUser(cred: Credentials): void {
    this.cred = cred;
  }
  /** The directory relative paths resolve against. */
  get cwd(): string {
    return this.cwdPath;
  }
  /** Changes the working directory (must be a searchable directory). */
  chdir(path: string): void {
    const n = this.resolve(path, true, 'chdir');
    if (n.inode.type !== 'dir') throw new FsError('ENOTDIR', 'chdir', path);
    checkAccess(this.cred, n.inode, X_OK, 'chdir', path);
    this.cwdPath = n.path;
  }
  /** True if the mount rejects changes (EROFS). */
  get isReadOnly(): boolean {
    return this.readOnly;
  }

  /** Freezes and returns the upper layer (the committed changeset); the mount becomes read-only. */
  freezeUpper(): LayerTree {
    this.readOnly = true;
    return this.upper.freeze();
  }

  /** Commits: freezes the upper layer and returns it with the lower stack of the next step (this stack plus the layer). */
  commit(): { layer: LayerTree; lower: LowerStack } {
    const layer = this.freezeUpper();
    return { layer, lower: this.lower.push(layer) };
  }

  // ---------------------------------------------------------------- reads

  /** stat(2): follows symlinks. */
  stat(path: string): Stats {
    const n = this.resolve(path, true, 'stat');
    return new Stats(n.inode, n.layer);
  }

  /** lstat(2): does not follow a final symlink. */
  lstat(path: string): Stats {
    const n = this.resolve(path, false, 'lstat');
    return new Stats(n.inode, n.layer);
  }

  /** True if the path resolves (following symlinks), like Node's `existsSync`. */
  exists(path: string): boolean {
    const f = this.fastFind(path, true);
    if (f) return true;
    try {
      this.resolve(path, true, 'access');
      return true;
    } catch {
      return false;
    }
  }

  /** access(2): throws EACCES unless the acting user has `mode` (R_OK|W_OK|X_OK) on the path; ENOENT if missing. */
  access(path: string, mode = 0): void {
    const n = this.resolve(path, true, 'access');
    if (mode & W_OK && this.readOnly) throw new FsError('EROFS', 'access', path);
    if (mode) checkAccess(this.cred, n.inode, mode, 'access', path);
  }

  /** The whole content of a file (following symlinks). */
  readFile(path: string): Uint8Array {
    const n = this.resolve(path, true, 'open');
    if (n.inode.type === 'dir') throw new FsError('EISDIR', 'read', path);
    if (this.cred.uid !== 0) checkAccess(this.cred, n.inode, R_OK, 'open', path);
    return n.inode.type === 'file' ? n.inode.content.read() : new Uint8Array(0);
  }

  /** A file's content object, by reference (nothing is materialised): for copying a file as `cp` would, cheaply. */
  readContent(path: string): FileContent {
    const n = this.resolve(path, true, 'open');
    if (n.inode.type === 'dir') throw new FsError('EISDIR', 'read', path);
    if (this.cred.uid !== 0) checkAccess(this.cred, n.inode, R_OK, 'open', path);
    return n.inode.type === 'file' ? n.inode.content : bytesContent(new Uint8Array(0));
  }

  /** A file's content decoded as UTF-8. */
  readTextFile(path: string): string {
    return decoder.decode(this.readFile(path));
  }

  /** The target of a symlink. */
  readlink(path: string): string {
    const n = this.resolve(path, false, 'readlink');
    if (n.inode.type !== 'symlink') throw new FsError('EINVAL', 'readlink', path);
    return n.inode.target;
  }

  /** The canonical absolute path (every symlink resolved). */
  realpath(path: string): string {
    return this.resolve(path, true, 'realpath').path;
  }

  /** Sorted names in a directory of the merged view (upper and lower entries merged, whiteouts applied). */
  readdir(path: string): string[] {
    const n = this.resolve(path, true, 'scandir');
    if (n.inode.type !== 'dir') throw new FsError('ENOTDIR', 'scandir', path);
    checkAccess(this.cred, n.inode, R_OK, 'scandir', path);
    return this.mergedNames(n);
  }

  /** Like readdir, with each entry's type. */
  readdirWithTypes(path: string): DirEntry[] {
    const n = this.resolve(path, true, 'scandir');
    if (n.inode.type !== 'dir') throw new FsError('ENOTDIR', 'scandir', path);
    checkAccess(this.cred, n.inode, R_OK, 'scandir', path);
    return this.mergedNames(n).map((name) => ({ name, type: this.child(n, name)!.inode.type }));
  }

  /** The resolved inode at a path and the layer it comes from (index in the lower stack, or 'upper'); undefined if absent. */
  entryAt(path: string, opts: { follow?: boolean } = {}): EntryInfo | undefined {
    try {
      const n = this.resolve(path, opts.follow ?? false, 'lstat');
      return { path: n.path, inode: n.inode, layer: n.layer };
    } catch (e) {
      // A symlink loop on the way is not an absent entry: ELOOP reaches the caller, as in Linux.
      if (e instanceof FsError && e.errno !== 'ELOOP') return undefined;
      throw e;
    }
  }

  // ---------------------------------------------------------------- writes

  /** Writes a whole file (following a final symlink; creating the file with `mode`, default 0644). */
  writeFile(path: string, data: string | Uint8Array, opts: { mode?: number } = {}): void {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    this.writeData(path, 'open', opts.mode, () => bytes);
  }

  /**
   * Writes a whole file from a content object (e.g. `SyntheticContent` for a package's binary), so
   * that megabytes of modelled bytes cost no memory until read or exported. Same rules as writeFile.
   */
  writeContent(path: string, content: FileContent, opts: { mode?: number } = {}): void {
    this.writeData(path, 'open', opts.mode, () => content);
  }

  /**
   * Creates the absent directory `path` holding a prepared tree in one step (a package manager
   * unpacking a package): what `mkdir` plus one `writeContent`/`symlink`/`mkdir` per entry would
   * leave, owned by the acting user, without walking the merged view once per file. Entries are
   * relative paths (`lib/index.js`); missing parent directories are made 0755; file contents are
   * kept by reference (nothing is materialised or hashed). Returns false, changing nothing, when
   * `path` already exists (the caller then writes file by file, which merges with what is there).
   */
  graft(path: string, entries: Iterable<GraftEntry>): boolean {
    this.assertWritable('mkdir', path);
    const w = this.walk(path, false, 'mkdir');
    if (w.found) return false;
    // Owner and time as createIn gives them (a setgid parent's group is applied below).
    const meta = { uid: this.cred.uid, gid: this.cred.gid, mtime: this.clock() };
    const root = makeDir({ mode: 0o755 });
    const dirs = new Map<string, Inode>([['', root]]);
    const dirAt = (rel: string): Inode => {
      let d = dirs.get(rel);
      if (d) return d;
      const cut = rel.lastIndexOf('/');
      const parent = dirAt(cut < 0 ? '' : rel.slice(0, cut));
      const name = cut < 0 ? rel : rel.slice(cut + 1);
      const old = parent.children!.get(name);
      if (old instanceof Inode && old.type === 'dir') d = old;
      else {
        d = makeDir({ mode: 0o755, ...meta });
        setChild(parent, name, d);
      }
      dirs.set(rel, d);
      return d;
    };
    const created: { rel: string; ino: Inode }[] = [];
    let longest = '';
    // Prepared trees list a directory's files together: the last parent is reused while the next
    // entry's directory is the same (compared in place, without slicing and hashing the prefix).
    let lastDir = '';
    let lastParent = root;
    const fileMeta = { mode: 0o644, ...meta };
    for (const e of entries) {
      const rel = e.path;
      if (!rel || BAD_RELATIVE.test(rel) || (rel.length > 255 && rel.split('/').some(nameTooLong))) throw new FsError('EINVAL', 'open', `${path}/${rel}`);
      if (rel.length > longest.length) longest = rel;
      if (e.type === 'dir') {
        dirAt(rel).mode = e.mode & 0o7777;
        continue;
      }
      const cut = rel.lastIndexOf('/');
      let parent = root;
      if (cut >= 0) {
        if (cut !== lastDir.length || !rel.startsWith(lastDir) || !lastDir) {
          lastDir = rel.slice(0, cut);
          lastParent = dirAt(lastDir);
        }
        parent = lastParent;
      }
      let ino: Inode;
      if (e.type === 'symlink') ino = makeSymlink(e.target ?? '', meta);
      else {
        fileMeta.mode = e.mode & 0o7777;
        ino = makeFile(e.content, fileMeta);
      }
      setChild(parent, cut < 0 ? rel : rel.slice(cut + 1), ino);
      if (this.listener) created.push({ rel, ino });
    }
    checkStorablePath(w.path, longest ? utf8Length(longest) + 1 : 0, 'mkdir');
    this.createIn(w, root, 'mkdir', path);
    if (root.mode & 0o2000) {
      // Under a setgid directory every new entry takes its group, and directories the bit (see createIn).
      const stack = [root];
      while (stack.length) {
        const d = stack.pop()!;
        for (const c of d.children!.values()) {
          if (!(c instanceof Inode)) continue;
          c.gid = root.gid;
          if (c.type === 'dir') {
            c.mode |= 0o2000;
            stack.push(c);
          }
        }
      }
    }
    if (this.listener) {
      for (const [rel, d] of dirs) if (rel) this.emit({ type: 'created', path: `${w.path}/${rel}`, inodeType: 'dir', size: d.size });
      for (const c of created) this.emit({ type: 'created', path: `${w.path}/${c.rel}`, inodeType: c.ino.type, size: c.ino.size });
    }
    return true;
  }

  /** Appends to a file, creating it if missing (a lower file is copied up whole first). */
  appendFile(path: string, data: string | Uint8Array, opts: { mode?: number } = {}): void {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    this.writeData(path, 'open', opts.mode, (readOld) => {
      const old = readOld();
      if (!old || old.length === 0) return bytes;
      const out = new Uint8Array(old.length + bytes.length);
      out.set(old);
      out.set(bytes, old.length);
      return out;
    });
  }

  /** Cuts or extends (with zero bytes) a file to `length`. */
  truncate(path: string, length = 0): void {
    this.assertWritable('truncate', path);
    const n = this.resolve(path, true, 'truncate');
    if (n.inode.type === 'dir') throw new FsError('EISDIR', 'truncate', path);
    if (n.inode.type !== 'file') throw new FsError('EINVAL', 'truncate', path);
    checkAccess(this.cred, n.inode, W_OK, 'truncate', path);
    const ino = this.copyUp(n);
    const old = ino.content.read();
    const out = new Uint8Array(length);
    out.set(old.subarray(0, Math.min(length, old.length)));
    ino.content = bytesContent(out);
    ino.mtime = this.clock();
    this.emit({ type: 'modified', path: n.path, size: length });
  }

  /** Creates a directory (`recursive` creates missing parents and accepts an existing directory). */
  mkdir(path: string, opts: { recursive?: boolean; mode?: number } = {}): void {
    this.assertWritable('mkdir', path);
    if (!opts.recursive) {
      const w = this.walk(path, false, 'mkdir');
      if (w.found) throw new FsError('EEXIST', 'mkdir', path);
      this.createIn(w, makeDir({ mode: (opts.mode ?? 0o755) & 0o7777 }), 'mkdir', path);
      return;
    }
    const abs = path.startsWith('/') ? path : childPath(this.cwdPath, path);
    const parts = components(abs);
    if (!parts.includes('..')) return this.mkdirRecursive(path, parts, (opts.mode ?? 0o755) & 0o7777);
    let prefix = '';
    for (let i = 0; i < parts.length; i++) {
      prefix += '/' + parts[i];
      const w = this.walk(prefix, true, 'mkdir');
      if (w.found) {
        if (w.found.inode.type !== 'dir') throw new FsError(i === parts.length - 1 ? 'EEXIST' : 'ENOTDIR', 'mkdir', path);
        continue;
      }
      // A dangling symlink is not followed by mkdir: the name exists.
      if (this.walk(prefix, false, 'mkdir').found) throw new FsError('EEXIST', 'mkdir', path);
      this.createIn(w, makeDir({ mode: (opts.mode ?? 0o755) & 0o7777 }), 'mkdir', path);
    }
  }

  /**
   * `mkdir -p` in one pass down the tree (a walk from `/` per prefix made 2,000 levels take
   * seconds): each component is looked up in the directory reached so far; only a symlink on
   * the way goes through the full resolver.
   */
  private mkdirRecursive(path: string, parts: string[], mode: number): void {
    if (pathTooLong(path)) throw new FsError('ENAMETOOLONG', 'mkdir', path);
    let node = this.rootNode();
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i];
      if (nameTooLong(name)) throw new FsError('ENAMETOOLONG', 'mkdir', path);
      if (this.cred.uid !== 0) checkAccess(this.cred, node.inode, X_OK, 'mkdir', path);
      const prefix = childPath(node.path, name);
      let f = this.child(node, name);
      if (f && f.inode.type === 'symlink') {
        f = this.walk(prefix, true, 'mkdir').found;
        // A dangling symlink is not followed by mkdir: the name exists.
        if (!f) throw new FsError('EEXIST', 'mkdir', path);
      }
      if (f) {
        if (f.inode.type !== 'dir') throw new FsError(i === parts.length - 1 ? 'EEXIST' : 'ENOTDIR', 'mkdir', path);
        node = f;
        continue;
      }
      const ino = makeDir({ mode });
      this.createIn({ dir: node, name, path: prefix, found: undefined }, ino, 'mkdir', path);
      node = { path: prefix, inode: ino, layer: 'upper', upper: ino, lowerVisible: false };
    }
  }

  /** Creates a symlink at `path` pointing to `target` (stored as given). */
  symlink(target: string, path: string): void {
    this.assertWritable('symlink', path);
    // Linux: a symlink's target is a path, at most PATH_MAX - 1 bytes.
    if (pathTooLong(target)) throw new FsError('ENAMETOOLONG', 'symlink', path);
    const w = this.walk(path, false, 'symlink');
    if (w.found) throw new FsError('EEXIST', 'symlink', path);
    this.createIn(w, makeSymlink(target), 'symlink', path);
  }

  /** Creates a device node or fifo (`mknod`); char and block devices need root. */
  mknod(path: string, type: 'char' | 'block' | 'fifo', mode = 0o644, major = 0, minor = 0): void {
    this.assertWritable('mknod', path);
    if (type !== 'fifo' && this.cred.uid !== 0) throw new FsError('EPERM', 'mknod', path);
    const w = this.walk(path, false, 'mknod');
    if (w.found) throw new FsError('EEXIST', 'mknod', path);
    const ino = type === 'fifo' ? new Inode('fifo', { mode: mode & 0o7777 }) : makeDevice(type, major, minor, { mode: mode & 0o7777 });
    this.createIn(w, ino, 'mknod', path);
  }

  /** Hard link: `newPath` names the same inode as `existing` (copied up first if it is in a lower layer). */
  link(existing: string, newPath: string): void {
    this.assertWritable('link', newPath);
    const src = this.resolve(existing, false, 'link');
    const w = this.walk(newPath, false, 'link');
    // Linux order: the new name is created (EEXIST) before vfs_link refuses a directory (EPERM).
    if (w.found) throw new FsError('EEXIST', 'link', newPath);
    if (src.inode.type === 'dir') throw new FsError('EPERM', 'link', existing);
    checkAccess(this.cred, w.dir.inode, W_OK | X_OK, 'link', newPath);
    const ino = this.copyUp(src);
    this.placeNew(w, ino);
  }

  /** Removes a non-directory (a whiteout is left if the name exists in a lower layer). */
  unlink(path: string): void {
    this.assertWritable('unlink', path);
    const w = this.walk(path, false, 'unlink');
    if (!w.found) throw new FsError('ENOENT', 'unlink', path);
    if (w.found.inode.type === 'dir') throw new FsError('EISDIR', 'unlink', path);
    this.checkRemove(w, 'unlink', path);
    this.removeEntry(w);
  }

  /** Removes an empty directory of the merged view (a whiteout is left if it exists in a lower layer). */
  rmdir(path: string): void {
    this.assertWritable('rmdir', path);
    const w = this.walk(path, false, 'rmdir');
    if (!w.found) throw new FsError('ENOENT', 'rmdir', path);
    if (w.found.inode.type !== 'dir') throw new FsError('ENOTDIR', 'rmdir', path);
    if (w.path === '/') throw new FsError('EPERM', 'rmdir', path);
    if (this.mergedNames(w.found).length > 0) throw new FsError('ENOTEMPTY', 'rmdir', path);
    this.checkRemove(w, 'rmdir', path);
    this.removeEntry(w);
  }

  /** Removes a file or (with `recursive`) a directory tree, like `rm -r`; `force` ignores a missing path. */
  rm(path: string, opts: { recursive?: boolean; force?: boolean } = {}): void {
    this.assertWritable('rm', path);
    let w: Walked;
    try {
      w = this.walk(path, false, 'rm');
    } catch (e) {
      if (opts.force && e instanceof FsError && e.errno === 'ENOENT') return;
      throw e;
    }
    if (!w.found) {
      if (opts.force) return;
      throw new FsError('ENOENT', 'rm', path);
    }
    if (w.found.inode.type !== 'dir') return this.unlink(w.path);
    if (!opts.recursive) throw new FsError('EISDIR', 'rm', path);
    this.rmTree(w);
  }

  /**
   * rename(2) in the merged view. A directory with a lower part fails with EXDEV (overlayfs without
   * redirect_dir); a file is copied up, moved in the upper layer, and its old name whited out if it exists below.
   */
  rename(oldPath: string, newPath: string): void {
    this.assertWritable('rename', oldPath);
    // Linux resolves both parents (ENOENT/ENOTDIR on the way) before looking at the last components.
    const wo = this.walk(oldPath, false, 'rename');
    const wn = this.walk(newPath, false, 'rename');
    if (!wo.found) throw new FsError('ENOENT', 'rename', oldPath);
    const src = wo.found;
    if (wo.path === wn.path) return;
    // do_renameat2's "trap" checks: into its own subtree is EINVAL, onto its own ancestor ENOTEMPTY.
    if (src.inode.type === 'dir' && (wn.path + '/').startsWith(wo.path + '/')) throw new FsError('EINVAL', 'rename', oldPath);
    if (wo.path.startsWith(wn.path === '/' ? '/' : wn.path + '/')) throw new FsError('ENOTEMPTY', 'rename', newPath);
    const dst = wn.found;
    if (dst) {
      if (src.inode.type === 'dir' && dst.inode.type !== 'dir') throw new FsError('ENOTDIR', 'rename', newPath);
      if (src.inode.type !== 'dir' && dst.inode.type === 'dir') throw new FsError('EISDIR', 'rename', newPath);
    }
    this.checkRemove(wo, 'rename', oldPath);
    if (dst) this.checkRemove(wn, 'rename', newPath);
    else checkAccess(this.cred, wn.dir.inode, W_OK | X_OK, 'rename', newPath);
    if (src.inode.type === 'dir' && (src.layer !== 'upper' || src.lowerVisible)) {
      // overlayfs (ovl_rename) without redirect_dir: a merged or lower directory cannot move.
      throw new FsError('EXDEV', 'rename', oldPath);
    }
    if (dst && dst.inode.type === 'dir' && this.mergedNames(dst).length > 0) throw new FsError('ENOTEMPTY', 'rename', newPath);
    if (src.inode.type === 'dir') checkStorablePath(wn.path, deepestRelativeBytes(src.inode), 'rename');
    else checkStorablePath(wn.path, 0, 'rename');
    const moved = this.copyUp(src);
    const oldParent = this.ensureUpperDir(wo.dir);
    const lowerAtOld = wo.dir.lowerVisible ? this.lower.get(wo.path) : undefined;
    // Detach from the old name: a whiteout if the name exists below, else just gone.
    if (lowerAtOld) {
      setChild(oldParent, wo.name, WHITEOUT);
      this.emit({ type: 'whited-out', path: wo.path, hidden: hiddenInfo(lowerAtOld) });
    } else {
      setChild(oldParent, wo.name, undefined);
      this.emit({ type: 'removed', path: wo.path, inodeType: moved.type });
    }
    oldParent.mtime = this.clock();
    const newParent = this.ensureUpperDir(wn.dir);
    setChild(newParent, wn.name, moved);
    newParent.mtime = this.clock();
    this.emit({ type: 'created', path: wn.path, inodeType: moved.type, size: moved.size });
    if (moved.type === 'dir' && !moved.opaque && wn.dir.lowerVisible) {
      // ovl_rename: an upper-only directory moved into a merged directory is marked opaque.
      moved.opaque = true;
      noteTreeChange();
      this.emit({ type: 'made-opaque', path: wn.path });
    }
  }

  /** Changes permission bits (owner or root); copies a lower entry up first. */
  chmod(path: string, mode: number): void {
    this.assertWritable('chmod', path);
    const n = this.resolve(path, true, 'chmod');
    if (!isOwner(this.cred, n.inode)) throw new FsError('EPERM', 'chmod', path);
    const ino = this.copyUp(n);
    ino.mode = mode & 0o7777;
    this.emit({ type: 'metadata-changed', path: n.path, what: 'mode' });
  }

  /** Changes owner and group (following symlinks); -1 keeps a value. Only root may give a file away. */
  chown(path: string, uid: number, gid: number): void {
    this.chownAt(path, uid, gid, true);
  }

  /** Like chown, but changes a symlink itself. */
  lchown(path: string, uid: number, gid: number): void {
    this.chownAt(path, uid, gid, false);
  }

  /** Sets the modification time (seconds, or a Date); access time is not modelled. */
  utimes(path: string, _atime: number | Date, mtime: number | Date): void {
    this.assertWritable('utime', path);
    const n = this.resolve(path, true, 'utime');
    if (!isOwner(this.cred, n.inode)) throw new FsError('EPERM', 'utime', path);
    const ino = this.copyUp(n);
    ino.mtime = typeof mtime === 'number' ? Math.floor(mtime) : Math.floor(mtime.getTime() / 1000);
    this.emit({ type: 'metadata-changed', path: n.path, what: 'times' });
  }

  // ---------------------------------------------------------------- resolution

  /** Resolves a path to a node or throws (ENOENT, ENOTDIR, ELOOP, EACCES). */
  private resolve(path: string, follow: boolean, syscall: string): Node {
    const f = this.fastFind(path, follow);
    if (f) return f;
    const w = this.walk(path, follow, syscall);
    if (!w.found) throw new FsError('ENOENT', syscall, path);
    return w.found;
  }

  /**
   * One-step lookup for the common case (root user, clean absolute path, no symlink on the way):
   * walk the (small) upper tree, then one Map lookup in the lower index, whose entries all sit under
   * real directories. Returns undefined to defer to `walk` for anything unusual, including misses.
   */
  private fastFind(path: string, follow: boolean): Node | undefined {
    if (this.cred.uid !== 0 || !isCleanAbsolute(path) || pathTooLong(path)) return undefined;
    if (path === '/') return this.rootNode();
    const from = this.cachedDirFor(path);
    let u = from?.u ?? this.upper.root;
    let lowerVisible = from ? from.lowerVisible : !u.opaque;
    let start = from ? from.path.length + 1 : 1;
    let depth = from?.depth ?? 0;
    for (;;) {
      const slash = path.indexOf('/', start);
      const name = slash < 0 ? path.slice(start) : path.slice(start, slash);
      const e = u.children!.get(name);
      if (e === undefined) {
        if (!lowerVisible) return undefined;
        const l = this.lower.get(path);
        if (!l || (follow && l.inode.type === 'symlink')) return undefined;
        return { path, inode: l.inode, layer: l.layer, upper: undefined, lowerVisible: l.inode.type === 'dir' };
      }
      if (isWhiteout(e)) return undefined;
      if (slash < 0) {
        if (follow && e.type === 'symlink') return undefined;
        return { path, inode: e, layer: 'upper', upper: e, lowerVisible: e.type === 'dir' && this.lowerDirVisible(lowerVisible, e, path) };
      }
      if (e.type !== 'dir') return undefined;
      lowerVisible = lowerVisible && !e.opaque;
      u = e;
      start = slash + 1;
      this.dirCache = { path: path.slice(0, slash), depth: ++depth, u, lowerVisible, generation: treeChangeCount() };
    }
  }

  /**
   * The last upper directory `fastFind` passed through, while the trees are unchanged: tools walk a
   * tree through paths (`find`, `rm -r`, `chown -R`, a shell's `cd` checking each prefix), so the
   * next lookup usually starts below it and need not walk down from `/` again (which made deep
   * paths quadratic). `lowerVisible` is the fast path's running flag (no opaque directory above).
   */
  private dirCache?: { path: string; depth: number; u: Inode; lowerVisible: boolean; generation: number };

  private cachedDirFor(path: string): { path: string; depth: number; u: Inode; lowerVisible: boolean } | undefined {
    const c = this.dirCache;
    if (!c || c.generation !== treeChangeCount()) return undefined;
    return path.length > c.path.length && path.charCodeAt(c.path.length) === 47 && path.startsWith(c.path) ? c : undefined;
  }

  /**
   * How many leading components of the clean absolute path `path` are directories of the merged
   * view reached without crossing a symlink (as root sees them; no permission checks), so a
   * resolver above this filesystem (the shell's system mounts) can skip them instead of looking
   * each prefix up from `/` again. One pass down the upper tree, then a binary search of the lower
   * index (its entries all sit under real directories, so a directory at a prefix implies
   * directories at every shorter one): O(length · log depth), not one full lookup per prefix.
   */
  plainDirDepth(path: string): number {
    if (path === '/' || !isCleanAbsolute(path)) return 0;
    const from = this.cachedDirFor(path);
    let u = from?.u ?? this.upper.root;
    let lowerVisible = from ? from.lowerVisible : !u.opaque;
    let k = from?.depth ?? 0;
    let start = from ? from.path.length + 1 : 1;
    // Down the upper tree from the cached directory (or `/`), one component at a time.
    for (;;) {
      const slash = path.indexOf('/', start);
      const e = u.children!.get(slash < 0 ? path.slice(start) : path.slice(start, slash));
      if (e === undefined) break;
      if (isWhiteout(e) || e.type !== 'dir') return k;
      k++;
      if (slash < 0) return k;
      lowerVisible = lowerVisible && !e.opaque;
      u = e;
      start = slash + 1;
    }
    if (!lowerVisible) return k;
    // Below the upper tree: the lower layers decide, and only if the last upper directory shows them.
    const ends: number[] = [];
    for (let i = start - 1; i >= 0; i = path.indexOf('/', i + 1)) ends.push(i);
    ends.push(path.length);
    // ends[j] is the end of the prefix of k + j components (ends[0] = the upper part).
    const prefix = (j: number) => (k + j === 0 ? '/' : path.slice(0, ends[j]));
    if (k > 0 && this.lower.get(prefix(0))?.inode.type !== 'dir') return k;
    let lo = 0;
    let hi = ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lower.get(prefix(mid))?.inode.type === 'dir') lo = mid;
      else hi = mid - 1;
    }
    return k + lo;
  }

  private lowerDirVisible(parentLowerVisible: boolean, upperDir: Inode, path: string): boolean {
    return parentLowerVisible && !upperDir.opaque && this.lower.get(path)?.inode.type === 'dir';
  }

  private rootNode(): Node {
    const r = this.upper.root;
    return { path: '/', inode: r, layer: 'upper', upper: r, lowerVisible: !r.opaque };
  }

  /** The merged child `name` of directory node `dir`, or undefined. */
  private child(dir: Node, name: string): Node | undefined {
    const p = childPath(dir.path, name);
    const u = dir.upper?.children!.get(name);
    if (u !== undefined) {
      if (isWhiteout(u)) return undefined;
      return { path: p, inode: u, layer: 'upper', upper: u, lowerVisible: u.type === 'dir' && this.lowerDirVisible(dir.lowerVisible, u, p) };
    }
    if (!dir.lowerVisible) return undefined;
    const l = this.lower.get(p);
    if (!l) return undefined;
    return { path: p, inode: l.inode, layer: l.layer, upper: undefined, lowerVisible: l.inode.type === 'dir' };
  }

  /**
   * Resolves every component but the last (following symlinks, `..` never above `/`, search
   * permission on each directory), then looks the last one up, following it if `follow`.
   */
  private walk(path: string, follow: boolean, syscall: string): Walked {
    if (path === '') throw new FsError('ENOENT', syscall, path);
    // Linux getname(): a path argument of PATH_MAX bytes or more is refused before any lookup.
    if (pathTooLong(path)) throw new FsError('ENAMETOOLONG', syscall, path);
    let parts = path.startsWith('/') ? components(path) : [...components(this.cwdPath), ...components(path)];
    const trailingSlash = path.length > 1 && path.endsWith('/');
    const stack: Node[] = [this.rootNode()];
    let hops = 0;
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i];
      const dir = stack[stack.length - 1];
      const last = i === parts.length - 1;
      if (name === '..') {
        if (stack.length > 1) stack.pop();
        continue;
      }
      // Linux lookup: a component over NAME_MAX bytes is ENAMETOOLONG, found or not.
      if (nameTooLong(name)) throw new FsError('ENAMETOOLONG', syscall, path);
      if (this.cred.uid !== 0) checkAccess(this.cred, dir.inode, X_OK, syscall, path);
      const f = this.child(dir, name);
      if (f && f.inode.type === 'symlink' && (!last || follow || trailingSlash)) {
        if (++hops > MAX_SYMLINK_HOPS) throw new FsError('ELOOP', syscall, path);
        const target = f.inode.target;
        if (target === '') throw new FsError('ENOENT', syscall, path);
        if (target.startsWith('/')) stack.length = 1;
        parts = [...components(target), ...parts.slice(i + 1)];
        i = -1;
        continue;
      }
      if (last) {
        if (trailingSlash && f && f.inode.type !== 'dir') throw new FsError('ENOTDIR', syscall, path);
        return { dir, name, path: f ? f.path : childPath(dir.path, name), found: f };
      }
      if (!f) throw new FsError('ENOENT', syscall, path);
      if (f.inode.type !== 'dir') throw new FsError('ENOTDIR', syscall, path);
      stack.push(f);
    }
    // The path ended in a directory reached by `..`, a symlink to a directory, or is the root.
    const top = stack[stack.length - 1];
    if (stack.length === 1) return { dir: top, name: '', path: '/', found: top };
    return { dir: stack[stack.length - 2], name: baseName(top.path), path: top.path, found: top };
  }

  /** Sorted names of a merged directory. */
  private mergedNames(dir: Node): string[] {
    const lowerNames = dir.lowerVisible ? this.lower.childrenOf(dir.path) : [];
    const u = dir.upper;
    if (!u || u.children!.size === 0) return [...lowerNames];
    const out: string[] = [];
    for (const n of lowerNames) if (!u.children!.has(n)) out.push(n);
    for (const [n, e] of u.children!) if (!isWhiteout(e)) out.push(n);
    return out.sort(byBytes);
  }

  // ---------------------------------------------------------------- copy-up and upper changes

  private emit(ev: UnionEvent): void {
    this.listener?.(ev);
  }

  private assertWritable(syscall: string, path: string): void {
    if (this.readOnly) throw new FsError('EROFS', syscall, path);
  }

  /**
   * Makes sure the directory `dir` exists in the upper layer and returns its upper inode: missing
   * ancestors are copied up metadata-only, top-down (overlayfs ovl_copy_up of parents).
   */
  private ensureUpperDir(dir: Node): Inode {
    if (dir.upper) return dir.upper;
    let u = this.upper.root;
    let p = '/';
    for (const name of components(dir.path)) {
      p = childPath(p, name);
      let next = u.children!.get(name);
      if (next === undefined) {
        const l = this.lower.get(p)!;
        next = new Inode('dir', l.inode);
        setChild(u, name, next);
        this.emit({ type: 'copied-up', path: p, inodeType: 'dir', bytes: 0, fromLayer: l.layer });
      }
      u = next as Inode;
    }
    dir.upper = u;
    dir.inode = u;
    dir.layer = 'upper';
    return u;
  }

  /** overlayfs copy-up: the whole entry (file data and metadata) is copied into the upper layer. Returns the upper inode. */
  private copyUp(n: Node): Inode {
    if (n.upper) return n.upper;
    if (n.inode.type === 'dir') return this.ensureUpperDir(n);
    const parent = this.ensureUpperDir(this.nodeAt(parentPath(n.path)));
    const copy = n.inode.cloneShallow();
    setChild(parent, baseName(n.path), copy);
    this.emit({ type: 'copied-up', path: n.path, inodeType: copy.type, bytes: copy.type === 'file' ? copy.size : 0, fromLayer: n.layer as number });
    n.upper = copy;
    n.inode = copy;
    n.layer = 'upper';
    return copy;
  }

  /** The node of a canonical path (no symlinks on the way), as root would see it. */
  private nodeAt(path: string): Node {
    let n = this.rootNode();
    for (const name of components(path)) n = this.child(n, name)!;
    return n;
  }

  private writeData(path: string, syscall: string, mode: number | undefined, make: (old: () => Uint8Array | undefined) => Uint8Array | FileContent): void {
    const asContent = (x: Uint8Array | FileContent): FileContent => (x instanceof Uint8Array ? bytesContent(x) : x);
    this.assertWritable(syscall, path);
    // open(O_CREAT) follows a final symlink, even a dangling one, and creates its target.
    const w = this.walk(path, true, syscall);
    if (w.found) {
      const n = w.found;
      if (n.inode.type === 'dir') throw new FsError('EISDIR', syscall, path);
      checkAccess(this.cred, n.inode, W_OK, syscall, path);
      if (n.inode.type !== 'file') return;
      const ino = this.copyUp(n);
      const prev = ino.content;
      ino.content = asContent(make(() => (prev.size ? prev.read() : undefined)));
      ino.mtime = this.clock();
      this.emit({ type: 'modified', path: n.path, size: ino.size });
      return;
    }
    this.createIn(w, makeFile(asContent(make(() => undefined)), { mode: (mode ?? 0o644) & 0o7777 }), syscall, path);
  }

  /** Creates a new entry at the (absent) last component of `w`, owned by the acting user. */
  private createIn(w: Walked, ino: Inode, syscall: string, path: string): void {
    if (this.cred.uid !== 0) checkAccess(this.cred, w.dir.inode, W_OK | X_OK, syscall, path);
    ino.uid = this.cred.uid;
    ino.gid = this.cred.gid;
    const parentInode = w.dir.inode;
    if (parentInode.mode & 0o2000) {
      // setgid directory (Linux inode_init_owner): new entries take its group; subdirectories inherit the bit.
      ino.gid = parentInode.gid;
      if (ino.type === 'dir') ino.mode |= 0o2000;
    }
    ino.mtime = this.clock();
    this.placeNew(w, ino);
  }

  /** Puts a new name in the upper layer; a directory over an upper whiteout becomes opaque. */
  private placeNew(w: Walked, ino: Inode): void {
    checkStorablePath(w.path, 0, 'open');
    const parent = this.ensureUpperDir(w.dir);
    const old = parent.children!.get(w.name);
    const overWhiteout = isWhiteout(old);
    setChild(parent, w.name, ino);
    parent.mtime = this.clock();
    this.emit({ type: 'created', path: w.path, inodeType: ino.type, size: ino.size });
    if (ino.type === 'dir' && overWhiteout) {
      // overlayfs ovl_create_over_whiteout: a directory re-created over a whiteout is opaque.
      ino.opaque = true;
      noteTreeChange();
      this.emit({ type: 'made-opaque', path: w.path });
    }
  }

  /** Permission to remove the name in `w` (write+search on the parent, sticky rule). */
  private checkRemove(w: Walked, syscall: string, path: string): void {
    if (this.cred.uid === 0) return;
    checkAccess(this.cred, w.dir.inode, W_OK | X_OK, syscall, path);
    checkSticky(this.cred, w.dir.inode, w.found!.inode, syscall, path);
  }

  /** Removes the name in `w`: a whiteout if it exists in a lower layer, otherwise deleted from the upper layer. */
  private removeEntry(w: Walked): void {
    const found = w.found!;
    const parent = this.ensureUpperDir(w.dir);
    const lowerHere = w.dir.lowerVisible ? this.lower.get(w.path) : undefined;
    if (lowerHere) {
      setChild(parent, w.name, WHITEOUT);
      this.emit({ type: 'whited-out', path: w.path, hidden: hiddenInfo(lowerHere) });
    } else {
      setChild(parent, w.name, undefined);
      this.emit({ type: 'removed', path: w.path, inodeType: found.inode.type });
    }
    parent.mtime = this.clock();
  }

  private rmTree(top: Walked): void {
    // Post-order with an explicit stack (children before their directory); depth is input-controlled.
    // Each entry is looked up in its parent's node, not walked from `/` again (quadratic in depth).
    const stack: { w: Walked; expanded: boolean }[] = [{ w: top, expanded: false }];
    while (stack.length) {
      const f = stack[stack.length - 1];
      const n = f.w.found!;
      if (n.inode.type !== 'dir') {
        stack.pop();
        this.checkRemove(f.w, 'unlink', f.w.path);
        this.removeEntry(f.w);
      } else if (!f.expanded) {
        if (this.cred.uid !== 0) checkAccess(this.cred, n.inode, R_OK | W_OK | X_OK, 'rm', f.w.path);
        f.expanded = true;
        const names = this.mergedNames(n);
        for (let i = names.length - 1; i >= 0; i--) {
          const c = this.child(n, names[i]);
          if (c) stack.push({ w: { dir: n, name: names[i], path: c.path, found: c }, expanded: false });
        }
      } else {
        stack.pop();
        if (f.w.path === '/') throw new FsError('EPERM', 'rmdir', f.w.path);
        if (this.mergedNames(n).length > 0) throw new FsError('ENOTEMPTY', 'rmdir', f.w.path);
        this.checkRemove(f.w, 'rmdir', f.w.path);
        this.removeEntry(f.w);
      }
    }
  }

  private chownAt(path: string, uid: number, gid: number, follow: boolean): void {
    const syscall = follow ? 'chown' : 'lchown';
    this.assertWritable(syscall, path);
    const n = this.resolve(path, follow, syscall);
    const newUid = uid === -1 ? n.inode.uid : uid;
    const newGid = gid === -1 ? n.inode.gid : gid;
    if (this.cred.uid !== 0) {
      // Linux chown_ok/chgrp_ok: only root changes the owner; the owner may change the group to one of its own.
      const ownGroup = newGid === this.cred.gid || (this.cred.groups ?? []).includes(newGid);
      if (newUid !== n.inode.uid || this.cred.uid !== n.inode.uid || (newGid !== n.inode.gid && !ownGroup)) {
        throw new FsError('EPERM', syscall, path);
      }
    }
    const ino = this.copyUp(n);
    ino.uid = newUid;
    ino.gid = newGid;
    this.emit({ type: 'metadata-changed', path: n.path, what: 'owner' });
  }
}

/**
 * Simulation: Linux limits the path *argument* (PATH_MAX) and each name (NAME_MAX), so relative
 * paths can build deeper trees than any absolute path can name. The lab refuses to create an
 * entry whose absolute path would reach PATH_MAX bytes (plus the deepest path below it when a
 * directory moves), so every tree it builds can be saved and loaded back, whose tar reader
 * applies the same limit (`maxPathBytes`).
 */
function checkStorablePath(absPath: string, below: number, syscall: string): void {
  const n = absPath.length * 3 + below < PATH_MAX ? 0 : utf8Length(absPath) + below;
  if (n >= PATH_MAX) throw new FsError('ENAMETOOLONG', syscall, absPath.length > 200 ? `${absPath.slice(0, 100)}…${absPath.slice(-60)}` : absPath);
}

/** Bytes of the longest relative path (`/a/b`) inside directory `dir`; iterative. */
function deepestRelativeBytes(dir: Inode): number {
  let max = 0;
  const stack: [Inode, number][] = [[dir, 0]];
  while (stack.length) {
    const [d, base] = stack.pop()!;
    for (const [name, c] of d.children ?? []) {
      if (isWhiteout(c)) continue;
      const n = base + 1 + utf8Length(name);
      if (n > max) max = n;
      if (c.type === 'dir') stack.push([c, n]);
    }
  }
  return max;
}

/** Sets (or with `undefined` deletes) a child of an upper directory, keeping nlink counts. */
function setChild(dir: Inode, name: string, entry: Inode | typeof WHITEOUT | undefined): void {
  noteTreeChange();
  const old = dir.children!.get(name);
  if (old instanceof Inode) old.nlink--;
  if (entry === undefined) dir.children!.delete(name);
  else {
    if (entry instanceof Inode) entry.nlink++;
    dir.children!.set(name, entry);
  }
}

function hiddenInfo(l: LowerEntry) {
  return { inodeType: l.inode.type, size: l.inode.size, fromLayer: l.layer };
}

function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
