/**
 * Building in the browser: the engine (parser, builder, just-bash shell over the union fs, store)
 * runs in the worker; the page shows the log, per-step cache decisions and the new image's layers;
 * the Dockerfile survives a reload; errors point at their line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from './browser.ts';
import { dockerfileEditor, dockerfileText } from './editor-page.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
}, 180_000);
afterAll(async () => {
  await lab?.close();
});

describe('building in the lab', () => {
  it('builds, caches, reports errors on their line, and keeps the Dockerfile across a reload', async () => {
    const page = await lab.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(lab.url);
    await page.getByText('engine: ready').waitFor({ timeout: 30_000 });
    const editor = await dockerfileEditor(page);
    await editor.fill('FROM alpine:3.22\nWORKDIR /app\nCOPY app.py .\nRUN echo built > /app/info && rm /etc/issue\nCMD ["python3", "app.py"]\n');
    await page.getByRole('button', { name: 'Build', exact: true }).click();
    await page.getByText(/naming to docker\.io\/library\/hello:latest done/).waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('.slab').count()).toBe(4);
    expect(await page.locator('table tbody tr').count()).toBe(5);
    expect(await page.locator('table tbody').textContent()).toContain('no cached result for this step on this parent');

    await page.getByRole('button', { name: 'Build', exact: true }).click();
    await expect.poll(async () => (await page.locator('pre').last().textContent()) ?? '').toMatch(/CACHED[\s\S]*CACHED[\s\S]*CACHED/);
    await page.screenshot({ path: 'test-results/lab-build.png', fullPage: true });

    await editor.fill('FROM alpine:3.22\nRUNN echo oops\n');
    await page.getByRole('button', { name: 'Build', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'unknown instruction: RUNN' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('alert').filter({ hasText: 'Dockerfile:2' }).count()).toBe(1);

    await page.reload();
    await page.getByText('engine: ready').waitFor({ timeout: 30_000 });
    expect(await dockerfileText(page)).toContain('RUNN echo oops');
    expect(errors).toEqual([]);
    await page.close();
  }, 150_000);
});
