/**
 * The offline Alpine package index that `apk add` installs from: `public/catalog/apk/index.json`
 * (APKINDEX fields of ~200 packages, one file) and `pkg/<name>.json` (a package's file list, loaded
 * when it is installed), written by scripts/catalog/apk.mjs. Alpine's archive is not reachable from
 * the generating machine, so versions, sizes and dependencies are documented estimates (README.md).
 */
import { LayerlabError } from '../../errors.ts';
import type { AssetLoader } from './apt-catalog.ts';

/** One package as an APKINDEX record describes it (field letters as apk's: P, V, S, I, T, U, L, o, D, p). */
export interface ApkPackage {
  name: string;
  version: string;
  arch: string;
  /** Bytes of the .apk download (S:). */
  size: number;
  /** Installed bytes (I:). */
  installedSize: number;
  description: string;
  url: string;
  license: string;
  origin: string;
  depends: string[];
  provides: string[];
  repo: 'main' | 'community';
}

/** One file of a package (`apk info -L` lists them). */
export interface ApkFile {
  path: string;
  kind: 'f' | 'l' | 'h';
  mode: number;
  size: number;
  target?: string;
}

/** `apk update`'s facts for one branch: the APKINDEX download sizes and description lines. */
export interface ApkBranch {
  main: { size: number; desc: string };
  community: { size: number; desc: string };
  available: number;
}

interface RawIndex {
  format: string;
  repositories: Record<string, ApkBranch>;
  packages: { P: string; V: string; A: string; S: number; I: number; T: string; U: string; L: string; o: string; D: string[]; p: string[]; repo: 'main' | 'community' }[];
}

const invalid = (message: string, data: Record<string, unknown> = {}) => new LayerlabError('catalog/invalid', message, { data });
const dec = new TextDecoder();

/** Where the offline Alpine index lives (named in the "not in the catalog" note). */
export const APK_INDEX_PATH = 'public/catalog/apk/index.json';

/** The offline Alpine package index. */
export class ApkCatalog {
  private readonly byName = new Map<string, ApkPackage>();
  private readonly files = new Map<string, Promise<ApkFile[]>>();

  private constructor(
    private readonly asset: AssetLoader,
    readonly branches: Record<string, ApkBranch>,
    packages: ApkPackage[],
  ) {
    for (const p of packages) this.byName.set(p.name, p);
  }

  static async load(asset: AssetLoader): Promise<ApkCatalog> {
    const bytes = await asset('catalog/apk/index.json');
    let j: RawIndex;
    try {
      j = JSON.parse(dec.decode(bytes)) as RawIndex;
    } catch (cause) {
      throw new LayerlabError('catalog/invalid', 'catalog/apk/index.json is not valid JSON', { cause });
    }
    if (j?.format !== 'layerlab-apk/1' || !Array.isArray(j.packages)) throw invalid('catalog/apk/index.json has the wrong format');
    const pkgs = j.packages.map((r) => ({ name: r.P, version: r.V, arch: r.A, size: r.S, installedSize: r.I, description: r.T, url: r.U, license: r.L, origin: r.o, depends: r.D ?? [], provides: r.p ?? [], repo: r.repo }));
    return new ApkCatalog(asset, j.repositories ?? {}, pkgs);
  }

  get(name: string): ApkPackage | undefined {
    return this.byName.get(name);
  }

  get size(): number {
    return this.byName.size;
  }

  /** A package's files (paths absolute), loaded once. */
  filesOf(name: string): Promise<ApkFile[]> {
    let f = this.files.get(name);
    if (!f) {
      f = this.asset(`catalog/apk/pkg/${name}.json`).then((b) => decodeApkFiles(b, name));
      this.files.set(name, f);
      f.catch(() => this.files.delete(name));
    }
    return f;
  }
}

/** Decodes `pkg/<name>.json` (prefix-compressed lines `shared \t rest \t kind+mode \t size|target`). */
export function decodeApkFiles(bytes: Uint8Array, name: string): ApkFile[] {
  let j: { format?: string; files?: string };
  try {
    j = JSON.parse(dec.decode(bytes));
  } catch (e) {
    throw invalid(`apk/pkg/${name}.json is not JSON`, { package: name, cause: String(e) });
  }
  if (j.format !== 'layerlab-apk/1' || typeof j.files !== 'string') throw invalid(`apk/pkg/${name}.json has the wrong format`, { package: name });
  const out: ApkFile[] = [];
  let prev = '';
  for (const line of j.files ? j.files.split('\n') : []) {
    const [shared, rest, km, data] = line.split('\t');
    const path = prev.slice(0, Number(shared || 0)) + rest;
    prev = path;
    const kind = km[0] as ApkFile['kind'];
    if (kind === 'f') out.push({ path, kind, mode: parseInt(km.slice(1) || '644', 8), size: Number(data) });
    else out.push({ path, kind, mode: 0o777, size: 0, target: data });
  }
  return out;
}
