/**
 * The static site: `npm run build` output served under a sub-path by a plain static server works,
 * makes no request outside its own folder, and after the first visit builds offline (service worker).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, sharedBuild } from './browser.ts';
import { setDockerfile } from './editor-page.ts';
import { serveStatic } from './static-server.ts';

const PREFIX = '/some/sub/path/';
let browser: Browser;
let site: Awaited<ReturnType<typeof serveStatic>>;
let dist: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`browser tests need Debian's chromium at ${CHROMIUM}: apt-get install -y chromium`);
  dist = await sharedBuild();
  site = await serveStatic(dist, PREFIX);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  site?.server.close();
});

describe('the static site', () => {
  it('precaches only files the build wrote (one 404 makes cache.addAll reject: the worker would never install)', () => {
    const precache = JSON.parse(/const PRECACHE = (\[.*\]);/.exec(readFileSync(join(dist, 'sw.js'), 'utf8'))![1]) as string[];
    expect(precache).toContain('./'); // the app's root (index.html)
    expect(precache.some((p) => /^\.\/assets\/.+\.js$/.test(p))).toBe(true);
    expect(precache).toContain('./catalog/index.json');
    expect(precache.filter((p) => p !== './' && !existsSync(join(dist, p)))).toEqual([]);
  });

  it('works under a sub-path with no outside requests, then offline after the first visit', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const outside: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(site.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) outside.push(r.url());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(site.url);
    await page.getByText('engine: ready').waitFor({ timeout: 60_000 });
    // The service worker takes control on the first visit (clients.claim), after precaching the app and catalog.
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 60_000 }).toBe(true);
    await setDockerfile(page, 'FROM alpine:3.22\nRUN echo online > /online.txt\n');
    await page.getByRole('button', { name: 'Build', exact: true }).click();
    await page.getByText(/naming to docker\.io\/library\/\S+ done/).waitFor({ timeout: 60_000 });
    expect(site.requests.every((p) => p.startsWith(PREFIX)), `requests outside ${PREFIX}: ${site.requests.filter((p) => !p.startsWith(PREFIX))}`).toBe(true);

    await context.setOffline(true);
    const before = site.requests.length;
    await page.reload();
    await page.getByText('engine: ready').waitFor({ timeout: 60_000 });
    await setDockerfile(page, 'FROM busybox:1.37\nWORKDIR /offline\nRUN echo "built offline" > note.txt && cat note.txt\n');
    await page.getByRole('button', { name: 'Build', exact: true }).click();
    await page.getByText(/naming to docker\.io\/library\/\S+ done/).waitFor({ timeout: 60_000 });
    // The browser's own update check of sw.js bypasses page-level offline emulation (truly offline it just fails).
    expect(site.requests.slice(before).filter((p) => !p.endsWith('/sw.js')), 'nothing the page needs reached the server while offline').toEqual([]);
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
