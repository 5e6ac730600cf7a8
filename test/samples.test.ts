/**
 * The build corpus: every `test/samples/<case>.json` is a scenario file (src/scenario/README.md), the
 * same format as the lab's lessons and share links; `expect.error` marks a build that must fail with
 * that text. Each is built on a fresh in-memory store; the layers the build added (added/changed/
 * deleted entries, whiteouts, opaque directories), the config and the history are compared with
 * test/golden/samples/<case>.txt. A second build must hit the cache for every filesystem step and
 * give the same image ID. `FILTER=<case>` runs one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryPersistence } from '../src/engine/host.ts';
import { assertValidImage } from '../src/engine/image/validate.ts';
import { layerChanges } from '../src/engine/fs/layer-views.ts';
import type { BuildEvent } from '../src/engine/builder/events.ts';
import { validateScenario, type Scenario } from '../src/scenario/format.ts';
import { scenarioBuildRequest } from '../src/scenario/build.ts';
import { ROOT, expectGolden, openTestStore, testEngine } from './helpers.ts';

const SAMPLES = join(ROOT, 'test', 'samples');

/** Reads and validates one sample scenario (a malformed file fails with the JSON path of the bad field). */
function loadSample(name: string): Scenario {
  return validateScenario(JSON.parse(readFileSync(join(SAMPLES, `${name}.json`), 'utf8')));
}

const cases = readdirSync(SAMPLES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .filter((c) => !process.env.FILTER || c === process.env.FILTER)
  .sort();

describe('build samples', () => {
  it.each(cases)('%s', async (name) => {
    const sample = loadSample(name);
    expect(sample.id).toBe(name);
    const persistence = new MemoryPersistence();
    const engine = testEngine(persistence);
    const events: BuildEvent[] = [];
    const req = scenarioBuildRequest(sample);
    const expectedError = sample.expect?.error;
    if (expectedError) {
      const err = await engine.builds.build(req, (e) => events.push(e)).then(
        () => undefined,
        (e: Error & { range?: unknown }) => e,
      );
      expect(err, 'the build should fail').toBeDefined();
      expect(err!.message).toContain(expectedError);
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
