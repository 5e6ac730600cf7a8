/**
 * The shape of the commands layerlab adds to the interpreter (chown, id, useradd, tar, …): plain
 * functions over a `CommandIO`, independent of just-bash, so they can be tested and swapped alone.
 */
import { FsError } from '../../errors.ts';
import type { ArchiveCodec, ShellFs, ShellUser } from '../types.ts';
import { resolvePath } from '../../fs/path.ts';
import type { PackageCatalogs } from '../packages/apt-catalog.ts';

/** What a command sees: its arguments, the filesystem, the process state and the injected codecs. */
export interface CommandIO {
  name: string;
  args: string[];
  fs: ShellFs;
  cwd: string;
  env: Map<string, string>;
  stdin: Uint8Array;
  user: ShellUser;
  archive?: ArchiveCodec;
  /** The offline package archives (apt) that package managers install from; absent in tests that do not need them. */
  packages?: PackageCatalogs;
  /** The executable's path as it was called (`/venv/bin/pip`), when the command runs as a file found on PATH. */
  program?: string;
  /** Seconds since the epoch (the build's clock). */
  now(): number;
  /** Counts bytes against the run's filesystem quota (throws when it is exceeded). */
  countWrite(bytes: number): void;
  /**
   * Simulation: adds the time this command would take on real hardware and network (npm's modelled
   * download time) to the run's simulated time; the lab itself finishes in milliseconds.
   */
  simulateTime?(ms: number): void;
  /** Records a `trap` handler for EXIT (run by the shell when the script ends). */
  setExitTrap?(handler: string | undefined): void;
  /** Records (or with undefined, resets) a `trap` handler for INT, TERM or HUP. */
  setSignalTrap?(signal: string, handler: string | undefined): void;
  /** Switches the credentials of this process and its children (su, su-exec, gosu). */
  setUser?(user: ShellUser): void;
  /**
   * Bytes this command may produce in one go (its output is held in memory until a redirection or
   * pipe takes it): the output limit, or, while its stdout goes to a file, the filesystem quota left.
   */
  outputRoom?(): number;
  /** Stops the run at a limit (the quota or the output limit) because this command's output would pass `outputRoom()`; returns the command's result. */
  outputTooLarge?(): CommandOutput;
  /** Runs a command line in a child shell (`find -exec`, `xargs`, `su -c`); stdin is text. */
  exec?(script: string, opts?: { stdin?: string; env?: Record<string, string> }): Promise<CommandOutput>;
}

/** A command's result; binary stdout is a Uint8Array. */
export interface CommandOutput {
  stdout: string | Uint8Array;
  stderr: string;
  exitCode: number;
}

/** A layerlab command. */
export type ShellCommand = (io: CommandIO) => Promise<CommandOutput> | CommandOutput;

/** Success with text on stdout. */
export function ok(stdout: string | Uint8Array = ''): CommandOutput {
  return { stdout, stderr: '', exitCode: 0 };
}

/** Failure with a message on stderr. */
export function fail(stderr: string, exitCode = 1): CommandOutput {
  return { stdout: '', stderr: stderr.endsWith('\n') || stderr === '' ? stderr : stderr + '\n', exitCode };
}

/** An absolute path for a command argument. */
export function abs(io: CommandIO, p: string): string {
  return resolvePath(io.cwd, p);
}

/** The text a tool prints for a failed syscall (`No such file or directory`). */
export function errText(e: unknown): string {
  if (e instanceof FsError) return e.description;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Reads a text file, or undefined if it does not exist. */
export function readText(fs: ShellFs, path: string): string | undefined {
  try {
    return new TextDecoder().decode(fs.readFile(path));
  } catch (e) {
    if (e instanceof FsError && e.errno === 'ENOENT') return undefined;
    throw e;
  }
}

/** Writes a text file through the quota. */
export function writeText(io: CommandIO, path: string, text: string, mode?: number): void {
  const data = new TextEncoder().encode(text);
  io.countWrite(data.length);
  io.fs.writeFile(path, data, mode === undefined ? undefined : { mode });
}

/** True if the path exists (symlinks followed). */
export function exists(fs: ShellFs, path: string): boolean {
  try {
    fs.stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A small getopt: `spec` lists option letters, a letter followed by `:` takes a value; `long` maps
 * long names to letters. Returns options (last value wins, flags are 'true') and operands.
 */
export function getopt(
  args: string[],
  spec: string,
  long: Record<string, string> = {},
): { opts: Map<string, string>; rest: string[]; error?: string } {
  const opts = new Map<string, string>();
  const rest: string[] = [];
  const takes = (c: string) => spec.includes(c + ':');
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      rest.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      const letter = long[name];
      if (!letter) return { opts, rest, error: `unrecognized option '${a}'` };
      if (takes(letter)) {
        const v = eq > 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined) return { opts, rest, error: `option '${a}' requires an argument` };
        opts.set(letter, v);
      } else opts.set(letter, 'true');
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (!spec.includes(c)) return { opts, rest, error: `invalid option -- '${c}'` };
        if (takes(c)) {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) return { opts, rest, error: `option requires an argument -- '${c}'` };
          opts.set(c, v);
          break;
        }
        opts.set(c, 'true');
      }
      continue;
    }
    rest.push(a);
  }
  return { opts, rest };
}
