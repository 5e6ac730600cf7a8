/**
 * Planners of the builder's filesystem steps (WORKDIR, COPY/ADD, RUN): one per instruction kind,
 * each saying what the step reads, what goes into its cache key (`op` and `inputs`, see cache.ts),
 * its history `created_by` as BuildKit writes it, and how it executes in a union mount over the
 * stage's layers. builder.ts runs every plan the same way: cache lookup, then either the cached
 * layer or `execute` and a commit of the upper layer.
 */
import type { MountNode } from '../../shell/system-mounts.ts';
import type { PackageCatalogs } from '../../shell/packages/apt-catalog.ts';
import type { UnionFs } from '../../fs/union.ts';
import type { Clock } from '../../host.ts';
import type { ContainerConfig } from '../../image/config.ts';
import type { ShellLimits } from '../../shell/limits.ts';
import type { ArchiveCodec } from '../../shell/types.ts';
import type { CopySource } from '../copy.ts';

/** The shell of the shell form (`RUN cmd`, `CMD cmd`) when the Dockerfile sets no SHELL. */
export const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** What a planner sees of its stage and of the build. */
export interface StepContext {
  /** The stage's config so far; WORKDIR sets `WorkingDir` here when it is planned. */
  config: ContainerConfig;
  /** Variables visible to expansion: the stage's ARGs, then ENV. */
  env: Map<string, string>;
  /** Expands a word with `env` and the Dockerfile's escape token. */
  expand(word: string): string;
  /** The stage's declared ARGs with their values, in order. */
  args: readonly { key: string; value?: string }[];
  /** The build context as a COPY/ADD source. */
  contextSource: CopySource;
  /** The source of `COPY --from=NAME`: an earlier stage, or an image (pulled when missing). */
  fromSource(name: string): Promise<CopySource>;
  /** The host clock: RUN's shell reads it for `date`, file times and output timing. */
  clock: Clock;
  archive?: ArchiveCodec;
  /** The offline package archives apt-get installs from. */
  packages?: PackageCatalogs;
  limits?: Partial<ShellLimits>;
  signal?: { readonly aborted: boolean };
  /** Receives RUN output as it is produced (BuildKit's vertex logs). */
  onOutput(stream: 'stdout' | 'stderr', text: string, elapsedMs: number): void;
  /** Receives a RUN's simulated time (ShellRunResult.simulatedMs), when its commands modelled one. */
  onSimulatedTime?(ms: number): void;
  /** `RUN --mount=type=cache` volumes by id, kept by the build service across builds. */
  cacheMounts?: Map<string, MountNode>;
  /** `--secret id=…` values of this build (never in the cache key or a layer). */
  secrets?: Readonly<Record<string, Uint8Array>>;
}

/** One filesystem step, planned. */
export interface StepPlan {
  /** The history entry's `created_by`. */
  createdBy: string;
  /** The operation as the cache key reads it: the expanded instruction and the config it depends on. */
  op: string;
  /** Checksums of the content the step reads (COPY/ADD sources); none for WORKDIR and RUN. */
  inputs: Record<string, string>;
  /** Set when the step can change nothing (WORKDIR /): the reason, and no cache lookup or layer. */
  noop?: string;
  /** Runs the step in a writable union mount over the stage's layers. */
  execute(fs: UnionFs): Promise<void>;
}
