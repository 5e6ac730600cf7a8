/**
 * Honest progress (issue 7): a first build on an empty store pulls its base image; while it runs,
 * the page shows docker pull's per-layer board and the status line never reads "ready". The
 * board is shown only while the work runs, so what the page shows is recorded as it changes: a
 * MutationObserver installed before Build is pressed snapshots the board's rows and the status
 * line on every DOM change, and the test asserts on what was seen during the pull.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from './browser.ts';
import { setDockerfile } from './editor-page.ts';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');
let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
}, 180_000);
afterAll(async () => {
  await lab?.close();
});

interface Seen {
  status: string;
  /** The build log already says the image was named (the build is done). */
  done: boolean;
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
    // Snapshot the status line, the board (found by its accessible name) and whether the build log
    // says the image is named yet, on every change, from before Build is pressed.
    await page.evaluate(() => {
      const w = window as unknown as { seen: Seen[] };
      w.seen = [];
      const status = document.querySelector('[role="status"][aria-label="Engine status"]')!;
      const snap = () => {
        const board = document.querySelector('section[aria-label="Pull progress"]');
        w.seen.push({
          status: status.textContent?.trim() ?? '',
          done: document.body.textContent?.includes('naming to docker.io/library/pulled:first done') ?? false,
          rows: board ? [...board.querySelectorAll('li')].map((li) => li.textContent ?? '') : [],
        });
      };
      new MutationObserver(snap).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.getByRole('button', { name: 'Build', exact: true }).click();
    await page.getByText(/naming to docker\.io\/library\/pulled:first done/).waitFor({ timeout: 90_000 });
    await page.getByText('engine: ready').waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(() => (window as unknown as { seen: Seen[] }).seen);
    // What the page showed, for a reader of a failure (test/e2e/artifacts is not committed).
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'pull-seen.json'), JSON.stringify(seen, null, 1));

    // The board appeared during the pull with node:22-alpine's four layers, in docker's words…
    const withBoard = seen.filter((s) => s.rows.length > 0);
    expect(withBoard.length).toBeGreaterThan(0);
    const layerRow = /^[0-9a-f]{12}: (Pulling fs layer|Waiting|Downloading|Verifying Checksum|Download complete|Extracting|Pull complete|Already exists)/;
    for (const s of withBoard) for (const r of s.rows) expect(r).toMatch(layerRow);
    expect(withBoard.some((s) => s.rows.length === 4 && s.rows.every((r) => r.endsWith(': Pulling fs layer')))).toBe(true);
    // …moving layer by layer: the count of completed layers never goes back, and it was seen
    // part-way (the board was live, not drawn once at the end), with docker's sizes.
    const complete = (s: Seen) => s.rows.filter((r) => /^[0-9a-f]{12}: Pull complete {2}[\d.]+[kMG]?B$/.test(r)).length;
    const counts = withBoard.map(complete);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]);
    expect(new Set(counts.filter((c) => c > 0 && c < 4)).size).toBeGreaterThanOrEqual(2);
    // While it pulled, the status said what with (k of the layers known so far); until the build was done it never said ready.
    // (The status line may update a frame after the board's first rows: it must name the pull while the board shows, and never say ready.)
    expect(withBoard.filter((s) => /pulling docker\.io\/library\/node \(\d\/[1-4] layers\)/.test(s.status)).length).toBeGreaterThan(withBoard.length / 2);
    for (const s of withBoard) expect(s.status).not.toMatch(/ready/);
    const untilDone = seen.slice(0, Math.max(0, seen.findIndex((s) => s.done)));
    expect(untilDone.length).toBeGreaterThan(0);
    for (const s of untilDone) expect(s.status).not.toMatch(/ready/);
    expect(seen[seen.length - 1].status).toMatch(/ready/);
    // The board is gone once the work is done.
    await expect.poll(() => page.getByRole('region', { name: 'Pull progress' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});
