/**
 * The header at 1024×768 and 1920×1080 in normal, projector and dark modes (issue 8): every control
 * stays reachable, the header keeps to at most two rows (projector mode at 1024×768 wrapped to three),
 * the areas do not overlap and nothing scrolls sideways. Screenshots go to test/e2e/artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startLab, type Lab } from './browser.ts';
import { checkLayout, openLab } from './lab-page.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
}, 180_000);
afterAll(async () => {
  await lab?.close();
});

const areas = (p: Page) => [
  p.getByRole('banner'),
  p.getByRole('region', { name: 'Dockerfile', exact: true }),
  p.getByRole('region', { name: 'Layers', exact: true }),
  p.getByRole('region', { name: 'Inspector', exact: true }),
  p.getByRole('region', { name: 'Dock', exact: true }),
];
const names = ['header', 'Dockerfile', 'Layers', 'Inspector', 'Dock'];

/** Rows the header's visible controls, title and status sit on (a box whose centre is below the current row's bottom starts a new row). */
async function headerRows(page: Page): Promise<number> {
  const header = page.getByRole('banner');
  const parts = header.getByRole('button').or(header.getByRole('combobox')).or(header.getByRole('textbox')).or(header.getByRole('radio'))
    .or(header.getByRole('checkbox')).or(header.getByRole('heading', { name: 'layerlab' })).or(header.getByRole('status', { name: 'Engine status' }));
  const boxes: { y: number; h: number }[] = [];
  for (const c of await parts.all()) {
    if (!(await c.isVisible())) continue;
    const b = await c.boundingBox();
    if (b && b.height > 0) boxes.push({ y: b.y, h: b.height });
  }
  boxes.sort((a, b) => a.y + a.h / 2 - (b.y + b.h / 2));
  let rows = 0;
  let bottom = -Infinity;
  for (const b of boxes) {
    if (b.y + b.h / 2 > bottom) {
      rows++;
      bottom = b.y + b.h;
    } else bottom = Math.max(bottom, b.y + b.h);
  }
  return rows;
}

describe('the header', () => {
  for (const [width, height] of [[1024, 768], [1920, 1080]] as const) {
    it(`fits ${width}×${height} in normal, projector and dark modes`, async () => {
      const page = await lab.browser.newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await openLab(page, lab.url);
      for (const mode of ['normal', 'projector', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: mode === 'dark' ? 'dark' : 'light' });
        const projector = page.getByRole('button', { name: 'Projector mode' });
        if (mode === 'projector') await projector.click();
        await page.waitForTimeout(300);
        await page.screenshot({ path: `test/e2e/artifacts/header-${width}x${height}-${mode}.png` });
        await checkLayout(page, areas(page), names);
        const rows = await headerRows(page);
        expect(rows, `${mode}: header rows`).toBeLessThanOrEqual(width >= 1920 ? 1 : 2);
        // Every control of the header is still there, by role and name.
        for (const name of ['Build', 'Build --no-cache', 'Stop', 'Reset workspace', 'Share']) await expect.poll(() => page.getByRole('banner').getByRole('button', { name, exact: true }).count()).toBe(1);
        if (mode === 'projector') await projector.click();
      }
      expect(errors).toEqual([]);
      await page.close();
    }, 180_000);
  }
});
