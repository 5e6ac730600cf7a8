/**
 * `stat` and `ls` over our filesystem, so types, modes, link counts and owners are the image's:
 * owner names come from the image's /etc/passwd and /etc/group (`ls -l`, `stat -c %U`), `ls -n`
 * prints the numbers. Formats follow coreutils (`stat`'s default block, `ls -l` columns); BusyBox
 * prints the same columns for these options.
 */
import { readGroups, readPasswd } from './accounts.ts';
import { abs, errText, getopt, type CommandIO, type CommandOutput } from './command.ts';
import { diskBlocks } from './du-size.ts';
import type { ShellFileType, ShellFs, ShellStat } from '../types.ts';

const TYPE_CHAR: Record<ShellFileType, string> = { file: '-', dir: 'd', symlink: 'l', char: 'c', block: 'b', fifo: 'p', socket: 's' };
const TYPE_NAME: Record<ShellFileType, string> = {
  file: 'regular file', dir: 'directory', symlink: 'symbolic link', char: 'character special file', block: 'block special file', fifo: 'fifo', socket: 'socket',
};
const TYPE_BITS: Record<ShellFileType, number> = { file: 0o100000, dir: 0o040000, symlink: 0o120000, char: 0o020000, block: 0o060000, fifo: 0o010000, socket: 0o140000 };

/** `drwxr-xr-x`, with setuid/setgid/sticky as `s`/`S`/`t`/`T`. */
export function modeString(type: ShellFileType, mode: number): string {
  const r = (bit: number, ch: string) => (mode & bit ? ch : '-');
  const x = (bit: number, special: number, on: string, off: string) => (mode & special ? (mode & bit ? on : off) : mode & bit ? 'x' : '-');
  return (
    TYPE_CHAR[type] +
    r(0o400, 'r') + r(0o200, 'w') + x(0o100, 0o4000, 's', 'S') +
    r(0o040, 'r') + r(0o020, 'w') + x(0o010, 0o2000, 's', 'S') +
    r(0o004, 'r') + r(0o002, 'w') + x(0o001, 0o1000, 't', 'T')
  );
}

/** Owner names from the image's account files (numbers when a name is missing). */
export class Names {
  private users?: Map<number, string>;
  private groups?: Map<number, string>;
  constructor(private readonly fs: ShellFs) {}
  user(uid: number): string {
    this.users ??= new Map(safe(() => readPasswd(this.fs), []).map((p) => [p.uid, p.name]));
    return this.users.get(uid) ?? String(uid);
  }
  group(gid: number): string {
    this.groups ??= new Map(safe(() => readGroups(this.fs), []).map((g) => [g.gid, g.name]));
    return this.groups.get(gid) ?? String(gid);
  }
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

/**
 * What `stat(2)` reports on ext4/overlayfs for what our filesystem leaves open: a directory's link
 * count is 2 + its subdirectories, and its size one 4096-byte block.
 */
export function withDirCounts(fs: ShellFs, path: string, st: ShellStat): ShellStat {
  if (st.type !== 'dir') return st;
  let subdirs = 0;
  try {
    for (const n of fs.readdir(path)) {
      try {
        if (fs.lstat(path === '/' ? `/${n}` : `${path}/${n}`).type === 'dir') subdirs++;
      } catch {
        // vanished meanwhile
      }
    }
  } catch {
    // unreadable: keep what stat said
  }
  return { ...st, nlink: 2 + subdirs, size: st.size || 4096 };
}
const two = (n: number) => String(n).padStart(2, '0');

function isoTime(sec: number): string {
  const d = new Date(sec * 1000);
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.000000000 +0000`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// `ls -l`'s date column: `Jan  2 15:04` within six months of now, `Jan  2  2006` otherwise.
function lsTime(sec: number, now: number): string {
  const d = new Date(sec * 1000);
  const head = `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate(), 2)}`;
  return Math.abs(now - sec) < 182 * 86400 ? `${head} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}` : `${head}  ${d.getUTCFullYear()}`;
}

function statFormat(fmt: string, path: string, st: ShellStat, names: Names, fs: ShellFs, printf: boolean): string {
  const esc = (s: string) => (printf ? s.replace(/\\(n|t|\\|0)/g, (_m, c) => ({ n: '\n', t: '\t', '\\': '\\', '0': '\0' })[c as 'n']) : s);
  return esc(fmt).replace(/%([%nNaAuUgGsFhiYyXxZzfbBodtTmWw])/g, (_m, c: string) => {
    switch (c) {
      case '%': return '%';
      case 'n': return path;
      case 'N': return st.type === 'symlink' ? `'${path}' -> '${safe(() => fs.readlink(path), '')}'` : `'${path}'`;
      case 'a': return (st.mode & 0o7777).toString(8);
      case 'A': return modeString(st.type, st.mode);
      case 'u': return String(st.uid);
      case 'U': return names.user(st.uid);
      case 'g': return String(st.gid);
      case 'G': return names.group(st.gid);
      case 's': return String(st.size);
      case 'F': return st.type === 'file' && st.size === 0 ? 'regular empty file' : TYPE_NAME[st.type];
      case 'h': return String(st.nlink ?? 1);
      case 'i': return String(st.ino ?? 0);
      case 'Y': case 'X': case 'Z': return String(st.mtime);
      case 'y': case 'x': case 'z': return isoTime(st.mtime);
      case 'W': return '0';
      case 'w': return '-';
      case 'f': return ((st.mode & 0o7777) | TYPE_BITS[st.type]).toString(16);
      case 'b': return String(diskBlocks(st));
      case 'B': return '512';
      case 'o': return '4096';
      case 'd': return '0';
      case 't': return ((st.rdev ?? 0) >> 8).toString(16);
      case 'T': return ((st.rdev ?? 0) & 0xff).toString(16);
      case 'm': return '/';
      default: return '?';
    }
  });
}

/** coreutils `stat [-L] [-c FORMAT | --printf FORMAT] FILE…`. */
export function stat(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'Lc:tf', { dereference: 'L', format: 'c', printf: 'p', terse: 't', 'file-system': 'f' });
  if (g.error) return { stdout: '', stderr: `stat: ${g.error}\n`, exitCode: 1 };
  const printfIdx = io.args.findIndex((a) => a === '--printf' || a.startsWith('--printf='));
  let printf: string | undefined;
  if (printfIdx >= 0) printf = io.args[printfIdx].includes('=') ? io.args[printfIdx].slice(9) : io.args[printfIdx + 1];
  const files = printf !== undefined ? g.rest.filter((a) => a !== printf) : g.rest;
  if (!files.length) return { stdout: '', stderr: "stat: missing operand\nTry 'stat --help' for more information.\n", exitCode: 1 };
  const names = new Names(io.fs);
  let stdout = '';
  let stderr = '';
  for (const f of files) {
    const p = abs(io, f);
    let st: ShellStat;
    try {
      st = withDirCounts(io.fs, p, g.opts.has('L') ? io.fs.stat(p) : io.fs.lstat(p));
    } catch (e) {
      stderr += `stat: cannot statx '${f}': ${errText(e)}\n`;
      continue;
    }
    if (printf !== undefined) stdout += statFormat(printf, f, st, names, io.fs, true);
    else if (g.opts.has('c')) stdout += statFormat(g.opts.get('c')!, f, st, names, io.fs, false) + '\n';
    else if (g.opts.has('t')) stdout += statFormat('%n %s %b %f %u %g %d %i %h %t %T %X %Y %Z %W %o', f, st, names, io.fs, false) + '\n';
    else {
      const dev = st.type === 'char' || st.type === 'block' ? `Device type: ${(st.rdev ?? 0) >> 8},${(st.rdev ?? 0) & 0xff}` : '';
      stdout +=
        statFormat(`  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: 4096   %F\n`.replace('%-10s', String(st.size).padEnd(10)).replace('%-10b', String(diskBlocks(st)).padEnd(10)), f, st, names, io.fs, false) +
        `Device: 0,0\tInode: ${String(st.ino ?? 0).padEnd(11)} Links: ${st.nlink ?? 1}${dev ? `     ${dev}` : ''}\n` +
        `Access: (${(st.mode & 0o7777).toString(8).padStart(4, '0')}/${modeString(st.type, st.mode)})  Uid: (${pad(st.uid, 5)}/${pad(names.user(st.uid), 8)})   Gid: (${pad(st.gid, 5)}/${pad(names.group(st.gid), 8)})\n` +
        `Access: ${isoTime(st.mtime)}\nModify: ${isoTime(st.mtime)}\nChange: ${isoTime(st.mtime)}\n Birth: -\n`;
    }
  }
  return { stdout, stderr, exitCode: stderr ? 1 : 0 };
}

interface Entry {
  name: string;
  path: string;
  st: ShellStat;
}

/** coreutils/BusyBox `ls [-1aAdlnFhRrtSi] [FILE…]`. */
export function ls(io: CommandIO): CommandOutput {
  const g = getopt(io.args, '1aAdlnFphRrtSiLgoxCc', {
    all: 'a', 'almost-all': 'A', directory: 'd', 'numeric-uid-gid': 'n', classify: 'F', 'human-readable': 'h', recursive: 'R', reverse: 'r', inode: 'i', dereference: 'L', color: 'K',
  });
  if (g.error && !/color/.test(g.error)) return { stdout: '', stderr: `ls: ${g.error}\nTry 'ls --help' for more information.\n`, exitCode: 2 };
  const o = g.opts;
  const long = o.has('l') || o.has('n') || o.has('g') || o.has('o');
  const names = new Names(io.fs);
  const now = io.now();
  let stdout = '';
  let stderr = '';
  let code = 0;
  const statOf = (p: string) => (long ? withDirCounts(io.fs, p, o.has('L') ? io.fs.stat(p) : io.fs.lstat(p)) : o.has('L') ? io.fs.stat(p) : io.fs.lstat(p));
  const human = (n: number) => {
    if (!o.has('h') || n < 1024) return String(n);
    const units = ['K', 'M', 'G', 'T'];
    let v = n / 1024;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return (v < 10 ? (Math.ceil(v * 10) / 10).toFixed(1) : String(Math.ceil(v))) + units[i];
  };
  const suffix = (st: ShellStat) => {
    if (!o.has('F') && !o.has('p')) return '';
    if (st.type === 'dir') return '/';
    if (!o.has('F')) return '';
    if (st.type === 'symlink') return long ? '' : '@';
    if (st.type === 'fifo') return '|';
    if (st.type === 'socket') return '=';
    return st.type === 'file' && st.mode & 0o111 ? '*' : '';
  };
  const sortEntries = (es: Entry[]) => {
    if (o.has('t')) es.sort((a, b) => b.st.mtime - a.st.mtime || (a.name < b.name ? -1 : 1));
    else if (o.has('S')) es.sort((a, b) => b.st.size - a.st.size || (a.name < b.name ? -1 : 1));
    else es.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (o.has('r')) es.reverse();
    return es;
  };
  const render = (es: Entry[], withTotal: boolean) => {
    if (!long) return es.map((e) => (o.has('i') ? `${e.st.ino ?? 0} ` : '') + e.name + suffix(e.st) + '\n').join('');
    const rows = es.map((e) => {
      const size = e.st.type === 'char' || e.st.type === 'block' ? `${(e.st.rdev ?? 0) >> 8}, ${pad((e.st.rdev ?? 0) & 0xff, 3)}` : human(e.st.size);
      const owner = o.has('n') ? String(e.st.uid) : names.user(e.st.uid);
      const group = o.has('n') ? String(e.st.gid) : names.group(e.st.gid);
      let name = e.name + suffix(e.st);
      if (e.st.type === 'symlink') name += ` -> ${safe(() => io.fs.readlink(e.path), '')}`;
      return { ino: String(e.st.ino ?? 0), mode: modeString(e.st.type, e.st.mode), links: String(e.st.nlink ?? 1), owner, group, size, time: lsTime(e.st.mtime, now), name };
    });
    const w = (k: keyof (typeof rows)[number]) => Math.max(0, ...rows.map((r) => r[k].length));
    const [wi, wl, wo, wg, ws] = [w('ino'), w('links'), w('owner'), w('group'), w('size')];
    let text = withTotal ? `total ${es.reduce((n, e) => n + diskBlocks(e.st) / 2, 0)}\n` : '';
    for (const r of rows) {
      const cols = [o.has('i') ? r.ino.padStart(wi) : undefined, r.mode, r.links.padStart(wl), o.has('g') ? undefined : r.owner.padEnd(wo), o.has('o') ? undefined : r.group.padEnd(wg), r.size.padStart(ws), r.time, r.name];
      text += cols.filter((c) => c !== undefined).join(' ') + '\n';
    }
    return text;
  };
  const listDir = (p: string, shown: string, header: boolean) => {
    let names0: string[];
    try {
      names0 = io.fs.readdir(p);
    } catch (e) {
      stderr += `ls: cannot open directory '${shown}': ${errText(e)}\n`;
      code = 2;
      return;
    }
    const es: Entry[] = [];
    if (o.has('a')) {
      for (const n of ['.', '..']) {
        const dp = n === '.' ? p : p.slice(0, p.lastIndexOf('/')) || '/';
        es.push({ name: n, path: dp, st: long ? withDirCounts(io.fs, dp, io.fs.stat(dp)) : io.fs.stat(dp) });
      }
    }
    for (const n of names0) {
      if (n.startsWith('.') && !o.has('a') && !o.has('A')) continue;
      const cp = p === '/' ? `/${n}` : `${p}/${n}`;
      try {
        es.push({ name: n, path: cp, st: statOf(cp) });
      } catch {
        es.push({ name: n, path: cp, st: io.fs.lstat(cp) });
      }
    }
    if (header) stdout += `${stdout ? '\n' : ''}${shown}:\n`;
    stdout += render(sortEntries(es), true);
    if (o.has('R')) for (const e of es) if (e.st.type === 'dir' && e.name !== '.' && e.name !== '..') listDir(e.path, `${shown === '/' ? '' : shown}/${e.name}`, true);
  };
  const operands = g.rest.length ? g.rest : ['.'];
  const files: Entry[] = [];
  const dirs: { p: string; shown: string }[] = [];
  for (const f of operands) {
    const p = abs(io, f);
    let st: ShellStat;
    try {
      st = io.fs.lstat(p);
      // A symlink named on the command line is followed unless -l/-d/-F is given (coreutils).
      if (st.type === 'symlink' && (!long || o.has('L')) && !o.has('d') && !o.has('F')) st = io.fs.stat(p);
      else if (st.type === 'symlink' && long && !o.has('d') && f.endsWith('/')) st = io.fs.stat(p);
    } catch (e) {
      stderr += `ls: cannot access '${f}': ${errText(e)}\n`;
      code = 2;
      continue;
    }
    if (st.type === 'dir' && !o.has('d')) dirs.push({ p, shown: f });
    else files.push({ name: f, path: p, st: long ? withDirCounts(io.fs, p, st) : st });
  }
  if (files.length) stdout += render(sortEntries(files), false);
  const many = operands.length > 1 || o.has('R');
  for (const d of dirs) listDir(d.p, d.shown, many);
  return { stdout, stderr, exitCode: code };
}
