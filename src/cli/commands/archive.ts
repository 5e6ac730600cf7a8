/** `save` and `load`: image archives in the Docker 25+ layout (OCI layout + manifest.json). */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from '../command.ts';

export const save: Command = {
  name: 'save',
  aliases: ['image save'],
  usage: 'layerlab save [OPTIONS] IMAGE [IMAGE...]',
  summary: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
  flags: [{ long: 'output', short: 'o', kind: 'string' }],
  minArgs: 1,
  async run({ engine, args, io }) {
    const out = args.flags.output as string | undefined;
    if (!out && io.stdoutIsTty) {
      io.err('cowardly refusing to save to a terminal. Use the -o flag or redirect\n');
      return 1;
    }
    const bytes = await engine.images.save(args.positionals);
    if (out) await writeFile(resolve(io.cwd, out), bytes);
    else io.outBytes(bytes);
    return 0;
  },
};

export const load: Command = {
  name: 'load',
  aliases: ['image load'],
  usage: 'layerlab load [OPTIONS]',
  summary: 'Load an image from a tar archive or STDIN',
  flags: [
    { long: 'input', short: 'i', kind: 'string' },
    { long: 'quiet', short: 'q', kind: 'bool' },
  ],
  maxArgs: 0,
  async run({ engine, args, io }) {
    const input = args.flags.input as string | undefined;
    let bytes: Uint8Array;
    if (input) {
      try {
        bytes = new Uint8Array(await readFile(resolve(io.cwd, input)));
      } catch (e) {
        io.err(`open ${input}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}\n`);
        return 1;
      }
    } else bytes = await io.readStdin();
    if (bytes.length === 0) {
      io.err('requested load from stdin, but stdin is empty\n');
      return 1;
    }
    const lines = await engine.images.load(bytes);
    io.out(lines.map((l) => l + '\n').join(''));
    return 0;
  },
};
