/**
 * Page helpers for the lab's browser tests. Elements are found by role and accessible name only.
 */
import { expect } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { startLab, type Lab } from './browser.ts';

/** Records main-thread long tasks (PerformanceObserver `longtask`) from page load on. */
export const LONGTASK_RECORDER = `
  window.__longtasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
`;

export const status = (page: Page) => page.getByRole('status', { name: 'Engine status' });
export const layersRegion = (page: Page) => page.getByRole('region', { name: 'Layers', exact: true });
/** The "Layers" list: one item per layer of the stack shown (not the previous result beside it). */
export const layerItems = (page: Page) => layersRegion(page).getByRole('list', { name: /^Layers of/ }).getByRole('listitem');
export const previousItems = (page: Page) => page.getByRole('complementary', { name: 'Previous result' }).getByRole('listitem');
export const buildButton = (page: Page) => page.getByRole('button', { name: 'Build', exact: true });

/** A suite's lab: the server and browser, one context of a given viewport, its page opened, and the page's errors as they come. */
export interface LabSuite {
  lab: Lab;
  context: BrowserContext;
  page: Page;
  errors: string[];
}

/**
 * Starts the lab and opens it in a new context; `consoleErrors` also collects console.error lines,
 * `initScript` runs in the page before its own scripts, `acceptDownloads` lets the page download.
 */
export async function openLabSuite(
  viewport: { width: number; height: number },
  opts: { consoleErrors?: boolean; initScript?: string; acceptDownloads?: boolean } = {},
): Promise<LabSuite> {
  const lab = await startLab();
  const context = await lab.browser.newContext({ viewport, ...(opts.acceptDownloads ? { acceptDownloads: true } : {}) });
  if (opts.initScript) await context.addInitScript(opts.initScript);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (opts.consoleErrors) page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await openLab(page, lab.url);
  return { lab, context, page, errors };
}

/** Opens the lab and waits for the engine. */
export async function openLab(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await status(page).getByText('engine: ready').waitFor({ timeout: 60_000 });
}

export async function chooseScenario(page: Page, id: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption(id);
}

export async function setSpeed(page: Page, speed: 'Slow motion' | 'Normal' | 'Instant'): Promise<void> {
  await page.getByRole('group', { name: 'Teaching controls' }).getByRole('radio', { name: speed }).check();
}

/** Clicks Build and waits for that build's result line ("Build 3: done …" / "failed" / "stopped"). */
export async function build(page: Page, timeout = 300_000): Promise<string> {
  const result = page.getByRole('status', { name: 'Build result' });
  const number = async () => ((await result.count()) ? Number(/^Build (\d+):/.exec((await result.textContent()) ?? '')?.[1] ?? 0) : 0);
  // The line is shown by the Build log tab; when another tab is in front it is not there to read.
  const before = await number();
  await buildButton(page).click();
  // A build brings the Build log forward and its line appears at once ("Build N: running"); without
  // it the wait below could only end at its timeout, so fail early and say why.
  await expect.poll(number, { timeout: 30_000, message: 'no new "Build N:" line appeared in the Build result status after clicking Build' }).toBeGreaterThan(before);
  const n = await number();
  await expect.poll(async () => (await result.count()) && /: (done|failed|stopped)/.test((await result.textContent()) ?? '') && (await result.textContent())!.startsWith(`Build ${n}:`), { timeout, interval: 100 }).toBe(true);
  await waitIdle(page);
  return (await result.textContent()) ?? '';
}

/** Waits until no build runs (Stop disabled) and the status says ready. */
export async function waitIdle(page: Page, timeout = 300_000): Promise<void> {
  await expect.poll(async () => (await page.getByRole('button', { name: 'Stop', exact: true }).isDisabled()) && /engine: ready/.test((await status(page).textContent()) ?? ''), { timeout, interval: 200 }).toBe(true);
}

/**
 * Clicks Build and samples the Layers list while the build runs: the counts seen while Stop was
 * still enabled (the build running), and the final count.
 */
export async function buildAndWatch(page: Page, opts: { timeout?: number } = {}): Promise<{ during: number[]; final: number }> {
  await buildButton(page).click();
  const stop = page.getByRole('button', { name: 'Stop', exact: true });
  const during: number[] = [];
  const deadline = Date.now() + (opts.timeout ?? 300_000);
  await expect.poll(() => stop.isEnabled(), { timeout: 10_000 }).toBe(true);
  while (Date.now() < deadline) {
    const n = await layerItems(page).count();
    if (!(await stop.isEnabled())) break;
    during.push(n);
    await page.waitForTimeout(120);
  }
  await waitIdle(page);
  return { during, final: await layerItems(page).count() };
}

/** The layer count the Images tab reports for an image ("· 4 layers ·"). */
export async function imageLayerCount(page: Page, ref: string): Promise<number> {
  await page.getByRole('tab', { name: 'Images' }).click();
  const text = (await page.getByRole('tabpanel').getByRole('button', { name: new RegExp(`^${ref.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\b`) }).first().textContent()) ?? '';
  await page.getByRole('tab', { name: 'Build log' }).click();
  const m = /(\d+) layers/.exec(text);
  if (!m) throw new Error(`no layer count for ${ref} in "${text}"`);
  return Number(m[1]);
}

/** Bounding boxes of the page's areas; throws when two overlap or one leaves the viewport. */
export async function checkLayout(page: Page, areas: Locator[], names: string[]): Promise<void> {
  const vp = page.viewportSize()!;
  const boxes = await Promise.all(areas.map((a) => a.boundingBox()));
  boxes.forEach((b, i) => {
    expect(b, `${names[i]} is visible`).not.toBeNull();
    expect(b!.x, `${names[i]} left edge`).toBeGreaterThanOrEqual(0);
    expect(b!.x + b!.width, `${names[i]} right edge`).toBeLessThanOrEqual(vp.width + 0.5);
    expect(b!.y + b!.height, `${names[i]} bottom edge`).toBeLessThanOrEqual(vp.height + 0.5);
    if (names[i] !== 'header') {
      expect(b!.width, `${names[i]} width`).toBeGreaterThan(150);
      expect(b!.height, `${names[i]} height`).toBeGreaterThan(100);
    }
  });
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const overlapX = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const overlapY = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      expect(overlapX > 0.5 && overlapY > 0.5, `${names[i]} overlaps ${names[j]}`).toBe(false);
    }
  }
  const scroll = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, sh: document.documentElement.scrollHeight, w: innerWidth, h: innerHeight }));
  expect(scroll.sw, 'no horizontal scrolling').toBeLessThanOrEqual(scroll.w);
  expect(scroll.sh, 'no page scrolling').toBeLessThanOrEqual(scroll.h);
}

/**
 * A container's slab and terminal, found by role and name, for a suite whose page is set in
 * beforeAll (`page()` reads it when called); `typeLine` types a line and waits for the prompt after its output.
 */
export function containerTerminal(page: () => Page) {
  const containerItem = (name: string) => layersRegion(page()).getByRole('listitem', { name: `container ${name}`, exact: true });
  const terminalInput = (name: string) => page().getByRole('textbox', { name: `Terminal input for ${name}` });
  const transcript = (name: string) => page().getByRole('log', { name: `Terminal output ${name}` });
  async function typeLine(name: string, line: string): Promise<void> {
    const prompts = async () => ((await transcript(name).textContent()) ?? '').split(`${name} # `).length;
    const before = await prompts();
    await terminalInput(name).pressSequentially(line, { delay: 5 });
    await terminalInput(name).press('Enter');
    await expect.poll(prompts, { timeout: 60_000 }).toBeGreaterThan(before);
  }
  return { containerItem, terminalInput, transcript, typeLine };
}
