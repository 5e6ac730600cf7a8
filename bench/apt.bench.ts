/**
 * apt benchmark: one RUN of `apt-get update && apt-get install -y --no-install-recommends` with 50
 * packages from the offline bookworm catalog, over debian:bookworm-slim, against generating and
 * hashing (sha256) as many bytes as the RUN's layer holds, in the same run. Installs should cost
 * metadata, not bytes: the goal is a ratio ≤ 0.10. The catalog's index and package files
 * are loaded before the timed runs (a first install also fetches them; see the cold figure).
 * Installs and reference runs alternate, and the ratio is read on process CPU time (user + system),
 * so other load on a shared machine slows both sides alike instead of deciding the figure; wall
 * times are printed beside it.
 * Run alone with `npx tsx bench/apt.bench.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SyntheticContent } from '../src/engine/fs/content.ts';
import { LayerTree } from '../src/engine/fs/layer-tree.ts';
import { LowerStack } from '../src/engine/fs/lower-stack.ts';
import { UnionFs } from '../src/engine/fs/union.ts';
import { createHasher } from '../src/engine/digest.ts';
import { loadCatalogImage } from '../src/engine/image/catalog.ts';
import { PackageCatalogs } from '../src/engine/shell/packages/apt-catalog.ts';
import { createShell } from '../src/engine/shell/shell.ts';
import type { ShellFs } from '../src/engine/shell/types.ts';

const ROOT = join(import.meta.dirname, '..');
const PACKAGES = `curl wget ca-certificates git python3 python3-venv make cmake nginx vim nano less procps iputils-ping
openssh-client unzip zip jq gnupg lsb-release tzdata locales postgresql-client libpq-dev libssl-dev libffi-dev pkg-config sudo
netcat-openbsd dnsutils htop tini supervisor rsync file patch xz-utils bzip2 gettext-base iproute2 net-tools tree bc gawk
sqlite3 redis-tools gosu dumb-init socat telnet`.split(/\s+/);

/** CPU (user + system) and wall milliseconds of one call. */
async function timed(f: () => Promise<void>): Promise<{ cpu: number; wall: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  await f();
  const d = process.cpuUsage(c);
  return { cpu: (d.user + d.system) / 1000, wall: performance.now() - t };
}

export async function runAptBench(): Promise<{ name: string; ratio?: number; ms: number; detail: string }[]> {
  const asset = async (p: string) => new Uint8Array(readFileSync(join(ROOT, 'public', p)));
  const base = loadCatalogImage(await asset('catalog/debian-bookworm-slim.json'));
  const packages = new PackageCatalogs(asset);
  const script = `apt-get update && apt-get install -y --no-install-recommends ${PACKAGES.join(' ')}`;
  let upper = new LayerTree();
  const install = async () => {
    upper = new LayerTree();
    const fs = new UnionFs(new LowerStack(base.layers), { upper });
    const r = await createShell({ fs: fs as unknown as ShellFs, packages, limits: { maxFsBytes: 4e9 } }).run(script);
    if (r.exitCode !== 0) throw new Error(r.stderr);
  };
  const cold = (await timed(install)).wall;
  const bytes = upper.contentSize;
  const reference = async () => {
    const h = await createHasher();
    for (const c of new SyntheticContent(bytes, 7).chunks()) h.update(c);
    h.digest();
  };
  const runs: { cpu: number; wall: number }[] = [];
  const refs: { cpu: number; wall: number }[] = [];
  for (let k = 0; k < 4; k++) {
    runs.push(await timed(install));
    refs.push(await timed(reference));
    runs.push(await timed(install));
  }
  const min = (xs: { cpu: number; wall: number }[], f: 'cpu' | 'wall') => Math.min(...xs.map((x) => x[f]));
  const run = min(runs, 'cpu');
  const ref = min(refs, 'cpu');
  return [
    {
      name: `apt: RUN apt-get install of ${PACKAGES.length} packages (${(bytes / 1e6).toFixed(0)} MB layer) vs generating+hashing those bytes, CPU time`,
      ratio: run / ref,
      ms: run,
      detail: `goal ≤ 0.10; best of ${runs.length} installs and ${refs.length} references, alternated: install ${run.toFixed(0)} ms CPU / ${min(runs, 'wall').toFixed(0)} ms wall, reference ${ref.toFixed(0)} ms CPU / ${min(refs, 'wall').toFixed(0)} ms wall (wall ratio ${(min(runs, 'wall') / min(refs, 'wall')).toFixed(3)}); first run with catalog loading ${cold.toFixed(0)} ms`,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runAptBench()) console.log(`${r.name}: ${r.ms.toFixed(0)} ms, ratio ${r.ratio?.toFixed(3)} (${r.detail})`);
}
