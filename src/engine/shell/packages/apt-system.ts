/**
 * The apt side of a Debian image: which release it is (`/etc/os-release`), the list files
 * `apt-get update` writes (`/var/lib/apt/lists`, real names and sizes of the catalog's snapshot),
 * apt's size and time formatting, and the files apt and dpkg write around an install
 * (`extended_states`, `/var/log/apt/*`, `/var/log/dpkg.log`, the lock files).
 */
import { SyntheticContent } from '../../fs/content.ts';
import type { ShellFs } from '../types.ts';
import type { AptCatalog, AptListFacts } from './apt-catalog.ts';
import { fnv1a, writeContent } from './dpkg-unpack.ts';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** `ID` and `VERSION_CODENAME` of /etc/os-release (empty strings when absent). */
export function osRelease(fs: ShellFs): { id: string; codename: string; pretty: string } {
  let text = '';
  for (const p of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      text = decoder.decode(fs.readFile(p));
      break;
    } catch {
      /* try the next */
    }
  }
  const get = (k: string) => new RegExp(`^${k}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1] ?? '';
  return { id: get('ID'), codename: get('VERSION_CODENAME'), pretty: get('PRETTY_NAME') };
}

/**
 * apt's SizeToStr (apt-pkg/contrib/strutl.cc): decimal units, one decimal below 100, none below
 * 10000, e.g. `6924 B`, `55.4 kB`, `8790 kB`, `33.5 MB`.
 */
export function sizeToStr(bytes: number): string {
  const units = ['', 'k', 'M', 'G', 'T', 'P'];
  let s = Math.abs(bytes);
  for (let i = 0; i < units.length; i++) {
    if (s < 100 && i !== 0) return `${s.toFixed(1)} ${units[i]}B`;
    if (s < 10000) return `${Math.round(s)} ${units[i]}B`;
    s /= 1000;
  }
  return `${Math.round(s)} PB`;
}

const LISTS = '/var/lib/apt/lists';

/** True if `apt-get update` has run for the catalog's sources (its Packages lists are present). */
export function listsPresent(fs: ShellFs, cat: AptCatalog): boolean {
  try {
    fs.stat(`${LISTS}/${cat.lists[0].packages}`);
    return true;
  } catch {
    return false;
  }
}

/** The line `apt-get update` prints for a source's file (`Get:4 http://… bookworm/main amd64 Packages [8790 kB]`, `… noble/universe amd64 Packages`). */
function listLine(l: AptListFacts, kind: 'InRelease' | 'Packages'): string {
  return kind === 'InRelease' ? `${l.uri} ${l.suite} InRelease` : `${l.uri} ${l.suite}/${l.component ?? 'main'} amd64 Packages`;
}

/**
 * `apt-get update`: writes the list files with their real sizes (synthetic bytes; Simulation: the
 * index content is not shipped — apt-cache reads the catalog instead) and returns apt's lines.
 * Lists already present are `Hit:` (the offline archive never changes), missing ones `Get:`.
 * One InRelease per suite, then each suite's Packages list per component (Ubuntu's sources name
 * four; an empty list, such as noble-backports/restricted, is not fetched, as apt knows it from the
 * InRelease). Simulation: real apt fetches in parallel, so its Get: lines interleave in an order
 * that changes from run to run; here they come in sources order.
 */
export function updateLists(fs: ShellFs, cat: AptCatalog, seconds: number): { lines: string[]; bytes: number } {
  // Simulation: the synthetic list files take no memory, so `bytes` (the quota's count) stays 0.
  const lines: string[] = [];
  let n = 0;
  let fetched = 0;
  let bytes = 0;
  const have = (p: string) => {
    try {
      return fs.stat(p).size >= 0;
    } catch {
      return false;
    }
  };
  mkdirp(fs, `${LISTS}/partial`, 0o700);
  if (!have(`${LISTS}/lock`)) fs.writeFile(`${LISTS}/lock`, new Uint8Array(0), { mode: 0o640 });
  const gets: string[] = [];
  const suites = new Set<string>();
  for (const l of cat.lists) {
    if (suites.has(l.inRelease)) continue;
    suites.add(l.inRelease);
    const p = `${LISTS}/${l.inRelease}`;
    if (have(p)) lines.push(`Hit:${++n} ${listLine(l, 'InRelease')}`);
    else {
      lines.push(`Get:${++n} ${listLine(l, 'InRelease')} [${sizeToStr(l.inReleaseSize)}]`);
      writeContent(fs, p, new SyntheticContent(l.inReleaseSize, fnv1a(`apt-lists|${p}|${l.date}`)));
      fetched += l.inReleaseSize;
    }
  }
  for (const l of cat.lists) {
    const p = `${LISTS}/${l.packages}`;
    if (have(p)) continue;
    gets.push(`Get:${++n} ${listLine(l, 'Packages')} [${sizeToStr(l.packagesDownload)}]`);
    writeContent(fs, p, new SyntheticContent(l.packagesSize, fnv1a(`apt-lists|${p}|${l.date}`)));
    fetched += l.packagesDownload;
  }
  lines.push(...gets);
  const secs = Math.max(1, Math.round(seconds));
  lines.push(fetched > 0 ? `Fetched ${sizeToStr(fetched)} in ${secs}s (${sizeToStr(fetched / secs)}/s)` : '');
  if (!lines[lines.length - 1]) lines.pop();
  lines.push('Reading package lists...');
  return { lines, bytes };
}

/** mkdir -p with a mode for the last component. */
export function mkdirp(fs: ShellFs, dir: string, mode = 0o755): void {
  const parts = dir.split('/').filter(Boolean);
  let p = '';
  for (let i = 0; i < parts.length; i++) {
    p += '/' + parts[i];
    try {
      fs.lstat(p);
    } catch {
      fs.mkdir(p, { mode: i === parts.length - 1 ? mode : 0o755 });
    }
  }
}

/** `/var/lib/apt/extended_states`: which packages apt installed automatically. */
export function readAutoInstalled(fs: ShellFs): Map<string, string> {
  const out = new Map<string, string>();
  let text = '';
  try {
    text = decoder.decode(fs.readFile('/var/lib/apt/extended_states'));
  } catch {
    return out;
  }
  for (const b of text.split(/\n\n+/)) {
    const name = /^Package: (.*)$/m.exec(b)?.[1];
    const arch = /^Architecture: (.*)$/m.exec(b)?.[1] ?? 'amd64';
    if (name && /^Auto-Installed: 1$/m.test(b)) out.set(name, arch);
  }
  return out;
}

/** Writes extended_states (sorted by name, as apt does). */
export function writeAutoInstalled(fs: ShellFs, auto: Map<string, string>): number {
  const text = [...auto].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([n, a]) => `Package: ${n}\nArchitecture: ${a}\nAuto-Installed: 1\n`).join('\n');
  const data = encoder.encode(text ? text + '\n' : '');
  mkdirp(fs, '/var/lib/apt');
  fs.writeFile('/var/lib/apt/extended_states', data);
  return data.length;
}

/** `2026-11-28 06:05:27` (dpkg.log) from seconds since the epoch. */
export function logTime(sec: number, sep = ' '): string {
  const d = new Date(sec * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}${sep}${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** Appends text to a file (creating it), returning the bytes the layer gains (the whole file after copy-up). */
export function appendLog(fs: ShellFs, path: string, text: string, mode = 0o644): number {
  const slash = path.lastIndexOf('/');
  mkdirp(fs, path.slice(0, slash));
  try {
    fs.appendFile(path, encoder.encode(text));
  } catch {
    fs.writeFile(path, encoder.encode(text), { mode });
  }
  return fs.stat(path).size;
}
