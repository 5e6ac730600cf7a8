/**
 * The build corpus: every folder of test/samples/ holds a Dockerfile, a context/ and optionally a
 * case.json ({tags, buildArgs, target, error}). Each is built on a fresh in-memory store; the
 * layers the build added (added/changed/deleted entries, whiteouts, opaque directories), the
 * config and the history are compared with test/golden/samples/<case>.txt. A second build must
 * hit the cache for every filesystem step and give the same image ID. `FILTER=<case>` runs one.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readContextDir } from '../src/cli/commands/build.ts';
import { MemoryPersistence } from '../src/engine/host.ts';
import { assertValidImage } from '../src/engine/image/validate.ts';
import { layerChanges } from '../src/engine/fs/layer-views.ts';
import type { BuildEvent } from '../src/engine/builder/events.ts';
import { ROOT, expectGolden, openTestStore, testEngine } from './helpers.ts';

const SAMPLES = join(ROOT, 'test', 'samples');
const cases = readdirSync(SAMPLES).filter((c) => !process.env.FILTER || c === process.env.FILTER).sort();

interface CaseSpec {
  tags?: string[];
  buildArgs?: Record<string, string>;
  target?: string;
  error?: string;
}

async function load(name: string) {
  const dir = join(SAMPLES, name);
  const spec: CaseSpec = existsSync(join(dir, 'case.json')) ? JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) : {};
  const files = existsSync(join(dir, 'context')) ? (await readContextDir(join(dir, 'context'))).map((f) => ({ ...f, mtime: 0 })) : [];
  const dockerignore = files.find((f) => f.path === '.dockerignore')?.content;
  return { spec, files, dockerfile: readFileSync(join(dir, 'Dockerfile'), 'utf8'), dockerignore: dockerignore && new TextDecoder().decode(dockerignore) };
}

describe('build samples', () => {
  it.each(cases)('%s', async (name) => {
    const { spec, files, dockerfile, dockerignore } = await load(name);
    const persistence = new MemoryPersistence();
    const engine = testEngine(persistence);
    const events: BuildEvent[] = [];
    const req = { dockerfile, files, dockerignore, tags: spec.tags ?? [`sample/${name}:latest`], buildArgs: spec.buildArgs, target: spec.target };
    if (spec.error) {
      const err = await engine.builds.build(req, (e) => events.push(e)).then(
        () => undefined,
        (e: Error & { range?: unknown }) => e,
      );
      expect(err, 'the build should fail').toBeDefined();
      expect(err!.message).toContain(spec.error);
      expect(err!.range, 'errors carry the Dockerfile range').toBeDefined();
      expect(events.some((e) => e.type === 'build-error')).toBe(true);
      return;
    }
    const res = await engine.builds.build(req, (e) => events.push(e));
    const store = await openTestStore(persistence);
    const img = store.resolve(res.imageId);
    await assertValidImage(store, res.imageId);

    const out: string[] = [];
    out.push('# steps');
    for (const s of res.steps) out.push(`${s.step}. ${s.instruction.split('\n')[0]} -> ${s.outcome}${s.layerSize !== undefined ? ` (${s.layerSize} B)` : ''}`);
    out.push('', '# layers added by the build');
    const trees = await store.imageLayerTrees(res.imageId);
    const hist = (img.config.history ?? []).filter((h) => !h.empty_layer);
    const finalStage = res.steps[res.steps.length - 1].stage;
    const own = res.steps.filter((s) => s.stage === finalStage);
    const builtFrom = trees.length - own.filter((s) => s.outcome === 'layer').length;
    for (let i = builtFrom; i < trees.length; i++) {
      out.push(`layer ${i}: ${hist[i]?.created_by ?? '?'}`);
      for (const c of layerChanges(trees, i)) {
        // The golden files mark links by what they do to the path (added or replacing), not by type.
        const mark = c.marker === '→' || c.marker === '⇄' ? (c.replaces ? '~' : '+') : c.marker;
        const node = trees[i].get(c.path);
        const meta = node && 'mode' in node ? ` ${node.type} ${node.mode.toString(8).padStart(4, '0')} ${node.uid}:${node.gid} ${node.type === 'file' ? `${node.size}B` : node.type === 'symlink' ? `-> ${node.target}` : ''}`.trimEnd() : '';
        out.push(`  ${mark} ${c.path}${meta}`);
      }
    }
    out.push('', '# config', JSON.stringify(img.config.config, null, 2));
    out.push('', '# history (added by the build)');
    const baseHistory = (img.config.history ?? []).length - own.filter((s) => s.outcome !== 'from' && s.outcome !== undefined && (s.outcome !== 'metadata' || !/^\s*onbuild\b/i.test(s.instruction))).length;
    for (const h of (img.config.history ?? []).slice(Math.max(0, baseHistory))) out.push(`${h.empty_layer ? '  (empty) ' : '  (layer) '}${h.created_by}`);
    expectGolden(`samples/${name}.txt`, out.join('\n') + '\n');

    // Rebuild: every filesystem step is cached and the image ID is reproduced.
    const again = await engine.builds.build(req);
    expect(again.imageId).toBe(res.imageId);
    for (const s of again.steps) if (s.outcome === 'layer' || s.outcome === 'empty') expect(s.cached, `${s.instruction} should be cached`).toBe(true);
  }, 60_000);
});
