/**
 * pnpm 9 and 10 over the offline npm catalog, however it was installed: corepack's shim (see
 * corepack.ts, which "downloads" pnpm into its cache and calls `runPnpm`) or `npm install -g pnpm`.
 * Modelled: `pnpm install`/`i` [--frozen-lockfile|--no-frozen-lockfile] [--prod|-P] [--dev]
 * [--no-optional], `pnpm add PKG…` [-D|-O], `pnpm fetch` [--prod], `pnpm prune` [--prod],
 * `pnpm run SCRIPT` / `pnpm SCRIPT` (and `start`, `test`), `pnpm store path`, `pnpm store prune`,
 * `pnpm --version`. The layout is pnpm-layout.ts's, the lockfile npm/pnpm-lock.ts's.
 *
 * Output is pnpm's non-TTY (append-only) reporter, from pnpm 10.34.9's own source
 * (@pnpm/default-reporter) and checked against that pnpm's runs (test/fixtures/pnpm-app):
 * `Lockfile is up to date, resolution step is skipped`, `Progress: resolved N, reused N,
 * downloaded N, added N, done`, `Packages: +N` and its `+` bar (80 columns off a terminal), the
 * `dependencies:` summary (`+`/`-` lines, `(X is available)`), pnpm 10's "Ignored build scripts"
 * box, `Done in Xs using pnpm vX`, and errors as ` ERR_PNPM_CODE  message` (the code between thin
 * spaces) + hint.
 *
 * Simulation: the elapsed time is modelled from the bytes fetched (as npm's); append-only pnpm
 * prints an intermediate Progress line about once a second, here only the first and the last;
 * pnpm 9 (store v3) runs dependencies' build scripts where pnpm 10 lists them as ignored — here
 * neither runs them; the registry metadata pnpm caches while resolving
 * (`~/.cache/pnpm/metadata-v1.3/registry.npmjs.org/NAME.json`) is not written, as npm's model
 * leaves out its packuments.
 */
import { resolvePath } from '../../fs/path.ts';
import type { CommandIO, CommandOutput } from './command.ts';
import { NPM_CATALOG_NOTE_PATH, npmCatalog, type NpmCatalog } from '../npm/npm-catalog.ts';
import { buildTree, platformOk, ResolveFailure, type RootManifest } from '../npm/npm-tree.ts';
import { loadSemver } from '../npm/semver.ts';
import { DEP_FIELDS, graphFromTree, LockReadError, readPnpmLock, reachable, refOf, specifiersDiff, writePnpmLock, type DepField, type PnpmGraph } from '../npm/pnpm-lock.ts';
import { parseYamlMap } from '../npm/pnpm-yaml.ts';
import { ensureDir, exists, libcOf, modelledSeconds, readJson } from './npm.ts';
import { sha256Hex } from '../../digest.ts';
import { linkPnpmLayout, relativeTo, type LayoutResult } from './pnpm-layout.ts';
import { done, plusBar, pnpmError, progress, warningBox } from './pnpm-output.ts';
import { modulesYaml, store, storeDirOf, workspaceState } from './pnpm-store.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const out = (stdout: string, stderr = '', exitCode = 0): CommandOutput => ({ stdout, stderr, exitCode });

interface Flags {
  frozen: boolean;
  prod: boolean;
  devOnly: boolean;
  noOptional: boolean;
  saveDev: boolean;
  saveOptional: boolean;
}

function flagsOf(io: CommandIO, args: string[]): Flags {
  const has = (...f: string[]) => args.some((a) => f.includes(a));
  const ci = !!io.env.get('CI') && io.env.get('CI') !== 'false';
  return {
    frozen: has('--frozen-lockfile') || (ci && !has('--no-frozen-lockfile')),
    prod: has('--prod', '-P', '--production') || io.env.get('NODE_ENV') === 'production',
    devOnly: has('--dev'),
    noOptional: has('--no-optional'),
    saveDev: has('-D', '--save-dev'),
    saveOptional: has('-O', '--save-optional'),
  };
}

function notInCatalog(e: ResolveFailure, dir: string): CommandOutput {
  const note = `layerlab: the offline npm catalog has no ${e.kind === 'no-package' ? `package '${e.pkg}'` : `version of ${e.pkg} matching '${e.range}'`} (its list: ${NPM_CATALOG_NOTE_PATH}).\n`;
  const text = e.kind === 'no-package'
    ? pnpmError('ERR_PNPM_FETCH_404', `GET https://registry.npmjs.org/${e.pkg.replace('/', '%2F')}: Not Found - 404`, `This error happened while installing a direct dependency of ${dir}\n\n${e.pkg} is not in the npm registry, or you have no permission to fetch it.\n\nNo authorization header was set for the request.`)
    : pnpmError('ERR_PNPM_NO_MATCHING_VERSION', `No matching version found for ${e.pkg}@${e.range} while fetching it from https://registry.npmjs.org/`, `This error happened while installing a direct dependency of ${dir}`);
  return out(text, note, 1);
}

const FIELD_TITLE: Record<DepField, string> = { dependencies: 'dependencies', devDependencies: 'devDependencies', optionalDependencies: 'optionalDependencies' };

/** Runs pnpm at `version` (the version corepack or npm installed) with `args`. */
export async function runPnpm(io: CommandIO, version: string, args: string[]): Promise<CommandOutput> {
  const major = Number(version.split('.')[0]);
  const [cmd, ...rest] = args;
  if (cmd === '--version' || cmd === '-v') return out(`${version}\n`);
  if (major < 9 || major > 10) {
    return out('', `pnpm: cannot run pnpm ${version}: layerlab models pnpm 9 and 10 (pin one: "packageManager": "pnpm@10.34.9" in package.json with corepack, or npm install -g pnpm@10)\n`, 126);
  }
  switch (cmd) {
    case undefined:
      // The head of pnpm's help (the command list that follows is left out), exit 1 as pnpm without a command.
      return out(`Version ${version}\nUsage: pnpm [command] [flags]\n       pnpm [ -h | --help | -v | --version ]\n`, '', 1);
    case 'install': case 'i':
      return install(io, version, rest, [], false);
    case 'add': {
      const specs = rest.filter((a) => !a.startsWith('-'));
      if (!specs.length) return out(pnpmError('ERR_PNPM_MISSING_PACKAGE_NAME', '`pnpm add` requires the package name'), '', 1);
      return install(io, version, rest.filter((a) => a.startsWith('-')), specs, false);
    }
    case 'fetch':
      return install(io, version, rest, [], true);
    case 'prune':
      return prune(io, version, rest);
    case 'store':
      return store(io, version, rest);
    case 'run': case 'run-script':
      return runScript(io, rest[0], rest.slice(1));
    case 'start': case 'test': case 't':
      return runScript(io, cmd === 't' ? 'test' : cmd, rest);
    default:
      if (cmd.startsWith('-')) return install(io, version, args, [], false);
      // `pnpm build` runs the script of that name when there is one.
      return runScript(io, cmd, rest);
  }
}

async function install(io: CommandIO, version: string, args: string[], specs: string[], fetchOnly: boolean): Promise<CommandOutput> {
  const cat = npmCatalog();
  if (!cat) return out('', 'pnpm: layerlab: no npm catalog is configured in this engine\n', 1);
  const semver = await loadSemver();
  const f = flagsOf(io, args);
  const dir = io.cwd;
  const base = dir === '/' ? '' : dir;
  const pkgPath = resolvePath(dir, 'package.json');
  const lockPath = resolvePath(dir, 'pnpm-lock.yaml');
  let manifest = readJson(io, pkgPath) as RootManifest | undefined;
  if (!manifest && !specs.length && !fetchOnly) return out(pnpmError('ERR_PNPM_NO_PKG_MANIFEST', `No package.json found in ${dir}`), '', 1);
  manifest ??= {};
  const storeDir = storeDirOf(io, version);
  let stdout = '';
  // The lockfile as it stands.
  const lockText = exists(io, lockPath) ? dec.decode(io.fs.readFile(lockPath)) : undefined;
  let locked: PnpmGraph | undefined;
  if (lockText !== undefined) {
    try {
      const r = await readPnpmLock(cat, lockText);
      if ('missing' in r) {
        const { name, version: v } = { name: r.missing.slice(0, r.missing.indexOf('@', 1)), version: r.missing.slice(r.missing.indexOf('@', 1) + 1) };
        return notInCatalog(new ResolveFailure('no-version', name, v), dir);
      }
      locked = r;
    } catch (e) {
      if (!(e instanceof LockReadError)) throw e;
      if (f.frozen) return out(pnpmError('ERR_PNPM_LOCKFILE_BREAKING_CHANGE', `Lockfile ${lockPath} not compatible with current pnpm`, 'Run with the --force parameter to recreate the lockfile.'), '', 1);
    }
  }
  if (fetchOnly) {
    if (!locked) return out(pnpmError('ERR_PNPM_LOCKFILE_NOT_FOUND', `Cannot find a lockfile in ${dir}`), '', 1);
    // pnpm fetch: the virtual store only; the project itself gets nothing linked, so its stats read "Already up to date", and fetch prints no time.
    const selected = selectFrom(locked, f, libcOf(io));
    const r = await linkPnpmLayout(io, cat, { base, graph: locked, selected, fields: [], storeDir, virtualOnly: true });
    const fields = DEP_FIELDS.filter((k) => !(k === 'devDependencies' && f.prod) && !(k !== 'devDependencies' && f.devOnly));
    io.fs.writeFile(`${base}/node_modules/.modules.yaml`, enc.encode(modulesYaml(io, version, storeDir, fields, r, [])));
    io.simulateTime?.(Math.round(modelledSeconds(r.tarBytes, r.added.length) * 1000));
    stdout += `Importing packages to virtual store\nAlready up to date\nProgress: resolved 1, reused 0, downloaded 0, added 0\nProgress: resolved ${selected.size}, reused ${selected.size - r.downloaded}, downloaded ${r.downloaded}, added ${r.added.length}, done\n`;
    if (f.prod && locked.importer.devDependencies.size) stdout += '\ndevDependencies: skipped\n\n';
    return out(stdout);
  }
  // `pnpm add`: the new specifiers go into package.json first (pnpm saves `^version` for a bare name).
  for (const s of specs) {
    const at = s.lastIndexOf('@');
    const [name, range] = at > 0 ? [s.slice(0, at), s.slice(at + 1)] : [s, 'latest'];
    const picked = await cat.pick(name, range);
    if (typeof picked === 'string') return notInCatalog(new ResolveFailure(picked, name, range), dir);
    const field: DepField = f.saveDev ? 'devDependencies' : f.saveOptional ? 'optionalDependencies' : 'dependencies';
    for (const other of DEP_FIELDS) if (other !== field && manifest[other]?.[name]) delete manifest[other]![name];
    // pnpm saves what the spec pins (whichVersionIsPinned): an exact version as is, `~` for a patch range, else `^` and the version resolved.
    const saved = /^\d+\.\d+\.\d+/.test(range) ? range : range.startsWith('~') ? `~${picked.version}` : `^${picked.version}`;
    manifest[field] = Object.fromEntries(Object.entries({ ...(manifest[field] ?? {}), [name]: saved }).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  const hasDeps = DEP_FIELDS.some((k) => Object.keys(manifest![k] ?? {}).length);
  let graph: PnpmGraph;
  let headless = false;
  const diff = locked ? specifiersDiff(locked, manifest) : hasDeps ? 'no lockfile' : undefined;
  if (locked && diff === undefined) {
    graph = locked;
    headless = true;
    stdout += 'Lockfile is up to date, resolution step is skipped\n';
  } else if (f.frozen && hasDeps) {
    const hint = 'Note that in CI environments this setting is true by default. If you still need to run install in such cases, use "pnpm install --no-frozen-lockfile"';
    if (!locked) return out(pnpmError('ERR_PNPM_NO_LOCKFILE', 'Cannot install with "frozen-lockfile" because pnpm-lock.yaml is absent', hint), '', 1);
    return out(pnpmError('ERR_PNPM_OUTDATED_LOCKFILE', 'Cannot install with "frozen-lockfile" because pnpm-lock.yaml is not up to date with <ROOT>/package.json', `${hint}\n\n  Failure reason:\n  specifiers in the lockfile don't match specifiers in package.json:\n${diff}`), '', 1);
  } else {
    const lockedTop = new Map<string, string>();
    if (locked) for (const k of DEP_FIELDS) for (const [n, d] of locked.importer[k]) lockedTop.set(n, refOf(n, d.depPath).replace(/\(.*$/, ''));
    try {
      // The lockfile is the same on every libc: both builds of a platform package are resolved, the install takes the one that fits.
      graph = graphFromTree(semver, manifest, await buildTree(cat, manifest, { libc: 'any', locked: lockedTop }));
    } catch (e) {
      if (e instanceof ResolveFailure) return notInCatalog(e, dir);
      throw e;
    }
  }
  const selected = selectFrom(graph, f, libcOf(io));
  const fields = DEP_FIELDS.filter((k) => !(k === 'devDependencies' && f.prod) && !(k !== 'devDependencies' && f.devOnly) && !(k === 'optionalDependencies' && f.noOptional));
  const newLock = writePnpmLock(graph);
  const currentLock = writePnpmLock(subgraph(graph, selected, fields));
  const modules = `${base}/node_modules`;
  const currentPath = `${modules}/.pnpm/lock.yaml`;
  if (exists(io, `${modules}/.modules.yaml`) && exists(io, currentPath) && dec.decode(io.fs.readFile(currentPath)) === currentLock && !specs.length) {
    if (!headless && lockText !== newLock) io.fs.writeFile(lockPath, enc.encode(newLock));
    return out(`${stdout}Already up to date\n\n${done(version)}`);
  }
  const before = linkedBefore(io, currentPath);
  const r = await linkPnpmLayout(io, cat, { base, graph, selected, fields, storeDir });
  stdout += progress(selected.size, r);
  // The summary: direct dependencies this run added, by field.
  const sum = await summary(cat, graph, fields, r, before, { headless, prod: f.prod });
  stdout += sum;
  const ignored = [...new Set(r.added.filter((p) => p.meta.hasInstallScript).map((p) => p.pkgId))].sort();
  if (sum || ignored.length) stdout += '\n';
  if (ignored.length && Number(version.split('.')[0]) >= 10) {
    stdout += warningBox('Warning', `Ignored build scripts: ${ignored.join(', ')}.\nRun "pnpm approve-builds" to pick which dependencies should be allowed to run scripts.`);
  }
  // Files: package.json (pnpm add), pnpm-lock.yaml (unless headless or frozen), .pnpm/lock.yaml, .modules.yaml.
  if (specs.length) io.fs.writeFile(pkgPath, enc.encode(JSON.stringify(manifest, null, 2) + '\n'));
  if (!headless && lockText !== newLock) io.fs.writeFile(lockPath, enc.encode(newLock));
  io.fs.writeFile(currentPath, enc.encode(currentLock));
  const skipped = [...reachable(graph, { prod: f.prod, optional: !f.noOptional })].filter((d) => !selected.has(d)).sort();
  io.fs.writeFile(`${modules}/.modules.yaml`, enc.encode(modulesYaml(io, version, storeDir, fields, r, ignored, skipped)));
  if (Number(version.split('.')[0]) >= 10) io.fs.writeFile(`${modules}/.pnpm-workspace-state-v1.json`, enc.encode(workspaceState(io, f)));
  // The store keeps a link back to each project it serves (`store prune` and `store status` read them): projects/<sha256(dir)[0:32]>.
  const projects = `${storeDir}/projects`;
  const link = `${projects}/${(await sha256Hex(enc.encode(dir))).slice(0, 32)}`;
  if (!exists(io, link)) {
    ensureDir(io, projects);
    io.fs.symlink(relativeTo(projects, dir), link);
  }
  io.simulateTime?.(Math.round(modelledSeconds(r.tarBytes, r.added.length) * 1000));
  return out(stdout + done(version, r));
}

/** The direct dependencies an earlier install linked, by field, name → version (node_modules/.pnpm/lock.yaml). */
function linkedBefore(io: CommandIO, currentPath: string): Record<DepField, Map<string, string>> {
  const out: Record<DepField, Map<string, string>> = { dependencies: new Map(), devDependencies: new Map(), optionalDependencies: new Map() };
  if (!exists(io, currentPath)) return out;
  try {
    const dot = ((parseYamlMap(dec.decode(io.fs.readFile(currentPath))).importers ?? {}) as Record<string, Record<string, Record<string, { version?: string }>>>)['.'] ?? {};
    for (const k of DEP_FIELDS) for (const [n, e] of Object.entries(dot[k] ?? {})) out[k].set(n, String(e.version ?? '').replace(/\(.*$/, ''));
  } catch {
    // an unreadable current lockfile: everything counts as new
  }
  return out;
}

/**
 * The summary under the progress lines (reportSummary): per field, `+ name version` for what this
 * run linked (with `(X is available)` when resolution saw a newer latest) and `- name version` for
 * what it unlinked, sorted by name; a field left out by --prod reads `skipped` when nothing changed in it.
 */
async function summary(cat: NpmCatalog, graph: PnpmGraph, fields: DepField[], r: LayoutResult, before: Record<DepField, Map<string, string>>, opts: { headless: boolean; prod: boolean }): Promise<string> {
  const semver = await loadSemver();
  const addedSet = new Set(r.added.map((p) => p.depPath));
  let s = '';
  for (const k of ['dependencies', 'optionalDependencies', 'devDependencies'] as DepField[]) {
    const lines: { name: string; added: boolean; text: string }[] = [];
    const now = fields.includes(k) ? graph.importer[k] : new Map<string, { specifier: string; depPath: string }>();
    for (const [name, d] of now) {
      const p = graph.packages.get(d.depPath);
      if (!p || !addedSet.has(d.depPath)) continue;
      let text = `+ ${name}${name !== p.name ? ` <- ${p.name}` : ''} ${p.version}`;
      // Resolution knows the registry's latest (a lockfile-only install does not): pnpm names a newer one.
      const latest = opts.headless ? undefined : await cat.pick(p.name, 'latest');
      if (latest && typeof latest !== 'string' && semver.lt(p.version, latest.version)) text += ` (${latest.version} is available)`;
      lines.push({ name, added: true, text });
    }
    for (const [name, v] of before[k]) {
      const d = now.get(name);
      if (d && graph.packages.get(d.depPath)?.version === v) continue;
      lines.push({ name, added: false, text: `- ${name} ${v}` });
    }
    lines.sort((a, b) => a.name.localeCompare(b.name) * 10 + (Number(!a.added) - Number(!b.added)));
    if (lines.length) s += `\n${FIELD_TITLE[k]}:\n${lines.map((l) => l.text).join('\n')}\n`;
    else if (k === 'devDependencies' && opts.prod && graph.importer.devDependencies.size) s += `\n${FIELD_TITLE[k]}: skipped\n`;
  }
  return s;
}

/** `pnpm prune [--prod] [--no-optional]`: what the lockfile's included fields no longer need leaves node_modules. */
async function prune(io: CommandIO, version: string, args: string[]): Promise<CommandOutput> {
  const cat = npmCatalog();
  if (!cat) return out('', 'pnpm: layerlab: no npm catalog is configured in this engine\n', 1);
  const f = flagsOf(io, args);
  const dir = io.cwd;
  const base = dir === '/' ? '' : dir;
  const lockPath = resolvePath(dir, 'pnpm-lock.yaml');
  if (!exists(io, lockPath)) return out(pnpmError('ERR_PNPM_LOCKFILE_NOT_FOUND', `Cannot find a lockfile in ${dir}`), '', 1);
  let graph: PnpmGraph;
  try {
    const r = await readPnpmLock(cat, dec.decode(io.fs.readFile(lockPath)));
    if ('missing' in r) return notInCatalog(new ResolveFailure('no-version', r.missing.slice(0, r.missing.indexOf('@', 1)), r.missing.slice(r.missing.indexOf('@', 1) + 1)), dir);
    graph = r;
  } catch (e) {
    if (e instanceof LockReadError) return out(pnpmError('ERR_PNPM_LOCKFILE_BREAKING_CHANGE', `Lockfile ${lockPath} not compatible with current pnpm`), '', 1);
    throw e;
  }
  const storeDir = storeDirOf(io, version);
  const fields = DEP_FIELDS.filter((k) => !(k === 'devDependencies' && f.prod) && !(k === 'optionalDependencies' && f.noOptional));
  const selected = selectFrom(graph, f, libcOf(io));
  const modules = `${base}/node_modules`;
  const before = linkedBefore(io, `${modules}/.pnpm/lock.yaml`);
  const r = await linkPnpmLayout(io, cat, { base, graph, selected, fields, storeDir });
  let stdout = 'Lockfile is up to date, resolution step is skipped\n';
  if (r.added.length || r.removed) stdout += `Packages:${r.added.length ? ` +${r.added.length}` : ''}${r.removed ? ` -${r.removed}` : ''}\n${plusBar(r.added.length, r.removed)}\n`;
  const sum = await summary(cat, graph, fields, r, before, { headless: true, prod: f.prod });
  if (sum) stdout += `${sum}\n`;
  io.fs.writeFile(`${modules}/.pnpm/lock.yaml`, enc.encode(writePnpmLock(subgraph(graph, selected, fields))));
  io.fs.writeFile(`${modules}/.modules.yaml`, enc.encode(modulesYaml(io, version, storeDir, fields, r, [])));
  return out(stdout);
}

/** The depPaths an install takes: reachable from the included fields, packages for another platform (optional ones, in practice) left out. */
function selectFrom(g: PnpmGraph, f: Flags, libc: 'glibc' | 'musl'): Set<string> {
  const all = reachable(g, { prod: f.prod, optional: !f.noOptional });
  if (f.devOnly) {
    const prod = reachable({ ...g, importer: { ...g.importer, devDependencies: new Map() } });
    for (const d of prod) if (!reachable({ ...g, importer: { dependencies: new Map(), optionalDependencies: new Map(), devDependencies: g.importer.devDependencies } }).has(d)) all.delete(d);
  }
  for (const d of [...all]) {
    const p = g.packages.get(d)!;
    if (!platformOk(p.meta, libc)) all.delete(d);
  }
  return all;
}

/** The graph restricted to what was installed (node_modules/.pnpm/lock.yaml). */
function subgraph(g: PnpmGraph, selected: Set<string>, fields: DepField[]): PnpmGraph {
  const importer = { dependencies: new Map(), devDependencies: new Map(), optionalDependencies: new Map() } as PnpmGraph['importer'];
  for (const k of fields) importer[k] = g.importer[k];
  return { importer, packages: new Map([...g.packages].filter(([d]) => selected.has(d))) };
}

async function runScript(io: CommandIO, name: string | undefined, extra: string[]): Promise<CommandOutput> {
  const manifest = readJson(io, resolvePath(io.cwd, 'package.json')) as RootManifest | undefined;
  if (!manifest) return out(pnpmError('ERR_PNPM_NO_IMPORTER_MANIFEST_FOUND', `No package.json (or package.yaml, or package.json5) was found in "${io.cwd}".`), '', 1);
  const scripts = manifest.scripts ?? {};
  if (!name) {
    const list = Object.entries(scripts);
    return out(list.length ? `Commands available via "pnpm run":\n${list.map(([k, v]) => `  ${k}\n    ${v}`).join('\n')}\n` : '');
  }
  const cmd = scripts[name];
  if (cmd === undefined) {
    const near = Object.keys(scripts).find((k) => k.startsWith(name) || name.startsWith(k));
    return out(pnpmError('ERR_PNPM_NO_SCRIPT', `Missing script: ${name}`, `Command "${name}" not found.${near ? ` Did you mean "pnpm run ${near}"?` : ''}`), '', 1);
  }
  const line = extra.length ? `${cmd} ${extra.join(' ')}` : cmd;
  const banner = `\n> ${manifest.name ?? ''}${manifest.version ? '@' + manifest.version : ''} ${name} ${io.cwd}\n> ${line}\n\n`;
  if (!io.exec) return out(banner, 'pnpm: cannot run scripts here\n', 1);
  const bin = resolvePath(io.cwd, 'node_modules/.bin');
  const r = await io.exec(`cd ${JSON.stringify(io.cwd)} && PATH=${JSON.stringify(bin)}:"$PATH" ${line}`, { env: { npm_lifecycle_event: name, npm_command: 'run-script' } });
  const stdout = banner + (typeof r.stdout === 'string' ? r.stdout : dec.decode(r.stdout));
  if (r.exitCode !== 0) {
    // pnpm's reporter writes to stdout; without node_modules it also suspects a missing install.
    const noModules = exists(io, resolvePath(io.cwd, 'node_modules')) ? '' : '\u2009WARN\u2009  Local package.json exists, but node_modules missing, did you mean to install?\n';
    return out(stdout + pnpmError('ELIFECYCLE', `Command failed with exit code ${r.exitCode}.`) + noModules, r.stderr, r.exitCode);
  }
  return out(stdout, r.stderr);
}

/** The version of an npm-installed pnpm: the package.json beside the bin the shell ran (through its symlink). */
export function installedPnpmVersion(io: CommandIO): string | undefined {
  const prog = io.program ?? `/usr/local/bin/${io.name}`;
  let real: string;
  try {
    real = io.fs.realpath(prog);
  } catch {
    return undefined;
  }
  for (let d = real.slice(0, real.lastIndexOf('/')); d; d = d.slice(0, d.lastIndexOf('/'))) {
    const pj = readJson(io, `${d}/package.json`) as { name?: string; version?: string } | undefined;
    if (pj?.name === 'pnpm' && pj.version) return pj.version;
  }
  return undefined;
}
