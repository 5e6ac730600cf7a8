/**
 * The shell's view of the world: the filesystem interface it runs over (`ShellFs`, which the union
 * filesystem satisfies), the user a RUN line runs as, the archive codecs it borrows from the image
 * module, and the run options and results. No just-bash type appears here.
 */
import type { ShellLimits } from './limits.ts';
import type { FileContent } from '../fs/content.ts';
import type { GraftEntry } from '../fs/union.ts';
import type { ArchiveEntry } from '../fs/archive-entry.ts';
import type { Errno } from '../errors.ts';

/** Inode types as `stat`'s `%F` names them (same words as fs/layer-tree.ts). */
export type ShellFileType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket';

/** What `stat`/`lstat` report: `mode` is st_mode (consumers mask it with 0o7777 for permissions), `mtime` is in seconds. */
export interface ShellStat {
  type: ShellFileType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  ino?: number;
  nlink?: number;
  /** Device number (major * 256 + minor) of a char or block device. */
  rdev?: number;
}

/** The process credentials file operations are checked against (root is uid 0). */
export interface FsUser {
  uid: number;
  gid: number;
  groups?: number[];
}

/**
 * A synchronous, node-fs-like filesystem with owners: what RUN lines change. The union filesystem
 * (fs/union.ts) implements it; `FlatFs` (flat-fs.ts) is a one-layer reference for tests.
 * Lifecycle: the caller sets the current user with `setUser` before a run; files created afterwards
 * belong to that user, and writes the user may not make fail with `FsError` `EACCES`.
 * Errors are `FsError`s (errors.ts) whose `.errno` is the POSIX name (`ENOENT`, `EXDEV`, …).
 */
export interface ShellFs {
  stat(path: string): ShellStat;
  lstat(path: string): ShellStat;
  readFile(path: string): Uint8Array;
  /** A file's content object by reference (the union implements it); callers fall back to `readFile`. */
  readContent?(path: string): FileContent;
  writeFile(path: string, data: Uint8Array, opts?: { mode?: number }): void;
  /** Writes a file from a content object without materialising it (the union implements it; see fs/content.ts). */
  writeContent?(path: string, content: FileContent, opts?: { mode?: number }): void;
  /**
   * Creates the absent directory `path` with a prepared tree in one step (see fs/union.ts `graft`);
   * false when `path` exists or the filesystem cannot, and the caller writes file by file.
   */
  graft?(path: string, entries: Iterable<GraftEntry>): boolean;
  appendFile(path: string, data: Uint8Array): void;
  mkdir(path: string, opts?: { recursive?: boolean; mode?: number }): void;
  readdir(path: string): string[];
  unlink(path: string): void;
  rmdir(path: string): void;
  rm(path: string, opts?: { recursive?: boolean; force?: boolean }): void;
  /** Renames within the filesystem; `EXDEV` when overlayfs would refuse (a lower directory). */
  rename(from: string, to: string): void;
  symlink(target: string, path: string): void;
  readlink(path: string): string;
  link(existing: string, path: string): void;
  chmod(path: string, mode: number): void;
  chown(path: string, uid: number, gid: number): void;
  lchown(path: string, uid: number, gid: number): void;
  /** Times in seconds since the epoch. */
  utimes(path: string, atime: number, mtime: number): void;
  truncate(path: string, len?: number): void;
  realpath(path: string): string;
  /** Creates a FIFO or device node (`mknod`, `mkfifo`); devices need root. Optional: flat test filesystems lack it. */
  mknod?(path: string, type: 'char' | 'block' | 'fifo', mode?: number, major?: number, minor?: number): void;
  setUser(user: FsUser): void;
  /**
   * For paths on a runtime mount (system-mounts.ts): what `open(path, O_WRONLY|O_CREAT)` does
   * there, without writing: an errno (`EROFS` on a read-only mount), 'ok', or undefined when the
   * path is not on such a mount. Absent: no mounts.
   */
  openForWrite?(path: string): Errno | 'ok' | undefined;
  /**
   * Optional fast path for resolvers: how many leading components of the clean absolute `path`
   * are directories reached without a symlink (see `UnionFs.plainDirDepth`). Absent: resolvers
   * look each component up.
   */
  plainDirDepth?(path: string): number;
}

/** The user a RUN line or container shell runs as (Dockerfile `USER`, resolved against /etc/passwd). */
export interface ShellUser {
  uid: number;
  gid: number;
  name?: string;
  groups?: number[];
}

/** One member of a tar archive, as `tar` packs and unpacks it (the type the image module's codec shares). */
export type { ArchiveEntry };

/**
 * Tar and gzip codecs injected by the owner of those libraries (the image module), so that the
 * shell's `tar` and `gzip` commands work in the browser without the shell importing them.
 */
export interface ArchiveCodec {
  gzip(bytes: Uint8Array): Uint8Array | Promise<Uint8Array>;
  gunzip(bytes: Uint8Array): Uint8Array | Promise<Uint8Array>;
  pack(entries: ArchiveEntry[]): Uint8Array | Promise<Uint8Array>;
  unpack(bytes: Uint8Array): ArchiveEntry[] | Promise<ArchiveEntry[]>;
}

/** Which `/bin/sh` the messages imitate: Debian's dash, BusyBox ash (Alpine), or bash; `auto` reads the /bin/sh symlink. */
export type ShellDialect = 'dash' | 'ash' | 'bash' | 'auto';

/** The part of an `AbortSignal` the shell reads (the engine's lib has no DOM types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

/** Options of one `run`. */
export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  user?: ShellUser;
  stdin?: string;
  limits?: Partial<ShellLimits>;
  signal?: AbortSignalLike;
  /**
   * Receives output while the script runs: each command's stdout, then its stderr, when that
   * command ends (interpreter.ts liveOutputPlugin); the rest (what nested shells print outside a
   * command, a stream an `exec` redirected) when the script ends.
   */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  /** The shell used for a string script (Dockerfile `SHELL`), default `["/bin/sh", "-c"]`. */
  shell?: string[];
}

/** What a finished process reports. A non-zero exit is data, not an exception. */
export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The argv Docker would have executed (`["/bin/sh", "-c", script]` for the shell form). */
  argv: string[];
  /** Final variables and working directory (for sessions and tests). */
  env: Record<string, string>;
  cwd: string;
  /** Bytes written to the filesystem during the run (what the quota counts). */
  bytesWritten: number;
  durationMs: number;
  /** Simulation: the time the commands would take for real, where the lab models it (npm installs); absent when none did. */
  simulatedMs?: number;
  /** INT/TERM/HUP handlers the process set with `trap` (absent key: not changed; undefined: reset). */
  signalTraps?: Record<string, string | undefined>;
}
