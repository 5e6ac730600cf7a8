import { describe, expect, it } from 'vitest';
import { createShell } from '../shell.ts';
import { makeRootfs } from '../test-support.ts';

// ls, stat and find read owners from the image's /etc/passwd and /etc/group, and show real types and modes.
describe('ls, stat and find with the image\'s accounts', () => {
  const setup = async (script: string) => {
    const fs = makeRootfs('debian');
    const sh = createShell({ fs, now: () => 1_700_000_000 });
    await sh.run('useradd -u 1000 -m app && mkdir -p /srv/d && echo hi > /srv/f && ln -s f /srv/l && chown app /srv/f && chmod 4755 /srv/d');
    return sh.run(script);
  };

  it('ls -l shows types, modes, link counts and passwd names; ls -n the numbers', async () => {
    const r = await setup('ls -l /srv; ls -n /srv/f; ls -ld /srv/d');
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^total \d+$/);
    expect(lines[1]).toMatch(/^drwsr-xr-x 2 root root 4096 \w{3} +\d+ +[\d:]+ d$/);
    expect(lines[2]).toMatch(/^-rw-r--r-- 1 app {2}root +3 .* f$/);
    expect(lines[3]).toMatch(/^lrwxrwxrwx 1 root root +1 .* l -> f$/);
    expect(lines[4]).toMatch(/^-rw-r--r-- 1 1000 0 3 .* \/srv\/f$/);
    expect(lines[5]).toMatch(/^drwsr-xr-x 2 root root/);
  });

  it('stat -c formats and -L', async () => {
    const r = await setup('stat -c "%n %U:%G %a %A %F %s %h" /srv/f /srv/d /srv/l; stat -L -c %F /srv/l; stat -c %N /srv/l; stat /nope');
    expect(r.stdout).toBe(
      '/srv/f app:root 644 -rw-r--r-- regular file 3 1\n/srv/d root:root 4755 drwsr-xr-x directory 4096 2\n/srv/l root:root 777 lrwxrwxrwx symbolic link 1 1\nregular file\n\'/srv/l\' -> \'f\'\n',
    );
    expect(r.stderr).toBe("stat: cannot statx '/nope': No such file or directory\n");
  });

  it('find -user, -type l, -L and -exec', async () => {
    const r = await setup('cd /srv; find . -user app; find . -type l; find -L . -type f | sort; find . -name f -exec cat {} \\;');
    expect(r.stdout).toBe('./f\n./l\n./f\n./l\nhi\n');
    const bad = await setup('find / -user nobody-here');
    expect(bad.stderr).toBe("find: 'nobody-here' is not the name of a known user\n");
    expect(bad.exitCode).toBe(1);
  });
});
