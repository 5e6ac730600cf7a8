/**
 * What `apt-get install` decides: the packages to add for a request, given what dpkg says is
 * installed. Follows apt's rules for a fresh install (apt-pkg/depcache.cc MarkInstall): Pre-Depends
 * and Depends always, Recommends unless `--no-install-recommends` (APT::Install-Recommends), each
 * OR-group satisfied by an installed or already chosen alternative first, else its first
 * alternative that exists, a virtual name by its first provider.
 * Simulation: versions are not negotiated (the archive has one candidate per package), Conflicts
 * and Breaks are not checked, and an installed package is upgraded only when it is named (and its
 * candidate is newer: `upgradable`), never to satisfy a versioned dependency.
 */
import type { AptCatalog, AptPackage, DepList } from './apt-catalog.ts';

/** A request `name` or `name=version` from the command line. */
export interface InstallRequest {
  name: string;
  version?: string;
}

/** The resolver's answer. */
export interface InstallPlan {
  /** New packages in unpack order (dependencies first). */
  install: AptPackage[];
  /** Requested packages that are already installed (apt: "X is already the newest version"). */
  alreadyInstalled: string[];
  /** Installed automatically (not requested): recorded as Auto-Installed in extended_states. */
  auto: Set<string>;
  /** Suggested packages of the new ones that are not installed (apt lists them). */
  suggested: string[];
  /** Recommends left out by --no-install-recommends. */
  recommended: string[];
  /** Packages of `install` that replace an installed older version (apt: "will be upgraded"). */
  upgrade: Set<string>;
}

/** A request apt cannot satisfy, with apt's message. */
export class ResolveError extends Error {
  constructor(
    message: string,
    readonly kind: 'unknown-package' | 'unknown-version' | 'unmet',
    readonly packageName: string,
  ) {
    super(message);
  }
}

function firstAvailable(cat: AptCatalog, name: string): AptPackage | undefined {
  const p = cat.packages.get(name);
  if (p) return p;
  const prov = cat.providers.get(name);
  return prov ? cat.packages.get(prov[0]) : undefined;
}

/** Resolves `requests` against the catalog; `installed` holds the names dpkg lists as installed. */
export function planInstall(cat: AptCatalog, installed: ReadonlySet<string>, requests: InstallRequest[], opts: { noRecommends?: boolean; upgradable?: ReadonlySet<string> } = {}): InstallPlan {
  const upgrade = new Set<string>();
  const chosen = new Map<string, AptPackage>();
  const order: AptPackage[] = [];
  const alreadyInstalled: string[] = [];
  const recommended = new Set<string>();
  const providedBy = (name: string, has: (n: string) => boolean) => has(name) || (cat.providers.get(name) ?? []).some(has);
  const satisfied = (g: DepList[number]) => g.some((a) => providedBy(a.name, (n) => installed.has(n) || chosen.has(n)));

  const visit = (p: AptPackage, stack: Set<string>) => {
    if (chosen.has(p.name) || (installed.has(p.name) && !upgrade.has(p.name))) return;
    chosen.set(p.name, p);
    stack.add(p.name);
    const groups: [DepList, boolean][] = [[p.preDepends, true], [p.depends, true], [p.recommends, !opts.noRecommends]];
    for (const [list, follow] of groups) {
      for (const g of list) {
        if (satisfied(g)) continue;
        if (!follow) {
          const r = g.map((a) => firstAvailable(cat, a.name)).find(Boolean);
          if (r && !upgrade.has(p.name)) recommended.add(g[0].name);
          continue;
        }
        const pick = g.map((a) => firstAvailable(cat, a.name)).find(Boolean);
        if (pick) visit(pick, stack);
        else if (list !== p.recommends) {
          throw new ResolveError(`${p.name} : Depends: ${g.map((a) => a.name + (a.op ? ` (${a.op} ${a.version})` : '')).join(' | ')} but it is not installable`, 'unmet', p.name);
        }
      }
    }
    stack.delete(p.name);
    order.push(p);
  };

  const roots: AptPackage[] = [];
  for (const r of requests) {
    const p = firstAvailable(cat, r.name);
    if (!p) throw new ResolveError(`Unable to locate package ${r.name}`, 'unknown-package', r.name);
    if (r.version !== undefined && r.version !== p.version) throw new ResolveError(`Version '${r.version}' for '${r.name}' was not found`, 'unknown-version', r.name);
    if (installed.has(p.name) && opts.upgradable?.has(p.name)) {
      upgrade.add(p.name);
      roots.push(p);
    } else if (installed.has(p.name)) alreadyInstalled.push(p.name);
    else roots.push(p);
  }
  for (const p of roots) visit(p, new Set());
  const requested = new Set(roots.map((p) => p.name));
  const auto = new Set(order.filter((p) => !requested.has(p.name)).map((p) => p.name));
  const suggested = new Set<string>();
  // apt lists the suggestions of new packages only, not of upgraded ones.
  for (const p of order) if (!upgrade.has(p.name)) for (const g of p.suggests) if (!satisfied(g)) suggested.add(g.map((a) => a.name).join(' | '));
  for (const r of recommended) if (chosen.has(r) || installed.has(r)) recommended.delete(r);
  return { install: order, alreadyInstalled, auto, suggested: [...suggested], recommended: [...recommended], upgrade };
}
