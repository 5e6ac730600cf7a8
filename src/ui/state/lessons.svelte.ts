/**
 * Guided lessons in the lab: which lesson is open, each lesson's progress (persisted in
 * localStorage, so a reload keeps it), the facts its checks are evaluated on — gathered from the
 * other state areas, which hold the engine's real results and events — and the "Show me" actions.
 */
import { LESSONS } from '../../scenario/lessons/index.ts';
import { emptyProgress, evaluateCheck, type LabFacts, type LessonProgress } from '../../scenario/checks.ts';
import { validateScenario, type LessonAction, type Scenario } from '../../scenario/format.ts';
import { gatherFacts, readLessonsSaved, writeLessonsSaved, type LessonsStorage } from '../lessons/facts.ts';
import type { BuildState } from './build.svelte.ts';
import type { ContainersState } from './containers.svelte.ts';
import type { EngineState } from './engine.svelte.ts';
import type { ImagesState } from './images.svelte.ts';
import type { RegistryState } from './registry.svelte.ts';
import type { Workspace } from './workspace.svelte.ts';

/** The state areas a lesson reads its facts from and acts through. */
export interface LessonDeps {
  engine: EngineState;
  build: BuildState;
  workspace: Workspace;
  containers: ContainersState;
  registry: RegistryState;
  images: ImagesState;
}

/** localStorage key of the lessons that came with a link or a workspace file (scenario files). */
export const EXTRA_LESSONS_KEY = 'layerlab.lessons.extra.v1';

export class LessonsState {
  /** The starter lessons (src/scenario/lessons/*.json). */
  readonly starters: Scenario[] = LESSONS;
  /** Lessons written elsewhere that arrived by a link or a workspace file, kept beside the starters. */
  extra = $state.raw<Scenario[]>([]);
  openId = $state<string | undefined>(undefined);
  progress = $state<Record<string, LessonProgress>>({});
  /** Set while "Show me" performs a step's actions. */
  acting = $state(false);
  error = $state('');
  /** Builds started before the lesson opened do not count for its checks. */
  private buildsBefore = $state(0);

  /** `storage` undefined (an embed): nothing is read or saved. */
  constructor(
    private readonly deps: LessonDeps,
    private readonly storage: LessonsStorage | undefined = globalThis.localStorage,
  ) {
    try {
      const raw = storage?.getItem(EXTRA_LESSONS_KEY);
      if (raw) this.extra = (JSON.parse(raw) as unknown[]).flatMap((x) => { try { return [validateScenario(x)]; } catch { return []; } });
    } catch {
      // corrupt: no extra lessons
    }
    const saved = readLessonsSaved(storage, this.all.map((l) => l.id));
    this.progress = saved.progress;
    this.openId = saved.open;
  }

  /** Every lesson the lab offers now: the starters, then those from links and files. */
  get all(): Scenario[] {
    return [...this.starters, ...this.extra];
  }

  private save() {
    writeLessonsSaved(this.storage, { open: this.openId, progress: $state.snapshot(this.progress) });
    try {
      this.storage?.setItem(EXTRA_LESSONS_KEY, JSON.stringify(this.extra));
    } catch {
      // storage full: the extra lessons last until the tab closes
    }
  }

  /**
   * Opens the lesson a shared link (or workspace file) carries, with the link's Dockerfile and files
   * and at its step. A starter's link opens the starter (progress and all); a lesson written
   * elsewhere joins the list. Returns false when the scenario has no lesson.
   */
  openScenario(s: Scenario): boolean {
    if (!s.lesson?.steps.length) return false;
    const starter = this.starters.find((l) => l.id === s.id);
    let lesson = starter && JSON.stringify(starter.lesson) === JSON.stringify(s.lesson) ? starter : undefined;
    if (!lesson) {
      lesson = starter ? { ...s, id: `${s.id}-shared`.slice(0, 64) } : s;
      const id = lesson.id;
      this.extra = [...this.extra.filter((l) => l.id !== id), lesson];
    }
    this.deps.workspace.useScenario(s);
    this.buildsBefore = this.deps.build.count;
    this.openId = lesson.id;
    this.error = '';
    this.progress = { ...this.progress, [lesson.id]: { ...this.progressOf(lesson.id), position: s.position ?? 0 } };
    this.save();
    return true;
  }

  get current(): Scenario | undefined {
    return this.all.find((l) => l.id === this.openId);
  }

  progressOf(id: string): LessonProgress {
    return this.progress[id] ?? emptyProgress();
  }

  setProgress(id: string, p: LessonProgress) {
    this.progress = { ...this.progress, [id]: p };
    this.save();
  }

  /** "2 of 3 steps done". */
  summary(l: Scenario): string {
    const n = l.lesson?.steps.length ?? 0;
    const done = this.progressOf(l.id).passed.filter((id) => l.lesson?.steps.some((s) => s.id === id)).length;
    const steps = n === 1 ? 'step' : 'steps';
    return done === n && n > 0 ? (n === 1 ? 'the 1 step done' : `all ${n} steps done`) : `${done} of ${n} ${steps} done`;
  }

  /** Opens a lesson: its scenario replaces the workspace, and checks count only what happens from now on. */
  open(id: string) {
    const l = this.all.find((x) => x.id === id);
    if (!l) return;
    this.deps.workspace.useScenario(l);
    this.buildsBefore = this.deps.build.count;
    this.openId = id;
    this.error = '';
    this.save();
  }

  close() {
    this.openId = undefined;
    this.save();
  }

  /** What the lab knows now, from the engine's results and events held by the other state areas. */
  get facts(): LabFacts {
    const { build, workspace, containers, registry, images } = this.deps;
    return gatherFacts({
      build: { since: this.buildsBefore, count: build.count, phase: build.phase, layerCount: build.layerCount, steps: build.steps },
      original: this.current?.files ?? [],
      current: (path) => workspace.file(path)?.bytes,
      containers: containers.containers.map((c) => ({ name: c.name, status: c.status, diff: containers.diff[c.id] ?? [] })),
      lastPush: registry.lastPush,
      images: images.images,
    });
  }

  /** Whether step `i` of the open lesson passes now. */
  check(i: number) {
    const step = this.current?.lesson?.steps[i];
    return step ? evaluateCheck(step.check, this.facts) : { ok: false, detail: '' };
  }

  /** "Show me": performs the step's actions through the lab, as the learner would. */
  async perform(i: number) {
    const step = this.current?.lesson?.steps[i];
    if (!step?.try || this.acting) return;
    this.acting = true;
    this.error = '';
    try {
      for (const a of step.try) await this.act(a);
    } catch (e) {
      this.error = `Show me stopped: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.acting = false;
    }
  }

  private async act(a: LessonAction) {
    const { build, workspace, containers, registry, engine } = this.deps;
    const byName = (name: string) => containers.containers.find((c) => c.name === name);
    switch (a.do) {
      case 'build':
        await build.build({ dockerfile: workspace.dockerfile, files: workspace.contextFiles(), dockerignore: workspace.dockerignore, tag: workspace.tag, epochMs: workspace.epochMs });
        if (build.phase !== 'done') throw new Error(build.problem?.message ?? 'the build did not finish');
        return;
      case 'edit':
        workspace.setText(a.path, workspace.text(a.path) + a.append);
        return;
      case 'tag':
        workspace.tag = a.tag;
        return;
      case 'run':
        await containers.run({ image: workspace.tag, name: a.name, command: a.command?.join(' ') ?? '', env: '', volumes: '', user: '', workdir: '' });
        if (containers.error) throw new Error(containers.error);
        return;
      case 'exec': {
        const r = await engine.track(`exec in ${a.container}`, async () => (await engine.api()).containers.exec(a.container, ['sh', '-c', a.command]));
        if (r.exitCode !== 0) throw new Error(`${a.command}: exit code ${r.exitCode} ${r.stderr}`);
        await containers.refresh();
        const c = byName(a.container);
        if (c) await containers.refreshDiff(c.id);
        return;
      }
      case 'rm': {
        const c = byName(a.container);
        if (c) await containers.remove(c.id);
        return;
      }
      case 'push':
        await registry.push(a.ref ?? workspace.tag, a.ref ?? workspace.tag);
        if (registry.error) throw new Error(registry.error);
        return;
    }
  }
}
