/**
 * The engine's Host in a browser worker: the store persisted in IndexedDB (so images, the build
 * cache and the user's work survive a reload and a crashed worker), performance.now, WebCrypto
 * randomness, and assets fetched from the app's `public/` folder.
 */
import type { BlobPersistence, Host } from '../engine/host.ts';
import { MemoryPersistence, offlineFetcher, silentLog } from '../engine/host.ts';

const DB_NAME = 'layerlab';
const STORE = 'files';

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** A BlobPersistence in one IndexedDB object store keyed by path. */
export class IndexedDbPersistence implements BlobPersistence {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(name = DB_NAME): Promise<IndexedDbPersistence> {
    const open = indexedDB.open(name, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    return new IndexedDbPersistence(await req(open));
  }
  private tx(mode: IDBTransactionMode) {
    return this.db.transaction(STORE, mode).objectStore(STORE);
  }
  async get(key: string) {
    const v = await req(this.tx('readonly').get(key));
    return v === undefined ? undefined : new Uint8Array(v as ArrayBuffer);
  }
  async put(key: string, bytes: Uint8Array) {
    const copy = bytes.slice().buffer;
    const t = this.db.transaction(STORE, 'readwrite');
    t.objectStore(STORE).put(copy, key);
    await new Promise<void>((resolve, reject) => {
      t.oncomplete = () => resolve();
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  }
  async delete(key: string) {
    await req(this.tx('readwrite').delete(key));
  }
  async list(prefix: string) {
    const keys = (await req(this.tx('readonly').getAllKeys())) as string[];
    return keys.filter((k) => k.startsWith(prefix));
  }
}

/** A Host for the worker; falls back to memory when IndexedDB is unavailable (private windows). */
export async function browserHost(baseUrl: string): Promise<Host> {
  let persistence: BlobPersistence;
  try {
    persistence = await IndexedDbPersistence.open();
  } catch {
    persistence = new MemoryPersistence();
  }
  return {
    clock: { now: () => Date.now(), monotonic: () => performance.now() },
    random: { bytes: (n) => crypto.getRandomValues(new Uint8Array(n)) },
    persistence,
    fetcher: offlineFetcher,
    log: silentLog,
    asset: async (p) => {
      const r = await fetch(new URL(p, new URL(baseUrl, self.location.href)));
      if (!r.ok) throw new Error(`asset ${p}: HTTP ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    },
  };
}
