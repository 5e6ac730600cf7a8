/**
 * Fuzz targets (issue 14): the Dockerfile parser, word expansion, archive `load`, layer tar
 * reading and the union filesystem's path handling (what the shell's adapter calls), driven by
 * fast-check arbitraries and by mutations of the test corpus (test/samples Dockerfiles and a
 * saved image). A finding is any exception that is not a `LayerlabError`, any input that takes
 * longer than the time budget, or heap growth past the memory bound.
 *
 * `npm run fuzz` runs every target long (FUZZ_RUNS, FUZZ_SEED, FUZZ_BUDGET_MS, FUZZ_HEAP_MB);
 * `fuzz.test.ts` runs a short seeded pass inside `npm test`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { LayerlabError } from '../../src/engine/errors.ts';
import { parseDockerfile } from '../../src/engine/dockerfile/parse.ts';
import { parseInstruction } from '../../src/engine/dockerfile/instructions.ts';
import { expandWords } from '../../src/engine/dockerfile/expand.ts';
import { MemoryPersistence } from '../../src/engine/host.ts';
import { ImageStore } from '../../src/engine/image/store.ts';
import { loadArchive } from '../../src/engine/image/docker-archive.ts';
import { saveImages } from '../../src/engine/image/oci-layout.ts';
import { readLayerTar, packEntries } from '../../src/engine/image/tar.ts';
import { LayerTree, makeFile } from '../../src/engine/fs/layer-tree.ts';
import { LowerStack } from '../../src/engine/fs/lower-stack.ts';
import { UnionFs } from '../../src/engine/fs/union.ts';
import { textContent } from '../../src/engine/fs/content.ts';
import { validateScenario } from '../../src/scenario/format.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** One problem found: which target, what went wrong, and the input (shortened) to reproduce it. */
export interface Finding {
  target: string;
  kind: 'exception' | 'slow' | 'memory';
  detail: string;
  input: string;
}

export interface FuzzOptions {
  runs: number;
  seed: number;
  /** Longest time one input may take. */
  budgetMs: number;
  /** Largest heap growth over the run, in MiB. */
  heapMb: number;
  /** Run only targets whose name contains this. */
  only?: string;
}

const show = (v: unknown) => {
  const s = typeof v === 'string' ? v : v instanceof Uint8Array ? `<${v.length} bytes>` : JSON.stringify(v);
  return s.length > 300 ? `${s.slice(0, 300)}…(${s.length} chars)` : s;
};

/** The Dockerfiles of the test/samples scenario files: the corpus that mutations start from. */
function corpusDockerfiles(): string[] {
  const dir = join(ROOT, 'test', 'samples');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => Object.values(validateScenario(JSON.parse(readFileSync(join(dir, f), 'utf8'))).dockerfiles));
}

/** Byte-level mutations: flip, insert, delete, duplicate a slice. */
function mutateBytes(base: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 }), fc.nat({ max: 255 }), fc.nat({ max: 64 })), { minLength: 1, maxLength: 8 }).map((ops) => {
    let b = base;
    for (const [pos, kind, val, len] of ops) {
      const i = b.length ? pos % b.length : 0;
      if (kind === 0 && b.length) {
        b = b.slice();
        b[i] ^= val || 1;
      } else if (kind === 1) b = concat(b.subarray(0, i), new Uint8Array(len).fill(val), b.subarray(i));
      else if (kind === 2) b = concat(b.subarray(0, i), b.subarray(Math.min(b.length, i + len + 1)));
      else b = concat(b.subarray(0, i), b.subarray(i, i + len), b.subarray(i));
    }
    return b;
  });
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Text mutations of a corpus file: splice random strings, repeat a slice, nest expansions. */
function mutateText(corpus: string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...corpus), fc.array(fc.tuple(fc.nat(), fc.oneof(fc.string(), fc.constantFrom('${', '}', '\\\n', '<<EOF\n', '"', "'", '\n', ' --', '[', '# escape=`\n', '${A:-', '$(')), fc.nat({ max: 40 })), { maxLength: 6 })).map(([base, ops]) => {
    let s = base;
    for (const [pos, ins, rep] of ops) {
      const i = s.length ? pos % s.length : 0;
      s = s.slice(0, i) + ins.repeat(Math.max(1, rep % 8)) + s.slice(i);
    }
    return s;
  });
}

interface Target {
  name: string;
  arb: fc.Arbitrary<unknown>;
  run: (input: unknown) => Promise<void> | void;
}

async function targets(): Promise<Target[]> {
  const corpus = corpusDockerfiles();
  // A saved image and one of its layer tars: the seeds of the binary targets.
  const store = await ImageStore.open(new MemoryPersistence());
  const t = new LayerTree();
  t.set('/etc/hello', makeFile(textContent('hello\n'), { mtime: 1 }));
  t.set('/bin/tool', makeFile(textContent('#!/bin/sh\necho hi\n'), { mode: 0o755, mtime: 1 }));
  const layer = await store.commitLayer(t);
  await store.putImage({ config: { architecture: 'amd64', os: 'linux', config: {}, history: [{ created_by: 'fuzz' }], rootfs: { type: 'layers', diff_ids: [layer.diffId] } }, layers: [layer], tags: ['fuzz:1'] });
  const archive = await saveImages(store, ['fuzz:1']);
  const layerTar = await packEntries([
    { path: 'etc/', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 1 },
    { path: 'etc/hello', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 1, data: new TextEncoder().encode('hello\n') },
    { path: 'etc/link', type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 1, linkTarget: 'hello' },
  ]);
  const pathSeg = fc.oneof(fc.constantFrom('.', '..', '', 'a', 'b', 'loop', 'é'), fc.string({ maxLength: 300 }));
  const fsOp = fc.record({ op: fc.constantFrom('mkdir', 'mkdirp', 'write', 'symlink', 'stat', 'rm', 'rename', 'readdir', 'chdir'), a: fc.array(pathSeg, { maxLength: 12 }), b: fc.array(pathSeg, { maxLength: 6 }), abs: fc.boolean() });
  return [
    {
      name: 'parser',
      arb: fc.oneof(mutateText(corpus), fc.string({ maxLength: 2000 })),
      run: (src) => {
        const ast = parseDockerfile(src as string);
        for (const n of ast.children) parseInstruction(n);
      },
    },
    {
      name: 'expand',
      arb: fc.oneof(fc.string({ maxLength: 500 }), fc.array(fc.constantFrom('${A', ':-', '}', '$', 'x', '"', "'", '\\', '${A:+', '${A#', '%%', '/'), { maxLength: 400 }).map((a) => a.join(''))),
      run: (w) => void expandWords(w as string, { A: 'a b', B: '' }),
    },
    {
      name: 'load',
      arb: mutateBytes(archive),
      run: async (bytes) => {
        const s = await ImageStore.open(new MemoryPersistence());
        await loadArchive(s, bytes as Uint8Array);
      },
    },
    {
      name: 'layer-tar',
      arb: mutateBytes(layerTar),
      run: async (bytes) => void (await readLayerTar(bytes as Uint8Array)),
    },
    {
      name: 'fs-paths',
      arb: fc.array(fsOp, { minLength: 1, maxLength: 12 }),
      run: (ops) => {
        const fs = new UnionFs(new LowerStack([new LayerTree().freeze()]), { clock: () => 1 });
        for (const o of ops as { op: string; a: string[]; b: string[]; abs: boolean }[]) {
          const p = (o.abs ? '/' : '') + o.a.join('/');
          const q = '/' + o.b.join('/');
          try {
            if (o.op === 'mkdir') fs.mkdir(p);
            else if (o.op === 'mkdirp') fs.mkdir(p, { recursive: true });
            else if (o.op === 'write') fs.writeFile(p, 'x');
            else if (o.op === 'symlink') fs.symlink(q, p);
            else if (o.op === 'stat') fs.stat(p);
            else if (o.op === 'rm') fs.rm(p, { recursive: true, force: true });
            else if (o.op === 'rename') fs.rename(p, q);
            else if (o.op === 'readdir') fs.readdir(p);
            else fs.chdir(p);
          } catch (e) {
            // Filesystem errors are the expected outcome of random paths; anything else is a finding.
            if (!(e instanceof LayerlabError)) throw e;
          }
        }
      },
    },
  ];
}

/** Runs the targets; returns what was found (empty: nothing). */
export async function runFuzz(opts: FuzzOptions, log: (s: string) => void = () => undefined): Promise<Finding[]> {
  const findings: Finding[] = [];
  const heap0 = process.memoryUsage().heapUsed;
  for (const t of await targets()) {
    if (opts.only && !t.name.includes(opts.only)) continue;
    const started = Date.now();
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(t.arb, async (input) => {
        const t0 = performance.now();
        try {
          await t.run(input);
        } catch (e) {
          if (!(e instanceof LayerlabError)) findings.push({ target: t.name, kind: 'exception', detail: `${(e as Error)?.name}: ${(e as Error)?.message?.slice(0, 300)}`, input: show(input) });
        }
        const ms = performance.now() - t0;
        slowest = Math.max(slowest, ms);
        if (ms > opts.budgetMs) findings.push({ target: t.name, kind: 'slow', detail: `${ms.toFixed(0)} ms > budget ${opts.budgetMs} ms`, input: show(input) });
        const grown = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
        if (grown > opts.heapMb) findings.push({ target: t.name, kind: 'memory', detail: `heap grew ${grown.toFixed(0)} MiB > ${opts.heapMb} MiB`, input: show(input) });
        return true;
      }),
      { numRuns: opts.runs, seed: opts.seed },
    );
    log(`${t.name}: ${opts.runs} inputs in ${((Date.now() - started) / 1000).toFixed(1)} s, slowest ${slowest.toFixed(0)} ms`);
  }
  return findings;
}
