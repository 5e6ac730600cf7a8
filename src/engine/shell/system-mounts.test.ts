import { describe, expect, it } from 'vitest';
import { LayerTree } from '../fs/layer-tree.ts';
import { LowerStack } from '../fs/lower-stack.ts';
import { UnionFs } from '../fs/union.ts';
import { FlatFs } from './flat-fs.ts';
import { createShell } from './shell.ts';
import { populateRootfs } from './test-support.ts';
import type { ShellFs } from './types.ts';

// A Debian-like image with the empty /dev, /proc and /sys directories real images ship.
function image(withMountDirs = true) {
  const base = new LayerTree();
  const flat = new FlatFs(base);
  populateRootfs(flat, 'debian');
  if (withMountDirs) for (const d of ['/dev', '/proc', '/sys']) flat.mkdir(d);
  base.freeze();
  return new UnionFs(new LowerStack([base]), { clock: () => 1_700_000_000 });
}

// The paths the step's upper layer holds (what the layer would contain).
function upperPaths(fs: UnionFs): string[] {
  const out: string[] = [];
  const walk = (node: { children?: Map<string, unknown> }, at: string) => {
    for (const [name, child] of node.children ?? new Map()) {
      out.push(`${at}/${name}`);
      walk(child as { children?: Map<string, unknown> }, `${at}/${name}`);
    }
  };
  walk(fs.upper.root as never, '');
  return out.sort();
}

describe('RUN sees a container\'s /dev, /proc, /sys and /etc mounts, none of them in the layer', () => {
  it('writes to /dev/null, /dev/shm, and reads /dev/zero and /dev/urandom without touching the layer', async () => {
    const fs = image();
    const sh = createShell({ fs: fs as unknown as ShellFs });
    const r = await sh.run(
      'echo x > /dev/null; echo y >> /dev/null; mkdir -p /dev/shm/app && echo z > /dev/shm/app/f && cat /dev/shm/app/f; ' +
        'head -c 16 /dev/urandom | wc -c; head -c 8 /dev/zero | wc -c; test -c /dev/null && echo char; ' +
        'test -L /dev/stdout && readlink /dev/stdout; readlink /dev/fd; ls /dev/pts; ls /dev/mqueue; echo done > /kept',
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('z\n16\n8\nchar\n/proc/self/fd/1\n/proc/self/fd\nptmx\n');
    expect(upperPaths(fs)).toEqual(['/kept']);
  });

  it('fails writes to /dev/full with ENOSPC and keeps going', async () => {
    const sh = createShell({ fs: image() as unknown as ShellFs });
    const r = await sh.run('echo y > /dev/full; echo rc=$?; cat /etc/passwd > /dev/full; echo rc=$?');
    expect(r.stdout).toBe('rc=1\nrc=1\n');
    // dash's echo reports any write error as an I/O error; cat names the errno (checked with dash 0.5.12, coreutils 9).
    expect(r.stderr).toBe('/bin/sh: 1: echo: echo: I/O error\ncat: write error: No space left on device\n');
  });

  it('serves /proc (self, 1/, cpuinfo, meminfo, mounts, version) and a read-only /sys', async () => {
    const fs = image();
    const sh = createShell({ fs: fs as unknown as ShellFs });
    const r = await sh.run(
      'readlink /proc/self; grep -c ^processor /proc/cpuinfo; grep -c MemTotal /proc/meminfo; grep " /proc " /proc/mounts | cut -d" " -f1-3; ' +
        'cut -d" " -f1-3 /proc/version; head -c 7 /proc/1/cmdline; echo; grep ^Pid /proc/1/status; ls /sys/fs/cgroup | head -1; ' +
        'touch /sys/x 2>/dev/null || echo ro-sys',
    );
    expect(r.stdout).toMatch(/^1\n2\n1\nproc \/proc proc\nLinux version 6\.10\.14-linuxkit\n\/bin\/sh\nPid:\t1\ncgroup\.procs\nro-sys\n$/s);
    expect(upperPaths(fs)).toEqual([]);
  });

  it('mounts BuildKit\'s /etc/hosts and /etc/resolv.conf read-only during RUN; the layer never gets them', async () => {
    const fs = image();
    const sh = createShell({ fs: fs as unknown as ShellFs });
    const r = await sh.run('cat /etc/hosts; grep -c nameserver /etc/resolv.conf; ls /etc | grep -E "^(hosts|resolv.conf)$" | wc -l; cat /etc/hostname 2>/dev/null || echo no-hostname-file');
    expect(r.stdout).toBe('127.0.0.1\tlocalhost buildkitsandbox\n::1\tlocalhost ip6-localhost ip6-loopback\n2\n2\nno-hostname-file\n');
    expect(upperPaths(fs)).toEqual([]);
    expect(() => fs.lstat('/etc/hosts')).toThrow(/ENOENT/);
  });

  it('gives `docker run` writable /etc/hosts, /etc/hostname and /etc/resolv.conf that stay out of the container\'s layer', async () => {
    const fs = image();
    const sh = createShell({ fs: fs as unknown as ShellFs, mounts: 'container', hostname: '0123456789ab' });
    const r = await sh.run('cat /etc/hostname; tail -1 /etc/hosts; echo "10.0.0.5 db" >> /etc/hosts; grep -c db /etc/hosts; echo $HOSTNAME');
    expect(r.stdout).toBe('0123456789ab\n172.17.0.2\t0123456789ab\n1\n0123456789ab\n');
    expect(upperPaths(fs)).toEqual([]);
  });

  it('creates a missing /dev, /proc or /sys mount point in the rootfs as runc does', async () => {
    const fs = image(false);
    const sh = createShell({ fs: fs as unknown as ShellFs });
    await sh.run('true');
    expect(upperPaths(fs)).toEqual(['/dev', '/proc', '/sys']);
    expect(fs.readdir('/dev')).toEqual([]);
    // A container has them in moby's init layer: listed, never in its own layer.
    const cfs = image(false);
    const r = await createShell({ fs: cfs as unknown as ShellFs, mounts: 'container', hostname: 'c0ffee' }).run('ls / | grep -c -x -E "dev|proc|sys"; test -c /dev/null && echo ok');
    expect(r.stdout).toBe('3\nok\n');
    expect(upperPaths(cfs)).toEqual([]);
  });

  it('follows a symlink into a mount: an nginx-style log link writes to stdout, not to a file in the layer', async () => {
    const fs = image();
    const sh = createShell({ fs: fs as unknown as ShellFs });
    const r = await sh.run('mkdir -p /var/log/app && ln -sf /dev/stdout /var/log/app/access.log && ln -sf /dev/null /var/log/app/debug.log && echo hit > /var/log/app/access.log && echo gone > /var/log/app/debug.log');
    expect(r.stdout).toBe('hit\n');
    expect(upperPaths(fs)).toEqual(['/var', '/var/log', '/var/log/app', '/var/log/app/access.log', '/var/log/app/debug.log']);
    expect(fs.lstat('/var/log/app/access.log').type).toBe('symlink');
  });

  it('replaces an image\'s log symlink with ln -sf (nginx images ship them) and writes through it to stderr', async () => {
    const base = new LayerTree();
    const flat = new FlatFs(base);
    populateRootfs(flat, 'alpine');
    for (const d of ['/dev', '/proc', '/sys']) flat.mkdir(d);
    flat.mkdir('/var/log/nginx', { recursive: true });
    flat.symlink('/dev/stdout', '/var/log/nginx/access.log');
    base.freeze();
    const fs = new UnionFs(new LowerStack([base]), { clock: () => 1_700_000_000 });
    const r = await createShell({ fs: fs as unknown as ShellFs }).run('ln -sf /dev/stderr /var/log/nginx/access.log && readlink /var/log/nginx/access.log && echo logged > /var/log/nginx/access.log');
    expect(r.stdout).toBe('/dev/stderr\n');
    expect(r.stderr).toBe('logged\n');
    expect(upperPaths(fs)).toEqual(['/var', '/var/log', '/var/log/nginx', '/var/log/nginx/access.log']);
  });
});
