/**
 * The engine facade: `createEngine(host)` is the one object the worker exposes to the UI and the
 * CLI drives. It composes the store (image/), the union filesystem (fs/), the Dockerfile builder
 * (builder/) and, later, containers and registries. Every method takes and returns plain,
 * structured-cloneable data (see api-types.ts), so it crosses the worker boundary unchanged.
 */
import type { CatalogEntry, HistoryRow, ImageSummary, LayerEntryView, LayerView } from './api-types.ts';
import type { DiffID } from './digest.ts';
import { Inode, isWhiteout, type LayerTree } from './fs/layer-tree.ts';
import { updateJson, type Host } from './host.ts';
import { parseCatalogIndex, type CatalogIndex } from './image/catalog.ts';
import { loadArchive } from './image/docker-archive.ts';
import { saveImages } from './image/oci-layout.ts';
import { ImageStore, type ImageRecord } from './image/store.ts';
import { normalizeRefString } from './registry/reference.ts';
import { BuildCache } from './builder/cache.ts';
import { Builder, type ResolvedImage } from './builder/builder.ts';
import { BuildContext, type ContextFile } from './builder/context.ts';
import type { BuildEvent } from './builder/events.ts';
import { decompress, gzipBytes } from './image/gzip.ts';
import { DEFAULT_IMAGE_LIMITS } from './image/limits.ts';
import type { ShellLimits } from './shell/limits.ts';
import { packEntries, unpackEntries } from './image/tar.ts';
import type { ArchiveCodec } from './shell/types.ts';
import { ContainerRuntime, type ContainerEngine } from './container/api.ts';
import { RegistryService, type RegistryEngine } from './registry/api.ts';
import type { RegistryHub } from './registry/hub.ts';
import type { TransferEvent } from './registry/events.ts';
import type { ContainerFsEvent } from './container/types.ts';

export type * from './api-types.ts';
export { LayerlabError } from './errors.ts';
export type { BuildEvent } from './builder/events.ts';
export type { ContextFile } from './builder/context.ts';
export type { CacheDecision } from './builder/cache.ts';
export { plainProgress, classicProgress } from './builder/progress.ts';
export { formatCodeFrame } from './dockerfile/index.ts';

/** The tar/gzip codecs the shell's `tar`, `gzip` and `gunzip` use, composed from the image module. */
export const shellArchiveCodec: ArchiveCodec = {
  gzip: (b) => gzipBytes(b),
  gunzip: (b) => decompress(b, DEFAULT_IMAGE_LIMITS.maxLayerBytes, 'gzip data').bytes,
  pack: (entries) => packEntries(entries),
  unpack: (bytes) => unpackEntries(bytes),
};

/** A build request: the Dockerfile, the context as files, and docker build's options. */
export interface BuildRequest {
  dockerfile: string;
  /** Name shown in messages (`Dockerfile`, `Dockerfile.dev`). */
  filename?: string;
  files: ContextFile[];
  /** Contents of `.dockerignore`, if any. */
  dockerignore?: string;
  tags?: string[];
  buildArgs?: Record<string, string>;
  target?: string;
  noCache?: boolean;
  platform?: string;
  buildId?: string;
  /** Limits of every RUN and ADD of the build (`maxFsBytes`, `maxOutputBytes`, …); defaults in shell/limits.ts. */
  limits?: Partial<ShellLimits>;
}

/** What `build` returns. */
export interface BuildSummary {
  imageId: string;
  tags: string[];
  durationMs: number;
  steps: { step: number; stage: number; instruction: string; outcome: string; cached?: boolean; reason?: string; layerSize?: number }[];
}

const SIZES_KEY = 'layerlab/layer-sizes.json';

/** docker's `image inspect` JSON for one image (Docker Engine API 1.45+ shape). */
export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created?: string;
  DockerVersion: string;
  Author: string;
  Config: Record<string, unknown>;
  Architecture: string;
  Variant?: string;
  Os: string;
  Size: number;
  GraphDriver: { Data: null; Name: string };
  RootFS: { Type: string; Layers: string[] };
  Metadata: { LastTagTime: string };
}

export type { ContainerEngine } from './container/api.ts';
export type { RegistryEngine } from './registry/api.ts';

/** The engine, as the worker exposes it. See the module comment. */
export interface Engine extends ContainerEngine, RegistryEngine {
  /** Images of the embedded offline base catalog. */
  catalog(): Promise<CatalogEntry[]>;
  images(opts?: { all?: boolean }): Promise<ImageSummary[]>;
  inspectImage(ref: string): Promise<ImageInspect>;
  history(ref: string): Promise<HistoryRow[]>;
  tag(source: string, target: string): Promise<void>;
  /** `rmi`: returns `Untagged: …` / `Deleted: …` lines. */
  removeImages(refs: string[], opts?: { force?: boolean }): Promise<string[]>;
  save(refs: string[]): Promise<Uint8Array>;
  /** `load`: returns `Loaded image: …` lines. */
  load(archive: Uint8Array): Promise<string[]>;
  imageLayers(ref: string): Promise<LayerView[]>;
  layerEntries(diffId: string): Promise<LayerEntryView[]>;
  /** `build`: runs a Dockerfile build; every step, cache decision and filesystem change goes to `onEvent`. */
  build(req: BuildRequest, onEvent?: (e: BuildEvent) => void): Promise<BuildSummary>;
  /**
   * Asks a running build to stop (checked between steps and between shell commands). A RUN stuck in
   * a tight loop cannot see it: the UI then terminates the worker (see worker/client.ts).
   */
  cancelBuild(buildId: string): Promise<boolean>;
  /** Subscribes to container and registry events (pass a comlink proxy from the UI); returns an id for unwatchEvents. */
  watchEvents(listener: (e: EngineEvent) => void): Promise<number>;
  unwatchEvents(id: number): Promise<void>;
  /** Empties the build cache (`builder prune -a`); returns the number of records removed. */
  pruneBuildCache(): Promise<number>;
}

/**
 * Everything the lab animates outside a build: a container's filesystem changes (copy-ups,
 * whiteouts, opaque directories) and registry transfers (blobs pushed, mounted, downloaded).
 */
export type EngineEvent = ({ source: 'container' } & ContainerFsEvent) | ({ source: 'registry' } & TransferEvent);

/** Options of createEngine. */
export interface EngineOptions {
  /**
   * The registries this engine pushes to and pulls from. By default they live in the host's own
   * persistence; tests of "two machines, one registry" give several engines one shared hub.
   */
  registryHub?: RegistryHub;
}

/** Builds the engine on a host; the store opens lazily on first use. */
export function createEngine(host: Host, opts: EngineOptions = {}): Engine {
  return new EngineImpl(host, opts);
}

/** ContainerEngine methods the facade hands to its ContainerRuntime unchanged. */
const CONTAINER_METHODS = [
  'createContainer', 'runContainer', 'startContainer', 'stopContainer', 'restartContainer', 'execContainer',
  'openSession', 'sessionLine', 'closeSession', 'ps', 'containerLogs', 'containerDiff', 'containerEvents',
  'commitContainer', 'cpOut', 'cpOutEntries', 'cpIn', 'cpInEntries', 'exportContainer', 'removeContainer',
  'pruneContainers', 'inspectContainer', 'volumeCreate', 'volumeLs', 'volumeRm', 'volumeInspect', 'systemDf',
  'imageInUse', 'checkImageRemovable', 'imagePrune',
] as const satisfies readonly (keyof ContainerEngine)[];

/** RegistryEngine methods the facade hands to its RegistryService unchanged. */
const REGISTRY_METHODS = ['manifestInspect', 'listRegistries', 'registryDeleteTag', 'registryGc'] as const satisfies readonly (keyof RegistryEngine)[];

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
interface EngineImpl extends ContainerEngine, RegistryEngine {}
class EngineImpl implements Engine {
  private storeP?: Promise<ImageStore>;
  /** Containers and volumes (container/); shares the store and persistence. */
  readonly containers: ContainerRuntime;
  /** The in-lab registries (registry/): docker.io serves the base catalog, others appear on first push. */
  readonly registry: RegistryService;
  private catalogP?: Promise<CatalogIndex>;
  private cacheP?: Promise<BuildCache>;
  private readonly running = new Map<string, { aborted: boolean }>();
  private readonly watchers = new Map<number, (e: EngineEvent) => void>();
  private nextWatcher = 1;
  private sizes?: Map<string, number>;

  constructor(
    private readonly host: Host,
    opts: EngineOptions = {},
  ) {
    this.containers = new ContainerRuntime({
      store: () => this.store(), persistence: host.persistence, clock: host.clock, random: host.random, archive: shellArchiveCodec,
      onEvent: (e) => this.dispatch({ source: 'container', ...e }),
    });
    this.registry = new RegistryService({ store: () => this.store(), persistence: host.persistence, asset: (p) => host.asset(p), hub: opts.registryHub });
  }

  /** The image store (opened once). */
  async store(): Promise<ImageStore> {
    this.storeP ??= ImageStore.open(this.host.persistence, { clock: this.host.clock });
    const store = await this.storeP;
    // Another tab (or process) changed the store: re-read its index before answering.
    await store.syncIfChanged();
    return store;
  }

  private catalogIndex(): Promise<CatalogIndex> {
    this.catalogP ??= this.host.asset('catalog/index.json').then(parseCatalogIndex);
    return this.catalogP;
  }

  private buildCache(): Promise<BuildCache> {
    this.cacheP ??= BuildCache.open(this.host.persistence);
    return this.cacheP;
  }

  /** A base image from the store, pulled from the default registry when missing (as `docker build` does). */
  async resolveImage(ref: string, platform: string): Promise<ResolvedImage> {
    const store = await this.store();
    let img = store.tryResolve(ref);
    if (!img) {
      await this.pull(ref, { platform });
      img = store.resolve(ref);
    }
    const trees = await Promise.all(img.config.rootfs.diff_ids.map((d) => store.layerTree(d)));
    for (let i = 0; i < trees.length; i++) await this.rememberSize(img.config.rootfs.diff_ids[i], trees[i]);
    return { name: normalizeRefString(ref), imageId: img.imageId, manifestDigest: img.manifestDigest, config: img.config, records: img.layers, trees };
  }

  async build(req: BuildRequest, onEvent?: (e: BuildEvent) => void): Promise<BuildSummary> {
    const store = await this.store();
    const builder = new Builder({ store, cache: await this.buildCache(), clock: this.host.clock, resolveImage: (r, p) => this.resolveImage(r, p), archive: shellArchiveCodec });
    const context = new BuildContext(req.files, req.dockerignore);
    const signal = { aborted: false };
    const buildId = req.buildId ?? `build-${this.running.size}-${this.host.clock.now()}`;
    this.running.set(buildId, signal);
    let res;
    try {
      res = await builder.build({
        dockerfile: req.dockerfile, filename: req.filename, context, tags: req.tags, buildArgs: req.buildArgs, target: req.target,
        noCache: req.noCache, platform: req.platform, buildId, onEvent, signal, limits: req.limits,
      });
    } finally {
      this.running.delete(buildId);
    }
    for (const st of res.steps) if (st.layer) await this.rememberSizeValue(st.layer.diffId, st.layer.size);
    return {
      imageId: res.imageId, tags: res.tags, durationMs: res.durationMs,
      steps: res.steps.map((s) => ({ step: s.step, stage: s.stage, instruction: s.instruction, outcome: s.outcome, cached: s.cache?.hit, reason: s.cache?.reason, layerSize: s.layer?.size })),
    };
  }

  private dispatch(e: EngineEvent) {
    for (const w of this.watchers.values()) {
      try {
        w(e);
      } catch {
        // a failing listener must not break the engine
      }
    }
  }

  async watchEvents(listener: (e: EngineEvent) => void): Promise<number> {
    const id = this.nextWatcher++;
    this.watchers.set(id, listener);
    return id;
  }

  async unwatchEvents(id: number): Promise<void> {
    this.watchers.delete(id);
  }

  private transferListener(own?: (e: TransferEvent) => void) {
    return (e: TransferEvent) => {
      own?.(e);
      this.dispatch({ source: 'registry', ...e });
    };
  }

  push(ref: string, opts: { onEvent?: (e: TransferEvent) => void } = {}) {
    return this.registry.push(ref, { ...opts, onEvent: this.transferListener(opts.onEvent) });
  }

  pull(ref: string, opts: { platform?: string; onEvent?: (e: TransferEvent) => void } = {}) {
    return this.registry.pull(ref, { ...opts, onEvent: this.transferListener(opts.onEvent) });
  }

  async cancelBuild(buildId: string): Promise<boolean> {
    const s = this.running.get(buildId);
    if (s) s.aborted = true;
    return !!s;
  }

  async pruneBuildCache(): Promise<number> {
    const c = await this.buildCache();
    const n = c.clear();
    await c.save();
    return n;
  }

  async catalog(): Promise<CatalogEntry[]> {
    const idx = await this.catalogIndex();
    return idx.images.map((i) => ({ name: i.name, tags: i.tags, platforms: i.platforms, layers: i.layerCount, size: i.expectedSize, description: i.description }));
  }

  private async loadSizes() {
    if (!this.sizes) {
      const raw = await this.host.persistence.get(SIZES_KEY);
      this.sizes = new Map(raw ? (Object.entries(JSON.parse(new TextDecoder().decode(raw))) as [string, number][]) : []);
    }
    return this.sizes;
  }

  private async rememberSize(diffId: DiffID, tree: LayerTree) {
    await this.rememberSizeValue(diffId, tree.contentSize);
  }

  private async rememberSizeValue(diffId: string, size: number) {
    const sizes = await this.loadSizes();
    if (sizes.get(diffId) === size) return;
    sizes.set(diffId, size);
    // Read-modify-write under the store lock: sizes other processes recorded are kept.
    await updateJson<Record<string, number>>(this.host.persistence, SIZES_KEY, (current) => ({ ...current, [diffId]: size }));
  }

  /** A layer's size as docker reports it: the bytes of the files it holds (not tar overhead). */
  private async layerSize(diffId: DiffID): Promise<number> {
    const sizes = await this.loadSizes();
    const known = sizes.get(diffId);
    if (known !== undefined) return known;
    const tree = await (await this.store()).layerTree(diffId);
    await this.rememberSize(diffId, tree);
    return tree.contentSize;
  }

  private async imageSize(img: ImageRecord): Promise<number> {
    let n = 0;
    for (const d of img.config.rootfs.diff_ids) n += await this.layerSize(d);
    return n;
  }

  async images(): Promise<ImageSummary[]> {
    const store = await this.store();
    const out: ImageSummary[] = [];
    for (const img of store.listImages()) {
      const size = await this.imageSize(img);
      const base = { imageId: img.imageId, created: img.created, size, layerCount: img.layers.length };
      if (img.repoTags.length === 0) out.push({ repository: '<none>', tag: '<none>', ...base });
      for (const t of img.repoTags) {
        const i = t.lastIndexOf(':');
        out.push({ repository: t.slice(0, i), tag: t.slice(i + 1), ...base });
      }
    }
    return out.sort((a, b) => (b.created ?? '').localeCompare(a.created ?? '') || a.repository.localeCompare(b.repository) || a.tag.localeCompare(b.tag));
  }

  async inspectImage(ref: string): Promise<ImageInspect> {
    const store = await this.store();
    const img = store.resolve(ref);
    const c = img.config.config ?? {};
    return {
      Id: img.imageId,
      RepoTags: img.repoTags,
      RepoDigests: [],
      Parent: '',
      Comment: img.config.history?.at(-1)?.comment ?? '',
      Created: img.created,
      DockerVersion: '',
      Author: img.config.author ?? '',
      Config: {
        Hostname: '', Domainname: '', User: c.User ?? '', AttachStdin: false, AttachStdout: false, AttachStderr: false,
        ExposedPorts: c.ExposedPorts, Tty: false, OpenStdin: false, StdinOnce: false, Env: c.Env ?? null, Cmd: c.Cmd ?? null,
        Healthcheck: c.Healthcheck, ArgsEscaped: c.ArgsEscaped, Image: '', Volumes: c.Volumes ?? null, WorkingDir: c.WorkingDir ?? '',
        Entrypoint: c.Entrypoint ?? null, OnBuild: c.OnBuild ?? null, Labels: c.Labels ?? null, StopSignal: c.StopSignal, Shell: c.Shell,
      },
      Architecture: img.config.architecture,
      Variant: img.config.variant,
      Os: img.config.os,
      Size: await this.imageSize(img),
      GraphDriver: { Data: null, Name: 'layerlab-union' },
      RootFS: { Type: 'layers', Layers: [...img.config.rootfs.diff_ids] },
      Metadata: { LastTagTime: '0001-01-01T00:00:00Z' },
    };
  }

  async history(ref: string): Promise<HistoryRow[]> {
    const store = await this.store();
    const img = store.resolve(ref);
    const hist = img.config.history ?? [];
    const diffIds = img.config.rootfs.diff_ids;
    const rows: HistoryRow[] = [];
    let li = 0;
    for (const h of hist) {
      const empty = !!h.empty_layer;
      const size = empty || li >= diffIds.length ? 0 : await this.layerSize(diffIds[li++]);
      rows.push({ id: '<missing>', created: h.created, createdBy: h.created_by ?? '', size, comment: h.comment ?? '', emptyLayer: empty });
    }
    rows.reverse();
    if (rows.length) rows[0].id = img.imageId;
    return rows;
  }

  async tag(source: string, target: string): Promise<void> {
    await (await this.store()).tag(source, target);
  }

  async removeImages(refs: string[], opts: { force?: boolean } = {}): Promise<string[]> {
    const store = await this.store();
    const out: string[] = [];
    for (const r of refs) {
      await this.containers.checkImageRemovable(r, opts);
      out.push(...(await store.remove(r, opts)));
    }
    return out;
  }

  async save(refs: string[]): Promise<Uint8Array> {
    return saveImages(await this.store(), refs);
  }

  async load(archive: Uint8Array): Promise<string[]> {
    const store = await this.store();
    const { loaded, imageIds } = await loadArchive(store, archive);
    for (const id of imageIds) {
      for (const d of store.resolve(id).config.rootfs.diff_ids) await this.layerSize(d);
    }
    return loaded;
  }

  async imageLayers(ref: string): Promise<LayerView[]> {
    const store = await this.store();
    const img = store.resolve(ref);
    const hist = img.config.history ?? [];
    const views: LayerView[] = [];
    const pendingMeta: { createdBy: string; created?: string }[] = [];
    let li = 0;
    const layerHistory: (typeof hist)[number][] = [];
    for (const h of hist) if (!h.empty_layer) layerHistory.push(h);
    for (let i = 0; i < img.layers.length; i++) {
      const rec = img.layers[i];
      const tree = await store.layerTree(rec.diffId);
      let added = 0, whiteouts = 0, opaque = 0;
      for (const [, e] of tree.walk()) {
        if (isWhiteout(e)) whiteouts++;
        else {
          added++;
          if (e instanceof Inode && e.opaque) opaque++;
        }
      }
      views.push({
        index: i, diffId: rec.diffId, digest: rec.digest, size: await this.layerSize(rec.diffId), compressedSize: rec.size,
        contentSize: tree.contentSize, createdBy: layerHistory[i]?.created_by ?? '', metadataAbove: [], counts: { added, whiteouts, opaque },
      });
    }
    // Attach empty_layer history entries to the layer below them.
    for (const h of hist) {
      if (h.empty_layer) {
        const entry = { createdBy: h.created_by ?? '', created: h.created };
        if (li === 0) pendingMeta.push(entry);
        else views[li - 1].metadataAbove.push(entry);
      } else li++;
    }
    if (views.length && pendingMeta.length) views[0].metadataAbove.unshift(...pendingMeta);
    return views;
  }

  async layerEntries(diffId: string): Promise<LayerEntryView[]> {
    const tree = await (await this.store()).layerTree(diffId as DiffID);
    const out: LayerEntryView[] = [];
    const seen = new Map<number, string>();
    for (const [path, e] of tree.walk()) {
      if (isWhiteout(e)) {
        out.push({ path, type: 'whiteout', mode: 0, uid: 0, gid: 0, size: 0, mtime: 0 });
        continue;
      }
      const first = seen.get(e.ino);
      if (first !== undefined && e.type !== 'dir') {
        out.push({ path, type: 'hardlink', mode: e.mode, uid: e.uid, gid: e.gid, size: 0, mtime: e.mtime, linkTarget: first });
        continue;
      }
      seen.set(e.ino, path);
      out.push({
        path, type: e.type, mode: e.mode, uid: e.uid, gid: e.gid, size: e.size, mtime: e.mtime,
        linkTarget: e.type === 'symlink' ? e.target : undefined, opaque: e.opaque || undefined,
      });
    }
    return out;
  }
}

for (const m of REGISTRY_METHODS) {
  Object.defineProperty(EngineImpl.prototype, m, {
    value(this: EngineImpl, ...args: unknown[]) {
      return (this.registry[m] as (...a: unknown[]) => unknown)(...args);
    },
  });
}
for (const m of CONTAINER_METHODS) {
  Object.defineProperty(EngineImpl.prototype, m, {
    value(this: EngineImpl, ...args: unknown[]) {
      return (this.containers[m] as (...a: unknown[]) => unknown)(...args);
    },
  });
}
