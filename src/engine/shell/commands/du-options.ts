/**
 * `du`'s command line (see du.ts): GNU's options (getopt_long, long options by unambiguous
 * prefix, the last of -h/-k/-m/-b/-B wins) or BusyBox's (getopt32: -b picks bytes, the last of
 * -h/-k/-m the unit; -s and -d cancel each other), with each du's usage errors.
 */
import type { CommandIO, CommandOutput } from './command.ts';
import { glob } from './find.ts';

export type Follow = 'none' | 'args' | 'all';

export interface DuOptions {
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

export type Parsed = { o: DuOptions } | { error: CommandOutput };

function usageError(busybox: boolean, msg: string): { error: CommandOutput } {
  return { error: { stdout: '', stderr: busybox ? `du: ${msg}\n${BB_USAGE}` : `du: ${msg}\n${GNU_TRY}\n`, exitCode: 1 } };
}

/** The options and operands of `du ARGS` in the given dialect, or the usage error to print. */
export function parseDuOptions(io: CommandIO, busybox: boolean): Parsed {
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
