import { describe, expect, it } from 'vitest';
import { textContent } from './content.ts';
import { LayerTree, makeDir, makeFile } from './layer-tree.ts';
import { LowerStack } from './lower-stack.ts';
import { dockerDiff } from './diff.ts';
import { UnionFs } from './union.ts';

function image() {
  const t = new LayerTree();
  t.set('/etc', makeDir({ mtime: 5 }), {});
  t.set('/etc/passwd', makeFile(textContent('root\n'), { mtime: 5 }));
  t.set('/etc/group', makeFile(textContent('root\n'), { mtime: 5 }));
  t.set('/var', makeDir({ mtime: 5 }));
  t.set('/var/cache', makeDir({ mtime: 5 }));
  t.set('/var/cache/a', makeFile(textContent('a'), { mtime: 5 }));
  return new LowerStack([t.freeze()]);
}
const print = (c: { kind: string; path: string }[]) => c.map((x) => `${x.kind} ${x.path}`);

describe('dockerDiff', () => {
  it('reports A, C, D like docker diff, parents of additions and deletions as C', () => {
    const u = new UnionFs(image(), { clock: () => 100 });
    u.writeFile('/etc/hosts', 'h');
    u.unlink('/etc/group');
    u.mkdir('/app');
    u.writeFile('/app/server.js', 'x');
    expect(print(dockerDiff(u))).toEqual(['A /app', 'A /app/server.js', 'C /etc', 'D /etc/group', 'A /etc/hosts']);
  });

  it('a modified file is C, and so is the directory holding it (moby naive diff)', () => {
    const u = new UnionFs(image(), { clock: () => 100 });
    u.chmod('/etc/passwd', 0o600);
    expect(print(dockerDiff(u))).toEqual(['C /etc', 'C /etc/passwd']);
  });

  it('rm -rf dir && mkdir dir: the directory is C, each old child D, each new child A', () => {
    const u = new UnionFs(image(), { clock: () => 100 });
    u.rm('/var/cache', { recursive: true });
    u.mkdir('/var/cache');
    u.writeFile('/var/cache/b', 'b');
    expect(print(dockerDiff(u))).toEqual(['C /var', 'C /var/cache', 'D /var/cache/a', 'A /var/cache/b']);
  });

  it('a deleted directory is one D; a new hard link does not make its target C; nothing changed prints nothing', () => {
    const u = new UnionFs(image(), { clock: () => 100 });
    u.rm('/var/cache', { recursive: true });
    u.link('/etc/passwd', '/etc/passwd2');
    expect(print(dockerDiff(u))).toEqual(['C /etc', 'A /etc/passwd2', 'C /var', 'D /var/cache']);
    expect(dockerDiff(new UnionFs(image()))).toEqual([]);
  });
});
