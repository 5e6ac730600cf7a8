/**
 * One writer of the concurrency test (store-concurrency.test.ts), run as its own Node process:
 * `node --import tsx store-writer.ts ROOT WORKDIR ID ROUNDS ARCHIVE`. Each round runs CLI commands
 * through `main` with a fresh engine per command, exactly as separate `layerlab` invocations
 * would: load, build, tag, run + commit, rmi. It prints one JSON line: the tags it expects to
 * exist at the end (every tag it created minus the ones it removed) and any failed command.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/command.ts';

const [root, work, id, roundsArg, archive] = process.argv.slice(2);
const rounds = Number(roundsArg);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const o = { out: '', err: '' };
  const io: CliIo = {
    out: (s) => void (o.out += s),
    err: (s) => void (o.err += s),
    outBytes: () => undefined,
    stdoutIsTty: false,
    cwd: work,
    now: () => Date.now(),
    readStdin: async () => new Uint8Array(),
  };
  const code = await main(['--root', root, ...argv], io);
  return { code, ...o };
}

const expected = new Set<string>();
const failures: string[] = [];
const check = async (...argv: string[]) => {
  const r = await cli(...argv);
  if (r.code !== 0) failures.push(`${argv.join(' ')} → ${r.code}: ${r.err.trim()}`);
  return r;
};

for (let r = 0; r < rounds; r++) {
  await check('load', '-q', '-i', archive);
  const ctx = join(work, `ctx-${r}`);
  mkdirSync(ctx, { recursive: true });
  writeFileSync(join(ctx, 'file.txt'), `writer ${id} round ${r}\n`);
  writeFileSync(join(ctx, 'Dockerfile'), `FROM alpine:3.22\nCOPY file.txt /w/file.txt\nRUN echo ${id}-${r} > /w/run.txt\n`);
  const built = `w${id}:b${r}`;
  if ((await check('build', '-q', '-t', built, ctx)).code === 0) expected.add(built);
  if ((await check('tag', built, `w${id}:t${r}`)).code === 0) expected.add(`w${id}:t${r}`);
  const name = `c${id}-${r}`;
  if ((await check('run', '--name', name, built, 'sh', '-c', `echo ${r} > /committed.txt`)).code === 0) {
    if ((await check('commit', name, `w${id}:c${r}`)).code === 0) expected.add(`w${id}:c${r}`);
    await check('rm', name);
  }
  if (r > 0 && (await check('rmi', `w${id}:t${r - 1}`)).code === 0) expected.delete(`w${id}:t${r - 1}`);
}
process.stdout.write(JSON.stringify({ id, expected: [...expected], failures }) + '\n');
