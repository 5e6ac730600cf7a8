/**
 * `du` inside RUN on the images the layer lessons use, through the builder and the union
 * filesystem: BusyBox du on alpine:3.22, GNU du on debian:bookworm-slim. Disk usage in 4 KiB
 * blocks (a 1 MiB file is 1.0M), a hard link counted once, and a pnpm-style store (files
 * hard-linked into node_modules in the same RUN) counted under the first operand only, as the
 * real du prints it (the store's directory alone is left for the second). The expected lines are
 * what GNU coreutils 9.1 du and BusyBox 1.35 du printed for the same commands on ext4.
 */
import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '../src/engine/builder/events.ts';
import { testEngine } from './helpers.ts';

const engine = testEngine();

async function runOutput(dockerfile: string): Promise<string> {
  const out: string[] = [];
  await engine.builds.build({ dockerfile, files: [] }, (e: BuildEvent) => {
    if (e.type === 'vertex-output') out.push(e.text);
  });
  return out.join('');
}

// 20 files of 100,000 bytes (25 blocks, 100 KiB each) in the store, each hard-linked into node_modules/pkg.
const RUN = [
  'head -c 1048576 /dev/zero > /big && du -sh /big',
  // 1048 KiB (in two writes: the lab's /dev/zero gives at most 1 MiB per read): GNU rounds up
  // to 1.1M, BusyBox to the nearest tenth, 1.0M.
  'cp /big /c && head -c 24576 /dev/zero >> /c && du -sh /c',
  'mkdir /h && echo hi > /h/a && ln /h/a /h/b && du -s /h && du -sl /h',
  'mkdir -p /app/store /app/node_modules/pkg && cd /app',
  'for i in $(seq 1 20); do head -c 100000 /dev/zero > store/f$i && ln store/f$i node_modules/pkg/f$i; done',
  'du -sh node_modules store && du -s store node_modules && du -s /app',
].join(' && ');

describe('du in RUN', () => {
  it('alpine:3.22 (BusyBox du): blocks, hard links once, the store under the first operand', { timeout: 300_000 }, async () => {
    const out = await runOutput(`FROM alpine:3.22\nRUN ${RUN}\n`);
    // node_modules: 2 directories + 20 × 100 KiB = 2008 KiB, which BusyBox rounds to 2.0M.
    expect(out).toContain(
      '1.0M\t/big\n' + '1.0M\t/c\n' + '8\t/h\n12\t/h\n' + '2.0M\tnode_modules\n4.0K\tstore\n' + '2004\tstore\n8\tnode_modules\n' + '2016\t/app\n',
    );
  });

  it('debian:bookworm-slim (GNU du): the same counts, -h rounded up', { timeout: 300_000 }, async () => {
    const out = await runOutput(`FROM debian:bookworm-slim\nRUN ${RUN}\n`);
    expect(out).toContain(
      '1.0M\t/big\n' + '1.1M\t/c\n' + '8\t/h\n12\t/h\n' + '2.0M\tnode_modules\n4.0K\tstore\n' + '2004\tstore\n8\tnode_modules\n' + '2016\t/app\n',
    );
  });

  it("node:22-alpine with the pnpm model: the store's files are node_modules' inodes, counted under whichever operand comes first", { timeout: 300_000 }, async () => {
    const STORE = '/root/.local/share/pnpm/store';
    const out = await runOutput(
      `FROM node:22-alpine\nRUN npm i -g pnpm@10.34.9 >/dev/null && mkdir /app && cd /app && pnpm add express >/dev/null && du -s node_modules ${STORE} && du -s ${STORE} node_modules && du -sl node_modules ${STORE}\n`,
    );
    const n = [...out.matchAll(/^(\d+)\t(\S+)$/gm)].map((m) => [Number(m[1]), m[2]] as const);
    expect(n.map(([, p]) => p)).toEqual(['node_modules', STORE, STORE, 'node_modules', 'node_modules', STORE]);
    const [[modulesFirst], [storeSecond], [storeFirst], [modulesSecond], [modulesAlone], [storeAlone]] = n;
    // Either order adds up to the same inodes; the second operand keeps only what is its own.
    expect(modulesFirst + storeSecond).toBe(storeFirst + modulesSecond);
    expect(storeSecond).toBeLessThan(storeFirst / 2);
    expect(modulesSecond).toBeLessThan(modulesFirst / 2);
    // -l counts every link again: each operand as if it came first.
    expect([modulesAlone, storeAlone]).toEqual([modulesFirst, storeFirst]);
  });

  it('busybox:1.37 (applets are hard links of /bin/busybox): BusyBox du', { timeout: 300_000 }, async () => {
    const out: string[] = [];
    const res = await engine.builds
      .build({ dockerfile: 'FROM busybox:1.37\nRUN du -sh /bin/du nope\n', files: [] }, (e: BuildEvent) => {
        if (e.type === 'vertex-output') out.push(e.text);
      })
      .catch((e: Error) => e);
    expect(res).toBeInstanceOf(Error);
    // The 1,262,104-byte busybox binary: 309 blocks, 1236 KiB, which BusyBox rounds to 1.2M.
    expect(out.join('')).toContain('1.2M\t/bin/du\ndu: nope: No such file or directory\n');
  });
});
