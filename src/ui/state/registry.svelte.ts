/**
 * The Registry tab: the lab's registries (docker.io from the catalog, localhost:5000 and any other
 * that appears on first push) with their repositories, tags and blobs (each blob once, however
 * many tags point to it), and push/pull with per-layer progress from the engine's transfer events
 * and docker's output lines. Registries live in the engine's store, so `refresh()` on load brings them back.
 */
import type { EngineEvent, RegistrySummary, TransferEvent } from '../../worker/api.ts';
import type { EngineState } from './engine.svelte.ts';
import type { ImagesState } from './images.svelte.ts';

/** One blob of a registry, drawn as one tile. */
export interface BlobTile {
  digest: string;
  size: number;
  kind: 'layer' | 'config';
  /** `repo:tag` names whose manifest lists it. */
  refs: string[];
}

/** One layer's line while pushing or pulling (docker's per-layer status). */
export interface TransferRow {
  digest: string;
  kind: 'layer' | 'config';
  size: number;
  status: string;
}

const STATUS: Record<string, string> = {
  pushed: 'Pushed', exists: 'Layer already exists', mounted: 'Mounted from', downloaded: 'Pull complete', 'already-exists': 'Already exists',
};

export class RegistryState {
  registries = $state.raw<RegistrySummary[]>([]);
  /** Blob tiles per registry host. */
  tiles = $state.raw<Record<string, BlobTile[]>>({});
  transfers = $state.raw<TransferRow[]>([]);
  lines = $state.raw<string[]>([]);
  error = $state('');
  busy = $state(false);
  /** The last push's layers: how many the registry already had (docker's "Layer already exists") and how many were uploaded. */
  lastPush = $state.raw<{ skipped: number; pushed: number } | undefined>(undefined);
  private live = false;

  constructor(private readonly engine: EngineState, private readonly images: ImagesState) {
    engine.listeners.add((e: EngineEvent) => {
      if (e.source === 'registry' && this.live) this.onTransfer(e);
    });
  }

  private onTransfer(e: TransferEvent) {
    const rows = [...this.transfers];
    const i = rows.findIndex((r) => r.digest === e.digest);
    let row: TransferRow | undefined;
    if (e.type === 'blob') row = { digest: e.digest, kind: e.kind, size: e.size, status: e.action === 'mounted' ? `Mounted from ${e.from ?? ''}` : (STATUS[e.action] ?? e.action) };
    else if (e.type === 'progress') row = { digest: e.digest, kind: 'layer', size: e.total ?? rows[i]?.size ?? 0, status: e.status };
    if (!row) return;
    if (i >= 0) rows[i] = row;
    else rows.push(row);
    this.transfers = rows;
  }

  async refresh() {
    const api = await this.engine.api();
    const regs = await api.registries.list();
    const tiles: Record<string, BlobTile[]> = {};
    for (const reg of regs) {
      const byDigest = new Map<string, BlobTile>();
      for (const repo of reg.repositories) {
        for (const t of repo.tags) {
          const ref = `${reg.host}/${repo.name}:${t.tag}`;
          try {
            const m = JSON.parse((await api.registries.inspectManifest(ref)).text) as { config?: { digest: string; size: number }; layers?: { digest: string; size: number }[] };
            const blobs = [...(m.config ? [{ ...m.config, kind: 'config' as const }] : []), ...(m.layers ?? []).map((l) => ({ ...l, kind: 'layer' as const }))];
            for (const b of blobs) {
              const tile = byDigest.get(b.digest) ?? { digest: b.digest, size: b.size, kind: b.kind, refs: [] };
              tile.refs.push(`${repo.name}:${t.tag}`);
              byDigest.set(b.digest, tile);
            }
          } catch {
            // an index (several platforms) or an unreadable manifest: the repository row still shows
          }
        }
      }
      tiles[reg.host] = [...byDigest.values()];
    }
    this.registries = regs;
    this.tiles = tiles;
  }

  private async transfer(what: string, fn: () => Promise<{ lines: string[] }>) {
    this.error = '';
    this.busy = true;
    this.transfers = [];
    this.lines = [];
    this.live = true;
    try {
      const r = await this.engine.track(what, fn);
      this.lines = r.lines;
      await this.refresh();
      await this.images.refresh();
    } catch (e) {
      this.error = `${what}: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.live = false;
      this.busy = false;
    }
  }

  /** `docker tag SOURCE TARGET && docker push TARGET`. */
  push(source: string, target: string) {
    return this.transfer(`pushing ${target}`, async () => {
      const api = await this.engine.api();
      if (source !== target) await api.images.tag(source, target);
      const r = await api.registries.push(target);
      const layers = r.blobs.filter((b) => b.kind === 'layer');
      this.lastPush = { skipped: layers.filter((b) => b.action !== 'pushed').length, pushed: layers.filter((b) => b.action === 'pushed').length };
      return r;
    });
  }

  pull(ref: string) {
    return this.transfer(`pulling ${ref}`, async () => (await this.engine.api()).registries.pull(ref));
  }
}
