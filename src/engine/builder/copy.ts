/**
 * COPY and ADD over a union mount, with Docker's rules (Dockerfile reference "COPY"/"ADD",
 * BuildKit's `llb.Copy` with CopyDirContentsOnly, AllowWildcard, CreateDestPath):
 * - a directory source copies its *contents*; a file source copies the file;
 * - a destination ending in `/` (or an existing directory) receives files by their base name;
 * - several sources need a directory destination ending in `/`;
 * - a relative destination is relative to WORKDIR; missing directories are created (0755);
 * - modes and mtimes come from the source, owners are 0:0 unless `--chown`, `--chmod` overrides modes;
 * - ADD extracts local tar archives (plain, gzip, zstd) into the destination; URLs need a network.
 * The same module computes the content checksums that key the build cache (content and mode,
 * never mtime).
 */
import { digestOf } from '../digest.ts';
import { LayerlabError } from '../errors.ts';
import { bytesContent, type FileContent, SyntheticContent } from '../fs/content.ts';
import type { UnionFs } from '../fs/union.ts';
import { Inode } from '../fs/layer-tree.ts';
import { decompress, detectCompression } from '../image/gzip.ts';
import { parseTar, safeComponents } from '../image/tar.ts';
import { DEFAULT_IMAGE_LIMITS } from '../image/limits.ts';
import { cleanRelative } from '../fs/path.ts';
import { compilePattern, type BuildContext } from './context.ts';

/** One entry of a copy source, relative to the source root. */
export interface SourceEntry {
  path: string;
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  content?: FileContent;
  target?: string;
}

/** Where COPY reads from: the build context, or another stage's / image's filesystem. */
export interface CopySource {
  /** A label for messages (`context`, `stage build`). */
  label: string;
  /** Paths matching a source pattern (wildcards allowed), relative, sorted. */
  glob(pattern: string): string[];
  get(path: string): SourceEntry | undefined;
  /** Entries below a directory, depth-first, sorted. */
  below(path: string): SourceEntry[];
}

/** The build context as a copy source. */
export function contextSource(ctx: BuildContext): CopySource {
  const conv = (f: ReturnType<BuildContext['get']>): SourceEntry | undefined =>
    f && { path: f.path, type: f.type, mode: f.mode, uid: 0, gid: 0, mtime: f.mtime ?? 0, content: f.content ? bytesContent(f.content) : undefined, target: f.target };
  return {
    label: 'context',
    glob: (p) => ctx.glob(p),
    get: (p) => (cleanRelative(p) === '.' ? { path: '.', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 } : conv(ctx.get(p))),
    below: (p) => ctx.under(p).map((f) => conv(f)!),
  };
}

/** A read-only filesystem (another stage, an image) as a copy source. */
export function filesystemSource(fs: UnionFs, label: string): CopySource {
  const get = (rel: string): SourceEntry | undefined => {
    const p = '/' + (cleanRelative(rel) === '.' ? '' : cleanRelative(rel));
    let info;
    try {
      info = fs.entryAt(p, { follow: false });
    } catch {
      return undefined;
    }
    if (!info) return undefined;
    const n = info.inode;
    if (n.type !== 'file' && n.type !== 'dir' && n.type !== 'symlink') return undefined;
    return { path: cleanRelative(rel), type: n.type, mode: n.mode, uid: n.uid, gid: n.gid, mtime: n.mtime, content: n.type === 'file' ? n.content : undefined, target: n.type === 'symlink' ? n.target : undefined };
  };
  const below = (rel: string): SourceEntry[] => {
    const out: SourceEntry[] = [];
    const walk = (r: string) => {
      const abs = '/' + (r === '.' ? '' : r);
      for (const name of fs.readdir(abs)) {
        const child = r === '.' ? name : `${r}/${name}`;
        const e = get(child);
        if (!e) continue;
        out.push(e);
        if (e.type === 'dir') walk(child);
      }
    };
    walk(cleanRelative(rel));
    return out;
  };
  return {
    label,
    get,
    below,
    glob(pattern) {
      const p = cleanRelative(pattern);
      if (!/[*?[]/.test(p)) return get(p) ? [p] : [];
      let cur = ['.'];
      for (const seg of p.split('/')) {
        const re = compilePattern(seg);
        const next: string[] = [];
        for (const dir of cur) {
          const e = get(dir);
          if (e?.type !== 'dir') continue;
          for (const name of fs.readdir('/' + (dir === '.' ? '' : dir))) if (re.test(name)) next.push(dir === '.' ? name : `${dir}/${name}`);
        }
        cur = next;
      }
      return cur.sort();
    },
  };
}

/**
 * `--exclude` patterns (patternmatcher syntax), matched like BuildKit's copy filter: against the
 * path relative to the source being copied (a directory's contents, or a file's base name), and a
 * match on a parent directory excludes everything below it.
 */
export function excludeMatcher(patterns: readonly string[]): (rel: string) => boolean {
  const res = patterns.map((e) => compilePattern(cleanRelative(e)));
  return (rel) => res.some((re) => rel.split('/').some((_, i, a) => re.test(a.slice(0, i + 1).join('/'))));
}

/** A content checksum per file a COPY selects (minus `--exclude`d ones): what its cache key depends on. */
export async function checksumSources(src: CopySource, patterns: string[], exclude: readonly string[] = []): Promise<Record<string, string>> {
  const excluded = excludeMatcher(exclude);
  const out: Record<string, string> = {};
  const add = async (e: SourceEntry) => {
    // One digest over metadata and content (never mtime), so a mode change is a change too.
    const meta = new TextEncoder().encode(`${e.type}:${(e.mode & 0o7777).toString(8)}:${e.uid}:${e.gid}:`);
    const content = e.content;
    let body: Uint8Array;
    if (e.type === 'symlink') body = new TextEncoder().encode(`symlink:${e.target}`);
    else if (e.type === 'dir') body = new Uint8Array(0);
    else if (content instanceof SyntheticContent) body = new TextEncoder().encode(`synthetic:${content.id}`);
    else body = content?.read() ?? new Uint8Array(0);
    const all = new Uint8Array(meta.length + body.length);
    all.set(meta);
    all.set(body, meta.length);
    out[e.path] = await digestOf(all);
  };

  for (const p of patterns) {
    for (const m of src.glob(p)) {
      const e = src.get(m);
      if (!e) continue;
      if (e.type === 'dir') {
        for (const c of src.below(m)) if (!excluded(m === '.' ? c.path : c.path.slice(m.length + 1))) await add(c);
      } else if (!excluded(e.path.split('/').pop()!)) await add(e);
    }
  }
  return out;
}

/** Options of one COPY/ADD after expansion. */
export interface CopyPlan {
  instruction: 'COPY' | 'ADD';
  sources: string[];
  /** Heredoc sources: file name and content. */
  inline: { path: string; data: string }[];
  dest: string;
  workdir: string;
  owner?: { uid: number; gid: number };
  chmod?: number;
  exclude: string[];
  parents: boolean;
}

function notFound(instruction: string, p: string): LayerlabError {
  return new LayerlabError('build/source-not-found', `failed to compute cache key: failed to calculate checksum of ref: "/${cleanRelative(p)}": not found`, {
    data: { instruction, path: p },
  });
}

const isUrl = (s: string) => /^https?:\/\//.test(s);

/**
 * Fails the way BuildKit does before a COPY/ADD is even keyed: a URL (COPY refuses it; ADD would
 * need the network the lab does not have) or a source that matches nothing in `src`.
 */
export function checkSources(src: CopySource, sources: readonly string[], instruction: 'COPY' | 'ADD'): void {
  for (const s of sources) {
    if (isUrl(s)) {
      if (instruction === 'COPY') throw new LayerlabError('build/copy-url', "source can't be a URL for COPY");
      throw new LayerlabError('build/offline', `ADD ${s}: the lab is offline, remote URLs cannot be downloaded (copy the file into the build context instead)`, { data: { url: s } });
    }
    if (src.glob(s).length === 0) throw notFound(instruction, s);
  }
}

/** Performs a COPY/ADD into `fs` (the step's union, acting as root). Returns the number of files written. */
export async function performCopy(fs: UnionFs, src: CopySource, plan: CopyPlan): Promise<number> {
  const destAbs = plan.dest.startsWith('/') ? plan.dest : `${plan.workdir.replace(/\/$/, '')}/${plan.dest}`;
  const destIsDir = plan.dest.endsWith('/') || plan.dest === '.' || plan.dest.endsWith('/.');
  const destClean = '/' + (cleanRelative(destAbs) === '.' ? '' : cleanRelative(destAbs));
  const total = plan.sources.length + plan.inline.length;
  if (total > 1 && !destIsDir) {
    throw new LayerlabError('build/copy-dest', `When using ${plan.instruction} with more than one source file, the destination must be a directory and end with a /`);
  }
  const excluded = excludeMatcher(plan.exclude);
  let written = 0;
  const exists = (p: string) => {
    try {
      return fs.stat(p);
    } catch {
      return undefined;
    }
  };
  const mkdirp = (dir: string) => {
    const parts = dir.split('/').filter(Boolean);
    let cur = '';
    for (const part of parts) {
      cur += '/' + part;
      if (!exists(cur)) {
        fs.mkdir(cur, { mode: 0o755 });
        if (plan.owner) fs.lchown(cur, plan.owner.uid, plan.owner.gid);
      }
    }
  };
  const place = (target: string, e: SourceEntry) => {
    const parent = target.slice(0, target.lastIndexOf('/')) || '/';
    mkdirp(parent);
    const existing = (() => {
      try {
        return fs.lstat(target);
      } catch {
        return undefined;
      }
    })();
    const mode = plan.chmod ?? e.mode;
    const uid = plan.owner?.uid ?? 0;
    const gid = plan.owner?.gid ?? 0;
    if (e.type === 'dir') {
      if (existing && !existing.isDirectory()) fs.rm(target, { recursive: true, force: true });
      if (!existing || !existing.isDirectory()) fs.mkdir(target, { mode });
      else fs.chmod(target, mode);
      fs.lchown(target, uid, gid);
      fs.utimes(target, e.mtime, e.mtime);
      return;
    }
    if (existing) fs.rm(target, { recursive: true, force: true });
    if (e.type === 'symlink') {
      fs.symlink(e.target ?? '', target);
      fs.lchown(target, uid, gid);
    } else {
      fs.writeFile(target, new Uint8Array(), { mode });
      const info = fs.entryAt(target, { follow: false });
      if (info && info.layer === 'upper' && e.content) (info.inode as Inode).content = e.content;
      fs.chmod(target, mode);
      fs.lchown(target, uid, gid);
      fs.utimes(target, e.mtime, e.mtime);
    }
    written++;
  };
  const copyEntry = async (match: string, e: SourceEntry, multi: boolean) => {
    if (e.type === 'dir') {
      const base = plan.parents ? `${destClean}/${match}`.replace(/\/+/g, '/') : destClean;
      mkdirp(base);
      for (const c of src.below(match)) {
        const rel = match === '.' ? c.path : c.path.slice(match.length + 1);
        if (excluded(rel)) continue;
        place(`${base}/${rel}`.replace(/\/+/g, '/'), c);
      }
      return;
    }
    if (excluded(e.path.split('/').pop()!)) return;
    if (plan.instruction === 'ADD' && e.type === 'file' && e.content && (await extractIfArchive(fs, e.content, destClean, mkdirp))) {
      written++;
      return;
    }
    const baseName = e.path.split('/').pop()!;
    const intoDir = destIsDir || multi || exists(destClean)?.isDirectory();
    const target = plan.parents ? `${destClean}/${e.path}` : intoDir ? `${destClean}/${baseName}` : destClean;
    place(target.replace(/\/+/g, '/'), e);
  };
  checkSources(src, plan.sources, plan.instruction);
  for (const s of plan.sources) {
    const matches = src.glob(s);
    for (const m of matches) {
      const e = src.get(m);
      if (!e) throw notFound(plan.instruction, m);
      await copyEntry(m, e, matches.length > 1 || total > 1);
    }
  }
  for (const h of plan.inline) {
    const target = destIsDir ? `${destClean}/${h.path}` : destClean;
    place(target.replace(/\/+/g, '/'), { path: h.path, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, content: bytesContent(new TextEncoder().encode(h.data)) });
  }
  return written;
}

/** ADD's archive rule: a local tar (plain/gzip/zstd) is extracted into the destination. */
async function extractIfArchive(fs: UnionFs, content: FileContent, dest: string, mkdirp: (d: string) => void): Promise<boolean> {
  if (content.size < 18 || content instanceof SyntheticContent) return false;
  const bytes = content.read();
  let tar: Uint8Array;
  try {
    tar = detectCompression(bytes) === 'none' ? bytes : (await decompress(bytes, DEFAULT_IMAGE_LIMITS.maxLayerBytes, 'archive')).bytes;
  } catch {
    return false;
  }
  // ustar magic at offset 257.
  if (tar.length < 512 || !(tar[257] === 0x75 && tar[258] === 0x73 && tar[259] === 0x74 && tar[260] === 0x61 && tar[261] === 0x72)) return false;
  const entries = await parseTar(tar, 'ADD archive');
  mkdirp(dest);
  for (const { header: h, data } of entries) {
    const parts = safeComponents(h.name, 'ADD archive');
    if (parts.length === 0) continue;
    const target = `${dest}/${parts.join('/')}`.replace(/\/+/g, '/');
    mkdirp(target.slice(0, target.lastIndexOf('/')) || '/');
    const mode = (h.mode ?? 0o644) & 0o7777;
    const mtime = Math.floor((h.mtime?.getTime() ?? 0) / 1000);
    try {
      fs.rm(target, { force: true });
    } catch {
      // an existing directory is merged
    }
    if (h.type === 'directory') {
      try {
        fs.mkdir(target, { mode });
      } catch {
        fs.chmod(target, mode);
      }
    } else if (h.type === 'symlink') fs.symlink(h.linkname ?? '', target);
    else if (h.type === 'link') fs.link(`${dest}/${safeComponents(h.linkname ?? '', 'ADD archive').join('/')}`, target);
    else if (h.type === 'file' || h.type === undefined) fs.writeFile(target, data ?? new Uint8Array(), { mode });
    else continue;
    fs.lchown(target, h.uid ?? 0, h.gid ?? 0);
    if (h.type !== 'symlink') {
      fs.chmod(target, mode);
      fs.utimes(target, mtime, mtime);
    }
  }
  return true;
}
