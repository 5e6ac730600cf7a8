import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { bytesContent } from '../fs/content.ts';
import { Inode, LayerTree, WHITEOUT, makeDevice, makeDir, makeFile, makeSymlink, isWhiteout } from '../fs/layer-tree.ts';
import { computeLayer } from './layer.ts';
import { packTar } from 'modern-tar';
import { layerTarBytes, layerTarEntries, listTar, readLayerTar } from './tar.ts';
import { baseTree, upperTree } from './test-support.ts';

const GOLDEN = join(import.meta.dirname, '../../../test/golden');

async function golden(name: string, tree: LayerTree) {
  const tar = await layerTarBytes(tree);
  const { record } = await computeLayer(tree);
  const text = JSON.stringify({ diffId: record.diffId, digest: record.digest, size: record.size, uncompressedSize: record.uncompressedSize, entries: await listTar(tar) }, null, 1) + '\n';
  const file = join(GOLDEN, `${name}.json`);
  if (process.env.UPDATE_GOLDEN) {
    if (process.env.CI === 'true') throw new Error('UPDATE_GOLDEN is set under CI: refusing to rewrite golden files');
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, text);
  }
  expect(existsSync(file), `${file} missing: run with UPDATE_GOLDEN=1`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

/** Prints a tree as `path type mode uid:gid size [target|rdev|content]`, hard links by first name. */
function print(tree: LayerTree): string[] {
  const first = new Map<Inode, string>();
  return [...tree.walk()].map(([p, e]) => {
    if (isWhiteout(e)) return `${p} whiteout`;
    const f = first.get(e);
    if (f) return `${p} link ${f}`;
    if (e.type !== 'dir') first.set(e, p);
    const extra = e.type === 'file' ? [...e.content.read()].join(',') : e.type === 'symlink' ? e.target : e.type === 'char' || e.type === 'block' ? `${e.rdev.major},${e.rdev.minor}` : e.opaque ? 'opaque' : '';
    const x = e.xattrs ? Object.entries(e.xattrs).map(([k, v]) => `${k}=${new TextDecoder().decode(v)}`).join(';') : '';
    return `${p} ${e.type} ${e.mode.toString(8)} ${e.uid}:${e.gid} ${e.mtime} ${extra} ${x}`;
  });
}

describe('layer tar golden files', () => {
  test('base layer (files, hardlink, symlink, char device, setuid, sticky)', () => golden('layer-base', baseTree()));
  test('upper layer (whiteout, opaque dir, fifo)', () => golden('layer-upper', upperTree()));
  test('long names, long link targets, large uid, xattrs', () => {
    const t = new LayerTree();
    t.set(`/${'d'.repeat(120)}/${'f'.repeat(120)}`, makeFile(bytesContent(new Uint8Array([1, 2])), { uid: 3_000_000, gid: 3_000_000 }));
    t.set('/l', makeSymlink('/'.concat('t'.repeat(200))));
    t.set('/cap', makeFile(undefined, { xattrs: { 'user.note': new TextEncoder().encode('héllo') } }));
    t.set('/dev/sda', makeDevice('block', 8, 0, { mode: 0o660, gid: 6 }));
    return golden('layer-pax', t);
  });
});

describe('tar round trip', () => {
  test('reads back what it wrote', async () => {
    for (const t of [baseTree(), upperTree()]) expect(print(await readLayerTar(await layerTarBytes(t)))).toEqual(print(t));
  });

  const name = fc.stringMatching(/^[a-zA-Z0-9._é-]{1,12}$/).filter((s) => s !== '.' && s !== '..' && !s.startsWith('.wh.'));
  const meta = fc.record({ mode: fc.integer({ min: 0, max: 0o7777 }), uid: fc.integer({ min: 0, max: 5_000_000 }), gid: fc.integer({ min: 0, max: 70_000 }), mtime: fc.oneof(fc.integer({ min: 0, max: 2 ** 33 }), fc.constant(0o77777777777 + 1)) });
  const op = fc.oneof(
    fc.record({ k: fc.constant('file'), path: fc.array(name, { minLength: 1, maxLength: 3 }), meta, data: fc.uint8Array({ maxLength: 700 }) }),
    fc.record({ k: fc.constant('dir'), path: fc.array(name, { minLength: 1, maxLength: 3 }), meta, opaque: fc.boolean() }),
    fc.record({ k: fc.constant('symlink'), path: fc.array(name, { minLength: 1, maxLength: 3 }), meta, target: fc.string({ maxLength: 150 }) }),
    fc.record({ k: fc.constant('whiteout'), path: fc.array(name, { minLength: 1, maxLength: 3 }) }),
    fc.record({ k: fc.constant('dev'), path: fc.array(name, { minLength: 1, maxLength: 3 }), meta, major: fc.integer({ min: 0, max: 255 }), minor: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ k: fc.constant('link'), path: fc.array(name, { minLength: 1, maxLength: 3 }), to: fc.nat() }),
  );

  test('property: the layer writer emits the bytes modern-tar packs (devices aside: modern-tar drops devmajor/devminor)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        const t = new LayerTree();
        const files: string[] = [];
        for (const o of ops) {
          const p = '/' + o.path.join('/');
          if (o.k === 'file') t.set(p, makeFile(bytesContent(o.data), o.meta));
          else if (o.k === 'dir') t.set(p, Object.assign(makeDir(o.meta), { opaque: o.opaque }));
          else if (o.k === 'symlink') t.set(p, makeSymlink(o.target, o.meta));
          else if (o.k === 'whiteout') t.set(p, WHITEOUT);
          else if (o.k === 'link' && files.length) {
            const target = t.get(files[o.to % files.length]);
            if (target instanceof Inode && target.type === 'file') t.set(p, target);
          }
          if (o.k === 'file') files.push(p);
        }
        const reference = await packTar([...layerTarEntries(t)].map((e) => ({ header: e.header, body: e.inode?.content.read() })));
        expect(await layerTarBytes(t)).toEqual(reference);
      }),
      { numRuns: 150, seed: Number(process.env.FC_SEED ?? 20261128) },
    );
  });

  test('property: write → read gives the same tree and the same diffID', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        const t = new LayerTree();
        const files: string[] = [];
        for (const o of ops) {
          const p = '/' + o.path.join('/');
          if (o.k === 'file') t.set(p, makeFile(bytesContent(o.data), o.meta));
          else if (o.k === 'dir') {
            const d = makeDir(o.meta);
            d.opaque = o.opaque;
            t.set(p, d);
          } else if (o.k === 'symlink') t.set(p, makeSymlink(o.target, o.meta));
          else if (o.k === 'whiteout') t.set(p, WHITEOUT);
          else if (o.k === 'dev') t.set(p, makeDevice('char', o.major, o.minor, o.meta));
          else if (o.k === 'link' && files.length) {
            const target = t.get(files[o.to % files.length]);
            if (target instanceof Inode && target.type === 'file') t.set(p, target);
          }
          if (o.k === 'file') files.push(p);
        }
        // Hard-link partners replaced later can leave a link whose first name was overwritten: keep only live ones.
        const tar = await layerTarBytes(t);
        const back = await readLayerTar(tar);
        expect(print(back)).toEqual(print(t));
        expect(await layerTarBytes(back)).toEqual(tar);
      }),
      { numRuns: 150, seed: Number(process.env.FC_SEED ?? 20261123) },
    );
  });
});
