/**
 * pip install costs metadata, not bytes (issue 13, speed): `pip install --no-cache-dir` of a tree
 * from public/catalog/pip over python:3.12-slim, run by the shell over the image's union
 * filesystem, against generating and sha256-hashing as many bytes as the RUN's layer holds, in the
 * same run. The catalog files are loaded before the timed runs (the first run's figure includes
 * loading them). Goal ≤ 0.10, as for apt and npm.
 *
 *   BENCH=pip npm run bench
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bestOf, ROOT } from './host.ts';
import { SyntheticContent } from '../src/engine/fs/content.ts';
import { LayerTree } from '../src/engine/fs/layer-tree.ts';
import { LowerStack } from '../src/engine/fs/lower-stack.ts';
import { UnionFs } from '../src/engine/fs/union.ts';
import { loadCatalogImage } from '../src/engine/image/catalog.ts';
import { configurePipCatalog } from '../src/engine/shell/pip/pip-catalog.ts';
import { createShell } from '../src/engine/shell/shell.ts';
import type { ShellFs } from '../src/engine/shell/types.ts';

type Row = { name: string; ratio: number; detail: string };

export async function runPipBench(): Promise<Row[]> {
  const rows: Row[] = [];
  // flask: a small pure-Python tree (per-file cost); pandas+scipy+matplotlib: large compiled trees (bytes).
  for (const spec of ['flask', 'pandas scipy matplotlib']) rows.push(await installVsBytes(spec));
  return rows;
}

async function installVsBytes(spec: string): Promise<Row> {
  const asset = async (p: string) => new Uint8Array(readFileSync(join(ROOT, 'public', p)));
  configurePipCatalog(asset);
  const base = loadCatalogImage(await asset('catalog/python-3.12-slim.json'));
  const lower = new LowerStack(base.layers);
  let upper = new LayerTree();
  const install = async () => {
    upper = new LayerTree();
    const fs = new UnionFs(lower, { upper });
    const r = await createShell({ fs: fs as unknown as ShellFs, limits: { maxFsBytes: 4e9 } }).run(`pip install --no-cache-dir ${spec}`, { env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/root', PYTHON_VERSION: '3.12.13' } });
    if (r.exitCode !== 0) throw new Error(r.stderr);
  };
  const cold = await bestOf(1, install);
  // Warm-up, as in npm.bench.ts.
  for (let i = 0; i < 10; i++) await install();
  const times: number[] = [];
  for (let i = 0; i < 10; i++) times.push(await bestOf(1, install));
  times.sort((a, b) => a - b);
  const run = times[0];
  const median = times[times.length >> 1];
  const files = [...upper.walk()].filter(([, e]) => !('kind' in e) && e.type === 'file').map(([, e]) => (e as { size: number }).size);
  const bytes = files.reduce((n, s) => n + s, 0);
  const reference = await bestOf(3, async () => {
    files.forEach((size, k) => {
      const h = createHash('sha256');
      for (const c of new SyntheticContent(size, k + 1).chunks()) h.update(c);
      h.digest();
    });
  });
  return {
    name: `RUN pip install --no-cache-dir ${spec} / generate+hash the same bytes (goal ≤ 0.10)`,
    ratio: run / reference,
    detail: `${files.length} files, ${(bytes / 1e6).toFixed(1)} MB; install best ${run.toFixed(1)} ms, median ${median.toFixed(1)} ms of 10 after 10 warm-up runs (first run, with catalog loading: ${cold.toFixed(0)} ms), reference ${reference.toFixed(0)} ms`,
  };
}
