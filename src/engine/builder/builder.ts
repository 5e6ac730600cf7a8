/**
 * The Dockerfile builder: turns a Dockerfile and a build context into an image the way Docker with
 * BuildKit does (moby/buildkit frontend/dockerfile/dockerfile2llb/convert.go):
 * - only the stages the target needs are built (`--target`, `FROM <stage>`, `COPY --from`);
 * - RUN, COPY, ADD and WORKDIR are filesystem steps, each planned by its own planner (steps/: what
 *   it reads, its cache key inputs, its `created_by`, how it executes); each runs in a union mount
 *   over the stage's layers, and its upper layer becomes a new layer, or none at all when it changed
 *   nothing (BuildKit's exporter drops empty layers and marks the history entry `empty_layer`);
 * - ENV, ARG, LABEL, USER, EXPOSE, VOLUME, CMD, ENTRYPOINT, SHELL, HEALTHCHECK, STOPSIGNAL,
 *   MAINTAINER only change the config and add an `empty_layer` history entry; ONBUILD records a trigger;
 * - filesystem steps go through the build cache (cache.ts) and report why they hit or missed.
 * Every step, cache decision and filesystem change is reported as a BuildEvent.
 */
import type { PackageCatalogs } from '../shell/packages/apt-catalog.ts';
import { shortId, type DiffID } from '../digest.ts';
import { LayerlabError, type SourceRange } from '../errors.ts';
import {
  expandWord,
  expandWords,
  parseDockerfile,
  parseInstruction,
  parseStages,
  runChecks,
  type Instruction,
  type Stage,
} from '../dockerfile/index.ts';
import { LowerStack } from '../fs/lower-stack.ts';
import type { LayerTree } from '../fs/layer-tree.ts';
import { UnionFs } from '../fs/union.ts';
import type { Clock } from '../host.ts';
import type { ContainerConfig, HistoryEntry, ImageConfig } from '../image/config.ts';
import { envMap, mergeEnv } from '../image/env.ts';
import type { LayerRecord } from '../image/layer.ts';
import type { ImageStore } from '../image/store.ts';
import { displayRefString, namedContextKey } from '../reference.ts';
import type { ArchiveCodec } from '../shell/types.ts';
import type { ShellLimits } from '../shell/limits.ts';
import { DEFAULT_PATH } from '../shell/shell.ts';
import type { MountNode } from '../shell/system-mounts.ts';
import { buildError } from './build-error.ts';
import { BuildCache, type CacheDecision } from './cache.ts';
import { DEFAULT_SHELL, planStep } from './steps/index.ts';
import type { BuildContext } from './context.ts';
import { contextSource, filesystemSource, type CopySource } from './copy.ts';
import type { BuildEvent, BuildEventListener, StepLayer, StepPreview } from './events.ts';
import { goPortSet, goQuoteSlice, goSlice, healthcheckCreatedBy } from './history-text.ts';

/** A base image the builder can stack on. */
export interface ResolvedImage {
  /** Normalised reference, e.g. `docker.io/library/alpine:3.22`. */
  name: string;
  imageId: string;
  /** Undefined for a local image whose layers are not compressed yet (FROM then shows no digest). */
  manifestDigest?: string;
  config: ImageConfig;
  records: LayerRecord[];
  trees: LayerTree[];
}

/** What the builder needs from the engine. */
export interface BuilderDeps {
  store: ImageStore;
  cache: BuildCache;
  clock: Clock;
  /** Finds a base image in the store, pulling it from the default registry if missing. */
  resolveImage(ref: string, platform: string): Promise<ResolvedImage>;
  archive?: ArchiveCodec;
  /** `RUN --mount=type=cache` volumes by id, shared across builds (the build service owns them). */
  cacheMounts?: Map<string, MountNode>;
  /** The offline package archives apt-get installs from (loaded lazily through the host's assets). */
  packages?: PackageCatalogs;
}

/** One build request. */
export interface BuildOptions {
  dockerfile: string;
  filename?: string;
  context: BuildContext;
  tags?: string[];
  buildArgs?: Record<string, string>;
  target?: string;
  noCache?: boolean;
  /** `os/arch`, default linux/amd64. */
  platform?: string;
  buildId?: string;
  onEvent?: BuildEventListener;
  /**
   * Called before each instruction runs (FROM included), once the events of the steps before it
   * were emitted; the build waits for the promise. The lab paces slow motion and step-by-step mode
   * with it. Cancellation is checked again when it resolves.
   */
  beforeStep?: (preview: StepPreview) => Promise<void>;
  signal?: { readonly aborted: boolean };
  limits?: Partial<ShellLimits>;
  /** `--secret id=…` values for `RUN --mount=type=secret`. */
  secrets?: Record<string, Uint8Array>;
  /** `--label K=V`: labels set on the image's config. */
  labels?: Record<string, string>;
  /**
   * `--build-context NAME=VALUE` (BuildKit's named contexts), keyed by `namedContextKey(NAME)`:
   * `FROM NAME`, `COPY --from=NAME` and `RUN --mount=from=NAME` use it instead of a stage or
   * image of that name.
   */
  namedContexts?: Map<string, NamedContext>;
}

/** A named build context: an image (`docker-image://REF`) or a local directory's files. */
export type NamedContext = { kind: 'image'; ref: string } | { kind: 'local'; context: BuildContext };

/** What a build produced. */
export interface BuildResult {
  imageId: string;
  tags: string[];
  steps: Extract<BuildEvent, { type: 'step' }>[];
  durationMs: number;
}

const HISTORY_COMMENT = 'buildkit.dockerfile.v0';

interface StageState {
  stage: Stage;
  /** `[name i/n]` prefix name: the stage name, `stage-N` in multi-stage files, none for a single stage. */
  label: string;
  lower: LowerStack;
  trees: LayerTree[];
  records: LayerRecord[];
  config: ContainerConfig;
  history: HistoryEntry[];
  architecture: string;
  os: string;
  author?: string;
  /** Declared ARGs of this stage with their values, in order. */
  args: { key: string; value?: string }[];
  cacheKey: string;
  rebuilt: boolean;
  cmdIndex: number;
  cmdTotal: number;
  cmdSet: boolean;
  /**
   * The build's timestamp for this stage: the time of its newest (re)built step, or of the cached
   * result a hit reused. Simulation: history entries this build adds all get it, so a fully cached
   * rebuild reproduces the same config and therefore the same image ID.
   */
  epoch: number;
  /** History entries added by this build (their `created` is set to the epoch at export). */
  added: HistoryEntry[];
}


const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');


/** Runs builds against one store and cache. */
export class Builder {
  constructor(private readonly deps: BuilderDeps) {}

  async build(opts: BuildOptions): Promise<BuildResult> {
    const started = this.deps.clock.monotonic();
    const emit = (e: BuildEvent) => opts.onEvent?.(e);
    const steps: Extract<BuildEvent, { type: 'step' }>[] = [];
    const onStep = (e: Extract<BuildEvent, { type: 'step' }>) => {
      steps.push(e);
      emit(e);
    };
    let vertex = 0;
    const nextVertex = () => ++vertex;
    const platform = opts.platform ?? 'linux/amd64';
    const [os, arch] = platform.split('/');

    emit({ type: 'build-begin', buildId: opts.buildId ?? '' });
    // #1 load build definition
    const v1 = nextVertex();
    emit({ type: 'vertex-start', vertex: v1, name: `[internal] load build definition from ${opts.filename ?? 'Dockerfile'}`, kind: 'internal' });
    emit({ type: 'vertex-log', vertex: v1, text: `transferring dockerfile: ${new TextEncoder().encode(opts.dockerfile).length}B done` });
    let plan;
    let escapeToken: string;
    try {
      const ast = parseDockerfile(opts.dockerfile, { filename: opts.filename ?? 'Dockerfile' });
      escapeToken = ast.escapeToken;
      const checks = runChecks(ast);
      for (const c of checks) emit({ type: 'warning', message: c.message, range: c.range, rule: c.name, url: c.url });
      plan = parseStages(ast);
      // `# check=error=true`: a check warning fails the build (BuildKit's wording).
      if (ast.directives.check?.error && checks.length) {
        throw buildError(`lint violation found for rules: ${[...new Set(checks.map((c) => c.name))].join(', ')}`, checks[0].range);
      }
      if (plan.stages.length === 0) throw buildError('dockerfile parse error: file with no instructions');
    } catch (e) {
      emit({ type: 'vertex-done', vertex: v1, cached: false, durationMs: 0, error: (e as Error).message });
      emit({ type: 'build-error', message: (e as Error).message, range: (e as LayerlabError).range, vertex: v1 });
      throw e;
    }
    emit({ type: 'vertex-done', vertex: v1, cached: false, durationMs: 0 });

    // Meta ARGs (before the first FROM): defaults, overridden by --build-arg; platform ARGs predefined.
    const buildArgs = opts.buildArgs ?? {};
    const platformArgs: Record<string, string> = {
      TARGETPLATFORM: platform, TARGETOS: os, TARGETARCH: arch, TARGETVARIANT: '',
      BUILDPLATFORM: 'linux/amd64', BUILDOS: 'linux', BUILDARCH: 'amd64', BUILDVARIANT: '',
    };
    const metaArgs = new Map<string, string>(Object.entries(platformArgs));
    for (const a of plan.metaArgs) {
      for (const kv of a.args) {
        const v = kv.key in buildArgs ? buildArgs[kv.key] : kv.value !== undefined ? expandWord(kv.value, metaArgs, { escapeToken: escapeToken! }) : undefined;
        if (v !== undefined) metaArgs.set(kv.key, v);
        else metaArgs.delete(kv.key);
      }
    }

    // Which stages are needed.
    const stages = plan.stages;
    const byName = new Map(stages.filter((s) => s.name).map((s) => [s.name!, s]));
    let target = stages[stages.length - 1];
    if (opts.target) {
      const t = byName.get(opts.target.toLowerCase());
      if (!t) throw buildError(`failed to solve: target stage "${opts.target}" could not be found`);
      target = t;
    }
    // A named context overrides a stage of the same name (BuildKit: "When Dockerfile defines a stage with the same name it is overwritten").
    const named = (name: string): NamedContext | undefined => (opts.namedContexts?.size ? opts.namedContexts.get(namedContextKey(name)) : undefined);
    const stageRef = (name: string): Stage | undefined => (named(name) ? undefined : byName.get(name.toLowerCase()) ?? (/^\d+$/.test(name) ? stages[Number(name)] : undefined));
    const baseNameOf = (s: Stage) => expandWord(s.baseName, metaArgs, { escapeToken: escapeToken! });
    const needed = new Set<Stage>();
    const usedContexts = new Set<string>();
    const visit = (s: Stage, path: Set<Stage>) => {
      if (path.has(s)) throw buildError(`circular dependency detected on stage: ${s.name ?? s.index}`, s.range);
      if (needed.has(s)) return;
      needed.add(s);
      const p = new Set(path).add(s);
      const base = stageRef(baseNameOf(s));
      if (base && base.index < s.index) visit(base, p);
      for (const ins of s.instructions) {
        if ((ins.kind === 'copy' || ins.kind === 'add') && ins.from) {
          const dep = stageRef(expandWord(ins.from, metaArgs, { escapeToken: escapeToken! }));
          if (dep) {
            if (dep.index >= s.index) throw buildError(`invalid from flag value ${ins.from}: refers to current or later stage`, ins.range);
            visit(dep, p);
          }
        }
        if ((ins.kind === 'copy' || ins.kind === 'add') && ins.from) {
          const n = expandWord(ins.from, metaArgs, { escapeToken: escapeToken! });
          if (named(n)) usedContexts.add(n);
        }
        // RUN --mount=…,from=STAGE (bind or cache) depends on that stage too.
        if (ins.kind === 'run') {
          for (const m of ins.mounts ?? []) {
            if (m.from && named(m.from)) usedContexts.add(m.from);
            const dep = m.from ? stageRef(m.from) : undefined;
            if (dep && dep.index < s.index) visit(dep, p);
          }
        }
      }
    };
    visit(target, new Set());
    const order = stages.filter((s) => needed.has(s));

    const totalSteps = order.reduce((n, s) => n + 1 + s.instructions.length, 0);
    emit({ type: 'build-start', buildId: opts.buildId ?? '', totalSteps, stages: stages.map((s) => ({ name: s.name, index: s.index, needed: needed.has(s) })) });

    // #2 load metadata for each distinct base image; #3 .dockerignore
    const bases = new Map<string, ResolvedImage | 'scratch' | Stage>();
    for (const s of order) {
      const name = baseNameOf(s);
      if (bases.has(name)) continue;
      const st = stageRef(name);
      const nc = named(name);
      if (nc?.kind === 'local') {
        throw buildError(`FROM ${name}: the build context "${name}" is a local directory; the lab models named local contexts for COPY --from and RUN --mount only (use FROM scratch and COPY --from=${name} / /)`, s.from.range);
      }
      if (st && st.index < s.index) bases.set(name, st);
      else if (!nc && name.toLowerCase() === 'scratch') bases.set(name, 'scratch');
      else {
        const ref = nc?.kind === 'image' ? nc.ref : name;
        const v = nextVertex();
        const plat = s.platform ? expandWord(s.platform, metaArgs, { escapeToken: escapeToken! }) : platform;
        emit({ type: 'vertex-start', vertex: v, name: `[internal] load metadata for ${displayRefString(ref)}`, kind: 'internal' });
        try {
          bases.set(name, await this.deps.resolveImage(ref, plat));
          emit({ type: 'vertex-done', vertex: v, cached: false, durationMs: 0 });
        } catch (e) {
          const msg = `failed to solve: ${name}: failed to resolve source metadata for ${displayRefString(name)}: ${(e as Error).message}`;
          emit({ type: 'vertex-done', vertex: v, cached: false, durationMs: 0, error: msg });
          emit({ type: 'build-error', message: msg, range: s.from.range, vertex: v });
          throw buildError(msg, s.from.range, { ref: name }, e);
        }
      }
    }
    const vIgnore = nextVertex();
    emit({ type: 'vertex-start', vertex: vIgnore, name: '[internal] load .dockerignore', kind: 'internal' });
    emit({ type: 'vertex-log', vertex: vIgnore, text: `transferring context: ${opts.context.ignored.length ? 'applied' : '2B'} done` });
    emit({ type: 'vertex-done', vertex: vIgnore, cached: false, durationMs: 0 });
    // Named local contexts the build reads, transferred as BuildKit prints them (`[context NAME] load from client`).
    for (const n of [...usedContexts].sort()) {
      const nc = named(n);
      if (nc?.kind !== 'local') continue;
      const v = nextVertex();
      emit({ type: 'vertex-start', vertex: v, name: `[context ${n}] load from client`, kind: 'internal' });
      const bytes = [...nc.context.files.values()].reduce((k, f) => k + (f.content?.length ?? 0), 0);
      emit({ type: 'vertex-log', vertex: v, text: `transferring ${n}: ${bytes}B done` });
      emit({ type: 'vertex-done', vertex: v, cached: false, durationMs: 0 });
    }

    const results = new Map<Stage, StageState>();
    let contextVertex: number | undefined;
    const ctxSource = contextSource(opts.context);
    const now = this.deps.clock.now();
    let stepNo = 0;

    for (const s of order) {
      this.checkCancel(opts);
      const baseName = baseNameOf(s);
      const base = bases.get(baseName)!;
      const label = stages.length > 1 ? (s.name ?? `stage-${s.index}`) : '';
      const cmdTotal = 1 + s.instructions.filter((i) => i.kind === 'run' || i.kind === 'copy' || i.kind === 'add' || i.kind === 'workdir').length;
      let st: StageState;
      await this.pause(opts, { step: stepNo + 1, totalSteps, stage: s.index, stageName: s.name, instruction: s.from.original, keyword: 'FROM', range: s.from.range, effect: 'base' });
      const fromVertex = nextVertex();
      const prefix = (st0: { cmdIndex: number }) => `[${label ? label + ' ' : ''}${String(++st0.cmdIndex).padStart(String(cmdTotal).length)}/${cmdTotal}] `;
      const counter = { cmdIndex: 0 };
      if (base === 'scratch') {
        // BuildKit's emptyImage(): a scratch stage starts with WorkingDir "/" and the default PATH
        // (dockerfile2llb/image.go), so `FROM scratch` images carry both in their config.
        const scratchConfig: ImageConfig = { architecture: arch, os, config: { Env: [`PATH=${DEFAULT_PATH}`], WorkingDir: '/' }, rootfs: { type: 'layers', diff_ids: [] } };
        st = this.newState(s, label, LowerStack.empty(), [], [], scratchConfig, 'scratch', cmdTotal);
        emit({ type: 'vertex-start', vertex: fromVertex, name: `${prefix(counter)}FROM scratch`, kind: 'from', stage: s.index, range: s.from.range });
      } else if (base instanceof Object && 'instructions' in base) {
        const parent = results.get(base as Stage)!;
        st = { ...parent, stage: s, label, config: structuredClone(parent.config), history: [...parent.history], added: [...parent.added], args: [], cmdIndex: 0, cmdTotal, cmdSet: false, rebuilt: false };
        emit({ type: 'vertex-start', vertex: fromVertex, name: `${prefix(counter)}FROM ${parent.stage.name ?? parent.stage.index}`, kind: 'from', stage: s.index, range: s.from.range });
      } else {
        const img = base as ResolvedImage;
        st = this.newState(s, label, new LowerStack(img.trees), img.trees, img.records, img.config, `from:${img.imageId}`, cmdTotal);
        emit({ type: 'vertex-start', vertex: fromVertex, name: `${prefix(counter)}FROM ${displayRefString(img.name)}${img.manifestDigest ? `@${img.manifestDigest}` : ''}`, kind: 'from', stage: s.index, range: s.from.range });
      }
      st.cmdIndex = counter.cmdIndex;
      emit({ type: 'vertex-done', vertex: fromVertex, cached: true, durationMs: 0 });
      const baseInfo = base === 'scratch'
        ? { name: 'scratch', layers: [] }
        : 'instructions' in (base as object)
          ? { name: (base as Stage).name ?? `stage-${(base as Stage).index}`, layers: stepLayers(st.records, st.trees) }
          : { name: (base as ResolvedImage).name, layers: stepLayers((base as ResolvedImage).records, (base as ResolvedImage).trees) };
      onStep({
        type: 'step', step: ++stepNo, totalSteps, stage: s.index, stageName: s.name, instruction: s.from.original, range: s.from.range,
        outcome: 'from', base: baseInfo, resultId: shortId(typeof base === 'object' && 'imageId' in base ? base.imageId : st.cacheKey), durationMs: 0, vertex: fromVertex,
      });

      // ONBUILD triggers of the base image run first (BuildKit dispatches them as part of the stage).
      const triggers = base !== 'scratch' && !('instructions' in (base as object)) ? ((base as ResolvedImage).config.config?.OnBuild ?? []) : [];
      st.config.OnBuild = null;
      const instructions: { ins: Instruction; onbuild: boolean }[] = [];
      for (const t of triggers) {
        const ast = parseDockerfile(t);
        for (const node of ast.children) instructions.push({ ins: parseInstruction(node), onbuild: true });
      }
      for (const ins of s.instructions) instructions.push({ ins, onbuild: false });
      st.cmdTotal = cmdTotal + instructions.filter((x) => x.onbuild && ['run', 'copy', 'add', 'workdir'].includes(x.ins.kind)).length;

      for (const { ins, onbuild } of instructions) {
        this.checkCancel(opts);
        const isFs = ins.kind === 'run' || ins.kind === 'copy' || ins.kind === 'add' || ins.kind === 'workdir';
        await this.pause(opts, {
          step: onbuild ? stepNo : stepNo + 1, totalSteps, stage: s.index, stageName: s.name, instruction: ins.original,
          keyword: ins.kind.toUpperCase(), range: ins.range, effect: isFs ? 'layer' : 'config', onbuild: onbuild || undefined,
        });
        const stepStart = this.deps.clock.monotonic();
        if (!isFs) {
          const createdBy = this.applyMetadata(st, ins, escapeToken!, buildArgs, metaArgs);
          if (createdBy !== undefined) this.addHistory(st, { created_by: createdBy, comment: HISTORY_COMMENT, empty_layer: true });
          if (!onbuild) stepNo++;
          onStep({
            type: 'step', step: stepNo, totalSteps, stage: s.index, stageName: s.name, instruction: ins.original, range: ins.range,
            outcome: 'metadata', createdBy, cache: { hit: !st.rebuilt, key: st.cacheKey, kind: st.rebuilt ? 'parent-rebuilt' : 'hit', reason: 'config only: changes the image config, makes no layer, nothing to cache' }, resultId: shortId(await BuildCache.keyOf(st.cacheKey, `meta:${ins.original}:${JSON.stringify(st.config)}`, {})), durationMs: 0,
          });
          continue;
        }
        if (!onbuild) stepNo++;
        if ((ins.kind === 'copy' || ins.kind === 'add') && !ins.from && contextVertex === undefined) {
          contextVertex = nextVertex();
          const bytes = [...opts.context.files.values()].reduce((n, f) => n + (f.content?.length ?? 0), 0);
          emit({ type: 'vertex-start', vertex: contextVertex, name: '[internal] load build context', kind: 'internal' });
          emit({ type: 'vertex-log', vertex: contextVertex, text: `transferring context: ${bytes}B done` });
          emit({ type: 'vertex-done', vertex: contextVertex, cached: false, durationMs: 0 });
        }
        const v = nextVertex();
        const envNow = this.envFor(st);
        const displayed = this.displayName(ins, envNow, escapeToken!);
        const pfx = st.label || st.cmdTotal > 0 ? `[${st.label ? st.label + ' ' : ''}${String(++st.cmdIndex).padStart(String(st.cmdTotal).length)}/${st.cmdTotal}] ` : '';
        emit({ type: 'vertex-start', vertex: v, name: `${pfx}${onbuild ? 'ONBUILD ' : ''}${displayed}`, kind: 'step', stage: s.index, step: stepNo, range: ins.range, instruction: ins.original });
        try {
          const r = await this.fsStep(st, ins, { opts, escapeToken: escapeToken!, vertex: v, step: stepNo, emit, ctxSource, results, stageRef, bases, now, metaArgs });
          const durationMs = this.deps.clock.monotonic() - stepStart;
          emit({ type: 'vertex-done', vertex: v, cached: r.cache.hit, durationMs });
          onStep({
            type: 'step', step: stepNo, totalSteps, stage: s.index, stageName: s.name, instruction: ins.original, range: ins.range,
            outcome: r.layer ? 'layer' : 'empty', cache: r.cache, layer: r.layer, createdBy: r.createdBy, resultId: shortId(st.cacheKey), durationMs, ...(r.simulatedMs ? { simulatedMs: r.simulatedMs } : {}), vertex: v,
          });
        } catch (e) {
          const err = e instanceof LayerlabError ? e : buildError(String((e as Error)?.message ?? e), ins.range, {}, e);
          const msg = err.message;
          emit({ type: 'vertex-done', vertex: v, cached: false, durationMs: this.deps.clock.monotonic() - stepStart, error: msg });
          emit({ type: 'build-error', message: msg, range: ins.range, vertex: v });
          throw err.range ? err : new LayerlabError(err.code, msg, { data: { ...err.data, instruction: ins.original }, range: ins.range, cause: err.cause ?? err });
        }
      }
      results.set(s, st);
    }

    // Export.
    const final = results.get(target)!;
    const vExport = nextVertex();
    emit({ type: 'vertex-start', vertex: vExport, name: 'exporting to image', kind: 'export' });
    emit({ type: 'vertex-log', vertex: vExport, text: 'exporting layers done' });
    const baseCreated = final.history.filter((h) => !final.added.includes(h)).reduce((m, h) => Math.max(m, h.created ? Date.parse(h.created) : 0), 0);
    const epoch = final.epoch || baseCreated || now;
    for (const h of final.added) h.created = iso(epoch);
    const config: ImageConfig = {
      created: iso(epoch),
      author: final.author,
      architecture: final.architecture,
      os: final.os,
      // `--label` (BuildKit: set on the target's config after the Dockerfile, with no history entry).
      config: opts.labels && Object.keys(opts.labels).length ? { ...final.config, Labels: { ...(final.config.Labels ?? {}), ...opts.labels } } : final.config,
      rootfs: { type: 'layers', diff_ids: final.records.map((r) => r.diffId) },
      history: final.history,
    };
    const tags = opts.tags ?? [];
    const { imageId } = await this.deps.store.putImage({ config, layers: final.records, tags });
    await this.deps.cache.save();
    emit({ type: 'vertex-log', vertex: vExport, text: `writing image ${imageId} done` });
    for (const t of tags) emit({ type: 'vertex-log', vertex: vExport, text: `naming to ${displayRefString(t)} done` });
    emit({ type: 'vertex-done', vertex: vExport, cached: false, durationMs: 0 });
    const durationMs = this.deps.clock.monotonic() - started;
    emit({ type: 'build-done', imageId, tags, durationMs });
    return { imageId, tags, steps, durationMs };
  }

  private addHistory(st: StageState, h: HistoryEntry) {
    st.history.push(h);
    st.added.push(h);
  }

  /** Waits for `beforeStep` (step-by-step mode, slow motion), then checks for a cancel made meanwhile. */
  private async pause(opts: BuildOptions, preview: StepPreview) {
    if (!opts.beforeStep) return;
    await opts.beforeStep(preview);
    this.checkCancel(opts);
  }

  private checkCancel(opts: BuildOptions) {
    if (opts.signal?.aborted) throw new LayerlabError('build/cancelled', 'failed to solve: canceled: build was cancelled');
  }

  private newState(stage: Stage, label: string, lower: LowerStack, trees: LayerTree[], records: LayerRecord[], base: ImageConfig, key: string, cmdTotal: number): StageState {
    return {
      stage, label, lower, trees: [...trees], records: [...records],
      config: structuredClone(base.config ?? {}), history: [...(base.history ?? [])],
      architecture: base.architecture, os: base.os, author: base.author,
      args: [], cacheKey: key, rebuilt: false, cmdIndex: 0, cmdTotal, cmdSet: false, epoch: 0, added: [],
    };
  }

  /** Variables visible to expansion: stage ARGs, then ENV (ENV wins, as in BuildKit). */
  private envFor(st: StageState): Map<string, string> {
    const m = new Map<string, string>();
    for (const a of st.args) if (a.value !== undefined) m.set(a.key, a.value);
    for (const [k, v] of envMap(st.config.Env)) m.set(k, v);
    return m;
  }

  private displayName(ins: Instruction, env: Map<string, string>, escapeToken: string): string {
    // BuildKit shows the instruction with variables expanded where it can (processCmdEnv).
    const text = ins.original.replace(/^\s*(\S+)/, (k) => k.toUpperCase());
    try {
      return expandWord(text, env, { escapeToken, rawQuotes: true, rawEscapes: true, skipUnsetEnv: true });
    } catch {
      return text;
    }
  }

  /** Applies a config-only instruction; returns its history `created_by` (undefined: no history entry). */
  private applyMetadata(st: StageState, ins: Instruction, escapeToken: string, buildArgs: Record<string, string>, metaArgs: Map<string, string>): string | undefined {
    const env = this.envFor(st);
    const x = (w: string) => expandWord(w, env, { escapeToken });
    const c = st.config;
    switch (ins.kind) {
      case 'env': {
        const parts: string[] = [];
        for (const p of ins.pairs) {
          const k = x(p.key);
          const v = x(p.value);
          if (!k) throw buildError('ENV names can not be blank', ins.range);
          c.Env = mergeEnv(c.Env, [`${k}=${v}`]);
          env.set(k, v);
          parts.push(`${k}=${v}`);
        }
        return `ENV ${parts.join(' ')}`;
      }
      case 'arg': {
        const strs: string[] = [];
        for (const a of ins.args) {
          let value: string | undefined;
          if (a.key in buildArgs) value = buildArgs[a.key];
          else if (a.value !== undefined) value = x(a.value);
          else if (metaArgs.has(a.key)) value = metaArgs.get(a.key);
          st.args = st.args.filter((o) => o.key !== a.key).concat({ key: a.key, value });
          strs.push(value !== undefined ? `${a.key}=${value}` : a.key);
        }
        return `ARG ${strs.join(' ')}`;
      }
      case 'label': {
        c.Labels = { ...(c.Labels ?? {}) };
        const parts: string[] = [];
        for (const p of ins.pairs) {
          const k = x(p.key);
          const v = x(p.value);
          c.Labels[k] = v;
          parts.push(`${k}=${v}`);
        }
        return `LABEL ${parts.join(' ')}`;
      }
      case 'user':
        c.User = x(ins.user);
        return `USER ${c.User}`;
      case 'expose': {
        const ports: string[] = [];
        for (const p of ins.ports) for (const w of expandWords(p, env, { escapeToken })) ports.push(...expandPortSpec(w, ins.range));
        c.ExposedPorts = { ...(c.ExposedPorts ?? {}) };
        for (const p of ports) c.ExposedPorts[p] = {};
        return `EXPOSE ${goPortSet(ports)}`;
      }
      case 'volume': {
        const vols = ins.volumes.map(x);
        c.Volumes = { ...(c.Volumes ?? {}) };
        for (const v of vols) {
          if (!v) throw buildError('VOLUME specified can not be an empty string', ins.range);
          c.Volumes[v] = {};
        }
        return `VOLUME ${goSlice(vols)}`;
      }
      case 'cmd': {
        const args = ins.prependShell ? [...(c.Shell?.length ? c.Shell : DEFAULT_SHELL), ins.command.join(' ')] : ins.command;
        c.Cmd = args;
        c.ArgsEscaped = true;
        st.cmdSet = true;
        return `CMD ${goQuoteSlice(args)}`;
      }
      case 'entrypoint': {
        const args = ins.prependShell ? [...(c.Shell?.length ? c.Shell : DEFAULT_SHELL), ins.command.join(' ')] : ins.command;
        c.Entrypoint = args;
        if (!st.cmdSet) c.Cmd = null;
        return `ENTRYPOINT ${goQuoteSlice(args)}`;
      }
      case 'shell':
        c.Shell = ins.shell;
        return `SHELL ${goSlice(ins.shell)}`;
      case 'healthcheck':
        if (ins.test.length === 1 && ins.test[0] === 'NONE') c.Healthcheck = { Test: ['NONE'] };
        else c.Healthcheck = { Test: ins.test, Interval: ins.interval, Timeout: ins.timeout, StartPeriod: ins.startPeriod, StartInterval: ins.startInterval, Retries: ins.retries };
        return healthcheckCreatedBy(ins);
      case 'stopsignal': {
        const sig = x(ins.signal);
        if (!/^(SIG[A-Z0-9]+|\d+|RTMIN(\+\d+)?|RTMAX(-\d+)?)$/.test(sig)) throw buildError(`Invalid signal: ${sig}`, ins.range);
        c.StopSignal = sig;
        return `STOPSIGNAL ${sig}`;
      }
      case 'onbuild':
        c.OnBuild = [...(c.OnBuild ?? []), ins.expression];
        return undefined;
      case 'maintainer':
        st.author = ins.maintainer;
        return `MAINTAINER ${ins.maintainer}`;
      default:
        throw buildError(`unexpected instruction ${ins.kind}`, ins.range);
    }
  }

  /** Runs one filesystem step through the cache. */
  private async fsStep(
    st: StageState,
    ins: Instruction,
    ctx: {
      opts: BuildOptions;
      escapeToken: string;
      vertex: number;
      step: number;
      emit: (e: BuildEvent) => void;
      ctxSource: CopySource;
      results: Map<Stage, StageState>;
      stageRef: (n: string) => Stage | undefined;
      bases: Map<string, unknown>;
      now: number;
      metaArgs: Map<string, string>;
    },
  ): Promise<{ cache: CacheDecision; layer?: StepLayer; createdBy: string; simulatedMs?: number }> {
    const { escapeToken, emit, vertex } = ctx;
    let simulatedMs = 0;
    const env = this.envFor(st);
    const plan = await planStep(ins, {
      config: st.config, env, expand: (w) => expandWord(w, env, { escapeToken }), args: st.args, contextSource: ctx.ctxSource,
      fromSource: async (fromName) => {
        const nc = ctx.opts.namedContexts?.size ? ctx.opts.namedContexts.get(namedContextKey(fromName)) : undefined;
        if (nc?.kind === 'local') return { ...contextSource(nc.context), label: `context ${fromName}` };
        if (nc?.kind === 'image') {
          const img = await this.deps.resolveImage(nc.ref, `${st.os}/${st.architecture}`);
          return filesystemSource(new UnionFs(new LowerStack(img.trees), { readOnly: true }), `image ${nc.ref}`);
        }
        const dep = ctx.stageRef(fromName);
        if (dep) {
          const ds = ctx.results.get(dep);
          if (!ds) throw buildError(`stage ${fromName} was not built`, ins.range);
          return filesystemSource(new UnionFs(ds.lower, { readOnly: true }), `stage ${fromName}`);
        }
        const img = await this.deps.resolveImage(fromName, `${st.os}/${st.architecture}`);
        return filesystemSource(new UnionFs(new LowerStack(img.trees), { readOnly: true }), `image ${fromName}`);
      },
      clock: this.deps.clock, archive: this.deps.archive, packages: this.deps.packages, limits: ctx.opts.limits, signal: ctx.opts.signal,
      onOutput: (stream, text, elapsedMs) => emit({ type: 'vertex-output', vertex, stream, text, elapsedMs }),
      onSimulatedTime: (ms) => (simulatedMs += ms),
      cacheMounts: this.deps.cacheMounts, secrets: ctx.opts.secrets,
    });
    const { createdBy, op, inputs } = plan;
    if (plan.noop !== undefined) {
      this.addHistory(st, { created_by: createdBy, comment: HISTORY_COMMENT, empty_layer: true });
      return { cache: { hit: true, key: st.cacheKey, kind: 'hit', reason: plan.noop }, createdBy };
    }

    // Cache lookup.
    const key = await BuildCache.keyOf(st.cacheKey, op, inputs);
    const store = this.deps.store;
    const { decision, record } = this.deps.cache.decide({
      key, parentKey: st.cacheKey, op, inputs, noCache: !!ctx.opts.noCache, parentRebuilt: st.rebuilt,
      layerExists: (d) => store.hasLayer(d as DiffID),
    });
    const now = this.deps.clock.now();
    let layer: StepLayer | undefined;
    if (decision.hit && record) {
      this.deps.cache.touch(key, now);
      if (record.diffId) {
        const tree = await store.layerTree(record.diffId as DiffID);
        const rec = store.layerRecord(record.diffId as DiffID)!;
        st.lower = st.lower.push(tree);
        st.trees.push(tree);
        st.records.push(rec);
        layer = { diffId: rec.diffId, digest: rec.digest, size: tree.contentSize, compressedSize: rec.size };
      }
      this.addHistory(st, { created_by: createdBy, comment: HISTORY_COMMENT, empty_layer: record.diffId ? undefined : true });
      st.epoch = Math.max(st.epoch, record.created);
    } else {
      const fs = new UnionFs(st.lower, {
        clock: () => Math.floor(this.deps.clock.now() / 1000),
        onEvent: (event) => emit({ type: 'fs', vertex, step: ctx.step, event }),
      });
      await plan.execute(fs);
      const upper = fs.upper;
      const empty = upper.root.children!.size === 0;
      let diffId: string | null = null;
      if (!empty) {
        const rec = await store.commitLayer(upper);
        st.lower = st.lower.push(upper);
        st.trees.push(upper);
        st.records.push(rec);
        diffId = rec.diffId;
        layer = { diffId: rec.diffId, digest: rec.digest, size: upper.contentSize, compressedSize: rec.size };
      }
      this.deps.cache.put({ key, parentKey: st.cacheKey, op, inputs, diffId, createdBy }, now);
      st.rebuilt = true;
      this.addHistory(st, { created_by: createdBy, comment: HISTORY_COMMENT, empty_layer: empty ? true : undefined });
      st.epoch = Math.max(st.epoch, now);
    }
    st.cacheKey = key;
    return { cache: decision, layer, createdBy, ...(simulatedMs ? { simulatedMs } : {}) };
  }
}

/** The layers of a base, as the step event reports them. */
function stepLayers(records: readonly LayerRecord[], trees: readonly LayerTree[]): StepLayer[] {
  return records.map((r, i) => ({ diffId: r.diffId, digest: r.digest, size: trees[i]?.contentSize ?? 0, compressedSize: r.size }));
}

/** EXPOSE port specs (nat.ParsePortSpecs): `80` → 80/tcp, `53/udp`, ranges `8000-8002`. */
function expandPortSpec(spec: string, range: SourceRange): string[] {
  const m = /^(?:[^:]*:)?(?:[^:]*:)?(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(spec);
  if (!m) throw buildError(`invalid containerPort: ${spec}`, range);
  const from = Number(m[1]);
  const to = m[2] ? Number(m[2]) : from;
  if (to < from || to > 65535) throw buildError(`invalid containerPort: ${spec}`, range);
  const proto = (m[3] ?? 'tcp').toLowerCase();
  const out: string[] = [];
  for (let p = from; p <= to; p++) out.push(`${p}/${proto}`);
  return out;
}
