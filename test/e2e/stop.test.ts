/**
 * A runaway RUN cannot be interrupted inside the worker (just-bash never yields in a tight loop),
 * so Stop terminates the worker. The next action starts a fresh worker that reloads the store from
 * IndexedDB: images built before are still there, and so is the Dockerfile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from './browser.ts';
import { build, buildButton, layersRegion, openLab, previousItems, status } from './lab-page.ts';
import { dockerfileEditor, dockerfileText } from './editor-page.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
}, 180_000);
afterAll(async () => {
  await lab?.close();
});

describe('Stop and recovery', () => {
  it('stops a runaway build by restarting the worker and loses nothing', async () => {
    const page = await lab.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await openLab(page, lab.url);
    const editor = await dockerfileEditor(page);
    const tag = page.getByRole('textbox', { name: 'image tag' });

    await editor.fill('FROM alpine:3.22\nRUN echo kept > /kept\n');
    await tag.fill('kept:1');
    expect(await build(page)).toMatch(/done/);

    await editor.fill('FROM alpine:3.22\nRUN while true; do :; done\n');
    await tag.fill('runaway:1');
    await buildButton(page).click();
    await page.getByRole('log', { name: 'Build output' }).getByText(/\[2\/2\] RUN while true/).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('alert').filter({ hasText: 'Build stopped' }).waitFor();
    expect(await status(page).textContent()).toMatch(/engine: (idle|starting)/);
    // The stack does not pretend: the last good result stays beside it, greyed.
    await layersRegion(page).getByText('Build failed').waitFor();
    expect(await previousItems(page).count()).toBe(2);

    await editor.fill('FROM alpine:3.22\nRUN echo after > /after\n');
    await tag.fill('after:1');
    expect(await build(page)).toMatch(/done/);
    await page.getByRole('tab', { name: 'Images' }).click();
    await page.getByRole('tabpanel').getByRole('button', { name: /^kept:1/ }).waitFor();
    expect(await page.getByRole('tabpanel').getByRole('button', { name: /^runaway:1/ }).count()).toBe(0);

    // The Dockerfile survives a reload.
    await page.reload();
    await status(page).getByText('engine: ready').waitFor({ timeout: 60_000 });
    expect(await dockerfileText(page)).toContain('RUN echo after > /after');
    await page.close();
  }, 180_000);
});
