/**
 * The engine's Host for Node (the CLI): a store on disk under `--root` (default `$LAYERLAB_ROOT`
 * or `~/.layerlab`), the real clock, crypto randomness, and assets read from `public/`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BlobPersistence, Host } from '../engine/host.ts';
import type { Sha256Provider } from '../engine/digest.ts';
import { offlineFetcher, silentLog } from '../engine/host.ts';

// node:crypto loads on first use: a command that hashes nothing (`images`) starts without it.
type NodeCrypto = typeof import('node:crypto');
let cryptoModule: NodeCrypto | undefined;
const nodeCrypto = (): NodeCrypto => (cryptoModule ??= createRequire(import.meta.url)('node:crypto') as NodeCrypto);
const randomBytes = (n: number) => nodeCrypto().randomBytes(n);

/** The default store directory: `$LAYERLAB_ROOT`, else `~/.layerlab`. */
export function defaultRoot(): string {
  return process.env.LAYERLAB_ROOT || join(homedir(), '.layerlab');
}

/** A BlobPersistence in a directory; writes go to a temporary file renamed into place (atomic). */
export class DiskPersistence implements BlobPersistence {
  constructor(readonly root: string) {}
  private path(key: string) {
    const p = resolve(this.root, key);
    if (p !== this.root && !p.startsWith(this.root + sep)) throw new Error(`key escapes the store: ${key}`);
    return p;
  }
  async get(key: string) {
    try {
      return new Uint8Array(await readFile(this.path(key)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }
  async put(key: string, bytes: Uint8Array) {
    const p = this.path(key);
    await mkdir(dirname(p), { recursive: true });
    const tmp = `${p}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    await writeFile(tmp, bytes);
    await rename(tmp, p);
  }
  async delete(key: string) {
    await rm(this.path(key), { force: true });
  }
  async list(prefix: string) {
    const out: string[] = [];
    const walk = async (dir: string) => {
      let ents;
      try {
        ents = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of ents) {
        const full = join(dir, e.name);
        if (e.isDirectory()) await walk(full);
        else if (!e.name.includes('.tmp-')) out.push(relative(this.root, full).split(sep).join('/'));
      }
    };
    await walk(this.root);
    return out.filter((k) => k.startsWith(prefix));
  }
}

/** public/ of the repository: found upwards from this module (src/cli/ or a bundle in dist/cli/<build>/). */
const PUBLIC_DIR = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'public', 'catalog'))) return join(dir, 'public');
    dir = dirname(dir);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../public');
})();

/** SHA-256 from node:crypto (OpenSSL): one-shot and streaming alike run at the platform's speed. */
export const nodeSha256: Sha256Provider = {
  name: 'node:crypto',
  async oneShot(bytes) {
    return nodeCrypto().createHash('sha256').update(bytes).digest('hex');
  },
  async create() {
    const h = nodeCrypto().createHash('sha256');
    return { update: (c) => void h.update(c), hex: () => h.digest('hex') };
  },
};

/** A Host for the CLI with its store in `root`. */
export function nodeHost(root: string): Host {
  return {
    clock: { now: () => Date.now(), monotonic: () => performance.now() },
    random: { bytes: (n) => new Uint8Array(randomBytes(n)) },
    sha256: nodeSha256,
    gunzip: (blob, maxBytes) => {
      const { gunzipSync } = createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib');
      const out = gunzipSync(blob, { maxOutputLength: Math.max(maxBytes, 1) });
      return new Uint8Array(out.buffer, out.byteOffset, out.length);
    },
    persistence: new DiskPersistence(resolve(root)),
    fetcher: offlineFetcher,
    log: process.env.LAYERLAB_DEBUG ? { debug: (m, d) => console.error('debug:', m, d ?? ''), warn: (m, d) => console.error('warn:', m, d ?? '') } : silentLog,
    asset: async (p) => new Uint8Array(await readFile(join(PUBLIC_DIR, p))),
  };
}
