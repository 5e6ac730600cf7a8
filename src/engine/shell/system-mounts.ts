/**
 * The mounts a container runtime puts over an image's root filesystem, so a RUN step or a
 * container process sees what it would see under runc: `/dev` (a tmpfs with the usual device
 * nodes, `pts/`, `shm/`, `mqueue/` and the `fd`/`stdin`/`stdout`/`stderr` links), `/proc`, `/sys`
 * (read-only), and the bind-mounted `/etc/hosts`, `/etc/resolv.conf` (and, in `docker run`,
 * `/etc/hostname`). `SystemMountsFs` wraps the union (a `ShellFs`) and routes every path that
 * resolves into one of these mounts to an in-memory tree, so nothing written there reaches the layer.
 *
 * Reproduced behaviour (see src/engine/shell/README.md, "RUN's mounts", for the sources):
 * - containerd's default spec (used by BuildKit): proc on /proc, tmpfs on /dev, devpts on
 *   /dev/pts, tmpfs on /dev/shm, mqueue on /dev/mqueue, sysfs read-only on /sys, cgroup2 on
 *   /sys/fs/cgroup; runc creates the device nodes null, zero, full, random, urandom, tty, console
 *   (via pts), ptmx and the links fd → /proc/self/fd, stdin/stdout/stderr → /proc/self/fd/0..2,
 *   core → /proc/kcore.
 * - BuildKit (executor/oci/spec_unix.go) binds /etc/resolv.conf and /etc/hosts READ-ONLY during
 *   RUN (`echo … >> /etc/hosts` fails with "Read-only file system") and sets the hostname
 *   `buildkitsandbox` without an /etc/hostname mount; `docker run` (moby daemon) binds all three
 *   read-write, with the container's short ID as hostname.
 * - Mount points: runc creates a missing mount-point directory (/dev, /proc, /sys) in the rootfs,
 *   so in a build such directories stay in the layer (a container has them in moby's init layer,
 *   outside `docker diff`); BuildKit's `MountStubsCleaner` (executor/stubs.go)
 *   removes the empty stub files it created for /etc/hosts and /etc/resolv.conf (and a parent it
 *   had to create), so those never land in a layer. This wrapper creates the three directories in
 *   the union when missing and never writes the file stubs.
 *
 * Paths are resolved component by component (symlinks followed through the union and the mounts),
 * so `ln -sf /dev/stdout /var/log/app.log` followed by a write to the link writes to stdout.
 *
 * Simulation: /proc describes one process (pid 1, the shell; `self` points at it) with a fixed
 * machine (the same as `uname`/`nproc`); infinite devices read as a bounded chunk (1 MiB of zeros,
 * 64 KiB from the random devices); the tmpfs contents live as long as this wrapper (one RUN step,
 * one `exec`, one interactive session).
 */
import { FsError, type Errno } from '../errors.ts';
import { MACHINE } from './commands/system.ts';
import { isCleanAbsolute, normalizePath } from '../fs/path.ts';
import { bytesContent, type FileContent } from '../fs/content.ts';
import type { GraftEntry } from '../fs/union.ts';
import type { FsUser, ShellFileType, ShellFs, ShellStat } from './types.ts';

/** Where the process runs: a build step (BuildKit's mounts) or a container (`docker run`'s). */
export interface SystemMountsOptions {
  kind: 'build' | 'container';
  /** `buildkitsandbox` in builds, the container's short ID in containers. */
  hostname: string;
  /** The process's argv (for /proc/1/cmdline) and environment (/proc/1/environ). */
  argv?: string[];
  env?: Record<string, string>;
  /** Bytes written to /dev/stdout, /dev/stderr (or fd links) through the filesystem, e.g. via a symlink. */
  onStream?: (fd: 1 | 2, data: Uint8Array) => void;
  /** Seconds since the epoch (mtimes of the mounted files). */
  now?: () => number;
  /** RUN --mount trees (cache, tmpfs, secret), overlaid at their targets for this process only. */
  extra?: readonly RunMountTree[];
}

/** A tree mounted at `at` for one RUN step (`RUN --mount`); never part of the union, so never in a layer. */
export interface RunMountTree {
  at: string;
  root: MountNode;
}

/** A node of a mounted in-memory tree (opaque outside this module). */
export type MountNode = VNode;

/** An empty directory to mount (a cache volume's or a tmpfs's root). */
export function mountDir(mode = 0o755, uid = 0, gid = 0): MountNode {
  return node('dir', mode, { uid, gid });
}

/** A directory, file or symlink of a bind mount; `readOnly` makes writes fail with EROFS. */
export function mountEntry(e: { type: 'file' | 'dir' | 'symlink'; mode: number; uid: number; gid: number; mtime: number; data?: Uint8Array; target?: string }, readOnly: boolean): MountNode {
  return node(e.type, e.mode & 0o7777, { uid: e.uid, gid: e.gid, mtime: e.mtime, ...(e.type === 'file' ? { data: e.data ?? new Uint8Array(0) } : {}), ...(e.type === 'symlink' ? { target: e.target } : {}), ...(readOnly ? { readOnly: 'EROFS' as Errno } : {}) });
}

/** Adds `child` at the relative path `rel` under the directory `root` (parents must exist). */
export function mountAdd(root: MountNode, rel: string, child: MountNode): void {
  const parts = rel.split('/').filter(Boolean);
  let d = root;
  for (const p of parts.slice(0, -1)) {
    const next = d.children?.get(p);
    if (!next) return;
    d = next;
  }
  d.children?.set(parts[parts.length - 1], child);
}

/** A single file to mount (a secret: read-only). */
export function mountFile(data: Uint8Array, mode = 0o400, uid = 0, gid = 0, readOnly = true): MountNode {
  return node('file', mode, { uid, gid, data, ...(readOnly ? { readOnly: 'EROFS' as Errno } : {}) });
}

type Device = 'null' | 'zero' | 'full' | 'random' | 'tty' | 'stdout' | 'stderr' | 'stdin';

interface VNode {
  type: ShellFileType;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  data?: Uint8Array;
  target?: string;
  children?: Map<string, VNode>;
  device?: Device;
  rdev?: number;
  /** Writes fail with this errno (EROFS on sysfs and BuildKit's read-only binds, EACCES in procfs). */
  readOnly?: Errno;
  ino: number;
}

const encoder = new TextEncoder();
const enc = (s: string) => encoder.encode(s);
let nextIno = 1_000_000;

function node(type: ShellFileType, mode: number, extra: Partial<VNode> = {}): VNode {
  return { type, mode, uid: 0, gid: 0, mtime: 0, ino: nextIno++, ...(type === 'dir' ? { children: new Map() } : {}), ...extra };
}

function dir(entries: Record<string, VNode>, mode = 0o755, extra: Partial<VNode> = {}): VNode {
  const d = node('dir', mode, extra);
  for (const [k, v] of Object.entries(entries)) d.children!.set(k, v);
  return d;
}

const file = (text: string, mode = 0o444, extra: Partial<VNode> = {}) => node('file', mode, { data: enc(text), ...extra });
const link = (target: string) => node('symlink', 0o777, { target });
const chr = (device: Device | undefined, major: number, minor: number, mode = 0o666) => node('char', mode, { device, rdev: major * 256 + minor });

/** `/etc/hosts` as BuildKit writes it (executor/oci/hosts.go initHostsFile). */
export function buildkitHosts(hostname: string): string {
  return `127.0.0.1\tlocalhost ${hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n`;
}

/** `/etc/hosts` as moby writes it for a container on the default bridge (libnetwork etchosts). */
export function dockerHosts(hostname: string): string {
  return (
    '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\n' +
    `ff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n172.17.0.2\t${hostname}\n`
  );
}

/**
 * Simulation: the lab has no host resolv.conf; this is what Docker writes when the host's only
 * nameserver is a loopback one (its fallback to Google's public DNS).
 */
export const RESOLV_CONF = 'nameserver 8.8.8.8\nnameserver 8.8.4.4\n';

const MOUNT_DIRS = ['/dev', '/proc', '/sys'];

function mountsText(kind: 'build' | 'container'): string {
  const etc = kind === 'build' ? 'ro' : 'rw';
  return [
    'overlay / overlay rw,relatime,lowerdir=/var/lib/layerlab/l,upperdir=/var/lib/layerlab/u,workdir=/var/lib/layerlab/w 0 0',
    'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0',
    'tmpfs /dev tmpfs rw,nosuid,size=65536k,mode=755 0 0',
    'devpts /dev/pts devpts rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=666 0 0',
    'shm /dev/shm tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k 0 0',
    'mqueue /dev/mqueue mqueue rw,nosuid,nodev,noexec,relatime 0 0',
    'sysfs /sys sysfs ro,nosuid,nodev,noexec,relatime 0 0',
    'cgroup /sys/fs/cgroup cgroup2 ro,nosuid,nodev,noexec,relatime 0 0',
    `/dev/vda1 /etc/resolv.conf ext4 ${etc},relatime 0 0`,
    ...(kind === 'container' ? ['/dev/vda1 /etc/hostname ext4 rw,relatime 0 0'] : []),
    `/dev/vda1 /etc/hosts ext4 ${etc},relatime 0 0`,
  ].join('\n') + '\n';
}

function procTree(o: SystemMountsOptions): VNode {
  const argv = o.argv ?? ['/bin/sh'];
  const environ = Object.entries(o.env ?? {}).map(([k, v]) => `${k}=${v}\0`).join('');
  const comm = argv[0].slice(argv[0].lastIndexOf('/') + 1);
  const ro = { readOnly: 'EACCES' as Errno };
  const pid1 = dir({
    cmdline: file(argv.join('\0') + '\0', 0o444, ro),
    comm: file(comm + '\n', 0o644, ro),
    environ: file(environ, 0o400, ro),
    status: file(`Name:\t${comm}\nState:\tS (sleeping)\nTgid:\t1\nPid:\t1\nPPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nThreads:\t1\n`, 0o444, ro),
    cgroup: file('0::/\n', 0o444, ro),
    mounts: file(mountsText(o.kind), 0o444, ro),
    cwd: link('/'),
    root: link('/'),
    exe: link(argv[0]),
    fd: dir({ '0': link('/dev/null'), '1': link('pipe:[1]'), '2': link('pipe:[2]') }, 0o500, ro),
  }, 0o555, ro);
  const kb = 2 * 1024 * 1024;
  return dir({
    '1': pid1,
    self: link('1'),
    'thread-self': link('1/task/1'),
    cpuinfo: file(
      Array.from({ length: MACHINE.cpus }, (_, i) =>
        `processor\t: ${i}\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\ncpu MHz\t\t: 2200.000\ncache size\t: 56320 KB\ncpu cores\t: ${MACHINE.cpus}\nflags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx lm constant_tsc rep_good nopl xtopology cpuid pni pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm abm avx2\n\n`,
      ).join(''), 0o444, ro),
    meminfo: file(`MemTotal:       ${kb} kB\nMemFree:        ${kb - 262144} kB\nMemAvailable:   ${kb - 131072} kB\nBuffers:           16384 kB\nCached:           131072 kB\nSwapTotal:       1048576 kB\nSwapFree:        1048576 kB\n`, 0o444, ro),
    mounts: link('self/mounts'),
    version: file(`${MACHINE.sysname} version ${MACHINE.release} (root@buildkitsandbox) (gcc (GCC) 13.2.0, GNU ld (GNU Binutils) 2.42) ${MACHINE.version}\n`, 0o444, ro),
    uptime: file('1234.56 2345.67\n', 0o444, ro),
    loadavg: file('0.10 0.05 0.01 1/120 1\n', 0o444, ro),
    filesystems: file('nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tcgroup2\nnodev\tdevpts\nnodev\tmqueue\nnodev\toverlay\n\text4\n', 0o444, ro),
    sys: dir({
      kernel: dir({
        hostname: file(o.hostname + '\n', 0o644, { readOnly: 'EROFS' }),
        osrelease: file(MACHINE.release + '\n', 0o444, { readOnly: 'EROFS' }),
        ostype: file(MACHINE.sysname + '\n', 0o444, { readOnly: 'EROFS' }),
      }, 0o555, { readOnly: 'EROFS' }),
    }, 0o555, { readOnly: 'EROFS' }),
  }, 0o555, ro);
}

function sysTree(): VNode {
  const ro = { readOnly: 'EROFS' as Errno };
  const d = (entries: Record<string, VNode> = {}) => dir(entries, 0o755, ro);
  return d({
    block: d(), bus: d(), class: d(), dev: d(), devices: d(), firmware: d(), kernel: d(), module: d(), power: d(),
    fs: d({ cgroup: d({ 'cpu.max': file('max 100000\n', 0o644, ro), 'memory.max': file('max\n', 0o644, ro), 'pids.max': file('max\n', 0o644, ro), 'cgroup.procs': file('1\n', 0o644, ro) }) }),
  });
}

function devTree(): VNode {
  return dir({
    null: chr('null', 1, 3),
    zero: chr('zero', 1, 5),
    full: chr('full', 1, 7),
    random: chr('random', 1, 8),
    urandom: chr('random', 1, 9),
    tty: chr('tty', 5, 0),
    console: chr('tty', 136, 0, 0o620),
    ptmx: link('pts/ptmx'),
    core: link('/proc/kcore'),
    fd: link('/proc/self/fd'),
    stdin: link('/proc/self/fd/0'),
    stdout: link('/proc/self/fd/1'),
    stderr: link('/proc/self/fd/2'),
    pts: dir({ ptmx: chr(undefined, 5, 2, 0o666) }),
    shm: dir({}, 0o1777),
    mqueue: dir({}, 0o1777),
  });
}

// A tiny xorshift stream for /dev/urandom. Simulation: not cryptographic; the engine has no entropy source here.
function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 0 || 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A `ShellFs` that is the union plus the runtime's mounts; see the module comment. */
export class SystemMountsFs implements ShellFs {
  private readonly mounts = new Map<string, VNode>();
  private randomSeed = 1;

  constructor(
    readonly inner: ShellFs,
    private readonly opts: SystemMountsOptions,
  ) {
    const now = opts.now?.() ?? 0;
    const etcRo: Partial<VNode> = opts.kind === 'build' ? { readOnly: 'EROFS' } : {};
    this.mounts.set('/dev', devTree());
    this.mounts.set('/proc', procTree(opts));
    this.mounts.set('/sys', sysTree());
    this.mounts.set('/etc/hosts', file(opts.kind === 'build' ? buildkitHosts(opts.hostname) : dockerHosts(opts.hostname), 0o644, { ...etcRo, mtime: now }));
    this.mounts.set('/etc/resolv.conf', file(RESOLV_CONF, 0o644, { ...etcRo, mtime: now }));
    if (opts.kind === 'container') this.mounts.set('/etc/hostname', file(opts.hostname + '\n', 0o644, { mtime: now }));
    for (const m of opts.extra ?? []) this.mounts.set(normalizePath(m.at), m.root);
    // Mounted when the process starts: every node carries that time.
    const stamp = (n: VNode) => {
      n.mtime ||= now;
      for (const c of n.children?.values() ?? []) stamp(c);
    };
    for (const root of this.mounts.values()) if (!opts.extra?.some((m) => m.root === root)) stamp(root);
    // The deepest mount wins (a mount at /run/secrets/x inside nothing, /root/.cache under /root…).
    const sorted = [...this.mounts].sort((a, b) => b[0].length - a[0].length);
    this.mounts.clear();
    for (const [at, root] of sorted) this.mounts.set(at, root);
    // runc creates missing mount-point directories in the rootfs: in a build they stay in the
    // step's layer; moby puts them in the container's init layer, which `docker diff` and
    // `docker commit` never show, so a container lists them without writing its upper layer.
    for (const d of opts.kind === 'build' ? MOUNT_DIRS : []) {
      try {
        inner.lstat(d);
      } catch {
        try {
          inner.mkdir(d, { mode: 0o755 });
        } catch {
          // a read-only rootfs: the mount still appears below
        }
      }
    }
  }

  // The mount a clean absolute path is in, and the path inside it.
  private mountOf(p: string): { root: VNode; rest: string[]; at: string } | undefined {
    for (const [at, root] of this.mounts) {
      if (p === at) return { root, rest: [], at };
      if (p.startsWith(at + '/')) return { root, rest: p.slice(at.length + 1).split('/'), at };
    }
    return undefined;
  }

  private vlookup(p: string, syscall: string): VNode {
    const m = this.mountOf(p)!;
    let n = m.root;
    for (const c of m.rest) {
      if (n.type !== 'dir') throw new FsError('ENOTDIR', syscall, p);
      const next = n.children!.get(c);
      if (!next) throw new FsError('ENOENT', syscall, p);
      n = next;
    }
    return n;
  }

  private rawLstat(p: string): ShellStat {
    return this.mountOf(p) ? this.vstat(this.vlookup(p, 'lstat')) : this.inner.lstat(p);
  }

  private rawReadlink(p: string): string {
    if (!this.mountOf(p)) return this.inner.readlink(p);
    const n = this.vlookup(p, 'readlink');
    if (n.type !== 'symlink') throw new FsError('EINVAL', 'readlink', p);
    return n.target!;
  }

  /**
   * Resolves `path` to a path without symlinks (the last component only when `followLast`),
   * walking through the union and the mounts. A missing component ends the walk: the rest is
   * appended as is, so the operation itself reports ENOENT like the kernel.
   */
  resolve(path: string, followLast: boolean, syscall = 'stat'): string {
    // The live output paths every command opens (interpreter.ts liveOutputPlugin): /proc/1/fd/{1,2}
    // are symlinks to pipes, so they resolve to themselves.
    if (path === '/proc/1/fd/1' || path === '/proc/1/fd/2') return path;
    const clean = isCleanAbsolute(path) ? path : normalizePath(path);
    let todo: string[];
    // `todo` is read from index `at` on (a shift per component made a deep path quadratic).
    let at = 0;
    let cur = '/';
    let hops = 0;
    // Leading components that are plain directories outside every mount resolve to themselves:
    // skip them in one step instead of an lstat from `/` per prefix.
    const plain = this.inner.plainDirDepth && clean !== '/' && !this.mountOf(clean) ? this.inner.plainDirDepth(clean) : 0;
    const lastSlash = clean.lastIndexOf('/');
    if (plain > 0 && lastSlash > 0 && plain >= countSlashes(clean) - 1) {
      // Only the last component is left (the common case): no split of a long path.
      cur = clean.slice(0, lastSlash);
      todo = [clean.slice(lastSlash + 1)];
    } else {
      todo = clean.split('/').filter(Boolean);
      const skip = Math.min(plain, todo.length - 1);
      if (skip > 0) {
        at = skip;
        cur = '/' + todo.slice(0, skip).join('/');
      }
    }
    while (at < todo.length) {
      const c = todo[at++];
      if (c === '.') continue;
      if (c === '..') {
        cur = cur === '/' ? '/' : cur.slice(0, cur.lastIndexOf('/')) || '/';
        continue;
      }
      const next = cur === '/' ? `/${c}` : `${cur}/${c}`;
      const more = at < todo.length;
      if (!more && !followLast) return next;
      let st: ShellStat;
      try {
        st = this.rawLstat(next);
      } catch {
        return more ? `${next}/${todo.slice(at).join('/')}` : next;
      }
      if (st.type === 'symlink') {
        if (++hops > 40) throw new FsError('ELOOP', syscall, path);
        const t = this.rawReadlink(next);
        if (/^(pipe|socket):\[/.test(t)) return next;
        todo = [...t.split('/').filter(Boolean), ...todo.slice(at)];
        at = 0;
        if (t.startsWith('/')) cur = '/';
        continue;
      }
      if (st.type !== 'dir' && more) throw new FsError('ENOTDIR', syscall, path);
      cur = next;
    }
    return cur;
  }

  private vstat(n: VNode): ShellStat {
    const typeBits: Record<ShellFileType, number> = { file: 0o100000, dir: 0o040000, symlink: 0o120000, char: 0o020000, block: 0o060000, fifo: 0o010000, socket: 0o140000 };
    return {
      type: n.type,
      mode: typeBits[n.type] | n.mode,
      uid: n.uid,
      gid: n.gid,
      size: n.type === 'file' ? n.data!.length : n.type === 'symlink' ? n.target!.length : n.type === 'dir' ? 40 + 20 * n.children!.size : 0,
      mtime: n.mtime,
      ino: n.ino,
      nlink: n.type === 'dir' ? 2 + [...n.children!.values()].filter((c) => c.type === 'dir').length : 1,
      rdev: n.rdev,
    };
  }

  // Which standard stream a resolved fd link points at (/proc/1/fd/1 → stdout).
  private streamOf(p: string): 1 | 2 | 0 | undefined {
    const m = /^\/proc\/1\/fd\/([012])$/.exec(p);
    return m ? (Number(m[1]) as 0 | 1 | 2) : undefined;
  }

  private parentDir(p: string, syscall: string): VNode {
    const i = p.lastIndexOf('/');
    const parent = i <= 0 ? '/' : p.slice(0, i);
    if (!this.mountOf(parent)) throw new FsError('EBUSY', syscall, p);
    const d = this.vlookup(parent, syscall);
    if (d.type !== 'dir') throw new FsError('ENOTDIR', syscall, p);
    if (d.readOnly) throw new FsError(d.readOnly === 'EACCES' ? 'ENOENT' : d.readOnly, syscall, p);
    return d;
  }

  private baseOf(p: string) {
    return p.slice(p.lastIndexOf('/') + 1);
  }

  private vwrite(p: string, data: Uint8Array, append: boolean, mode?: number) {
    const stream = this.streamOf(p);
    if (stream === 1 || stream === 2) {
      this.opts.onStream?.(stream, data);
      return;
    }
    if (stream === 0) throw new FsError('EBADF', 'write', p);
    let n: VNode | undefined;
    try {
      n = this.vlookup(p, 'open');
    } catch (e) {
      if (!(e instanceof FsError && e.errno === 'ENOENT')) throw e;
    }
    if (!n) {
      const d = this.parentDir(p, 'open');
      d.children!.set(this.baseOf(p), node('file', (mode ?? 0o666) & ~0o022, { data: data.slice(), uid: this.user.uid, gid: this.user.gid, mtime: this.opts.now?.() ?? 0 }));
      return;
    }
    const refused = this.openRefusal(n);
    if (refused) throw new FsError(refused, 'open', p);
    // Opened; a write of no bytes (a redirection opening its target) cannot fail.
    if (data.length === 0 && (n.readOnly || n.type === 'char')) return;
    // procfs files without a write handler take the open from root and fail the write (proc_reg_write: EIO).
    if (n.readOnly === 'EACCES') throw new FsError('EIO', 'write', p);
    if (n.type === 'char') {
      if (n.device === 'full') throw new FsError('ENOSPC', 'write', p);
      return; // null, zero, random, tty: the bytes are consumed
    }
    if (n.type !== 'file') return;
    if (append) {
      const merged = new Uint8Array(n.data!.length + data.length);
      merged.set(n.data!);
      merged.set(data, n.data!.length);
      n.data = merged;
    } else n.data = data.slice();
    n.mtime = this.opts.now?.() ?? n.mtime;
  }

  // Why open(O_WRONLY) of an existing mount node fails: a directory, a read-only mount, or the
  // mode bits for a user other than root (a procfs file is 0444; root opens it, the write fails).
  private openRefusal(n: VNode): Errno | undefined {
    if (n.type === 'dir') return 'EISDIR';
    if (n.readOnly && n.readOnly !== 'EACCES') return n.readOnly;
    if (this.user.uid !== 0) {
      const shift = n.uid === this.user.uid ? 6 : n.gid === this.user.gid || (this.user.groups ?? []).includes(n.gid) ? 3 : 0;
      if (((n.mode >> shift) & 2) === 0) return 'EACCES';
    }
    return undefined;
  }

  /**
   * What `open(path, O_WRONLY|O_CREAT)` does when `path` resolves into one of the mounts, without
   * writing anything: the errno it fails with (EROFS on a read-only mount, ENOENT for a new name in
   * /proc, EISDIR, EACCES by mode for a non-root user), 'ok' when it opens (devices, the standard
   * streams, writable tmpfs files; a write may still fail: /dev/full, procfs files), or undefined
   * when the path is not on a mount (the layer's own permissions decide).
   */
  openForWrite(path: string): Errno | 'ok' | undefined {
    let p: string;
    try {
      p = this.resolve(path, true, 'open');
    } catch (e) {
      return e instanceof FsError ? e.errno : undefined;
    }
    if (!this.mountOf(p)) return undefined;
    if (this.streamOf(p) !== undefined) return 'ok';
    let n: VNode | undefined;
    try {
      n = this.vlookup(p, 'open');
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      if (e.errno !== 'ENOENT') return e.errno;
    }
    if (n) return this.openRefusal(n) ?? 'ok';
    try {
      const d = this.parentDir(p, 'open');
      if (this.user.uid !== 0 && this.openRefusal({ ...d, type: 'file' })) return 'EACCES';
      return 'ok';
    } catch (e) {
      if (e instanceof FsError) return e.errno;
      throw e;
    }
  }

  private user: FsUser = { uid: 0, gid: 0 };

  setUser(user: FsUser): void {
    this.user = user;
    this.inner.setUser(user);
  }

  stat(path: string): ShellStat {
    const p = this.resolve(path, true);
    return this.mountOf(p) ? this.vstat(this.vlookup(p, 'stat')) : this.inner.stat(p);
  }
  lstat(path: string): ShellStat {
    const p = this.resolve(path, false, 'lstat');
    return this.rawLstat(p);
  }
  readContent(path: string): FileContent {
    const p = this.resolve(path, true, 'open');
    if (this.mountOf(p) || !this.inner.readContent) return bytesContent(this.readFile(p));
    return this.inner.readContent(p);
  }
  readFile(path: string): Uint8Array {
    const p = this.resolve(path, true, 'open');
    if (!this.mountOf(p)) return this.inner.readFile(p);
    if (this.streamOf(p) !== undefined) return new Uint8Array(0);
    const n = this.vlookup(p, 'open');
    if (n.type === 'dir') throw new FsError('EISDIR', 'read', p);
    if (n.type === 'char') {
      if (n.device === 'zero' || n.device === 'full') return new Uint8Array(1 << 20);
      if (n.device === 'random') return randomBytes(1 << 16, this.randomSeed++ * 2654435761);
      return new Uint8Array(0);
    }
    return n.data ?? new Uint8Array(0);
  }
  writeFile(path: string, data: Uint8Array, opts?: { mode?: number }): void {
    const p = this.resolve(path, true, 'open');
    if (this.mountOf(p)) this.vwrite(p, data, false, opts?.mode);
    else this.inner.writeFile(p, data, opts);
  }
  /** Package installs write synthetic content without materialising it; mounts get real bytes. */
  writeContent(path: string, content: FileContent, opts?: { mode?: number }): void {
    const p = this.resolve(path, true, 'open');
    if (this.mountOf(p) || !this.inner.writeContent) this.writeFile(p, content.read(), opts);
    else this.inner.writeContent(p, content, opts);
  }
  /** A prepared tree goes straight to the filesystem below, unless it would land in or over a mount. */
  graft(path: string, entries: Iterable<GraftEntry>): boolean {
    if (!this.inner.graft) return false;
    const p = this.resolve(path, false, 'mkdir');
    for (const at of this.mounts.keys()) if (at === p || at.startsWith(p + '/') || p.startsWith(at + '/')) return false;
    return this.inner.graft(p, entries);
  }
  appendFile(path: string, data: Uint8Array): void {
    const p = this.resolve(path, true, 'open');
    if (this.mountOf(p)) this.vwrite(p, data, true);
    else this.inner.appendFile(p, data);
  }
  mkdir(path: string, opts?: { recursive?: boolean; mode?: number }): void {
    if (opts?.recursive) {
      // `mkdir -p`: each missing component in turn; an existing one must be (or lead to) a directory.
      const clean = normalizePath(path);
      const parts = clean.split('/').filter(Boolean);
      let cur = '';
      let from = 0;
      if (this.inner.plainDirDepth && !this.mountOf(clean)) {
        // Leading plain directories exist already; below the first missing one nothing exists, and
        // outside the mounts the inner filesystem creates the rest in one pass down the tree
        // (a stat and a mkdir from `/` per component made `mkdir -p` of a deep path cubic).
        from = this.inner.plainDirDepth(clean);
        if (from === parts.length) return;
        cur = from > 0 ? '/' + parts.slice(0, from).join('/') : '';
        if (!this.existsNoFollow(`${cur}/${parts[from]}`)) {
          const base = from > 0 ? this.resolve(cur, true, 'mkdir') : '/';
          if (!this.mountOf(base)) return this.inner.mkdir(`${base === '/' ? '' : base}/${parts.slice(from).join('/')}`, { recursive: true, mode: opts.mode });
        }
      }
      for (const c of parts.slice(from)) {
        cur += '/' + c;
        const st = (() => {
          try {
            return this.stat(cur);
          } catch {
            return undefined;
          }
        })();
        if (st) {
          if (st.type !== 'dir') throw new FsError('ENOTDIR', 'mkdir', path);
          continue;
        }
        this.mkdir(cur, { mode: opts.mode });
      }
      return;
    }
    const p = this.resolve(path, false, 'mkdir');
    if (!this.mountOf(p)) return this.inner.mkdir(p, opts);
    let existing: VNode | undefined;
    try {
      existing = this.vlookup(p, 'mkdir');
    } catch {
      // create below
    }
    if (existing) {
      if (opts?.recursive && existing.type === 'dir') return;
      throw new FsError('EEXIST', 'mkdir', p);
    }
    const d = this.parentDir(p, 'mkdir');
    d.children!.set(this.baseOf(p), node('dir', (opts?.mode ?? 0o777) & ~0o022, { uid: this.user.uid, gid: this.user.gid, mtime: this.opts.now?.() ?? 0 }));
  }
  // True if the name exists (a dangling symlink counts: mkdir must not create through it).
  private existsNoFollow(p: string): boolean {
    try {
      this.lstat(p);
      return true;
    } catch {
      return false;
    }
  }
  readdir(path: string): string[] {
    const p = this.resolve(path, true, 'scandir');
    if (this.mountOf(p)) {
      const n = this.vlookup(p, 'scandir');
      if (n.type !== 'dir') throw new FsError('ENOTDIR', 'scandir', p);
      return [...n.children!.keys()].sort();
    }
    const names = this.inner.readdir(p);
    // File mounts whose stub the image lacks still show up while mounted.
    const extra: string[] = [];
    for (const at of this.mounts.keys()) {
      const i = at.lastIndexOf('/');
      if ((i === 0 ? '/' : at.slice(0, i)) === p && !names.includes(at.slice(i + 1))) extra.push(at.slice(i + 1));
    }
    return extra.length ? [...names, ...extra].sort() : names;
  }
  private vremove(p: string, syscall: string, want: 'file' | 'dir' | 'any', recursive = false) {
    if (this.mounts.has(p)) throw new FsError('EBUSY', syscall, p);
    const n = this.vlookup(p, syscall);
    const d = this.parentDir(p, syscall);
    if (want === 'file' && n.type === 'dir') throw new FsError('EISDIR', syscall, p);
    if (want === 'dir' && n.type !== 'dir') throw new FsError('ENOTDIR', syscall, p);
    if (n.type === 'dir' && n.children!.size && !recursive) throw new FsError('ENOTEMPTY', syscall, p);
    d.children!.delete(this.baseOf(p));
  }
  unlink(path: string): void {
    const p = this.resolve(path, false, 'unlink');
    if (this.mountOf(p)) this.vremove(p, 'unlink', 'file');
    else this.inner.unlink(p);
  }
  rmdir(path: string): void {
    const p = this.resolve(path, false, 'rmdir');
    if (this.mountOf(p)) this.vremove(p, 'rmdir', 'dir');
    else this.inner.rmdir(p);
  }
  rm(path: string, opts?: { recursive?: boolean; force?: boolean }): void {
    const p = this.resolve(path, false, 'unlink');
    if (!this.mountOf(p)) {
      // Removing a tree that holds a mount point: the mounts stay (EBUSY), the rest goes.
      const inside = [...this.mounts.keys()].filter((m) => m.startsWith(p === '/' ? '/' : p + '/'));
      if (inside.length && opts?.recursive) {
        for (const name of this.inner.readdir(p)) {
          const child = p === '/' ? `/${name}` : `${p}/${name}`;
          if (this.mounts.has(child)) continue;
          this.rm(child, opts);
        }
        throw new FsError('EBUSY', 'rmdir', inside[0]);
      }
      return this.inner.rm(p, opts);
    }
    try {
      this.vremove(p, 'unlink', 'any', !!opts?.recursive);
    } catch (e) {
      if (opts?.force && e instanceof FsError && e.errno === 'ENOENT') return;
      throw e;
    }
  }
  rename(from: string, to: string): void {
    const a = this.resolve(from, false, 'rename');
    const b = this.resolve(to, false, 'rename');
    const ma = this.mountOf(a);
    const mb = this.mountOf(b);
    if (!ma && !mb) return this.inner.rename(a, b);
    if (!ma || !mb || ma.at !== mb.at || this.mounts.has(a)) throw new FsError('EXDEV', 'rename', from);
    const n = this.vlookup(a, 'rename');
    const db = this.parentDir(b, 'rename');
    this.parentDir(a, 'rename').children!.delete(this.baseOf(a));
    db.children!.set(this.baseOf(b), n);
  }
  symlink(target: string, path: string): void {
    const p = this.resolve(path, false, 'symlink');
    if (!this.mountOf(p)) return this.inner.symlink(target, p);
    try {
      this.vlookup(p, 'symlink');
      throw new FsError('EEXIST', 'symlink', p);
    } catch (e) {
      if (!(e instanceof FsError && e.errno === 'ENOENT')) throw e;
    }
    this.parentDir(p, 'symlink').children!.set(this.baseOf(p), node('symlink', 0o777, { target, uid: this.user.uid, gid: this.user.gid }));
  }
  readlink(path: string): string {
    return this.rawReadlink(this.resolve(path, false, 'readlink'));
  }
  link(existing: string, path: string): void {
    const a = this.resolve(existing, false, 'link');
    const b = this.resolve(path, false, 'link');
    if (!this.mountOf(a) && !this.mountOf(b)) return this.inner.link(a, b);
    throw new FsError('EXDEV', 'link', path);
  }
  private vmeta(path: string, follow: boolean, syscall: string, f: (n: VNode) => void, innerOp: (p: string) => void) {
    const p = this.resolve(path, follow, syscall);
    if (!this.mountOf(p)) return innerOp(p);
    const n = this.vlookup(p, syscall);
    if (n.readOnly) throw new FsError(n.readOnly === 'EACCES' ? 'EPERM' : n.readOnly, syscall, p);
    if (this.user.uid !== 0 && this.user.uid !== n.uid) throw new FsError('EPERM', syscall, p);
    f(n);
  }
  chmod(path: string, mode: number): void {
    this.vmeta(path, true, 'chmod', (n) => (n.mode = mode & 0o7777), (p) => this.inner.chmod(p, mode));
  }
  chown(path: string, uid: number, gid: number): void {
    this.vmeta(path, true, 'chown', (n) => ((n.uid = uid), (n.gid = gid)), (p) => this.inner.chown(p, uid, gid));
  }
  lchown(path: string, uid: number, gid: number): void {
    this.vmeta(path, false, 'lchown', (n) => ((n.uid = uid), (n.gid = gid)), (p) => this.inner.lchown(p, uid, gid));
  }
  utimes(path: string, atime: number, mtime: number): void {
    this.vmeta(path, true, 'utime', (n) => (n.mtime = mtime), (p) => this.inner.utimes(p, atime, mtime));
  }
  truncate(path: string, len = 0): void {
    const p = this.resolve(path, true, 'open');
    if (!this.mountOf(p)) return this.inner.truncate(p, len);
    const n = this.vlookup(p, 'open');
    if (n.readOnly) throw new FsError(n.readOnly, 'open', p);
    if (n.type === 'file') {
      const d = new Uint8Array(len);
      d.set(n.data!.subarray(0, len));
      n.data = d;
    }
  }
  realpath(path: string): string {
    const p = this.resolve(path, true, 'realpath');
    this.rawLstat(p);
    return p;
  }
  mknod(path: string, type: 'char' | 'block' | 'fifo', mode = 0o644, major = 0, minor = 0): void {
    const p = this.resolve(path, false, 'mknod');
    if (!this.mountOf(p)) {
      const inner = this.inner;
      if (!inner.mknod) throw new FsError('EPERM', 'mknod', path);
      return inner.mknod(p, type, mode, major, minor);
    }
    if (type !== 'fifo' && this.user.uid !== 0) throw new FsError('EPERM', 'mknod', p);
    try {
      this.vlookup(p, 'mknod');
      throw new FsError('EEXIST', 'mknod', p);
    } catch (e) {
      if (!(e instanceof FsError && e.errno === 'ENOENT')) throw e;
    }
    this.parentDir(p, 'mknod').children!.set(this.baseOf(p), node(type, mode & 0o7777, { rdev: major * 256 + minor, uid: this.user.uid, gid: this.user.gid }));
  }
}

// Components in a clean absolute path (`/a/b` has 2).
function countSlashes(p: string): number {
  let n = 0;
  for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) n++;
  return n;
}
