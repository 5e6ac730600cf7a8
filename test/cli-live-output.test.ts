/**
 * The CLI prints a container's output as the process prints it (docker attaches to the streams):
 * `run --rm busybox sh -c 'echo a; sleep 1; echo b'` writes `a` a second before `b`; `exec` the
 * same; `logs -f` in another process follows a `run -d` until the container exits, and `attach`
 * prints what it prints from then on and exits with its code. The real bin
 * entry runs in child processes and each stdout chunk is timed on arrival. Only lower bounds the
 * `sleep 1` guarantees are asserted, never upper ones.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.ts';

const BIN = join(ROOT, 'bin', 'layerlab.mjs');
let root: string;
const cli = (args: string[]) => execFileSync('node', [BIN, '--root', root, ...args], { encoding: 'utf8' });

/** Runs the CLI; `chunks` fills as stdout arrives (each with its arrival time, ms); `done` resolves with the exit code. */
function spawnCli(args: string[]) {
  const child = spawn('node', [BIN, '--root', root, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: { text: string; at: number }[] = [];
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => chunks.push({ text, at: performance.now() }));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const done = new Promise<{ code: number; chunks: typeof chunks; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, chunks, stderr }));
  });
  return { chunks, done };
}
const timed = (args: string[]) => spawnCli(args).done;

/** When the first chunk containing `text` arrived. */
const arrival = (chunks: { text: string; at: number }[], text: string) => {
  const c = chunks.find((x) => x.text.includes(text));
  if (!c) throw new Error(`no chunk with ${JSON.stringify(text)} in ${JSON.stringify(chunks.map((x) => x.text))}`);
  return c.at;
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'layerlab-live-'));
  cli(['pull', 'busybox']);
}, 120_000);

describe('live output in the CLI', () => {
  it('run: `a` is printed a second before `b`', async () => {
    const r = await timed(['run', '--rm', 'busybox', 'sh', '-c', 'echo a; sleep 1; echo b']);
    expect(r.code).toBe(0);
    expect(r.chunks.map((c) => c.text).join('')).toBe('a\nb\n');
    expect(arrival(r.chunks, 'b\n') - arrival(r.chunks, 'a\n')).toBeGreaterThanOrEqual(900);
  }, 60_000);

  it('exec: the same, into a running container; the exit code is the process`s', async () => {
    cli(['run', '-dit', '--name', 'box', 'busybox', 'sh']);
    const r = await timed(['exec', 'box', 'sh', '-c', 'echo one; sleep 1; echo two; exit 3']);
    expect(r.code).toBe(3);
    expect(r.chunks.map((c) => c.text).join('')).toBe('one\ntwo\n');
    expect(arrival(r.chunks, 'two\n') - arrival(r.chunks, 'one\n')).toBeGreaterThanOrEqual(900);
  }, 60_000);

  it('logs -f follows a run -d from another process until the container exits', async () => {
    const started = spawnCli(['run', '-d', '--name', 'bg', 'busybox', 'sh', '-c', 'echo first; sleep 1; echo second; sleep 4; echo third']);
    // `run -d` prints the ID once the container runs; then follow it from another process.
    const deadline = performance.now() + 30_000;
    while (!started.chunks.length) {
      if (performance.now() > deadline) throw new Error('run -d printed no ID');
      await new Promise((r) => setTimeout(r, 20));
    }
    const follow = await timed(['logs', '-f', 'bg']);
    const run = await started.done;
    expect(run.code).toBe(0);
    expect(run.chunks.map((c) => c.text).join('')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(follow.code).toBe(0);
    expect(follow.chunks.map((c) => c.text).join('')).toBe('first\nsecond\nthird\n');
    // logs -f began within the container's 5 s; `third`, printed 4 s after `second`, came later than
    // what was there when it began (whenever that was): at least a second after `first`.
    expect(arrival(follow.chunks, 'third\n') - arrival(follow.chunks, 'first\n')).toBeGreaterThanOrEqual(1000);
  }, 60_000);

  it('run -d of a program that cannot start prints no ID, as docker (the ID comes after a successful start)', async () => {
    const r = await timed(['run', '-d', 'busybox', 'nosuchprog']);
    expect(r.code).toBe(127);
    expect(r.chunks).toEqual([]);
    expect(r.stderr).toContain('exec: "nosuchprog": executable file not found in $PATH');
  }, 60_000);

  it('attach: what the container prints from then on, then its exit code', async () => {
    const started = spawnCli(['run', '-d', '--name', 'job', 'busybox', 'sh', '-c', 'echo early; sleep 4; echo late; exit 5']);
    // Attach once `early` is in the log: attach shows output from then on, not the past.
    const deadline = performance.now() + 30_000;
    while (!(started.chunks.length && cli(['logs', 'job']).includes('early'))) {
      if (performance.now() > deadline) throw new Error('job never printed early');
      await new Promise((r) => setTimeout(r, 50));
    }
    const attached = await timed(['attach', 'job']);
    expect((await started.done).code).toBe(0);
    expect(attached.code).toBe(5);
    expect(attached.chunks.map((c) => c.text).join('')).toBe('late\n');
  }, 60_000);
});
