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

    // Download the layer tar and its gzip blob: their sha256 are the diff_id and the digest shown.
    await layersRegion(page).getByRole('button', { name: /^RUN mkdir -p \/var\/lib\/apt\/lists/ }).click();
    await insp.getByText(/^Layer 1$/).waitFor();
    const shownDigest = async (term: 'diff_id' | 'digest') => {
      const terms = await insp.getByRole('term').allTextContents();
      return (await insp.getByRole('definition').nth(terms.indexOf(term)).textContent())?.trim();
    };
    const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const downloadOf = async (button: string) => {
      const [dl] = await Promise.all([page.waitForEvent('download'), insp.getByRole('button', { name: button }).click()]);
      // path() waits for the download to finish and has no timeout of its own.
      return readFileSync((await Promise.race([dl.path(), new Promise<null>((_, no) => setTimeout(() => no(new Error(`${button}: the download did not finish in 60 s`)), 60_000))]))!);
    };
    const tar = await downloadOf('Download layer tar');
    expect(sha256(tar)).toBe(await shownDigest('diff_id'));
    expect(tar.subarray(257, 262).toString('latin1')).toBe('ustar');
    const gz = await downloadOf('Download gzip blob');
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    await expect.poll(() => shownDigest('digest'), { timeout: 30_000 }).toBe(sha256(gz));

    // Images tab: index → manifest → config → layer, each digest a link to the object it names.
    await page.getByRole('tab', { name: 'Images' }).click();
    const details = page.getByRole('region', { name: /^Image fat/ });
    await details.getByRole('tab', { name: 'Objects' }).click();
    const objects = details.getByRole('region', { name: 'Image objects' });
    await objects.getByLabel('Index JSON').waitFor();
    await objects.getByLabel('Index JSON').getByRole('button').first().click();
    await objects.getByLabel('Manifest JSON').waitFor();
    expect(await objects.getByLabel('Manifest JSON').textContent()).toContain('"application/vnd.oci.image.layer.v1.tar+gzip"');
    await objects.getByLabel('Manifest JSON').getByRole('button', { name: /"sha256:/ }).first().click();
    const config = objects.getByLabel('Config JSON');
    expect(await config.textContent()).toContain('"diff_ids"');
    await page.screenshot({ path: 'test/e2e/artifacts/images-objects-1920.png' });
    // The config's last diff_id opens the top layer (layer 3, the rm -rf) in the inspector.
    const diffIds = config.getByRole('button', { name: /"sha256:/ });
    const last = ((await diffIds.last().textContent()) ?? '').replace(/"/g, '');
    await diffIds.last().click();
    await insp.getByText(/^Layer 3$/).waitFor();
    expect(await shownDigest('diff_id')).toBe(last);
    expect(await insp.textContent()).toMatch(/Layer 3\s*RUN[^]*?rm -rf \/var\/lib\/apt\/lists/);

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
    // Per path: slim's own file is not in fat (removed going slim → fat), with its size.
    const small = cmp.getByRole('list', { name: 'Paths that differ' }).getByRole('listitem', { name: '/var/lib/apt/lists/small' });
    expect(await small.textContent()).toMatch(/^−\s*\/var\/lib\/apt\/lists\/small\s*8\.89kB$/);
    await cmp.scrollIntoViewIfNeeded();
    expect(errors).toEqual([]);
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: 'test/e2e/artifacts/images-compare-1024.png' });
    await page.close();
  }, 300_000);

  it('the COPY . . before npm install hint names the install time the last build re-ran, and links to its line and slab', async () => {
    const page = await lab.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    page.setDefaultTimeout(60_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openLab(page, lab.url);
    await setSpeed(page, 'Instant');
    await chooseScenario(page, 'cache-order');
    await setDockerfile(page, 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm install --no-audit\nCMD ["node", "server.js"]\n');
    expect(await build(page)).toMatch(/done/);
    const insp = page.getByRole('region', { name: 'Inspector' });
    await insp.getByRole('tab', { name: 'Hints' }).click();
    const hints = insp.getByRole('region', { name: 'Hints' });
    const hint = hints.getByRole('listitem', { name: /^COPY \. \. before `npm install`/ });
    // Simulation: npm's modelled install time (the "added N packages in Xs" model), at least a second.
    const re = /any source edit re-runs the install \(last build: (\d+\.\d) s of simulated install time re-run\)/;
    await expect.poll(async () => (await hint.count()) ? (await hint.textContent()) ?? '' : '', { timeout: 30_000 }).toMatch(re);
    const first = re.exec((await hint.textContent())!)![1];
    expect(parseFloat(first)).toBeGreaterThanOrEqual(1);
    await hint.getByRole('button', { name: 'line 4' }).waitFor();
    await hint.getByRole('button', { name: /^layer \d+$/ }).click();
    expect(await insp.textContent()).toMatch(/Layer \d+\s*RUN[^]*?npm install --no-audit/);
    await page.screenshot({ path: 'test/e2e/artifacts/inspector-install-hint-1920.png' });

    // A rebuild hits the cache: the install did not run, and the hint keeps the time it cost when it last ran.
    expect(await build(page)).toMatch(/done .* 0 rebuilt/);
    await insp.getByRole('tab', { name: 'Hints' }).click();
    await expect.poll(async () => (await hint.count()) ? re.exec((await hint.textContent()) ?? '')?.[1] : undefined, { timeout: 30_000 }).toBe(first);
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});
