/**
 * ADD follows Docker and the limits (issue 14): a recognised archive (a tar, or a gzip/zstd
 * stream whose content starts with a tar header) is extracted; a compressed file that is not a
 * tar, or a corrupt stream, is copied as it is; a recognised archive past the filesystem quota
 * is an error naming `maxFsBytes`, never a silent copy.
 */
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'fflate';
import { LayerlabError } from '../src/engine/errors.ts';
import { packEntries } from '../src/engine/image/tar.ts';
import { createEngine } from '../src/engine/index.ts';
import { testHost } from './helpers.ts';

const localEngine = () => createEngine(testHost());

const enc = (s: string) => new TextEncoder().encode(s);
const file = (path: string, content: Uint8Array) => ({ path, type: 'file' as const, mode: 0o644, content });

async function listing(dockerfile: string, files: ReturnType<typeof file>[], limits?: { maxFsBytes: number }) {
  const engine = localEngine();
  await engine.builds.build({ dockerfile, files, tags: ['t:1'], limits });
  const store = await engine.store();
  const trees = await store.imageLayerTrees('t:1');
  return trees.flatMap((t) => [...t.walk()].map(([p, e]) => `${p}${'type' in e && e.type === 'file' ? ` ${e.size}` : ''}`));
}

describe('ADD of archives', () => {
  it('extracts a gzip tar and copies a gzip that holds no tar as it is', async () => {
    const tar = await packEntries([{ path: 'pkg/a.txt', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 1, data: enc('hello\n') }]);
    const got = await listing('FROM scratch\nADD vendor.tar.gz /opt/\nADD notes.gz /opt/\n', [file('vendor.tar.gz', gzipSync(tar)), file('notes.gz', gzipSync(enc('just text, not a tar\n')))]);
    expect(got).toContain('/opt/pkg/a.txt 6');
    expect(got.some((l) => l.startsWith('/opt/notes.gz '))).toBe(true);
  });

  it('refuses a gzip bomb past the filesystem quota, naming the limit and how to raise it', async () => {
    // 8 MiB of zeros inside a tar compresses to a few kB; the quota here is 1 MiB.
    const tar = await packEntries([{ path: 'zeros', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 1, data: new Uint8Array(8 * 1024 * 1024) }]);
    const bomb = gzipSync(tar);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const err = await listing('FROM scratch\nADD bomb.tar.gz /opt/\n', [file('bomb.tar.gz', bomb)], { maxFsBytes: 1024 * 1024 }).catch((e) => e);
    expect(err).toBeInstanceOf(LayerlabError);
    expect(err.message).toMatch(/filesystem quota \(maxFsBytes = 1048576 bytes\): ADD bomb\.tar\.gz: the archive extracts to more than the filesystem quota; .*raise `limits\.maxFsBytes` in the build request/);
    expect(err.range?.start.line).toBe(2);
  });
});

describe('COPY through a symlink loop', () => {
  it('from another stage fails with ELOOP, not "not found"', async () => {
    const engine = localEngine();
    const files = [
      { path: 'a', type: 'symlink' as const, mode: 0o777, target: 'b' },
      { path: 'b', type: 'symlink' as const, mode: 0o777, target: 'a' },
    ];
    const err = await engine.builds.build({ dockerfile: 'FROM scratch AS loop\nCOPY a b /\nFROM scratch\nCOPY --from=loop /a/x /x\n', files }).catch((e) => e);
    expect(err).toBeInstanceOf(LayerlabError);
    expect(err.message).toMatch(/Too many levels of symbolic links/);
    expect(err.range?.start.line).toBe(4);
  });
});
