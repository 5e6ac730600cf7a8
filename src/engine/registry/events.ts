/**
 * What push and pull report while they move blobs, so the lab can animate each tile flying
 * between the local store and a registry. Listeners are optional and must not throw.
 */

/** How one blob was handled: pushed (uploaded), exists (already in the repository), mounted (linked from another repository of the same registry), downloaded, already-exists (in the local store). */
export type BlobAction = 'pushed' | 'exists' | 'mounted' | 'downloaded' | 'already-exists';

/** One blob handled by push or pull. */
export interface BlobEvent {
  type: 'blob';
  /** Registry host and repository path. */
  registry: string;
  repository: string;
  digest: string;
  size: number;
  /** `layer` or `config`. */
  kind: 'layer' | 'config';
  action: BlobAction;
  /** The repository a mount came from. */
  from?: string;
}

/** A manifest or index written (push) or read (pull). */
export interface ManifestEvent {
  type: 'manifest';
  registry: string;
  repository: string;
  digest: string;
  size: number;
  mediaType: string;
  action: 'pushed' | 'fetched';
}

/** Any push/pull event. */
export type TransferEvent = BlobEvent | ManifestEvent;

/** Receives transfer events. */
export type TransferListener = (e: TransferEvent) => void;
