/**
 * The Registry tab: three columns of blob tiles — this machine (the image being pushed or pulled),
 * the lab's registries (`docker.io` from the catalog, `localhost:5000` and any other that appears on
 * first push; every blob once, however many tags reach it) and the "second machine" (another, empty
 * store in the same page). A push or pull runs in the engine, then its blob events are played back
 * one by one at the lab's animation speed: a blob that moves flies from one column to the other; one
 * the other side already has flashes docker's word ("Layer already exists", "Mounted from shop",
 * "Already exists") and stays put. Deleting a tag marks the blobs no tag reaches any more
 * ("unreferenced", from the engine's gc dry run); garbage collection then removes them and reports
 * the bytes freed. Everything lives in the engine's store, so `refresh()` after a reload brings it back.
 */
import type { RegistryBlob, RegistrySummary } from '../../worker/api.ts';
import type { EngineState } from './engine.svelte.ts';
import type { ImagesState } from './images.svelte.ts';
import type { TeachingState } from './teaching.svelte.ts';
import { transferSteps, transferSummary, type TransferStep } from './transfer-steps.ts';

/** Where tiles sit: this machine, the second machine, or a registry (`registry:localhost:5000`). */
export type ColumnId = 'local' | 'second' | `registry:${string}`;

/** One blob drawn as a tile in a column. */
export interface Tile {
  /** Digest; a local layer not compressed yet is keyed by its DiffID until it is pushed. */
  key: string;
  kind: RegistryBlob['kind'];
  size: number;
  /** The 12-hex ID docker prints for it. */
  label: string;
  /** Tags (registry) or images (machine) that use it. */
  refs: string[];
  /** docker's word for what the last transfer did with it. */
  status?: string;
  /** Bumped to replay the flash of a blob the other side already had. */
  flash: number;
  /** No tag reaches it: the next garbage collection deletes it. */
  unreferenced?: boolean;
  /** Deleted by garbage collection (shown a moment before the tile goes). */
  removed?: boolean;
  /** Where it flies in from, when a transfer brought it. */
  from?: { column: ColumnId; key: string };
}

/** One command's output, as the CLI prints it. */
export interface OutputBlock {
  command: string;
  lines: string[];
}

const short = (d: string) => d.replace(/^sha256:/, '').slice(0, 12);
/** The registry host of a reference (docker's rule: a first component with `.` or `:`, or `localhost`). */
const hostOf = (ref: string) => {
  const first = ref.split('/')[0];
  return ref.includes('/') && (/[.:]/.test(first) || first === 'localhost') ? first : 'docker.io';
};
/** docker's per-layer lines (`<12 hex>: <status>`) among a push's or pull's output lines. */
const isLayerLine = (l: string) => /^[0-9a-f]{12}: /.test(l);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RegistryState {
  registries = $state.raw<RegistrySummary[]>([]);
  columns = $state.raw<Partial<Record<ColumnId, Tile[]>>>({});
  /** What the "This machine" column shows (an image reference). */
  localTitle = $state('');
  /** The second machine's images (`repo:tag`). */
  secondImages = $state.raw<string[]>([]);
  output = $state.raw<OutputBlock[]>([]);
  /** One line on what the last transfer moved and skipped. */
  summary = $state('');
  error = $state('');
  busy = $state(false);
  /** The last push's layers: how many the registry already had (docker's "Layer already exists") and how many were uploaded. */
  lastPush = $state.raw<{ skipped: number; pushed: number } | undefined>(undefined);

  constructor(
    private readonly engine: EngineState,
    private readonly images: ImagesState,
    private readonly teaching: TeachingState,
  ) {}

  /** Pause between two blobs of a playback (0 with reduced motion or instant speed). */
  get stepMs(): number {
    return this.teaching.animationMs;
  }

  /** How long a tile flies (0: no flight, the status still changes). */
  get flightMs(): number {
    return this.teaching.animationMs * 2;
  }

  private set(column: ColumnId, tiles: Tile[]) {
    this.columns = { ...this.columns, [column]: tiles };
  }

  private tilesOf(column: ColumnId): Tile[] {
    return this.columns[column] ?? [];
  }

  /** Replaces a column's tiles, keeping the statuses the last transfer left on tiles still there. */
  private merge(column: ColumnId, fresh: Tile[]) {
    const old = new Map(this.tilesOf(column).map((t) => [t.key, t]));
    this.set(column, fresh.map((t) => ({ ...t, status: old.get(t.key)?.status, flash: old.get(t.key)?.flash ?? 0 })));
  }

  async refresh() {
    const api = await this.engine.api();
    const regs = await api.registries.list();
    for (const reg of regs) {
      if (!reg.repositories.length && reg.host === 'docker.io') continue;
      const blobs = await api.registries.blobs(reg.host);
      this.merge(`registry:${reg.host}`, blobs.map((b) => ({ key: b.digest, kind: b.kind, size: b.size, label: short(b.digest), refs: b.refs, unreferenced: b.unreferenced, flash: 0 })));
    }
    this.registries = regs;
    await this.refreshSecond();
  }

  /** The second machine's images and the blobs they use (each once). */
  async refreshSecond() {
    const second = (await this.engine.api()).second;
    const list = (await second.images.list()).filter((i) => i.repository !== '<none>');
    const tiles = new Map<string, Tile>();
    const add = (key: string, kind: Tile['kind'], size: number, ref: string) => {
      const t = tiles.get(key) ?? { key, kind, size, label: short(key), refs: [], flash: 0 };
      if (!t.refs.includes(ref)) t.refs.push(ref);
      tiles.set(key, t);
    };
    for (const img of list) {
      const ref = `${img.repository}:${img.tag}`;
      add(img.imageId, 'config', 0, ref);
      for (const l of await second.images.layers(img.imageId)) add(l.digest ?? l.diffId, 'layer', l.compressedSize ?? l.size, ref);
    }
    this.secondImages = list.map((i) => `${i.repository}:${i.tag}`);
    this.merge('second', [...tiles.values()]);
  }

  /** Shows `ref`'s config and layers in the "This machine" column (what a push would send). */
  async showLocal(ref: string) {
    const api = await this.engine.api();
    const img = this.images.images.find((i) => `${i.repository}:${i.tag}` === ref);
    if (!img) return;
    const layers = await api.images.layers(ref);
    this.localTitle = ref;
    this.set('local', [
      { key: img.imageId, kind: 'config', size: 0, label: short(img.imageId), refs: [ref], flash: 0 },
      ...layers.map((l) => ({ key: l.diffId, kind: 'layer' as const, size: l.compressedSize ?? l.size, label: short(l.diffId), refs: [ref], flash: 0 })),
    ]);
  }

  /** Runs one registry operation: busy, status line, errors shown, statuses of the previous one cleared. */
  private async run(what: string, fn: () => Promise<void>) {
    this.error = '';
    this.busy = true;
    this.summary = '';
    for (const [c, tiles] of Object.entries(this.columns)) this.set(c as ColumnId, (tiles ?? []).map((t) => ({ ...t, status: undefined, from: undefined })));
    try {
      await this.engine.track(what, fn);
    } catch (e) {
      this.error = `${what}: ${e instanceof Error ? e.message : String(e)}`;
      // A push refused before any blob moved (`denied`): its layers are no longer being prepared.
      this.set('local', this.tilesOf('local').map((t) => (t.status === 'Preparing' ? { ...t, status: undefined } : t)));
    } finally {
      this.busy = false;
    }
  }

  /** Gives tile `key` of `column` a status (and a flash), or adds it (flying in from `from`). */
  private mark(column: ColumnId, key: string, patch: Partial<Tile>, add?: Tile) {
    const tiles = this.tilesOf(column);
    const i = tiles.findIndex((t) => t.key === key);
    if (i >= 0) this.set(column, tiles.map((t, j) => (j === i ? { ...t, ...patch, flash: t.flash + 1 } : t)));
    else if (add) this.set(column, [...tiles, { ...add, ...patch }]);
  }

  /**
   * Shows `command`'s output as far as the playback got: the header, the lines of the first
   * `layers` layers, and the closing lines once every blob has played (`layers` undefined).
   */
  private reveal(command: string, lines: string[], layers?: number) {
    const layerLines = lines.filter(isLayerLine);
    const shown = layers === undefined ? lines : [...lines.slice(0, lines.findIndex(isLayerLine) < 0 ? 1 : lines.findIndex(isLayerLine)), ...layerLines.slice(0, layers)];
    this.output = [{ command, lines: shown }];
  }

  /** Plays a transfer's steps: each blob in turn, paced by the lab's animation speed, its output line with it. */
  private async play(steps: TransferStep[], from: ColumnId, to: ColumnId, ref: string, out: { command: string; lines: string[] }) {
    let layers = 0;
    this.reveal(out.command, out.lines, 0);
    for (const s of steps) {
      if (s.kind === 'layer') this.reveal(out.command, out.lines, ++layers);
      const fromKey = from === 'local' ? (s.diffId ?? s.digest) : s.digest;
      // Registries and pulled stores name a blob by its digest; a push's local side by the DiffID, as docker push prints.
      const tile: Tile = { key: s.digest, kind: s.kind, size: s.size, label: short(s.digest), refs: [ref], flash: 0 };
      if (from === 'local') this.mark('local', fromKey, { status: s.status });
      else if (s.moved) this.mark(from, fromKey, { status: 'Sent' });
      this.mark(to, s.digest, { status: s.status }, s.moved ? { ...tile, from: { column: from, key: fromKey } } : tile);
      if (this.stepMs) await sleep(this.stepMs);
    }
    if (this.flightMs) await sleep(this.flightMs);
    this.reveal(out.command, out.lines);
  }

  /** `docker tag SOURCE TARGET && docker push TARGET`, played back tile by tile. */
  push(source: string, target: string) {
    return this.run(`pushing ${target}`, async () => {
      const api = await this.engine.api();
      if (source !== target) await api.images.tag(source, target);
      await this.images.refresh();
      await this.showLocal(target);
      const host = hostOf(target);
      if (!this.registries.some((x) => x.host === host)) {
        // A registry appearing on first push gets its (empty) column before the tiles fly there.
        this.registries = [...this.registries, { host, repositories: [], available: [], blobCount: 0, blobBytes: 0 }];
        this.set(`registry:${host}`, []);
      }
      // docker push's first status for every layer, while the engine compresses and uploads.
      this.set('local', this.tilesOf('local').map((t) => ({ ...t, status: 'Preparing' })));
      this.output = [{ command: `docker push ${target}`, lines: [] }];
      const r = await api.registries.push(target);
      const layers = r.blobs.filter((b) => b.kind === 'layer');
      this.lastPush = { skipped: layers.filter((b) => b.action !== 'pushed').length, pushed: layers.filter((b) => b.action === 'pushed').length };
      const steps = transferSteps(r.blobs);
      await this.play(steps, 'local', `registry:${host}`, target, { command: `docker push ${target}`, lines: r.lines });
      this.summary = `Push: ${transferSummary(steps)}`;
      await this.refresh();
    });
  }

  /**
   * `docker pull [--platform P] REF` onto this machine or the second machine, played back tile by
   * tile; no platform is the engine's default (linux/amd64), as docker's on an amd64 host.
   */
  pull(ref: string, onto: 'local' | 'second' = 'local', platform?: string) {
    const command = `docker pull ${platform ? `--platform ${platform} ` : ''}${ref}${onto === 'second' ? '  (on the second machine)' : ''}`;
    return this.run(`pulling ${ref}${onto === 'second' ? ' onto the second machine' : ''}`, async () => {
      const api = await this.engine.api();
      this.output = [{ command, lines: [] }];
      const opts = platform ? { platform } : {};
      const r = onto === 'second' ? await api.second.registries.pull(ref, opts) : await api.registries.pull(ref, opts);
      const host = r.reference.split('/')[0];
      const steps = transferSteps(r.blobs);
      if (onto === 'local') {
        // The column shows the pulled image: what this machine already had is there from the start.
        this.localTitle = ref;
        this.set('local', steps.filter((s) => !s.moved).map((s) => ({ key: s.digest, kind: s.kind, size: s.size, label: s.shortId, refs: [ref], flash: 0 })));
      }
      await this.play(steps, `registry:${host}`, onto, ref, { command, lines: r.lines });
      this.summary = `Pull onto ${onto === 'second' ? 'the second machine' : 'this machine'}: ${r.blobs.length ? transferSummary(steps) : 'the image was already there, nothing moved'}`;
      await this.refresh();
      await this.images.refresh();
    });
  }

  /** Deletes `repo:tag` in `host`, then shows which blobs no tag reaches any more (gc's dry run). */
  deleteTag(host: string, repo: string, tag: string) {
    const ref = `${host}/${repo}:${tag}`;
    return this.run(`deleting tag ${ref}`, async () => {
      const api = await this.engine.api();
      const lines = await api.registries.deleteTag(ref);
      const dry = await api.registries.gc(host, { dryRun: true });
      this.output = [{ command: `layerlab registry rm-tag ${ref}`, lines }, { command: `layerlab registry gc --dry-run ${host}`, lines: dry.lines }];
      await this.refresh();
    });
  }

  /** Garbage-collects `host`: the unreferenced tiles are marked deleted, then go. */
  collectGarbage(host: string) {
    return this.run(`garbage-collecting ${host}`, async () => {
      const api = await this.engine.api();
      const res = await api.registries.gc(host);
      const gone = new Set<string>(res.blobsDeleted);
      const column: ColumnId = `registry:${host}`;
      this.set(column, this.tilesOf(column).map((t) => (gone.has(t.key) ? { ...t, removed: true, status: 'Deleted', flash: t.flash + 1 } : t)));
      this.output = [{ command: `layerlab registry gc ${host}`, lines: res.lines }];
      this.summary = `Garbage collection: ${res.blobsDeleted.length} blob${res.blobsDeleted.length === 1 ? '' : 's'} removed, ${res.bytesFreed} bytes freed`;
      await sleep(Math.max(this.stepMs * 4, 0));
      await this.refresh();
    });
  }

  /** Empties the second machine (every image removed), to replay a lesson. */
  resetSecond() {
    return this.run('emptying the second machine', async () => {
      const second = (await this.engine.api()).second;
      const refs = (await second.images.list({ all: true })).map((i) => i.imageId);
      if (refs.length) await second.images.remove([...new Set(refs)], { force: true });
      this.output = [];
      await this.refreshSecond();
    });
  }
}
