import { describe, expect, it } from 'vitest';
import { isErrno } from '../errors.ts';
import { textContent } from './content.ts';
import type { UnionEvent } from './events.ts';
import { LayerTree, isWhiteout, makeDevice, makeDir, makeFile, makeSymlink } from './layer-tree.ts';
import { LowerStack } from './lower-stack.ts';
import { UnionFs } from './union.ts';

const text = (s: string) => textContent(s);
function base(): LayerTree {
  const t = new LayerTree();
  t.set('/etc/passwd', makeFile(text('root:x:0:0\n')));
  t.set('/etc/secret', makeFile(text('s'), { mode: 0o600 }));
  t.set('/bin/sh', makeFile(text('ELF-sh'), { mode: 0o755 }));
  t.set('/usr/lib/big.so', makeFile(text('x'.repeat(1000))));
  t.set('/usr/lib/other.so', makeFile(text('o')));
  t.set('/home/bob', makeDir({ uid: 1000, gid: 1000, mode: 0o755 }));
  t.set('/home/bob/notes', makeFile(text('n'), { uid: 1000, gid: 1000, mode: 0o600 }));
  t.set('/tmp', makeDir({ mode: 0o1777 }));
  t.set('/lib', makeSymlink('usr/lib'));
  t.set('/loop', makeSymlink('/loop'));
  return t.freeze();
}
function mount(extra?: (t: LayerTree) => void) {
  const layers = [base()];
  if (extra) {
    const t = new LayerTree();
    extra(t);
    layers.push(t.freeze());
  }
  const events: UnionEvent[] = [];
  const u = new UnionFs(new LowerStack(layers), { onEvent: (e) => events.push(e), clock: () => 1000 });
  return { u, events };
}
/** The upper layer printed as `path kind`, one line per entry. */
function upperOf(u: UnionFs): string[] {
  return [...u.upper.walk()].map(([p, e]) =>
    isWhiteout(e) ? `${p} whiteout` : `${p} ${e.type}${e.opaque ? ' opaque' : ''}`,
  );
}
const errno = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (isErrno(e, (e as { errno: never }).errno)) return (e as { errno: string }).errno;
    throw e;
  }
  return 'no error';
};

describe('UnionFs lookup', () => {
  it('reads lower files through the merged view and reports the layer', () => {
    const { u } = mount((t) => t.set('/etc/hosts', makeFile(text('h'))));
    expect(u.readTextFile('/etc/passwd')).toBe('root:x:0:0\n');
    expect(u.entryAt('/etc/hosts')!.layer).toBe(1);
    expect(u.entryAt('/etc/passwd')!.layer).toBe(0);
    expect(u.readdir('/etc')).toEqual(['hosts', 'passwd', 'secret']);
    expect(u.upper.entryCount).toBe(0);
  });

  it('stat looks like node: st_mode with type bits, isFile/isDirectory/isSymbolicLink', () => {
    const { u } = mount();
    const s = u.stat('/bin/sh');
    expect(s.mode).toBe(0o100755);
    expect(s.isFile()).toBe(true);
    expect(u.stat('/etc').isDirectory()).toBe(true);
    expect(u.lstat('/lib').isSymbolicLink()).toBe(true);
    expect(u.stat('/lib').isDirectory()).toBe(true);
    expect(s.size).toBe(6);
  });

  it('follows relative and absolute symlinks inside the root; .. never escapes /', () => {
    const { u } = mount();
    expect(u.readTextFile('/lib/other.so')).toBe('o');
    expect(u.realpath('/lib/../../../etc')).toBe('/etc');
    expect(u.readTextFile('/../../etc/passwd')).toBe('root:x:0:0\n');
    u.symlink('/etc/passwd', '/usr/abs');
    expect(u.readTextFile('/usr/abs')).toBe('root:x:0:0\n');
    // /lib is a symlink to usr/lib, so /lib/.. is /usr (physical resolution).
    expect(u.realpath('/lib/..')).toBe('/usr');
    expect(errno(() => u.realpath('/lib/../etc'))).toBe('ENOENT');
  });

  it('symlink then .. resolves physically (like the kernel), not lexically', () => {
    const { u } = mount();
    u.mkdir('/a/b/c', { recursive: true });
    u.symlink('/a/b/c', '/s');
    u.writeFile('/a/b/f', 'F');
    expect(u.readTextFile('/s/../f')).toBe('F');
  });

  it('symlink loops end in ELOOP after 40 hops', () => {
    const { u } = mount();
    expect(errno(() => u.stat('/loop'))).toBe('ELOOP');
    u.symlink('b', '/a');
    u.symlink('a', '/b');
    expect(errno(() => u.readFile('/a'))).toBe('ELOOP');
    expect(u.lstat('/a').isSymbolicLink()).toBe(true);
  });

  it('relative paths resolve against cwd', () => {
    const layers = [base()];
    const u = new UnionFs(new LowerStack(layers), { cwd: '/etc' });
    expect(u.readTextFile('passwd')).toBe('root:x:0:0\n');
    u.chdir('../usr');
    expect(u.readdir('lib')).toEqual(['big.so', 'other.so']);
  });

  it('reports ENOENT, ENOTDIR, EISDIR', () => {
    const { u } = mount();
    expect(errno(() => u.stat('/nope'))).toBe('ENOENT');
    expect(errno(() => u.stat('/etc/passwd/x'))).toBe('ENOTDIR');
    expect(errno(() => u.readFile('/etc'))).toBe('EISDIR');
    expect(errno(() => u.readdir('/etc/passwd'))).toBe('ENOTDIR');
    expect(u.exists('/nope')).toBe(false);
    expect(u.exists('/lib/big.so')).toBe(true);
  });
});

describe('UnionFs copy-up', () => {
  it('an append copies the whole file up, parents metadata-only first', () => {
    const { u, events } = mount();
    u.appendFile('/usr/lib/big.so', '!');
    expect(events).toEqual([
      { type: 'copied-up', path: '/usr', inodeType: 'dir', bytes: 0, fromLayer: 0 },
      { type: 'copied-up', path: '/usr/lib', inodeType: 'dir', bytes: 0, fromLayer: 0 },
      { type: 'copied-up', path: '/usr/lib/big.so', inodeType: 'file', bytes: 1000, fromLayer: 0 },
      { type: 'modified', path: '/usr/lib/big.so', size: 1001 },
    ]);
    expect(upperOf(u)).toEqual(['/usr dir', '/usr/lib dir', '/usr/lib/big.so file']);
    expect(u.readdir('/usr/lib')).toEqual(['big.so', 'other.so']);
    expect(u.entryAt('/usr/lib/other.so')!.layer).toBe(0);
    expect(u.lower.get('/usr/lib/big.so')!.inode.size).toBe(1000);
  });

  it('chmod, chown, utimes and truncate copy up too (whole file)', () => {
    for (const op of [
      (u: UnionFs) => u.chmod('/etc/passwd', 0o600),
      (u: UnionFs) => u.chown('/etc/passwd', 5, 5),
      (u: UnionFs) => u.utimes('/etc/passwd', 1, 2),
      (u: UnionFs) => u.truncate('/etc/passwd', 2),
    ]) {
      const { u, events } = mount();
      op(u);
      expect(events.find((e) => e.type === 'copied-up' && e.path === '/etc/passwd')).toMatchObject({ bytes: 11 });
      expect(upperOf(u)).toEqual(['/etc dir', '/etc/passwd file']);
    }
    const { u } = mount();
    u.chmod('/etc/passwd', 0o600);
    expect(u.stat('/etc/passwd').mode).toBe(0o100600);
    u.truncate('/etc/passwd', 4);
    expect(u.readTextFile('/etc/passwd')).toBe('root');
  });

  it('copied-up parent directories keep the lower metadata', () => {
    const { u } = mount();
    u.writeFile('/home/bob/new', 'x');
    const bob = u.upper.get('/home/bob') as { uid: number; mode: number };
    expect(bob.uid).toBe(1000);
    expect(bob.mode).toBe(0o755);
  });

  it('a hard link copies the source up and shares the inode', () => {
    const { u } = mount();
    u.link('/etc/passwd', '/etc/passwd2');
    expect(u.stat('/etc/passwd2').ino).toBe(u.stat('/etc/passwd').ino);
    expect(u.stat('/etc/passwd').nlink).toBe(2);
    u.appendFile('/etc/passwd2', 'more');
    expect(u.readTextFile('/etc/passwd')).toBe('root:x:0:0\nmore');
    expect(upperOf(u)).toEqual(['/etc dir', '/etc/passwd file', '/etc/passwd2 file']);
  });

  it('writes through a symlink land on the target, a dangling symlink creates its target', () => {
    const { u } = mount();
    u.writeFile('/lib/other.so', 'new');
    expect(upperOf(u)).toEqual(['/usr dir', '/usr/lib dir', '/usr/lib/other.so file']);
    u.symlink('/tmp/made', '/dangling');
    u.writeFile('/dangling', 'd');
    expect(u.readTextFile('/tmp/made')).toBe('d');
  });
});

describe('UnionFs whiteouts and opaque directories', () => {
  it('unlink of a lower file leaves a whiteout; of an upper-only file just deletes it', () => {
    const { u, events } = mount();
    u.unlink('/etc/passwd');
    expect(upperOf(u)).toEqual(['/etc dir', '/etc/passwd whiteout']);
    expect(events.at(-1)).toEqual({ type: 'whited-out', path: '/etc/passwd', hidden: { inodeType: 'file', size: 11, fromLayer: 0 } });
    u.writeFile('/etc/new', 'n');
    u.unlink('/etc/new');
    expect(upperOf(u)).toEqual(['/etc dir', '/etc/passwd whiteout']);
    expect(events.at(-1)).toEqual({ type: 'removed', path: '/etc/new', inodeType: 'file' });
    expect(u.readdir('/etc')).toEqual(['secret']);
  });

  it('re-creating a whited-out file replaces the whiteout; deleting it again restores the whiteout', () => {
    const { u } = mount();
    u.unlink('/etc/passwd');
    u.writeFile('/etc/passwd', 'again');
    expect(upperOf(u)).toEqual(['/etc dir', '/etc/passwd file']);
    u.unlink('/etc/passwd');
    expect(upperOf(u)).toEqual(['/etc dir', '/etc/passwd whiteout']);
  });

  it('rm -r of a lower directory then mkdir makes an opaque directory', () => {
    const { u, events } = mount();
    u.rm('/usr', { recursive: true });
    expect(upperOf(u)).toEqual(['/usr whiteout']);
    u.mkdir('/usr');
    expect(upperOf(u)).toEqual(['/usr dir opaque']);
    expect(events.at(-1)).toEqual({ type: 'made-opaque', path: '/usr' });
    expect(u.readdir('/usr')).toEqual([]);
    expect(errno(() => u.stat('/lib/big.so'))).toBe('ENOENT');
  });

  it('rmdir needs an empty merged directory', () => {
    const { u } = mount();
    expect(errno(() => u.rmdir('/usr/lib'))).toBe('ENOTEMPTY');
    u.unlink('/usr/lib/big.so');
    u.unlink('/usr/lib/other.so');
    u.rmdir('/usr/lib');
    expect(upperOf(u)).toEqual(['/usr dir', '/usr/lib whiteout']);
    u.mkdir('/fresh');
    u.rmdir('/fresh');
    expect(u.upper.get('/fresh')).toBeUndefined();
  });

  it('an opaque directory from a lower layer hides what is below it', () => {
    const { u } = mount((t) => {
      const d = makeDir();
      d.opaque = true;
      t.set('/usr/lib', d);
      t.set('/usr/lib/only', makeFile(text('1')));
    });
    expect(u.readdir('/usr/lib')).toEqual(['only']);
    u.writeFile('/usr/lib/only', '2');
    expect((u.upper.get('/usr/lib') as { opaque: boolean }).opaque).toBe(false);
    expect(u.readdir('/usr/lib')).toEqual(['only']);
  });

  it('rm with force ignores a missing path; without recursive refuses a directory', () => {
    const { u } = mount();
    u.rm('/nope', { force: true });
    u.rm('/nope/deeper', { force: true });
    expect(errno(() => u.rm('/nope'))).toBe('ENOENT');
    expect(errno(() => u.rm('/etc'))).toBe('EISDIR');
    expect(errno(() => u.unlink('/etc'))).toBe('EISDIR');
    expect(errno(() => u.rmdir('/etc/passwd'))).toBe('ENOTDIR');
  });
});

describe('UnionFs rename', () => {
  it('renaming a lower directory fails with EXDEV (no redirect_dir)', () => {
    const { u } = mount();
    expect(errno(() => u.rename('/usr/lib', '/usr/lib2'))).toBe('EXDEV');
    u.writeFile('/usr/lib/x', 'x'); // now merged: still EXDEV
    expect(errno(() => u.rename('/usr/lib', '/usr/lib2'))).toBe('EXDEV');
  });

  it('renaming a lower file copies it up and whites out the old name', () => {
    const { u, events } = mount();
    u.rename('/etc/passwd', '/etc/passwd.bak');
    expect(upperOf(u)).toEqual(['/etc dir', '/etc/passwd whiteout', '/etc/passwd.bak file']);
    expect(events.map((e) => e.type)).toEqual(['copied-up', 'copied-up', 'whited-out', 'created']);
    expect(u.readTextFile('/etc/passwd.bak')).toBe('root:x:0:0\n');
  });

  it('renaming an upper-only directory moves it; into a merged parent it becomes opaque', () => {
    const { u } = mount();
    u.mkdir('/new/sub', { recursive: true });
    u.writeFile('/new/sub/f', 'f');
    u.rename('/new', '/moved');
    // The root is a merged directory, so the moved directory is marked opaque (as ovl_rename does).
    expect(upperOf(u)).toEqual(['/moved dir opaque', '/moved/sub dir', '/moved/sub/f file']);
    u.rename('/moved/sub', '/usr/sub');
    expect(upperOf(u)).toContain('/usr/sub dir opaque');
    expect(u.readTextFile('/usr/sub/f')).toBe('f');
  });

  it('rename over an existing file replaces it; over a non-empty dir fails', () => {
    const { u } = mount();
    u.writeFile('/tmp/a', 'A');
    u.rename('/tmp/a', '/etc/passwd');
    expect(u.readTextFile('/etc/passwd')).toBe('A');
    expect(upperOf(u)).toEqual(['/etc dir', '/etc/passwd file', '/tmp dir']);
    u.mkdir('/tmp/d');
    expect(errno(() => u.rename('/tmp/d', '/usr'))).toBe('ENOTEMPTY');
    expect(errno(() => u.rename('/tmp/d', '/etc/secret'))).toBe('ENOTDIR');
    expect(errno(() => u.rename('/etc/secret', '/tmp/d'))).toBe('EISDIR');
    expect(errno(() => u.rename('/tmp/d', '/tmp/d/e'))).toBe('EINVAL');
  });
});

describe('UnionFs creation and errors', () => {
  it('mkdir recursive, EEXIST, mode; mknod; symlink', () => {
    const { u } = mount();
    u.mkdir('/a/b/c', { recursive: true, mode: 0o700 });
    u.mkdir('/a/b/c', { recursive: true });
    expect(u.stat('/a/b').mode).toBe(0o40700);
    expect(errno(() => u.mkdir('/a'))).toBe('EEXIST');
    expect(errno(() => u.mkdir('/x/y'))).toBe('ENOENT');
    expect(errno(() => u.mkdir('/etc/passwd/x', { recursive: true }))).toBe('ENOTDIR');
    u.mknod('/dev-null', 'char', 0o666, 1, 3);
    expect(u.stat('/dev-null').isCharacterDevice()).toBe(true);
    expect(u.stat('/dev-null').rdev).toBe(259);
    u.mknod('/fifo', 'fifo');
    expect(u.stat('/fifo').isFIFO()).toBe(true);
    expect(errno(() => u.symlink('x', '/etc/passwd'))).toBe('EEXIST');
    expect(u.readlink('/lib')).toBe('usr/lib');
    expect(errno(() => u.readlink('/etc'))).toBe('EINVAL');
  });

  it('writeFile mode, new-file events, readdirWithTypes', () => {
    const { u, events } = mount();
    u.writeFile('/run.sh', '#!/bin/sh\n', { mode: 0o755 });
    expect(u.stat('/run.sh').mode).toBe(0o100755);
    expect(u.stat('/run.sh').mtime).toBe(1000);
    expect(events).toEqual([{ type: 'created', path: '/run.sh', inodeType: 'file', size: 10 }]);
    expect(u.readdirWithTypes('/').slice(0, 3)).toEqual([
      { name: 'bin', type: 'dir' },
      { name: 'etc', type: 'dir' },
      { name: 'home', type: 'dir' },
    ]);
  });

  it('a read-only mount rejects changes with EROFS', () => {
    const u = new UnionFs(new LowerStack([base()]), { readOnly: true });
    expect(errno(() => u.writeFile('/x', 'x'))).toBe('EROFS');
    expect(errno(() => u.unlink('/etc/passwd'))).toBe('EROFS');
    expect(u.readTextFile('/etc/passwd')).toBe('root:x:0:0\n');
  });

  it('devices read as empty and swallow writes', () => {
    const { u } = mount((t) => t.set('/dev/null', makeDevice('char', 1, 3, { mode: 0o666 })));
    u.writeFile('/dev/null', 'gone');
    expect(u.readFile('/dev/null').length).toBe(0);
    expect(upperOf(u)).toEqual([]);
  });
});

describe('UnionFs permissions', () => {
  it('a non-root user cannot write into a root-owned 0755 dir or read a 0600 file of another user', () => {
    const { u } = mount();
    u.setUser({ uid: 1000, gid: 1000 });
    expect(errno(() => u.writeFile('/etc/x', 'x'))).toBe('EACCES');
    expect(errno(() => u.readFile('/etc/secret'))).toBe('EACCES');
    expect(errno(() => u.unlink('/etc/passwd'))).toBe('EACCES');
    expect(errno(() => u.appendFile('/etc/passwd', 'x'))).toBe('EACCES');
    expect(u.readTextFile('/home/bob/notes')).toBe('n');
    u.writeFile('/home/bob/mine', 'm');
    expect(u.stat('/home/bob/mine').uid).toBe(1000);
    expect(errno(() => u.chown('/home/bob/mine', 0, 0))).toBe('EPERM');
    expect(errno(() => u.chmod('/etc/passwd', 0o777))).toBe('EPERM');
    expect(errno(() => u.mknod('/home/bob/dev', 'char', 0o600, 1, 1))).toBe('EPERM');
  });

  it('search permission is needed on every directory component', () => {
    const { u } = mount();
    u.mkdir('/private', { mode: 0o700 });
    u.writeFile('/private/f', 'f', { mode: 0o644 });
    u.setUser({ uid: 1000, gid: 1000 });
    expect(errno(() => u.stat('/private/f'))).toBe('EACCES');
    u.setUser({ uid: 0, gid: 0 });
    expect(u.readTextFile('/private/f')).toBe('f');
  });

  it('group bits apply through supplementary groups; sticky /tmp protects other users files', () => {
    const { u } = mount();
    u.writeFile('/shared', 's', { mode: 0o640 });
    u.chown('/shared', 0, 50);
    u.setUser({ uid: 1000, gid: 1000, groups: [50] });
    expect(u.readTextFile('/shared')).toBe('s');
    u.writeFile('/tmp/bobs', 'b');
    u.setUser({ uid: 1001, gid: 1001 });
    expect(errno(() => u.unlink('/tmp/bobs'))).toBe('EPERM');
    u.writeFile('/tmp/alices', 'a');
    u.unlink('/tmp/alices');
  });

  it('root bypasses read/write checks but needs an execute bit to execute', () => {
    const { u } = mount();
    u.readFile('/etc/secret');
    expect(errno(() => u.access('/etc/passwd', 1))).toBe('EACCES');
    u.access('/bin/sh', 1);
  });
});

describe('UnionFs commit', () => {
  it('freezeUpper returns the changeset; commit stacks it for the next step', () => {
    const { u } = mount();
    u.writeFile('/etc/passwd', 'changed');
    u.rm('/usr', { recursive: true });
    const { layer, lower } = u.commit();
    expect(layer.isFrozen).toBe(true);
    expect(errno(() => u.writeFile('/x', 'x'))).toBe('EROFS');
    const next = new UnionFs(lower);
    expect(next.readTextFile('/etc/passwd')).toBe('changed');
    expect(next.exists('/usr')).toBe(false);
    expect(next.entryAt('/etc/passwd')!.layer).toBe(1);
    expect(next.upper.entryCount).toBe(0);
  });

  it('a new union over a shared LowerStack copies nothing per path', () => {
    const lower = new LowerStack([base()]);
    lower.build();
    const a = new UnionFs(lower);
    const b = new UnionFs(lower);
    a.writeFile('/etc/passwd', 'a');
    expect(b.readTextFile('/etc/passwd')).toBe('root:x:0:0\n');
    expect(b.upper.entryCount).toBe(0);
  });
});

describe('graft (a package unpacked in one step)', () => {
  const entries = () => [
    { path: 'package.json', type: 'file' as const, mode: 0o644, content: text('{"name":"a"}') },
    { path: 'lib/index.js', type: 'file' as const, mode: 0o644, content: text('module.exports=1') },
    { path: 'bin/cli.js', type: 'file' as const, mode: 0o755, content: text('#!/usr/bin/env node') },
    { path: 'lib/deep/x.js', type: 'file' as const, mode: 0o644, content: text('x') },
    { path: 'link', type: 'symlink' as const, mode: 0o777, target: 'lib/index.js' },
  ];
  /** Every entry of the upper layer with its metadata, for comparing two ways of writing the same tree. */
  const dump = (u: UnionFs) =>
    [...u.upper.walk()].map(([p, e]) => (isWhiteout(e) ? `${p} wh` : `${p} ${e.type} ${e.mode.toString(8)} ${e.uid}:${e.gid} ${e.mtime} ${e.size} ${e.nlink}`));

  it('leaves the same upper layer, owners and events as mkdir + one write per file', () => {
    const a = mount();
    a.u.mkdir('/opt/app/node_modules', { recursive: true });
    expect(a.u.graft('/opt/app/node_modules/a', entries())).toBe(true);
    const b = mount();
    b.u.mkdir('/opt/app/node_modules', { recursive: true });
    b.u.mkdir('/opt/app/node_modules/a');
    for (const e of entries()) {
      const p = `/opt/app/node_modules/a/${e.path}`;
      b.u.mkdir(p.slice(0, p.lastIndexOf('/')), { recursive: true });
      if (e.type === 'symlink') b.u.symlink(e.target!, p);
      else b.u.writeContent(p, e.content!, { mode: e.mode });
    }
    expect(dump(a.u)).toEqual(dump(b.u));
    expect(a.u.readTextFile('/opt/app/node_modules/a/link')).toBe('module.exports=1');
    const created = (ev: UnionEvent[]) => ev.filter((e) => e.type === 'created').map((e) => (e as { path: string }).path).sort();
    expect(created(a.events)).toEqual(created(b.events));
  });

  it('refuses an existing directory (false, nothing changed) and bad entry names', () => {
    const { u } = mount();
    expect(u.graft('/usr/lib', entries())).toBe(false);
    expect(upperOf(u)).toEqual([]);
    expect(() => u.graft('/opt', [{ path: '../etc/passwd', type: 'file', mode: 0o644, content: text('x') }])).toThrow(/Invalid argument/);
    expect(u.exists('/opt')).toBe(false);
  });

  it('checks the acting user may create the directory', () => {
    const { u } = mount();
    u.setUser({ uid: 1000, gid: 1000, groups: [] });
    expect(() => u.graft('/usr/lib/pkg', entries())).toThrow(/EACCES|Permission denied/);
    expect(u.graft('/home/bob/pkg', entries())).toBe(true);
    expect(u.stat('/home/bob/pkg/lib/index.js').uid).toBe(1000);
  });
});

describe('path lookups that skip work (plainDirDepth, the last-directory cache)', () => {
  it('counts the leading plain directories across the upper and lower layers', () => {
    const low = new LayerTree();
    low.set('/a/b/c/d', makeDir());
    low.set('/a/s', makeSymlink('b'));
    low.set('/a/f', makeFile(textContent('x')));
    const fs = new UnionFs(new LowerStack([low.freeze()]));
    fs.mkdir('/d/d/d/d', { recursive: true });
    fs.mkdir('/a/b/x/y', { recursive: true });
    fs.rm('/a/b/c/d', { recursive: true });
    const depth = (p: string) => fs.plainDirDepth(p);
    expect(depth('/')).toBe(0);
    expect(depth('/d/d/d/d')).toBe(4);
    expect(depth('/d/d/d/d/new')).toBe(4);
    expect(depth('/d/d/x/y')).toBe(2);
    expect(depth('/a/b/c')).toBe(3); // upper /a/b over the lower directory c
    expect(depth('/a/b/c/d')).toBe(3); // whited out
    expect(depth('/a/s/c')).toBe(1); // a symlink stops it
    expect(depth('/a/f/g')).toBe(1); // a file stops it
    expect(depth('/a/b/x/y/z')).toBe(4);
    expect(depth('relative/path')).toBe(0);
    expect(depth('/a/../a')).toBe(0); // not clean: the caller resolves it
  });

  it('answers right after the tree changes under a directory it looked up last', () => {
    const fs = new UnionFs(new LowerStack([base().freeze()]));
    fs.mkdir('/p/q/r', { recursive: true });
    fs.writeFile('/p/q/r/f', 'one');
    expect(fs.readTextFile('/p/q/r/f')).toBe('one');
    fs.rename('/p/q', '/p/moved');
    expect(() => fs.stat('/p/q/r/f')).toThrow(/ENOENT/);
    expect(fs.readTextFile('/p/moved/r/f')).toBe('one');
    fs.rm('/p/moved', { recursive: true });
    expect(() => fs.stat('/p/moved/r/f')).toThrow(/ENOENT/);
    fs.writeFile('/p/moved', 'now a file');
    expect(() => fs.stat('/p/moved/r')).toThrow(/ENOTDIR|ENOENT/);
    expect(fs.plainDirDepth('/p/moved/r')).toBe(1);
    fs.symlink('/etc', '/p/link');
    expect(fs.plainDirDepth('/p/link/passwd')).toBe(1);
    expect(fs.readTextFile('/p/link/passwd')).toBe('root:x:0:0\n');
  });
});

