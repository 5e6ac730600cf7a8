/**
 * Fixtures for the shell's tests and benchmark: a minimal Debian-like or Alpine-like root
 * filesystem (directories, /etc account files, program files on PATH, /bin/sh) on a FlatFs.
 */
import { FlatFs } from './flat-fs.ts';
import type { ShellFs } from './types.ts';

/** Programs placed in /usr/bin (Debian) or /bin (Alpine) by `populateRootfs`. */
export const BASE_PROGRAMS = [
  'echo', 'printf', 'cat', 'ls', 'cp', 'mv', 'rm', 'mkdir', 'rmdir', 'touch', 'ln', 'chmod', 'chown', 'chgrp', 'stat',
  'find', 'xargs', 'grep', 'sed', 'awk', 'head', 'tail', 'wc', 'sort', 'uniq', 'cut', 'tr', 'tee', 'basename',
  'dirname', 'pwd', 'env', 'id', 'whoami', 'true', 'false', 'test', '[', 'sleep', 'tar', 'gzip', 'gunzip', 'zcat',
  'sha256sum', 'mktemp', 'date', 'which', 'uname', 'nproc', 'getent', 'install', 'seq', 'expr', 'readlink', 'yes',
];

const enc = (s: string) => new TextEncoder().encode(s);

/** Fills `fs` with a small root filesystem of the given flavour (as root). */
export function populateRootfs(fs: ShellFs, flavour: 'debian' | 'alpine' = 'debian'): ShellFs {
  fs.setUser({ uid: 0, gid: 0 });
  for (const d of ['/bin', '/usr/bin', '/usr/sbin', '/sbin', '/etc', '/root', '/home', '/var', '/usr/local/bin']) fs.mkdir(d, { recursive: true });
  fs.mkdir('/tmp', { recursive: true });
  fs.chmod('/tmp', 0o1777);
  const binDir = flavour === 'debian' ? '/usr/bin' : '/bin';
  const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]);
  if (flavour === 'debian') {
    fs.writeFile('/usr/bin/dash', elf, { mode: 0o755 });
    fs.symlink('dash', '/usr/bin/sh');
    fs.symlink('/usr/bin/sh', '/bin/sh');
    for (const p of BASE_PROGRAMS) fs.writeFile(`${binDir}/${p}`, elf, { mode: 0o755 });
    for (const p of ['useradd', 'groupadd', 'adduser', 'addgroup']) fs.writeFile(`/usr/sbin/${p}`, elf, { mode: 0o755 });
    fs.writeFile('/etc/passwd', enc('root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n'));
    fs.writeFile('/etc/group', enc('root:x:0:\ndaemon:x:1:\nusers:x:100:\nnogroup:x:65534:\n'));
    fs.writeFile('/etc/shadow', enc('root:*:19000:0:99999:7:::\n'), { mode: 0o640 });
    fs.writeFile('/etc/gshadow', enc('root:*::\n'), { mode: 0o640 });
    fs.writeFile('/etc/debian_version', enc('12.5\n'));
  } else {
    fs.writeFile('/bin/busybox', elf, { mode: 0o755 });
    fs.symlink('/bin/busybox', '/bin/sh');
    for (const p of BASE_PROGRAMS) fs.symlink('/bin/busybox', `${binDir}/${p}`);
    for (const p of ['adduser', 'addgroup']) fs.symlink('/bin/busybox', `/usr/sbin/${p}`);
    fs.writeFile('/etc/passwd', enc('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n'));
    fs.writeFile('/etc/group', enc('root:x:0:root\nnogroup:x:65533:\nnobody:x:65534:\n'));
    fs.writeFile('/etc/shadow', enc('root:*::0:::::\n'), { mode: 0o640 });
    fs.writeFile('/etc/alpine-release', enc('3.20.0\n'));
  }
  return fs;
}

/** A fresh FlatFs holding a small root filesystem. */
export function makeRootfs(flavour: 'debian' | 'alpine' = 'debian'): FlatFs {
  const fs = new FlatFs();
  populateRootfs(fs, flavour);
  return fs;
}
