/**
 * The build half of the engine's API: what `build`, the lab's Build button, Stop and
 * `builder prune` call. `BuildService` implements `BuildEngine`: it opens the build cache once,
 * resolves base images (pulling them as `docker build` does), tracks running builds for
 * cancellation, and returns plain, structured-cloneable summaries.
 */
import type { MountNode } from '../shell/system-mounts.ts';
import type { PackageCatalogs } from '../shell/packages/apt-catalog.ts';
import { fixedClock, type Clock, type BlobPersistence } from '../host.ts';
import type { LayerSizeCache } from '../image/layer-size-cache.ts';
import type { ImageStore } from '../image/store.ts';
import { namedContextKey, normalizeRefString } from '../reference.ts';
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
export interface BuildRequest extends Pick<BuildOptions, 'dockerfile' | 'filename' | 'tags' | 'buildArgs' | 'target' | 'noCache' | 'platform' | 'buildId' | 'labels' | 'limits'> {
  files: ContextFile[];
  dockerignore?: string;
  /** Wall-time limit of each RUN step in ms (the CLI's `--run-timeout`, the lab's RUN time limit); default 30 s. */
  runTimeoutMs?: number;
  /**
   * Replay on a simulated clock: every timestamp of this build (history `created`, layer mtimes,
   * the shell's `date`) comes from a fixed clock starting here (ms since the epoch) instead of the
   * host's, so the same inputs reproduce the same image ID. Share links carry it.
   */
  epochMs?: number;
  /** `--secret id=…,src=…|env=…`: secret values by id for `RUN --mount=type=secret`. */
  secrets?: Record<string, Uint8Array>;
  /**
   * `--build-context NAME=VALUE`: an image (`docker-image://REF`) or a local directory's files
   * (its own `.dockerignore` applied, as BuildKit does), used by `FROM NAME`, `COPY --from=NAME`
   * and `RUN --mount=from=NAME` instead of a stage or image of that name.
   */
  namedContexts?: Record<string, { image: string } | { files: ContextFile[]; dockerignore?: string }>;
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
  /** The offline package archives apt-get installs from. */
  packages?: PackageCatalogs;
}

/** Where `RUN --mount=type=cache` volumes are kept between sessions (one blob, mount-store.ts). */
const CACHE_MOUNTS_KEY = 'layerlab/build-cache-mounts';

/** BuildEngine over the store, the build cache and the registries. */
export class BuildService implements BuildEngine {
  private cacheP?: Promise<BuildCache>;
  private readonly running = new Map<string, { aborted: boolean }>();
  /** `RUN --mount=type=cache` volumes by id: they outlive a build, as BuildKit's cache mounts do. */
  private readonly cacheMounts = new Map<string, MountNode>();
  private mountsP?: Promise<void>;

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
    await this.loadCacheMounts();
    const clock = req.epochMs !== undefined ? fixedClock(req.epochMs) : this.deps.clock;
    const builder = new Builder({ store, cache: await this.buildCache(), clock, resolveImage: (r, p) => this.resolveImage(r, p), archive: this.deps.archive, packages: this.deps.packages, cacheMounts: this.cacheMounts });
    const context = new BuildContext(req.files, req.dockerignore);
    const signal = { aborted: false };
    const buildId = req.buildId ?? `build-${this.running.size}-${this.deps.clock.now()}`;
    this.running.set(buildId, signal);
    let res;
    try {
      res = await builder.build({
        dockerfile: req.dockerfile, filename: req.filename, context, tags: req.tags, buildArgs: req.buildArgs, target: req.target,
        noCache: req.noCache, platform: req.platform, buildId, onEvent, signal, beforeStep: hooks.beforeStep, secrets: req.secrets, labels: req.labels,
        limits: req.runTimeoutMs ? { ...req.limits, maxTimeMs: req.runTimeoutMs } : req.limits,
        namedContexts: req.namedContexts && new Map(Object.entries(req.namedContexts).map(([n, c]) => [namedContextKey(n), 'image' in c ? { kind: 'image', ref: c.image } : { kind: 'local', context: new BuildContext(c.files, c.dockerignore) }])),
      });
    } finally {
      this.running.delete(buildId);
      await this.saveCacheMounts();
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
    await this.loadCacheMounts();
    const n = c.clear() + this.cacheMounts.size;
    // `builder prune` removes cache mounts too (BuildKit: exec.cachemount records, unused between builds).
    this.cacheMounts.clear();
    await this.deps.persistence.delete(CACHE_MOUNTS_KEY);
    await c.save();
    return n;
  }

  /** Reads the cache mounts a previous session (another CLI process) left, once. */
  private loadCacheMounts(): Promise<void> {
    this.mountsP ??= (async () => {
      const raw = await this.deps.persistence.get(CACHE_MOUNTS_KEY);
      if (!raw) return;
      const { decodeMountTrees } = await import('../shell/mount-store.ts');
      for (const [id, root] of decodeMountTrees(raw)) this.cacheMounts.set(id, root);
    })();
    return this.mountsP;
  }

  private async saveCacheMounts(): Promise<void> {
    if (!this.cacheMounts.size) return;
    const { encodeMountTrees } = await import('../shell/mount-store.ts');
    await this.deps.persistence.put(CACHE_MOUNTS_KEY, encodeMountTrees(this.cacheMounts));
  }

  /** The cache mounts as build cache records: how many and the bytes of their files. */
  async cacheMountUsage(): Promise<{ total: number; size: number }> {
    await this.loadCacheMounts();
    let size = 0;
    // Walked here, not with system-mounts' helper, so the shell modules still load with the first build.
    const walk = (n: { data?: Uint8Array; children?: Map<string, MountNode> }): number => (n.data?.length ?? 0) + [...(n.children?.values() ?? [])].reduce((t, c) => t + walk(c), 0);
    for (const root of this.cacheMounts.values()) size += walk(root);
    return { total: this.cacheMounts.size, size };
  }
}
