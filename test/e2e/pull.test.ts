/**
 * Honest progress (issue 7): a first build on an empty store pulls its base image; while it runs,
 * the page shows docker pull's per-layer board and the status line never reads "ready". The
 * board is shown only while the work runs, so what the page shows is recorded as it changes: a
 * MutationObserver installed before Build is pressed snapshots the board's rows and the status
 * line on every DOM change, and the test asserts on what was seen during the pull.
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

interface Seen {
  status: string;
  building: boolean;
  rows: string[];
}

describe('pull progress in the lab', () => {
  it('shows the per-layer board and a busy status during a first build\'s pull, never "ready"', async () => {
    const context = await lab.browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(lab.url);
    await page.getByText('engine: ready').waitFor({ timeout: 60_000 });
    await setDockerfile(page, 'FROM node:22-alpine\nCOPY app.py /app/app.py\nRUN echo built > /app/info\n');
    await page.getByRole('textbox', { name: 'image tag' }).fill('pulled:first');
    // Snapshot the status line, the board (found by its accessible name) and whether Stop is
    // offered (a build runs) on every change, from before Build is pressed.
    await page.evaluate(() => {
      const w = window as unknown as { seen: Seen[] };
      w.seen = [];
      const status = document.querySelector('[role="status"][aria-label="Engine status"]')!;
      const snap = () => {
        const board = document.querySelector('section[aria-label="Pull progress"]');
        w.seen.push({
          status: status.textContent?.trim() ?? '',
          building: [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Stop'),
          rows: board ? [...board.querySelectorAll('li')].map((li) => li.textContent ?? '') : [],
        });
      };
      new MutationObserver(snap).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.getByRole('button', { name: 'Build', exact: true }).click();
    await page.getByText(/naming to docker\.io\/library\/pulled:first done/).waitFor({ timeout: 90_000 });
    await page.getByText('engine: ready').waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(() => (window as unknown as { seen: Seen[] }).seen);

    // The board appeared during the pull with node:22-alpine's four layers, first still moving…
    const withBoard = seen.filter((s) => s.rows.length > 0);
    expect(withBoard.length).toBeGreaterThan(0);
    const layerRow = /^[0-9a-f]{12}: (Pulling fs layer|Waiting|Downloading|Verifying Checksum|Download complete|Extracting|Pull complete|Already exists)/;
    for (const s of withBoard) for (const r of s.rows) expect(r).toMatch(layerRow);
    expect(withBoard.some((s) => s.rows.some((r) => !r.includes('Pull complete')))).toBe(true);
    // …then every layer complete, with its size, as docker prints it.
    const finished = withBoard.find((s) => s.rows.length === 4 && s.rows.every((r) => /^[0-9a-f]{12}: Pull complete {2}[\d.]+[kMG]?B$/.test(r)));
    expect(finished).toBeDefined();
    // While the board showed and while the build ran, the status said busy (what with), never ready.
    for (const s of seen.filter((x) => x.rows.length > 0 || x.building)) expect(s.status).not.toMatch(/ready/);
    expect(withBoard.some((s) => /^engine: busy — .*pulling .*node \(\d\/4 layers\)/.test(s.status))).toBe(true);
    expect(seen.some((s) => /^engine: busy — building pulled:first/.test(s.status))).toBe(true);
    // The board is gone once the work is done.
    await expect.poll(() => page.getByRole('region', { name: 'Pull progress' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});
