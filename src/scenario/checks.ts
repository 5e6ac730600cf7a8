/**
 * Lesson checks, evaluated on facts the lab gathers from the engine's real state and events (the
 * last build's steps and layers, the context's edits, containers and their `docker diff`, the last
 * push, the images in the store). Pure: the UI collects `LabFacts`; this decides.
 */
import type { ScenarioCheck } from './format.ts';

/** What the lab knows right now, from engine results and events. */
export interface LabFacts {
  lastBuild?: { ok: boolean; layers: number; steps: { step: number; cached: boolean }[] };
  /** Context paths whose content differs from the scenario's original. */
  changedFiles: string[];
  containers: { name: string; running: boolean; diff: { kind: 'A' | 'C' | 'D'; path: string }[] }[];
  lastPush?: { skipped: number; pushed: number };
  /** Image references (and IDs) in the store. */
  images: string[];
}

/** Whether a check holds, and a short reason either way (shown beside the step). */
export function evaluateCheck(check: ScenarioCheck, f: LabFacts): { ok: boolean; detail: string } {
  switch (check.kind) {
    case 'build': {
      const b = f.lastBuild;
      if (!b) return { ok: false, detail: 'no build yet' };
      if (!b.ok) return { ok: false, detail: 'the last build failed' };
      if (check.layers !== undefined && b.layers !== check.layers) return { ok: false, detail: `the image has ${b.layers} layers, expected ${check.layers}` };
      return { ok: true, detail: `built, ${b.layers} layers` };
    }
    case 'step-cache': {
      const s = f.lastBuild?.steps.find((x) => x.step === check.step);
      if (!s) return { ok: false, detail: `step ${check.step} has not run yet` };
      return s.cached === check.cached
        ? { ok: true, detail: `step ${check.step} was ${s.cached ? 'cached' : 'rebuilt'}` }
        : { ok: false, detail: `step ${check.step} was ${s.cached ? 'cached' : 'rebuilt'}; expected ${check.cached ? 'cached' : 'rebuilt'}` };
    }
    case 'file-changed':
      return f.changedFiles.includes(check.path) ? { ok: true, detail: `${check.path} edited` } : { ok: false, detail: `${check.path} is unchanged` };
    case 'container-diff': {
      const hit = f.containers.find((c) => c.diff.some((d) => d.kind === check.change && d.path === check.path));
      return hit ? { ok: true, detail: `${check.change} ${check.path} in ${hit.name}` } : { ok: false, detail: `no container shows ${check.change} ${check.path} yet` };
    }
    case 'container-running': {
      const c = f.containers.find((x) => x.running);
      return c ? { ok: true, detail: `${c.name} is running` } : { ok: false, detail: 'no running container' };
    }
    case 'push-skipped':
      if (!f.lastPush) return { ok: false, detail: 'no push yet' };
      return f.lastPush.skipped >= check.atLeast
        ? { ok: true, detail: `${f.lastPush.skipped} layers already existed` }
        : { ok: false, detail: `${f.lastPush.skipped} layers skipped, expected at least ${check.atLeast}` };
    case 'image':
      return f.images.some((r) => r === check.ref || r === `${check.ref}:latest` || r.endsWith(`/${check.ref}`))
        ? { ok: true, detail: `${check.ref} exists` }
        : { ok: false, detail: `${check.ref} does not exist yet` };
  }
}

/** Per-lesson progress: the step the learner is on and which steps passed; persisted by the UI. */
export interface LessonProgress {
  position: number;
  passed: string[];
  /** Step ids whose prediction the learner revealed. */
  revealed: string[];
}

export const emptyProgress = (): LessonProgress => ({ position: 0, passed: [], revealed: [] });
