/**
 * CLI start-up, as ratios to `node -e 0` measured in the same run (interleaved, best of N wall
 * times, so load on the machine hits both sides alike).
 *
 *   BENCH=cli npm run bench          (CLI_BENCH_RUNS=N for more repetitions; default 7)
 *
 * 1. `layerlab images` on an empty store / `node -e 0` (goal ≤ 2).
 * 2. `layerlab build --no-cache` of a 3-step Dockerfile (FROM busybox, COPY, RUN) on a store that
 *    already holds busybox / `node -e 0` (goal ≤ 3).
 *
 * The CLI is bin/layerlab.mjs as a user runs it: the bundle in dist/cli/ (rebuilt first if a
 * source is newer; that first run is not timed).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './host.ts';

const BIN = join(ROOT, 'bin', 'layerlab.mjs');
const RUNS = Number(process.env.CLI_BENCH_RUNS ?? 7);

function wall(args: string[], cwd?: string): number {
  const t = performance.now();
  execFileSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, LAYERLAB_DEBUG: '' } });
  return performance.now() - t;
}

export async function runCliBench(): Promise<{ name: string; ratio: number; detail: string }[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'layerlab-cli-bench-'));
  try {
    const empty = join(tmp, 'empty');
    const store = join(tmp, 'store');
    const ctx = join(tmp, 'ctx');
    execFileSync('mkdir', ['-p', empty, store, ctx]);
    writeFileSync(join(ctx, 'hello.txt'), 'hello\n');
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM busybox\nCOPY hello.txt /hello.txt\nRUN cat /hello.txt > /copy.txt && echo done\n');
    // Warm-up, untimed: rebuilds a stale bundle, pulls busybox into the build store.
    wall([BIN, '--version']);
    wall([BIN, '--root', store, 'build', '-q', '-t', 'bench', '.'], ctx);
    let node = Infinity;
    let images = Infinity;
    let build = Infinity;
    for (let i = 0; i < RUNS; i++) {
      node = Math.min(node, wall(['-e', '0']));
      images = Math.min(images, wall([BIN, '--root', empty, 'images']));
      build = Math.min(build, wall([BIN, '--root', store, 'build', '--no-cache', '-q', '-t', 'bench', '.'], ctx));
    }
    return [
      { name: 'layerlab images (empty store) / node -e 0 (goal ≤ 2)', ratio: images / node, detail: `best of ${RUNS}: images ${images.toFixed(0)} ms, node -e 0 ${node.toFixed(0)} ms` },
      { name: 'layerlab build --no-cache, 3 steps on busybox / node -e 0 (goal ≤ 3)', ratio: build / node, detail: `best of ${RUNS}: build ${build.toFixed(0)} ms, node -e 0 ${node.toFixed(0)} ms` },
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runCliBench()) console.log(`${r.name}: ${r.ratio.toFixed(2)}  (${r.detail})`);
}
