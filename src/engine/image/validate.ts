/**
 * Image invariants, after go-containerregistry's `pkg/v1/validate`: the config hashes to the
 * image ID named by the manifest, every layer blob matches its descriptor's digest and size, each
 * uncompressed layer hashes to the config's diff_id, the config has one diff_id per manifest
 * layer and one non-empty history entry per layer, and media types are known.
 */
import { createHasher, type Digest } from '../digest.ts';
import { LayerlabError } from '../errors.ts';
import { parseConfig } from './config.ts';
import { decompress } from './gzip.ts';
import { parseManifest } from './manifest.ts';
import { CONFIG_TYPES, LAYER_TYPES, MANIFEST_TYPES } from './media-types.ts';
import type { ImageStore } from './store.ts';

async function sha(bytes: Uint8Array): Promise<string> {
  const h = await createHasher();
  h.update(bytes);
  return h.digest();
}

/** Checks an image in the store; returns the problems found (empty when valid). */
export async function validateImage(store: ImageStore, refOrId: string): Promise<string[]> {
  const problems: string[] = [];
  const img = await store.completeImage(refOrId);
  const raw = store.rawManifest(img.imageId);
  if ((await sha(raw)) !== img.manifestDigest) problems.push(`manifest: bytes do not hash to ${img.manifestDigest}`);
  const manifest = parseManifest(raw);
  if (!MANIFEST_TYPES.includes(manifest.mediaType)) problems.push(`manifest: unknown mediaType ${manifest.mediaType}`);
  if (!CONFIG_TYPES.includes(manifest.config.mediaType)) problems.push(`config: unknown mediaType ${manifest.config.mediaType}`);
  if (manifest.config.digest !== img.imageId) problems.push(`config: manifest names ${manifest.config.digest}, image ID is ${img.imageId}`);
  let rawConfig: Uint8Array | undefined;
  try {
    rawConfig = await store.getBlob(manifest.config.digest);
  } catch (e) {
    problems.push(`config: ${(e as Error).message}`);
  }
  if (!rawConfig) return problems;
  if ((await sha(rawConfig)) !== manifest.config.digest) problems.push('config: bytes do not hash to the config descriptor digest');
  if (rawConfig.length !== manifest.config.size) problems.push(`config: size ${rawConfig.length} != descriptor size ${manifest.config.size}`);
  const config = parseConfig(rawConfig);
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== manifest.layers.length) problems.push(`rootfs: ${diffIds.length} diff_ids for ${manifest.layers.length} manifest layers`);
  if (config.history) {
    const nonEmpty = config.history.filter((h) => !h.empty_layer).length;
    if (nonEmpty !== manifest.layers.length) problems.push(`history: ${nonEmpty} non-empty entries for ${manifest.layers.length} layers`);
  }
  for (let i = 0; i < manifest.layers.length; i++) {
    const l = manifest.layers[i];
    const what = `layer ${i} (${l.digest})`;
    if (!Object.hasOwn(LAYER_TYPES, l.mediaType)) problems.push(`${what}: unknown mediaType ${l.mediaType}`);
    let blob: Uint8Array;
    try {
      blob = await store.getBlob(l.digest);
    } catch (e) {
      problems.push(`${what}: ${(e as Error).message}`);
      continue;
    }
    if ((await sha(blob)) !== l.digest) problems.push(`${what}: blob does not hash to its digest`);
    if (blob.length !== l.size) problems.push(`${what}: size ${blob.length} != descriptor size ${l.size}`);
    try {
      const { bytes, compression } = await decompress(blob, store.limits.maxLayerBytes, what);
      const want = LAYER_TYPES[l.mediaType];
      if (want && want !== compression) problems.push(`${what}: mediaType says ${want}, blob is ${compression}`);
      const diffId = await sha(bytes);
      if (diffIds[i] && diffId !== diffIds[i]) problems.push(`${what}: uncompressed digest ${diffId} != diff_id ${diffIds[i]}`);
    } catch (e) {
      problems.push(`${what}: ${(e as Error).message}`);
    }
  }
  return problems;
}

/** Like `validateImage`, but throws `image/invalid` listing the problems. */
export async function assertValidImage(store: ImageStore, refOrId: string): Promise<Digest> {
  const problems = await validateImage(store, refOrId);
  if (problems.length) throw new LayerlabError('image/invalid', `image ${refOrId} is invalid:\n  ${problems.join('\n  ')}`, { data: { problems } });
  return store.resolve(refOrId).imageId;
}
