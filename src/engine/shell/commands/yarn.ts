/**
 * Yarn classic (1.22, as the node images ship it in /opt/yarn-v1.22.x) over the offline npm
 * catalog: `yarn [install]` [--frozen-lockfile] [--production] [--silent], `yarn add PKG…` [-D],
 * `yarn run SCRIPT` (and `yarn SCRIPT`), `yarn cache clean`, `yarn cache dir`, `yarn --version`.
 * After `corepack enable`, `yarn` is corepack's shim (corepack.ts), which installs yarn 1.22.22
 * from the catalog into corepack's cache and then runs this same model.
 *
 * What an install leaves, as yarn 1 does: node_modules (the npm model's tree and bin links),
 * node_modules/.yarn-integrity, yarn.lock (lockfile v1: `name@range` keys, `resolved` with the
 * tarball's sha1, `integrity`), and the cache under /usr/local/share/.cache/yarn/v6 for root
 * (~/.cache/yarn/v6 otherwise) holding every package unpacked, its .yarn-metadata.json and
 * .yarn-tarball.tgz: the reason `yarn cache clean` belongs in the same RUN.
 *
 * Simulation: placement is the npm model's hoisting (yarn's hoister differs in rare conflicts);
 * the elapsed time is modelled from the bytes fetched, as for npm.
 */
import { SyntheticContent, textContent } from '../../fs/content.ts';
import type { GraftEntry } from '../../fs/union.ts';
import { resolvePath } from '../../fs/path.ts';
import type { CommandIO, CommandOutput } from './command.ts';
import { NPM_CATALOG_NOTE_PATH, npmCatalog, type NpmCatalog } from '../npm/npm-catalog.ts';
import { buildTree, parentOf, ResolveFailure, resolveFrom, type RootManifest, type TreeNode } from '../npm/npm-tree.ts';
import { ensureDir, exists, home, installNodes, libcOf, modelledSeconds, readJson, seedOf, writeTree } from './npm.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const YARN_REGISTRY = 'https://registry.yarnpkg.com';

const out = (stdout: string, stderr = '', exitCode = 0): CommandOutput => ({ stdout, stderr, exitCode });

/** The yarn version installed in the image (/opt/yarn-vX/package.json), 1.22.22 when it cannot be read. */
function yarnVersion(io: CommandIO): string {
  try {
    for (const d of io.fs.readdir('/opt')) {
      const m = /^yarn-v(\d+\.\d+\.\d+)$/.exec(d);
      if (m) return m[1];
    }
  } catch {
    // no /opt
  }
  return '1.22.22';
}

function cacheDir(io: CommandIO): string {
  // yarn 1: root on Linux caches in /usr/local/share/.cache/yarn; others in $XDG_CACHE_HOME or ~/.cache.
  if (io.user.uid === 0) return '/usr/local/share/.cache/yarn/v6';
  return `${io.env.get('XDG_CACHE_HOME') || `${home(io)}/.cache`}/yarn/v6`;
}

function done(tarBytes: number, count: number): string {
  return `Done in ${modelledSeconds(tarBytes, count).toFixed(2)}s.\n`;
}

/** Simulation: what yarn prints for a command that fetches nothing (a script run, a cache clean, an up-to-date install). */
const QUICK_DONE = 'Done in 0.06s.\n';

/** yarn's lockfile quoting (lockfile/stringify.js `shouldWrapKey`), applied to keys and values alike. */
function q(s: string): string {
  return /^(true|false)/.test(s) || /[:\s\n\\",[\]]/.test(s) || /^[0-9]/.test(s) || !/^[a-zA-Z]/.test(s) ? JSON.stringify(s) : s;
}

const tarball = (pkg: string, version: string) => `${YARN_REGISTRY}/${pkg}/-/${pkg.split('/').pop()}-${version}.tgz`;

/** The `name@range` patterns that resolved to each node, by location (what yarn.lock's keys list). */
function patternsOf(root: RootManifest, tree: Map<string, TreeNode>, withDev: boolean): Map<string, Set<string>> {
  const pats = new Map<string, Set<string>>();
  const add = (from: string, name: string, range: string) => {
    const n = resolveFrom(tree, from, name);
    if (n) (pats.get(n.location) ?? pats.set(n.location, new Set()).get(n.location)!).add(`${name}@${range}`);
  };
  const top = { ...(root.dependencies ?? {}), ...(root.optionalDependencies ?? {}), ...(withDev ? root.devDependencies ?? {} : {}) };
  for (const [n, r] of Object.entries(top)) add('', n, r);
  for (const node of tree.values()) {
    for (const [n, r] of Object.entries({ ...(node.meta.deps ?? {}), ...(node.meta.optional ?? {}) })) add(node.location, n, r);
    for (const [n, r] of Object.entries(node.meta.peers ?? {})) add(parentOf(node.location), n, r);
  }
  return pats;
}

/** yarn.lock (lockfile v1) for a tree. */
function yarnLock(root: RootManifest, tree: Map<string, TreeNode>): string {
  const pats = patternsOf(root, tree, true);
  const blocks = new Map<string, string>();
  for (const n of tree.values()) {
    const keys = [...(pats.get(n.location) ?? [`${n.name}@${n.version}`])].sort();
    const key = keys.map(q).join(', ');
    if (blocks.has(key)) continue;
    const lines = [`${key}:`, `  version ${q(n.version)}`, `  resolved ${q(`${tarball(n.pkg, n.version)}${n.meta.shasum ? `#${n.meta.shasum}` : ''}`)}`, `  integrity ${q(n.meta.integrity)}`];
    const section = (title: string, deps: Record<string, string> | undefined) => {
      if (!deps || !Object.keys(deps).length) return;
      lines.push(`  ${title}:`);
      for (const [d, r] of Object.entries(deps).sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`    ${q(d)} ${q(r)}`);
    };
    section('dependencies', n.meta.deps);
    section('optionalDependencies', n.meta.optional);
    blocks.set(key, lines.join('\n'));
  }
  const body = [...blocks].sort(([a], [b]) => (a.replace(/^"/, '') < b.replace(/^"/, '') ? -1 : 1)).map(([, b]) => b).join('\n\n');
  return `# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n${body}\n`;
}

/** `name@range` → version from an existing yarn.lock. */
function readYarnLock(text: string | undefined): Map<string, string> {
  const m = new Map<string, string>();
  if (!text) return m;
  let keys: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\S.*:$/.test(line) && !line.startsWith('#')) keys = line.slice(0, -1).split(/,\s*/).map((k) => k.replace(/^"|"$/g, ''));
    const v = /^ {2}version "?([^"\s]+)"?$/.exec(line);
    if (v) for (const k of keys) m.set(k, v[1]);
  }
  return m;
}

/** The package's entry in yarn's cache: unpacked files, .yarn-metadata.json, .yarn-tarball.tgz. */
async function cacheEntries(cat: NpmCatalog, n: TreeNode, at: string): Promise<{ entries: GraftEntry[]; bytes: number }> {
  const f = await cat.filesOf(n.pkg, n.version);
  const hash = n.meta.shasum ?? n.meta.integrity.slice(7, 47);
  const dir = `${at}npm-${n.pkg.replace('/', '-')}-${n.version}-${hash}-integrity/node_modules/${n.pkg}/`;
  const prefix = seedOf(`${n.pkg}@${n.version}/`);
  const entries: GraftEntry[] = [];
  let bytes = 0;
  for (const [rel, size, mode] of f.files) {
    const content = rel === 'package.json' ? textContent(f.packageJson) : new SyntheticContent(size, seedOf(rel, prefix));
    entries.push({ path: dir + rel, type: 'file', mode: mode & 0o111 ? 0o755 : 0o644, content });
    bytes += content.size;
  }
  const metadata = textContent(JSON.stringify({
    manifest: { ...JSON.parse(f.packageJson), _registry: 'npm', _loc: `/usr/local/share/.cache/yarn/v6/${dir}package.json`, readmeFilename: 'README.md' },
    artifacts: [],
    remote: { resolved: `${tarball(n.pkg, n.version)}#${hash}`, type: 'tarball', reference: tarball(n.pkg, n.version), hash, integrity: n.meta.integrity, registry: 'npm', packageName: n.pkg, cacheIntegrity: `${n.meta.integrity} sha1-${hash}` },
    registry: 'npm',
    hash,
  }));
  entries.push({ path: `${dir}.yarn-metadata.json`, type: 'file', mode: 0o644, content: metadata });
  entries.push({ path: `${dir}.yarn-tarball.tgz`, type: 'file', mode: 0o644, content: new SyntheticContent(f.tarballSize, seedOf(n.meta.integrity)) });
  bytes += metadata.size + f.tarballSize;
  return { entries, bytes };
}

function errorLog(io: CommandIO, argv: string[], message: string): string {
  const path = resolvePath(io.cwd, 'yarn-error.log');
  io.fs.writeFile(path, enc.encode(`Arguments: \n  /usr/local/bin/node /opt/yarn-v${yarnVersion(io)}/bin/yarn.js ${argv.join(' ')}\n\nPATH: \n  ${io.env.get('PATH') ?? ''}\n\nYarn version: \n  ${yarnVersion(io)}\n\nTrace: \n  Error: ${message}\n`));
  return path;
}

function notFound(io: CommandIO, argv: string[], head: string, e: ResolveFailure): CommandOutput {
  const message = e.kind === 'no-package' ? `https://registry.yarnpkg.com/${e.pkg.replace('/', '%2f')}: Not found` : `Couldn't find any versions for "${e.pkg}" that matches "${e.range}"`;
  const note = `layerlab: the offline npm catalog has no ${e.kind === 'no-package' ? `package '${e.pkg}'` : `version of ${e.pkg} matching '${e.range}'`} (its list: ${NPM_CATALOG_NOTE_PATH}).\n`;
  if (e.kind === 'no-package') {
    const log = errorLog(io, argv, message);
    return {
      stdout: `${head}info If you think this is a bug, please open a bug report with the information provided in "${log}".\ninfo Visit https://yarnpkg.com/en/docs/cli/${argv[0]} for documentation about this command.\n`,
      stderr: `error An unexpected error occurred: "${message}".\n${note}`,
      exitCode: 1,
    };
  }
  return { stdout: `${head}info Visit https://yarnpkg.com/en/docs/cli/${argv[0]} for documentation about this command.\n`, stderr: `error ${message}\n${note}`, exitCode: 1 };
}

async function install(io: CommandIO, argv: string[], add: string[]): Promise<CommandOutput> {
  const cat = npmCatalog();
  if (!cat) return out('', 'error layerlab: no npm catalog is configured in this engine\n', 1);
  const cmd = add.length ? 'add' : 'install';
  const flags = argv.filter((a) => a.startsWith('-'));
  const silent = flags.includes('--silent') || flags.includes('-s');
  const production = flags.includes('--production') || flags.includes('--prod') || io.env.get('NODE_ENV') === 'production';
  const frozen = flags.includes('--frozen-lockfile') || flags.includes('--immutable');
  const dev = flags.includes('-D') || flags.includes('--dev');
  const dir = io.cwd;
  const base = dir === '/' ? '' : dir;
  const pkgPath = resolvePath(dir, 'package.json');
  const lockPath = resolvePath(dir, 'yarn.lock');
  let stdout = `yarn ${cmd} v${yarnVersion(io)}\n`;
  let stderr = '';
  const manifest = (readJson(io, pkgPath) as RootManifest | undefined) ?? (add.length ? {} : undefined);
  if (!manifest) {
    // yarn 1 without a package.json in an empty folder still "installs" nothing, and says so.
    stdout += `info No lockfile found.\n[1/4] Resolving packages...\n[2/4] Fetching packages...\n[3/4] Linking dependencies...\n[4/4] Building fresh packages...\nsuccess Saved lockfile.\n`;
    io.fs.writeFile(lockPath, enc.encode('# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n'));
    return out(silent ? '' : stdout + QUICK_DONE);
  }
  if (!manifest.license && !manifest.private) stderr += 'warning package.json: No license field\n';
  const lockText = exists(io, lockPath) ? dec.decode(io.fs.readFile(lockPath)) : undefined;
  if (!lockText) stdout += 'info No lockfile found.\n';
  for (const s of add) {
    const at = s.lastIndexOf('@');
    const [name, range] = at > 0 ? [s.slice(0, at), s.slice(at + 1)] : [s, 'latest'];
    const picked = await cat.pick(name, range);
    if (typeof picked === 'string') return notFound(io, [cmd, ...argv], stdout + '[1/4] Resolving packages...\n', new ResolveFailure(picked, name, range));
    const field = dev ? 'devDependencies' : 'dependencies';
    manifest[field] = Object.fromEntries(Object.entries({ ...(manifest[field] ?? {}), [name]: range === 'latest' ? `^${picked.version}` : range }).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  const locked = readYarnLock(lockText);
  const topPatterns = Object.entries({ ...(manifest.dependencies ?? {}), ...(manifest.optionalDependencies ?? {}), ...(manifest.devDependencies ?? {}) }).map(([n, r]) => `${n}@${r}`);
  if (frozen && topPatterns.some((p) => !locked.has(p))) {
    return { stdout: stdout + '[1/4] Resolving packages...\ninfo Visit https://yarnpkg.com/en/docs/cli/install for documentation about this command.\n', stderr: stderr + 'error Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`.\n', exitCode: 1 };
  }
  stdout += '[1/4] Resolving packages...\n';
  const lockedTop = new Map<string, string>();
  for (const [n, r] of Object.entries({ ...(manifest.dependencies ?? {}), ...(manifest.devDependencies ?? {}) })) {
    const v = locked.get(`${n}@${r}`);
    if (v) lockedTop.set(n, v);
  }
  let tree: Map<string, TreeNode>;
  try {
    tree = await buildTree(cat, manifest, { libc: libcOf(io), locked: lockedTop });
  } catch (e) {
    if (e instanceof ResolveFailure) return notFound(io, [cmd, ...argv], stdout, e);
    throw e;
  }
  const nodes = [...tree.values()].filter((n) => !(production && n.dev));
  // Already installed exactly (node_modules/.yarn-integrity names the same lockfile entries): nothing to do.
  const newLock = yarnLock(manifest, tree);
  const integrityPath = resolvePath(dir, 'node_modules/.yarn-integrity');
  const integrity = JSON.stringify({ systemParams: `linux-x64-${io.env.get('NODE_VERSION')?.split('.')[0] ?? '22'}`, modulesFolders: ['node_modules'], flags: production ? ['production'] : [], linkedModules: [], topLevelPatterns: topPatterns.sort(), lockfileEntries: Object.fromEntries([...readYarnLock(newLock)].sort()), files: [], artifacts: {} }, null, 2);
  if (!add.length && exists(io, integrityPath) && dec.decode(io.fs.readFile(integrityPath)) === integrity) {
    return out(silent ? '' : `${stdout}success Already up-to-date.\n${QUICK_DONE}`, stderr);
  }
  stdout += '[2/4] Fetching packages...\n';
  if (exists(io, resolvePath(dir, 'node_modules')) && !add.length) io.fs.rm(resolvePath(dir, 'node_modules'), { recursive: true, force: true });
  const already = new Set<string>();
  if (add.length && exists(io, resolvePath(dir, 'node_modules'))) for (const n of nodes) {
    const pj = readJson(io, `${base}/${n.location}/package.json`) as { version?: string } | undefined;
    if (pj?.version === n.version) already.add(n.location);
  }
  // The cache: every package unpacked once (those already cached stay).
  const cache = cacheDir(io);
  const cached: GraftEntry[] = [];
  let cacheBytes = 0;
  const seen = new Set<string>();
  for (const n of nodes) {
    const key = `${n.pkg}@${n.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const hash = n.meta.shasum ?? n.meta.integrity.slice(7, 47);
    if (exists(io, `${cache}/npm-${n.pkg.replace('/', '-')}-${n.version}-${hash}-integrity`)) continue;
    const c = await cacheEntries(cat, n, '');
    cached.push(...c.entries);
    cacheBytes += c.bytes;
  }
  if (cached.length) {
    io.countWrite(cacheBytes);
    ensureDir(io, cache.slice(0, cache.lastIndexOf('/')));
    writeTree(io, cache, cached);
    ensureDir(io, `${cache}/.tmp`);
  }
  stdout += '[3/4] Linking dependencies...\n';
  const r = await installNodes(io, cat, base, nodes.filter((n) => !already.has(n.location)), resolvePath(dir, 'node_modules/.bin'), { npmCache: false });
  stdout += '[4/4] Building fresh packages...\n';
  if (add.length) io.fs.writeFile(pkgPath, enc.encode(JSON.stringify(manifest, null, 2) + '\n'));
  if (lockText !== newLock) {
    if (!frozen) io.fs.writeFile(lockPath, enc.encode(newLock));
    if (!frozen) stdout += 'success Saved lockfile.\n';
  }
  ensureDir(io, resolvePath(dir, 'node_modules'));
  io.fs.writeFile(integrityPath, enc.encode(integrity));
  if (add.length) {
    const direct = add.map((s) => {
      const at = s.lastIndexOf('@');
      const name = at > 0 ? s.slice(0, at) : s;
      return tree.get(`node_modules/${name}`)!;
    });
    const tops = [...tree.values()].filter((n) => !n.location.slice('node_modules/'.length).includes('/node_modules/'));
    const list = (ns: TreeNode[]) => ns.map((n, i) => `${i === ns.length - 1 ? '└─' : '├─'} ${n.name}@${n.version}`).join('\n');
    stdout += `success Saved ${direct.length} new ${direct.length === 1 ? 'dependency' : 'dependencies'}.\ninfo Direct dependencies\n${list(direct)}\ninfo All dependencies\n${list(tops)}\n`;
  }
  io.simulateTime?.(Math.round(modelledSeconds(r.tarBytes, r.count) * 1000));
  return out(silent ? '' : stdout + done(r.tarBytes, r.count), stderr);
}

async function runScript(io: CommandIO, name: string | undefined, extra: string[]): Promise<CommandOutput> {
  const v = yarnVersion(io);
  const manifest = readJson(io, resolvePath(io.cwd, 'package.json')) as RootManifest | undefined;
  const scripts = manifest?.scripts ?? {};
  const head = `yarn run v${v}\n`;
  if (!name) return out(`${head}info Commands available from binary scripts: \ninfo Project commands\n${Object.entries(scripts).map(([k, c]) => `   - ${k}\n      ${c}`).join('\n')}\n${QUICK_DONE}`);
  const bin = resolvePath(io.cwd, 'node_modules/.bin');
  const cmd = scripts[name] ?? (exists(io, `${bin}/${name}`) ? `${bin}/${name}` : undefined);
  if (cmd === undefined) return out(`${head}info Visit https://yarnpkg.com/en/docs/cli/run for documentation about this command.\n`, `error Command "${name}" not found.\n`, 1);
  const line = extra.length ? `${cmd} ${extra.join(' ')}` : cmd;
  if (!io.exec) return out(head, 'yarn: cannot run scripts here\n', 1);
  const r = await io.exec(`cd ${JSON.stringify(io.cwd)} && PATH=${JSON.stringify(bin)}:"$PATH" ${line}`, { env: { npm_lifecycle_event: name } });
  const stdout = `${head}$ ${line}\n${typeof r.stdout === 'string' ? r.stdout : dec.decode(r.stdout)}`;
  if (r.exitCode !== 0) return out(`${stdout}info Visit https://yarnpkg.com/en/docs/cli/run for documentation about this command.\n`, `${r.stderr}error Command failed with exit code ${r.exitCode}.\n`, r.exitCode);
  return out(stdout + QUICK_DONE, r.stderr);
}

/** Yarn classic itself (the image's /opt/yarn, or the one corepack installed; corepack.ts decides which runs). */
export async function yarnClassic(io: CommandIO): Promise<CommandOutput> {
  const args = io.args;
  const [cmd, ...rest] = args;
  switch (cmd) {
    case '-v': case '--version': case 'version':
      return out(`${yarnVersion(io)}\n`);
    case undefined: case 'install': case 'i':
      return install(io, cmd === undefined ? [] : rest, []);
    case 'add': {
      const specs = rest.filter((a) => !a.startsWith('-'));
      if (!specs.length) return out(`yarn add v${yarnVersion(io)}\n`, 'error Missing list of packages to add to your project.\n', 1);
      return install(io, rest.filter((a) => a.startsWith('-')), specs);
    }
    case 'run':
      return runScript(io, rest[0], rest.slice(1));
    case 'cache':
      if (rest[0] === 'dir') return out(`${cacheDir(io)}\n`);
      if (rest[0] === 'clean') {
        const c = cacheDir(io);
        if (exists(io, c)) io.fs.rm(c, { recursive: true, force: true });
        return out(`yarn cache v${yarnVersion(io)}\nsuccess Cleared cache.\n${QUICK_DONE}`);
      }
      return out('', `error layerlab: \`yarn cache ${rest[0] ?? ''}\` is not modelled (modelled: clean, dir)\n`, 1);
    default:
      if (cmd.startsWith('-')) return install(io, args, []);
      // `yarn build` runs the script of that name, as `yarn run build`.
      return runScript(io, cmd, rest);
  }
}
