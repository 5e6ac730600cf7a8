/**
 * The worker boundary: `EngineApi` is what the UI may call (through `client.ts`): the engine's
 * services (`images`, `builds`, `containers`, `registries`, `events`, `inspector`), each a comlink proxy, so
 * `remote.images.list()` is one message to the worker. The UI imports this module for types only.
 */
import type { ProxyMarked } from 'comlink';
import type { BuildEngine, BuildEvent, BuildRequest, BuildSummary, Engine, EngineEvent, EventEngine, StepPreview } from '../engine/index.ts';

export type * from '../engine/api-types.ts';
export type { BuildEvent, BuildRequest, BuildSummary, ContextFile, CacheDecision, EngineEvent, ImageInspect, StepPreview } from '../engine/index.ts';
export type { Hint, ImageObjects, ImageObject, ImageWaste, FileContents, LayerBlob, LayerChange, MergedEntry, FileVersion, StackComparison, WastedFile } from '../engine/index.ts';

/** The build service as the worker offers it: `build` plus `buildBatched`, whose events arrive in batches. */
export interface WorkerBuildEngine extends BuildEngine {
  /**
   * `build` with events delivered in batches (a comlink proxy callback). `beforeStep` (a comlink
   * proxy returning a promise) is awaited before each instruction, once the batches so far are delivered.
   */
  buildBatched(req: BuildRequest, onEvents: (events: BuildEvent[]) => void, beforeStep?: (preview: StepPreview) => Promise<void>): Promise<BuildSummary>;
}

/** Engine events as the worker offers them: `watch` plus `watchBatched`, whose events arrive in arrays (fewer messages). */
export interface WorkerEventEngine extends EventEngine {
  /** Like `watch`, with events delivered in order in batches (pass a comlink proxy); returns an id for `unwatch`. */
  watchBatched(listener: (events: EngineEvent[]) => void | Promise<void>): Promise<number>;
}

/** Everything the worker exposes; each method takes and returns structured-cloneable data. */
export interface EngineApi {
  readonly images: Engine['images'] & ProxyMarked;
  readonly builds: WorkerBuildEngine & ProxyMarked;
  /**
   * Containers, with the lifecycle verbs (`kill` with a signal, `pause`/`unpause`, `rename`, `top`,
   * `waitState`, `stats`). The output callback of `run`, `start`, `exec` and `sessionLine` (pass a
   * comlink proxy) receives the process's output while it runs, batched; the call's result arrives
   * after the last batch.
   */
  readonly containers: Engine['containers'] & ProxyMarked;
  readonly registries: Engine['registries'] & ProxyMarked;
  readonly events: WorkerEventEngine & ProxyMarked;
  readonly inspector: Engine['inspector'] & ProxyMarked;
  /**
   * The "second machine": another, initially empty image store in the same page (its own files
   * under `machines/second/`), talking to the same registries, so a pull onto it shows what a real
   * pull transfers and what it skips. It has images and registries only (no builds, no containers).
   */
  readonly second: SecondMachineApi;
}

/** The services of the second machine (see EngineApi.second). */
export interface SecondMachineApi extends ProxyMarked {
  readonly images: Engine['images'] & ProxyMarked;
  readonly registries: Engine['registries'] & ProxyMarked;
}

export type {
  ContainerEngine, ContainerSummary, ContainerFsEvent, CopyEntry, DfReport, DockerChange, ExecResult, LogEntry, OutputListener, RunResult, StatsRow, TopResult, VolumeFsEvent, VolumeInfo,
} from '../engine/container/api.ts';
export type { UnionEvent } from '../engine/fs/events.ts';
export type { TransferEvent } from '../engine/registry/events.ts';
export type { GcResult, PullResult, PushResult, RegistryBlob, RegistrySummary, RepositorySummary } from '../engine/registry/api.ts';
