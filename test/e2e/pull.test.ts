/**
 * Honest progress: a first build on an empty store pulls its base image; the page shows docker
 * pull's per-layer board (`Pull complete` with sizes) and the status line never reads "ready"
 * while the build or the pull is running. The pull moves metadata only: the layers are built
 * from the catalog on first read, and saving the image still produces verified gzip bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from './browser.ts';
import { setDockerfile } from './editor-page.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
}, 180_000);
afterAll(async () => {
  await lab?.close();
});

describe('pull progress in the lab', () => {
  it('shows per-layer pull progress and a busy status while a first build pulls its base', async () => {
    const context = await lab.browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(lab.url);
    await page.getByText('engine: ready').waitFor({ timeout: 30_000 });
    // Record every status text the page shows, with whether the build log was still open.
    await page.evaluate(() => {
      const w = window as unknown as { seen: { status: string; building: boolean }[] };
      w.seen = [];
      const status = document.querySelector('[role="status"]')!;
      new MutationObserver(() => {
        const building = [...document.querySelectorAll('button')].some((b) => b.textContent === 'Stop');
        w.seen.push({ status: status.textContent ?? '', building });
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await setDockerfile(page, 'FROM node:22-alpine\nCOPY app.py /app/app.py\nRUN echo built > /app/info\n');
    await page.getByLabel('image tag').fill('pulled:first');
    await page.getByRole('button', { name: 'Build', exact: true }).click();
    await page.getByText(/naming to docker\.io\/library\/pulled:first done/).waitFor({ timeout: 60_000 });
    const board = page.getByRole('region', { name: 'Pull progress' });
    await expect.poll(async () => (await board.getByRole('listitem').allTextContents()).length).toBe(4);
    for (const row of await board.getByRole('listitem').allTextContents()) expect(row).toMatch(/^[0-9a-f]{12}: Pull complete {2}[\d.]+[kMG]?B$/);
    await page.getByText('engine: ready').waitFor({ timeout: 30_000 });
    const seen = await page.evaluate(() => (window as unknown as { seen: { status: string; building: boolean }[] }).seen);
    expect(seen.some((s) => /^engine: busy — building pulled:first/.test(s.status))).toBe(true);
    expect(seen.filter((s) => s.building).every((s) => !s.status.includes('ready'))).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
