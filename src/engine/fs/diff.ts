/**
 * Changes of an upper layer against its lower stack: `dockerDiff` prints what `docker diff` prints,
 * `layerChanges` gives the inspector one row per entry of the layer.
 */
import { Inode, type InodeType, type LayerTree, isWhiteout, TYPE_BITS } from './layer-tree.ts';
import type { LowerStack } from './lower-stack.ts';
import { comparePaths, parentPath } from './path.ts';
import { UnionFs } from './union.ts';

/** One line of `docker diff`: A (added), C (changed), D (deleted). */
export interface DockerChange {
  kind: 'A' | 'C' | 'D';
  path: string;
}

/**
 * `docker diff` for an overlay2 container: moby `archive.OverlayChanges` walks the upperdir in
 * lexical order; a whiteout is D; an opaque directory that exists below is D (moby reports the
 * deleted-and-recreated directory as deleted; its new children follow as A); an entry that exists
 * below is C, except a directory whose mode and mtime are unchanged (only there as a parent); every
 * other entry is A; the parent directory of an A or D is reported C if it was not already.
 * Sorted by path, parents before children.
 *
 * Simulation: "exists below" uses the merged lower view; moby stats each lowerdir separately (so a
 * path whited out in a middle layer but present at the bottom counts as C there, A here).
 */
export function dockerDiff(union: UnionFs): DockerChange[];
export function dockerDiff(upper: LayerTree, lower: LowerStack): DockerChange[];
export function dockerDiff(a: UnionFs | LayerTree, b?: LowerStack): DockerChange[] {
  const [upper, lower] = a instanceof UnionFs ? [a.upper, a.lower] : [a, b!];
  const out: DockerChange[] = [];
  const changedDirs = new Set<string>();
  for (const [path, entry] of upper.walk()) {
    const below = lower.get(path);
    let kind: DockerChange['kind'];
    if (isWhiteout(entry)) kind = 'D';
    else if (entry.type === 'dir' && entry.opaque && below) kind = 'D';
    else if (below) {
      if (entry.type === 'dir' && below.inode.type === 'dir' && sameDirMeta(entry, below.inode)) continue;
      kind = 'C';
    } else kind = 'A';
    if (!isWhiteout(entry) && entry.type === 'dir') changedDirs.add(path);
    if (kind !== 'C') {
      const parent = parentPath(path);
      if (parent !== '/' && !changedDirs.has(parent)) {
        out.push({ kind: 'C', path: parent });
        changedDirs.add(parent);
      }
    }
    out.push({ kind, path });
  }
  return out.sort((x, y) => comparePaths(x.path, y.path));
}

function sameDirMeta(a: Inode, b: Inode): boolean {
  return (TYPE_BITS[a.type] | a.mode) === (TYPE_BITS[b.type] | b.mode) && a.mtime === b.mtime;
}

/** One entry of a layer as the inspector lists it. */
export interface LayerChange {
  path: string;
  /** added: new path; modified: replaces an entry that exists below; deleted: a whiteout; opaque: a directory hiding everything below it. */
  kind: 'added' | 'modified' | 'deleted' | 'opaque';
  /** For `deleted`, the type and size of what the whiteout hides (if anything is below). */
  inodeType: InodeType;
  size: number;
}

/** Every entry of `upper` classified against `lower` (the stack it sits on), in walk order. */
export function layerChanges(upper: LayerTree, lower: LowerStack): LayerChange[] {
  const out: LayerChange[] = [];
  for (const [path, entry] of upper.walk()) {
    const below = lower.get(path);
    if (isWhiteout(entry)) {
      out.push({ path, kind: 'deleted', inodeType: below?.inode.type ?? 'file', size: below?.inode.size ?? 0 });
    } else {
      const kind = entry.type === 'dir' && entry.opaque ? 'opaque' : below ? 'modified' : 'added';
      out.push({ path, kind, inodeType: entry.type, size: entry.size });
    }
  }
  return out;
}
