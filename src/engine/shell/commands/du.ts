/**
 * `du`: disk usage as the image's own du reports it: BusyBox du (coreutils/du.c, 1.35–1.37) where
 * /bin/du is a BusyBox applet (Alpine, busybox), GNU coreutils du (9.x) otherwise (Debian, Ubuntu).
 * Checked against BusyBox 1.35.0 and GNU coreutils 9.1 on ext4 (see du.test.ts for the recordings).
 *
 * What both do, and this model does:
 * - they add up st_blocks (disk usage), not st_size; `-b` (both) and `--apparent-size` (GNU) add st_size;
 * - each inode is counted once per invocation: a hard link met again (in the same operand or a
 *   later one) adds nothing and is not printed; `-l`/`--count-links` counts every link. BusyBox
 *   remembers every inode whose link count is above 1 (every directory, so `du d d` prints `d`
 *   once); GNU remembers files with several links, and every inode when there are several operands
 *   or `-L`. With `-L`, BusyBox counts a file with one link once per symlink that reaches it;
 * - post-order output: a directory's entries (in readdir order) before the directory; a file operand
 *   is printed whatever `-a` says; `-s` is depth 0, `-d N` prints entries of depth ≤ N;
 * - a child's path is the operand joined with one `/` (none if the operand ends with `/`);
 * - sizes: KiB rounded up by default; `-h` is where they differ: GNU rounds up (`1.1M` for 1052 KiB,
 *   one decimal below 10, `232K`), BusyBox rounds the last division to the nearest tenth (`1.0M`);
 * - a symlink operand is not followed (`-L` all, GNU `-H`/`-D` operands only; BusyBox's `-H` turns
 *   into `-L` once it follows a link, as its source does);
 * - `-x` skips entries on other mounts, read from /proc/mounts (the runtime's /proc, /dev, /sys and
 *   the /etc/hosts binds); the mount point itself is skipped too.
 * GNU only: `--max-depth`, `--apparent-size`, `-B`/`--block-size`, `--si`, `-S`, `-0`, `--inodes`,
 * `-t`/`--threshold`, `--time` (the latest mtime below each entry, long-iso in UTC; Simulation:
 * `--time=atime` and `=ctime` print the mtime too, the only time our filesystem keeps),
 * `--exclude=PATTERN` (matched against the path and each of its trailing parts, as GNU's
 * exclude.c without EXCLUDE_ANCHORED), long options by unambiguous prefix, `-s` with `-a` or
 * `-d N>0` refused. Messages and exit codes are each du's (`du: cannot access 'x': No such file or
 * directory` GNU, `du: x: No such file or directory` BusyBox; exit 1, the other operands still done).
 *
 * Simulation: st_blocks is what ext4 (and overlayfs' upper directory on it) allocates for a written
 * file: 4 KiB blocks, `ceil(size / 4096)` of them for a regular file (no sparse files, no extent
 * blocks), one block for a directory whatever its number of entries (a real ext4 directory grows
 * once its names fill a block: measured on ext4 with names of 11 characters, 200 entries fit one
 * block, 300 take 3 blocks, 1,000 take 10, 5,000 take 34, as hashed-index leaves split; the rule
 * depends on name lengths and split history, so it is not modelled), none for a symlink (fast
 * symlinks keep the target in the inode), devices, FIFOs and sockets. On the pseudo filesystems
 * (proc, sysfs, devpts, mqueue, cgroup) everything counts 0, on tmpfs directories count 0; a RUN
 * --mount tree is not in /proc/mounts, so it counts as the root filesystem (and `-x` enters it).
 * Entries come in our filesystem's readdir order (a real ext4 directory lists in hash order).
 * BusyBox's usage text names v1.37.0 without the build date. The walk does one lstat per entry and
 * one readdir per directory, never a file's content.
 */
import { FsError } from '../../errors.ts';
import { abs, errText, readText, type CommandIO, type CommandOutput } from './command.ts';
import { gnuQuote, parseDuOptions, type Follow } from './du-options.ts';
import { apparentSize, busyboxSize, diskBlocks, gnuSize } from './du-size.ts';
import { isBusybox } from './links.ts';
import type { ShellFs, ShellStat } from '../types.ts';

// ---------------------------------------------------------------- mounts

const PSEUDO_FS = new Set(['proc', 'sysfs', 'devpts', 'mqueue', 'cgroup', 'cgroup2', 'securityfs', 'debugfs']);

/** The mount table of /proc/mounts: mount point → device number and type (none: one filesystem). */
class Mounts {
  private readonly points = new Map<string, { dev: number; type: string }>();
  constructor(fs: ShellFs) {
    let text: string | undefined;
    try {
      text = readText(fs, '/proc/mounts');
    } catch {
      text = undefined;
    }
    let dev = 0;
    for (const line of (text ?? '').split('\n')) {
      const f = line.split(' ');
      if (f.length >= 3 && f[1].startsWith('/')) this.points.set(f[1], { dev: dev++, type: f[2] });
    }
  }
  /** The filesystem mounted exactly at `path`, if any. */
  at(path: string): { dev: number; type: string } | undefined {
    return this.points.size ? this.points.get(path) : undefined;
  }
  /** The filesystem holding `path` (the deepest mount point above it). */
  of(path: string): { dev: number; type: string } {
    for (let p = path; ; p = p.slice(0, p.lastIndexOf('/')) || '/') {
      const m = this.at(p);
      if (m) return m;
      if (p === '/') return { dev: -1, type: 'overlay' };
    }
  }
}

// ---------------------------------------------------------------- the walk

const two = (n: number) => String(n).padStart(2, '0');

/** `--time`'s default style, long-iso, in UTC (a container's TZ unless set): `2026-01-15 09:05`. */
function longIso(sec: number): string {
  const d = new Date(sec * 1000);
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/** stat(2) failed on a symlink that lstat(2) found. */
class Dangling {
  constructor(readonly cause: unknown) {}
}

interface Frame {
  shown: string;
  path: string;
  depth: number;
  /** What this directory adds up (its own size and its entries'). */
  size: number;
  /** What `-S` prints: the directory without its subdirectories. */
  own: number;
  /** The latest mtime in the directory's tree (`--time`). */
  mtime: number;
  names: string[];
  next: number;
  fsType: string;
  dev: number;
  ino?: number;
  /** BusyBox neither prints nor descends into a directory it cannot open (its size still counts). */
  silent: boolean;
}

/** `du [OPTION]... [FILE]...` as BusyBox or GNU coreutils; see the module comment. */
export function du(io: CommandIO): CommandOutput {
  const busybox = isBusybox(io);
  const parsed = parseDuOptions(io, busybox);
  if ('error' in parsed) return parsed.error;
  const o = parsed.o;
  const fs = io.fs;
  const mounts = new Mounts(fs);
  const seen = new Set<number>();
  const hashAll = !busybox && (o.operands.length > 1 || o.follow === 'all');
  const out: string[] = [];
  let stderr = o.warning;
  let failed = false;
  const eol = o.nul ? '\0' : '\n';

  const print = (size: number, name: string, mtime: number, total = false) => {
    if (!total && o.threshold && (o.threshold > 0 ? size < o.threshold : size > -o.threshold)) return;
    let text: string;
    if (busybox) text = busyboxSize(o.apparent ? size : size / 512, { bytes: o.apparent, unit: o.human ? 0 : o.unit });
    else if (o.inodes) text = gnuSize(size, o.human ? { human: true, base: o.human } : { human: false, unit: 1 });
    else text = gnuSize(size, o.human ? { human: true, base: o.human } : { human: false, unit: o.unit }) + o.unitSuffix;
    out.push(`${text}\t${o.time ? `${longIso(mtime)}\t` : ''}${name}${eol}`);
  };
  const cannot = (shown: string, e: unknown, what: 'access' | 'read' | 'dangling') => {
    failed = true;
    // GNU: a symlink it was told to follow whose target is missing (fts's FTS_SLNONE) gets no reason.
    if (what === 'dangling' && !busybox) {
      stderr += `du: cannot access ${gnuQuote(shown)}\n`;
      return;
    }
    if (busybox) stderr += what === 'read' ? `du: can't open '${shown}': ${errText(e)}\n` : `du: ${shown}: ${errText(e)}\n`;
    else stderr += what === 'read' ? `du: cannot read directory ${gnuQuote(shown)}: ${errText(e)}\n` : `du: cannot access ${gnuQuote(shown)}: ${errText(e)}\n`;
  };
  // GNU's exclude.c without EXCLUDE_ANCHORED: the pattern against the path and each part after a `/`.
  const excluded = (shown: string) => {
    if (o.exclude.length === 0) return false;
    for (let at = 0; at >= 0; at = shown.indexOf('/', at) < 0 ? -1 : shown.indexOf('/', at) + 1) {
      const tail = shown.slice(at);
      if (tail && o.exclude.some((re) => re.test(tail))) return true;
    }
    return false;
  };
  const sizeOf = (st: ShellStat, fsType: string) => {
    if (o.inodes) return 1;
    if (o.apparent) return apparentSize(st);
    if (PSEUDO_FS.has(fsType) || (fsType === 'tmpfs' && st.type === 'dir')) return 0;
    return diskBlocks(st) * 512;
  };
  // True when the inode was counted already (and remembers it otherwise).
  const counted = (st: ShellStat, dev: number) => {
    if (o.countLinks || st.ino === undefined) return false;
    const nlink = st.type === 'dir' ? Math.max(2, st.nlink ?? 2) : st.nlink ?? 1;
    if (busybox ? nlink <= 1 : !hashAll && (st.type === 'dir' || nlink <= 1)) return false;
    const key = (dev + 1) * 2 ** 40 + st.ino;
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  };
  const childName = (dir: string, name: string) => (dir.endsWith('/') ? dir + name : `${dir}/${name}`);
  const childPath = (dir: string, name: string) => (dir === '/' ? `/${name}` : `${dir}/${name}`);

  let grand = 0;
  let grandTime = 0;
  for (const operand of o.operands) {
    const top = abs(io, operand);
    // BusyBox's -H follows the operand and, once it has, every link below it (its -H-to-L conversion).
    let follow: Follow = o.follow;
    // lstat(2) of `dir/` resolves a final symlink, as stat does.
    const slashed = operand.length > 1 && operand.endsWith('/');
    const stat = (p: string, depth: number): ShellStat => {
      const st = fs.lstat(p);
      if (st.type !== 'symlink') return st;
      if (follow === 'all' || (follow === 'args' && depth === 0) || (slashed && depth === 0)) {
        let target: ShellStat;
        try {
          target = fs.stat(p);
        } catch (e) {
          throw new Dangling(e);
        }
        if (busybox && follow === 'args' && !slashed) follow = 'all';
        return target;
      }
      return st;
    };
    if (operand === '') {
      failed = true;
      stderr += busybox ? 'du: : No such file or directory\n' : 'du: invalid zero-length file name\n';
      continue;
    }
    let st: ShellStat;
    try {
      st = stat(top, 0);
      // `file/` is ENOTDIR for the kernel, which our path resolution would forgive.
      if (slashed && st.type !== 'dir') throw new FsError('ENOTDIR', 'lstat', top);
    } catch (e) {
      if (e instanceof Dangling && !slashed) cannot(operand, e.cause, 'dangling');
      else cannot(operand, e instanceof Dangling ? e.cause : e, 'access');
      continue;
    }
    const topFs = mounts.of(top);
    if (!busybox && excluded(operand)) continue;
    if (counted(st, topFs.dev)) continue;
    const size = sizeOf(st, topFs.type);
    if (st.type !== 'dir') {
      grand += size;
      grandTime = Math.max(grandTime, st.mtime);
      print(size, operand, st.mtime);
      continue;
    }
    const frames: Frame[] = [];
    const open = (shown: string, path: string, depth: number, own: number, fsInfo: { dev: number; type: string }, dst: ShellStat) => {
      let names: string[] = [];
      let silent = false;
      try {
        names = fs.readdir(path);
      } catch (e) {
        cannot(shown, e, 'read');
        silent = busybox;
      }
      frames.push({ shown, path, depth, size: own, own, mtime: dst.mtime, names, next: 0, fsType: fsInfo.type, dev: fsInfo.dev, ino: dst.ino, silent });
    };
    open(operand, top, 0, size, topFs, st);
    while (frames.length) {
      const f = frames[frames.length - 1];
      if (f.next < f.names.length) {
        const name = f.names[f.next++];
        const path = childPath(f.path, name);
        const shown = childName(f.shown, name);
        const depth = f.depth + 1;
        let cst: ShellStat;
        try {
          cst = stat(path, depth);
        } catch (e) {
          if (e instanceof Dangling) cannot(shown, e.cause, 'dangling');
          else cannot(shown, e, 'access');
          continue;
        }
        const mounted = mounts.at(path);
        if (mounted && o.oneFs) continue;
        if (!busybox && excluded(shown)) continue;
        const fsInfo = mounted ?? { dev: f.dev, type: f.fsType };
        if (counted(cst, fsInfo.dev)) continue;
        const csize = sizeOf(cst, fsInfo.type);
        if (cst.type === 'dir') {
          // With -L (and -l, which keeps every inode unremembered) a link to an ancestor is not entered again.
          if (follow === 'all' && frames.some((a) => a.ino !== undefined && a.ino === cst.ino && a.dev === fsInfo.dev)) continue;
          open(shown, path, depth, csize, fsInfo, cst);
          continue;
        }
        f.size += csize;
        f.own += csize;
        f.mtime = Math.max(f.mtime, cst.mtime);
        if (o.all && depth <= o.maxDepth) print(csize, shown, cst.mtime);
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) {
        parent.size += f.size;
        parent.mtime = Math.max(parent.mtime, f.mtime);
      } else {
        grand += f.size;
        grandTime = Math.max(grandTime, f.mtime);
      }
      if (f.depth <= o.maxDepth && !f.silent) print(o.separateDirs ? f.own : f.size, f.shown, f.mtime);
    }
  }
  if (o.total) print(grand, 'total', grandTime, true);
  return { stdout: out.join(''), stderr, exitCode: failed ? 1 : 0 };
}
