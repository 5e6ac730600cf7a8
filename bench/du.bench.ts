/**
 * `du` over a node_modules-sized tree (the hidden-cost check of the du model): 50,000 files in
 * 1,000 package directories of a lower layer, read through the union filesystem as a RUN sees
 * it. `du -sh` (and `du -a`, which prints every entry) against the least any du must do, measured
 * in the same run: a bare readdir + lstat walk of the same tree in JavaScript, over the same
 * filesystem stack a RUN's commands see (the union under the runtime mounts). No file content is
 * read by either. Goal: du -sh ≤ 2× the bare walk.
 *
 *   BENCH=du npm run bench        or        npx tsx bench/du.bench.ts
 */
import { LayerTree } from '../src/engine/fs/layer-tree.ts';
import { LowerStack } from '../src/engine/fs/lower-stack.ts';
import { UnionFs } from '../src/engine/fs/union.ts';
import { FlatFs } from '../src/engine/shell/flat-fs.ts';
import { createShell } from '../src/engine/shell/shell.ts';
import { populateRootfs } from '../src/engine/shell/test-support.ts';
import { SystemMountsFs } from '../src/engine/shell/system-mounts.ts';
import type { ShellFs } from '../src/engine/shell/types.ts';
import { bestOf } from './host.ts';

type Row = { name: string; ratio?: number; ms?: number; detail: string };

function nodeModules(): LayerTree {
  const base = new LayerTree();
  const fs = new FlatFs(base);
  populateRootfs(fs);
  fs.writeFile('/usr/bin/du', new Uint8Array([0x7f, 0x45, 0x4c, 0x46]), { mode: 0o755 });
  const bytes = new Uint8Array(9000);
  for (let p = 0; p < 1000; p++) {
    const dir = `/app/node_modules/pkg-${p}`;
    fs.mkdir(`${dir}/lib/util`, { recursive: true });
    for (let f = 0; f < 50; f++) fs.writeFile(`${dir}/${f < 20 ? '' : f < 40 ? 'lib/' : 'lib/util/'}file-${f}.js`, bytes.subarray(0, (p * 37 + f * 101) % 9000));
  }
  base.freeze();
  return base;
}

export async function runDuBench(): Promise<Row[]> {
  const lower = new LowerStack([nodeModules()]);
  const union = () => new UnionFs(lower) as unknown as ShellFs;
  let files = 0;
  const walk = await bestOf(5, () => {
    // The filesystem a RUN's commands see: the union under the runtime mounts (/proc, /dev, …).
    const fs = new SystemMountsFs(union(), { kind: 'build', hostname: 'buildkitsandbox' });
    files = 0;
    const stack = ['/app/node_modules'];
    while (stack.length) {
      const d = stack.pop()!;
      for (const n of fs.readdir(d)) {
        const p = `${d}/${n}`;
        const st = fs.lstat(p);
        if (st.type === 'dir') stack.push(p);
        else files++;
      }
    }
  });
  let summary = '';
  const duSh = await bestOf(5, async () => {
    const r = await createShell({ fs: union() }).run('du -sh /app/node_modules');
    if (r.exitCode !== 0) throw new Error(r.stderr);
    summary = r.stdout.trim();
  });
  // What any command costs in a fresh shell (startup, parsing), included in the du figures.
  const empty = await bestOf(5, async () => {
    await createShell({ fs: union() }).run('true');
  });
  const duA = await bestOf(3, async () => {
    const r = await createShell({ fs: union() }).run('du -a /app/node_modules > /dev/null');
    if (r.exitCode !== 0) throw new Error(r.stderr);
  });
  return [
    { name: `du -sh over ${files.toLocaleString('en')} files (UnionFs)`, ratio: duSh / walk, ms: duSh, detail: `goal ≤ 2× a bare readdir+lstat walk (${walk.toFixed(0)} ms); printed ${summary}; a fresh shell running \`true\` ${empty.toFixed(0)} ms` },
    { name: 'du -a (every entry printed)', ratio: duA / walk, ms: duA, detail: 'against the same bare walk' },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runDuBench()) console.log(`${r.name}: ${r.ms?.toFixed(0)} ms, ratio ${r.ratio?.toFixed(2)} (${r.detail})`);
}
