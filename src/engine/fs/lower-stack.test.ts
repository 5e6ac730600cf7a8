import { describe, expect, it } from 'vitest';
import { textContent } from './content.ts';
import { LayerTree, WHITEOUT, makeDir, makeFile, makeSymlink } from './layer-tree.ts';
import { LowerStack } from './lower-stack.ts';

function layer(entries: Record<string, string | null | 'DIR' | 'OPQ'>): LayerTree {
  const t = new LayerTree();
  for (const [p, v] of Object.entries(entries)) {
    if (v === null) t.set(p, WHITEOUT);
    else if (v === 'DIR') t.set(p, makeDir());
    else if (v === 'OPQ') {
      const d = makeDir();
      d.opaque = true;
      t.set(p, d);
    } else t.set(p, makeFile(textContent(v)));
  }
  return t.freeze();
}
const view = (s: LowerStack) => [...s.walk()].map(([p, e]) => `${p} ${e.inode.type}@${e.layer}`);

describe('LowerStack', () => {
  it('merges layers top-down: higher layers win, directories merge', () => {
    const s = new LowerStack([layer({ '/a/x': '1', '/a/y': '2' }), layer({ '/a/y': '3', '/b': '4' })]);
    expect(view(s)).toEqual(['/a dir@1', '/a/x file@0', '/a/y file@1', '/b file@1']);
    expect(s.get('/a/y')!.inode.content.read()).toEqual(new TextEncoder().encode('3'));
    expect(s.childrenOf('/a')).toEqual(['x', 'y']);
  });

  it('a whiteout hides the path and its subtree', () => {
    const s = new LowerStack([layer({ '/d/x': '1', '/d/sub/y': '2', '/f': '1' }), layer({ '/d/sub': null, '/f': null })]);
    expect(view(s)).toEqual(['/d dir@1', '/d/x file@0']);
    expect(s.get('/d/sub/y')).toBeUndefined();
  });

  it('an opaque directory hides lower children but keeps its own', () => {
    const s = new LowerStack([layer({ '/d/x': '1', '/d/y': '1' }), layer({ '/d': 'OPQ', '/d/z': '2' }), layer({ '/d/w': '3' })]);
    expect(view(s)).toEqual(['/d dir@2', '/d/w file@2', '/d/z file@1']);
  });

  it('a file replaces a lower directory and its subtree; a directory replaces a lower file', () => {
    const s = new LowerStack([layer({ '/a/x': '1', '/b': 'f' }), layer({ '/a': 'file', '/b/c': 'x' })]);
    expect(view(s)).toEqual(['/a file@1', '/b dir@1', '/b/c file@1']);
    expect(s.get('/a/x')).toBeUndefined();
  });

  it('a whiteout in the bottom layer or for a missing path is harmless', () => {
    const s = new LowerStack([layer({ '/gone': null, '/a': '1' }), layer({ '/nothing': null })]);
    expect(view(s)).toEqual(['/a file@0']);
  });

  it('push() reuses the parent index and leaves the parent unchanged', () => {
    const base = new LowerStack([layer({ '/etc/a': '1', '/etc/b': '1' })]);
    expect(base.size).toBe(4);
    const next = base.push(layer({ '/etc/a': null, '/etc/c': '2' }));
    expect(view(next)).toEqual(['/etc dir@1', '/etc/b file@0', '/etc/c file@1']);
    expect(view(base)).toEqual(['/etc dir@0', '/etc/a file@0', '/etc/b file@0']);
    expect(next.depth).toBe(2);
    // Same answer as building the two layers from scratch.
    expect(view(new LowerStack(next.layers))).toEqual(view(next));
  });

  it('push() over an opaque directory drops the lower children', () => {
    const base = new LowerStack([layer({ '/d/x': '1' })]);
    const next = base.push(layer({ '/d': 'OPQ' }));
    expect(view(next)).toEqual(['/d dir@1']);
    expect(next.childrenOf('/d')).toEqual([]);
  });

  it('keeps symlinks as entries (never followed by the index)', () => {
    const t = new LayerTree();
    t.set('/bin', makeSymlink('usr/bin'));
    t.set('/usr/bin/sh', makeFile(textContent('sh')));
    const s = new LowerStack([t.freeze()]);
    expect(s.get('/bin')!.inode.type).toBe('symlink');
    expect(s.get('/bin/sh')).toBeUndefined();
  });

  it('an empty stack has a root directory', () => {
    const s = LowerStack.empty();
    expect(s.get('/')!.inode.type).toBe('dir');
    expect(s.childrenOf('/')).toEqual([]);
  });
});
