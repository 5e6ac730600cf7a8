/**
 * Containers in the lab (issue 10) in Chromium, production build: build an image, press Run, type
 * in the xterm terminal, and watch the container slab list `+`, `~` (copied-up bytes), `x` and `▦`;
 * the live `docker diff` beside the terminal equals what the engine (in Node, the CLI's engine)
 * reports for the same image and the same commands. Then commit, exec, reload (containers back),
 * remove; screenshots at 1024×768 and 1920×1080.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Lab } from './browser.ts';
import { build, checkLayout, chooseScenario, containerTerminal, layersRegion, LONGTASK_RECORDER, openLabSuite, status } from './lab-page.ts';
import { testEngine } from '../helpers.ts';
import { LESSONS } from '../../src/scenario/lessons/index.ts';
import { scenarioBuildRequest } from '../../src/scenario/build.ts';

const ARTIFACTS = resolve(import.meta.dirname, 'artifacts');
const COMMANDS = ['echo hi > /new.txt', 'echo x >> /etc/passwd', 'rm /etc/motd', 'rm -rf /etc/apk && mkdir /etc/apk'];
let lab: Lab;
let page: Page;
let errors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ lab, page, errors } = await openLabSuite({ width: 1024, height: 768 }, { consoleErrors: true, initScript: LONGTASK_RECORDER }));
  await chooseScenario(page, 'hello-layers');
}, 240_000);

afterAll(async () => {
  await lab?.close();
});

const { containerItem, terminalInput, transcript, typeLine } = containerTerminal(() => page);

const liveDiff = (name: string) => page.getByRole('region', { name: `docker diff ${name}` }).getByRole('listitem');

/** The same image and commands through the engine in Node (what `layerlab diff` prints). */
async function engineDiff(): Promise<string[]> {
  const engine = testEngine();
  await engine.builds.build({ ...scenarioBuildRequest(LESSONS.find((p) => p.id === 'hello-layers')!), tags: ['hello:latest'] });
  const r = await engine.containers.run({ image: 'hello:latest', name: 'ref', cmd: ['sh'], interactive: true, tty: true, detach: true });
  for (const c of COMMANDS) await engine.containers.sessionLine(r.sessionId!, c);
  return (await engine.containers.diff('ref')).map((d) => `${d.kind} ${d.path}`);
}

describe('a container in the lab', () => {
  it('runs from the stack, and the terminal’s writes appear as +, ~, x and ▦ in the container slab', async () => {
    expect(await build(page)).toMatch(/: done/);
    await layersRegion(page).getByRole('button', { name: 'Run', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /Run a container of/ });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('c1');
    await expect.poll(() => dialog.getByRole('textbox', { name: 'Command', exact: true }).inputValue()).toBe('python3 app.py');
    await dialog.getByRole('textbox', { name: 'Command', exact: true }).fill('sh');
    await dialog.getByRole('button', { name: 'Start container' }).click();
    await terminalInput('c1').waitFor({ timeout: 30_000 });
    await expect.poll(() => containerItem('c1').count()).toBe(1);
    await expect.poll(async () => (await containerItem('c1').textContent()) ?? '').toMatch(/empty writable layer/);

    for (const c of COMMANDS) await typeLine('c1', c);
    const item = containerItem('c1');
    await expect.poll(async () => (await item.textContent()) ?? '', { timeout: 20_000 }).toMatch(/\+ \/new\.txt new file, 3B/);
    const text = (await item.textContent()) ?? '';
    expect(text).toMatch(/~ \/etc\/passwd copied up \d+ bytes from layer 0/);
    expect(text).toMatch(/x \/etc\/motd whiteout: the lower file \([^)]+\) in layer 0 stays, still counted in the image size/);
    expect(text).toMatch(/▦ \/etc\/apk opaque directory/);
    const copied = Number(/~ \/etc\/passwd copied up (\d+) bytes/.exec(text)![1]);
    expect(copied).toBeGreaterThan(500);

    const shown = await liveDiff('c1').allTextContents();
    expect(shown).toEqual(await engineDiff());
    expect(shown).toContain('A /new.txt');
    expect(shown).toContain('D /etc/motd');
    expect(shown).toContain('C /etc/passwd');

    // Line editing: history (↑) recalls the last command; Ctrl+C drops a half-typed line.
    await terminalInput('c1').pressSequentially('cat /new.txt', { delay: 5 });
    await terminalInput('c1').press('Control+c');
    await typeLine('c1', 'cat /new.txt');
    await expect.poll(async () => (await transcript('c1').textContent()) ?? '').toMatch(/cat \/new\.txt\nhi\n/);
    await terminalInput('c1').press('ArrowUp');
    await terminalInput('c1').press('Enter');
    await expect.poll(async () => ((await transcript('c1').textContent()) ?? '').match(/\nhi\n/g)?.length ?? 0).toBe(2);
    expect(await page.getByRole('tab', { name: 'Terminal' }).getAttribute('aria-selected')).toBe('true');
  }, 300_000);

  it('fits 1024×768 and 1920×1080 with the terminal open; screenshots saved', async () => {
    const areas = [page.getByRole('region', { name: 'Layers', exact: true }), page.getByRole('region', { name: 'Dock', exact: true }), page.getByRole('region', { name: 'docker diff c1' })];
    await page.screenshot({ path: join(ARTIFACTS, 'lab-run-1024x768.png') });
    const [, dock, diff] = await Promise.all(areas.map((a) => a.boundingBox()));
    expect(diff!.x + diff!.width).toBeLessThanOrEqual(dock!.x + dock!.width + 1);
    const term = await page.getByRole('group', { name: 'Terminal c1' }).boundingBox();
    expect(term!.x + term!.width).toBeLessThanOrEqual(diff!.x + 1);
    expect(term!.height).toBeGreaterThan(60);
    await checkLayout(page, [page.getByRole('region', { name: 'Layers', exact: true }), page.getByRole('region', { name: 'Dock', exact: true })], ['layers', 'dock']);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'lab-run-1920x1080.png') });
    await checkLayout(page, [page.getByRole('region', { name: 'Layers', exact: true }), page.getByRole('region', { name: 'Dock', exact: true })], ['layers', 'dock']);
    await page.setViewportSize({ width: 1024, height: 768 });
  }, 60_000);

  it('commits the container to a new image with one more layer, and opens a second terminal with Exec', async () => {
    const verbs = page.getByRole('group', { name: 'Container c1' });
    await verbs.getByRole('textbox', { name: 'Commit as' }).fill('hello:committed');
    await verbs.getByRole('button', { name: 'Commit' }).click();
    await page.getByRole('tab', { name: 'Images' }).click();
    const row = page.getByRole('tabpanel').getByRole('button', { name: /^hello:committed\b/ });
    await row.waitFor({ timeout: 30_000 });
    expect((await row.textContent()) ?? '').toMatch(/5 layers/);
    await page.getByRole('tab', { name: 'Terminal' }).click();
    await verbs.getByRole('button', { name: 'Exec' }).click();
    await expect.poll(() => page.getByRole('tablist', { name: 'Terminals' }).getByRole('tab').count()).toBe(2);
    await typeLine('c1', 'cat /etc/motd');
    await expect.poll(async () => (await transcript('c1').textContent()) ?? '', { timeout: 20_000 }).toMatch(/No such file or directory/);
  }, 120_000);

  it('after a reload the container and its changes are back; Remove dissolves its slab', async () => {
    await page.reload();
    await status(page).getByText('engine: ready').waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Images' }).click();
    await page.getByRole('tabpanel').getByRole('button', { name: /^hello:latest\b/ }).click();
    await expect.poll(() => containerItem('c1').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(async () => (await containerItem('c1').textContent()) ?? '').toMatch(/\+ \/new\.txt added/);
    await page.getByRole('tab', { name: 'Terminal' }).click();
    await page.getByRole('button', { name: 'Open a terminal in c1' }).click();
    await terminalInput('c1').waitFor({ timeout: 30_000 });
    await terminalInput('c1').press('ArrowUp');
    await terminalInput('c1').press('Enter');
    await expect.poll(async () => (await transcript('c1').textContent()) ?? '', { timeout: 20_000 }).toMatch(/cat \/etc\/motd\n.*No such file/);
    await page.getByRole('group', { name: 'Container c1' }).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => containerItem('c1').count(), { timeout: 20_000 }).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);

  it('runs from the Images tab; a command creating 10,000 files does not block the page (events batched per frame)', async () => {
    await page.getByRole('tab', { name: 'Images' }).click();
    await page.getByRole('tabpanel').getByRole('button', { name: 'Run hello:latest' }).click();
    const dialog = page.getByRole('dialog', { name: /Run a container of hello:latest/ });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('many');
    await dialog.getByRole('textbox', { name: 'Command', exact: true }).fill('sh');
    await dialog.getByRole('button', { name: 'Start container' }).click();
    await terminalInput('many').waitFor({ timeout: 30_000 });
    const t0 = await page.evaluate(() => performance.now());
    await typeLine('many', 'mkdir /many && cd /many && touch $(seq 1 10000) && ls | wc -l');
    await expect.poll(async () => (await containerItem('many').textContent()) ?? '', { timeout: 60_000 }).toMatch(/… 99\d\d more changes/);
    const diff = page.getByRole('region', { name: 'docker diff many' });
    await expect.poll(async () => (await diff.textContent()) ?? '', { timeout: 30_000 }).toMatch(/… 9\d{3} more/);
    const tasks = await page.evaluate((from) => (window as unknown as { __longtasks: { start: number; duration: number }[] }).__longtasks.filter((t) => t.start >= from), t0);
    const load = loadavg()[0];
    const budgetMs = Math.round(50 * Math.max(1, load / cpus().length));
    // Timing is reported, not asserted (performance goals live in benchmarks): see test/e2e/artifacts/.
    const worst = Math.max(0, ...tasks.map((t) => t.duration));
    writeFileSync(join(ARTIFACTS, 'lab-run-10000-files-longtasks.json'), JSON.stringify({ load, cpus: cpus().length, worstMs: worst, tasks }, null, 1));
    if (tasks.some((t) => t.duration > budgetMs)) console.warn(`long tasks while 10,000 files were created (budget ${budgetMs} ms at load ${load}): ${JSON.stringify(tasks.filter((t) => t.duration > budgetMs))}`);
    expect(errors).toEqual([]);
  }, 180_000);

  it('pushes two images sharing their layers to localhost:5000: the second push reports them as already existing', async () => {
    await page.getByRole('tab', { name: 'Registry' }).click();
    const push = page.getByRole('form', { name: 'Push' });
    const out = page.getByRole('region', { name: 'Dock' }).getByRole('tabpanel');
    await push.getByRole('combobox', { name: 'Image' }).selectOption('hello:latest');
    await expect.poll(() => push.getByRole('textbox', { name: 'as' }).inputValue()).toBe('localhost:5000/hello:latest');
    await push.getByRole('button', { name: 'Push' }).click();
    await expect.poll(async () => (await out.textContent()) ?? '', { timeout: 60_000 }).toMatch(/latest: digest: sha256:/);
    const first = (await page.getByLabel('Transfer output').textContent()) ?? '';
    expect(first.match(/: Pushed/g)?.length).toBe(4);
    expect(first).not.toMatch(/already exists/);

    await push.getByRole('combobox', { name: 'Image' }).selectOption('hello:committed');
    await push.getByRole('button', { name: 'Push' }).click();
    await expect.poll(async () => (await page.getByLabel('Transfer output').textContent()) ?? '', { timeout: 60_000 }).toMatch(/committed: digest: sha256:/);
    const second = (await page.getByLabel('Transfer output').textContent()) ?? '';
    expect(second.match(/: Layer already exists/g)?.length).toBe(4);
    expect(second.match(/: Pushed/g)?.length).toBe(1);
    const progress = await page.getByRole('list', { name: 'Blobs on this machine' }).getByRole('listitem').allTextContents();
    expect(progress.filter((t) => /Layer already exists/.test(t)).length).toBe(4);

    // Each blob drawn once: 5 distinct layers + 2 configs + 2 manifests, although 9 layer references point to them.
    const tiles = await page.getByRole('list', { name: 'Blobs of localhost:5000' }).getByRole('listitem').allTextContents();
    expect(tiles.length).toBe(9);
    expect(tiles.filter((t) => /2 tags/.test(t)).length).toBe(4);
    await page.screenshot({ path: join(ARTIFACTS, 'lab-run-registry-1024x768.png') });
    expect(errors).toEqual([]);
  }, 180_000);

  it('shows system df -v: two images from one base share their bytes; volumes are created and listed', async () => {
    await page.getByRole('tab', { name: 'Disk usage' }).click();
    const imgs = page.getByRole('region', { name: 'Images space usage' }).getByRole('listitem');
    await expect.poll(() => imgs.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const latest = (await imgs.filter({ hasText: 'hello:latest' }).first().textContent()) ?? '';
    expect(latest).toMatch(/shared [1-9][\d.]*MB · unique/);
    await page.getByRole('textbox', { name: 'Volume name' }).fill('data');
    await page.getByRole('button', { name: 'Create volume' }).click();
    await expect.poll(async () => (await page.getByRole('region', { name: 'Volumes' }).textContent()) ?? '').toMatch(/data: 0B · 0 containers/);
    await page.screenshot({ path: join(ARTIFACTS, 'lab-run-disk-1024x768.png') });
    expect(errors).toEqual([]);
  }, 60_000);

  it('stops and starts a container; after a reload the registry’s blobs and the volume are still there', async () => {
    await page.getByRole('tab', { name: 'Terminal' }).click();
    const verbs = page.getByRole('group', { name: 'Container many' });
    await verbs.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(async () => (await containerItem('many').textContent()) ?? '', { timeout: 20_000 }).toMatch(/Exited \(137\)/);
    await verbs.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(async () => (await containerItem('many').textContent()) ?? '', { timeout: 20_000 }).toMatch(/Up /);
    await page.reload();
    await status(page).getByText('engine: ready').waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Registry' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Blobs of localhost:5000' }).getByRole('listitem').count(), { timeout: 30_000 }).toBe(9);
    await page.getByRole('tab', { name: 'Disk usage' }).click();
    await expect.poll(async () => (await page.getByRole('region', { name: 'Volumes' }).textContent()) ?? '', { timeout: 30_000 }).toMatch(/data: 0B/);
    expect(errors).toEqual([]);
  }, 120_000);
});
