import { describe, expect, it } from 'vitest';
import { NpmCatalog, type NpmIndex, type NpmVersion } from './npm-catalog.ts';
import { buildTree } from './npm-tree.ts';
import { loadSemver } from './semver.ts';
import { depPathToFilename, graphFromTree, reachable, readPnpmLock, specifiersDiff, writePnpmLock } from './pnpm-lock.ts';

const v = (deps?: Record<string, string>, extra: Partial<NpmVersion> = {}): NpmVersion => ({ deps, integrity: 'sha512-AAAA', cacheIndex: '00', ...extra });
const INDEX: NpmIndex = {
  source: 'test', generated: 'now', roots: {},
  packages: {
    debug: { latest: '4.0.0', versions: { '2.6.9': v({ ms: '2.0.0' }), '4.0.0': v({ ms: '^2.1.3' }) } },
    ms: { latest: '2.1.3', versions: { '2.0.0': v(), '2.1.3': v(undefined, { engines: { node: '>= 0.6' } }) } },
    react: { latest: '18.3.1', versions: { '18.3.1': v() } },
    'react-dom': { latest: '18.3.1', versions: { '18.3.1': v(undefined, { peers: { react: '^18.3.1' }, bin: { rd: 'x.js' } }) } },
    '@scope/tool': { latest: '1.0.0', versions: { '1.0.0': v({ debug: '^2.6.0' }) } },
    lib: { latest: '1.0.0', versions: { '1.0.0': v(undefined, { optionalPeers: { opt: '*' } }) } },
    opt: { latest: '1.0.0', versions: { '1.0.0': v() } },
    user: { latest: '1.0.0', versions: { '1.0.0': v({ lib: '1.0.0', opt: '1.0.0' }) } },
    bare: { latest: '1.0.0', versions: { '1.0.0': v({ lib: '1.0.0', debug: '2.6.9' }) } },
  },
};
const catalog = () => new NpmCatalog(async () => new TextEncoder().encode(JSON.stringify(INDEX)));

describe('pnpm graph and lockfile', () => {
  it('builds each package\'s own edges from the npm tree, with a peer suffix, whatever npm hoisted', async () => {
    const root = { dependencies: { debug: '^4.0.0', '@scope/tool': '1.0.0', 'react-dom': '^18.0.0', react: '^18.0.0' } };
    const g = graphFromTree(await loadSemver(), root, await buildTree(catalog(), root, { libc: 'glibc' }));
    expect([...g.packages.keys()]).toEqual(['@scope/tool@1.0.0', 'debug@2.6.9', 'debug@4.0.0', 'ms@2.0.0', 'ms@2.1.3', 'react-dom@18.3.1(react@18.3.1)', 'react@18.3.1']);
    // npm nested debug@2.6.9 (and its ms@2.0.0) under @scope/tool; pnpm's edges follow the dependency, not the folder.
    expect(Object.fromEntries(g.packages.get('@scope/tool@1.0.0')!.deps)).toEqual({ debug: 'debug@2.6.9' });
    expect(Object.fromEntries(g.packages.get('debug@2.6.9')!.deps)).toEqual({ ms: 'ms@2.0.0' });
    expect(Object.fromEntries(g.packages.get('react-dom@18.3.1(react@18.3.1)')!.deps)).toEqual({ react: 'react@18.3.1' });
    const lock = writePnpmLock(g);
    expect(lock).toContain("importers:\n\n  .:\n    dependencies:\n      '@scope/tool':\n        specifier: 1.0.0\n        version: 1.0.0\n      debug:\n        specifier: ^4.0.0\n        version: 4.0.0\n");
    expect(lock).toContain("      react-dom:\n        specifier: ^18.0.0\n        version: 18.3.1(react@18.3.1)\n");
    expect(lock).toContain("  ms@2.1.3:\n    resolution: {integrity: sha512-AAAA}\n    engines: {node: '>= 0.6'}\n");
    expect(lock).toContain('  react-dom@18.3.1:\n    resolution: {integrity: sha512-AAAA}\n    hasBin: true\n    peerDependencies:\n      react: ^18.3.1\n');
    expect(lock).toContain('  react-dom@18.3.1(react@18.3.1):\n    dependencies:\n      react: 18.3.1\n');
    expect(lock).toContain('  ms@2.0.0: {}\n');
    // Read back: the same graph, the same text.
    const again = await readPnpmLock(catalog(), lock);
    if ('missing' in again) throw new Error('missing');
    expect(writePnpmLock(again)).toBe(lock);
    expect(specifiersDiff(again, root)).toBeUndefined();
    expect(specifiersDiff(again, { ...root, dependencies: { ...root.dependencies, debug: '^2.0.0', extra: '1' } })).toBe('* 1 dependencies were added: extra@1\n* 1 dependencies are mismatched:\n  - debug (lockfile: ^4.0.0, manifest: ^2.0.0)\n');
  });

  it('optional peers: provided only by a dependent that depends on them, listed as optional dependencies, and in transitivePeerDependencies above', async () => {
    const root = { dependencies: { user: '1.0.0', bare: '1.0.0' } };
    const lock = writePnpmLock(graphFromTree(await loadSemver(), root, await buildTree(catalog(), root, { libc: 'glibc' })));
    // debug@<4.2.0 gains the optional peer supports-color from @yarnpkg/extensions, as in pnpm.
    expect(lock).toContain("  debug@2.6.9:\n    resolution: {integrity: sha512-AAAA}\n    peerDependencies:\n      supports-color: '*'\n    peerDependenciesMeta:\n      supports-color:\n        optional: true\n");
    expect(lock).toContain("  lib@1.0.0:\n    resolution: {integrity: sha512-AAAA}\n    peerDependencies:\n      opt: '*'\n    peerDependenciesMeta:\n      opt:\n        optional: true\n");
    expect(lock).toContain('  lib@1.0.0(opt@1.0.0):\n    optionalDependencies:\n      opt: 1.0.0\n');
    expect(lock).toContain('  user@1.0.0:\n    dependencies:\n      lib: 1.0.0(opt@1.0.0)\n      opt: 1.0.0\n');
    expect(lock).toContain('  bare@1.0.0:\n    dependencies:\n      debug: 2.6.9\n      lib: 1.0.0(opt@1.0.0)\n    transitivePeerDependencies:\n      - opt\n      - supports-color\n');
  });

  it('tells dev-only packages apart for --prod, and names a lockfile version the catalog lacks', async () => {
    const root = { dependencies: { ms: '^2.1.0' }, devDependencies: { debug: '2.6.9' } };
    const g = graphFromTree(await loadSemver(), root, await buildTree(catalog(), root, { libc: 'glibc' }));
    expect([...reachable(g, { prod: true })]).toEqual(['ms@2.1.3']);
    expect([...reachable(g)].sort()).toEqual(['debug@2.6.9', 'ms@2.0.0', 'ms@2.1.3']);
    const r = await readPnpmLock(catalog(), writePnpmLock(g).replace(/ms@2\.1\.3/g, 'ms@9.9.9').replace('version: 2.1.3', 'version: 9.9.9'));
    expect(r).toEqual({ missing: 'ms@9.9.9' });
  });

  it('reads a lockfile written on another platform: packages for other systems need no catalog entry and are not selected for linux', async () => {
    const root = { dependencies: { ms: '^2.1.0' } };
    const g = graphFromTree(await loadSemver(), root, await buildTree(catalog(), root, { libc: 'glibc' }));
    const foreign = writePnpmLock(g)
      .replace('packages:\n', "packages:\n\n  fsevents@2.3.3:\n    resolution: {integrity: sha512-BBBB}\n    engines: {node: ^8.16.0 || ^10.6.0 || >=11.0.0}\n    os: [darwin]\n")
      .replace('snapshots:\n', 'snapshots:\n\n  fsevents@2.3.3:\n    optional: true\n')
      .replace("  ms@2.1.3: {}\n", "  ms@2.1.3:\n    optionalDependencies:\n      fsevents: 2.3.3\n");
    const back = await readPnpmLock(catalog(), foreign);
    if ('missing' in back) throw new Error(back.missing);
    expect(back.packages.get('fsevents@2.3.3')!.meta.os).toEqual(['darwin']);
    expect([...reachable(back)].sort()).toEqual(['fsevents@2.3.3', 'ms@2.1.3']);
    // A package for linux that the catalog lacks is still an error.
    expect(await readPnpmLock(catalog(), foreign.replace(/os: \[darwin\]/, 'os: [linux]'))).toEqual({ missing: 'fsevents@2.3.3' });
  });

  it('names .pnpm folders as depPathToFilename does', () => {
    expect(depPathToFilename('@babel/core@7.26.0')).toBe('@babel+core@7.26.0');
    expect(depPathToFilename('react-dom@18.3.1(react@18.3.1)')).toBe('react-dom@18.3.1_react@18.3.1');
    expect(depPathToFilename('a@1.0.0(b@1.0.0)(c@2.0.0)')).toBe('a@1.0.0_b@1.0.0_c@2.0.0');
    const long = depPathToFilename(`x@1.0.0(${'y'.repeat(150)}@1.0.0)`);
    expect(long).toHaveLength(120);
    expect(long).toMatch(/_[0-9a-f]{32}$/);
  });


});
