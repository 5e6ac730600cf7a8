/**
 * npm install costs metadata, not bytes (issue 13, speed): the RUN that installs a package tree
 * (real file tables from public/catalog/npm) over node:22-alpine, against generating and
 * sha256-hashing the same bytes (every file of the layer, same sizes) in the same run. Goal ≤ 0.10.
 *
 * Two figures per tree:
 *  - the install: `npm install SPEC` run by the shell over the image's union filesystem (what the
 *    RUN step itself costs; the catalog files are loaded before the timed runs, as in apt.bench.ts).
 *    The install and the reference are timed in alternation (each round: three installs, one
 *    reference), so both see the same load on a shared machine, and each is reported in wall time
 *    and in this process's CPU time (process.cpuUsage: user + system, which other processes on the
 *    machine do not inflate). The goal is read on the CPU-time ratio of the best runs; the wall
 *    ratio is printed beside it;
 *  - the whole build (`docker build` with the cache pruned), which adds the commit: the layer's tar
 *    is hashed once for its DiffID there, so that figure cannot fall below the commit's own cost
 *    (about one SHA-256 pass over the layer, see image.bench.ts).
 *
 *   BENCH=npm npm run bench
 */
import { createHash } from 'node:crypto';
import { benchHost as host, bestOf, ROOT, wallAndCpu } from './host.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../src/engine/index.ts';
import { SyntheticContent } from '../src/engine/fs/content.ts';
import { Inode, LayerTree } from '../src/engine/fs/layer-tree.ts';
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

function timed(into: { wall: number[]; cpu: number[] }, m: { wall: number; cpu: number }): void {
  into.wall.push(m.wall);
  into.cpu.push(m.cpu);
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
  const cold = await bestOf(1, install);
  // Warm-up: the interpreter and the install code reach their optimised tiers after a few dozen runs.
  for (let i = 0; i < 40; i++) await install();
  // The reference: every file the install leaves in its layer (the upper tree), generated and hashed.
  const files: { size: number }[] = [];
  for (const [, e] of upper.walk()) if (e instanceof Inode && e.type === 'file') files.push({ size: e.size });
  const bytes = files.reduce((n, e) => n + e.size, 0);
  const generateAndHash = async () => {
    files.forEach((f, k) => {
      const h = createHash('sha256');
      for (const c of new SyntheticContent(f.size, k + 1).chunks()) h.update(c);
      h.digest();
    });
  };
  await generateAndHash();
  const inst = { wall: [] as number[], cpu: [] as number[] };
  const ref = { wall: [] as number[], cpu: [] as number[] };
  for (let round = 0; round < 12; round++) {
    for (let i = 0; i < 3; i++) timed(inst, await wallAndCpu(install));
    timed(ref, await wallAndCpu(generateAndHash));
  }
  const [iw, ic, rw, rc] = [inst.wall, inst.cpu, ref.wall, ref.cpu].map((a) => a.sort((x, y) => x - y));
  const med = (a: number[]) => a[a.length >> 1];
  const what = `${files.length} files, ${(bytes / 1e6).toFixed(1)} MB; reference best ${rw[0].toFixed(1)} ms wall, ${rc[0].toFixed(1)} ms CPU`;

  // The whole build, timed after the installs (the builder's filesystem objects would otherwise
  // make the install code polymorphic before it is measured).
  const DOCKERFILE = `FROM node:22-alpine\nWORKDIR /app\nRUN npm install ${spec}\n`;
  const engine = createEngine(host());
  await engine.builds.build({ dockerfile: DOCKERFILE, files: [], tags: ['npmbench'] });
  const build = await bestOf(3, async () => {
    await engine.builds.pruneCache();
    await engine.builds.build({ dockerfile: DOCKERFILE, files: [], tags: ['npmbench'] });
  });
  const layers = await engine.images.layers('npmbench');
  const layerFiles = (await engine.images.layerEntries(layers[layers.length - 1].diffId)).filter((e) => e.type === 'file');
  if (layerFiles.length !== files.length) throw new Error(`npm bench: the build's layer has ${layerFiles.length} files, the install's upper tree ${files.length}`);
  return [
    {
      name: `RUN npm install ${spec} (the install) / generate+hash the same bytes, CPU time (goal ≤ 0.10)`,
      ratio: ic[0] / rc[0],
      detail: `${what}; install best ${ic[0].toFixed(2)} ms CPU (median ${med(ic).toFixed(2)}), ${iw[0].toFixed(2)} ms wall (median ${med(iw).toFixed(2)}), wall ratio ${(iw[0] / rw[0]).toFixed(3)}; ${iw.length} installs and ${rw.length} references alternated after 40 warm-up installs (first run, with catalog loading: ${cold.toFixed(0)} ms)`,
    },
    {
      name: `docker build … RUN npm install ${spec} (whole build incl. commit) / generate+hash the same bytes`,
      ratio: build / rw[0],
      detail: `${files.length} files, ${(bytes / 1e6).toFixed(1)} MB; build ${build.toFixed(0)} ms wall against the reference's ${rw[0].toFixed(0)} ms (cache pruned; the commit hashes the layer's tar once)`,
    },
  ];
}
