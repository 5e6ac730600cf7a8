/**
 * The files maintainer scripts and triggers add after dpkg unpacks packages, modelled from the
 * real scripts' behaviour and sized against real bookworm installs (scripts/catalog/apt-layers.json):
 * Python byte-compilation (py3compile in postinst), ldconfig's `/etc/ld.so.cache`, debconf's
 * template and config caches, update-ca-certificates, update-alternatives.
 */
import { SyntheticContent } from '../../fs/content.ts';
import type { ShellFs } from '../types.ts';
import type { PackageFiles } from './apt-catalog.ts';
import { alternativesOf, applyAlternative, fnv1a, writeContent } from './dpkg-unpack.ts';
import { mkdirp } from './apt-system.ts';

/**
 * Simulation: a `.pyc` is sized 1.122 × its `.py` — the ratio of the 550 files py3compile wrote for
 * `apt-get install --no-install-recommends python3` on bookworm (11,675,110 / 10,407,686 bytes).
 */
export const PYC_RATIO = 1.122;

function exists(fs: ShellFs, p: string): boolean {
  try {
    fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

function sizeOf(fs: ShellFs, p: string): number {
  try {
    return fs.stat(p).size;
  } catch {
    return 0;
  }
}

/** What one configure run produced, for the command's output. */
export interface EffectsResult {
  /** Real (non-synthetic) bytes written, for the shell's quota. */
  bytes: number;
  /** Lines a postinst prints (update-ca-certificates). */
  output: Map<string, string[]>;
  ldconfig: boolean;
}

/** Runs the modelled maintainer-script effects of newly configured packages. */
export function configureEffects(fs: ShellFs, pkgs: PackageFiles[], kept: Map<string, Set<string>>): EffectsResult {
  let bytes = 0;
  const output = new Map<string, string[]>();
  let ldconfig = false;
  let templates = 0;
  for (const p of pkgs) {
    const paths = kept.get(p.package) ?? new Set<string>();
    const postinst = typeof p.control.postinst === 'string' ? p.control.postinst : '';
    // py3compile / pycompile: byte-compile the package's modules into __pycache__ (cpython-3.11 tag).
    if (/py3compile|pycompile|compileall/.test(postinst) || /^(lib)?python3\.\d+-(minimal|stdlib)$/.test(p.package)) {
      const ver = /python3\.(\d+)/.exec(p.entries.find((e) => /\/python3\.\d+\//.test(e.path))?.path ?? '')?.[1] ?? '11';
      for (const e of p.entries) {
        if (e.kind !== 'f' || !e.path.endsWith('.py') || !paths.has(e.path)) continue;
        if (!/^\/usr\/lib\/python3(\.\d+)?\//.test(e.path) || /\/(test|tests|idle_test|lib2to3\/tests)\//.test(e.path)) continue;
        const dir = e.path.slice(0, e.path.lastIndexOf('/')) + '/__pycache__';
        const name = e.path.slice(e.path.lastIndexOf('/') + 1, -3);
        const pyc = `${dir}/${name}.cpython-3${ver}.pyc`;
        mkdirp(fs, dir);
        const size = Math.round(e.size * PYC_RATIO);
        writeContent(fs, pyc, new SyntheticContent(size, fnv1a(`pyc|${pyc}`)));
      }
    }
    // Shared libraries in the linker's directories trigger libc-bin's ldconfig.
    if (p.entries.some((e) => /^\/(usr\/)?lib\/x86_64-linux-gnu\/[^/]+\.so(\.\d+)*$/.test(e.path))) ldconfig = true;
    if (typeof p.control.templates === 'number' || typeof p.control.templates === 'string') {
      templates += typeof p.control.templates === 'number' ? p.control.templates : new TextEncoder().encode(p.control.templates).length;
    }
    for (const a of alternativesOf(p.control.postinst)) if (applyAlternative(fs, a)) bytes += 64;
    if (p.package === 'ca-certificates') {
      const r = updateCaCertificates(fs, paths);
      bytes += r.bytes;
      output.set(p.package, ['Updating certificates in /etc/ssl/certs...', `${r.count} added, 0 removed; done.`]);
    }
  }
  if (ldconfig) {
    // Simulation: ld.so.cache grows by about 70 bytes per library of the new packages
    // (bookworm: 4,523 → 5,639 bytes for curl's 16 new libraries).
    let libs = 0;
    for (const p of pkgs) for (const e of p.entries) if (/^\/(usr\/)?lib\/x86_64-linux-gnu\/lib[^/]+\.so\.\d+$/.test(e.path)) libs++;
    const size = sizeOf(fs, '/etc/ld.so.cache') + 70 * libs;
    writeContent(fs, '/etc/ld.so.cache', new SyntheticContent(size, fnv1a(`ld.so.cache|${size}`)));
  }
  if (templates > 0) {
    // Simulation: debconf rewrites its caches and keeps the previous ones as -old; the growth is
    // modelled from ca-certificates' (26,265-byte templates: templates.dat +28,385, config.dat +12,480).
    for (const [db, factor] of [['templates.dat', 1.08], ['config.dat', 0.475]] as const) {
      const path = `/var/cache/debconf/${db}`;
      const old = sizeOf(fs, path);
      const size = old + Math.round(templates * factor);
      writeContent(fs, `${path}-old`, new SyntheticContent(old, fnv1a(`${path}|${old}`)));
      writeContent(fs, path, new SyntheticContent(size, fnv1a(`${path}|${size}`)));
    }
  }
  return { bytes, output, ldconfig };
}

/**
 * update-ca-certificates: one `/etc/ssl/certs/<name>.pem` symlink per certificate of
 * /usr/share/ca-certificates, a hash link to each, the bundle `ca-certificates.crt` (their
 * concatenation) and `/etc/ca-certificates.conf` (what ca-certificates' postinst selects).
 */
function updateCaCertificates(fs: ShellFs, paths: Set<string>): { bytes: number; count: number } {
  const certs = [...paths].filter((p) => /^\/usr\/share\/ca-certificates\/.+\.crt$/.test(p)).sort();
  let bundle = 0;
  mkdirp(fs, '/etc/ssl/certs');
  for (const c of certs) {
    const name = c.slice(c.lastIndexOf('/') + 1, -4);
    const pem = `/etc/ssl/certs/${name}.pem`;
    if (!exists(fs, pem)) fs.symlink(c, pem);
    const hash = `/etc/ssl/certs/${fnv1a(name).toString(16).padStart(8, '0')}.0`;
    if (!exists(fs, hash)) fs.symlink(`${name}.pem`, hash);
    bundle += sizeOf(fs, c);
  }
  const conf = '# This file lists certificates that you wish to use or to ignore to be\n# installed in /etc/ssl/certs.\n# update-ca-certificates(8) will update /etc/ssl/certs by reading this file.\n#\n# This is autogenerated by dpkg-reconfigure ca-certificates.\n# Certificates should be installed under /usr/share/ca-certificates\n# and files with extension \'.crt\' is recognized as available certificate.\n#\n# line begins with # is comment.\n# line begins with ! is certificate filename to be deselected.\n#\n' +
    certs.map((c) => c.replace('/usr/share/ca-certificates/', '') + '\n').join('');
  const confBytes = new TextEncoder().encode(conf);
  fs.writeFile('/etc/ca-certificates.conf', confBytes);
  writeContent(fs, '/etc/ssl/certs/ca-certificates.crt', new SyntheticContent(bundle, fnv1a(`ca-bundle|${bundle}`)));
  return { bytes: confBytes.length, count: certs.length };
}
