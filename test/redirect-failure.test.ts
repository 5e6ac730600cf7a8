/**
 * A redirection the user may not open (EACCES as non-root, a missing directory) is reported and the
 * script goes on, as the image's /bin/sh does: compared with the real BusyBox `sh` (Alpine's) and
 * dash (Debian's) run as `nobody` on this machine, where they and `setpriv` exist and the tests run
 * as root; otherwise only the recorded expectations below are checked (they were taken from
 * BusyBox 1.37 and dash 0.5.12 the same way).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/**
 * Read-only mounts (BuildKit's read-only /sys, /proc/sys and /etc/hosts in RUN) and write-time
 * failures (a procfs file takes root's open and fails the write with EIO; /dev/full with ENOSPC).
 * The real shells are run as root over a read-only tmpfs mounted in a private mount namespace
 * (`unshare -m`, where the machine allows it); the lab runs the same script against /sys/kernel.
 */
const RO_SCRIPTS = [
  'echo x > $RO/f; echo status=$?; echo next',
  'echo x >> $RO/f; echo st=$?',
  'cat /etc/passwd > $RO/f; echo st=$?',
  'X=1; echo a > $RO/f; echo "X=$X rc=$?"',
  'set -e; echo x > $RO/f; echo never',
  ': > $RO/f; echo never',
  'f() { echo in-f; }; f > $RO/f; echo st=$?',
  'echo x > $RO/f || echo fallback',
  '{ echo a; } > $RO/f; echo st=$?; for i in 1 2; do echo $i; done >> $RO/f; echo st=$?',
  'echo b | while read l; do echo $l; done > $RO/f; echo st=$?',
];
const WRITE_FAIL_SCRIPTS = [
  'echo x > /proc/version; echo st=$?; echo next',
  'printf x > /proc/version; echo st=$?',
  'cat /etc/passwd > /proc/version; echo st=$?',
  'echo x > /dev/full; echo st=$?',
  'cat /etc/passwd > /dev/full; echo st=$?',
  'set -e; echo x > /dev/full; echo never',
];

async function labAsRoot(flavour: 'alpine' | 'debian', script: string) {
  const fs = makeRootfs(flavour);
  fs.writeFile('/etc/passwd', new TextEncoder().encode('root:x:0:0:root:/root:/bin/sh\n'));
  const r = await createShell({ fs, mounts: 'build', now: () => 1 }).run(script.replaceAll('$RO', '/sys/kernel'));
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr.replace(/^\/bin\/sh: /gm, 'SH: ').replaceAll('/sys/kernel', 'RO') };
}

const canUnshare = (() => {
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/unshare')) return false;
  const r = spawnSync('/usr/bin/unshare', ['-m', '--propagation', 'private', 'true'], { stdio: 'ignore' });
  return r.status === 0;
})();

/** The real shell with $RO a read-only tmpfs in a private mount namespace. */
function realOnReadOnly(prog: string[], script: string) {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-ro-'));
  try {
    const r = spawnSync('/usr/bin/unshare', ['-m', '--propagation', 'private', '/bin/sh', '-c', `mount -t tmpfs -o ro tmpfs "$0" && RO="$0" exec "$@"`, dir, ...prog, '-c', script], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: '/', env: { PATH: '/usr/bin:/bin' },
    });
    return { code: r.status, stdout: r.stdout.replaceAll(dir, 'RO'), stderr: r.stderr.replaceAll(dir, 'RO') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function realAsRoot(prog: string[], script: string) {
  const r = spawnSync(prog[0], [...prog.slice(1), '-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a redirection refused by a read-only mount, or a write that fails after the open', () => {
  it('dash (debian): `cannot create …: Read-only file system`, status 2, the script goes on; special builtins exit', async () => {
    expect(await labAsRoot('debian', RO_SCRIPTS[0])).toEqual({ code: 0, stdout: 'status=2\nnext\n', stderr: 'SH: 1: cannot create RO/f: Read-only file system\n' });
    expect((await labAsRoot('debian', RO_SCRIPTS[5])).code).toBe(2);
    expect(await labAsRoot('debian', 'echo x >> /etc/hosts; echo st=$?')).toEqual({ code: 0, stdout: 'st=2\n', stderr: 'SH: 1: cannot create /etc/hosts: Read-only file system\n' });
  });

  it('ash (alpine): `can\'t create …: Read-only file system`, status 1', async () => {
    expect(await labAsRoot('alpine', RO_SCRIPTS[0])).toEqual({ code: 0, stdout: 'status=1\nnext\n', stderr: "SH: can't create RO/f: Read-only file system\n" });
  });

  it('a procfs file opens for root and fails the write (EIO): the command reports it and exits 1', async () => {
    expect(await labAsRoot('debian', WRITE_FAIL_SCRIPTS[0])).toEqual({ code: 0, stdout: 'st=1\nnext\n', stderr: 'SH: 1: echo: echo: I/O error\n' });
    expect(await labAsRoot('alpine', WRITE_FAIL_SCRIPTS[2])).toEqual({ code: 0, stdout: 'st=1\n', stderr: 'cat: write error: Input/output error\n' });
  });

  it.runIf(canUnshare && existsSync('/bin/dash'))('matches the real dash over a read-only tmpfs, script by script', async () => {
    for (const s of RO_SCRIPTS) {
      const want = realOnReadOnly(['/bin/dash'], s);
      const got = await labAsRoot('debian', s);
      expect({ script: s, ...got }).toEqual({ script: s, ...want, stderr: want.stderr.replace(/^\/bin\/dash: /gm, 'SH: ') });
    }
  });

  it.runIf(canUnshare && existsSync('/usr/bin/busybox'))('matches the real busybox sh over a read-only tmpfs, script by script', async () => {
    for (const s of RO_SCRIPTS) {
      const want = realOnReadOnly(['/usr/bin/busybox', 'sh'], s);
      const got = await labAsRoot('alpine', s);
      expect({ script: s, ...got }).toEqual({ script: s, ...want, stderr: want.stderr.replace(/^sh: (?!write error)/gm, 'SH: ') });
    }
  });

  it.runIf(process.getuid?.() === 0 && existsSync('/bin/dash') && existsSync('/usr/bin/busybox'))('matches the real shells on /proc/version and /dev/full as root', async () => {
    for (const s of WRITE_FAIL_SCRIPTS) {
      const dash = realAsRoot(['/bin/dash'], s);
      expect({ script: s, ...(await labAsRoot('debian', s)) }).toEqual({ script: s, ...dash, stderr: dash.stderr.replace(/^\/bin\/dash: /gm, 'SH: ') });
      const ash = realAsRoot(['/usr/bin/busybox', 'sh'], s);
      expect({ script: s, ...(await labAsRoot('alpine', s)) }).toEqual({ script: s, ...ash });
    }
  });

  it.skipIf(canUnshare)('needs root and `unshare -m` to compare with real shells on a read-only mount (not available here)', () => {
    expect(canUnshare).toBe(false);
  });
});
