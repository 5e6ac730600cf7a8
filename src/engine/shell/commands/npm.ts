/**
 * `npm` over the offline catalog (shell/npm/): `install`/`i` [PKG[@range]…] [-g] [--omit=dev|--production],
 * `ci`, `run SCRIPT`, `cache clean --force`, `--version`. Installs write each package's real file
 * table (real package.json; SyntheticContent of the real size for every other file), bin links,
 * package-lock.json (v3), node_modules/.package-lock.json and the `_cacache` entries npm leaves.
 * Error texts and exit codes as npm 10's.
 */
import { SyntheticContent, textContent, type FileContent } from '../../fs/content.ts';
import type { GraftEntry } from '../../fs/union.ts';
import { resolvePath } from '../../fs/path.ts';
import type { CommandIO, CommandOutput } from './command.ts';
import { NPM_CATALOG_NOTE_PATH, npmCatalog, type NpmCatalog, type NpmFiles } from '../npm/npm-catalog.ts';
import { buildTree, lockfile, ResolveFailure, tarballUrl, treeFromLock, type RootManifest, type TreeNode } from '../npm/npm-tree.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

const out = (stdout: string, stderr = '', exitCode = 0): CommandOutput => ({ stdout, stderr, exitCode });
const errLines = (lines: string[], logPath: string) => lines.map((l) => `npm error ${l}`.trimEnd()).join('\n') + `\nnpm error A complete log of this run can be found in: ${logPath}\n`;

export function readJson(io: CommandIO, path: string): unknown | undefined {
  try {
    return JSON.parse(dec.decode(io.fs.readFile(path)));
  } catch {
    return undefined;
  }
}

export function exists(io: CommandIO, path: string): boolean {
  try {
    io.fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}

export function ensureDir(io: CommandIO, dir: string) {
  if (!exists(io, dir)) io.fs.mkdir(dir, { recursive: true });
}

/** A stable seed per file, so the same package version always has the same synthetic bytes (and layer digest). */
export function seedOf(s: string, from = 0x811c9dc5): number {
  let h = from;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function isoStamp(io: CommandIO): string {
  return new Date(io.now() * 1000).toISOString();
}

export function home(io: CommandIO): string {
  return io.env.get('HOME') || (io.user.uid === 0 ? '/root' : '/tmp');
}

function logPathOf(io: CommandIO): string {
  return `${home(io)}/.npm/_logs/${isoStamp(io).replace(/:/g, '_').replace('.', '_')}-debug-0.log`;
}

/** npm writes a debug log for every run; Simulation: its text is a short summary, not npm's timing lines. */
function writeLog(io: CommandIO, args: string[], exitCode: number) {
  const p = logPathOf(io);
  ensureDir(io, p.slice(0, p.lastIndexOf('/')));
  io.fs.writeFile(p, enc.encode(`0 verbose cli /usr/local/bin/node /usr/local/bin/npm\n1 info using npm@10\n2 verbose title npm ${args.join(' ')}\n3 verbose exit ${exitCode}\n`));
}

/**
 * Writes a prepared tree at `dir` (absent: one `graft`, contents by reference; present or a
 * filesystem without graft: entry by entry, merging with what is there).
 */
export function writeTree(io: CommandIO, dir: string, entries: GraftEntry[]): void {
  if (io.fs.graft?.(dir, entries)) return;
  ensureDir(io, dir);
  const made = new Set<string>([dir]);
  for (const e of entries) {
    const path = `${dir}/${e.path}`;
    const parent = path.slice(0, path.lastIndexOf('/'));
    if (!made.has(parent)) { ensureDir(io, parent); made.add(parent); }
    if (e.type === 'dir') ensureDir(io, path);
    else if (e.type === 'symlink') io.fs.symlink(e.target!, path);
    else {
      const c = e.content!;
      if (io.fs.writeContent) io.fs.writeContent(path, c, { mode: e.mode });
      else io.fs.writeFile(path, c.read(), { mode: e.mode });
      io.fs.chmod(path, e.mode);
    }
  }
}

/**
 * Unpacks each package of the tree into `base`/its location, links its bins and records its
 * tarball in `_cacache`. Installs cost metadata, not bytes: a package's files are one prepared
 * tree of content objects (SyntheticContent of the real size, the real package.json text) grafted
 * in one step; nothing is generated or hashed here (the layer's DiffID is computed at commit).
 */
export async function installNodes(io: CommandIO, cat: NpmCatalog, base: string, nodes: Iterable<TreeNode>, binDir: string | undefined, opts: { npmCache?: boolean } = {}): Promise<{ count: number; tarBytes: number }> {
  const npmCache = opts.npmCache ?? true;
  let count = 0;
  let tarBytes = 0;
  const cache = `${home(io)}/.npm/_cacache`;
  const cacheEntries: GraftEntry[] = [];
  const cached = new Set<string>();
  const freshCache = npmCache && !exists(io, cache);
  const madeDirs = new Set<string>();
  const mkdirp = (d: string) => {
    if (!madeDirs.has(d)) { ensureDir(io, d); madeDirs.add(d); }
  };
  // A fresh node_modules (the usual RUN npm ci) is one prepared tree: every package and .bin link grafted at once.
  const list = [...nodes];
  const modules = `${base}/node_modules`;
  const fresh = !!io.fs.graft && list.every((n) => n.location.startsWith('node_modules/')) && !exists(io, modules);
  const all: GraftEntry[] = [];
  // Every file table at once (one wait, not one per package; loaded tables come back without one).
  const tables = list.map((n) => cat.filesKnown(n.pkg, n.version));
  if (tables.some((t) => !t)) {
    const loaded = await Promise.all(list.map((n, i) => tables[i] ?? cat.filesOf(n.pkg, n.version)));
    loaded.forEach((t, i) => (tables[i] = t));
  }
  for (let i = 0; i < list.length; i++) {
    const n = list[i];
    const f = tables[i]!;
    const dir = `${base}/${n.location}`;
    const linkBins = !!(binDir && n.meta.bin && !n.location.includes('/node_modules/'));
    const at = fresh ? `${n.location.slice('node_modules/'.length)}/` : '';
    const prep = preparedTree(f, n, at, linkBins);
    io.countWrite(prep.bytes);
    if (fresh) for (const e of prep.entries) all.push(e);
    else {
      mkdirp(dir.slice(0, dir.lastIndexOf('/')));
      writeTree(io, dir, prep.entries);
    }
    if (linkBins && fresh && binDir === `${modules}/.bin`) {
      for (const [b, target] of Object.entries(n.meta.bin!)) all.push({ path: `.bin/${b}`, type: 'symlink', mode: 0o777, target: `../${n.name}/${target.replace(/^\.\//, '')}` });
    } else if (linkBins) {
      mkdirp(binDir!);
      for (const [b, target] of Object.entries(n.meta.bin!)) {
        const t = target.replace(/^\.\//, '');
        const link = `${binDir}/${b}`;
        const rel = binDir!.endsWith('/node_modules/.bin') ? `../${n.name}/${t}` : `${relativeTo(binDir!, dir)}/${t}`;
        if (exists(io, link)) io.fs.unlink(link);
        io.fs.symlink(rel, link);
      }
    }
    // _cacache: the tarball under content-v2/sha512 (its integrity in hex) and the request's index entry.
    const paths = cacheEntriesOf(n.meta.integrity, n.meta.cacheIndex, f.tarballSize);
    const cpath = paths.content.path;
    if (!npmCache) tarBytes += f.tarballSize;
    else if (!cached.has(cpath) && (freshCache || !exists(io, `${cache}/${cpath}`))) {
      cached.add(cpath);
      const index = cacheIndexContent(n, f.tarballSize, io.now() * 1000);
      io.countWrite(f.tarballSize + index.size);
      cacheEntries.push(paths.content, { path: paths.indexPath, type: 'file', mode: 0o644, content: index });
      tarBytes += f.tarballSize;
    }
    count++;
  }
  if (fresh && all.length) {
    if (base) mkdirp(base);
    writeTree(io, modules, all);
  }
  if (cacheEntries.length) {
    mkdirp(cache.slice(0, cache.lastIndexOf('/')));
    writeTree(io, cache, cacheEntries);
  }
  return { count, tarBytes };
}

/** A package's files as graft entries (paths under `at`) and their bytes. */
interface PreparedTree {
  entries: GraftEntry[];
  bytes: number;
}

/**
 * The prepared tree of a package version for one place in node_modules, built once and reused by
 * every later install of it (entries and content objects are immutable; graft only reads them).
 * Contents: the real package.json text, SyntheticContent of the real size for every other file.
 */
const preparedTrees = new WeakMap<NpmFiles, Map<string, PreparedTree>>();

function preparedTree(f: NpmFiles, n: TreeNode, at: string, linkBins: boolean): PreparedTree {
  let byPlace = preparedTrees.get(f);
  if (!byPlace) preparedTrees.set(f, (byPlace = new Map()));
  const key = `${at}|${n.name}@${n.version}|${linkBins ? 'bin' : ''}`;
  let prep = byPlace.get(key);
  if (prep) return prep;
  const binTargets = new Set(linkBins ? Object.values(n.meta.bin!).map((t) => t.replace(/^\.\//, '')) : []);
  // FNV-1a continued from the package's prefix: the same seed as hashing `name@version/rel` whole.
  const prefix = seedOf(`${n.name}@${n.version}/`);
  const entries: GraftEntry[] = [];
  let bytes = 0;
  for (const [rel, size, mode] of f.files) {
    const m = mode & 0o111 || binTargets.has(rel) ? 0o755 : 0o644;
    const content = rel === 'package.json' ? textContent(f.packageJson) : new SyntheticContent(size, seedOf(rel, prefix));
    bytes += content.size;
    entries.push({ path: at + rel, type: 'file', mode: m, content });
  }
  prep = { entries, bytes };
  byPlace.set(key, prep);
  return prep;
}

/**
 * The `_cacache/index-v5` bucket line for a tarball fetched at `time` (ms), kept while the clock
 * stays on the same second (installs within it write the same text).
 * Simulation: the line's leading hash is cacache's sha1 of the JSON in reality; here the integrity's first 40 hex digits.
 */
const indexLines = new Map<string, FileContent>();
let indexLinesTime = -1;
function cacheIndexContent(n: TreeNode, size: number, time: number): FileContent {
  if (time !== indexLinesTime) {
    indexLines.clear();
    indexLinesTime = time;
  }
  const url = tarballUrl(n.pkg, n.version);
  let c = indexLines.get(url);
  if (!c) {
    const entry = JSON.stringify({ key: `make-fetch-happen:request-cache:${url}`, integrity: n.meta.integrity, time, size, metadata: { url, reqHeaders: {}, resHeaders: {} } });
    const hex = b64ToHex(n.meta.integrity.replace(/^sha512-/, ''));
    indexLines.set(url, (c = textContent(`\n${hex.slice(0, 40)}\t${entry}`)));
  }
  return c;
}

/** A tarball's `_cacache` entry (content-v2, by its sha512) and its index bucket's path (index-v5, by the request key's hash), made once. */
const cachePaths = new Map<string, { content: GraftEntry; indexPath: string }>();
function cacheEntriesOf(integrity: string, cacheIndex: string, size: number): { content: GraftEntry; indexPath: string } {
  let c = cachePaths.get(integrity);
  if (!c || c.content.content!.size !== size) {
    const hex = b64ToHex(integrity.replace(/^sha512-/, ''));
    c = {
      content: { path: `content-v2/sha512/${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex.slice(4)}`, type: 'file', mode: 0o444, content: tarballContent(size, integrity) },
      indexPath: `index-v5/${cacheIndex.slice(0, 2)}/${cacheIndex.slice(2, 4)}/${cacheIndex.slice(4)}`,
    };
    cachePaths.set(integrity, c);
  }
  return c;
}

/** The cached tarball's content object, one per integrity. */
const tarballs = new Map<string, SyntheticContent>();
function tarballContent(size: number, integrity: string): SyntheticContent {
  let c = tarballs.get(integrity);
  if (!c || c.size !== size) tarballs.set(integrity, (c = new SyntheticContent(size, seedOf(integrity))));
  return c;
}

function relativeTo(from: string, to: string): string {
  const a = from.split('/').filter(Boolean);
  const b = to.split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/') || '.';
}

const hexOfIntegrity = new Map<string, string>();
/** Base64 (an SRI digest) as hex, remembered per digest (npm, pnpm and corepack name files by it). */
export function b64ToHex(b64: string): string {
  let hex = hexOfIntegrity.get(b64);
  if (hex === undefined) hexOfIntegrity.set(b64, (hex = b64ToHexUncached(b64)));
  return hex;
}

function b64ToHexUncached(b64: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let bits = 0;
  let acc = 0;
  let hex = '';
  for (const ch of b64) {
    if (ch === '=') break;
    acc = ((acc << 6) | alphabet.indexOf(ch)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      hex += ((acc >> bits) & 0xff).toString(16).padStart(2, '0');
    }
  }
  return hex;
}

/** Simulation: the elapsed time npm prints is modelled from the bytes fetched (≈20 MB/s) plus a second of resolution. */
export function modelledSeconds(tarBytes: number, count: number): number {
  return 1 + tarBytes / 20e6 + count * 0.005;
}

function elapsed(tarBytes: number, count: number): string {
  const s = modelledSeconds(tarBytes, count);
  return s < 1 ? `${Math.round(s * 1000)}ms` : `${Math.round(s)}s`;
}

/** Reports an install's modelled time to the run (the build's step and the COPY-before-install hint use it). */
function simulate(io: CommandIO, tarBytes: number, count: number): void {
  io.simulateTime?.(Math.round(modelledSeconds(tarBytes, count) * 1000));
}

/** Output switches Dockerfiles use: `--no-audit`, `--no-fund`, `--silent`/`-s`/`--loglevel=silent|error`. */
interface Quiet {
  audit: boolean;
  fund: boolean;
  silent: boolean;
}

function quietOf(flags: string[]): Quiet {
  return {
    audit: !flags.includes('--no-audit') && !flags.includes('--audit=false'),
    fund: !flags.includes('--no-fund') && !flags.includes('--fund=false'),
    silent: flags.some((f) => f === '--silent' || f === '-s' || f === '--quiet' || f === '-q' || /^--loglevel[= ](silent|error)$/.test(f)),
  };
}

function summary(added: number, audited: number, funding: number, tarBytes: number, q: Quiet = { audit: true, fund: true, silent: false }): string {
  if (q.silent) return '';
  const plural = (n: number) => `${n} package${n === 1 ? '' : 's'}`;
  const head = q.audit
    ? added ? `added ${plural(added)}, and audited ${plural(audited)}` : `up to date, audited ${plural(audited)}`
    : added ? `added ${plural(added)}` : 'up to date';
  let s = `\n${head} in ${elapsed(tarBytes, added)}\n`;
  if (funding && q.fund) s += `\n${funding} package${funding === 1 ? ' is' : 's are'} looking for funding\n  run \`npm fund\` for details\n`;
  return q.audit ? s + '\nfound 0 vulnerabilities\n' : s;
}

function notFound(io: CommandIO, args: string[], e: ResolveFailure): CommandOutput {
  const log = logPathOf(io);
  writeLog(io, args, 1);
  const note = `layerlab: the offline npm catalog has no ${e.kind === 'no-package' ? `package '${e.pkg}'` : `version of ${e.pkg} matching '${e.range}'`} (its list: ${NPM_CATALOG_NOTE_PATH}).`;
  const lines = e.kind === 'no-package'
    ? ['code E404', `404 Not Found - GET https://registry.npmjs.org/${e.pkg.replace('/', '%2f')} - Not found`, '404', `404  '${e.pkg}@${e.range}' is not in this registry.`, '404', '404 Note that you can also install from a', '404 tarball, folder, http url, or git url.']
    : ['code ETARGET', `notarget No matching version found for ${e.pkg}@${e.range}.`, 'notarget In most cases you or one of your dependencies are requesting', "notarget a package version that doesn't exist."];
  return out('', errLines(lines, log) + note + '\n', 1);
}

function parseSpec(s: string): { name: string; range: string } {
  const at = s.lastIndexOf('@');
  return at > 0 ? { name: s.slice(0, at), range: s.slice(at + 1) } : { name: s, range: 'latest' };
}

export function libcOf(io: CommandIO): 'glibc' | 'musl' {
  return exists(io, '/etc/alpine-release') ? 'musl' : 'glibc';
}

async function install(io: CommandIO, args: string[], ci: boolean): Promise<CommandOutput> {
  const cat = npmCatalog();
  if (!cat) return out('', 'npm error layerlab: no npm catalog is configured in this engine\n', 1);
  const flags = args.filter((a) => a.startsWith('-'));
  const specs = args.filter((a) => !a.startsWith('-'));
  const omitDev = flags.includes('--omit=dev') || flags.includes('--production') || flags.includes('--only=production') || flags.includes('--only=prod') || io.env.get('NODE_ENV') === 'production';
  const global = flags.includes('-g') || flags.includes('--global');
  const saveDev = flags.includes('-D') || flags.includes('--save-dev');
  const all = ['ci', ...args];
  if (global) {
    if (!specs.length) return out('', '', 0);
    const lib = '/usr/local/lib/node_modules';
    let added = 0;
    let bytes = 0;
    let funding = 0;
    for (const s of specs) {
      const { name, range } = parseSpec(s);
      let tree: Map<string, TreeNode>;
      try {
        tree = await buildTree(cat, { dependencies: { [name]: range } }, { libc: libcOf(io) });
      } catch (e) {
        if (e instanceof ResolveFailure) return notFound(io, ['install', ...args], e);
        throw e;
      }
      // A global package keeps its own dependencies under its folder.
      const top = tree.get(`node_modules/${name}`)!;
      const nested = [...tree.values()].map((n) => (n === top ? n : { ...n, location: `node_modules/${name}/${n.location}` }));
      const r1 = await installNodes(io, cat, lib.slice(0, -'/node_modules'.length), [top], '/usr/local/bin');
      const r2 = await installNodes(io, cat, lib.slice(0, -'/node_modules'.length), nested.filter((n) => n !== top), undefined);
      added += r1.count + r2.count;
      bytes += r1.tarBytes + r2.tarBytes;
      funding += [...tree.values()].filter((n) => n.meta.funding).length;
    }
    writeLog(io, ['install', ...args], 0);
    simulate(io, bytes, added);
    return out(`\nadded ${added} package${added === 1 ? '' : 's'} in ${elapsed(bytes, added)}\n${funding ? `\n${funding} package${funding === 1 ? ' is' : 's are'} looking for funding\n  run \`npm fund\` for details\n` : ''}`);
  }
  const dir = io.cwd;
  const pkgPath = resolvePath(dir, 'package.json');
  const lockPath = resolvePath(dir, 'package-lock.json');
  const log = logPathOf(io);
  let manifest = readJson(io, pkgPath) as RootManifest | undefined;
  if (ci) {
    const lock = readJson(io, lockPath) as { lockfileVersion?: number; packages?: Record<string, Record<string, unknown>> } | undefined;
    if (!lock || !lock.lockfileVersion) {
      writeLog(io, all, 1);
      return out('', errLines(['code EUSAGE', '', 'The `npm ci` command can only install with an existing package-lock.json or', 'npm-shrinkwrap.json with lockfileVersion >= 1. Run an install with npm@5 or', 'later to generate a package-lock.json file, then try again.', '', 'Clean install a project', '', 'Usage:', 'npm ci', '', 'Options:', '[--install-strategy <hoisted|nested|shallow|linked>] [--legacy-bundling]', '[--global-style] [--omit <dev|optional|peer> [--omit <dev|optional|peer> ...]]', '[--include <prod|dev|optional|peer> [--include <prod|dev|optional|peer> ...]]', '[--strict-peer-deps] [--foreground-scripts] [--ignore-scripts] [--no-audit]', '[--no-bin-links] [--no-fund] [--dry-run]', '[-w|--workspace <workspace-name> [-w|--workspace <workspace-name> ...]]', '[-ws|--workspaces] [--include-workspace-root] [--install-links]', '', 'aliases: clean-install, ic, install-clean, isntall-clean', '', 'Run "npm help ci" for more info'], log), 1);
    }
    const rootLock = lock.packages?.[''] ?? {};
    const same = (a: unknown, b: unknown) => JSON.stringify(Object.entries((a as object) ?? {}).sort()) === JSON.stringify(Object.entries((b as object) ?? {}).sort());
    if (manifest && (!same(rootLock.dependencies, manifest.dependencies) || !same(rootLock.devDependencies, manifest.devDependencies))) {
      writeLog(io, all, 1);
      return out('', errLines(['code EUSAGE', '', '`npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync. Please update your lock file with `npm install` before continuing.', '', 'Clean install a project', '', 'Run "npm help ci" for more info'], log), 1);
    }
    const tree = await treeFromLock(cat, lock, libcOf(io));
    if (tree instanceof ResolveFailure) return notFound(io, all, tree);
    // npm ci starts from an empty node_modules.
    let removed = 0;
    if (exists(io, resolvePath(dir, 'node_modules'))) {
      removed = io.fs.readdir(resolvePath(dir, 'node_modules')).length;
      io.fs.rm(resolvePath(dir, 'node_modules'), { recursive: true, force: true });
    }
    void removed;
    const nodes = [...tree.values()].filter((n) => !(omitDev && n.dev));
    const r = await installNodes(io, cat, dir === '/' ? '' : dir, nodes, resolvePath(dir, 'node_modules/.bin'));
    if (nodes.length) io.fs.writeFile(resolvePath(dir, 'node_modules/.package-lock.json'), enc.encode(lockfile(manifest ?? {}, new Map(nodes.map((n) => [n.location, n])), true)));
    writeLog(io, all, 0);
    simulate(io, r.tarBytes, r.count);
    return out(summary(r.count, tree.size + 1, nodes.filter((n) => n.meta.funding).length, r.tarBytes, quietOf(flags)));
  }
  // npm install
  manifest ??= {};
  const creating = !exists(io, pkgPath);
  for (const s of specs) {
    const { name, range } = parseSpec(s);
    const picked = await cat.pick(name, range);
    if (typeof picked === 'string') return notFound(io, ['install', ...args], new ResolveFailure(picked, name, range));
    const field = saveDev ? 'devDependencies' : 'dependencies';
    manifest[field] = { ...(manifest[field] ?? {}), [name]: range === 'latest' || range === '*' ? `^${picked.version}` : range };
    manifest[field] = Object.fromEntries(Object.entries(manifest[field]!).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  const oldLock = readJson(io, lockPath) as { packages?: Record<string, { version?: string }> } | undefined;
  const locked = new Map<string, string>();
  for (const [loc, e] of Object.entries(oldLock?.packages ?? {})) if (/^node_modules\/[^/]+(\/[^/]+)?$/.test(loc) && !loc.slice(13).includes('/node_modules') && e.version) locked.set(loc.slice(13), e.version);
  let tree: Map<string, TreeNode>;
  try {
    tree = await buildTree(cat, manifest, { libc: libcOf(io), locked });
  } catch (e) {
    if (e instanceof ResolveFailure) return notFound(io, ['install', ...args], e);
    throw e;
  }
  const base = dir === '/' ? '' : dir;
  const already = new Set<string>();
  // Packages already unpacked at the wanted version stay (none when there is no node_modules yet).
  if (exists(io, resolvePath(dir, 'node_modules'))) for (const n of tree.values()) {
    const pj = readJson(io, `${base}/${n.location}/package.json`) as { version?: string } | undefined;
    if (pj?.version === n.version) already.add(n.location);
  }
  const todo = [...tree.values()].filter((n) => !already.has(n.location) && !(omitDev && n.dev));
  const r = await installNodes(io, cat, base, todo, resolvePath(dir, 'node_modules/.bin'));
  if (creating || specs.length) io.fs.writeFile(pkgPath, enc.encode(JSON.stringify(manifest, null, 2) + '\n'));
  if (!manifest.name) manifest = { name: dir.split('/').filter(Boolean).pop() ?? 'root', ...manifest };
  io.fs.writeFile(lockPath, enc.encode(lockfile(manifest, tree)));
  const installed = [...tree.values()].filter((n) => !(omitDev && n.dev));
  if (installed.length) io.fs.writeFile(resolvePath(dir, 'node_modules/.package-lock.json'), enc.encode(lockfile(manifest, new Map(installed.map((n) => [n.location, n])), true)));
  writeLog(io, ['install', ...args], 0);
  simulate(io, r.tarBytes, r.count);
  return out(summary(r.count, tree.size + 1, installed.filter((n) => n.meta.funding).length, r.tarBytes, quietOf(flags)));
}

async function runScript(io: CommandIO, args: string[]): Promise<CommandOutput> {
  const name = args.find((a) => !a.startsWith('-'));
  const manifest = readJson(io, resolvePath(io.cwd, 'package.json')) as RootManifest | undefined;
  const log = logPathOf(io);
  if (!manifest) {
    writeLog(io, ['run', ...args], 254);
    return out('', errLines(['code ENOENT', 'syscall open', `path ${resolvePath(io.cwd, 'package.json')}`, 'errno -2', `enoent Could not read package.json: Error: ENOENT: no such file or directory, open '${resolvePath(io.cwd, 'package.json')}'`, 'enoent This is related to npm not being able to find a file.', 'enoent'], log), 254);
  }
  const scripts = manifest.scripts ?? {};
  if (!name) return out(Object.keys(scripts).length ? `Scripts available in ${manifest.name ?? ''}@${manifest.version ?? ''} via \`npm run-script\`:\n${Object.entries(scripts).map(([k, v]) => `  ${k}\n    ${v}`).join('\n')}\n` : '');
  const cmd = scripts[name];
  if (cmd === undefined) {
    writeLog(io, ['run', ...args], 1);
    return out('', errLines(['Missing script: "' + name + '"', '', 'To see a list of scripts, run:', '  npm run'], log), 1);
  }
  const extra = args.slice(args.indexOf('--') + 1 || args.length);
  const line = extra.length ? `${cmd} ${extra.join(' ')}` : cmd;
  const banner = `\n> ${manifest.name ?? ''}${manifest.version ? '@' + manifest.version : ''} ${name}\n> ${line}\n\n`;
  if (!io.exec) return out(banner, 'npm: cannot run scripts here\n', 1);
  const bin = resolvePath(io.cwd, 'node_modules/.bin');
  const r = await io.exec(`cd ${JSON.stringify(io.cwd)} && PATH=${JSON.stringify(bin)}:"$PATH" ${line}`, { env: { npm_lifecycle_event: name } });
  const stdout = banner + (typeof r.stdout === 'string' ? r.stdout : dec.decode(r.stdout));
  if (r.exitCode !== 0) {
    writeLog(io, ['run', ...args], r.exitCode);
    return out(stdout, r.stderr + errLines([`path ${io.cwd}`, `command failed`, `signal null`, `command sh -c ${line}`], log), r.exitCode);
  }
  return out(stdout, r.stderr, 0);
}

/** The npm CLI (npm 10, as node:22 images ship it). */
export async function npm(io: CommandIO): Promise<CommandOutput> {
  const [cmd, ...rest] = io.args;
  switch (cmd) {
    case undefined:
      return out('npm <command>\n\nUsage:\n\nnpm install        install all the dependencies in your project\nnpm install <foo>  add the <foo> dependency to your project\nnpm test           run this project\'s tests\nnpm run <foo>      run the script named <foo>\n', '', 1);
    case '-v':
    case '--version': {
      // npm prints its own package.json's version. Simulation: the core node:22-alpine model stores
      // that file as sized bytes; its npm is 10.9.8 (scripts/catalog/build.mjs).
      const pj = readJson(io, '/usr/local/lib/node_modules/npm/package.json') as { version?: string } | undefined;
      return out(`${pj?.version ?? '10.9.8'}\n`);
    }
    case 'init': {
      const path = resolvePath(io.cwd, 'package.json');
      if (!rest.includes('-y') && !rest.includes('--yes')) return out('', 'npm error layerlab: `npm init` is interactive; use `npm init -y`\n', 1);
      const name = (io.cwd.split('/').filter(Boolean).pop() ?? 'root').toLowerCase();
      const doc = { name, version: '1.0.0', main: 'index.js', scripts: { test: 'echo "Error: no test specified" && exit 1' }, keywords: [], author: '', license: 'ISC', description: '' };
      const text = JSON.stringify(doc, null, 2) + '\n';
      io.fs.writeFile(path, enc.encode(text));
      return out(`Wrote to ${path}:\n\n${text}\n\n`);
    }
    case 'install': case 'i': case 'add': case 'isntall':
      return install(io, rest, false);
    case 'ci': case 'clean-install': case 'ic': case 'install-clean':
      return install(io, rest, true);
    case 'run': case 'run-script': case 'rum': case 'urn':
      return runScript(io, rest);
    case 'start': case 'test': case 't': case 'build':
      return runScript(io, [cmd === 't' ? 'test' : cmd, ...rest]);
    case 'cache': {
      if (rest[0] === 'clean' || rest[0] === 'clear' || rest[0] === 'rm') {
        if (!rest.includes('--force') && !rest.includes('-f')) {
          return out('', errLines(['As of npm@5, the npm cache self-heals from corruption issues', 'by treating integrity mismatches as cache misses.  As a result,', 'data extracted from the cache is guaranteed to be valid.  If you', 'want to make sure everything is consistent, use `npm cache verify`', 'instead.  Deleting the cache can only make npm go slower, and is', 'not likely to correct any problems you may be encountering!', '', 'On the other hand, if you\'re debugging an issue with the installer,', 'or race conditions that depend on the timing of writing to an empty', 'cache, you can use `npm install --cache /tmp/empty-cache` to use a', 'temporary cache instead of nuking the actual one.', '', 'If you\'re sure you want to delete the entire cache, rerun this command', 'with --force.'], logPathOf(io)), 1);
        }
        const cache = `${home(io)}/.npm/_cacache`;
        if (exists(io, cache)) io.fs.rm(cache, { recursive: true, force: true });
        return out('', 'npm warn using --force Recommended protections disabled.\n', 0);
      }
      return out('', `npm error cache: unsupported subcommand in layerlab's model: ${rest[0] ?? ''}\n`, 1);
    }
    default:
      return out('', `npm error layerlab: \`npm ${cmd}\` is not modelled (modelled: install, ci, run, start, test, cache clean, --version)\n`, 1);
  }
}
