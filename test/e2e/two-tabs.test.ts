/**
 * One store, two tabs (issue 14): every tab of the lab shares the IndexedDB store, so two tabs
 * building at once are two writers. Both images must survive (Web Locks serialise the index's
 * read-modify-write), and a tab sees the other's image (BroadcastChannel, or a reload).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startLab, type Lab } from './browser.ts';
import { setDockerfile } from './editor-page.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
}, 180_000);
afterAll(async () => {
  await lab?.close();
});

async function open(ctx: BrowserContext): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(lab.url);
  await page.getByText('engine: ready').waitFor({ timeout: 30_000 });
  return page;
}

async function prepare(page: Page, name: string) {
  await setDockerfile(page, `FROM alpine:3.22\nRUN echo ${name} > /${name}.txt\n`);
  await page.getByRole('textbox', { name: 'image tag' }).fill(`${name}:1`);
}

/** The references the Images tab's `docker images` table lists (its rows' "Select REF" buttons). */
async function imageRefs(page: Page): Promise<string[]> {
  await page.getByRole('tab', { name: 'Images' }).click();
  return page.getByRole('table', { name: 'Images' }).getByRole('button', { name: /^Select / }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
}

it('two tabs building at once keep both images', { timeout: 240_000 }, async () => {
  const ctx = await lab.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const a = await open(ctx);
  const b = await open(ctx);
  await prepare(a, 'alpha');
  await prepare(b, 'beta');
  await Promise.all([a.getByRole('button', { name: 'Build', exact: true }).click(), b.getByRole('button', { name: 'Build', exact: true }).click()]);
  await Promise.all([
    a.getByText(/naming to docker\.io\/library\/alpha:1 done/).waitFor({ timeout: 120_000 }),
    b.getByText(/naming to docker\.io\/library\/beta:1 done/).waitFor({ timeout: 120_000 }),
  ]);
  // A fresh tab reads the persisted store: both images are there.
  const c = await open(ctx);
  await expect.poll(async () => (await imageRefs(c)).join(' '), { timeout: 20_000 }).toMatch(/alpha:1[\s\S]*beta:1|beta:1[\s\S]*alpha:1/);
  // The first tab, after its next refresh, sees the other tab's image too.
  await a.reload();
  await a.getByText('engine: ready').waitFor({ timeout: 30_000 });
  await expect.poll(async () => (await imageRefs(a)).join(' '), { timeout: 20_000 }).toContain('beta:1');
  await ctx.close();
});
