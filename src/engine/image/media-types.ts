/**
 * Media types of OCI and Docker image objects, as exact spec strings
 * (image-spec media-types.md; Docker's manifest v2 schema 2).
 */

/** OCI image manifest (image-spec manifest.md). */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
/** OCI image index: a list of manifests, one per platform (image-spec image-index.md). */
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/** OCI image config (image-spec config.md). */
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
/** An uncompressed layer tar (image-spec layer.md). */
export const OCI_LAYER_TAR = 'application/vnd.oci.image.layer.v1.tar';
/** A gzip-compressed layer tar: what layerlab writes. */
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
/** A zstd-compressed layer tar: read only. */
export const OCI_LAYER_ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';

/** Docker image manifest v2 schema 2. */
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
/** Docker manifest list (the Docker form of an image index). */
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
/** Docker image config. */
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
/** Docker gzip layer. */
export const DOCKER_LAYER_GZIP = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
/** Docker uncompressed layer (rare, `docker save` of old daemons). */
export const DOCKER_LAYER_TAR = 'application/vnd.docker.image.rootfs.diff.tar';
/** Docker foreign (non-distributable) layer: accepted on load, never written. */
export const DOCKER_LAYER_FOREIGN = 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip';

/** Media types accepted for an image manifest. */
export const MANIFEST_TYPES: readonly string[] = [OCI_MANIFEST, DOCKER_MANIFEST];
/** Media types accepted for an index / manifest list. */
export const INDEX_TYPES: readonly string[] = [OCI_INDEX, DOCKER_MANIFEST_LIST];
/** Media types accepted for an image config. */
export const CONFIG_TYPES: readonly string[] = [OCI_CONFIG, DOCKER_CONFIG];
/** Media types accepted for a layer, with the compression each implies. */
export const LAYER_TYPES: Readonly<Record<string, 'none' | 'gzip' | 'zstd'>> = {
  [OCI_LAYER_TAR]: 'none',
  [OCI_LAYER_GZIP]: 'gzip',
  [OCI_LAYER_ZSTD]: 'zstd',
  [DOCKER_LAYER_TAR]: 'none',
  [DOCKER_LAYER_GZIP]: 'gzip',
  [DOCKER_LAYER_FOREIGN]: 'gzip',
};

/** True if `mt` names a layer layerlab can read. */
export function isLayerMediaType(mt: string): boolean {
  return Object.hasOwn(LAYER_TYPES, mt);
}
