/**
 * pnpm's store and the files it keeps about an install: where the store is (`store path`), `store
 * prune`, node_modules/.modules.yaml and .pnpm-workspace-state-v1.json.
 */
import type { CommandIO, CommandOutput } from './command.ts';
import { exists, home, readJson } from './npm.ts';
import { b64ToHex } from './npm.ts';
import type { LayoutResult } from './pnpm-layout.ts';
import type { DepField } from '../npm/pnpm-lock.ts';

const out = (stdout: string, stderr = '', exitCode = 0): CommandOutput => ({ stdout, stderr, exitCode });

/** The store pnpm uses: `store-dir` from the environment, else $PNPM_HOME/store, else ~/.local/share/pnpm/store; `/v10` (pnpm 10) or `/v3` (pnpm 9) under it. */
export function storeDirOf(io: CommandIO, version: string): string {
  const v = Number(version.split('.')[0]) >= 10 ? 'v10' : 'v3';
  const explicit = io.env.get('npm_config_store_dir') || io.env.get('NPM_CONFIG_STORE_DIR');
  if (explicit) return `${explicit.replace(/\/$/, '')}/${v}`;
  const pnpmHome = io.env.get('PNPM_HOME');
  const data = pnpmHome || `${io.env.get('XDG_DATA_HOME') || `${home(io)}/.local/share`}/pnpm`;
  return `${data}/store/${v}`;
}

/** node_modules/.modules.yaml: pnpm 10 writes it with JSON.stringify (JSON is YAML); keys in the order pnpm 10.34.9 wrote them here. */
export function modulesYaml(io: CommandIO, version: string, storeDir: string, fields: DepField[], r: LayoutResult, ignored: string[], skipped: string[] = []): string {
  const hoistedDependencies: Record<string, Record<string, string>> = {};
  for (const [depPath, alias] of r.hoisted) hoistedDependencies[depPath] = { [alias]: 'private' };
  const ten = Number(version.split('.')[0]) >= 10;
  return JSON.stringify({
    hoistedDependencies,
    hoistPattern: ['*'],
    included: { dependencies: fields.includes('dependencies'), devDependencies: fields.includes('devDependencies'), optionalDependencies: fields.includes('optionalDependencies') },
    ignoredBuilds: ten && ignored.length ? ignored : undefined,
    injectedDeps: {},
    layoutVersion: 5,
    nodeLinker: 'isolated',
    packageManager: `pnpm@${version}`,
    pendingBuilds: [],
    publicHoistPattern: [],
    prunedAt: new Date(io.now() * 1000).toUTCString(),
    registries: { default: 'https://registry.npmjs.org/', '@jsr': 'https://npm.jsr.io/' },
    // Optional packages for another platform: in the lockfile, not installed.
    skipped,
    storeDir,
    virtualStoreDir: '.pnpm',
    virtualStoreDirMaxLength: 120,
  }, null, 2);
}

/** node_modules/.pnpm-workspace-state-v1.json (pnpm 10): the settings the install ran with, so `pnpm run` can tell whether node_modules is current. */
export function workspaceState(io: CommandIO, f: { prod: boolean; noOptional: boolean; devOnly: boolean }): string {
  return JSON.stringify({
    lastValidatedTimestamp: Math.floor(io.now() * 1000),
    projects: {},
    pnpmfiles: [],
    settings: {
      autoInstallPeers: true, dedupeDirectDeps: false, dedupeInjectedDeps: true, dedupePeerDependents: true, dedupePeers: false,
      dev: !f.prod, excludeLinksFromLockfile: false, hoistPattern: ['*'], hoistWorkspacePackages: true, injectWorkspacePackages: false,
      linkWorkspacePackages: false, nodeLinker: 'isolated', optional: !f.noOptional, peersSuffixMaxLength: 1000, preferWorkspacePackages: false,
      production: !f.devOnly, publicHoistPattern: [],
    },
    filteredInstall: false,
  }, null, 2);
}

export async function store(io: CommandIO, version: string, args: string[]): Promise<CommandOutput> {
  const dir = storeDirOf(io, version);
  if (args[0] === 'path') return out(`${dir}\n`);
  if (args[0] === 'prune') {
    // Files no project links to any more (one name left: the store's) go, and the packages whose index names them.
    let files = 0;
    let pkgs = 0;
    const indexDir = `${dir}/index`;
    const lines = ['Removed all cached metadata files'];
    const cache = `${io.env.get('XDG_CACHE_HOME') || `${home(io)}/.cache`}/pnpm/metadata-v1.3`;
    if (exists(io, cache)) io.fs.rm(cache, { recursive: true, force: true });
    if (exists(io, `${dir}/files`)) {
      for (const a of io.fs.readdir(`${dir}/files`)) {
        for (const b of io.fs.readdir(`${dir}/files/${a}`)) {
          const p = `${dir}/files/${a}/${b}`;
          if ((io.fs.lstat(p).nlink ?? 1) <= 1) { io.fs.unlink(p); files++; }
        }
      }
    }
    lines.push(`Removed ${files} file${files === 1 ? '' : 's'}`);
    if (exists(io, indexDir)) {
      for (const a of io.fs.readdir(indexDir)) {
        for (const b of io.fs.readdir(`${indexDir}/${a}`)) {
          const p = `${indexDir}/${a}/${b}`;
          if (files && !storeFilesOf(io, p).some((f) => exists(io, `${dir}/${f}`))) { io.fs.unlink(p); pkgs++; }
        }
      }
    }
    lines.push(`Removed ${pkgs} package${pkgs === 1 ? '' : 's'}`);
    return out(lines.join('\n') + '\n');
  }
  return out('', `pnpm: layerlab: \`pnpm store ${args[0] ?? ''}\` is not modelled (modelled: path, prune)\n`, 1);
}

/** The store files an index file lists (pnpm's getFilePathByModeInCafs: each file's integrity in hex, `-exec` for executables). */
function storeFilesOf(io: CommandIO, indexPath: string): string[] {
  const idx = readJson(io, indexPath) as { files?: Record<string, { integrity: string; mode: number }> } | undefined;
  return Object.values(idx?.files ?? {}).map((f) => {
    const hex = b64ToHex(f.integrity.replace(/^sha512-/, ''));
    return `files/${hex.slice(0, 2)}/${hex.slice(2)}${f.mode & 0o111 ? '-exec' : ''}`;
  });
}
