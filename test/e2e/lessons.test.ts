/**
 * Guided lessons (issue 11): open "Hello layers" from the Lessons menu, predict before the answer is
 * revealed, and complete every step — the checks turn green on what the engine really did (a
 * build, a fully cached rebuild, an edit that rebuilds COPY) — then reload: the progress is kept.
 * Elements are found by role and name only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startLab, type Lab } from './browser.ts';
import { build, openLab, setSpeed, waitIdle } from './lab-page.ts';
import { dockerfileText } from './editor-page.ts';
import { validateScenario } from '../../src/scenario/format.ts';
import { encodeScenarioFragment } from '../../src/scenario/link.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
}, 300_000);
afterAll(async () => {
  await lab?.close();
});

const lessonArea = (page: Page) => page.getByRole('complementary', { name: 'Lesson' });
const stepArticle = (page: Page, n: number, title: string) => lessonArea(page).getByRole('article', { name: `Step ${n}: ${title}` });
const checkLine = (page: Page) => lessonArea(page).getByRole('article').getByRole('status');

/** The colour of the check line: the lab's --ok green once it passes. */
const checkColour = (page: Page) => checkLine(page).evaluate((el) => getComputedStyle(el).color);

describe('lessons', () => {
  it('completes "Hello layers" end to end with its checks turning green, keeps the progress after a reload, and shares it at the same step', async () => {
    const context = await lab.browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    await openLab(page, lab.url);
    await setSpeed(page, 'Instant');

    await page.getByRole('button', { name: 'Lessons' }).click();
    const menu = page.getByRole('dialog', { name: 'Lessons' });
    const titles = await menu.getByRole('listitem').getByRole('button').allTextContents();
    expect(titles).toHaveLength(8);
    expect(titles[0]).toBe('1. Hello layers');
    await menu.getByRole('button', { name: '1. Hello layers' }).click();
    await expect.poll(() => menu.isVisible()).toBe(false);
    expect(await dockerfileText(page)).toContain('COPY app.py .');

    // Step 1: a prediction first; the answer and the explanation only after "Reveal" (or the check).
    const s1 = stepArticle(page, 1, 'Build it');
    await s1.waitFor({ timeout: 30_000 });
    await expect.poll(() => s1.getByText(/How many layers will this image have/).isVisible()).toBe(true);
    expect(await s1.getByText(/^Answer:/).count()).toBe(0);
    expect(await s1.getByText(/^Why:/).count()).toBe(0);
    expect(await checkLine(page).textContent()).toMatch(/Not yet: no build yet/);
    const notYetColour = await checkColour(page);
    await s1.getByRole('group', { name: 'Your prediction' }).getByRole('radio', { name: '6 layers' }).check();
    await s1.getByRole('button', { name: 'Reveal the answer' }).click();
    expect(await s1.getByText('You predicted: 6 layers').isVisible()).toBe(true);
    expect(await s1.getByText(/Answer:.*WORKDIR, COPY and RUN each add a layer/).isVisible()).toBe(true);

    expect(await build(page)).toMatch(/: done in/);
    await expect.poll(() => checkLine(page).textContent(), { timeout: 60_000 }).toMatch(/✓ Done: built, \d+ layers/);
    expect(await checkColour(page)).toBe('rgb(31, 122, 58)');
    expect(notYetColour).not.toBe('rgb(31, 122, 58)');
    expect(await s1.getByText(/Why:.*WORKDIR/).isVisible()).toBe(true);
    await page.screenshot({ path: 'test/e2e/artifacts/lesson-step1-1024.png' });

    // Step 2: rebuild with nothing changed; the check reads the real cache result of step 4.
    await lessonArea(page).getByRole('button', { name: 'Next step' }).click();
    const s2 = stepArticle(page, 2, 'Build again without changing anything');
    await s2.waitFor();
    expect(await checkLine(page).textContent()).toMatch(/Not yet: step 4 was rebuilt; expected cached/);
    expect(await build(page)).toMatch(/: done in .* 0 rebuilt/);
    await expect.poll(() => checkLine(page).textContent(), { timeout: 60_000 }).toMatch(/✓ Done: step 4 was cached/);

    // Step 3: "Show me" edits app.py through the workspace and builds with the real Build path.
    await lessonArea(page).getByRole('button', { name: 'Next step' }).click();
    const s3 = stepArticle(page, 3, 'Edit app.py and build again');
    await s3.waitFor();
    expect(await checkLine(page).textContent()).toMatch(/Not yet: step 3 was cached; expected rebuilt/);
    await s3.getByRole('button', { name: 'Show me' }).click();
    await expect.poll(() => checkLine(page).textContent(), { timeout: 120_000 }).toMatch(/✓ Done: step 3 was rebuilt/);
    await waitIdle(page);
    await expect.poll(() => page.getByRole('status', { name: 'Build result' }).textContent()).toMatch(/Build 3: done in .* 2 rebuilt/);
    expect(await lessonArea(page).getByText('all 3 steps done').isVisible()).toBe(true);
    await page.screenshot({ path: 'test/e2e/artifacts/lesson-done-1024.png' });

    // The progress survives a reload: the lesson is open again, every step marked done.
    await page.reload();
    await lessonArea(page).waitFor({ timeout: 60_000 });
    expect(await lessonArea(page).getByText('all 3 steps done').isVisible()).toBe(true);
    // The page has no build yet, so the check itself says "not run"; the step stays done.
    expect(await checkLine(page).textContent()).toMatch(/✓ Done earlier \(now: step 3 has not run yet\)/);
    for (const [n, t] of [[1, 'Build it'], [2, 'Build again without changing anything'], [3, 'Edit app.py and build again']] as const) {
      expect(await lessonArea(page).getByRole('button', { name: `Step ${n}: ${t} (done)` }).count()).toBe(1);
    }
    await page.getByRole('button', { name: 'Lessons' }).click();
    expect(await page.getByRole('dialog', { name: 'Lessons' }).getByRole('listitem').first().textContent()).toContain('all 3 steps done');
    await page.keyboard.press('Escape');

    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: 'test/e2e/artifacts/lesson-1920.png' });

    // A share link carries the lesson and the step: a fresh browser opens the lesson there, with the edited app.py.
    await page.getByRole('button', { name: 'Share' }).click();
    const link = await page.getByRole('dialog', { name: 'Share' }).getByRole('textbox', { name: 'Share link' }).inputValue();
    const dockerfile = await dockerfileText(page);
    await context.close();
    const fresh = await lab.browser.newContext({ viewport: { width: 1024, height: 768 } });
    const other = await fresh.newPage();
    await openLab(other, link);
    await stepArticle(other, 3, 'Edit app.py and build again').waitFor({ timeout: 60_000 });
    expect(await dockerfileText(other)).toBe(dockerfile);
    expect(await lessonArea(other).getByRole('heading', { level: 2 }).textContent()).toBe('1. Hello layers');
    expect(await lessonArea(other).getByText('0 of 3 steps done').isVisible()).toBe(true);
    await fresh.close();
  }, 400_000);

  it('a lesson a teacher wrote as a scenario file opens from a link, joins the Lessons list and checks the real build', async () => {
    const lesson = validateScenario({
      version: 1, id: 'env-is-config', title: 'ENV is not a layer', clock: Date.UTC(2026, 0, 1),
      dockerfile: 'FROM busybox:1.37\nENV GREETING=hi\nRUN echo "$GREETING" > /greeting\n',
      lesson: { steps: [{ id: 'build', title: 'Build it', predict: { question: 'How many layers?', answer: 'Two: the base and RUN.' }, explain: 'ENV only changes the config.', check: { kind: 'build', layers: 2 }, try: [{ do: 'build' }] }] },
    });
    const context = await lab.browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    await openLab(page, `${lab.url}#${encodeScenarioFragment(lesson)}`);
    await setSpeed(page, 'Instant');
    const step = stepArticle(page, 1, 'Build it');
    await step.waitFor({ timeout: 60_000 });
    expect(await checkLine(page).textContent()).toMatch(/Not yet: no build yet/);
    await step.getByRole('button', { name: 'Show me' }).click();
    await expect.poll(() => checkLine(page).textContent(), { timeout: 120_000 }).toMatch(/✓ Done: built, 2 layers/);
    await page.getByRole('button', { name: 'Lessons' }).click();
    const item = page.getByRole('dialog', { name: 'Lessons' }).getByRole('listitem').filter({ hasText: 'ENV is not a layer' });
    expect(await item.textContent()).toContain('the 1 step done · from a link or file');
    await context.close();
  }, 300_000);
});

describe('lessons played with "Show me"', () => {
  for (const [title, steps] of [
    ['5. Copy-on-write in a container', 4],
    ['8. Registry deduplication', 2],
  ] as const) {
    it(`${title}: every step's action runs through the lab and its check turns green`, async () => {
      const context = await lab.browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await openLab(page, lab.url);
      await setSpeed(page, 'Instant');
      await page.getByRole('button', { name: 'Lessons' }).click();
      await page.getByRole('dialog', { name: 'Lessons' }).getByRole('button', { name: title }).click();
      for (let n = 1; n <= steps; n++) {
        const step = lessonArea(page).getByRole('article', { name: new RegExp(`^Step ${n}: `) });
        await step.waitFor({ timeout: 30_000 });
        expect(await checkLine(page).textContent(), `step ${n} before its action`).toMatch(/Not yet/);
        await step.getByRole('button', { name: 'Show me' }).click();
        await expect.poll(() => checkLine(page).textContent(), { timeout: 180_000 }).toMatch(/✓ Done/);
        await expect.poll(() => step.getByRole('button', { name: 'Show me' }).isEnabled(), { timeout: 60_000 }).toBe(true);
        if (n < steps) await lessonArea(page).getByRole('button', { name: 'Next step' }).click();
      }
      expect(await lessonArea(page).getByText(`all ${steps} steps done`).isVisible()).toBe(true);
      expect(await lessonArea(page).getByRole('alert').count()).toBe(0);
      await context.close();
    }, 400_000);
  }
});
