/**
 * The image half of the engine's API: what `images`, `image inspect`, `history`, `tag`, `rmi`,
 * `image prune`, `save`, `load` and the lab's layer views call. `ImageService` implements
 * `ImageEngine` over the local ImageStore and returns plain, structured-cloneable data.
 */
import type { HistoryRow, ImageSummary, LayerEntryView, LayerView, PruneResult } from '../api-types.ts';
import type { DiffID } from '../digest.ts';
import { Inode, isWhiteout } from '../fs/layer-tree.ts';
import { splitRepoTag } from '../reference.ts';
import { loadArchive, type ArchiveSource } from './docker-archive.ts';
import type { ImageLimits } from './limits.ts';
import type { LayerSizeCache } from './layer-size-cache.ts';
import { saveImages } from './oci-layout.ts';
import type { ImageStore } from './store.ts';

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

/** The image operations of the engine (`engine.images`). References are `name[:tag]`, `name@digest` or an image ID (prefix). */
export interface ImageEngine {
  /** `images`: one row per repo:tag, newest first. */
  list(opts?: { all?: boolean }): Promise<ImageSummary[]>;
  /** `image inspect`. */
  inspect(ref: string): Promise<ImageInspect>;
  /** `history`, newest first. */
  history(ref: string): Promise<HistoryRow[]>;
  /** `tag SOURCE TARGET`. */
  tag(source: string, target: string): Promise<void>;
  /** `rmi`: returns `Untagged: …` / `Deleted: …` lines. */
  remove(refs: string[], opts?: { force?: boolean }): Promise<string[]>;
  /** `image prune`: dangling images no container uses; with `all`, every image no container uses. */
  prune(opts?: { all?: boolean }): Promise<PruneResult>;
  /** `save`: an archive (OCI layout plus docker's manifest.json) of the images. */
  save(refs: string[]): Promise<Uint8Array>;
  /**
   * `load`: returns `Loaded image: …` lines. The archive may arrive as chunks (streamed from a file);
   * `limits` override the store's image limits for this load (the CLI's `--max-layer-size`).
   */
  load(archive: ArchiveSource, opts?: { limits?: Partial<ImageLimits> }): Promise<string[]>;
  /** An image's layers, bottom first, with the history entries that made them. */
  layers(ref: string): Promise<LayerView[]>;
  /** The entries one layer holds (whiteouts and opaque directories included). */
  layerEntries(diffId: string): Promise<LayerEntryView[]>;
}

/**
 * What the image service asks of whoever runs containers: an image a container uses cannot be
 * removed or pruned (moby `daemon/images/image_delete.go`).
 */
export interface ImageUsage {
  /** Throws docker's `conflict: …` error if `rmi ref` must refuse because a container uses the image. */
  checkImageRemovable(ref: string, opts?: { force?: boolean }): Promise<void>;
  /** `image prune [-a]`, skipping images containers use. */
  imagePrune(opts?: { all?: boolean }): Promise<PruneResult>;
}

/** Where the service finds the store, the layer sizes and the container runtime's view of image use. */
export interface ImageServiceDeps {
  store: () => Promise<ImageStore>;
  sizes: LayerSizeCache;
  usage: ImageUsage;
}

/** ImageEngine over the local store. */
export class ImageService implements ImageEngine {
  constructor(private readonly deps: ImageServiceDeps) {}

  private store(): Promise<ImageStore> {
    return this.deps.store();
  }

  async list(): Promise<ImageSummary[]> {
    const store = await this.store();
    const out: ImageSummary[] = [];
    for (const img of store.listImages()) {
      const size = await this.deps.sizes.image(img);
      const base = { imageId: img.imageId, created: img.created, size, layerCount: img.layers.length };
      if (img.repoTags.length === 0) out.push({ repository: '<none>', tag: '<none>', ...base });
      for (const t of img.repoTags) out.push({ ...splitRepoTag(t), ...base });
    }
    return out.sort((a, b) => (b.created ?? '').localeCompare(a.created ?? '') || a.repository.localeCompare(b.repository) || a.tag.localeCompare(b.tag));
  }

  async inspect(ref: string): Promise<ImageInspect> {
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
      Size: await this.deps.sizes.image(img),
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
      const size = empty || li >= diffIds.length ? 0 : await this.deps.sizes.layer(diffIds[li++]);
      rows.push({ id: '<missing>', created: h.created, createdBy: h.created_by ?? '', size, comment: h.comment ?? '', emptyLayer: empty });
    }
    rows.reverse();
    if (rows.length) rows[0].id = img.imageId;
    return rows;
  }

  async tag(source: string, target: string): Promise<void> {
    await (await this.store()).tag(source, target);
  }

  async remove(refs: string[], opts: { force?: boolean } = {}): Promise<string[]> {
    const store = await this.store();
    const out: string[] = [];
    for (const r of refs) {
      await this.deps.usage.checkImageRemovable(r, opts);
      out.push(...(await store.remove(r, opts)));
    }
    return out;
  }

  prune(opts: { all?: boolean } = {}): Promise<PruneResult> {
    return this.deps.usage.imagePrune(opts);
  }

  async save(refs: string[]): Promise<Uint8Array> {
    return saveImages(await this.store(), refs);
  }

  async load(archive: ArchiveSource, opts: { limits?: Partial<ImageLimits> } = {}): Promise<string[]> {
    const store = await this.store();
    const { loaded, imageIds } = await loadArchive(store, archive, opts.limits);
    for (const id of imageIds) {
      for (const d of store.resolve(id).config.rootfs.diff_ids) await this.deps.sizes.layer(d);
    }
    return loaded;
  }

  async layers(ref: string): Promise<LayerView[]> {
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
        index: i, diffId: rec.diffId, digest: rec.digest, size: await this.deps.sizes.layer(rec.diffId), compressedSize: rec.size,
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
