/**
 * The engine's event hub: everything the lab animates outside a build (a build streams its own
 * BuildEvents to the `onEvent` of `builds.build`). Containers report their filesystem changes
 * (copy-ups, whiteouts, opaque directories), volumes the writes that land in them, registries their transfers (blobs pushed, mounted,
 * downloaded); the hub fans each out to every watcher (`engine.events.watch`).
 */
import type { ContainerFsEvent, VolumeFsEvent } from './container/types.ts';
import type { TransferEvent } from './registry/events.ts';

/** One event, tagged with the service that raised it. */
export type EngineEvent = ({ source: 'container' } & ContainerFsEvent) | ({ source: 'volume' } & VolumeFsEvent) | ({ source: 'registry' } & TransferEvent);

/** Subscriptions to engine events (`engine.events`). */
export interface EventEngine {
  /** Subscribes to container and registry events (pass a comlink proxy from the UI); returns an id for `unwatch`. */
  watch(listener: (e: EngineEvent) => void): Promise<number>;
  unwatch(id: number): Promise<void>;
}

/** EventEngine plus the `dispatch` the services report to. */
export class EventHub implements EventEngine {
  private readonly watchers = new Map<number, (e: EngineEvent) => void>();
  private nextWatcher = 1;

  /** Delivers an event to every watcher; a failing watcher does not stop the others or the engine. */
  dispatch(e: EngineEvent): void {
    for (const w of this.watchers.values()) {
      try {
        w(e);
      } catch {
        // a failing listener must not break the engine
      }
    }
  }

  async watch(listener: (e: EngineEvent) => void): Promise<number> {
    const id = this.nextWatcher++;
    this.watchers.set(id, listener);
    return id;
  }

  async unwatch(id: number): Promise<void> {
    this.watchers.delete(id);
  }
}
