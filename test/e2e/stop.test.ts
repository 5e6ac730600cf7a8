/**
 * A runaway RUN cannot be interrupted inside the worker (just-bash never yields in a tight loop),
 * so Stop terminates the worker. The next action starts a fresh worker that reloads the store from
 * IndexedDB: images built before are still there, and so is the Dockerfile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from './browser.ts';
import { dockerfileEditor } from './editor-page.ts';

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
    await page.goto(lab.url);
    await page.getByText('engine: ready').waitFor({ timeout: 30_000 });
    const editor = await dockerfileEditor(page);
    const tag = page.getByLabel('image tag');
    const build = page.getByRole('button', { name: 'Build', exact: true });

    await editor.fill('FROM alpine:3.22\nRUN echo kept > /kept\n');
    await tag.fill('kept:1');
    await build.click();
    await page.getByText(/naming to docker\.io\/library\/kept:1 done/).waitFor({ timeout: 60_000 });

    await editor.fill('FROM alpine:3.22\nRUN while true; do :; done\n');
    await tag.fill('runaway:1');
    await build.click();
    await page.getByText(/\[2\/2\] RUN while true/).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('alert').filter({ hasText: 'Build stopped' }).waitFor();
    expect(await page.getByText(/engine: (idle|starting)/).count()).toBe(1);

    await editor.fill('FROM alpine:3.22\nRUN echo after > /after\n');
    await tag.fill('after:1');
    await build.click();
    await page.getByText(/naming to docker\.io\/library\/after:1 done/).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: /kept:1/ }).waitFor();
    expect(await page.getByRole('button', { name: /runaway:1/ }).count()).toBe(0);
    await page.close();
  }, 150_000);
});
