/**
 * What the engine needs from its environment. The engine itself touches no DOM, no Node API,
 * no clock and no network: the worker (browser) and the CLI (Node) pass implementations of these
 * interfaces to `createEngine`. Tests pass the in-memory ones defined here.
 */
import type { Sha256Provider } from './digest.ts';
import type { PlatformGunzip } from './image/gzip.ts';

/** Wall-clock time. `now()` is milliseconds since the Unix epoch; `monotonic()` for durations. */
export interface Clock {
  now(): number;
  monotonic(): number;
}

/** Randomness (container IDs, mktemp names). Deterministic in tests. */
export interface Random {
  /** `n` random bytes. */
  bytes(n: number): Uint8Array;
}

/**
 * Durable storage of the store's files, addressed by paths relative to the store root
 * (`oci-layout`, `index.json`, `blobs/sha256/<hex>`, `layerlab/state.json`…).
 *
 * Lifecycle: the engine reads everything it needs at start, then writes through. Writes of one
 * key are atomic (a reader sees the old or the new bytes, never a mix). Blobs are immutable once
 * written, so `put` of an existing blob key may be skipped by the backend.
 */
export interface BlobPersistence {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, bytes: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys that start with `prefix`, in no particular order. */
  list(prefix: string): Promise<string[]>;
}

/** Network access; the lab works offline, so the default fetcher refuses everything. */
export interface Fetcher {
  fetch(url: string): Promise<Uint8Array>;
}

/** Diagnostics for developers (not user-facing output). */
export interface Log {
  debug(msg: string, data?: unknown): void;
  warn(msg: string, data?: unknown): void;
}

/** Everything the engine gets from outside. */
export interface Host {
  /**
   * The platform's fastest SHA-256 (node:crypto in the CLI). Absent: WebCrypto for large one-shot
   * digests and hash-wasm for streaming (the browser's best; see digest.ts).
   */
  sha256?: Sha256Provider;
  /**
   * The platform's one-shot gunzip (node:zlib in the CLI), used only for layers the store already
   * verified and whose size it knows; untrusted input always streams through fflate under limits.
   */
  gunzip?: PlatformGunzip;
  clock: Clock;
  random: Random;
  persistence: BlobPersistence;
  fetcher: Fetcher;
  log: Log;
  /** Loads a static asset shipped with the app (base image catalog data under `public/`). */
  asset(path: string): Promise<Uint8Array>;
}

/** A BlobPersistence kept in a Map: the browser's default before IndexedDB, and tests'. */
export class MemoryPersistence implements BlobPersistence {
  readonly files = new Map<string, Uint8Array>();
  async get(key: string) {
    return this.files.get(key);
  }
  async put(key: string, bytes: Uint8Array) {
    this.files.set(key, bytes);
  }
  async delete(key: string) {
    this.files.delete(key);
  }
  async list(prefix: string) {
    return [...this.files.keys()].filter((k) => k.startsWith(prefix));
  }
}

/** A clock that starts at a fixed instant and advances one second per reading: reproducible tests. */
export function fixedClock(startMs = Date.UTC(2026, 0, 1)): Clock {
  let t = startMs;
  let m = 0;
  return {
    now: () => (t += 1000),
    monotonic: () => (m += 1),
  };
}

/** A seeded pseudo-random source (xorshift32); for tests and reproducible IDs. */
export function seededRandom(seed = 0x9e3779b9): Random {
  let s = seed >>> 0 || 1;
  return {
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        s ^= s << 13;
        s >>>= 0;
        s ^= s >>> 17;
        s ^= s << 5;
        s >>>= 0;
        out[i] = s & 0xff;
      }
      return out;
    },
  };
}

/** A fetcher for the offline lab: every request fails with a clear message. */
export const offlineFetcher: Fetcher = {
  async fetch(url: string) {
    throw new Error(`network access is disabled in the lab (offline): cannot fetch ${url}`);
  },
};

/** A log that drops everything. */
export const silentLog: Log = { debug() {}, warn() {} };
