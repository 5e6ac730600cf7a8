/**
 * The per-layer board `docker pull` draws on a terminal: one row per layer, keyed by its short
 * ID, updated in place as LayerProgressEvents arrive (moby's `pkg/jsonmessage` DisplayJSONMessagesStream
 * keeps one line per ID the same way). Pure: the UI and the CLI fold events into it and print rows.
 */
import { humanSize } from '../units.ts';
import type { LayerProgressEvent, PullStatus } from './events.ts';

/** One layer's line. */
export interface PullRow {
  /** First 12 hex digits of the layer digest (docker's layer ID column). */
  id: string;
  digest: string;
  /** `registry/repository` the layer comes from. */
  repository: string;
  status: PullStatus;
  current?: number;
  total?: number;
}

const DONE: ReadonlySet<PullStatus> = new Set(['Pull complete', 'Already exists']);

/** Returns `rows` with `e` applied: a new layer is appended, a known one updated in place. */
export function applyPullEvent(rows: readonly PullRow[], e: LayerProgressEvent): PullRow[] {
  const id = e.digest.replace(/^sha256:/, '').slice(0, 12);
  const row: PullRow = { id, digest: e.digest, repository: `${e.registry}/${e.repository}`, status: e.status, current: e.current, total: e.total };
  const i = rows.findIndex((r) => r.digest === e.digest);
  if (i < 0) return [...rows, row];
  const out = rows.slice();
  out[i] = row;
  return out;
}

/** True while some layer of the board is not `Pull complete` / `Already exists`. */
export function pullInProgress(rows: readonly PullRow[]): boolean {
  return rows.some((r) => !DONE.has(r.status));
}

/** docker's progress bar, as jsonmessage's JSONProgress.String draws it: `[` n×`=` `>` (50−n) spaces `]`. */
function bar(current: number, total: number): string {
  const width = 50;
  const n = Math.max(0, Math.min(width, Math.floor((width * current) / total)));
  return `[${'='.repeat(n)}>${' '.repeat(width - n)}]`;
}

/**
 * One row as docker prints it: `a73cdc310d90: Downloading [==>   ]  1.2MB/3.4MB`,
 * `a73cdc310d90: Download complete`, `a73cdc310d90: Pull complete`. Sizes use docker's units; a
 * finished row names the layer's compressed size so the reader sees what moved.
 */
export function formatPullRow(r: PullRow): string {
  if (r.status === 'Downloading' && r.total) {
    return `${r.id}: ${r.status} ${bar(r.current ?? 0, r.total)}  ${humanSize(r.current ?? 0)}/${humanSize(r.total)}`;
  }
  if ((r.status === 'Download complete' || r.status === 'Pull complete') && r.total !== undefined) return `${r.id}: ${r.status}  ${humanSize(r.total)}`;
  return `${r.id}: ${r.status}`;
}
