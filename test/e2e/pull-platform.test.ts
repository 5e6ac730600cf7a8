/**
 * `docker pull --platform linux/arm64 node:20-slim` in the page (issue 13: the model images have
 * arm64 manifests as the core ones do): the Registry tab's Pull form with platform linux/arm64
 * pulls the arm64 manifest onto this machine; pulling the same tag with the default platform then
 * downloads amd64's base and node layers (only layers with the same bytes on both are already
 * there), as docker does when the local image is another platform's.
 * Screenshots at 1920×1080 and 1024×768 after the pull.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Lab } from './browser.ts';
import { openLabSuite, status } from './lab-page.ts';

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
const output = (command: string) => panel().getByRole('figure', { name: `$ ${command}`, exact: true }).locator('pre');
const outputText = async (command: string) => ((await output(command).count()) ? ((await output(command).textContent()) ?? '') : '');
const idle = () => expect.poll(async () => /engine: ready/.test((await status(page).textContent()) ?? '') && (await panel().getByRole('button', { name: 'Pull', exact: true }).isVisible()), { timeout: 120_000 }).toBe(true);

async function pull(ref: string, platform: string) {
  const form = panel().getByRole('form', { name: 'Pull' });
  await form.getByLabel('Reference').fill(ref);
  await form.getByRole('combobox', { name: 'platform' }).selectOption(platform);
  await form.getByRole('combobox', { name: 'onto' }).selectOption('local');
  await form.getByRole('button', { name: 'Pull', exact: true }).click();
}

describe('pull --platform in the Registry tab', () => {
  it('pulls node:20-slim for linux/arm64, then the default platform brings other layers', { timeout: 300_000 }, async () => {
    await page.getByRole('tab', { name: 'Registry' }).click();
    await panel().waitFor();
    await pull('node:20-slim', 'linux/arm64');
    const arm = 'docker pull --platform linux/arm64 node:20-slim';
    await expect.poll(() => outputText(arm), { timeout: 120_000 }).toMatch(/Status: Downloaded newer image for node:20-slim/);
    const armOut = await outputText(arm);
    expect(armOut).toMatch(/^20-slim: Pulling from library\/node$/m);
    const armLayers = armOut.split('\n').filter((l) => /: Pull complete$/.test(l)).map((l) => l.slice(0, 12));
    expect(armLayers).toHaveLength(5);
    await idle();
    await page.screenshot({ path: `${ARTIFACTS}/pull-arm64-1920.png` });
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: `${ARTIFACTS}/pull-arm64-1024.png` });
    await page.setViewportSize({ width: 1920, height: 1080 });

    await pull('node:20-slim', '');
    const amd = 'docker pull node:20-slim';
    await expect.poll(() => outputText(amd), { timeout: 120_000 }).toMatch(/Status: Downloaded newer image for node:20-slim/);
    const amdOut = await outputText(amd);
    const amdLayers = amdOut.split('\n').filter((l) => /: Pull complete$/.test(l)).map((l) => l.slice(0, 12));
    const shared = amdOut.split('\n').filter((l) => /: Already exists$/.test(l)).map((l) => l.slice(0, 12));
    // Another architecture's binaries: the base and node layers are new blobs; only layers whose
    // bytes are the same on both (text written by RUN/COPY) are already there, as with docker.
    expect(amdLayers.length + shared.length).toBe(5);
    expect(amdLayers.length).toBeGreaterThanOrEqual(3);
    expect(amdLayers.filter((id) => armLayers.includes(id))).toEqual([]);
    expect(shared.every((id) => armLayers.includes(id))).toBe(true);
    expect(errors).toEqual([]);
  });
});
