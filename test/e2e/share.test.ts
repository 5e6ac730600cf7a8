/**
 * Share by link (issue 11): the Share dialog's link carries the Dockerfile, the context and the
 * build clock in its fragment; a fresh browser opening it sees the same Dockerfile and rebuilds
 * to the same image ID. Found by role and name only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from './browser.ts';
import { build, chooseScenario, openLab, setSpeed } from './lab-page.ts';
import { dockerfileText } from './editor-page.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
}, 180_000);
afterAll(async () => {
  await lab?.close();
});

async function imageIdOf(page: import('playwright-core').Page): Promise<string> {
  const log = (await page.getByRole('region', { name: 'Dock' }).getByRole('tabpanel').textContent()) ?? '';
  return /writing image (sha256:[0-9a-f]{64})/.exec(log)?.[1] ?? '';
}

describe('share links', () => {
  it('a link opened in a fresh browser restores the workspace and rebuilds to the same image ID', async () => {
    const a = await lab.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await a.newPage();
    await openLab(page, lab.url);
    await setSpeed(page, 'Instant');
    await chooseScenario(page, 'hello-layers');
    expect(await build(page)).toMatch(/done/);
    await page.getByRole('tab', { name: 'Build log' }).click();
    const id = await imageIdOf(page);
    expect(id).toMatch(/^sha256:/);
    await page.getByRole('button', { name: 'Share' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share' });
    const link = await dialog.getByRole('textbox', { name: 'Share link' }).inputValue();
    expect(link).toMatch(/#s=[A-Za-z0-9_-]+$/);
    expect(await dialog.getByRole('textbox', { name: 'Embed snippet' }).inputValue()).toContain('<iframe src=');
    const dockerfile = await dockerfileText(page);
    await a.close();

    const b = await lab.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const other = await b.newPage();
    await openLab(other, link);
    expect(await dockerfileText(other)).toBe(dockerfile);
    expect(new URL(other.url()).hash).toBe('');
    await setSpeed(other, 'Instant');
    expect(await build(other)).toMatch(/done/);
    await other.getByRole('tab', { name: 'Build log' }).click();
    expect(await imageIdOf(other)).toBe(id);
    await other.screenshot({ path: 'test/e2e/artifacts/share-opened-1280.png' });
    await b.close();
  }, 240_000);
});
