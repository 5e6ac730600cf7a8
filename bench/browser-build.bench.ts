/**
 * First build in the browser on an empty store (issue 7: "pulls cost metadata, not bytes"):
 * `FROM <base>` + one COPY + one RUN, in a fresh Chromium profile (empty IndexedDB), on the
 * production build served by `vite preview`. The figure is the wall time from the Build click to
 * `naming to … done` in the page's log; ratio = 1500 ms budget / that time (goal ≥ 1).
 *
 *   BENCH=browser-build npm run bench
 *   npx tsx bench/browser-build.bench.ts
 *
 * Needs Debian's chromium (see test/e2e/browser.ts).
 */
export interface BenchResult {
  name: string;
  ratio: number;
  ms: number;
  detail: string;
}

const BUDGET_MS = 1500;
const BASES = ['node:22-alpine', 'python:3.12-slim'];

export async function runBrowserBuildBench(): Promise<BenchResult[]> {
  const { startLab } = await import('../test/e2e/browser.ts');
  const { setDockerfile } = await import('../test/e2e/editor-page.ts');
  const lab = await startLab();
  const out: BenchResult[] = [];
  try {
    for (const base of BASES) {
      const context = await lab.browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const page = await context.newPage();
      await page.goto(lab.url);
      await page.getByText('engine: ready').waitFor({ timeout: 60_000 });
      await setDockerfile(page, `FROM ${base}\nCOPY app.py /app/app.py\nRUN echo built > /app/info\n`);
      await page.getByLabel('image tag').fill('bench:first');
      const t0 = Date.now();
      await page.getByRole('button', { name: 'Build', exact: true }).click();
      await page.getByText(/naming to docker\.io\/library\/bench:first done/).waitFor({ timeout: 120_000 });
      const ms = Date.now() - t0;
      out.push({
        name: `first build FROM ${base} + COPY + RUN, empty browser store`,
        ratio: BUDGET_MS / ms,
        ms,
        detail: `budget ${BUDGET_MS} ms / measured, Build click → "naming to … done" shown`,
      });
      await context.close();
    }
  } finally {
    await lab.close();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runBrowserBuildBench()) console.log(`- ${r.name}: ${r.ratio.toFixed(3)}, ${r.ms.toFixed(0)} ms  (${r.detail})`);
}
