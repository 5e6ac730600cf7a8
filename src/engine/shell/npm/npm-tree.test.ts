import { describe, expect, it } from 'vitest';
import { NpmCatalog, type NpmIndex, type NpmVersion } from './npm-catalog.ts';
import { buildTree, lockfile, platformOk } from './npm-tree.ts';

const v = (deps?: Record<string, string>, extra: Partial<NpmVersion> = {}): NpmVersion => ({ deps, integrity: 'sha512-AAAA', cacheIndex: '00', ...extra });
const INDEX: NpmIndex = {
  source: 'test', generated: 'now', roots: {},
  packages: {
    app: { latest: '1.0.0', versions: { '1.0.0': v({ debug: '^2.0.0', ms: '^2.1.0' }) } },
    debug: { latest: '4.0.0', versions: { '2.6.9': v({ ms: '2.0.0' }), '4.0.0': v({ ms: '^2.1.3' }) } },
    ms: { latest: '2.1.3', versions: { '2.0.0': v(), '2.1.2': v(), '2.1.3': v() } },
    tool: { latest: '1.0.0', versions: { '1.0.0': v(undefined, { optional: { 'bin-darwin': '1.0.0', 'bin-linux-musl': '1.0.0' } }) } },
    'bin-darwin': { latest: '1.0.0', versions: { '1.0.0': v(undefined, { os: ['darwin'] }) } },
    'bin-linux-musl': { latest: '1.0.0', versions: { '1.0.0': v(undefined, { os: ['linux'], cpu: ['x64'], libc: ['musl'] }) } },
  },
};
const catalog = () => new NpmCatalog(async () => new TextEncoder().encode(JSON.stringify(INDEX)));

describe('npm tree', () => {
  it('hoists, and nests a conflicting version under its dependent', async () => {
    const tree = await buildTree(catalog(), { dependencies: { debug: '^2.6.0', ms: '^2.1.0' } }, { libc: 'glibc' });
    expect([...tree.values()].map((n) => `${n.location}@${n.version}`)).toEqual([
      'node_modules/debug@2.6.9', 'node_modules/debug/node_modules/ms@2.0.0', 'node_modules/ms@2.1.3',
    ]);
  });

  it('dedupes a satisfying version and marks dev-only packages', async () => {
    const tree = await buildTree(catalog(), { dependencies: { ms: '^2.1.0' }, devDependencies: { debug: '^4.0.0' } }, { libc: 'glibc' });
    expect([...tree.values()].map((n) => `${n.location}@${n.version}${n.dev ? ' dev' : ''}`)).toEqual(['node_modules/debug@4.0.0 dev', 'node_modules/ms@2.1.3']);
    const lock = JSON.parse(lockfile({ name: 'x', version: '1.0.0', dependencies: { ms: '^2.1.0' } }, tree));
    expect(lock.lockfileVersion).toBe(3);
    expect(lock.packages['node_modules/debug'].dev).toBe(true);
    expect(lock.packages['node_modules/ms'].resolved).toBe('https://registry.npmjs.org/ms/-/ms-2.1.3.tgz');
  });

  it('keeps optional platform packages for linux/x64 and the image libc only', async () => {
    const musl = await buildTree(catalog(), { dependencies: { tool: '1' } }, { libc: 'musl' });
    expect([...musl.keys()]).toEqual(['node_modules/bin-linux-musl', 'node_modules/tool']);
    const gnu = await buildTree(catalog(), { dependencies: { tool: '1' } }, { libc: 'glibc' });
    expect([...gnu.keys()]).toEqual(['node_modules/tool']);
    expect(platformOk(v(undefined, { os: ['!win32'] }), 'glibc')).toBe(true);
  });

  it('reports a missing package or version', async () => {
    await expect(buildTree(catalog(), { dependencies: { nope: '1' } }, { libc: 'glibc' })).rejects.toMatchObject({ kind: 'no-package', pkg: 'nope' });
    await expect(buildTree(catalog(), { dependencies: { ms: '^9' } }, { libc: 'glibc' })).rejects.toMatchObject({ kind: 'no-version', pkg: 'ms' });
  });
});
