/**
 * What dpkg leaves on disk when it installs a package: the data members (real modes, owners,
 * symlinks, hard links and sizes; real bytes for the small text files the catalog keeps,
 * `SyntheticContent` for the rest), minus what `path-exclude` filters drop, and its database
 * entries (`info/<pkg>.list`, `md5sums`, `conffiles`, maintainer scripts, the status stanza).
 * Then the effects of maintainer scripts and triggers that change the layer's size: update-
 * alternatives links, ldconfig's cache, Python byte-compilation, debconf's cache, certificates.
 */
import { FsError } from '../../errors.ts';
import { SyntheticContent, type FileContent, bytesContent } from '../../fs/content.ts';
import type { ShellFs } from '../types.ts';
import type { PackageFiles } from './apt-catalog.ts';
import { infoName, PathFilter, stanzaOf } from './dpkg-db.ts';

const encoder = new TextEncoder();

/** FNV-1a of a string: the seed of a file's synthetic bytes (same package file, same bytes). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Writes content without materialising synthetic bytes when the filesystem allows it. */
export function writeContent(fs: ShellFs, path: string, content: FileContent, mode?: number): void {
  if (fs.writeContent) fs.writeContent(path, content, { mode });
  else fs.writeFile(path, content.read(), { mode });
}

function lexists(fs: ShellFs, p: string): ReturnType<ShellFs['lstat']> | undefined {
  try {
    return fs.lstat(p);
  } catch {
    return undefined;
  }
}

/** Creates `dir` and its missing parents; `known` holds directories already seen to exist in this unpack (no lookup again). */
function mkdirs(fs: ShellFs, dir: string, known?: Set<string>): void {
  if (dir === '/' || dir === '' || known?.has(dir)) return;
  const st = lexists(fs, dir);
  if (!st) {
    mkdirs(fs, dir.slice(0, dir.lastIndexOf('/')) || '/', known);
    try {
      fs.mkdir(dir, { mode: 0o755 });
    } catch (e) {
      if (!(e instanceof FsError && e.errno === 'EEXIST')) throw e;
    }
  }
  // A symlink to a directory (usrmerge's /bin → usr/bin) is not remembered: what it points at may change.
  if (!st || st.type === 'dir') known?.add(dir);
}

/** The counters an install reports. */
export interface UnpackResult {
  /** Paths dpkg records in the .list file. */
  listed: string[];
  /**
   * Real bytes written (for the shell's quota). Simulation: synthetic package content takes no
   * memory until read, so it does not count against `maxFsBytes` (a 300 MB build-essential fits).
   */
  bytes: number;
}

/** Unpacks one package's data members into `fs` (dpkg --unpack), honouring path filters. */
export function unpackData(fs: ShellFs, files: PackageFiles, filter: PathFilter, seedBase: string): UnpackResult {
  const listed: string[] = ['/.'];
  let bytes = 0;
  // Directories known to exist: most files of a package share a few parents.
  const known = new Set<string>();
  for (const e of files.entries) {
    const p = e.path;
    // dpkg records filtered paths in the .list file too (bookworm's curl.list names its man page).
    listed.push(p);
    if (filter.excludes(p)) continue;
    if (e.kind === 'd') {
      const st = lexists(fs, p);
      if (!st) {
        mkdirs(fs, p.slice(0, p.lastIndexOf('/')) || '/', known);
        fs.mkdir(p, { mode: e.mode });
        if (e.uid || e.gid) fs.chown(p, e.uid, e.gid);
      }
      if (!st || st.type === 'dir') known.add(p);
      continue;
    }
    mkdirs(fs, p.slice(0, p.lastIndexOf('/')) || '/', known);
    const old = lexists(fs, p);
    if (old && (e.kind === 'l' || e.kind === 'h' || old.type === 'symlink')) fs.unlink(p);
    if (e.kind === 'f') {
      const content = e.text !== undefined ? bytesContent(encoder.encode(e.text)) : new SyntheticContent(e.size, fnv1a(`${seedBase}|${p}`));
      writeContent(fs, p, content, e.mode);
      if (old) fs.chmod(p, e.mode);
      if (e.uid || e.gid) fs.chown(p, e.uid, e.gid);
      if (e.text !== undefined) bytes += e.size;
    } else if (e.kind === 'l') fs.symlink(e.target!, p);
    else if (e.kind === 'h') fs.link(e.target!, p);
  }
  return { listed, bytes };
}

/** Writes `/var/lib/dpkg/info/<pkg>.*` as dpkg does after unpacking. Returns the real (non-synthetic) bytes written. */
export function writeInfo(fs: ShellFs, files: PackageFiles, listed: string[], seedBase: string): number {
  const s = stanzaOf(files.status);
  const base = `/var/lib/dpkg/info/${infoName(s)}`;
  let bytes = 0;
  const list = encoder.encode(listed.join('\n') + '\n');
  fs.writeFile(`${base}.list`, list);
  bytes += list.length;
  for (const [k, v] of Object.entries(files.control)) {
    const exec = /^(pre|post)(inst|rm)$|^config$/.test(k);
    const content = typeof v === 'string' ? bytesContent(encoder.encode(v)) : new SyntheticContent(v, fnv1a(`${seedBase}|DEBIAN/${k}`));
    writeContent(fs, `${base}.${k}`, content, exec ? 0o755 : 0o644);
    if (typeof v === 'string') bytes += content.size;
  }
  return bytes;
}

/** `update-alternatives --install LINK NAME PATH PRIO` calls of a postinst (with their slave links). */
export function alternativesOf(postinst: string | number | undefined): { link: string; name: string; path: string; slaves: { link: string; name: string; path: string }[] }[] {
  if (typeof postinst !== 'string') return [];
  const out = [];
  const joined = postinst.replace(/\\\n\s*/g, ' ');
  for (const m of joined.matchAll(/update-alternatives\s+(?:--quiet\s+)?--install\s+(\S+)\s+(\S+)\s+(\S+)\s+\d+((?:\s+--slave\s+\S+\s+\S+\s+\S+)*)/g)) {
    if ([m[1], m[2], m[3]].some((x) => x.includes('$'))) continue;
    const slaves = [...m[4].matchAll(/--slave\s+(\S+)\s+(\S+)\s+(\S+)/g)].filter((s) => !s[0].includes('$')).map((s) => ({ link: s[1], name: s[2], path: s[3] }));
    out.push({ link: m[1], name: m[2], path: m[3], slaves });
  }
  return out;
}

/** Creates an alternative's links (`/usr/bin/vi → /etc/alternatives/vi → /usr/bin/vim.basic`) if its target exists. */
export function applyAlternative(fs: ShellFs, a: { link: string; name: string; path: string; slaves: { link: string; name: string; path: string }[] }): boolean {
  if (!lexists(fs, a.path)) return false;
  const all = [a, ...a.slaves.filter((s) => lexists(fs, s.path))];
  for (const x of all) {
    if (lexists(fs, `/etc/alternatives/${x.name}`)) continue;
    mkdirs(fs, '/etc/alternatives');
    fs.symlink(x.path, `/etc/alternatives/${x.name}`);
    if (!lexists(fs, x.link)) {
      mkdirs(fs, x.link.slice(0, x.link.lastIndexOf('/')));
      fs.symlink(`/etc/alternatives/${x.name}`, x.link);
    }
  }
  mkdirs(fs, '/var/lib/dpkg/alternatives');
  const text = `auto\n${a.link}\n${a.slaves.map((s) => `${s.name}\n${s.link}\n`).join('')}\n${a.path}\n50\n${a.slaves.map((s) => s.path + '\n').join('')}\n`;
  fs.writeFile(`/var/lib/dpkg/alternatives/${a.name}`, encoder.encode(text));
  return true;
}
