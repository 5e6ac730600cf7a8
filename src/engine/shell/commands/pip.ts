/**
 * `pip` over the offline catalog (shell/pip/): `install [--no-cache-dir] [--user] [-r FILE] [-U]
 * [--no-deps] [--no-compile] [-q] PKG[==VER|>=…][extras]…`, `--version`, `list`, `freeze`; and
 * `python`/`python3`: `-m pip …`, `-m venv DIR`, `--version`. Output lines, warnings and errors
 * as pip 25 prints them in a non-interactive build (no progress bars).
 *
 * Simulation: pip's "A new release of pip is available" notice needs PyPI and is not printed; the
 * index pages pip caches (`/simple/NAME/`) are not written to the cache, only the downloads.
 */
import { sha256Hex } from '../../digest.ts';
import { SyntheticContent, textContent } from '../../fs/content.ts';
import { resolvePath } from '../../fs/path.ts';
import type { GraftEntry } from '../../fs/union.ts';
import type { CommandIO, CommandOutput } from './command.ts';
import { PIP_CATALOG_NOTE_PATH, pipCatalog, type PipProject } from '../pip/pip-catalog.ts';
import { normalizeName, parseRequirement } from '../pip/pep508.ts';
import { pythonEnvOf, shebangOf, userScheme, which, type PythonEnv } from '../pip/python-env.ts';
import { formatSize, metadataSize, resolve, type SourcedRequirement } from '../pip/resolve.ts';
import { cacheEntries, cachePathOf, consoleScript, installWheel, mkdirs, writeEntries } from '../pip/wheel-install.ts';

const out = (stdout: string, stderr = '', exitCode = 0): CommandOutput => ({ stdout, stderr, exitCode });
const dec = new TextDecoder();

const ROOT_WARNING =
  "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager, possibly rendering your system unusable. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv. Use the --root-user-action option if you know what you are doing and want to suppress this warning.\n";

/** The `Error=` text of Debian's /usr/lib/python3.X/EXTERNALLY-MANAGED (python3.X package). */
const DEBIAN_EXTERNALLY_MANAGED = `To install Python packages system-wide, try apt install
python3-xyz, where xyz is the package you are trying to
install.

If you wish to install a non-Debian-packaged Python package,
create a virtual environment using python3 -m venv path/to/venv.
Then use path/to/venv/bin/python3 and path/to/venv/bin/pip. Make
sure you have python3-full installed.

If you wish to install a non-Debian packaged Python application,
it may be easiest to use pipx install xyz, which will manage a
virtual environment for you. Make sure you have pipx installed.

See /usr/share/doc/python%V/README.venv for more information.`;

/** pip install's options that take a value (`-r FILE`, `-i URL`, `--root-user-action=ignore` also as one word). */
const WITH_VALUE = new Set(['-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '--trusted-host', '-f', '--find-links',
  '--root-user-action', '--cache-dir', '--progress-bar', '--timeout', '--retries', '--platform', '--python-version', '--only-binary', '--no-binary', '--log']);
const FLAGS = new Set(['--no-cache-dir', '--user', '-U', '--upgrade', '--no-deps', '--no-compile', '--compile', '-q', '--quiet', '-qq', '-v', '--verbose',
  '--disable-pip-version-check', '--no-warn-script-location', '--no-warn-conflicts', '--break-system-packages', '--prefer-binary', '--no-input',
  '--force-reinstall', '--ignore-installed', '-I', '--pre', '--no-index', '--isolated', '--no-color', '--no-build-isolation', '--require-hashes', '--use-pep517', '--upgrade-strategy']);

function home(io: CommandIO): string {
  return io.env.get('HOME') || (io.user.uid === 0 ? '/root' : '/');
}

function readText(io: CommandIO, path: string): string | undefined {
  try {
    return dec.decode(io.fs.readFile(path));
  } catch {
    return undefined;
  }
}

function lexists(io: CommandIO, p: string): boolean {
  try {
    io.fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** The environment of this pip: the interpreter of the script that was run, or the python that runs `-m pip`. */
function envOfPip(io: CommandIO, interpreter?: string): PythonEnv | undefined {
  const path = io.env.get('PATH') ?? '/usr/local/bin:/usr/bin:/bin';
  const program = interpreter ? undefined : io.program ?? which(io.fs, io.name, path);
  let interp = interpreter ?? (program ? shebangOf(io.fs, program) : undefined);
  if (interp && !interp.includes('/')) interp = which(io.fs, interp, path);
  if (!interp) interp = which(io.fs, 'python3', path);
  return interp ? pythonEnvOf(io.fs, interp, io.env.get('PYTHON_VERSION')) : undefined;
}

/** Project name → version of what is in a site-packages directory (its `*.dist-info` names). */
function installedIn(io: CommandIO, site: string): Map<string, string> {
  const m = new Map<string, string>();
  let names: string[] = [];
  try {
    names = io.fs.readdir(site);
  } catch {
    return m;
  }
  for (const n of names) {
    const d = /^(.+)-([^-]+)\.dist-info$/.exec(n);
    if (d) m.set(normalizeName(d[1]), d[2]);
  }
  return m;
}

/** Reads a requirements file into requirements (nested `-r`, comments, options lines skipped). */
function readRequirements(io: CommandIO, file: string, reqs: SourcedRequirement[], depth = 0): string | undefined {
  const path = resolvePath(io.cwd, file);
  const text = readText(io, path);
  if (text === undefined) return `ERROR: Could not open requirements file: [Errno 2] No such file or directory: '${file}'\n`;
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const nested = /^(?:-r|--requirement)[\s=]+(\S+)/.exec(line);
    if (nested) {
      if (depth > 10) continue;
      const inner = nested[1].startsWith('/') ? nested[1] : `${file.slice(0, file.lastIndexOf('/') + 1)}${nested[1]}`;
      const err = readRequirements(io, inner, reqs, depth + 1);
      if (err) return err;
      continue;
    }
    if (line.startsWith('-')) {
      if (/^(-e|--editable)\b/.test(line)) return `ERROR: layerlab: editable installs (${line}) are not modelled\n`;
      continue;
    }
    const req = parseRequirement(line);
    if (!req) return `ERROR: Invalid requirement: '${line}': Expected end or semicolon (after name and no valid version specifier)\n    ${line}\n    ^ (from line ${i + 1} of ${file})\n`;
    reqs.push({ req, from: `-r ${file} (line ${i + 1})` });
  }
  return undefined;
}

async function install(io: CommandIO, args: string[], envIn: PythonEnv | undefined): Promise<CommandOutput> {
  const cat = pipCatalog();
  if (!cat) return out('', 'ERROR: layerlab: no pip catalog is configured in this engine\n', 1);
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  const reqs: SourcedRequirement[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (WITH_VALUE.has(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined) return out('', `\nUsage:   \n  pip install [options] <requirement specifier> [package-index-options] ...\n\n${name} option requires 1 argument\n`, 2);
      values.set(name, [...(values.get(name) ?? []), v]);
      continue;
    }
    if (/^-r./.test(a)) { values.set('-r', [...(values.get('-r') ?? []), a.slice(2)]); continue; }
    if (a.startsWith('-')) {
      if (!FLAGS.has(name)) return out('', `\nUsage:   \n  pip install [options] <requirement specifier> [package-index-options] ...\n  pip install [options] -r <requirements file> [package-index-options] ...\n\nno such option: ${a}\n`, 2);
      flags.add(name);
      continue;
    }
    if (a === '.' || a.startsWith('./') || a.startsWith('/') || /^(git\+|https?:)/.test(a) || /\.(whl|tar\.gz|zip)$/.test(a)) {
      return out('', `ERROR: layerlab: installing from a path, URL or archive (${a}) is not modelled; the offline catalog installs packages by name (its list: ${PIP_CATALOG_NOTE_PATH})\n`, 1);
    }
    const req = parseRequirement(a);
    if (!req) return out('', `ERROR: Invalid requirement: '${a}'\n`, 1);
    reqs.push({ req });
  }
  for (const f of [...(values.get('-r') ?? []), ...(values.get('--requirement') ?? [])]) {
    const err = readRequirements(io, f, reqs);
    if (err) return out('', err, 1);
  }
  if (!reqs.length) return out('', 'ERROR: You must give at least one requirement to install (see "pip help install")\n', 1);
  if (!envIn) return out('', 'ERROR: layerlab: no Python installation found for pip (no python3 on PATH)\n', 1);
  const quiet = flags.has('-q') || flags.has('--quiet') || flags.has('-qq');
  let env = envIn;
  if (flags.has('--user')) {
    if (env.venv) return out('', "ERROR: Can not perform a '--user' install. User site-packages are not visible in this virtualenv.\n", 1);
    env = userScheme(env, home(io));
  }
  if (env.externallyManaged && !flags.has('--break-system-packages') && io.env.get('PIP_BREAK_SYSTEM_PACKAGES') !== '1') {
    const marker = readText(io, env.externallyManaged) ?? '';
    // Debian's marker carries this message; it is used when the catalog keeps the file only by size.
    const note = /^Error=([\s\S]*?)(?:\n\S|$)/m.exec(marker)?.[1]?.replace(/\n /g, '\n') ?? DEBIAN_EXTERNALLY_MANAGED.replace('%V', env.version);
    return out('', `error: externally-managed-environment\n\n× This environment is externally managed\n╰─> ${note.trim().split('\n').join('\n    ')}\n\nnote: If you believe this is a mistake, please contact your Python installation or OS distribution provider. You can override this, at the risk of breaking your Python installation or OS, by passing --break-system-packages.\nhint: See PEP 668 for the detailed specification.\n`, 1);
  }
  const noCache = flags.has('--no-cache-dir') || /^(1|true|yes|on|off|0|false|no)$/i.test(io.env.get('PIP_NO_CACHE_DIR') ?? '') && !/^(0|false|no)$/i.test(io.env.get('PIP_NO_CACHE_DIR') ?? '');
  const cacheDir = values.get('--cache-dir')?.[0] ?? io.env.get('PIP_CACHE_DIR') ?? `${io.env.get('XDG_CACHE_HOME') || `${home(io)}/.cache`}/pip`;
  const cacheHas = (file: string) => !noCache && lexists(io, `${cacheDir}/${cachePathOf(file)}.body`);
  const r = await resolve(cat, reqs, {
    installed: flags.has('--force-reinstall') || flags.has('-I') || flags.has('--ignore-installed') ? new Map() : installedIn(io, env.sitePackages),
    sitePackages: env.sitePackages, upgrade: flags.has('-U') || flags.has('--upgrade'), noDeps: flags.has('--no-deps'),
    pythonVersion: env.version, pythonFullVersion: env.fullVersion, cached: (p) => cacheHas(p.wheel.file), wheelName: (p) => wheelName(p, env),
  });
  let stdout = quiet ? '' : r.lines.map((l) => l + '\n').join('');
  if (r.error) {
    const e = r.error;
    const from = e.from ? ` (from ${e.from})` : '';
    const note = `layerlab: the offline pip catalog has ${e.kind === 'no-project' ? `no project named '${e.req.name}'` : `only ${e.req.name} ${e.versions.join(', ')}`} (its list: ${PIP_CATALOG_NOTE_PATH}).\n`;
    return out(stdout, `ERROR: Could not find a version that satisfies the requirement ${e.req.text}${from} (from versions: ${e.versions.join(', ') || 'none'})\nERROR: No matching distribution found for ${e.req.text}\n${note}`, 1);
  }
  const todo = r.order.filter((p) => !p.installed);
  // The wheels are fetched in the order resolution met them.
  if (!quiet) for (const p of r.picked.values()) if (!p.installed) stdout += `${cacheHas(p.project.wheel.file) ? 'Using cached' : 'Downloading'} ${wheelName(p.project, env)} (${formatSize(p.project.wheel.size)})\n`;
  let stderr = '';
  if (todo.length) {
    if (!quiet) stdout += `Installing collected packages: ${todo.map((p) => p.name).join(', ')}\n`;
    const sha256 = async (b: Uint8Array) => {
      const hex = await sha256Hex(b);
      return Uint8Array.from(hex.match(/../g)!.map((x) => parseInt(x, 16)));
    };
    const cache: GraftEntry[] = [];
    const newScripts: string[] = [];
    for (const p of todo) {
      // An older version in the way is uninstalled first (pip's "Attempting uninstall").
      const old = [...installedIn(io, env.sitePackages)].find(([k]) => k === p.key);
      if (old) {
        if (!quiet) stdout += `  Attempting uninstall: ${p.name}\n    Found existing installation: ${p.name} ${old[1]}\n    Uninstalling ${p.name}-${old[1]}:\n      Successfully uninstalled ${p.name}-${old[1]}\n`;
        const tops = [...new Set(p.wheel.files.map((f) => f.path.split('/')[0]).filter((t) => !t.endsWith('.dist-info')))];
        uninstall(io, env.sitePackages, p.key, tops);
      }
      const res = await installWheel(io.fs, env, p.project, p.wheel, { requested: p.requested, compile: !flags.has('--no-compile'), sha256 });
      io.countWrite(res.realBytes);
      newScripts.push(...res.scripts);
      if (!noCache && !cacheHas(p.project.wheel.file)) cache.push(...cacheEntries(p.project, metadataSize(p.wheel)));
    }
    if (cache.length) {
      mkdirs(io.fs, cacheDir);
      writeEntries(io.fs, cacheDir, cache);
    }
    const pathDirs = (io.env.get('PATH') ?? '').split(':');
    if (newScripts.length && !pathDirs.includes(env.binDir) && !flags.has('--no-warn-script-location')) {
      const list = newScripts.sort();
      stderr += list.length === 1
        ? `  WARNING: The script ${list[0]} is installed in '${env.binDir}' which is not on PATH.\n`
        : `  WARNING: The scripts ${list.join(', ')} are installed in '${env.binDir}' which is not on PATH.\n`;
      stderr += '  Consider adding this directory to PATH or, if you prefer to suppress this warning, use --no-warn-script-location.\n';
    }
    const done = todo.map((p) => `${p.name}-${p.project.version}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (!quiet) stdout += `Successfully installed ${done.join(' ')}\n`;
  }
  const action = values.get('--root-user-action')?.[0] ?? io.env.get('PIP_ROOT_USER_ACTION');
  if (io.user.uid === 0 && !env.venv && action !== 'ignore') stderr += ROOT_WARNING;
  return out(stdout, stderr, 0);
}

/** The wheel's file name for this interpreter (`cp3XX` in the catalog is the image's CPython tag). */
export function wheelName(p: PipProject, env: { version: string }): string {
  return p.wheel.file.replaceAll('cp3XX', `cp${env.version.replace('.', '')}`);
}

/** Removes a project's files (its RECORD's paths) and its dist-info. */
function uninstall(io: CommandIO, site: string, key: string, fallbackTops: string[]): void {
  for (const n of io.fs.readdir(site)) {
    const d = /^(.+)-([^-]+)\.dist-info$/.exec(n);
    if (!d || normalizeName(d[1]) !== key) continue;
    let record = readText(io, `${site}/${n}/RECORD`) ?? '';
    // Simulation: a base image's RECORD the catalog keeps only by size has no readable rows; the
    // new wheel's top-level names stand in for them.
    if (!/^([^\0-\x1f,]+,[^,\n]*,\d*\n)*$/.test(record)) record = fallbackTops.map((t) => `${t}/,,\n`).join('');
    // pip removes the files RECORD lists and, with them, the package directories they fill (compress_for_rename).
    const tops = new Set<string>();
    for (const line of record.split('\n')) {
      const p = line.split(',')[0];
      if (!p) continue;
      if (!p.startsWith('../') && p.includes('/')) tops.add(p.slice(0, p.indexOf('/')));
      try {
        io.fs.rm(resolvePath(site, p), { force: true });
      } catch {
        // already gone
      }
    }
    // A directory left with no files (only emptied subdirectories) goes too; a shared namespace directory stays.
    const hasFiles = (dir: string): boolean => {
      let names: string[] = [];
      try {
        names = io.fs.readdir(dir);
      } catch {
        return false;
      }
      return names.some((c) => (io.fs.lstat(`${dir}/${c}`).type === 'dir' ? hasFiles(`${dir}/${c}`) : true));
    };
    for (const t of tops) if (!hasFiles(`${site}/${t}`)) io.fs.rm(`${site}/${t}`, { recursive: true, force: true });
    io.fs.rm(`${site}/${n}`, { recursive: true, force: true });
  }
}

function pipVersion(io: CommandIO, env: PythonEnv | undefined): CommandOutput {
  if (!env) return out('', 'pip: no Python installation found\n', 1);
  const v = [...installedIn(io, env.sitePackages)].find(([k]) => k === 'pip')?.[1] ?? '25.0.1';
  return out(`pip ${v} from ${env.sitePackages}/pip (python ${env.version})\n`);
}

function list(io: CommandIO, env: PythonEnv | undefined, freeze: boolean): CommandOutput {
  if (!env) return out('', 'pip: no Python installation found\n', 1);
  const rows: [string, string][] = [];
  for (const n of io.fs.readdir(env.sitePackages).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))) {
    const d = /^(.+)-([^-]+)\.dist-info$/.exec(n);
    if (!d) continue;
    const meta = readText(io, `${env.sitePackages}/${n}/METADATA`) ?? '';
    rows.push([/^Name: (.*)$/m.exec(meta)?.[1] ?? d[1], d[2]]);
  }
  if (freeze) return out(rows.filter(([n]) => !['pip', 'setuptools', 'wheel', 'distribute'].includes(n.toLowerCase())).map(([n, v]) => `${n}==${v}\n`).join(''));
  const w = Math.max(7, ...rows.map(([n]) => n.length));
  const vw = Math.max(7, ...rows.map(([, v]) => v.length));
  return out(`${'Package'.padEnd(w)} ${'Version'.padEnd(vw)}\n${'-'.repeat(w)} ${'-'.repeat(vw)}\n${rows.map(([n, v]) => `${n.padEnd(w)} ${v}\n`).join('')}`);
}

async function pipMain(io: CommandIO, args: string[], env: PythonEnv | undefined): Promise<CommandOutput> {
  const [cmd, ...rest] = args;
  switch (cmd) {
    case 'install':
      return install(io, rest, env);
    case '-V': case '--version':
      return pipVersion(io, env);
    case 'list':
      return list(io, env, false);
    case 'freeze':
      return list(io, env, true);
    case undefined:
      return out('\nUsage:   \n  pip <command> [options]\n\nCommands:\n  install                     Install packages.\n  list                        List installed packages.\n  freeze                      Output installed packages in requirements format.\n');
    default:
      return out('', `ERROR: layerlab: \`pip ${cmd}\` is not modelled (modelled: install, list, freeze, --version)\n`, 1);
  }
}

/** The pip CLI (pip, pip3, pip3.12, /venv/bin/pip): installs into the environment its script belongs to. */
export async function pip(io: CommandIO): Promise<CommandOutput> {
  return pipMain(io, io.args, envOfPip(io));
}

/** `python -m venv DIR` (PEP 405 layout as CPython 3.12 makes it, with pip from the installation's own copy, as ensurepip installs it). */
function venv(io: CommandIO, env: PythonEnv, args: string[], called: string): CommandOutput {
  const withoutPip = args.includes('--without-pip');
  const systemSite = args.includes('--system-site-packages');
  const dirArg = args.find((a) => !a.startsWith('-'));
  if (!dirArg) return out('', 'usage: venv [-h] [--system-site-packages] [--symlinks | --copies] [--clear] [--upgrade] [--without-pip] [--prompt PROMPT] [--upgrade-deps] ENV_DIR [ENV_DIR ...]\nvenv: error: the following arguments are required: ENV_DIR\n', 2);
  const dir = resolvePath(io.cwd, dirArg);
  const v = env.version;
  mkdirs(io.fs, dir);
  const site = `${dir}/lib/python${v}/site-packages`;
  mkdirs(io.fs, site);
  mkdirs(io.fs, `${dir}/include/python${v}`);
  mkdirs(io.fs, `${dir}/bin`);
  if (!lexists(io, `${dir}/lib64`)) io.fs.symlink('lib', `${dir}/lib64`);
  const cfg = `home = ${called.slice(0, called.lastIndexOf('/'))}\ninclude-system-site-packages = ${systemSite}\nversion = ${env.fullVersion}\nexecutable = ${io.fs.realpath(called)}\ncommand = ${called} -m venv ${dir}\n`;
  io.fs.writeFile(`${dir}/pyvenv.cfg`, new TextEncoder().encode(cfg));
  const link = (target: string, name: string) => {
    if (!lexists(io, `${dir}/bin/${name}`)) io.fs.symlink(target, `${dir}/bin/${name}`);
  };
  link(called, 'python');
  link('python', 'python3');
  link('python', `python${v}`);
  // The activation scripts are the installation's templates with the venv's paths filled in.
  const templates = `${env.sitePackages.replace(/\/site-packages$/, '')}/venv/scripts`;
  for (const [tpl, name] of [['common/activate', 'activate'], ['posix/activate.csh', 'activate.csh'], ['posix/activate.fish', 'activate.fish'], ['common/Activate.ps1', 'Activate.ps1']]) {
    const text = readText(io, `${templates}/${tpl}`);
    if (text === undefined) continue;
    const filled = text.includes('__VENV_DIR__')
      ? text.replaceAll('__VENV_DIR__', dir).replaceAll('__VENV_NAME__', dir.slice(dir.lastIndexOf('/') + 1)).replaceAll('__VENV_PROMPT__', dir.slice(dir.lastIndexOf('/') + 1)).replaceAll('__VENV_BIN_NAME__', 'bin').replaceAll('__VENV_PYTHON__', `${dir}/bin/python`)
      : undefined;
    // Simulation: a template the base catalog keeps only by size is written with that size.
    const content = filled !== undefined ? textContent(filled) : new SyntheticContent(io.fs.stat(`${templates}/${tpl}`).size, name.length);
    if (io.fs.writeContent) io.fs.writeContent(`${dir}/bin/${name}`, content, { mode: 0o644 });
    else io.fs.writeFile(`${dir}/bin/${name}`, content.read(), { mode: 0o644 });
  }
  if (!withoutPip) copyPip(io, env, dir, site, v);
  return out('');
}

/** ensurepip: the installation's pip (and its dist-info) copied into the venv, contents by reference; scripts for the venv's python. */
function copyPip(io: CommandIO, env: PythonEnv, dir: string, site: string, v: string): void {
  // The installation's own pip (Debian's python3-pip lives in /usr/lib/python3/dist-packages).
  let from = env.sitePackages;
  let pipDirs: string[] = [];
  for (const dir of [env.sitePackages, '/usr/lib/python3/dist-packages']) {
    try {
      pipDirs = io.fs.readdir(dir).filter((n) => n === 'pip' || /^pip-[^-]+\.(dist|egg)-info$/.test(n));
    } catch {
      pipDirs = [];
    }
    from = dir;
    if (pipDirs.length) break;
  }
  const entries: GraftEntry[] = [];
  const walk = (abs: string, rel: string) => {
    for (const n of io.fs.readdir(abs)) {
      const a = `${abs}/${n}`;
      const r = `${rel}/${n}`;
      const st = io.fs.lstat(a);
      if (st.type === 'dir') {
        entries.push({ path: r, type: 'dir', mode: st.mode & 0o7777 });
        walk(a, r);
      } else if (st.type === 'symlink') entries.push({ path: r, type: 'symlink', mode: 0o777, target: io.fs.readlink(a) });
      else if (st.type === 'file') entries.push({ path: r, type: 'file', mode: st.mode & 0o7777, content: io.fs.readContent ? io.fs.readContent(a) : textContent(dec.decode(io.fs.readFile(a))) });
    }
  };
  for (const d of pipDirs) walk(`${from}/${d}`, d);
  writeEntries(io.fs, site, entries);
  for (const s of ['pip', 'pip3', `pip${v}`]) {
    io.fs.writeFile(`${dir}/bin/${s}`, new TextEncoder().encode(consoleScript(`${dir}/bin/python`, 'pip._internal.cli.main', 'main')), { mode: 0o755 });
    io.fs.chmod(`${dir}/bin/${s}`, 0o755);
  }
}

/** `python`/`python3`/`python3.12`: the parts a Dockerfile uses around packages (`-m pip`, `-m venv`, `--version`). */
export async function python(io: CommandIO): Promise<CommandOutput> {
  const path = io.env.get('PATH') ?? '/usr/local/bin:/usr/bin:/bin';
  const called = io.program ?? which(io.fs, io.name, path) ?? io.name;
  const env = called.includes('/') ? pythonEnvOf(io.fs, called, io.env.get('PYTHON_VERSION')) : undefined;
  const args = io.args.filter((a) => a !== '-u' && a !== '-B' && a !== '-q');
  if (args[0] === '-V' || args[0] === '--version') return out(`Python ${env?.fullVersion ?? '3'}\n`);
  if (env && args[0] === '-m' && args[1] === 'pip') return pipMain(io, args.slice(2), envOfPip(io, called));
  if (env && args[0] === '-m' && args[1] === 'venv') return venv(io, env, args.slice(2), called);
  const real = (() => {
    try {
      return io.fs.realpath(called);
    } catch {
      return called;
    }
  })();
  return out('', `${io.name}: cannot run ${real}: a binary program that layerlab does not simulate (modelled: -m pip, -m venv, --version)\n`, 126);
}
