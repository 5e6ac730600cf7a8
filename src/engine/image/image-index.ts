/**
 * Image indexes (image-spec image-index.md): a list of manifest descriptors, each with the
 * platform it is for. The OCI layout's `index.json` is one, with `org.opencontainers.image.ref.name`
 * annotations naming tags. Docker's manifest list is accepted on load.
 */
import { LayerlabError } from '../errors.ts';
import { descriptorJson, parseDescriptor, type Descriptor } from './descriptor.ts';
import { goJsonBytes, isObject, parseJsonBytes, sortedMap } from './json.ts';
import { INDEX_TYPES, OCI_INDEX } from './media-types.ts';

/** An image index (or Docker manifest list). */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

/** Annotation naming a manifest's tag in an OCI layout (image-spec annotations.md). Docker 25+ writes the full reference. */
export const ANNOTATION_REF_NAME = 'org.opencontainers.image.ref.name';
/** containerd's annotation carrying the full image name (Docker's `docker save` writes it too). */
export const ANNOTATION_CONTAINERD_NAME = 'io.containerd.image.name';

/** The index's canonical bytes (ocispec.Index field order). */
export function serializeIndex(ix: ImageIndex): Uint8Array {
  return goJsonBytes({
    schemaVersion: ix.schemaVersion,
    mediaType: ix.mediaType,
    manifests: ix.manifests.map(descriptorJson),
    annotations: sortedMap(ix.annotations),
  });
}

/** Parses and checks an untrusted index; `mediaType` may be missing (older `index.json`). */
export function parseIndex(bytes: Uint8Array, maxBytes?: number): ImageIndex {
  const v = parseJsonBytes(bytes, 'image index', maxBytes);
  if (!isObject(v)) throw new LayerlabError('image/invalid-index', 'invalid image index: not an object');
  if (v.schemaVersion !== 2) throw new LayerlabError('image/invalid-index', `invalid image index: schemaVersion ${JSON.stringify(v.schemaVersion)} is not 2`);
  const mediaType = typeof v.mediaType === 'string' ? v.mediaType : OCI_INDEX;
  if (!INDEX_TYPES.includes(mediaType)) throw new LayerlabError('image/invalid-index', `invalid image index: unsupported mediaType ${mediaType}`);
  if (!Array.isArray(v.manifests)) throw new LayerlabError('image/invalid-index', 'invalid image index: manifests must be a list');
  const ix: ImageIndex = { schemaVersion: 2, mediaType, manifests: v.manifests.map((m) => parseDescriptor(m, 'index manifest')) };
  if (isObject(v.annotations)) ix.annotations = Object.fromEntries(Object.entries(v.annotations).map(([k, x]) => [k, String(x)]));
  return ix;
}
