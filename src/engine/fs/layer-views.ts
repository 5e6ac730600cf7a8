/**
 * What the lab's inspector shows of a stack of layers (bottom first), computed from the layer
 * trees themselves:
 *
 * - `layerChanges`: one layer's entries with dive-like markers, told apart against the merged view
 *   of the layers below it: `+` added, `~` modified (a whole new copy of a lower file: overlayfs
 *   and image layers have no partial files), `x` whiteout, `▦` opaque directory, `→` symlink,
 *   `⇄` hard link.
 * - `mergedEntries`: the filesystem a container of the image (up to a layer) sees, each entry
 *   tagged with the layer that provides it.
 * - `fileHistory`: every version of one path down the stack ("layer 1 (1.2 kB), replaced in
 *   layer 4 (1.3 kB)").
 * - `compareStacks`: shared layers, then per path what was added, removed or changed.
 *
 * All walks are iterative over sorted names, so deep trees cannot overflow the call stack.
 */
import { sameContent } from './content.ts';
import { Inode, compareNames, isWhiteout, type Entry, type InodeType, type LayerTree } from './layer-tree.ts';
import { LowerStack, type LowerEntry } from './lower-stack.ts';

/** The marker of a change, as the inspector prints it (never colour alone). */
export type ChangeMarker = '+' | '~' | 'x' | '▦' | '→' | '⇄';

/** One entry of a layer's changes. */
export interface LayerChange {
  path: string;
  marker: ChangeMarker;
  /** What the entry is; `whiteout` for a deletion marker. */
  type: InodeType | 'whiteout' | 'hardlink';
  /** True when the entry replaces or (for `x`) hides something the layers below show. */
  replaces: boolean;
  /** For `~` and `x`: the layer whose entry it replaces or hides. */
  lowerLayer?: number;
  /** For `~` and `x` on files: the size of the lower copy. */
  lowerSize?: number;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  linkTarget?: string;
}

/** One layer's changes against the layers below it. `layers` bottom first; `index` the layer to show. */
export function layerChanges(layers: readonly LayerTree[], index: number): LayerChange[] {
  const below = new LowerStack(layers.slice(0, index));
  const tree = layers[index];
  const out: LayerChange[] = [];
  const firstName = new Map<Inode, string>();
  for (const [path, e] of tree.walk()) {
    const lower = below.get(path);
    if (isWhiteout(e)) {
      out.push({
        path, marker: 'x', type: 'whiteout', replaces: !!lower, lowerLayer: lower?.layer, lowerSize: lower ? lowerBytes(below, path, lower) : undefined,
        size: 0, mode: 0, uid: 0, gid: 0,
      });
      continue;
    }
    const base = { size: e.size, mode: e.mode, uid: e.uid, gid: e.gid };
    const seen = firstName.get(e);
    if (seen !== undefined && e.type !== 'dir') {
      out.push({ path, marker: '⇄', type: 'hardlink', replaces: !!lower, lowerLayer: lower?.layer, linkTarget: seen, ...base, size: 0 });
      continue;
    }
    firstName.set(e, path);
    if (e.type === 'dir' && e.opaque) {
      out.push({ path, marker: '▦', type: 'dir', replaces: !!lower, lowerLayer: lower?.layer, ...base });
      continue;
    }
    if (e.type === 'symlink') {
      out.push({ path, marker: '→', type: 'symlink', replaces: !!lower, lowerLayer: lower?.layer, linkTarget: e.target, ...base });
      continue;
    }
    // A directory present below is only a parent of changes ("~" with no bytes copied); anything else present below was replaced whole.
    const modified = !!lower;
    out.push({
      path, marker: modified ? '~' : '+', type: e.type, replaces: modified, lowerLayer: lower?.layer,
      lowerSize: lower && lower.inode.type === 'file' ? lower.inode.size : undefined, ...base,
    });
  }
  return out;
}

/** Bytes of files at or below `path` in the merged lower view (what a whiteout hides). */
function lowerBytes(below: LowerStack, path: string, e: LowerEntry): number {
  if (e.inode.type !== 'dir') return e.inode.size;
  let n = 0;
  const stack = [path];
  while (stack.length) {
    const dir = stack.pop()!;
    for (const name of below.childrenOf(dir)) {
      const p = dir === '/' ? `/${name}` : `${dir}/${name}`;
      const c = below.get(p)!;
      if (c.inode.type === 'dir') stack.push(p);
      else if (c.inode.type === 'file') n += c.inode.size;
    }
  }
  return n;
}

/** One visible entry of the merged view and the layer that provides it. */
export interface MergedEntry {
  path: string;
  layer: number;
  type: InodeType;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  linkTarget?: string;
}

/** The merged view of layers [0..upTo] (as a container of that image sees it), parents before children. */
export function mergedEntries(layers: readonly LayerTree[], upTo = layers.length - 1): MergedEntry[] {
  const stack = new LowerStack(layers.slice(0, upTo + 1));
  const out: MergedEntry[] = [];
  const todo = ['/'];
  while (todo.length) {
    const dir = todo.pop()!;
    const names = stack.childrenOf(dir);
    const subdirs: string[] = [];
    for (const name of names) {
      const p = dir === '/' ? `/${name}` : `${dir}/${name}`;
      const e = stack.get(p)!;
      const i = e.inode;
      out.push({ path: p, layer: e.layer, type: i.type, size: i.size, mode: i.mode, uid: i.uid, gid: i.gid, linkTarget: i.type === 'symlink' ? i.target : undefined });
      if (i.type === 'dir') subdirs.push(p);
    }
    for (let k = subdirs.length - 1; k >= 0; k--) todo.push(subdirs[k]);
  }
  // The stack pops give depth-first order per directory; restore a global parents-first, sorted order.
  return out.sort((a, b) => compareNames(a.path, b.path));
}

/** One version of a path in the stack. */
export interface FileVersion {
  layer: number;
  /** added: first appears; replaced: a new copy over a lower one; deleted: a whiteout; hidden: under an opaque dir or replaced parent. */
  change: 'added' | 'replaced' | 'deleted' | 'hidden';
  type?: InodeType;
  size: number;
  /** True for the version a container of the whole image sees. */
  visible: boolean;
}

/** Every version of `path` down the stack, bottom first. */
export function fileHistory(layers: readonly LayerTree[], path: string): FileVersion[] {
  const out: FileVersion[] = [];
  const parts = path.split('/').filter(Boolean);
  let present = false;
  layers.forEach((tree, li) => {
    // An ancestor whited out, replaced by a non-directory, or made opaque hides the path in this layer.
    let cur: Entry | undefined = tree.root;
    for (let k = 0; k < parts.length; k++) {
      if (!(cur instanceof Inode) || !cur.children) {
        cur = undefined;
        break;
      }
      const next: Entry | undefined = cur.children.get(parts[k]);
      if (k < parts.length - 1 && present) {
        const hidesBelow = isWhiteout(next) || (next instanceof Inode && (next.type !== 'dir' || next.opaque));
        if (hidesBelow) {
          out.push({ layer: li, change: 'hidden', size: 0, visible: false });
          present = false;
          if (!(next instanceof Inode) || next.type !== 'dir') return;
        }
      }
      cur = next;
    }
    if (cur === undefined) return;
    if (isWhiteout(cur)) {
      if (present) out.push({ layer: li, change: 'deleted', size: 0, visible: false });
      present = false;
      return;
    }
    out.push({ layer: li, change: present ? 'replaced' : 'added', type: cur.type, size: cur.size, visible: false });
    present = true;
  });
  if (present) {
    for (let k = out.length - 1; k >= 0; k--) {
      if (out[k].change === 'added' || out[k].change === 'replaced') {
        out[k].visible = true;
        break;
      }
    }
  }
  return out;
}

/** The difference between two stacks, for "why is my image bigger now". */
export interface StackComparison {
  /** Number of bottom layers both stacks share (same diff IDs in the same order). */
  sharedLayers: number;
  added: { path: string; size: number }[];
  removed: { path: string; size: number }[];
  changed: { path: string; sizeBefore: number; sizeAfter: number }[];
  /** Content bytes of each stack's layers, bottom first. */
  layerSizes: { a: number[]; b: number[] };
  sizeDelta: number;
}

/** Compares stack `a` with stack `b` (each with its layers' diff IDs), path by path in the merged views. */
export function compareStacks(a: { diffIds: readonly string[]; layers: readonly LayerTree[] }, b: { diffIds: readonly string[]; layers: readonly LayerTree[] }): StackComparison {
  let shared = 0;
  while (shared < a.diffIds.length && shared < b.diffIds.length && a.diffIds[shared] === b.diffIds[shared]) shared++;
  const ma = new Map(mergedEntries(a.layers).map((e) => [e.path, e]));
  const mb = new Map(mergedEntries(b.layers).map((e) => [e.path, e]));
  const out: StackComparison = {
    sharedLayers: shared, added: [], removed: [], changed: [],
    layerSizes: { a: a.layers.map((t) => t.contentSize), b: b.layers.map((t) => t.contentSize) }, sizeDelta: 0,
  };
  for (const [p, eb] of mb) {
    const ea = ma.get(p);
    if (!ea) out.added.push({ path: p, size: eb.size });
    else if (ea.type !== 'dir' || eb.type !== 'dir') {
      const ia = a.layers[ea.layer];
      const ib = b.layers[eb.layer];
      // Same layer blob underneath (a shared layer) means the same entry; otherwise compare what is visible.
      const same = (ea.layer < shared && eb.layer === ea.layer) || (ia === ib && ea.layer === eb.layer) || sameEntry(ea, eb, a.layers, b.layers);
      if (!same) out.changed.push({ path: p, sizeBefore: ea.size, sizeAfter: eb.size });
    }
  }
  for (const [p, ea] of ma) if (!mb.has(p)) out.removed.push({ path: p, size: ea.size });
  out.sizeDelta = out.layerSizes.b.reduce((x, y) => x + y, 0) - out.layerSizes.a.reduce((x, y) => x + y, 0);
  return out;
}

function sameEntry(ea: MergedEntry, eb: MergedEntry, la: readonly LayerTree[], lb: readonly LayerTree[]): boolean {
  if (ea.type !== eb.type || ea.size !== eb.size || ea.mode !== eb.mode || ea.uid !== eb.uid || ea.gid !== eb.gid || ea.linkTarget !== eb.linkTarget) return false;
  if (ea.type !== 'file') return true;
  const ia = la[ea.layer].get(ea.path);
  const ib = lb[eb.layer].get(eb.path);
  if (!(ia instanceof Inode) || !(ib instanceof Inode)) return false;
  return sameContent(ia.content, ib.content);
}
