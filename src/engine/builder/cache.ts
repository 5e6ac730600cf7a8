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
  /** The instruction cached before on the same parent (kind 'instruction-changed'). */
  previousOp?: string;
}

/** `a, b and c` / `a, b and 4 more files`: input names as a student reads them. */
function listNames(names: string[]): string {
  if (names.length === 1) return names[0];
  if (names.length <= 3) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more files`;
}

/**
 * For a RUN whose command is unchanged: which variables (ENV, ARG), user or working directory
 * differ from the cached run, e.g. `MODE changed since the last build (plain → spicy)`.
 */
function envChange(beforeOp: string, afterOp: string): string | undefined {
  let a: { run: string[]; env: [string, string][]; wd: string; user: string };
  let b: typeof a;
  try {
    a = JSON.parse(beforeOp);
    b = JSON.parse(afterOp);
  } catch {
    return undefined;
  }
  if (!a?.run || !b?.run || JSON.stringify(a.run) !== JSON.stringify(b.run)) return undefined;
  const ea = new Map(a.env);
  const eb = new Map(b.env);
  const out: string[] = [];
  for (const k of new Set([...ea.keys(), ...eb.keys()])) {
    if (ea.get(k) !== eb.get(k)) out.push(`${k} changed since the last build (${ea.get(k) ?? 'unset'} → ${eb.get(k) ?? 'unset'})`);
  }
  if (a.wd !== b.wd) out.push(`the working directory changed since the last build (${a.wd} → ${b.wd})`);
  if (a.user !== b.user) out.push(`the user changed since the last build (${a.user || 'root'} → ${b.user || 'root'})`);
  return out.length ? `same command, but ${out.join(', ')}` : undefined;
}

/** A cached step's instruction as the Dockerfile spelled it (its history text), never the internal key. */
function instructionText(r: CacheRecord): string {
  return r.createdBy.replace(/ # buildkit$/, '').replace(/^RUN \|\d+ (?:\S+=\S* )*/, 'RUN ').replace(/^RUN \/bin\/sh -c /, 'RUN ').split('\n')[0];
}

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
    if (q.noCache) return { decision: { hit: false, key: q.key, kind: 'no-cache', reason: '--no-cache: the cache was not consulted, so every step runs again' } };
    const inputNames = Object.keys(q.inputs).sort();
    if (rec && (rec.diffId === null || q.layerExists(rec.diffId))) {
      const same = inputNames.length ? `, same content of ${listNames(inputNames)}` : '';
      return { decision: { hit: true, key: q.key, kind: 'hit', reason: `same parent layer, same instruction${same}` }, record: rec };
    }
    if (rec) return { decision: { hit: false, key: q.key, kind: 'layer-missing', reason: 'the cached layer was deleted from the store (rmi or prune), so the step runs again' } };
    if (q.parentRebuilt) return { decision: { hit: false, key: q.key, kind: 'parent-rebuilt', reason: 'a step before it was rebuilt, so its parent layer is new and it runs again' } };
    const siblings = [...this.records.values()].filter((r) => r.parentKey === q.parentKey).sort((a, b) => b.lastUsed - a.lastUsed);
    const sameOp = siblings.find((r) => r.op === q.op);
    if (sameOp) {
      const names = new Set([...Object.keys(sameOp.inputs), ...inputNames]);
      const changes = [...names]
        .sort()
        .filter((n) => sameOp.inputs[n] !== q.inputs[n])
        .map((n) => ({ name: n, before: sameOp.inputs[n], after: q.inputs[n] }));
      const shown = changes.slice(0, 3).map((c) =>
        c.before === undefined ? `${c.name} is new since the last build` : c.after === undefined ? `${c.name} was removed since the last build` : `${c.name} changed since the last build`,
      );
      const more = changes.length > 3 ? `, and ${changes.length - 3} more files changed` : '';
      return { decision: { hit: false, key: q.key, kind: 'inputs-changed', reason: shown.join(', ') + more, changes } };
    }
    if (siblings.length) {
      const env = envChange(siblings[0].op, q.op);
      if (env) return { decision: { hit: false, key: q.key, kind: 'instruction-changed', reason: env, previousOp: instructionText(siblings[0]) } };
      const before = instructionText(siblings[0]);
      return {
        decision: { hit: false, key: q.key, kind: 'instruction-changed', reason: `the instruction changed since the last build (it was: ${before})`, previousOp: before },
      };
    }
    return { decision: { hit: false, key: q.key, kind: 'first-build', reason: 'first build of this step: nothing is cached for it on this parent layer yet' } };
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
