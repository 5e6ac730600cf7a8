/**
 * npm install costs metadata, not bytes (issue 13, speed): the RUN that installs a package tree
 * (real file tables from public/catalog/npm) over node:22-alpine, against generating and
 * sha256-hashing the same bytes (every file of the layer, same sizes) in the same run. Goal ≤ 0.10.
 *
 * Two figures per tree:
 *  - the install: `npm install SPEC` run by the shell over the image's union filesystem (what the
 *    RUN step itself costs; the catalog files are loaded before the timed runs, as in apt.bench.ts);
 *  - the whole build (`docker build` with the cache pruned), which adds the commit: the layer's tar
 *    is hashed once for its DiffID there, so that figure cannot fall below the commit's own cost
 *    (about one SHA-256 pass over the layer, see image.bench.ts).
 *
 *   BENCH=npm npm run bench
 */
import { createHash } from 'node:crypto';
import { benchHost as host, ROOT } from './host.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../src/engine/index.ts';
import { SyntheticContent } from '../src/engine/fs/content.ts';
import { LayerTree } from '../src/engine/fs/layer-tree.ts';
import { LowerStack } from '../src/engine/fs/lower-stack.ts';
import { UnionFs } from '../src/engine/fs/union.ts';
import { loadCatalogImage } from '../src/engine/image/catalog.ts';
import { configureNpmCatalog } from '../src/engine/shell/npm/npm-catalog.ts';
import { createShell } from '../src/engine/shell/shell.ts';
import type { ShellFs } from '../src/engine/shell/types.ts';

type Row = { name: string; ratio: number; detail: string };

export async function runNpmBench(): Promise<Row[]> {
  // express: many small files (per-file cost dominates); typescript@5: few large files (bytes dominate).
  const rows: Row[] = [];
  for (const spec of ['express', 'typescript@5']) rows.push(...(await installVsBytes(spec)));
  return rows;
}

async function best(n: number, f: () => Promise<void>): Promise<number> {
  let min = Infinity;
  for (let k = 0; k < n; k++) {
    const t = performance.now();
    await f();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

async function installVsBytes(spec: string): Promise<Row[]> {
  const asset = async (p: string) => new Uint8Array(readFileSync(join(ROOT, 'public', p)));
  configureNpmCatalog(asset);
  const base = loadCatalogImage(await asset('catalog/node-22-alpine.json'));
  const lower = new LowerStack(base.layers);
  let upper = new LayerTree();
  const install = async () => {
    upper = new LayerTree();
    const fs = new UnionFs(lower, { upper });
    fs.mkdir('/app', { recursive: true });
    const r = await createShell({ fs: fs as unknown as ShellFs }).run(`cd /app && npm install ${spec}`);
    if (r.exitCode !== 0) throw new Error(r.stderr);
  };
  const cold = await best(1, install);
  // Warm-up: the interpreter and the install code reach their optimised tiers after a few dozen runs.
  for (let i = 0; i < 40; i++) await install();
  const times: number[] = [];
  for (let i = 0; i < 30; i++) times.push(await best(1, install));
  times.sort((a, b) => a - b);
  const run = times[0];
  const median = times[times.length >> 1];

  const DOCKERFILE = `FROM node:22-alpine\nWORKDIR /app\nRUN npm install ${spec}\n`;
  const engine = createEngine(host());
  await engine.builds.build({ dockerfile: DOCKERFILE, files: [], tags: ['npmbench'] });
  const build = await best(3, async () => {
    await engine.builds.pruneCache();
    await engine.builds.build({ dockerfile: DOCKERFILE, files: [], tags: ['npmbench'] });
  });
  const layers = await engine.images.layers('npmbench');
  const top = layers[layers.length - 1];
  const files = (await engine.images.layerEntries(top.diffId)).filter((e) => e.type === 'file');
  const bytes = files.reduce((n, e) => n + e.size, 0);
  const reference = await best(5, async () => {
    files.forEach((f, k) => {
      const h = createHash('sha256');
      for (const c of new SyntheticContent(f.size, k + 1).chunks()) h.update(c);
      h.digest();
    });
  });
  const what = `${files.length} files, ${(bytes / 1e6).toFixed(1)} MB; reference ${reference.toFixed(0)} ms`;
  return [
    {
      name: `RUN npm install ${spec} (the install) / generate+hash the same bytes (goal ≤ 0.10)`,
      ratio: run / reference,
      detail: `${what}; install best ${run.toFixed(1)} ms, median ${median.toFixed(1)} ms of 30 after 40 warm-up runs (first run, with catalog loading: ${cold.toFixed(0)} ms)`,
    },
    {
      name: `docker build … RUN npm install ${spec} (whole build incl. commit) / generate+hash the same bytes`,
      ratio: build / reference,
      detail: `${what}; build ${build.toFixed(0)} ms (cache pruned; the commit hashes the layer's tar once)`,
    },
  ];
}
