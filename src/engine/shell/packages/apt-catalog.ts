/**
 * The offline apt archive: what `apt-get update` would download and `apt-get install` unpack, read
 * from `public/catalog/apt/<codename>/` (generated from Debian's real archive by
 * scripts/catalog/apt.mjs; format in README.md). The index (every package's control fields) loads
 * once per codename; a package's file list loads only when that package is installed.
 */
import { LayerlabError } from '../../errors.ts';
import { ApkCatalog } from './apk-catalog.ts';

/** Reads a static asset (the host's `asset`, e.g. `catalog/apt/bookworm/index.json`). */
export type AssetLoader = (path: string) => Promise<Uint8Array>;

/** One alternative of a dependency: `libc6 (>= 2.34)`, `awk:any`. */
export interface DepAtom {
  name: string;
  op?: string;
  version?: string;
  arch?: string;
}
/** A dependency field: OR-groups (`a | b`) joined by commas. */
export type DepList = DepAtom[][];

/** A binary package of the archive as its Packages stanza describes it. */
export interface AptPackage {
  name: string;
  version: string;
  architecture: string;
  multiArch: string;
  priority: string;
  section: string;
  essential: boolean;
  /** KiB, as dpkg counts (`Installed-Size`). */
  installedSize: number;
  /** Bytes of the .deb. */
  size: number;
  /** The first source (in sources order) that has the candidate version: `noble-updates`. */
  suite: string;
  /** Its component (`main`, `universe`…; bookworm's rows have none: `main`). */
  component: string;
  /** The base URI apt fetches the suite from (`http://archive.ubuntu.com/ubuntu`). */
  uri: string;
  /** Every version of the name in every source, newest first, as `apt-cache policy` lists them (empty for bookworm's rows: only the candidate's suite is known). */
  origins: AptOrigin[];
  filename: string;
  preDepends: DepList;
  depends: DepList;
  recommends: DepList;
  suggests: DepList;
  provides: DepList;
  conflicts: DepList;
  breaks: DepList;
  source: string;
  description: string;
  maintainer: string;
  sha256: string;
  /** The raw fields, for `apt-cache show`. */
  raw: Record<string, string>;
}

/** A version of a package in one source (`8.5.0-2ubuntu10.6 noble-security/main`, pin 500). */
export interface AptOrigin {
  version: string;
  /** `suite/component`. */
  source: string;
  pin: number;
}

/** One list file `apt-get update` writes (and the download it stands for). */
export interface AptListFacts {
  suite: string;
  uri: string;
  /** The component of this Packages list (absent: `main`, bookworm's only one). */
  component?: string;
  inRelease: string;
  inReleaseSize: number;
  packages: string;
  packagesSize: number;
  packagesDownload: number;
  date: string;
}

/** A package's contents as dpkg unpacks them. */
export interface PackageFiles {
  package: string;
  version: string;
  /** Its /var/lib/dpkg/status stanza (with `Status: install ok installed`). */
  status: string;
  /** Control-archive members (md5sums, conffiles, postinst…): text, or a size when only the size is kept. */
  control: Record<string, string | number>;
  entries: PackageEntry[];
}

/** One member of the data archive, as `dpkg-deb -c` lists it. */
export interface PackageEntry {
  path: string;
  kind: 'd' | 'f' | 'l' | 'h';
  mode: number;
  uid: number;
  gid: number;
  /** File size (for `f`). */
  size: number;
  /** Real bytes of a small text file (configs, scripts, copyright). */
  text?: string;
  /** Symlink target, or the path a hard link points at. */
  target?: string;
}

/** Parses `libc6 (>= 2.34), awk | mawk` into OR-groups. */
export function parseDepList(s: string): DepList {
  if (!s) return [];
  const out: DepList = [];
  for (const g of s.split(',')) {
    if (!g.trim()) continue;
    out.push(
      g.split('|').map((a) => {
        const m = /^\s*([^\s(:]+)(?::(\S+))?\s*(?:\(\s*([<>=]+)\s*([^)\s]+)\s*\))?/.exec(a)!;
        return { name: m[1], arch: m[2], op: m[3], version: m[4] };
      }),
    );
  }
  return out;
}

function invalid(what: string, data: Record<string, unknown> = {}): LayerlabError {
  return new LayerlabError('catalog/invalid', `apt catalog: ${what}`, data);
}

const COLUMNS = ['package', 'version', 'architecture', 'multiArch', 'priority', 'section', 'essential', 'installedSize', 'size', 'suite',
  'filename', 'preDepends', 'depends', 'recommends', 'suggests', 'provides', 'conflicts', 'breaks', 'source', 'description', 'maintainer', 'sha256',
  'component', 'origins'];

/** `8.5.0-2ubuntu10.6 noble-updates/main 500,…` (the `origins` column). */
function parseOrigins(s: string): AptOrigin[] {
  if (!s) return [];
  return s.split(',').map((o) => {
    const [version, source, pin] = o.split(' ');
    return { version, source, pin: Number(pin) };
  });
}

/** The archive of one distribution release (bookworm, noble): packages by name, providers of virtual names. */
export class AptCatalog {
  readonly packages = new Map<string, AptPackage>();
  readonly providers = new Map<string, string[]>();
  private files = new Map<string, Promise<PackageFiles>>();
  private namesP?: Promise<Set<string>>;

  constructor(
    readonly codename: string,
    readonly lists: AptListFacts[],
    readonly generated: string,
    rows: unknown[][],
    private readonly asset: AssetLoader,
    /** Whose package files these are: another release's when this one's index says `packagesFrom`. */
    readonly dataCodename: string = codename,
  ) {
    const uris = new Map(lists.map((l) => [l.suite, l.uri]));
    for (const r of rows) {
      const [name, version, architecture, multiArch, priority, section, essential, installedSize, size, suite, filename,
        preDepends, depends, recommends, suggests, provides, conflicts, breaks, source, description, maintainer, sha256, component, origins] = r as string[];
      const raw: Record<string, string> = {};
      COLUMNS.forEach((c, i) => (raw[c] = String(r[i] ?? '')));
      const p: AptPackage = {
        name, version, architecture, multiArch, priority, section, essential: Number(essential) === 1,
        installedSize: Number(installedSize), size: Number(size), suite, component: component || 'main', uri: uris.get(suite) ?? '', origins: parseOrigins(origins ?? ''), filename,
        preDepends: parseDepList(preDepends), depends: parseDepList(depends), recommends: parseDepList(recommends),
        suggests: parseDepList(suggests), provides: parseDepList(provides), conflicts: parseDepList(conflicts), breaks: parseDepList(breaks),
        source: source || name, description, maintainer, sha256, raw,
      };
      this.packages.set(name, p);
      for (const g of p.provides) {
        const v = g[0].name;
        if (!this.providers.has(v)) this.providers.set(v, []);
        this.providers.get(v)!.push(name);
      }
    }
  }

  /**
   * Reads `index.json` of a codename. An index with `packagesFrom` (trixie's) has its own lists
   * (what `apt-get update` fetches) and takes its packages from that release's catalog, their
   * suites renamed (Simulation: the catalog's trixie images are bookworm's package tree with
   * trixie's release files, so that is what their dpkg status and their installs hold).
   */
  static async load(asset: AssetLoader, codename: string): Promise<AptCatalog> {
    const j = await readIndex(asset, codename);
    if (typeof j.packagesFrom !== 'string') return new AptCatalog(codename, j.lists!, j.generated ?? '', j.packages!, asset);
    const from = j.packagesFrom;
    const base = await readIndex(asset, from);
    const suite = COLUMNS.indexOf('suite');
    const rows = base.packages!.map((r) => r.map((v, i) => (i === suite && typeof v === 'string' && v.startsWith(from) ? codename + v.slice(from.length) : v)));
    return new AptCatalog(codename, j.lists!, base.generated ?? '', rows, asset, from);
  }

  /** Where the list of what the catalog holds lives (for "not in the offline catalog" notes). */
  get indexPath(): string {
    return `public/catalog/apt/${this.dataCodename}/index.json`;
  }

  /** The files of a package (loaded once). */
  filesOf(name: string): Promise<PackageFiles> {
    let p = this.files.get(name);
    if (!p) {
      p = this.asset(`catalog/apt/${this.dataCodename}/pkg/${name}.json`).then((b) => decodePackageFiles(b, name));
      p.catch(() => this.files.delete(name));
      this.files.set(name, p);
    }
    return p;
  }

  /** The distribution's name for messages: `Debian` or `Ubuntu` (from the list URIs). */
  get vendor(): string {
    return this.lists.some((l) => l.uri.includes('ubuntu')) ? 'Ubuntu' : 'Debian';
  }

  /** True if the archive has a binary package of that name (even one the offline catalog lacks). */
  async inArchive(name: string): Promise<boolean> {
    this.namesP ??= this.asset(`catalog/apt/${this.dataCodename}/archive-names.txt`)
      .then((b) => new Set(new TextDecoder().decode(b).split('\n')))
      .catch(() => new Set<string>());
    return (await this.namesP).has(name);
  }
}

type AptIndex = { format?: string; lists?: AptListFacts[]; packages?: unknown[][]; generated?: string; packagesFrom?: string };

async function readIndex(asset: AssetLoader, codename: string): Promise<AptIndex> {
  const bytes = await asset(`catalog/apt/${codename}/index.json`);
  let j: AptIndex;
  try {
    j = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw invalid('index.json is not JSON', { codename, cause: String(e) });
  }
  if (j.format !== 'layerlab-apt/1' || !Array.isArray(j.packages) || !Array.isArray(j.lists)) throw invalid('index.json has the wrong format', { codename });
  return j;
}

/** Decodes a `pkg/<name>.json` file (prefix-compressed entry lines, see README.md). */
export function decodePackageFiles(bytes: Uint8Array, name: string): PackageFiles {
  let j: { format?: string; package?: string; version?: string; status?: string; control?: Record<string, string | number>; entries?: string; texts?: string[] };
  try {
    j = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw invalid(`pkg/${name}.json is not JSON`, { package: name, cause: String(e) });
  }
  if (j.format !== 'layerlab-apt/1' || typeof j.entries !== 'string') throw invalid(`pkg/${name}.json has the wrong format`, { package: name });
  const texts = j.texts ?? [];
  const entries: PackageEntry[] = [];
  let prev = '';
  for (const line of j.entries ? j.entries.split('\n') : []) {
    const [shared, rest, km, owner, data] = line.split('\t');
    const path = prev.slice(0, Number(shared || 0)) + rest;
    prev = path;
    const kind = km[0] as PackageEntry['kind'];
    const mode = kind === 'l' ? 0o777 : parseInt(km.slice(1), 8);
    const [uid, gid] = owner ? owner.split(':').map(Number) : [0, 0];
    const e: PackageEntry = { path, kind, mode, uid, gid, size: 0 };
    if (kind === 'f') {
      if (data.startsWith('=')) {
        e.text = texts[Number(data.slice(1))];
        e.size = new TextEncoder().encode(e.text).length;
      } else e.size = Number(data);
    } else if (kind === 'l' || kind === 'h') e.target = data;
    entries.push(e);
  }
  return { package: j.package ?? name, version: j.version ?? '', status: j.status ?? '', control: j.control ?? {}, entries };
}

/** Loads catalogs lazily, once per codename, from the host's assets. */
export class PackageCatalogs {
  private apt = new Map<string, Promise<AptCatalog | undefined>>();
  private apkP?: Promise<ApkCatalog | undefined>;
  constructor(private readonly asset: AssetLoader) {}

  /** The offline Alpine index (apk), or undefined when the assets have none. */
  apk(): Promise<ApkCatalog | undefined> {
    this.apkP ??= ApkCatalog.load(this.asset).catch((e) => {
      if (e instanceof LayerlabError && e.code === 'catalog/invalid') throw e;
      return undefined;
    });
    return this.apkP;
  }

  /** The apt archive of a Debian/Ubuntu codename, or undefined if the offline catalog has none. */
  aptFor(codename: string): Promise<AptCatalog | undefined> {
    let p = this.apt.get(codename);
    if (!p) {
      p = AptCatalog.load(this.asset, codename).catch((e) => {
        if (e instanceof LayerlabError && e.code === 'catalog/invalid') throw e;
        return undefined;
      });
      this.apt.set(codename, p);
    }
    return p;
  }
}
