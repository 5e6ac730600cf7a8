/**
 * A redirection the user may not open (EACCES as non-root, a missing directory) is reported and the
 * script goes on, as the image's /bin/sh does: compared with the real BusyBox `sh` (Alpine's) and
 * dash (Debian's) run as `nobody` on this machine, where they and `setpriv` exist and the tests run
 * as root; otherwise only the recorded expectations below are checked (they were taken from
 * BusyBox 1.37 and dash 0.5.12 the same way).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createShell } from '../src/engine/shell/shell.ts';
import { makeRootfs } from '../src/engine/shell/test-support.ts';

const NOBODY = { uid: 65534, gid: 65534, name: 'nobody', groups: [] as number[] };
const SCRIPTS = [
  'echo x > /root/f; echo status=$?; echo next',
  'echo x >> /root/f; echo st=$?',
  'cat /etc/passwd > /root/f; echo st=$?',
  'echo x > /nonexistent/dir/f; echo st=$?; echo after',
  'X=1; echo a > /root/f; echo "X=$X rc=$?"',
  'set -e; echo x > /root/f; echo never',
  ': > /root/f; echo never',
  'echo x > /tmp/ok-$$ && echo written; rm -f /tmp/ok-$$',
];

/** What the lab's shell prints for `script` on an image whose /bin/sh is busybox (alpine) or dash (debian). */
async function lab(flavour: 'alpine' | 'debian', script: string) {
  const fs = makeRootfs(flavour);
  fs.chmod('/root', 0o700);
  const r = await createShell({ fs, mounts: 'build', now: () => 1 }).run(script, { user: NOBODY });
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr.replace(/^\/bin\/sh: /gm, 'SH: ') };
}

const canRunReal = (prog: string) => process.getuid?.() === 0 && existsSync('/usr/bin/setpriv') && existsSync(prog);

/** The real shell as nobody, its `argv0:` prefix normalised like the lab's. */
function real(prog: string[], script: string) {
  const r = spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...prog, '-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a failed redirection is reported and the script continues', () => {
  it('busybox ash (alpine): `can\'t create`, status 1, special builtins exit', async () => {
    expect(await lab('alpine', SCRIPTS[0])).toEqual({ code: 0, stdout: 'status=1\nnext\n', stderr: "SH: can't create /root/f: Permission denied\n" });
    expect(await lab('alpine', SCRIPTS[3])).toEqual({ code: 0, stdout: 'st=1\nafter\n', stderr: "SH: can't create /nonexistent/dir/f: nonexistent directory\n" });
    expect((await lab('alpine', SCRIPTS[5])).code).toBe(1);
    expect((await lab('alpine', SCRIPTS[6])).code).toBe(1);
  });

  it('dash (debian): `cannot create`, status 2, special builtins exit with 2', async () => {
    expect(await lab('debian', SCRIPTS[0])).toEqual({ code: 0, stdout: 'status=2\nnext\n', stderr: 'SH: 1: cannot create /root/f: Permission denied\n' });
    expect(await lab('debian', SCRIPTS[3])).toEqual({ code: 0, stdout: 'st=2\nafter\n', stderr: 'SH: 1: cannot create /nonexistent/dir/f: Directory nonexistent\n' });
    expect(await lab('debian', SCRIPTS[6])).toEqual({ code: 2, stdout: '', stderr: 'SH: 1: cannot create /root/f: Permission denied\n' });
  });

  it.runIf(canRunReal('/usr/bin/busybox') || canRunReal('/bin/busybox'))('matches the real busybox sh, script by script', async () => {
    const bb = existsSync('/usr/bin/busybox') ? '/usr/bin/busybox' : '/bin/busybox';
    for (const s of SCRIPTS) {
      const want = real([bb, 'sh'], s);
      const got = await lab('alpine', s);
      expect({ script: s, code: got.code, stdout: got.stdout, stderr: got.stderr }).toEqual({ script: s, code: want.code, stdout: want.stdout, stderr: want.stderr.replace(/^sh: /gm, 'SH: ') });
    }
  });

  it.runIf(canRunReal('/bin/dash'))('matches the real dash, script by script', async () => {
    for (const s of SCRIPTS) {
      const want = real(['/bin/dash'], s);
      const got = await lab('debian', s);
      expect({ script: s, code: got.code, stdout: got.stdout, stderr: got.stderr }).toEqual({ script: s, code: want.code, stdout: want.stdout, stderr: want.stderr.replace(/^\/bin\/dash: /gm, 'SH: ') });
    }
  });
});
