/**
 * The one module that loads just-bash (lazily: `await import('just-bash')`, 1.28 MB in the
 * browser) and binds it to our filesystem adapter and our commands. Nothing of just-bash's types
 * leaves this folder: callers get plain results.
 *
 * Uses one private field of just-bash 3.4.2 (`Bash.commands`, its command registry) so the program
 * stub of a binary outside /bin and /usr/bin can dispatch to a built-in; the version is pinned.
 */
import type { Bash as BashClass, Command } from 'just-bash';
import { LAYERLAB_COMMANDS } from './commands/index.ts';
import type { CommandIO, CommandOutput } from './commands/command.ts';
import type { PackageCatalogs } from './packages/apt-catalog.ts';
import { correctMisreportedErrors, PROGRAM_STUB_COMMAND, UnionFsAdapter } from './union-fs-adapter.ts';
import { runGoBinary } from './commands/go.ts';
import { YES_BOUND_ARG } from './commands/sequence.ts';
import type { ArchiveCodec, AbortSignalLike, ShellFs, ShellUser } from './types.ts';

type JustBash = typeof import('just-bash');

/**
 * Commands that dash and BusyBox ash run as builtins, so they work without a program file
 * (just-bash registers some of them as commands), plus our program stub.
 */
const SHELL_BUILTINS: ReadonlySet<string> = new Set([
  'echo', 'printf', 'test', '[', 'true', 'false', 'pwd', 'kill', 'trap', 'type', 'ulimit', 'umask', 'wait',
  'times', 'hash', 'alias', 'unalias', PROGRAM_STUB_COMMAND, '__layerlab_redir_check', '__layerlab_status',
  '__layerlab_to_file', '__layerlab_done', '__layerlab_restore',
]);
let loading: Promise<JustBash> | undefined;

// Whether a #! interpreter exists in the image (an absolute path, or a name `env` finds on PATH).
function interpreterExists(fs: ShellFs, interp: string, path: string): boolean {
  const candidates = interp.includes('/') ? [interp] : path.split(':').filter(Boolean).map((d) => `${d}/${interp}`);
  for (const c of candidates) {
    try {
      if (fs.stat(c).type === 'file') return true;
    } catch {
      // not here
    }
  }
  return false;
}

let importer: () => Promise<JustBash> = () => import('just-bash');

/**
 * Lets a host load just-bash its own way (the CLI hides a global during the import, see
 * src/cli/host-node.ts). Must be called before the first load.
 */
export function setShellImporter(load: () => Promise<JustBash>): void {
  importer = load;
}

/** Loads just-bash once. */
export function loadJustBash(): Promise<JustBash> {
  loading ??= importer();
  return loading;
}

/** One script execution handed to just-bash. */
export interface InterpreterRun {
  fs: ShellFs;
  script: string;
  env: Record<string, string>;
  cwd: string;
  user: ShellUser;
  stdin?: string;
  signal?: AbortSignalLike;
  executionLimits: Record<string, number>;
  requireBinaries: boolean;
  maxFsBytes: number;
  archive?: ArchiveCodec;
  packages?: PackageCatalogs;
  now: () => number;
  /**
   * Paths whose writes the filesystem delivers at once (the system mounts' `/proc/1/fd/1` and
   * `/proc/1/fd/2`): the script's commands write their stdout and stderr there, so both stream
   * while the script runs (see liveOutputPlugin).
   */
  liveOutput?: LiveOutputPaths;
  /** The image's /bin/sh: how a redirection that cannot be opened ends (see redirectionCheckPlugin). */
  dialect?: 'dash' | 'ash' | 'bash';
  /**
   * Filled in when one of our commands stops the run at a limit (its output would pass the room
   * it has, see `outputRoom`); the caller's `signal` should then read aborted, which ends the script.
   */
  limitHit?: LimitHit;
}

/** A limit one of our commands ran into, with what to say about it. */
export interface LimitHit {
  limit?: 'maxOutputBytes' | 'maxFsBytes';
  detail?: string;
}

/** What just-bash reported, plus our bookkeeping. */
export interface InterpreterResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  env: Record<string, string>;
  bytesWritten: number;
  /** Modelled time the commands reported (CommandIO.simulateTime). */
  simulatedMs: number;
  quotaBreached: boolean;
  /**
   * Whether the run ended inside a command whose stdout goes to a file (see redirectAwareOutputLimit):
   * an output-size error from the interpreter then means the bytes were bound for a file.
   */
  fileWindowOpen: boolean;
  exitTrap?: string;
  /** INT/TERM/HUP handlers set by `trap` (an empty string ignores the signal; absent = reset). */
  signalTraps: Record<string, string | undefined>;
}

function bytesToLatin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

function isAscii(s: string): boolean {
  return /^[\x00-\x7f]*$/.test(s);
}

function latin1ToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/**
 * just-bash wants a DOM AbortSignal (it adds and removes listeners); the engine passes a plain
 * `{aborted}` flag. This view answers `aborted` from the flag, which just-bash polls between commands.
 */
function asAbortSignal(s: { readonly aborted: boolean }): AbortSignal {
  if (typeof (s as { addEventListener?: unknown }).addEventListener === 'function') return s as AbortSignal;
  return {
    get aborted() {
      return s.aborted;
    },
    reason: undefined,
    onabort: null,
    addEventListener() {},
    removeEventListener() {},
    dispatchEvent: () => false,
    throwIfAborted() {
      if (s.aborted) throw new Error('aborted');
    },
  } as unknown as AbortSignal;
}

/**
 * How much output one command may produce in one go, and the run in total (just-bash's
 * `maxOutputSize`, read by its counter and by each command's own check).
 *
 * just-bash counts every byte a command produces, also the bytes a redirection then writes to a
 * file, so on its own it would stop `while …; do echo … >> f; done` at the output limit instead of
 * the filesystem quota. So the limit grows with the bytes handed to files: what it still stops is
 * what the run prints (plus output held in memory, such as `$(…)`), while writes to files are
 * stopped by the adapter's quota.
 *
 * A command (or pipeline) whose stdout goes to a file (`seq 1 9999999 > f`, `yes | head -c 20M > f`)
 * runs in a "file window" (redirectionCheckPlugin opens it before the command and closes it after):
 * there the room also includes the quota left, since those bytes never reach the log. Output past
 * that room is reported as the filesystem quota (the kernel would fail the write with ENOSPC).
 *
 * Simulation: a command's output is built in memory before its redirection or pipe takes it, so
 * memory use is bounded by this room: at most maxOutputBytes + maxFsBytes (8 MiB + 256 MiB by
 * default) for the output string, plus its copies on the way into the file (measured: `seq 1
 * 9999999 > /f`, 79 MB, peaks about 380 MB above an idle run). A pipe stage
 * feeding a file-bound pipeline has the same room; other pipe stages (`seq 1 9999999 | wc -l`)
 * have the output limit.
 *
 * Uses the private field `Bash.limits` of just-bash 3.4.2 (the object its execution scope reads on each check).
 */
function outputRoomOf(adapter: UnionFsAdapter, maxOutputBytes: number, maxFsBytes: number): number {
  const quotaLeft = adapter.fileWindow > 0 ? Math.max(0, maxFsBytes - adapter.bytesWritten) : 0;
  return Math.min(Number.MAX_SAFE_INTEGER, maxOutputBytes + adapter.bytesToFiles + quotaLeft);
}

function redirectAwareOutputLimit(bash: BashClass, room: () => number): void {
  const limits = (bash as unknown as { limits: Record<string, number> }).limits;
  Object.defineProperty(limits, 'maxOutputSize', { configurable: true, enumerable: true, get: room });
}

/** Runs one script through just-bash over `run.fs`. */
export async function interpret(run: InterpreterRun): Promise<InterpreterResult> {
  const jb = await loadJustBash();
  const names = new Set<string>([...jb.getCommandNames(), ...Object.keys(LAYERLAB_COMMANDS)]);
  const adapter = new UnionFsAdapter(run.fs, { commandNames: names, builtinNames: SHELL_BUILTINS, requireBinaries: run.requireBinaries, maxFsBytes: run.maxFsBytes, streamPaths: run.liveOutput });
  let exitTrap: string | undefined;
  let simulatedMs = 0;
  // The command whose output redirections were checked last (redirectionCheckPlugin): the one writing.
  let writer = '';
  // The `$?` before our own commands (the check, the file window) ran; `__layerlab_restore` returns it.
  let savedStatus = 0;
  adapter.describeWriteError = (e) => describeWriteError(writer, e, run.dialect ?? 'dash');
  const outputRoom = () => outputRoomOf(adapter, run.executionLimits.maxOutputSize, run.maxFsBytes);
  const signalTraps: Record<string, string | undefined> = {};
  let bash: BashClass | undefined;

  // A large ASCII text is handed over as bytes (the same characters): just-bash turns text into
  // bytes for a pipe one character at a time (a rope of one node per byte, ~36 bytes of memory
  // per byte of output), bytes pass as they are.
  // just-bash's browser bundle exports neither `unsafeBytesFromLatin1` nor `bytesOutput` (its Node
  // bundle does; binary output of our commands failed in the lab). Both are plain data in 3.4.2: a
  // type brand (the identity) and `{ stdout, stdoutKind: 'bytes', stdoutEncoding: 'binary' }`.
  type Bytes = ReturnType<JustBash['unsafeBytesFromLatin1']>;
  const fromLatin1 = jb.unsafeBytesFromLatin1 ?? ((s: string) => s as unknown as Bytes);
  const bytesOutput = jb.bytesOutput ?? ((b: Bytes) => ({ stdout: b, stdoutKind: 'bytes', stdoutEncoding: 'binary' }) as unknown as ReturnType<JustBash['bytesOutput']>);
  const toResult = (o: CommandOutput) =>
    typeof o.stdout === 'string'
      ? o.stdout.length > 65536 && isAscii(o.stdout)
        ? { ...bytesOutput(fromLatin1(o.stdout)), stderr: o.stderr, exitCode: o.exitCode }
        : { stdout: o.stdout, stderr: o.stderr, exitCode: o.exitCode }
      : { ...bytesOutput(fromLatin1(bytesToLatin1(o.stdout))), stderr: o.stderr, exitCode: o.exitCode };

  type Ctx = { cwd: string; env: Map<string, string>; stdin: unknown; exec?: (c: string, o: { cwd: string; stdin?: string; env?: Record<string, string> }) => Promise<{ stdout: string; stderr: string; exitCode: number }> };
  const makeIO = (name: string, args: string[], ctx: Ctx): CommandIO => ({
    name,
    args,
    fs: run.fs,
    cwd: ctx.cwd,
    env: ctx.env,
    stdin: latin1ToBytes(String(ctx.stdin ?? '')),
    get user() {
      return run.user;
    },
    setUser: (u) => {
      run.user = u;
      run.fs.setUser({ uid: u.uid, gid: u.gid, groups: u.groups ?? [] });
    },
    archive: run.archive,
    packages: run.packages,
    now: run.now,
    countWrite: (n) => {
      adapter.bytesWritten += n;
      if (adapter.bytesWritten > run.maxFsBytes) {
        adapter.quotaBreached = true;
        throw new Error(`${name}: write error: No space left on device`);
      }
    },
    simulateTime: (ms) => {
      simulatedMs += ms;
    },
    // One command's room: in a file window the quota left (its bytes go to a file), else the output limit.
    outputRoom: () => (adapter.fileWindow > 0 ? Math.max(0, run.maxFsBytes - adapter.bytesWritten) : run.executionLimits.maxOutputSize),
    outputTooLarge: () => {
      if (run.limitHit && !run.limitHit.limit) {
        Object.assign(
          run.limitHit,
          adapter.fileWindow > 0
            ? { limit: 'maxFsBytes', detail: `${name} wrote more than the filesystem quota to a file` }
            : { limit: 'maxOutputBytes', detail: `${name} produced more than the output limit in one go` },
        );
      }
      // The run is stopped (its signal reads aborted) before the next command.
      return { stdout: '', stderr: '', exitCode: 1 };
    },
    setExitTrap: (h) => {
      exitTrap = h;
    },
    setSignalTrap: (sig, h) => {
      signalTraps[sig] = h;
    },
    exec: ctx.exec ? (script, o) => ctx.exec!(script, { cwd: ctx.cwd, stdin: o?.stdin, env: o?.env }) : undefined,
  });

  const wrap = (name: string, impl: (io: CommandIO) => Promise<CommandOutput> | CommandOutput): Command =>
    jb.defineCommand(name, async (args, ctx) => {
      try {
        return toResult(await impl(makeIO(name, args, ctx)));
      } catch (e) {
        return { stdout: '', stderr: `${name}: ${e instanceof Error ? e.message : String(e)}\n`, exitCode: 1 };
      }
    });

  const custom: Command[] = Object.entries(LAYERLAB_COMMANDS).map(([name, impl]) => wrap(name, impl));
  // The program stub: an executable that is a program (see union-fs-adapter.ts `programStub`) runs
  // `__layerlab_exec --path=P [--interp=I] NAME "$@"`: our model of NAME, just-bash's, or a clear failure.
  custom.push(
    jb.defineCommand(PROGRAM_STUB_COMMAND, async (args, ctx) => {
      let path = '';
      let called = '';
      let interp = '';
      while (args[0]?.startsWith('--path=') || args[0]?.startsWith('--interp=') || args[0]?.startsWith('--called=')) {
        const a = args.shift()!;
        if (a.startsWith('--path=')) path = a.slice(7);
        else if (a.startsWith('--called=')) called = a.slice(9);
        else interp = a.slice(9);
      }
      const [name, ...rest] = args;
      const ours = LAYERLAB_COMMANDS[name];
      if (ours) {
        const io = makeIO(name, rest, ctx);
        io.program = called || path;
        return toResult(await ours(io));
      }
      const registry = (bash as unknown as { commands: Map<string, Command> }).commands;
      const builtin = registry.get(name);
      if (builtin) return builtin.execute(rest, ctx);
      // A binary `go build` wrote (commands/go.ts) runs as its model.
      const goRun = !interp && path ? runGoBinary(run, path, path) : undefined;
      if (goRun) return toResult(goRun);
      if (interp && !interpreterExists(run.fs, interp, ctx.env.get('PATH') ?? '')) {
        // execve fails with ENOENT when the #! interpreter is missing; the shell says "not found".
        return { stdout: '', stderr: `bash: ${name}: not found\n`, exitCode: 127 };
      }
      const what = interp ? `a script for ${interp.slice(interp.lastIndexOf('/') + 1)}` : 'a binary program';
      return { stdout: '', stderr: `${name}: cannot run ${path || name}: ${what} that layerlab does not simulate\n`, exitCode: 126 };
    }),
  );

  // Checks a command's output redirections before it runs (redirectionCheckPlugin): a target that
  // cannot be opened is reported as the image's shell reports it, and the command does not run.
  custom.push(
    jb.defineCommand('__layerlab_redir_check', async (args, ctx) => {
      // NAME, `to-file` or `-`, `$?` before the check, OP TARGET pairs, then `$_` (passed through).
      const [name, toFile, before, ...rest] = args;
      const pairs = rest.slice(0, -1);
      writer = name === '-' ? '' : (name ?? '');
      savedStatus = Number(before ?? 0);
      for (let i = 0; i + 1 < pairs.length; i += 2) {
        const target = pairs[i + 1];
        const path = target.startsWith('/') ? target : `${ctx.cwd === '/' ? '' : ctx.cwd}/${target}`;
        // A runtime mount decides for its paths (a read-only /sys, /proc, BuildKit's /etc/hosts);
        // elsewhere the layer's modes and owners do.
        const onMount = run.fs.openForWrite?.(path);
        const errno = onMount === 'ok' ? undefined : onMount ?? openForWriteError(run.fs, path, run.user);
        if (errno) return { stdout: '', stderr: `bash: cannot create ${target}: ${REDIRECT_ERRORS[errno] ?? errno}\n`, exitCode: 1 };
      }
      if (toFile === 'to-file') adapter.fileWindow++;
      return { stdout: '', stderr: '', exitCode: 0 };
    }),
    jb.defineCommand('__layerlab_restore', async () => ({ stdout: '', stderr: '', exitCode: savedStatus })),
    jb.defineCommand('__layerlab_status', async (args) => ({ stdout: '', stderr: '', exitCode: Number(args[0] ?? 1) })),
    // The file window around a command or pipeline whose stdout goes to a file (see outputRoomOf).
    jb.defineCommand('__layerlab_to_file', async (args) => {
      savedStatus = Number(args[0] ?? 0);
      adapter.fileWindow++;
      return { stdout: '', stderr: '', exitCode: 0 };
    }),
    jb.defineCommand('__layerlab_done', async (args) => {
      adapter.fileWindow = Math.max(0, adapter.fileWindow - 1);
      return { stdout: '', stderr: '', exitCode: Number(args[0] ?? 0) };
    }),
  );

  bash = new jb.Bash({
    fs: adapter,
    cwd: run.cwd,
    env: run.env,
    customCommands: custom,
    executionLimits: run.executionLimits,
    processInfo: { uid: run.user.uid, gid: run.user.gid, pid: 1, ppid: 0 },
    // just-bash never evaluates JavaScript from scripts; its optional second layer (patching JS
    // globals and tracking every promise with async_hooks while a script runs) cost a third of a
    // RUN step's time and would also patch the worker's own globals, so it is left off.
    defenseInDepth: false,
  });
  if (run.requireBinaries) {
    // just-bash's `command -v`, `type` and `command -V` report `/usr/bin/NAME` for any registered
    // command, file or not. In an image a program exists only as a file, so a registered command
    // counts only when it is a shell builtin or a file of that name is in a PATH directory (the
    // script's PATH and Docker's default): `command -v yarn` on node:26 prints nothing and fails,
    // as in dash, while `command -v node` still prints /usr/local/bin/node.
    const registry = (bash as unknown as { commands: Map<string, Command> }).commands;
    const has = registry.has.bind(registry);
    const dirs = [...new Set([...(run.env.PATH ?? '').split(':'), ...'/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'.split(':')].filter((d) => d.startsWith('/')))];
    const onPath = (name: string) => dirs.some((d) => {
      try {
        run.fs.stat(`${d}/${name}`);
        return true;
      } catch {
        return false;
      }
    });
    registry.has = (name: string) => has(name) && (SHELL_BUILTINS.has(name) || onPath(name));
  }
  bash.registerTransformPlugin(yesBoundPlugin() as unknown as Parameters<BashClass['registerTransformPlugin']>[0]);
  bash.registerTransformPlugin(redirectionCheckPlugin(run.dialect ?? 'dash') as unknown as Parameters<BashClass['registerTransformPlugin']>[0]);
  if (run.liveOutput) bash.registerTransformPlugin(liveOutputPlugin(run.liveOutput) as unknown as Parameters<BashClass['registerTransformPlugin']>[0]);
  redirectAwareOutputLimit(bash, outputRoom);
  let r: { exitCode: number; stdout: string; stderr: string; env?: Record<string, string> };
  try {
    r = await bash.exec(run.script, {
      cwd: run.cwd,
      env: run.env,
      replaceEnv: true,
      stdin: run.stdin,
      signal: run.signal ? asAbortSignal(run.signal) : undefined,
      rawScript: true,
    });
  } catch (e) {
    // Simulation: a redirection just-bash cannot open (EACCES from the union) escapes its
    // interpreter and ends the script there, with the output so far lost; dash would print
    // `cannot create …` and go on with the next command.
    const err = e as { code?: string; path?: string; message?: string };
    if (!err.code) throw e;
    const why = err.code === 'EACCES' ? 'Permission denied' : err.code === 'ENOENT' ? 'Directory nonexistent' : (err.message ?? '');
    r = { exitCode: 2, stdout: '', stderr: `bash: cannot create ${err.path ?? ''}: ${why}\n`, env: run.env };
  }
  return {
    exitCode: r.exitCode,
    stdout: r.stdout,
    stderr: correctMisreportedErrors(r.stderr, adapter.misreported),
    env: r.env ?? {},
    bytesWritten: adapter.bytesWritten,
    simulatedMs,
    quotaBreached: adapter.quotaBreached,
    fileWindowOpen: adapter.fileWindow > 0,
    exitTrap,
    signalTraps,
  };
}

type Node = { type: string; [k: string]: unknown };
type Redirection = { type: 'Redirection'; fd: number | null; operator: string; target: unknown };

/** Where the live output goes: paths whose writes the filesystem delivers at once (system-mounts.ts). */
export interface LiveOutputPaths {
  stdout: string;
  stderr: string;
}

/** Whether a redirection list changes fd 1 or fd 2 of the command it is on. */
function redirectsFd(rs: Redirection[] | undefined, fd: 1 | 2): boolean {
  return (rs ?? []).some((r) => {
    switch (r.operator) {
      case '&>':
      case '&>>':
        return true;
      case '>':
      case '>>':
      case '>|':
        return (r.fd ?? 1) === fd;
      case '<>':
        // `<>` is on fd 0 unless a number says otherwise.
        return r.fd === fd;
      case '>&': {
        // `>&2` dups fd 1; `>&file` (bash) sends both.
        if (r.fd !== null) return r.fd === fd;
        const parts = (r.target as { parts?: { type: string; value?: string }[] } | null)?.parts;
        const numeric = parts?.length === 1 && parts[0].type === 'Literal' && /^\d+-?$|^-$/.test(parts[0].value ?? '');
        return numeric ? fd === 1 : true;
      }
      case '<&':
        return r.fd === fd;
      default:
        return false;
    }
  });
}

/**
 * Live output. just-bash collects a script's output and returns it when the script ends; it has
 * no output callback. This transform (applied to the top-level script only, not to nested
 * `sh -c`, `eval` or command substitutions, which just-bash also parses) gives every simple
 * command whose stdout or stderr is the script's own two first redirections, `>OUT 2>ERR`: its
 * output is written to OUT and ERR (`/proc/1/fd/1` and `/proc/1/fd/2`, which the system mounts
 * deliver at once; just-bash treats the names `/dev/stdout` and `/dev/stderr` as its own streams)
 * as soon as the command ends, stdout first. Only the last command of a pipeline gets `>OUT`
 * (the others write into the pipe); every one gets `2>ERR`. The user's own redirections come
 * after them and so still win, with the meaning they have in dash (`2>&1` then points at OUT,
 * `>&2` at ERR, `2>&1 >/dev/null` sends stderr to OUT and stdout nowhere); a redirection does
 * not start a subshell, so `cd`, `export` and assignments behave as before.
 * Compound commands (if, for, while, until, case, `{ }`, `( )`) get the same two redirections,
 * so what their own redirections route (`( … ) 2>&1`) streams when they end, and the transform
 * descends into them per stream: a loop that does not redirect its stderr streams each
 * iteration's stderr, one with `2>file` does not.
 * An `exec` that redirects fd 1 or 2 anywhere in the script turns that stream's live delivery off
 * for the whole script (which commands run after it is only known at run time).
 * Simulation: output streams per command, not per write (a command's stdout, then its stderr);
 * a function's output arrives when the function returns; an `exec`-redirected stream, and what
 * nested shells print outside any command, arrive when the script ends.
 */
function liveOutputPlugin(paths: LiveOutputPaths) {
  let applied = false;
  const redirect = (fd: 1 | 2): Redirection => ({
    type: 'Redirection', fd: fd === 1 ? null : 2, operator: '>',
    target: { type: 'Word', parts: [{ type: 'Literal', value: fd === 1 ? paths.stdout : paths.stderr }] },
  });
  type Live = { out: boolean; err: boolean };
  const statements = (list: Node[] | null | undefined, live: Live): Node[] | null | undefined => list?.map((st) => statement(st, live));
  const statement = (st: Node, live: Live): Node => {
    if (st.background) return st;
    return { ...st, pipelines: (st.pipelines as Node[]).map((p) => pipeline(p, live)) };
  };
  const pipeline = (p: Node, live: Live): Node => {
    const cmds = p.commands as Node[];
    // `|&` (bash) after command i sends its stderr into the pipe too.
    const intoPipe = (p.pipeStderr as boolean[] | undefined) ?? [];
    return { ...p, commands: cmds.map((c, i) => command(c, { out: live.out && i === cmds.length - 1, err: live.err && !intoPipe[i] })) };
  };
  const command = (c: Node, outer: Live): Node => {
    const rs = c.redirections as Redirection[] | undefined;
    // Our own plumbing (redirectionCheckPlugin) prints nothing but the check's diagnostics on stderr.
    const internal = c.type === 'SimpleCommand' ? literalOf(c.name) : undefined;
    if (internal?.startsWith('__layerlab_') && internal !== '__layerlab_redir_check') return c;
    // A later `1<>FILE` does not replace an earlier `>` in just-bash: such a command keeps its own stdout (and `2<>FILE` its stderr).
    const readWrite = (fd: number) => c.type === 'SimpleCommand' && (rs ?? []).some((r) => r.operator === '<>' && r.fd === fd);
    const add = [...(outer.out && internal !== '__layerlab_redir_check' && !readWrite(1) ? [redirect(1)] : []), ...(outer.err && !readWrite(2) ? [redirect(2)] : [])];
    if (!add.length || c.type === 'FunctionDef') return c;
    // The command's own output (a compound's: what its redirections route to its stdout or stderr) streams when it ends.
    const withLive = { ...c, redirections: [...add, ...(rs ?? [])] };
    if (c.type === 'SimpleCommand') return withLive;
    const live = { out: outer.out && !redirectsFd(rs, 1), err: outer.err && !redirectsFd(rs, 2) };
    if (!live.out && !live.err) return withLive;
    c = withLive;
    switch (c.type) {
      case 'If':
        return { ...c, clauses: (c.clauses as Node[]).map((k) => ({ ...k, condition: statements(k.condition as Node[], live), body: statements(k.body as Node[], live) })), elseBody: statements(c.elseBody as Node[] | null, live) ?? null };
      case 'For':
      case 'CStyleFor':
        return { ...c, body: statements(c.body as Node[], live) };
      case 'While':
      case 'Until':
        return { ...c, condition: statements(c.condition as Node[], live), body: statements(c.body as Node[], live) };
      case 'Case':
        return { ...c, items: (c.items as Node[]).map((it) => ({ ...it, body: statements(it.body as Node[], live) })) };
      case 'Group':
      case 'Subshell':
        return { ...c, body: statements(c.body as Node[], live) };
      default:
        // [[ ]] and (( )) print nothing but their own errors and traces.
        return c;
    }
  };
  return {
    name: 'layerlab-live-output',
    transform(context: { ast: unknown; metadata: Record<string, unknown> }) {
      if (applied) return { ast: context.ast };
      applied = true;
      const ast = context.ast as Node;
      const execs = execRedirections(ast);
      const live = { out: !redirectsFd(execs, 1), err: !redirectsFd(execs, 2) };
      return { ast: { ...ast, statements: statements(ast.statements as Node[], live) } as never };
    },
  };
}

/** The redirections of every `exec` without a command (`exec 2>file`, `exec >&2`) anywhere in the script. */
function execRedirections(ast: Node): Redirection[] {
  const out: Redirection[] = [];
  const seen = new Set<unknown>();
  const stack: unknown[] = [ast];
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== 'object' || seen.has(n)) continue;
    seen.add(n);
    if (Array.isArray(n)) {
      for (const x of n) stack.push(x);
      continue;
    }
    const node = n as Node;
    if (node.type === 'SimpleCommand' && ((node.args as unknown[]) ?? []).length === 0) {
      const parts = (node.name as { parts?: { type: string; value?: string }[] } | null)?.parts;
      if (parts?.length === 1 && parts[0].value === 'exec') out.push(...((node.redirections as Redirection[]) ?? []));
    }
    for (const v of Object.values(node)) if (v && typeof v === 'object') stack.push(v);
  }
  return out;
}

/**
 * What a command prints when a write to its opened output fails (EIO from a procfs file, ENOSPC
 * from /dev/full), as checked with dash 0.5.12 and BusyBox 1.37: dash's `echo` and `printf`
 * report `echo: I/O error` whatever the errno, BusyBox ash's `echo` prints `sh: write error: …`
 * and its `printf` nothing, other programs (coreutils, BusyBox applets) `NAME: write error: …`.
 * The command then exits 1 and the script goes on. `bash: ` is the interpreter's prefix that
 * rewriteDiagnostics turns into the image shell's.
 */
function describeWriteError(name: string, e: { description: string }, dialect: 'dash' | 'ash' | 'bash'): string {
  if (dialect === 'dash' && (name === 'echo' || name === 'printf')) return `bash: ${name}: ${name}: I/O error`;
  if (dialect === 'ash' && name === 'echo') return `sh: write error: ${e.description}`;
  // just-bash prints the message with a newline; rewriteDiagnostics drops this line.
  if (dialect === 'ash' && name === 'printf') return SILENT_LINE;
  return `${name || 'sh'}: write error: ${e.description}`;
}

/** A diagnostic line that stands for no message at all (removed by shell.ts rewriteDiagnostics). */
export const SILENT_LINE = '__layerlab_silent';

/** Reasons the shells print after `cannot create FILE:` (dash wording; rewriteDiagnostics adapts ash's). */
const REDIRECT_ERRORS: Record<string, string> = {
  EACCES: 'Permission denied', EPERM: 'Operation not permitted', ENOENT: 'Directory nonexistent', EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory', EROFS: 'Read-only file system', ENOSPC: 'No space left on device', ELOOP: 'Symbolic link loop',
  ENAMETOOLONG: 'File name too long',
};

/**
 * Whether `open(path, O_WRONLY|O_CREAT)` would fail for `user`, from the inodes' modes and owners
 * (Linux's rules: root may write anything, else the owner, group or other write bit; creating
 * needs write and search on the directory). Nothing is written, so the check leaves no trace.
 * A runtime mount (read-only /sys, /proc) is asked first, see ShellFs.openForWrite.
 */
function openForWriteError(fs: ShellFs, path: string, user: ShellUser): string | undefined {
  const allowed = (st: { mode: number; uid: number; gid: number }, bits: number) => {
    if (user.uid === 0) return true;
    const m = st.mode & 0o777;
    const shift = st.uid === user.uid ? 6 : st.gid === user.gid || (user.groups ?? []).includes(st.gid) ? 3 : 0;
    return ((m >> shift) & bits) === bits;
  };
  const errnoOf = (e: unknown) => (e as { errno?: string }).errno ?? 'EACCES';
  try {
    const st = fs.stat(path);
    if (st.type === 'dir') return 'EISDIR';
    return allowed(st, 2) ? undefined : 'EACCES';
  } catch (e) {
    if (errnoOf(e) !== 'ENOENT') return errnoOf(e);
  }
  const parent = path.slice(0, path.lastIndexOf('/')) || '/';
  try {
    const dir = fs.stat(parent);
    if (dir.type !== 'dir') return 'ENOTDIR';
    return allowed(dir, 3) ? undefined : 'EACCES';
  } catch (e) {
    return errnoOf(e);
  }
}

/**
 * Where a command's stdout ends up after its own redirections, in order: a file (`>f`, `>>f`,
 * `&>f`, `>/dev/null`, or `>&2` after `2>f`) or the log it inherited (also `>/dev/stderr`).
 */
function stdoutDestination(rs: Redirection[] | undefined): 'file' | 'log' {
  let out: 'file' | 'log' = 'log';
  let err: 'file' | 'log' = 'log';
  for (const r of rs ?? []) {
    const t = literalOf(r.target);
    const dest: 'file' | 'log' = t === '/dev/stdout' ? out : t === '/dev/stderr' ? err : 'file';
    switch (r.operator) {
      case '>':
      case '>>':
      case '>|':
        if ((r.fd ?? 1) === 1) out = dest;
        else if (r.fd === 2) err = dest;
        break;
      case '&>':
      case '&>>':
        out = err = 'file';
        break;
      case '>&':
        if (t === '2' && (r.fd ?? 1) === 1) out = err;
        else if (t === '1' && r.fd === 2) err = out;
        else if (r.fd === null && t !== undefined && !/^\d+-?$|^-$/.test(t)) out = err = 'file';
        break;
    }
  }
  return out;
}

function literalOf(w: unknown): string | undefined {
  const parts = (w as { parts?: { type: string; value?: string }[] } | null)?.parts;
  return parts?.length === 1 && parts[0].type === 'Literal' ? parts[0].value : undefined;
}

function isLiteral(w: unknown, value: string): boolean {
  const parts = (w as { type?: string; parts?: { type: string; value?: string }[] } | null)?.parts;
  return parts?.length === 1 && parts[0].type === 'Literal' && parts[0].value === value;
}

/**
 * `yes | head -c N` and `yes | head -n N`: commands of a pipeline run one after another here, so
 * `yes` cannot be stopped by `head` exiting; this transform tells it how much `head` will read
 * (a hidden first argument, see commands/sequence.ts). Only literal arguments are read.
 */
function yesBoundPlugin() {
  const nameOf = (c: Node) => (c.type === 'SimpleCommand' ? literalOf(c.name) : undefined);
  const wants = (head: Node): string | undefined => {
    const args = ((head.args as unknown[]) ?? []).map(literalOf);
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === undefined) return undefined;
      let m: RegExpExecArray | null;
      if ((a === '-c' || a === '-n') && /^\d+$/.test(args[i + 1] ?? '')) return `${a === '-c' ? 'bytes' : 'lines'}:${args[i + 1]}`;
      if ((m = /^-([cn])(\d+)$/.exec(a))) return `${m[1] === 'c' ? 'bytes' : 'lines'}:${m[2]}`;
      if ((m = /^--(bytes|lines)=(\d+)$/.exec(a))) return `${m[1]}:${m[2]}`;
      if ((m = /^-(\d+)$/.exec(a))) return `lines:${m[1]}`;
    }
    return args.length === 0 ? 'lines:10' : undefined;
  };
  const visit = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(visit);
    if (!n || typeof n !== 'object') return n;
    const node = n as Node;
    const out = { ...node };
    for (const [k, v] of Object.entries(node)) if (v && typeof v === 'object') out[k] = visit(v);
    if (node.type === 'Pipeline') {
      const cmds = out.commands as Node[];
      out.commands = cmds.map((c, i) => {
        const next = cmds[i + 1];
        if (nameOf(c) !== 'yes' || !next || nameOf(next) !== 'head') return c;
        const want = wants(next);
        return want ? { ...c, args: [{ type: 'Word', parts: [{ type: 'Literal', value: `${YES_BOUND_ARG}${want}` }] }, ...((c.args as unknown[]) ?? [])] } : c;
      });
    }
    return out;
  };
  return {
    name: 'layerlab-yes-bound',
    transform(context: { ast: unknown; metadata: Record<string, unknown> }) {
      return { ast: visit(context.ast) as never };
    },
  };
}

/** POSIX special builtins: a redirection error on one of them ends a non-interactive dash or ash. */
const SPECIAL_BUILTINS = new Set([':', '.', 'break', 'continue', 'eval', 'exec', 'exit', 'export', 'readonly', 'return', 'set', 'shift', 'times', 'trap', 'unset']);

/**
 * Failed redirections. just-bash opens a command's `>`/`>>` target in a way that lets a refused
 * open (EACCES from the union, a missing directory) escape its interpreter and end the whole
 * script. dash and BusyBox ash print `cannot create FILE: REASON`, skip the command, set its
 * status (2 in dash, 1 in ash and bash) and go on; on a special builtin (`:`, `exec`, `set`…)
 * dash and ash exit. Checked against dash 0.5.12 and BusyBox 1.37 `sh` as a non-root user.
 * The check reads modes and owners (openForWriteError) and asks the runtime mounts (EROFS).
 * This transform rewrites every simple command with output redirections to a file,
 * `CMD >F`, as `if __layerlab_redir_check > F; then CMD >F; else __layerlab_status N; fi`
 * (or `exit N` for a special builtin in dash and ash), which keeps `$?`, `set -e`, variables and
 * `cd` of CMD as they were. It applies to nested `sh -c` scripts too.
 */
function redirectionCheckPlugin(dialect: 'dash' | 'ash' | 'bash') {
  const status = dialect === 'dash' ? 2 : 1;
  const word = (v: string) => ({ type: 'Word', parts: [{ type: 'Literal', value: v }] });
  const simple = (name: string, args: unknown[]) => ({ type: 'SimpleCommand', assignments: [], name: word(name), args, redirections: [] });
  const stmt = (cmd: unknown) => ({ type: 'Statement', pipelines: [{ type: 'Pipeline', commands: [cmd], negated: false }], operators: [], background: false });
  const fileTargets = (rs: Redirection[]) =>
    rs.filter((r) => ['>', '>>', '>|', '&>', '&>>'].includes(r.operator) && (r.target as { type?: string })?.type === 'Word');
  const nameOf = (c: Node) => {
    const parts = (c.name as { parts?: { type: string; value?: string }[] } | null)?.parts;
    return parts?.length === 1 && parts[0].type === 'Literal' ? parts[0].value : undefined;
  };
  const param = (name: string) => ({ type: 'Word', parts: [{ type: 'DoubleQuoted', parts: [{ type: 'ParameterExpansion', parameter: name, operation: null }] }] });
  const status$ = () => param('?');
  // Every plumbing command ends with `"$_"`, so `$_` (the previous command's last argument) passes through them unchanged.
  const last$ = () => param('_');
  // `__layerlab_restore && __layerlab_status 0` gives the next command the `$?` saved before our own commands ran,
  // without `set -e` stopping on it (a command before `&&` never triggers it).
  const restore = () => ({ type: 'Statement', pipelines: [{ type: 'Pipeline', commands: [simple('__layerlab_restore', [last$()])], negated: false }, { type: 'Pipeline', commands: [simple('__layerlab_status', [word('0'), last$()])], negated: false }], operators: ['&&'], background: false });
  // `{ __layerlab_to_file "$?"; __layerlab_restore && :; P; __layerlab_done "$?"; }`: the file window (outputRoomOf) around P.
  const inFileWindow = (p: Node, line: unknown): Node => ({
    type: 'Group',
    body: [stmt(simple('__layerlab_to_file', [status$(), last$()])), restore(), { type: 'Statement', pipelines: [{ ...p, negated: false }], operators: [], background: false }, stmt(simple('__layerlab_done', [status$(), last$()]))],
    redirections: [],
    line,
  });
  const visitList = (list: unknown): unknown => (Array.isArray(list) ? list.map(visitStatement) : list);
  const visitStatement = (st: Node): Node => ({
    ...st,
    pipelines: (st.pipelines as Node[]).map((p) => {
      const cmds = p.commands as Node[];
      // just-bash 3.4.2 hands a pipe's data to a `{ }` group but not to an `if` that is a pipeline
      // element (`echo q | if true; then cat; fi` prints nothing), so there the `if` goes in a group.
      const inPipe = cmds.length > 1;
      const visited = { ...p, commands: cmds.map((c) => visitCommand(c, inPipe)) };
      // A pipeline, or a compound command, whose stdout ends in a file runs in a file window as a
      // whole (a simple command gets its own in visitCommand): its stages' output is bound for the file.
      const last = cmds[cmds.length - 1];
      if (!last || (!inPipe && last.type === 'SimpleCommand') || last.type === 'FunctionDef' || stdoutDestination(last.redirections as Redirection[]) !== 'file') return visited;
      return { type: 'Pipeline', commands: [inFileWindow(visited, last.line)], negated: p.negated, ...(p.timed ? { timed: p.timed, timePosix: p.timePosix } : {}) };
    }),
  });
  const visitCommand = (c: Node, inPipe = false): Node => {
    if (c.type === 'SimpleCommand') {
      const rs = (c.redirections as Redirection[]) ?? [];
      const targets = fileTargets(rs);
      if (!targets.length || !c.name) return c;
      const name = nameOf(c) ?? '';
      const fail = SPECIAL_BUILTINS.has(name) && dialect !== 'bash' ? simple('exit', [word(String(status))]) : simple('__layerlab_status', [word(String(status))]);
      const toFile = stdoutDestination(rs) === 'file';
      // `</dev/null`: the check must not take the stdin a pipe or the script hands to CMD.
      const check = {
        // An empty word would vanish in expansion: `-` stands for a name that is not a literal.
        ...simple('__layerlab_redir_check', [word(name || '-'), word(toFile ? 'to-file' : '-'), status$(), ...targets.flatMap((r) => [word(r.operator), r.target]), last$()]),
        redirections: [{ type: 'Redirection', fd: null, operator: '<', target: word('/dev/null') }],
      };
      // just-bash answers a literal `/dev/full` target itself, as an open error; the kernel opens it
      // and fails the write (ENOSPC), which the system mounts model: the same file by another name.
      const cmd = { ...c, redirections: rs.map((r) => (isLiteral(r.target, '/dev/full') ? { ...r, target: word('/dev/./full') } : r)) };
      // The check opens the file window when CMD's stdout goes to a file; `__layerlab_done` closes it.
      const body = [restore(), stmt(cmd), ...(toFile ? [stmt(simple('__layerlab_done', [status$(), last$()]))] : [])];
      const guarded = { type: 'If', clauses: [{ condition: [stmt(check)], body }], elseBody: [stmt(fail)], redirections: [], line: c.line };
      return inPipe ? { type: 'Group', body: [stmt(guarded)], redirections: [], line: c.line } : guarded;
    }
    const out: Node = { ...c };
    for (const k of ['body', 'condition', 'elseBody']) if (Array.isArray(out[k])) out[k] = visitList(out[k]);
    if (Array.isArray(out.clauses)) out.clauses = (out.clauses as Node[]).map((k) => ({ ...k, condition: visitList(k.condition), body: visitList(k.body) }));
    if (Array.isArray(out.items)) out.items = (out.items as Node[]).map((it) => ({ ...it, body: visitList(it.body) }));
    if (c.type === 'FunctionDef') {
      if (c.body && typeof c.body === 'object') out.body = visitCommand(c.body as Node);
      return out;
    }
    // A compound command's own output redirections (`{ …; } >f`, `done >f`) are checked the same
    // way; a failure is never fatal there (no special builtin), and its status is the dialect's.
    const targets = fileTargets((c.redirections as Redirection[]) ?? []);
    if (!targets.length) return out;
    const check = {
      ...simple('__layerlab_redir_check', [word('-'), word('-'), status$(), ...targets.flatMap((r) => [word(r.operator), r.target]), last$()]),
      redirections: [{ type: 'Redirection', fd: null, operator: '<', target: word('/dev/null') }],
    };
    const guarded = { type: 'If', clauses: [{ condition: [stmt(check)], body: [restore(), stmt(out)] }], elseBody: [stmt(simple('__layerlab_status', [word(String(status))]))], redirections: [], line: c.line };
    return inPipe ? { type: 'Group', body: [stmt(guarded)], redirections: [], line: c.line } : guarded;
  };
  return {
    name: 'layerlab-redirection-check',
    transform(context: { ast: unknown; metadata: Record<string, unknown> }) {
      const ast = context.ast as Node;
      return { ast: { ...ast, statements: visitList(ast.statements) } as never };
    },
  };
}
