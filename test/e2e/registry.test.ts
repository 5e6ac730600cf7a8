/**
 * The Registry tab (issue 10) in Chromium, production build: build two images on one base (alpine),
 * push both to localhost:5000 — the second push says "Layer already exists" for the shared base and
 * sends no bytes for it; pull one onto the empty second machine (only its blobs arrive), then the
 * other (the base says "Already exists"); delete a tag and collect garbage (exactly the blobs no
 * other manifest names are marked, then removed, with the bytes freed); reload: registry content
 * and the second machine are back. Screenshots at 1920×1080 and 1024×768 during and after a push.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Lab } from './browser.ts';
import { build, chooseScenario, openLabSuite, setSpeed, status } from './lab-page.ts';

const ARTIFACTS = resolve(import.meta.dirname, 'artifacts');
let lab: Lab;
let page: Page;
let errors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ lab, page, errors } = await openLabSuite({ width: 1920, height: 1080 }));
}, 240_000);

afterAll(async () => {
  await lab?.close();
});

const panel = () => page.getByRole('tabpanel', { name: 'Registry' });
const tiles = (list: string) => panel().getByRole('list', { name: list }).getByRole('listitem', { name: /^blob / });
const registryTiles = () => tiles('Blobs of localhost:5000');
const secondTiles = () => tiles('Blobs on the second machine');
const output = (command: string) => panel().getByRole('figure', { name: `$ ${command}`, exact: true }).locator('pre');
const outputText = async (command: string) => ((await output(command).count()) ? ((await output(command).textContent()) ?? '') : '');
const idle = () => expect.poll(async () => /engine: ready/.test((await status(page).textContent()) ?? '') && (await panel().getByRole('button', { name: 'Push', exact: true }).isEnabled()), { timeout: 120_000 }).toBe(true);
/** The tile whose 12-hex label is `id`, in a list. */
const tile = (list: string, id: string) => tiles(list).filter({ has: page.getByText(id, { exact: true }) });
/**
 * Resolves once a tile of the list named `list` is animating (flying in): polled in the page every
 * frame, so it is started before the action and cannot miss a flight on a loaded machine.
 */
const flightIn = (list: string) =>
  page.waitForFunction((name) => [...document.querySelectorAll(`ul[aria-label="${name}"] > li`)].some((e) => e.getAnimations().length > 0), list, { polling: 'raf', timeout: 120_000 });
const shortIds = (lines: string, status: RegExp) => lines.split('\n').filter((l) => status.test(l)).map((l) => l.slice(0, 12));

async function openRegistryTab() {
  await page.getByRole('tab', { name: 'Registry' }).click();
  await panel().waitFor();
}

async function push(source: string, target: string) {
  const form = panel().getByRole('form', { name: 'Push' });
  await form.getByRole('combobox', { name: 'Image' }).selectOption(source);
  await form.getByRole('textbox', { name: 'as' }).fill(target);
  await form.getByRole('button', { name: 'Push', exact: true }).click();
}

async function pullOntoSecond(ref: string) {
  const form = panel().getByRole('form', { name: 'Pull' });
  await form.getByLabel('Reference').fill(ref);
  await form.getByRole('combobox', { name: 'onto' }).selectOption('second');
  await form.getByRole('button', { name: 'Pull', exact: true }).click();
  await expect.poll(() => outputText(`docker pull ${ref}  (on the second machine)`), { timeout: 120_000 }).toMatch(/Status: /);
  await idle();
}

let webLayers: string[] = [];
let baseId = '';

describe('the Registry tab', () => {
  it('pushes two images sharing alpine: the second push skips the shared layer, tiles fly, output is docker push', async () => {
    await chooseScenario(page, 'registry-dedupe');
    expect(await build(page)).toMatch(/: done/);
    await chooseScenario(page, 'volumes');
    await page.getByRole('textbox', { name: 'image tag' }).fill('localhost:5000/shop/web:visits');
    expect(await build(page)).toMatch(/: done/);
    await setSpeed(page, 'Slow motion');
    await openRegistryTab();

    const flying = flightIn('Blobs of localhost:5000');
    await push('localhost:5000/shop/web:1', 'localhost:5000/shop/web:1');
    // Slow motion: the blobs land one by one, flying in from this machine's column, and docker's lines appear with them.
    await flying;
    await registryTiles().filter({ hasText: 'Pushed' }).first().waitFor({ timeout: 120_000 });
    expect(await outputText('docker push localhost:5000/shop/web:1')).not.toMatch(/1: digest:/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'registry-push-during-1920x1080.png') });
    await expect.poll(() => outputText('docker push localhost:5000/shop/web:1'), { timeout: 60_000 }).toMatch(/^The push refers to repository \[localhost:5000\/shop\/web\]\n/);
    await idle();
    const first = await outputText('docker push localhost:5000/shop/web:1');
    const firstLines = first.split('\n');
    expect(firstLines.slice(1, -1).every((l) => /^[0-9a-f]{12}: Pushed$/.test(l))).toBe(true);
    expect(firstLines.at(-1)).toMatch(/^1: digest: sha256:[0-9a-f]{64} size: \d+$/);
    const pushedLayers = firstLines.length - 2;
    expect(pushedLayers).toBeGreaterThanOrEqual(3);
    // every blob of the image is now a tile of the registry: its layers, its config and its manifest
    expect(await registryTiles().count()).toBe(pushedLayers + 2);
    await page.screenshot({ path: join(ARTIFACTS, 'registry-push-after-1920x1080.png') });

    await page.setViewportSize({ width: 1024, height: 768 });
    // A teacher at 1024×768 drags the dock up to see the three columns.
    const boxes = await Promise.all((await page.getByRole('separator', { name: 'Resize the dock' }).all()).map((l) => l.boundingBox()));
    const splitter = boxes.find((b) => b && b.width > 500);
    await page.mouse.move(splitter!.x + splitter!.width / 2, splitter!.y + splitter!.height / 2);
    await page.mouse.down();
    await page.mouse.move(splitter!.x + splitter!.width / 2, splitter!.y - 260, { steps: 5 });
    await page.mouse.up();
    await push('localhost:5000/shop/web:visits', 'localhost:5000/shop/web:visits');
    // During the playback, the shared base layer's tile says "Layer already exists" before the push's last line is printed.
    await registryTiles().filter({ hasText: 'Layer already exists' }).waitFor({ timeout: 120_000 });
    expect(await outputText('docker push localhost:5000/shop/web:visits')).not.toMatch(/visits: digest:/);
    await page.screenshot({ path: join(ARTIFACTS, 'registry-push-during-1024x768.png') });
    await idle();
    const second = await outputText('docker push localhost:5000/shop/web:visits');
    const existing = shortIds(second, /: Layer already exists$/);
    expect(existing).toHaveLength(1);
    expect(shortIds(second, /: Pushed$/).length).toBeGreaterThanOrEqual(1);
    expect(second.split('\n').at(-1)).toMatch(/^visits: digest: sha256:[0-9a-f]{64} size: \d+$/);
    // The shared layer stays one tile, marked with docker's words; the summary counts no bytes for it.
    const shared = registryTiles().filter({ hasText: 'Layer already exists' });
    expect(await shared.count()).toBe(1);
    const sharedText = (await shared.textContent()) ?? '';
    baseId = /[0-9a-f]{12}/.exec(sharedText)![0];
    expect(await tile('Blobs of localhost:5000', baseId).count()).toBe(1);
    const summary = (await panel().getByRole('status').filter({ hasText: 'Push:' }).textContent()) ?? '';
    expect(summary).toMatch(/skipped 1 blob the other side already had \(\d+ bytes not sent\)/);
    // This machine's tile for the base layer (named by its DiffID, as docker push prints it) says the same.
    expect(await tiles('Blobs on this machine').filter({ hasText: existing[0] }).filter({ hasText: 'Layer already exists' }).count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'registry-push-after-1024x768.png') });
    expect(errors).toEqual([]);
  }, 600_000);

  it('pulls onto the empty second machine: only that image’s blobs arrive; the next pull skips the base', async () => {
    expect(await panel().getByRole('list', { name: 'Images on the second machine' }).textContent()).toMatch(/no images/);
    expect(await secondTiles().count()).toBe(0);
    await setSpeed(page, 'Slow motion');
    const form = panel().getByRole('form', { name: 'Pull' });
    await form.getByLabel('Reference').fill('localhost:5000/shop/web:1');
    await form.getByRole('combobox', { name: 'onto' }).selectOption('second');
    const flying = flightIn('Blobs on the second machine');
    await form.getByRole('button', { name: 'Pull', exact: true }).click();
    // Each blob that arrives flies in from the registry's tile of the same digest.
    await flying;
    await secondTiles().filter({ hasText: 'Pull complete' }).first().waitFor({ timeout: 120_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'registry-pull-during-1024x768.png') });
    await expect.poll(() => outputText('docker pull localhost:5000/shop/web:1  (on the second machine)'), { timeout: 120_000 }).toMatch(/Status: /);
    await idle();
    await setSpeed(page, 'Normal');
    const first = await outputText('docker pull localhost:5000/shop/web:1  (on the second machine)');
    expect(first.split('\n')[0]).toBe('1: Pulling from shop/web');
    expect(shortIds(first, /: Already exists$/)).toEqual([]);
    webLayers = shortIds(first, /: Pull complete$/);
    expect(webLayers).toContain(baseId);
    // exactly web:1's layers and config: nothing of web:visits came along
    expect(await secondTiles().count()).toBe(webLayers.length + 1);
    for (const id of webLayers) expect(await tile('Blobs on the second machine', id).count()).toBe(1);

    await pullOntoSecond('localhost:5000/shop/web:visits');
    const second = await outputText('docker pull localhost:5000/shop/web:visits  (on the second machine)');
    expect(shortIds(second, /: Already exists$/)).toEqual([baseId]);
    const visitsLayers = shortIds(second, /: Pull complete$/);
    expect(visitsLayers.length).toBeGreaterThanOrEqual(1);
    expect(await tile('Blobs on the second machine', baseId).filter({ hasText: 'Already exists' }).count()).toBe(1);
    expect(await secondTiles().count()).toBe(webLayers.length + visitsLayers.length + 2);
    expect((await panel().getByRole('list', { name: 'Images on the second machine' }).textContent()) ?? '').toMatch(/shop\/web:1[\s\S]*shop\/web:visits|shop\/web:visits[\s\S]*shop\/web:1/);
  }, 300_000);

  it('deleting a tag marks exactly the blobs no other manifest names; gc removes them and reports the bytes freed', async () => {
    const before = await registryTiles().count();
    await panel().getByRole('button', { name: 'Delete tag localhost:5000/shop/web:1' }).click();
    await expect.poll(() => outputText('layerlab registry rm-tag localhost:5000/shop/web:1'), { timeout: 60_000 }).toMatch(/^Deleted tag: localhost:5000\/shop\/web:1 \(was sha256:/);
    await idle();
    const unref = registryTiles().filter({ hasText: '✕ unreferenced' });
    const unrefText = await unref.allTextContents();
    const unrefLayers = unrefText.filter((t) => /layer/.test(t)).map((t) => /[0-9a-f]{12}/.exec(t)![0]).sort();
    expect(unrefLayers).toEqual(webLayers.filter((id) => id !== baseId).sort());
    expect(unrefText.filter((t) => /config/.test(t))).toHaveLength(1);
    expect(unrefText.filter((t) => /manifest/.test(t))).toHaveLength(1);
    expect((await tile('Blobs of localhost:5000', baseId).textContent()) ?? '').not.toMatch(/unreferenced/);
    await page.screenshot({ path: join(ARTIFACTS, 'registry-gc-marked-1024x768.png') });
    const dry = await outputText('layerlab registry gc --dry-run localhost:5000');
    expect(dry.split('\n').at(-1)).toBe(`${before - unrefText.length} blobs marked, ${unrefText.length} blobs and 1 manifests eligible for deletion`);

    await panel().getByRole('button', { name: 'Collect garbage in localhost:5000' }).click();
    // For a moment the collected tiles say so (text, not colour), then they go.
    await registryTiles().filter({ hasText: 'deleted' }).first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'registry-gc-deleted-1024x768.png') });
    await expect.poll(() => outputText('layerlab registry gc localhost:5000'), { timeout: 60_000 }).toMatch(new RegExp(`^1 manifests and ${unrefText.length} blobs deleted, [0-9.]+k?B freed$`, 'm'));
    await idle();
    await expect.poll(() => registryTiles().count(), { timeout: 30_000 }).toBe(before - unrefText.length);
    for (const id of unrefLayers) expect(await tile('Blobs of localhost:5000', id).count()).toBe(0);
    expect(await tile('Blobs of localhost:5000', baseId).count()).toBe(1);
    const summary = (await panel().getByRole('status').filter({ hasText: 'Garbage collection:' }).textContent()) ?? '';
    expect(summary).toMatch(new RegExp(`${unrefText.length} blobs removed, \\d+ bytes freed`));
  }, 300_000);

  it('after a reload the registry content and the second machine are back', async () => {
    const count = await registryTiles().count();
    const secondCount = await secondTiles().count();
    await page.reload();
    await status(page).getByText('engine: ready').waitFor({ timeout: 60_000 });
    await openRegistryTab();
    await expect.poll(() => registryTiles().count(), { timeout: 60_000 }).toBe(count);
    expect(await tile('Blobs of localhost:5000', baseId).count()).toBe(1);
    expect((await panel().getByRole('list', { name: 'Repositories of localhost:5000' }).textContent()) ?? '').toMatch(/shop\/web:\s*visits/);
    await expect.poll(() => secondTiles().count(), { timeout: 60_000 }).toBe(secondCount);
    expect(errors).toEqual([]);
  }, 180_000);

  it('with reduced motion nothing flies or flashes, but every blob still gets its status', async () => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await secondTiles().count()).toBeGreaterThan(0);
    await panel().getByRole('button', { name: 'Empty it' }).click();
    await expect.poll(() => secondTiles().count(), { timeout: 60_000 }).toBe(0);
    await idle();
    // Every frame of the whole pull is watched for a tile (or its status) that animates.
    await page.evaluate(() => {
      const w = window as unknown as { animatedFrames: number; watching: boolean };
      w.animatedFrames = 0;
      w.watching = true;
      const tick = () => {
        if ([...document.querySelectorAll('ul[aria-label="Blobs on the second machine"] > li')].some((e) => e.getAnimations({ subtree: true }).length > 0)) w.animatedFrames++;
        if (w.watching) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await pullOntoSecond('localhost:5000/shop/web:visits');
    const animatedFrames = await page.evaluate(() => {
      const w = window as unknown as { animatedFrames: number; watching: boolean };
      w.watching = false;
      return w.animatedFrames;
    });
    expect(animatedFrames).toBe(0);
    const out = await outputText('docker pull localhost:5000/shop/web:visits  (on the second machine)');
    const layers = shortIds(out, /: Pull complete$/);
    expect(layers).toContain(baseId);
    for (const id of layers) expect(await tile('Blobs on the second machine', id).filter({ hasText: 'Pull complete' }).count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'registry-reduced-motion-1024x768.png') });
    expect(errors).toEqual([]);
  }, 180_000);
});
