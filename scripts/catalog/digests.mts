// Computes the registry digests of catalog layers that src/engine/registry/catalog-digests.ts does
// not have yet, one layer at a time, appending each result to a JSON-lines file so that an
// interrupted run keeps its work; `--write` merges the results into catalog-digests.ts.
//   npx tsx scripts/catalog/digests.mts --platform linux/amd64 --out /tmp/digests-amd64.jsonl [--only a.json,b.json] [--shared other.jsonl]
//   npx tsx scripts/catalog/digests.mts --write /tmp/digests-amd64.jsonl /tmp/digests-arm64.jsonl
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { catalogLayerRef, loadCatalogLayer, parseCatalogFile, parseCatalogIndex } from '../../src/engine/image/catalog.ts';
import { computeLayer } from '../../src/engine/image/layer.ts';
import { CATALOG_LAYER_DIGESTS } from '../../src/engine/registry/catalog-digests.ts';
import { catalogLayerKeys } from '../../src/engine/registry/catalog-seed.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (f: string) => new Uint8Array(readFileSync(join(ROOT, 'public/catalog', f)));
const arg = (n: string) => process.argv[process.argv.indexOf(n) + 1];
type Row = readonly [string, number, string, number];

if (process.argv.includes('--write')) {
  const table: Record<string, Row> = { ...CATALOG_LAYER_DIGESTS };
  for (const f of process.argv.slice(process.argv.indexOf('--write') + 1)) {
    if (!existsSync(f)) continue;
    for (const line of readFileSync(f, 'utf8').split('\n')) if (line) {
      const [k, row] = JSON.parse(line) as [string, Row];
      table[k] = row;
    }
  }
  // Keep only keys the catalog uses.
  const used = new Set<string>();
  const indexText = JSON.parse(readFileSync(join(ROOT, 'public/catalog/index.json'), 'utf8'));
  const index = parseCatalogIndex(read('index.json'));
  for (const img of index.images) {
    let complete = true;
    for (const p of img.platforms) {
      for (const k of await catalogLayerKeys(read(img.file), p, async (f) => read(f))) {
        used.add(k);
        if (!table[k]) complete = false;
      }
    }
    // An image whose layers are not all in the table is marked: its first pull computes them.
    const entry = indexText.images.find((i: { file: string }) => i.file === img.file);
    if (complete) delete entry.digests;
    else entry.digests = 'pending';
  }
  writeFileSync(join(ROOT, 'public/catalog/index.json'), JSON.stringify(indexText, null, 1) + '\n');
  const missing = [...used].filter((k) => !table[k]).length;
  const body = Object.keys(table).filter((k) => used.has(k)).sort().map((k) => `  '${k}': ${JSON.stringify(table[k]).replace(/"/g, "'")},`).join('\n');
  const file = join(ROOT, 'src/engine/registry/catalog-digests.ts');
  const head = readFileSync(file, 'utf8').split('export const')[0];
  writeFileSync(file, `${head}export const CATALOG_LAYER_DIGESTS: Readonly<Record<string, readonly [string, number, string, number]>> = {\n${body}\n};\n`);
  console.log(`wrote ${used.size - missing} of ${used.size} keys (${missing} missing)`);
  process.exit(0);
}

const platform = arg('--platform');
const out = arg('--out');
// Other workers' output files (`--shared a.jsonl,b.jsonl`): two runs on one platform, one taking the
// images in order and one in reverse, skip what the other has done and meet in the middle.
const shared = process.argv.includes('--shared') ? arg('--shared').split(',') : [];
const done = new Set<string>(Object.keys(CATALOG_LAYER_DIGESTS));
const load = (f: string) => {
  if (existsSync(f)) for (const line of readFileSync(f, 'utf8').split('\n')) if (line) done.add(JSON.parse(line)[0]);
};
load(out);
const index = parseCatalogIndex(read('index.json'));
const only = process.argv.includes('--only') ? arg('--only').split(',') : index.images.map((i) => i.file);
for (const file of only) {
  const img = index.images.find((i) => i.file === file);
  if (!img || !img.platforms.includes(platform)) continue;
  const keys = await catalogLayerKeys(read(file), platform, async (f) => read(f));
  const parsed = parseCatalogFile(read(file));
  for (let i = 0; i < keys.length; i++) {
    shared.forEach(load);
    if (done.has(keys[i])) continue;
    let f = file;
    let layer = i;
    for (let ref = catalogLayerRef(parseCatalogFile(read(f)), layer); ref; ref = catalogLayerRef(parseCatalogFile(read(f)), layer)) {
      f = ref.file;
      layer = ref.layer;
    }
    const t0 = Date.now();
    const { record } = await computeLayer(loadCatalogLayer(f === file ? parsed : parseCatalogFile(read(f)), platform, layer));
    appendFileSync(out, JSON.stringify([keys[i], [record.digest, record.size, record.diffId, record.uncompressedSize]]) + '\n');
    done.add(keys[i]);
    console.log(`${file} ${platform} #${i} ${(record.uncompressedSize / 1e6).toFixed(1)} MB → ${(record.size / 1e6).toFixed(1)} MB in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
}
console.log('done');
