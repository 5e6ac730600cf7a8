/**
 * Builder benchmarks, as ratios measured in the same run.
 *
 *   npx tsx bench/build.bench.ts
 *
 * 1. Cached rebuild / cold build of a reference 20-step Dockerfile (goal ≤ 0.05).
 * 2. A RUN line of 1,000 `mkdir -p …; echo … > f` commands inside a real build step: milliseconds
 *    (goal ≤ 300 ms in Node), and as a ratio to the same script run directly by the shell on a
 *    flat in-memory filesystem (the interpreter's own cost).
 */
import { benchHost as host } from './host.ts';
import { createEngine } from '../src/engine/index.ts';
import type { ContextFile } from '../src/engine/builder/context.ts';

/** The reference Dockerfile: 20 steps mixing metadata, COPY and file-operation RUNs. */
export const REFERENCE_DOCKERFILE = `FROM alpine:3.22
LABEL org.opencontainers.image.title=bench
ARG VERSION=1.0
ENV APP_HOME=/srv/app NODE_ENV=production
WORKDIR /srv/app
COPY package.json .
RUN mkdir -p node_modules/a node_modules/b && echo '{}' > node_modules/a/package.json
COPY src/ ./src/
RUN for i in 1 2 3 4 5 6 7 8 9 10; do echo "module $i" > src/gen$i.js; done
RUN addgroup -S app && adduser -S -G app app
RUN chown -R app:app /srv/app
COPY config/ /etc/app/
RUN sed -i 's/debug=true/debug=false/' /etc/app/app.conf
RUN rm -rf /srv/app/node_modules/b
EXPOSE 8080
VOLUME /data
USER app
HEALTHCHECK --interval=30s CMD wget -qO- http://localhost:8080/ || exit 1
ENTRYPOINT ["node"]
CMD ["src/index.js"]
`;

function contextFiles(): ContextFile[] {
  const enc = (s: string) => new TextEncoder().encode(s);
  const files: ContextFile[] = [{ path: 'package.json', type: 'file', mode: 0o644, content: enc('{"name":"bench"}') }, { path: 'config/app.conf', type: 'file', mode: 0o644, content: enc('debug=true\n') }];
  for (let i = 0; i < 200; i++) files.push({ path: `src/m${i}.js`, type: 'file', mode: 0o644, content: enc(`export const x${i} = ${i};\n`.repeat(20)) });
  files.push({ path: 'src/index.js', type: 'file', mode: 0o644, content: enc('console.log("hi")\n') });
  return files;
}

export async function runBuildBench(): Promise<{ name: string; ratio: number; detail: string }[]> {
  const out: { name: string; ratio: number; detail: string }[] = [];
  // Warm the base image once so the cold build measures the build, not the catalog pull.
  const engine = createEngine(host());
  await engine.builds.build({ dockerfile: 'FROM alpine:3.22\n', files: [] });
  const files = contextFiles();
  let cold = Infinity;
  let cached = Infinity;
  // Best of 5: the first rounds also warm the JIT up.
  for (let i = 0; i < 5; i++) {
    await engine.builds.pruneCache();
    const t0 = performance.now();
    const a = await engine.builds.build({ dockerfile: REFERENCE_DOCKERFILE, files, tags: ['bench:1'] });
    cold = Math.min(cold, performance.now() - t0);
    const t1 = performance.now();
    const b = await engine.builds.build({ dockerfile: REFERENCE_DOCKERFILE, files, tags: ['bench:1'] });
    cached = Math.min(cached, performance.now() - t1);
    if (a.imageId !== b.imageId || b.steps.some((s) => (s.outcome === 'layer' || s.outcome === 'empty') && !s.cached)) throw new Error('cached rebuild was not fully cached');
  }
  out.push({ name: 'cached rebuild / cold build, 20-step Dockerfile (goal ≤ 0.05)', ratio: cached / cold, detail: `cold ${cold.toFixed(0)} ms, cached ${cached.toFixed(1)} ms, best of 5` });

  const script = Array.from({ length: 1000 }, (_, i) => `mkdir -p /d/${i}; echo ${i} > /d/${i}/f`).join('; ');
  let runMs = Infinity;
  // The first runs warm up the JIT (just-bash's interpreter is large); best of 6.
  for (let i = 0; i < 6; i++) {
    await engine.builds.pruneCache();
    const res = await engine.builds.build({ dockerfile: `FROM alpine:3.22\nRUN ${script}\n`, files: [] });
    runMs = Math.min(runMs, res.durationMs);
  }
  out.push({ name: 'build with a RUN of 1,000 mkdir+echo commands, ms (goal ≤ 300)', ratio: runMs, detail: `whole build incl. layer commit, best of 6` });
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runBuildBench()) console.log(`${r.name}: ${r.ratio.toFixed(3)}  (${r.detail})`);
}
