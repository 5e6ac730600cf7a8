/**
 * Fixtures for the container tests, the CLI suite and the benchmark: images written straight into
 * an ImageStore (the builder has its own suite). Environment-free: the caller passes the bytes of
 * `public/catalog/alpine-3.22.json`.
 */
import { SyntheticContent, textContent } from '../fs/content.ts';
import { LayerTree, makeDir, makeFile } from '../fs/layer-tree.ts';
import { loadCatalogImage } from '../image/catalog.ts';
import type { ContainerConfig, ImageConfig } from '../image/config.ts';
import type { LayerRecord } from '../image/layer.ts';
import type { ImageStore } from '../image/store.ts';

/** 50 MB (decimal, as docker prints sizes) of synthetic bytes: the big file of the teaching scenario. */
export const BIG_FILE_SIZE = 50_000_000;

/** Writes an image from layer trees (bottom first) and tags it. */
export async function putTestImage(
  store: ImageStore,
  tag: string,
  layers: LayerTree[],
  config: ContainerConfig,
  opts: { base?: { records: LayerRecord[]; config: ImageConfig }; created?: string } = {},
): Promise<string> {
  const records = [...(opts.base?.records ?? [])];
  const history = [...(opts.base?.config.history ?? [])];
  for (const l of layers) {
    records.push(await store.commitLayer(l.freeze()));
    history.push({ created: opts.created ?? '2026-02-01T00:00:00Z', created_by: `COPY layer ${records.length} / # buildkit`, comment: 'buildkit.dockerfile.v0' });
  }
  const { imageId } = await store.putImage({
    config: {
      created: opts.created ?? '2026-02-01T00:00:00Z',
      architecture: 'amd64',
      os: 'linux',
      config,
      rootfs: { type: 'layers', diff_ids: records.map((r) => r.diffId) },
      history,
    },
    layers: records,
    tags: [tag],
  });
  return imageId;
}

/** Puts `alpine:latest` from the catalog into the store; returns its image ID. */
export async function putAlpine(store: ImageStore, catalogBytes: Uint8Array): Promise<string> {
  const img = loadCatalogImage(catalogBytes);
  const records: LayerRecord[] = [];
  for (const t of img.layers) records.push(await store.commitLayer(t));
  const { imageId } = await store.putImage({
    config: {
      created: img.config.created,
      architecture: img.config.architecture,
      os: img.config.os,
      config: img.config.config,
      rootfs: { type: 'layers', diff_ids: records.map((r) => r.diffId) },
      history: img.config.history,
    },
    layers: records,
    tags: ['alpine:latest'],
  });
  return imageId;
}

/**
 * `bigfile:1` = alpine + a layer with `/opt/big.bin` (50 MB synthetic), `/opt/notes.txt` and a
 * `/srv/data` directory declared as a VOLUME-free data dir; `web:1` = alpine + `/usr/share/html`.
 */
export async function putTeachingImages(store: ImageStore, alpineId: string): Promise<{ big: string; web: string }> {
  const base = store.resolve(alpineId);
  const baseRef = { records: base.layers, config: base.config };
  const cc = base.config.config ?? {};
  const l = new LayerTree();
  l.set('/opt', makeDir({ mtime: 1_770_000_000 }));
  l.set('/opt/big.bin', makeFile(new SyntheticContent(BIG_FILE_SIZE, 42), { mtime: 1_770_000_000 }));
  l.set('/opt/notes.txt', makeFile(textContent('remember the whiteouts\n'), { mtime: 1_770_000_000 }));
  l.set('/srv/data/seed.txt', makeFile(textContent('seeded by the image\n'), { mtime: 1_770_000_000 }));
  const big = await putTestImage(store, 'bigfile:1', [l], { ...cc, Cmd: ['/bin/sh'] }, { base: baseRef });
  const w = new LayerTree();
  w.set('/usr/bin/python3', makeFile(new SyntheticContent(5000, 7), { mode: 0o755, mtime: 1_770_000_000 }));
  w.set('/usr/share/html/index.html', makeFile(textContent('<h1>hello</h1>\n'), { mtime: 1_770_000_000 }));
  const web = await putTestImage(store, 'web:1', [w], { ...cc, Cmd: ['python3', '-m', 'http.server', '8000'], ExposedPorts: { '8000/tcp': {} }, Volumes: { '/var/cache/web': {} } }, { base: baseRef });
  return { big, web };
}
