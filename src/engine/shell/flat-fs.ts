/**
 * FlatFs: a one-layer `ShellFs` over a single LayerTree, with owners and Unix permission checks.
 * It is the reference the shell's tests and conformance cases run against besides the union
 * filesystem. Simulation: no lower layers, so no copy-up, whiteouts or EXDEV.
 */
import { FsError, type Errno } from '../errors.ts';
import { Inode, LayerTree, makeDir, makeFile, makeSymlink, splitPath } from '../fs/layer-tree.ts';
import { bytesContent } from '../fs/content.ts';
import type { FsUser, ShellFs, ShellStat } from './types.ts';

const MAX_SYMLINKS = 40;

/** A flat, single-layer filesystem with uid/gid and permission checks (see the module comment). */
export class FlatFs implements ShellFs {
  readonly tree: LayerTree;
  private user: FsUser = { uid: 0, gid: 0, groups: [] };
  /** Seconds since the epoch stamped on changes. */
  now: () => number = () => 0;

  constructor(tree?: LayerTree) {
    this.tree = tree ?? new LayerTree();
  }

  setUser(user: FsUser): void {
    this.user = { uid: user.uid, gid: user.gid, groups: user.groups ?? [] };
  }

  // Walks `path`, following symlinks in the parents (and in the last component if `follow`).
  private walk(path: string, syscall: string, follow: boolean): { parent: Inode; name: string; node?: Inode; path: string } {
    let parts = splitPath(path);
    let depth = 0;
    const stack: Inode[] = [this.tree.root];
    const names: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const c = parts[i];
      const dir = stack[stack.length - 1];
      if (c === '..') {
        if (stack.length > 1) {
          stack.pop();
          names.pop();
        }
        continue;
      }
      if (dir.type !== 'dir') throw new FsError('ENOTDIR', syscall, path);
      const last = i === parts.length - 1;
      const e = dir.children!.get(c);
      const node = e instanceof Inode ? e : undefined;
      if (last && (!node || node.type !== 'symlink' || !follow)) {
        return { parent: dir, name: c, node, path: '/' + [...names, c].join('/') };
      }
      if (!node) throw new FsError('ENOENT', syscall, path);
      if (!last) this.require(dir, 1, syscall, path);
      if (node.type === 'symlink') {
        if (++depth > MAX_SYMLINKS) throw new FsError('ELOOP', syscall, path);
        const rest = parts.slice(i + 1);
        const t = splitPath(node.target);
        if (node.target.startsWith('/')) {
          stack.length = 1;
          names.length = 0;
        }
        parts = [...t, ...rest];
        i = -1;
        continue;
      }
      stack.push(node);
      names.push(c);
    }
    // The path named a directory (or the root): report it as its parent's entry.
    const node = stack[stack.length - 1];
    const parent = stack.length > 1 ? stack[stack.length - 2] : this.tree.root;
    return { parent, name: names[names.length - 1] ?? '', node, path: '/' + names.join('/') };
  }

  private get(path: string, syscall: string, follow = true): Inode {
    const w = this.walk(path, syscall, follow);
    if (!w.node) throw new FsError('ENOENT', syscall, path);
    return w.node;
  }

  /** Permission check: `bits` is 4 (read), 2 (write), 1 (search/execute). Root passes. */
  private require(n: Inode, bits: number, syscall: string, path: string, errno: Errno = 'EACCES') {
    const u = this.user;
    if (u.uid === 0) return;
    const m = n.mode;
    const eff = u.uid === n.uid ? (m >> 6) & 7 : u.gid === n.gid || u.groups?.includes(n.gid) ? (m >> 3) & 7 : m & 7;
    if ((eff & bits) !== bits) throw new FsError(errno, syscall, path);
  }

  private owned(meta: { mode: number }) {
    return { ...meta, uid: this.user.uid, gid: this.user.gid, mtime: this.now() };
  }

  private statOf(n: Inode): ShellStat {
    return { type: n.type, mode: n.stMode, uid: n.uid, gid: n.gid, size: n.size, mtime: n.mtime, ino: n.ino, nlink: n.nlink };
  }

  stat(path: string) {
    return this.statOf(this.get(path, 'stat'));
  }
  lstat(path: string) {
    return this.statOf(this.get(path, 'lstat', false));
  }
  readFile(path: string) {
    const n = this.get(path, 'open');
    if (n.type === 'dir') throw new FsError('EISDIR', 'read', path);
    this.require(n, 4, 'open', path);
    return n.content.read();
  }
  writeFile(path: string, data: Uint8Array, opts: { mode?: number } = {}) {
    const w = this.walk(path, 'open', true);
    if (w.node) {
      if (w.node.type === 'dir') throw new FsError('EISDIR', 'open', path);
      this.require(w.node, 2, 'open', path);
      w.node.content = bytesContent(data);
      w.node.mtime = this.now();
      return;
    }
    this.require(w.parent, 3, 'open', path);
    const f = makeFile(bytesContent(data), this.owned({ mode: (opts.mode ?? 0o644) & 0o7777 }));
    f.nlink = 1;
    w.parent.children!.set(w.name, f);
  }
  appendFile(path: string, data: Uint8Array) {
    let old: Uint8Array;
    try {
      old = this.readFile(path);
    } catch (e) {
      if (e instanceof FsError && e.errno === 'ENOENT') return this.writeFile(path, data);
      throw e;
    }
    const out = new Uint8Array(old.length + data.length);
    out.set(old);
    out.set(data, old.length);
    this.writeFile(path, out);
  }
  mkdir(path: string, opts: { recursive?: boolean; mode?: number } = {}) {
    if (opts.recursive) {
      let cur = '';
      for (const c of splitPath(path)) {
        cur += '/' + c;
        const w = this.walk(cur, 'mkdir', true);
        if (w.node) {
          if (w.node.type !== 'dir') throw new FsError('ENOTDIR', 'mkdir', path);
          continue;
        }
        this.mkdir(cur, { mode: opts.mode });
      }
      return;
    }
    const w = this.walk(path, 'mkdir', false);
    if (w.node) throw new FsError('EEXIST', 'mkdir', path);
    this.require(w.parent, 3, 'mkdir', path);
    const d = makeDir(this.owned({ mode: (opts.mode ?? 0o755) & 0o7777 }));
    d.nlink = 1;
    w.parent.children!.set(w.name, d);
  }
  readdir(path: string) {
    const n = this.get(path, 'scandir');
    if (n.type !== 'dir') throw new FsError('ENOTDIR', 'scandir', path);
    this.require(n, 4, 'scandir', path);
    return [...n.children!.keys()].sort();
  }
  private removeEntry(path: string, syscall: string, wantDir: boolean) {
    const w = this.walk(path, syscall, false);
    if (!w.node) throw new FsError('ENOENT', syscall, path);
    if (wantDir && w.node.type !== 'dir') throw new FsError('ENOTDIR', syscall, path);
    if (!wantDir && w.node.type === 'dir') throw new FsError('EISDIR', syscall, path);
    if (wantDir && w.node.children!.size > 0) throw new FsError('ENOTEMPTY', syscall, path);
    this.require(w.parent, 3, syscall, path);
    w.node.nlink--;
    w.parent.children!.delete(w.name);
  }
  unlink(path: string) {
    this.removeEntry(path, 'unlink', false);
  }
  rmdir(path: string) {
    this.removeEntry(path, 'rmdir', true);
  }
  rm(path: string, opts: { recursive?: boolean; force?: boolean } = {}) {
    let st: ShellStat;
    try {
      st = this.lstat(path);
    } catch (e) {
      if (opts.force && e instanceof FsError && e.errno === 'ENOENT') return;
      throw e;
    }
    if (st.type === 'dir') {
      if (!opts.recursive) throw new FsError('EISDIR', 'rm', path);
      for (const c of this.readdir(path)) this.rm(`${path.replace(/\/+$/, '')}/${c}`, opts);
      this.rmdir(path);
    } else this.unlink(path);
  }
  rename(from: string, to: string) {
    const a = this.walk(from, 'rename', false);
    if (!a.node) throw new FsError('ENOENT', 'rename', from);
    const b = this.walk(to, 'rename', false);
    this.require(a.parent, 3, 'rename', from);
    this.require(b.parent, 3, 'rename', to);
    if (b.node?.type === 'dir' && (a.node.type !== 'dir' || b.node.children!.size > 0)) {
      throw new FsError(a.node.type === 'dir' ? 'ENOTEMPTY' : 'EISDIR', 'rename', to);
    }
    if (b.node) b.node.nlink--;
    a.parent.children!.delete(a.name);
    b.parent.children!.set(b.name, a.node);
  }
  symlink(target: string, path: string) {
    const w = this.walk(path, 'symlink', false);
    if (w.node) throw new FsError('EEXIST', 'symlink', path);
    this.require(w.parent, 3, 'symlink', path);
    const s = makeSymlink(target, this.owned({ mode: 0o777 }));
    s.nlink = 1;
    w.parent.children!.set(w.name, s);
  }
  mknod(path: string, type: 'char' | 'block' | 'fifo', mode = 0o644, major = 0, minor = 0) {
    const w = this.walk(path, 'mknod', false);
    if (w.node) throw new FsError('EEXIST', 'mknod', path);
    this.require(w.parent, 3, 'mknod', path);
    if (type !== 'fifo' && this.user.uid !== 0) throw new FsError('EPERM', 'mknod', path);
    const n = new Inode(type, this.owned({ mode: mode & 0o7777 }));
    n.rdev = { major, minor };
    n.nlink = 1;
    w.parent.children!.set(w.name, n);
  }
  readlink(path: string) {
    const n = this.get(path, 'readlink', false);
    if (n.type !== 'symlink') throw new FsError('EINVAL', 'readlink', path);
    return n.target;
  }
  link(existing: string, path: string) {
    const n = this.get(existing, 'link', false);
    if (n.type === 'dir') throw new FsError('EPERM', 'link', existing);
    const w = this.walk(path, 'link', false);
    if (w.node) throw new FsError('EEXIST', 'link', path);
    this.require(w.parent, 3, 'link', path);
    n.nlink++;
    w.parent.children!.set(w.name, n);
  }
  chmod(path: string, mode: number) {
    const n = this.get(path, 'chmod');
    if (this.user.uid !== 0 && this.user.uid !== n.uid) throw new FsError('EPERM', 'chmod', path);
    n.mode = mode & 0o7777;
  }
  private setOwner(n: Inode, uid: number, gid: number, path: string, syscall: string) {
    if (this.user.uid !== 0) throw new FsError('EPERM', syscall, path);
    if (uid >= 0) n.uid = uid;
    if (gid >= 0) n.gid = gid;
  }
  chown(path: string, uid: number, gid: number) {
    this.setOwner(this.get(path, 'chown'), uid, gid, path, 'chown');
  }
  lchown(path: string, uid: number, gid: number) {
    this.setOwner(this.get(path, 'lchown', false), uid, gid, path, 'lchown');
  }
  utimes(path: string, _atime: number, mtime: number) {
    this.get(path, 'utime').mtime = mtime;
  }
  truncate(path: string, len = 0) {
    const old = this.readFile(path);
    const out = new Uint8Array(len);
    out.set(old.subarray(0, len));
    this.writeFile(path, out);
  }
  realpath(path: string) {
    const w = this.walk(path, 'realpath', true);
    if (!w.node) throw new FsError('ENOENT', 'realpath', path);
    return w.path === '' ? '/' : w.path;
  }
}
