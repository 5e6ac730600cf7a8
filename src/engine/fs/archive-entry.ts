/**
 * One member of a tar archive as the engine passes it around outside a layer: what the shell's
 * `tar` packs and unpacks and what the image module's tar codec reads and writes (image/tar.ts
 * `packEntries`, `unpackEntries`). It sits in fs/ because both image/ and shell/ build on fs/ and
 * neither may import the other.
 */

/** One archive member. `mode` holds permission bits, `mtime` is in seconds. */
export interface ArchiveEntry {
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'hardlink';
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  data?: Uint8Array;
  /** Symlink target, or the archive path a hard link points at. */
  linkTarget?: string;
}
