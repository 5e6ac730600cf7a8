/**
 * What each blob of a push or a pull did, in docker's words, for the Registry tab's tiles: one step
 * per blob event in the order the engine handled them (push: layers top-down, then the config;
 * pull: the config, then layers bottom-up). A layer step's `${shortId}: ${status}` is the line
 * `docker push` / `docker pull` prints for it (push: the DiffID's first 12 hex digits; pull: the
 * blob digest's).
 */
import type { TransferEvent } from '../../worker/api.ts';

/** A blob event of a push or pull. */
export type BlobTransfer = Extract<TransferEvent, { type: 'blob' }>;

/** One blob's step of a transfer. */
export interface TransferStep {
  digest: string;
  diffId?: string;
  kind: 'layer' | 'config';
  size: number;
  /** The 12-hex ID docker prints for it. */
  shortId: string;
  /** docker's status word (`Pushed`, `Layer already exists`, `Mounted from shop`, `Pull complete`, `Already exists`). */
  status: string;
  /** Its bytes crossed between machine and registry (false: the other side had it; a mount moves nothing either). */
  moved: boolean;
}

const short = (d: string) => d.replace(/^sha256:/, '').slice(0, 12);

/** The status docker shows for a blob event. */
export function statusOf(e: BlobTransfer): string {
  switch (e.action) {
    case 'pushed': return 'Pushed';
    case 'exists': return e.kind === 'config' ? 'Already exists' : 'Layer already exists';
    case 'mounted': return `Mounted from ${e.from ?? ''}`.trim();
    case 'downloaded': return e.kind === 'config' ? 'Downloaded' : 'Pull complete';
    case 'already-exists': return 'Already exists';
  }
}

/** The steps of a push (`push`) or a pull. */
export function transferSteps(blobs: readonly BlobTransfer[]): TransferStep[] {
  return blobs.map((e) => ({
    digest: e.digest, diffId: e.diffId, kind: e.kind, size: e.size,
    shortId: short(e.diffId ?? e.digest), status: statusOf(e), moved: e.action === 'pushed' || e.action === 'downloaded',
  }));
}

/** What a transfer moved and skipped, for the one-line summary under the tiles. */
export function transferSummary(steps: readonly TransferStep[]): string {
  const moved = steps.filter((s) => s.moved);
  const skipped = steps.filter((s) => !s.moved);
  const bytes = moved.reduce((n, s) => n + s.size, 0);
  const skippedBytes = skipped.reduce((n, s) => n + s.size, 0);
  const plural = (n: number) => `${n} blob${n === 1 ? '' : 's'}`;
  return `moved ${plural(moved.length)} (${bytes} bytes); skipped ${plural(skipped.length)} the other side already had (${skippedBytes} bytes not sent)`;
}
