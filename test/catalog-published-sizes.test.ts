/**
 * Issue 13, "Sizes within ±5 % of the published compressed and uncompressed sizes": every catalog
 * image with a figure in scripts/catalog/published-figures.json (read from docker-library/repo-info,
 * file@commit per image) is checked against it, from the repo's data only (no network):
 * - compressed, per platform: the sum of the image's real gzip layer blobs, as the registry serves
 *   them (the precomputed table in catalog-digests.ts, which the registry checks on every read);
 * - uncompressed (repo-info's "Virtual Size", linux/amd64): the sum of the layers' file bytes.
 * Images without a published figure must be listed under `unverified` with the reason, so the
 * list of what is checked cannot silently shrink.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogImage, parseCatalogIndex } from '../src/engine/image/catalog.ts';
import { CATALOG_LAYER_DIGESTS } from '../src/engine/registry/catalog-digests.ts';
import { catalogLayerKeys } from '../src/engine/registry/catalog-seed.ts';

interface Figure {
  file: string;
  compressed?: Record<string, number> & { source: string };
  uncompressed?: { bytes: number; source: string };
  note?: string;
}
const ROOT = join(import.meta.dirname, '..');
const CATALOG = join(ROOT, 'public/catalog');
const PUBLISHED = JSON.parse(readFileSync(join(ROOT, 'scripts/catalog/published-figures.json'), 'utf8')) as {
  images: Record<string, Figure>;
  unverified: Record<string, string>;
};
const read = (file: string) => new Uint8Array(readFileSync(join(CATALOG, file)));
const TOLERANCE = 0.05;
const PLATFORMS = ['linux/amd64', 'linux/arm64'];

/** Sum of the image's gzip blob sizes for `platform`, from the precomputed digests. */
async function compressedSize(file: string, platform: string): Promise<number> {
  const keys = await catalogLayerKeys(read(file), platform, async (f) => read(f));
  let total = 0;
  for (const k of keys) {
    const row = CATALOG_LAYER_DIGESTS[k];
    // A missing row means the pull would have to gzip the layer first: not instant, and unmeasured.
    expect(row, `${file} ${platform}: layer ${k} has no precomputed digest`).toBeDefined();
    total += row[1];
  }
  return total;
}

describe('catalog image sizes against the published figures (repo-info)', () => {
  for (const [name, fig] of Object.entries(PUBLISHED.images)) {
    for (const platform of PLATFORMS) {
      const real = fig.compressed?.[platform];
      if (typeof real !== 'number') continue;
      it(`${name} ${platform}: compressed within ±5 % of ${real.toLocaleString('en')} B`, async () => {
        const ours = await compressedSize(fig.file, platform);
        expect(Math.abs(ours / real - 1), `ours ${ours} B vs published ${real} B (${fig.compressed!.source})`).toBeLessThanOrEqual(TOLERANCE);
      });
    }
    const real = fig.uncompressed?.bytes;
    if (real !== undefined) {
      it(`${name}: uncompressed within ±5 % of ${real.toLocaleString('en')} B`, () => {
        const img = loadCatalogImage(read(fig.file), { read });
        const ours = img.layers.reduce((n, l) => n + l.contentSize, 0);
        expect(Math.abs(ours / real - 1), `ours ${ours} B vs published ${real} B (${fig.uncompressed!.source})`).toBeLessThanOrEqual(TOLERANCE);
      });
    }
  }

  it('records a source (file@commit) for every figure and names every catalog image once', () => {
    const index = parseCatalogIndex(read('index.json'));
    const files = index.images.map((i) => i.file);
    const checked = Object.values(PUBLISHED.images).map((f) => f.file);
    for (const f of Object.values(PUBLISHED.images)) {
      if (f.compressed) expect(f.compressed.source).toMatch(/^(\S+ )?repos\/[^@]+\.md@[0-9a-f]{40}$/);
      if (f.uncompressed) expect(f.uncompressed.source).toMatch(/^(\S+ )?repos\/[^@]+\.md@[0-9a-f]{40}$/);
      expect(f.compressed ?? f.uncompressed).toBeDefined();
    }
    expect([...checked, ...Object.keys(PUBLISHED.unverified)].sort()).toEqual([...files].sort());
  });

  it('gives every catalog image a linux/arm64 manifest with its own layer blobs', async () => {
    const index = parseCatalogIndex(read('index.json'));
    for (const img of index.images) {
      expect(img.platforms, img.file).toEqual(expect.arrayContaining(PLATFORMS));
      const amd = await catalogLayerKeys(read(img.file), 'linux/amd64', async (f) => read(f));
      const arm = await catalogLayerKeys(read(img.file), 'linux/arm64', async (f) => read(f));
      expect(arm.length).toBe(amd.length);
      // Another architecture's binaries: no layer blob is shared between the two platforms.
      for (const k of arm) expect(amd, img.file).not.toContain(k);
    }
  });
});
