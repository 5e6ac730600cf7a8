/**
 * `Stats` of the merged view, shaped like Node's `fs.Stats` (what just-bash and tests expect), built
 * from an Inode. Times are in seconds (tar's resolution); `mtimeMs` is provided for Node-style callers.
 */
import { type Inode, type InodeType, TYPE_BITS } from './layer-tree.ts';

/** Where an entry of the merged view comes from: an index in the lower stack (0 = bottom) or the upper layer. */
export type LayerRef = number | 'upper';

/** File status of one entry of the merged view (like `stat(2)` / Node's `fs.Stats`). */
export class Stats {
  readonly type: InodeType;
  /** st_mode: type bits | permission bits. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  /** Modification time, seconds since the epoch. */
  readonly mtime: number;
  readonly nlink: number;
  readonly ino: number;
  /** Device number of a char/block device, `major * 256 + minor` (Linux's old_encode_dev for small numbers). */
  readonly rdev: number;
  /** The layer the entry was found in. */
  readonly layer: LayerRef;

  constructor(inode: Inode, layer: LayerRef) {
    this.type = inode.type;
    this.mode = TYPE_BITS[inode.type] | (inode.mode & 0o7777);
    this.uid = inode.uid;
    this.gid = inode.gid;
    this.size = inode.size;
    this.mtime = inode.mtime;
    this.ino = inode.ino;
    this.rdev = inode.rdev.major * 256 + inode.rdev.minor;
    this.layer = layer;
    if (inode.type === 'dir') {
      // Simulation: 2 + subdirectories in the inode's own layer (overlayfs itself reports 1 for merged directories).
      let n = 2;
      for (const c of inode.children!.values()) if (c instanceof Object && 'type' in c && c.type === 'dir') n++;
      this.nlink = n;
    } else this.nlink = Math.max(1, inode.nlink);
  }

  get mtimeMs(): number {
    return this.mtime * 1000;
  }
  isFile(): boolean {
    return this.type === 'file';
  }
  isDirectory(): boolean {
    return this.type === 'dir';
  }
  isSymbolicLink(): boolean {
    return this.type === 'symlink';
  }
  isCharacterDevice(): boolean {
    return this.type === 'char';
  }
  isBlockDevice(): boolean {
    return this.type === 'block';
  }
  isFIFO(): boolean {
    return this.type === 'fifo';
  }
  isSocket(): boolean {
    return this.type === 'socket';
  }
}
