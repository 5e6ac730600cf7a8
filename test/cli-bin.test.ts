/**
 * `npx layerlab` after `npm ci`: bin/layerlab.mjs runs the bundle `prepare` built in dist/cli/,
 * rebuilds it when a source is newer (so the CLI and the sources always agree), and falls back
 * to running the TypeScript through tsx when it cannot build. The other CLI suites call
 * src/cli/main.ts in-process (fast, same code); this one runs the real entry in child processes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import type { CliIo } from '../src/cli/command.ts';
import { ROOT } from './helpers.ts';

const BIN = join(ROOT, 'bin', 'layerlab.mjs');
const run = (args: string[], env: Record<string, string> = {}) => execFileSync('node', [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('the layerlab bin entry', () => {
  it('prints its version and an empty image list on a fresh --root', () => {
    expect(run(['--version'])).toBe('layerlab version 0.1.0\n');
    const root = mkdtempSync(join(tmpdir(), 'layerlab-bin-'));
    expect(run(['--root', root, 'images'])).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\n$/);
  });

  it('exits like docker on an unknown command', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync('node', [BIN, 'nosuch'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = (e as { stderr: string }).stderr;
    }
    expect(status).toBe(1);
    expect(stderr).toContain("'nosuch' is not a layerlab command");
  });

  it('prints the same help as the sources it was built from', async () => {
    let out = '';
    const io = { out: (s: string) => void (out += s), err: () => {} } as unknown as CliIo;
    await main(['--help'], io);
    expect(run(['--help'])).toBe(out);
  });

  it('rebuilds when a source is newer than the bundle, and only then', () => {
    const dist = mkdtempSync(join(tmpdir(), 'layerlab-dist-'));
    const current = () => JSON.parse(readFileSync(join(dist, 'current.json'), 'utf8')) as { dir: string; inputs: string[] };
    run(['--version'], { LAYERLAB_CLI_DIST: dist });
    const first = current();
    expect(first.inputs).toContain('src/cli/main.ts');
    expect(first.inputs).toContain('src/engine/index.ts');
    run(['--version'], { LAYERLAB_CLI_DIST: dist });
    expect(current().dir).toBe(first.dir);
    // Touch one source (content unchanged): the next start must rebuild.
    const src = join(ROOT, 'src', 'cli', 'format.ts');
    const { atime, mtime } = statSync(src);
    utimesSync(src, atime, new Date(Date.now() + 2000));
    try {
      expect(run(['--version'], { LAYERLAB_CLI_DIST: dist })).toBe('layerlab version 0.1.0\n');
      expect(current().dir).not.toBe(first.dir);
    } finally {
      utimesSync(src, atime, mtime);
    }
  });

  it('compiles the bundle with a V8 code cache: written by the build, and a corrupt one is replaced', () => {
    const dist = mkdtempSync(join(tmpdir(), 'layerlab-dist-'));
    run(['--version'], { LAYERLAB_CLI_DIST: dist });
    const { dir, entry } = JSON.parse(readFileSync(join(dist, 'current.json'), 'utf8')) as { dir: string; entry: string };
    const cache = join(dist, dir, `${entry}.cache`);
    // The build's warm-up run (a scratch build, then images) wrote it.
    const warm = readFileSync(cache);
    expect(warm.length).toBeGreaterThan(100_000);
    // A cache V8 rejects (here: garbage) costs a compile, never a wrong result, and is rewritten.
    writeFileSync(cache, Buffer.from('not a V8 code cache'));
    const root = mkdtempSync(join(tmpdir(), 'layerlab-bin-'));
    expect(run(['--root', root, 'images'], { LAYERLAB_CLI_DIST: dist })).toMatch(/^REPOSITORY\s+TAG/);
    expect(readFileSync(cache).length).toBeGreaterThan(100_000);
  });

  it('runs the sources through tsx when it cannot build', () => {
    const root = mkdtempSync(join(tmpdir(), 'layerlab-bin-'));
    expect(run(['--root', root, 'images'], { LAYERLAB_CLI_DIST: '/dev/null/cannot-build-here' })).toMatch(/^REPOSITORY\s+TAG/);
  });

  it('pull prints docker\'s plain per-layer lines on a pipe, in order, with Already exists for a layer it has', { timeout: 180_000 }, () => {
    const root = mkdtempSync(join(tmpdir(), 'layerlab-bin-'));
    const cli = (...args: string[]) => run(['--root', root, ...args]);
    // A pipe (execFileSync) is not a terminal: docker drops the bar-carrying `Downloading` and
    // `Extracting` there and prints the rest as plain lines.
    const first = cli('pull', 'alpine:3.22').trimEnd().split('\n');
    expect(first[0]).toBe('3.22: Pulling from library/alpine');
    const base = /^([0-9a-f]{12}): Pulling fs layer$/.exec(first[1])?.[1];
    expect(base).toBeDefined();
    expect(first.slice(1, 4)).toEqual([`${base}: Pulling fs layer`, `${base}: Download complete`, `${base}: Pull complete`]);
    expect(first[4]).toMatch(/^Digest: sha256:[0-9a-f]{64}$/);
    expect(first.slice(5)).toEqual(['Status: Downloaded newer image for alpine:3.22', 'docker.io/library/alpine:3.22']);

    // An image on alpine pushed to the lab registry, removed, pulled back: the alpine layer is here already.
    const ctx = join(root, 'ctx');
    mkdirSync(ctx);
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM alpine:3.22\nRUN echo hi > /hello\n');
    cli('build', '-q', '-t', 'localhost:5000/app:1', ctx);
    cli('push', 'localhost:5000/app:1');
    cli('rmi', 'localhost:5000/app:1');
    const again = cli('pull', 'localhost:5000/app:1').trimEnd().split('\n');
    const app = /^([0-9a-f]{12}): Pulling fs layer$/.exec(again[2])?.[1];
    expect(app).toBeDefined();
    expect(app).not.toBe(base);
    expect(again.slice(0, 7)).toEqual([
      '1: Pulling from app',
      `${base}: Already exists`,
      `${app}: Pulling fs layer`,
      `${app}: Verifying Checksum`,
      `${app}: Download complete`,
      `${app}: Pull complete`,
      again[6],
    ]);
    expect(again[6]).toMatch(/^Digest: sha256:[0-9a-f]{64}$/);
    expect(again.slice(7)).toEqual(['Status: Downloaded newer image for localhost:5000/app:1', 'localhost:5000/app:1']);
    expect(again.join('\n')).not.toMatch(/Downloading|Extracting/);
  });
});
