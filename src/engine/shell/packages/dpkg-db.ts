/**
 * dpkg's database inside an image: `/var/lib/dpkg/status` (one stanza per package, sorted by
 * name), `info/<pkg>[:arch].list` and friends, and the `path-exclude`/`path-include` filters of
 * `/etc/dpkg/dpkg.cfg.d/*` (the slim images' `docker` file drops docs, man pages and locales).
 * Formats as dpkg writes them (man dpkg, deb-control(5), lib/dpkg/dump.c).
 */
import type { ShellFs } from '../types.ts';

/** One installed (or half-removed) package of the status file. */
export interface StatusStanza {
  name: string;
  version: string;
  architecture: string;
  multiArch: string;
  /** `install ok installed`, `deinstall ok config-files`, … */
  status: string;
  /** The stanza as written, without its trailing blank line. */
  text: string;
}

const STATUS = '/var/lib/dpkg/status';
const decoder = new TextDecoder();

function field(text: string, name: string): string {
  const m = new RegExp(`^${name}: (.*)$`, 'm').exec(text);
  return m ? m[1].trim() : '';
}

/** Parses the status file's text. */
export function parseStatus(text: string): Map<string, StatusStanza> {
  const out = new Map<string, StatusStanza>();
  for (const block of text.split(/\n\n+/)) {
    const t = block.replace(/\n+$/, '');
    if (!t.trim()) continue;
    const name = field(t, 'Package');
    if (!name) continue;
    out.set(name, { name, version: field(t, 'Version'), architecture: field(t, 'Architecture'), multiArch: field(t, 'Multi-Arch'), status: field(t, 'Status'), text: t });
  }
  return out;
}

/** The status file of the image, or an empty database if there is none. */
export function readStatus(fs: ShellFs): Map<string, StatusStanza> {
  try {
    return parseStatus(decoder.decode(fs.readFile(STATUS)));
  } catch {
    return new Map();
  }
}

/** The status file's text: stanzas sorted by package name, each followed by a blank line. */
export function formatStatus(db: Map<string, StatusStanza>): string {
  return [...db.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((s) => s.text + '\n').join('\n');
}

/** A stanza from its text (e.g. the catalog's status text of a package). */
export function stanzaOf(text: string): StatusStanza {
  return parseStatus(text).values().next().value!;
}

/** Packages that count as installed (`install ok installed`, or unpacked/half-configured ones). */
export function isInstalled(s: StatusStanza | undefined): boolean {
  return !!s && / (installed|unpacked|half-configured|triggers-awaited|triggers-pending)$/.test(s.status);
}

/** The name dpkg uses for info files: `libc6:amd64` for Multi-Arch: same packages, else the plain name. */
export function infoName(s: { name: string; multiArch: string; architecture: string }): string {
  return s.multiArch === 'same' ? `${s.name}:${s.architecture}` : s.name;
}

/** fnmatch(3) without FNM_PATHNAME (dpkg's path filters: `*` crosses `/`). */
function globToRegExp(glob: string): RegExp {
  let r = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') r += '.*';
    else if (c === '?') r += '.';
    else if (c === '[') {
      const j = glob.indexOf(']', i + 1);
      if (j < 0) r += '\\[';
      else {
        r += '[' + glob.slice(i + 1, j).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = j;
      }
    } else r += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp('^' + r + '$');
}

/** dpkg's `--path-exclude`/`--path-include` filters: the last matching option decides. */
export class PathFilter {
  constructor(private readonly rules: { include: boolean; re: RegExp }[]) {}

  /** The filters of `/etc/dpkg/dpkg.cfg.d/*` and `/etc/dpkg/dpkg.cfg`. */
  static read(fs: ShellFs): PathFilter {
    const rules: { include: boolean; re: RegExp }[] = [];
    const files: string[] = ['/etc/dpkg/dpkg.cfg'];
    try {
      for (const n of fs.readdir('/etc/dpkg/dpkg.cfg.d').sort()) if (/^[A-Za-z0-9_-]+$/.test(n)) files.push(`/etc/dpkg/dpkg.cfg.d/${n}`);
    } catch {
      /* no drop-in directory */
    }
    for (const f of files) {
      let text: string;
      try {
        text = decoder.decode(fs.readFile(f));
      } catch {
        continue;
      }
      for (const line of text.split('\n')) {
        const m = /^\s*(path-exclude|path-include)[\s=]+(\S+)/.exec(line);
        if (m) rules.push({ include: m[1] === 'path-include', re: globToRegExp(m[2]) });
      }
    }
    return new PathFilter(rules);
  }

  /** True if dpkg leaves this path out when unpacking. */
  excludes(path: string): boolean {
    let out = false;
    for (const r of this.rules) if (r.re.test(path)) out = !r.include;
    return out;
  }
}
