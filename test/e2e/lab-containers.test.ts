/**
 * Containers in the lab, second part (issue 10) in Chromium, production build: a volume drawn beside
 * the stack and joined to the containers that mount it, writes through the mount landing in the
 * volume (not the container slab), a deleted lower file greyed under its image slab, `docker logs`
 * with timestamps, `docker cp` in (upload, copy-up) and out (download: the bytes are checked), two
 * containers of one image on the same slabs (screenshots at 1024×768 and 1920×1080), commit (one
 * more layer, its history entry), rm (the slab goes, the volume stays and a new container reads
 * it), volume prune.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { Lab } from './browser.ts';
import { build, checkLayout, chooseScenario, containerTerminal, layerItems, layersRegion, openLabSuite, setSpeed, status } from './lab-page.ts';

const ARTIFACTS = resolve(import.meta.dirname, 'artifacts');
let lab: Lab;
let page: Page;
let errors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ lab, page, errors } = await openLabSuite({ width: 1024, height: 768 }, { consoleErrors: true, acceptDownloads: true }));
  await chooseScenario(page, 'hello-layers');
}, 240_000);

afterAll(async () => {
  await lab?.close();
});

const { containerItem, terminalInput, transcript, typeLine } = containerTerminal(() => page);

const volumeItem = (name: string) => layersRegion(page).getByRole('listitem', { name: `volume ${name}`, exact: true });
const text = async (l: Locator) => (await l.textContent()) ?? '';
const T = { timeout: 60_000 };

async function run(name: string, volumes: string) {
  await layersRegion(page).getByRole('button', { name: 'Run', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: /Run a container of/ });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await expect.poll(() => dialog.getByRole('textbox', { name: 'Command', exact: true }).inputValue(), T).toBe('python3 app.py');
  await dialog.getByRole('textbox', { name: 'Command', exact: true }).fill('sh');
  await dialog.getByRole('textbox', { name: /^Volumes/ }).fill(volumes);
  await dialog.getByRole('button', { name: 'Start container' }).click();
  await terminalInput(name).waitFor(T);
  await expect.poll(() => containerItem(name).count(), T).toBe(1);
}

/** Accessible names of the image's slabs (each carries its size): the image's layers and bytes. */
const slabNames = async () => {
  const out: string[] = [];
  for (const b of await layersRegion(page).getByRole('list', { name: /^Layers of/ }).getByRole('button').all()) out.push((await b.getAttribute('aria-label')) ?? '');
  return out.filter(Boolean);
};

/** Boxes a and b do not overlap. */
const apart = (a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }) =>
  Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) <= 0.5 || Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) <= 0.5;

describe('containers, volumes, logs and cp in the lab', () => {
  let imageSlabs: string[] = [];

  it('draws a mounted volume beside the stack; writes through the mount land in the volume, not the container slab', async () => {
    expect(await build(page)).toMatch(/: done/);
    imageSlabs = await slabNames();
    expect(imageSlabs.length).toBe(4);
    await run('c1', 'data:/data');
    await expect.poll(() => volumeItem('data').count(), T).toBe(1);
    expect(await text(volumeItem('data'))).toMatch(/mounted by c1 at \/data/);
    expect(await text(containerItem('c1'))).toMatch(/\/data ⟶ volume data/);

    await typeLine('c1', 'echo from-c1 > /data/note.txt');
    await expect.poll(() => text(volumeItem('data')), T).toMatch(/\+ \/note\.txt 8B/);
    await expect.poll(() => text(volumeItem('data')), T).toMatch(/⛁ data\s*8B/);
    expect(await text(containerItem('c1'))).not.toMatch(/note\.txt/);

    // The volume sits outside the stack: to the right of every slab and container, overlapping none.
    const vol = (await volumeItem('data').boundingBox())!;
    const stackBox = (await layersRegion(page).getByRole('list', { name: /^Layers of/ }).boundingBox())!;
    const c1 = (await containerItem('c1').boundingBox())!;
    expect(vol.x).toBeGreaterThanOrEqual(stackBox.x + stackBox.width);
    expect(apart(vol, c1)).toBe(true);
    expect(errors).toEqual([]);
  }, 400_000);

  it('greys a deleted lower file under its image slab, still counted, while the container slab shows the whiteout', async () => {
    await typeLine('c1', 'rm /etc/motd');
    await expect.poll(() => text(containerItem('c1')), T).toMatch(/x \/etc\/motd whiteout/);
    const hidden = layersRegion(page).getByRole('group', { name: 'Hidden lower files of layer 0' });
    await expect.poll(() => text(hidden), T).toMatch(/\/etc\/motd.*hidden by x in c1 · still counted/);
    expect(await slabNames()).toEqual(imageSlabs);
  }, 120_000);

  it('shows docker logs of the main process, with timestamps on request', async () => {
    await typeLine('c1', 'echo log-line-1; echo oops >&2');
    await containerItem('c1').getByRole('button', { name: 'Logs of c1' }).click();
    const log = page.getByRole('log', { name: 'Logs of c1' });
    await expect.poll(() => text(log), T).toMatch(/log-line-1\n2> oops\n/);
    await page.getByRole('checkbox', { name: 'Timestamps (-t)' }).check();
    await expect.poll(() => text(log), T).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z log-line-1\n/);
    // Follow: a line typed now appears without touching the Logs view.
    await page.getByRole('tab', { name: 'Terminal' }).click();
    await typeLine('c1', 'echo log-line-2');
    await page.getByRole('tab', { name: 'Logs' }).click();
    await expect.poll(() => text(page.getByRole('log', { name: 'Logs of c1' })), T).toMatch(/Z log-line-2\n/);
    await page.screenshot({ path: join(ARTIFACTS, 'lab-containers-logs-1024x768.png') });
  }, 120_000);

  it('copies files in (a lower file replaced as moby does: whiteout + new file, a new one added) and out (the downloaded bytes are the merged view’s)', async () => {
    await containerItem('c1').getByRole('button', { name: 'Copy files of c1' }).click();
    const into = page.getByRole('region', { name: 'Copy into c1' });
    const upload = 'ID=layerlab\nPRETTY_NAME="uploaded by the e2e test"\n';
    await into.getByRole('textbox', { name: 'Container path' }).fill('/etc');
    await into.getByLabel('File to copy in').setInputFiles({ name: 'alpine-release', mimeType: 'text/plain', buffer: Buffer.from(upload) });
    await expect.poll(() => text(containerItem('c1')), T).toMatch(/~ \/etc\/alpine-release replaced: the lower file \([\d.]+k?B, layer 0\) is hidden, nothing copied up/);
    await into.getByRole('textbox', { name: 'Container path' }).fill('/app/uploaded.bin');
    const binary = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 256));
    await into.getByLabel('File to copy in').setInputFiles({ name: 'whatever.bin', mimeType: 'application/octet-stream', buffer: binary });
    await expect.poll(() => text(containerItem('c1')), T).toMatch(/\+ \/app\/uploaded\.bin new file, 300B/);
    // Dropping a file on the area copies it too (into a directory: under its own name).
    await into.getByRole('textbox', { name: 'Container path' }).fill('/tmp');
    const dropped = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['dropped in\n'], 'dropped.txt', { type: 'text/plain' }));
      return dt;
    });
    await into.dispatchEvent('drop', { dataTransfer: dropped });
    await expect.poll(() => text(containerItem('c1')), T).toMatch(/\+ \/tmp\/dropped\.txt new file, 11B/);

    const out = page.getByRole('form', { name: 'Copy out of c1' });
    const download = async (path: string) => {
      await out.getByRole('textbox', { name: 'Path in the container' }).fill(path);
      const [dl] = await Promise.all([page.waitForEvent('download', T), out.getByRole('button', { name: 'Download' }).click()]);
      return { name: dl.suggestedFilename(), bytes: readFileSync((await dl.path())!) };
    };
    const osRelease = await download('/etc/alpine-release');
    expect(osRelease.name).toBe('alpine-release');
    expect(osRelease.bytes.toString('utf8')).toBe(upload);
    const bin = await download('/app/uploaded.bin');
    expect(Buffer.compare(bin.bytes, binary)).toBe(0);
    // A file the container never touched: the image's bytes (the app the Dockerfile copied).
    expect((await download('/app/app.py')).bytes.toString('utf8')).toBe('print("hello from layerlab")\n');
    await page.screenshot({ path: join(ARTIFACTS, 'lab-containers-files-1024x768.png') });
    expect(errors).toEqual([]);
  }, 180_000);

  it('draws two containers of one image on the same slabs, joined to their shared volume (screenshots)', async () => {
    await run('c2', 'data:/data');
    await typeLine('c2', 'cat /data/note.txt');
    await expect.poll(() => text(transcript('c2')), T).toMatch(/cat \/data\/note\.txt\nfrom-c1\n/);
    await expect.poll(() => text(volumeItem('data')), T).toMatch(/mounted by (c1 at \/data, c2 at \/data|c2 at \/data, c1 at \/data)/);
    expect(await slabNames()).toEqual(imageSlabs);
    expect(await layerItems(page).count()).toBe(4);
    for (const [w, h] of [[1024, 768], [1920, 1080]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(ARTIFACTS, `lab-containers-${w}x${h}.png`) });
      const boxes = await Promise.all([containerItem('c1'), containerItem('c2'), volumeItem('data'), layersRegion(page).getByRole('list', { name: /^Layers of/ })].map((l) => l.boundingBox()));
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(apart(boxes[i]!, boxes[j]!), `${w}x${h}: boxes ${i} and ${j} overlap`).toBe(true);
      await checkLayout(page, [layersRegion(page), page.getByRole('region', { name: 'Dock', exact: true })], ['layers', 'dock']);
    }
    await page.setViewportSize({ width: 1024, height: 768 });
  }, 180_000);

  it('commit: the container layer becomes the top layer of a new image, with its history entry', async () => {
    await page.getByRole('tab', { name: 'Terminal' }).click();
    await page.getByRole('tablist', { name: 'Terminals' }).getByRole('tab', { name: 'c1' }).click();
    const verbs = page.getByRole('group', { name: 'Container c1' });
    await verbs.getByRole('textbox', { name: 'Commit as' }).fill('hello:c1');
    // In slow motion the dashed slab is seen turning solid before the engine commits.
    await setSpeed(page, 'Slow motion');
    await verbs.getByRole('button', { name: 'Commit' }).click();
    await expect.poll(() => containerItem('c1').getAttribute('aria-busy'), T).toBe('true');
    expect(await text(containerItem('c1'))).toMatch(/committing: this layer becomes the top layer of a new image/);
    await page.screenshot({ path: join(ARTIFACTS, 'lab-containers-committing-1024x768.png') });
    await expect.poll(() => text(layersRegion(page).getByRole('heading', { level: 2 })), T).toMatch(/hello:c1/);
    await setSpeed(page, 'Normal');
    await expect.poll(() => layerItems(page).count(), T).toBe(5);
    // The top slab is the container layer: created_by is the container's command (docker commit).
    expect((await slabNames())[0]).toMatch(/^sh, [\d.]+k?B$/);
    await page.getByRole('tab', { name: 'History' }).click();
    const rows = page.getByRole('table', { name: 'History of hello:c1' }).getByRole('row');
    await expect.poll(() => rows.count(), T).toBeGreaterThan(2);
    const newest = await rows.nth(1).getByRole('cell').allTextContents();
    expect(newest[1]).toBe('sh');
    expect(newest[2]).not.toMatch(/no layer/);
    await page.getByRole('tab', { name: 'Images' }).click();
    await expect.poll(() => text(page.getByRole('tabpanel').getByRole('button', { name: /^hello:c1\b/ }).first()), T).toMatch(/5 layers/);
  }, 180_000);

  it('rm: the container and its data go, the volume stays, and a new container reads its file; volume prune keeps volumes in use', async () => {
    await page.getByRole('tabpanel').getByRole('button', { name: /^hello:latest\b/ }).first().click();
    await expect.poll(() => containerItem('c1').count(), T).toBe(1);
    await page.getByRole('tab', { name: 'Terminal' }).click();
    await page.getByRole('tablist', { name: 'Terminals' }).getByRole('tab', { name: 'c1' }).click();
    await page.getByRole('group', { name: 'Container c1' }).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => containerItem('c1').count(), T).toBe(0);
    expect(await containerItem('c2').count()).toBe(1);
    expect(await text(volumeItem('data'))).toMatch(/mounted by c2 at \/data/);

    await run('c3', 'data:/data');
    // c1's own layer is gone with it: c3 (same image) has neither its upload nor its whiteout.
    await typeLine('c3', 'cat /data/note.txt; test -e /app/uploaded.bin && echo upload-present || echo upload-absent; test -e /etc/motd && echo motd-present');
    await expect.poll(() => text(transcript('c3')), T).toMatch(/from-c1\nupload-absent\nmotd-present\n/);

    await page.getByRole('tab', { name: 'Disk usage' }).click();
    const vols = page.getByRole('region', { name: 'Volumes' });
    await expect.poll(() => text(vols), T).toMatch(/data: 8B · 2 containers/);
    await vols.getByRole('textbox', { name: 'Volume name' }).fill('spare');
    await vols.getByRole('button', { name: 'Create volume' }).click();
    await expect.poll(() => text(vols), T).toMatch(/spare: 0B · 0 containers/);
    await vols.getByRole('checkbox', { name: 'named too (-a)' }).check();
    await vols.getByRole('button', { name: 'Prune volumes' }).click();
    await expect.poll(() => text(vols.getByLabel('Volume command output')), T).toMatch(/Deleted Volumes:\nspare\n/);
    await expect.poll(() => text(vols), T).not.toMatch(/spare:/);
    expect(await text(vols)).toMatch(/data: 8B/);
    await page.screenshot({ path: join(ARTIFACTS, 'lab-containers-volumes-1024x768.png') });
    expect(errors).toEqual([]);
  }, 240_000);

  it('after a reload the volume beside the stack shows what it holds, still joined to its containers', async () => {
    await page.reload();
    await status(page).getByText('engine: ready').waitFor(T);
    await page.getByRole('tab', { name: 'Images' }).click();
    await page.getByRole('tabpanel').getByRole('button', { name: /^hello:latest\b/ }).first().click();
    await expect.poll(() => text(volumeItem('data')), T).toMatch(/\+ \/note\.txt 8B/);
    expect(await text(volumeItem('data'))).toMatch(/mounted by (c3 at \/data, c2 at \/data|c2 at \/data, c3 at \/data)/);
    expect(errors).toEqual([]);
  }, 120_000);
});
