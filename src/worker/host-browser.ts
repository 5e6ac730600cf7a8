/**
 * The engine's Host in a browser worker: the store persisted in IndexedDB (so images, the build
 * cache and the user's work survive a reload and a crashed worker), performance.now, WebCrypto
 * randomness, and assets fetched from the app's `public/` folder.
 */
import type { BlobPersistence, Host } from '../engine/host.ts';
import { MemoryPersistence, Mutex, offlineFetcher, silentLog } from '../engine/host.ts';
import { STORE_CHANNEL, STORE_LOCK } from './store-channel.ts';

const DB_NAME = 'layerlab';
const STORE = 'files';

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}


/**
 * A BlobPersistence in one IndexedDB object store keyed by path. Every tab of the lab opens the
 * same database, so each tab's worker is one writer: writes are serialised with the Web Locks API
 * (one lock for the store, held across a read-modify-write), and after releasing it a worker
 * announces the change on a BroadcastChannel so the other tabs re-read the index.
 */
export class IndexedDbPersistence implements BlobPersistence {
  private readonly channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(STORE_CHANNEL) : undefined;
  private readonly listeners = new Set<() => void>();
  private readonly local = new Mutex();

  private constructor(private readonly db: IDBDatabase) {
    this.channel?.addEventListener('message', () => {
      for (const l of this.listeners) l();
    });
  }

  withLock<T>(fn: () => Promise<T>): Promise<T> {
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    // Without Web Locks (very old browsers) writes are still serialised within this tab.
    const held = locks ? () => locks.request(STORE_LOCK, { mode: 'exclusive' }, fn) as Promise<T> : fn;
    return this.local.run(async () => {
      try {
        return await held();
      } finally {
        this.channel?.postMessage('changed');
      }
    });
  }

  watch(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

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
export async function browserHost(baseUrl: string, options: { memoryStore?: boolean } = {}): Promise<Host> {
  let persistence: BlobPersistence;
  try {
    persistence = options.memoryStore ? new MemoryPersistence() : await IndexedDbPersistence.open();
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
