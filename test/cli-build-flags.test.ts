/** `layerlab build --secret` and `--iidfile`, through the CLI as a user types them. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.ts';

let root: string;
let work: string;
const cli = (...argv: string[]) => runCli(root, work, argv);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'layerlab-bf-'));
  work = mkdtempSync(join(tmpdir(), 'layerlab-bf-work-'));
  writeFileSync(join(work, 'Dockerfile'), 'FROM alpine:3.22\nRUN --mount=type=secret,id=tok,required=true wc -c < /run/secrets/tok > /len\n');
  writeFileSync(join(work, 'tok.txt'), 'abcd');
});

describe('layerlab build --secret / --iidfile', () => {
  it('mounts a secret from a file and writes the image ID to --iidfile', async () => {
    const r = await cli('build', '--secret', 'id=tok,src=tok.txt', '--iidfile', 'iid.txt', '-t', 'sec:1', '.');
    expect(r.code, r.err).toBe(0);
    const iid = readFileSync(join(work, 'iid.txt'), 'utf8');
    expect(iid).toMatch(/^sha256:[0-9a-f]{64}$/);
    const ins = await cli('image', 'inspect', 'sec:1');
    expect(JSON.parse(ins.out)[0].Id).toBe(iid);
  });

  it('fails when the required secret is not given, and when its file is missing', async () => {
    const r = await cli('build', '--no-cache', '.');
    expect(r.code).toBe(1);
    expect(r.err).toContain('secret tok not found');
    const m = await cli('build', '--secret', 'id=tok,src=missing.txt', '.');
    expect(m.code).toBe(1);
    expect(m.err).toContain('missing.txt');
  });

  it('--label sets labels on the image config over the Dockerfile\'s', async () => {
    writeFileSync(join(work, 'Dockerfile.label'), 'FROM alpine:3.22\nLABEL a=from-dockerfile b=kept\n');
    const r = await cli('build', '-f', 'Dockerfile.label', '--label', 'a=from-cli', '--label', 'c=3', '-t', 'lab:1', '.');
    expect(r.code, r.err).toBe(0);
    const ins = JSON.parse((await cli('image', 'inspect', 'lab:1')).out)[0];
    expect(ins.Config.Labels).toEqual({ a: 'from-cli', b: 'kept', c: '3' });
  });

  it('reads a secret from an environment variable', async () => {
    process.env.LAYERLAB_TEST_TOKEN = 'xyz';
    const r = await cli('build', '--no-cache', '--secret', 'id=tok,env=LAYERLAB_TEST_TOKEN', '-q', '.');
    delete process.env.LAYERLAB_TEST_TOKEN;
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^sha256:/);
  });
});

describe('layerlab builder prune', () => {
  it('reports the cache mounts\' bytes it freed and empties them', async () => {
    writeFileSync(join(work, 'Dockerfile.cache'), 'FROM alpine:3.22\nRUN --mount=type=cache,target=/c printf 1234567890 > /c/ten\n');
    expect((await cli('build', '-f', 'Dockerfile.cache', '.')).code).toBe(0);
    const r = await cli('builder', 'prune', '-f');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('Total:\t10B\n');
    expect((await cli('builder', 'prune', '-a', '-f')).out).toBe('Total:\t0B\n');
  });
});

describe('layerlab volume prune', () => {
  it('removes unused named volumes only with --all', async () => {
    expect((await cli('volume', 'create', 'keepme')).code).toBe(0);
    const plain = await cli('volume', 'prune', '-f');
    expect(plain.out).toBe('Total reclaimed space: 0B\n');
    expect((await cli('volume', 'ls')).out).toContain('keepme');
    const all = await cli('volume', 'prune', '-a', '-f');
    expect(all.out).toBe('Deleted Volumes:\nkeepme\n\nTotal reclaimed space: 0B\n');
    expect((await cli('volume', 'ls')).out).not.toContain('keepme');
  });
});
