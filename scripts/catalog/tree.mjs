// A mutable file tree used while generating one layer, and its compact encoding
// (the format src/engine/image/catalog.ts reads; see catalog-README.md "Data format").

/** One layer being generated: path -> entry. Paths are absolute, without trailing slash. */
export class GenTree {
  constructor() {
    /** @type {Map<string, {type:string, mode:number, uid:number, gid:number, size?:number, text?:string, target?:string, rdev?:[number,number]}>} */
    this.entries = new Map();
  }
  ensureDirs(path, meta = {}) {
    const parts = path.split('/').filter(Boolean);
    let p = '';
    for (const c of parts.slice(0, -1)) {
      p += '/' + c;
      if (!this.entries.has(p)) this.entries.set(p, { type: 'd', mode: 0o755, uid: 0, gid: 0, ...meta });
    }
  }
  dir(path, mode = 0o755, uid = 0, gid = 0) {
    this.ensureDirs(path);
    const old = this.entries.get(path);
    if (old && old.type === 'd') Object.assign(old, { mode, uid, gid });
    else this.entries.set(path, { type: 'd', mode, uid, gid });
  }
  file(path, { size = 0, text, mode = 0o644, uid = 0, gid = 0 } = {}) {
    this.ensureDirs(path);
    if (text !== undefined) size = Buffer.byteLength(text);
    this.entries.set(path, { type: 'f', mode, uid, gid, size, text });
  }
  symlink(path, target, uid = 0, gid = 0) {
    this.ensureDirs(path);
    this.entries.set(path, { type: 'l', mode: 0o777, uid, gid, target });
  }
  hardlink(path, to) {
    this.ensureDirs(path);
    const t = this.entries.get(to);
    this.entries.set(path, { type: 'h', mode: t?.mode ?? 0o755, uid: t?.uid ?? 0, gid: t?.gid ?? 0, target: to });
  }
  device(path, kind, major, minor, mode = 0o666) {
    this.ensureDirs(path);
    this.entries.set(path, { type: kind, mode, uid: 0, gid: 0, rdev: [major, minor] });
  }
  /** A whiteout: hides `path` of the lower layers (`.wh.<name>` in the layer tar). */
  whiteout(path) {
    this.ensureDirs(path);
    this.entries.set(path, { type: 'w', mode: 0, uid: 0, gid: 0 });
  }
  delete(path) {
    for (const p of [...this.entries.keys()]) if (p === path || p.startsWith(path + '/')) this.entries.delete(p);
  }
  /** Sum of regular-file sizes (hard links counted once): what `docker images` adds up per layer. */
  get contentSize() {
    let n = 0;
    for (const e of this.entries.values()) if (e.type === 'f') n += e.size;
    return n;
  }
  get fileCount() {
    return this.entries.size;
  }
}

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Encodes a layer: entries as prefix-compressed lines
 * `shared \t rest \t kind+mode(octal) \t owner \t data`, small texts in a side array.
 */
export function encodeLayer(tree, { mtime, seed, comment }) {
  const paths = [...tree.entries.keys()].sort(cmp);
  const lines = [];
  const texts = [];
  let prev = '';
  for (const p of paths) {
    const e = tree.entries.get(p);
    let shared = 0;
    const max = Math.min(prev.length, p.length, 99);
    while (shared < max && prev.charCodeAt(shared) === p.charCodeAt(shared)) shared++;
    const owner = e.uid === 0 && e.gid === 0 ? '' : `${e.uid}:${e.gid}`;
    let data = '';
    if (e.type === 'f') {
      if (e.text !== undefined) {
        texts.push(e.text);
        data = '=' + (texts.length - 1);
      } else data = String(e.size);
    } else if (e.type === 'l' || e.type === 'h') data = e.target;
    else if (e.type === 'c' || e.type === 'b') data = e.rdev.join(',');
    if (/[\t\n]/.test(p)) throw new Error(`path with tab or newline: ${JSON.stringify(p)}`);
    const mode = e.type === 'l' || e.type === 'w' ? '' : e.mode.toString(8);
    lines.push(`${shared || ''}\t${p.slice(shared)}\t${e.type}${mode}\t${owner}\t${data}`);
    prev = p;
  }
  return { comment, mtime, seed, entries: lines.join('\n'), texts };
}
