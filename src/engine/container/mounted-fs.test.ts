import { describe, expect, it } from 'vitest';
import { isErrno } from '../errors.ts';
import { textContent } from '../fs/content.ts';
import { LayerTree, makeFile } from '../fs/layer-tree.ts';
import { LowerStack } from '../fs/lower-stack.ts';
import { UnionFs } from '../fs/union.ts';
import { MountedFs } from './mounted-fs.ts';

function setup() {
  const base = new LayerTree();
  base.set('/etc/hosts', makeFile(textContent('127.0.0.1 localhost\n')));
  base.set('/data/old', makeFile(textContent('image content\n')));
  const root = new UnionFs(new LowerStack([base.freeze()]), { clock: () => 1 });
  const vol = new UnionFs(LowerStack.empty(), { clock: () => 1 });
  return { root, vol, fs: new MountedFs(root, [{ path: '/data', fs: vol }]) };
}

describe('MountedFs (volumes over the union)', () => {
  it('routes paths under a mount to the volume, not the container layer', () => {
    const { root, vol, fs } = setup();
    fs.writeFile('/data/new', new TextEncoder().encode('v'));
    fs.writeFile('/etc/x', new TextEncoder().encode('c'));
    expect(vol.readTextFile('/new')).toBe('v');
    expect([...root.upper.walk()].map(([p]) => p)).toEqual(['/etc', '/etc/x']);
    expect(fs.readdir('/data')).toEqual(['new']); // the mount hides the image's /data/old
    expect(fs.realpath('/data/new')).toBe('/data/new');
  });
  it('refuses rename across the mount boundary with EXDEV and removal of the mount point', () => {
    const { fs } = setup();
    fs.writeFile('/data/a', new Uint8Array([1]));
    let err: unknown;
    try {
      fs.rename('/data/a', '/tmp-a');
    } catch (e) {
      err = e;
    }
    expect(isErrno(err, 'EXDEV')).toBe(true);
    expect(() => fs.rmdir('/data')).toThrow();
  });
});
