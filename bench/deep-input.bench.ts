/**
 * Deep-input benchmark (issue 14): 10× the input should cost ≈10× the time. Each figure is
 * the time for input size 10n divided by the time for size n, measured in the same run (1 is
 * ideal, ≈10 is linear, ≈100 quadratic).
 * - deep tree: a LayerTree n directories deep, walked, sized and cloned (no recursion);
 * - deep nesting: `${A:-${A:-…x…}}` nested n deep, expanded (up to the bound, then refused);
 * - long token: an unknown instruction n bytes long, parsed and refused.
 */
import { cloneTree } from '../src/engine/container/container.ts';
import { expandWords } from '../src/engine/dockerfile/expand.ts';
import { parseInstruction } from '../src/engine/dockerfile/instructions.ts';
import { parseDockerfile } from '../src/engine/dockerfile/parse.ts';
import { type Inode, LayerTree, makeDir } from '../src/engine/fs/layer-tree.ts';

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
  return rows;
}
