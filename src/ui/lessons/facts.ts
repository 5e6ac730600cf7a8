/**
 * The pure half of the lab's lessons (state/lessons.svelte.ts): the facts a lesson's checks read,
 * made from snapshots of the state areas, and the saved progress in localStorage.
 */
import type { LabFacts, LessonProgress } from '../../scenario/checks.ts';
import { fileBytes, type ScenarioFile } from '../../scenario/format.ts';

/** localStorage key: `{open, progress: {lessonId: LessonProgress}}`. */
export const LESSONS_KEY = 'layerlab.lessons.v1';

/** Which lesson is open and every lesson's progress. */
export interface LessonsSaved {
  open?: string;
  progress: Record<string, LessonProgress>;
}

export type LessonsStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** Reads the saved lessons state; unknown lesson ids and corrupt entries are dropped. */
export function readLessonsSaved(storage: Pick<Storage, 'getItem'> | undefined, known: string[]): LessonsSaved {
  try {
    const raw = storage?.getItem(LESSONS_KEY);
    if (!raw) return { progress: {} };
    const s = JSON.parse(raw) as Partial<LessonsSaved>;
    const progress: Record<string, LessonProgress> = {};
    for (const [id, p] of Object.entries(s.progress ?? {})) {
      if (known.includes(id) && Number.isInteger(p?.position) && Array.isArray(p.passed) && Array.isArray(p.revealed)) progress[id] = p;
    }
    return { open: s.open && known.includes(s.open) ? s.open : undefined, progress };
  } catch {
    return { progress: {} };
  }
}

export function writeLessonsSaved(storage: LessonsStorage | undefined, saved: LessonsSaved): void {
  try {
    storage?.setItem(LESSONS_KEY, JSON.stringify(saved));
  } catch {
    // storage full or disabled: progress lasts until the tab closes
  }
}

/** Snapshots of the lab's state areas that the facts are made from. */
export interface FactSources {
  /** The build state; `since` is its build count when the lesson opened (older builds do not count). */
  build: { since: number; count: number; phase: string; layerCount: number; steps: { step: number; cached?: boolean }[] };
  /** The lesson's own context files, to tell which the learner edited. */
  original: ScenarioFile[];
  /** The workspace's bytes of a context file now (undefined when deleted). */
  current: (path: string) => Uint8Array | undefined;
  /** Containers with `docker diff` lines ("C /data/big.log"). */
  containers: { name: string; status: string; diff: string[] }[];
  lastPush?: { skipped: number; pushed: number };
  images: { repository: string; tag: string; imageId: string }[];
}

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array) => !!a && a.length === b.length && a.every((x, i) => x === b[i]);

/** The facts lesson checks are evaluated on (scenario/checks.ts). */
export function gatherFacts(src: FactSources): LabFacts {
  const b = src.build;
  const finished = b.count > b.since && (b.phase === 'done' || b.phase === 'failed');
  return {
    lastBuild: finished ? { ok: b.phase === 'done', layers: b.layerCount, steps: b.steps.filter((s) => s.cached !== undefined).map((s) => ({ step: s.step, cached: !!s.cached })) } : undefined,
    changedFiles: src.original.filter((f) => !sameBytes(src.current(f.path), fileBytes(f))).map((f) => f.path),
    containers: src.containers.map((c) => ({
      name: c.name,
      running: c.status === 'running',
      diff: c.diff.filter((l) => /^[ACD] \//.test(l)).map((l) => ({ kind: l[0] as 'A' | 'C' | 'D', path: l.slice(2) })),
    })),
    lastPush: src.lastPush,
    images: src.images.flatMap((i) => [`${i.repository}:${i.tag}`, i.imageId]),
  };
}
