import { describe, expect, it } from 'vitest';
import type { LayerChange } from '../../worker/api.ts';
import { changeKind, visibleChanges } from './inspector.svelte.ts';

const c = (path: string, marker: LayerChange['marker'], size = 0, extra: Partial<LayerChange> = {}): LayerChange => ({
  path, marker, type: marker === 'x' ? 'whiteout' : marker === '→' ? 'symlink' : 'file', replaces: false, size, mode: 0o644, uid: 0, gid: 0, ...extra,
});

describe('inspector change list', () => {
  const all = [
    c('/etc', '~', 0, { type: 'dir', replaces: true }),
    c('/etc/motd', 'x', 0, { replaces: true, lowerSize: 50 }),
    c('/etc/passwd', '~', 1300, { replaces: true, lowerSize: 1200 }),
    c('/bin/sh', '→', 12),
    c('/lib/link', '⇄', 0, { type: 'hardlink', replaces: true }),
    c('/app/big.bin', '+', 10_000_000),
  ];
  it('classifies markers for the filters', () => {
    expect(all.map(changeKind)).toEqual(['modified', 'removed', 'modified', 'added', 'modified', 'added']);
  });
  it('filters, searches and sorts by size (a whiteout by the bytes it hides)', () => {
    expect(visibleChanges(all, 'modified', 'name', '').map((x) => x.path)).toEqual(['/etc/passwd', '/lib/link']);
    expect(visibleChanges(all, 'all', 'name', 'ETC').map((x) => x.path)).toEqual(['/etc', '/etc/motd', '/etc/passwd']);
    expect(visibleChanges(all, 'all', 'size', '').map((x) => x.path).slice(0, 3)).toEqual(['/app/big.bin', '/etc/passwd', '/etc/motd']);
    expect(visibleChanges(all, 'removed', 'name', '').map((x) => x.path)).toEqual(['/etc/motd']);
  });
});
