import { describe, expect, it } from 'vitest';
import { MemoryPersistence } from './host.ts';
import { PrefixedPersistence } from './prefixed-persistence.ts';

describe('PrefixedPersistence', () => {
  it('keeps its keys under the prefix, apart from the base store and from other prefixes', async () => {
    const base = new MemoryPersistence();
    await base.put('index.json', new Uint8Array([1]));
    const second = new PrefixedPersistence(base, 'machines/second/');
    const third = new PrefixedPersistence(base, 'machines/third/');
    await second.put('index.json', new Uint8Array([2]));
    await second.put('blobs/sha256/ab', new Uint8Array([3]));
    expect(await second.get('index.json')).toEqual(new Uint8Array([2]));
    expect(await base.get('index.json')).toEqual(new Uint8Array([1]));
    expect(await third.get('index.json')).toBeUndefined();
    expect((await second.list('')).sort()).toEqual(['blobs/sha256/ab', 'index.json']);
    expect(await base.list('blobs/')).toEqual([]);
    expect([...base.files.keys()].sort()).toEqual(['index.json', 'machines/second/blobs/sha256/ab', 'machines/second/index.json']);
    await second.delete('index.json');
    expect(await second.list('')).toEqual(['blobs/sha256/ab']);
    expect(() => new PrefixedPersistence(base, 'no-slash')).toThrow(/ends with/);
  });
});
