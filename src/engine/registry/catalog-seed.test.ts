/**
 * docker.io's catalog seeding is on demand: a pull by tag seeds that image (and its aliases)
 * only, so a first `FROM node:22-alpine` costs one model file, not the 18 node images of the
 * catalog; a tags list, a pull by digest or a deletion seed the whole repository.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryPersistence } from '../host.ts';
import { parseCatalogIndex } from '../image/catalog.ts';
import { CatalogSeeder } from './catalog-seed.ts';
import { Registry } from './registry.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const index = parseCatalogIndex(new Uint8Array(readFileSync(join(ROOT, 'public', 'catalog', 'index.json'))));

async function hub() {
  const read: string[] = [];
  const asset = async (p: string) => {
    read.push(p);
    return new Uint8Array(readFileSync(join(ROOT, 'public', p)));
  };
  const persistence = new MemoryPersistence();
  const registry = await Registry.open(persistence, 'docker.io', new CatalogSeeder(asset, persistence));
  return { registry, read };
}

describe('docker.io catalog seeding', () => {
  it('seeds only the image a tag names, with its aliases', async () => {
    const { registry, read } = await hub();
    const entry = index.images.find((i) => i.name === 'node' && i.tags.includes('22-alpine'))!;
    const others = index.images.filter((i) => i.name === 'node' && i !== entry);
    expect(others.length).toBeGreaterThan(3);
    const m = await registry.getManifest('library/node', '22-alpine');
    // The index's platform manifests are readable by digest without seeding the rest.
    const platforms = JSON.parse(new TextDecoder().decode(m.bytes)).manifests as { digest: string }[];
    for (const p of platforms) await registry.getManifest('library/node', p.digest);
    const snap = registry.repositorySnapshot().find((r) => r.name === 'library/node')!;
    expect(snap.tags.map((t) => t.tag).sort()).toEqual([...entry.tags].sort());
    // No other node model file was read.
    for (const o of others) expect(read).not.toContain(`catalog/${o.file}`);
  });

  it('seeds the whole repository for a tags list', async () => {
    const { registry } = await hub();
    await registry.getManifest('library/alpine', '3.22');
    const list = await registry.tagsList('library/alpine');
    const all = index.images.filter((i) => i.name === 'alpine').flatMap((i) => i.tags);
    expect(list.tags).toEqual([...new Set(all)].sort());
  });

  it('finds a manifest by digest of an image not seeded yet', async () => {
    const { registry: a } = await hub();
    const digest = (await a.getManifest('library/busybox', 'latest')).digest;
    const { registry: b } = await hub();
    expect((await b.getManifest('library/busybox', digest)).digest).toBe(digest);
    await expect(b.getManifest('library/busybox', `sha256:${'0'.repeat(64)}`)).rejects.toMatchObject({ data: { errorCode: 'MANIFEST_UNKNOWN' } });
  });
});
