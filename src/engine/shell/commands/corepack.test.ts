import { describe, expect, it } from 'vitest';
import { createShell } from '../shell.ts';
import { makeRootfs } from '../test-support.ts';
import type { ShellFs } from '../types.ts';
import { configureNpmCatalog, type NpmIndex, type NpmVersion } from '../npm/npm-catalog.ts';

const enc = new TextEncoder();
const hex = (n: number) => n.toString(16).padStart(2, '0').repeat(64);
const b64 = (h: string) => {
  let bin = '';
  for (let i = 0; i < h.length; i += 2) bin += String.fromCharCode(parseInt(h.slice(i, i + 2), 16));
  return btoa(bin);
};
const version = (n: number): NpmVersion => ({ integrity: `sha512-${b64(hex(n))}`, shasum: hex(n).slice(0, 40), cacheIndex: '00' });
const INDEX: NpmIndex = {
  source: 'test', generated: 'now', roots: {},
  // A synthetic registry: pnpm 10.1.0 ships bin/pnpm.cjs, 12.0.0 (the latest) only bin/pnpm.mjs.
  packages: { pnpm: { latest: '12.0.0', versions: { '10.1.0': version(1), '12.0.0': version(2) } } },
};
const FILES: Record<string, { files: [string, number, number][] }> = {
  'pnpm@10.1.0': { files: [['bin/pnpm.cjs', 1102, 0o755], ['bin/pnpx.cjs', 122, 0o755], ['dist/pnpm.cjs', 5000, 0o644], ['package.json', 0, 0o644]] },
  'pnpm@12.0.0': { files: [['bin/pnpm.mjs', 900, 0o755], ['package.json', 0, 0o644]] },
};
configureNpmCatalog(async (p) => {
  if (p === 'catalog/npm/index.json') return enc.encode(JSON.stringify(INDEX));
  const m = /files\/(.*)\.json$/.exec(p);
  const f = m && FILES[m[1]];
  if (!f) throw new Error(`no asset ${p}`);
  const [name, v] = m[1].split('@');
  return enc.encode(JSON.stringify({ name, version: v, tarballSize: 4000, packageJson: JSON.stringify({ name, version: v }), files: f.files }));
});

function setup(pkg?: object) {
  const fs = makeRootfs('alpine') as unknown as ShellFs;
  fs.mkdir('/app', { recursive: true });
  // corepack as the node images install it: its dist scripts, and the corepack link on PATH.
  const dist = '/usr/local/lib/node_modules/corepack/dist';
  fs.mkdir(dist, { recursive: true });
  for (const n of ['corepack', 'pnpm', 'pnpx', 'yarn', 'yarnpkg']) fs.writeFile(`${dist}/${n}.js`, enc.encode('#!/usr/bin/env node\n'), { mode: 0o755 });
  fs.mkdir('/usr/local/bin', { recursive: true });
  fs.writeFile('/usr/local/bin/node', enc.encode('\x7fELF\x02\x01\x01\0'), { mode: 0o755 });
  fs.symlink('../lib/node_modules/corepack/dist/corepack.js', '/usr/local/bin/corepack');
  if (pkg) fs.writeFile('/app/package.json', enc.encode(JSON.stringify(pkg)));
  const sh = createShell({ fs, now: () => 1_700_000_000 });
  const env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', NODE_VERSION: '22.1.0' };
  return { fs, run: (script: string, extra: Record<string, string> = {}) => sh.run(script, { env: { ...env, ...extra }, cwd: '/app' }) };
}

describe('corepack (model)', () => {
  it('a shim installs the packageManager version into $COREPACK_HOME/v1 and runs it, saying so on stderr first', async () => {
    const { fs, run } = setup({ name: 'x', packageManager: `pnpm@10.1.0+sha512.${hex(1)}` });
    expect((await run('corepack enable')).exitCode).toBe(0);
    expect(fs.readlink('/usr/local/bin/pnpm')).toBe('../lib/node_modules/corepack/dist/pnpm.js');
    const r = await run('pnpm --version', { COREPACK_HOME: '/cp' });
    expect(r.stdout).toBe('10.1.0\n');
    expect(r.stderr).toBe('! Corepack is about to download https://registry.npmjs.org/pnpm/-/pnpm-10.1.0.tgz\n');
    expect(fs.readdir('/cp/v1/pnpm/10.1.0').sort()).toEqual(['.corepack', 'bin', 'dist', 'package.json']);
    expect(JSON.parse(new TextDecoder().decode(fs.readFile('/cp/v1/pnpm/10.1.0/.corepack')))).toEqual({ locator: { name: 'pnpm', reference: `10.1.0+sha512.${hex(1)}` }, bin: { pnpm: './bin/pnpm.cjs', pnpx: './bin/pnpx.cjs' }, hash: `sha512.${hex(1)}` });
    // Installed once: the second run reuses it without a prompt.
    expect((await run('pnpm --version', { COREPACK_HOME: '/cp' })).stderr).toBe('');
  });

  it('without packageManager: the registry\'s latest, recorded in lastKnownGood.json, which corepack 0.34 cannot start; COREPACK_DEFAULT_TO_LATEST=0 takes its built-in default', async () => {
    const { fs, run } = setup({ name: 'x' });
    await run('corepack enable pnpm');
    const r = await run('pnpm install');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: Cannot find module '/root/.cache/node/corepack/v1/pnpm/12.0.0/bin/pnpm.cjs'\n  code: 'MODULE_NOT_FOUND',");
    expect(JSON.parse(new TextDecoder().decode(fs.readFile('/root/.cache/node/corepack/lastKnownGood.json')))).toEqual({ pnpm: `12.0.0+sha512.${hex(2)}` });
    const d = setup({ name: 'x' });
    await d.run('corepack enable pnpm');
    const old = await d.run('pnpm --version', { COREPACK_DEFAULT_TO_LATEST: '0' });
    expect(old.exitCode).toBe(1);
    expect(old.stderr).toContain('Internal Error: Server answered with HTTP 404 when performing the request to https://registry.npmjs.org/pnpm/-/pnpm-10.13.1.tgz;');
    expect(old.stderr).toContain('layerlab: the offline npm catalog has no version 10.13.1 of pnpm');
  });

  it('refuses a range in packageManager and a pnpm that is not a shim stays unsimulated', async () => {
    const { run } = setup({ name: 'x', packageManager: 'pnpm@^10' });
    await run('corepack enable');
    const r = await run('pnpm install');
    expect(r.stderr).toBe('Usage Error: Invalid package manager specification in /app/package.json (pnpm@^10); expected a semver version\n');
    await run('corepack disable');
    expect((await run('pnpm --version')).exitCode).not.toBe(0);
  });
});
