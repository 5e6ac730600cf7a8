/**
 * Changes of an upper layer against its lower stack: `dockerDiff` prints what `docker diff` prints. (The
 * inspector's per-layer markers are in layer-views.ts.)
 */
import { Inode, type LayerTree, TYPE_BITS } from './layer-tree.ts';
import type { LowerStack } from './lower-stack.ts';
import { comparePaths } from './path.ts';
import { UnionFs } from './union.ts';

/** One line of `docker diff`: A (added), C (changed), D (deleted). */
export interface DockerChange {
  kind: 'A' | 'C' | 'D';
  path: string;
}

/**
 * `docker diff`: what today's Docker prints. moby's overlay2 driver computes a container's changes
 * with the naive differ (`Driver.Changes` → `naiveDiff.Changes` → `archive.ChangesDirs`), which
 * compares the container's merged tree with its image's merged tree (`FileInfo.addChanges`):
 * - a path only in the container is A; only in the image is D (a deleted directory is one D,
 *   not one per descendant);
 * - a path in both is C when `statDifferent`: mode (incl. type), uid, gid or rdev differ, or, for
 *   non-directories, size or mtime differ (directories' size and mtime are ignored; link counts
 *   too, so the target of a new hard link is not C);
 * - a directory holding any change is C (unless it was itself reported), the root excepted;
 *   so a directory removed and re-created is C with a D per old child and an A per new one.
 * The containerd image store (`fs.Changes`, a double walk) gives the same lines. The engine walks
 * only the paths its upper layer touches; everything else is the very same lower inode.
 * Output is sorted by path, parents first (moby leaves the order to Go's map iteration).
 */
export function dockerDiff(union: UnionFs): DockerChange[];
export function dockerDiff(upper: LayerTree, lower: LowerStack): DockerChange[];
export function dockerDiff(a: UnionFs | LayerTree, b?: LowerStack): DockerChange[] {
  const [upper, lower] = a instanceof UnionFs ? [a.upper, a.lower] : [a, b!];
  const merged = new UnionFs(lower, { upper, readOnly: true });
  const out: DockerChange[] = [];
  const entry = (path: string) => merged.entryAt(path, { follow: false });

  // Depth-first with an explicit stack of frames (a directory's D lines and its own C line come
  // after its children, as the recursive form had them); depth is input-controlled.
  interface Frame {
    path: string;
    mark: number;
    added: boolean;
    old: Set<string>;
    names: string[];
    i: number;
  }
  const stack: Frame[] = [];
  const enter = (path: string, now: Inode, before: Inode | undefined, reported: boolean) => {
    const mark = out.length;
    let added = reported;
    if (!before) {
      out.push({ kind: 'A', path });
      added = true;
    }
    if (now.type === 'dir') {
      const old = new Set(before?.type === 'dir' ? lower.childrenOf(path) : []);
      stack.push({ path, mark, added, old, names: merged.readdir(path), i: 0 });
    }
  };
  enter('/', entry('/')!.inode, lower.get('/')?.inode, true);
  while (stack.length) {
    const f = stack[stack.length - 1];
    if (f.i >= f.names.length) {
      stack.pop();
      const { path, old, mark, added } = f;
      for (const name of [...old].sort()) out.push({ kind: 'D', path: path === '/' ? `/${name}` : `${path}/${name}` });
      if (out.length > mark && !added && path !== '/') out.splice(mark, 0, { kind: 'C', path });
      continue;
    }
    const name = f.names[f.i++];
    const path = f.path;
    const childPath = path === '/' ? `/${name}` : `${path}/${name}`;
    const info = entry(childPath);
    if (!info) continue;
    const had = f.old.has(name);
    f.old.delete(name);
    if (info.layer !== 'upper') continue; // the image's own inode: nothing below it changed
    const oldChild = had ? lower.get(childPath)?.inode : undefined;
    let childReported = false;
    if (oldChild && statDifferent(oldChild, info.inode)) {
      out.push({ kind: 'C', path: childPath });
      childReported = true;
    }
    enter(childPath, info.inode, oldChild, childReported);
  }
  return out.sort((x, y) => comparePaths(x.path, y.path));
}

/** moby `statDifferent` (pkg/archive/changes_unix.go). */
function statDifferent(a: Inode, b: Inode): boolean {
  if ((TYPE_BITS[a.type] | a.mode) !== (TYPE_BITS[b.type] | b.mode) || a.uid !== b.uid || a.gid !== b.gid) return true;
  if (a.rdev.major !== b.rdev.major || a.rdev.minor !== b.rdev.minor) return true;
  return a.type !== 'dir' && (a.mtime !== b.mtime || a.size !== b.size);
}
