/**
 * `docker pull`: fetches what a tag (or digest) points to from a registry of the hub into the
 * local store, as moby's `distribution/pull_v2.go` does: resolve the reference to a manifest;
 * for an image index pick the manifest of the wanted platform (`no matching manifest for
 * linux/s390x in the manifest list entries`); if the store already has the image (its config
 * digest) download nothing; else download the config and each layer the store lacks
 * (`Pull complete`), skipping those it has (`Already exists`). Every blob is checked in a staging
 * area (digest, size, and for layers the uncompressed DiffID the config names) before anything
 * enters the store through `putVerifiedImage`. Then `Digest:` (what the reference points to:
 * the index digest for a multi-platform image), `Status:` and the full reference.
 *
 * Per-layer progress goes to `onEvent` as docker prints it (`Pulling fs layer` for every missing
 * layer first, then `Downloading`, `Verifying Checksum`, `Download complete`, `Extracting`,
 * `Pull complete`).
 *
 * Simulation: a layer the registry keeps as a lazy catalog blob (see catalog-seed.ts) moves as
 * metadata: its record (digest, size, DiffID) must match the manifest and the config, and the
 * store keeps it lazily with the catalog as its source, so no gzip byte is made or read at pull
 * time. Its tree is built on first read; its gzip bytes when the blob itself is needed (save,
 * push, a layer download), where they are checked against the digest. `bytesDownloaded` still
 * counts its size: that is what docker would have transferred.
 */
import { digestOf, shortId, type DiffID } from '../digest.ts';
import { LayerlabError } from '../errors.ts';
import type { LayerTree } from '../fs/layer-tree.ts';
import { parseConfig } from '../image/config.ts';
import type { Descriptor } from '../image/descriptor.ts';
import { parseIndex } from '../image/image-index.ts';
import { catalogLayerSource, type CatalogLayerSource } from '../image/catalog-layers.ts';
import { readLayerBlob, type BlobLayerRecord, type LayerRecord } from '../image/layer.ts';
import { parseManifest } from '../image/manifest.ts';
import { INDEX_TYPES } from '../image/media-types.ts';
import type { ImageStore, LazyLayerHandoff, VerifiedBlob } from '../image/store.ts';
import { isDistributionError } from './errors.ts';
import type { BlobEvent, PullStatus, TransferListener } from './events.ts';
import type { RegistryHub } from './hub.ts';
import { DEFAULT_DOMAIN, familiarName, familiarString, formatReference, normalizeReference, type ImageReference } from '../reference.ts';
import type { FetchedManifest, Registry } from './registry.ts';

/** The platform the lab's daemon runs on, used when `--platform` is not given. */
export const DEFAULT_PLATFORM = 'linux/amd64';

/** Options of a pull. */
export interface PullOptions {
  /** `os/arch[/variant]`; default linux/amd64. */
  platform?: string;
  onEvent?: TransferListener;
  /** Receives each line of `PullResult.lines` as soon as it is decided, so a CLI can print it live. */
  onLine?: (line: string) => void;
}

/** What a pull did. */
export interface PullResult {
  /** docker pull's output lines. */
  lines: string[];
  /** Full reference pulled (`docker.io/library/alpine:3.22`). */
  reference: string;
  /** What the reference points to (index digest for multi-platform images). */
  digest: string;
  /** The platform manifest's digest. */
  manifestDigest: string;
  imageId: string;
  platform: string;
  /** Blob bytes downloaded (config + layers). */
  bytesDownloaded: number;
  upToDate: boolean;
  blobs: BlobEvent[];
}

/**
 * The line layerlab adds to Docker's error when docker.io (served offline from the base catalog)
 * lacks a repository or tag: the image may well exist on Docker Hub, the catalog just lacks it.
 */
function catalogNote(r: ImageReference): string {
  return r.domain === DEFAULT_DOMAIN ? `\nSimulation: layerlab's offline Docker Hub catalog has no ${familiarString(r)} (its images and tags: public/catalog/index.json)` : '';
}

function pullError(e: unknown, r: ImageReference): unknown {
  if (isDistributionError(e, 'NAME_UNKNOWN')) {
    return new LayerlabError('registry/pull-access-denied', `pull access denied for ${familiarName(r)}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied${catalogNote(r)}`, { cause: e, data: { ...e.data, ref: formatReference(r) } });
  }
  if (isDistributionError(e, 'MANIFEST_UNKNOWN')) {
    return new LayerlabError('registry/manifest-unknown', `manifest for ${familiarString(r)} not found: manifest unknown: manifest unknown${catalogNote(r)}`, { cause: e, data: { ...e.data, ref: formatReference(r) } });
  }
  return e;
}

/** Parses `os/arch[/variant]`. */
export function parsePlatform(s: string): { os: string; architecture: string; variant?: string } {
  const [os, architecture, variant] = s.split('/');
  if (!os || !architecture) throw new LayerlabError('registry/invalid-platform', `"${s}": unknown operating system or architecture: invalid argument`, { data: { platform: s } });
  return { os, architecture, variant };
}

/** The index entry for `platform` (containerd's platforms matcher: arm64 means arm64/v8). */
export function selectPlatform(manifests: readonly Descriptor[], platform: string): Descriptor | undefined {
  const want = parsePlatform(platform);
  const norm = (arch: string, v?: string) => (arch === 'arm64' ? (v ?? 'v8') : (v ?? ''));
  return manifests.find((m) => {
    const p = m.platform;
    if (!p || p.os !== want.os || p.architecture !== want.architecture) return false;
    return !want.variant || norm(p.architecture, p.variant) === norm(want.architecture, want.variant);
  });
}

/** The catalog source of a lazy registry blob that matches what the manifest and config say, if any. */
function lazyCatalogLayer(reg: Registry, l: Descriptor, diffId: DiffID): { record: BlobLayerRecord; source: CatalogLayerSource } | undefined {
  const lz = reg.lazyBlob(l.digest);
  if (!lz || lz.size !== l.size || lz.diffId !== diffId) return undefined;
  let source: CatalogLayerSource;
  try {
    source = catalogLayerSource(lz.source);
  } catch {
    return undefined;
  }
  return { record: { diffId, digest: l.digest, size: l.size, uncompressedSize: lz.uncompressedSize, mediaType: l.mediaType }, source };
}

async function fetchVerified(reg: Registry, repo: string, ref: string): Promise<FetchedManifest> {
  const m = await reg.getManifest(repo, ref);
  const actual = await digestOf(m.bytes);
  if (actual !== m.digest || (ref.startsWith('sha256:') && actual !== ref)) {
    throw new LayerlabError('image/digest-mismatch', `manifest verification failed for digest ${m.digest}`, { data: { expected: m.digest, actual } });
  }
  return m;
}

/** Pulls `ref` (`NAME[:TAG|@DIGEST]`) from its registry in `hub` into `store`; see the module comment. */
export async function pull(store: ImageStore, ref: string, hub: RegistryHub, opts: PullOptions = {}): Promise<PullResult> {
  const r = normalizeReference(ref);
  const platform = opts.platform ?? DEFAULT_PLATFORM;
  parsePlatform(platform);
  const reg = hub.registry(r.domain);
  const repo = r.path;
  const tagOrDigest = (r.digest ?? r.tag)!;
  const lines: string[] = [];
  const line = (s: string) => {
    lines.push(s);
    opts.onLine?.(s);
  };
  const base = { registry: r.domain, repository: repo };
  let top: FetchedManifest;
  try {
    top = await fetchVerified(reg, repo, tagOrDigest);
  } catch (e) {
    throw pullError(e, r);
  }
  // moby prints it once the reference resolved to a manifest (an unknown tag prints only the error).
  line(`${tagOrDigest}: Pulling from ${repo}`);
  opts.onEvent?.({ type: 'manifest', ...base, digest: top.digest, size: top.bytes.length, mediaType: top.mediaType, action: 'fetched' });
  let target = top;
  if (INDEX_TYPES.includes(top.mediaType)) {
    const chosen = selectPlatform(parseIndex(top.bytes).manifests, platform);
    if (!chosen) {
      throw new LayerlabError('registry/no-matching-manifest', `no matching manifest for ${platform} in the manifest list entries`, { data: { platform, ref: formatReference(r) } });
    }
    target = await fetchVerified(reg, repo, chosen.digest);
    opts.onEvent?.({ type: 'manifest', ...base, digest: target.digest, size: target.bytes.length, mediaType: target.mediaType, action: 'fetched' });
  }
  const manifest = parseManifest(target.bytes, store.limits.maxJsonBytes);
  const imageId = manifest.config.digest;
  const tags = r.tag ? [formatReference({ ...r, digest: undefined })] : [];
  const before = r.tag ? store.tryResolve(tags[0]) : undefined;
  const blobs: BlobEvent[] = [];
  let bytesDownloaded = 0;
  const emit = (e: BlobEvent) => {
    blobs.push(e);
    opts.onEvent?.(e);
  };
  const existing = store.tryResolve(imageId);
  if (existing) {
    // moby: "If the image already exists locally, no need to pull anything."
    for (const t of tags) await store.tag(imageId, t);
  } else {
    const staged: VerifiedBlob[] = [];
    const download = async (d: Descriptor): Promise<Uint8Array> => {
      const bytes = await reg.getBlob(repo, d.digest);
      const actual = await digestOf(bytes);
      if (actual !== d.digest || bytes.length !== d.size) {
        throw new LayerlabError('image/digest-mismatch', `filesystem layer verification failed for digest ${d.digest}`, { data: { expected: d.digest, actual, size: bytes.length } });
      }
      bytesDownloaded += bytes.length;
      return bytes;
    };
    const rawConfig = await download(manifest.config);
    const config = parseConfig(rawConfig, store.limits.maxJsonBytes);
    staged.push({ digest: manifest.config.digest, bytes: rawConfig });
    emit({ type: 'blob', ...base, digest: manifest.config.digest, size: rawConfig.length, kind: 'config', action: 'downloaded' });
    const diffIds = config.rootfs.diff_ids;
    if (diffIds.length !== manifest.layers.length) {
      throw new LayerlabError('image/invalid-config', `image config has ${diffIds.length} diff_ids for ${manifest.layers.length} layers`, { data: { imageId } });
    }
    const records: LayerRecord[] = [];
    const lazyLayers: LazyLayerHandoff[] = [];
    const trees = new Map<DiffID, LayerTree>();
    const progress = (l: Descriptor, status: PullStatus, current?: number) =>
      opts.onEvent?.({ type: 'progress', ...base, digest: l.digest, status, total: l.size, ...(current === undefined ? {} : { current }) });
    // moby's download manager registers every layer in order first: one it has says `Already
    // exists`, one it lacks `Pulling fs layer`; then the missing ones download.
    const present = manifest.layers.map((l) => store.hasBlob(l.digest));
    manifest.layers.forEach((l, i) => {
      if (!present[i]) return progress(l, 'Pulling fs layer');
      line(`${shortId(l.digest)}: Already exists`);
      progress(l, 'Already exists');
      emit({ type: 'blob', ...base, digest: l.digest, size: l.size, kind: 'layer', action: 'already-exists' });
    });
    for (let i = 0; i < manifest.layers.length; i++) {
      const l = manifest.layers[i];
      if (present[i]) continue;
      const lazy = store.keepsCatalogLayers ? lazyCatalogLayer(reg, l, diffIds[i]) : undefined;
      if (lazy) {
        lazyLayers.push(lazy);
        bytesDownloaded += l.size;
        progress(l, 'Download complete', l.size);
      } else {
        progress(l, 'Downloading', 0);
        const bytes = await download(l);
        progress(l, 'Verifying Checksum', bytes.length);
        progress(l, 'Download complete', bytes.length);
        progress(l, 'Extracting', 0);
        const { tree, uncompressedSize } = await readLayerBlob(bytes, { digest: l.digest, diffId: diffIds[i], limits: store.limits });
        staged.push({ digest: l.digest, bytes });
        records.push({ diffId: diffIds[i], digest: l.digest, size: l.size, uncompressedSize, mediaType: l.mediaType });
        trees.set(diffIds[i], tree);
      }
      line(`${shortId(l.digest)}: Pull complete`);
      progress(l, 'Pull complete', l.size);
      emit({ type: 'blob', ...base, digest: l.digest, size: l.size, kind: 'layer', action: 'downloaded' });
    }
    await store.putVerifiedImage({ rawManifest: target.bytes, blobs: staged, layerRecords: records, trees, lazyLayers, tags });
  }
  const upToDate = r.tag ? before?.imageId === imageId : !!existing;
  const shown = familiarString({ ...r, tag: r.digest ? undefined : r.tag });
  line(`Digest: ${top.digest}`);
  line(upToDate ? `Status: Image is up to date for ${shown}` : `Status: Downloaded newer image for ${shown}`);
  line(formatReference(r.digest ? { ...r, tag: undefined } : r));
  return { lines, reference: formatReference(r), digest: top.digest, manifestDigest: target.digest, imageId, platform, bytesDownloaded, upToDate, blobs };
}
