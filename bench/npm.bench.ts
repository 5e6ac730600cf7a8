/**
 * npm install costs metadata, not bytes (issue 13, speed): a RUN that installs a package tree
 * (real file tables from public/catalog/npm) against generating and sha256-hashing the same bytes
 * (every file of the layer, same sizes) in the same run. Goal ≤ 0.10.
 *
 *   BENCH=npm npm run bench
 */
import { createHash } from 'node:crypto';
import { benchHost as host } from './host.ts';
import { createEngine } from '../src/engine/index.ts';
import { SyntheticContent } from '../src/engine/fs/content.ts';

type Row = { name: string; ratio: number; detail: string };

export async function runNpmBench(): Promise<Row[]> {
  // express: many small files (per-file cost dominates); typescript@5: few large files (bytes dominate).
  return [await installVsBytes('express'), await installVsBytes('typescript@5')];
}

async function installVsBytes(spec: string): Promise<Row> {
  const DOCKERFILE = `FROM node:22-alpine\nWORKDIR /app\nRUN npm install ${spec}\n`;
  const engine = createEngine(host());
  // Warm: the base image and the catalog files of the tree are loaded once.
  await engine.builds.build({ dockerfile: DOCKERFILE, files: [], tags: ['npmbench'] });
  let install = Infinity;
  for (let i = 0; i < 3; i++) {
    await engine.builds.pruneCache();
    const t0 = performance.now();
    await engine.builds.build({ dockerfile: DOCKERFILE, files: [], tags: ['npmbench'] });
    install = Math.min(install, performance.now() - t0);
  }
  const layers = await engine.images.layers('npmbench');
  const top = layers[layers.length - 1];
  const files = (await engine.images.layerEntries(top.diffId)).filter((e) => e.type === 'file');
  const bytes = files.reduce((n, e) => n + e.size, 0);
  let reference = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    files.forEach((f, k) => {
      const h = createHash('sha256');
      for (const c of new SyntheticContent(f.size, k + 1).chunks()) h.update(c);
      h.digest();
    });
    reference = Math.min(reference, performance.now() - t0);
  }
  return {
    name: `RUN npm install ${spec} / generate+hash the same bytes (goal ≤ 0.10)`,
    ratio: install / reference,
    detail: `${files.length} files, ${(bytes / 1e6).toFixed(1)} MB; build ${install.toFixed(0)} ms (whole build, cache pruned), reference ${reference.toFixed(0)} ms`,
  };
}
