/**
 * The Dockerfile editor and the build context tree in a real browser (production build): the
 * CodeMirror editor arrives lazily, underlines the engine's parse error at its line and column,
 * builds on Ctrl+Enter, marks steps in the gutter and explains a line from the keyboard; the tree
 * is driven with the keyboard, takes a dropped folder, applies .dockerignore live and keeps
 * everything across a reload. Screenshots go to test/e2e/artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startLab, type Lab } from './browser.ts';
import { dockerfileEditor, dockerfileText, setDockerfile } from './editor-page.ts';

/** ARIA 1.3's `mark` role (the `<mark>` element): Playwright resolves it, its types do not list it yet. */
const MARK = 'mark' as Parameters<Page['getByRole']>[0];
const ARTIFACTS = resolve(import.meta.dirname, 'artifacts');
let lab: Lab;
beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  lab = await startLab();
}, 180_000);
afterAll(async () => {
  await lab?.close();
});

async function open(width: number, height: number): Promise<{ page: Page; errors: string[] }> {
  const page = await lab.browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(lab.url);
  await page.getByText('engine: ready').waitFor({ timeout: 30_000 });
  return { page, errors };
}

/** The 1-based line and column where the error underline starts, read from the editor's DOM. */
function underlinePosition(page: Page) {
  return page.getByRole(MARK).evaluate((mark) => {
    const line = mark.closest('.cm-line')!;
    const lines = [...line.parentElement!.querySelectorAll(':scope > .cm-line')];
    const r = document.createRange();
    r.setStart(line, 0);
    r.setEndBefore(mark);
    return { line: lines.indexOf(line) + 1, column: r.toString().length + 1, text: mark.textContent, underline: getComputedStyle(mark).textDecorationLine };
  });
}

describe('the Dockerfile editor', () => {
  it('underlines a parse error where the engine reports it, builds on Ctrl+Enter, marks steps and explains them from the keyboard', async () => {
    const { page, errors } = await open(1024, 768);
    const editor = await dockerfileEditor(page);
    await setDockerfile(page, 'FROM alpine:3.22\nWORKDIR /app\n  RUNN echo oops\n');
    await editor.press('Control+Enter');
    const alert = page.getByRole('alert').filter({ hasText: 'unknown instruction: RUNN' });
    await alert.waitFor({ timeout: 30_000 }).catch(async (e) => {
      await page.screenshot({ path: `${ARTIFACTS}/debug-error.png` });
      throw e;
    });
    const [, line, column] = /Dockerfile:(\d+):(\d+)/.exec((await alert.textContent()) ?? '')!;
    expect([line, column]).toEqual(['3', '3']);
    const at = await underlinePosition(page);
    expect(at).toEqual({ line: 3, column: 3, text: 'RUNN', underline: 'underline' });
    // The gutter and the list of marks say "error" in a symbol and a word.
    expect(await page.locator('.cm-step-error').textContent()).toBe('✗');
    await page.screenshot({ path: `${ARTIFACTS}/editor-error-1024x768.png` });

    // The underline follows an edit above it, and goes away once its own line is edited.
    await editor.press('Control+Home');
    await page.keyboard.type('# build me\n');
    expect(await underlinePosition(page)).toMatchObject({ line: 4, column: 3, text: 'RUNN' });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.type(' again');
    expect(await page.getByRole(MARK).count()).toBe(0);
    expect(await page.locator('.cm-step-error').count()).toBe(0);

    await setDockerfile(page, 'FROM alpine:3.22\nWORKDIR /app\nCOPY app.py .\nENV MODE=lab\nRUN echo hi > /app/hi.txt\n');
    await editor.press('Control+Enter');
    await page.getByText(/naming to docker\.io\/library\/hello:latest done/).waitFor({ timeout: 60_000 });
    expect(await page.getByRole(MARK).count()).toBe(0);
    await page.getByText('Build marks by line').click();
    const marks = page.getByRole('list', { name: 'Build marks by line' });
    await expect.poll(() => marks.getByRole('listitem').count()).toBe(5);
    expect(await marks.getByRole('button', { name: /^Line 3: step 3: rebuilt/ }).count()).toBe(1);
    expect(await marks.getByRole('button', { name: /^Line 4: step 4: metadata only/ }).count()).toBe(1);

    // Rebuild: every filesystem step is cached, in the gutter as ✓.
    await editor.press('Control+Enter');
    await expect.poll(() => marks.getByRole('button', { name: /^Line 3: step 3: cached/ }).count(), { timeout: 60_000 }).toBe(1).catch(async (e) => {
      await page.screenshot({ path: `${ARTIFACTS}/debug-rebuild.png`, fullPage: true });
      throw e;
    });
    // Every cached step's gutter mark (marks reach the editor once per frame, so they may land one frame after the list).
    await expect.poll(() => marks.getByRole('button', { name: /: cached/ }).count(), { timeout: 10_000 }).toBe(4);
    await expect.poll(() => page.locator('.cm-step-cached').count(), { timeout: 10_000 }).toBe(4);

    // Pointer: hovering an instruction shows its card.
    await page.locator('.cm-line').nth(4).hover({ position: { x: 12, y: 6 } });
    await expect.poll(() => page.locator('.cm-step-card').textContent(), { timeout: 5_000 }).toMatch(/^RUN · line 5Makes a layer/);
    await page.mouse.move(900, 700);
    await page.locator('.cm-step-card').waitFor({ state: 'detached' });

    // Projector mode: the editor follows the --editor-font-size variable.
    await page.evaluate(() => document.documentElement.style.setProperty('--editor-font-size', '24px'));
    expect(await editor.evaluate((el) => getComputedStyle(el).fontSize)).toBe('24px');
    await page.evaluate(() => document.documentElement.style.removeProperty('--editor-font-size'));

    // Keyboard card: cursor to line 3, Ctrl+I explains COPY and its layer; Escape closes.
    await editor.press('Control+Home');
    await editor.press('ArrowDown');
    await editor.press('ArrowDown');
    await editor.press('Control+i');
    const card = page.locator('.cm-step-card');
    await card.waitFor();
    expect(await card.textContent()).toMatch(/^COPY · line 3Makes a layer/);
    // A built layer is named by its DiffID until it is compressed (at save or push), then by its blob digest.
    expect(await card.textContent()).toMatch(/(Digest|DiffID)sha256:[0-9a-f]{64}/);
    expect(await card.textContent()).toContain('Why cached');
    expect(await page.locator('[aria-live="polite"]').filter({ hasText: 'Line 3: COPY. Makes a layer.' }).count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}/editor-card-1024x768.png` });
    await editor.press('Escape');
    await card.waitFor({ state: 'detached' });

    // The mark list is keyboard-reachable too: Enter on an item opens that line's card.
    await marks.getByRole('button', { name: /Line 4:/ }).press('Enter');
    await expect.poll(() => card.textContent()).toMatch(/^ENV · line 4Metadata only: no layer/);
    // Tab leaves the editor (no Tab binding traps keyboard users).
    await editor.press('Tab');
    expect(await editor.evaluate((el) => el.contains(document.activeElement))).toBe(false);

    // A build check warning (BuildKit's FromAsCasing) is underlined, listed and explained on its line.
    await setDockerfile(page, 'FROM alpine:3.22 as base\nRUN true\n');
    await editor.press('Control+Enter');
    await marks.getByRole('button', { name: /^Line 1: warning FromAsCasing: 'as' and 'FROM' keywords' casing do not match/ }).waitFor({ timeout: 60_000 });
    expect(await page.locator('.cm-build-warning').first().getAttribute('title')).toContain('FromAsCasing');
    await marks.getByRole('button', { name: /^Line 1: warning/ }).press('Enter');
    await expect.poll(() => card.textContent()).toContain("Warning (FromAsCasing)'as' and 'FROM' keywords' casing do not match");
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${ARTIFACTS}/editor-dark-1024x768.png` });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});

describe('the build context tree', () => {
  it('creates, renames, deletes with the keyboard, sets +x, applies .dockerignore, takes a dropped folder and persists', async () => {
    const { page, errors } = await open(1920, 1080);
    await page.getByLabel('Scenario').selectOption('hello-layers');
    const tree = page.getByRole('tree', { name: 'Build context' });
    const item = (name: string | RegExp) => tree.getByRole('treeitem', { name });
    await item(/^app\.py/).waitFor();
    const sizeText = () => page.getByText(/^Sent to the build:/).textContent();

    // Create a file from the toolbar with the keyboard only.
    await page.getByRole('button', { name: 'New file' }).press('Enter');
    await page.keyboard.type('notes.txt');
    await page.keyboard.press('Enter');
    await expect.poll(() => item(/^notes\.txt/).getAttribute('aria-selected')).toBe('true');
    expect(await item(/^notes\.txt/).evaluate((el) => el === document.activeElement)).toBe(true);

    // A folder, then a file inside it (new files go into the selected folder).
    await page.getByRole('button', { name: 'New folder' }).press('Enter');
    await page.keyboard.type('src');
    await page.keyboard.press('Enter');
    await expect.poll(() => item(/^src\//).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('button', { name: 'New file' }).press('Enter');
    expect(await page.getByRole('textbox', { name: 'New file name' }).inputValue()).toBe('src/');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('textbox', { name: 'New file name' }).count()).toBe(0);
    await item(/^notes\.txt/).focus();

    // F2 renames (and moves into a new folder); arrows walk the tree.
    await page.keyboard.press('F2');
    const rename = page.getByRole('textbox', { name: /^Rename notes\.txt to/ });
    await rename.fill('docs/notes.md');
    await rename.press('Enter');
    await item(/^notes\.md/).waitFor();
    expect(await item(/^notes\.md/).getAttribute('aria-level')).toBe('2');
    await page.keyboard.press('ArrowUp');
    const docs = item(/^docs\//);
    expect(await docs.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowLeft');
    expect(await docs.getAttribute('aria-expanded')).toBe('false');
    expect(await item(/^notes\.md/).count()).toBe(0);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await item(/^notes\.md/).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Delete');
    expect(await item(/^notes\.md/).count()).toBe(0);
    expect(await page.getByText('Deleted file docs/notes.md.').count()).toBe(1);

    // The executable bit.
    await item(/^app\.py/).click();
    await page.getByRole('checkbox', { name: 'Executable (chmod +x)' }).check();
    await expect.poll(() => item(/^app\.py/).textContent()).toContain('executable');
    expect(await page.getByText('-rwxr-xr-x (0755)').count()).toBe(1);

    // .dockerignore: the file is marked "ignored" in words and the sent size shrinks.
    const before = await sizeText();
    await page.getByRole('button', { name: 'New file' }).click();
    await page.getByRole('textbox', { name: 'New file name' }).fill('.dockerignore');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('textbox', { name: 'Contents of .dockerignore' }).fill('app.py\n');
    await expect.poll(() => item(/^app\.py/).textContent()).toMatch(/ignored$/);
    const after = await sizeText();
    expect(after).not.toBe(before);
    expect(after).toContain('left out by .dockerignore: 1 file, 29B');

    // Drop a whole folder from the computer (File and Directory Entries API, two readEntries batches).
    await tree.evaluate((el) => {
      const file = (name: string, bytes: number[]) => ({
        isFile: true, isDirectory: false, name,
        file: (ok: (f: File) => void) => ok(new File([new Uint8Array(bytes)], name)),
      });
      const dir = (name: string, batches: unknown[][]) => ({
        isFile: false, isDirectory: true, name,
        createReader: () => {
          let i = 0;
          return { readEntries: (ok: (e: unknown[]) => void) => ok(batches[i++] ?? []) };
        },
      });
      const root = dir('site', [[file('index.html', [...new TextEncoder().encode('<h1>hi</h1>\n')])], [file('logo.png', [0x89, 0x50, 0x4e, 0x47, 0, 0, 1]), dir('empty', [])]]);
      const dt = { items: [{ kind: 'file', webkitGetAsEntry: () => root }], files: [] };
      const ev = new DragEvent('drop', { bubbles: true, cancelable: true });
      Object.defineProperty(ev, 'dataTransfer', { value: dt });
      el.dispatchEvent(ev);
    });
    await item(/^site\//).waitFor();
    expect(await item(/^index\.html/).getAttribute('aria-level')).toBe('2');
    await item(/^logo\.png/).click();
    await page.getByText('Binary file, 7B: not shown as text.').waitFor();
    expect(await page.getByRole('textbox', { name: 'Contents of site/logo.png' }).count()).toBe(0);
    expect(await item(/^empty\//).count()).toBe(1);
    // The file picker adds into the selected file's folder.
    await page.getByLabel('Upload files').setInputFiles({ name: 'README.md', mimeType: 'text/markdown', buffer: Buffer.from('# site\n') });
    await item(/^README\.md/).waitFor();
    expect(await item(/^README\.md/).getAttribute('aria-level')).toBe('2');
    expect(await page.getByText('Added 1 file to site.').count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}/context-1920x1080.png` });

    // Everything survives a reload.
    await page.reload();
    await item(/^logo\.png/).waitFor({ timeout: 30_000 });
    expect(await item(/^app\.py/).textContent()).toMatch(/executable.*ignored$/);
    expect(await item(/^empty\//).count()).toBe(1);
    await item(/^logo\.png/).click();
    await page.getByText('Binary file, 7B: not shown as text.').waitFor();

    // The build gets the modes and the live .dockerignore: un-ignore app.py, leave out site/empty.
    await item(/^\.dockerignore/).click();
    await page.getByRole('textbox', { name: 'Contents of .dockerignore' }).fill('site/empty\n');
    await setDockerfile(page, 'FROM alpine:3.22\nCOPY . /ctx/\nRUN stat -c "%a %n" /ctx/app.py && ls /ctx/site\n');
    await (await dockerfileEditor(page)).press('Control+Enter');
    await page.getByText(/naming to docker\.io\/library\/hello:latest done/).waitFor({ timeout: 60_000 });
    const log = (await page.getByRole('log', { name: 'Build output' }).textContent()) ?? '';
    writeFileSync(`${ARTIFACTS}/context-build.log`, log);
    expect(log).toMatch(/ 755 \/ctx\/app\.py/);
    // site/empty is left out by .dockerignore: ls lists only the two files.
    expect(log).toMatch(/ README\.md\n#\d+ [\d.]+ index\.html\n#\d+ [\d.]+ logo\.png\n#\d+ DONE/);
    expect(await dockerfileText(page)).toContain('COPY . /ctx/');
    await page.screenshot({ path: `${ARTIFACTS}/lab-1920x1080.png` });
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: `${ARTIFACTS}/lab-1024x768.png` });
    // After a reload the stack shows the workspace's image again, not an empty column.
    const shownBefore = await page.getByRole('list', { name: /^Layers of/ }).getAttribute('aria-label');
    const slabsBefore = await page.getByRole('list', { name: /^Layers of/ }).getByRole('listitem').count();
    await page.reload();
    await page.getByRole('list', { name: shownBefore ?? /^Layers of hello:latest/ }).waitFor({ timeout: 60_000 });
    expect(shownBefore).toMatch(/hello:latest/);
    expect(slabsBefore).toBeGreaterThanOrEqual(2);
    expect(await page.getByRole('list', { name: /^Layers of/ }).getByRole('listitem').count()).toBe(slabsBefore);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
