/**
 * The build half of the engine's API: what `build`, the lab's Build button, Stop and
 * `builder prune` call. `BuildService` implements `BuildEngine`: it opens the build cache once,
 * resolves base images (pulling them as `docker build` does), tracks running builds for
 * cancellation, and returns plain, structured-cloneable summaries.
 */
import type { Clock, BlobPersistence } from '../host.ts';
import type { LayerSizeCache } from '../image/layer-size-cache.ts';
import type { ImageStore } from '../image/store.ts';
import { normalizeRefString } from '../reference.ts';
import type { ArchiveCodec } from '../shell/types.ts';
import type { BuildOptions, ResolvedImage } from './builder.ts';
import { BuildCache } from './cache.ts';
import { BuildContext, type ContextFile } from './context.ts';
import type { BuildEvent, StepPreview } from './events.ts';

/**
 * A build request: the Dockerfile (`filename` is the name shown in messages), the context as files
 * with the contents of `.dockerignore`, and docker build's options (the builder's own BuildOptions,
 * minus what the service supplies: the context object, the event listener, the cancel signal).
 */
export interface BuildRequest extends Pick<BuildOptions, 'dockerfile' | 'filename' | 'tags' | 'buildArgs' | 'target' | 'noCache' | 'platform' | 'buildId'> {
  files: ContextFile[];
  dockerignore?: string;
  /** Wall-time limit of each RUN step in ms (the CLI's `--run-timeout`, the lab's RUN time limit); default 30 s. */
  runTimeoutMs?: number;
}

/** Callbacks of one build that cannot travel inside the (structured-cloned) request. */
export interface BuildHooks {
  /** Awaited before each instruction runs: the lab's step-by-step mode and slow motion (see BuildOptions.beforeStep). */
  beforeStep?: (preview: StepPreview) => Promise<void>;
}

/** What `build` returns. */
export interface BuildSummary {
  imageId: string;
  tags: string[];
  durationMs: number;
  steps: { step: number; stage: number; instruction: string; outcome: string; cached?: boolean; reason?: string; layerSize?: number }[];
}

/** The build operations of the engine (`engine.builds`). */
export interface BuildEngine {
  /** `build`: runs a Dockerfile build; every step, cache decision and filesystem change goes to `onEvent`. */
  build(req: BuildRequest, onEvent?: (e: BuildEvent) => void, hooks?: BuildHooks): Promise<BuildSummary>;
  /**
   * Asks a running build to stop (checked between steps and between shell commands). A RUN stuck in
   * a tight loop cannot see it: the UI then terminates the worker (see worker/client.ts).
   */
  cancel(buildId: string): Promise<boolean>;
  /** Empties the build cache (`builder prune -a`); returns the number of records removed. */
  pruneCache(): Promise<number>;
}

/** What the build service needs from the rest of the engine. */
export interface BuildServiceDeps {
  store: () => Promise<ImageStore>;
  persistence: BlobPersistence;
  clock: Clock;
  sizes: LayerSizeCache;
  /** Pulls a missing base image from the default registry (`docker build` does so on FROM). */
  pull(ref: string, opts: { platform: string }): Promise<unknown>;
  archive?: ArchiveCodec;
}

/** BuildEngine over the store, the build cache and the registries. */
export class BuildService implements BuildEngine {
  private cacheP?: Promise<BuildCache>;
  private readonly running = new Map<string, { aborted: boolean }>();

  constructor(private readonly deps: BuildServiceDeps) {}

  private buildCache(): Promise<BuildCache> {
    this.cacheP ??= BuildCache.open(this.deps.persistence);
    return this.cacheP;
  }

  /** A base image from the store, pulled from the default registry when missing (as `docker build` does). */
  async resolveImage(ref: string, platform: string): Promise<ResolvedImage> {
    const store = await this.deps.store();
    let img = store.tryResolve(ref);
    if (!img) {
      await this.deps.pull(ref, { platform });
      img = store.resolve(ref);
    }
    const trees = await Promise.all(img.config.rootfs.diff_ids.map((d) => store.layerTree(d)));
    for (let i = 0; i < trees.length; i++) await this.deps.sizes.rememberTree(img.config.rootfs.diff_ids[i], trees[i]);
    return { name: normalizeRefString(ref), imageId: img.imageId, manifestDigest: img.manifestDigest, config: img.config, records: img.layers, trees };
  }

  async build(req: BuildRequest, onEvent?: (e: BuildEvent) => void, hooks: BuildHooks = {}): Promise<BuildSummary> {
    const store = await this.deps.store();
    // The builder (and the shell behind RUN) loads with the first build, not with the engine.
    const { Builder } = await import('./builder.ts');
    const builder = new Builder({ store, cache: await this.buildCache(), clock: this.deps.clock, resolveImage: (r, p) => this.resolveImage(r, p), archive: this.deps.archive });
    const context = new BuildContext(req.files, req.dockerignore);
    const signal = { aborted: false };
    const buildId = req.buildId ?? `build-${this.running.size}-${this.deps.clock.now()}`;
    this.running.set(buildId, signal);
    let res;
    try {
      res = await builder.build({
        dockerfile: req.dockerfile, filename: req.filename, context, tags: req.tags, buildArgs: req.buildArgs, target: req.target,
        noCache: req.noCache, platform: req.platform, buildId, onEvent, signal, beforeStep: hooks.beforeStep,
        limits: req.runTimeoutMs ? { maxTimeMs: req.runTimeoutMs } : undefined,
      });
    } finally {
      this.running.delete(buildId);
    }
    for (const st of res.steps) if (st.layer) await this.deps.sizes.remember(st.layer.diffId, st.layer.size);
    return {
      imageId: res.imageId, tags: res.tags, durationMs: res.durationMs,
      steps: res.steps.map((s) => ({ step: s.step, stage: s.stage, instruction: s.instruction, outcome: s.outcome, cached: s.cache?.hit, reason: s.cache?.reason, layerSize: s.layer?.size })),
    };
  }

  async cancel(buildId: string): Promise<boolean> {
    const s = this.running.get(buildId);
    if (s) s.aborted = true;
    return !!s;
  }

  async pruneCache(): Promise<number> {
    const c = await this.buildCache();
    const n = c.clear();
    await c.save();
    return n;
  }
}
