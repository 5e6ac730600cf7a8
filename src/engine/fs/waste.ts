/**
 * Wasted space in an image: bytes a lower layer ships that no container of the image can see,
 * because a later layer deleted them (whiteout), hid them under an opaque directory, or replaced
 * them with a new copy (a write, `chmod`, `touch` or `chown` copies the whole file up, so the old
 * copy still ships in the layer below).
 *
 * dive (wagoodman/dive `dive/filetree/efficiency.go`) reports a similar figure, but it skips opaque
 * directories and counts a path's size once per layer it appears in, so a file deleted and re-added
 * is counted twice and files hidden by an opaque directory are not counted at all. Here every
 * inode a layer ships is counted once, and it is waste exactly when no name of it is visible in the
 * final merged view:
 *
 *   total      = Σ over layers of the bytes of the regular files the layer ships (hard links once)
 *   wasted     = Σ of those files' bytes that the merged view does not show
 *   efficiency = 1 − wasted / total   (1 when total is 0)
 *
 * The walk is iterative (explicit stacks), so a deep tree cannot overflow the call stack.
 */
import { Inode, isWhiteout, type LayerTree } from './layer-tree.ts';

/** How a lower copy was hidden. */
export type WasteCause = 'whiteout' | 'opaque' | 'replaced';

/** One hidden file: shipped by `layer`, hidden by `hiddenBy` (both 0-based layer indexes, bottom first). */
export interface WastedFile {
  path: string;
  size: number;
  layer: number;
  hiddenBy: number;
  cause: WasteCause;
}

/** Per-layer figures. */
export interface LayerWaste {
  layer: number;
  /** Bytes of the regular files the layer ships (hard-linked inodes once). */
  shipped: number;
  /** Bytes of those files that no container sees. */
  wasted: number;
  /** Bytes of lower layers' files that this layer hides (what its instruction "deleted" or replaced). */
  hides: number;
}

/** The result of analyzeWaste. */
export interface WasteReport {
  total: number;
  wasted: number;
  /** 1 − wasted/total, or 1 for an image without file bytes. */
  efficiency: number;
  layers: LayerWaste[];
  /** Hidden files, largest first. */
  files: WastedFile[];
}

/** A node of the merged view being stacked: which layer's inode is visible at this path. */
interface MergedNode {
  layer: number;
  inode: Inode;
  children?: Map<string, MergedNode>;
}

/** Computes wasted bytes and efficiency for a stack of layers given bottom first. See the module comment. */
export function analyzeWaste(layers: readonly LayerTree[]): WasteReport {
  const root: MergedNode = { layer: -1, inode: new Inode('dir'), children: new Map() };
  /** First hider of a (layer, inode): which layer hid it and how, recorded when it leaves the view. */
  const hidden = new Map<Inode, { path: string; hiddenBy: number; cause: WasteCause }>();

  const hideSubtree = (node: MergedNode, path: string, by: number, cause: WasteCause) => {
    const stack: [MergedNode, string][] = [[node, path]];
    while (stack.length) {
      const [n, p] = stack.pop()!;
      if (n.layer >= 0 && n.inode.type === 'file' && !hidden.has(n.inode)) hidden.set(n.inode, { path: p, hiddenBy: by, cause });
      if (n.children) for (const [name, c] of n.children) stack.push([c, `${p}/${name}`]);
    }
  };

  layers.forEach((tree, li) => {
    // Walk this layer's tree alongside the merged view, parents before children.
    const stack: [Inode, MergedNode, string][] = [[tree.root, root, '']];
    while (stack.length) {
      const [dir, mdir, prefix] = stack.pop()!;
      for (const [name, entry] of dir.children!) {
        const path = `${prefix}/${name}`;
        const below = mdir.children!.get(name);
        if (isWhiteout(entry)) {
          if (below) {
            hideSubtree(below, path, li, 'whiteout');
            mdir.children!.delete(name);
          }
          continue;
        }
        if (entry.type === 'dir') {
          let node = below;
          if (node && node.inode.type === 'dir') {
            node.layer = li;
            node.inode = entry;
            if (entry.opaque) {
              for (const [cn, c] of node.children!) hideSubtree(c, `${path}/${cn}`, li, 'opaque');
              node.children!.clear();
            }
          } else {
            if (node) hideSubtree(node, path, li, 'replaced');
            node = { layer: li, inode: entry, children: new Map() };
            mdir.children!.set(name, node);
          }
          stack.push([entry, node, path]);
          continue;
        }
        if (below) hideSubtree(below, path, li, 'replaced');
        mdir.children!.set(name, { layer: li, inode: entry });
      }
    }
  });

  // Which inodes are still visible under at least one name (a hard link may survive its sibling's deletion).
  const visible = new Set<Inode>();
  const stack: MergedNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.inode.type === 'file') visible.add(n.inode);
    if (n.children) for (const c of n.children.values()) stack.push(c);
  }

  const per: LayerWaste[] = layers.map((_, layer) => ({ layer, shipped: 0, wasted: 0, hides: 0 }));
  const files: WastedFile[] = [];
  layers.forEach((tree, li) => {
    const seen = new Set<Inode>();
    for (const [, e] of tree.walk()) {
      if (!(e instanceof Inode) || e.type !== 'file' || seen.has(e)) continue;
      seen.add(e);
      per[li].shipped += e.size;
      if (visible.has(e)) continue;
      const h = hidden.get(e);
      per[li].wasted += e.size;
      if (h) {
        per[h.hiddenBy].hides += e.size;
        files.push({ path: h.path, size: e.size, layer: li, hiddenBy: h.hiddenBy, cause: h.cause });
      }
    }
  });
  const total = per.reduce((a, l) => a + l.shipped, 0);
  const wasted = per.reduce((a, l) => a + l.wasted, 0);
  files.sort((a, b) => b.size - a.size || a.path.localeCompare(b.path));
  return { total, wasted, efficiency: total === 0 ? 1 : 1 - wasted / total, layers: per, files };
}
