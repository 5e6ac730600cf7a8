/**
 * pnpm on node images over the offline npm catalog, through corepack and through `npm install -g`.
 * The fixture (test/fixtures/pnpm-app) was produced by the real pnpm 10.34.9 on this machine
 * against the real registry (see its README): its pnpm-lock.yaml, its install output and the
 * symlinks its node_modules held are what the model is checked against.
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
const fixture = (name: string) => readFileSync(join(ROOT, 'test/fixtures/pnpm-app', name), 'utf8');
const INDEX = JSON.parse(readFileSync(join(ROOT, 'public/catalog/npm/index.json'), 'utf8')) as {
  packages: Record<string, { latest: string; versions: Record<string, { integrity: string }> }>;
};
const hexOf = (integrity: string) => Buffer.from(integrity.slice(7), 'base64').toString('hex');
const PNPM10 = '10.34.9';
/** The fixture's package.json with the packageManager field `corepack use pnpm@10.34.9` writes. */
const PINNED = JSON.stringify({ ...JSON.parse(fixture('package.json')), packageManager: `pnpm@${PNPM10}+sha512.${hexOf(INDEX.packages.pnpm.versions[PNPM10].integrity)}` }, null, 2);
const GOOD = `FROM node:22-alpine
RUN corepack enable
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm run build
`;

const context = (pkg = PINNED, server = 'console.log(1)', lock = fixture('pnpm-lock.yaml')) => [file('package.json', pkg), file('pnpm-lock.yaml', lock), file('server.js', server)];

async function build(engine: ReturnType<typeof testEngine>, dockerfile: string, files: ContextFile[], tag = 'p') {
  let log = '';
  try {
    const res = await engine.builds.build({ dockerfile, files, tags: [tag] }, (e: BuildEvent) => {
      if (e.type === 'vertex-output') log += e.text;
    });
    return { res, log, error: undefined as string | undefined };
  } catch (e) {
    return { res: undefined, log, error: (e as Error).message };
  }
}

const steps = (res: { steps: { instruction: string; outcome: string; cached?: boolean }[] }) =>
  res.steps.filter((s) => s.outcome === 'layer' || s.outcome === 'empty').map((s) => `${s.instruction} | ${s.cached ? 'CACHED' : 'RUN'}`);
const layerOf = (res: { steps: { instruction: string; layerSize?: number }[] }, prefix: string) => res.steps.find((s) => s.instruction.startsWith(prefix))!.layerSize!;

const SYMLINKS = 'cd node_modules && find . -type l | sort | while read l; do echo "${l#./} -> $(readlink $l)"; done';

describe('pnpm through corepack on node:22-alpine', () => {
  it('COPY package.json pnpm-lock.yaml + pnpm install --frozen-lockfile: pnpm\'s output, the real lockfile honoured, the same symlinks as the real pnpm, and the install cached across source edits', async () => {
    const engine = testEngine();
    const first = await build(engine, GOOD, context());
    expect(first.error).toBeUndefined();
    expect(steps(first.res!)).toEqual(['RUN corepack enable | RUN', 'WORKDIR /app | RUN', 'COPY package.json pnpm-lock.yaml ./ | RUN', 'RUN pnpm install --frozen-lockfile | RUN', 'COPY . . | RUN', 'RUN pnpm run build | RUN']);
    // The shim downloads pnpm first (COREPACK_ENABLE_DOWNLOAD_PROMPT is 1 for an implicit call; no question off a TTY).
    expect(first.log).toContain(`! Corepack is about to download https://registry.npmjs.org/pnpm/-/pnpm-${PNPM10}.tgz\n`);
    // The real pnpm 10.34.9 installed 74 packages for this package.json (fixture README).
    expect(first.log).toContain(`Lockfile is up to date, resolution step is skipped\nProgress: resolved 1, reused 0, downloaded 0, added 0\nPackages: +74\n${'+'.repeat(74)}\nProgress: resolved 74, reused 0, downloaded 74, added 74, done\n\ndependencies:\n+ cors 2.8.6\n+ express 4.22.3\n\ndevDependencies:\n+ typescript 5.9.3\n\nDone in `);
    expect(first.log).toMatch(/Done in \d+(\.\d)?s using pnpm v10\.34\.9\n/);
    expect(first.log).toContain('\n> app@1.0.0 build /app\n> echo building\n\nbuilding\n');
    // Editing a source file keeps the install cached (the lockfile-first pattern); changing package.json does not.
    const again = await build(engine, GOOD, context(PINNED, 'console.log(2)'));
    expect(steps(again.res!)).toEqual(['RUN corepack enable | CACHED', 'WORKDIR /app | CACHED', 'COPY package.json pnpm-lock.yaml ./ | CACHED', 'RUN pnpm install --frozen-lockfile | CACHED', 'COPY . . | RUN', 'RUN pnpm run build | RUN']);
    // The layout: the same symlinks, with the same targets, as the real pnpm left.
    const layout = await build(engine, `${GOOD}RUN ${SYMLINKS}\n`, context());
    expect(layout.error).toBeUndefined();
    const ours = layout.log.split('\n').filter((l) => l.includes(' -> ')).join('\n') + '\n';
    expect(ours).toBe(fixture('symlinks.txt'));
    // And every path under node_modules (folders, files, links, .bin shims of each package's dependencies and of the hoisted ones) as the real pnpm left it.
    const tree = await build(engine, `${GOOD}RUN echo ==== && find node_modules\n`, context());
    const sorted = (text: string) => text.split('\n').filter(Boolean).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(sorted(tree.log.slice(tree.log.indexOf('====\n') + 5))).toEqual(sorted(fixture('node_modules.txt')));
  });

  it('files as pnpm leaves them: package files in .pnpm hard-linked with the store, .bin shell shims, .modules.yaml, the current lockfile, corepack\'s cache', async () => {
    const r = await build(testEngine(), `${GOOD}RUN stat -c '%h %s %n' node_modules/.pnpm/express@4.22.3/node_modules/express/package.json && head -1 node_modules/.bin/tsc && grep -c 'exec node  "\\$basedir/../typescript/bin/tsc" "\\$@"' node_modules/.bin/tsc && grep -E '"(storeDir|packageManager|nodeLinker)"' node_modules/.modules.yaml && head -1 node_modules/.pnpm/lock.yaml && ls /root/.local/share/pnpm/store/v10 && ls -a /root/.cache/node/corepack/v1/pnpm/${PNPM10} && cat /root/.cache/node/corepack/v1/pnpm/${PNPM10}/.corepack && echo && find /root/.local/share/pnpm/store/v10/files -type f | wc -l && find node_modules/.pnpm -type f ! -name lock.yaml ! -path '*/.bin/*' | wc -l\n`, context());
    expect(r.error).toBeUndefined();
    expect(r.log).toMatch(/^2 \d+ node_modules\/\.pnpm\/express@4\.22\.3\/node_modules\/express\/package\.json$/m);
    expect(r.log).toContain('#!/bin/sh\n1\n');
    expect(r.log).toContain('"nodeLinker": "isolated"');
    expect(r.log).toContain(`"packageManager": "pnpm@${PNPM10}"`);
    expect(r.log).toContain('"storeDir": "/root/.local/share/pnpm/store/v10"');
    expect(r.log).toContain("lockfileVersion: '9.0'\n");
    expect(r.log).toContain('files\nindex\nprojects\n');
    expect(r.log).toMatch(/\.corepack\n[^]*bin\n[^]*package\.json\n/);
    expect(r.log).toContain(`{"locator":{"name":"pnpm","reference":"${PNPM10}+sha512.`);
    expect(r.log).toContain('"bin":{"pnpm":"./bin/pnpm.cjs","pnpx":"./bin/pnpx.cjs"},"hash":"sha512.');
    // One store file per package file (the real store dedupes identical files across packages; see the layout module's Simulation note).
    const [storeFiles, moduleFiles] = r.log.trim().split('\n').slice(-2).map(Number);
    expect(storeFiles).toBe(moduleFiles);
    expect(storeFiles).toBeGreaterThan(700);
  });

  it('hard links cost their bytes once in the layer: removing the store in the same RUN barely shrinks it, unlike npm\'s cache copy', async () => {
    const engine = testEngine();
    const base = 'FROM node:22-alpine\nRUN corepack enable\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\n';
    // corepack's own download goes into an earlier layer, so the measured layer is the install alone.
    const warm = 'RUN pnpm --version\n';
    const kept = await build(engine, `${base}${warm}RUN pnpm install --frozen-lockfile\n`, context());
    const dropped = await build(engine, `${base}${warm}RUN pnpm install --frozen-lockfile && rm -rf /root/.local/share/pnpm/store\n`, context());
    expect(kept.error).toBeUndefined();
    expect(dropped.error).toBeUndefined();
    const withStore = layerOf(kept.res!, 'RUN pnpm install');
    const withoutStore = layerOf(dropped.res!, 'RUN pnpm install');
    // The store's files are the same inodes as node_modules': only their tar headers and the index files remain.
    expect(withStore).toBeGreaterThan(withoutStore);
    expect(withStore - withoutStore).toBeLessThan(withoutStore * 0.1);
    // npm's _cacache holds a second copy (the tarballs): cleaning it in the same RUN shrinks the layer far more.
    const npmPkg = JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { express: '^4.21.0', cors: '^2.8.5' }, devDependencies: { typescript: '^5.0.0' } });
    const npmKept = await build(engine, 'FROM node:22-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN npm install\n', [file('package.json', npmPkg)]);
    const npmClean = await build(engine, 'FROM node:22-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN npm install && npm cache clean --force\n', [file('package.json', npmPkg)]);
    const npmGain = layerOf(npmKept.res!, 'RUN npm install') - layerOf(npmClean.res!, 'RUN npm install');
    expect(npmGain).toBeGreaterThan(5 * (withStore - withoutStore));
  });

  it('pnpm install without a lockfile writes the lockfile the real pnpm wrote, byte for byte (debug@2\'s optional peer from @yarnpkg/extensions included)', async () => {
    const r = await build(testEngine(), 'FROM node:22-slim\nRUN corepack enable\nWORKDIR /app\nCOPY package.json ./\nRUN pnpm install && echo ==== && cat pnpm-lock.yaml\n', [file('package.json', PINNED)]);
    expect(r.error).toBeUndefined();
    expect(r.log).toContain(`Progress: resolved 1, reused 0, downloaded 0, added 0\nPackages: +74\n${'+'.repeat(74)}\nProgress: resolved 74, reused 0, downloaded 74, added 74, done\n\ndependencies:\n+ cors 2.8.6\n+ express 4.22.3 (${INDEX.packages.express.latest} is available)\n\ndevDependencies:\n+ typescript 5.9.3 (${INDEX.packages.typescript.latest} is available)\n\nDone in `);
    expect(r.log.slice(r.log.indexOf('====\n') + 5)).toBe(fixture('pnpm-lock.yaml'));
  });

  it('errors: --frozen-lockfile without a lockfile or with an outdated one, a package the catalog lacks, a pnpm version it lacks', async () => {
    const engine = testEngine();
    const noLock = await build(engine, 'FROM node:22-alpine\nRUN corepack enable\nWORKDIR /app\nCOPY package.json ./\nRUN pnpm install --frozen-lockfile\n', [file('package.json', PINNED)]);
    expect(noLock.error).toMatch(/exit code: 1/);
    expect(noLock.log).toContain('\u2009ERR_PNPM_NO_LOCKFILE\u2009 Cannot install with "frozen-lockfile" because pnpm-lock.yaml is absent\n\nNote that in CI environments this setting is true by default. If you still need to run install in such cases, use "pnpm install --no-frozen-lockfile"\n');
    const grown = JSON.stringify({ ...JSON.parse(PINNED), dependencies: { ...JSON.parse(PINNED).dependencies, lodash: '^4.17.21' } });
    const outdated = await build(engine, GOOD, context(grown));
    expect(outdated.error).toMatch(/exit code: 1/);
    expect(outdated.log).toContain('\u2009ERR_PNPM_OUTDATED_LOCKFILE\u2009 Cannot install with "frozen-lockfile" because pnpm-lock.yaml is not up to date with <ROOT>/package.json\n');
    expect(outdated.log).toContain("  Failure reason:\n  specifiers in the lockfile don't match specifiers in package.json:\n* 1 dependencies were added: lodash@^4.17.21\n");
    const unknown = await build(engine, 'FROM node:22-alpine\nRUN corepack enable\nWORKDIR /app\nCOPY package.json ./\nRUN pnpm add no-such-package-xyz\n', [file('package.json', PINNED)]);
    expect(unknown.error).toMatch(/exit code: 1/);
    expect(unknown.log).toContain('\u2009ERR_PNPM_FETCH_404\u2009 GET https://registry.npmjs.org/no-such-package-xyz: Not Found - 404\n\nThis error happened while installing a direct dependency of /app\n\nno-such-package-xyz is not in the npm registry, or you have no permission to fetch it.\n\nNo authorization header was set for the request.\n');
    expect(unknown.log).toContain("layerlab: the offline npm catalog has no package 'no-such-package-xyz' (its list: public/catalog/npm/index.json).");
    const oldPnpm = await build(engine, 'FROM node:22-alpine\nRUN corepack enable\nWORKDIR /app\nCOPY package.json ./\nRUN pnpm install\n', [file('package.json', JSON.stringify({ name: 'app', packageManager: 'pnpm@8.15.0' }))]);
    expect(oldPnpm.error).toMatch(/exit code: 1/);
    expect(oldPnpm.log).toContain('! Corepack is about to download https://registry.npmjs.org/pnpm/-/pnpm-8.15.0.tgz\nInternal Error: Server answered with HTTP 404 when performing the request to https://registry.npmjs.org/pnpm/-/pnpm-8.15.0.tgz; for troubleshooting help, see https://github.com/nodejs/corepack#troubleshooting\nlayerlab: the offline npm catalog has no version 8.15.0 of pnpm');
    // pnpm run: a missing script, a failing one (recorded from the real pnpm 10.34.9; its reporter writes to stdout).
    const scripts = JSON.stringify({ name: 'x', version: '1.0.0', packageManager: `pnpm@${PNPM10}`, scripts: { build: 'exit 3' } });
    const missing = await build(engine, 'FROM node:22-alpine\nRUN corepack enable\nWORKDIR /app\nCOPY package.json ./\nRUN pnpm run buil\n', [file('package.json', scripts)]);
    expect(missing.log).toContain('\u2009ERR_PNPM_NO_SCRIPT\u2009 Missing script: buil\n\nCommand "buil" not found. Did you mean "pnpm run build"?\n');
    const failing = await build(engine, 'FROM node:22-alpine\nRUN corepack enable\nWORKDIR /app\nCOPY package.json ./\nRUN pnpm run build\n', [file('package.json', scripts)]);
    expect(failing.error).toMatch(/exit code: 3/);
    expect(failing.log).toContain('\n> x@1.0.0 build /app\n> exit 3\n\n\u2009ELIFECYCLE\u2009 Command failed with exit code 3.\n\u2009WARN\u2009  Local package.json exists, but node_modules missing, did you mean to install?\n');
    const wrongManager = await build(engine, 'FROM node:22-alpine\nRUN corepack enable\nWORKDIR /app\nCOPY package.json ./\nRUN yarn install\n', [file('package.json', PINNED)]);
    expect(wrongManager.error).toMatch(/exit code: 1/);
    expect(wrongManager.log).toContain('Usage Error: This project is configured to use pnpm because /app/package.json has a "packageManager" field\n');
    const badHash = await build(engine, 'FROM node:22-alpine\nRUN corepack enable\nWORKDIR /app\nCOPY package.json ./\nRUN pnpm install\n', [file('package.json', JSON.stringify({ name: 'app', packageManager: `pnpm@${PNPM10}+sha512.${'0'.repeat(128)}` }))]);
    expect(badHash.log).toContain(`Internal Error: Mismatch hashes. Expected ${'0'.repeat(128)}, got ${hexOf(INDEX.packages.pnpm.versions[PNPM10].integrity)}\n`);
  });

  it('without packageManager corepack takes the registry\'s latest pnpm, which corepack 0.34 cannot start; corepack prepare --activate pins a default', async () => {
    const latest = INDEX.packages.pnpm.latest;
    expect(Number(latest.split('.')[0])).toBeGreaterThanOrEqual(11);
    const engine = testEngine();
    const unpinned = await build(engine, 'FROM node:22-alpine\nRUN corepack enable\nWORKDIR /app\nCOPY package.json ./\nRUN pnpm install\n', [file('package.json', fixture('package.json'))]);
    expect(unpinned.error).toMatch(/exit code: 1/);
    expect(unpinned.log).toContain(`! Corepack is about to download https://registry.npmjs.org/pnpm/-/pnpm-${latest}.tgz\n`);
    expect(unpinned.log).toContain(`Error: Cannot find module '/root/.cache/node/corepack/v1/pnpm/${latest}/bin/pnpm.cjs'\n  code: 'MODULE_NOT_FOUND',`);
    const prepared = await build(engine, `FROM node:22-alpine\nRUN corepack enable && corepack prepare pnpm@${PNPM10} --activate\nWORKDIR /app\nCOPY package.json ./\nRUN pnpm install && pnpm --version && cat /root/.cache/node/corepack/lastKnownGood.json\n`, [file('package.json', fixture('package.json'))]);
    expect(prepared.error).toBeUndefined();
    expect(prepared.log).toContain(`Preparing pnpm@${PNPM10} for immediate activation...\n`);
    expect(prepared.log).not.toContain('Corepack is about to download');
    expect(prepared.log).toContain(`Done in`);
    expect(prepared.log).toContain(`\n${PNPM10}\n{\n  "pnpm": "${PNPM10}"\n}\n`);
    // `corepack pnpm …` is an explicit call: no download prompt (COREPACK_ENABLE_DOWNLOAD_PROMPT defaults to 0 then).
    const explicit = await build(engine, `FROM node:22-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN corepack pnpm --version\n`, [file('package.json', PINNED)]);
    expect(explicit.error).toBeUndefined();
    expect(explicit.log).toBe(`${PNPM10}\n`);
    const used = await build(engine, `FROM node:22-alpine\nRUN corepack enable\nWORKDIR /app\nCOPY package.json ./\nRUN corepack use pnpm@10 && grep packageManager package.json && ls node_modules\n`, [file('package.json', fixture('package.json'))]);
    expect(used.error).toBeUndefined();
    expect(used.log).toContain(`Installing pnpm@${PNPM10} in the project...\n`);
    expect(used.log).toContain(`"packageManager": "pnpm@${PNPM10}+sha512.${hexOf(INDEX.packages.pnpm.versions[PNPM10].integrity)}"`);
    expect(used.log).toContain('cors\nexpress\ntypescript\n');
  });
  it('pnpm add after an install, a repeated install and pnpm fetch print what the real pnpm 10.34.9 printed for them', async () => {
    const engine = testEngine();
    const r = await build(engine, `${GOOD}RUN pnpm install && pnpm add -D lodash@4 && grep lodash package.json\n`, context());
    expect(r.error).toBeUndefined();
    // Recorded from the real pnpm on the same project (fixture README).
    expect(r.log).toContain('Lockfile is up to date, resolution step is skipped\nAlready up to date\n\nDone in ');
    expect(r.log).toContain('Progress: resolved 1, reused 0, downloaded 0, added 0\nPackages: +1\n+\nProgress: resolved 75, reused 74, downloaded 1, added 1, done\n\ndevDependencies:\n+ lodash 4.18.1\n\nDone in ');
    expect(r.log).toContain('"lodash": "^4.18.1"');
    const fetched = await build(engine, 'FROM node:22-alpine\nRUN corepack enable\nWORKDIR /app\nCOPY pnpm-lock.yaml ./\nRUN echo \'{"packageManager": "pnpm@10.34.9"}\' > package.json && pnpm fetch --prod && ls -a node_modules && ls node_modules/.pnpm | wc -l\n', context());
    expect(fetched.error).toBeUndefined();
    expect(fetched.log).toContain('Importing packages to virtual store\nAlready up to date\nProgress: resolved 1, reused 0, downloaded 0, added 0\nProgress: resolved 73, reused 0, downloaded 73, added 73, done\n\ndevDependencies: skipped\n\n');
    expect(fetched.log).toContain('.\n..\n.modules.yaml\n.pnpm\n73\n');
  });
  it('pnpm 9 (packageManager pnpm@9.15.9) keeps its store in v3 and has no workspace state file', async () => {
    const pkg = JSON.stringify({ ...JSON.parse(PINNED), packageManager: 'pnpm@9.15.9' });
    const r = await build(testEngine(), `${GOOD}RUN pnpm --version && pnpm store path && ls -a node_modules && ls /root/.local/share/pnpm/store\n`, context(pkg));
    expect(r.error).toBeUndefined();
    expect(r.log).toContain('! Corepack is about to download https://registry.npmjs.org/pnpm/-/pnpm-9.15.9.tgz\n');
    expect(r.log).toContain('Done in ');
    expect(r.log).toMatch(/ using pnpm v9\.15\.9\n/);
    expect(r.log).toContain('9.15.9\n/root/.local/share/pnpm/store/v3\n.\n..\n.bin\n.modules.yaml\n.pnpm\ncors\nexpress\ntypescript\nv3\n');
  });

  it('pnpm prune --prod after a full install unlinks the devDependencies, printing what the real pnpm printed', async () => {
    const r = await build(testEngine(), `${GOOD}RUN pnpm prune --prod && ls node_modules && ls node_modules/.pnpm | grep -c typescript; grep -A3 '"included"' node_modules/.modules.yaml\n`, context());
    expect(r.error).toBeUndefined();
    // Recorded from the real pnpm 10.34.9 on the fixture (no Progress lines, no Done line for prune).
    expect(r.log).toContain('Lockfile is up to date, resolution step is skipped\nPackages: -1\n-\n\ndevDependencies:\n- typescript 5.9.3\n\ncors\nexpress\n0\n');
    expect(r.log).toContain('"devDependencies": false');
  });

  it('pnpm\'s own Docker recipe: a store on a cache mount cannot be hard-linked, so pnpm copies (and says so) and the store stays out of the layer', async () => {
    // https://pnpm.io/docker (its first example), with this fixture.
    const df = `FROM node:22-slim AS base\nENV PNPM_HOME="/pnpm"\nENV PATH="$PNPM_HOME:$PATH"\nRUN corepack enable\nCOPY . /app\nWORKDIR /app\n\nFROM base AS prod-deps\nRUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --prod --frozen-lockfile && stat -c %h node_modules/.pnpm/express@4.22.3/node_modules/express/package.json\n\nFROM base\nCOPY --from=prod-deps /app/node_modules /app/node_modules\nRUN ls node_modules && ls /pnpm/store 2>&1; true\n`;
    const r = await build(testEngine(), df, context());
    expect(r.error).toBeUndefined();
    expect(r.log).toMatch(/\u2009WARN\u2009 EXDEV: cross-device link not permitted, link '\/pnpm\/store\/v10\/files\/[0-9a-f]{2}\/[0-9a-f]{126}' -> '\/app\/node_modules\/\.pnpm\/[^']+'\nFalling back to copying packages from store\n/);
    expect(r.log).toContain('Progress: resolved 73, reused 0, downloaded 73, added 73, done\n');
    // Copies: one name per file; the final image has node_modules and no store.
    expect(r.log).toMatch(/^1$/m);
    expect(r.log).toContain('cors\nexpress\n');
    expect(r.log).toContain("ls: cannot access '/pnpm/store': No such file or directory");
  });
});

describe('pnpm installed with npm install -g', () => {
  it('npm install -g pnpm@10 runs the same model: --prod leaves devDependencies out; store path and prune', async () => {
    const r = await build(testEngine(), `FROM node:22-slim\nRUN npm install -g pnpm@10 && pnpm --version\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\nRUN pnpm install --frozen-lockfile --prod && ls node_modules && ls node_modules/.pnpm | grep -c typescript; pnpm store path && rm -rf node_modules && pnpm store prune\n`, context());
    expect(r.error).toBeUndefined();
    expect(r.log).toContain(`${PNPM10}\n`);
    expect(r.log).toContain(`Lockfile is up to date, resolution step is skipped\nProgress: resolved 1, reused 0, downloaded 0, added 0\nPackages: +73\n${"+".repeat(73)}\nProgress: resolved 73, reused 0, downloaded 73, added 73, done\n\ndependencies:\n+ cors 2.8.6\n+ express 4.22.3\n\ndevDependencies: skipped\n\nDone in `);
    expect(r.log).toContain('\ndevDependencies: skipped\n');
    expect(r.log).toContain('cors\nexpress\n0\n/root/.local/share/pnpm/store/v10\n');
    expect(r.log).toMatch(/Removed all cached metadata files\nRemoved \d{3} files\nRemoved 73 packages\n/);
  });

  it('pnpm install over a node_modules npm wrote links its packages in place of npm\'s folders', async () => {
    const r = await build(testEngine(), 'FROM node:22-slim\nRUN npm install -g pnpm@10\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\nRUN npm install --no-audit --no-fund >/dev/null && pnpm install --frozen-lockfile >/dev/null && readlink node_modules/express node_modules/cors\n', context());
    expect(r.error).toBeUndefined();
    expect(r.log).toContain('.pnpm/express@4.22.3/node_modules/express\n.pnpm/cors@2.8.6/node_modules/cors\n');
  });

  it('npm install -g pnpm takes the registry\'s latest, which layerlab does not model; node:26 has no corepack', async () => {
    const engine = testEngine();
    const latest = await build(engine, 'FROM node:22-slim\nRUN npm install -g pnpm && pnpm --version && pnpm install\n', []);
    expect(latest.error).toMatch(/exit code: 126/);
    expect(latest.log).toContain(`${INDEX.packages.pnpm.latest}\n`);
    expect(latest.log).toContain(`cannot run pnpm ${INDEX.packages.pnpm.latest}: layerlab models pnpm 9 and 10`);
    // Node 25 dropped corepack: node:26 has no corepack to enable.
    const node26 = await build(engine, 'FROM node:26-alpine\nRUN corepack enable\n', []);
    expect(node26.error).toMatch(/exit code: 127/);
    expect(node26.log).toContain('corepack: not found');
  });
});
