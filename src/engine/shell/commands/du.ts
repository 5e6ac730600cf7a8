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
import { glob } from './find.ts';
import { isBusybox } from './links.ts';
import type { ShellFs, ShellStat } from '../types.ts';

const BLOCK = 4096;

/** st_blocks (512-byte units) of an entry on a disk filesystem (ext4, overlayfs); see the Simulation note. */
export function diskBlocks(st: ShellStat): number {
  if (st.type === 'file') return Math.ceil(st.size / BLOCK) * (BLOCK / 512);
  if (st.type === 'dir') return BLOCK / 512;
  return 0;
}

/** st_size as stat(2) reports it on ext4: a directory's is its one block. */
export function apparentSize(st: ShellStat): number {
  return st.type === 'dir' ? st.size || BLOCK : st.size;
}

// ---------------------------------------------------------------- size formats

const GNU_POWERS = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];

/**
 * gnulib's human_readable() for an exact byte count, in the modes du uses: `human: false` prints
 * ceil(bytes / unit); `human: true` autoscales by `base` (1024 for `-h`, 1000 for `--si`), rounding
 * up, with one decimal below 10 (`4.0K`, `1.1M`, `10M`, `232K`) and `1024K` carried into `1.0M`.
 */
export function gnuSize(bytes: number, opts: { human: boolean; base?: number; unit?: number }): string {
  if (!opts.human) return String(Math.ceil(bytes / (opts.unit ?? 1024)));
  const base = opts.base ?? 1024;
  let amt = bytes;
  let exponent = 0;
  // tenths: the next decimal digit; rest: whether anything is left below it.
  let tenths = 0;
  let rest = false;
  if (amt >= base) {
    do {
      const r10 = (amt % base) * 10 + tenths;
      rest = rest || r10 % base !== 0;
      amt = Math.floor(amt / base);
      tenths = Math.floor(r10 / base);
      exponent++;
    } while (amt >= base && exponent < GNU_POWERS.length - 1);
    if (amt < 10) {
      if (rest) {
        tenths++;
        rest = false;
        if (tenths === 10) {
          amt++;
          tenths = 0;
        }
      }
      if (amt < 10) return `${amt}.${tenths}${suffix(exponent, base)}`;
    }
  }
  if (tenths > 0 || rest) {
    amt++;
    if (amt === base && exponent > 0 && exponent < GNU_POWERS.length - 1) return `1.0${suffix(exponent + 1, base)}`;
  }
  return `${amt}${suffix(exponent, base)}`;
}

function suffix(exponent: number, base: number): string {
  return base === 1000 && exponent === 1 ? 'k' : GNU_POWERS[exponent];
}

const BB_UNITS = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];

/**
 * BusyBox's `print()` + make_human_readable_str(): `size` in 512-byte blocks (bytes with `-b`),
 * `unit` 0 for `-h` (a tenth rounded to nearest from the last division only: 1052 KiB is `1.0M`,
 * 1023.99 KiB `1024.0K`), else the display unit in bytes (1024, or 1 MiB rounded up as the
 * ENABLE_DESKTOP build adds `unit - 1` KiB first, or 1 for `-b`).
 */
export function busyboxSize(size: number, opts: { bytes: boolean; unit: number }): string {
  if (opts.unit) size += Math.floor((opts.unit - 1) / 1024);
  if (size === 0) return '0';
  let val = opts.bytes ? size : size * 512;
  if (opts.unit) return String(Math.floor((val + Math.floor(opts.unit / 2)) / opts.unit));
  let u = 0;
  let frac = 0;
  while (val >= 1024) {
    u++;
    frac = Math.floor((((val % 1024) * 10) + 512) / 1024);
    val = Math.floor(val / 1024);
  }
  if (frac >= 10) {
    val++;
    frac = 0;
  }
  return u === 0 ? String(val) : `${val}.${frac}${BB_UNITS[u]}`;
}

// ---------------------------------------------------------------- options

type Follow = 'none' | 'args' | 'all';

interface DuOptions {
  busybox: boolean;
  all: boolean;
  maxDepth: number;
  total: boolean;
  countLinks: boolean;
  apparent: boolean;
  follow: Follow;
  oneFs: boolean;
  separateDirs: boolean;
  nul: boolean;
  exclude: RegExp[];
  /** GNU: human-readable with this base (1024 or 1000), else bytes per printed unit. */
  human?: number;
  unit: number;
  /** GNU `-B K`: the unit printed after each size. */
  unitSuffix: string;
  /** GNU `--inodes`: count entries instead of bytes. */
  inodes: boolean;
  /** GNU `-t SIZE`: print entries of at least SIZE (bytes or inodes), or at most -SIZE when negative. */
  threshold: number;
  /** GNU `--time`: the latest mtime below each entry, printed before its name. */
  time: boolean;
  /** GNU `-s` with `--max-depth=0`: a warning, not an error. */
  warning: string;
  operands: string[];
}

const GNU_LONG: Record<string, { letter: string; arg?: boolean }> = {
  all: { letter: 'a' }, 'apparent-size': { letter: 'A' }, 'block-size': { letter: 'B', arg: true }, bytes: { letter: 'b' },
  total: { letter: 'c' }, 'dereference-args': { letter: 'D' }, 'max-depth': { letter: 'd', arg: true }, 'human-readable': { letter: 'h' },
  si: { letter: 'I' }, 'count-links': { letter: 'l' }, dereference: { letter: 'L' }, 'no-dereference': { letter: 'P' },
  null: { letter: '0' }, 'separate-dirs': { letter: 'S' }, summarize: { letter: 's' }, 'one-file-system': { letter: 'x' },
  exclude: { letter: 'X', arg: true }, inodes: { letter: 'N' }, threshold: { letter: 't', arg: true }, time: { letter: 'T' },
};
const GNU_SHORT = 'abcDd:hHklLmPS0sxB:t:';
const BB_SHORT = 'aHkLsxd:lcbhm';

const GNU_TRY = "Try 'du --help' for more information.";

const BB_USAGE =
  'BusyBox v1.37.0 multi-call binary.\n\nUsage: du [-aHLdclsxhmk] [FILE]...\n\nSummarize disk space used for FILEs (or directories)\n\n' +
  '\t-a\tShow file sizes too\n\t-b\tApparent size (including holes)\n\t-L\tFollow all symlinks\n\t-H\tFollow symlinks on command line\n' +
  '\t-d N\tLimit output to directories (and files with -a) of depth < N\n\t-c\tShow grand total\n\t-l\tCount sizes many times if hard linked\n' +
  '\t-s\tDisplay only a total for each argument\n\t-x\tSkip directories on different filesystems\n\t-h\tSizes in human readable format (e.g., 1K 243M 2G)\n' +
  '\t-m\tSizes in megabytes\n\t-k\tSizes in kilobytes (default)\n';

/** GNU's quoting of a file name in messages (shell-escape style in the C locale): 'x', "it's". */
export function gnuQuote(name: string): string {
  if (!/[^A-Za-z0-9_.,:+=@%/-]/.test(name) && name !== '') return `'${name}'`;
  if (!name.includes("'")) return `'${name}'`;
  if (!/["$`\\]/.test(name)) return `"${name}"`;
  return `'${name.replace(/'/g, "'\\''")}'`;
}

/**
 * `-B SIZE`: a number with an optional K, M, G… (powers of 1024; KiB, MiB… too) or KB, MB… (powers
 * of 1000) suffix. Without a number, the unit is printed after each size (`1052K`, `1078kB`).
 */
function parseBlockSize(s: string): { unit: number; suffix: string } | undefined {
  const m = /^(\d*)(?:([KMGTPEZY])(B|iB)?)?$/i.exec(s);
  if (!m || (m[1] === '' && !m[2])) return undefined;
  const n = m[1] === '' ? 1 : Number(m[1]);
  const letter = m[2]?.toUpperCase() ?? '';
  const power = letter ? 'KMGTPEZY'.indexOf(letter) + 1 : 0;
  const unit = n * (m[3] === 'B' ? 1000 : 1024) ** power;
  if (!(unit > 0)) return undefined;
  const suffix = m[1] !== '' ? '' : m[3] === 'B' ? (letter === 'K' ? 'kB' : `${letter}B`) : letter + (m[3] ?? '');
  return { unit, suffix };
}

type Parsed = { o: DuOptions } | { error: CommandOutput };

function usageError(busybox: boolean, msg: string): { error: CommandOutput } {
  return { error: { stdout: '', stderr: busybox ? `du: ${msg}\n${BB_USAGE}` : `du: ${msg}\n${GNU_TRY}\n`, exitCode: 1 } };
}

function parse(io: CommandIO, busybox: boolean): Parsed {
  const o: DuOptions = {
    busybox, all: false, maxDepth: Infinity, total: false, countLinks: false, apparent: false, follow: 'none',
    oneFs: false, separateDirs: false, nul: false, exclude: [], unit: 1024, unitSuffix: '', inodes: false, threshold: 0, time: false, warning: '', operands: [],
  };
  let summarize = false;
  let depthGiven: string | undefined;
  // BusyBox: -b picks bytes, then the last of -h, -k, -m the unit, whatever the order.
  let bbBytes = false;
  let bbScale: string | undefined;
  let optName = '';
  const args = io.args;
  const apply = (c: string, v: string | undefined): CommandOutput | undefined => {
    switch (c) {
      case 'a': o.all = true; break;
      case 'c': o.total = true; break;
      case 'l': o.countLinks = true; break;
      case 'x': o.oneFs = true; break;
      case 'S': o.separateDirs = true; break;
      case '0': o.nul = true; break;
      case 'L': o.follow = 'all'; break;
      case 'P': o.follow = 'none'; break;
      case 'H': case 'D': o.follow = 'args'; break;
      case 'A': o.apparent = true; break;
      case 'N': o.inodes = true; break;
      case 'T':
        if (v !== undefined && !['atime', 'access', 'use', 'ctime', 'status'].includes(v)) {
          return {
            stdout: '',
            stderr: `du: invalid argument ${gnuQuote(v)} for '--time'\nValid arguments are:\n  - 'atime', 'access', 'use'\n  - 'ctime', 'status'\n${GNU_TRY}\n`,
            exitCode: 1,
          };
        }
        o.time = true;
        break;
      case 't': {
        const m = /^(-?)(\d+)(?:([kKMGTPEZY])(B|iB)?)?$/.exec(v!);
        if (!m) return { stdout: '', stderr: `du: invalid ${optName} argument ${gnuQuote(v!)}\n`, exitCode: 1 };
        const power = m[3] ? 'KMGTPEZY'.indexOf(m[3].toUpperCase()) + 1 : 0;
        o.threshold = (m[1] ? -1 : 1) * Number(m[2]) * (m[4] === 'B' ? 1000 : 1024) ** power;
        break;
      }
      case 'X': o.exclude.push(glob(v!)); break;
      case 's':
        summarize = true;
        if (busybox) depthGiven = undefined;
        break;
      case 'd': {
        if (!/^\d+$/.test(v!)) {
          if (busybox) return { stdout: '', stderr: `du: invalid number '${v}'\n`, exitCode: 1 };
          return { stdout: '', stderr: `du: invalid maximum depth ${gnuQuote(v!)}\n${GNU_TRY}\n`, exitCode: 1 };
        }
        depthGiven = v;
        if (busybox) summarize = false;
        break;
      }
      case 'b':
        o.apparent = true;
        o.unitSuffix = '';
        bbBytes = true;
        o.human = undefined;
        o.unit = 1;
        break;
      case 'h': o.human = 1024; o.unit = 1; bbScale = c; break;
      case 'I': o.human = 1000; o.unit = 1; break;
      case 'k': o.human = undefined; o.unit = 1024; o.unitSuffix = ''; bbScale = c; break;
      case 'm': o.human = undefined; o.unit = 1024 * 1024; o.unitSuffix = ''; bbScale = c; break;
      case 'B': {
        const b = parseBlockSize(v!);
        if (b === undefined) return { stdout: '', stderr: `du: invalid ${optName} argument ${gnuQuote(v!)}\n`, exitCode: 1 };
        o.human = undefined;
        o.unit = b.unit;
        o.unitSuffix = b.suffix;
        break;
      }
    }
    return undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      o.operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && !busybox) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      const hits = Object.keys(GNU_LONG).filter((k) => k.startsWith(name));
      const exact = GNU_LONG[name] ? name : hits.length === 1 ? hits[0] : undefined;
      if (!exact) {
        if (hits.length > 1) return usageError(false, `option '${a}' is ambiguous; possibilities:${hits.map((h) => ` '--${h}'`).join('')}`);
        return usageError(false, `unrecognized option '${a}'`);
      }
      const spec = GNU_LONG[exact];
      optName = `--${exact}`;
      let v: string | undefined;
      if (spec.arg) {
        v = eq > 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined) return usageError(false, `option '--${exact}' requires an argument`);
      } else if (eq > 0 && exact === 'time') v = a.slice(eq + 1);
      else if (eq > 0) return usageError(false, `option '--${exact}' doesn't allow an argument`);
      const err = apply(spec.letter, v);
      if (err) return { error: err };
      continue;
    }
    if (a.startsWith('--')) return usageError(true, `unrecognized option '${a}'`);
    if (a.startsWith('-') && a.length > 1) {
      const spec = busybox ? BB_SHORT : GNU_SHORT;
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const at = spec.indexOf(c);
        if (at < 0 || c === ':') return usageError(busybox, `invalid option -- '${c}'`);
        let v: string | undefined;
        if (spec[at + 1] === ':') {
          v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) return usageError(busybox, `option requires an argument -- '${c}'`);
        }
        optName = `-${c}`;
        const err = apply(c, v);
        if (err) return { error: err };
        if (v !== undefined) break;
      }
      continue;
    }
    o.operands.push(a);
  }
  if (busybox) {
    // BusyBox's `-s` and `-d` cancel each other (the last given wins).
    if (summarize) o.maxDepth = 0;
    else if (depthGiven !== undefined) o.maxDepth = Number(depthGiven);
    o.human = bbScale === 'h' ? 1024 : undefined;
    o.unit = bbScale === 'm' ? 1024 * 1024 : bbScale === 'k' || !bbBytes ? 1024 : 1;
  } else {
    if (summarize && o.all) return { error: { stdout: '', stderr: `du: cannot both summarize and show all entries\n${GNU_TRY}\n`, exitCode: 1 } };
    if (summarize && depthGiven !== undefined && Number(depthGiven) !== 0) {
      return { error: { stdout: '', stderr: `du: warning: summarizing conflicts with --max-depth=${Number(depthGiven)}\n${GNU_TRY}\n`, exitCode: 1 } };
    }
    if (summarize && depthGiven !== undefined) o.warning = 'du: warning: summarizing is the same as using --max-depth=0\n';
    if (summarize) o.maxDepth = 0;
    else if (depthGiven !== undefined) o.maxDepth = Number(depthGiven);
  }
  if (o.operands.length === 0) o.operands.push('.');
  return { o };
}

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
  const parsed = parse(io, busybox);
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
