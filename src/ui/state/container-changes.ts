/**
 * The container layer (upperdir) as the lab draws it: one row per path the container changed,
 * folded from the engine's union events in order (fs/events.ts). Markers never rely on colour:
 * `+` new entry, `~` copied up from a lower layer (the whole file: `bytes`, `fromLayer`),
 * `x` whiteout (the lower entry stays in its layer, still shipped), `▦` opaque directory.
 * Pure, so it is unit-tested.
 */
import type { DockerChange, UnionEvent } from '../../worker/api.ts';

export type ChangeMarker = '+' | '~' | 'x' | '▦';

export interface ContainerChange {
  path: string;
  marker: ChangeMarker;
  /** Size of the entry in the container layer now (for `x`: the hidden lower entry's size). */
  size: number;
  /** For `~`: bytes copied up (the whole lower file). */
  copiedUp?: number;
  /** For `~`: the lower file was deleted and a new one made in its place (`docker cp`, `rm` + write): its size; nothing copied up. */
  replaced?: number;
  /** For `~` and `x`: the lower layer (0 = bottom) the entry came from or still sits in. */
  fromLayer?: number;
  dir?: boolean;
  /** Read from `docker diff` (after a reload): kind known, sizes and layers not. */
  fromDiff?: boolean;
}

/** Folds events into the change map (mutates and returns it). */
export function applyUnionEvents(map: Map<string, ContainerChange>, events: Iterable<UnionEvent>): Map<string, ContainerChange> {
  for (const e of events) {
    const prev = map.get(e.path);
    switch (e.type) {
      case 'created':
        // A path whited out or opaque before and now recreated keeps its stronger marker.
        if (prev?.marker === 'x' && e.inodeType === 'dir') map.set(e.path, { path: e.path, marker: '▦', size: 0, fromLayer: prev.fromLayer, dir: true });
        else if (prev?.marker === 'x') map.set(e.path, { path: e.path, marker: '~', size: e.size, fromLayer: prev.fromLayer, replaced: prev.size });
        else map.set(e.path, { path: e.path, marker: '+', size: e.size, dir: e.inodeType === 'dir' });
        break;
      case 'copied-up':
        map.set(e.path, { path: e.path, marker: '~', size: e.bytes, copiedUp: e.bytes, fromLayer: e.fromLayer, dir: e.inodeType === 'dir' });
        break;
      case 'modified':
        // A new object, so keyed views see the change.
        if (prev) map.set(e.path, { ...prev, size: e.size });
        else map.set(e.path, { path: e.path, marker: '~', size: e.size });
        break;
      case 'whited-out':
        for (const k of [...map.keys()]) if (k.startsWith(e.path + '/')) map.delete(k);
        map.set(e.path, { path: e.path, marker: 'x', size: e.hidden.size, fromLayer: e.hidden.fromLayer, dir: e.hidden.inodeType === 'dir' });
        break;
      case 'made-opaque':
        map.set(e.path, { path: e.path, marker: '▦', size: 0, fromLayer: prev?.fromLayer, dir: true });
        break;
      case 'removed':
        for (const k of [...map.keys()]) if (k === e.path || k.startsWith(e.path + '/')) map.delete(k);
        break;
      case 'metadata-changed':
        break;
    }
  }
  return map;
}

/** Without events (after a reload): the rows `docker diff` implies (A → `+`, C → `~`, D → `x`). */
export function changesFromDiff(diff: DockerChange[]): Map<string, ContainerChange> {
  const marker = { A: '+', C: '~', D: 'x' } as const;
  return new Map(diff.map((d) => [d.path, { path: d.path, marker: marker[d.kind], size: 0, fromDiff: true }]));
}

/** `docker diff` lines: `A /new.txt`. */
export function diffLines(diff: DockerChange[]): string[] {
  return diff.map((d) => `${d.kind} ${d.path}`);
}

/** Rows in path order, for the container slab. */
export function sortedChanges(map: Map<string, ContainerChange>): ContainerChange[] {
  return [...map.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A lower entry hidden by containers' whiteouts or opaque directories: it stays in its layer (and the image size). */
export interface HiddenLowerFile {
  path: string;
  size: number;
  dir: boolean;
  /** `x` deleted (whiteout), `▦` covered by an opaque directory, `~` replaced by a new file. */
  marker: 'x' | '▦' | '~';
  /** The containers whose layer hides it. */
  by: string[];
}

/**
 * Per lower layer (0 = bottom), the entries the given containers deleted or covered, path order:
 * the image's slab keeps drawing them, greyed, since a container layer never changes a lower one.
 * Rows known only from `docker diff` (after a reload) carry no layer and are left out.
 */
export function hiddenLowerFiles(containers: { name: string; changes: readonly ContainerChange[] }[]): Map<number, HiddenLowerFile[]> {
  const byLayer = new Map<number, Map<string, HiddenLowerFile>>();
  for (const c of containers) {
    for (const r of c.changes) {
      const hides = r.marker === 'x' || r.marker === '▦' || (r.marker === '~' && r.replaced !== undefined);
      if (!hides || r.fromLayer === undefined) continue;
      let layer = byLayer.get(r.fromLayer);
      if (!layer) byLayer.set(r.fromLayer, (layer = new Map()));
      const prev = layer.get(r.path);
      if (prev) prev.by.push(c.name);
      else layer.set(r.path, { path: r.path, size: r.replaced ?? r.size, dir: !!r.dir || r.marker === '▦', marker: r.marker as HiddenLowerFile['marker'], by: [c.name] });
    }
  }
  const out = new Map<number, HiddenLowerFile[]>();
  for (const [layer, files] of byLayer) out.set(layer, [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
  return out;
}
