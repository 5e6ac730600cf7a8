/**
 * Guided lessons in the lab: which lesson is open, each lesson's progress (persisted in
 * localStorage, so a reload keeps it), the facts its checks are evaluated on — gathered from the
 * other state areas, which hold the engine's real results and events — and the "Show me" actions.
 */
import { LESSONS } from '../../scenario/lessons/index.ts';
import { emptyProgress, evaluateCheck, type LabFacts, type LessonProgress } from '../../scenario/checks.ts';
import { fileBytes, type LessonAction, type Scenario } from '../../scenario/format.ts';
import type { BuildState } from './build.svelte.ts';
import type { ContainersState } from './containers.svelte.ts';
import type { EngineState } from './engine.svelte.ts';
import type { ImagesState } from './images.svelte.ts';
import type { RegistryState } from './registry.svelte.ts';
import type { Workspace } from './workspace.svelte.ts';

/** localStorage key: `{open, progress: {lessonId: LessonProgress}}`. */
export const LESSONS_KEY = 'layerlab.lessons.v1';

interface Saved {
  open?: string;
  progress: Record<string, LessonProgress>;
}

/** The state areas a lesson reads its facts from and acts through. */
export interface LessonDeps {
  engine: EngineState;
  build: BuildState;
  workspace: Workspace;
  containers: ContainersState;
  registry: RegistryState;
  images: ImagesState;
}

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array) => !!a && a.length === b.length && a.every((x, i) => x === b[i]);

export class LessonsState {
  /** Every lesson the lab offers (the starter scenarios; a teacher adds one as a JSON file). */
  readonly all: Scenario[] = LESSONS;
  openId = $state<string | undefined>(undefined);
  progress = $state<Record<string, LessonProgress>>({});
  /** Set while "Show me" performs a step's actions. */
  acting = $state(false);
  error = $state('');
  /** Builds started before the lesson opened do not count for its checks. */
  private buildsBefore = $state(0);

  constructor(
    private readonly deps: LessonDeps,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage,
  ) {
    try {
      const raw = storage?.getItem(LESSONS_KEY);
      if (raw) {
        const s = JSON.parse(raw) as Saved;
        this.progress = s.progress ?? {};
        if (s.open && this.all.some((l) => l.id === s.open)) this.openId = s.open;
      }
    } catch {
      // a corrupt entry: start without progress
    }
    $effect.root(() => {
      $effect(() => {
        const saved: Saved = { open: this.openId, progress: $state.snapshot(this.progress) };
        try {
          this.storage?.setItem(LESSONS_KEY, JSON.stringify(saved));
        } catch {
          // storage full or disabled: progress lasts until the tab closes
        }
      });
    });
  }

  get current(): Scenario | undefined {
    return this.all.find((l) => l.id === this.openId);
  }

  progressOf(id: string): LessonProgress {
    return this.progress[id] ?? emptyProgress();
  }

  setProgress(id: string, p: LessonProgress) {
    this.progress = { ...this.progress, [id]: p };
  }

  /** "2 of 3 steps done". */
  summary(l: Scenario): string {
    const n = l.lesson?.steps.length ?? 0;
    const done = this.progressOf(l.id).passed.filter((id) => l.lesson?.steps.some((s) => s.id === id)).length;
    return done === n && n > 0 ? `all ${n} steps done` : `${done} of ${n} steps done`;
  }

  /** Opens a lesson: its scenario replaces the workspace, and checks count only what happens from now on. */
  open(id: string) {
    const l = this.all.find((x) => x.id === id);
    if (!l) return;
    this.deps.workspace.useScenario(l);
    this.buildsBefore = this.deps.build.count;
    this.openId = id;
    this.error = '';
  }

  close() {
    this.openId = undefined;
  }

  /** What the lab knows now, from the engine's results and events held by the other state areas. */
  get facts(): LabFacts {
    const { build, workspace, containers, registry, images } = this.deps;
    const finished = build.count > this.buildsBefore && (build.phase === 'done' || build.phase === 'failed');
    const lesson = this.current;
    return {
      lastBuild: finished
        ? { ok: build.phase === 'done', layers: build.layerCount, steps: build.steps.filter((s) => s.cached !== undefined).map((s) => ({ step: s.step, cached: !!s.cached })) }
        : undefined,
      changedFiles: (lesson?.files ?? []).filter((f) => !sameBytes(workspace.file(f.path)?.bytes, fileBytes(f))).map((f) => f.path),
      containers: containers.containers.map((c) => ({
        name: c.name,
        running: c.status === 'running',
        diff: (containers.diff[c.id] ?? []).map((line) => ({ kind: line[0] as 'A' | 'C' | 'D', path: line.slice(2) })),
      })),
      lastPush: registry.lastPush,
      images: images.images.flatMap((i) => [`${i.repository}:${i.tag}`, i.imageId]),
    };
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
