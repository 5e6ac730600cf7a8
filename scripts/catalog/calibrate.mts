// Calibrates the core catalog images (written by build.mjs with the default random share) to the
// published compressed sizes in published-figures.json: for each image and platform, the
// SyntheticContent random share of its own layers is chosen so that the real gzip blobs add up
// to the published figure. A layer's blob size is linear in the gzip ratio of its synthetic
// bytes (its real texts compress the same at any share), so two measurements fix the line; a
// third checks the result. Writes `rnd` into the layers (linux/amd64) and
// `platforms['linux/arm64'].rnd` where arm64 needs another share, and the measured blob sizes to
// scripts/catalog/core-gz.json, which models.mjs uses for the layers model images share.
// Run after build.mjs and before models.mjs (about 10 minutes):
//   npx tsx scripts/catalog/calibrate.mts
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadCatalogLayer, parseCatalogFile } from '../../src/engine/image/catalog.ts';
import { computeLayer } from '../../src/engine/image/layer.ts';
// @ts-expect-error plain JS module
import { ratioOf, shareFor } from './ratio.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'public/catalog');
const PUBLISHED = JSON.parse(readFileSync(join(import.meta.dirname, 'published-figures.json'), 'utf8'));
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
type Raw = { layers: { rnd?: number }[]; platforms: Record<string, { rnd?: (number | null)[] }> };

/** Each step tunes some layers of a file to a published image figure minus the layers below. */
const STEPS: { key: string; file: string; tune: number[]; below?: number[]; copyFrom?: [string, number, number] }[] = [
  { key: 'busybox:1.37.0', file: 'busybox-1.37.0.json', tune: [0] },
  { key: 'alpine:3.22', file: 'alpine-3.22.json', tune: [0] },
  { key: 'debian:bookworm-slim', file: 'debian-bookworm-slim.json', tune: [0] },
  { key: 'ubuntu:24.04', file: 'ubuntu-24.04.json', tune: [0] },
  // python's first layer is debian's, byte for byte: same share, then its own three layers.
  { key: 'python:3.12-slim-bookworm', file: 'python-3.12-slim.json', copyFrom: ['debian-bookworm-slim.json', 0, 0], tune: [1, 2, 3], below: [0] },
  // node:22-alpine and nginx:alpine start with alpine 3.23's and 3.24's layer (the model alpine images share them).
  { key: 'alpine:3.23', file: 'node-22-alpine.json', tune: [0] },
  { key: 'node:22-alpine', file: 'node-22-alpine.json', tune: [1, 2, 3], below: [0] },
  { key: 'alpine:3.24', file: 'nginx-alpine.json', tune: [0] },
  { key: 'nginx:alpine', file: 'nginx-alpine.json', tune: [1, 2, 3, 4, 5, 6, 7], below: [0] },
];

const files = new Map<string, Raw>();
const raw = (f: string) => {
  if (!files.has(f)) files.set(f, JSON.parse(readFileSync(join(OUT, f), 'utf8')));
  return files.get(f)!;
};
const shareOf = (r: Raw, platform: string, i: number) => r.platforms[platform]?.rnd?.[i] ?? r.layers[i].rnd ?? 100;
function setShare(r: Raw, platform: string, i: number, share: number) {
  if (platform === 'linux/amd64') r.layers[i].rnd = share;
  else {
    const p = r.platforms[platform];
    p.rnd ??= r.layers.map(() => null);
    p.rnd[i] = share === (r.layers[i].rnd ?? 100) ? null : share;
    if (p.rnd.every((x) => x === null)) delete p.rnd;
  }
}
async function blob(f: string, platform: string, i: number, share?: number): Promise<number> {
  const r = structuredClone(raw(f));
  if (share !== undefined) setShare(r, platform, i, share);
  const { record } = await computeLayer(loadCatalogLayer(parseCatalogFile(new TextEncoder().encode(JSON.stringify(r))), platform, i));
  return record.size;
}

const measured: Record<string, Record<string, number>> = {};
for (const step of STEPS) {
  const r = raw(step.file);
  for (const platform of PLATFORMS) {
    const pub = PUBLISHED.images[step.key].compressed;
    const total = pub[platform] ?? pub['linux/amd64'];
    if (step.copyFrom) {
      const [from, fi, ti] = step.copyFrom;
      setShare(r, platform, ti, shareOf(raw(from), platform, fi));
    }
    let below = 0;
    for (const i of step.below ?? []) below += measured[`${step.file}#${i}`]?.[platform] ?? (await blob(step.file, platform, i));
    const target = total - below;
    // Two points per layer: gz = a + b·ratio(share).
    const lines = [];
    for (const i of step.tune) {
      const [s0, s1] = [40, 140];
      const [g0, g1] = [await blob(step.file, platform, i, s0), await blob(step.file, platform, i, s1)];
      const b = (g1 - g0) / (ratioOf(s1) - ratioOf(s0));
      lines.push({ i, a: g0 - b * ratioOf(s0), b });
    }
    const sumA = lines.reduce((n, l) => n + l.a, 0);
    const sumB = lines.reduce((n, l) => n + l.b, 0);
    const share = Math.max(0, Math.min(256, shareFor((target - sumA) / sumB)));
    let got = 0;
    for (const { i } of lines) {
      setShare(r, platform, i, share);
      const g = await blob(step.file, platform, i);
      (measured[`${step.file}#${i}`] ??= {})[platform] = g;
      got += g;
    }
    console.log(`${step.key.padEnd(28)} ${platform} layers ${step.tune.join(',')} share ${share}: ${got + below} B vs published ${total} (${(((got + below) / total - 1) * 100).toFixed(2)} %)`);
  }
  writeFileSync(join(OUT, step.file), JSON.stringify(r));
}
writeFileSync(join(import.meta.dirname, 'core-gz.json'), JSON.stringify(measured, null, 1) + '\n');
