/**
 * One container: a thin writable layer over an image's shared read-only layers, as Docker's
 * overlay2 driver prepares it (the image's layers as lowerdirs, one fresh upperdir per container).
 * The LowerStack belongs to the image and is shared by all of its containers, so N containers cost
 * N upper layers plus their own changes. Every change to the upper layer is a union event, kept in
 * a bounded ring with running totals and forwarded to an optional listener (the UI animates them).
 *
 * Lifecycle: created from a record and an (empty or persisted) upper LayerTree; mounted (union +
 * volumes) on first use; `rm` drops the object and its upper layer, nothing else.
 */
import type { UnionEvent } from '../fs/events.ts';
import { Inode, LayerTree, WHITEOUT, isWhiteout } from '../fs/layer-tree.ts';
import type { LowerStack } from '../fs/lower-stack.ts';
import { UnionFs } from '../fs/union.ts';
import { MountedFs, type Mount } from './mounted-fs.ts';
import type { ContainerFsEvent, ContainerRecord, EventTotals } from './types.ts';

/** How many recent union events a container keeps (older ones only count in the totals). */
export const EVENT_RING_SIZE = 256;

/** The bounded event log of one container: the last EVENT_RING_SIZE events and running totals. */
export class EventLog {
  private readonly ring: UnionEvent[] = [];
  private next = 0;
  seq = 0;
  readonly totals: EventTotals = { created: 0, modified: 0, copiedUp: 0, copiedUpBytes: 0, whitedOut: 0, madeOpaque: 0, metadataChanged: 0, removed: 0 };

  push(ev: UnionEvent): number {
    if (this.ring.length < EVENT_RING_SIZE) this.ring.push(ev);
    else this.ring[this.next] = ev;
    this.next = (this.next + 1) % EVENT_RING_SIZE;
    const t = this.totals;
    switch (ev.type) {
      case 'created': t.created++; break;
      case 'modified': t.modified++; break;
      case 'copied-up': t.copiedUp++; t.copiedUpBytes += ev.bytes; break;
      case 'whited-out': t.whitedOut++; break;
      case 'made-opaque': t.madeOpaque++; break;
      case 'metadata-changed': t.metadataChanged++; break;
      case 'removed': t.removed++; break;
    }
    return ++this.seq;
  }

  /** The kept events, oldest first. */
  recent(): UnionEvent[] {
    return this.ring.length < EVENT_RING_SIZE ? [...this.ring] : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
}

/** A container's live objects; see the module comment. */
export class Container {
  readonly events = new EventLog();
  readonly union: UnionFs;
  private mounted?: MountedFs;

  constructor(
    public record: ContainerRecord,
    readonly lower: LowerStack,
    readonly upper: LayerTree,
    opts: { clock: () => number; listener?: (e: ContainerFsEvent) => void },
  ) {
    const id = record.id;
    const listener = opts.listener;
    this.union = new UnionFs(lower, {
      upper,
      clock: opts.clock,
      onEvent: (ev) => {
        const seq = this.events.push(ev);
        listener?.({ containerId: id, seq, event: ev });
      },
    });
  }

  get id(): string {
    return this.record.id;
  }

  /** The filesystem the container's processes see: the union with its volumes mounted. */
  fs(volumes: (m: ContainerRecord['mounts'][number]) => UnionFs): MountedFs {
    if (!this.mounted) {
      const mounts: Mount[] = this.record.mounts.map((m) => ({ path: m.destination, fs: volumes(m), readOnly: m.readOnly }));
      this.mounted = new MountedFs(this.union, mounts);
    }
    return this.mounted;
  }

  /** Bytes of regular files in the upper layer: docker's SizeRw (a copied-up file counts whole). */
  sizeRw(): number {
    // moby's `directory.Size` (and containers/storage) add up st_size of everything but directories:
    // regular files once per inode, and symlinks (the length of their target).
    let n = this.upper.contentSize;
    for (const [, e] of this.upper.walk()) if (e instanceof Inode && e.type === 'symlink') n += e.target.length;
    return n;
  }
}

/**
 * A deep, mutable copy of a layer tree (inodes cloned, file contents shared, hard links kept as
 * one inode). Used to commit a snapshot of a container's upper layer while the container goes on.
 */
export function cloneTree(src: LayerTree, skip?: (path: string) => boolean): LayerTree {
  const out = new LayerTree(cloneDir(src.root));
  const copies = new Map<Inode, Inode>();
  // An explicit work list, not recursion: a tree's depth is input-controlled.
  const todo: [Inode, Inode, string][] = [[src.root, out.root, '']];
  while (todo.length) {
    const [from, to, prefix] = todo.pop()!;
    for (const [name, e] of from.children!) {
      const p = `${prefix}/${name}`;
      if (skip?.(p)) continue;
      if (isWhiteout(e)) {
        to.children!.set(name, WHITEOUT);
        continue;
      }
      let c = copies.get(e);
      if (!c) {
        c = e.type === 'dir' ? cloneDir(e) : e.cloneShallow();
        if (e.type !== 'dir') copies.set(e, c);
      }
      c.nlink++;
      to.children!.set(name, c);
      if (e.type === 'dir') todo.push([e, c, p]);
    }
  }
  return out;
}

function cloneDir(d: Inode): Inode {
  const n = new Inode('dir', d);
  n.opaque = d.opaque;
  if (d.xattrs) n.xattrs = { ...d.xattrs };
  return n;
}

/**
 * The merged view of a union (optionally below one path) as a whiteout-free LayerTree: what
 * `docker export` and `docker cp` read. Inodes are cloned (contents shared); `skip` drops paths
 * (volume mount points' contents).
 */
export function mergedTree(fs: UnionFs, from = '/', skip?: (path: string) => boolean): LayerTree {
  const out = new LayerTree();
  const copies = new Map<number, Inode>();
  const copy = (path: string): Inode => {
    const info = fs.entryAt(path)!;
    const src = info.inode;
    if (src.type === 'dir') {
      const d = new Inode('dir', src);
      if (src.xattrs) d.xattrs = { ...src.xattrs };
      return d;
    }
    let c = copies.get(src.ino);
    if (!c) {
      c = src.cloneShallow();
      copies.set(src.ino, c);
    }
    return c;
  };
  // An explicit work list, not recursion: a tree's depth is input-controlled.
  const rec = (top: string, topOut: string) => {
    const todo: [string, string][] = [[top, topOut]];
    while (todo.length) {
      const [path, outPath] = todo.pop()!;
      for (const ent of fs.readdirWithTypes(path)) {
        const p = path === '/' ? `/${ent.name}` : `${path}/${ent.name}`;
        const o = outPath === '/' ? `/${ent.name}` : `${outPath}/${ent.name}`;
        if (skip?.(p)) continue;
        out.set(o, copy(p));
        if (ent.type === 'dir') todo.push([p, o]);
      }
    }
  };
  if (from === '/') {
    const r = fs.entryAt('/')!.inode;
    Object.assign(out.root, { mode: r.mode, uid: r.uid, gid: r.gid, mtime: r.mtime });
    rec('/', '/');
  } else {
    const name = from.slice(from.lastIndexOf('/') + 1);
    const top = fs.entryAt(from, { follow: false });
    if (!top) return out;
    out.set(`/${name}`, copy(from));
    if (top.inode.type === 'dir') rec(from, `/${name}`);
  }
  return out;
}
