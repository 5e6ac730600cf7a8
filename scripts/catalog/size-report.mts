// Prints each catalog image's sizes against the published figures (published-figures.json):
// compressed per platform (the precomputed blob sizes) and uncompressed (file bytes), as a
// markdown table for catalog-README.md.   npx tsx scripts/catalog/size-report.mts
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadCatalogImage, parseCatalogIndex } from '../../src/engine/image/catalog.ts';
import { CATALOG_LAYER_DIGESTS } from '../../src/engine/registry/catalog-digests.ts';
import { catalogLayerKeys } from '../../src/engine/registry/catalog-seed.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (f: string) => new Uint8Array(readFileSync(join(ROOT, 'public/catalog', f)));
const PUB = JSON.parse(readFileSync(join(import.meta.dirname, 'published-figures.json'), 'utf8'));
const byFile = new Map(Object.entries(PUB.images as Record<string, { file: string; compressed?: Record<string, number>; uncompressed?: { bytes: number } }>).map(([k, v]) => [v.file, { key: k, ...v }]));
const mb = (n: number) => (n / 1e6).toFixed(2);
const dev = (ours: number, real?: number) => (real ? `${ours >= real ? '+' : ''}${((ours / real - 1) * 100).toFixed(1)} %` : '');
const gz = async (file: string, p: string) => {
  let n = 0;
  for (const k of await catalogLayerKeys(read(file), p, async (f) => read(f))) {
    const r = CATALOG_LAYER_DIGESTS[k];
    if (!r) return NaN;
    n += r[1];
  }
  return n;
};
console.log('| image | amd64 compressed: ours / published | arm64 compressed: ours / published | uncompressed: ours / published |');
console.log('| --- | --- | --- | --- |');
for (const img of parseCatalogIndex(read('index.json')).images) {
  const f = byFile.get(img.file);
  const cells = [];
  for (const p of ['linux/amd64', 'linux/arm64']) {
    const ours = await gz(img.file, p);
    const real = f?.compressed?.[p];
    cells.push(`${mb(ours)} MB${real ? ` / ${mb(real)} (${dev(ours, real)})` : ' / –'}`);
  }
  const un = loadCatalogImage(read(img.file), { read }).layers.reduce((n, l) => n + l.contentSize, 0);
  const ru = f?.uncompressed?.bytes;
  cells.push(`${mb(un)} MB${ru ? ` / ${mb(ru)} (${dev(un, ru)})` : ' / –'}`);
  console.log(`| ${f?.key ?? img.file.replace(/\.json$/, '')} | ${cells.join(' | ')} |`);
}
