/** `save` and `load`: image archives in the Docker 25+ layout (OCI layout + manifest.json). */
import { open, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { DEFAULT_IMAGE_LIMITS, parseByteSize, type ImageLimits } from '../../engine/image/limits.ts';

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

/** The image limits `load` takes from `--max-layer-size` or `$LAYERLAB_MAX_LAYER_SIZE` (`512m`, `2g`, bytes). */
function loadLimits(flag: string | undefined): Partial<ImageLimits> | string {
  const text = flag ?? process.env.LAYERLAB_MAX_LAYER_SIZE;
  if (text === undefined || text === '') return {};
  const n = parseByteSize(text);
  if (n === undefined) return `invalid size: '${text}' (use bytes or a unit: 512m, 2g)`;
  // One knob for a user: a layer, the archive and a file inside may each be that large.
  return { maxLayerBytes: n, maxArchiveBytes: n, maxFileBytes: n, maxLoadBytes: Math.max(2 * n, DEFAULT_IMAGE_LIMITS.maxLoadBytes) };
}

/** `chunks` if it yields anything (the first chunk is kept and replayed), else undefined. */
async function nonEmpty(chunks: AsyncIterable<Uint8Array>): Promise<AsyncIterable<Uint8Array> | undefined> {
  const it = chunks[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.length === 0) first = await it.next();
  if (first.done) return undefined;
  const head = first.value;
  return (async function* () {
    yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  })();
}

export const load: Command = {
  name: 'load',
  aliases: ['image load'],
  usage: 'layerlab load [OPTIONS]',
  summary: 'Load an image from a tar archive or STDIN',
  flags: [
    { long: 'input', short: 'i', kind: 'string', description: 'Read from tar archive file, instead of STDIN' },
    { long: 'quiet', short: 'q', kind: 'bool' },
    { long: 'max-layer-size', kind: 'string', description: 'Largest layer, archive or file accepted, uncompressed (default 1g; env LAYERLAB_MAX_LAYER_SIZE)' },
  ],
  maxArgs: 0,
  async run({ engine, args, io }) {
    const input = args.flags.input as string | undefined;
    const limits = loadLimits(args.flags['max-layer-size'] as string | undefined);
    if (typeof limits === 'string') {
      io.err(`${limits}\n`);
      return 125;
    }
    let source: AsyncIterable<Uint8Array> | undefined;
    if (input) {
      // Streamed from disk: a bomb is refused after its first megabytes, not after reading it whole.
      const path = resolve(io.cwd, input);
      try {
        const fh = await open(path, 'r');
        source = await nonEmpty(fh.createReadStream({ highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>);
      } catch (e) {
        io.err(`open ${input}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}\n`);
        return 1;
      }
    } else source = await nonEmpty(io.stdinChunks ? io.stdinChunks() : (async function* () { yield await io.readStdin(); })());
    if (!source) {
      io.err('requested load from stdin, but stdin is empty\n');
      return 1;
    }
    const lines = await engine.images.load(source, { limits });
    io.out(lines.map((l) => l + '\n').join(''));
    return 0;
  },
};
