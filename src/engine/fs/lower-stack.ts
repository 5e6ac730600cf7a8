/**
 * The merged, read-only view of a union mount's lowerdirs: an ordered stack of committed LayerTrees
 * (bottom first) flattened into one index `path → {inode, layer}` plus the sorted children of every
 * directory. The index honours each layer's whiteouts and opaque directories exactly as
 * go-containerregistry `mutate.Extract` and overlayfs lookup do: a higher layer's entry wins; a
 * whiteout hides the path and everything below it; an opaque directory hides the lower layers'
 * children; a non-directory hides any lower directory at its path.
 *
 * Lifecycle: built lazily on first lookup, then immutable, so one LowerStack is shared by every
 * union (container, build step) mounted over the same image. `push(layer)` makes the stack of the
 * next build step by copying the parent's index and applying only the new top layer.
 */
import { Inode, type Entry, type LayerTree, isWhiteout } from './layer-tree.ts';
import { childPath } from './path.ts';

/** One visible entry of the merged lower view: the inode and the index of the layer it comes from (0 = bottom). */
export interface LowerEntry {
  readonly inode: Inode;
  readonly layer: number;
}

const NO_NAMES: readonly string[] = Object.freeze([]);

interface Index {
  entries: Map<string, LowerEntry>;
  /** Sorted child names per directory path; frozen arrays shared between stacks when unchanged. */
  children: Map<string, readonly string[]>;
}

/** An ordered stack of read-only layers (bottom first) and its merged view. See the module comment. */
export class LowerStack {
  readonly layers: readonly LayerTree[];
  private index?: Index;
  private parent?: LowerStack;

  /** Builds a stack from committed layers, bottom first. The layers should be frozen; they are never changed here. */
  constructor(layers: readonly LayerTree[] = [], parent?: LowerStack) {
    this.layers = Object.freeze([...layers]);
    this.parent = parent;
  }

  /** An empty stack (a union over it is like `FROM scratch`). */
  static empty(): LowerStack {
    return new LowerStack([]);
  }

  /** A new stack with `layer` on top, reusing this stack's index (the old stack is unchanged). */
  push(layer: LayerTree): LowerStack {
    return new LowerStack([...this.layers, layer], this);
  }

  /** Number of layers. */
  get depth(): number {
    return this.layers.length;
  }

  /** The visible entry at a clean absolute path, or undefined (absent, whited out, or below a non-directory). */
  get(path: string): LowerEntry | undefined {
    return (this.index ?? this.build()).entries.get(path);
  }

  /** Sorted names in the merged directory at a clean absolute path (empty if it is not a directory). */
  childrenOf(path: string): readonly string[] {
    return (this.index ?? this.build()).children.get(path) ?? NO_NAMES;
  }

  /** Number of visible entries (the root included). */
  get size(): number {
    return (this.index ?? this.build()).entries.size;
  }

  /** Every visible entry, parents before children, names sorted: `[path, entry]` (the root excluded). */
  *walk(dir = '/'): Generator<[string, LowerEntry]> {
    // An explicit stack: depth is input-controlled, and nested generators cost O(depth) per entry.
    const stack: { dir: string; names: readonly string[]; i: number }[] = [{ dir, names: this.childrenOf(dir), i: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.i >= top.names.length) {
        stack.pop();
        continue;
      }
      const p = childPath(top.dir, top.names[top.i++]);
      const e = this.get(p)!;
      yield [p, e];
      if (e.inode.type === 'dir') stack.push({ dir: p, names: this.childrenOf(p), i: 0 });
    }
  }

  /** Builds the index now (otherwise done on first lookup). */
  build(): Index {
    if (this.index) return this.index;
    let base: Index;
    let from: number;
    if (this.parent && this.parent.layers.length === this.layers.length - 1) {
      const p = this.parent.build();
      base = { entries: new Map(p.entries), children: new Map(p.children) };
      from = this.layers.length - 1;
      // The parent's index is only needed once; drop the link so old stacks can be collected.
      this.parent = undefined;
    } else {
      base = { entries: new Map(), children: new Map() };
      from = 0;
    }
    for (let i = from; i < this.layers.length; i++) applyLayer(base, this.layers[i], i);
    if (!base.entries.has('/')) base.entries.set('/', { inode: rootPlaceholder, layer: -1 });
    this.index = base;
    return base;
  }
}

/** The root of an empty stack: a 0755 root-owned directory. */
const rootPlaceholder = new Inode('dir', { mode: 0o755 });

/** Applies one layer on top of a merged index, as extracting its tar over the lower layers would. */
function applyLayer(index: Index, layer: LayerTree, layerIndex: number): void {
  const { entries, children } = index;
  // Directories whose child list changed in this layer: a mutable Set, sorted into an array at the end.
  const touched = new Map<string, Set<string>>();
  const childSet = (dir: string): Set<string> => {
    let s = touched.get(dir);
    if (!s) {
      s = new Set(children.get(dir) ?? NO_NAMES);
      touched.set(dir, s);
    }
    return s;
  };
  const removeTree = (top: string) => {
    const todo = [top];
    while (todo.length) {
      const p = todo.pop()!;
      const e = entries.get(p);
      if (!e) continue;
      entries.delete(p);
      if (e.inode.type === 'dir') {
        const names = touched.get(p) ?? children.get(p) ?? NO_NAMES;
        for (const n of names) todo.push(childPath(p, n));
        children.delete(p);
        touched.delete(p);
      }
    }
  };
  // Pre-order with a stack of iterators, the order recursion had (depth is input-controlled).
  const stack: { dirPath: string; it: Iterator<[string, Entry]> }[] = [];
  const visit = (dir: Inode, dirPath: string) => stack.push({ dirPath, it: dir.children![Symbol.iterator]() });
  const run = () => {
    while (stack.length) {
      const { dirPath, it } = stack[stack.length - 1];
      const next = it.next();
      if (next.done) {
        stack.pop();
        continue;
      }
      const [name, entry] = next.value;
      const p = childPath(dirPath, name);
      const old = entries.get(p);
      if (isWhiteout(entry)) {
        if (old) {
          removeTree(p);
          childSet(dirPath).delete(name);
        }
        continue;
      }
      const isDir = entry.type === 'dir';
      if (old && (!isDir || old.inode.type !== 'dir')) removeTree(p);
      else if (old && isDir && entry.opaque) {
        // Opaque directory: the lower layers' children vanish, the directory itself stays.
        for (const n of [...(touched.get(p) ?? children.get(p) ?? NO_NAMES)]) removeTree(childPath(p, n));
        touched.set(p, new Set());
      }
      if (!entries.has(p)) childSet(dirPath).add(name);
      entries.set(p, { inode: entry, layer: layerIndex });
      if (isDir) {
        if (!children.has(p) && !touched.has(p)) touched.set(p, new Set());
        visit(entry, p);
      }
    }
  };
  const root = layer.root;
  if (root.opaque) {
    for (const n of [...(children.get('/') ?? NO_NAMES)]) removeTree(childPath('/', n));
    touched.set('/', new Set());
  }
  entries.set('/', { inode: root, layer: layerIndex });
  visit(root, '/');
  run();
  for (const [dir, set] of touched) {
    if (entries.get(dir)?.inode.type === 'dir' || dir === '/') {
      children.set(dir, Object.freeze([...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))));
    }
  }
}
