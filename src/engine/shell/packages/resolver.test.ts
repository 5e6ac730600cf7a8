import { describe, expect, it } from 'vitest';
import { AptCatalog } from './apt-catalog.ts';
import { planInstall, ResolveError } from './resolver.ts';
import { PathFilter, parseStatus, formatStatus } from './dpkg-db.ts';
import { sizeToStr } from './apt-system.ts';
import { showList } from './apt-transaction.ts';

// Rows in index.json's column order (package, version, architecture, multiArch, priority, section,
// essential, installedSize, size, suite, filename, preDepends, depends, recommends, suggests, provides, …).
const row = (name: string, f: { depends?: string; recommends?: string; provides?: string; suggests?: string; preDepends?: string } = {}) =>
  [name, '1.0-1', 'amd64', '', 'optional', 'misc', 0, 100, 1000, 'bookworm', `pool/${name}.deb`, f.preDepends ?? '', f.depends ?? '', f.recommends ?? '', f.suggests ?? '', f.provides ?? '', '', '', '', name, '', ''];

const cat = new AptCatalog('test', [], '', [
  row('app', { depends: 'libc6 (>= 2.34), mail-transport-agent | exim4, awk', recommends: 'ca-certificates', suggests: 'app-doc' }),
  row('libc6'),
  row('postfix', { provides: 'mail-transport-agent' }),
  row('exim4'),
  row('mawk', { provides: 'awk' }),
  row('ca-certificates', { depends: 'openssl' }),
  row('openssl'),
], async () => new Uint8Array());

describe('planInstall', () => {
  it('follows Depends, takes the first existing alternative, a virtual name by its provider, and Recommends', () => {
    const plan = planInstall(cat, new Set(), [{ name: 'app' }]);
    expect(plan.install.map((p) => p.name)).toEqual(['libc6', 'postfix', 'mawk', 'openssl', 'ca-certificates', 'app']);
    expect([...plan.auto].sort()).toEqual(['ca-certificates', 'libc6', 'mawk', 'openssl', 'postfix']);
    expect(plan.suggested).toEqual(['app-doc']);
  });
  it('skips what is installed and leaves Recommends out with --no-install-recommends', () => {
    const plan = planInstall(cat, new Set(['libc6', 'exim4', 'mawk']), [{ name: 'app' }], { noRecommends: true });
    expect(plan.install.map((p) => p.name)).toEqual(['app']);
    expect(plan.recommended).toEqual(['ca-certificates']);
  });
  it('reports unknown packages and versions as apt does', () => {
    expect(() => planInstall(cat, new Set(), [{ name: 'nope' }])).toThrow(new ResolveError('Unable to locate package nope', 'unknown-package', 'nope'));
    expect(() => planInstall(cat, new Set(), [{ name: 'app', version: '9' }])).toThrow("Version '9' for 'app' was not found");
  });
});

describe('dpkg database and apt formatting', () => {
  it('keeps status stanzas sorted by name', () => {
    const db = parseStatus('Package: zlib1g\nStatus: install ok installed\nVersion: 1\n\nPackage: bash\nStatus: install ok installed\nVersion: 5\n');
    expect(formatStatus(db)).toBe('Package: bash\nStatus: install ok installed\nVersion: 5\n\nPackage: zlib1g\nStatus: install ok installed\nVersion: 1\n');
  });
  it('applies path-exclude/include with the last match deciding, * crossing /', () => {
    const f = new PathFilter([
      { include: false, re: /^\/usr\/share\/doc\/.*$/ },
      { include: true, re: /^\/usr\/share\/doc\/.*\/copyright$/ },
    ]);
    expect(f.excludes('/usr/share/doc/curl/changelog.gz')).toBe(true);
    expect(f.excludes('/usr/share/doc/curl/copyright')).toBe(false);
    expect(f.excludes('/usr/bin/curl')).toBe(false);
  });
  it("formats sizes like apt's SizeToStr", () => {
    expect([6924, 55403, 151075, 8790396, 33.5e6].map(sizeToStr)).toEqual(['6924 B', '55.4 kB', '151 kB', '8790 kB', '33.5 MB']);
  });
  it('wraps package lists like apt', () => {
    expect(showList(['a'.repeat(40), 'b'.repeat(40)])).toEqual(['  ' + 'a'.repeat(40), '  ' + 'b'.repeat(40)]);
  });
});
