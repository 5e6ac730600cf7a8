/**
 * The worker boundary: `EngineApi` is what the UI may call (through `client.ts`), with the plain
 * DTO types it returns. The UI imports this module for types only.
 */
import type { BuildEvent, BuildRequest, Engine } from '../engine/index.ts';

export type * from '../engine/api-types.ts';
export type { BuildEvent, BuildRequest, BuildSummary, ContextFile, CacheDecision, EngineEvent } from '../engine/index.ts';

/** Everything the worker exposes; each method takes and returns structured-cloneable data. */
export type EngineApi = Engine & {
  /** `build` with events delivered in batches (a comlink proxy callback). */
  buildBatched(req: BuildRequest, onEvents: (events: BuildEvent[]) => void): ReturnType<Engine['build']>;
};
