/**
 * The stack and the editor as one (issue 8): hovering or focusing a slab lights its Dockerfile line
 * and hovering a line lights its slab; an instruction's hover card gives its layer size, digest and
 * cache reason after a build; sizes count up as slabs settle, and appear at once with reduced motion.
 * Elements are found by role and name (the lit editor line by its ARIA state, aria-current).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startLab, type Lab } from './browser.ts';
import { build, buildButton, chooseScenario, layersRegion, openLab, setSpeed, waitIdle } from './lab-page.ts';
import { dockerfileEditor } from './editor-page.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
}, 180_000);
afterAll(async () => {
  await lab?.close();
});

const LINE4 = 'RUN mkdir -p /var/lib/apt/lists && seq 1 200000';
const SIZE = String.raw`\d+(?:\.\d+)?[kMG]?B`;
const bytes = (s: string) => {
  const m = /^(\d+(?:\.\d+)?)([kMG]?)B$/.exec(s)!;
  return Number(m[1]) * { '': 1, k: 1e3, M: 1e6, G: 1e9 }[m[2] as '' | 'k' | 'M' | 'G'];
};

async function newPage(opts: { reducedMotion?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
  const page = await lab.browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(60_000);
  if (opts.reducedMotion) await page.emulateMedia({ reducedMotion: 'reduce' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openLab(page, lab.url);
  return { page, errors };
}

/**
 * Builds and samples, while the build runs and just after, the image size in the Layers header and the
 * size on the slab of line 4: texts as shown (while a size counts, the figure on screen is followed by
 * the final one for screen readers).
 */
async function buildSampling(page: Page): Promise<{ total: string[]; slab: string[] }> {
  const total = layersRegion(page).getByText(/^\d+ layers? · /);
  const slab = layersRegion(page).getByRole('button', { name: new RegExp(`^${LINE4.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`) });
  const out = { total: [] as string[], slab: [] as string[] };
  await buildButton(page).click();
  const stop = page.getByRole('button', { name: 'Stop', exact: true });
  const until = Date.now() + 120_000;
  let after = 0;
  while (Date.now() < until && after < 40) {
    if (await stop.isDisabled()) after++;
    const [t, s] = await Promise.all([total.count().then((n) => (n ? total.textContent() : null)), slab.count().then((n) => (n ? slab.textContent() : null))]);
    if (t) out.total.push(t);
    if (s) out.slab.push(s);
  }
  await waitIdle(page);
  // The settled figure (on a loaded machine the count-up may still run when sampling stops).
  await expect.poll(() => total.textContent(), { timeout: 20_000 }).toMatch(new RegExp(`· (${SIZE})$`));
  out.total.push((await total.textContent()) ?? '');
  const counting = new RegExp(`(${SIZE})(${SIZE})`);
  await expect.poll(async () => counting.test((await slab.textContent()) ?? ''), { timeout: 20_000 }).toBe(false);
  out.slab.push((await slab.textContent()) ?? '');
  return out;
}

describe('the stack and the editor', () => {
  it('a hovered or focused slab lights its Dockerfile line, a hovered line its slab, and the hover card gives size, digest and cache reason', async () => {
    const { page, errors } = await newPage();
    const editor = await dockerfileEditor(page);
    await setSpeed(page, 'Instant');
    await chooseScenario(page, 'deleting');
    expect(await build(page)).toMatch(/done/);
    const lit = editor.locator('[aria-current="true"]');
    const slab = layersRegion(page).getByRole('button', { name: /^RUN mkdir -p \/var\/lib\/apt\/lists/ });
    expect(await lit.count()).toBe(0);

    // Pointer on the slab: its instruction's line lights up; off the slab: nothing is lit.
    await slab.hover();
    await expect.poll(() => lit.allTextContents(), { timeout: 10_000 }).toEqual([expect.stringContaining(LINE4)]);
    await page.mouse.move(1, 1);
    await expect.poll(() => lit.count(), { timeout: 10_000 }).toBe(0);

    // Keyboard: focusing a slab does the same; focus moving to the next slab moves the light.
    await slab.focus();
    await expect.poll(() => lit.allTextContents(), { timeout: 10_000 }).toEqual([expect.stringContaining(LINE4)]);
    await page.keyboard.press('Shift+Tab');
    await expect.poll(() => lit.allTextContents(), { timeout: 10_000 }).toEqual([expect.stringContaining('RUN mkdir -p /usr/share/doc/hello')]);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect.poll(() => lit.allTextContents(), { timeout: 10_000 }).not.toEqual([expect.stringContaining(LINE4)]);
    await editor.click();

    // The other way: the pointer on the line lights the slab (aria-current) and opens the card.
    await editor.getByText(LINE4).hover();
    await expect.poll(() => slab.getAttribute('aria-current'), { timeout: 10_000 }).toBe('true');
    const card = page.getByRole('tooltip');
    await expect.poll(async () => ((await card.count()) ? (await card.textContent()) ?? '' : ''), { timeout: 10_000 }).toMatch(/^RUN · line 4/);
    const text = (await card.textContent())!;
    expect(text).toMatch(/Layer size1\.29MB/);
    expect(text).toMatch(/Why rebuiltfirst build of this step/);
    const digest = /(?:Digest|DiffID)(sha256:[0-9a-f]{64})/.exec(text)?.[1];
    expect(digest).toBeDefined();
    await page.screenshot({ path: 'test/e2e/artifacts/hover-card-1280.png' });
    // The digest is the layer's own: the inspector shows the same for that slab.
    await page.mouse.move(1, 1);
    await slab.click();
    const insp = page.getByRole('region', { name: 'Inspector' });
    const terms = await insp.getByRole('term').allTextContents();
    expect(terms).toContain('diff_id');
    const shown = [(await insp.getByRole('definition').nth(terms.indexOf('diff_id')).textContent())?.trim(), (await insp.getByRole('definition').nth(terms.indexOf('digest')).textContent())?.trim()];
    expect(shown).toContain(digest);
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  it('sizes count up as slabs settle; with reduced motion they appear at once', async () => {
    const counting = new RegExp(`(${SIZE})(${SIZE})`);
    for (const reducedMotion of [false, true]) {
      const { page, errors } = await newPage({ reducedMotion });
      await setSpeed(page, 'Normal');
      await chooseScenario(page, 'deleting');
      const seen = await buildSampling(page);
      const finalTotal = new RegExp(`· (${SIZE})$`).exec(seen.total.at(-1)!)![1];
      expect(finalTotal).toBe('76.2MB');
      const midTotal = seen.total.map((t) => counting.exec(t)).filter((m) => m !== null);
      const midSlab = seen.slab.map((t) => counting.exec(t)).filter((m) => m !== null);
      if (reducedMotion) {
        expect(midTotal, 'no size counts with reduced motion').toEqual([]);
        expect(midSlab).toEqual([]);
        expect(seen.slab.some((t) => t.includes('1.29MB'))).toBe(true);
      } else {
        // Caught counting: the figure on screen is below the size it counts to, and the slab's ends at 1.29MB.
        expect(midTotal.length + midSlab.length, `samples: ${JSON.stringify(seen).slice(0, 600)}`).toBeGreaterThan(0);
        // (Near the end the rounded figure on screen can already read as the final one.)
        for (const m of [...midTotal, ...midSlab]) expect(bytes(m[1])).toBeLessThanOrEqual(bytes(m[2]));
        expect([...midTotal, ...midSlab].some((m) => bytes(m[1]) < bytes(m[2]))).toBe(true);
        for (const m of midSlab) expect(m[2]).toBe('1.29MB');
        expect(seen.slab.at(-1)).toMatch(/1\.29MB/);
        expect(counting.test(seen.slab.at(-1)!)).toBe(false);
      }
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 300_000);
});
