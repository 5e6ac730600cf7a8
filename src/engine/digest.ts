/**
 * Digests as the OCI image spec (descriptor.md#digests) defines them: `sha256:<64 lowercase hex>`.
 *
 * - `Digest`: of bytes as stored (a compressed layer blob, a manifest, a config).
 * - `DiffID`: of an *uncompressed* layer tar; listed in the config's `rootfs.diff_ids`.
 * - `ChainID`: identifies a stack of layers (image-spec config.md#layer-chainid):
 *   ChainID(L0) = DiffID(L0); ChainID(L0..Ln) = sha256(ChainID(L0..Ln-1) + " " + DiffID(Ln)).
 *
 * The three are branded strings so that mixing them fails to compile.
 *
 * Hashing itself comes from the host (`Host.sha256`, installed by `createEngine` with
 * `useSha256`): node:crypto in the CLI. The default, used by the browser and by tests that call
 * these functions directly, is WebCrypto for one-shot digests of large buffers and hash-wasm for
 * incremental hashing and where `crypto.subtle` is missing (outside secure contexts). This module
 * is the only one that imports hash-wasm, and only when the default is actually used.
 */

export type Digest = string & { readonly __brand: 'Digest' };
export type DiffID = string & { readonly __brand: 'DiffID' };
export type ChainID = string & { readonly __brand: 'ChainID' };

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

/** True if `s` is a well-formed sha256 digest string. */
export function isDigest(s: unknown): s is Digest {
  return typeof s === 'string' && DIGEST_RE.test(s);
}

/** Parses a digest string, throwing on anything but `sha256:<64 hex>`. */
export function asDigest(s: string): Digest {
  if (!isDigest(s)) throw new Error(`invalid digest: ${JSON.stringify(s)}`);
  return s;
}

/** The 64-character hex part of a digest. */
export function hexOf(d: Digest | DiffID | ChainID): string {
  return d.slice('sha256:'.length);
}

/** The 12-character short form docker prints in IMAGE ID columns. */
export function shortId(d: Digest | DiffID | ChainID | string): string {
  return d.replace(/^sha256:/, '').slice(0, 12);
}

function toHex(buf: ArrayBuffer): string {
  const b = new Uint8Array(buf);
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

/** A running SHA-256 computation: feed bytes with `update`, finish once with `hex`. */
export interface Sha256State {
  update(chunk: Uint8Array): void;
  /** The 64 lowercase hex digits; the state cannot be used afterwards. */
  hex(): string;
}

/**
 * A SHA-256 implementation, as the host provides it. `oneShot` hashes a whole buffer (may go to a
 * thread pool, as WebCrypto does); `create` starts an incremental hash (streaming, synchronous updates).
 */
export interface Sha256Provider {
  /** Name for benchmarks and diagnostics (`node:crypto`, `webcrypto+hash-wasm`). */
  readonly name: string;
  oneShot(bytes: Uint8Array): Promise<string>;
  create(): Promise<Sha256State>;
}

type WasmModule = typeof import('hash-wasm');
let wasm: Promise<WasmModule> | undefined;
type WasmHasher = Awaited<ReturnType<WasmModule['createSHA256']>>;
let smallHasher: WasmHasher | undefined;
/** Below this size one hash-wasm call beats WebCrypto's round trip to its thread pool (cache keys, context files). */
const SMALL = 64 * 1024;

async function wasmHasher(): Promise<WasmHasher> {
  wasm ??= import('hash-wasm');
  return (await wasm).createSHA256();
}

/** The default provider: WebCrypto for large one-shot digests, hash-wasm (loaded on first use) otherwise. */
export const webSha256: Sha256Provider = {
  name: 'webcrypto+hash-wasm',
  async oneShot(bytes) {
    const subtle = typeof crypto !== 'undefined' ? crypto?.subtle : undefined;
    if (subtle && bytes.length > SMALL) return toHex(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
    smallHasher ??= await wasmHasher();
    // The shared hasher is used synchronously between init and digest, so interleaving cannot occur.
    smallHasher.init();
    smallHasher.update(bytes);
    return smallHasher.digest('hex');
  },
  async create() {
    const h = await wasmHasher();
    h.init();
    return { update: (c) => void h.update(c), hex: () => h.digest('hex') };
  },
};

let provider: Sha256Provider = webSha256;

/**
 * Installs the host's SHA-256 for every digest this module computes. Process-wide: engines in one
 * process share it, which is harmless because every provider computes the same function.
 */
export function useSha256(p: Sha256Provider): void {
  provider = p;
}

/** The provider in use (benchmarks report it). */
export function sha256Provider(): Sha256Provider {
  return provider;
}

/** sha256 of `bytes` as a hex string. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return provider.oneShot(bytes);
}

/** The Digest of stored bytes. */
export async function digestOf(bytes: Uint8Array): Promise<Digest> {
  return `sha256:${await sha256Hex(bytes)}` as Digest;
}

/** The DiffID of an uncompressed layer tar. */
export async function diffIdOf(tar: Uint8Array): Promise<DiffID> {
  return `sha256:${await sha256Hex(tar)}` as DiffID;
}

/** An incremental sha256: feed chunks with `update`, finish with `digest`. */
export interface Hasher {
  update(chunk: Uint8Array): void;
  /** `sha256:<hex>`; the hasher cannot be used afterwards. */
  digest(): string;
  /** Bytes fed so far. */
  readonly size: number;
}

/** Creates an incremental sha256 hasher on the host's provider. */
export async function createHasher(): Promise<Hasher> {
  const h = await provider.create();
  let size = 0;
  return {
    update(chunk) {
      h.update(chunk);
      size += chunk.length;
    },
    digest() {
      return `sha256:${h.hex()}`;
    },
    get size() {
      return size;
    },
  };
}

/** The ChainID of a layer stack given its DiffIDs, bottom first (image-spec config.md). */
export async function chainIdOf(diffIds: readonly DiffID[]): Promise<ChainID> {
  if (diffIds.length === 0) throw new Error('chainIdOf: empty layer stack');
  let chain: string = diffIds[0];
  for (let i = 1; i < diffIds.length; i++) {
    chain = `sha256:${await sha256Hex(new TextEncoder().encode(`${chain} ${diffIds[i]}`))}`;
  }
  return chain as ChainID;
}

/**
 * SHA-1 of `bytes` as hex. Never for content addressing: only where a real tool derives a file name
 * from it and the lab shows that name (apk-tools 2 names its index cache `APKINDEX.<8 hex of the
 * SHA-1 of the index URL>.tar.gz`). Always hash-wasm, loaded on first use.
 */
export async function sha1Hex(bytes: Uint8Array): Promise<string> {
  wasm ??= import('hash-wasm');
  return (await wasm).sha1(bytes);
}
