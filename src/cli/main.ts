/**
 * `layerlab` — a docker-like CLI over the engine. Global flags: `--root DIR` (the store directory;
 * default `$LAYERLAB_ROOT` or `~/.layerlab`). Output, errors and exit codes follow the docker CLI:
 * usage errors exit 125 (pflag errors) or 1 (argument count), daemon errors print
 * `Error response from daemon: …` and exit 1.
 */
import { createEngine, setShellImporter, type Engine } from '../engine/index.ts';
import { LayerlabError } from '../engine/errors.ts';
import { parseArgs, UsageError } from './args.ts';
import { argCountError, formatError, type CliIo, type Command } from './command.ts';
import { defaultRoot, importShellInterpreter, nodeHost } from './host-node.ts';

setShellImporter(importShellInterpreter);
import * as imageCommands from './commands/images.ts';
import * as archiveCommands from './commands/archive.ts';
import * as buildCommands from './commands/build.ts';
import * as containerCommands from './commands/containers.ts';
import * as registryCommands from './commands/registry.ts';
import * as lifecycleCommands from './commands/lifecycle.ts';

/** Every command, found by name or alias (multi-word names like `image inspect` included). */
export const COMMANDS: Command[] = [buildCommands, imageCommands, archiveCommands, containerCommands, lifecycleCommands, registryCommands].flatMap(exportsInOrder).filter(isCommand);

/**
 * A module's exports sorted by name: what an ES module namespace object lists natively, made
 * explicit so every loader (node, the bundle, vitest's transform, which keeps declaration order)
 * prints the same help.
 */
function exportsInOrder(m: Record<string, unknown>): unknown[] {
  return Object.keys(m).sort().map((k) => m[k]);
}

// A module's exports also hold helpers (`readContextDir`, `registryEngine`): commands are the objects with a name and run().
function isCommand(x: unknown): x is Command {
  return typeof x === 'object' && x !== null && typeof (x as Command).name === 'string' && typeof (x as Command).run === 'function';
}

function findCommand(argv: string[]): { cmd: Command; rest: string[]; full: string } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const cmd = COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
    if (cmd) return { cmd, rest: argv.slice(words), full: `layerlab ${name}` };
  }
  return undefined;
}

/** `layerlab --help`: the command table, names padded to the longest (as cobra does) so none runs into its summary. */
export function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 3;
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`);
  return `Usage:  layerlab [OPTIONS] COMMAND\n\nA container-image lab: Docker's layers, cache and union filesystem, for real.\n\nOptions:\n      --root string   Store directory (default "$LAYERLAB_ROOT" or "~/.layerlab")\n\nCommands:\n${lines.join('\n')}\n`;
}

function commandHelp(c: Command): string {
  const flags = c.flags.map((f) => `  ${f.short ? `-${f.short}, ` : '    '}--${f.long}${f.kind === 'bool' ? '' : ' ' + (f.kind === 'list' ? 'list' : 'string')}${f.description ? '   ' + f.description : ''}`);
  return `\nUsage:  ${c.usage}\n\n${c.summary}\n${flags.length ? `\nOptions:\n${flags.join('\n')}\n` : ''}`;
}

/** Stdin line by line; on a terminal each line is prompted for, so `run -it` feels like a shell. */
async function* readLinesFromStdin(prompt: () => string): AsyncIterable<string> {
  const { createInterface } = await import('node:readline');
  const tty = !!process.stdin.isTTY;
  const rl = createInterface({ input: process.stdin, output: tty ? process.stdout : undefined, terminal: tty });
  try {
    if (tty) {
      rl.setPrompt(prompt());
      rl.prompt();
    }
    for await (const line of rl) {
      yield line;
      if (tty) {
        rl.setPrompt(prompt());
        rl.prompt();
      }
    }
  } finally {
    rl.close();
  }
}

/** The process's standard streams as a CliIo. */
export function processIo(): CliIo {
  return {
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
    outBytes: (b) => void process.stdout.write(b),
    stdoutIsTty: !!process.stdout.isTTY,
    cwd: process.cwd(),
    now: () => Date.now(),
    readLines: (prompt) => readLinesFromStdin(prompt),
    stdinChunks: () => (process.stdin.isTTY ? [] : process.stdin) as AsyncIterable<Uint8Array>,
    readStdin: async () => {
      if (process.stdin.isTTY) return new Uint8Array();
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
  };
}

/** Runs the CLI; returns the exit code. `engine` may be injected (tests). */
export async function main(argv: string[], io: CliIo = processIo(), engineIn?: Engine): Promise<number> {
  let root = defaultRoot();
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--root') root = argv[++i] ?? root;
    else if (a.startsWith('--root=')) root = a.slice(7);
    else if (a === '--help' || a === '-h') {
      io.out(help());
      return 0;
    } else if (a === '--version' || a === '-v') {
      io.out('layerlab version 0.1.0\n');
      return 0;
    } else break;
  }
  const rest = argv.slice(i);
  if (rest.length === 0) {
    io.out(help());
    return 0;
  }
  const found = findCommand(rest);
  if (!found) {
    io.err(`layerlab: '${rest[0]}' is not a layerlab command.\nSee 'layerlab --help'\n`);
    return 1;
  }
  const { cmd, full } = found;
  if (found.rest.includes('--help') && !cmd.stopAtPositional) {
    io.out(commandHelp(cmd));
    return 0;
  }
  let args;
  try {
    args = parseArgs(found.rest, cmd.flags, { stopAtPositional: cmd.stopAtPositional });
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\nSee '${full} --help'.\n`);
      return 125;
    }
    throw e;
  }
  const n = args.positionals.length;
  if ((cmd.minArgs !== undefined && n < cmd.minArgs) || (cmd.maxArgs !== undefined && n > cmd.maxArgs)) {
    io.err(argCountError(cmd, cmd.minArgs ?? 0, cmd.maxArgs, full) + '\n');
    return 1;
  }
  const engine = engineIn ?? createEngine(nodeHost(root));
  try {
    const code = await cmd.run({ engine, args, io, root });
    return code ?? 0;
  } catch (e) {
    io.err(formatError(e) + '\n');
    return e instanceof LayerlabError && typeof e.data.exitCode === 'number' ? e.data.exitCode : 1;
  }
}

export { formatError } from './command.ts';
