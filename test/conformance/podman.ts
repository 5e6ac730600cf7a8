/**
 * Shared helpers for suites and benchmarks that drive real container tools (podman, skopeo, umoci)
 * as child processes: running a tool, a private podman store under a temp directory with the flags
 * this sandbox needs, and a base image whose programs are a real static busybox (the catalog's
 * alpine binaries are modelled content and cannot run). See README.md in this folder.
 */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { ContextFile } from '../../src/engine/builder/context.ts';

/** True when `cmd --version` runs. */
export function has(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** Runs a tool and returns its stdout; a failure throws with the tool's stderr in the message. */
export function run(cmd: string, args: string[], opts: ExecFileSyncOptions = {}): string {
  try {
    return execFileSync(cmd, args, { stdio: 'pipe', encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20, ...opts }) as string;
  } catch (e) {
    const err = e as { stderr?: Buffer | string; stdout?: Buffer | string; status?: number };
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${err.status}):\n${String(err.stderr ?? '')}${String(err.stdout ?? '')}`);
  }
}

export const IS_ROOT = process.getuid?.() === 0;
export const PODMAN = has('podman');
/** crun (podman's default) refuses this sandbox's hybrid cgroups; runc 1.1 works. */
export const RUNC = has('runc');

/**
 * `podman run`/`build` flags this sandbox needs: without CAP_SYS_RESOURCE podman's default
 * (raised) nofile/nproc limits make the runtime fail with `setrlimit RLIMIT_NOFILE: Operation not permitted`.
 */
export const RUN_LIMITS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];

/** A containers/storage graph driver: `vfs` copies whole trees, `overlay` mounts the kernel's overlayfs. */
export type StorageDriver = 'vfs' | 'overlay';

/**
 * Global podman flags for a private store under `dir` (`dir/root`, `dir/run`): the given storage
 * driver, no systemd (cgroupfs), no journald (file events), runc when installed.
 */
export function podmanFlags(dir: string, driver: StorageDriver = 'vfs'): string[] {
  return [
    '--root', nodePath.join(dir, 'root'), '--runroot', nodePath.join(dir, 'run'), '--storage-driver', driver,
    '--cgroup-manager', 'cgroupfs', '--events-backend', 'file', ...(RUNC ? ['--runtime', 'runc'] : []),
  ];
}

/** Why podman cannot work with these flags here at all (probed with `podman info`), or undefined. */
export function podmanProblem(flags: string[]): string | undefined {
  if (!PODMAN) return 'podman is not installed (apt-get install -y podman runc)';
  if (!IS_ROOT) return 'not root (podman runs here as root with a private store)';
  try {
    run('podman', [...flags, 'info']);
    return undefined;
  } catch (e) {
    return String((e as Error).message).trim();
  }
}

/** The host's static busybox (Debian `busybox-static`), or why there is none. */
export function staticBusybox(): { path: string } | { problem: string } {
  const path = '/bin/busybox';
  try {
    if (fs.existsSync(path) && /statically linked/.test(run('file', ['-L', path]))) return { path };
  } catch {
    // `file` missing: fall through
  }
  return { problem: 'no static /bin/busybox (apt-get install -y busybox-static file)' };
}

/** Applets linked as /bin/NAME → busybox in the busybox base image. */
export const BUSYBOX_APPLETS = ['sh', 'mkdir', 'rm', 'echo', 'cat', 'chmod', 'mv', 'touch', 'ln', 'ls', 'cp', 'printf', 'true', 'test', 'stat'];

/** Size of /data/big.bin in the busybox base image. */
export const BIG_FILE_SIZE = 5 << 20;

const enc = (s: string) => new TextEncoder().encode(s);

/**
 * The context of the busybox base image (`FROM scratch` + `COPY . /`): /bin/busybox and its applet
 * links, lower content the diff scenarios change (/etc/app.conf, a 5 MiB /data/big.bin,
 * /srv/dir/{a,b}, /opt/keep), and the files podman would otherwise create in the container layer
 * as mount points (/etc/hosts, /etc/hostname, /etc/resolv.conf, /etc/mtab → /proc/mounts): real
 * distro images ship them, and Docker puts them in a separate `-init` layer, so `docker diff` never
 * shows them. Fixed mtimes keep the image ID stable.
 */
export function busyboxBaseFiles(busyboxPath: string): ContextFile[] {
  const mtime = 1_700_000_000;
  const file = (path: string, content: Uint8Array, mode = 0o644): ContextFile => ({ path, type: 'file', mode, content, mtime });
  const dir = (path: string): ContextFile => ({ path, type: 'dir', mode: 0o755, mtime });
  return [
    dir('bin'), dir('etc'), dir('data'), dir('srv'), dir('srv/dir'), dir('opt'),
    file('bin/busybox', new Uint8Array(fs.readFileSync(busyboxPath)), 0o755),
    ...BUSYBOX_APPLETS.map((a): ContextFile => ({ path: `bin/${a}`, type: 'symlink', mode: 0o777, target: 'busybox', mtime })),
    file('etc/hosts', enc('127.0.0.1 localhost\n')),
    file('etc/hostname', enc('layerlab\n')),
    file('etc/resolv.conf', enc('')),
    { path: 'etc/mtab', type: 'symlink', mode: 0o777, target: '/proc/mounts', mtime },
    file('etc/app.conf', enc('key=value\n')),
    file('data/big.bin', new Uint8Array(BIG_FILE_SIZE).fill(0x5a)),
    file('srv/dir/a', enc('a\n')),
    file('srv/dir/b', enc('b\n')),
    file('opt/keep', enc('keep\n')),
  ];
}

/** The Dockerfile of the busybox base image. */
export const BUSYBOX_BASE_DOCKERFILE = 'FROM scratch\nCOPY . /\nENV PATH=/bin\nCMD ["sh"]\n';
