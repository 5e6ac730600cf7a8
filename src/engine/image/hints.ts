/**
 * layerlab's own hints: advice where a number makes the point, tied to the Dockerfile line and the
 * layer it is about. They complement BuildKit's build checks (dockerfile/checks.ts), which look at
 * the text only; these also look at the bytes the build produced:
 *
 * - `deleted-bytes-ship`: a later instruction deletes or replaces files a lower layer still ships
 *   ("this RUN deletes 19.8 MB that layer 2 still ships");
 * - `apt-update-alone`: `apt-get update` in its own RUN stays cached while the lists go stale;
 * - `apt-lists-shipped`: the apt package lists stay in the image (`rm -rf /var/lib/apt/lists/*`
 *   belongs in the same RUN as the install);
 * - `copy-all-before-install`: `COPY . .` before a dependency install means any source edit re-runs
 *   the install (with the install's last measured time when known).
 */
import type { DockerfileNode, ParsedDockerfile } from '../dockerfile/index.ts';
import type { SourceRange } from '../errors.ts';
import type { WasteReport } from '../fs/waste.ts';
import { humanSize } from '../units.ts';

/** One hint: a stable id, the sentence, and what it points at. */
export interface Hint {
  id: 'deleted-bytes-ship' | 'apt-update-alone' | 'apt-lists-shipped' | 'copy-all-before-install';
  message: string;
  /** The Dockerfile lines it is about. */
  range?: SourceRange;
  /** The layer it is about (0-based, bottom first). */
  layer?: number;
  bytes?: number;
}

/** What hintsFor needs besides the parsed Dockerfile. */
export interface HintInput {
  ast: ParsedDockerfile;
  waste?: WasteReport;
  /** For each layer of the image (bottom first), the Dockerfile range of the instruction that made it, when this build made it. */
  layerRanges?: (SourceRange | undefined)[];
  /** Bytes under /var/lib/apt/lists in the final image, and the layer that ships most of them. */
  aptLists?: { bytes: number; layer: number };
  /** Last measured duration of a step (when it really ran, not a cache hit), by its Dockerfile start line. */
  durations?: Record<number, number>;
}

const INSTALL = /\b(npm (ci|install|i)\b|yarn( install)?\b|pnpm (install|i)\b|pip3? install\b[^&|;]*-r\b|bundle install\b|go mod download\b|composer install\b|poetry install\b)/;
const COPY_ALL = /^\s*\.\/?\s+\S+/;

function keywordOf(n: DockerfileNode) {
  return n.keyword.toUpperCase();
}

/** Hints for a built image and its Dockerfile. See the module comment. */
export function hintsFor(input: HintInput): Hint[] {
  const out: Hint[] = [];
  const { ast, waste, layerRanges = [] } = input;
  /** The layer an instruction made in this build, found by its start line. */
  const layerAt = (line: number) => {
    const i = layerRanges.findIndex((r) => r?.start.line === line);
    return i < 0 ? undefined : i;
  };

  if (waste) {
    for (const l of waste.layers) {
      if (!l.hides) continue;
      const by = new Map<number, number>();
      for (const f of waste.files) if (f.hiddenBy === l.layer) by.set(f.layer, (by.get(f.layer) ?? 0) + f.size);
      for (const [lower, bytes] of [...by].sort((a, b) => b[1] - a[1])) {
        const range = layerRanges[l.layer];
        const what = range ? ast.children.find((n) => n.range.start.line === range.start.line) : undefined;
        const ins = what ? keywordOf(what) : `layer ${l.layer}`;
        out.push({
          id: 'deleted-bytes-ship',
          message: `this ${ins} deletes or replaces ${humanSize(bytes)} that layer ${lower} still ships: deleting in a later layer hides files, it never shrinks the image; remove them in the same RUN that creates them`,
          range, layer: l.layer, bytes,
        });
      }
    }
  }

  // Per stage: apt-get update alone, COPY . . before an install.
  let copyAll: DockerfileNode | undefined;
  for (const n of ast.children) {
    if (n.keyword === 'from') {
      copyAll = undefined;
      continue;
    }
    const text = n.args.join(' ');
    if (n.keyword === 'run') {
      if (/\bapt-get\s+update\b/.test(text) && !/\bapt-get\s+(-\S+\s+)*install\b/.test(text)) {
        out.push({
          id: 'apt-update-alone',
          message: 'apt-get update in its own RUN stays cached while the package lists go stale: a later install can fetch versions that no longer exist. Run `apt-get update && apt-get install -y …` in one RUN',
          range: n.range, layer: layerAt(n.range.start.line),
        });
      }
      if (copyAll && INSTALL.test(text)) {
        const ms = input.durations?.[n.range.start.line];
        out.push({
          id: 'copy-all-before-install',
          message: `COPY ${copyAll.args.join(' ')} before \`${text.match(INSTALL)![0].trim()}\`: any source edit re-runs the install${ms !== undefined ? ` (last build: ${ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`} of simulated install time re-run)` : ''}. Copy the dependency files first (package*.json, requirements.txt…), install, then copy the rest`,
          range: n.range, layer: layerAt(n.range.start.line),
        });
      }
    }
    if ((n.keyword === 'copy' || n.keyword === 'add') && !n.flags.some((f) => f.startsWith('--from')) && COPY_ALL.test(n.args.join(' '))) copyAll = n;
  }

  if (input.aptLists && input.aptLists.bytes > 0) {
    out.push({
      id: 'apt-lists-shipped',
      message: `the apt package lists (${humanSize(input.aptLists.bytes)}) ship in the image: add \`&& rm -rf /var/lib/apt/lists/*\` to the RUN that installs, in the same RUN`,
      range: layerRanges[input.aptLists.layer], layer: input.aptLists.layer, bytes: input.aptLists.bytes,
    });
  }
  return out.sort((a, b) => (a.range?.start.line ?? 1e9) - (b.range?.start.line ?? 1e9));
}
