/**
 * Cold build against a real image builder: the same 15-step Dockerfile (COPY of a small context,
 * ENV/LABEL/ARG/WORKDIR/EXPOSE/CMD, RUN steps doing mkdir/echo/cp/chmod/rm/mv/ln with busybox) on
 * the same busybox base, built cold by layerlab (`noCache`) and by `podman build --no-cache
 * --layers` (buildah inside podman 4.3, runc) in a private store; best of 3 each. The figure is
 * podman's time / layerlab's time (the goal: ≥ 50). Where podman cannot build here, the
 * rows say why instead of failing.
 *
 *   npx tsx bench/podman-build.bench.ts
 */
import * as fs from 'node:fs';
import { benchHost } from './host.ts';
import * as os from 'node:os';
import { join } from 'node:path';
import type { ContextFile } from '../src/engine/builder/context.ts';
import { createEngine } from '../src/engine/index.ts';
import {
  BUSYBOX_BASE_DOCKERFILE, busyboxBaseFiles, podmanFlags, podmanProblem, run, RUN_LIMITS, staticBusybox, type StorageDriver,
} from '../test/conformance/podman.ts';

const BASE = 'layerlab/podman-bench:bb';
const RUNS = 3;

/** The benchmark Dockerfile: 15 steps after FROM, only COPY, metadata and file-operation RUNs. */
export const PODMAN_BENCH_DOCKERFILE = `FROM ${BASE}
LABEL org.opencontainers.image.title=bench
ARG VERSION=1.0
ENV APP_HOME=/srv/app MODE=production
WORKDIR /srv/app
COPY package.json .
COPY src/ ./src/
RUN mkdir -p lib/a lib/b && echo one > lib/a/x && echo two > lib/b/y
RUN cp lib/a/x lib/b/x && chmod 600 lib/b/x
RUN rm -rf /srv/dir && mkdir -p /srv/dir && echo new > /srv/dir/new
RUN echo "$APP_HOME $MODE $VERSION" > env.txt
RUN for i in 1 2 3 4 5; do echo "gen $i" > src/gen$i.js; done
RUN mv lib/b lib/c && ln -s lib/c current && rm src/m0.js
RUN touch /opt/keep && chmod 640 /opt/keep
EXPOSE 8080
CMD ["cat", "env.txt"]
`;

const enc = (s: string) => new TextEncoder().encode(s);

/** The build context: a package.json and 20 small sources. */
function contextFiles(): ContextFile[] {
  const files: ContextFile[] = [{ path: 'package.json', type: 'file', mode: 0o644, content: enc('{"name":"bench","version":"1.0.0"}\n') }];
  for (let i = 0; i < 20; i++) files.push({ path: `src/m${i}.js`, type: 'file', mode: 0o644, content: enc(`export const x${i} = ${i};\n`.repeat(10)) });
  return files;
}

const host = benchHost;

type Row = { name: string; ratio?: number; ms?: number; detail: string };

/** Best (lowest) wall time of `n` runs of `fn`, in milliseconds. */
async function bestOf(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** podman build configurations measured: storage driver × isolation. */
const PODMAN_CONFIGS: { driver: StorageDriver; isolation: 'oci' | 'chroot' }[] = [
  { driver: 'overlay', isolation: 'oci' },
  { driver: 'overlay', isolation: 'chroot' },
  { driver: 'vfs', isolation: 'oci' },
];

export async function runPodmanBuildBench(): Promise<Row[]> {
  const bb = staticBusybox();
  if ('problem' in bb) return [{ name: 'podman build / layerlab cold build', detail: `not measured: ${bb.problem}` }];
  const work = fs.mkdtempSync(join(os.tmpdir(), 'layerlab-podman-bench-'));
  try {
    // layerlab: the base image goes into the store first (not timed), then cold builds.
    const engine = createEngine(host());
    await engine.builds.build({ dockerfile: BUSYBOX_BASE_DOCKERFILE, files: busyboxBaseFiles(bb.path), tags: [BASE] });
    const files = contextFiles();
    let out = '';
    const oursMs = await bestOf(RUNS, async (i) => {
      const r = await engine.builds.build({ dockerfile: PODMAN_BENCH_DOCKERFILE, files, noCache: true, tags: [`bench/ours:${i}`] });
      if (r.steps.some((s) => s.outcome === 'layer' && s.cached)) throw new Error('layerlab build used the cache');
    });
    const c = await engine.containers.run({ image: 'bench/ours:0', rm: true });
    out = c.stdout;
    const rows: Row[] = [{ name: 'layerlab cold build (noCache)', ms: oursMs, detail: `best of ${RUNS}; 15 steps; container prints ${JSON.stringify(out)}` }];

    // podman: the same base (engine.save → podman load) and the same context on disk.
    const archive = join(work, 'base.tar');
    fs.writeFileSync(archive, await engine.images.save([BASE]));
    const ctx = join(work, 'ctx');
    for (const f of files) {
      fs.mkdirSync(join(ctx, f.path, '..'), { recursive: true });
      fs.writeFileSync(join(ctx, f.path), f.content!);
    }
    fs.writeFileSync(join(ctx, 'Dockerfile'), PODMAN_BENCH_DOCKERFILE);
    for (const { driver, isolation } of PODMAN_CONFIGS) {
      const name = `podman build (${driver}, --isolation ${isolation}) / layerlab`;
      const flags = podmanFlags(join(work, driver), driver);
      const problem = podmanProblem(flags);
      if (problem) {
        rows.push({ name, detail: `not measured: ${problem}` });
        continue;
      }
      try {
        if (!fs.existsSync(join(work, driver, 'loaded'))) {
          run('podman', [...flags, 'load', '-i', archive]);
          fs.writeFileSync(join(work, driver, 'loaded'), '');
        }
        const build = (i: number) =>
          run('podman', [...flags, 'build', '-q', '--no-cache', '--layers', '--isolation', isolation, ...RUN_LIMITS, '-t', `bench/podman-${isolation}:${i}`, ctx], { timeout: 300_000 });
        const theirsMs = await bestOf(RUNS, build);
        const check = run('podman', [...flags, 'run', '--rm', '--network', 'none', ...RUN_LIMITS, `bench/podman-${isolation}:0`]);
        if (check !== out) throw new Error(`podman's image prints ${JSON.stringify(check)}, ours ${JSON.stringify(out)}`);
        rows.push({ name, ratio: theirsMs / oursMs, ms: theirsMs, detail: `best of ${RUNS}: podman ${theirsMs.toFixed(0)} ms vs layerlab ${oursMs.toFixed(0)} ms (goal ≥ 50)` });
      } catch (e) {
        rows.push({ name, detail: `not measured: podman build fails here: ${String((e as Error).message).split('\n').slice(0, 3).join(' ')}` });
      } finally {
        try {
          run('podman', [...flags, 'rm', '-a', '-f']);
        } catch {
          // nothing to remove
        }
      }
    }
    return rows;
  } finally {
    const mounts = fs.readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1]).filter((m) => m?.startsWith(work));
    for (const m of mounts.reverse()) run('umount', ['-l', m]);
    fs.rmSync(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runPodmanBuildBench()) {
    const fig = [r.ratio !== undefined ? `${r.ratio.toFixed(1)}×` : '', r.ms !== undefined ? `${r.ms.toFixed(0)} ms` : ''].filter(Boolean).join(', ');
    console.log(`- ${r.name}: ${fig}  (${r.detail})`);
  }
}
