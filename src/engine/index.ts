/**
 * The engine: `createEngine(host)` wires the services the worker exposes to the UI and the CLI
 * drives. Each service lives with its module and has its own interface there:
 * - `images` (image/service.ts, ImageEngine): list, inspect, history, tag, remove, prune, save, load, layer views;
 * - `builds` (builder/service.ts, BuildEngine): build, cancel, cache prune;
 * - `containers` (container/api.ts, ContainerEngine): create, run, exec, diff, commit, cp, volumes…;
 * - `registries` (registry/api.ts, RegistryEngine): catalog, push, pull, manifests, tags, gc;
 * - `events` (events.ts, EventEngine): container filesystem and registry transfer events;
 * - `inspector` (image/inspector.ts, InspectorEngine): layer changes, merged view, file versions and
 *   contents, layer blobs, wasted space, image comparison.
 * They share one ImageStore (opened lazily on first use) and the host's persistence, clock and
 * randomness. Every method takes and returns plain, structured-cloneable data (see api-types.ts),
 * so it crosses the worker boundary unchanged. See ARCHITECTURE.md.
 */
import { PackageCatalogs } from './shell/packages/apt-catalog.ts';
import type { Host } from './host.ts';
import { ImageStore } from './image/store.ts';
import { PrefixedPersistence } from './prefixed-persistence.ts';
import { CatalogLayers } from './image/catalog-layers.ts';
import { configureNpmCatalog } from './shell/npm/npm-catalog.ts';
import { configurePipCatalog } from './shell/pip/pip-catalog.ts';
import { LayerSizeCache } from './image/layer-size-cache.ts';
import { ImageService, type ImageEngine } from './image/service.ts';
import { BuildService, type BuildEngine } from './builder/service.ts';
import { ContainerRuntime, type ContainerEngine } from './container/api.ts';
import { RegistryService, type RegistryEngine } from './registry/api.ts';
import type { RegistryHub } from './registry/hub.ts';
import { EventHub, type EventEngine } from './events.ts';
import { InspectorService, type InspectorEngine } from './image/inspector.ts';
import { decompress, gzipBytes, useGunzip } from './image/gzip.ts';
import { useSha256 } from './digest.ts';
import { DEFAULT_IMAGE_LIMITS } from './image/limits.ts';
import { packEntries, unpackEntries } from './image/tar.ts';
import type { ArchiveCodec } from './shell/types.ts';

export type * from './api-types.ts';
export { LayerlabError } from './errors.ts';
export type { BuildEvent, StepPreview } from './builder/events.ts';
export type { ContextFile } from './builder/context.ts';
export type { CacheDecision } from './builder/cache.ts';
export { plainProgress, classicProgress } from './builder/progress.ts';
export { formatCodeFrame, parseDockerfile, runChecks, formatCheckReport, formatCheckSummary } from './dockerfile/index.ts';
export type { CheckWarning } from './dockerfile/index.ts';
export type { ImageEngine, ImageInspect } from './image/service.ts';
export type { BuildEngine, BuildHooks, BuildRequest, BuildSummary } from './builder/service.ts';
export type { ContainerEngine } from './container/api.ts';
export type { RegistryEngine } from './registry/api.ts';
export type { EngineEvent, EventEngine } from './events.ts';
export type { InspectorEngine, ImageWaste, FileContents, LayerBlob, ImageObjects, ImageObject } from './image/inspector.ts';
export type { Hint } from './image/hints.ts';
export type { LayerChange, MergedEntry, FileVersion, StackComparison } from './fs/layer-views.ts';
export type { WasteReport, WastedFile, LayerWaste } from './fs/waste.ts';
/** Loads the RUN interpreter ahead of need (the worker calls it once the engine is idle after start). */
export { loadJustBash as preloadShell, setShellImporter } from './shell/interpreter.ts';

/** The tar/gzip codecs the shell's `tar`, `gzip` and `gunzip` use, composed from the image module. */
export const shellArchiveCodec: ArchiveCodec = {
  gzip: (b) => gzipBytes(b),
  gunzip: async (b) => (await decompress(b, DEFAULT_IMAGE_LIMITS.maxLayerBytes, 'gzip data')).bytes,
  pack: (entries) => packEntries(entries),
  unpack: (bytes) => unpackEntries(bytes),
};

/** The engine's services, as the worker exposes them. See the module comment. */
export interface Engine {
  readonly images: ImageEngine;
  readonly builds: BuildEngine;
  readonly containers: ContainerEngine;
  readonly registries: RegistryEngine;
  readonly events: EventEngine;
  readonly inspector: InspectorEngine;
}

/** Options of createEngine. */
export interface EngineOptions {
  /**
   * The registries this engine pushes to and pulls from. By default they live in the host's own
   * persistence; tests of "two machines, one registry" give several engines one shared hub.
   */
  registryHub?: RegistryHub | (() => Promise<RegistryHub>);
}

/** The engine on one host: its services, plus the shared store for tests and benchmarks in the same process. */
export class LocalEngine implements Engine {
  readonly images: ImageService;
  readonly builds: BuildService;
  readonly containers: ContainerRuntime;
  readonly registries: RegistryService;
  readonly events = new EventHub();
  readonly inspector: InspectorService;
  private storeP?: Promise<ImageStore>;
  /** The base catalog's layers, built on demand; shared by docker.io and the store (lazy pulls). */
  private readonly catalogLayers: CatalogLayers;

  constructor(
    private readonly host: Host,
    opts: EngineOptions = {},
  ) {
    const store = () => this.store();
    const { persistence, clock, random } = host;
    const sizes = new LayerSizeCache(persistence, store);
    // apt's offline archives, loaded through the host's assets on the first apt-get that needs them.
    const packages = new PackageCatalogs((p) => host.asset(p));
    this.catalogLayers = new CatalogLayers((p) => host.asset(p));
    // npm's offline registry, read through the host's assets on the first `npm install`.
    configureNpmCatalog((p) => host.asset(p));
    // pip's offline index (from Debian's python3-* packages), read on the first `pip install`.
    configurePipCatalog((p) => host.asset(p));
    this.containers = new ContainerRuntime({
      store, persistence, clock, random, archive: shellArchiveCodec, packages,
      onEvent: (e) => this.events.dispatch({ source: 'container', ...e }),
      onVolumeEvent: (e) => this.events.dispatch({ source: 'volume', ...e }),
      buildCacheUsage: () => this.builds.cacheMountUsage(),
    });
    this.registries = new RegistryService({
      store, persistence, asset: (p) => host.asset(p), catalog: this.catalogLayers, hub: opts.registryHub,
      onEvent: (e) => this.events.dispatch({ source: 'registry', ...e }),
    });
    this.inspector = new InspectorService(store);
    this.images = new ImageService({ store, sizes, usage: this.containers });
    this.builds = new BuildService({ store, persistence, clock, sizes, archive: shellArchiveCodec, packages, pull: (ref, o) => this.registries.pull(ref, o) });
  }

  /** The image store (opened once, on first use). */
  async store(): Promise<ImageStore> {
    this.storeP ??= ImageStore.open(this.host.persistence, { clock: this.host.clock, catalog: this.catalogLayers });
    const store = await this.storeP;
    // Another tab (or process) changed the store: re-read its index before answering.
    await store.syncIfChanged();
    return store;
  }
}

/**
 * Another machine beside `primary` on the same host: its own, initially empty image store under
 * `machines/<name>/` of the host's persistence, and the same registries (two computers on one
 * network). The lab's "second machine" pulls through it to show what a pull transfers and skips.
 */
export function createMachine(primary: LocalEngine, host: Host, name: string): LocalEngine {
  return createEngine({ ...host, persistence: new PrefixedPersistence(host.persistence, `machines/${name}/`) }, { registryHub: () => primary.registries.hub() });
}

/** Builds the engine on a host; the store opens lazily on first use. */
export function createEngine(host: Host, opts: EngineOptions = {}): LocalEngine {
  if (host.sha256) useSha256(host.sha256);
  if (host.gunzip) useGunzip(host.gunzip);
  return new LocalEngine(host, opts);
}
