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
import type { ArchiveCodec, AbortSignalLike, ShellFs, ShellUser } from './types.ts';

type JustBash = typeof import('just-bash');

/**
 * Commands that dash and BusyBox ash run as builtins, so they work without a program file
 * (just-bash registers some of them as commands), plus our program stub.
 */
const SHELL_BUILTINS: ReadonlySet<string> = new Set([
  'echo', 'printf', 'test', '[', 'true', 'false', 'pwd', 'kill', 'trap', 'type', 'ulimit', 'umask', 'wait',
  'times', 'hash', 'alias', 'unalias', PROGRAM_STUB_COMMAND,
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
}

/** What just-bash reported, plus our bookkeeping. */
export interface InterpreterResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  env: Record<string, string>;
  bytesWritten: number;
  quotaBreached: boolean;
  exitTrap?: string;
  /** INT/TERM/HUP handlers set by `trap` (an empty string ignores the signal; absent = reset). */
  signalTraps: Record<string, string | undefined>;
}

function bytesToLatin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
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

/** Runs one script through just-bash over `run.fs`. */
export async function interpret(run: InterpreterRun): Promise<InterpreterResult> {
  const jb = await loadJustBash();
  const names = new Set<string>([...jb.getCommandNames(), ...Object.keys(LAYERLAB_COMMANDS)]);
  const adapter = new UnionFsAdapter(run.fs, { commandNames: names, builtinNames: SHELL_BUILTINS, requireBinaries: run.requireBinaries, maxFsBytes: run.maxFsBytes });
  let exitTrap: string | undefined;
  const signalTraps: Record<string, string | undefined> = {};
  let bash: BashClass | undefined;

  const toResult = (o: CommandOutput) =>
    typeof o.stdout === 'string'
      ? { stdout: o.stdout, stderr: o.stderr, exitCode: o.exitCode }
      : { ...jb.bytesOutput(jb.unsafeBytesFromLatin1(bytesToLatin1(o.stdout))), stderr: o.stderr, exitCode: o.exitCode };

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
      if (interp && !interpreterExists(run.fs, interp, ctx.env.get('PATH') ?? '')) {
        // execve fails with ENOENT when the #! interpreter is missing; the shell says "not found".
        return { stdout: '', stderr: `bash: ${name}: not found\n`, exitCode: 127 };
      }
      const what = interp ? `a script for ${interp.slice(interp.lastIndexOf('/') + 1)}` : 'a binary program';
      return { stdout: '', stderr: `${name}: cannot run ${path || name}: ${what} that layerlab does not simulate\n`, exitCode: 126 };
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
    quotaBreached: adapter.quotaBreached,
    exitTrap,
    signalTraps,
  };
}
