/**
 * Plain, structured-cloneable data of the container runtime: what it persists per container and
 * volume, and what its API returns to the CLI and (through the worker) to the lab UI.
 */
import type { UnionEvent } from '../fs/events.ts';

/** Docker's container states that the lab models (moby `container.State`). */
export type ContainerStatus = 'created' | 'running' | 'exited';

/** A published port (`-p 8080:80` → 0.0.0.0:8080->80/tcp). */
export interface PortBinding {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  proto: 'tcp' | 'udp';
}

/** A volume mounted into a container. Anonymous volumes come from the image's VOLUME paths. */
export interface MountRecord {
  type: 'volume';
  name: string;
  destination: string;
  anonymous: boolean;
  readOnly?: boolean;
}

/** One chunk of the main process's output, as `docker logs` replays it. */
export interface LogEntry {
  stream: 'stdout' | 'stderr';
  text: string;
  /** When it was printed (runtime clock, ms since the epoch); absent in records saved before it was kept. */
  time?: number;
}

/** `docker logs` options the lab models. */
export interface LogsOptions {
  /** `-t`: each line prefixed by its RFC 3339 time with nanoseconds (docker's RFC3339NanoFixed). */
  timestamps?: boolean;
  /** `--tail N`: only the last N lines. */
  tail?: number;
}

/** The config a container was created with (the runtime part of docker inspect's `Config`). */
export interface ContainerRunConfig {
  User: string;
  Env: string[];
  Cmd: string[] | null;
  Entrypoint: string[] | null;
  WorkingDir: string;
  ExposedPorts?: Record<string, Record<string, never>>;
  Volumes?: Record<string, Record<string, never>>;
  Labels: Record<string, string>;
  StopSignal?: string;
  Tty: boolean;
  OpenStdin: boolean;
}

/** The persisted record of one container (everything but its upper layer). */
export interface ContainerRecord {
  id: string;
  /** Without the leading slash (`docker inspect` shows `/name`). */
  name: string;
  /** RFC 3339. */
  created: string;
  /** The image as the user named it (`alpine`, `alpine:3.22`, an ID). */
  image: string;
  imageId: string;
  config: ContainerRunConfig;
  path: string;
  args: string[];
  state: {
    status: ContainerStatus;
    exitCode: number;
    /** RFC 3339; absent until first started. */
    startedAt?: string;
    finishedAt?: string;
    error?: string;
    /** `docker pause`: the processes are frozen (cgroup freezer); the status stays running. */
    paused?: boolean;
  };
  mounts: MountRecord[];
  ports: PortBinding[];
  autoRemove: boolean;
  logs: LogEntry[];
  /** Bytes of regular files in the upper layer (docker's SizeRw), kept current on every save. */
  sizeRw: number;
  restartCount: number;
  /** While running a modelled server: the exit code `docker stop` gives it (0 or 137). */
  stopExitCode?: number;
}

/** Running totals of a container's union events. */
export interface EventTotals {
  created: number;
  modified: number;
  copiedUp: number;
  /** Bytes copied up (whole files, as overlayfs copies them). */
  copiedUpBytes: number;
  whitedOut: number;
  madeOpaque: number;
  metadataChanged: number;
  removed: number;
}

/** A union event inside a volume (paths relative to the volume's root), for the lab's volume drawing. */
export interface VolumeFsEvent {
  volume: string;
  event: UnionEvent;
}

/** A union event with the container it happened in and its sequence number there. */
export interface ContainerFsEvent {
  containerId: string;
  seq: number;
  event: UnionEvent;
}

/** One row of `docker ps`, with raw times so each client formats CREATED and STATUS itself. */
export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  imageId: string;
  /** Path + args joined (ps COMMAND before quoting and truncation). */
  command: string;
  created: string;
  status: ContainerStatus;
  exitCode: number;
  startedAt?: string;
  finishedAt?: string;
  /** docker's STATUS text at the runtime clock's now (`Up 5 seconds`, `Exited (0) 2 minutes ago`). */
  statusText: string;
  /** Running but frozen by `pause`. */
  paused?: boolean;
  /** docker's PORTS text (`0.0.0.0:8080->80/tcp`); empty unless running. */
  ports: string;
  mounts: MountRecord[];
  /** With `size`: the upper layer's bytes and the virtual size (upper + image). */
  sizeRw?: number;
  sizeRootFs?: number;
}

/** The result of `run` (or `start` with attach). */
export interface RunResult {
  id: string;
  name: string;
  status: ContainerStatus;
  /** Set when the main process finished. */
  exitCode?: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in order (what a terminal shows). */
  output: string;
  /** For `run -it`: the interactive session attached to the main shell. */
  sessionId?: string;
  /** True if `--rm` removed the container after it exited. */
  removed?: boolean;
}

/**
 * Receives a process's output while it runs, in order: each top-level shell command's stdout when
 * it ends, and what remains (stderr, background jobs) when the process ends (shell/types.ts
 * `RunOptions.onOutput`). Every byte of the final result passes through it exactly once.
 */
export type OutputListener = (stream: 'stdout' | 'stderr', text: string) => void;

/** The result of one `exec` or one interactive line. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** For session lines: the shell has exited (`exit`). */
  exited?: boolean;
}

/** A named or anonymous volume. */
export interface VolumeInfo {
  name: string;
  created: string;
  anonymous: boolean;
  labels: Record<string, string>;
  /** Bytes of regular files in the volume. */
  size: number;
  /** Containers (running or not) that mount it. */
  refCount: number;
}

/** One entry inside a volume (path from the volume's root), for the lab's drawing of it. */
export interface VolumeEntry {
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  /** Bytes of a regular file, else 0. */
  size: number;
}

/** `docker volume inspect` JSON for one volume. */
export interface VolumeInspect {
  CreatedAt: string;
  Driver: 'local';
  Labels: Record<string, string> | null;
  Mountpoint: string;
  Name: string;
  Options: Record<string, string> | null;
  Scope: 'local';
}

/** One image row of `system df -v`. */
export interface DfImage {
  repository: string;
  tag: string;
  imageId: string;
  created?: string;
  size: number;
  sharedSize: number;
  uniqueSize: number;
  containers: number;
}

/** `system df` data; the CLI turns it into docker's summary or verbose tables. */
export interface DfReport {
  images: { total: number; active: number; size: number; reclaimable: number; items: DfImage[] };
  containers: { total: number; active: number; size: number; reclaimable: number; items: ContainerSummary[] };
  volumes: { total: number; active: number; size: number; reclaimable: number; items: VolumeInfo[] };
  buildCache: { total: number; active: number; size: number; reclaimable: number };
}

export type { PruneResult } from '../api-types.ts';

/** A file for `docker cp`, host-side (relative path inside the copied tree, `/`-separated). */
export interface CopyEntry {
  path: string;
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  mtime: number;
  data?: Uint8Array;
  linkTarget?: string;
}

/** `docker top`: ps's column titles and one row per process. */
export interface TopResult {
  titles: string[];
  processes: string[][];
}

/** One row of `docker stats --no-stream`. */
export interface StatsRow {
  id: string;
  name: string;
  /** Percent of one CPU. */
  cpuPercent: number;
  memUsage: number;
  memLimit: number;
  netRx: number;
  netTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}
