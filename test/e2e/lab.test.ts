/**
 * The lab in a real browser: the engine runs in a module Web Worker behind comlink, loads a real
 * image archive, shows its layers (with a whiteout), and keeps the store across a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from './browser.ts';
import { layerItems, layersRegion, openLab } from './lab-page.ts';
import { ImageStore } from '../../src/engine/image/store.ts';
import { MemoryPersistence } from '../../src/engine/host.ts';
import { LayerTree, makeFile, WHITEOUT } from '../../src/engine/fs/layer-tree.ts';
import { textContent } from '../../src/engine/fs/content.ts';
import { saveImages } from '../../src/engine/image/oci-layout.ts';

let lab: Lab;
let archive: string;

beforeAll(async () => {
  lab = await startLab();
  const store = await ImageStore.open(new MemoryPersistence());
  const base = new LayerTree();
  base.set('/etc/os-release', makeFile(textContent('ID=demo\n'), { mtime: 1 }));
  base.set('/tmp/big.log', makeFile(textContent('log line\n'.repeat(1000)), { mtime: 1 }));
  const top = new LayerTree();
  top.set('/tmp/big.log', WHITEOUT);
  top.set('/app/app.py', makeFile(textContent('print("hi")\n'), { mtime: 2 }));
  const l1 = await store.commitLayer(base);
  const l2 = await store.commitLayer(top);
  await store.putImage({
    config: {
      architecture: 'amd64', os: 'linux', created: '2026-01-01T00:00:00Z', config: { Cmd: ['python', '/app/app.py'] },
      rootfs: { type: 'layers', diff_ids: [l1.diffId, l2.diffId] },
      history: [{ created_by: 'ADD rootfs.tar /' }, { created_by: 'CMD ["python"]', empty_layer: true }, { created_by: 'RUN rm /tmp/big.log && mkdir /app' }],
    },
    layers: [l1, l2],
    tags: ['demo:e2e'],
  });
  archive = join(mkdtempSync(join(tmpdir(), 'layerlab-e2e-')), 'demo.tar');
  writeFileSync(archive, await saveImages(store, ['demo:e2e']));
}, 180_000);

afterAll(async () => {
  await lab?.close();
});

describe('the lab page', () => {
  it('loads an archive in the worker, shows layers and whiteouts, and survives a reload', async () => {
    const page = await lab.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await openLab(page, lab.url);
    await page.getByRole('tab', { name: 'Images' }).click();
    const images = page.getByRole('tabpanel');
    await images.getByLabel('Load image archive').setInputFiles(archive);
    await images.getByText('Loaded image: demo:e2e').waitFor({ timeout: 30_000 });
    await images.getByRole('button', { name: /^demo:e2e/ }).click();
    await expect.poll(() => layerItems(page).count()).toBe(2);
    await layerItems(page).first().getByRole('button').click(); // top layer is drawn first
    const entries = page.getByRole('region', { name: 'Inspector' }).getByRole('list', { name: 'Changes in this layer' });
    await entries.getByRole('listitem', { name: '/tmp/big.log' }).waitFor();
    expect(await entries.getByRole('listitem', { name: '/tmp/big.log' }).textContent()).toMatch(/x\s*whiteout/);
    expect(await layersRegion(page).getByText('▸ CMD ["python"]').count()).toBe(1);

    // Pull from the lab's docker.io (the offline catalog) through the worker, found by filtering
    // the catalog's list: every word must match a name, a tag or the description.
    const catalog = images.getByRole('list', { name: 'Base images (offline catalog)' });
    const all = await catalog.getByRole('button', { name: /^pull / }).count();
    expect(all).toBeGreaterThan(20);
    await images.getByRole('searchbox', { name: 'Filter base images' }).fill('python 3.12-slim');
    await expect.poll(() => catalog.getByRole('button', { name: /^pull / }).count()).toBeLessThan(all);
    for (const name of await catalog.getByRole('button', { name: /^pull / }).allTextContents()) expect(name).toMatch(/python/);
    await images.getByRole('searchbox', { name: 'Filter base images' }).fill('no-such-image-anywhere');
    await catalog.getByText(/No base image matches/).waitFor();
    await images.getByRole('searchbox', { name: 'Filter base images' }).fill('busybox');
    await images.getByRole('button', { name: /pull busybox:1\.37\.0/ }).click();
    await images.getByText('Status: Downloaded newer image for busybox:1.37.0').waitFor({ timeout: 60_000 });

    await page.reload();
    await openLab(page, lab.url);
    await page.getByRole('tab', { name: 'Images' }).click();
    await page.getByRole('tabpanel').getByRole('button', { name: /^demo:e2e/ }).waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
