/**
 * Layer recipes: a LayerTree written as JSON with synthetic file contents kept as their
 * `(size, seed)` instead of bytes. Simulation: the store persists a built layer whose bytes are
 * mostly synthetic as a recipe (`layerlab/recipes/<hex>.json`) rather than as its gzip blob, and
 * re-creates the blob (checking its digest) when it is read, saved or pushed. Real stores keep the
 * blob; the recipe keeps a 1 GiB synthetic image in kilobytes.
 */
import { LayerlabError } from '../errors.ts';
import { DEFAULT_RANDOM_SHARE, SyntheticContent, bytesContent } from '../fs/content.ts';
import { Inode, LayerTree, WHITEOUT, isWhiteout } from '../fs/layer-tree.ts';

type RecipeEntry = {
  p: string;
  t: string;
  m?: number;
  u?: number;
  g?: number;
  mt?: number;
  syn?: [number, number] | [number, number, number];
  b64?: string;
  tgt?: string;
  dev?: [number, number];
  link?: string;
  opq?: true;
  x?: Record<string, string>;
};

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function toB64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < b.length ? B64[n & 63] : '=');
  }
  return s;
}

function fromB64(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (const ch of clean) {
    const v = B64.indexOf(ch);
    if (v < 0) throw new LayerlabError('image/invalid-recipe', 'layer recipe: bad base64');
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** Total bytes of synthetic file content in a tree (hard links counted once). */
export function syntheticBytes(tree: LayerTree): number {
  const seen = new Set<Inode>();
  let n = 0;
  for (const [, e] of tree.walk()) {
    if (e instanceof Inode && e.type === 'file' && e.content instanceof SyntheticContent && !seen.has(e)) {
      seen.add(e);
      n += e.content.size;
    }
  }
  return n;
}

/** The recipe JSON of a tree. */
export function treeToRecipe(tree: LayerTree): Uint8Array {
  const first = new Map<Inode, string>();
  const out: RecipeEntry[] = [];
  for (const [p, e] of tree.walk()) {
    if (isWhiteout(e)) {
      out.push({ p, t: 'wh' });
      continue;
    }
    const prev = first.get(e);
    if (prev !== undefined) {
      out.push({ p, t: 'link', link: prev });
      continue;
    }
    if (e.type !== 'dir') first.set(e, p);
    const r: RecipeEntry = { p, t: e.type, m: e.mode, u: e.uid, g: e.gid, mt: e.mtime };
    if (e.type === 'file') {
      if (e.content instanceof SyntheticContent) r.syn = e.content.randomShare === DEFAULT_RANDOM_SHARE ? [e.content.size, e.content.seed] : [e.content.size, e.content.seed, e.content.randomShare];
      else r.b64 = toB64(e.content.read());
    }
    if (e.type === 'symlink') r.tgt = e.target;
    if (e.type === 'char' || e.type === 'block') r.dev = [e.rdev.major, e.rdev.minor];
    if (e.opaque) r.opq = true;
    if (e.xattrs) r.x = Object.fromEntries(Object.entries(e.xattrs).map(([k, v]) => [k, toB64(v)]));
    out.push(r);
  }
  return new TextEncoder().encode(JSON.stringify({ v: 1, entries: out }));
}

/** Rebuilds a tree from its recipe JSON. */
export function recipeToTree(bytes: Uint8Array): LayerTree {
  const doc = JSON.parse(new TextDecoder().decode(bytes)) as { v: number; entries: RecipeEntry[] };
  if (doc.v !== 1 || !Array.isArray(doc.entries)) throw new LayerlabError('image/invalid-recipe', 'layer recipe: unknown version');
  const tree = new LayerTree();
  for (const r of doc.entries) {
    if (r.t === 'wh') {
      tree.set(r.p, WHITEOUT);
      continue;
    }
    if (r.t === 'link') {
      const t = tree.get(r.link!);
      if (!(t instanceof Inode)) throw new LayerlabError('image/invalid-recipe', `layer recipe: link target ${r.link} missing`);
      tree.set(r.p, t);
      continue;
    }
    const existing = r.t === 'dir' ? tree.get(r.p) : undefined;
    const n = existing instanceof Inode && existing.type === 'dir' ? existing : new Inode(r.t as Inode['type']);
    n.mode = r.m ?? n.mode;
    n.uid = r.u ?? 0;
    n.gid = r.g ?? 0;
    n.mtime = r.mt ?? 0;
    if (r.syn) n.content = new SyntheticContent(r.syn[0], r.syn[1], r.syn[2]);
    else if (r.b64 !== undefined) n.content = bytesContent(fromB64(r.b64));
    if (r.tgt !== undefined) n.target = r.tgt;
    if (r.dev) n.rdev = { major: r.dev[0], minor: r.dev[1] };
    if (r.opq) n.opaque = true;
    if (r.x) n.xattrs = Object.fromEntries(Object.entries(r.x).map(([k, v]) => [k, fromB64(v)]));
    if (n !== existing) tree.set(r.p, n);
  }
  return tree;
}
