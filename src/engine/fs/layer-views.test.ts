import { describe, expect, it } from 'vitest';
import { textContent } from './content.ts';
import { LayerTree, WHITEOUT, makeDir, makeFile, makeSymlink } from './layer-tree.ts';
import { LowerStack } from './lower-stack.ts';
import { UnionFs } from './union.ts';
import { compareStacks, fileHistory, layerChanges, mergedEntries } from './layer-views.ts';

function base(): LayerTree {
  const t = new LayerTree();
  t.set('/etc/passwd', makeFile(textContent('root:x:0:0:root:/root:/bin/sh\n')));
  t.set('/etc/motd', makeFile(textContent('welcome\n')));
  t.set('/etc/apk/repositories', makeFile(textContent('https://dl-cdn/main\n')));
  t.set('/etc/apk/keys/a.pub', makeFile(textContent('KEY')));
  t.set('/bin/busybox', makeFile(textContent('x'.repeat(900)), { mode: 0o755 }));
  return t.freeze();
}
function upper(lower: LayerTree[], change: (u: UnionFs) => void): LayerTree {
  const u = new UnionFs(new LowerStack(lower), { clock: () => 1000 });
  change(u);
  return u.commit().layer;
}

describe('layer views', () => {
  it('marks a layer’s changes against the layers below: + ~ x ▦ → ⇄', () => {
    const l0 = base();
    const l1 = upper([l0], (u) => {
      u.writeFile('/new.txt', 'hi\n');
      u.appendFile('/etc/passwd', 'app:x:1000:1000::/home/app:/bin/sh\n');
      u.unlink('/etc/motd');
      u.rm('/etc/apk', { recursive: true });
      u.mkdir('/etc/apk');
      u.symlink('/bin/busybox', '/bin/sh');
      u.link('/new.txt', '/new-link');
    });
    const lines = layerChanges([l0, l1], 1).map((c) => `${c.marker} ${c.path}${c.lowerLayer !== undefined ? ` (layer ${c.lowerLayer}${c.lowerSize !== undefined ? `, ${c.lowerSize} B` : ''})` : ''} ${c.size}`);
    expect(lines).toEqual([
      '~ /bin (layer 0) 0',
      '→ /bin/sh 12',
      '~ /etc (layer 0) 0',
      '▦ /etc/apk (layer 0) 0',
      'x /etc/motd (layer 0, 8 B) 0',
      '~ /etc/passwd (layer 0, 30 B) 65',
      '+ /new-link 3',
      '⇄ /new.txt 0',
    ]);
  });

  it('a whiteout of a directory reports the bytes it hides', () => {
    const l0 = base();
    const l1 = new LayerTree();
    l1.set('/etc/apk', WHITEOUT);
    const c = layerChanges([l0, l1.freeze()], 1);
    expect(c.map((x) => x.marker)).toEqual(['~', 'x']);
    expect(c[1]).toEqual(expect.objectContaining({ path: '/etc/apk', marker: 'x', lowerLayer: 0, lowerSize: 20 + 3 }));
  });

  it('merged view: each path tagged with the layer that provides it', () => {
    const l0 = base();
    const l1 = upper([l0], (u) => {
      u.writeFile('/etc/motd', 'changed\n');
      u.unlink('/etc/passwd');
    });
    const m = mergedEntries([l0, l1]).map((e) => `${e.path}@${e.layer}`);
    expect(m).toContain('/etc/motd@1');
    expect(m).toContain('/bin/busybox@0');
    expect(m).not.toContain('/etc/passwd@0');
    expect(mergedEntries([l0, l1], 0).map((e) => e.path)).toContain('/etc/passwd');
  });

  it('file history: every version of one path down the stack', () => {
    const l0 = base();
    const l1 = upper([l0], (u) => u.appendFile('/etc/passwd', 'a:x:1:1::/:/bin/sh\n'));
    const l2 = upper([l0, l1], (u) => u.unlink('/etc/passwd'));
    const l3 = upper([l0, l1, l2], (u) => u.writeFile('/etc/passwd', 'root:x:0:0::/root:/bin/ash\n'));
    expect(fileHistory([l0, l1, l2, l3], '/etc/passwd')).toEqual([
      { layer: 0, change: 'added', type: 'file', size: 30, visible: false },
      { layer: 1, change: 'replaced', type: 'file', size: 49, visible: false },
      { layer: 2, change: 'deleted', size: 0, visible: false },
      { layer: 3, change: 'added', type: 'file', size: 27, visible: true },
    ]);
    const l4 = upper([l0], (u) => {
      u.rm('/etc/apk', { recursive: true });
      u.mkdir('/etc/apk');
    });
    expect(fileHistory([l0, l4], '/etc/apk/repositories')).toEqual([
      { layer: 0, change: 'added', type: 'file', size: 20, visible: false },
      { layer: 1, change: 'hidden', size: 0, visible: false },
    ]);
  });

  it('compares two stacks that share a base: shared layers once, then per-path changes', () => {
    const l0 = base();
    const a1 = new LayerTree();
    a1.set('/app/server.js', makeFile(textContent('console.log(1)\n')));
    a1.set('/app/old.js', makeFile(textContent('old')));
    const b1 = new LayerTree();
    b1.set('/app/server.js', makeFile(textContent('console.log(22)\n')));
    b1.set('/app/node_modules/x/index.js', makeFile(textContent('x'.repeat(500))));
    const r = compareStacks({ diffIds: ['d0', 'a1'], layers: [l0, a1.freeze()] }, { diffIds: ['d0', 'b1'], layers: [l0, b1.freeze()] });
    expect(r.sharedLayers).toBe(1);
    expect(r.added.map((x) => x.path)).toEqual(['/app/node_modules', '/app/node_modules/x', '/app/node_modules/x/index.js']);
    expect(r.removed).toEqual([{ path: '/app/old.js', size: 3 }]);
    expect(r.changed).toEqual([{ path: '/app/server.js', sizeBefore: 15, sizeAfter: 16 }]);
    expect(r.sizeDelta).toBe(516 - 18);
  });

  it('walks deep trees iteratively, parents before children', () => {
    const t = new LayerTree();
    const deep = '/' + Array(5000).fill('d').join('/');
    t.set(deep + '/f', makeFile(textContent('x')));
    t.set('/a', makeDir());
    t.set('/z', makeSymlink('/a'));
    const paths = [...t.walk()].map(([p]) => p);
    expect(paths.length).toBe(5003);
    expect(paths[0]).toBe('/a');
    expect(paths[1]).toBe('/d');
    expect(paths.at(-1)).toBe('/z');
  });
});
