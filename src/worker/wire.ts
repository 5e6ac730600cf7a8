/**
 * Comlink transfer handler so a LayerlabError thrown in the worker arrives in the UI with its
 * `code`, `data`, `range` and `cause` (comlink's own "throw" handler keeps only name, message, stack).
 * Both sides must call `installWire()` before using comlink.
 */
import * as Comlink from 'comlink';
import { LayerlabError, type LayerlabErrorJSON } from '../engine/errors.ts';

type Thrown = { value: unknown };
type Wire = { isError: true; value: LayerlabErrorJSON } | { isError: false; value: { name: string; message: string; stack?: string } | unknown };

let installed = false;

/** Replaces comlink's "throw" transfer handler with one that keeps LayerlabError's fields. */
export function installWire(): void {
  if (installed) return;
  installed = true;
  // comlink does not export its throw marker; reuse the built-in handler's test for it.
  const builtin = Comlink.transferHandlers.get('throw')!;
  Comlink.transferHandlers.set('throw', {
    canHandle: (v: unknown): v is Thrown => builtin.canHandle(v),
    serialize(v: unknown): [Wire, Transferable[]] {
      const { value } = v as Thrown;
      if (value instanceof LayerlabError) return [{ isError: true, value: value.toJSON() }, []];
      if (value instanceof Error) return [{ isError: false, value: { name: value.name, message: value.message, stack: value.stack } }, []];
      return [{ isError: false, value }, []];
    },
    deserialize(w: Wire): never {
      if (w.isError) throw LayerlabError.fromJSON(w.value);
      const v = w.value as { name?: string; message?: string; stack?: string };
      if (v && typeof v === 'object' && 'message' in v) throw Object.assign(new Error(v.message), { name: v.name, stack: v.stack });
      throw w.value;
    },
  } as Comlink.TransferHandler<unknown, Wire>);
}
