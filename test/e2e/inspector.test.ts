/**
 * The inspector and the Images tab, driven as a student would (issue 9): the "Deleting doesn't
 * shrink" scenario's whiteouts and wasted bytes attributed to the lower layer, a text file's
 * contents, a layer download whose sha256 is the digest shown, index → manifest → config → layer,
 * and a comparison of two images. Elements are found by role and name only.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from './browser.ts';
import { build, chooseScenario, layersRegion, openLab, setSpeed } from './lab-page.ts';
import { setDockerfile } from './editor-page.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
}, 180_000);
afterAll(async () => {
  await lab?.close();
});

describe('the inspector', () => {
  it('shows whiteouts and wasted bytes, file contents, a verifiable layer download, the objects and a comparison', async () => {
    const page = await lab.browser.newPage({ viewport: { width: 1920, height: 1080 }, acceptDownloads: true });
    page.setDefaultTimeout(60_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openLab(page, lab.url);
    await setSpeed(page, 'Instant');
    await chooseScenario(page, 'deleting');
    expect(await build(page)).toMatch(/done/);

    // The top layer: RUN rm -rf /var/lib/apt/lists/* — a whiteout hiding what layer 1 still ships.
    await layersRegion(page).getByRole('button', { name: /^RUN rm -rf \/var\/lib\/apt\/lists/ }).click();
    const insp = page.getByRole('region', { name: 'Inspector' });
    const changes = insp.getByRole('list', { name: 'Changes in this layer' });
    const wh = changes.getByRole('listitem', { name: '/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages' });
    await wh.waitFor({ timeout: 30_000 });
    expect(await wh.textContent()).toMatch(/whiteout[\s\S]*hides layer 1's copy/);
    await insp.getByRole('tab', { name: 'Wasted space' }).click();
    const waste = insp.getByRole('region', { name: 'Wasted space' });
    await waste.getByText(/Efficiency/).first().waitFor();
    const hidden = waste.getByRole('listitem', { name: /_Packages$/ });
    await expect.poll(async () => (await hidden.textContent()) ?? '', { timeout: 30_000 }).toMatch(/1\.29MB: shipped by layer 1, deleted by layer 3/);
    await insp.getByRole('tab', { name: 'Hints' }).click();
    await expect.poll(async () => (await insp.getByRole('region', { name: 'Hints' }).textContent()) ?? '', { timeout: 30_000 }).toMatch(/this RUN deletes or replaces 1\.29MB that layer 1 still ships/);
    await page.screenshot({ path: 'test/e2e/artifacts/inspector-waste-1920.png' });

    // A text file's contents, with line numbers; its versions down the stack.
    await insp.getByRole('tab', { name: 'Merged view' }).click();
    await insp.getByRole('list', { name: 'Merged view' }).getByRole('listitem', { name: '/etc/debian_version' }).getByRole('button').click();
    const viewer = insp.getByRole('region', { name: 'File /etc/debian_version' });
    expect(await viewer.getByLabel('Contents of /etc/debian_version').textContent()).toMatch(/^1\s*12\.\d+/);
    expect(await viewer.getByRole('list', { name: /Versions of/ }).textContent()).toContain('layer 0: added');

    // Download the layer tar: its sha256 is the diff_id the inspector shows.
    await layersRegion(page).getByRole('button', { name: /^RUN mkdir -p \/var\/lib\/apt\/lists/ }).click();
    const [dl] = await Promise.all([page.waitForEvent('download'), insp.getByRole('button', { name: 'Download gzip blob' }).click()]);
    const gz = readFileSync((await dl.path())!);
    const shown = await insp.getByRole('definition').filter({ hasText: /^sha256:|sha256:[0-9a-f]{64}$/ }).allTextContents();
    expect(shown).toContain(`sha256:${createHash('sha256').update(gz).digest('hex')}`);

    // Images tab: index → manifest → config, digests link to the objects; then compare two images.
    await page.getByRole('tab', { name: 'Images' }).click();
    const details = page.getByRole('region', { name: /^Image fat/ });
    await details.getByRole('tab', { name: 'Objects' }).click();
    const objects = details.getByRole('region', { name: 'Image objects' });
    await objects.getByLabel('Index JSON').waitFor();
    await objects.getByLabel('Index JSON').getByRole('button').first().click();
    await objects.getByLabel('Manifest JSON').waitFor();
    await objects.getByLabel('Manifest JSON').getByRole('button', { name: /"sha256:/ }).first().click();
    expect(await objects.getByLabel('Config JSON').textContent()).toContain('"diff_ids"');
    await page.screenshot({ path: 'test/e2e/artifacts/images-objects-1920.png' });

    await setDockerfile(page, 'FROM debian:bookworm-slim\nRUN mkdir -p /var/lib/apt/lists && seq 1 2000 > /var/lib/apt/lists/small\n');
    await page.getByRole('textbox', { name: 'image tag' }).fill('slim:latest');
    expect(await build(page)).toMatch(/done/);
    await page.getByRole('tab', { name: 'Images' }).click();
    await page.getByRole('button', { name: 'Select fat:latest' }).click();
    await details.getByRole('tab', { name: 'Compare' }).click();
    const select = details.getByRole('combobox', { name: 'Compare with' });
    await select.selectOption({ label: (await select.locator('option', { hasText: 'slim:latest' }).textContent())! });
    const cmp = details.getByRole('region', { name: 'Compare images' });
    await cmp.getByText(/shared layer/).waitFor();
    expect(await cmp.textContent()).toMatch(/slim:latest → fat:latest: 1 shared layer/);
    expect(errors).toEqual([]);
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: 'test/e2e/artifacts/images-compare-1024.png' });
    await page.close();
  }, 300_000);
});
