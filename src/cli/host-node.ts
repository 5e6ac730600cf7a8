/**
 * The engine's Host for Node (the CLI): a store on disk under `--root` (default `$LAYERLAB_ROOT`
 * or `~/.layerlab`), the real clock, crypto randomness, and assets read from `public/`.
 */
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BlobPersistence, Host } from '../engine/host.ts';
import type { Sha256Provider } from '../engine/digest.ts';
import { Mutex, offlineFetcher, silentLog } from '../engine/host.ts';
import { LayerlabError } from '../engine/errors.ts';

// node:crypto loads on first use: a command that hashes nothing (`images`) starts without it.
type NodeCrypto = typeof import('node:crypto');
let cryptoModule: NodeCrypto | undefined;
const nodeCrypto = (): NodeCrypto => (cryptoModule ??= createRequire(import.meta.url)('node:crypto') as NodeCrypto);
const randomBytes = (n: number) => nodeCrypto().randomBytes(n);

/** The default store directory: `$LAYERLAB_ROOT`, else `~/.layerlab`. */
export function defaultRoot(): string {
  return process.env.LAYERLAB_ROOT || join(homedir(), '.layerlab');
}

/** The store's write-lock file, relative to the root; it holds the pid of the process holding the lock. */
export const LOCK_FILE = 'layerlab.lock';
/** How long a lock file may stay empty (its holder between create and write) before it counts as stale. */
const EMPTY_LOCK_GRACE_MS = 2000;

/** True if a process with this pid exists on this machine (signal 0 probes without signalling). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The store-root lock of the CLI: `layerlab.lock` created with O_EXCL holding the holder's pid.
 * A lock whose holder died (SIGKILL, crash) is recovered: whoever finds it breaks it, under a
 * second short-lived O_EXCL file so two recoverers cannot both break it and then each take it.
 * Readers never take the lock (every file is replaced by an atomic rename), so a crashed writer
 * never blocks them. In-process callers queue on a mutex first, so the file is taken once.
 */
export class StoreLock {
  private readonly local = new Mutex();
  constructor(
    readonly path: string,
    private readonly opts: { timeoutMs?: number } = {},
  ) {}

  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.local.run(async () => {
      await this.acquire();
      try {
        return await fn();
      } finally {
        await unlink(this.path).catch(() => undefined);
      }
    });
  }

  private async acquire(): Promise<void> {
    const deadline = Date.now() + (this.opts.timeoutMs ?? Number(process.env.LAYERLAB_LOCK_TIMEOUT_MS ?? 120_000));
    let wait = 2;
    await mkdir(dirname(this.path), { recursive: true });
    for (;;) {
      try {
        const fh = await open(this.path, 'wx');
        try {
          await fh.writeFile(`${process.pid}\n`);
        } finally {
          await fh.close();
        }
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      if (await this.holderIsGone()) await this.breakStale();
      else {
        if (Date.now() > deadline) {
          const holder = (await readFile(this.path, 'utf8').catch(() => '')).trim();
          throw new LayerlabError('store/locked', `the store is locked by process ${holder || '?'} (${this.path}); waited ${Math.round((this.opts.timeoutMs ?? 120_000) / 1000)} s. If that process is gone, remove the file; raise the wait with LAYERLAB_LOCK_TIMEOUT_MS`, { data: { path: this.path, holder } });
        }
        await sleep(wait + Math.random() * wait);
        wait = Math.min(wait * 2, 50);
      }
    }
  }

  /** The lock file names a pid that no longer runs (or stayed empty past the grace period). */
  private async holderIsGone(): Promise<boolean> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return false; // released meanwhile: just retry
    }
    const pid = Number.parseInt(text, 10);
    if (Number.isInteger(pid) && pid > 0) return pid !== process.pid && !processAlive(pid);
    const st = await stat(this.path).catch(() => undefined);
    return !!st && Date.now() - st.mtimeMs > EMPTY_LOCK_GRACE_MS;
  }

  private async breakStale(): Promise<void> {
    const breaker = `${this.path}.break`;
    try {
      const fh = await open(breaker, 'wx');
      await fh.close();
    } catch {
      // Someone else is breaking it; a breaker file left by a killed process expires.
      const st = await stat(breaker).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > EMPTY_LOCK_GRACE_MS) await unlink(breaker).catch(() => undefined);
      await sleep(5);
      return;
    }
    try {
      if (await this.holderIsGone()) await unlink(this.path).catch(() => undefined);
    } finally {
      await unlink(breaker).catch(() => undefined);
    }
  }
}

/** A BlobPersistence in a directory; writes go to a temporary file renamed into place (atomic). */
export class DiskPersistence implements BlobPersistence {
  private readonly lock: StoreLock;
  constructor(readonly root: string) {
    this.lock = new StoreLock(join(root, LOCK_FILE));
  }
  withLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.run(fn);
  }
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
        else if (!e.name.includes('.tmp-') && !e.name.startsWith(LOCK_FILE)) out.push(relative(this.root, full).split(sep).join('/'));
      }
    };
    // Walk only the folder the prefix names (`blobs/sha256/` need not visit `registries/`).
    const slash = prefix.lastIndexOf('/');
    const start = slash < 0 ? this.root : this.path(prefix.slice(0, slash));
    await walk(start);
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

/**
 * Loads just-bash for the CLI. just-bash captures `globalThis.Headers` when it loads; in Node
 * that global is a lazy getter that loads undici's whole fetch stack (about 50 ms of CPU, a
 * fifth of a small `layerlab build`). The CLI is offline and neither it nor the shell uses
 * fetch, so the global is hidden while the module evaluates and put back right after.
 */
export async function importShellInterpreter(): Promise<typeof import('just-bash')> {
  const headers = Object.getOwnPropertyDescriptor(globalThis, 'Headers');
  if (headers?.configurable) Object.defineProperty(globalThis, 'Headers', { value: undefined, configurable: true, writable: true });
  try {
    return await import('just-bash');
  } finally {
    if (headers?.configurable) Object.defineProperty(globalThis, 'Headers', headers);
  }
}
