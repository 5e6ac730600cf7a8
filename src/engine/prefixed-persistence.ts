/**
 * A BlobPersistence that keeps its files under a prefix of another one: how the lab's "second
 * machine" has its own image store (`machines/second/index.json`, `machines/second/blobs/…`) in the
 * same IndexedDB database as the first, so it survives a reload the same way.
 *
 * Simulation: the two machines share one database; the second one's writes are serialised within
 * the process (withStoreLock's per-object mutex), not across tabs, because nesting the base's lock
 * (a store write on one machine while the other holds it) could deadlock a non-re-entrant lock.
 */
import type { BlobPersistence } from './host.ts';

/** `base`'s keys under `prefix`, seen without it. */
export class PrefixedPersistence implements BlobPersistence {
  constructor(
    private readonly base: BlobPersistence,
    readonly prefix: string,
  ) {
    if (!prefix.endsWith('/')) throw new Error(`a persistence prefix ends with "/": ${prefix}`);
  }

  get(key: string) {
    return this.base.get(this.prefix + key);
  }

  put(key: string, bytes: Uint8Array) {
    return this.base.put(this.prefix + key, bytes);
  }

  delete(key: string) {
    return this.base.delete(this.prefix + key);
  }

  async list(prefix: string) {
    return (await this.base.list(this.prefix + prefix)).map((k) => k.slice(this.prefix.length));
  }

  watch(listener: () => void): () => void {
    return this.base.watch?.(listener) ?? (() => undefined);
  }
}
