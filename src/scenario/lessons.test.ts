/**
 * Every lesson is a test: each lesson scenario is played step by step through the engine with its
 * `try` actions (build, edit, tag, run, exec, rm, push), and after each step its check must pass on
 * facts gathered from the engine's real state, exactly as the lab's lesson panel evaluates them.
 */
import { describe, expect, it } from 'vitest';
import { testEngine } from '../../test/helpers.ts';
import { scenarioBuildRequest } from './build.ts';
import { evaluateCheck, type LabFacts } from './checks.ts';
import { fileBytes, type LessonAction, type Scenario } from './format.ts';
import { LESSONS } from './lessons/index.ts';

async function play(lesson: Scenario) {
  const engine = testEngine();
  const s: Scenario = structuredClone(lesson);
  const original = new Map(s.files.map((f) => [f.path, f.content]));
  const facts: LabFacts = { changedFiles: [], containers: [], images: [] };
  const refresh = async () => {
    facts.images = (await engine.images.list()).flatMap((i) => [`${i.repository}:${i.tag}`, i.imageId]);
    facts.containers = [];
    for (const c of await engine.containers.list({ all: true })) {
      facts.containers.push({ name: c.name, running: c.status === 'running', diff: await engine.containers.diff(c.id) });
    }
    facts.changedFiles = s.files.filter((f) => original.get(f.path) !== f.content).map((f) => f.path);
  };
  const act = async (a: LessonAction) => {
    switch (a.do) {
      case 'build': {
        try {
          const r = await engine.builds.build(scenarioBuildRequest(s));
          facts.lastBuild = { ok: true, layers: (await engine.images.layers(r.imageId)).length, steps: r.steps.filter((x) => x.cached !== undefined).map((x) => ({ step: x.step, cached: !!x.cached })) };
        } catch {
          facts.lastBuild = { ok: false, layers: 0, steps: [] };
        }
        break;
      }
      case 'edit': {
        const f = s.files.find((x) => x.path === a.path)!;
        f.content = new TextDecoder().decode(fileBytes(f)) + a.append;
        break;
      }
      case 'tag':
        s.build = { ...s.build, tags: [a.tag] };
        break;
      case 'run':
        await engine.containers.run({ image: s.build!.tags![0], name: a.name, cmd: a.command, detach: true });
        break;
      case 'exec': {
        const r = await engine.containers.exec(a.container, ['sh', '-c', a.command]);
        expect(r.exitCode, r.stderr).toBe(0);
        break;
      }
      case 'rm':
        await engine.containers.remove(a.container, { force: true });
        break;
      case 'push': {
        const r = await engine.registries.push(a.ref ?? s.build!.tags![0]);
        facts.lastPush = { skipped: r.blobs.filter((b) => b.kind === 'layer' && b.action !== 'pushed').length, pushed: r.blobs.filter((b) => b.kind === 'layer' && b.action === 'pushed').length };
        break;
      }
    }
  };
  const results: string[] = [];
  for (const step of s.lesson!.steps) {
    for (const a of step.try ?? []) await act(a);
    await refresh();
    const r = evaluateCheck(step.check, facts);
    results.push(`${step.id}: ${r.ok ? 'ok' : `FAILED (${r.detail})`}`);
  }
  return results;
}

describe('lessons', () => {
  it('there are the eight starter lessons, each valid, each with a check per step', () => {
    expect(LESSONS.map((l) => l.id)).toEqual(['hello-layers', 'cache-order', 'deleting', 'multi-stage', 'copy-on-write', 'volumes', 'shared-base', 'registry-dedupe']);
    for (const l of LESSONS) expect(l.lesson!.steps.length).toBeGreaterThan(0);
  });
  it.each(LESSONS.map((l) => [l.id, l] as const))('%s: every step’s check passes after its actions', async (_id, lesson) => {
    const results = await play(lesson);
    expect(results.filter((r) => !r.endsWith(': ok'))).toEqual([]);
  }, 120_000);
});
