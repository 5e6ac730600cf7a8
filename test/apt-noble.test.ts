/**
 * apt-get inside RUN on ubuntu:24.04, over the offline catalog generated from Ubuntu's real archive
 * (public/catalog/apt/noble, `node scripts/catalog/apt.mjs --codename noble`). Every expected name,
 * version and size is read from the shipped index (the real Packages and InRelease facts), never
 * written into the test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LayerTree } from '../src/engine/fs/layer-tree.ts';
import { LowerStack } from '../src/engine/fs/lower-stack.ts';
import { UnionFs } from '../src/engine/fs/union.ts';
import { loadCatalogImage } from '../src/engine/image/catalog.ts';
import { PackageCatalogs, type AptListFacts } from '../src/engine/shell/packages/apt-catalog.ts';
import { sizeToStr } from '../src/engine/shell/packages/apt-system.ts';
import { createShell } from '../src/engine/shell/shell.ts';
import type { ShellFs } from '../src/engine/shell/types.ts';
import type { BuildEvent } from '../src/engine/builder/events.ts';
import { ROOT, testEngine } from './helpers.ts';

interface Index {
  columns: string[];
  lists: AptListFacts[];
  packages: unknown[][];
}
const INDEX: Index = JSON.parse(readFileSync(join(ROOT, 'public/catalog/apt/noble/index.json'), 'utf8'));
const col = (name: string) => INDEX.columns.indexOf(name);
/** A package's row of the shipped index as a record. */
function row(name: string) {
  const r = INDEX.packages.find((p) => p[0] === name);
  if (!r) throw new Error(`${name} is not in the noble index`);
  return { version: String(r[col('version')]), suite: String(r[col('suite')]), component: String(r[col('component')]), size: Number(r[col('size')]) };
}
const uriOf = (suite: string) => INDEX.lists.find((l) => l.suite === suite)!.uri;

async function build(engine: ReturnType<typeof testEngine>, dockerfile: string) {
  const out: string[] = [];
  const res = await engine.builds.build({ dockerfile, files: [] }, (e: BuildEvent) => {
    if (e.type === 'vertex-output') out.push(e.text);
  });
  return { res, output: out.join('') };
}

async function shellOn(image: string) {
  const asset = async (p: string) => new Uint8Array(readFileSync(join(ROOT, 'public', p)));
  const base = loadCatalogImage(await asset(`catalog/${image}.json`));
  const fs = new UnionFs(new LowerStack(base.layers), { upper: new LayerTree() });
  return createShell({ fs: fs as unknown as ShellFs, packages: new PackageCatalogs(asset) });
}

const engine = testEngine();

describe('the noble index', () => {
  it('holds Ubuntu archive facts: both hosts, four suites, main and universe lists with lz4 names', () => {
    const suites = [...new Set(INDEX.lists.map((l) => l.suite))];
    expect(suites).toEqual(['noble', 'noble-updates', 'noble-backports', 'noble-security']);
    expect(uriOf('noble')).toBe('http://archive.ubuntu.com/ubuntu');
    expect(uriOf('noble-security')).toBe('http://security.ubuntu.com/ubuntu');
    for (const l of INDEX.lists) {
      expect(l.packages).toBe(`${l.uri.slice(7).replace(/\//g, '_')}_dists_${l.suite}_${l.component}_binary-amd64_Packages.lz4`);
      expect(l.packagesSize).toBeGreaterThan(0);
    }
    expect(INDEX.lists.filter((l) => l.suite === 'noble').map((l) => l.component)).toEqual(['main', 'universe', 'restricted', 'multiverse']);
    expect(row('curl').version).toMatch(/ubuntu/);
  });
});

describe('apt-get on ubuntu:24.04', () => {
  it('cannot find packages before apt-get update', { timeout: 120_000 }, async () => {
    const err = await build(engine, 'FROM ubuntu:24.04\nRUN apt-get install -y curl\n').catch((e) => e);
    expect(String(err)).toMatch(/exit code: 100/);
    expect(err.data.stderr).toBe('E: Unable to locate package curl\n');
  });

  it('update writes the real list files; install resolves curl from noble with its real versions', { timeout: 300_000 }, async () => {
    const { output } = await build(
      engine,
      'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && ls -l /var/lib/apt/lists && dpkg -l curl && apt-cache policy curl\n',
    );
    // apt-get update: one InRelease per suite from its own host, each Packages list with its .xz download size.
    const inReleases = [...new Map(INDEX.lists.map((l) => [l.suite, l])).values()];
    for (const l of inReleases) expect(output).toMatch(new RegExp(`^Get:\\d+ ${l.uri} ${l.suite} InRelease \\[${sizeToStr(l.inReleaseSize)}\\]$`, 'm'));
    expect(output).toMatch(/^Get:1 http:\/\/archive\.ubuntu\.com\/ubuntu noble InRelease \[\d+ kB\]$/m);
    for (const l of INDEX.lists) expect(output).toContain(` ${l.uri} ${l.suite}/${l.component} amd64 Packages [${sizeToStr(l.packagesDownload)}]`);
    // ls -l: every list file under its real name and with its real size.
    for (const l of INDEX.lists) expect(output).toMatch(new RegExp(` ${l.packagesSize} .* ${l.packages.replace(/\./g, '\\.')}$`, 'm'));
    for (const l of inReleases) expect(output).toMatch(new RegExp(` ${l.inReleaseSize} .* ${l.inRelease.replace(/\./g, '\\.')}$`, 'm'));
    expect(output).not.toContain('deb.debian.org');
    // install: the noble candidates, fetched from their own suite and component.
    const curl = row('curl');
    const libcurl = row('libcurl4t64');
    expect(output).toMatch(/^The following NEW packages will be installed:$/m);
    expect(output).toMatch(/^ {2}.*\bca-certificates\b.*\bcurl\b/m);
    expect(output).toMatch(/^\d+ upgraded, \d+ newly installed, 0 to remove and \d+ not upgraded\.$/m);
    expect(output).toMatch(/^Need to get [\d.]+ [kM]B of archives\.$/m);
    for (const [name, r] of [['curl', curl], ['libcurl4t64', libcurl], ['ca-certificates', row('ca-certificates')]] as const) {
      expect(output).toMatch(new RegExp(`^Get:\\d+ ${uriOf(r.suite).replace(/\./g, '\\.')} ${r.suite}/${r.component} amd64 ${name} (amd64|all) ${r.version.replace(/[.+]/g, '\\$&')} \\[${sizeToStr(r.size)}\\]$`, 'm'));
      expect(output).toContain(`Setting up ${name === 'libcurl4t64' ? 'libcurl4t64:amd64' : name} (${r.version}) ...`);
    }
    // dpkg -l and apt-cache policy read the database the install wrote.
    expect(output).toMatch(new RegExp(`^ii {2}curl +${curl.version.replace(/[.+]/g, '\\$&')} +amd64 `, 'm'));
    expect(output).toMatch(new RegExp(`^ \\*\\*\\* ${curl.version.replace(/[.+]/g, '\\$&')} 500$`, 'm'));
    expect(output).toContain(`        500 ${uriOf(curl.suite)} ${curl.suite}/${curl.component} amd64 Packages`);
    expect(output).toContain('        100 /var/lib/dpkg/status');
  });

  it('an unknown package gets apt\'s error and the catalog note naming Ubuntu noble', { timeout: 120_000 }, async () => {
    const err = await build(engine, 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y no-such-package-xyz\n').catch((e) => e);
    const stderr = String(err.data?.stderr ?? err);
    expect(String(err)).toMatch(/exit code: 100/);
    expect(stderr).toContain('E: Unable to locate package no-such-package-xyz');
    expect(stderr).toContain("layerlab's offline catalog of Ubuntu noble has no package 'no-such-package-xyz'");
    expect(stderr).toContain('public/catalog/apt/noble/index.json');
  });
});

describe('apt on the ubuntu:24.04 image model', () => {
  it('honours what the base image has installed and does not upgrade it unasked', async () => {
    const sh = await shellOn('ubuntu-24.04');
    const before = await sh.run('dpkg -s libc6');
    expect(before.exitCode).toBe(0);
    const baseVersion = /^Version: (.*)$/m.exec(before.stdout)![1];
    const r = await sh.run('apt-get update -qq && apt-get install -y --no-install-recommends curl');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toMatch(/^Setting up (libc6|dpkg|bash|coreutils)[: ]/m);
    expect((await sh.run('dpkg -s libc6')).stdout).toContain(`Version: ${baseVersion}`);
    const policy = await sh.run('apt-cache policy libc6');
    expect(policy.stdout).toContain(`  Installed: ${baseVersion}`);
    expect(policy.stdout).toContain(`  Candidate: ${row('libc6').version}`);
    // apt list: the suites that carry curl's installed version (from the index's origins), and libc6 upgradable.
    const origins = String(INDEX.packages.find((p) => p[0] === 'curl')![col('origins')]).split(',').map((o) => o.split(' '));
    const suites = [...new Set(origins.filter(([v]) => v === row('curl').version).map(([, src]) => src.split('/')[0]))];
    const list = await sh.run('apt list --installed');
    expect(list.stdout).toContain(`curl/${suites.join(',')},now ${row('curl').version} amd64 [installed]\n`);
    expect(list.stdout).toContain(`libc6/now ${baseVersion} amd64 [installed,upgradable to: ${row('libc6').version}]\n`);
  });

  it('apt-get without a verb prints the image\'s own apt version', async () => {
    const sh = await shellOn('ubuntu-24.04');
    const apt = /^Version: (.*)$/m.exec((await sh.run('dpkg -s apt')).stdout)![1];
    expect((await sh.run('apt-get')).stdout).toContain(`apt ${apt} (amd64)`);
  });
});

describe('noble names and what a first install fetches', () => {
  it('a name only one package provides selects it with apt\'s note (libssl3 → libssl3t64)', async () => {
    const providers = INDEX.packages.filter((p) => String(p[col('provides')]).split(',').some((x) => x.trim().split(' ')[0] === 'libssl3')).map((p) => p[0]);
    expect(providers).toHaveLength(1);
    const sh = await shellOn('ubuntu-24.04');
    const r = await sh.run('apt-get update -qq && apt-get install -y --no-install-recommends libssl3');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`Note, selecting '${providers[0]}' instead of 'libssl3'`);
    expect(r.stdout).toContain(`Setting up ${providers[0]}:amd64 (${row(String(providers[0])).version}) ...`);
  });

  it('a name several packages provide gets apt\'s list of them and no installation candidate', async () => {
    // A virtual name with two or more providers among the catalog's packages, read from the index (e.g. awk: gawk, mawk).
    const byVirtual = new Map<string, unknown[][]>();
    for (const p of INDEX.packages) for (const x of String(p[col('provides')]).split(',')) {
      const v = x.trim().split(' ')[0];
      if (v) byVirtual.set(v, [...(byVirtual.get(v) ?? []), p]);
    }
    const names = new Set(INDEX.packages.map((p) => p[0]));
    const [name, providers] = [...byVirtual].find(([v, ps]) => ps.length > 1 && !names.has(v))!;
    const sh = await shellOn('ubuntu-24.04');
    const r = await sh.run(`apt-get update -qq && apt-get install -y ${name}`);
    expect(r.exitCode).toBe(100);
    expect(r.stdout).toContain(`Package ${name} is a virtual package provided by:\n`);
    for (const p of providers) expect(r.stdout).toContain(`\n  ${p[0]} ${p[col('version')]}\n`);
    expect(r.stderr).toBe(`E: Package '${name}' has no installation candidate\n`);
  });

  it('a first apt-get install curl on ubuntu:24.04 loads under 2 MB gzipped of catalog data', async () => {
    const fetched: string[] = [];
    const asset = async (p: string) => {
      fetched.push(p);
      return new Uint8Array(readFileSync(join(ROOT, 'public', p)));
    };
    const base = loadCatalogImage(await asset('catalog/ubuntu-24.04.json'));
    fetched.length = 0;
    const fs = new UnionFs(new LowerStack(base.layers), { upper: new LayerTree() });
    const r = await createShell({ fs: fs as unknown as ShellFs, packages: new PackageCatalogs(asset) }).run('apt-get update && apt-get install -y curl');
    expect(r.exitCode).toBe(0);
    const installed = /(\d+) newly installed/.exec(r.stdout)![1];
    expect(fetched.filter((p) => p.startsWith('catalog/apt/noble/pkg/'))).toHaveLength(Number(installed));
    const gz = fetched.reduce((n, p) => n + gzipSync(readFileSync(join(ROOT, 'public', p))).length, 0);
    expect(gz).toBeLessThan(2e6);
  });
});

describe('the other Ubuntu releases (resolute, jammy, focal) use their own archives', () => {
  for (const [image, codename] of [['ubuntu-26.04', 'resolute'], ['ubuntu-22.04', 'jammy'], ['ubuntu-20.04', 'focal']] as const) {
    it(`${image}: update fetches ${codename}'s lists, install takes ${codename}'s curl`, async () => {
      const index: Index = JSON.parse(readFileSync(join(ROOT, `public/catalog/apt/${codename}/index.json`), 'utf8'));
      const c = (name: string) => index.columns.indexOf(name);
      const curl = index.packages.find((p) => p[0] === 'curl')!;
      const sh = await shellOn(image);
      const r = await sh.run('apt-get update && apt-get install -y --no-install-recommends curl && ls /var/lib/apt/lists');
      expect(r.exitCode).toBe(0);
      const main = index.lists[0];
      expect(main.suite).toBe(codename);
      expect(r.stdout).toContain(`Get:1 http://archive.ubuntu.com/ubuntu ${codename} InRelease [${sizeToStr(main.inReleaseSize)}]`);
      expect(r.stdout).toContain(`http://security.ubuntu.com/ubuntu ${codename}-security InRelease`);
      for (const l of index.lists) expect(r.stdout).toContain(`${l.packages}\n`);
      expect(r.stdout).toContain(`Get:`);
      expect(r.stdout).toMatch(new RegExp(` ${curl[c('suite')]}/${curl[c('component')]} amd64 curl amd64 ${String(curl[c('version')]).replace(/[.+]/g, '\\$&')} \\[${sizeToStr(Number(curl[c('size')]))}\\]`));
      expect(r.stdout).toContain(`Setting up curl (${curl[c('version')]}) ...`);
    });
  }
});

describe('manual and automatic marks', () => {
  it('naming a package apt installed automatically marks it manual', async () => {
    const sh = await shellOn('ubuntu-24.04');
    const r = await sh.run('apt-get update -qq && apt-get install -y --no-install-recommends curl && apt-get install -y libcurl4t64');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`libcurl4t64 is already the newest version (${row('libcurl4t64').version}).\nlibcurl4t64 set to manually installed.\n`);
    expect((await sh.run('cat /var/lib/apt/extended_states')).stdout).not.toContain('Package: libcurl4t64\n');
    expect((await sh.run('apt list --installed')).stdout).toMatch(/^libcurl4t64\/\S+ \S+ amd64 \[installed\]$/m);
  });
});

describe('remove on ubuntu:24.04', () => {
  it('counts the not-upgraded packages and the database files as install does', async () => {
    const sh = await shellOn('ubuntu-24.04');
    const i = await sh.run('apt-get update -qq && apt-get install -y --no-install-recommends jq');
    const notUpgraded = /and (\d+) not upgraded/.exec(i.stdout)![1];
    const files = Number(/\(Reading database \.\.\. (\d+) files/.exec(i.stdout)![1]);
    const r = await sh.run('apt-get remove -y jq');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`0 upgraded, 0 newly installed, 1 to remove and ${notUpgraded} not upgraded.`);
    expect(Number(/\(Reading database \.\.\. (\d+) files/.exec(r.stdout)![1])).toBeGreaterThan(files);
    expect(r.stdout).toContain(`Removing jq (${row('jq').version}) ...`);
  });
});

describe('upgrades only when asked', () => {
  it('install of an installed package with a newer candidate upgrades it; apt-get upgrade takes the rest', async () => {
    const sh = await shellOn('ubuntu-24.04');
    const base = /^Version: (.*)$/m.exec((await sh.run('dpkg -s libc6')).stdout)![1];
    const libc6 = row('libc6').version;
    const r = await sh.run('apt-get update -qq && apt-get install -y libc6');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^The following packages will be upgraded:\n {2}libc6$/m);
    expect(r.stdout).toMatch(/^1 upgraded, 0 newly installed, 0 to remove and \d+ not upgraded\.$/m);
    expect(r.stdout).toContain(`Unpacking libc6:amd64 (${libc6}) over (${base}) ...`);
    expect((await sh.run('dpkg -s libc6')).stdout).toContain(`Version: ${libc6}`);
    // Without -y, apt asks and a build's closed stdin aborts.
    const ask = await sh.run('apt-get upgrade');
    expect(ask.exitCode).toBe(1);
    expect(ask.stdout).toContain('Calculating upgrade...');
    expect(ask.stdout).toMatch(/^The following packages will be upgraded:$/m);
    expect(ask.stdout).toMatch(/Do you want to continue\? \[Y\/n\] Abort\.\n$/);
    const up = await sh.run('apt-get upgrade -y');
    expect(up.exitCode).toBe(0);
    expect(up.stdout).toContain(`Setting up base-files (${row('base-files').version}) ...`);
    // The upgraded base-files still names the release, so apt keeps finding noble's archive.
    expect((await sh.run('cat /usr/lib/os-release')).stdout).toContain('VERSION_CODENAME=noble');
    expect((await sh.run('apt list --installed')).stdout).toMatch(new RegExp(`^base-files/[a-z,-]*noble[a-z,-]*,now ${row('base-files').version.replace(/[.+]/g, '\\$&')} amd64 \\[installed\\]$`, 'm'));
    expect((await sh.run('cat /var/log/apt/history.log')).stdout).toContain(`libc6:amd64 (${base}, ${libc6})`);
  });
});
