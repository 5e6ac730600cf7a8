/**
 * `docker save` output in the layout Docker 25+ writes: one tar that is both an OCI image layout
 * (`oci-layout`, `index.json`, `blobs/sha256/<hex>`; image-spec image-layout.md) and a classic
 * Docker archive (`manifest.json` whose `Config`/`Layers` point into `blobs/`, `repositories`),
 * so docker, podman, skopeo and umoci can all read it. Blobs are written as stored (gzip layers
 * stay gzip, as docker 25's containerd store does; docker's loader detects compression).
 */
import { hexOf, type Digest } from '../digest.ts';
import { familiarName, familiarRefString, normalizeRefString, parseReference } from '../reference.ts';
import type { Descriptor } from './descriptor.ts';
import { ANNOTATION_CONTAINERD_NAME, ANNOTATION_REF_NAME, serializeIndex } from './image-index.ts';
import { goJsonBytes, sortedMap } from './json.ts';
import { OCI_INDEX } from './media-types.ts';
import type { ImageStore } from './store.ts';
import { packArchive, type ArchiveFile } from './tar.ts';

/** The `oci-layout` file's content. */
export const OCI_LAYOUT_FILE = '{"imageLayoutVersion":"1.0.0"}';

/** One entry of Docker's `manifest.json`. */
export interface DockerManifestEntry {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
}

const blobPath = (d: Digest) => `blobs/sha256/${hexOf(d)}`;

/**
 * `docker save REF...`: an archive of the named images (tags or IDs). A tag reference adds that
 * tag; an ID reference saves the image untagged.
 */
export async function saveImages(store: ImageStore, refs: readonly string[]): Promise<Uint8Array> {
  const order: Digest[] = [];
  const tagsOf = new Map<Digest, string[]>();
  for (const ref of refs) {
    const img = store.resolve(ref);
    if (!tagsOf.has(img.imageId)) {
      order.push(img.imageId);
      tagsOf.set(img.imageId, []);
    }
    let full: string | undefined;
    try {
      full = ref.startsWith('sha256:') ? undefined : normalizeRefString(ref);
    } catch {
      full = undefined;
    }
    // A string naming a tag of this image saves that tag; an ID (prefix) saves the image untagged.
    if (full && store.tagsOf(img.imageId).includes(full) && !tagsOf.get(img.imageId)!.includes(full)) tagsOf.get(img.imageId)!.push(full);
  }
  const files: ArchiveFile[] = [];
  const written = new Set<Digest>();
  const addBlob = async (d: Digest, bytes?: Uint8Array) => {
    if (written.has(d)) return;
    written.add(d);
    files.push({ name: blobPath(d), bytes: bytes ?? (await store.getBlob(d)) });
  };
  const index: Descriptor[] = [];
  const dockerManifest: DockerManifestEntry[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  for (const id of order) {
    // Saving needs every blob: layers committed uncompressed are gzipped (and kept) here.
    const img = await store.completeImage(id);
    const rawManifest = store.rawManifest(id);
    for (const l of img.manifest.layers) await addBlob(l.digest);
    await addBlob(img.imageId);
    await addBlob(img.manifestDigest, rawManifest);
    const base = { mediaType: img.manifest.mediaType, digest: img.manifestDigest, size: rawManifest.length };
    const tags = tagsOf.get(id)!;
    if (tags.length === 0) index.push(base);
    for (const full of tags) {
      const r = parseReference(full);
      // Docker 25 writes the full name for containerd and the bare tag as the OCI ref name.
      index.push({ ...base, annotations: { [ANNOTATION_CONTAINERD_NAME]: full, [ANNOTATION_REF_NAME]: r.tag ?? 'latest' } });
      const repo = familiarName(r);
      (repositories[repo] ??= {})[r.tag ?? 'latest'] = hexOf(id);
    }
    dockerManifest.push({
      Config: blobPath(img.imageId),
      RepoTags: tags.length ? tags.map(familiarRefString) : null,
      Layers: img.manifest.layers.map((l) => blobPath(l.digest)),
    });
  }
  files.push({ name: 'index.json', bytes: serializeIndex({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: index }) });
  files.push({ name: 'manifest.json', bytes: goJsonBytes(dockerManifest.map((m) => ({ Config: m.Config, RepoTags: m.RepoTags, Layers: m.Layers }))) });
  files.push({ name: 'oci-layout', bytes: new TextEncoder().encode(OCI_LAYOUT_FILE) });
  if (Object.keys(repositories).length) {
    files.push({ name: 'repositories', bytes: goJsonBytes(sortedMap(Object.fromEntries(Object.entries(repositories).map(([k, v]) => [k, sortedMap(v)!])))) });
  }
  return packArchive(files);
}

/** Alias matching the CLI verb. */
export const save = saveImages;
