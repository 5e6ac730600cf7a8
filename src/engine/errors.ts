/**
 * Errors the engine raises. Every error has a stable `code` (e.g. `dockerfile/unknown-instruction`,
 * `fs/ENOENT`, `image/digest-mismatch`), a human message, structured `data`, an optional source
 * `range` (1-based lines and columns, for the editor's underline and the CLI's code frame) and an
 * optional `cause`. `toJSON()` / `LayerlabError.fromJSON()` let errors cross the worker boundary.
 */

/** A span of source text; lines and columns are 1-based, `end` is inclusive of its line. */
export interface SourceRange {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

/** The plain, structured-cloneable form of a LayerlabError. */
export interface LayerlabErrorJSON {
  name: string;
  code: string;
  message: string;
  data?: Record<string, unknown>;
  range?: SourceRange;
  cause?: LayerlabErrorJSON | { name: string; message: string };
}

/** Base class of every error the engine throws on purpose. */
export class LayerlabError extends Error {
  readonly code: string;
  readonly data: Record<string, unknown>;
  readonly range?: SourceRange;

  constructor(
    code: string,
    message: string,
    opts: { data?: Record<string, unknown>; range?: SourceRange; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'LayerlabError';
    this.code = code;
    this.data = opts.data ?? {};
    this.range = opts.range;
  }

  toJSON(): LayerlabErrorJSON {
    const c = this.cause;
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      data: this.data,
      range: this.range,
      cause:
        c instanceof LayerlabError
          ? c.toJSON()
          : c instanceof Error
            ? { name: c.name, message: c.message }
            : undefined,
    };
  }

  static fromJSON(j: LayerlabErrorJSON): LayerlabError {
    const cause = j.cause
      ? 'code' in j.cause
        ? LayerlabError.fromJSON(j.cause as LayerlabErrorJSON)
        : Object.assign(new Error(j.cause.message), { name: j.cause.name })
      : undefined;
    const e = new LayerlabError(j.code, j.message, { data: j.data, range: j.range, cause });
    e.name = j.name;
    return e;
  }
}

/** POSIX error names the union filesystem reports, with the kernel's wording. */
export type Errno =
  | 'ENOENT'
  | 'EEXIST'
  | 'ENOTDIR'
  | 'EISDIR'
  | 'ENOTEMPTY'
  | 'ELOOP'
  | 'EACCES'
  | 'EPERM'
  | 'EXDEV'
  | 'EINVAL'
  | 'EROFS'
  | 'ENOSPC'
  | 'EBADF'
  | 'ENAMETOOLONG'
  | 'EBUSY'
  | 'EIO';

const ERRNO_TEXT: Record<Errno, string> = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EXDEV: 'Invalid cross-device link',
  EINVAL: 'Invalid argument',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
  EBUSY: 'Device or resource busy',
  EBADF: 'Bad file descriptor',
  ENAMETOOLONG: 'File name too long',
  EIO: 'Input/output error',
};

/** A filesystem error shaped like Node's (`err.code === 'ENOENT'`, `err.syscall`, `err.path`). */
export class FsError extends LayerlabError {
  readonly errno: Errno;
  readonly syscall: string;
  readonly path: string;
  constructor(errno: Errno, syscall: string, path: string) {
    // ENOENT and friends are ordinary control flow (PATH lookups, `test -e`): capturing a stack
    // trace for each made them the most expensive part of a RUN step, so it is skipped (V8 only).
    const E = Error as { stackTraceLimit?: number };
    const limit = E.stackTraceLimit;
    E.stackTraceLimit = 0;
    // A path can be 4 KB long (ENAMETOOLONG): the message quotes its start and end, `.path` all of it.
    const shown = path.length > 160 ? `${path.slice(0, 80)}…${path.slice(-60)}` : path;
    super(`fs/${errno}`, `${errno}: ${ERRNO_TEXT[errno]}, ${syscall} '${shown}'`, {
      data: { errno, syscall, path },
    });
    E.stackTraceLimit = limit;
    this.name = 'FsError';
    this.errno = errno;
    this.syscall = syscall;
    this.path = path;
  }
  /** The kernel's text for this errno, as `ls` or `sh` would print it. */
  get description(): string {
    return ERRNO_TEXT[this.errno];
  }
}

/** True if `e` is an FsError with the given errno. */
export function isErrno(e: unknown, errno: Errno): e is FsError {
  return e instanceof FsError && e.errno === errno;
}

/** Wrap an error with context (`reading layer sha256:ab12…`), keeping the original as `cause`. */
export function withContext(e: unknown, context: string, code?: string): LayerlabError {
  const inner = e instanceof Error ? e : new Error(String(e));
  const innerCode = e instanceof LayerlabError ? e.code : 'internal';
  return new LayerlabError(code ?? innerCode, `${context}: ${inner.message}`, { cause: inner });
}
