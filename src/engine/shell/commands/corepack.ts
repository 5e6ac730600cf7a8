/**
 * corepack 0.34 (as the node ≤ 24 images ship it; Node 25 dropped it) over the offline npm
 * catalog: `corepack enable|disable [NAME…]`, `corepack --version`, `corepack prepare NAME@X
 * [--activate]`, `corepack install -g NAME@X`, `corepack use NAME@X`, `corepack NAME …`, and the
 * shims `enable` writes (`pnpm`, `pnpx`, `yarn`, `yarnpkg` → ../lib/node_modules/corepack/dist/*.js).
 *
 * A shim finds the version to run as corepack does (sources/Engine.ts, corepackUtils.ts at
 * v0.34.0): package.json's `packageManager` (the nearest package.json up from the working
 * directory; another package manager there is a usage error), else `$COREPACK_HOME/lastKnownGood.json`,
 * else the registry's `latest` (here the catalog's; COREPACK_DEFAULT_TO_LATEST=0 gives the
 * built-in default instead), which it records in lastKnownGood.json. It then "downloads" that
 * version into `$COREPACK_HOME/v1/<name>/<version>/` (default `~/.cache/node/corepack`): the
 * package's real files from the catalog and the `.corepack` file with the bin map and hash. A
 * shim called implicitly prints `! Corepack is about to download <url>` on stderr first
 * (COREPACK_ENABLE_DOWNLOAD_PROMPT defaults to 1 then, 0 for `corepack pnpm …`; no question is
 * asked off a TTY). corepack 0.34 runs pnpm ≥ 6 as `bin/pnpm.cjs`, which pnpm 12 no longer ships:
 * Node's MODULE_NOT_FOUND, as on a real machine (pnpm/pnpm#13870).
 *
 * Simulation: Node's stack trace lines are left out of MODULE_NOT_FOUND; registry signatures
 * are not checked (the catalog holds the registry's integrity, which is compared instead).
 */
import { SyntheticContent, textContent } from '../../fs/content.ts';
import type { GraftEntry } from '../../fs/union.ts';
import { resolvePath } from '../../fs/path.ts';
import type { CommandIO, CommandOutput } from './command.ts';
import { NPM_CATALOG_NOTE_PATH, npmCatalog, type NpmVersion } from '../npm/npm-catalog.ts';
import { ensureDir, exists, home, modelledSeconds, readJson, seedOf, writeTree } from './npm.ts';
import { b64ToHex } from './npm.ts';
import { installedPnpmVersion, runPnpm } from './pnpm.ts';
import { yarnClassic } from './yarn.ts';

const enc = new TextEncoder();
const COREPACK_DIST = '../lib/node_modules/corepack/dist';
const out = (stdout: string, stderr = '', exitCode = 0): CommandOutput => ({ stdout, stderr, exitCode });
const TROUBLESHOOTING = 'for troubleshooting help, see https://github.com/nodejs/corepack#troubleshooting';

type Manager = 'pnpm' | 'yarn';

/** corepack 0.34.0's config.json: built-in defaults, tarball URLs and bin maps. */
const CONFIG: Record<Manager, { default: string; url: (v: string) => string; bin: (v: string) => Record<string, string> }> = {
  pnpm: {
    default: '10.13.1+sha1.aa8c167c4509c97519542ef77a09e4b8ab59fb6a',
    url: (v) => `https://registry.npmjs.org/pnpm/-/pnpm-${v}.tgz`,
    bin: (v) => (Number(v.split('.')[0]) < 6 ? { pnpm: './bin/pnpm.js', pnpx: './bin/pnpx.js' } : { pnpm: './bin/pnpm.cjs', pnpx: './bin/pnpx.cjs' }),
  },
  yarn: {
    default: '1.22.22+sha1.ac34549e6aa8e7ead463a7407e1c7390f61a6610',
    url: (v) => `https://registry.yarnpkg.com/yarn/-/yarn-${v}.tgz`,
    bin: () => ({ yarn: './bin/yarn.js', yarnpkg: './bin/yarn.js' }),
  },
};

const managerOf = (bin: string): Manager => (bin === 'pnpm' || bin === 'pnpx' ? 'pnpm' : 'yarn');

/** corepack's home: $COREPACK_HOME, else $XDG_CACHE_HOME/node/corepack, else ~/.cache/node/corepack. */
export function corepackHome(io: CommandIO): string {
  return io.env.get('COREPACK_HOME') || `${io.env.get('XDG_CACHE_HOME') || `${home(io)}/.cache`}/node/corepack`;
}

class UsageError extends Error {}

/** `name@version[+algo.hex]` → its parts; a range or tag is refused as corepack refuses it in packageManager. */
function parseSpec(raw: string, source: string): { name: Manager; version: string; reference: string; hash?: { algo: string; hex: string } } {
  const m = /^((?:@[^/]+\/)?[^@]+)(?:@(.*))?$/.exec(raw);
  if (!m || !m[2]) throw new UsageError(`No version specified for ${raw} in "packageManager" of ${source}`);
  if (m[1] !== 'pnpm' && m[1] !== 'yarn') throw new UsageError(`Unsupported package manager specification (${m[1]})`);
  const [version, build] = m[2].split('+');
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) throw new UsageError(`Invalid package manager specification in ${source} (${raw}); expected a semver version`);
  const h = build ? /^(\w+)\.([0-9a-f]+)$/.exec(build) : null;
  return { name: m[1], version, reference: m[2], hash: h ? { algo: h[1], hex: h[2] } : undefined };
}

/** The nearest package.json up from the working directory and its packageManager, as corepack's findProjectSpec reads it. */
function projectSpec(io: CommandIO): { path: string; spec?: string } | undefined {
  for (let d = io.cwd; ; d = d.slice(0, d.lastIndexOf('/')) || '/') {
    const p = d === '/' ? '/package.json' : `${d}/package.json`;
    if (exists(io, p)) return { path: p, spec: (readJson(io, p) as { packageManager?: string } | undefined)?.packageManager };
    if (d === '/') return undefined;
  }
}

function readLastKnownGood(io: CommandIO): Record<string, string> {
  const v = readJson(io, `${corepackHome(io)}/lastKnownGood.json`);
  return v && typeof v === 'object' ? (v as Record<string, string>) : {};
}

function writeLastKnownGood(io: CommandIO, name: Manager, reference: string): void {
  const lkg = { ...readLastKnownGood(io), [name]: reference };
  ensureDir(io, corepackHome(io));
  io.fs.writeFile(`${corepackHome(io)}/lastKnownGood.json`, enc.encode(`${JSON.stringify(lkg, null, 2)}\n`));
}

const sriHex = (m: NpmVersion) => b64ToHex(m.integrity.replace(/^sha512-/, ''));

/** The version a shim runs when the project does not name one: lastKnownGood, else the registry's latest (recorded), else config's default. */
async function defaultReference(io: CommandIO, name: Manager): Promise<string> {
  const lkg = readLastKnownGood(io)[name];
  if (lkg) return lkg;
  if (io.env.get('COREPACK_DEFAULT_TO_LATEST') === '0') return CONFIG[name].default;
  const cat = npmCatalog();
  const latest = cat && (await cat.pick(name, 'latest'));
  if (!latest || typeof latest === 'string') return CONFIG[name].default;
  const reference = `${latest.version}+sha512.${sriHex(latest.meta)}`;
  writeLastKnownGood(io, name, reference);
  return reference;
}

interface Installed {
  folder: string;
  version: string;
  stderr: string;
}

/**
 * `installVersion`: reuses `$COREPACK_HOME/v1/<name>/<version>` when its `.corepack` exists, else
 * "downloads" the tarball (the catalog's files), checks the hash and writes `.corepack`.
 */
async function ensureInstalled(io: CommandIO, name: Manager, reference: string, prompt: boolean): Promise<Installed | CommandOutput> {
  const { version, hash } = parseSpec(`${name}@${reference}`, 'corepack');
  const folder = `${corepackHome(io)}/v1/${name}/${version}`;
  if (exists(io, `${folder}/.corepack`)) return { folder, version, stderr: '' };
  const url = CONFIG[name].url(version);
  const promptOn = io.env.get('COREPACK_ENABLE_DOWNLOAD_PROMPT') ? io.env.get('COREPACK_ENABLE_DOWNLOAD_PROMPT') === '1' : prompt;
  const stderr = promptOn ? `! Corepack is about to download ${url}\n` : '';
  const cat = npmCatalog();
  if (!cat) return out('', `${stderr}corepack: layerlab: no npm catalog is configured in this engine\n`, 1);
  const picked = await cat.pick(name, version);
  if (typeof picked === 'string' || picked.version !== version) {
    return out('', `${stderr}Internal Error: Server answered with HTTP 404 when performing the request to ${url}; ${TROUBLESHOOTING}\nlayerlab: the offline npm catalog has no version ${version} of ${name} (its list: ${NPM_CATALOG_NOTE_PATH}).\n`, 1);
  }
  const m = picked.meta;
  const actual = hash?.algo === 'sha1' ? m.shasum : sriHex(m);
  if (hash && (hash.algo === 'sha1' || hash.algo === 'sha512') && actual && hash.hex !== actual) {
    return out('', `${stderr}Internal Error: Mismatch hashes. Expected ${hash.hex}, got ${actual}\n`, 1);
  }
  const files = await cat.filesOf(name, version);
  const prefix = seedOf(`${name}@${version}/`);
  const entries: GraftEntry[] = files.files.map(([rel, size, mode]) => ({
    path: rel,
    type: 'file',
    mode: mode & 0o111 ? 0o755 : 0o644,
    content: rel === 'package.json' ? textContent(files.packageJson) : new SyntheticContent(size, seedOf(rel, prefix)),
  }));
  const algo = hash?.algo ?? 'sha512';
  entries.push({ path: '.corepack', type: 'file', mode: 0o644, content: textContent(JSON.stringify({ locator: { name, reference }, bin: CONFIG[name].bin(version), hash: `${algo}.${algo === 'sha1' ? m.shasum : sriHex(m)}` })) });
  io.countWrite(entries.reduce((n, e) => n + e.content!.size, 0));
  ensureDir(io, `${corepackHome(io)}/v1/${name}`);
  writeTree(io, folder, entries);
  io.simulateTime?.(Math.round(modelledSeconds(files.tarballSize, 1) * 1000));
  return { folder, version, stderr };
}

/** Resolves, installs and runs the package manager behind a shim (or `corepack NAME …`). */
export async function runThroughCorepack(io: CommandIO, bin: string, args: string[], implicit: boolean): Promise<CommandOutput> {
  const name = managerOf(bin);
  let reference: string;
  try {
    const project = projectSpec(io);
    if (project?.spec) {
      const spec = parseSpec(project.spec, project.path);
      if (spec.name !== name && io.env.get('COREPACK_ENABLE_STRICT') !== '0') throw new UsageError(`This project is configured to use ${spec.name} because ${project.path} has a "packageManager" field`);
      reference = spec.name === name ? spec.reference : await defaultReference(io, name);
    } else reference = await defaultReference(io, name);
  } catch (e) {
    if (e instanceof UsageError) return out('', `Usage Error: ${e.message}\n`, 1);
    throw e;
  }
  const inst = await ensureInstalled(io, name, reference, implicit);
  if (!('folder' in inst)) return inst;
  const binPath = `${inst.folder}/${CONFIG[name].bin(inst.version)[bin].replace(/^\.\//, '')}`;
  if (!exists(io, binPath)) {
    return out('', `${inst.stderr}node:internal/modules/cjs/loader\n  throw err;\n  ^\n\nError: Cannot find module '${binPath}'\n  code: 'MODULE_NOT_FOUND',\n  requireStack: []\n}\n\nNode.js v${io.env.get('NODE_VERSION') ?? '22'}\nlayerlab: corepack ${corepackVersion(io)} runs ${name} from bin/${name}.cjs, which ${name} ${inst.version} does not ship; pin a version corepack can run ("packageManager": "pnpm@10.34.9" in package.json).\n`, 1);
  }
  let r: CommandOutput;
  if (name === 'pnpm') r = bin === 'pnpx' ? out('', 'pnpx: layerlab: `pnpx` (pnpm dlx) downloads and runs a package, which is not modelled\n', 126) : await runPnpm(io, inst.version, args);
  else if (Number(inst.version.split('.')[0]) >= 2) r = out('', `yarn: layerlab: yarn ${inst.version} (berry) is not modelled; yarn 1 is\n`, 126);
  else r = await yarnClassic({ ...io, args });
  return { ...r, stderr: inst.stderr + r.stderr };
}

/** True when `io.program` (the command found on PATH) is one of corepack's shims. */
export function isCorepackShim(io: CommandIO): boolean {
  const p = io.program ?? `/usr/local/bin/${io.name}`;
  try {
    return io.fs.readlink(p).includes('corepack/dist/');
  } catch {
    return false;
  }
}

/** The `pnpm` and `pnpx` programs: corepack's shims, or pnpm installed with `npm install -g pnpm`. */
export async function pnpm(io: CommandIO): Promise<CommandOutput> {
  if (isCorepackShim(io)) return runThroughCorepack(io, io.name, io.args, true);
  const version = installedPnpmVersion(io);
  if (version && io.name === 'pnpm') return runPnpm(io, version, io.args);
  return out('', `${io.name}: cannot run ${io.program ?? io.name}: a program that layerlab does not simulate\n`, 126);
}

/** The `yarn` and `yarnpkg` programs: corepack's shims, else the image's own yarn 1. */
export async function yarn(io: CommandIO): Promise<CommandOutput> {
  if (isCorepackShim(io)) return runThroughCorepack(io, io.name, io.args, true);
  return yarnClassic(io);
}

function corepackVersion(io: CommandIO): string {
  return (readJson(io, '/usr/local/lib/node_modules/corepack/package.json') as { version?: string } | undefined)?.version ?? '0.34.0';
}

/** `corepack …` (node ≤ 24 images ship corepack). */
export async function corepack(io: CommandIO): Promise<CommandOutput> {
  const [cmd, ...rest] = io.args;
  if (cmd === '--version' || cmd === '-v') return out(`${corepackVersion(io)}\n`);
  const operands = rest.filter((a) => !a.startsWith('-'));
  if (cmd === 'enable' || cmd === 'disable') {
    const names = (operands.length ? operands : ['yarn', 'pnpm']).flatMap((n) => (n === 'yarn' ? ['yarn', 'yarnpkg'] : n === 'pnpm' ? ['pnpm', 'pnpx'] : [n]));
    const binDir = rest.find((a) => a.startsWith('--install-directory='))?.split('=')[1] ?? '/usr/local/bin';
    for (const n of names) {
      const link = `${binDir}/${n}`;
      if (cmd === 'enable') {
        if (exists(io, link)) io.fs.unlink(link);
        io.fs.symlink(`${COREPACK_DIST}/${n}.js`, link);
      } else {
        try {
          if (io.fs.readlink(link).includes('corepack/dist/')) io.fs.unlink(link);
        } catch {
          // not a link
        }
      }
    }
    return out('');
  }
  if (cmd === 'pnpm' || cmd === 'pnpx' || cmd === 'yarn' || cmd === 'yarnpkg') return runThroughCorepack(io, cmd, rest, false);
  if (cmd === 'prepare' || cmd === 'install' || cmd === 'use') {
    try {
      let specs = operands;
      if (!specs.length) {
        const project = projectSpec(io);
        if (!project) throw new UsageError("Couldn't find a project in the local directory - please specify the package manager to pack, or run this command from a valid project");
        if (!project.spec) throw new UsageError("The local project doesn't feature a 'packageManager' field - please specify the package manager to pack, or update the manifest to reference it");
        specs = [project.spec];
      }
      let stdout = '';
      let stderr = '';
      for (const raw of specs) {
        const at = raw.lastIndexOf('@');
        const name = (at > 0 ? raw.slice(0, at) : raw) as Manager;
        if (name !== 'pnpm' && name !== 'yarn') throw new UsageError(`Unsupported package manager specification (${name})`);
        const range = at > 0 ? raw.slice(at + 1) : 'latest';
        const cat = npmCatalog();
        const picked = cat && (await cat.pick(name, range.split('+')[0]));
        // resolveDescriptor: an exact version stays as written (hash included); a range or tag becomes the version it resolves to.
        let reference: string;
        if (/^\d+\.\d+\.\d+/.test(range)) reference = range;
        else if (picked && typeof picked !== 'string') reference = picked.version;
        else throw new UsageError(`Failed to successfully resolve '${range}' to a valid ${name} release`);
        const version = reference.split('+')[0];
        const activate = rest.includes('--activate') || cmd === 'install';
        if (cmd === 'prepare') stdout += activate ? `Preparing ${name}@${range} for immediate activation...\n` : `Preparing ${name}@${range}...\n`;
        else if (cmd === 'install') stdout += `Installing ${name}@${reference}...\n`;
        else stdout += `Installing ${name}@${reference} in the project...\n`;
        const inst = await ensureInstalled(io, name, reference, false);
        if (!('folder' in inst)) return { ...inst, stdout: stdout + inst.stdout };
        stderr += inst.stderr;
        if (activate) writeLastKnownGood(io, name, reference);
        if (cmd === 'use') {
          // `corepack use` writes packageManager (with the hash) and runs the manager's install.
          const pkgPath = resolvePath(io.cwd, 'package.json');
          const pkg = (readJson(io, pkgPath) as Record<string, unknown> | undefined) ?? {};
          pkg.packageManager = `${name}@${version}+sha512.${sriHex((picked && typeof picked !== 'string' && picked.version === version ? picked : (await cat!.pick(name, version)) as { meta: NpmVersion }).meta)}`;
          io.fs.writeFile(pkgPath, enc.encode(`${JSON.stringify(pkg, null, 2)}\n`));
          const r = name === 'pnpm' ? await runPnpm(io, version, ['install']) : await yarnClassic({ ...io, args: ['install'] });
          return { stdout: stdout + r.stdout, stderr: stderr + r.stderr, exitCode: r.exitCode };
        }
      }
      return out(stdout, stderr);
    } catch (e) {
      if (e instanceof UsageError) return out('', `Usage Error: ${e.message}\n`, 1);
      throw e;
    }
  }
  return out('', `layerlab: \`corepack ${cmd ?? ''}\` is not modelled (modelled: enable, disable, prepare, install -g, use, pnpm, yarn, --version)\n`, 1);
}
