/**
 * The build cache, with BuildKit's rules and an explanation for every decision.
 *
 * A step's cache key is the digest of (parent key, the operation after ARG/ENV expansion, the
 * checksums of its inputs). Inputs are what a COPY/ADD selects from the context or another stage:
 * each file's content and mode (never its mtime, as BuildKit's content checksums ignore it). A miss
 * invalidates every later step of the stage simply because their parent key changes. `--no-cache`
 * skips lookups. The cache is shared by every build of the store and persisted with it.
 *
 * BuildKit does not say *why* it missed; the lab does, by comparing with records that share the
 * parent (same instruction with other inputs → which inputs changed; other instruction → the text
 * that was cached before).
 */
import { digestOf } from '../digest.ts';
import { updateJson, type BlobPersistence } from '../host.ts';

const KEY = 'layerlab/build-cache.json';

/** One cached step result. `diffId` null: the step changed nothing (no layer). */
export interface CacheRecord {
  key: string;
  parentKey: string;
  /** The operation as keyed (instruction after expansion, plus env/user/workdir for RUN). */
  op: string;
  /** Input name → checksum (`sha256:…`), e.g. context files a COPY selected. */
  inputs: Record<string, string>;
  diffId: string | null;
  createdBy: string;
  /** Output a RUN printed, replayed on a cache hit for the classic builder's log. */
  created: number;
  lastUsed: number;
}

/** Why a step hit or missed, as data the UI shows on hover. */
export interface CacheDecision {
  hit: boolean;
  key: string;
  kind: 'hit' | 'no-cache' | 'parent-rebuilt' | 'first-build' | 'instruction-changed' | 'inputs-changed' | 'layer-missing';
  reason: string;
  changes?: { name: string; before?: string; after?: string }[];
  previousOp?: string;
}

const short = (d: string | undefined) => (d ? d.slice(0, 19) + '…' : '');

/** The persisted cache of every build in a store. */
export class BuildCache {
  private records = new Map<string, CacheRecord>();
  /** Keys changed since the last save; `cleared`: every record older than them was pruned. */
  private changed = new Set<string>();
  private cleared = false;

  private constructor(private readonly persistence: BlobPersistence) {}

  static async open(persistence: BlobPersistence): Promise<BuildCache> {
    const c = new BuildCache(persistence);
    const raw = await persistence.get(KEY);
    if (raw) {
      try {
        for (const r of JSON.parse(new TextDecoder().decode(raw)) as CacheRecord[]) c.records.set(r.key, r);
      } catch {
        // A damaged cache only costs rebuilds; start empty rather than fail the build.
      }
    }
    return c;
  }

  /** The key of a step: digest of parent key, operation and inputs (sorted by name). */
  static async keyOf(parentKey: string, op: string, inputs: Record<string, string>): Promise<string> {
    const body = JSON.stringify([parentKey, op, Object.keys(inputs).sort().map((k) => [k, inputs[k]])]);
    return digestOf(new TextEncoder().encode(body));
  }

  get size(): number {
    return this.records.size;
  }

  /**
   * Looks a step up. `parentRebuilt`: the previous step of this stage missed in this build.
   * `layerExists` tells whether a cached layer is still in the store (rmi may have deleted it).
   */
  decide(q: {
    key: string;
    parentKey: string;
    op: string;
    inputs: Record<string, string>;
    noCache: boolean;
    parentRebuilt: boolean;
    layerExists: (diffId: string) => boolean;
  }): { decision: CacheDecision; record?: CacheRecord } {
    const rec = this.records.get(q.key);
    if (q.noCache) return { decision: { hit: false, key: q.key, kind: 'no-cache', reason: '--no-cache: cache lookups disabled' } };
    if (rec && (rec.diffId === null || q.layerExists(rec.diffId))) {
      return { decision: { hit: true, key: q.key, kind: 'hit', reason: 'same parent, same instruction' + (Object.keys(q.inputs).length ? ', same checksum of ' + Object.keys(q.inputs).sort().join(', ') : '') }, record: rec };
    }
    if (rec) return { decision: { hit: false, key: q.key, kind: 'layer-missing', reason: 'the cached layer was deleted from the store (rmi/prune)' } };
    if (q.parentRebuilt) return { decision: { hit: false, key: q.key, kind: 'parent-rebuilt', reason: 'parent step rebuilt' } };
    const siblings = [...this.records.values()].filter((r) => r.parentKey === q.parentKey).sort((a, b) => b.lastUsed - a.lastUsed);
    const sameOp = siblings.find((r) => r.op === q.op);
    if (sameOp) {
      const names = new Set([...Object.keys(sameOp.inputs), ...Object.keys(q.inputs)]);
      const changes = [...names]
        .sort()
        .filter((n) => sameOp.inputs[n] !== q.inputs[n])
        .map((n) => ({ name: n, before: sameOp.inputs[n], after: q.inputs[n] }));
      const shown = changes.slice(0, 3).map((c) =>
        c.before === undefined ? `input ${c.name} added` : c.after === undefined ? `input ${c.name} removed` : `input ${c.name} changed (${short(c.before)} → ${short(c.after)})`,
      );
      const more = changes.length > 3 ? `, and ${changes.length - 3} more` : '';
      return { decision: { hit: false, key: q.key, kind: 'inputs-changed', reason: shown.join(', ') + more, changes } };
    }
    if (siblings.length) {
      return {
        decision: { hit: false, key: q.key, kind: 'instruction-changed', reason: `instruction changed since the cached build (was: ${siblings[0].op.split('\n')[0]})`, previousOp: siblings[0].op },
      };
    }
    return { decision: { hit: false, key: q.key, kind: 'first-build', reason: 'no cached result for this step on this parent (first build)' } };
  }

  /** Records a step result (or refreshes its last use). */
  put(rec: Omit<CacheRecord, 'created' | 'lastUsed'>, now: number): void {
    const old = this.records.get(rec.key);
    this.records.set(rec.key, { ...rec, created: old?.created ?? now, lastUsed: now });
    this.changed.add(rec.key);
  }

  touch(key: string, now: number): void {
    const r = this.records.get(key);
    if (r) {
      r.lastUsed = now;
      this.changed.add(key);
    }
  }

  /** Removes every record (`builder prune -a`). */
  clear(): number {
    const n = this.records.size;
    this.records.clear();
    this.changed.clear();
    this.cleared = true;
    return n;
  }

  /**
   * Writes this process's changes as a read-modify-write under the store lock: records another
   * process or tab added since this cache was opened are kept (and now visible here too).
   */
  async save(): Promise<void> {
    if (!this.changed.size && !this.cleared) return;
    const changed = [...this.changed].map((k) => this.records.get(k)).filter((r): r is CacheRecord => !!r);
    const cleared = this.cleared;
    this.changed.clear();
    this.cleared = false;
    await updateJson<CacheRecord[]>(this.persistence, KEY, (current) => {
      const merged = new Map<string, CacheRecord>();
      if (!cleared && Array.isArray(current)) for (const r of current) merged.set(r.key, r);
      for (const r of changed) merged.set(r.key, r);
      for (const [k, r] of merged) if (!this.records.has(k)) this.records.set(k, r);
      return [...merged.values()];
    });
  }
}
