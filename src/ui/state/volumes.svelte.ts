/**
 * Volumes on the page: `docker volume ls` with sizes, create, rm and prune, and what each volume
 * holds (read once, then folded from the engine's volume events, batched per frame like the
 * container layers), so the lab draws writes through a mount landing in the volume beside the stack, not in
 * the container's writable layer. Volumes live in the engine's store (IndexedDB).
 */
import { FrameBatch } from './frame-batch.ts';
import type { EngineEvent, UnionEvent, VolumeInfo } from '../../worker/api.ts';
import type { EngineState } from './engine.svelte.ts';
import { humanSize } from '../format.ts';
import { applyUnionEvents, sortedChanges, type ContainerChange } from './container-changes.ts';

const EVENTS_PER_FRAME = 3000;

export class VolumesState {
  volumes = $state.raw<VolumeInfo[]>([]);
  /** Entries written into each volume since the page loaded (paths inside the volume), by volume name. */
  changes = $state.raw<Record<string, ContainerChange[]>>({});
  /** Bumped per volume on each batch of writes (the drawing pulses once per bump). */
  pulses = $state.raw<Record<string, number>>({});
  error = $state('');
  message = $state('');

  private maps = new Map<string, Map<string, ContainerChange>>();
  private readonly events = new FrameBatch<{ volume: string; event: UnionEvent }>(EVENTS_PER_FRAME, (batch) => this.fold(batch));
  private readonly seeded = new Set<string>();
  private refreshTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly engine: EngineState) {
    engine.listeners.add((e: EngineEvent) => {
      if (e.source !== 'volume') return;
      this.events.push({ volume: e.volume, event: e.event });
    });
  }

  private fold(batch: { volume: string; event: UnionEvent }[]) {
    const touched = new Set<string>();
    for (const { volume, event } of batch) {
      let map = this.maps.get(volume);
      if (!map) this.maps.set(volume, (map = new Map()));
      applyUnionEvents(map, [event]);
      touched.add(volume);
    }
    if (touched.size) {
      const next = { ...this.changes };
      const pulses = { ...this.pulses };
      for (const v of touched) {
        next[v] = sortedChanges(this.maps.get(v)!);
        pulses[v] = (pulses[v] ?? 0) + 1;
      }
      this.changes = next;
      this.pulses = pulses;
      // Sizes come from the engine; read them once the writes settle.
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => void this.refresh(), 150);
    }
  }

  async refresh() {
    try {
      const api = await this.engine.api();
      this.volumes = await api.containers.volumeLs();
      // Once per volume and page load: its rows from what it holds (events fold on top of them).
      const unseen = this.volumes.filter((v) => !this.seeded.has(v.name));
      for (const v of unseen) this.seeded.add(v.name);
      const seededRows: Record<string, ContainerChange[]> = {};
      for (const v of unseen) {
        const entries = await api.containers.volumeEntries(v.name, { limit: 200 });
        let map = this.maps.get(v.name);
        if (!map) this.maps.set(v.name, (map = new Map()));
        for (const e of entries) if (!map.has(e.path)) map.set(e.path, { path: e.path, marker: '+', size: e.size, dir: e.type === 'dir' });
        if (map.size) seededRows[v.name] = sortedChanges(map);
      }
      if (Object.keys(seededRows).length) this.changes = { ...this.changes, ...seededRows };
    } catch (e) {
      this.error = `volume ls: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  byName(name: string): VolumeInfo | undefined {
    return this.volumes.find((v) => v.name === name);
  }

  private async verb(what: string, fn: () => Promise<string>) {
    try {
      this.message = await this.engine.track(what, fn);
      this.error = '';
    } catch (e) {
      this.error = `${what}: ${e instanceof Error ? e.message : String(e)}`;
    }
    await this.refresh();
  }

  create = (name: string) => this.verb('creating a volume', async () => (await this.engine.api()).containers.volumeCreate(name.trim() || undefined));

  remove(name: string) {
    return this.verb(`removing volume ${name}`, async () => {
      const r = await (await this.engine.api()).containers.volumeRm(name);
      this.forget(name);
      return r;
    });
  }

  /** `docker volume prune` (with `all`: named volumes too), printing docker's report. */
  prune(all: boolean) {
    return this.verb('pruning volumes', async () => {
      const r = await (await this.engine.api()).containers.volumePrune({ all });
      for (const name of r.deleted) this.forget(name);
      return `${r.deleted.length ? `Deleted Volumes:\n${r.deleted.join('\n')}\n\n` : ''}Total reclaimed space: ${humanSize(r.reclaimed)}`;
    });
  }

  private forget(name: string) {
    this.maps.delete(name);
    this.seeded.delete(name);
    const { [name]: _, ...rest } = this.changes;
    this.changes = rest;
  }
}
