/**
 * Shared setup for browser tests: a production build of the lab served by `vite preview`, and
 * Debian's chromium driven by playwright-core (never a downloaded browser).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = resolve(import.meta.dirname, '../..');

export interface Lab {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * One production build per test run, shared by every e2e file: the first worker process to get here
 * builds into a folder named after the run (vitest's main process id) while the others wait for it.
 */
export async function sharedBuild(): Promise<string> {
  // The parent's pid and start time name this run (a pid alone may be reused by a later run).
  let started = '';
  try {
    started = readFileSync(`/proc/${process.ppid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
  } catch {
    started = String(Date.now());
  }
  const dir = join(tmpdir(), `layerlab-e2e-dist-${process.ppid}-${started}`);
  const outDir = join(dir, 'dist');
  const ready = join(dir, 'ready');
  let mine = false;
  try {
    mkdirSync(dir);
    mine = true;
  } catch {
    // another test file of this run is building (or has built) it
  }
  if (mine) {
    try {
      await build({ root: ROOT, logLevel: 'error', build: { outDir, emptyOutDir: true } });
      writeFileSync(ready, 'ok');
    } catch (e) {
      writeFileSync(ready, `failed: ${(e as Error).message}`);
      throw e;
    }
  } else {
    const until = Date.now() + 300_000;
    while (!existsSync(ready)) {
      if (Date.now() > until) throw new Error(`waited 300 s for the shared e2e build in ${dir}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const state = readFileSync(ready, 'utf8');
    if (state !== 'ok') throw new Error(`the shared e2e build failed: ${state}`);
  }
  return outDir;
}

/** Builds the app once per run, serves it on a free localhost port, and launches chromium. */
export async function startLab(): Promise<Lab> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`browser tests need Debian's chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const outDir = await sharedBuild();
  const server: PreviewServer = await preview({ root: ROOT, logLevel: 'error', build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false } });
  const url = server.resolvedUrls!.local[0];
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return {
    url,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
