/**
 * Whatever the union filesystem lets a build create, `save` writes and `load` reads back (issue
 * 14): trees with names near NAME_MAX and paths near PATH_MAX, made through the union fs (which
 * refuses what Linux refuses), round-trip with identical digests.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { isErrno } from '../src/engine/errors.ts';
import { LayerTree } from '../src/engine/fs/layer-tree.ts';
import { LowerStack } from '../src/engine/fs/lower-stack.ts';
import { UnionFs } from '../src/engine/fs/union.ts';
import { assertValidImage } from '../src/engine/image/validate.ts';
import { createEngine } from '../src/engine/index.ts';
import { testHost } from './helpers.ts';

const localEngine = () => createEngine(testHost());

const SEED = Number(process.env.FC_SEED ?? 20261128);

/** A name of 1–260 bytes (some over NAME_MAX, some with 2-byte characters). */
const name = fc.oneof(
  fc.integer({ min: 200, max: 260 }).map((n) => 'n'.repeat(n)),
  fc.integer({ min: 100, max: 130 }).map((n) => 'é'.repeat(n)),
  fc.stringMatching(/^[a-z]{1,8}$/),
);
/** A chain of directories whose path ends near 4,096 bytes, then a file or a symlink. */
const op = fc.record({ depth: fc.integer({ min: 1, max: 30 }), seg: name, leaf: name, kind: fc.constantFrom('file', 'symlink', 'dir') });

it('save → load round-trips every tree the union fs accepts, near NAME_MAX and PATH_MAX', { timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
      const fs = new UnionFs(new LowerStack([new LayerTree().freeze()]), { clock: () => 1_700_000_000 });
      let created = 0;
      for (const o of ops) {
        // Walk down directory by directory (relative mkdir + chdir), as `cd` loops in RUN do.
        fs.chdir('/');
        for (let i = 0; i < o.depth; i++) {
          try {
            fs.mkdir(o.seg);
          } catch (e) {
            if (!isErrno(e, 'EEXIST') && !isErrno(e, 'ENAMETOOLONG')) throw e;
            if (isErrno(e, 'ENAMETOOLONG')) break;
          }
          fs.chdir(o.seg);
        }
        try {
          if (o.kind === 'file') fs.writeFile(o.leaf, 'x');
          else if (o.kind === 'symlink') fs.symlink('../' + o.leaf, o.leaf);
          else fs.mkdir(o.leaf);
          created++;
        } catch (e) {
          if (!isErrno(e, 'ENAMETOOLONG') && !isErrno(e, 'EEXIST')) throw e;
        }
      }
      const engine = localEngine();
      const store = await engine.store();
      const layer = await store.commitLayer(fs.freezeUpper());
      await store.putImage({ config: { architecture: 'amd64', os: 'linux', config: {}, history: [{ created_by: 'RUN deep' }], rootfs: { type: 'layers', diff_ids: [layer.diffId] } }, layers: [layer], tags: ['deep:1'] });
      const archive = await engine.images.save(['deep:1']);
      const other = localEngine();
      expect(await other.images.load(archive)).toEqual(['Loaded image: deep:1']);
      const back = (await other.store()).resolve('deep:1');
      expect(back.layers[0].diffId).toBe(layer.diffId);
      await assertValidImage(await other.store(), 'deep:1');
      return created >= 0;
    }),
    { numRuns: 25, seed: SEED },
  );
});
