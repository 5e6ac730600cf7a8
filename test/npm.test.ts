/**
 * npm on node images over the offline catalog (public/catalog/npm, real registry data): the classic
 * `COPY package*.json` + `npm ci` cache lesson, node_modules against the registry's own figures for
 * the locked tree, npm's errors, `npm install` writing a v3 lockfile, `npm run`.
 * The fixture's package-lock.json was written by the real npm 10 (`npm install --package-lock-only`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContextFile } from '../src/engine/index.ts';
import type { BuildEvent } from '../src/engine/builder/events.ts';
import { testEngine } from './helpers.ts';

const ROOT = join(import.meta.dirname, '..');
const enc = (s: string) => new TextEncoder().encode(s);
const file = (path: string, text: string): ContextFile => ({ path, type: 'file', mode: 0o644, content: enc(text), mtime: 0 });
const fixture = (name: string) => readFileSync(join(ROOT, 'test/fixtures/npm-app', name), 'utf8');
const INDEX = JSON.parse(readFileSync(join(ROOT, 'public/catalog/npm/index.json'), 'utf8')) as {
  packages: Record<string, { versions: Record<string, { fileCount: number; unpackedSize: number; integrity: string }> }>;
};
const LOCK = JSON.parse(fixture('package-lock.json')) as { packages: Record<string, { version: string; dev?: boolean; optional?: boolean; os?: string[]; name?: string }> };

const context = (server: string) => [file('package.json', fixture('package.json')), file('package-lock.json', fixture('package-lock.json')), file('server.js', server)];

const GOOD = `FROM node:22-alpine
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
CMD ["node", "server.js"]
`;
const BAD = `FROM node:22-alpine
WORKDIR /app
COPY . .
RUN npm ci
CMD ["node", "server.js"]
`;

function outcome(res: { steps: { instruction: string; outcome: string; cached?: boolean }[] }) {
  return res.steps.filter((s) => s.outcome === 'layer' || s.outcome === 'empty').map((s) => `${s.instruction} | ${s.cached ? 'CACHED' : 'RUN'}`);
}

async function build(engine: ReturnType<typeof testEngine>, dockerfile: string, files: ContextFile[], tag = 'app') {
  let log = '';
  const res = await engine.builds.build({ dockerfile, files, tags: [tag] }, (e: BuildEvent) => {
    if (e.type === 'vertex-output') log += e.text;
  });
  return { res, log };
}

/** The locked packages npm ci installs on linux (optional packages for other platforms skipped), optionally without dev. */
function lockedLinux(omitDev = false) {
  return Object.entries(LOCK.packages).filter(([k, e]) => k && !(e.optional && e.os && !e.os.includes('linux')) && !(omitDev && e.dev));
}

describe('npm on node:22-alpine', () => {
  it('COPY package*.json + npm ci: editing a source file keeps the install cached; node_modules has the real files of the locked tree', async () => {
    const engine = testEngine();
    const first = await build(engine, GOOD, context('console.log(1)'));
    expect(outcome(first.res)).toEqual(['WORKDIR /app | RUN', 'COPY package*.json ./ | RUN', 'RUN npm ci | RUN', 'COPY . . | RUN']);
    const locked = lockedLinux();
    expect(first.log).toContain(`added ${locked.length} packages, and audited ${locked.length + 1} packages in`);
    expect(first.log).toContain('found 0 vulnerabilities');

    // The layer npm ci made, file by file, against the registry's fileCount/unpackedSize for each locked version.
    const layers = await engine.images.layers('app');
    const runLayer = layers.find((l) => l.createdBy.includes('npm ci'))!;
    const entries = await engine.images.layerEntries(runLayer.diffId);
    const inModules = entries.filter((e) => e.type === 'file' && e.path.startsWith('/app/node_modules/') && !e.path.startsWith('/app/node_modules/.'));
    let files = 0;
    let bytes = 0;
    for (const [k, e] of locked) {
      const name = e.name ?? k.slice(k.lastIndexOf('node_modules/') + 13);
      // The tarball's own listing (what `npm pack --dry-run` shows), checked against the registry's dist figures where it has them.
      const table = JSON.parse(readFileSync(join(ROOT, `public/catalog/npm/files/${name.replace('/', '+')}@${e.version}.json`), 'utf8')) as { files: [string, number, number][] };
      const size = table.files.reduce((n, f) => n + f[1], 0);
      const v = INDEX.packages[name].versions[e.version];
      if (v.fileCount !== undefined) expect([name, table.files.length, size]).toEqual([name, v.fileCount, v.unpackedSize]);
      files += table.files.length;
      bytes += size;
    }
    expect(inModules.length).toBe(files);
    expect(inModules.reduce((n, e) => n + e.size, 0)).toBe(bytes);
    // The real package.json of each package, and npm's cache of every tarball.
    const pj = entries.find((e) => e.path === '/app/node_modules/express/package.json')!;
    expect(pj.size).toBeGreaterThan(0);
    const cached = entries.filter((e) => e.type === 'file' && e.path.startsWith('/root/.npm/_cacache/content-v2/sha512/'));
    expect(cached.length).toBe(locked.length);
    expect(entries.some((e) => e.path === '/app/node_modules/.bin/nodemon' && e.type === 'symlink')).toBe(true);

    const second = await build(engine, GOOD, context('console.log(2)'));
    expect(outcome(second.res)).toEqual(['WORKDIR /app | CACHED', 'COPY package*.json ./ | CACHED', 'RUN npm ci | CACHED', 'COPY . . | RUN']);
  });

  it('npm install without a lockfile resolves the same tree as the real npm did (locations, versions, dev flags)', async () => {
    const engine = testEngine();
    const df = 'FROM node:22-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN npm install && cat package-lock.json\n';
    const { log } = await build(engine, df, [file('package.json', fixture('package.json'))]);
    const ours = JSON.parse(log.slice(log.indexOf('{'))) as typeof LOCK & { lockfileVersion: number };
    expect(ours.lockfileVersion).toBe(3);
    const rows = (entries: [string, { version: string; dev?: boolean }][]) => entries.map(([k, e]) => `${k}@${e.version}${e.dev ? ' dev' : ''}`).sort();
    expect(rows(Object.entries(ours.packages).filter(([k]) => k))).toEqual(rows(lockedLinux()));
    for (const [k, e] of lockedLinux()) expect((ours.packages[k] as unknown as { integrity: string }).integrity).toBe((e as unknown as { integrity: string }).integrity);
  });

  it('COPY . . first: the same edit re-runs npm ci', async () => {
    const engine = testEngine();
    await build(engine, BAD, context('console.log(1)'));
    const second = await build(engine, BAD, context('console.log(2)'));
    expect(outcome(second.res)).toEqual(['WORKDIR /app | CACHED', 'COPY . . | RUN', 'RUN npm ci | RUN']);
  });

  it("npm ci reports its modelled install time on the step, and the COPY . . hint names it", async () => {
    const engine = testEngine();
    const steps: Extract<BuildEvent, { type: 'step' }>[] = [];
    let log = '';
    await engine.builds.build({ dockerfile: BAD, files: context('console.log(1)'), tags: ['bad'] }, (e: BuildEvent) => {
      if (e.type === 'step') steps.push(e);
      if (e.type === 'vertex-output') log += e.text;
    });
    const install = steps.find((e) => e.instruction === 'RUN npm ci')!;
    const copy = steps.find((e) => e.instruction === 'COPY . .')!;
    // Simulation: the same model as the "added N packages in Xs" line npm printed.
    const printed = Number(/added \d+ packages?, and audited \d+ packages? in (\d+)s/.exec(log)![1]);
    expect(install.simulatedMs).toBeGreaterThan(1000);
    expect(Math.round(install.simulatedMs! / 1000)).toBe(printed);
    expect(copy.simulatedMs).toBeUndefined();
    const hints = await engine.inspector.hints('bad', BAD, { durations: { 4: install.simulatedMs! } });
    expect(hints.find((h) => h.id === 'copy-all-before-install')!.message).toContain(`any source edit re-runs the install (last build: ${(install.simulatedMs! / 1000).toFixed(1)} s of simulated install time re-run)`);
    // A cache hit runs nothing, so it models no time.
    const again: Extract<BuildEvent, { type: 'step' }>[] = [];
    await engine.builds.build({ dockerfile: BAD, files: context('console.log(1)'), tags: ['bad'] }, (e: BuildEvent) => void (e.type === 'step' && again.push(e)));
    expect(again.find((e) => e.instruction === 'RUN npm ci')!.cache?.hit).toBe(true);
    expect(again.find((e) => e.instruction === 'RUN npm ci')!.simulatedMs).toBeUndefined();
  });

  it('npm ci --omit=dev leaves the dev tree out', async () => {
    const engine = testEngine();
    const { log } = await build(engine, GOOD.replace('npm ci', 'npm ci --omit=dev --no-audit --no-fund'), context('x'));
    expect(log).toMatch(new RegExp(`\\nadded ${lockedLinux(true).length} packages in \\d+m?s\\n`));
    expect(log).not.toContain('vulnerabilities');
    expect(log).not.toContain('funding');
    expect(lockedLinux(true).length).toBeLessThan(lockedLinux().length);
  });

  it('npm ci without a lockfile fails with npm\'s error', async () => {
    const engine = testEngine();
    const df = 'FROM node:22-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\n';
    await expect(build(engine, df, [file('package.json', fixture('package.json'))])).rejects.toThrow(/exit code: 1/);
    const events: string[] = [];
    await engine.builds.build({ dockerfile: df, files: [file('package.json', fixture('package.json'))] }, (e) => { if (e.type === 'vertex-output') events.push(e.text); }).catch(() => undefined);
    expect(events.join('')).toContain('npm error The `npm ci` command can only install with an existing package-lock.json or');
  });

  it('an unknown package gets npm\'s 404 and a note on the catalog', async () => {
    const engine = testEngine();
    const events: string[] = [];
    const df = 'FROM node:22-alpine\nRUN npm install left-pad-not-in-catalog-xyz\n';
    await expect(engine.builds.build({ dockerfile: df, files: [] }, (e) => { if (e.type === 'vertex-output') events.push(e.text); })).rejects.toThrow(/exit code: 1/);
    const text = events.join('');
    expect(text).toContain('npm error 404 Not Found - GET https://registry.npmjs.org/left-pad-not-in-catalog-xyz - Not found');
    expect(text).toContain('public/catalog/npm/index.json');
  });

  it('npm install PKG writes package.json, a v3 lockfile with real integrity, and npm run runs a script', async () => {
    const engine = testEngine();
    const df = `FROM node:22-alpine
WORKDIR /srv
RUN echo '{"name":"srv","version":"1.0.0","scripts":{"build":"echo building > out.txt"}}' > package.json && npm install cors@^2.8.0 && npm run build && cat out.txt
`;
    const { log } = await build(engine, df, [], 'srv');
    expect(log).toContain('> srv@1.0.0 build');
    expect(log).toContain('building');
    const layers = await engine.images.layers('srv');
    const entries = await engine.images.layerEntries(layers[layers.length - 1].diffId);
    const paths = new Set(entries.map((e) => e.path));
    for (const p of ['/srv/package-lock.json', '/srv/node_modules/cors/package.json', '/srv/node_modules/vary/package.json', '/srv/node_modules/object-assign/package.json', '/srv/node_modules/.package-lock.json']) expect(paths).toContain(p);
    const missing = await build(engine, 'FROM node:22-alpine\nWORKDIR /srv\nRUN echo {} > package.json && npm run nope\n', [], 'x').catch((e: Error) => e);
    expect(missing).toBeInstanceOf(Error);
  });
});
