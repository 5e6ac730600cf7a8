/**
 * Shell benchmark: one RUN line of 1,000 `mkdir -p /d/$i; echo $i > /d/$i/f` over the union
 * filesystem, against the same script on just-bash's own InMemoryFs in the same run (ratio).
 * Goal: ≤ 300 ms in Node. Run alone with `npx tsx bench/shell.bench.ts`.
 */
import { Bash, InMemoryFs } from 'just-bash';
import { LayerTree } from '../src/engine/fs/layer-tree.ts';
import { LowerStack } from '../src/engine/fs/lower-stack.ts';
import { UnionFs } from '../src/engine/fs/union.ts';
import { FlatFs } from '../src/engine/shell/flat-fs.ts';
import { createShell } from '../src/engine/shell/shell.ts';
import { populateRootfs } from '../src/engine/shell/test-support.ts';
import type { ShellFs } from '../src/engine/shell/types.ts';
import { bestOf } from './host.ts';

const SCRIPT = 'i=0; while [ $i -lt 1000 ]; do mkdir -p /d/$i; echo $i > /d/$i/f; i=$((i+1)); done';

export async function runShellBench(): Promise<{ name: string; ratio?: number; ms: number; detail: string }[]> {
  const reference = await bestOf(3, async () => {
    const bash = new Bash({ fs: new InMemoryFs(), cwd: '/' });
    const r = await bash.exec(SCRIPT);
    if (r.exitCode !== 0) throw new Error(r.stderr);
  });
  const union = await bestOf(3, async () => {
    const base = new LayerTree();
    populateRootfs(new FlatFs(base));
    base.freeze();
    const fs = new UnionFs(new LowerStack([base]));
    const r = await createShell({ fs: fs as unknown as ShellFs }).run(SCRIPT);
    if (r.exitCode !== 0) throw new Error(r.stderr);
  });
  return [
    { name: 'shell: 1,000 × (mkdir -p; echo > f) over UnionFs', ratio: union / reference, ms: union, detail: `goal ≤ 300 ms; just-bash InMemoryFs reference ${reference.toFixed(0)} ms` },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runShellBench()) console.log(`${r.name}: ${r.ms.toFixed(0)} ms, ratio ${r.ratio?.toFixed(2)} (${r.detail})`);
}
