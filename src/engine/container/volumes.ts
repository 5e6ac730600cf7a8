/**
 * Docker volumes (the `local` driver): data kept outside every container's union, each volume its
 * own LayerTree mounted at a path (see mounted-fs.ts), surviving `docker rm`, shared between the
 * containers that mount it, and never part of `commit` or `export`.
 *
 * Reproduced from moby (`volume/local`, `daemon/volumes.go`):
 * - `-v name:/path` creates the named volume if missing; an image `VOLUME /path` not covered by a
 *   `-v` gets an anonymous volume named by 64 hex characters;
 * - the first time an empty volume is mounted over a path that has content in the image, that
 *   content is copied into the volume (moby `copyExistingContents`, the "volume copy-up");
 * - `volume rm` of a volume a container uses fails: `remove NAME: volume is in use - [ID]`.
 * Persistence: `layerlab/volumes/<name>.json` (metadata) and `<name>.data.json` (a layer recipe).
 */
import { LayerlabError } from '../errors.ts';
import { LayerTree, noteTreeChange } from '../fs/layer-tree.ts';
import { LowerStack } from '../fs/lower-stack.ts';
import { UnionFs } from '../fs/union.ts';
import type { UnionEvent } from '../fs/events.ts';
import type { BlobPersistence } from '../host.ts';
import { recipeToTree, treeToRecipe } from '../image/recipe.ts';
import { mergedTree } from './container.ts';
import type { VolumeInfo, VolumeInspect } from './types.ts';

const PREFIX = 'layerlab/volumes/';
const enc = new TextEncoder();
const dec = new TextDecoder();

interface VolumeMeta {
  name: string;
  created: string;
  anonymous: boolean;
  labels: Record<string, string>;
  /** False until content has been put in it or it was mounted once (copy-up happens only then). */
  initialised: boolean;
}

/** One volume: its metadata and its filesystem (a union over nothing, so its upper layer is all of it). */
export class Volume {
  readonly fs: UnionFs;
  constructor(
    public meta: VolumeMeta,
    readonly data: LayerTree,
    clock: () => number,
    onEvent?: (volume: string, e: UnionEvent) => void,
  ) {
    this.fs = new UnionFs(LowerStack.empty(), { upper: data, clock, onEvent: onEvent && ((e) => onEvent(meta.name, e)) });
  }
  get name(): string {
    return this.meta.name;
  }
  /** Bytes of regular files in the volume (what `system df -v` lists). */
  get size(): number {
    return this.data.contentSize;
  }
  /** True if the volume holds no entries. */
  get isEmpty(): boolean {
    return this.data.root.children!.size === 0;
  }
}

/** Every volume of the runtime, persisted through BlobPersistence; see the module comment. */
export class VolumeStore {
  private readonly volumes = new Map<string, Volume>();

  private constructor(
    private readonly persistence: BlobPersistence,
    private readonly clock: () => number,
    private readonly nowIso: () => string,
    private readonly onEvent?: (volume: string, e: UnionEvent) => void,
  ) {}

  /** Reads every persisted volume. */
  static async open(persistence: BlobPersistence, clock: () => number, nowIso: () => string, onEvent?: (volume: string, e: UnionEvent) => void): Promise<VolumeStore> {
    const s = new VolumeStore(persistence, clock, nowIso, onEvent);
    for (const key of await persistence.list(PREFIX)) {
      if (!key.endsWith('.json') || key.endsWith('.data.json')) continue;
      const raw = await persistence.get(key);
      if (!raw) continue;
      const meta = JSON.parse(dec.decode(raw)) as VolumeMeta;
      const data = await persistence.get(`${PREFIX}${meta.name}.data.json`);
      s.volumes.set(meta.name, new Volume(meta, data ? recipeToTree(data) : new LayerTree(), clock, onEvent));
    }
    return s;
  }

  get(name: string): Volume | undefined {
    return this.volumes.get(name);
  }

  /** The volume or docker's `get NAME: no such volume`. */
  require(name: string): Volume {
    const v = this.volumes.get(name);
    if (!v) throw new LayerlabError('volume/not-found', `Error response from daemon: get ${name}: no such volume`, { data: { name } });
    return v;
  }

  /** Every volume, by name. */
  list(): Volume[] {
    return [...this.volumes.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** `docker volume create [NAME]`: creating an existing volume returns it unchanged, as docker does. */
  async create(name: string, opts: { anonymous?: boolean; labels?: Record<string, string> } = {}): Promise<Volume> {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(name)) {
      throw new LayerlabError(
        'volume/invalid-name',
        `Error response from daemon: create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
        { data: { name } },
      );
    }
    const old = this.volumes.get(name);
    if (old) return old;
    const v = new Volume({ name, created: this.nowIso(), anonymous: !!opts.anonymous, labels: opts.labels ?? {}, initialised: false }, new LayerTree(), this.clock, this.onEvent);
    this.volumes.set(name, v);
    await this.save(v);
    return v;
  }

  /**
   * Mounts a volume over `path` of an image: an empty, never-mounted volume first receives the
   * image's content at that path (moby's copy-up of existing contents).
   */
  async prepareMount(v: Volume, image: UnionFs, path: string): Promise<void> {
    if (v.meta.initialised) return;
    v.meta.initialised = true;
    if (v.isEmpty && image.entryAt(path)?.inode.type === 'dir') {
      const src = mergedTree(image, path);
      const top = src.root.children!.values().next().value;
      if (top && typeof top === 'object' && 'children' in top && top.children) {
        // The copied entries move from the scratch tree to the volume's root (their link counts stay right).
        for (const [name, e] of top.children) v.data.root.children!.set(name, e);
        noteTreeChange(); // a mount of this volume may have looked paths up already
        Object.assign(v.data.root, { mode: top.mode, uid: top.uid, gid: top.gid, mtime: top.mtime });
      }
    }
    await this.save(v);
  }

  /** `docker volume rm`: refuses while `users` (container IDs) mount it. */
  async remove(name: string, users: readonly string[], opts: { force?: boolean } = {}): Promise<void> {
    const v = this.volumes.get(name);
    if (!v) {
      if (opts.force) return;
      this.require(name);
    }
    if (users.length > 0) {
      throw new LayerlabError('volume/in-use', `Error response from daemon: remove ${name}: volume is in use - [${users.join(', ')}]`, { data: { name, users: [...users] } });
    }
    this.volumes.delete(name);
    await this.persistence.delete(`${PREFIX}${name}.json`);
    await this.persistence.delete(`${PREFIX}${name}.data.json`);
  }

  /** Writes a volume's metadata and data. */
  async save(v: Volume): Promise<void> {
    await this.persistence.put(`${PREFIX}${v.name}.data.json`, treeToRecipe(v.data));
    await this.persistence.put(`${PREFIX}${v.name}.json`, enc.encode(JSON.stringify(v.meta)));
  }

  /** The API form of a volume. */
  info(v: Volume, refCount: number): VolumeInfo {
    return { name: v.name, created: v.meta.created, anonymous: v.meta.anonymous, labels: { ...v.meta.labels }, size: v.size, refCount };
  }

  /** `docker volume inspect` JSON. */
  inspect(v: Volume): VolumeInspect {
    return {
      CreatedAt: v.meta.created,
      Driver: 'local',
      Labels: Object.keys(v.meta.labels).length ? { ...v.meta.labels } : null,
      Mountpoint: `/var/lib/docker/volumes/${v.name}/_data`,
      Name: v.name,
      Options: null,
      Scope: 'local',
    };
  }
}
