import { startLab } from '../test/e2e/browser.ts';
const lab = await startLab();
for (const base of ['node:22-alpine', 'python:3.12-slim']) {
  const context = await lab.browser.newContext();
  const page = await context.newPage();
  await page.goto(lab.url);
  await page.getByText('engine: ready').waitFor({ timeout: 60_000 });
  await page.locator('textarea[aria-label="Dockerfile"]').fill(`FROM ${base}\nCOPY app.py /app/app.py\nRUN echo built > /app/info\n`);
  await page.getByLabel('image tag').fill('bench:first');
  await page.evaluate(() => {
    const w = window as unknown as { marks: string[] };
    w.marks = [];
    const t0 = performance.now();
    new MutationObserver(() => {
      const pres = document.querySelectorAll('pre');
      const txt = pres[pres.length - 1]?.textContent ?? '';
      const last = txt.trim().split('\n').slice(-1)[0];
      w.marks.push(`${(performance.now() - t0).toFixed(0)} ${last}`);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Build', exact: true }).click();
  await page.getByText(/naming to docker\.io\/library\/bench:first done/).waitFor({ timeout: 120_000 });
  console.log(base, Date.now() - t0);
  console.log((await page.evaluate(() => (window as unknown as { marks: string[] }).marks)).filter((m, i, a) => i === 0 || m.split(' ').slice(1).join(' ') !== a[i - 1].split(' ').slice(1).join(' ')).join('\n'));
  await context.close();
}
await lab.close();
