/**
 * apk's state on disk, as apk-tools keeps it: `/lib/apk/db/installed` (one record per package,
 * `P:`/`V:`/`I:`/`D:` fields, then `F:` directories with `R:` files and `Z:` checksums),
 * `/etc/apk/world` (what was asked for, one name per line, sorted), `/etc/apk/repositories`,
 * `/etc/apk/arch`, `/etc/alpine-release`, and the index cache `/var/cache/apk/APKINDEX.<hash>.tar.gz`.
 * apk-tools 3 (Alpine 3.23+) keeps the same paths and formats: its move of the database to
 * /usr/lib/apk/db was reverted before 3.0 (apk-tools commit 6927746, "Revert usrmerge/LFS related
 * changes to apk used paths"); only the index cache's name is hashed differently (see indexCachePath).
 *
 * Simulation: `C:`/`Z:` checksums are derived from names (FNV-1a), not from package contents.
 */
import { sha1Hex, sha256Hex } from '../../digest.ts';
import type { ShellFs } from '../types.ts';
import { fnv1a } from './dpkg-unpack.ts';
import type { ApkFile, ApkPackage } from './apk-catalog.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

export const APK_INSTALLED = '/lib/apk/db/installed';
export const APK_WORLD = '/etc/apk/world';
export const APK_CACHE = '/var/cache/apk';

/** One record of /lib/apk/db/installed. */
export interface InstalledRecord {
  name: string;
  version: string;
  installedSize: number;
  depends: string[];
  /** True when the record carries a `D:` line (written by apk add; the base image's records have none here). */
  hasDepends: boolean;
  /** Files and symlinks the package owns (absolute paths). */
  files: string[];
  /** The record's lines as stored, rewritten unchanged. */
  lines: string[];
}

function readText(fs: ShellFs, path: string): string | undefined {
  try {
    return dec.decode(fs.readFile(path));
  } catch {
    return undefined;
  }
}

/** Parses /lib/apk/db/installed. */
export function readInstalled(fs: ShellFs): InstalledRecord[] {
  const text = readText(fs, APK_INSTALLED) ?? '';
  const out: InstalledRecord[] = [];
  for (const block of text.split(/\n\n+/)) {
    const lines = block.split('\n').filter((l) => l.length > 0);
    if (!lines.length) continue;
    const r: InstalledRecord = { name: '', version: '', installedSize: 0, depends: [], hasDepends: false, files: [], lines };
    let dir = '';
    for (const l of lines) {
      const k = l[0];
      const v = l.slice(2);
      if (k === 'P') r.name = v;
      else if (k === 'V') r.version = v;
      else if (k === 'I') r.installedSize = Number(v) || 0;
      else if (k === 'D') {
        r.hasDepends = true;
        r.depends = v.split(' ').filter((d) => d && !d.startsWith('so:') && !d.startsWith('cmd:')).map((d) => d.replace(/[<>=~].*$/, ''));
      } else if (k === 'F') dir = v;
      else if (k === 'R') r.files.push(`/${dir ? dir + '/' : ''}${v}`);
    }
    if (r.name) out.push(r);
  }
  return out;
}

/** Writes /lib/apk/db/installed from records (each record's lines, a blank line after each). */
export function writeInstalled(fs: ShellFs, records: InstalledRecord[]): number {
  const bytes = enc.encode(records.map((r) => r.lines.join('\n') + '\n\n').join(''));
  fs.writeFile(APK_INSTALLED, bytes, { mode: 0o644 });
  return bytes.length;
}

/** /etc/apk/world as a list. */
export function readWorld(fs: ShellFs): string[] {
  return (readText(fs, APK_WORLD) ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
}

/** Writes /etc/apk/world sorted and de-duplicated, as apk does. */
export function writeWorld(fs: ShellFs, names: string[]): number {
  const bytes = enc.encode([...new Set(names)].sort().join('\n') + '\n');
  fs.writeFile(APK_WORLD, bytes, { mode: 0o644 });
  return bytes.length;
}

/** `Q1` + base64 of 20 bytes derived from `s` (stands in for apk's SHA-1 checksums). */
export function q1(s: string): string {
  const b = new Uint8Array(20);
  let h = fnv1a(s);
  for (let i = 0; i < 20; i++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    b[i] = h & 0xff;
  }
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < 20; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += A[(n >> 18) & 63] + A[(n >> 12) & 63] + (i + 1 < 20 ? A[(n >> 6) & 63] : '=') + (i + 2 < 20 ? A[n & 63] : '=');
  }
  return 'Q1' + out;
}

/** The installed-database record apk writes for a package and its files. */
export function packageRecord(p: ApkPackage, files: ApkFile[], now: number): InstalledRecord {
  const lines = [`C:${q1(`${p.name}-${p.version}`)}`, `P:${p.name}`, `V:${p.version}`, `A:${p.arch}`, `S:${p.size}`, `I:${p.installedSize}`, `T:${p.description}`, `U:${p.url}`, `L:${p.license}`, `o:${p.origin}`,
    'm:Natanael Copa <ncopa@alpinelinux.org>', `t:${now}`, `c:${(fnv1a(p.name + p.version) >>> 0).toString(16).padStart(8, '0')}${(fnv1a(p.version) >>> 0).toString(16).padStart(8, '0')}`];
  if (p.depends.length) lines.push(`D:${p.depends.join(' ')}`);
  if (p.provides.length) lines.push(`p:${p.provides.join(' ')}`);
  const byDir = new Map<string, ApkFile[]>();
  for (const f of files) {
    const i = f.path.lastIndexOf('/');
    const d = f.path.slice(1, i);
    if (!byDir.has(d)) byDir.set(d, []);
    byDir.get(d)!.push(f);
  }
  for (const [d, list] of [...byDir].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    lines.push(`F:${d}`);
    for (const f of list) {
      lines.push(`R:${f.path.slice(d.length + 2)}`);
      if (f.kind === 'f' && (f.mode & 0o777) !== 0o644) lines.push(`a:0:0:${(f.mode & 0o7777).toString(8)}`);
      lines.push(`Z:${q1(`${p.name}${f.path}`)}`);
    }
  }
  return { name: p.name, version: p.version, installedSize: p.installedSize, depends: [...p.depends], hasDepends: p.depends.length > 0, files: files.map((f) => f.path), lines };
}

/** A `--virtual NAME` package: no files, depends on what was asked for (apk's version is the time). */
export function virtualRecord(name: string, version: string, depends: string[], now: number): InstalledRecord {
  const lines = [`C:${q1(`${name}-${version}`)}`, `P:${name}`, `V:${version}`, 'A:noarch', 'S:0', 'I:0', 'T:virtual meta package', 'U:', 'L:', `t:${now}`, `D:${depends.join(' ')}`];
  return { name, version, installedSize: 0, depends: [...depends], hasDepends: true, files: [], lines };
}

/** `/etc/alpine-release` → `v3.22`, or `edge`. */
export function branchOf(fs: ShellFs): string {
  const rel = (readText(fs, '/etc/alpine-release') ?? '').trim();
  const m = /^(\d+)\.(\d+)/.exec(rel);
  return m ? `v${m[1]}.${m[2]}` : 'edge';
}

/** The repositories apk reads (`/etc/apk/repositories`, comments and blanks skipped). */
export function repositories(fs: ShellFs): string[] {
  return (readText(fs, '/etc/apk/repositories') ?? '').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

/** The machine architecture apk was built for (`/etc/apk/arch`). */
export function apkArch(fs: ShellFs): string {
  return (readText(fs, '/etc/apk/arch') ?? 'x86_64').trim() || 'x86_64';
}

/** The index URL apk fetches for a repository line: `<repo>/<arch>/APKINDEX.tar.gz` (trailing `/` dropped). */
export function indexUrl(repo: string, arch: string): string {
  return `${repo.replace(/\/+$/, '')}/${arch}/APKINDEX.tar.gz`;
}

/**
 * The cache file apk keeps for a repository's index, named from a hash of the index URL:
 * apk-tools 2 `APKINDEX.<first 4 bytes of its SHA-1, hex>.tar.gz` (apk_repo_format_cache_index,
 * APK_CACHE_CSUM_BYTES 4), apk-tools 3 `APKINDEX.${hash:8}.tar.gz`, the first 8 hex digits of its
 * SHA-256 (apk_repo_index_cache_url).
 */
export async function indexCachePath(repo: string, arch: string, generation: ApkGeneration): Promise<string> {
  const url = enc.encode(indexUrl(repo, arch));
  const hex = generation === 3 ? await sha256Hex(url) : await sha1Hex(url);
  return `${APK_CACHE}/APKINDEX.${hex.slice(0, 8)}.tar.gz`;
}

/** apk-tools' major version: 2 (Alpine ≤ 3.22) or 3 (Alpine 3.23 and later). */
export type ApkGeneration = 2 | 3;

/** Which apk-tools the image has, from its installed database (`apk-tools` record's version). */
export function apkGeneration(records: InstalledRecord[]): ApkGeneration {
  const v = records.find((r) => r.name === 'apk-tools')?.version ?? '';
  return /^[3-9]\./.test(v) ? 3 : 2;
}

/**
 * `apk info`'s installed size: divided by 1024 (truncating) while 10000 or more, B, KiB, MiB…
 * (apk-tools 2 apk_get_human_size; apk-tools 3 apk_fmt_human_size with pretty_print -1: the same).
 */
export function humanSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let n = bytes;
  let u = 0;
  while (n >= 10000 && u < units.length - 1) {
    n = Math.floor(n / 1024);
    u++;
  }
  return `${n} ${units[u]}`;
}

/**
 * apk-tools 3's `apk_fmt_human_size(…, pretty_print=1)` (print.c): divide by 1024 while the value
 * is 10000 or more; bytes and KiB as integers (truncated), MiB and up with one decimal (`%.1f`).
 */
export function humanSizeV3(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let s = Math.fround(bytes);
  let val = bytes;
  let i = 0;
  for (; i < units.length - 1 && s >= 10000; i++) {
    s = Math.fround(s / 1024);
    val = Math.floor(val / 1024);
  }
  if (i < 2) return `${val} ${units[i]}`;
  return `${s.toFixed(1)} ${units[i]}`;
}
