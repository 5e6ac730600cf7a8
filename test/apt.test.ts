/**
 * apt-get inside RUN on debian:bookworm-slim, over the offline catalog generated from Debian's real
 * archive (public/catalog/apt/bookworm). The six reference builds are checked against the layer
 * sizes measured with real apt in a real bookworm root (scripts/catalog/measure-apt-layers.sh →
 * scripts/catalog/apt-layers.json); the classic lessons are golden files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LayerTree } from '../src/engine/fs/layer-tree.ts';
import { LowerStack } from '../src/engine/fs/lower-stack.ts';
import { UnionFs } from '../src/engine/fs/union.ts';
import { loadCatalogImage } from '../src/engine/image/catalog.ts';
import { PackageCatalogs } from '../src/engine/shell/packages/apt-catalog.ts';
import { createShell } from '../src/engine/shell/shell.ts';
import type { ShellFs } from '../src/engine/shell/types.ts';
import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '../src/engine/builder/events.ts';
import { expectGolden, ROOT, testEngine } from './helpers.ts';

interface Measured {
  name: string;
  script: string;
  layerBytes: number;
  newlyInstalled: number;
  packages: string[];
}
const MEASURED: Measured[] = JSON.parse(readFileSync(join(ROOT, 'scripts/catalog/apt-layers.json'), 'utf8'));

async function build(engine: ReturnType<typeof testEngine>, dockerfile: string) {
  const out: string[] = [];
  const res = await engine.builds.build({ dockerfile, files: [] }, (e: BuildEvent) => {
    if (e.type === 'vertex-output') out.push(e.text);
  });
  return { res, output: out.join('') };
}

type Summary = Awaited<ReturnType<typeof build>>['res'];
const layers = (res: Summary) =>
  res.steps.filter((s) => s.outcome === 'layer' || s.outcome === 'empty').map((s) => `${s.instruction.slice(0, 90)} | ${s.cached ? 'CACHED' : 'built'} | ${s.layerSize !== undefined ? (s.layerSize / 1e6).toFixed(2) + ' MB' : '-'}`);
const runSize = (res: Summary) => res.steps.filter((s) => s.instruction.startsWith('RUN')).reduce((n, s) => n + (s.layerSize ?? 0), 0);

// One engine for the whole file: pulling debian:bookworm-slim from the catalog is the slow part.
const engine = testEngine();

describe('apt-get on debian:bookworm-slim', () => {
  it('cannot find packages before apt-get update (the slim image ships no lists)', { timeout: 120_000 }, async () => {
    const err = await build(engine, 'FROM debian:bookworm-slim\nRUN apt-get install -y curl\n').catch((e) => e);
    expect(String(err)).toMatch(/exit code: 100/);
    expect(err.data.stderr).toBe('E: Unable to locate package curl\n');
  });

  it('says the offline catalog lacks an unknown package, and where its list lives', { timeout: 120_000 }, async () => {
    const err = await build(engine, 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y no-such-package-xyz\n').catch((e) => e);
    expect(String(err.data?.stderr ?? err)).toContain('E: Unable to locate package no-such-package-xyz');
    expect(String(err.data?.stderr ?? err)).toContain('public/catalog/apt/bookworm/index.json');
  });

  for (const m of MEASURED) {
    it(`${m.name}: the RUN layer is within 5% of the real build's (${(m.layerBytes / 1e6).toFixed(1)} MB)`, async () => {
        const { res, output } = await build(engine, `FROM debian:bookworm-slim\nRUN ${m.script}\n`);
      const size = runSize(res);
      if (m.newlyInstalled) expect(output).toContain(`${m.newlyInstalled} newly installed`);
      for (const p of m.packages) expect(output).toContain(`Setting up ${p}`);
      expect(Math.abs(size - m.layerBytes) / m.layerBytes).toBeLessThan(0.05);
    }, 300_000);
  }
});

describe('the classic apt lessons', () => {
  // A fresh engine, so that no earlier test's cache decides these builds.
  const engine = testEngine();
  it('a separate RUN apt-get update stays cached (stale) when the install line changes', async () => {
    const a = await build(engine, 'FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n');
    const b = await build(engine, 'FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl jq\n');
    expectGolden('apt/stale-update.txt', [...layers(a.res), '--- second build (jq added) ---', ...layers(b.res)].join('\n') + '\n');
    expect(b.res.steps.find((s) => s.instruction === 'RUN apt-get update')!.cached).toBe(true);
  }, 300_000);

  it('rm -rf /var/lib/apt/lists/* in a later layer does not shrink the image', async () => {
    const same = await build(engine, 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n');
    const later = await build(engine, 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/*\n');
    expectGolden('apt/rm-lists.txt', ['same RUN:', ...layers(same.res), 'later RUN:', ...layers(later.res)].join('\n') + '\n');
    expect(runSize(later.res) - runSize(same.res)).toBeGreaterThan(19e6);
  }, 300_000);

  it('--no-install-recommends installs less', async () => {
    const rec = await build(engine, 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y wget\n');
    const norec = await build(engine, 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends wget\n');
    const summary = (o: string) => o.split('\n').filter((l) => /^(The following|Recommended|Suggested|  \S|\d+ upgraded|Need to get|After this operation)/.test(l)).join('\n');
    expectGolden('apt/recommends.txt', ['with recommends:', ...layers(rec.res), summary(rec.output), 'without:', ...layers(norec.res), summary(norec.output)].join('\n') + '\n');
    expect(rec.output).toContain('Setting up ca-certificates');
    expect(norec.output).not.toContain('Setting up ca-certificates');
    expect(norec.output).toMatch(/Recommended packages:\n {2}ca-certificates/);
    expect(runSize(rec.res)).toBeGreaterThan(runSize(norec.res));
  }, 300_000);

  it('dpkg and apt-cache read the database the install wrote', async () => {
    const { output } = await build(engine, 'FROM debian:bookworm-slim\nRUN apt-get update -qq && apt-get install -qq -y --no-install-recommends jq && dpkg -L jq && dpkg -S /usr/bin/jq && apt-cache policy jq && dpkg -l jq && apt-get purge -y jq && dpkg -s jq || echo gone\n');
    expect(output).toContain('/usr/bin/jq\n');
    expect(output).toMatch(/^jq: \/usr\/bin\/jq$/m);
    expect(output).toMatch(/Installed: 1\.6/);
    expect(output).toMatch(/^ii {2}jq/m);
    expect(output).toContain('Removing jq');
    expect(output).toContain('gone');
  }, 300_000);
});

async function shellOn(image: string) {
  const asset = async (p: string) => new Uint8Array(readFileSync(join(ROOT, 'public', p)));
  const base = loadCatalogImage(await asset(`catalog/${image}.json`));
  const fs = new UnionFs(new LowerStack(base.layers), { upper: new LayerTree() });
  return createShell({ fs: fs as unknown as ShellFs, packages: new PackageCatalogs(asset) });
}

describe('apt-get where the catalog has no archive, or without root', () => {
  it('a release the catalog has no archive for: update fails to fetch as offline apt does, install cannot locate, both name the catalog', async () => {
    const sh = await shellOn('ubuntu-24.04');
    // Every catalog image's release has an archive now: name one that has none (Ubuntu 25.04).
    expect((await sh.run("sed -i 's/noble/plucky/g' /usr/lib/os-release")).exitCode).toBe(0);
    const u = await sh.run('apt-get update');
    expect(u.exitCode).toBe(0);
    expect(u.stdout).toContain("Temporary failure resolving 'archive.ubuntu.com'");
    expect(u.stderr).toContain("no apt archive for 'plucky'");
    const i = await sh.run('apt-get install -y curl');
    expect(i.exitCode).toBe(100);
    expect(i.stderr).toMatch(/^E: Unable to locate package curl\nSimulation: .*public\/catalog\/apt\/\)\.\n$/);
  });
  it('a non-root user gets apt\'s lock error', async () => {
    const sh = await shellOn('debian-bookworm-slim');
    const r = await sh.run('apt-get update', { user: { uid: 1000, gid: 1000, name: 'app' } });
    expect(r.exitCode).toBe(100);
    expect(r.stderr).toContain('E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)');
  });
  it('python:3.12-slim (bookworm, lists removed) installs after apt-get update', async () => {
    const sh = await shellOn('python-3.12-slim');
    expect((await sh.run('apt-get install -y jq')).exitCode).toBe(100);
    const r = await sh.run('apt-get update -qq && apt-get install -y --no-install-recommends jq && dpkg -s jq');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Status: install ok installed');
  });
});

describe('what apt-get fetches from the catalog', () => {
  it('a first apt-get install curl loads the index and its 22 packages: under 2 MB gzipped', async () => {
    const fetched: string[] = [];
    const asset = async (p: string) => {
      fetched.push(p);
      return new Uint8Array(readFileSync(join(ROOT, 'public', p)));
    };
    const base = loadCatalogImage(await asset('catalog/debian-bookworm-slim.json'));
    fetched.length = 0;
    const fs = new UnionFs(new LowerStack(base.layers), { upper: new LayerTree() });
    const r = await createShell({ fs: fs as unknown as ShellFs, packages: new PackageCatalogs(asset) }).run('apt-get update && apt-get install -y curl');
    expect(r.exitCode).toBe(0);
    expect(fetched.filter((p) => p.includes('/pkg/'))).toHaveLength(22);
    const gz = fetched.reduce((n, p) => n + gzipSync(readFileSync(join(ROOT, 'public', p))).length, 0);
    expect(gz).toBeLessThan(2e6);
  });
});
