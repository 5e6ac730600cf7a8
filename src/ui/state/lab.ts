/**
 * The lab's state areas composed once, and shared with deep components through a typed Svelte
 * context (components call these classes, never the worker).
 */
import { getContext, setContext } from 'svelte';
import { BuildState } from './build.svelte.ts';
import { ContainersState } from './containers.svelte.ts';
import { DiskState } from './disk.svelte.ts';
import { EngineState } from './engine.svelte.ts';
import { RegistryState } from './registry.svelte.ts';
import { ImagesState } from './images.svelte.ts';
import { InspectorState } from './inspector.svelte.ts';
import { ImageDetailsState } from './image-details.svelte.ts';
import { StackState } from './stack.svelte.ts';
import { TeachingState } from './teaching.svelte.ts';
import { VolumesState } from './volumes.svelte.ts';
import { Workspace } from './workspace.svelte.ts';
import { LessonsState } from './lessons.svelte.ts';

/** Every state area of the page. */
export interface Lab {
  engine: EngineState;
  images: ImagesState;
  stack: StackState;
  build: BuildState;
  teaching: TeachingState;
  containers: ContainersState;
  registry: RegistryState;
  disk: DiskState;
  volumes: VolumesState;
  workspace: Workspace;
  lessons: LessonsState;
  inspector: InspectorState;
  details: ImageDetailsState;
}

const KEY = Symbol('layerlab');

/** How a page uses the lab: the full lab keeps its work; an embed keeps nothing and shares nothing. */
export interface LabOptions {
  /**
   * Embedded in a docs page (`?embed`): the engine keeps its store in memory and the workspace is not
   * saved, so several embeds on one page (same origin) never share or overwrite each other's state.
   */
  embedded?: boolean;
}

/** Creates the state areas and wires the few links between them. */
export function createLab(options: LabOptions = {}): Lab {
  const engine = new EngineState({ memoryStore: options.embedded });
  const images = new ImagesState(engine);
  const stack = new StackState();
  const teaching = new TeachingState({ persist: !options.embedded });
  // The pull board plays a (metadata-only, instant) catalog pull step by step at the lab's speed; at once with reduced motion or Instant.
  engine.pulls.stepMs = () => teaching.animationMs / 20;
  const build = new BuildState(engine, stack, images, teaching);
  images.onSelect = async (imageId, title) => {
    if (build.building) return;
    const layers = await engine.track(`reading layers of ${title}`, async () => (await engine.api()).images.layers(imageId));
    stack.showImage(title, layers, undefined, imageId);
  };
  const api = () => engine.api();
  const workspace = new Workspace({ persist: !options.embedded });
  const containers = new ContainersState(engine, images);
  containers.animationMs = () => teaching.animationMs;
  // docker commit: the new image is shown, its top layer (the committed container layer) arriving.
  containers.onCommitted = async (imageId) => {
    await images.select(imageId, false);
    const title = images.titleOf(imageId);
    const layers = await engine.track(`reading layers of ${title}`, async () => (await engine.api()).images.layers(imageId));
    stack.showImage(title, layers, undefined, imageId);
    const top = stack.slabs.at(-1);
    if (top) stack.arrive([top.key]);
  };
  const registry = new RegistryState(engine, images, teaching);
  const storage = options.embedded ? undefined : globalThis.localStorage;
  return {
    engine, images, stack, build, teaching, workspace, inspector: new InspectorState(api), details: new ImageDetailsState(api),
    containers, registry, disk: new DiskState(engine), volumes: new VolumesState(engine),
    lessons: new LessonsState({ engine, build, workspace, containers, registry, images }, storage),
  };
}

export function setLab(lab: Lab): Lab {
  return setContext(KEY, lab);
}

export function getLab(): Lab {
  return getContext<Lab>(KEY);
}
