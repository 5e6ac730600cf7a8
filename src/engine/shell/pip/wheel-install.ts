/**
 * What pip leaves on disk when it installs a wheel (pip's `_internal/operations/install/wheel.py`):
 * the wheel's files under site-packages, a `.pyc` per `.py` in `__pycache__` (pip compiles after
 * unpacking, unless `--no-compile`), the `*.dist-info` with INSTALLER (`pip`), REQUESTED (for
 * what the user asked for), RECORD (every file with its sha256 and size; .pyc files without), the
 * console scripts in the scheme's bin directory, and the HTTP cache entries of `~/.cache/pip`.
 *
 * Simulation: file contents other than dist-info texts are `SyntheticContent` of the real size;
 * RECORD lists the real files' hashes (Debian's build, see the catalog README), which the
 * synthetic bytes do not match; C extensions are renamed to the image's CPython tag.
 */
import { SyntheticContent, textContent, type FileContent } from '../../fs/content.ts';
import type { GraftEntry } from '../../fs/union.ts';
import { fnv1a } from '../packages/dpkg-unpack.ts';
import type { ShellFs } from '../types.ts';
import type { PipProject, WheelFiles } from './pip-catalog.ts';
import type { PythonEnv } from './python-env.ts';
import { normalizeName as normalizeKey } from './pep508.ts';

/** sha256 of `pip\n` and of the empty file, as RECORD writes them (urlsafe base64, no padding). */
const INSTALLER_HASH = 'sha256=zuuue4knoyJ-UwPPXg8fezS7VCrXJQrAP7zeNuwvFQg';
const EMPTY_HASH = 'sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU';

function lexists(fs: ShellFs, p: string): boolean {
  try {
    fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** `mkdir -p` through the filesystem. */
export function mkdirs(fs: ShellFs, dir: string): void {
  if (dir === '/' || dir === '' || lexists(fs, dir)) return;
  mkdirs(fs, dir.slice(0, dir.lastIndexOf('/')) || '/');
  fs.mkdir(dir, { mode: 0o755 });
}

/** Writes prepared entries under `dir`: one graft per absent top-level name, file by file otherwise. */
export function writeEntries(fs: ShellFs, dir: string, entries: GraftEntry[]): void {
  const groups = new Map<string, GraftEntry[]>();
  const single: GraftEntry[] = [];
  for (const e of entries) {
    const cut = e.path.indexOf('/');
    if (cut < 0) single.push(e);
    else {
      const top = e.path.slice(0, cut);
      let g = groups.get(top);
      if (!g) groups.set(top, (g = []));
      g.push({ ...e, path: e.path.slice(cut + 1) });
    }
  }
  for (const [top, g] of groups) {
    const at = `${dir}/${top}`;
    if (fs.graft?.(at, g)) continue;
    for (const e of g) writeOne(fs, `${at}/${e.path}`, e);
  }
  for (const e of single) writeOne(fs, `${dir}/${e.path}`, e);
}

function writeOne(fs: ShellFs, path: string, e: GraftEntry): void {
  mkdirs(fs, path.slice(0, path.lastIndexOf('/')));
  if (e.type === 'dir') return mkdirs(fs, path);
  if (lexists(fs, path)) fs.unlink(path);
  if (e.type === 'symlink') return fs.symlink(e.target!, path);
  const c = e.content!;
  if (fs.writeContent) fs.writeContent(path, c, { mode: e.mode });
  else fs.writeFile(path, c.read(), { mode: e.mode });
  fs.chmod(path, e.mode);
}

/** `a/b/c` relative to `a/d` → `../b/c` (for RECORD's script paths). */
function relativePath(from: string, to: string): string {
  const a = from.split('/').filter(Boolean);
  const b = to.split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

/** The text of a console script as pip (distlib) writes it. */
export function consoleScript(interpreter: string, module: string, func: string): string {
  const [obj, ...attrs] = func.split('.');
  const call = attrs.length ? `${obj}.${attrs.join('.')}` : obj;
  return `#!${interpreter}\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom ${module} import ${obj}\nif __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n    sys.exit(${call}())\n`;
}

/** urlsafe base64 without padding (RECORD's hash encoding). */
function base64url(bytes: Uint8Array): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += abc[(n >> 18) & 63] + abc[(n >> 12) & 63];
    if (i + 1 < bytes.length) out += abc[(n >> 6) & 63];
    if (i + 2 < bytes.length) out += abc[n & 63];
  }
  return out;
}

/** What one wheel's install wrote, for the quota and the summary. */
export interface WheelInstallResult {
  /** Bytes of real text written (dist-info, RECORD, scripts); synthetic contents take no memory. */
  realBytes: number;
  scripts: string[];
}

/**
 * Installs one wheel into `env`. `sha256` hashes the few real texts RECORD needs (console scripts);
 * nothing else is hashed or generated here.
 */
export async function installWheel(
  fs: ShellFs,
  env: PythonEnv,
  project: PipProject,
  wheel: WheelFiles,
  opts: { requested: boolean; compile: boolean; sha256: (b: Uint8Array) => Promise<Uint8Array> },
): Promise<WheelInstallResult> {
  const site = env.sitePackages;
  const tag = `cpython-${env.version.replace('.', '')}`;
  const seedBase = `${project.name}@${project.version}`;
  const entries: GraftEntry[] = [];
  const record: string[] = [];
  let realBytes = 0;
  let infoDir = '';
  for (const f of wheel.files) {
    const path = f.path.replace(/\.cpython-3\d+-x86_64-linux-gnu\.so$/, `.${tag}-x86_64-linux-gnu.so`);
    if (!infoDir && /^[^/]+\.dist-info\//.test(path)) infoDir = path.slice(0, path.indexOf('/'));
    if (f.target !== undefined) {
      entries.push({ path, type: 'symlink', mode: 0o777, target: f.target });
      record.push(`${path},,`);
      continue;
    }
    let content: FileContent;
    if (f.text !== undefined) {
      content = textContent(f.text);
      realBytes += content.size;
    } else content = new SyntheticContent(f.size, fnv1a(`${seedBase}|${path}`));
    entries.push({ path, type: 'file', mode: f.exec ? 0o755 : 0o644, content });
    record.push(`${path},sha256=${f.hash},${f.size}`);
    if (opts.compile && f.pyc && path.endsWith('.py')) {
      const cut = path.lastIndexOf('/');
      const pyc = `${path.slice(0, cut + 1)}__pycache__/${path.slice(cut + 1, -3)}.${tag}.pyc`;
      entries.push({ path: pyc, type: 'file', mode: 0o644, content: new SyntheticContent(f.pyc, fnv1a(`${seedBase}|${pyc}`)) });
      record.push(`${pyc},,`);
    }
  }
  infoDir ||= `${project.name.replace(/[-.]+/g, '_')}-${project.version}.dist-info`;
  const add = (path: string, text: string, hash: string) => {
    const content = textContent(text);
    realBytes += content.size;
    entries.push({ path, type: 'file', mode: 0o644, content });
    record.push(hash ? `${path},${hash},${content.size}` : `${path},,`);
  };
  add(`${infoDir}/INSTALLER`, 'pip\n', INSTALLER_HASH);
  if (opts.requested) add(`${infoDir}/REQUESTED`, '', EMPTY_HASH);
  // Console scripts go to the scheme's bin directory; RECORD names them relative to site-packages.
  const scripts: string[] = [];
  const binEntries: GraftEntry[] = [];
  // pip's installer gives pip itself `pip`, `pip3` and `pipX.Y` for the running Python (wheel.py's special case).
  const scriptList = normalizeKey(project.name) === 'pip' ? ['pip', 'pip3', `pip${env.version}`].map((n) => [n, 'pip._internal.cli.main', 'main'] as [string, string, string]) : project.scripts;
  for (const [name, module, func] of scriptList) {
    const text = consoleScript(env.interpreter, module, func);
    const bytes = new TextEncoder().encode(text);
    binEntries.push({ path: name, type: 'file', mode: 0o755, content: textContent(text) });
    record.push(`${relativePath(site, env.binDir)}/${name},sha256=${base64url(await opts.sha256(bytes))},${bytes.length}`);
    realBytes += bytes.length;
    scripts.push(name);
  }
  record.push(`${infoDir}/RECORD,,`);
  record.sort();
  const recordText = record.join('\n') + '\n';
  entries.push({ path: `${infoDir}/RECORD`, type: 'file', mode: 0o644, content: textContent(recordText) });
  realBytes += recordText.length;
  mkdirs(fs, site);
  writeEntries(fs, site, entries);
  if (binEntries.length) {
    mkdirs(fs, env.binDir);
    for (const e of binEntries) writeOne(fs, `${env.binDir}/${e.path}`, e);
  }
  return { realBytes, scripts };
}

/** Where pip's HTTP cache keeps the response for a file (relative to the cache directory). */
export function cachePathOf(file: string): string {
  let hex = '';
  for (let i = 0; hex.length < 56; i++) hex += fnv1a(`${i}|https://files.pythonhosted.org/packages/${file}`).toString(16).padStart(8, '0');
  hex = hex.slice(0, 56);
  return `http-v2/${hex[0]}/${hex[1]}/${hex[2]}/${hex[3]}/${hex[4]}/${hex}`;
}

/**
 * pip's HTTP cache (`~/.cache/pip/http-v2`, pip ≥ 23.3): per response a header file and a `.body`,
 * at `a/b/c/d/e/<hash>` where the hash is sha224 of the URL. Simulation: the hash is derived from
 * the file name (the real URL carries a blake2b path the catalog does not know) and each header
 * file is 1,100 bytes, about what pip's msgpack of the response headers takes.
 */
export function cacheEntries(project: PipProject, metadataSize: number): GraftEntry[] {
  const out: GraftEntry[] = [];
  for (const [what, size] of [[`${project.wheel.file}.metadata`, metadataSize], [project.wheel.file, project.wheel.size]] as const) {
    const path = cachePathOf(what);
    out.push({ path, type: 'file', mode: 0o644, content: new SyntheticContent(1100, fnv1a(`${path}|h`)) });
    out.push({ path: `${path}.body`, type: 'file', mode: 0o644, content: new SyntheticContent(size, fnv1a(`${path}|b`)) });
  }
  return out;
}
