/**
 * What a RUN line sees of the filesystem's limits (issue 14): a symlink loop is "Too many levels
 * of symbolic links" (not "No such file or directory"), a long name is ENAMETOOLONG, and bytes
 * written to files are stopped by the filesystem quota, naming it and how to raise it.
 */
import { describe, expect, it } from 'vitest';
import { LayerlabError } from '../errors.ts';
import { LayerTree } from '../fs/layer-tree.ts';
import { LowerStack } from '../fs/lower-stack.ts';
import { UnionFs } from '../fs/union.ts';
import { FlatFs } from './flat-fs.ts';
import { createShell } from './shell.ts';
import { populateRootfs } from './test-support.ts';
import type { ShellFs } from './types.ts';

function shell() {
  const base = new LayerTree();
  populateRootfs(new FlatFs(base), 'alpine');
  base.freeze();
  const fs = new UnionFs(new LowerStack([base]), { clock: () => 1_700_000_000 });
  return { fs, sh: createShell({ fs: fs as unknown as ShellFs, now: () => 1_700_000_000 }) };
}

describe('filesystem errors in RUN', () => {
  it('reports a symlink loop as ELOOP in cat, ls, cd, stat and wc', async () => {
    const { sh } = shell();
    const r = await sh.run('ln -s /b /a; ln -s /a /b; cat /a; ls /a; cd /a; stat /a/x; wc -c /a; cat /etc/nope; true');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      'cat: /a: Too many levels of symbolic links',
      "ls: cannot access '/a': Too many levels of symbolic links",
      '/bin/sh: cd: /a: Too many levels of symbolic links',
      "stat: cannot statx '/a/x': Too many levels of symbolic links",
      'wc: /a: Too many levels of symbolic links',
      'cat: /etc/nope: No such file or directory',
    ]);
  });

  it('refuses a name over 255 bytes with ENAMETOOLONG and quotes a short path', async () => {
    const { fs, sh } = shell();
    const r = await sh.run('touch /$(printf "b%.0s" $(seq 300)); echo rc=$?');
    expect(r.stdout).toBe('rc=1\n');
    expect(r.stderr).toMatch(/: File name too long$/m);
    // touch quotes the argument it was given (300 bytes), then the short reason.
    expect(r.stderr.length).toBeLessThan(600);
    expect(fs.readdir('/').some((n) => n.startsWith('bbb'))).toBe(false);
  });

  it('stops writes past the filesystem quota, naming the limit and how to raise it', async () => {
    const { sh } = shell();
    const err = await sh.run('x=$(printf "%010000d" 0); i=0; while [ $i -lt 50 ]; do echo $x > /f$i; i=$((i+1)); done', { limits: { maxFsBytes: 100_000 } }).catch((e) => e);
    expect(err).toBeInstanceOf(LayerlabError);
    expect(err.data.limit).toBe('maxFsBytes');
    expect(err.message).toMatch(/filesystem quota \(maxFsBytes = 100000 bytes\).*raise `limits\.maxFsBytes` in the build request/);
  });
});
