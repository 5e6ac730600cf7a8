/**
 * apk inside RUN on alpine:3.22, over the offline Alpine index (public/catalog/apk): the index
 * cache that `--no-cache` avoids, `--virtual` groups removed by `apk del`, and the unknown-package
 * error. Outputs are golden files (apk-tools 2.14's lines).
 */
import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '../src/engine/builder/events.ts';
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
