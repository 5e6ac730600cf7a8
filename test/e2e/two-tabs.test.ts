/**
 * One store, two tabs (issue 14): every tab of the lab shares the IndexedDB store, so two tabs
 * building at once are two writers. Both images must survive (Web Locks serialise the index's
 * read-modify-write), and a tab sees the other's image (BroadcastChannel, or a reload).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startLab, type Lab } from './browser.ts';
import { setDockerfile } from './editor-page.ts';
import { STORE_LOCK } from '../../src/worker/store-channel.ts';

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
  // Without a reload, each tab lists the other's image (the BroadcastChannel refresh).
  await expect.poll(async () => (await imageRefs(a)).join(' '), { timeout: 30_000 }).toContain('beta:1');
  await expect.poll(async () => (await imageRefs(b)).join(' '), { timeout: 30_000 }).toContain('alpha:1');
  // A fresh tab reads the persisted store: both images are there.
  const c = await open(ctx);
  await expect.poll(async () => (await imageRefs(c)).join(' '), { timeout: 20_000 }).toMatch(/alpha:1[\s\S]*beta:1|beta:1[\s\S]*alpha:1/);
  // The first tab, after its next refresh, sees the other tab's image too.
  await a.reload();
  await a.getByText('engine: ready').waitFor({ timeout: 30_000 });
  await expect.poll(async () => (await imageRefs(a)).join(' '), { timeout: 20_000 }).toContain('beta:1');
  await ctx.close();
});

it('a build waits while another tab holds the store\'s Web Lock, and completes once it is released', { timeout: 300_000 }, async () => {
  const ctx = await lab.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const a = await open(ctx);
  const b = await open(ctx);
  await prepare(b, 'delta');
  // Tab A's page takes the lock the workers write the store under, and keeps it until told.
  await a.evaluate(
    (name) =>
      new Promise<void>((acquired) => {
        void navigator.locks.request(name, () => {
          acquired();
          return new Promise<void>((release) => Object.assign(window, { releaseStoreLock: release }));
        });
      }),
    STORE_LOCK,
  );
  const pending = () => b.evaluate(async (name) => ((await navigator.locks.query()).pending ?? []).filter((l) => l.name === name).length, STORE_LOCK);
  const held = () => b.evaluate(async (name) => ((await navigator.locks.query()).held ?? []).filter((l) => l.name === name).length, STORE_LOCK);
  expect(await held()).toBe(1);
  expect(await pending()).toBe(0);
  await b.getByRole('button', { name: 'Build', exact: true }).click();
  // B's worker asks for the lock to write what it pulled/built, and waits in the lock manager's queue.
  await expect.poll(pending, { timeout: 120_000, interval: 250 }).toBe(1);
  const done = b.getByText(/naming to docker\.io\/library\/delta:1 done/);
  // Still waiting a few seconds later: nothing written, nothing reported as done.
  await b.waitForTimeout(3000);
  expect(await pending()).toBe(1);
  expect(await done.count()).toBe(0);
  // Released: B takes the lock, finishes its writes and its build.
  await a.evaluate(() => (window as unknown as { releaseStoreLock: () => void }).releaseStoreLock());
  await done.waitFor({ timeout: 120_000 });
  expect(await pending()).toBe(0);
  // Both tabs list the image without a reload: A learns of it on the BroadcastChannel.
  await expect.poll(async () => (await imageRefs(b)).join(' '), { timeout: 30_000 }).toContain('delta:1');
  await expect.poll(async () => (await imageRefs(a)).join(' '), { timeout: 30_000 }).toContain('delta:1');
  // Tab A's Images tab, refreshed by the other tab's change (test/e2e/artifacts is not committed).
  for (const [w, h] of [[1024, 768], [1920, 1080]]) {
    await a.setViewportSize({ width: w, height: h });
    await a.screenshot({ path: join(import.meta.dirname, 'artifacts', `two-tabs-images-${w}x${h}.png`) });
  }
  await ctx.close();
});
