/**
 * apk inside RUN on alpine:3.22, over the offline Alpine index (public/catalog/apk): the index
 * cache that `--no-cache` avoids, `--virtual` groups removed by `apk del`, and the unknown-package
 * error. Outputs are golden files (apk-tools 2.14's lines).
 */
import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '../src/engine/builder/events.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectGolden, ROOT, testEngine } from './helpers.ts';

const engine = testEngine();
const APK = JSON.parse(readFileSync(join(ROOT, 'public/catalog/apk/index.json'), 'utf8')) as { repositories: Record<string, { main: { size: number }; community: { size: number } }> };

async function build(dockerfile: string) {
  const out: string[] = [];
  const res = await engine.builds.build({ dockerfile, files: [] }, (e: BuildEvent) => {
    if (e.type === 'vertex-output') out.push(e.text);
  });
  return { res, output: out.join('') };
}
const runLayer = (res: Awaited<ReturnType<typeof build>>['res']) => res.steps.filter((s) => s.instruction.startsWith('RUN')).reduce((n, s) => n + (s.layerSize ?? 0), 0);

describe('apk on alpine:3.22', () => {
  it('apk add without --no-cache keeps the two APKINDEX files in the layer; with it, the layer is smaller by exactly them', { timeout: 300_000 }, async () => {
    const cached = await build('FROM alpine:3.22\nRUN apk add curl\n');
    const nocache = await build('FROM alpine:3.22\nRUN apk add --no-cache curl\n');
    expectGolden('apk/add-curl.txt', cached.output);
    expectGolden('apk/add-curl-no-cache.txt', nocache.output);
    const index = APK.repositories['v3.22'].main.size + APK.repositories['v3.22'].community.size;
    const diff = runLayer(cached.res) - runLayer(nocache.res);
    // The two index files, plus at most a few tar headers (/var/cache/apk entries).
    expect(diff).toBeGreaterThanOrEqual(index);
    expect(diff).toBeLessThan(index + 4096);
    const ls = await build('FROM alpine:3.22\nRUN apk add --no-cache curl && ls /var/cache/apk | wc -l && cat /etc/apk/world && curl --version >/dev/null; grep -c "^P:" /lib/apk/db/installed\n');
    expect(ls.output).toMatch(/\n0\n/);
    expect(ls.output).toContain('curl\n');
  });

  it('--virtual groups the build dependencies and apk del removes the group and everything it pulled in', { timeout: 300_000 }, async () => {
    const { res, output } = await build('FROM alpine:3.22\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev make && test -x /usr/bin/make && grep -c "^P:" /lib/apk/db/installed && apk del .build-deps && ! test -e /usr/bin/make && cat /etc/apk/world && grep -c "^P:" /lib/apk/db/installed\n');
    expectGolden('apk/virtual-del.txt', output.replace(/\(\d{8}\.\d{6}\)/g, '(DATE.TIME)'));
    expect(output).toMatch(/Installing \.build-deps \(\d{8}\.\d{6}\)/);
    expect(output).toMatch(/\(1\/\d+\) Purging \.build-deps/);
    // Only the rewritten database and world are left in the layer.
    expect(runLayer(res)).toBeLessThan(64 * 1024);
  });

  it('an unknown package gets apk\'s error, exit 1, and where the catalog lists its packages', { timeout: 120_000 }, async () => {
    const err = await build('FROM alpine:3.22\nRUN apk add --no-cache no-such-package-xyz\n').catch((e) => e);
    expect(String(err)).toMatch(/exit code: 1\b/);
    expect(err.data.stderr).toBe(
      'ERROR: unable to select packages:\n  no-such-package-xyz (no such package):\n    required by: world[no-such-package-xyz]\n' +
        "Simulation: layerlab's offline Alpine catalog has no package 'no-such-package-xyz' (its package list: public/catalog/apk/index.json).\n",
    );
  });

  it('apk info lists installed packages and describes one', { timeout: 120_000 }, async () => {
    const { output } = await build('FROM alpine:3.22\nRUN apk info | head -3 && apk info -e busybox && apk add -q --no-cache jq && apk info jq && apk info -L jq | head -2\n');
    expectGolden('apk/info.txt', output);
  });
});

describe('apk-tools 2 (alpine:3.20) and apk-tools 3 (alpine:latest, Alpine 3.24) print as each does', () => {
  it('apk add --no-cache curl: v2 prints the fetch lines and whole MiB, v3 neither, with padded counters and one decimal', { timeout: 300_000 }, async () => {
    const v2 = await build('FROM alpine:3.20\nRUN apk add --no-cache curl\n');
    const v3 = await build('FROM alpine:latest\nRUN apk add --no-cache curl\n');
    expectGolden('apk/v2-add-curl-no-cache-3.20.txt', v2.output);
    expectGolden('apk/v3-add-curl-no-cache-latest.txt', v3.output);
    expect(v2.output).toMatch(/^fetch https:\/\/dl-cdn\.alpinelinux\.org\/alpine\/v3\.20\/main\/x86_64\/APKINDEX\.tar\.gz\n/);
    expect(v2.output).toMatch(/^\(1\/\d+\) Installing /m);
    expect(v2.output).toMatch(/^OK: \d+ MiB in \d+ packages\n$/m);
    expect(v3.output).not.toContain('fetch ');
    expect(v3.output).toMatch(/^\(1\/9\) Installing brotli-libs /m);
    expect(v3.output).toMatch(/^OK: \d+\.\d MiB in \d+ packages\n$/m);
    // Ten changes or more: v3 pads the counter to the total's width, v2 does not.
    const many = (tag: string) => build(`FROM ${tag}\nRUN apk add --no-cache gcc musl-dev make\n`).then((r) => r.output);
    const [m2, m3] = [await many('alpine:3.20'), await many('alpine:latest')];
    const total = Number(/^\(1\/(\d+)\)/m.exec(m2)![1]);
    expect(total).toBeGreaterThanOrEqual(10);
    expect(m2).toMatch(/^\(1\/\d\d\) Installing /m);
    expect(m3).toMatch(new RegExp(`^\\( 1/${total}\\) Installing `, 'm'));
    expect(m3).toMatch(new RegExp(`^\\(${total}/${total}\\) Installing `, 'm'));
  });

  it('the summary is the installed database\'s I: total in each version\'s units', { timeout: 300_000 }, async () => {
    const sum = 'awk -F: \'/^I:/{s+=$2} END{print "I=" s}\' /lib/apk/db/installed';
    for (const [tag, gen] of [['alpine:3.20', 2], ['alpine:latest', 3]] as const) {
      const { output } = await build(`FROM ${tag}\nRUN apk add --no-cache jq && ${sum} && apk --version\n`);
      const bytes = Number(/^I=(\d+)$/m.exec(output)![1]);
      const shown = /^OK: (.*) in \d+ packages$/m.exec(output)![1];
      if (gen === 2) expect(shown).toBe(`${Math.floor(bytes / 1048576)} MiB`);
      else expect(shown).toBe(bytes >= 10000 * 1024 ? `${(bytes / 1048576).toFixed(1)} MiB` : `${Math.floor(bytes / 1024)} KiB`);
      expect(output).toMatch(gen === 2 ? /^apk-tools 2\.\d+\.\d+, compiled for x86_64\.$/m : /^apk-tools 3\.\d+\.\d+, compiled for x86_64\.$/m);
    }
  });

  it('apk update: the index cache is named from the index URL (SHA-1 in v2, SHA-256 in v3); v3 prints no fetch lines', { timeout: 300_000 }, async () => {
    for (const [tag, branch, algo] of [['alpine:3.20', 'v3.20', 'sha1'], ['alpine:latest', 'v3.24', 'sha256']] as const) {
      const { output } = await build(`FROM ${tag}\nRUN apk update && ls /var/cache/apk\n`);
      const names = ['main', 'community'].map((r) => `APKINDEX.${createHash(algo).update(`https://dl-cdn.alpinelinux.org/alpine/${branch}/${r}/x86_64/APKINDEX.tar.gz`).digest('hex').slice(0, 8)}.tar.gz`);
      for (const n of names) expect(output).toContain(`${n}\n`);
      expect(output).toMatch(new RegExp(`^v3\\.\\d+\\.\\d+-\\d+-g[0-9a-f]+ \\[https://dl-cdn\\.alpinelinux\\.org/alpine/${branch.replace('.', '\\.')}/main\\]$`, 'm'));
      expect(output).toMatch(/^OK: \d+ distinct packages available$/m);
      expect(output.includes('fetch ')).toBe(algo === 'sha1');
    }
  });
});
