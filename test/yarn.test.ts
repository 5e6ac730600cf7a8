/**
 * Yarn classic on node images over the offline npm catalog: yarn 1's output, yarn.lock v1 with the
 * registry's real integrity and sha1, the cache under /usr/local/share/.cache/yarn that makes
 * `yarn cache clean` in the same RUN shrink the layer, --frozen-lockfile, errors; corepack's
 * yarn shim, which installs yarn 1.22.22 from the catalog into corepack's cache (pnpm: test/pnpm.test.ts).
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
const INDEX = JSON.parse(readFileSync(join(ROOT, 'public/catalog/npm/index.json'), 'utf8')) as {
  packages: Record<string, { versions: Record<string, { integrity: string; shasum: string }> }>;
};
const PKG = JSON.stringify({ name: 'app', version: '1.0.0', license: 'MIT', dependencies: { express: '^4.21.0' }, scripts: { build: 'echo building' } });

async function build(engine: ReturnType<typeof testEngine>, dockerfile: string, files: ContextFile[] = [file('package.json', PKG)]) {
  let log = '';
  try {
    const res = await engine.builds.build({ dockerfile, files, tags: ['y'] }, (e: BuildEvent) => {
      if (e.type === 'vertex-output') log += e.text;
    });
    return { res, log, error: undefined as string | undefined };
  } catch (e) {
    return { res: undefined, log, error: (e as Error).message };
  }
}

describe('yarn classic on node:22-alpine', () => {
  it('installs with yarn 1\'s output, a v1 yarn.lock with real integrity and sha1, and a cache that `yarn cache clean` removes', async () => {
    const engine = testEngine();
    const kept = await build(engine, 'FROM node:22-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN yarn install && yarn build && cat yarn.lock && ls /usr/local/share/.cache/yarn/v6/npm-accepts-1.3.8-*/node_modules/accepts/ -a\n');
    expect(kept.error).toBeUndefined();
    expect(kept.log).toContain('yarn install v1.22.22\ninfo No lockfile found.\n[1/4] Resolving packages...\n[2/4] Fetching packages...\n[3/4] Linking dependencies...\n[4/4] Building fresh packages...\nsuccess Saved lockfile.\nDone in ');
    expect(kept.log).toContain('yarn run v1.22.22\n$ echo building\nbuilding\n');
    const accepts = INDEX.packages.accepts.versions['1.3.8'];
    expect(kept.log).toContain(`# yarn lockfile v1\n\n\naccepts@~1.3.8:\n  version "1.3.8"\n  resolved "https://registry.yarnpkg.com/accepts/-/accepts-1.3.8.tgz#${accepts.shasum}"\n  integrity ${accepts.integrity}\n  dependencies:\n    mime-types "~2.1.34"\n    negotiator "0.6.3"\n`);
    expect(accepts.shasum).toMatch(/^[0-9a-f]{40}$/);
    expect(kept.log).toMatch(/\.yarn-metadata\.json\n\.yarn-tarball\.tgz\n[^]*package\.json/);
    const cleaned = await build(testEngine(), 'FROM node:22-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN yarn install && yarn cache clean\n');
    expect(cleaned.log).toContain('yarn cache v1.22.22\nsuccess Cleared cache.\n');
    const size = (r: typeof kept) => r.res!.steps.find((s) => s.instruction.startsWith('RUN'))!.layerSize!;
    // The cache holds every package unpacked plus its tarball: more than node_modules itself.
    expect(size(kept)).toBeGreaterThan(2 * size(cleaned));
  });

  it('keeps locked versions, says "Already up-to-date" when node_modules matches, and --frozen-lockfile fails without a lockfile', async () => {
    const engine = testEngine();
    const again = await build(engine, 'FROM node:22-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN yarn install --silent && yarn install\n');
    expect(again.error).toBeUndefined();
    expect(again.log).toMatch(/^yarn install v1\.22\.22\n\[1\/4\] Resolving packages\.\.\.\nsuccess Already up-to-date\.\nDone in /m);
    const frozen = await build(engine, 'FROM node:22-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN yarn install --frozen-lockfile\n');
    expect(frozen.error).toMatch(/exit code: 1/);
    expect(frozen.log).toContain('error Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`.');
  });

  it('reports packages the catalog lacks with yarn\'s error, and missing scripts', async () => {
    const engine = testEngine();
    const r = await build(engine, 'FROM node:22-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN yarn add no-such-package-xyz\n');
    expect(r.error).toMatch(/exit code: 1/);
    expect(r.log).toContain('error An unexpected error occurred: "https://registry.yarnpkg.com/no-such-package-xyz: Not found".');
    expect(r.log).toContain('layerlab: the offline npm catalog has no package \'no-such-package-xyz\'');
    const s = await build(engine, 'FROM node:22-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN yarn run nope\n');
    expect(s.log).toContain('error Command "nope" not found.');
  });

  it('adds a dependency to package.json and lists it as yarn add does', async () => {
    const r = await build(testEngine(), 'FROM node:22-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN yarn add dotenv && grep dotenv package.json && ls node_modules/.bin node_modules/dotenv\n');
    expect(r.error).toBeUndefined();
    expect(r.log).toMatch(/success Saved 1 new dependency\.\ninfo Direct dependencies\n└─ dotenv@\d+\.\d+\.\d+\ninfo All dependencies\n/);
    expect(r.log).toMatch(/"dotenv": "\^\d+\.\d+\.\d+"/);
  });

  it('after corepack enable, yarn is corepack\'s shim: it installs yarn 1.22.22 (the registry\'s latest) from the catalog into corepack\'s cache and runs it', async () => {
    const r = await build(testEngine(), 'FROM node:22-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN corepack enable && readlink /usr/local/bin/pnpm /usr/local/bin/yarn && yarn --version && cat /root/.cache/node/corepack/lastKnownGood.json && ls -a /root/.cache/node/corepack/v1/yarn/1.22.22/ && yarn install --silent && ls node_modules/express/package.json\n', [file('package.json', PKG)]);
    expect(r.error).toBeUndefined();
    expect(r.log).toContain('../lib/node_modules/corepack/dist/pnpm.js\n../lib/node_modules/corepack/dist/yarn.js\n');
    expect(r.log).toContain('! Corepack is about to download https://registry.yarnpkg.com/yarn/-/yarn-1.22.22.tgz\n');
    expect(r.log).toMatch(/^1\.22\.22$/m);
    expect(r.log).toContain(`"yarn": "1.22.22+sha512.`);
    expect(r.log).toMatch(/\.corepack\n[^]*bin\n[^]*package\.json\n/);
    expect(r.log).toContain('node_modules/express/package.json');
  });
});
