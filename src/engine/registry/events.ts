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
  /** A pushed layer's DiffID (docker push prints its first 12 hex digits; the local store knows layers by it). */
  diffId?: string;
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

/**
 * A pull's per-layer progress, in the words `docker pull` prints beside each short layer ID
 * (moby's `distribution/xfer` progress messages): `Pulling fs layer`, `Waiting`, `Downloading`,
 * `Verifying Checksum`, `Download complete`, `Extracting`, `Pull complete`, `Already exists`.
 * `current`/`total` are bytes when the status measures something (docker's progressDetail).
 */
export interface LayerProgressEvent {
  type: 'progress';
  registry: string;
  repository: string;
  /** The layer's blob digest (docker shows its first 12 hex digits). */
  digest: string;
  status: PullStatus;
  current?: number;
  total?: number;
}

/** The statuses of LayerProgressEvent, in the order a layer goes through them. */
export type PullStatus = 'Pulling fs layer' | 'Waiting' | 'Downloading' | 'Verifying Checksum' | 'Download complete' | 'Extracting' | 'Pull complete' | 'Already exists';

/** Any push/pull event. */
export type TransferEvent = BlobEvent | ManifestEvent | LayerProgressEvent;

/** Receives transfer events. */
export type TransferListener = (e: TransferEvent) => void;
