/**
 * `layerlab build --output` / `-o`: the final stage's filesystem written as BuildKit's local and
 * tar exporters write it (files with modes and mtimes, symlinks as links), the exporter's plain
 * progress step, and buildx's errors for outputs the lab does not have.
 */
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import type { CliIo } from '../src/cli/command.ts';
import { readLayerTar } from '../src/engine/image/tar.ts';

let root: string;
let work: string;
const cli = async (...argv: string[]) => {
  const o = { out: '', err: '', bytes: [] as Uint8Array[] };
  const io: CliIo = {
    out: (s) => void (o.out += s), err: (s) => void (o.err += s), outBytes: (b) => void o.bytes.push(b), stdoutIsTty: false, cwd: work,
    now: () => Date.now(), readStdin: async () => new Uint8Array(),
  };
  const code = await main(['--root', root, ...argv], io);
  return { code, ...o };
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'layerlab-out-'));
  work = mkdtempSync(join(tmpdir(), 'layerlab-out-work-'));
  writeFileSync(
    join(work, 'Dockerfile'),
    'FROM alpine:3.22 AS build\nRUN mkdir /out && echo hello > /out/hello.txt && chmod 750 /out/hello.txt && ln -s hello.txt /out/link && mkdir /out/sub && echo x > /out/sub/x\n' +
      'FROM scratch\nCOPY --from=build /out/ /\n',
  );
});

describe('build --output', () => {
  it('-o DIR writes the final stage\'s files, modes and symlinks, and prints the exporter step', async () => {
    const r = await cli('build', '-o', 'dist', '.');
    expect(r.code, r.err).toBe(0);
    const dist = join(work, 'dist');
    expect(readFileSync(join(dist, 'hello.txt'), 'utf8')).toBe('hello\n');
    expect(lstatSync(join(dist, 'hello.txt')).mode & 0o777).toBe(0o750);
    expect(lstatSync(join(dist, 'link')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dist, 'link'))).toBe('hello.txt');
    expect(readFileSync(join(dist, 'sub/x'), 'utf8')).toBe('x\n');
    // Only the final stage: nothing of alpine.
    expect(existsSync(join(dist, 'etc'))).toBe(false);
    expect(r.err).toMatch(/^#(\d+) exporting to client directory\n#\1 copying files 8B [\d.]+s done\n#\1 DONE [\d.]+s\n$/m);
  });

  it('--output type=local,dest=… is the same; type=tar,dest=FILE writes one tar; -o - writes the tar to stdout', async () => {
    expect((await cli('build', '--output', 'type=local,dest=out2', '.')).code).toBe(0);
    expect(readFileSync(join(work, 'out2/hello.txt'), 'utf8')).toBe('hello\n');
    const t = await cli('build', '--output', 'type=tar,dest=fs.tar', '.');
    expect(t.code, t.err).toBe(0);
    expect(t.err).toMatch(/#(\d+) exporting to client tarball\n#\1 sending tarball [\d.]+s done\n/);
    const tree = await readLayerTar(new Uint8Array(readFileSync(join(work, 'fs.tar'))), { what: 'test' });
    const paths = [...tree.walk()].map(([p]) => p);
    expect(paths).toEqual(expect.arrayContaining(['/hello.txt', '/link', '/sub', '/sub/x']));
    const stdout = await cli('build', '-o', '-', '.');
    expect(stdout.code).toBe(0);
    expect(Buffer.concat(stdout.bytes).equals(readFileSync(join(work, 'fs.tar')))).toBe(true);
  });

  it('refuses a tar to a terminal and outputs the lab does not have, as buildx does', async () => {
    const o = { err: '' };
    const io: CliIo = { out: () => {}, err: (s) => void (o.err += s), outBytes: () => {}, stdoutIsTty: true, cwd: work, now: () => Date.now(), readStdin: async () => new Uint8Array() };
    expect(await main(['--root', root, 'build', '-o', '-', '.'], io)).toBe(1);
    expect(o.err).toBe('ERROR: output file is required for tar exporter. refusing to write to console\n');
    expect(await cli('build', '--output', 'type=registry', '.')).toMatchObject({ code: 1, err: expect.stringContaining('output type registry is not available in the lab') });
    expect(await cli('build', '--output', 'type=local', '.')).toMatchObject({ code: 1, err: 'ERROR: dest is required for local output\n' });
  });
});
