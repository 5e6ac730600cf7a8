/**
 * No recursion on input-controlled depth (issue 14): tree functions handle trees far deeper than
 * the call stack allows (20,000 levels; a recursive walk overflowed near 5,000). The union fs
 * cannot name a path of PATH_MAX bytes, so its path-based functions (diff, merged view, rm -r)
 * get the deepest tree it can hold (2,047 levels of `/d`); a layer tar's paths grow with depth
 * (its size is quadratic), so the tar case is 3,000 levels and the lower stack's 6,000 with a raised maxPathBytes.
 */
import { describe, expect, it } from 'vitest';
import { cloneTree, mergedTree } from '../src/engine/container/container.ts';
import { textContent } from '../src/engine/fs/content.ts';
import { dockerDiff } from '../src/engine/fs/diff.ts';
import { Inode, LayerTree, makeDir, makeFile } from '../src/engine/fs/layer-tree.ts';
import { LowerStack } from '../src/engine/fs/lower-stack.ts';
import { UnionFs } from '../src/engine/fs/union.ts';
import { computeLayer } from '../src/engine/image/layer.ts';
import { recipeToTree, treeToRecipe } from '../src/engine/image/recipe.ts';
import { layerTarBytes, readLayerTar } from '../src/engine/image/tar.ts';
import { imageLimits } from '../src/engine/image/limits.ts';
import { createShell } from '../src/engine/shell/shell.ts';
import { populateRootfs } from '../src/engine/shell/test-support.ts';
import type { ShellFs } from '../src/engine/shell/types.ts';

const DEPTH = 20_000;

/** `/d/d/…/d/leaf` with DEPTH directories, built without paths (no O(depth²) set calls). */
function deepTree(depth = DEPTH): LayerTree {
  const t = new LayerTree();
  let dir: Inode = t.root;
  for (let i = 0; i < depth; i++) {
    const d = makeDir({ mtime: 1 });
    d.nlink = 1;
    dir.children!.set('d', d);
    dir = d;
  }
  const f = makeFile(textContent('bottom\n'), { mtime: 1 });
  f.nlink = 1;
  dir.children!.set('leaf', f);
  return t;
}

describe(`a tree ${DEPTH} directories deep`, { timeout: 120_000 }, () => {
  it('walks, counts and sizes', () => {
    const t = deepTree();
    expect(t.entryCount).toBe(DEPTH + 1);
    expect(t.contentSize).toBe(7);
  });

  it('writes a layer tar and reads it back (3,000 levels, with a raised maxPathBytes)', async () => {
    const t = deepTree(3000);
    const tar = await layerTarBytes(t);
    const back = await readLayerTar(tar, { limits: imageLimits({ maxPathBytes: 3 * 3000 }) });
    expect(back.entryCount).toBe(3001);
    expect((await computeLayer(t.freeze())).record.uncompressedSize).toBe(tar.length);
  });

  it('stacks in a lower stack and clones', () => {
    // The lower stack indexes by path (quadratic in depth): 6,000 levels.
    const lower = new LowerStack([deepTree(6000).freeze()]);
    expect([...lower.walk()].length).toBe(6001);
    expect(cloneTree(deepTree()).entryCount).toBe(DEPTH + 1);
  });

  it('diffs, merges and removes through the union fs (1,000 levels)', () => {
    // Simulation: the union's path-based lookups cost O(depth) each, so these are superlinear in
    // depth; 1,000 levels keep the test quick (the deepest the union can name is 2,045).
    const MAX = 1000;
    const fs = new UnionFs(new LowerStack([new LayerTree().freeze()]), { upper: deepTree(MAX) });
    expect(dockerDiff(fs).length).toBe(MAX + 1);
    const over = new UnionFs(new LowerStack([deepTree(MAX).freeze()]));
    expect(mergedTree(over).entryCount).toBe(MAX + 1);
    over.rm('/d', { recursive: true });
    expect(over.readdir('/')).toEqual([]);
  });

  it('runs a shell script through a path 2,000 directories deep (the deepest under PATH_MAX)', async () => {
    const base = new UnionFs(new LowerStack([new LayerTree().freeze()]));
    populateRootfs(base as unknown as ShellFs, 'alpine');
    const fs = new UnionFs(base.commit().lower);
    const sh = createShell({ fs: fs as unknown as ShellFs });
    const r = await sh.run(
      'p=/d; i=1; while [ $i -lt 2000 ]; do p=$p/d; i=$((i+1)); done; ' +
        'mkdir -p $p && echo bottom > $p/f && cd $p && cat f && ls $p && cp $p/f $p/g && mv $p/g $p/h && ls $p && rm -r /d/d/d && ls /d',
      { limits: { maxTimeMs: 120_000 } },
    );
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('bottom\nf\nf\nh\nd\n');
    expect(fs.readdir('/d/d')).toEqual([]);
  });

  it('round-trips through a layer recipe', () => {
    const t = deepTree(3000);
    expect(recipeToTree(treeToRecipe(t)).entryCount).toBe(3001);
  });
});
