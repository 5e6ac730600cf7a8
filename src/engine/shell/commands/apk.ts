/**
 * `apk` (apk-tools) over the offline Alpine index (packages/apk-catalog.ts): `update`,
 * `add [--no-cache] [-U|--update-cache] [-t|--virtual NAME] [-q] PKG…`, `del PKG…`,
 * `info [-v] [-e|-L] [PKG…]`, `--print-arch`, `--version`. State on disk as apk keeps it
 * (packages/apk-db.ts): the installed database, world, and the index cache in /var/cache/apk,
 * which `--no-cache` leaves empty. Output lines as the image's apk-tools prints them when its
 * output is not a terminal (as in a RUN step), read from apk-tools' sources (commit.c, database.c,
 * app_update.c, print.c at v2.14.10 and v3.0.6):
 *
 * | | apk-tools 2 (Alpine ≤ 3.22) | apk-tools 3 (Alpine 3.23+) |
 * |---|---|---|
 * | index download | `fetch <url>/x86_64/APKINDEX.tar.gz` (apk_message) | nothing: a progress note, shown only on a terminal |
 * | change line | `(1/10) Installing …` | `( 1/10) Installing …` (`%*i`, padded to the total's digits) |
 * | summary | `OK: 12 MiB in 25 packages` (whole MiB, truncated) | `OK: 12.4 MiB in 25 packages` (apk_fmt_human_size) |
 * | index cache | `APKINDEX.<SHA-1 of the URL, 8 hex>.tar.gz` | `APKINDEX.<SHA-256 of the URL, 8 hex>.tar.gz` |
 *
 * Both keep the database in /lib/apk/db and the world in /etc/apk/world (packages/apk-db.ts).
 *
 * Simulation: package scripts are not run (the busybox and ca-certificates triggers are reported,
 * not executed); package contents are synthetic bytes of the catalog's (estimated) sizes; the
 * catalog has one package set for every Alpine branch.
 */
import { FsError } from '../../errors.ts';
import { SyntheticContent } from '../../fs/content.ts';
import type { CommandIO, CommandOutput } from './command.ts';
import { APK_INDEX_PATH, type ApkCatalog, type ApkFile, type ApkPackage } from '../packages/apk-catalog.ts';
import {
  APK_CACHE, apkArch, apkGeneration, branchOf, humanSize, humanSizeV3, indexCachePath, indexUrl, packageRecord, readInstalled, readWorld, repositories, virtualRecord, writeInstalled, writeWorld,
  type ApkGeneration, type InstalledRecord,
} from '../packages/apk-db.ts';
import { fnv1a, writeContent } from '../packages/dpkg-unpack.ts';

const result = (out: string[], err: string[], exitCode: number): CommandOutput => ({
  stdout: out.length ? out.join('\n') + '\n' : '',
  stderr: err.length ? err.join('\n') + '\n' : '',
  exitCode,
});

function lexists(io: CommandIO, p: string): boolean {
  try {
    io.fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

function mkdirs(io: CommandIO, dir: string): void {
  if (dir === '/' || dir === '' || lexists(io, dir)) return;
  mkdirs(io, dir.slice(0, dir.lastIndexOf('/')) || '/');
  try {
    io.fs.mkdir(dir, { mode: 0o755 });
  } catch (e) {
    if (!(e instanceof FsError && e.errno === 'EEXIST')) throw e;
  }
}

interface ApkOptions {
  noCache: boolean;
  updateCache: boolean;
  quiet: boolean;
  virtual?: string;
  verbose: number;
  flags: Set<string>;
  args: string[];
}

function parse(args: string[]): ApkOptions {
  const o: ApkOptions = { noCache: false, updateCache: false, quiet: false, verbose: 0, flags: new Set(), args: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--no-cache') o.noCache = true;
    else if (a === '-U' || a === '--update-cache' || a === '--update') o.updateCache = true;
    else if (a === '-q' || a === '--quiet') o.quiet = true;
    else if (a === '-v' || a === '--verbose') o.verbose++;
    else if (a === '-t' || a === '--virtual') o.virtual = args[++i];
    else if (a.startsWith('--virtual=')) o.virtual = a.slice(10);
    else if (a === '-X' || a === '--repository' || a === '--repositories-file' || a === '-p' || a === '--root' || a === '--arch' || a === '--cache-dir' || a === '--keys-dir') i++;
    else if (a.startsWith('-') && a.length > 1) {
      // Combined short flags (-qU) and the rest (--no-progress, --allow-untrusted, --no-network…).
      if (/^-[a-zA-Z]+$/.test(a)) for (const c of a.slice(1)) o.flags.add(c);
      else o.flags.add(a);
      if (o.flags.has('U')) o.updateCache = true;
      if (o.flags.has('q')) o.quiet = true;
    } else o.args.push(a);
  }
  if (o.flags.has('e')) o.flags.add('-e');
  return o;
}

/** The repository URLs of the image and the catalog's facts about its branch. */
function repos(io: CommandIO, cat: ApkCatalog) {
  const branch = branchOf(io.fs);
  const facts = cat.branches[branch] ?? cat.branches['v3.22'];
  const arch = apkArch(io.fs);
  const list = repositories(io.fs);
  return { branch, arch, facts, list: list.length ? list : [`https://dl-cdn.alpinelinux.org/alpine/${branch}/main`, `https://dl-cdn.alpinelinux.org/alpine/${branch}/community`] };
}

/**
 * Fetches the indexes: the cache files unless `--no-cache`, and the `fetch` lines apk-tools 2
 * prints (apk-tools 3 only shows them as transient progress notes on a terminal).
 */
async function fetchIndexes(io: CommandIO, cat: ApkCatalog, store: boolean, gen: ApkGeneration): Promise<string[]> {
  const { arch, facts, list } = repos(io, cat);
  const lines: string[] = [];
  for (const repo of list) {
    if (gen === 2) lines.push(`fetch ${indexUrl(repo, arch)}`);
    if (!store) continue;
    const size = /community\/?$/.test(repo) ? (facts?.community.size ?? 1700000) : (facts?.main.size ?? 500000);
    const path = await indexCachePath(repo, arch, gen);
    mkdirs(io, APK_CACHE);
    const content = new SyntheticContent(size, fnv1a(`${repo}|${arch}|APKINDEX`));
    writeContent(io.fs, path, content, 0o644);
  }
  return lines;
}

async function cacheFresh(io: CommandIO, cat: ApkCatalog, gen: ApkGeneration): Promise<boolean> {
  const { arch, list } = repos(io, cat);
  for (const r of list) if (!lexists(io, await indexCachePath(r, arch, gen))) return false;
  return true;
}

function notRoot(io: CommandIO): CommandOutput | undefined {
  if (io.user.uid === 0) return undefined;
  return result([], ['ERROR: Unable to lock database: Permission denied', 'ERROR: Failed to open apk database: Permission denied'], 99);
}

function catalogNote(name: string): string {
  return `Simulation: layerlab's offline Alpine catalog has no package '${name}' (its package list: ${APK_INDEX_PATH}).`;
}

/** The summary after a commit: installed bytes (the records' `I:`) and package count. */
function okLine(records: InstalledRecord[], gen: ApkGeneration): string {
  const bytes = records.reduce((n, r) => n + r.installedSize, 0);
  return gen === 3 ? `OK: ${humanSizeV3(bytes)} in ${records.length} packages` : `OK: ${Math.floor(bytes / 1048576)} MiB in ${records.length} packages`;
}

/** `(i/n)` before each change; apk-tools 3 pads `i` to the width of `n` (`(%*i/%i)`). */
const progressOf = (i: number, n: number, gen: ApkGeneration) => `(${gen === 3 ? String(i).padStart(String(n).length) : i}/${n})`;

function busyboxVersion(records: InstalledRecord[]): string | undefined {
  const b = records.find((r) => r.name === 'busybox');
  return b ? `busybox-${b.version}` : undefined;
}

const inBinDir = (p: string) => /^\/(usr\/)?s?bin\//.test(p);

async function update(io: CommandIO, cat: ApkCatalog, o: ApkOptions): Promise<CommandOutput> {
  const denied = notRoot(io);
  if (denied) return denied;
  const { facts, list } = repos(io, cat);
  const lines = await fetchIndexes(io, cat, true, apkGeneration(readInstalled(io.fs)));
  for (const repo of list) lines.push(`${/community\/?$/.test(repo) ? (facts?.community.desc ?? 'unknown') : (facts?.main.desc ?? 'unknown')} [${repo}]`);
  lines.push(`OK: ${facts?.available ?? cat.size} distinct packages available`);
  return result(o.quiet ? [] : lines, [], 0);
}

/** Packages to install for `names` (dependencies first), or the names apk cannot select. */
function plan(cat: ApkCatalog, names: string[], installed: Map<string, InstalledRecord>): { order: ApkPackage[]; missing: string[] } {
  const order: ApkPackage[] = [];
  const seen = new Set<string>();
  const missing: string[] = [];
  const visit = (name: string, top: boolean) => {
    if (seen.has(name) || installed.has(name)) return;
    seen.add(name);
    const p = cat.get(name);
    if (!p) {
      // Simulation: a dependency the catalog does not list is taken as already satisfied (the
      // base image's packages are not in the index); only names asked for are reported.
      if (top) missing.push(name);
      return;
    }
    for (const d of p.depends) visit(d, false);
    order.push(p);
  };
  for (const n of names) visit(n, true);
  return { order, missing };
}

function stamp(now: number): string {
  const d = new Date(now * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}.${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

function installFiles(io: CommandIO, p: ApkPackage, files: ApkFile[]): void {
  for (const f of files) {
    mkdirs(io, f.path.slice(0, f.path.lastIndexOf('/')) || '/');
    if (lexists(io, f.path)) {
      try {
        io.fs.unlink(f.path);
      } catch {
        continue;
      }
    }
    if (f.kind === 'f') writeContent(io.fs, f.path, new SyntheticContent(f.size, fnv1a(`apk|${p.name}|${p.version}|${f.path}`)), f.mode);
    else if (f.kind === 'l') io.fs.symlink(f.target!, f.path);
    else if (f.kind === 'h' && f.target) io.fs.link(f.target, f.path);
  }
}

async function add(io: CommandIO, cat: ApkCatalog, o: ApkOptions): Promise<CommandOutput> {
  const denied = notRoot(io);
  if (denied) return denied;
  const names = o.args.map((a) => a.replace(/[<>=~].*$/, ''));
  const out: string[] = [];
  const records = readInstalled(io.fs);
  const gen = apkGeneration(records);
  if (o.noCache || o.updateCache || !(await cacheFresh(io, cat, gen))) out.push(...(await fetchIndexes(io, cat, !o.noCache, gen)));
  const installed = new Map(records.map((r) => [r.name, r]));
  const { order, missing } = plan(cat, names, installed);
  if (missing.length) {
    const err = ['ERROR: unable to select packages:'];
    for (const m of missing) err.push(`  ${m} (no such package):`, `    required by: world[${m}]`);
    err.push(...missing.map(catalogNote));
    return result(o.quiet ? [] : out, err, 1);
  }
  const now = io.now();
  const virtual = o.virtual ? virtualRecord(o.virtual, stamp(now), names, now) : undefined;
  const total = order.length + (virtual && !installed.has(virtual.name) ? 1 : 0);
  let i = 0;
  let binTouched = false;
  let certs = false;
  for (const p of order) {
    const files = await cat.filesOf(p.name);
    installFiles(io, p, files);
    if (files.some((f) => inBinDir(f.path))) binTouched = true;
    if (p.name === 'ca-certificates') certs = true;
    records.push(packageRecord(p, files, now));
    out.push(`${progressOf(++i, total, gen)} Installing ${p.name} (${p.version})`);
  }
  if (virtual) {
    const old = records.findIndex((r) => r.name === virtual.name);
    if (old >= 0) records.splice(old, 1, virtual);
    else {
      records.push(virtual);
      out.push(`${progressOf(++i, total, gen)} Installing ${virtual.name} (${virtual.version})`);
    }
  }
  const bb = busyboxVersion(records);
  if (binTouched && bb) out.push(`Executing ${bb}.trigger`);
  if (certs) {
    const c = records.find((r) => r.name === 'ca-certificates');
    out.push(`Executing ca-certificates-${c?.version}.trigger`);
  }
  writeInstalled(io.fs, records);
  writeWorld(io.fs, [...readWorld(io.fs), ...(virtual ? [virtual.name] : names)]);
  out.push(okLine(records, gen));
  // `apk add` with no names commits the unchanged world (just the summary); `--virtual` alone warns.
  return result(o.quiet ? [] : out, o.virtual && !names.length ? ['WARNING: creating empty virtual package'] : [], 0);
}

/** What `world` still needs: names in world and, recursively, their recorded or catalog dependencies. */
function reachable(world: string[], records: Map<string, InstalledRecord>, cat: ApkCatalog): Set<string> {
  const keep = new Set<string>();
  const stack = [...world];
  while (stack.length) {
    const n = stack.pop()!;
    if (keep.has(n)) continue;
    keep.add(n);
    const r = records.get(n);
    for (const d of r?.hasDepends ? r.depends : (cat.get(n)?.depends ?? [])) stack.push(d);
  }
  return keep;
}

async function del(io: CommandIO, cat: ApkCatalog, o: ApkOptions): Promise<CommandOutput> {
  const denied = notRoot(io);
  if (denied) return denied;
  const records = readInstalled(io.fs);
  const gen = apkGeneration(records);
  const byName = new Map(records.map((r) => [r.name, r]));
  const world = readWorld(io.fs).filter((w) => !o.args.includes(w));
  const keep = reachable(world, byName, cat);
  // Only what apk itself installed (a recorded D: line or a catalog package) is purged; the base
  // image's records carry no dependencies here and stay.
  const purge = records.filter((r) => !keep.has(r.name) && (r.hasDepends || cat.get(r.name) || o.args.includes(r.name)));
  // apk purges the asked-for (virtual) packages first, then what they pulled in, newest first.
  purge.sort((a, b) => Number(o.args.includes(b.name)) - Number(o.args.includes(a.name)) || records.indexOf(b) - records.indexOf(a));
  const out: string[] = [];
  let binTouched = false;
  purge.forEach((r, i) => {
    out.push(`${progressOf(i + 1, purge.length, gen)} Purging ${r.name} (${r.version})`);
    for (const f of r.files) {
      if (inBinDir(f)) binTouched = true;
      try {
        io.fs.unlink(f);
      } catch {
        /* already gone */
      }
    }
  });
  const left = records.filter((r) => !purge.includes(r));
  const bb = busyboxVersion(left);
  if (binTouched && bb) out.push(`Executing ${bb}.trigger`);
  writeInstalled(io.fs, left);
  writeWorld(io.fs, world);
  out.push(okLine(left, gen));
  return result(o.quiet ? [] : out, [], 0);
}

async function info(io: CommandIO, cat: ApkCatalog | undefined, o: ApkOptions): Promise<CommandOutput> {
  const records = readInstalled(io.fs);
  const byName = new Map(records.map((r) => [r.name, r]));
  if (!o.args.length) return result(records.map((r) => (o.verbose ? `${r.name}-${r.version}` : r.name)), [], 0);
  if (o.flags.has('-e') || o.flags.has('--installed')) {
    const have = o.args.filter((a) => byName.has(a));
    return result(have, [], have.length === o.args.length ? 0 : 1);
  }
  const out: string[] = [];
  for (const a of o.args) {
    const r = byName.get(a);
    const p = cat?.get(a);
    if (!r && !p) continue;
    const id = `${a}-${r?.version ?? p!.version}`;
    if (o.flags.has('L') || o.flags.has('--contents')) {
      if (!r) continue;
      out.push(`${id} contains:`, ...r.files.map((f) => f.slice(1)), '');
      continue;
    }
    const field = (k: string) => r?.lines.find((l) => l.startsWith(`${k}:`))?.slice(2);
    out.push(`${id} description:`, field('T') ?? p?.description ?? '', '', `${id} webpage:`, field('U') ?? p?.url ?? '', '', `${id} installed size:`, humanSize(r?.installedSize ?? p?.installedSize ?? 0), '');
  }
  return result(out, [], 0);
}

/** `apk` (see the module comment). */
export async function apk(io: CommandIO): Promise<CommandOutput> {
  const o = parse(io.args);
  if (o.flags.has('--print-arch')) return result([apkArch(io.fs)], [], 0);
  if (o.flags.has('--version') || o.flags.has('V')) {
    const tools = readInstalled(io.fs).find((r) => r.name === 'apk-tools');
    return result([`apk-tools ${(tools?.version ?? '2.14.9-r0').replace(/-r\d+$/, '')}, compiled for ${apkArch(io.fs)}.`], [], 0);
  }
  const [verb, ...rest] = o.args;
  o.args = rest;
  if (!verb) return result(['usage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]', '', 'Package installation and removal:', '  add        Add packages to WORLD and commit changes', '  del        Remove packages from WORLD and commit changes', '', 'System maintenance:', '  update     Update repository indexes', '', 'Querying package information:', '  info       Give detailed information about packages or repositories'], [], 1);
  const cat = io.packages ? await io.packages.apk() : undefined;
  if (verb === 'info') return info(io, cat, o);
  if (!cat) return result([], ['ERROR: the offline Alpine catalog is not available (public/catalog/apk/)'], 1);
  if (verb === 'update') return update(io, cat, o);
  if (verb === 'add') return add(io, cat, o);
  if (verb === 'del' || verb === 'delete') return del(io, cat, o);
  return result([], [`apk: unknown command '${verb}'`, `Simulation: layerlab models apk update, add, del and info (${APK_INDEX_PATH}).`], 1);
}
