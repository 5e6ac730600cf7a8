/**
 * Image manifests (image-spec manifest.md): a config descriptor and layer descriptors, bottom
 * layer first. layerlab writes OCI manifests; on load it also accepts Docker's manifest v2 schema 2.
 */
import { LayerlabError } from '../errors.ts';
import { descriptorJson, parseDescriptor, type Descriptor } from './descriptor.ts';
import { goJsonBytes, isObject, parseJsonBytes, sortedMap } from './json.ts';
import { CONFIG_TYPES, DOCKER_MANIFEST, MANIFEST_TYPES, OCI_MANIFEST, isLayerMediaType } from './media-types.ts';

/** An image manifest (OCI or Docker v2 schema 2 — same shape). */
export interface Manifest {
  schemaVersion: 2;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** The manifest's canonical bytes (ocispec.Manifest field order). */
export function serializeManifest(m: Manifest): Uint8Array {
  return goJsonBytes({
    schemaVersion: m.schemaVersion,
    mediaType: m.mediaType,
    config: descriptorJson(m.config),
    layers: m.layers.map(descriptorJson),
    annotations: sortedMap(m.annotations),
  });
}

function bad(msg: string): never {
  throw new LayerlabError('image/invalid-manifest', `invalid image manifest: ${msg}`);
}

/** Parses and checks an untrusted manifest; `mediaType` may be missing in old OCI manifests. */
export function parseManifest(bytes: Uint8Array, maxBytes?: number): Manifest {
  const v = parseJsonBytes(bytes, 'image manifest', maxBytes);
  if (!isObject(v)) bad('not an object');
  if (v.schemaVersion !== 2) bad(`schemaVersion ${JSON.stringify(v.schemaVersion)} is not 2`);
  const mediaType = typeof v.mediaType === 'string' ? v.mediaType : OCI_MANIFEST;
  if (!MANIFEST_TYPES.includes(mediaType)) bad(`unsupported mediaType ${mediaType}`);
  const config = parseDescriptor(v.config, 'manifest config');
  if (!CONFIG_TYPES.includes(config.mediaType)) bad(`unsupported config mediaType ${config.mediaType}`);
  if (!Array.isArray(v.layers)) bad('layers must be a list');
  const layers = v.layers.map((l) => parseDescriptor(l, 'manifest layer'));
  for (const l of layers) if (!isLayerMediaType(l.mediaType)) bad(`unsupported layer mediaType ${l.mediaType}`);
  const m: Manifest = { schemaVersion: 2, mediaType, config, layers };
  if (isObject(v.annotations)) m.annotations = Object.fromEntries(Object.entries(v.annotations).map(([k, x]) => [k, String(x)]));
  return m;
}

/** True for a Docker (not OCI) manifest. */
export function isDockerManifest(m: Manifest): boolean {
  return m.mediaType === DOCKER_MANIFEST;
}
