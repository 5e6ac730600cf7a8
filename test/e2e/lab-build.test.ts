/**
 * The build half of the lab in Chromium (production build): the stack fills slab by slab while a
 * build runs, a rebuild is CACHED everywhere, an edited file rebuilds its COPY and everything
 * above with a reason naming it, a failed build leaves the previous result greyed beside it,
 * step-by-step mode pauses before every instruction, and the four areas fit 1024×768 and 1920×1080.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { Lab } from './browser.ts';
import { dockerfileEditor, dockerfileText, setDockerfile } from './editor-page.ts';
import {
  build, buildAndWatch, buildButton, checkLayout, chooseScenario, imageLayerCount, layerItems, layersRegion, openLab, openLabSuite, previousItems, setSpeed, status, waitIdle,
} from './lab-page.ts';

const ARTIFACTS = resolve(import.meta.dirname, 'artifacts');
let lab: Lab;
let context: BrowserContext;
let page: Page;
let errors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ lab, context, page, errors } = await openLabSuite({ width: 1024, height: 768 }, { consoleErrors: true }));
  await chooseScenario(page, 'hello-layers');
}, 240_000);

afterAll(async () => {
  await lab?.close();
});

const item = (name: RegExp) => layerItems(page).filter({ has: page.getByRole('button', { name }) });

describe('the lab builds in front of you', () => {
  it('adds one slab per layer while the build runs, and ends with the image’s layer count', async () => {
    await setSpeed(page, 'Slow motion');
    const { during, final } = await buildAndWatch(page);
    expect(final).toBe(4);
    expect(during.some((n) => n > 0 && n < final), `counts seen while building: ${during.join(',')}`).toBe(true);
    expect(await imageLayerCount(page, 'hello:latest')).toBe(final);
    // Sizes printed on the slabs: the 29 B COPY and the 8.3 MB base look different at a glance.
    const copy = await item(/^COPY app\.py/).boundingBox();
    const base = await item(/^alpine:3\.22 layer 1/).boundingBox();
    expect(copy && base).toBeTruthy();
    await page.getByRole('button', { name: /base image alpine:3\.22/ }).click();
    const baseOpen = await item(/^alpine:3\.22 layer 1/).getByRole('button', { name: /^alpine/ }).boundingBox();
    const workdir = await item(/^WORKDIR \/app, 0B/).getByRole('button').boundingBox();
    expect(baseOpen!.height).toBeGreaterThan(workdir!.height + 15);
    await setSpeed(page, 'Normal');
  }, 300_000);

  it('a rebuild is CACHED for every step, in the stack and in the log', async () => {
    expect(await build(page)).toMatch(/^Build 2: done in [\d.]+ s · 3 cached · 0 rebuilt$/);
    const labels = await layerItems(page).getByRole('button', { name: /, \d/ }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    const steps = labels.filter((l) => !/^alpine/.test(l ?? ''));
    expect(steps).toHaveLength(3);
    for (const l of steps) expect(l).toMatch(/, cached$/);
    const log = (await page.getByRole('log', { name: 'Build output' }).textContent()) ?? '';
    for (const step of ['[1/4] FROM', '[2/4] WORKDIR /app', '[3/4] COPY app.py .', '[4/4] RUN echo']) {
      expect(log).toMatch(new RegExp(`${step.replace(/[[\]/.]/g, '\\$&')}[^#]*CACHED`));
    }
  }, 120_000);

  it('editing a file a COPY uses rebuilds that step and every step above, naming the file', async () => {
    await page.getByRole('tree', { name: 'Build context' }).getByRole('treeitem', { name: /app\.py/ }).click();
    await page.getByRole('textbox', { name: 'Contents of app.py' }).fill('print("hello again")\n');
    expect(await build(page)).toMatch(/· 1 cached · 2 rebuilt$/);
    const workdir = item(/^WORKDIR \/app/).getByRole('button');
    const copy = item(/^COPY app\.py/).getByRole('button');
    const run = item(/^RUN echo/).getByRole('button');
    await expect.poll(() => workdir.getAttribute('aria-label')).toMatch(/, cached$/);
    expect(await copy.getAttribute('aria-label')).toMatch(/, rebuilt$/);
    expect(await run.getAttribute('aria-label')).toMatch(/, rebuilt$/);
    expect(await copy.textContent()).toContain('app.py changed since the last build');
    expect(await run.textContent()).toContain('a step before it was rebuilt');
    // Pointing at a Dockerfile line lights up the slab it made.
    const editor = await dockerfileEditor(page);
    await editor.getByText('COPY app.py .').hover();
    await expect.poll(() => copy.getAttribute('aria-current')).toBe('true');
    expect(await run.getAttribute('aria-current')).toBeNull();
    await editor.getByText(/^RUN echo/).hover();
    await expect.poll(() => run.getAttribute('aria-current')).toBe('true');
    expect(await copy.getAttribute('aria-current')).toBeNull();
    // The log: one click on the step shows its reason.
    const logRegion = page.getByRole('log', { name: 'Build output' });
    await logRegion.getByText('[3/4] COPY app.py .').click();
    await logRegion.getByText('rebuilt: app.py changed since the last build').waitFor();
    // The inspector explains a slab.
    await copy.click();
    await page.getByRole('region', { name: 'Inspector' }).getByText('app.py changed since the last build').waitFor();
    await page.getByRole('region', { name: 'Inspector' }).getByRole('list', { name: 'Changes in this layer' }).getByRole('listitem', { name: '/app/app.py' }).waitFor();
  }, 120_000);

  it('a Dockerfile error leaves the previous result greyed beside an empty stack', async () => {
    await setDockerfile(page, 'FROM alpine:3.22\nRUNN echo oops\n');
    await buildButton(page).click();
    await page.getByRole('alert').filter({ hasText: 'unknown instruction: RUNN' }).waitFor({ timeout: 30_000 });
    await waitIdle(page);
    expect(await layerItems(page).count()).toBe(0);
    expect(await previousItems(page).count()).toBe(4);
    await layersRegion(page).getByText('Build failed').waitFor();
    expect(await page.getByRole('complementary', { name: 'Previous result' }).textContent()).toMatch(/previous result: hello:latest.*new one failed/);
    expect(await status(page).textContent()).toContain('engine: ready');

    // A RUN that fails: the failing step is marked, the partial stack is this build's, the previous result still beside it.
    await setDockerfile(page, 'FROM alpine:3.22\nWORKDIR /app\nRUN exit 3\n');
    await buildButton(page).click();
    await layersRegion(page).getByText('Build failed at step 3 (Dockerfile line 3)').waitFor({ timeout: 60_000 });
    await waitIdle(page);
    expect(await previousItems(page).count()).toBe(4);
    expect(await page.getByRole('alert').filter({ hasText: 'did not complete successfully: exit code: 3' }).count()).toBe(1);
  }, 120_000);

  it('step-by-step mode pauses before each instruction and says what it will do', async () => {
    await page.getByRole('button', { name: 'Reset workspace' }).click();
    expect(await dockerfileText(page)).toContain('COPY app.py .');
    await page.getByRole('checkbox', { name: 'Step by step' }).check();
    await buildButton(page).click();
    const next = page.getByRole('region', { name: 'Next instruction' });
    const expected = ['FROM alpine:3.22', 'WORKDIR /app', 'COPY app.py .', 'RUN echo', 'ENV GREETING=hello', 'CMD ["python3", "app.py"]'];
    const counts = [0, 1, 2, 3, 4, 4];
    for (let i = 0; i < expected.length; i++) {
      await next.getByText(`Paused before step ${i + 1}/6`).waitFor({ timeout: 30_000 });
      expect(await next.textContent()).toContain(expected[i]);
      expect(await layerItems(page).count()).toBe(counts[i]);
      expect(await status(page).textContent()).toContain(`paused before step ${i + 1}/6`);
      // The build really waits: nothing changes while the class guesses.
      await page.waitForTimeout(300);
      expect(await layerItems(page).count()).toBe(counts[i]);
      if (i === 3) expect(await next.textContent()).toContain('RUN: runs a command in a container on top of the layers below');
      await next.getByRole('button', { name: 'Next step' }).click();
    }
    await waitIdle(page);
    expect(await layerItems(page).count()).toBe(4);
    await page.getByRole('checkbox', { name: 'Step by step' }).uncheck();
  }, 120_000);

  it('fits 1024×768 and 1920×1080 without overlap; screenshots saved', async () => {
    const areas = (p: Page) => [
      p.getByRole('banner'),
      p.getByRole('region', { name: 'Dockerfile', exact: true }),
      p.getByRole('region', { name: 'Layers', exact: true }),
      p.getByRole('region', { name: 'Inspector', exact: true }),
      p.getByRole('region', { name: 'Dock', exact: true }),
    ];
    const names = ['header', 'Dockerfile', 'Layers', 'Inspector', 'Dock'];
    await item(/^COPY app\.py/).getByRole('button').click();
    await checkLayout(page, areas(page), names);
    await page.screenshot({ path: join(ARTIFACTS, 'lab-build-1024x768.png') });
    await page.getByRole('button', { name: 'Projector mode' }).click();
    await checkLayout(page, areas(page), names);
    await page.screenshot({ path: join(ARTIFACTS, 'lab-build-1024x768-projector.png') });
    await page.getByRole('button', { name: 'Projector mode' }).click();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(ARTIFACTS, 'lab-build-1024x768-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    const big = await context.newPage();
    await big.setViewportSize({ width: 1920, height: 1080 });
    await openLab(big, lab.url);
    await chooseScenario(big, 'shared-base');
    expect(await build(big)).toMatch(/^Build 1: done/);
    await big.getByRole('button', { name: /base image python:3\.12-slim/ }).click();
    await checkLayout(big, areas(big), names);
    // The stack uses the room: wider than a third of the screen.
    expect((await big.getByRole('region', { name: 'Layers', exact: true }).boundingBox())!.width).toBeGreaterThan(640);
    await big.screenshot({ path: join(ARTIFACTS, 'lab-build-1920x1080.png') });
    await big.close();
    expect(errors).toEqual([]);
  }, 300_000);
});
