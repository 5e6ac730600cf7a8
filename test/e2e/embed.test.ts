/**
 * Embeds (issue 11): the Share dialog's snippet put into a docs page (another origin) next to a
 * second embed of another starter. Each iframe shows its scenario's Dockerfile, stack and log, runs
 * its own engine worker (kept in memory), and builds its own image without seeing the other's.
 * Elements are found by role and name only.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameLocator } from 'playwright-core';
import { startLab, type Lab } from './browser.ts';
import { chooseScenario, openLab } from './lab-page.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
}, 300_000);
afterAll(async () => {
  await lab?.close();
});

/**
 * Serves one docs page on its own port (another origin than the lab). It is a local server rather
 * than a routed public name: Chromium blocks a public page from framing a 127.0.0.1 page.
 */
async function serveDocs(html: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/guide/layers.html`, server };
}

async function buildIn(frame: FrameLocator): Promise<string> {
  await frame.getByRole('status', { name: 'Engine status' }).getByText('engine: ready').waitFor({ timeout: 90_000 });
  await frame.getByRole('button', { name: 'Build', exact: true }).click();
  const result = frame.getByRole('status', { name: 'Build result' });
  await expect.poll(async () => ((await result.count()) ? await result.textContent() : ''), { timeout: 180_000, interval: 200 }).toMatch(/Build 1: (done|failed)/);
  return (await result.textContent()) ?? '';
}

describe('embeds', () => {
  it('two embeds on one docs page each run their own worker and build their own scenario', async () => {
    // The snippet comes from the lab's Share dialog, as a documentation author would copy it.
    const author = await lab.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const labPage = await author.newPage();
    await openLab(labPage, lab.url);
    await chooseScenario(labPage, 'hello-layers');
    await labPage.getByRole('button', { name: 'Share' }).click();
    const snippet = await labPage.getByRole('dialog', { name: 'Share' }).getByRole('textbox', { name: 'Embed snippet' }).inputValue();
    expect(snippet).toMatch(/^<iframe src="[^"]+\?embed#s=[A-Za-z0-9_-]+" title="layerlab: [^"]+"/);
    await author.close();

    const second = `<iframe src="${lab.url}?embed=multi-stage" title="layerlab: multi-stage" width="100%" height="560"></iframe>`;
    const reader = await lab.browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await reader.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const docs = await serveDocs(`<!doctype html><html lang="en"><head><title>Docs: layers</title><style>body{font:16px system-ui;max-width:60rem;margin:1rem auto;padding:0 1rem}</style></head>
<body><h1>How layers work</h1><p>Build it and watch the stack.</p>${snippet}<p>And a multi-stage build:</p>${second}</body></html>`);
    await page.goto(docs.url);
    expect(new URL(docs.url).origin).not.toBe(new URL(lab.url).origin);
    const frames = page.locator('iframe');
    await expect.poll(() => frames.count()).toBe(2);
    const a = page.frameLocator('iframe >> nth=0');
    const b = page.frameLocator('iframe >> nth=1');

    // Each shows its scenario: editor, stack and log, in the compact layout (no dock, no inspector).
    await expect.poll(() => a.getByRole('heading', { level: 1 }).textContent(), { timeout: 90_000 }).toBe('1. Hello layers');
    await expect.poll(() => b.getByRole('heading', { level: 1 }).textContent(), { timeout: 90_000 }).toBe('4. Multi-stage');
    for (const f of [a, b]) {
      expect(await f.getByRole('region', { name: 'Dockerfile' }).count()).toBe(1);
      expect(await f.getByRole('region', { name: 'Layers', exact: true }).count()).toBe(1);
      expect(await f.getByRole('region', { name: 'Build log' }).count()).toBe(1);
      expect(await f.getByRole('region', { name: 'Dock', exact: true }).count()).toBe(0);
    }
    expect(await a.getByRole('region', { name: 'Dockerfile' }).textContent()).toContain('COPY app.py .');
    expect(await b.getByRole('region', { name: 'Dockerfile' }).textContent()).toContain('COPY --from=build');

    // Both build at once, each in its own worker.
    const [ra, rb] = await Promise.all([buildIn(a), buildIn(b)]);
    expect(ra).toMatch(/: done in/);
    expect(rb).toMatch(/: done in/);
    const workers = page.workers().filter((w) => w.url().includes('/assets/'));
    expect(workers.length, `engine workers: ${page.workers().map((w) => w.url())}`).toBe(2);
    await expect.poll(() => a.getByRole('region', { name: 'Layers', exact: true }).getByRole('heading').first().textContent()).toMatch(/hello:latest/);
    await expect.poll(() => b.getByRole('region', { name: 'Layers', exact: true }).getByRole('heading').first().textContent()).toMatch(/tiny:latest/);
    // Each engine wrote its own image only: neither log names the other's image.
    const logA = (await a.getByRole('region', { name: 'Build log' }).textContent()) ?? '';
    const logB = (await b.getByRole('region', { name: 'Build log' }).textContent()) ?? '';
    expect(logA).toContain('naming to docker.io/library/hello:latest');
    expect(logA).not.toContain('tiny:latest');
    expect(logB).toContain('naming to docker.io/library/tiny:latest');
    expect(logB).not.toContain('hello:latest');
    await page.screenshot({ path: 'test/e2e/artifacts/embed-docs-1024.png', fullPage: true });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: 'test/e2e/artifacts/embed-docs-1920.png', fullPage: true });
    expect(errors).toEqual([]);

    // A rebuild in one embed is served from its own cache; the other embed's state is untouched.
    expect(await buildAgain(a)).toMatch(/Build 2: done in .* 0 rebuilt/);
    expect(await b.getByRole('status', { name: 'Build result' }).textContent()).toMatch(/^Build 1: done/);
    await reader.close();
    docs.server.close();
  }, 400_000);
});

async function buildAgain(frame: FrameLocator): Promise<string> {
  await frame.getByRole('button', { name: 'Build', exact: true }).click();
  const result = frame.getByRole('status', { name: 'Build result' });
  await expect.poll(async () => (await result.textContent()) ?? '', { timeout: 120_000, interval: 200 }).toMatch(/Build 2: (done|failed)/);
  return (await result.textContent()) ?? '';
}
