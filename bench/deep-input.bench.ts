/**
 * Deep-input benchmark (issue 14): 10× the input should cost ≈10× the time. Each figure is
 * the time for input size 10n divided by the time for size n, measured in the same run (1 is
 * ideal, ≈10 is linear, ≈100 quadratic).
 * - deep tree: a LayerTree n directories deep, walked, sized and cloned (no recursion);
 * - deep nesting: `${A:-${A:-…x…}}` nested n deep, expanded (up to the bound, then refused);
 * - long token: an unknown instruction n bytes long, parsed and refused;
 * - deep path in the shell: a RUN-like script over a union mount building `/d/d/…` n deep with
 *   `mkdir -p`, then writing, reading, listing, copying, moving and removing through it (n = 200 and
 *   2,000: 2,000 levels of `/d` is the deepest path under PATH_MAX).
 */
import { cloneTree } from '../src/engine/container/container.ts';
import { expandWords } from '../src/engine/dockerfile/expand.ts';
import { parseInstruction } from '../src/engine/dockerfile/instructions.ts';
import { parseDockerfile } from '../src/engine/dockerfile/parse.ts';
import { type Inode, LayerTree, makeDir } from '../src/engine/fs/layer-tree.ts';
import { LowerStack } from '../src/engine/fs/lower-stack.ts';
import { UnionFs } from '../src/engine/fs/union.ts';
import { createShell } from '../src/engine/shell/shell.ts';
import { populateRootfs } from '../src/engine/shell/test-support.ts';
import type { ShellFs } from '../src/engine/shell/types.ts';
import { bestOf } from './host.ts';

function best(n: number, f: () => void): number {
  let min = Infinity;
  for (let k = 0; k < n; k++) {
    const t = performance.now();
    f();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

function deep(n: number): LayerTree {
  const t = new LayerTree();
  let dir: Inode = t.root;
  for (let i = 0; i < n; i++) {
    const d = makeDir();
    dir.children!.set('d', d);
    dir = d;
  }
  return t;
}

const nested = (n: number) => {
  let w = 'x';
  for (let i = 0; i < n; i++) w = '${A:-' + w + '}';
  return w;
};

const refuse = (f: () => void) => () => {
  try {
    f();
  } catch {
    // the refusal is the point
  }
};

// An image-like lower layer (a small Alpine root) under a fresh writable layer, as a RUN step sees it.
function runMount(): ShellFs {
  const base = new UnionFs(new LowerStack([new LayerTree().freeze()]));
  populateRootfs(base as unknown as ShellFs, 'alpine');
  return new UnionFs(base.commit().lower) as unknown as ShellFs;
}

// `find` and `ls -R` are left out: they print every path, so their output alone grows with depth².
const DEEP_PATH_OPS = 'mkdir -p $p && touch $p/f && echo hi > $p/f && cat $p/f && ls $p && cd $p && stat $p/f && cp $p/f $p/g && mv $p/g $p/h && chmod 600 $p/f && rm -r /d';

/** A RUN-like script n directories deep through the shell (see the module comment). */
async function deepPathRun(n: number): Promise<void> {
  const sh = createShell({ fs: runMount() });
  const r = await sh.run(`p=/d; i=1; while [ $i -lt ${n} ]; do p=$p/d; i=$((i+1)); done; ${DEEP_PATH_OPS} > /dev/null`, { limits: { maxTimeMs: 600_000 } });
  if (r.exitCode !== 0) throw new Error(`deep path run failed: ${r.stderr.slice(0, 300)}`);
}

export async function runDeepInputBench(): Promise<{ name: string; ratio: number; ms: number; detail: string }[]> {
  const cases: [string, number, (n: number) => () => void][] = [
    ['deep tree (walk + size + clone)', 2_000, (n) => { const t = deep(n); return () => { void t.entryCount; void t.contentSize; cloneTree(t); }; }],
    ['deep nesting, within the bound (expand)', 40, (n) => { const w = nested(n); return () => void expandWords(w, {}); }],
    ['deep nesting, past the bound (expand → error)', 2_000, (n) => { const w = nested(n); return refuse(() => expandWords(w, {})); }],
    ['long unknown token (parse → error)', 100_000, (n) => { const src = `FROM scratch\n${'Q'.repeat(n)} x\n`; return refuse(() => { for (const c of parseDockerfile(src).children) parseInstruction(c); }); }],
  ];
  const rows = [];
  for (const [name, n, make] of cases) {
    const small = best(5, make(n));
    const large = best(5, make(10 * n));
    rows.push({ name, ratio: large / small, ms: large, detail: `n=${n}: ${small.toFixed(1)} ms, 10n: ${large.toFixed(1)} ms; ≈10 is linear` });
  }
  // The loop that builds the path string is the same shell work at both sizes; it is measured
  // separately and subtracted, so the figure is the path handling.
  const n = 200;
  await deepPathRun(n); // warm-up: loads the shell interpreter
  const loopOnly = async (k: number) => {
    const sh = createShell({ fs: runMount() });
    await sh.run(`p=/d; i=1; while [ $i -lt ${k} ]; do p=$p/d; i=$((i+1)); done`, { limits: { maxTimeMs: 600_000 } });
  };
  const small = await bestOf(3, () => deepPathRun(n));
  const large = await bestOf(3, () => deepPathRun(10 * n));
  const loopSmall = await bestOf(3, () => loopOnly(n));
  const loopLarge = await bestOf(3, () => loopOnly(10 * n));
  const ps = Math.max(0.1, small - loopSmall);
  const pl = Math.max(0.1, large - loopLarge);
  rows.push({
    name: 'deep path in the shell (mkdir -p, touch, echo >, cat, ls, cd, stat, cp, mv, chmod, rm -r)',
    ratio: pl / ps,
    ms: large,
    detail: `n=${n}: ${small.toFixed(0)} ms (path ops ${ps.toFixed(0)} ms), 10n: ${large.toFixed(0)} ms (path ops ${pl.toFixed(0)} ms); whole-run ratio ${(large / small).toFixed(1)}; ≈10 is linear`,
  });
  return rows;
}
