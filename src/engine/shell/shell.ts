/**
 * The shell that runs Dockerfile `RUN` lines and container commands: `createShell(opts)` binds a
 * filesystem (the union of a container or build step) and `shell.run(script | argv, opts)` runs
 * one process the way Docker would start it, reporting its exit code, output and final state.
 *
 * Reproduced Docker/BuildKit behaviour:
 * - shell form runs `["/bin/sh", "-c", script]` (or the Dockerfile `SHELL`); the program must exist
 *   in the filesystem, else the start fails like runc: `exec: "/bin/sh": stat /bin/sh: no such file
 *   or directory` (a `ShellError`, not an exit code);
 * - exec form resolves argv[0] on PATH (`exec: "foo": executable file not found in $PATH`);
 * - a non-zero exit is data; `describeFailure` gives BuildKit's message for it;
 * - a command that is not installed fails with the image's /bin/sh wording and exit 127
 *   (dash: `/bin/sh: 1: foo: not found`, BusyBox ash: `/bin/sh: foo: not found`).
 *
 * Simulation: commands exist when just-bash or layerlab implements them AND (with `requireBinaries`,
 * the default) a file of that name is found on PATH in the image; the file's bytes are never run.
 * Executable shell scripts in the image are interpreted. With `onOutput`, stdout and stderr stream per command.
 */
import { LayerlabError } from '../errors.ts';
import { detectInterpreterLimit, limitExceeded, resolveShellLimits, toInterpreterLimits, type ShellLimits } from './limits.ts';
import type { InterpreterResult, InterpreterRun, LimitHit } from './interpreter.ts';
import { findUser } from './commands/accounts.ts';
import { SystemMountsFs, type RunMountTree } from './system-mounts.ts';
import { LiveSink } from './live-sink.ts';
import type { PackageCatalogs } from './packages/apt-catalog.ts';
import type { AbortSignalLike, ArchiveCodec, RunOptions, RunResult, ShellDialect, ShellFs, ShellUser } from './types.ts';

/** Docker's default PATH for Linux containers (moby oci/defaults, BuildKit `system.DefaultPathEnvUnix`). */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Options of `createShell`. */
export interface ShellOptions {
  fs: ShellFs;
  /** Tar/gzip codecs for the `tar` and `gzip` commands (owned by the image module). */
  archive?: ArchiveCodec;
  /** The offline package archives for apt-get/dpkg (loaded lazily through the host's assets). */
  packages?: PackageCatalogs;
  /** Run a command only if its binary exists on PATH in the filesystem (default true); see the module comment. */
  requireBinaries?: boolean;
  /** Whose /bin/sh wording to imitate; `auto` (default) reads the /bin/sh symlink. */
  dialect?: ShellDialect;
  /** Default limits for every run (each run may override). */
  limits?: Partial<ShellLimits>;
  /**
   * Seconds since the epoch (for `date`, shadow's "last change" day, tar mtimes): the host clock.
   * Without one, time stands still at the Unix epoch (the shell never reads the machine's clock).
   */
  now?: () => number;
  /**
   * The runtime's mounts over the filesystem (system-mounts.ts): `build` (BuildKit's: read-only
   * /etc/hosts and resolv.conf, hostname buildkitsandbox, the default), `container` (`docker run`'s,
   * with `hostname`), or `none` (the bare filesystem, for tests of the interpreter alone).
   */
  mounts?: 'build' | 'container' | 'none';
  /** The container's hostname (its short ID) when `mounts` is `container`. */
  hostname?: string;
  /** `RUN --mount` trees (cache, tmpfs, secret) laid over the filesystem with the system mounts. */
  runMounts?: readonly RunMountTree[];
  /** Milliseconds from the host's monotonic clock, for each run's `durationMs`; without one, durations are 0. */
  monotonic?: () => number;
}

/** A shell bound to one filesystem. */
export interface Shell {
  /** Runs a script in shell form, or an argv in exec form. */
  run(command: string | string[], opts?: RunOptions): Promise<RunResult>;
}

/** A process could not be started (missing shell or executable): BuildKit reports these as errors, not exit codes. */
export class ShellError extends LayerlabError {
  constructor(code: string, message: string, data: Record<string, unknown>) {
    super(code, message, { data });
    this.name = 'ShellError';
  }
}

/**
 * BuildKit's message for a RUN step that exited non-zero, e.g.
 * `process "/bin/sh -c exit 3" did not complete successfully: exit code: 3`.
 */
export function describeFailure(argv: string[], exitCode: number): string {
  return `process "${argv.join(' ')}" did not complete successfully: exit code: ${exitCode}`;
}

function statType(fs: ShellFs, path: string): string | undefined {
  try {
    return fs.stat(path).type;
  } catch {
    return undefined;
  }
}

// The executable a name resolves to: a path, or the first PATH directory holding it.
function lookPath(fs: ShellFs, name: string, path: string, cwd: string): string | undefined {
  if (name.includes('/')) {
    const p = name.startsWith('/') ? name : `${cwd}/${name}`;
    return statType(fs, p) === 'file' ? p : undefined;
  }
  for (const dir of path.split(':')) {
    if (!dir) continue;
    const p = `${dir}/${name}`;
    if (statType(fs, p) === 'file') return p;
  }
  return undefined;
}

/** Which /bin/sh the image has, from where its symlink points. */
export function detectDialect(fs: ShellFs): Exclude<ShellDialect, 'auto'> {
  let target = '';
  try {
    target = fs.readlink('/bin/sh');
  } catch {
    try {
      target = fs.realpath('/bin/sh');
    } catch {
      // no /bin/sh
    }
  }
  if (/busybox/.test(target)) return 'ash';
  if (/bash/.test(target)) return 'bash';
  if (/dash/.test(target)) return 'dash';
  return statType(fs, '/bin/busybox') ? 'ash' : 'dash';
}

// POSIX single-quoting for turning an exec-form argv into a script.
function quote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Rewrites just-bash's `bash: …` diagnostics into the image shell's wording. */
export function rewriteDiagnostics(stderr: string, dialect: Exclude<ShellDialect, 'auto'>, argv0: string): string {
  // `set -x` traces of the program stub are the lab's plumbing, not the script's.
  stderr = stderr.replace(/^\++ __layerlab_(exec|redir_check|status|to_file|done|restore)\b.*\n/gm, '').replace(/^(\++ yes) --layerlab-reader-wants=\S+/gm, '$1').replace(/^__layerlab_silent\n/gm, '');
  if (dialect === 'bash') return stderr.replace(/^bash: /gm, `${argv0}: `);
  return stderr
    .replace(/^bash: cannot create (.*): Directory nonexistent$/gm, dialect === 'dash' ? '$&' : 'bash: cannot create $1: nonexistent directory')
    .replace(/^bash: cannot create /gm, dialect === 'dash' ? 'bash: cannot create ' : "bash: can't create ")
    .replace(/^bash: (.+?): command not found$/gm, (_m, cmd) => (dialect === 'dash' ? `${argv0}: 1: ${cmd}: not found` : `${argv0}: ${cmd}: not found`))
    .replace(/^bash: /gm, dialect === 'dash' ? `${argv0}: 1: ` : `${argv0}: `);
}

/** Creates a shell over a filesystem; just-bash is loaded on the first run. */
/** The interpreter (and just-bash behind it) loads on the first script, not with the engine. */
let interpreterModule: Promise<typeof import('./interpreter.ts')> | undefined;
async function interpret(run: InterpreterRun): Promise<InterpreterResult> {
  // Imported once: a repeated dynamic import still costs a trip through the module loader (Node's hooks thread under tsx).
  interpreterModule ??= import('./interpreter.ts');
  return (await interpreterModule).interpret(run);
}

export function createShell(options: ShellOptions): Shell {
  const kind = options.mounts ?? 'build';
  // Bytes a process writes to /dev/stdout or /dev/stderr through the filesystem (e.g. via a symlink).
  let streamed = { stdout: '', stderr: '' };
  // While a run streams (it has an onOutput): what was already delivered, in order.
  let live: LiveSink | undefined;
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  let sys: SystemMountsFs | undefined;
  let fs: ShellFs = options.fs;
  const mount = (argv: string[], env: Record<string, string>) => {
    if (kind === 'none' || sys) return;
    sys = new SystemMountsFs(options.fs, {
      kind, hostname: options.hostname ?? (kind === 'build' ? 'buildkitsandbox' : env.HOSTNAME ?? 'localhost'), argv, env,
      now: options.now, extra: options.runMounts, onStream: (fd, data) => {
        const t = text(data);
        // Delivered now (the build log shows it while the step runs); past the output limit the
        // run is stopped (the streamed bytes bypass just-bash's own output counter).
        if (live) live.write(fd, t);
        else if (fd === 1) streamed.stdout += t;
        else streamed.stderr += t;
      },
    });
    fs = sys;
  };
  const requireBinaries = options.requireBinaries ?? true;
  const now = options.now ?? (() => 0);
  const monotonic = options.monotonic ?? (() => 0);

  async function run(command: string | string[], opts: RunOptions = {}): Promise<RunResult> {
    const started = monotonic();
    const limits = resolveShellLimits({ ...options.limits, ...opts.limits });
    const user: ShellUser = opts.user ?? { uid: 0, gid: 0, name: 'root', groups: [] };
    const env: Record<string, string> = { ...opts.env };
    env.PATH ??= DEFAULT_PATH;
    // Docker sets HOME from the user's passwd entry when the image does not set it.
    env.HOME ??= findUser(fs, String(user.uid))?.home ?? (user.uid === 0 ? '/root' : '/');
    env.HOSTNAME ??= options.hostname ?? 'buildkitsandbox';
    const cwd = opts.cwd ?? '/';
    const shellArgv = opts.shell ?? ['/bin/sh', '-c'];
    let argv: string[];
    let script: string;
    if (typeof command === 'string') {
      argv = [...shellArgv, command];
      if (!lookPath(fs, shellArgv[0], env.PATH, cwd)) {
        throw new ShellError(
          'shell/executable-not-found',
          shellArgv[0].includes('/')
            ? `exec: "${shellArgv[0]}": stat ${shellArgv[0]}: no such file or directory`
            : `exec: "${shellArgv[0]}": executable file not found in $PATH`,
          { executable: shellArgv[0], argv },
        );
      }
      script = command;
    } else {
      argv = command;
      if (argv.length === 0) throw new ShellError('shell/empty-command', 'no command specified', { argv });
      const isShell = /(^|\/)(sh|bash|ash|dash)$/.test(argv[0]) && argv[1] === '-c' && argv.length >= 3;
      if (!lookPath(fs, argv[0], env.PATH, cwd)) {
        throw new ShellError(
          'shell/executable-not-found',
          argv[0].includes('/')
            ? `exec: "${argv[0]}": stat ${argv[0]}: no such file or directory`
            : `exec: "${argv[0]}": executable file not found in $PATH`,
          { executable: argv[0], argv },
        );
      }
      script = isShell ? argv[2] : argv.map(quote).join(' ');
    }
    mount(argv, env);
    streamed = { stdout: '', stderr: '' };
    const dialectOpt = options.dialect ?? 'auto';
    const dialect = dialectOpt === 'auto' ? detectDialect(fs) : dialectOpt;
    const argv0 = typeof command === 'string' || /(^|\/)(sh|bash|ash|dash)$/.test(argv[0]) ? argv[0] : 'sh';

    fs.setUser({ uid: user.uid, gid: user.gid, groups: user.groups ?? [] });
    const limitHit: LimitHit = {};
    const base = {
      limitHit,
      fs,
      env,
      user,
      signal: opts.signal,
      executionLimits: toInterpreterLimits(limits),
      requireBinaries,
      maxFsBytes: limits.maxFsBytes,
      archive: options.archive,
      packages: options.packages,
      now,
    };
    // With an onOutput, commands write to the streaming /proc/1/fd/1 and /proc/1/fd/2 (/dev/stdout,
    // /dev/stderr; see interpreter.ts liveOutputPlugin).
    const streaming = !!opts.onOutput && kind !== 'none';
    const sink = new LiveSink((st, t) => opts.onOutput!(st, t), limits.maxOutputBytes, (t) => rewriteDiagnostics(t, dialect, argv0));
    live = streaming ? sink : undefined;
    // A run is also stopped when what it printed passes the output limit (streaming), or when one of
    // our commands ran into a limit (interpreter.ts LimitHit).
    const signal = stopWhen(opts.signal, () => sink.overflow || !!limitHit.limit);
    let r: InterpreterResult;
    try {
      r = await interpret({ ...base, signal, dialect, script, cwd, stdin: opts.stdin, liveOutput: streaming ? { stdout: '/proc/1/fd/1', stderr: '/proc/1/fd/2' } : undefined });
    } finally {
      sink.flush();
      live = undefined;
    }
    if (sink.overflow) {
      const e = limitExceeded('maxOutputBytes', limits.maxOutputBytes, 'the run printed more than the output limit');
      Object.assign(e.data, { stdout: sink.stdout.slice(0, 64 * 1024), stderr: sink.stderr.slice(0, 64 * 1024) });
      throw e;
    }
    // Simulation: writes that reach /dev/stdout through the filesystem (and, when streaming, the
    // top-level commands' output, already delivered) come before what just-bash returned at the end.
    let stdout = r.stdout + streamed.stdout;
    let stderr = r.stderr + streamed.stderr;
    streamed = { stdout: '', stderr: '' };
    if (limitHit.limit) {
      const e = limitExceeded(limitHit.limit, limits[limitHit.limit], limitHit.detail);
      Object.assign(e.data, { stdout: (sink.stdout + stdout).slice(0, 64 * 1024), stderr: (sink.stderr + stderr).slice(0, 64 * 1024) });
      throw e;
    }
    checkLimits(r, limits, sink.stdout + stdout, sink.stderr + stderr, opts.signal);
    if (r.exitTrap) {
      // The EXIT trap runs after the script, in its final state, and keeps the script's exit code.
      const t = await interpret({ ...base, dialect, env: r.env, script: r.exitTrap, cwd: r.env.PWD ?? cwd, stdin: '' });
      stdout += t.stdout + streamed.stdout;
      stderr += t.stderr + streamed.stderr;
      streamed = { stdout: '', stderr: '' };
      r = { ...r, bytesWritten: r.bytesWritten + t.bytesWritten, simulatedMs: r.simulatedMs + t.simulatedMs };
      if (limitHit.limit) throw limitExceeded(limitHit.limit, limits[limitHit.limit], limitHit.detail);
      checkLimits(t, limits, sink.stdout + stdout, sink.stderr + stderr, opts.signal);
    }
    stderr = rewriteDiagnostics(stderr, dialect, argv0);
    if (stdout) opts.onOutput?.('stdout', stdout);
    if (stderr) opts.onOutput?.('stderr', stderr);
    stdout = sink.stdout + stdout;
    stderr = sink.stderr + stderr;
    return {
      exitCode: r.exitCode,
      stdout,
      stderr,
      argv,
      env: r.env,
      cwd: r.env.PWD ?? cwd,
      bytesWritten: r.bytesWritten,
      durationMs: monotonic() - started,
      ...(r.simulatedMs ? { simulatedMs: r.simulatedMs } : {}),
      signalTraps: r.signalTraps,
    };
  }

  return { run };
}

/** `outer`, also aborted once `stop()` is true; an outer signal's listeners (sleep's wake-up on cancel) are kept. */
function stopWhen(outer: AbortSignalLike | undefined, stop: () => boolean): AbortSignalLike {
  const o = outer as (AbortSignalLike & { addEventListener?: (t: string, f: () => void) => void; removeEventListener?: (t: string, f: () => void) => void }) | undefined;
  const s = { get aborted() { return stop() || !!outer?.aborted; } };
  if (typeof o?.addEventListener !== 'function') return s;
  return Object.assign(s, {
    addEventListener: (t: string, f: () => void) => o.addEventListener!(t, f),
    removeEventListener: (t: string, f: () => void) => o.removeEventListener?.(t, f),
    get reason() { return (outer as { reason?: unknown }).reason; },
    throwIfAborted() { if (s.aborted) throw new Error('aborted'); },
  });
}

function checkLimits(
  r: { exitCode: number; stderr: string; quotaBreached: boolean; bytesWritten: number; fileWindowOpen?: boolean },
  limits: ShellLimits,
  stdout: string,
  stderr: string,
  signal: { aborted: boolean } | undefined,
) {
  if (r.quotaBreached) {
    const e = limitExceeded('maxFsBytes', limits.maxFsBytes, 'the run wrote more than the filesystem quota to files');
    Object.assign(e.data, { stdout: stdout.slice(0, 64 * 1024), stderr: stderr.slice(0, 64 * 1024) });
    throw e;
  }
  if (stdout.length + stderr.length > limits.maxOutputBytes) {
    const e = limitExceeded('maxOutputBytes', limits.maxOutputBytes, 'the run printed more than the output limit');
    Object.assign(e.data, { stdout: stdout.slice(0, 64 * 1024), stderr: stderr.slice(0, 64 * 1024) });
    throw e;
  }
  if (r.exitCode === 126 || r.exitCode === 124 || r.exitCode === 130 || r.exitCode >= 126) {
    const lim = detectInterpreterLimit(r.stderr);
    if (lim) {
      // One command's output over the limit in one go (it is held in memory before a redirection or pipe takes it).
      const one = /([\w.-]+): output size limit exceeded/.exec(r.stderr)?.[1];
      // Inside a file window (stdout bound for a file) the room was the quota left: the bytes were file data.
      const toFile = lim === 'maxOutputBytes' && r.fileWindowOpen;
      const e = toFile
        ? limitExceeded('maxFsBytes', limits.maxFsBytes, `${one ?? 'a command'} wrote more than the filesystem quota to a file`)
        : limitExceeded(lim, limits[lim], one ? `${one} produced more than the output limit in one go (a command's output is held in memory before a redirection or pipe takes it)` : undefined);
      Object.assign(e.data, { stdout, stderr });
      throw e;
    }
  }
  if (signal?.aborted && /aborted/.test(r.stderr)) {
    throw new LayerlabError('shell/cancelled', 'the run was cancelled', { data: { stdout, stderr } });
  }
}
