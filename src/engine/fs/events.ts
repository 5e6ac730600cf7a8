/**
 * Typed change events of a union mount: every change made to the upper layer (upperdir) is reported
 * as one of these, in order, so the UI can animate copy-ups, whiteouts and opaque markers.
 *
 * Words: `fromLayer` is the index in the lower stack (0 = bottom layer) the copied entry came from.
 */
import type { InodeType } from './layer-tree.ts';

/** A new entry appeared in the upper layer (it did not exist in the merged view before). */
export interface CreatedEvent {
  type: 'created';
  path: string;
  inodeType: InodeType;
  size: number;
}
/** The data of an upper file changed (write, append, truncate). */
export interface ModifiedEvent {
  type: 'modified';
  path: string;
  size: number;
}
/** A lower entry was copied into the upper layer: the whole file for a file, metadata only for a directory (overlayfs copy-up). */
export interface CopiedUpEvent {
  type: 'copied-up';
  path: string;
  inodeType: InodeType;
  /** Bytes copied: the whole file's size (0 for directories, symlinks and devices). */
  bytes: number;
  fromLayer: number;
}
/** A whiteout now hides a lower entry (overlayfs: a 0/0 character device; OCI: `.wh.NAME`). */
export interface WhitedOutEvent {
  type: 'whited-out';
  path: string;
  hidden: { inodeType: InodeType; size: number; fromLayer: number };
}
/** A directory in the upper layer became opaque: it hides everything below it (`.wh..wh..opq`). */
export interface MadeOpaqueEvent {
  type: 'made-opaque';
  path: string;
}
/** Metadata of an upper entry changed. */
export interface MetadataChangedEvent {
  type: 'metadata-changed';
  path: string;
  what: 'mode' | 'owner' | 'times';
}
/** An upper-only entry (nothing below it) was deleted from the upper layer. */
export interface RemovedEvent {
  type: 'removed';
  path: string;
  inodeType: InodeType;
}

/** Any change to the upper layer of a union mount. */
export type UnionEvent =
  | CreatedEvent
  | ModifiedEvent
  | CopiedUpEvent
  | WhitedOutEvent
  | MadeOpaqueEvent
  | MetadataChangedEvent
  | RemovedEvent;

/** Receives the events of a union mount, synchronously, in the order the changes happen. */
export type UnionEventListener = (event: UnionEvent) => void;
