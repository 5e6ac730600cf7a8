/**
 * pip's resolution over the offline catalog: requirements (command line, `-r` files) → the
 * projects to install, in the order pip reports them (`Collecting …` as it meets them,
 * dependencies before dependents for `Installing collected packages`). One version per project:
 * the catalog's; a specifier it does not satisfy fails as pip does when no release matches.
 *
 * Simulation: resolvelib backtracks across versions; with one version per project there is
 * nothing to backtrack over, so the first mismatch is final.
 */
import type { PipCatalog, PipProject, WheelFiles } from './pip-catalog.ts';
import { evaluateMarker, parseRequirement, satisfies, type Requirement } from './pep508.ts';

/** A requirement with where it came from (`flask`, `-r requirements.txt (line 3)`). */
export interface SourcedRequirement {
  req: Requirement;
  from?: string;
}

/** One project the resolution picked. */
export interface Picked {
  key: string;
  /** The name as the first requirement spelled it (what pip prints). */
  name: string;
  project: PipProject;
  wheel: WheelFiles;
  requested: boolean;
  /** Already in site-packages at this version: reported, not reinstalled. */
  installed: boolean;
  deps: string[];
  /** pip's `from_path()` of the requirement that brought it (`Werkzeug>=3.1.0->flask`), for its dependencies' `(from …)`. */
  path: string;
}

/** Why resolution stopped. */
export interface ResolveError {
  kind: 'no-project' | 'no-version';
  req: Requirement;
  from?: string;
  versions: string[];
}

export interface Resolution {
  /** stdout lines in pip's order (`Collecting`, `Downloading ….metadata`, `Requirement already satisfied`). */
  lines: string[];
  picked: Map<string, Picked>;
  /** Install order: dependencies first. */
  order: Picked[];
  error?: ResolveError;
}

/** pip's `format_size` (pip/_internal/utils/misc.py). */
export function formatSize(bytes: number): string {
  if (bytes > 1000 * 1000) return `${(bytes / 1000 / 1000).toFixed(1)} MB`;
  if (bytes > 10 * 1000) return `${Math.floor(bytes / 1000)} kB`;
  if (bytes > 1000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${Math.floor(bytes)} bytes`;
}

/** The METADATA file of a wheel (its size is what `Downloading ….whl.metadata` reports). */
export function metadataSize(w: WheelFiles): number {
  return w.files.find((f) => /^[^/]+\.dist-info\/METADATA$/.test(f.path))?.size ?? 0;
}

export async function resolve(
  cat: PipCatalog,
  top: SourcedRequirement[],
  opts: { installed: Map<string, string>; sitePackages: string; upgrade: boolean; noDeps: boolean; pythonVersion: string; pythonFullVersion: string; cached: (p: PipProject) => boolean; wheelName: (p: PipProject) => string },
): Promise<Resolution> {
  const lines: string[] = [];
  const picked = new Map<string, Picked>();
  const extrasSeen = new Map<string, Set<string>>();
  const queue: (SourcedRequirement & { requested: boolean })[] = top.map((t) => ({ ...t, requested: true }));
  const fromText = (from?: string) => (from ? ` (from ${from})` : '');
  while (queue.length) {
    const { req, from, requested } = queue.shift()!;
    const have = picked.get(req.key);
    const project = await cat.project(req.key);
    if (have) {
      if (requested) have.requested = true;
      // New extras of a project already picked add their dependencies.
      const seen = extrasSeen.get(req.key)!;
      const fresh = req.extras.filter((e) => !seen.has(e));
      fresh.forEach((e) => seen.add(e));
      if (fresh.length && !opts.noDeps) enqueueDeps(have, fresh, false);
      continue;
    }
    if (!project) return { lines, picked, order: [], error: { kind: 'no-project', req, from, versions: [] } };
    if (!satisfies(project.version, req.specifier)) return { lines, picked, order: [], error: { kind: 'no-version', req, from, versions: [project.version] } };
    const installedVersion = opts.installed.get(req.key);
    const keep = installedVersion !== undefined && satisfies(installedVersion, req.specifier) && !(opts.upgrade && requested && installedVersion !== project.version);
    const wheel = await cat.filesOf(req.key);
    if (keep) {
      lines.push(`Requirement already satisfied: ${req.text} in ${opts.sitePackages}${fromText(from)} (${installedVersion})`);
    } else {
      // `--upgrade` of an installed project: pip first reports what is there, then collects the newer one.
      if (installedVersion !== undefined && satisfies(installedVersion, req.specifier)) lines.push(`Requirement already satisfied: ${req.text} in ${opts.sitePackages}${fromText(from)} (${installedVersion})`);
      lines.push(`Collecting ${req.text}${fromText(from)}`);
      lines.push(`  ${opts.cached(project) ? 'Using cached' : 'Downloading'} ${opts.wheelName(project)}.metadata (${formatSize(metadataSize(wheel))})`);
    }
    const p: Picked = { key: req.key, name: req.name, project, wheel, requested, installed: keep, deps: [], path: from ? `${req.text}->${from}` : req.text };
    picked.set(req.key, p);
    extrasSeen.set(req.key, new Set(req.extras));
    if (!opts.noDeps) enqueueDeps(p, req.extras, true);
  }

  function enqueueDeps(p: Picked, extras: string[], base: boolean) {
    const env = { python_version: opts.pythonVersion, python_full_version: opts.pythonFullVersion, extras };
    for (const line of p.project.requires) {
      const r = parseRequirement(line);
      if (!r) continue;
      const onlyExtra = !!r.marker && /\bextra\s*==/.test(r.marker);
      if (!base && !onlyExtra) continue;
      if (!evaluateMarker(r.marker, env)) continue;
      p.deps.push(r.key);
      queue.push({ req: r, from: p.path, requested: false });
    }
  }

  // Dependencies before dependents (a post-order walk from what was asked for).
  const order: Picked[] = [];
  const done = new Set<string>();
  const visit = (key: string) => {
    if (done.has(key)) return;
    done.add(key);
    const p = picked.get(key);
    if (!p) return;
    for (const d of p.deps) visit(d);
    order.push(p);
  };
  for (const t of top) visit(t.req.key);
  return { lines, picked, order };
}
