/**
 * Page helpers for the Dockerfile editor: it starts as a textarea and becomes CodeMirror (a
 * contenteditable with the same accessible name) once its chunk loads; tests wait for that.
 */
import type { Locator, Page } from 'playwright-core';

/** The CodeMirror editor, once it has replaced the first-paint textarea. */
export async function dockerfileEditor(page: Page): Promise<Locator> {
  const ed = page.getByRole('textbox', { name: 'Dockerfile' }).and(page.locator('[contenteditable="true"]'));
  await ed.waitFor({ timeout: 30_000 });
  return ed;
}

/** Replaces the whole Dockerfile text. */
export async function setDockerfile(page: Page, text: string): Promise<void> {
  await (await dockerfileEditor(page)).fill(text);
}

/** The Dockerfile text as the editor shows it (one line per CodeMirror line). */
export async function dockerfileText(page: Page): Promise<string> {
  const ed = await dockerfileEditor(page);
  return ed.evaluate((el) => [...el.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\n'));
}
