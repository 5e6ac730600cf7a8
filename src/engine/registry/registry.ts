/**
 * One registry host (`docker.io`, `localhost:5000`) with the shape of the OCI distribution API
 * (distribution-spec spec.md): blobs by digest (HEAD/GET/PUT, cross-repository mount), manifests
 * by tag or digest (GET/PUT/DELETE), `tags/list`, `_catalog`, and an offline garbage collector.
 *
 * Storage follows distribution's filesystem driver (`registry/storage/paths.go`): blobs live once
 * per registry in a content-addressed area, and each repository only holds *links* to them
 * (`_layers/sha256/<hex>`, `_manifests/revisions/sha256/<hex>`, `_manifests/tags/<tag>/current/link`).
 * So a blob shared by two repositories is stored once, and a mount is just a new link. Everything
 * sits under `layerlab/registries/<host>/` in a BlobPersistence, so it survives a reload.
 *
 * Lifecycle: `Registry.open(persistence, host, provider?)` reads the persisted area; a
 * `RepoProvider` (the base catalog for docker.io, see catalog-seed.ts) may fill a repository the
 * first time it is read. Untrusted bytes are checked on the way in: `putBlob` verifies the digest
 * (DIGEST_INVALID), `putManifest` verifies that every referenced blob or manifest is in the
 * repository (MANIFEST_BLOB_UNKNOWN).
 */
import { digestOf, hexOf, isDigest, type DiffID, type Digest } from '../digest.ts';
import { withStoreLock, type BlobPersistence } from '../host.ts';
import { parseIndex } from '../image/image-index.ts';
import { isObject, parseJsonBytes } from '../image/json.ts';
import { parseManifest } from '../image/manifest.ts';
import { INDEX_TYPES, MANIFEST_TYPES } from '../image/media-types.ts';
import { isValidTag } from '../reference.ts';
import { humanSize } from '../units.ts';
import { distributionError } from './errors.ts';

/** A blob the registry re-creates on read instead of storing (see LazyBlob in catalog-seed.ts). */
export interface LazyBlobRecord {
  digest: Digest;
  size: number;
  diffId: DiffID;
  uncompressedSize: number;
  /** Where the provider finds the content again (opaque to the registry). */
  source: Record<string, string | number>;
}

/** Fills repositories on first read and re-creates lazy blobs; docker.io's base catalog is one. */
export interface RepoProvider {
  /**
   * Called once per session before a repository is read by tag or blob; may push content into
   * `registry` (or only declare the repository, see `declareRepository`, and fill tags on demand
   * through `provideTag`).
   */
  provide(registry: Registry, repo: string): Promise<void>;
  /**
   * Called once per session before the repository is read as a whole (tags list, a manifest by
   * digest, deletions): fills everything the provider has. Defaults to `provide`.
   */
  provideAll?(registry: Registry, repo: string): Promise<void>;
  /** Repository names the provider can fill (listed by `_catalog` before they are filled). */
  repositories(): Promise<string[]>;
  /**
   * Fills one tag the repository lacks after `provide` (content the provider seeds only on demand);
   * true if it pushed something.
   */
  provideTag?(registry: Registry, repo: string, tag: string): Promise<boolean>;
  /** The bytes of a lazy blob (the registry checks their digest). */
  materialize(rec: LazyBlobRecord): Promise<Uint8Array>;
}

/** A manifest as `GET /v2/<name>/manifests/<ref>` returns it. */
export interface FetchedManifest {
  digest: Digest;
  mediaType: string;
  bytes: Uint8Array;
}

/** What `gc` removed. */
export interface GcResult {
  /** Manifests no tag reaches any more (distribution's `garbage-collect --delete-untagged`). */
  manifestsDeleted: Digest[];
  blobsDeleted: Digest[];
  bytesFreed: number;
  /** Nothing was deleted (`--dry-run`): the digests above are what would be. */
  dryRun: boolean;
  /**
   * The report, as `layerlab registry gc` prints it: distribution's `manifest eligible for
   * deletion:` / `blob eligible for deletion:` lines, then a summary (with a dry run, distribution's
   * `N blobs marked, M blobs and K manifests eligible for deletion`; else what was deleted and the
   * bytes freed, which distribution does not print).
   */
  lines: string[];
}

interface Repo {
  layers: Set<Digest>;
  manifests: Set<Digest>;
  tags: Map<string, Digest>;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const EMPTY = new Uint8Array(0);
/** Root of every lab registry's area in the BlobPersistence. */
export const REGISTRIES_PREFIX = 'layerlab/registries/';

/** The media type a manifest's bytes declare (or imply), or undefined if it is no manifest. */
export function manifestMediaType(bytes: Uint8Array): string | undefined {
  try {
    const v = parseJsonBytes(bytes, 'manifest');
    if (!isObject(v)) return undefined;
    if (typeof v.mediaType === 'string') return v.mediaType;
    return Array.isArray(v.manifests) ? INDEX_TYPES[0] : MANIFEST_TYPES[0];
  } catch {
    return undefined;
  }
}

/** One registry host; see the module comment. */
export class Registry {
  private readonly root: string;
  private readonly sizes = new Map<Digest, number>();
  private readonly lazy = new Map<Digest, LazyBlobRecord>();
  private readonly repos = new Map<string, Repo>();
  // The provider's work per repository, kept as a promise so that concurrent requests for a
  // repository being provided wait for it instead of finding it missing.
  private readonly provided = new Map<string, Promise<void>>();
  private readonly providedAll = new Map<string, Promise<void>>();
  private readonly manifestTypes = new Map<Digest, string>();

  private constructor(
    private readonly persistence: BlobPersistence,
    readonly host: string,
    private readonly provider?: RepoProvider,
  ) {
    this.root = `${REGISTRIES_PREFIX}${host}/`;
  }

  /** Opens (or creates, empty) the registry `host` stored in `persistence`. */
  static async open(persistence: BlobPersistence, host: string, provider?: RepoProvider): Promise<Registry> {
    const r = new Registry(persistence, host, provider);
    await r.load();
    return r;
  }

  private blobKey = (d: Digest) => `${this.root}blobs/sha256/${hexOf(d)}`;
  private lazyKey = (d: Digest) => `${this.root}lazy/sha256/${hexOf(d)}.json`;
  private repoKey = (repo: string) => `${this.root}repositories/${repo}/`;

  private async load() {
    const p = this.persistence;
    const sizes = await p.get(`${this.root}sizes.json`);
    if (sizes) for (const [d, n] of Object.entries(JSON.parse(dec.decode(sizes)) as Record<string, number>)) this.sizes.set(d as Digest, n);
    for (const k of await p.list(`${this.root}blobs/sha256/`)) {
      const d = `sha256:${k.slice(k.lastIndexOf('/') + 1)}`;
      if (isDigest(d) && !this.sizes.has(d)) this.sizes.set(d, (await p.get(k))?.length ?? 0);
    }
    for (const k of await p.list(`${this.root}lazy/sha256/`)) {
      const b = await p.get(k);
      if (b) {
        const rec = JSON.parse(dec.decode(b)) as LazyBlobRecord;
        this.lazy.set(rec.digest, rec);
      }
    }
    const reposRoot = `${this.root}repositories/`;
    for (const k of await p.list(reposRoot)) {
      const rest = k.slice(reposRoot.length);
      const m = /^(.+?)\/(_layers\/sha256\/([0-9a-f]{64})|_manifests\/revisions\/sha256\/([0-9a-f]{64})|_manifests\/tags\/([^/]+)\/current\/link)$/.exec(rest);
      if (!m) continue;
      const repo = this.repoOf(m[1]);
      if (m[3]) repo.layers.add(`sha256:${m[3]}` as Digest);
      else if (m[4]) repo.manifests.add(`sha256:${m[4]}` as Digest);
      else {
        const d = dec.decode((await p.get(k)) ?? EMPTY);
        if (isDigest(d)) repo.tags.set(m[5], d);
      }
    }
  }

  private repoOf(name: string): Repo {
    let r = this.repos.get(name);
    if (!r) {
      r = { layers: new Set(), manifests: new Set(), tags: new Map() };
      this.repos.set(name, r);
    }
    return r;
  }

  /** Read-modify-write of `sizes.json` under the store lock: sizes other processes recorded are kept. */
  private saveSizes() {
    return withStoreLock(this.persistence, () => this.writeSizes());
  }

  /** `saveSizes` for a caller already holding the lock; `deleted`: digests this process removed. */
  private async writeSizes(deleted: ReadonlySet<Digest> = new Set()) {
    const key = `${this.root}sizes.json`;
    const raw = await this.persistence.get(key);
    const merged = new Map<string, number>(raw ? Object.entries(JSON.parse(dec.decode(raw)) as Record<string, number>) : []);
    for (const [d, n] of this.sizes) merged.set(d, n);
    for (const d of deleted) merged.delete(d);
    const o: Record<string, number> = {};
    for (const [d, n] of [...merged].sort((a, b) => (a[0] < b[0] ? -1 : 1))) o[d] = n;
    await this.persistence.put(key, enc.encode(JSON.stringify(o)));
  }

  /**
   * Lets the provider fill `repo` once per session (docker.io's catalog is seeded here); `all`:
   * the caller reads the repository as a whole, so everything the provider has must be in it.
   */
  private async ensure(repo: string, all = false): Promise<Repo | undefined> {
    const provider = this.provider;
    if (provider) {
      let p = this.provided.get(repo);
      if (!p) this.provided.set(repo, (p = provider.provide(this, repo)));
      await p;
    }
    if (all && provider?.provideAll) {
      let p = this.providedAll.get(repo);
      if (!p) this.providedAll.set(repo, (p = provider.provideAll(this, repo)));
      await p;
    }
    return this.repos.get(repo);
  }

  /** True if `repo` has `tag` now (no provider involved). */
  hasTag(repo: string, tag: string): boolean {
    return this.repos.get(repo)?.tags.has(tag) ?? false;
  }

  /** Makes `repo` exist (empty) without persisting anything: a provider's repository whose tags are filled on demand. */
  declareRepository(repo: string): void {
    this.repoOf(repo);
  }

  private async existingRepo(repo: string, all = false): Promise<Repo> {
    const r = await this.ensure(repo, all);
    if (!r) throw distributionError('NAME_UNKNOWN', { name: repo });
    return r;
  }

  private hasStoredBlob(d: Digest): boolean {
    return this.sizes.has(d) || this.lazy.has(d);
  }

  // ---- blobs ----

  /** `HEAD /v2/<name>/blobs/<digest>`: the blob's size if the repository links it, else undefined. */
  async headBlob(repo: string, digest: Digest): Promise<{ digest: Digest; size: number } | undefined> {
    const r = await this.ensure(repo);
    if (!r?.layers.has(digest) || !this.hasStoredBlob(digest)) return undefined;
    return { digest, size: this.sizes.get(digest) ?? this.lazy.get(digest)!.size };
  }

  /** `GET /v2/<name>/blobs/<digest>`: the bytes; BLOB_UNKNOWN unless the repository links the blob. */
  async getBlob(repo: string, digest: Digest): Promise<Uint8Array> {
    const r = await this.ensure(repo);
    if (!r?.layers.has(digest)) throw distributionError('BLOB_UNKNOWN', { digest });
    return this.readBlob(digest);
  }

  private async readBlob(digest: Digest): Promise<Uint8Array> {
    const lz = this.lazy.get(digest);
    if (lz && this.provider) {
      const bytes = await this.provider.materialize(lz);
      if ((await digestOf(bytes)) !== digest) throw distributionError('DIGEST_INVALID', { digest }, `lazy blob ${digest} re-created with another digest`);
      return bytes;
    }
    const b = this.sizes.has(digest) ? await this.persistence.get(this.blobKey(digest)) : undefined;
    if (!b) throw distributionError('BLOB_UNKNOWN', { digest });
    return b;
  }

  /**
   * A monolithic upload (`POST /v2/<name>/blobs/uploads/` then `PUT …?digest=`): verifies that
   * the bytes hash to `digest` (DIGEST_INVALID), stores them once per registry, links them into
   * the repository (creating it, as distribution does on first upload).
   */
  async putBlob(repo: string, bytes: Uint8Array, digest: Digest): Promise<{ digest: Digest; size: number }> {
    if (!isDigest(digest)) throw distributionError('DIGEST_INVALID', { digest });
    const actual = await digestOf(bytes);
    if (actual !== digest) throw distributionError('DIGEST_INVALID', { digest, actual });
    if (!this.hasStoredBlob(digest)) {
      await this.persistence.put(this.blobKey(digest), bytes);
      this.sizes.set(digest, bytes.length);
      await this.saveSizes();
    }
    await this.link(repo, digest);
    return { digest, size: bytes.length };
  }

  /** Registers a blob the provider re-creates on read (no bytes stored); links it into `repo`. */
  async putLazyBlob(repo: string, rec: LazyBlobRecord): Promise<void> {
    if (!this.hasStoredBlob(rec.digest)) {
      await this.persistence.put(this.lazyKey(rec.digest), enc.encode(JSON.stringify(rec)));
      this.lazy.set(rec.digest, rec);
    }
    await this.link(repo, rec.digest);
  }

  /** The lazy record of a blob, if the registry keeps it lazily. */
  lazyBlob(digest: Digest): LazyBlobRecord | undefined {
    return this.lazy.get(digest);
  }

  private async link(repo: string, digest: Digest) {
    const r = this.repoOf(repo);
    if (r.layers.has(digest)) return;
    r.layers.add(digest);
    await this.persistence.put(`${this.repoKey(repo)}_layers/sha256/${hexOf(digest)}`, EMPTY);
  }

  /**
   * Cross-repository mount (`POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<other>`): true
   * (201 Created) when `fromRepo` links the blob, which is then linked into `repo` without moving
   * a byte; false (202, the client must upload) otherwise.
   */
  async mountBlob(repo: string, digest: Digest, fromRepo: string): Promise<boolean> {
    const from = await this.ensure(fromRepo);
    if (!from?.layers.has(digest) || !this.hasStoredBlob(digest)) return false;
    await this.link(repo, digest);
    return true;
  }

  /** Repositories (other than `except`) that link the blob: where a client could mount it from. */
  reposWithBlob(digest: Digest, except?: string): string[] {
    return [...this.repos].filter(([n, r]) => n !== except && r.layers.has(digest)).map(([n]) => n).sort();
  }

  // ---- manifests ----

  private async resolveRef(r: Repo, repo: string, ref: string): Promise<Digest> {
    const d = isDigest(ref) ? ref : r.tags.get(ref);
    if (!d || !r.manifests.has(d)) throw distributionError('MANIFEST_UNKNOWN', { name: repo, reference: ref });
    return d;
  }

  /** `HEAD /v2/<name>/manifests/<ref>`: the digest, type and size, or undefined. */
  async headManifest(repo: string, ref: string): Promise<{ digest: Digest; mediaType: string; size: number } | undefined> {
    try {
      const m = await this.getManifest(repo, ref);
      return { digest: m.digest, mediaType: m.mediaType, size: m.bytes.length };
    } catch {
      return undefined;
    }
  }

  /** `GET /v2/<name>/manifests/<tag|digest>`; NAME_UNKNOWN or MANIFEST_UNKNOWN when missing. */
  async getManifest(repo: string, ref: string): Promise<FetchedManifest> {
    const r = await this.existingRepo(repo);
    let digest: Digest;
    try {
      digest = await this.resolveRef(r, repo, ref);
    } catch (e) {
      // Content the provider seeds on demand: a tag (RepoProvider.provideTag), or a digest any
      // of its manifests may have (everything it has, once).
      if (isDigest(ref)) {
        if (!this.provider?.provideAll) throw e;
        // Waits for a provideAll under way; once it is done, resolveRef below fails as before.
        await this.ensure(repo, true);
      } else if (!this.provider?.provideTag || !(await this.provider.provideTag(this, repo, ref))) {
        throw e;
      }
      digest = await this.resolveRef(r, repo, ref);
    }
    const bytes = await this.readBlob(digest);
    let mediaType = this.manifestTypes.get(digest);
    if (!mediaType) {
      mediaType = manifestMediaType(bytes) ?? MANIFEST_TYPES[0];
      this.manifestTypes.set(digest, mediaType);
    }
    return { digest, mediaType, bytes };
  }

  /**
   * `PUT /v2/<name>/manifests/<tag|digest>`: checks the bytes parse as `mediaType`, that a digest
   * reference matches them (DIGEST_INVALID), and that every blob (image manifest) or manifest
   * (index) they reference is in the repository (MANIFEST_BLOB_UNKNOWN); then stores the
   * manifest as a blob, links the revision and points the tag at it. Returns its digest.
   */
  async putManifest(repo: string, ref: string, bytes: Uint8Array, mediaType: string): Promise<Digest> {
    const digest = await digestOf(bytes);
    if (isDigest(ref)) {
      if (ref !== digest) throw distributionError('DIGEST_INVALID', { digest: ref, actual: digest });
    } else if (!isValidTag(ref)) throw distributionError('TAG_INVALID', { tag: ref });
    const r = this.repoOf(repo);
    const missing: Digest[] = [];
    try {
      if (INDEX_TYPES.includes(mediaType)) {
        const ix = parseIndex(bytes);
        if (ix.mediaType !== mediaType) throw new Error(`mediaType ${ix.mediaType} does not match ${mediaType}`);
        for (const m of ix.manifests) if (!r.manifests.has(m.digest)) missing.push(m.digest);
      } else if (MANIFEST_TYPES.includes(mediaType)) {
        const m = parseManifest(bytes);
        if (m.mediaType !== mediaType) throw new Error(`mediaType ${m.mediaType} does not match ${mediaType}`);
        for (const d of [m.config, ...m.layers]) if (!r.layers.has(d.digest) || !this.hasStoredBlob(d.digest)) missing.push(d.digest);
      } else {
        throw new Error(`unsupported manifest media type ${mediaType}`);
      }
    } catch (cause) {
      throw distributionError('MANIFEST_INVALID', { reason: (cause as Error).message });
    }
    if (missing.length) throw distributionError('MANIFEST_BLOB_UNKNOWN', { digest: missing[0], missing });
    if (!this.hasStoredBlob(digest)) {
      await this.persistence.put(this.blobKey(digest), bytes);
      this.sizes.set(digest, bytes.length);
      await this.saveSizes();
    }
    this.manifestTypes.set(digest, mediaType);
    if (!r.manifests.has(digest)) {
      r.manifests.add(digest);
      await this.persistence.put(`${this.repoKey(repo)}_manifests/revisions/sha256/${hexOf(digest)}`, EMPTY);
    }
    if (!isDigest(ref)) {
      r.tags.set(ref, digest);
      await this.persistence.put(`${this.repoKey(repo)}_manifests/tags/${ref}/current/link`, enc.encode(digest));
    }
    return digest;
  }

  /** `DELETE /v2/<name>/manifests/<tag>` (distribution-spec 1.1 tag deletion): removes the tag only. */
  async deleteTag(repo: string, tag: string): Promise<Digest> {
    const r = await this.existingRepo(repo, true);
    const d = r.tags.get(tag);
    if (!d) throw distributionError('MANIFEST_UNKNOWN', { name: repo, reference: tag });
    r.tags.delete(tag);
    await this.persistence.delete(`${this.repoKey(repo)}_manifests/tags/${tag}/current/link`);
    return d;
  }

  /** `DELETE /v2/<name>/manifests/<digest>`: removes the revision and every tag pointing at it. */
  async deleteManifest(repo: string, digest: Digest): Promise<void> {
    const r = await this.existingRepo(repo, true);
    if (!r.manifests.has(digest)) throw distributionError('MANIFEST_UNKNOWN', { name: repo, reference: digest });
    for (const [t, d] of [...r.tags]) if (d === digest) await this.deleteTag(repo, t);
    r.manifests.delete(digest);
    await this.persistence.delete(`${this.repoKey(repo)}_manifests/revisions/sha256/${hexOf(digest)}`);
  }

  // ---- listing ----

  /** `GET /v2/<name>/tags/list`: `{name, tags}` with tags sorted; NAME_UNKNOWN for a missing repository. */
  async tagsList(repo: string): Promise<{ name: string; tags: string[] }> {
    const r = await this.existingRepo(repo, true);
    return { name: repo, tags: [...r.tags.keys()].sort() };
  }

  /**
   * `GET /v2/_catalog`: repository names, sorted. Simulation: docker.io lists the catalog's
   * repositories even before they are seeded (Docker Hub itself does not serve `_catalog`).
   */
  async catalog(): Promise<{ repositories: string[] }> {
    const names = new Set([...this.repos.keys()]);
    for (const n of (await this.provider?.repositories()) ?? []) names.add(n);
    return { repositories: [...names].sort() };
  }

  /** The repositories present (no provider involved), with their tags and linked blob counts. */
  repositorySnapshot(): { name: string; tags: { tag: string; digest: Digest }[]; blobs: number }[] {
    return [...this.repos]
      .filter(([, r]) => r.manifests.size > 0 || r.layers.size > 0)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([name, r]) => ({ name, tags: [...r.tags].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([tag, digest]) => ({ tag, digest })), blobs: r.layers.size }));
  }

  /** Blob digests stored (or kept lazily) in this registry's content-addressed area, sorted. */
  blobDigests(): Digest[] {
    return [...new Set([...this.sizes.keys(), ...this.lazy.keys()])].sort();
  }

  /** Bytes of the blobs this registry stores (lazy blobs count at their size). */
  storedBytes(): number {
    let n = 0;
    for (const d of this.blobDigests()) n += this.sizes.get(d) ?? this.lazy.get(d)?.size ?? 0;
    return n;
  }

  /**
   * The mark phase of distribution's `registry garbage-collect --delete-untagged`
   * (`registry/storage/garbagecollect.go`) without the sweep: every manifest a tag reaches (and,
   * for an index, its child manifests) is marked with every blob it names; what stays unmarked is
   * eligible for deletion. Also says what each stored blob is and which tags reach it, for the lab.
   */
  async gcPlan(): Promise<GcPlan> {
    const marked = new Set<Digest>();
    const kinds = new Map<Digest, RegistryBlob['kind']>();
    const refs = new Map<Digest, string[]>();
    const manifestsDeleted: { repo: string; digest: Digest }[] = [];
    const describe = async (name: string, d: Digest, tag: string | undefined, seen: Set<Digest>, mark: boolean) => {
      if (seen.has(d) || !this.hasStoredBlob(d)) return;
      seen.add(d);
      kinds.set(d, 'manifest');
      if (tag) refs.set(d, [...(refs.get(d) ?? []), tag]);
      if (mark) marked.add(d);
      const { mediaType, bytes } = await this.getManifest(name, d);
      if (INDEX_TYPES.includes(mediaType)) {
        for (const m of parseIndex(bytes).manifests) if (this.repos.get(name)?.manifests.has(m.digest)) await describe(name, m.digest, tag, seen, mark);
        return;
      }
      const m = parseManifest(bytes);
      for (const x of [m.config, ...m.layers]) {
        if (!kinds.has(x.digest) || kinds.get(x.digest) === 'blob') kinds.set(x.digest, x === m.config ? 'config' : 'layer');
        if (tag && !(refs.get(x.digest) ?? []).includes(tag)) refs.set(x.digest, [...(refs.get(x.digest) ?? []), tag]);
        if (mark) marked.add(x.digest);
      }
    };
    for (const [name, r] of [...this.repos].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const live = new Set<Digest>();
      for (const [tag, d] of [...r.tags].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        // Each tag walks its own manifest tree so every tag is listed on the blobs it reaches.
        const seen = new Set<Digest>();
        await describe(name, d, `${name}:${tag}`, seen, true);
        for (const x of seen) live.add(x);
      }
      for (const d of [...r.manifests].sort()) {
        if (live.has(d)) continue;
        manifestsDeleted.push({ repo: name, digest: d });
        // Untagged manifests still say what their blobs are (kinds), but mark nothing.
        await describe(name, d, undefined, new Set(), false);
      }
    }
    const blobs: RegistryBlob[] = this.blobDigests().map((digest) => ({
      digest, size: this.sizes.get(digest) ?? this.lazy.get(digest)?.size ?? 0, kind: kinds.get(digest) ?? 'blob',
      refs: refs.get(digest) ?? [], unreferenced: !marked.has(digest),
    }));
    const eligible = blobs.filter((b) => b.unreferenced);
    return {
      marked: [...marked].filter((d) => this.hasStoredBlob(d)).sort(),
      manifestsDeleted: manifestsDeleted.filter((m) => !marked.has(m.digest)),
      blobsDeleted: eligible.map((b) => b.digest),
      bytesFreed: eligible.reduce((n, b) => n + b.size, 0),
      blobs,
    };
  }

  /**
   * Offline garbage collection, as distribution's `registry garbage-collect --delete-untagged`:
   * mark every manifest a tag reaches (and, for an index, its child manifests) and every blob
   * those manifests name; delete unmarked revisions, repository links and blobs. With `dryRun`
   * nothing is deleted (`--dry-run`): the result lists what would be.
   */
  async gc(opts: { dryRun?: boolean } = {}): Promise<GcResult> {
    if (opts.dryRun) return gcResult(await this.gcPlan(), true);
    return withStoreLock(this.persistence, () => this.gcLocked());
  }

  private async gcLocked(): Promise<GcResult> {
    const plan = await this.gcPlan();
    for (const { repo, digest } of plan.manifestsDeleted) {
      this.repos.get(repo)?.manifests.delete(digest);
      await this.persistence.delete(`${this.repoKey(repo)}_manifests/revisions/sha256/${hexOf(digest)}`);
    }
    for (const d of plan.blobsDeleted) {
      if (this.sizes.delete(d)) await this.persistence.delete(this.blobKey(d));
      if (this.lazy.delete(d)) await this.persistence.delete(this.lazyKey(d));
    }
    // Repository links go only after every repository has been marked: a blob may be kept for another.
    for (const [name, r] of this.repos) {
      for (const d of [...r.layers]) {
        if (this.hasStoredBlob(d)) continue;
        r.layers.delete(d);
        await this.persistence.delete(`${this.repoKey(name)}_layers/sha256/${hexOf(d)}`);
      }
    }
    await this.writeSizes(new Set(plan.blobsDeleted));
    return gcResult(plan, false);
  }
}

/** One stored blob of a registry as the lab draws it: what it is, which tags reach it, and whether gc would delete it. */
export interface RegistryBlob {
  digest: Digest;
  size: number;
  /** What a manifest still stored says it is; `blob` when no manifest names it any more. */
  kind: 'manifest' | 'config' | 'layer' | 'blob';
  /** `repo:tag` names that reach it. */
  refs: string[];
  /** No tagged manifest reaches it: the next gc deletes it. */
  unreferenced: boolean;
}

/** The mark phase of gc: what is kept and what would go. */
export interface GcPlan {
  /** Blobs (manifests included) a tagged manifest reaches. */
  marked: Digest[];
  manifestsDeleted: { repo: string; digest: Digest }[];
  blobsDeleted: Digest[];
  bytesFreed: number;
  blobs: RegistryBlob[];
}

function gcResult(plan: GcPlan, dryRun: boolean): GcResult {
  const manifestsDeleted = plan.manifestsDeleted.map((m) => m.digest).sort();
  const lines = [
    ...manifestsDeleted.map((d) => `manifest eligible for deletion: ${d}`),
    ...plan.blobsDeleted.map((d) => `blob eligible for deletion: ${d}`),
    dryRun
      ? `${plan.marked.length} blobs marked, ${plan.blobsDeleted.length} blobs and ${manifestsDeleted.length} manifests eligible for deletion`
      : `${manifestsDeleted.length} manifests and ${plan.blobsDeleted.length} blobs deleted, ${humanSize(plan.bytesFreed)} freed`,
  ];
  return { manifestsDeleted, blobsDeleted: plan.blobsDeleted, bytesFreed: plan.bytesFreed, dryRun, lines };
}
