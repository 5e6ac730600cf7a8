/**
 * Presents a `ShellFs` (the union filesystem) to just-bash as its `IFileSystem`: async methods
 * wrapping the synchronous union calls, errors turned into the Node-style messages just-bash's
 * commands print (`ENOENT: no such file or directory, open '/x'`), and bytes written counted
 * against the run's filesystem quota.
 *
 * Two pieces of program modelling live here, because just-bash resolves commands through the fs:
 * - just-bash runs a built-in only when it is found as `/bin/NAME` or `/usr/bin/NAME` on PATH; any
 *   other executable file (`/usr/sbin/useradd`, `/usr/local/bin/npm`, `./server`) is read and run as
 *   a shell script. When such a file is a program rather than a shell script, reading it as a script
 *   yields a one-line stub that dispatches to the program's model (`programStub`), so a binary's
 *   bytes are never parsed as shell.
 * - with `requireBinaries: false`, `/bin/NAME` and `/usr/bin/NAME` of every known command appear to
 *   exist (as just-bash's own default layout does), so commands run in images without binaries.
 */
import type { ByteString, FsStat, IFileSystem } from 'just-bash';

type DirentEntry = Awaited<ReturnType<NonNullable<IFileSystem['readdirWithFileTypes']>>>[number];
import { FsError, type Errno } from '../errors.ts';
import type { ShellFs, ShellStat } from './types.ts';
import { normalizePath, resolvePath } from '../fs/path.ts';

const ERRNO_LOWER: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EEXIST: 'file already exists',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ENOTEMPTY: 'directory not empty',
  ELOOP: 'too many symbolic links encountered',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EXDEV: 'cross-device link not permitted',
  EINVAL: 'invalid argument',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  ENAMETOOLONG: 'name too long',
  EBUSY: 'device or resource busy',
  EIO: 'i/o error',
};

/** Errnos just-bash's commands misreport as "No such file or directory" (they print that for any failed read). */
const MISREPORTED = new Set(['ELOOP', 'ENAMETOOLONG']);

/**
 * Puts the real reason back into just-bash's `cat: /a: No such file or directory` lines for paths
 * whose lookup failed with ELOOP or ENAMETOOLONG (`misreported`: absolute path → errno), so a
 * symlink loop reads `Too many levels of symbolic links` as coreutils and BusyBox print it.
 */
export function correctMisreportedErrors(stderr: string, misreported: ReadonlyMap<string, Errno>): string {
  if (misreported.size === 0 || !stderr.includes('No such file or directory')) return stderr;
  return stderr.replace(/([^:\n]+): No such file or directory$/gm, (m, arg: string) => {
    const t = arg.trim();
    const a = /'([^']*)'$/.exec(t)?.[1] ?? t.split(/\s+/).pop() ?? t;
    const rel = a.replace(/^\.\//, '');
    for (const [p, errno] of misreported) {
      if (p === a || p.endsWith('/' + rel) || normalizePath(a) === p) return `${arg}: ${new FsError(errno, '', '').description}`;
    }
    return m;
  });
}

/** Thrown by the adapter when a write would exceed the run's filesystem quota. */
export class QuotaExceeded extends Error {
  readonly code = 'ENOSPC';
  constructor(readonly limit: number) {
    super(`ENOSPC: no space left on device (filesystem quota of ${limit} bytes exceeded)`);
  }
}

/** Converts an FsError to the Error shape (message and `.code`) just-bash's commands expect. */
export function toNodeError(e: unknown): unknown {
  if (e instanceof FsError) {
    const shown = e.path.length > 160 ? `${e.path.slice(0, 80)}…${e.path.slice(-60)}` : e.path;
    const err = new Error(`${e.errno}: ${ERRNO_LOWER[e.errno] ?? e.description}, ${e.syscall} '${shown}'`);
    Object.assign(err, { code: e.errno, errno: e.errno, syscall: e.syscall, path: e.path });
    return err;
  }
  return e;
}

const PROGRAM_STUB_COMMAND = '__layerlab_exec';

/** Options of the adapter. */
export interface AdapterOptions {
  /** Names the shell can run (just-bash built-ins plus ours). */
  commandNames: ReadonlySet<string>;
  /** Names that run without a program file: the shell's own builtins (`echo`, `test`, `trap` in dash and ash). */
  builtinNames: ReadonlySet<string>;
  requireBinaries: boolean;
  /** Bytes of writes allowed before `QuotaExceeded`. */
  maxFsBytes: number;
  /**
   * Paths whose writes are the run's printed output (the live stdout and stderr), not file data:
   * neither quota nor file bytes. What reaches the stderr path gets its misreported errnos corrected.
   */
  streamPaths?: { stdout: string; stderr: string };
}

/** just-bash's IFileSystem over a ShellFs; see the module comment. */
export class UnionFsAdapter implements IFileSystem {
  bytesWritten = 0;
  /** Bytes handed to `writeFile`/`appendFile` (redirections and commands writing files), counted before the quota check. */
  bytesToFiles = 0;
  quotaBreached = false;
  /** How many file windows are open (interpreter.ts outputRoomOf): commands whose stdout goes to a file are running. */
  fileWindow = 0;
  /** Paths whose lookup failed with an errno just-bash's commands misreport; see correctMisreportedErrors. */
  readonly misreported = new Map<string, Errno>();

  constructor(
    readonly fs: ShellFs,
    private readonly opts: AdapterOptions,
  ) {}

  /**
   * How the program that wrote reports a write that failed after its output was opened (EIO from
   * a procfs file, ENOSPC from /dev/full): set by the interpreter, which knows the command and the
   * image's shell. The text replaces the Node-style message just-bash would print.
   */
  describeWriteError?: (e: FsError) => string;

  private call<T>(f: () => T): Promise<T> {
    try {
      return Promise.resolve(f());
    } catch (e) {
      this.remember(e);
      if (e instanceof FsError && e.syscall === 'write' && this.describeWriteError) return Promise.reject(new Error(this.describeWriteError(e)));
      return Promise.reject(toNodeError(e));
    }
  }

  private remember(e: unknown) {
    if (e instanceof FsError && MISREPORTED.has(e.errno) && this.misreported.size < 1000) this.misreported.set(e.path, e.errno);
  }

  private count(n: number) {
    this.bytesWritten += n;
    if (this.bytesWritten > this.opts.maxFsBytes) {
      this.quotaBreached = true;
      throw new QuotaExceeded(this.opts.maxFsBytes);
    }
  }

  // A path just-bash may be resolving as a built-in program: /bin/NAME or /usr/bin/NAME.
  private virtualBinary(path: string): boolean {
    const p = normalizePath(path);
    const i = p.lastIndexOf('/');
    const dir = p.slice(0, i);
    if (dir !== '/bin' && dir !== '/usr/bin') return false;
    const name = p.slice(i + 1);
    if (this.opts.requireBinaries ? !this.opts.builtinNames.has(name) : !this.opts.commandNames.has(name)) return false;
    try {
      this.fs.lstat(p);
      return false;
    } catch {
      return true;
    }
  }

  private toFsStat(s: ShellStat): FsStat {
    return {
      isFile: s.type === 'file',
      isDirectory: s.type === 'dir',
      isSymbolicLink: s.type === 'symlink',
      mode: s.mode & 0o7777,
      size: s.size,
      mtime: new Date(s.mtime * 1000),
      ino: s.ino,
    };
  }

  /**
   * The script text of an executable that is a program, not a shell script: the stub
   * `__layerlab_exec --path=P [--interp=I] NAME "$@"`, which runs the program's model (or fails as
   * not simulated). What a file is decides, as execve(2) does: a `#!` line naming sh, bash, ash or
   * dash, or plain text without `#!` (execve's ENOEXEC, which the shell answers by running it as a
   * script), is a shell script and is returned as it is; a `#!` line naming another interpreter
   * (`#!/usr/bin/env node`) or binary content (ELF, or bytes that are not text) is a program.
   */
  private programStub(path: string, bytes: Uint8Array): string | undefined {
    const p = normalizePath(path);
    let st: ShellStat;
    try {
      st = this.fs.stat(p);
    } catch {
      return undefined;
    }
    if (st.type !== 'file' || (st.mode & 0o111) === 0) return undefined;
    const name = p.slice(p.lastIndexOf('/') + 1);
    const kind = classifyExecutable(bytes);
    if (kind.kind === 'script') return undefined;
    let real = p;
    try {
      real = this.fs.realpath(p);
    } catch {
      // keep the path as called
    }
    const interp = kind.kind === 'interpreted' ? ` --interp=${quoteWord(kind.interpreter)}` : '';
    const called = real !== p ? ` --called=${quoteWord(p)}` : '';
    return `${PROGRAM_STUB_COMMAND} --path=${quoteWord(real)}${called}${interp} ${quoteWord(name)} "$@"\n`;
  }

  readFile(path: string): Promise<string> {
    return this.call(() => {
      if (this.virtualBinary(path)) return '';
      const bytes = this.fs.readFile(path);
      return this.programStub(path, bytes) ?? new TextDecoder().decode(bytes);
    });
  }
  readFileBuffer(path: string): Promise<Uint8Array> {
    return this.call(() => (this.virtualBinary(path) ? new Uint8Array(0) : this.fs.readFile(path)));
  }
  readFileBytes(path: string): Promise<ByteString> {
    // A ByteString is a latin1 string (one char per byte) under an opaque type.
    return this.call(() => latin1(this.virtualBinary(path) ? new Uint8Array(0) : this.fs.readFile(path)) as unknown as ByteString);
  }
  writeFile(path: string, content: string | Uint8Array, options?: unknown): Promise<void> {
    return this.call(() => this.fs.writeFile(path, this.fileData(path, content, options)));
  }
  appendFile(path: string, content: string | Uint8Array, options?: unknown): Promise<void> {
    return this.call(() => this.fs.appendFile(path, this.fileData(path, content, options)));
  }
  // The bytes of a write: counted against the quota unless they go to a live stream.
  private fileData(path: string, content: string | Uint8Array, options: unknown): Uint8Array {
    const streams = this.opts.streamPaths;
    if (streams && path === streams.stderr && typeof content === 'string') content = correctMisreportedErrors(content, this.misreported);
    const data = encode(content, options);
    if (!streams || (path !== streams.stdout && path !== streams.stderr)) {
      this.bytesToFiles += data.length;
      this.count(data.length);
    }
    return data;
  }
  exists(path: string): Promise<boolean> {
    if (this.virtualBinary(path)) return Promise.resolve(true);
    try {
      this.fs.stat(path);
      return Promise.resolve(true);
    } catch (e) {
      this.remember(e);
      return Promise.resolve(false);
    }
  }
  stat(path: string): Promise<FsStat> {
    return this.call(() =>
      this.virtualBinary(path)
        ? this.toFsStat({ type: 'file', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 0 })
        : this.toFsStat(this.fs.stat(path)),
    );
  }
  lstat(path: string): Promise<FsStat> {
    return this.call(() =>
      this.virtualBinary(path)
        ? this.toFsStat({ type: 'file', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 0 })
        : this.toFsStat(this.fs.lstat(path)),
    );
  }
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void> {
    return this.call(() => {
      if (!options?.recursive) return this.fs.mkdir(path);
      try {
        if (this.fs.stat(path).type === 'dir') return;
      } catch {
        // create below
      }
      this.fs.mkdir(path, { recursive: true });
    });
  }
  readdir(path: string): Promise<string[]> {
    return this.call(() => this.fs.readdir(path));
  }
  readdirWithFileTypes(path: string): Promise<DirentEntry[]> {
    return this.call(() => {
      const dir = normalizePath(path);
      return this.fs.readdir(dir).map((name) => {
        const s = this.fs.lstat(dir === '/' ? `/${name}` : `${dir}/${name}`);
        return { name, isFile: s.type === 'file', isDirectory: s.type === 'dir', isSymbolicLink: s.type === 'symlink' };
      });
    });
  }
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void> {
    return this.call(() => this.fs.rm(path, { recursive: options?.recursive, force: options?.force }));
  }
  cp(src: string, dest: string, options?: { recursive?: boolean }): Promise<void> {
    return this.call(() => this.copy(normalizePath(src), normalizePath(dest), !!options?.recursive));
  }
  // Copies like `cp -P`: files, directories (when recursive) and symlinks as symlinks.
  private copy(src: string, dest: string, recursive: boolean) {
    const s = this.fs.lstat(src);
    if (s.type === 'dir') {
      if (!recursive) throw new FsError('EISDIR', 'cp', src);
      try {
        this.fs.mkdir(dest, { mode: s.mode & 0o7777 });
      } catch (e) {
        if (!(e instanceof FsError && e.errno === 'EEXIST')) throw e;
      }
      for (const c of this.fs.readdir(src)) this.copy(join(src, c), join(dest, c), true);
    } else if (s.type === 'symlink') {
      try {
        this.fs.unlink(dest);
      } catch {
        // nothing to replace
      }
      this.fs.symlink(this.fs.readlink(src), dest);
    } else {
      const data = this.fs.readFile(src);
      this.count(data.length);
      let existed = true;
      try {
        this.fs.stat(dest);
      } catch {
        existed = false;
      }
      this.fs.writeFile(dest, data, { mode: s.mode & 0o777 });
      if (!existed) this.fs.chmod(dest, s.mode & 0o777);
    }
  }
  /** `mv` renames; when the union refuses with EXDEV (a lower directory) it copies and deletes, as coreutils mv does. */
  mv(src: string, dest: string): Promise<void> {
    return this.call(() => {
      try {
        this.fs.rename(src, dest);
      } catch (e) {
        if (!(e instanceof FsError && e.errno === 'EXDEV')) throw e;
        this.copyPreserving(normalizePath(src), normalizePath(dest));
        this.fs.rm(src, { recursive: true, force: true });
      }
    });
  }
  // Copy for mv across devices: keeps mode, owner and mtime like `cp -a`.
  private copyPreserving(src: string, dest: string) {
    this.copy(src, dest, true);
    const fix = (s: string, d: string) => {
      const st = this.fs.lstat(s);
      if (st.type === 'dir') for (const c of this.fs.readdir(s)) fix(join(s, c), join(d, c));
      try {
        this.fs.lchown(d, st.uid, st.gid);
        if (st.type !== 'symlink') {
          this.fs.chmod(d, st.mode & 0o7777);
          this.fs.utimes(d, st.mtime, st.mtime);
        }
      } catch {
        // a non-root user cannot give files away; coreutils mv then keeps its own ownership
      }
    };
    fix(src, dest);
  }
  resolvePath(base: string, path: string): string {
    return resolvePath(base, path);
  }
  getAllPaths(): string[] {
    return [];
  }
  chmod(path: string, mode: number): Promise<void> {
    return this.call(() => this.fs.chmod(path, mode));
  }
  symlink(target: string, linkPath: string): Promise<void> {
    return this.call(() => this.fs.symlink(target, linkPath));
  }
  link(existingPath: string, newPath: string): Promise<void> {
    return this.call(() => this.fs.link(existingPath, newPath));
  }
  readlink(path: string): Promise<string> {
    return this.call(() => this.fs.readlink(path));
  }
  realpath(path: string): Promise<string> {
    return this.call(() => this.fs.realpath(path));
  }
  utimes(path: string, atime: Date, mtime: Date): Promise<void> {
    return this.call(() => this.fs.utimes(path, Math.floor(atime.getTime() / 1000), Math.floor(mtime.getTime() / 1000)));
  }
}

/** What an executable file is, from its first bytes (see `programStub`). */
export function classifyExecutable(bytes: Uint8Array): { kind: 'script' } | { kind: 'interpreted'; interpreter: string } | { kind: 'binary' } {
  const head = bytes.subarray(0, 256);
  if (head[0] === 0x23 && head[1] === 0x21) {
    const line = new TextDecoder().decode(head).slice(2).split('\n')[0].trim();
    const words = line.split(/\s+/);
    let interp = words[0] ?? '';
    if (/(^|\/)env$/.test(interp)) interp = words.find((w, i) => i > 0 && !w.startsWith('-') && !w.includes('=')) ?? interp;
    const base = interp.slice(interp.lastIndexOf('/') + 1);
    return /^(sh|bash|ash|dash)$/.test(base) ? { kind: 'script' } : { kind: 'interpreted', interpreter: interp };
  }
  if (head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) return { kind: 'binary' };
  // Text: no NUL and no control bytes other than tab, newline, CR, form feed and escape, and valid UTF-8.
  for (const b of head) if (b === 0 || (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27) || b === 0x7f) return { kind: 'binary' };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.length < bytes.length ? head.subarray(0, Math.max(0, head.length - 4)) : head);
  } catch {
    return { kind: 'binary' };
  }
  return { kind: 'script' };
}

function quoteWord(w: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

function join(dir: string, name: string) {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

function encode(content: string | Uint8Array, options: unknown): Uint8Array {
  if (typeof content !== 'string') return content;
  const enc = typeof options === 'string' ? options : (options as { encoding?: string } | undefined)?.encoding;
  if (enc === 'binary' || enc === 'latin1') {
    const out = new Uint8Array(content.length);
    for (let i = 0; i < content.length; i++) out[i] = content.charCodeAt(i) & 0xff;
    return out;
  }
  return new TextEncoder().encode(content);
}

export { PROGRAM_STUB_COMMAND };
