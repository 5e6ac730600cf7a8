/**
 * `docker push`: uploads an image of the local store to a registry, layer by layer from the top
 * (as moby's `distribution/push_v2.go` lists its upload descriptors), skipping what the
 * repository already has (`Layer already exists`), mounting what another repository of the same
 * registry has (`Mounted from library/alpine`), uploading the rest (`Pushed`), then the config
 * and the manifest under the tag (`1.0: digest: sha256:… size: 739`). Layer IDs shown are the
 * first 12 hex digits of the layer's DiffID, as docker prints them.
 *
 * Simulation: docker finds mount candidates in its own v2 metadata (where each layer was pulled
 * from or pushed to); here the registry is asked which repositories link the blob.
 */
import { shortId, type Digest } from '../digest.ts';
import { LayerlabError } from '../errors.ts';
import type { ImageStore } from '../image/store.ts';
import { distributionError } from './errors.ts';
import type { BlobEvent, TransferListener } from './events.ts';
import type { RegistryHub } from './hub.ts';
import { DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX, familiarName, formatReference, normalizeReference, repositoryName } from '../reference.ts';

/** What a push did. */
export interface PushResult {
  /** docker push's output lines. */
  lines: string[];
  /** Full reference pushed (`localhost:5000/app:1.0`). */
  reference: string;
  manifestDigest: string;
  manifestSize: number;
  /** Blob bytes uploaded (layers + config); 0 when the registry had everything. */
  bytesPushed: number;
  /** Layer bytes uploaded. */
  layerBytesPushed: number;
  blobs: BlobEvent[];
}

/** Pushes `ref` (`NAME[:TAG]`) from `store` to its registry in `hub`; see the module comment. */
export async function push(store: ImageStore, ref: string, hub: RegistryHub, onEvent?: TransferListener): Promise<PushResult> {
  const r = normalizeReference(ref);
  if (r.digest) throw new LayerlabError('registry/invalid-reference', 'cannot push a digest reference', { data: { ref } });
  const full = formatReference(r);
  const found = store.tryResolve(full);
  if (!found) throw new LayerlabError('image/not-found', `An image does not exist locally with the tag: ${familiarName(r)}`, { data: { ref } });
  if (r.domain === DEFAULT_DOMAIN && r.path.startsWith(OFFICIAL_REPO_PREFIX)) {
    // Official images belong to Docker Hub's library namespace: nobody in the lab may overwrite them.
    throw distributionError('DENIED', { name: r.path }, 'denied: requested access to the resource is denied');
  }
  // The blobs are needed now: layers committed uncompressed are gzipped here (docker push does too).
  const img = await store.completeImage(found.imageId);
  const reg = await hub.registryForPush(r.domain);
  const repo = r.path;
  const lines = [`The push refers to repository [${repositoryName(r)}]`];
  const blobs: BlobEvent[] = [];
  let bytesPushed = 0;
  let layerBytesPushed = 0;
  const emit = (e: BlobEvent) => {
    blobs.push(e);
    onEvent?.(e);
  };
  const base = { type: 'blob' as const, registry: r.domain, repository: repo };
  for (const layer of [...img.layers].reverse()) {
    const digest = layer.digest;
    let status: string;
    if (await reg.headBlob(repo, digest)) {
      status = 'Layer already exists';
      emit({ ...base, digest, diffId: layer.diffId, size: layer.size, kind: 'layer', action: 'exists' });
    } else {
      let from: string | undefined;
      for (const candidate of reg.reposWithBlob(digest, repo)) {
        if (await reg.mountBlob(repo, digest, candidate)) {
          from = candidate;
          break;
        }
      }
      if (from) {
        status = `Mounted from ${from}`;
        emit({ ...base, digest, diffId: layer.diffId, size: layer.size, kind: 'layer', action: 'mounted', from });
      } else {
        const bytes = await store.getBlob(digest);
        await reg.putBlob(repo, bytes, digest);
        bytesPushed += bytes.length;
        layerBytesPushed += bytes.length;
        status = 'Pushed';
        emit({ ...base, digest, diffId: layer.diffId, size: bytes.length, kind: 'layer', action: 'pushed' });
      }
    }
    lines.push(`${shortId(layer.diffId)}: ${status}`);
  }
  // The config goes up with the manifest (distribution's schema2 ManifestBuilder: Stat, then Put).
  const cfg = img.manifest.config;
  if (await reg.headBlob(repo, cfg.digest)) emit({ ...base, digest: cfg.digest, size: cfg.size, kind: 'config', action: 'exists' });
  else {
    const bytes = await store.getBlob(cfg.digest);
    await reg.putBlob(repo, bytes, cfg.digest);
    bytesPushed += bytes.length;
    emit({ ...base, digest: cfg.digest, size: bytes.length, kind: 'config', action: 'pushed' });
  }
  const raw = store.rawManifest(img.imageId);
  const tag = r.tag!;
  const manifestDigest: Digest = await reg.putManifest(repo, tag, raw, img.manifest.mediaType);
  onEvent?.({ type: 'manifest', registry: r.domain, repository: repo, digest: manifestDigest, size: raw.length, mediaType: img.manifest.mediaType, action: 'pushed' });
  lines.push(`${tag}: digest: ${manifestDigest} size: ${raw.length}`);
  return { lines, reference: full, manifestDigest, manifestSize: raw.length, bytesPushed, layerBytesPushed, blobs };
}
