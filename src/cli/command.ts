/**
 * What a CLI command is: a name, usage text, flag specs, and a `run` that talks to the engine
 * and writes to stdout/stderr. Errors thrown from `run` are printed by main.ts the docker way.
 */
import type { Engine } from '../engine/index.ts';
import { LayerlabError } from '../engine/errors.ts';
import type { FlagSpec, ParsedArgs } from './args.ts';

/** Output streams plus process facts a command may need. */
export interface CliIo {
  out(s: string): void;
  err(s: string): void;
  /** Raw bytes to stdout (save without -o). */
  outBytes(b: Uint8Array): void;
  stdoutIsTty: boolean;
  readStdin(): Promise<Uint8Array>;
  /** Stdin as chunks while they arrive (`load` streams); absent: `readStdin` is used. */
  stdinChunks?(): AsyncIterable<Uint8Array>;
  /** Lines of stdin as they are typed (a terminal shows `prompt`); absent: read stdin whole. */
  readLines?(prompt: () => string): AsyncIterable<string>;
  cwd: string;
  now(): number;
}

/** Context handed to a command's run. */
export interface CommandContext {
  engine: Engine;
  args: ParsedArgs;
  io: CliIo;
  /** The store directory (`--root`). */
  root: string;
}

/** One `layerlab <verb>` command. */
export interface Command {
  name: string;
  aliases?: string[];
  usage: string;
  summary: string;
  flags: FlagSpec[];
  /** Minimum positionals; fewer prints docker's "requires at least N argument" error. */
  minArgs?: number;
  maxArgs?: number;
  /** Flags end at the first positional (run IMAGE CMD…). */
  stopAtPositional?: boolean;
  run(ctx: CommandContext): Promise<number | void>;
}

/** The docker CLI's error for a wrong number of arguments (cli/required.go). */
export function argCountError(cmd: Command, min: number, max: number | undefined, full: string): string {
  const n = min === 1 ? '1 argument' : `${min} arguments`;
  const what =
    max === min ? `exactly ${n}` : max === undefined ? `at least ${n}` : min === 0 ? `at most ${max} argument${max === 1 ? '' : 's'}` : `at least ${n}`;
  return `"${full}" requires ${what}.\nSee '${full} --help'.\n\nUsage:  ${cmd.usage}\n\n${cmd.summary}`;
}

/** Docker prints daemon errors as `Error response from daemon: …`; ours already carry that prefix where docker has it. */
export function formatError(e: unknown): string {
  if (e instanceof LayerlabError) {
    if (/^(Error|ERROR)\b/.test(e.message)) return e.message;
    return `Error response from daemon: ${e.message}`;
  }
  return `Error: ${e instanceof Error ? e.message : String(e)}`;
}
