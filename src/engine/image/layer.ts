/**
 * From a LayerTree to a layer blob: tar → DiffID (sha256 of the tar), gzip → blob Digest and
 * size, as `docker build` does when it commits a layer. Everything streams: tar chunks go to the
 * DiffID hasher and to the gzip writer, whose output goes to the blob hasher and, only when
 * asked, into memory. A layer of synthetic gigabytes is digested without holding its tar.
 */
import { createHasher, type DiffID, type Digest } from '../digest.ts';
import { LayerlabError } from '../errors.ts';
import type { LayerTree } from '../fs/layer-tree.ts';
import { GzipWriter, concatBytes, decompress } from './gzip.ts';
import { OCI_LAYER_GZIP } from './media-types.ts';
import { readLayerTar, writeLayerTar } from './tar.ts';
import type { ImageLimits } from './limits.ts';

/**
 * A committed layer: its DiffID (uncompressed tar), blob Digest and sizes. A layer committed by a
 * build or a container commit has no blob yet (`digest` and `size` undefined): it is compressed
 * when its blob is first needed (save, push, a layer download), as Docker's classic store does.
 */
export interface LayerRecord {
  diffId: DiffID;
  /** Digest of the compressed blob (what manifests list); undefined until the layer is compressed. */
  digest?: Digest;
  /** Compressed blob size in bytes; undefined until the layer is compressed. */
  size?: number;
  /** Uncompressed tar size in bytes. */
  uncompressedSize: number;
  mediaType: string;
}

/** A layer whose blob exists (or can be re-created): digest and size known. */
export type BlobLayerRecord = LayerRecord & { digest: Digest; size: number };

/** Tars, hashes and gzips a tree in one pass; `keepBlob` also returns the gzip bytes. */
export async function computeLayer(tree: LayerTree, opts: { keepBlob?: boolean } = {}): Promise<{ record: BlobLayerRecord; blob?: Uint8Array }> {
  const tarHasher = await createHasher();
  const blobHasher = await createHasher();
  const kept: Uint8Array[] = [];
  const gz = new GzipWriter((c) => {
    blobHasher.update(c);
    if (opts.keepBlob) kept.push(c);
  });
  await writeLayerTar(tree, (c) => {
    tarHasher.update(c);
    gz.push(c);
  });
  gz.finish();
  const record: BlobLayerRecord = {
    diffId: tarHasher.digest() as DiffID,
    digest: blobHasher.digest() as Digest,
    size: blobHasher.size,
    uncompressedSize: tarHasher.size,
    mediaType: OCI_LAYER_GZIP,
  };
  return { record, blob: opts.keepBlob ? concatBytes(kept) : undefined };
}

/** Only the DiffID and tar size of a tree (no gzip): what a cache check needs. */
export async function diffIdOfTree(tree: LayerTree): Promise<{ diffId: DiffID; uncompressedSize: number }> {
  const h = await createHasher();
  await writeLayerTar(tree, (c) => h.update(c));
  return { diffId: h.digest() as DiffID, uncompressedSize: h.size };
}

/** Re-creates the gzip blob of a tree and checks it against `record` (lazy blobs materialise here). */
export async function materializeBlob(tree: LayerTree, record: BlobLayerRecord): Promise<Uint8Array> {
  const { record: r, blob } = await computeLayer(tree, { keepBlob: true });
  if (r.digest !== record.digest || r.diffId !== record.diffId || r.size !== record.size) {
    throw new LayerlabError('image/digest-mismatch', `layer ${record.digest}: re-created blob has digest ${r.digest}`, {
      data: { expected: record.digest, actual: r.digest },
    });
  }
  return blob!;
}

/**
 * Reads an untrusted layer blob (plain, gzip or zstd): checks its digest if given, decompresses
 * under the size limit, checks the DiffID if given, and parses the tar into a LayerTree.
 */
export async function readLayerBlob(
  blob: Uint8Array,
  expect: { digest?: Digest; diffId?: DiffID; limits: ImageLimits },
): Promise<{ tree: LayerTree; diffId: DiffID; uncompressedSize: number; compression: string }> {
  const what = `layer ${expect.digest ?? expect.diffId ?? ''}`.trim();
  if (expect.digest) await checkDigest(blob, expect.digest, what);
  const { bytes, compression } = decompress(blob, expect.limits.maxLayerBytes, what);
  const h = await createHasher();
  h.update(bytes);
  const diffId = h.digest() as DiffID;
  if (expect.diffId && diffId !== expect.diffId) {
    throw new LayerlabError('image/digest-mismatch', `${what}: uncompressed content has diff_id ${diffId}, config says ${expect.diffId}`, {
      data: { expected: expect.diffId, actual: diffId, kind: 'diff_id' },
    });
  }
  const tree = await readLayerTar(bytes, { limits: expect.limits, what });
  return { tree, diffId, uncompressedSize: bytes.length, compression };
}

/** Throws `image/digest-mismatch` unless sha256(bytes) is `expected`. */
export async function checkDigest(bytes: Uint8Array, expected: Digest, what: string): Promise<void> {
  const h = await createHasher();
  h.update(bytes);
  const actual = h.digest();
  if (actual !== expected) {
    throw new LayerlabError('image/digest-mismatch', `${what}: digest mismatch: expected ${expected}, got ${actual}`, {
      data: { expected, actual },
    });
  }
}
