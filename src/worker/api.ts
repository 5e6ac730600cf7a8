/**
 * The worker boundary: `EngineApi` is what the UI may call (through `client.ts`), with the plain
 * DTO types it returns. The UI imports this module for types only.
 */
import type { Engine } from '../engine/index.ts';

export type * from '../engine/api-types.ts';

/** Everything the worker exposes; each method takes and returns structured-cloneable data. */
export type EngineApi = Engine;
