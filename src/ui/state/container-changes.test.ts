import { describe, expect, it } from 'vitest';
import { applyUnionEvents, changesFromDiff, diffLines, hiddenLowerFiles, sortedChanges, type ContainerChange } from './container-changes.ts';

describe('container changes', () => {
  it('folds creations, copy-ups, whiteouts and opaque directories into markers', () => {
    const map = applyUnionEvents(new Map<string, ContainerChange>(), [
      { type: 'created', path: '/new.txt', inodeType: 'file', size: 3 },
      { type: 'copied-up', path: '/etc', inodeType: 'dir', bytes: 0, fromLayer: 0 },
      { type: 'copied-up', path: '/etc/passwd', inodeType: 'file', bytes: 1200, fromLayer: 0 },
      { type: 'modified', path: '/etc/passwd', size: 1202 },
      { type: 'whited-out', path: '/etc/motd', hidden: { inodeType: 'file', size: 280, fromLayer: 0 } },
      { type: 'whited-out', path: '/etc/apk', hidden: { inodeType: 'dir', size: 0, fromLayer: 0 } },
      { type: 'made-opaque', path: '/etc/apk' },
    ]);
    const rows = sortedChanges(map);
    expect(rows.map((r) => `${r.marker} ${r.path}`)).toEqual(['~ /etc', '▦ /etc/apk', 'x /etc/motd', '~ /etc/passwd', '+ /new.txt']);
    expect(map.get('/etc/passwd')).toMatchObject({ copiedUp: 1200, size: 1202, fromLayer: 0 });
    expect(map.get('/etc/motd')).toMatchObject({ size: 280 });
  });

  it('gives a written file its new size in a new row object', () => {
    const map = applyUnionEvents(new Map<string, ContainerChange>(), [{ type: 'created', path: '/new.txt', inodeType: 'file', size: 0 }]);
    const before = map.get('/new.txt');
    applyUnionEvents(map, [{ type: 'modified', path: '/new.txt', size: 3 }]);
    expect(map.get('/new.txt')).toMatchObject({ marker: '+', size: 3 });
    expect(map.get('/new.txt')).not.toBe(before);
  });

  it('forgets an upper-only entry once it is removed, children included', () => {
    const map = applyUnionEvents(new Map<string, ContainerChange>(), [
      { type: 'created', path: '/d', inodeType: 'dir', size: 0 },
      { type: 'created', path: '/d/f', inodeType: 'file', size: 1 },
      { type: 'removed', path: '/d', inodeType: 'dir' },
    ]);
    expect(map.size).toBe(0);
  });

  it('reads docker diff as rows and lines', () => {
    const diff = [{ kind: 'A' as const, path: '/new.txt' }, { kind: 'D' as const, path: '/etc/motd' }];
    expect(sortedChanges(changesFromDiff(diff)).map((r) => r.marker)).toEqual(['x', '+']);
    expect(diffLines(diff)).toEqual(['A /new.txt', 'D /etc/motd']);
  });

  it('lists the lower files containers deleted or covered under the layer they stay in, naming every container', () => {
    const fold = (events: Parameters<typeof applyUnionEvents>[1]) => sortedChanges(applyUnionEvents(new Map(), events));
    const a = fold([
      { type: 'whited-out', path: '/etc/motd', hidden: { inodeType: 'file', size: 280, fromLayer: 0 } },
      { type: 'whited-out', path: '/app/big.bin', hidden: { inodeType: 'file', size: 5_000_000, fromLayer: 2 } },
      { type: 'created', path: '/new.txt', inodeType: 'file', size: 3 },
      { type: 'copied-up', path: '/etc/passwd', inodeType: 'file', bytes: 1200, fromLayer: 0 },
    ]);
    const b = fold([
      { type: 'whited-out', path: '/etc/motd', hidden: { inodeType: 'file', size: 280, fromLayer: 0 } },
      { type: 'whited-out', path: '/etc/apk', hidden: { inodeType: 'dir', size: 0, fromLayer: 0 } },
      { type: 'created', path: '/etc/apk', inodeType: 'dir', size: 0 },
    ]);
    const reloaded = sortedChanges(changesFromDiff([{ kind: 'D', path: '/etc/hostname' }]));
    const hidden = hiddenLowerFiles([{ name: 'c1', changes: a }, { name: 'c2', changes: b }, { name: 'c3', changes: reloaded }]);
    expect([...hidden.keys()].sort()).toEqual([0, 2]);
    expect(hidden.get(0)).toEqual([
      { path: '/etc/apk', size: 0, dir: true, marker: '▦', by: ['c2'] },
      { path: '/etc/motd', size: 280, dir: false, marker: 'x', by: ['c1', 'c2'] },
    ]);
    expect(hidden.get(2)).toEqual([{ path: '/app/big.bin', size: 5_000_000, dir: false, marker: 'x', by: ['c1'] }]);
  });

  it('a lower file deleted and made again (docker cp replacing it) is ~ replaced, with nothing copied up', () => {
    const map = applyUnionEvents(new Map<string, ContainerChange>(), [
      { type: 'whited-out', path: '/etc/alpine-release', hidden: { inodeType: 'file', size: 7, fromLayer: 0 } },
      { type: 'created', path: '/etc/alpine-release', inodeType: 'file', size: 0 },
      { type: 'modified', path: '/etc/alpine-release', size: 9 },
    ]);
    expect(map.get('/etc/alpine-release')).toEqual({ path: '/etc/alpine-release', marker: '~', size: 9, fromLayer: 0, replaced: 7 });
  });
});
