import { describe, expect, it } from 'vitest';
import { SyntheticContent, textContent } from './content.ts';
import { LayerTree, WHITEOUT, makeDir, makeFile } from './layer-tree.ts';
import { LowerStack } from './lower-stack.ts';
import { UnionFs } from './union.ts';
import { analyzeWaste } from './waste.ts';

const MB = 1_000_000;
const big = (n: number, seed = 1) => makeFile(new SyntheticContent(n, seed));

/** Runs `change` on a union over `lower` and returns the committed upper layer (real copy-up semantics). */
function layerFrom(lower: LayerTree[], change: (u: UnionFs) => void): LayerTree {
  const u = new UnionFs(new LowerStack([...lower]), { clock: () => 1000 });
  change(u);
  return u.commit().layer;
}

function base(): LayerTree {
  const t = new LayerTree();
  t.set('/etc/passwd', makeFile(textContent('root:x:0:0:root:/root:/bin/sh\n'))); // 30 B
  t.set('/var/lib/apt/lists/deb_main_Packages', big(8 * MB, 2));
  t.set('/var/lib/apt/lists/deb_updates_Packages', big(2 * MB, 3));
  t.set('/opt/model.bin', big(10 * MB, 4));
  return t.freeze();
}

describe('analyzeWaste', () => {
  it('counts a later `rm -rf /var/lib/apt/lists/*` as waste of the layer that ships the lists', () => {
    const l0 = base();
    const l1 = layerFrom([l0], (u) => {
      for (const f of u.readdir('/var/lib/apt/lists')) u.rm(`/var/lib/apt/lists/${f}`, { recursive: true });
    });
    const r = analyzeWaste([l0, l1]);
    // layer 0 ships 30 + 8 MB + 2 MB + 10 MB; the two lists (10 MB) are hidden by whiteouts in layer 1.
    expect(r.total).toBe(30 + 20 * MB);
    expect(r.wasted).toBe(10 * MB);
    expect(r.layers[0]).toEqual({ layer: 0, shipped: 30 + 20 * MB, wasted: 10 * MB, hides: 0 });
    expect(r.layers[1]).toEqual({ layer: 1, shipped: 0, wasted: 0, hides: 10 * MB });
    expect(r.files.map((f) => [f.path, f.size, f.layer, f.hiddenBy, f.cause])).toEqual([
      ['/var/lib/apt/lists/deb_main_Packages', 8 * MB, 0, 1, 'whiteout'],
      ['/var/lib/apt/lists/deb_updates_Packages', 2 * MB, 0, 1, 'whiteout'],
    ]);
    expect(r.efficiency).toBeCloseTo(1 - (10 * MB) / (30 + 20 * MB), 12);
  });

  it('counts the whole lower copy of a file that a later layer only chmod-ed (copy-up copies the whole file)', () => {
    const l0 = base();
    const l1 = layerFrom([l0], (u) => u.chmod('/opt/model.bin', 0o600));
    const r = analyzeWaste([l0, l1]);
    expect(r.layers[1].shipped).toBe(10 * MB); // the copy-up: all 10 MB again
    expect(r.total).toBe(30 + 30 * MB);
    expect(r.wasted).toBe(10 * MB);
    expect(r.files).toEqual([{ path: '/opt/model.bin', size: 10 * MB, layer: 0, hiddenBy: 1, cause: 'replaced' }]);
  });

  it('counts files hidden by an opaque directory (dive does not)', () => {
    const l0 = base();
    const l1 = layerFrom([l0], (u) => {
      u.rm('/var/lib/apt', { recursive: true });
      u.mkdir('/var/lib/apt');
      u.writeFile('/var/lib/apt/new', 'n');
    });
    expect(l1.get('/var/lib/apt')).toMatchObject({ opaque: true });
    const r = analyzeWaste([l0, l1]);
    expect(r.wasted).toBe(10 * MB);
    expect(r.total).toBe(30 + 20 * MB + 1);
    expect(new Set(r.files.map((f) => f.cause))).toEqual(new Set(['opaque']));
    expect(r.layers[1].hides).toBe(10 * MB);
  });

  it('counts a file deleted and re-added once: the first copy is waste, the visible one is not', () => {
    const l0 = base();
    const l1 = layerFrom([l0], (u) => u.rm('/opt/model.bin'));
    const l2 = new LayerTree();
    l2.set('/opt/model.bin', big(10 * MB, 4)); // same bytes, added again
    l2.freeze();
    const r = analyzeWaste([l0, l1, l2]);
    expect(r.total).toBe(30 + 30 * MB);
    expect(r.wasted).toBe(10 * MB); // dive would report 20 MB (the path's size in both layers)
    expect(r.files).toEqual([{ path: '/opt/model.bin', size: 10 * MB, layer: 0, hiddenBy: 1, cause: 'whiteout' }]);
    expect(r.layers[2].wasted).toBe(0);
  });

  it('a file replaced by a directory, and a directory replaced by a file, hide everything below', () => {
    const l0 = new LayerTree();
    l0.set('/a', big(100));
    l0.set('/d/x', big(200));
    l0.set('/d/y/z', big(300));
    l0.freeze();
    const l1 = new LayerTree();
    l1.set('/a', makeDir());
    l1.set('/a/in', big(5));
    l1.set('/d', big(7));
    l1.freeze();
    const r = analyzeWaste([l0, l1]);
    expect(r.wasted).toBe(600);
    expect(r.layers[1].hides).toBe(600);
    expect(r.total).toBe(612);
  });

  it('keeps a hard-linked inode when one of its names survives, and counts it once', () => {
    const l0 = new LayerTree();
    const f = big(1000);
    l0.set('/x', f);
    l0.set('/y', f);
    l0.freeze();
    const l1 = new LayerTree();
    l1.set('/x', WHITEOUT);
    l1.freeze();
    const r = analyzeWaste([l0, l1]);
    expect(r.total).toBe(1000);
    expect(r.wasted).toBe(0);
    expect(r.efficiency).toBe(1);
  });

  it('an image without file bytes is fully efficient', () => {
    expect(analyzeWaste([new LayerTree().freeze()])).toMatchObject({ total: 0, wasted: 0, efficiency: 1, files: [] });
  });

  it('walks a deep tree without recursion', () => {
    const t = new LayerTree();
    t.set('/' + Array(1000).fill('d').join('/') + '/f', big(10));
    t.freeze();
    const t2 = new LayerTree();
    t2.set('/d', WHITEOUT);
    t2.freeze();
    expect(() => analyzeWaste([t])).not.toThrow();
    // tree.walk is used for per-layer totals; the hiding walk itself is iterative.
    expect(analyzeWaste([t, t2]).wasted).toBe(10);
  });
});
