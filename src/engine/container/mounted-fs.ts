/**
 * A container's filesystem as its processes see it: the container's union mount (image layers +
 * upper layer) with volumes mounted on top at their paths, like the mount namespace Docker sets up
 * (`-v name:/data` bind-mounts the volume's `_data` directory over `/data`). Reads and writes at or
 * below a mount path go to that volume's own filesystem, so they never touch the container's upper
 * layer, and survive `docker rm`.
 *
 * Simulation: paths are routed lexically (after normalising `.`/`..`), not by walking the real
 * mount table: a symlink in the container pointing into a mount path resolves inside the union,
 * not the volume, and an absolute symlink inside a volume resolves within the volume. A rename or
 * hard link across a mount boundary fails with EXDEV, as it does on Linux. Removing a mount point
 * fails with EPERM (Linux says EBUSY, which the engine's errno list lacks).
 */
import { FsError } from '../errors.ts';
import { normalizePath } from '../fs/path.ts';
import type { UnionFs } from '../fs/union.ts';
import type { FsUser, ShellFs, ShellStat } from '../shell/types.ts';

/** One volume mounted into a container: where, and the volume's own filesystem. */
export interface Mount {
  /** Absolute, clean mount path in the container (`/data`). */
  path: string;
  fs: UnionFs;
  readOnly?: boolean;
}

/** The container's union with its volume mounts; implements the shell's ShellFs. */
export class MountedFs implements ShellFs {
  private readonly mounts: Mount[];

  constructor(
    readonly root: UnionFs,
    mounts: readonly Mount[],
  ) {
    // Longest path first, so nested mounts win.
    this.mounts = [...mounts].sort((a, b) => b.path.length - a.path.length);
  }

  /** The filesystem and in-filesystem path serving an absolute container path. */
  route(path: string): { fs: UnionFs; path: string; mount?: Mount } {
    const p = normalizePath(path);
    for (const m of this.mounts) {
      if (p === m.path) return { fs: m.fs, path: '/', mount: m };
      if (p.startsWith(m.path + '/')) return { fs: m.fs, path: p.slice(m.path.length), mount: m };
    }
    return { fs: this.root, path: p };
  }

  private fs(path: string): [UnionFs, string] {
    const r = this.route(path);
    return [r.fs, r.path];
  }

  private writable(path: string, syscall: string): [UnionFs, string] {
    const r = this.route(path);
    if (r.mount?.readOnly) throw new FsError('EROFS', syscall, path);
    return [r.fs, r.path];
  }

  /** Leading plain directories of a path outside every volume (0 inside one: no fast path there). */
  plainDirDepth(path: string): number {
    const r = this.route(path);
    return r.mount ? 0 : this.root.plainDirDepth(r.path);
  }
  stat(path: string): ShellStat {
    const [f, p] = this.fs(path);
    return f.stat(p);
  }
  lstat(path: string): ShellStat {
    const [f, p] = this.fs(path);
    return f.lstat(p);
  }
  readFile(path: string): Uint8Array {
    const [f, p] = this.fs(path);
    return f.readFile(p);
  }
  writeFile(path: string, data: Uint8Array, opts?: { mode?: number }): void {
    const [f, p] = this.writable(path, 'open');
    f.writeFile(p, data, opts);
  }
  appendFile(path: string, data: Uint8Array): void {
    const [f, p] = this.writable(path, 'open');
    f.appendFile(p, data);
  }
  mkdir(path: string, opts?: { recursive?: boolean; mode?: number }): void {
    const [f, p] = this.writable(path, 'mkdir');
    if (p === '/' && f !== this.root) {
      if (opts?.recursive) return;
      throw new FsError('EEXIST', 'mkdir', path);
    }
    f.mkdir(p, opts);
  }
  readdir(path: string): string[] {
    const [f, p] = this.fs(path);
    return f.readdir(p);
  }
  unlink(path: string): void {
    const [f, p] = this.writable(path, 'unlink');
    f.unlink(p);
  }
  rmdir(path: string): void {
    const [f, p] = this.writable(path, 'rmdir');
    if (p === '/' && f !== this.root) throw new FsError('EPERM', 'rmdir', path);
    f.rmdir(p);
  }
  rm(path: string, opts?: { recursive?: boolean; force?: boolean }): void {
    const [f, p] = this.writable(path, 'unlink');
    if (p === '/' && f !== this.root) {
      // `rm -rf /data` empties the volume but cannot remove its mount point.
      for (const name of f.readdir('/')) f.rm(`/${name}`, { recursive: true, force: true });
      throw new FsError('EPERM', 'rmdir', path);
    }
    // Removing a tree that contains a mount point: empty the mounts below it first.
    const abs = normalizePath(path);
    for (const m of this.mounts) {
      if (m.path.startsWith(abs + '/') && f === this.root) throw new FsError('EPERM', 'rmdir', m.path);
    }
    f.rm(p, opts);
  }
  rename(from: string, to: string): void {
    const [f1, p1] = this.writable(from, 'rename');
    const [f2, p2] = this.writable(to, 'rename');
    if (f1 !== f2) throw new FsError('EXDEV', 'rename', from);
    f1.rename(p1, p2);
  }
  symlink(target: string, path: string): void {
    const [f, p] = this.writable(path, 'symlink');
    f.symlink(target, p);
  }
  readlink(path: string): string {
    const [f, p] = this.fs(path);
    return f.readlink(p);
  }
  mknod(path: string, type: 'char' | 'block' | 'fifo', mode?: number, major?: number, minor?: number): void {
    const [f, p] = this.writable(path, 'mknod');
    f.mknod(p, type, mode, major, minor);
  }
  link(existing: string, path: string): void {
    const [f1, p1] = this.fs(existing);
    const [f2, p2] = this.writable(path, 'link');
    if (f1 !== f2) throw new FsError('EXDEV', 'link', path);
    f1.link(p1, p2);
  }
  chmod(path: string, mode: number): void {
    const [f, p] = this.writable(path, 'chmod');
    f.chmod(p, mode);
  }
  chown(path: string, uid: number, gid: number): void {
    const [f, p] = this.writable(path, 'chown');
    f.chown(p, uid, gid);
  }
  lchown(path: string, uid: number, gid: number): void {
    const [f, p] = this.writable(path, 'lchown');
    f.lchown(p, uid, gid);
  }
  utimes(path: string, atime: number, mtime: number): void {
    const [f, p] = this.writable(path, 'utimes');
    f.utimes(p, atime, mtime);
  }
  truncate(path: string, len?: number): void {
    const [f, p] = this.writable(path, 'truncate');
    f.truncate(p, len);
  }
  realpath(path: string): string {
    const r = this.route(path);
    const real = r.fs.realpath(r.path);
    if (!r.mount) return real;
    return real === '/' ? r.mount.path : r.mount.path + real;
  }
  setUser(user: FsUser): void {
    const cred = { uid: user.uid, gid: user.gid, groups: user.groups ?? [] };
    this.root.setUser(cred);
    for (const m of this.mounts) m.fs.setUser(cred);
  }
}
