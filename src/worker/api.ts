/**
 * The worker boundary: `EngineApi` is what the UI may call (through `client.ts`), with the plain
 * DTO types it returns. The UI imports this module for types only.
 */
import type { BuildEvent, BuildRequest, Engine, StepPreview } from '../engine/index.ts';

export type * from '../engine/api-types.ts';
export type { BuildEvent, BuildRequest, BuildSummary, ContextFile, CacheDecision, EngineEvent, StepPreview } from '../engine/index.ts';

/** Everything the worker exposes; each method takes and returns structured-cloneable data. */
export type EngineApi = Engine & {
  /**
   * `build` with events delivered in batches (a comlink proxy callback). `beforeStep` (a comlink
   * proxy returning a promise) is awaited before each instruction, after the batch so far is delivered.
   */
  buildBatched(req: BuildRequest, onEvents: (events: BuildEvent[]) => void, beforeStep?: (preview: StepPreview) => Promise<void>): ReturnType<Engine['build']>;
};
