import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apkGeneration, humanSize, humanSizeV3, indexCachePath, indexUrl, type InstalledRecord } from './apk-db.ts';

const record = (name: string, version: string): InstalledRecord => ({ name, version, installedSize: 0, depends: [], hasDepends: false, files: [], lines: [] });

describe('apk-tools 2 and 3 differences (apk-db)', () => {
  it('apkGeneration reads the apk-tools record of the installed database', () => {
    expect(apkGeneration([record('busybox', '1.37.0-r31'), record('apk-tools', '3.0.8-r0')])).toBe(3);
    expect(apkGeneration([record('apk-tools', '2.14.4-r1')])).toBe(2);
    expect(apkGeneration([])).toBe(2);
  });

  it('humanSizeV3 follows apk_fmt_human_size: integer B and KiB below 10000, one decimal from MiB', () => {
    expect(humanSizeV3(0)).toBe('0 B');
    expect(humanSizeV3(9999)).toBe('9999 B');
    expect(humanSizeV3(10000)).toBe('9 KiB');
    expect(humanSizeV3(10000 * 1024 - 1)).toBe('9999 KiB');
    expect(humanSizeV3(10000 * 1024)).toBe('9.8 MiB');
    expect(humanSizeV3(13_000_000)).toBe('12.4 MiB');
    expect(humanSizeV3(10000 * 1024 * 1024)).toBe('9.8 GiB');
  });

  it('apk info\'s installed size truncates at each step (apk_get_human_size), as both versions do', () => {
    expect(humanSize(9999)).toBe('9999 B');
    expect(humanSize(378880)).toBe('370 KiB');
    expect(humanSize(10239)).toBe('9 KiB');
    expect(humanSize(10000 * 1024 + 1023)).toBe('9 MiB');
  });

  it('the index cache is named from the index URL: SHA-1 (v2) or SHA-256 (v3), first 8 hex digits', async () => {
    const repo = 'https://dl-cdn.alpinelinux.org/alpine/v3.24/main/';
    const url = indexUrl(repo, 'x86_64');
    expect(url).toBe('https://dl-cdn.alpinelinux.org/alpine/v3.24/main/x86_64/APKINDEX.tar.gz');
    expect(await indexCachePath(repo, 'x86_64', 2)).toBe(`/var/cache/apk/APKINDEX.${createHash('sha1').update(url).digest('hex').slice(0, 8)}.tar.gz`);
    expect(await indexCachePath(repo, 'x86_64', 3)).toBe(`/var/cache/apk/APKINDEX.${createHash('sha256').update(url).digest('hex').slice(0, 8)}.tar.gz`);
  });
});
