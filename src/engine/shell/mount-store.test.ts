import { describe, expect, it } from 'vitest';
import { decodeMountTrees, encodeMountTrees } from './mount-store.ts';
import { mountAdd, mountDir, mountEntry, type MountNode } from './system-mounts.ts';
import { LayerlabError } from '../errors.ts';

type N = { type: string; mode: number; uid: number; data?: Uint8Array; target?: string; children?: Map<string, N> };

describe('cache mount store', () => {
  it('round-trips trees with files, directories, links, modes and owners', () => {
    const root = mountDir(0o755, 1000, 1000);
    mountAdd(root, 'sub', mountEntry({ type: 'dir', mode: 0o700, uid: 5, gid: 5, mtime: 9 }, false));
    mountAdd(root, 'sub/f', mountEntry({ type: 'file', mode: 0o640, uid: 5, gid: 5, mtime: 9, data: new Uint8Array([1, 2, 3]) }, false));
    mountAdd(root, 'link', mountEntry({ type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 9, target: 'sub/f' }, false));
    mountAdd(root, 'empty', mountEntry({ type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 9 }, false));
    const back = decodeMountTrees(encodeMountTrees(new Map<string, MountNode>([['npm', root]])));
    const r = back.get('npm') as unknown as N;
    expect(r.uid).toBe(1000);
    const sub = r.children!.get('sub')!;
    expect(sub.mode).toBe(0o700);
    expect([...sub.children!.get('f')!.data!]).toEqual([1, 2, 3]);
    expect(r.children!.get('link')!.target).toBe('sub/f');
    expect(r.children!.get('empty')!.data!.length).toBe(0);
  });

  it('rejects garbage with a LayerlabError', () => {
    expect(() => decodeMountTrees(new Uint8Array([0, 0, 0, 9, 1, 2]))).toThrow(LayerlabError);
  });
});
