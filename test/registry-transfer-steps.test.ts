/**
 * The Registry tab's per-blob steps (src/ui/state/transfer-steps.ts) against the engine's real push and
 * pull results: each layer tile says what docker push / docker pull prints for that layer.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, createMachine } from '../src/engine/index.ts';
import { testHost } from './helpers.ts';
import { transferSteps, transferSummary } from '../src/ui/state/transfer-steps.ts';

const file = (path: string, text: string) => ({ path, type: 'file' as const, mode: 0o644, content: new TextEncoder().encode(text) });
/** docker's per-layer lines of a push or pull (between the header and the digest/status lines). */
const layerLines = (lines: string[]) => lines.filter((l) => /^[0-9a-f]{12}: /.test(l));
const stepLines = (steps: ReturnType<typeof transferSteps>) => steps.filter((s) => s.kind === 'layer').map((s) => `${s.shortId}: ${s.status}`);

describe('transfer steps', () => {
  it("give each layer the line docker push / docker pull prints for it, and count only moved bytes", async () => {
    const host = testHost();
    const first = createEngine(host);
    const second = createMachine(first, host, 'second');
    const files = [file('a', 'base '.repeat(100)), file('b', 'web'), file('c', 'api')];
    await first.builds.build({ dockerfile: 'FROM scratch\nCOPY a /a\n', files, tags: ['base:1'] });
    await first.builds.build({ dockerfile: 'FROM base:1\nCOPY b /b\n', files, tags: ['localhost:5000/web:1'] });
    await first.builds.build({ dockerfile: 'FROM base:1\nCOPY c /c\n', files, tags: ['localhost:5000/api:1', 'localhost:5000/web:api'] });
    const pushes = [
      await first.registries.push('localhost:5000/web:1'),
      await first.registries.push('localhost:5000/api:1'),
      await first.registries.push('localhost:5000/web:api'),
    ];
    const statuses = pushes.map((p) => transferSteps(p.blobs).filter((s) => s.kind === 'layer').map((s) => s.status));
    expect(statuses).toEqual([['Pushed', 'Pushed'], ['Pushed', 'Mounted from web'], ['Mounted from api', 'Layer already exists']]);
    for (const p of pushes) expect(stepLines(transferSteps(p.blobs))).toEqual(layerLines(p.lines));
    const last = transferSteps(pushes[2].blobs);
    expect(last.filter((s) => s.moved).map((s) => s.kind)).toEqual(['config']);
    expect(transferSummary(last)).toBe(`moved 1 blob (${last[2].size} bytes); skipped 2 blobs the other side already had (${last[0].size + last[1].size} bytes not sent)`);

    const pullWeb = await second.registries.pull('localhost:5000/web:1');
    const pullApi = await second.registries.pull('localhost:5000/api:1');
    expect(transferSteps(pullApi.blobs).map((s) => s.status)).toEqual(['Downloaded', 'Already exists', 'Pull complete']);
    for (const p of [pullWeb, pullApi]) expect(stepLines(transferSteps(p.blobs))).toEqual(layerLines(p.lines));
  });
});
