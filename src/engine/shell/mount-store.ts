/**
 * Cache-mount trees (`RUN --mount=type=cache`) as one blob, so they outlive the engine like
 * BuildKit's cache mounts outlive a build: a 4-byte big-endian header length, a JSON header
 * describing every tree (type, mode, owner, mtime, link target, children) with each file's bytes
 * given as an offset and length, then the file bytes back to back.
 */
import { LayerlabError } from '../errors.ts';
import { mountAdd, mountEntry, type MountNode } from './system-mounts.ts';

interface Rec {
  t: 'file' | 'dir' | 'symlink';
  m: number;
  u: number;
  g: number;
  mt: number;
  l?: string;
  o?: number;
  n?: number;
  c?: Record<string, Rec>;
}

type Walkable = { type: string; mode: number; uid: number; gid: number; mtime: number; data?: Uint8Array; target?: string; children?: Map<string, Walkable> };

export function encodeMountTrees(trees: ReadonlyMap<string, MountNode>): Uint8Array {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const rec = (n: Walkable): Rec => {
    const r: Rec = { t: n.type as Rec['t'], m: n.mode, u: n.uid, g: n.gid, mt: n.mtime };
    if (n.type === 'symlink') r.l = n.target;
    if (n.type === 'file') {
      const d = n.data ?? new Uint8Array(0);
      r.o = offset;
      r.n = d.length;
      chunks.push(d);
      offset += d.length;
    }
    if (n.children) r.c = Object.fromEntries([...n.children].map(([k, v]) => [k, rec(v)]));
    return r;
  };
  const header = new TextEncoder().encode(JSON.stringify(Object.fromEntries([...trees].map(([id, root]) => [id, rec(root as unknown as Walkable)]))));
  const out = new Uint8Array(4 + header.length + offset);
  new DataView(out.buffer).setUint32(0, header.length);
  out.set(header, 4);
  let p = 4 + header.length;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

export function decodeMountTrees(bytes: Uint8Array): Map<string, MountNode> {
  try {
    const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + len))) as Record<string, Rec>;
    const data = bytes.subarray(4 + len);
    const build = (r: Rec): MountNode => {
      const n = mountEntry({ type: r.t, mode: r.m, uid: r.u, gid: r.g, mtime: r.mt, target: r.l, data: r.t === 'file' ? data.slice(r.o ?? 0, (r.o ?? 0) + (r.n ?? 0)) : undefined }, false);
      for (const [k, c] of Object.entries(r.c ?? {})) mountAdd(n, k, build(c));
      return n;
    };
    return new Map(Object.entries(header).map(([id, r]) => [id, build(r)]));
  } catch (e) {
    throw new LayerlabError('build/invalid-cache', `the stored build cache mounts are unreadable: ${(e as Error).message}`, { cause: e });
  }
}
