/**
 * The registry half of the engine's API (`engine.registries`): what the CLI's `push`, `pull`,
 * `manifest inspect` and `registry …` commands and the lab UI call. `RegistryService` implements
 * `RegistryEngine` over a RegistryHub and the local ImageStore and returns plain,
 * structured-cloneable data; every transfer event also goes to the engine's event hub.
 */
import type { CatalogEntry } from '../api-types.ts';
import type { Digest } from '../digest.ts';
import { LayerlabError } from '../errors.ts';
import type { BlobPersistence } from '../host.ts';
import { parseCatalogIndex, type CatalogIndex } from '../image/catalog.ts';
import { parseIndex } from '../image/image-index.ts';
import { INDEX_TYPES } from '../image/media-types.ts';
import type { ImageStore } from '../image/store.ts';
import type { AssetLoader, CatalogLayers } from '../image/catalog-layers.ts';
import { isDistributionError } from './errors.ts';
import type { TransferListener } from './events.ts';
import { RegistryHub } from './hub.ts';
import { formatManifest, formatManifestList, formatVerbose, imageManifestJson } from './inspect.ts';
import { pull, type PullResult } from './pull.ts';
import { push, type PushResult } from './push.ts';
import { familiarString, formatReference, normalizeReference } from '../reference.ts';
import type { GcResult, RegistryBlob } from './registry.ts';

export type { PullResult } from './pull.ts';
export type { PushResult } from './push.ts';
export type { GcResult, RegistryBlob } from './registry.ts';
export type { BlobEvent, ManifestEvent, TransferEvent, TransferListener } from './events.ts';

/** One repository of a registry, for `registry ls` and the lab's registry panel. */
export interface RepositorySummary {
  name: string;
  tags: { tag: string; digest: string }[];
  /** Blobs the repository links. */
  blobs: number;
}

/** One registry, for `registry ls`. */
export interface RegistrySummary {
  host: string;
  repositories: RepositorySummary[];
  /** Repositories the registry can serve but has not materialised yet (docker.io's catalog). */
  available: string[];
  /** Blobs in its content-addressed area, and their bytes. */
  blobCount: number;
  blobBytes: number;
}

/** `manifest inspect` output: docker's text plus the data behind it. */
export interface ManifestInspectResult {
  text: string;
  digest: string;
  mediaType: string;
  /** Platforms listed, for an index. */
  platforms?: string[];
}

/** The registry operations of the engine (`engine.registries`). */
export interface RegistryEngine {
  /** Images of the embedded offline base catalog (what docker.io serves in the lab). */
  catalog(): Promise<CatalogEntry[]>;
  /** `docker push NAME[:TAG]`. */
  push(ref: string, opts?: { onEvent?: TransferListener }): Promise<PushResult>;
  /** `docker pull [--platform P] NAME[:TAG|@DIGEST]` from the lab's registries. */
  pull(ref: string, opts?: { platform?: string; onEvent?: TransferListener; onLine?: (line: string) => void }): Promise<PullResult>;
  /** `docker manifest inspect [--verbose] REF`. */
  inspectManifest(ref: string, opts?: { verbose?: boolean }): Promise<ManifestInspectResult>;
  /** Every registry with its repositories and tags (`registry ls`). */
  list(): Promise<RegistrySummary[]>;
  /** Deletes a tag in its registry (`DELETE /v2/<name>/manifests/<tag>`); blobs stay until `gc`. */
  deleteTag(ref: string): Promise<string[]>;
  /** Garbage-collects a registry (default docker.io): untagged manifests and unreferenced blobs; `dryRun` deletes nothing. */
  gc(host?: string, opts?: { dryRun?: boolean }): Promise<GcResult>;
  /** Every blob a registry stores (manifests included): its kind, the tags that reach it, and whether gc would delete it. */
  blobs(host: string): Promise<RegistryBlob[]>;
}

/** Where the service finds the store and its persistence. */
export interface RegistryServiceDeps {
  store: () => Promise<ImageStore>;
  persistence: BlobPersistence;
  /** Loads `catalog/…` static assets (the host's `asset`). */
  asset?: AssetLoader;
  /** The catalog's layers, shared with the store (see RegistryHubOptions.catalog). */
  catalog?: CatalogLayers;
  /** A hub already open, or how to get one (several stores talking to the same registries, as two machines would). */
  hub?: RegistryHub | (() => Promise<RegistryHub>);
  /** Receives every transfer event of every push and pull (the engine's event hub). */
  onEvent?: TransferListener;
}

/** RegistryEngine over a RegistryHub and the local store. */
export class RegistryService implements RegistryEngine {
  private hubP?: Promise<RegistryHub>;
  private catalogP?: Promise<CatalogIndex>;

  constructor(private readonly deps: RegistryServiceDeps) {}

  /** The hub (opened once). */
  hub(): Promise<RegistryHub> {
    const shared = this.deps.hub;
    this.hubP ??= shared ? (typeof shared === 'function' ? shared() : Promise.resolve(shared)) : RegistryHub.open(this.deps.persistence, { asset: this.deps.asset, catalog: this.deps.catalog });
    return this.hubP;
  }

  private catalogIndex(): Promise<CatalogIndex> {
    const asset = this.deps.asset;
    if (!asset) return Promise.reject(new LayerlabError('registry/no-catalog', 'this engine has no base image catalog'));
    this.catalogP ??= asset('catalog/index.json').then(parseCatalogIndex);
    return this.catalogP;
  }

  async catalog(): Promise<CatalogEntry[]> {
    const idx = await this.catalogIndex();
    return idx.images.map((i) => ({ name: i.name, tags: i.tags, platforms: i.platforms, layers: i.layerCount, size: i.expectedSize, description: i.description }));
  }

  /** The caller's own listener, then the engine-wide one. */
  private transferListener(own?: TransferListener): TransferListener {
    return (e) => {
      own?.(e);
      this.deps.onEvent?.(e);
    };
  }

  async push(ref: string, opts: { onEvent?: TransferListener } = {}): Promise<PushResult> {
    return push(await this.deps.store(), ref, await this.hub(), this.transferListener(opts.onEvent));
  }

  async pull(ref: string, opts: { platform?: string; onEvent?: TransferListener; onLine?: (line: string) => void } = {}): Promise<PullResult> {
    return pull(await this.deps.store(), ref, await this.hub(), { ...opts, onEvent: this.transferListener(opts.onEvent) });
  }

  async inspectManifest(ref: string, opts: { verbose?: boolean } = {}): Promise<ManifestInspectResult> {
    const r = normalizeReference(ref);
    const reg = (await this.hub()).registry(r.domain);
    let top;
    try {
      top = await reg.getManifest(r.path, (r.digest ?? r.tag)!);
    } catch (e) {
      if (isDistributionError(e, 'NAME_UNKNOWN') || isDistributionError(e, 'MANIFEST_UNKNOWN')) {
        throw new LayerlabError('registry/manifest-unknown', `no such manifest: ${formatReference(r)}`, { cause: e, data: { ref } });
      }
      throw e;
    }
    const full = formatReference(r);
    if (INDEX_TYPES.includes(top.mediaType)) {
      const manifests = parseIndex(top.bytes).manifests;
      const platforms = manifests.map((m) => [m.platform?.os, m.platform?.architecture, m.platform?.variant].filter(Boolean).join('/'));
      let text: string;
      if (opts.verbose) {
        const list = [];
        for (const m of manifests) {
          const child = await reg.getManifest(r.path, m.digest);
          list.push(imageManifestJson(`${formatReference({ ...r, digest: undefined })}@${m.digest}`, m, child.bytes));
        }
        text = formatVerbose(list);
      } else text = formatManifestList(manifests);
      return { text, digest: top.digest, mediaType: top.mediaType, platforms };
    }
    const text = opts.verbose
      ? formatVerbose(imageManifestJson(full, { mediaType: top.mediaType, digest: top.digest, size: top.bytes.length }, top.bytes))
      : formatManifest(top.bytes);
    return { text, digest: top.digest, mediaType: top.mediaType };
  }

  async list(): Promise<RegistrySummary[]> {
    const hub = await this.hub();
    const out: RegistrySummary[] = [];
    for (const host of hub.hosts()) {
      const reg = hub.registry(host);
      const repositories = reg.repositorySnapshot();
      const present = new Set(repositories.map((x) => x.name));
      const available = (await reg.catalog()).repositories.filter((n) => !present.has(n));
      out.push({ host, repositories, available, blobCount: reg.blobDigests().length, blobBytes: reg.storedBytes() });
    }
    return out;
  }

  async deleteTag(ref: string): Promise<string[]> {
    const r = normalizeReference(ref);
    if (!r.tag || r.digest) throw new LayerlabError('reference/invalid', `a tag is required: ${ref}`, { data: { ref } });
    const digest: Digest = await (await this.hub()).registry(r.domain).deleteTag(r.path, r.tag);
    return [`Deleted tag: ${familiarString(r)} (was ${digest})`];
  }

  async gc(host = 'docker.io', opts: { dryRun?: boolean } = {}): Promise<GcResult> {
    return (await this.hub()).registry(host).gc(opts);
  }

  async blobs(host: string): Promise<RegistryBlob[]> {
    return (await (await this.hub()).registry(host).gcPlan()).blobs;
  }
}
