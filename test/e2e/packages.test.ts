/**
 * Package installs in the lab, as a student types them (issue 13): pnpm through corepack on
 * node:22-alpine with a package.json made in the context tree, and apt-get on python:3.13-slim
 * (a trixie image). Both run in the page's worker over the catalog assets the page fetches.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDockerfile } from './editor-page.ts';
import { build, layerItems, openLabSuite, type LabSuite } from './lab-page.ts';

let suite: LabSuite;
beforeAll(async () => {
  suite = await openLabSuite({ width: 1024, height: 768 });
}, 120_000);
afterAll(async () => {
  await suite?.context.close();
  await suite?.lab.close();
});

const logText = async () => (await suite.page.getByRole('log', { name: 'Build output' }).textContent()) ?? '';

describe('package managers in the lab', () => {
  it('corepack enable + pnpm install: pnpm is fetched from the catalog, installs, and its layer is in the stack', { timeout: 600_000 }, async () => {
    const { page, errors } = suite;
    await page.getByRole('button', { name: 'New file' }).click();
    await page.getByRole('textbox', { name: 'New file name' }).fill('package.json');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('textbox', { name: 'Contents of package.json' }).fill(JSON.stringify({ name: 'app', version: '1.0.0', private: true, packageManager: 'pnpm@10.34.9', dependencies: { express: '^4.21.0' } }, null, 2));
    await setDockerfile(page, 'FROM node:22-alpine\nWORKDIR /app\nRUN corepack enable\nCOPY package.json ./\nRUN pnpm install\n');
    expect(await build(page)).toMatch(/: done/);
    const log = await logText();
    expect(log).toContain('! Corepack is about to download https://registry.npmjs.org/pnpm/-/pnpm-10.34.9.tgz');
    expect(log).toMatch(/Packages: \+\d+/);
    expect(log).toMatch(/\+ express 4\.\d+\.\d+/);
    expect(log).toMatch(/Done in [\d.]+s using pnpm v10\.34\.9/);
    expect(await layerItems(page).filter({ hasText: 'RUN pnpm install' }).count()).toBe(1);
    await page.screenshot({ path: 'test/e2e/artifacts/packages-pnpm-1024x768.png' });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: 'test/e2e/artifacts/packages-pnpm-1920x1080.png' });
    await page.setViewportSize({ width: 1024, height: 768 });
    expect(errors).toEqual([]);
  });

  it('apt-get on python:3.13-slim (trixie): update lists trixie, gcc installs', { timeout: 600_000 }, async () => {
    const { page, errors } = suite;
    await setDockerfile(page, 'FROM python:3.13-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\n');
    expect(await build(page)).toMatch(/: done/);
    const log = await logText();
    const trixie = JSON.parse(readFileSync(join(import.meta.dirname, '../../public/catalog/apt/trixie/index.json'), 'utf8')) as { lists: { suite: string; packagesDownload: number }[] };
    expect(log).toContain(`Get:4 http://deb.debian.org/debian trixie/main amd64 Packages [${Math.round(trixie.lists[0].packagesDownload / 1000)} kB]`);
    expect(log).toMatch(/\d+ newly installed, 0 to remove and 0 not upgraded\./);
    expect(log).toContain('Setting up gcc (');
    expect(await layerItems(page).filter({ hasText: 'RUN apt-get update' }).count()).toBe(1);
    await page.screenshot({ path: 'test/e2e/artifacts/packages-apt-trixie-1024x768.png' });
    expect(errors).toEqual([]);
  });
});
