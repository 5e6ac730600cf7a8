/**
 * The build waits for the lab before each instruction (`beforeStep`): step-by-step mode and slow
 * motion pace a real build, and a FROM step reports its base's layers so the stack can draw them.
 */
import { describe, expect, it } from 'vitest';
import type { BuildEvent, StepPreview } from '../src/engine/index.ts';
import { testEngine } from './helpers.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('build pacing', () => {
  it('asks before every instruction, after the previous step was reported, and waits for the answer', async () => {
    const engine = testEngine();
    const log: string[] = [];
    let release: (() => void) | undefined;
    const previews: StepPreview[] = [];
    const build = engine.builds.build(
      { dockerfile: 'FROM alpine:3.22\nCOPY app.py /app/\nENV A=1\nRUN echo hi > /hi\n', files: [{ path: 'app.py', type: 'file', mode: 0o644, content: enc('print(1)\n') }] },
      (e: BuildEvent) => { if (e.type === 'step') log.push(`step ${e.step} ${e.outcome}`); },
      {
        beforeStep: (p) => {
          previews.push(p);
          log.push(`before ${p.step} ${p.keyword} ${p.effect}`);
          return new Promise<void>((r) => (release = r));
        },
      },
    );
    for (let i = 0; i < 4; i++) {
      await expect.poll(() => previews.length, { timeout: 20_000 }).toBe(i + 1);
      // Nothing runs while the lab holds the step.
      await new Promise((r) => setTimeout(r, 20));
      expect(log.filter((l) => l.startsWith('step'))).toHaveLength(i);
      release!();
    }
    await build;
    expect(log).toEqual([
      'before 1 FROM base', 'step 1 from',
      'before 2 COPY layer', 'step 2 layer',
      'before 3 ENV config', 'step 3 metadata',
      'before 4 RUN layer', 'step 4 layer',
    ]);
    expect(previews[3]).toMatchObject({ instruction: 'RUN echo hi > /hi', totalSteps: 4, range: { start: { line: 4 } } });
  });

  it('reports the base image layers with the FROM step', async () => {
    const engine = testEngine();
    const steps: Extract<BuildEvent, { type: 'step' }>[] = [];
    await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nRUN echo hi > /hi\n', files: [] }, (e) => e.type === 'step' && steps.push(e));
    const from = steps[0];
    const layers = await engine.images.layers('alpine:3.22');
    expect(from.base?.name).toBe('docker.io/library/alpine:3.22');
    expect(from.base?.layers.map((l) => l.diffId)).toEqual(layers.map((l) => l.diffId));
    expect(from.base?.layers[0].size).toBe(layers[0].size);
  });
});
