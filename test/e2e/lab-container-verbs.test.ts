/**
 * A container's verbs in the lab (issue 12) in Chromium, production build: the terminal shows a
 * command's output as it is printed (the first of two lines two seconds apart is on screen before
 * the second arrives); Pause freezes the container (the slab says Paused, a typed line is refused
 * with docker's exec error) and Unpause (by keyboard) resumes it; Rename checks docker's name rule
 * with docker's text while typing and renames (the slab and the terminal take the new name); the
 * Processes tab shows `docker top` and `docker stats --no-stream`; Kill ends it with 137. A command
 * run from the Run form shows its output in the form while it runs.
 * Screenshots at 1024×768 and 1920×1080.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { Lab } from './browser.ts';
import { build, checkLayout, chooseScenario, containerTerminal, layersRegion, openLabSuite } from './lab-page.ts';

const ARTIFACTS = resolve(import.meta.dirname, 'artifacts');
let lab: Lab;
let page: Page;
let errors: string[] = [];
const T = { timeout: 60_000 };

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ lab, page, errors } = await openLabSuite({ width: 1024, height: 768 }, { consoleErrors: true }));
  await chooseScenario(page, 'hello-layers');
}, 240_000);

afterAll(async () => {
  await lab?.close();
});

const { containerItem, terminalInput, transcript, typeLine } = containerTerminal(() => page);

const verbs = (name: string) => page.getByRole('group', { name: `Container ${name}` });
const text = async (l: Locator) => (await l.textContent()) ?? '';

describe('container verbs and live output in the lab', () => {
  it('runs a shell container; a line`s output appears as it is printed', async () => {
    expect(await build(page)).toMatch(/: done/);
    await layersRegion(page).getByRole('button', { name: 'Run', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /Run a container of/ });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('c1');
    await dialog.getByRole('textbox', { name: 'Command', exact: true }).fill('sh');
    await dialog.getByRole('button', { name: 'Start container' }).click();
    await terminalInput('c1').waitFor(T);

    // The outputs (`one-1`, `two-2`) differ from the typed text, so the transcript's echo of the line never matches them.
    await terminalInput('c1').pressSequentially('echo one-$((0+1)); sleep 2; echo two-$((1+1))', { delay: 5 });
    await terminalInput('c1').press('Enter');
    await expect.poll(() => text(transcript('c1')), T).toMatch(/\none-1\n/);
    // The first line is on screen while the shell sleeps: the second has not arrived yet.
    expect(await text(transcript('c1'))).not.toMatch(/two-2/);
    await expect.poll(() => text(transcript('c1')), T).toMatch(/\none-1\ntwo-2\n/);
    expect(errors).toEqual([]);
  }, 400_000);

  it('pause: the slab says Paused, a typed line gets docker`s exec error; unpause by keyboard resumes it', async () => {
    await verbs('c1').getByRole('button', { name: 'Pause c1' }).click();
    await expect.poll(() => text(containerItem('c1')), T).toMatch(/‖ Paused/);
    expect(await text(containerItem('c1'))).toMatch(/Up .*\(Paused\)/);
    await typeLine('c1', 'echo still-here');
    expect(await text(transcript('c1'))).toMatch(/echo still-here\nError response from daemon: Container c1 is paused, unpause the container before exec\n/);
    expect(await text(transcript('c1'))).not.toMatch(/\nstill-here\n/);
    for (const [w, h] of [[1024, 768], [1920, 1080]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForTimeout(400);
      await page.screenshot({ path: join(ARTIFACTS, `lab-container-paused-${w}x${h}.png`) });
    }
    await page.setViewportSize({ width: 1024, height: 768 });

    const unpause = verbs('c1').getByRole('button', { name: 'Unpause c1' });
    await unpause.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => text(containerItem('c1')), T).not.toMatch(/Paused/);
    // The same button, still focused, now pauses.
    expect(await verbs('c1').getByRole('button', { name: 'Pause c1' }).evaluate((b) => b === document.activeElement)).toBe(true);
    await typeLine('c1', 'echo still-here');
    expect(await text(transcript('c1'))).toMatch(/\nstill-here\n/);
  }, 180_000);

  it('rename: docker`s rule and text while typing; Enter renames the slab and the terminal', async () => {
    await verbs('c1').getByRole('button', { name: 'Rename c1' }).click();
    const field = page.getByRole('textbox', { name: 'New name for c1' });
    await field.fill('bad name!');
    const form = page.getByRole('form', { name: 'Rename c1' });
    await expect.poll(() => text(form.getByRole('alert')), T).toBe('Error response from daemon: Invalid container name (bad name!), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByRole('button', { name: 'Save name' }).isDisabled()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'lab-container-rename-1024x768.png') });
    await field.fill('web-1');
    expect(await text(form.getByRole('alert'))).toBe('');
    await field.press('Enter');
    await expect.poll(() => containerItem('web-1').count(), T).toBe(1);
    expect(await containerItem('c1').count()).toBe(0);
    // Focus is back on the Rename button (now named after the new name).
    await expect.poll(() => verbs('web-1').getByRole('button', { name: 'Rename web-1' }).evaluate((b) => b === document.activeElement), T).toBe(true);
    await typeLine('web-1', 'hostname >/dev/null; echo renamed-ok');
    expect(await text(transcript('web-1'))).toMatch(/\nrenamed-ok\nweb-1 # $/);
  }, 120_000);

  it('the Processes tab shows docker top and docker stats --no-stream (screenshots)', async () => {
    await verbs('web-1').getByRole('button', { name: 'Processes and stats of web-1' }).click();
    const top = page.getByRole('table', { name: 'docker top web-1' });
    await expect.poll(() => top.getByRole('row').count(), T).toBe(2);
    expect(await top.getByRole('columnheader').allTextContents()).toEqual(['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
    const proc = await top.getByRole('row').nth(1).getByRole('cell').allTextContents();
    expect(proc[0]).toBe('root');
    expect(proc.at(-1)).toBe('sh');
    const stats = page.getByRole('table', { name: 'docker stats web-1' });
    await expect.poll(() => stats.getByRole('row').count(), T).toBe(2);
    expect(await stats.getByRole('columnheader').allTextContents()).toEqual(['CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS']);
    const row = await stats.getByRole('row').nth(1).getByRole('cell').allTextContents();
    expect(row[1]).toBe('0B / 2GiB');
    expect(row[5]).toBe('1');
    expect(await text(page.getByRole('region', { name: 'Stats of web-1' }))).toMatch(/Simulation:/);
    for (const [w, h] of [[1024, 768], [1920, 1080]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForTimeout(400);
      await page.screenshot({ path: join(ARTIFACTS, `lab-container-processes-${w}x${h}.png`) });
      await checkLayout(page, [layersRegion(page), page.getByRole('region', { name: 'Dock', exact: true })], ['layers', 'dock']);
    }
    await page.setViewportSize({ width: 1024, height: 768 });
  }, 120_000);

  it('kill -s TERM is ignored by a PID-1 shell without a trap (said so); kill -s KILL ends it with 137', async () => {
    await page.getByRole('tab', { name: 'Terminal' }).click();
    const signal = verbs('web-1').getByRole('combobox', { name: 'Signal for kill' });
    expect(await signal.inputValue()).toBe('KILL');
    await signal.selectOption('TERM');
    await verbs('web-1').getByRole('button', { name: 'Kill web-1' }).click();
    await expect.poll(() => text(page.getByRole('region', { name: 'Dock', exact: true })), T).toMatch(/SIGTERM delivered; web-1 is still running: the kernel gives PID 1 no default action/);
    expect(await text(containerItem('web-1'))).toMatch(/Up /);
    await page.getByRole('tab', { name: 'Processes' }).click();
    const group = page.getByRole('group', { name: 'Verbs of web-1' });
    expect(await group.getByRole('combobox', { name: 'Signal for kill' }).inputValue()).toBe('KILL');
    await group.getByRole('button', { name: 'Kill web-1' }).click();
    await expect.poll(() => text(containerItem('web-1')), T).toMatch(/Exited \(137\)/);
    expect(errors).toEqual([]);
  }, 120_000);

  it('a command run from the Run form shows its output while it runs, then its exit', async () => {
    await layersRegion(page).getByRole('button', { name: 'Run', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /Run a container of/ });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('job');
    await dialog.getByRole('textbox', { name: 'Command', exact: true }).fill('sh -c "echo alpha-$((0+1)); sleep 2; echo beta-$((1+1))"');
    await dialog.getByRole('button', { name: 'Start container' }).click();
    const out = dialog.getByRole('log', { name: 'Output so far' });
    await expect.poll(() => text(out), T).toMatch(/alpha-1\n/);
    expect(await text(out)).not.toMatch(/beta-2/);
    await page.screenshot({ path: join(ARTIFACTS, 'lab-container-run-output-1024x768.png') });
    await page.getByRole('tab', { name: 'Terminal' }).click();
    await expect.poll(() => text(page.getByRole('region', { name: 'Dock', exact: true })), T).toMatch(/job ran and exited \(0\):\nalpha-1\nbeta-2\n/);
    expect(errors).toEqual([]);
  }, 120_000);
});
