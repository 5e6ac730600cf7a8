/**
 * pnpm install costs metadata, not bytes (issue 13, speed), as npm.bench.ts measures for npm: the
 * RUN that installs a package tree with pnpm 10 (real file tables from public/catalog/npm) over
 * node:22-alpine with pnpm installed, against generating and sha256-hashing the same bytes in the
 * same run. pnpm writes each file once and hard-links it into the store: the reference hashes each
 * inode once (what the layer's tar holds). Installs and references alternate; the ratio is read on
 * process CPU time (best runs), the wall ratio is printed beside it. Goal ≤ 0.10.
 *
 *   BENCH=pnpm npm run bench
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, wallAndCpu } from './host.ts';
import { SyntheticContent } from '../src/engine/fs/content.ts';
import { Inode, LayerTree } from '../src/engine/fs/layer-tree.ts';
import { LowerStack } from '../src/engine/fs/lower-stack.ts';
import { UnionFs } from '../src/engine/fs/union.ts';
import { loadCatalogImage } from '../src/engine/image/catalog.ts';
import { configureNpmCatalog } from '../src/engine/shell/npm/npm-catalog.ts';
import { createShell } from '../src/engine/shell/shell.ts';
import type { ShellFs } from '../src/engine/shell/types.ts';

type Row = { name: string; ratio: number; detail: string };

export async function runPnpmBench(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const spec of ['express', 'typescript@5']) rows.push(await installVsBytes(spec));
  return rows;
}

async function installVsBytes(spec: string): Promise<Row> {
  const asset = async (p: string) => new Uint8Array(readFileSync(join(ROOT, 'public', p)));
  configureNpmCatalog(asset);
  const base = loadCatalogImage(await asset('catalog/node-22-alpine.json'));
  const env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root' };
  // The image with pnpm in it (`RUN npm install -g pnpm@10.34.9`), as one more lower layer.
  const withPnpm = new LayerTree();
  const prep = await createShell({ fs: new UnionFs(new LowerStack(base.layers), { upper: withPnpm }) as unknown as ShellFs }).run('npm install -g pnpm@10.34.9', { env });
  if (prep.exitCode !== 0) throw new Error(prep.stderr);
  const lower = new LowerStack([...base.layers, withPnpm]);
  let upper = new LayerTree();
  const install = async () => {
    upper = new LayerTree();
    const fs = new UnionFs(lower, { upper });
    fs.mkdir('/app', { recursive: true });
    const r = await createShell({ fs: fs as unknown as ShellFs }).run(`cd /app && pnpm add ${spec}`, { env });
    if (r.exitCode !== 0) throw new Error(r.stdout + r.stderr);
  };
  const t0 = performance.now();
  await install();
  const cold = performance.now() - t0;
  for (let i = 0; i < 40; i++) await install();
  // The reference: every distinct file inode the install leaves (a hard link's bytes count once), generated and hashed.
  const inodes = new Set<Inode>();
  let names = 0;
  for (const [, e] of upper.walk()) if (e instanceof Inode && e.type === 'file') { inodes.add(e); names++; }
  const sizes = [...inodes].map((e) => e.size);
  const bytes = sizes.reduce((n, s) => n + s, 0);
  const generateAndHash = async () => {
    sizes.forEach((size, k) => {
      const h = createHash('sha256');
      for (const c of new SyntheticContent(size, k + 1).chunks()) h.update(c);
      h.digest();
    });
  };
  await generateAndHash();
  const inst = { wall: [] as number[], cpu: [] as number[] };
  const ref = { wall: [] as number[], cpu: [] as number[] };
  for (let round = 0; round < 12; round++) {
    for (let i = 0; i < 3; i++) {
      const m = await wallAndCpu(install);
      inst.wall.push(m.wall);
      inst.cpu.push(m.cpu);
    }
    const m = await wallAndCpu(generateAndHash);
    ref.wall.push(m.wall);
    ref.cpu.push(m.cpu);
  }
  const [iw, ic, rw, rc] = [inst.wall, inst.cpu, ref.wall, ref.cpu].map((a) => a.sort((x, y) => x - y));
  const med = (a: number[]) => a[a.length >> 1];
  return {
    name: `RUN pnpm add ${spec} (the install, store hard-linked) / generate+hash the same bytes, CPU time (goal ≤ 0.10)`,
    ratio: ic[0] / rc[0],
    detail: `${names} file names, ${inodes.size} inodes, ${(bytes / 1e6).toFixed(1)} MB; install best ${ic[0].toFixed(2)} ms CPU (median ${med(ic).toFixed(2)}), ${iw[0].toFixed(2)} ms wall (median ${med(iw).toFixed(2)}), wall ratio ${(iw[0] / rw[0]).toFixed(3)}; reference best ${rw[0].toFixed(1)} ms wall, ${rc[0].toFixed(1)} ms CPU; ${iw.length} installs and ${rw.length} references alternated after 40 warm-up installs (first run, with catalog loading: ${cold.toFixed(0)} ms)`,
  };
}
