/**
 * The lab's registries: `docker.io` (preloaded, lazily, with the base catalog) plus any private
 * registry, created on the first push to its host (`localhost:5000/app`), as if `docker run -d -p
 * 5000:5000 registry:2` had been started beforehand. No login is needed for any of them.
 *
 * Lifecycle: `RegistryHub.open(persistence, {asset})` finds the registries persisted under
 * `layerlab/registries/`; `registry(host)` returns one that exists (pull, inspect), and
 * `registryForPush(host)` creates it when missing.
 */
import { LayerlabError } from '../errors.ts';
import type { BlobPersistence } from '../host.ts';
import type { AssetLoader, CatalogLayers } from '../image/catalog-layers.ts';
import { CatalogSeeder } from './catalog-seed.ts';
import { DEFAULT_DOMAIN } from '../reference.ts';
import { REGISTRIES_PREFIX, Registry } from './registry.ts';

/** Options for opening the hub. */
export interface RegistryHubOptions {
  /** Loads `catalog/…` assets; without it docker.io starts empty. */
  asset?: AssetLoader;
  /** The catalog's layers, shared with the image store so a pulled catalog layer is built once. */
  catalog?: CatalogLayers;
}

/** The error docker prints when no registry answers at `host`. */
export function unreachable(host: string): LayerlabError {
  const local = /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(host);
  const port = host.includes(':') ? host.slice(host.indexOf(':') + 1) : '443';
  const msg = local
    ? `Get "http://${host}/v2/": dial tcp 127.0.0.1:${port}: connect: connection refused`
    : `Get "https://${host}/v2/": dial tcp: lookup ${host.replace(/:\d+$/, '')}: no such host`;
  return new LayerlabError('registry/unreachable', msg, { data: { host } });
}

/** Every registry of the lab; see the module comment. */
export class RegistryHub {
  private readonly registries = new Map<string, Registry>();

  private constructor(
    private readonly persistence: BlobPersistence,
    private readonly opts: RegistryHubOptions,
  ) {}

  /** Opens docker.io and every registry persisted in `persistence`. */
  static async open(persistence: BlobPersistence, opts: RegistryHubOptions = {}): Promise<RegistryHub> {
    const hub = new RegistryHub(persistence, opts);
    const hosts = new Set([DEFAULT_DOMAIN]);
    for (const k of await persistence.list(REGISTRIES_PREFIX)) {
      const host = k.slice(REGISTRIES_PREFIX.length).split('/')[0];
      if (host) hosts.add(host);
    }
    for (const h of [...hosts].sort()) await hub.openRegistry(h);
    return hub;
  }

  private async openRegistry(host: string): Promise<Registry> {
    const provider = host === DEFAULT_DOMAIN && this.opts.asset ? new CatalogSeeder(this.opts.asset, this.persistence, host, this.opts.catalog) : undefined;
    const r = await Registry.open(this.persistence, host, provider);
    this.registries.set(host, r);
    return r;
  }

  /** The registry at `host`; `registry/unreachable` (worded like docker's dial error) if none runs there. */
  registry(host: string): Registry {
    const r = this.registries.get(host);
    if (!r) throw unreachable(host);
    return r;
  }

  /** The registry at `host`, started on first use (a private registry needs no login in the lab). */
  async registryForPush(host: string): Promise<Registry> {
    return this.registries.get(host) ?? (await this.openRegistry(host));
  }

  /** Hosts of every registry, sorted (`docker.io` first among equals by name order). */
  hosts(): string[] {
    return [...this.registries.keys()].sort();
  }
}
