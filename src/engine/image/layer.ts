/**
 * From a LayerTree to a layer blob: tar → DiffID (sha256 of the tar), gzip → blob Digest and
 * size, as `docker build` does when it commits a layer. Everything streams: tar chunks go to the
 * DiffID hasher and to the gzip writer, whose output goes to the blob hasher and, only when
 * asked, into memory. A layer of synthetic gigabytes is digested without holding its tar.
 */
import { createHasher, type DiffID, type Digest } from '../digest.ts';
import { LayerlabError } from '../errors.ts';
import type { LayerTree } from '../fs/layer-tree.ts';
import { Decompressor, GzipWriter, concatBytes, gunzipKnownSize } from './gzip.ts';
import { OCI_LAYER_GZIP } from './media-types.ts';
import { LayerTarBuilder, tarReadLimits, writeLayerTar } from './tar.ts';
import { TarReader, limitError } from './tar-format.ts';
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
  const gz = await GzipWriter.create((c) => {
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

/** Bytes a whole load may still expand to (ImageLimits.maxLoadBytes), shared by its layers. */
export interface ExpansionBudget {
  used: number;
  readonly max: number;
}

/**
 * Reads an untrusted layer blob (plain, gzip or zstd) in one streaming pass: checks its digest if
 * given, decompresses under maxLayerBytes (and the load's budget), hashes the tar for the DiffID
 * and builds the LayerTree entry by entry, refusing a hostile entry when its header arrives. Holds
 * the blob, the tree and one file body, never the uncompressed tar.
 */
export async function readLayerBlob(
  blob: Uint8Array,
  expect: { digest?: Digest; diffId?: DiffID; limits: ImageLimits; budget?: ExpansionBudget; knownSize?: number },
): Promise<{ tree: LayerTree; diffId: DiffID; uncompressedSize: number; compression: string }> {
  const what = `layer ${expect.digest ?? expect.diffId ?? ''}`.trim();
  const limits = expect.limits;
  if (expect.digest) await checkDigest(blob, expect.digest, what);
  const h = await createHasher();
  const builder = new LayerTarBuilder(limits, what);
  const tar = new TarReader(builder, tarReadLimits(limits), what);
  // A layer the store already verified, of known size: the platform's one-shot gunzip, if any.
  const whole = expect.knownSize !== undefined && expect.knownSize <= limits.maxLayerBytes ? gunzipKnownSize(blob, expect.knownSize) : undefined;
  if (whole) {
    h.update(whole);
    tar.push(whole);
    tar.finish();
    const diffId = h.digest() as DiffID;
    if (expect.diffId && diffId !== expect.diffId) throw diffIdMismatch(what, expect.diffId, diffId);
    return { tree: builder.tree, diffId, uncompressedSize: whole.length, compression: 'gzip' };
  }
  const budget = expect.budget;
  const d = await Decompressor.open(
    blob.subarray(0, 4),
    (c) => {
      if (budget && (budget.used += c.length) > budget.max) throw limitError(what, 'maxLoadBytes', budget.max, 'the load expands to more bytes');
      h.update(c);
      tar.push(c);
      if (tar.trailingBytes > limits.maxTrailingBytes) throw limitError(what, 'maxTrailingBytes', limits.maxTrailingBytes, `more than ${limits.maxTrailingBytes} bytes after the end of the tar`);
    },
    { maxBytes: limits.maxLayerBytes, what },
  );
  d.push(blob);
  d.finish();
  tar.finish();
  const diffId = h.digest() as DiffID;
  if (expect.diffId && diffId !== expect.diffId) throw diffIdMismatch(what, expect.diffId, diffId);
  return { tree: builder.tree, diffId, uncompressedSize: h.size, compression: d.compression };
}

function diffIdMismatch(what: string, expected: DiffID, actual: DiffID): LayerlabError {
  return new LayerlabError('image/digest-mismatch', `${what}: uncompressed content has diff_id ${actual}, config says ${expected}`, {
    data: { expected, actual, kind: 'diff_id' },
  });
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
