/**
 * What a build reports while it runs, as plain data: the lab animates these, and `progress.ts`
 * prints them as BuildKit's plain progress or the classic builder's output.
 *
 * Words: a *vertex* is one numbered entry of BuildKit's progress (`#5 [2/4] RUN …`): internal work
 * (loading the Dockerfile, the context, base image metadata), a FROM, a filesystem step (RUN, COPY,
 * ADD, WORKDIR), or the export. A *step* is one Dockerfile instruction in source order, as the
 * classic builder counts them (`Step 2/7 : ENV …`), metadata-only instructions included.
 */
import type { UnionEvent } from '../fs/events.ts';
import type { SourceRange } from '../errors.ts';
import type { CacheDecision } from './cache.ts';

/** A layer a step produced (or reused from the cache). */
export interface StepLayer {
  diffId: string;
  /** Blob digest; undefined while the layer is not compressed (a new layer is compressed at save/push). */
  digest?: string;
  /** Bytes of file content in the layer (docker's SIZE). */
  size: number;
  /** Compressed blob size; undefined while the layer is not compressed. */
  compressedSize?: number;
}

/**
 * The instruction a build is about to run, given to `BuildOptions.beforeStep` so a teacher's
 * step-by-step mode can pause before it and say what it will do.
 */
export interface StepPreview {
  /** Step number as the classic builder counts (`Step 3/7`); ONBUILD triggers share their FROM's. */
  step: number;
  totalSteps: number;
  stage: number;
  stageName?: string;
  /** The instruction as written. */
  instruction: string;
  /** Upper-case keyword: FROM, RUN, COPY, ENV… */
  keyword: string;
  range: SourceRange;
  /** 'layer': a filesystem step (a layer unless it changes nothing); 'config': metadata only; 'base': FROM. */
  effect: 'layer' | 'config' | 'base';
  onbuild?: boolean;
}

export type BuildEvent =
  | { type: 'build-begin'; buildId: string }
  | { type: 'build-start'; buildId: string; totalSteps: number; stages: { name?: string; index: number; needed: boolean }[] }
  | { type: 'vertex-start'; vertex: number; name: string; kind: 'internal' | 'from' | 'step' | 'export'; stage?: number; step?: number; range?: SourceRange; instruction?: string }
  | { type: 'vertex-log'; vertex: number; text: string }
  | { type: 'vertex-output'; vertex: number; stream: 'stdout' | 'stderr'; text: string; elapsedMs: number }
  | { type: 'vertex-done'; vertex: number; cached: boolean; durationMs: number; error?: string }
  | {
      type: 'step';
      step: number;
      totalSteps: number;
      stage: number;
      stageName?: string;
      instruction: string;
      /** The instruction's lines in the Dockerfile (for the editor highlight). */
      range: SourceRange;
      /** 'layer': added a filesystem layer; 'empty': a filesystem step that changed nothing;
       * 'metadata': config only (ENV, CMD…); 'from': the stage's base. */
      outcome: 'layer' | 'empty' | 'metadata' | 'from';
      cache?: CacheDecision;
      layer?: StepLayer;
      /** For a FROM: the base's name and layers, bottom first (none for scratch). */
      base?: { name: string; layers: StepLayer[] };
      /** History `created_by` the step left in the image config. */
      createdBy?: string;
      /** Short id docker's classic builder prints after ` ---> `. */
      resultId: string;
      durationMs: number;
      /**
       * Simulation: what the step would take for real where the lab models it (an npm install's
       * download time), when the step ran; absent otherwise. durationMs is the lab's own time.
       */
      simulatedMs?: number;
      vertex?: number;
    }
  | { type: 'fs'; vertex: number; step: number; event: UnionEvent }
  /** A build check (`rule`, e.g. JSONArgsRecommended, with its docs `url`) or a parser warning (no rule). */
  | { type: 'warning'; message: string; range?: SourceRange; rule?: string; url?: string }
  | { type: 'build-done'; imageId: string; tags: string[]; durationMs: number }
  | { type: 'build-error'; message: string; range?: SourceRange; vertex?: number };

/** A listener for build events. */
export type BuildEventListener = (e: BuildEvent) => void;
