/**
 * Which Python a `pip` or `python` call belongs to, and where it installs: the interpreter named
 * by the pip script's `#!` line (or the python called), a virtual environment when `pyvenv.cfg`
 * sits above its bin directory (PEP 405), the prefix's `lib/pythonX.Y/site-packages` otherwise,
 * `~/.local` for `--user`, and Debian's own python3 (`/usr/bin/python3`), whose
 * `/usr/lib/python3.X/EXTERNALLY-MANAGED` makes pip refuse (PEP 668).
 */
import type { ShellFs } from '../types.ts';

/** One Python installation or venv as pip sees it. */
export interface PythonEnv {
  /** The interpreter as scripts name it in their `#!` line (`/usr/local/bin/python3.12`, `/venv/bin/python`). */
  interpreter: string;
  /** `3.12` */
  version: string;
  /** `3.12.13` */
  fullVersion: string;
  /** Where packages go (`/usr/local/lib/python3.12/site-packages`). */
  sitePackages: string;
  /** Where console scripts go. */
  binDir: string;
  /** The venv's directory, when the interpreter is inside one. */
  venv?: string;
  /** PEP 668's marker file when the installation is managed by the OS package manager. */
  externallyManaged?: string;
}

function lexists(fs: ShellFs, p: string): boolean {
  try {
    fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

function readText(fs: ShellFs, p: string): string | undefined {
  try {
    return new TextDecoder().decode(fs.readFile(p));
  } catch {
    return undefined;
  }
}

const dirOf = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';

/** Finds an executable on PATH (as the shell would), or undefined. */
export function which(fs: ShellFs, name: string, path: string): string | undefined {
  if (name.includes('/')) return lexists(fs, name) ? name : undefined;
  for (const d of path.split(':')) {
    if (!d) continue;
    const p = `${d.replace(/\/$/, '')}/${name}`;
    try {
      const st = fs.stat(p);
      if (st.type === 'file' && st.mode & 0o111) return p;
    } catch {
      // next directory
    }
  }
  return undefined;
}

/** The interpreter a script runs with: its `#!` line's program (`#!/usr/local/bin/python3.12`). */
export function shebangOf(fs: ShellFs, script: string): string | undefined {
  const text = readText(fs, script);
  const m = text && /^#!\s*(\S+)(?:\s+(\S+))?/.exec(text);
  if (!m) return undefined;
  // `#!/usr/bin/env python3`: the interpreter is looked up on PATH when the script runs.
  return m[1].endsWith('/env') && m[2] ? m[2] : m[1];
}

/**
 * The environment of an interpreter path as called. `pythonVersionEnv` is the image's
 * PYTHON_VERSION (the official images set it) for the full version.
 */
export function pythonEnvOf(fs: ShellFs, interpreter: string, pythonVersionEnv?: string): PythonEnv | undefined {
  let real = interpreter;
  try {
    real = fs.realpath(interpreter);
  } catch {
    return undefined;
  }
  const bin = dirOf(interpreter);
  const root = dirOf(bin);
  const cfg = readText(fs, `${root === '/' ? '' : root}/pyvenv.cfg`);
  const fromName = /python(\d+\.\d+)$/.exec(real)?.[1];
  if (cfg !== undefined) {
    const full = /^version(?:_info)?\s*=\s*(\S+)/m.exec(cfg)?.[1] ?? fromName ?? '3';
    const version = /^\d+\.\d+/.exec(full)?.[0] ?? full;
    return { interpreter, version, fullVersion: full, sitePackages: `${root}/lib/python${version}/site-packages`, binDir: bin, venv: root };
  }
  if (!fromName) return undefined;
  const version = fromName;
  const prefix = dirOf(dirOf(real));
  const fullVersion = pythonVersionEnv?.startsWith(version + '.') ? pythonVersionEnv : prefix === '/usr' ? debianVersion(fs, version) : version;
  if (prefix === '/usr') {
    // Debian's python3: pip installs to /usr/local (dist-packages), if PEP 668 lets it.
    const marker = `/usr/lib/python${version}/EXTERNALLY-MANAGED`;
    return { interpreter, version, fullVersion, sitePackages: `/usr/local/lib/python${version}/dist-packages`, binDir: '/usr/local/bin', externallyManaged: lexists(fs, marker) ? marker : undefined };
  }
  return { interpreter, version, fullVersion, sitePackages: `${prefix}/lib/python${version}/site-packages`, binDir: `${prefix}/bin` };
}

/** Debian's python3.X version (`3.11.2`) from dpkg's status file, or `3.11` when it is not there. */
function debianVersion(fs: ShellFs, version: string): string {
  const status = readText(fs, '/var/lib/dpkg/status') ?? '';
  const at = status.indexOf(`Package: python${version}-minimal\n`);
  const m = at >= 0 ? /\nVersion: (?:\d+:)?([\d.]+)/.exec(status.slice(at, status.indexOf('\n\n', at) >>> 0)) : null;
  return m?.[1] ?? version;
}

/** The `--user` scheme of an environment (`~/.local/lib/pythonX.Y/site-packages`, `~/.local/bin`). */
export function userScheme(env: PythonEnv, home: string): PythonEnv {
  return { ...env, sitePackages: `${home}/.local/lib/python${env.version}/site-packages`, binDir: `${home}/.local/bin`, externallyManaged: env.externallyManaged };
}
