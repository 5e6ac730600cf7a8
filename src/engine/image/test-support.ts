// Shared fixtures for the image suites: small layer trees and a two-layer image.
import { fixedClock, MemoryPersistence } from '../host.ts';
import { SyntheticContent, textContent } from '../fs/content.ts';
import { LayerTree, makeDevice, makeDir, makeFile, makeSymlink, WHITEOUT, Inode } from '../fs/layer-tree.ts';
import type { DiffID } from '../digest.ts';
import { rfc3339, type ImageConfig } from './config.ts';
import { ImageStore, type LayerRecord } from './store.ts';

export function baseTree(): LayerTree {
  const t = new LayerTree();
  t.set('/bin', makeDir({ mode: 0o755 }));
  t.set('/bin/busybox', makeFile(new SyntheticContent(20_000, 7), { mode: 0o755 }));
  const sh = makeFile(textContent('#!/bin/busybox sh\n'), { mode: 0o4755 });
  t.set('/bin/sh', sh);
  t.set('/bin/ash', sh);
  t.set('/bin/ls', makeSymlink('busybox'));
  t.set('/dev', makeDir());
  t.set('/dev/null', makeDevice('char', 1, 3, { mode: 0o666 }));
  t.set('/etc', makeDir());
  t.set('/etc/passwd', makeFile(textContent('root:x:0:0:root:/root:/bin/sh\n')));
  t.set('/tmp', makeDir({ mode: 0o1777 }));
  t.set('/home/app', makeDir({ uid: 1000, gid: 1000, mode: 0o750 }));
  return t;
}

export function upperTree(): LayerTree {
  const t = new LayerTree();
  t.set('/etc', makeDir());
  t.set('/etc/passwd', WHITEOUT);
  t.set('/etc/motd', makeFile(textContent('hello\n'), { mtime: 1_700_000_000 }));
  const d = makeDir();
  d.opaque = true;
  t.set('/tmp', d);
  t.set('/tmp/new', makeFile(textContent('x')));
  t.set('/run', new Inode('fifo'));
  return t;
}

export function configFor(layers: LayerRecord[], extra: Partial<ImageConfig> = {}): ImageConfig {
  return {
    created: rfc3339(Date.UTC(2026, 0, 1)),
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['/bin/sh'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId as DiffID) },
    history: [
      ...layers.map((_, i) => ({ created: rfc3339(Date.UTC(2026, 0, 1)), created_by: i === 0 ? 'ADD rootfs.tar / # buildkit' : 'RUN /bin/sh -c rm /etc/passwd && echo hello > /etc/motd # buildkit' })),
      { created: rfc3339(Date.UTC(2026, 0, 1)), created_by: 'CMD ["/bin/sh"]', empty_layer: true },
    ],
    ...extra,
  };
}

export async function storeWithImage(tags = ['alpine:latest']) {
  const persistence = new MemoryPersistence();
  const store = await ImageStore.open(persistence, { clock: fixedClock() });
  const l1 = await store.commitLayer(baseTree());
  const l2 = await store.commitLayer(upperTree());
  const { imageId } = await store.putImage({ config: configFor([l1, l2]), layers: [l1, l2], tags });
  // Committed layers stay uncompressed until a blob is needed; these tests look at blobs.
  const img = await store.completeImage(imageId);
  return { persistence, store, layers: img.layers, imageId, manifestDigest: img.manifestDigest };
}

/** A snapshot of every persisted key and its bytes' length+first bytes, to prove "unchanged". */
export function snapshot(p: MemoryPersistence): string {
  return [...p.files].map(([k, v]) => `${k}:${v.length}:${[...v.subarray(0, 64)].join(',')}`).sort().join('\n');
}
