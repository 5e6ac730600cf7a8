/**
 * The precomputed catalog digests cover every layer of every catalog image and platform, and
 * match the gzip blobs the layers really produce (checked for the small images on every run;
 * `UPDATE_CATALOG_DIGESTS=1` recomputes the whole table, about a minute, and rewrites the file).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogImage, parseCatalogIndex } from '../image/catalog.ts';
import { computeLayer } from '../image/layer.ts';
import { CATALOG_LAYER_DIGESTS } from './catalog-digests.ts';
import { catalogLayerKeys } from './catalog-seed.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const asset = (p: string) => new Uint8Array(readFileSync(join(ROOT, 'public', p)));
const index = parseCatalogIndex(asset('catalog/index.json'));
const readFile = (f: string) => asset(`catalog/${f}`);
const readAsync = async (f: string) => readFile(f);

describe('catalog layer digests', () => {
  it('cover every catalog layer of every platform', { timeout: 600_000 }, async () => {
    const update = !!process.env.UPDATE_CATALOG_DIGESTS;
    // An update keeps only the keys the catalog still uses (known ones are not recomputed).
    const table: Record<string, readonly [string, number, string, number]> = update ? {} : { ...CATALOG_LAYER_DIGESTS };
    if (update && process.env.CI) throw new Error('UPDATE_CATALOG_DIGESTS is set under CI');
    const missing: string[] = [];
    for (const img of index.images) {
      const bytes = asset(`catalog/${img.file}`);
      for (const platform of img.platforms) {
        const keys = await catalogLayerKeys(bytes, platform, readAsync);
        if (!update) {
          // A model image marked `digests: pending` computes its layers on first pull (see
          // catalog-README.md, "Layer digests"); core images never may.
          if (img.digests === 'pending' && img.model) continue;
          for (const k of keys) if (!table[k]) missing.push(`${img.file} ${platform} ${k}`);
          continue;
        }
        const loaded = loadCatalogImage(bytes, { platform, read: readFile });
        for (let i = 0; i < keys.length; i++) {
          if (table[keys[i]]) continue;
          if (CATALOG_LAYER_DIGESTS[keys[i]]) {
            table[keys[i]] = CATALOG_LAYER_DIGESTS[keys[i]];
            continue;
          }
          const { record } = await computeLayer(loaded.layers[i]);
          table[keys[i]] = [record.digest, record.size, record.diffId, record.uncompressedSize];
        }
      }
    }
    if (update) {
      const body = Object.keys(table).sort().map((k) => `  '${k}': ${JSON.stringify(table[k]).replace(/"/g, "'")},`).join('\n');
      const file = join(import.meta.dirname, 'catalog-digests.ts');
      const head = readFileSync(file, 'utf8').split('export const')[0];
      writeFileSync(file, `${head}export const CATALOG_LAYER_DIGESTS: Readonly<Record<string, readonly [string, number, string, number]>> = {\n${body}\n};\n`);
    }
    expect(missing).toEqual([]);
    // The marks are honest: an image marked pending really lacks a digest.
    for (const img of index.images.filter((i) => i.digests === 'pending')) {
      let lacks = false;
      for (const platform of img.platforms) for (const k of await catalogLayerKeys(asset(`catalog/${img.file}`), platform, readAsync)) if (!CATALOG_LAYER_DIGESTS[k]) lacks = true;
      expect(lacks, img.file).toBe(true);
    }
  });

  it('match the real gzip blobs of alpine and busybox', { timeout: 120_000 }, async () => {
    for (const name of ['alpine', 'busybox']) {
      const img = index.images.find((i) => i.name === name)!;
      const bytes = asset(`catalog/${img.file}`);
      for (const platform of img.platforms) {
        const keys = await catalogLayerKeys(bytes, platform, readAsync);
        const loaded = loadCatalogImage(bytes, { platform, read: readFile });
        for (let i = 0; i < keys.length; i++) {
          const { record } = await computeLayer(loaded.layers[i]);
          expect(CATALOG_LAYER_DIGESTS[keys[i]]).toEqual([record.digest, record.size, record.diffId, record.uncompressedSize]);
        }
      }
    }
  });
});
