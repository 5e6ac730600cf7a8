import { describe, expect, it } from 'vitest';
import { createShell } from '../shell.ts';
import { makeRootfs } from '../test-support.ts';

const T = Date.UTC(2026, 0, 15, 9, 5, 3) / 1000;

describe('touch', () => {
  it('creates files and stamps them with the shell clock', async () => {
    const fs = makeRootfs();
    const sh = createShell({ fs, now: () => T });
    expect((await sh.run('touch /tmp/a /tmp/b')).exitCode).toBe(0);
    expect(fs.stat('/tmp/a').mtime).toBe(T);
    expect(fs.stat('/tmp/b').size).toBe(0);
    await sh.run('touch -d @1000 /tmp/a && touch -t 202001020304.05 /tmp/b');
    expect(fs.stat('/tmp/a').mtime).toBe(1000);
    expect(fs.stat('/tmp/b').mtime).toBe(Date.UTC(2020, 0, 2, 3, 4, 5) / 1000);
    await sh.run('touch -r /tmp/a /tmp/b');
    expect(fs.stat('/tmp/b').mtime).toBe(1000);
  });

  it('does not create with -c and reports what it cannot touch', async () => {
    const fs = makeRootfs();
    const sh = createShell({ fs, now: () => T });
    await sh.run('touch -c /tmp/none');
    expect(() => fs.stat('/tmp/none')).toThrow();
    const r = await sh.run('touch /no/such/dir/x');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("touch: cannot touch '/no/such/dir/x': No such file or directory\n");
  });
});
