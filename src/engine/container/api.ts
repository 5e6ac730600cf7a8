/**
 * The container runtime as the engine exposes it (`engine.containers`): `ContainerRuntime` implements
 * `ContainerEngine`, whose methods take and return plain, structured-cloneable data (the UI calls
 * them through the worker; the CLI formats them as docker's output). Containers and volumes are
 * persisted through BlobPersistence under `layerlab/containers/` and `layerlab/volumes/`, so a new
 * process (each CLI command) sees what an earlier one created.
 *
 * Docker behaviour reproduced here: IDs (64 hex) and random `adjective_surname` names, the name
 * conflict error, the state machine Created → Up → Exited (N), `stop` (SIGTERM, then SIGKILL after
 * the timeout: see entrypoint.ts KNOWN_SERVERS), `rm` of a running container, `exec` into a
 * stopped one, `rmi` of an image a container uses, prune outputs, `system df`.
 */
import type { PackageCatalogs } from '../shell/packages/apt-catalog.ts';
import { hexOf, shortId, type Digest } from '../digest.ts';
import { LayerlabError } from '../errors.ts';
import { dockerDiff, type DockerChange } from '../fs/diff.ts';
import type { UnionEvent } from '../fs/events.ts';
import { Inode, LayerTree, isWhiteout } from '../fs/layer-tree.ts';
import { LowerStack } from '../fs/lower-stack.ts';
import { normalizePath, parentPath } from '../fs/path.ts';
import { ROOT, UnionFs } from '../fs/union.ts';
import type { BlobPersistence, Clock, Random } from '../host.ts';
import { rfc3339 } from '../image/config.ts';
import { envRecord, mergeEnv } from '../image/env.ts';
import { recipeToTree, treeToRecipe } from '../image/recipe.ts';
import type { ImageUsage } from '../image/service.ts';
import type { ImageStore } from '../image/store.ts';
import { layerTarBytes, readLayerTar } from '../image/tar.ts';
import type { ShellLimits } from '../shell/limits.ts';
import type { ArchiveCodec } from '../shell/types.ts';
import { commitContainer, type CommitOptions } from './commit.ts';
import { Container, mergedTree } from './container.ts';
import { classifyProcess, commandLine, resolveCommand } from './entrypoint.ts';
import { containerInspect, type ContainerInspect } from './inspect.ts';
import { randomName } from './names.ts';
import { findProgram, ProcessRunner, sessionLine, startFailure, type LiveSession } from './runtime.ts';
import { DEFAULT_PATH } from '../shell/shell.ts';
import { imageDiskUsage, imagePrune, LayerSizes } from './sizes.ts';
import { portsText, statusText } from './status.ts';
import type {
  ContainerFsEvent, ContainerRecord, ContainerStatus, ContainerSummary, CopyEntry, DfReport, EventTotals, ExecResult, LogEntry, LogsOptions, OutputListener,
  MountRecord, PortBinding, PruneResult, RunResult, VolumeEntry, VolumeFsEvent, VolumeInfo, VolumeInspect,
} from './types.ts';
import { logLines } from './logs.ts';
import { VolumeStore } from './volumes.ts';
import { parseSignal } from './signals.ts';
import type { StatsRow, TopResult } from './types.ts';

export type * from './types.ts';
export type { CommitOptions } from './commit.ts';
export type { ContainerInspect } from './inspect.ts';
export type { DockerChange } from '../fs/diff.ts';

/** What `docker create` takes (the runtime part of `docker run`'s flags). */
export interface CreateOptions {
  image: string;
  /** Arguments after IMAGE. */
  cmd?: string[];
  entrypoint?: string;
  name?: string;
  /** `-e KEY=VALUE`. */
  env?: string[];
  workdir?: string;
  user?: string;
  /** `-v NAME:/path[:ro]` (named) or `-v /path` (anonymous). */
  volumes?: string[];
  /** `-p [IP:]HOST:CONTAINER[/proto]`. */
  publish?: string[];
  labels?: Record<string, string>;
  tty?: boolean;
  interactive?: boolean;
  /** `--rm`: remove the container (and its anonymous volumes) when it exits. */
  rm?: boolean;
}

/** `docker run`: create + start; without `detach` the result carries the process's output. */
export interface RunOptions extends CreateOptions {
  detach?: boolean;
  /** Wall-time limit of the main process in ms (the CLI's `--run-timeout`); default 30 s. */
  runTimeoutMs?: number;
}

/** Options of `exec` and `openSession`. */
export interface ExecOptions {
  user?: string;
  workdir?: string;
  env?: string[];
  stdin?: string;
  /** Wall-time limit of the process in ms (the CLI's `--run-timeout`); default 30 s. */
  runTimeoutMs?: number;
}

/**
 * The container operations of the engine (`engine.containers`), method by method, named after
 * docker's `container` subcommands; `ContainerRuntime` implements it. It also serves the image
 * service as its `ImageUsage` (an image a container uses cannot be removed). References (`ref`) are a full ID, a unique ID prefix or a name.
 */
export interface ContainerEngine {
  create(opts: CreateOptions): Promise<{ id: string; name: string; warnings: string[] }>;
  /** `run`; `onOutput` receives the main process's output while it runs (the result still carries all of it). */
  run(opts: RunOptions, onOutput?: OutputListener): Promise<RunResult>;
  start(ref: string, opts?: { interactive?: boolean; runTimeoutMs?: number }, onOutput?: OutputListener): Promise<RunResult>;
  stop(ref: string): Promise<string>;
  restart(ref: string): Promise<string>;
  /** `kill [-s SIGNAL]` (default KILL): delivers a signal to the main process; see ContainerRuntime.kill. */
  kill(ref: string, signal?: string): Promise<string>;
  pause(ref: string): Promise<string>;
  unpause(ref: string): Promise<string>;
  rename(ref: string, newName: string): Promise<void>;
  /** `top`: the container's processes as `ps -ef` columns. */
  top(ref: string): Promise<TopResult>;
  /** `wait`'s view: the persisted state, re-read so a change made by another process (a CLI `stop`) shows. */
  waitState(ref: string): Promise<{ status: ContainerStatus; exitCode: number }>;
  /** `build --output type=tar`: an image's merged filesystem as one tar (BuildKit's tar exporter of the final stage). */
  imageRootfsTar(ref: string): Promise<Uint8Array>;
  /** `build --output type=local`: an image's merged filesystem as entries to write to a directory. */
  imageRootfsEntries(ref: string): Promise<CopyEntry[]>;
  /** `stats --no-stream`: one sample per container (running ones unless `all`). */
  stats(refs: string[], opts?: { all?: boolean }): Promise<StatsRow[]>;
  /** `exec`; `onOutput` receives the process's output while it runs (the result still carries all of it). */
  exec(ref: string, command: string[] | string, opts?: ExecOptions, onOutput?: OutputListener): Promise<ExecResult>;
  openSession(ref: string, opts?: ExecOptions & { shell?: string }): Promise<{ sessionId: string }>;
  /** One line typed into a session; `onOutput` receives its output while it runs. Refused while the container is paused. */
  sessionLine(sessionId: string, line: string, stdin?: string, onOutput?: OutputListener): Promise<ExecResult>;
  closeSession(sessionId: string): Promise<void>;
  list(opts?: { all?: boolean; size?: boolean }): Promise<ContainerSummary[]>;
  logs(ref: string, opts?: LogsOptions): Promise<LogEntry[]>;
  diff(ref: string): Promise<DockerChange[]>;
  events(ref: string): Promise<{ recent: UnionEvent[]; totals: EventTotals }>;
  commit(ref: string, opts?: CommitOptions): Promise<string>;
  cpOut(ref: string, path: string): Promise<Uint8Array>;
  cpOutEntries(ref: string, path: string): Promise<CopyEntry[]>;
  cpIn(ref: string, dest: string, tar: Uint8Array): Promise<void>;
  cpInEntries(ref: string, dest: string, entries: CopyEntry[]): Promise<void>;
  export(ref: string): Promise<Uint8Array>;
  remove(ref: string, opts?: { force?: boolean; volumes?: boolean }): Promise<string>;
  prune(): Promise<PruneResult>;
  inspect(ref: string): Promise<ContainerInspect>;
  volumeCreate(name?: string, opts?: { labels?: Record<string, string> }): Promise<string>;
  volumeLs(): Promise<VolumeInfo[]>;
  volumeRm(name: string, opts?: { force?: boolean }): Promise<string>;
  volumeInspect(name: string): Promise<VolumeInspect>;
  volumePrune(opts?: { all?: boolean }): Promise<PruneResult>;
  /** The entries in a volume, path order, at most `limit` (what the lab draws in the volume's box). */
  volumeEntries(name: string, opts?: { limit?: number }): Promise<VolumeEntry[]>;
  systemDf(): Promise<DfReport>;
}

/** What the runtime needs: the image store, persistence, time, randomness, the shell's codecs. */
export interface ContainerRuntimeOptions {
  store: ImageStore | (() => Promise<ImageStore>);
  persistence: BlobPersistence;
  clock: Clock;
  random: Random;
  archive?: ArchiveCodec;
  /** The offline package archives apt-get installs from. */
  packages?: PackageCatalogs;
  /** Receives every union event of every container (the UI animates copy-ups and whiteouts). */
  onEvent?: (e: ContainerFsEvent) => void;
  /** Receives every union event inside a volume (writes through a mount land there, not in a container layer). */
  onVolumeEvent?: (e: VolumeFsEvent) => void;
  shellLimits?: Partial<ShellLimits>;
  /** Build cache records outside containers (`RUN --mount=type=cache` volumes) for `system df`. */
  buildCacheUsage?: () => Promise<{ total: number; size: number }>;
}

const PREFIX = 'layerlab/containers/';
const MAX_LOG_BYTES = 1 << 20;
/** How often a running main process's log is persisted (for `logs -f` in another process). */
const LOG_SAVE_MS = 200;
const enc = new TextEncoder();
const dec = new TextDecoder();
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const isShell = (p: string) => /(^|\/)(sh|bash|ash|dash)$/.test(p);

/** moby daemon/exec.go `errExecPaused`: names the container as the caller did. */
function pausedForExec(ref: string, id: string): LayerlabError {
  return new LayerlabError('container/paused', `Error response from daemon: Container ${ref} is paused, unpause the container before exec`, { data: { id } });
}

function noSuchContainer(ref: string): LayerlabError {
  return new LayerlabError('container/not-found', `Error response from daemon: No such container: ${ref}`, { data: { ref } });
}

interface SessionEntry {
  containerId: string;
  session: LiveSession;
  /** The container's main process (`run -it IMAGE sh`): its exit stops the container. */
  main: boolean;
}

/** The container runtime; see the module comment. */
export class ContainerRuntime implements ContainerEngine, ImageUsage {
  private loaded?: Promise<void>;
  private readonly records = new Map<string, ContainerRecord>();
  private readonly live = new Map<string, Container>();
  private readonly lowers = new Map<string, Promise<LowerStack>>();
  private readonly sessions = new Map<string, SessionEntry>();
  private volumesP?: Promise<VolumeStore>;
  private storeP?: Promise<ImageStore>;
  private sizesObj?: LayerSizes;

  constructor(private readonly opts: ContainerRuntimeOptions) {}

  // ------------------------------------------------------------------ plumbing

  private store(): Promise<ImageStore> {
    const s = this.opts.store;
    this.storeP ??= typeof s === 'function' ? s() : Promise.resolve(s);
    return this.storeP;
  }

  private async sizes(): Promise<LayerSizes> {
    this.sizesObj ??= new LayerSizes(await this.store());
    return this.sizesObj;
  }

  private volumes(): Promise<VolumeStore> {
    const listener = this.opts.onVolumeEvent;
    this.volumesP ??= VolumeStore.open(this.opts.persistence, this.secs, () => this.nowIso(), listener && ((volume, event) => listener({ volume, event })));
    return this.volumesP;
  }

  private readonly secs = () => Math.floor(this.opts.clock.now() / 1000);
  private nowIso(): string {
    return rfc3339(this.opts.clock.now());
  }

  private ensure(): Promise<void> {
    this.loaded ??= (async () => {
      for (const key of await this.opts.persistence.list(PREFIX)) {
        if (!key.endsWith('.json') || key.endsWith('.upper.json')) continue;
        const raw = await this.opts.persistence.get(key);
        if (!raw) continue;
        const rec = JSON.parse(dec.decode(raw)) as ContainerRecord;
        this.records.set(rec.id, rec);
      }
    })();
    return this.loaded;
  }

  private async find(ref: string): Promise<ContainerRecord> {
    await this.ensure();
    const r = ref.replace(/^\//, '');
    const byId = this.records.get(r);
    if (byId) return byId;
    for (const rec of this.records.values()) if (rec.name === r) return rec;
    if (/^[a-f0-9]+$/.test(r)) {
      const hits = [...this.records.values()].filter((x) => x.id.startsWith(r));
      if (hits.length === 1) return hits[0];
      if (hits.length > 1) throw new LayerlabError('container/ambiguous', `Error response from daemon: multiple IDs found with provided prefix: ${r}`, { data: { ref } });
    }
    throw noSuchContainer(ref);
  }

  /** The image's LowerStack, built once and shared by every container of the image. */
  private lowerOf(imageId: string): Promise<LowerStack> {
    let p = this.lowers.get(imageId);
    if (!p) {
      p = (async () => {
        const trees = await (await this.store()).imageLayerTrees(imageId);
        const stack = new LowerStack(trees);
        stack.build();
        return stack;
      })();
      this.lowers.set(imageId, p);
      p.catch(() => this.lowers.delete(imageId));
    }
    return p;
  }

  private async container(rec: ContainerRecord): Promise<Container> {
    let c = this.live.get(rec.id);
    if (c) return c;
    const lower = await this.lowerOf(rec.imageId);
    const raw = await this.opts.persistence.get(`${PREFIX}${rec.id}.upper.json`);
    c = new Container(rec, lower, raw ? recipeToTree(raw) : new LayerTree(), { clock: this.secs, listener: this.opts.onEvent });
    this.live.set(rec.id, c);
    return c;
  }

  private async mounted(c: Container) {
    const vols = await this.volumes();
    return c.fs((m) => vols.require(m.name).fs);
  }

  private async runner(c: Container): Promise<ProcessRunner> {
    return new ProcessRunner(await this.mounted(c), { archive: this.opts.archive, packages: this.opts.packages, now: this.secs, limits: this.opts.shellLimits });
  }

  private async saveRecord(rec: ContainerRecord): Promise<void> {
    await this.opts.persistence.put(`${PREFIX}${rec.id}.json`, enc.encode(JSON.stringify(rec)));
  }

  /** Persists a container's record, upper layer and the volumes it mounts. */
  private async save(c: Container): Promise<void> {
    c.record.sizeRw = c.sizeRw();
    await this.opts.persistence.put(`${PREFIX}${c.id}.upper.json`, treeToRecipe(c.upper));
    await this.saveRecord(c.record);
    if (c.record.mounts.length) {
      const vols = await this.volumes();
      for (const m of c.record.mounts) {
        const v = vols.get(m.name);
        if (v) await vols.save(v);
      }
    }
  }

  /** Characters in each record's log, kept as entries come (a streaming loop adds thousands). */
  private readonly logSizes = new WeakMap<ContainerRecord, number>();

  private log(rec: ContainerRecord, stream: LogEntry['stream'], text: string) {
    if (!text) return;
    rec.logs.push({ stream, text, time: this.opts.clock.now() });
    let total = this.logSizes.has(rec) ? this.logSizes.get(rec)! + text.length : rec.logs.reduce((n, l) => n + l.text.length, 0);
    while (total > MAX_LOG_BYTES && rec.logs.length > 1) total -= rec.logs.shift()!.text.length;
    this.logSizes.set(rec, total);
  }

  // ------------------------------------------------------------------ lifecycle

  async create(o: CreateOptions): Promise<{ id: string; name: string; warnings: string[] }> {
    await this.ensure();
    const store = await this.store();
    const img = store.resolve(o.image);
    const ic = img.config.config ?? {};
    let name = o.name?.replace(/^\//, '');
    if (name !== undefined) {
      if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(name)) {
        throw new LayerlabError('container/invalid-name', `Error response from daemon: Invalid container name (${o.name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`, { data: { name } });
      }
      const holder = [...this.records.values()].find((r) => r.name === name);
      if (holder) {
        throw new LayerlabError(
          'container/name-conflict',
          `Error response from daemon: Conflict. The container name "/${name}" is already in use by container "${holder.id}". You have to remove (or rename) that container to be able to reuse that name.`,
          { data: { name, id: holder.id } },
        );
      }
    } else {
      const taken = new Set([...this.records.values()].map((r) => r.name));
      do name = randomName(this.opts.random);
      while (taken.has(name));
    }
    const cmd = resolveCommand(ic, { cmd: o.cmd, entrypoint: o.entrypoint });
    const id = hex(this.opts.random.bytes(32));
    // Env: the image's, with -e values replacing same-named entries and new ones appended.
    const env = mergeEnv(ic.Env, o.env ?? []);
    const vols = await this.volumes();
    const mounts: MountRecord[] = [];
    for (const spec of o.volumes ?? []) {
      const parts = spec.split(':');
      let source: string | undefined;
      let dest: string;
      let mode = '';
      if (parts.length === 1) dest = parts[0];
      else [source, dest, mode = ''] = parts;
      if (source?.startsWith('/') || source?.startsWith('.')) {
        throw new LayerlabError('container/bind-mount', `Error response from daemon: bind mounts are not available in the lab (${spec}): use a named volume (-v NAME:${dest})`, { data: { spec } });
      }
      if (!dest.startsWith('/')) throw new LayerlabError('container/invalid-volume', `Error response from daemon: invalid volume specification: '${spec}'`, { data: { spec } });
      const anonymous = !source;
      const volName = source ?? hex(this.opts.random.bytes(32));
      await vols.create(volName, { anonymous });
      mounts.push({ type: 'volume', name: volName, destination: normalizePath(dest), anonymous, readOnly: mode === 'ro' || undefined });
    }
    for (const path of Object.keys(ic.Volumes ?? {})) {
      const dest = normalizePath(path);
      if (mounts.some((m) => m.destination === dest)) continue;
      const volName = hex(this.opts.random.bytes(32));
      await vols.create(volName, { anonymous: true });
      mounts.push({ type: 'volume', name: volName, destination: dest, anonymous: true });
    }
    const ports = (o.publish ?? []).map(parsePublish);
    const exposed = { ...ic.ExposedPorts };
    for (const p of ports) exposed[`${p.containerPort}/${p.proto}`] = {};
    const rec: ContainerRecord = {
      id,
      name,
      created: this.nowIso(),
      image: o.image,
      imageId: img.imageId,
      config: {
        User: o.user ?? ic.User ?? '',
        Env: env,
        Cmd: cmd.cmd,
        Entrypoint: cmd.entrypoint,
        WorkingDir: o.workdir ?? ic.WorkingDir ?? '',
        ExposedPorts: Object.keys(exposed).length ? exposed : undefined,
        Volumes: ic.Volumes,
        Labels: { ...ic.Labels, ...o.labels },
        StopSignal: ic.StopSignal,
        Tty: !!o.tty,
        OpenStdin: !!o.interactive,
      },
      path: cmd.path,
      args: cmd.args,
      state: { status: 'created', exitCode: 0 },
      mounts,
      ports,
      autoRemove: !!o.rm,
      logs: [],
      sizeRw: 0,
      restartCount: 0,
    };
    this.records.set(id, rec);
    const c = await this.container(rec);
    // Docker creates the working directory and the mount points in the container layer.
    c.union.setUser(ROOT);
    const wd = rec.config.WorkingDir;
    if (wd && !c.union.exists(wd)) c.union.mkdir(normalizePath(wd), { recursive: true });
    for (const m of mounts) {
      await vols.prepareMount(vols.require(m.name), c.union, m.destination);
      if (!c.union.exists(m.destination)) c.union.mkdir(m.destination, { recursive: true });
    }
    await this.save(c);
    return { id, name, warnings: [] };
  }

  async run(o: RunOptions, onOutput?: OutputListener): Promise<RunResult> {
    const { id } = await this.create(o);
    return this.start(id, { interactive: o.interactive && o.tty, runTimeoutMs: o.runTimeoutMs }, onOutput);
  }

  /**
   * `start`: runs the main process. Its output goes to the container's log as it is printed (so
   * `logs` during the run shows what came out so far) and to `onOutput`.
   */
  async start(ref: string, opts: { interactive?: boolean; runTimeoutMs?: number } = {}, onOutput?: OutputListener): Promise<RunResult> {
    const rec = await this.find(ref);
    const c = await this.container(rec);
    const base: RunResult = { id: rec.id, name: rec.name, status: rec.state.status, stdout: '', stderr: '', output: '' };
    if (rec.state.status === 'running') return base;
    if (rec.state.startedAt) rec.restartCount++;
    rec.state = { status: 'running', exitCode: 0, startedAt: this.nowIso() };
    const runner = await this.runner(c);
    const argv = [rec.path, ...rec.args];
    const spec = { env: rec.config.Env, user: rec.config.User, cwd: rec.config.WorkingDir || '/', hostname: rec.id.slice(0, 12), timeoutMs: opts.runTimeoutMs };
    if (opts.interactive && isShell(rec.path) && rec.args.length === 0) {
      // `run -it IMAGE sh`: the main process is an interactive shell the caller drives line by line.
      const sessionId = hex(this.opts.random.bytes(6));
      this.sessions.set(sessionId, { containerId: rec.id, session: runner.session(spec), main: true });
      await this.save(c);
      return { ...base, status: 'running', sessionId };
    }
    const model = classifyProcess(argv);
    let stdout = '';
    let stderr = '';
    // Every byte of the process's output passes here once, as it is printed: into the log and out.
    // The record (with its log) is persisted every LOG_SAVE_MS meanwhile, so `logs -f` in another
    // process (each CLI command is one) follows the run.
    let saves: Promise<void> = this.saveRecord(rec).catch(() => undefined);
    let saveScheduled = false;
    let ended = false;
    const print: OutputListener = (stream, text) => {
      if (stream === 'stdout') stdout += text;
      else stderr += text;
      this.log(rec, stream, text);
      onOutput?.(stream, text);
      if (saveScheduled) return;
      saveScheduled = true;
      setTimeout(() => {
        saveScheduled = false;
        // Once the process has ended the final save (or the removal of --rm) is the last word.
        if (!ended) saves = saves.then(() => this.saveRecord(rec)).catch(() => undefined);
      }, LOG_SAVE_MS);
    };
    try {
      if (model.kind === 'server') {
        const envPath = envRecord(rec.config.Env).PATH ?? DEFAULT_PATH;
        if (!findProgram(runner.fs, argv.find((a) => a.endsWith(model.program)) ?? model.program, envPath)) {
          throw startFailure(`exec: "${model.program}": executable file not found in $PATH`, 127);
        }
        if (model.prelude) await runner.run({ ...spec, command: model.prelude, onOutput: print });
        print('stdout', model.startup.map((l) => l + '\n').join(''));
        rec.stopExitCode = model.stopExitCode;
      } else {
        const r = await runner.run({ ...spec, command: argv, onOutput: print });
        rec.state = { ...rec.state, status: 'exited', exitCode: r.exitCode, finishedAt: this.nowIso() };
      }
    } catch (e) {
      ended = true;
      await saves;
      if (e instanceof LayerlabError && e.code === 'container/start-failed') {
        rec.state = { status: 'created', exitCode: Number(e.data.exitCode ?? 127), error: String(e.data.detail ?? e.message) };
        await this.save(c);
        if (rec.autoRemove) await this.remove(rec.id, { force: true, volumes: true });
      }
      throw e;
    }
    ended = true;
    await saves;
    await this.save(c);
    const result: RunResult = { ...base, status: rec.state.status, stdout, stderr, output: stdout + stderr };
    if (rec.state.status === 'exited') {
      result.exitCode = rec.state.exitCode;
      if (rec.autoRemove) {
        await this.remove(rec.id, { force: true, volumes: true });
        result.removed = true;
      }
    }
    return result;
  }

  private async finish(rec: ContainerRecord, exitCode: number): Promise<void> {
    rec.state = { ...rec.state, status: 'exited', exitCode, finishedAt: this.nowIso() };
    delete rec.state.paused;
    delete rec.stopExitCode;
    for (const [sid, s] of this.sessions) if (s.containerId === rec.id) this.sessions.delete(sid);
  }

  async stop(ref: string): Promise<string> {
    const rec = await this.find(ref);
    if (rec.state.status !== 'running') return ref;
    // SIGTERM; a process that does not handle it is SIGKILLed after the timeout (137). A main shell
    // (`run -it IMAGE sh`) that trapped TERM runs its handler; if the handler exits, that is the exit code.
    let code = rec.stopExitCode ?? 137;
    const main = [...this.sessions.values()].find((s) => s.containerId === rec.id && s.main);
    if (main) {
      const r = await main.session.signal('TERM').catch(() => undefined);
      if (r) {
        this.log(rec, 'stdout', r.stdout);
        this.log(rec, 'stderr', r.stderr);
        if (main.session.exited) code = r.exitCode;
      }
    }
    await this.finish(rec, code);
    await this.saveRecord(rec);
    if (rec.autoRemove) await this.remove(rec.id, { force: true, volumes: true });
    return ref;
  }

  async restart(ref: string): Promise<string> {
    const rec = await this.find(ref);
    await this.stop(rec.id);
    await this.start(rec.id);
    return ref;
  }

  private async running(ref: string): Promise<ContainerRecord> {
    const rec = await this.find(ref);
    if (rec.state.status !== 'running') {
      throw new LayerlabError('container/not-running', `Error response from daemon: container ${rec.id} is not running`, { data: { id: rec.id } });
    }
    if (rec.state.paused) throw pausedForExec(ref, rec.id);
    return rec;
  }

  /**
   * `docker kill -s SIG`. KILL ends the container with 137. Other signals go to the main process
   * as Linux delivers them to PID 1, which has no default actions: an interactive main shell runs
   * its `trap` handler for the signal (and exits if the handler exits) and otherwise ignores it.
   * Simulation: a modelled server exits on TERM, INT and QUIT with the code `docker stop` gives it
   * (one that ignores TERM keeps running) and keeps running on any other signal (HUP as a reload).
   */
  async kill(ref: string, signal = 'KILL'): Promise<string> {
    const sig = parseSignal(signal);
    const rec = await this.find(ref);
    if (rec.state.status !== 'running') {
      throw new LayerlabError('container/not-running', `Error response from daemon: cannot kill container: ${ref}: container ${rec.id} is not running`, { data: { id: rec.id } });
    }
    if (rec.state.paused && sig.name !== 'KILL') {
      throw new LayerlabError('container/paused', `Error response from daemon: cannot kill container: ${ref}: Container ${rec.id} is paused. Unpause the container before stopping or killing`, { data: { id: rec.id } });
    }
    let exit: number | undefined;
    if (sig.name === 'KILL') exit = 137;
    else {
      const main = [...this.sessions.values()].find((s) => s.containerId === rec.id && s.main);
      if (main) {
        const r = await main.session.signal(sig.name as 'TERM').catch(() => undefined);
        if (r) {
          this.log(rec, 'stdout', r.stdout);
          this.log(rec, 'stderr', r.stderr);
          if (main.session.exited) exit = r.exitCode;
        }
      } else if (['TERM', 'INT', 'QUIT'].includes(sig.name) && rec.stopExitCode !== undefined && rec.stopExitCode !== 137) exit = rec.stopExitCode;
    }
    if (exit !== undefined) {
      await this.finish(rec, exit);
      await this.saveRecord(rec);
      if (rec.autoRemove) await this.remove(rec.id, { force: true, volumes: true });
    }
    return ref;
  }

  async pause(ref: string): Promise<string> {
    const rec = await this.find(ref);
    if (rec.state.status !== 'running') throw new LayerlabError('container/not-running', `Error response from daemon: Container ${rec.id} is not running`, { data: { id: rec.id } });
    if (rec.state.paused) throw new LayerlabError('container/paused', `Error response from daemon: Container ${rec.id} is already paused`, { data: { id: rec.id } });
    rec.state.paused = true;
    await this.saveRecord(rec);
    return ref;
  }

  async unpause(ref: string): Promise<string> {
    const rec = await this.find(ref);
    if (!rec.state.paused) throw new LayerlabError('container/not-paused', `Error response from daemon: Container ${rec.id} is not paused`, { data: { id: rec.id } });
    delete rec.state.paused;
    await this.saveRecord(rec);
    return ref;
  }

  async rename(ref: string, newName: string): Promise<void> {
    const rec = await this.find(ref);
    const name = newName.replace(/^\//, '');
    if (name === rec.name) throw new LayerlabError('container/rename', 'Error response from daemon: Renaming a container with the same name as its current name', { data: { name } });
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(name)) {
      throw new LayerlabError('container/invalid-name', `Error response from daemon: Invalid container name (${newName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`, { data: { name } });
    }
    const holder = [...this.records.values()].find((r) => r.name === name);
    if (holder) {
      throw new LayerlabError(
        'container/name-conflict',
        `Error response from daemon: Conflict. The container name "/${name}" is already in use by container "${holder.id}". You have to remove (or rename) that container to be able to reuse that name.`,
        { data: { name, id: holder.id } },
      );
    }
    rec.name = name;
    await this.saveRecord(rec);
  }

  /**
   * `docker top` runs `ps -ef` in the container's PID namespace and shows host PIDs.
   * Simulation: the lab has one process per container (its main process, plus a shell for a live
   * `exec -it`); PIDs are derived from the container ID, times from its start.
   */
  async top(ref: string): Promise<TopResult> {
    const rec = await this.find(ref);
    if (rec.state.status !== 'running') throw new LayerlabError('container/not-running', `Error response from daemon: container ${rec.id} is not running`, { data: { id: rec.id } });
    const user = rec.config.User ? rec.config.User.split(':')[0] : 'root';
    const pid = 1000 + (parseInt(rec.id.slice(0, 6), 16) % 60000);
    const started = rec.state.startedAt ? new Date(Date.parse(rec.state.startedAt)) : new Date(this.opts.clock.now());
    const stime = `${String(started.getUTCHours()).padStart(2, '0')}:${String(started.getUTCMinutes()).padStart(2, '0')}`;
    const tty = rec.config.Tty ? 'pts/0' : '?';
    const processes = [[user, String(pid), String(pid - 21), '0', stime, tty, '00:00:00', commandLine(rec.path, rec.args)]];
    let extra = 0;
    for (const s of this.sessions.values()) {
      if (s.containerId === rec.id && !s.main) processes.push([user, String(pid + 40 + extra++), String(pid - 21), '0', stime, 'pts/1', '00:00:00', '/bin/sh']);
    }
    return { titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'], processes };
  }

  async waitState(ref: string): Promise<{ status: ContainerStatus; exitCode: number }> {
    const rec = await this.find(ref);
    const raw = await this.opts.persistence.get(`${PREFIX}${rec.id}.json`);
    if (raw) {
      const fresh = JSON.parse(dec.decode(raw)) as ContainerRecord;
      if (!this.live.has(rec.id)) this.records.set(rec.id, fresh);
      return { status: fresh.state.status, exitCode: fresh.state.exitCode };
    }
    throw noSuchContainer(ref);
  }

  /**
   * `docker stats --no-stream`. Simulation: the lab runs no real processes, so CPU is 0% and
   * memory is not measured (0B of the 2 GiB the lab reports as the limit); BLOCK I/O's write side
   * is what the container wrote to its writable layer, which the lab does know.
   */
  async stats(refs: string[], o: { all?: boolean } = {}): Promise<StatsRow[]> {
    await this.ensure();
    const recs = refs.length ? await Promise.all(refs.map((r) => this.find(r))) : [...this.records.values()].filter((r) => o.all || r.state.status === 'running');
    return recs.map((rec) => {
      const running = rec.state.status === 'running';
      // PIDS: the main process plus one shell per open `exec -it` session (the rows `top` lists).
      const execs = [...this.sessions.values()].filter((s) => s.containerId === rec.id && !s.main).length;
      return { id: rec.id, name: rec.name, cpuPercent: 0, memUsage: 0, memLimit: running ? 2 * 1024 ** 3 : 0, netRx: 0, netTx: 0, blockRead: 0, blockWrite: rec.sizeRw, pids: running ? 1 + execs : 0 };
    });
  }

  async exec(ref: string, command: string[] | string, o: ExecOptions = {}, onOutput?: OutputListener): Promise<ExecResult> {
    const rec = await this.running(ref);
    const c = await this.container(rec);
    const runner = await this.runner(c);
    try {
      const r = await runner.run({
        command,
        env: [...rec.config.Env, ...(o.env ?? [])],
        user: o.user ?? rec.config.User,
        cwd: o.workdir ?? (rec.config.WorkingDir || '/'),
        hostname: rec.id.slice(0, 12),
        stdin: o.stdin,
        timeoutMs: o.runTimeoutMs,
        onOutput,
      });
      return r;
    } catch (e) {
      if (e instanceof LayerlabError && e.code === 'container/start-failed') {
        throw new LayerlabError('container/exec-failed', `OCI runtime exec failed: exec failed: unable to start container process: ${e.data.detail}: unknown`, { data: { exitCode: 127 } });
      }
      throw e;
    } finally {
      await this.save(c);
    }
  }

  async openSession(ref: string, o: ExecOptions & { shell?: string } = {}): Promise<{ sessionId: string }> {
    const rec = await this.running(ref);
    const c = await this.container(rec);
    const runner = await this.runner(c);
    const session = runner.session({ env: [...rec.config.Env, ...(o.env ?? [])], user: o.user ?? rec.config.User, cwd: o.workdir ?? (rec.config.WorkingDir || '/'), hostname: rec.id.slice(0, 12) });
    const sessionId = hex(this.opts.random.bytes(6));
    this.sessions.set(sessionId, { containerId: rec.id, session, main: false });
    return { sessionId };
  }

  async sessionLine(sessionId: string, line: string, stdin?: string, onOutput?: OutputListener): Promise<ExecResult> {
    const s = this.sessions.get(sessionId);
    if (!s) throw new LayerlabError('container/no-session', `no such session: ${sessionId}`, { data: { sessionId } });
    const rec = await this.find(s.containerId);
    // Simulation: docker freezes a paused container's processes, so a line typed into an open
    // terminal would wait for `unpause`; the lab refuses it with the error a new `exec` gets.
    if (rec.state.paused) throw pausedForExec(rec.name, rec.id);
    const c = await this.container(rec);
    // The main shell's output is the container's log, written as it is printed.
    const print: OutputListener = (stream, text) => {
      if (s.main) this.log(rec, stream, text);
      onOutput?.(stream, text);
    };
    const r = await sessionLine(s.session, line, stdin, print);
    if (r.exited) {
      this.sessions.delete(sessionId);
      if (s.main) await this.finish(rec, r.exitCode);
    }
    await this.save(c);
    return r;
  }

  async closeSession(sessionId: string): Promise<void> {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    this.sessions.delete(sessionId);
    if (s.main) {
      // Closing the terminal of `run -it … sh` ends its shell (EOF): exit 0.
      const rec = await this.find(s.containerId);
      await this.finish(rec, 0);
      await this.saveRecord(rec);
    }
  }

  // ------------------------------------------------------------------ views

  private async summary(rec: ContainerRecord, withSize: boolean): Promise<ContainerSummary> {
    const now = this.opts.clock.now();
    const running = rec.state.status === 'running';
    const s: ContainerSummary = {
      id: rec.id,
      name: rec.name,
      image: rec.image,
      imageId: rec.imageId,
      command: commandLine(rec.path, rec.args),
      created: rec.created,
      status: rec.state.status,
      exitCode: rec.state.exitCode,
      startedAt: rec.state.startedAt,
      finishedAt: rec.state.finishedAt,
      statusText: statusText(rec.state, now),
      paused: rec.state.paused || undefined,
      ports: running ? portsText(rec.ports, Object.keys(rec.config.ExposedPorts ?? {})) : '',
      mounts: rec.mounts.map((m) => ({ ...m })),
    };
    if (withSize) {
      const store = await this.store();
      const img = store.tryResolve(rec.imageId);
      s.sizeRw = rec.sizeRw;
      s.sizeRootFs = rec.sizeRw + (img ? await (await this.sizes()).image(img) : 0);
    }
    return s;
  }

  async list(o: { all?: boolean; size?: boolean } = {}): Promise<ContainerSummary[]> {
    await this.ensure();
    const recs = [...this.records.values()]
      .filter((r) => o.all || r.state.status === 'running')
      .sort((a, b) => b.created.localeCompare(a.created) || (a.id < b.id ? -1 : 1));
    const out: ContainerSummary[] = [];
    for (const r of recs) out.push(await this.summary(r, !!o.size));
    return out;
  }

  /**
   * `logs`. A container this runtime is not running is re-read from the store first: another
   * process (the CLI command that started it) may be appending to its log.
   */
  async logs(ref: string, opts: LogsOptions = {}): Promise<LogEntry[]> {
    let rec = await this.find(ref);
    if (!this.live.has(rec.id)) {
      const raw = await this.opts.persistence.get(`${PREFIX}${rec.id}.json`);
      if (raw) this.records.set(rec.id, (rec = JSON.parse(dec.decode(raw)) as ContainerRecord));
    }
    const entries = rec.logs;
    return opts.timestamps || opts.tail !== undefined ? logLines(entries, opts) : entries.map((l) => ({ ...l }));
  }

  async diff(ref: string): Promise<DockerChange[]> {
    const c = await this.container(await this.find(ref));
    return dockerDiff(c.union);
  }

  async events(ref: string): Promise<{ recent: UnionEvent[]; totals: EventTotals }> {
    const c = await this.container(await this.find(ref));
    return { recent: c.events.recent().map((e) => ({ ...e })), totals: { ...c.events.totals } };
  }

  async commit(ref: string, o: CommitOptions = {}): Promise<string> {
    const rec = await this.find(ref);
    const c = await this.container(rec);
    return commitContainer(await this.store(), c, o, this.opts.clock.now());
  }

  async inspect(ref: string): Promise<ContainerInspect> {
    const rec = await this.find(ref);
    const vols = await this.volumes();
    return containerInspect(rec, (n) => vols.get(n));
  }

  // ------------------------------------------------------------------ files

  /** The filesystem and path serving a container path (the union or a mounted volume). */
  private async routed(rec: ContainerRecord, path: string) {
    const c = await this.container(rec);
    const fs = await this.mounted(c);
    fs.setUser({ uid: 0, gid: 0 });
    const abs = normalizePath(path.startsWith('/') ? path : `/${path}`);
    const r = fs.route(abs);
    return { c, mfs: fs, abs, fs: r.fs, path: r.path };
  }

  private async outTree(ref: string, path: string): Promise<LayerTree> {
    const rec = await this.find(ref);
    const r = await this.routed(rec, path);
    let p = r.path;
    try {
      p = r.fs.realpath(parentPath(r.path)).replace(/\/$/, '') + '/' + r.path.slice(r.path.lastIndexOf('/') + 1);
      if (r.path === '/') p = '/';
    } catch {
      // resolved below
    }
    if (!r.fs.entryAt(p)) {
      throw new LayerlabError('container/cp-not-found', `Error response from daemon: Could not find the file ${path} in container ${rec.name}`, { data: { path } });
    }
    if (p === '/') {
      const t = mergedTree(r.fs, '/');
      // Copying a whole volume or the root: the tree's top is the directory itself.
      const named = new LayerTree();
      const name = r.abs === '/' ? '' : r.abs.slice(r.abs.lastIndexOf('/') + 1);
      if (!name) return t;
      const d = new Inode('dir', t.root);
      named.set(`/${name}`, d);
      for (const [k, e] of t.root.children!) d.children!.set(k, e);
      return named;
    }
    return mergedTree(r.fs, p);
  }

  async cpOut(ref: string, path: string): Promise<Uint8Array> {
    return layerTarBytes(await this.outTree(ref, path));
  }

  async cpOutEntries(ref: string, path: string): Promise<CopyEntry[]> {
    const t = await this.outTree(ref, path);
    const out: CopyEntry[] = [];
    for (const [p, e] of t.walk()) {
      if (isWhiteout(e)) continue;
      const rel = p.slice(1);
      if (e.type === 'file') out.push({ path: rel, type: 'file', mode: e.mode, mtime: e.mtime, data: e.content.read() });
      else if (e.type === 'dir') out.push({ path: rel, type: 'dir', mode: e.mode, mtime: e.mtime });
      else if (e.type === 'symlink') out.push({ path: rel, type: 'symlink', mode: e.mode, mtime: e.mtime, linkTarget: e.target });
    }
    return out;
  }

  async cpIn(ref: string, dest: string, tar: Uint8Array): Promise<void> {
    const tree = await readLayerTar(tar, { what: 'docker cp archive' });
    const entries: CopyEntry[] = [];
    for (const [p, e] of tree.walk()) {
      if (isWhiteout(e)) continue;
      const rel = p.slice(1);
      if (e.type === 'file') entries.push({ path: rel, type: 'file', mode: e.mode, mtime: e.mtime, data: e.content.read() });
      else if (e.type === 'dir') entries.push({ path: rel, type: 'dir', mode: e.mode, mtime: e.mtime });
      else if (e.type === 'symlink') entries.push({ path: rel, type: 'symlink', mode: e.mode, mtime: e.mtime, linkTarget: e.target });
    }
    await this.cpInEntries(ref, dest, entries);
  }

  /**
   * `docker cp SRC CONTAINER:DEST` semantics: into DEST if it is an existing directory; else the
   * single copied entry is created as DEST (its parent must exist). Files belong to root. An
   * existing entry (a symlink too) is replaced, not written through.
   */
  async cpInEntries(ref: string, dest: string, entries: CopyEntry[]): Promise<void> {
    const rec = await this.find(ref);
    const { c, mfs: fs, abs } = await this.routed(rec, dest);
    let isDir = false;
    try {
      isDir = fs.stat(abs).type === 'dir';
    } catch {
      isDir = false;
    }
    const tops = new Set(entries.map((e) => e.path.split('/')[0]));
    const target = (rel: string): string => {
      if (isDir) return abs === '/' ? `/${rel}` : `${abs}/${rel}`;
      if (tops.size !== 1) throw new LayerlabError('container/cp-not-dir', `Error response from daemon: Could not find the file ${dest} in container ${rec.name}`, { data: { dest } });
      const rest = rel.split('/').slice(1).join('/');
      return rest ? `${abs}/${rest}` : abs;
    };
    if (!isDir) {
      try {
        if (fs.stat(parentPath(abs)).type !== 'dir') throw new Error();
      } catch {
        throw new LayerlabError('container/cp-not-found', `Error response from daemon: Could not find the file ${parentPath(abs)} in container ${rec.name}`, { data: { dest } });
      }
    }
    const lstatType = (p: string): string | undefined => {
      try {
        return fs.lstat(p).type;
      } catch {
        return undefined;
      }
    };
    for (const e of entries) {
      const p = target(e.path);
      // moby pkg/archive Unpack: an existing path is removed and replaced unless both are
      // directories (then merged). Over a lower file that is a whiteout plus a new upper file:
      // `docker cp` copies nothing up, unlike a write in place.
      const existing = lstatType(p);
      if (existing !== undefined && !(existing === 'dir' && e.type === 'dir')) fs.rm(p, { recursive: true, force: true });
      if (e.type === 'dir') {
        let exists = false;
        try {
          exists = fs.stat(p).type === 'dir';
        } catch {
          exists = false;
        }
        if (!exists) fs.mkdir(p, { recursive: true, mode: e.mode });
        fs.chmod(p, e.mode);
      } else if (e.type === 'symlink') {
        fs.symlink(e.linkTarget ?? '', p);
      } else {
        fs.writeFile(p, e.data ?? new Uint8Array(0), { mode: e.mode });
        fs.chmod(p, e.mode);
      }
      if (e.type !== 'symlink') fs.utimes(p, e.mtime, e.mtime);
    }
    await this.save(c);
  }

  private async imageMerged(ref: string): Promise<LayerTree> {
    const img = (await this.store()).resolve(ref);
    return mergedTree(new UnionFs(await this.lowerOf(img.imageId)));
  }

  async imageRootfsTar(ref: string): Promise<Uint8Array> {
    return layerTarBytes(await this.imageMerged(ref));
  }

  async imageRootfsEntries(ref: string): Promise<CopyEntry[]> {
    const out: CopyEntry[] = [];
    for (const [p, e] of (await this.imageMerged(ref)).walk()) {
      if (isWhiteout(e) || p === '/') continue;
      const rel = p.slice(1);
      if (e.type === 'file') out.push({ path: rel, type: 'file', mode: e.mode, mtime: e.mtime, data: e.content.read() });
      else if (e.type === 'dir') out.push({ path: rel, type: 'dir', mode: e.mode, mtime: e.mtime });
      else if (e.type === 'symlink') out.push({ path: rel, type: 'symlink', mode: e.mode, mtime: e.mtime, linkTarget: e.target });
    }
    return out;
  }

  async export(ref: string): Promise<Uint8Array> {
    const rec = await this.find(ref);
    const c = await this.container(rec);
    c.union.setUser(ROOT);
    // Volume contents stay out of the export (the mount points are kept, empty), as docker's.
    const dests = rec.mounts.map((m) => m.destination);
    const tree = mergedTree(c.union, '/', (p) => dests.some((d) => p.startsWith(d + '/')));
    return layerTarBytes(tree);
  }

  // ------------------------------------------------------------------ removal

  async remove(ref: string, o: { force?: boolean; volumes?: boolean } = {}): Promise<string> {
    const rec = await this.find(ref);
    if (rec.state.status === 'running') {
      if (!o.force) {
        throw new LayerlabError(
          'container/running',
          `Error response from daemon: cannot remove container "${ref}": container is running: stop the container before removing or force remove`,
          { data: { id: rec.id } },
        );
      }
      await this.finish(rec, 137);
    }
    this.records.delete(rec.id);
    this.live.delete(rec.id);
    await this.opts.persistence.delete(`${PREFIX}${rec.id}.json`);
    await this.opts.persistence.delete(`${PREFIX}${rec.id}.upper.json`);
    if (o.volumes) {
      const vols = await this.volumes();
      for (const m of rec.mounts) {
        if (m.anonymous && !this.volumeUsers(m.name).length) await vols.remove(m.name, []);
      }
    }
    return ref;
  }

  async prune(): Promise<PruneResult> {
    await this.ensure();
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const rec of [...this.records.values()]) {
      if (rec.state.status === 'running') continue;
      reclaimed += rec.sizeRw;
      await this.remove(rec.id);
      deleted.push(rec.id);
    }
    return { deleted, reclaimed };
  }

  // ------------------------------------------------------------------ volumes

  private volumeUsers(name: string): string[] {
    return [...this.records.values()].filter((r) => r.mounts.some((m) => m.name === name)).map((r) => r.id);
  }

  async volumeCreate(name?: string, o: { labels?: Record<string, string> } = {}): Promise<string> {
    const vols = await this.volumes();
    const v = await vols.create(name ?? hex(this.opts.random.bytes(32)), { anonymous: !name, labels: o.labels });
    return v.name;
  }

  async volumeLs(): Promise<VolumeInfo[]> {
    await this.ensure();
    const vols = await this.volumes();
    return vols.list().map((v) => vols.info(v, this.volumeUsers(v.name).length));
  }

  async volumeRm(name: string, o: { force?: boolean } = {}): Promise<string> {
    await this.ensure();
    await (await this.volumes()).remove(name, this.volumeUsers(name), o);
    return name;
  }

  /** `docker volume prune [-a]`: docker 23+ removes unused anonymous volumes, or every unused one with `all`. */
  async volumePrune(o: { all?: boolean } = {}): Promise<PruneResult> {
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const v of await this.volumeLs()) {
      if (v.refCount > 0 || !(o.all || v.anonymous)) continue;
      await this.volumeRm(v.name);
      deleted.push(v.name);
      reclaimed += v.size;
    }
    return { deleted, reclaimed };
  }

  async volumeEntries(name: string, o: { limit?: number } = {}): Promise<VolumeEntry[]> {
    const v = (await this.volumes()).require(name);
    const out: VolumeEntry[] = [];
    const limit = o.limit ?? 1000;
    for (const [path, e] of v.data.walk()) {
      if (path === '/' || isWhiteout(e)) continue;
      if (out.length >= limit) break;
      const type = e.type === 'file' || e.type === 'dir' || e.type === 'symlink' ? e.type : 'other';
      out.push({ path, type, size: e.type === 'file' ? e.size : 0 });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async volumeInspect(name: string): Promise<VolumeInspect> {
    const vols = await this.volumes();
    return vols.inspect(vols.require(name));
  }

  // ------------------------------------------------------------------ images and disk usage

  async imageInUse(ref: string): Promise<{ containerId: string; running: boolean }[]> {
    await this.ensure();
    const img = (await this.store()).tryResolve(ref);
    if (!img) return [];
    return [...this.records.values()].filter((r) => r.imageId === img.imageId).map((r) => ({ containerId: r.id, running: r.state.status === 'running' }));
  }

  /**
   * moby `daemon/images/image_delete.go`: removing an image's last tag, or the image by ID, while a
   * container uses it is a conflict. By tag: `unable to remove repository reference` (must
   * force); by ID: `unable to delete` (must be forced if the container is stopped, cannot be
   * forced if it runs).
   */
  async checkImageRemovable(ref: string, o: { force?: boolean } = {}): Promise<void> {
    const store = await this.store();
    const img = store.tryResolve(ref);
    if (!img) return;
    const users = await this.imageInUse(img.imageId);
    if (users.length === 0) return;
    const byId = /^(sha256:)?[a-f0-9]+$/.test(ref) && hexOf(img.imageId as Digest).startsWith(ref.replace(/^sha256:/, ''));
    const running = users.find((u) => u.running);
    const first = running ?? users[0];
    if (byId || img.repoTags.length <= 1) {
      if (!byId && !o.force) {
        throw new LayerlabError(
          'image/conflict',
          `Error response from daemon: conflict: unable to remove repository reference "${ref}" (must force) - container ${first.containerId.slice(0, 12)} is using its referenced image ${shortId(img.imageId)}`,
          { data: { ref, containerId: first.containerId } },
        );
      }
      if (byId && running) {
        throw new LayerlabError(
          'image/conflict',
          `Error response from daemon: conflict: unable to delete ${shortId(img.imageId)} (cannot be forced) - image is being used by running container ${running.containerId.slice(0, 12)}`,
          { data: { ref, containerId: running.containerId } },
        );
      }
      if (byId && !o.force) {
        throw new LayerlabError(
          'image/conflict',
          `Error response from daemon: conflict: unable to delete ${shortId(img.imageId)} (must be forced) - image is being used by stopped container ${first.containerId.slice(0, 12)}`,
          { data: { ref, containerId: first.containerId } },
        );
      }
    }
  }

  async imagePrune(opts: { all?: boolean } = {}): Promise<PruneResult> {
    await this.ensure();
    const used = new Set([...this.records.values()].map((r) => r.imageId));
    const r = await imagePrune(await this.store(), await this.sizes(), (id) => used.has(id), opts);
    for (const id of r.deleted) this.lowers.delete(id);
    return r;
  }

  async systemDf(): Promise<DfReport> {
    await this.ensure();
    const store = await this.store();
    const recs = [...this.records.values()];
    const count = (imageId: string) => recs.filter((r) => r.imageId === imageId).length;
    const { items, layersSize } = await imageDiskUsage(store, await this.sizes(), count);
    // docker cli: reclaimable = total - Σ(size - shared) of images with containers.
    let used = 0;
    for (const i of items) if (i.containers > 0) used += i.size - i.sharedSize;
    const containers = await this.list({ all: true, size: true });
    const vols = await this.volumeLs();
    return {
      images: { total: items.length, active: items.filter((i) => i.containers > 0).length, size: layersSize, reclaimable: Math.max(0, layersSize - used), items },
      containers: {
        total: containers.length,
        active: containers.filter((c) => c.status === 'running').length,
        size: containers.reduce((n, c) => n + (c.sizeRw ?? 0), 0),
        reclaimable: containers.filter((c) => c.status !== 'running').reduce((n, c) => n + (c.sizeRw ?? 0), 0),
        items: containers,
      },
      volumes: {
        total: vols.length,
        active: vols.filter((v) => v.refCount > 0).length,
        size: vols.reduce((n, v) => n + v.size, 0),
        reclaimable: vols.filter((v) => v.refCount === 0).reduce((n, v) => n + v.size, 0),
        items: vols,
      },
      // Simulation: the step cache's records hold no bytes of their own here (layers count under
      // Images); the cache mounts' files do, and are reclaimable (no build runs while df does).
      buildCache: await (async () => {
        const u = (await this.opts.buildCacheUsage?.()) ?? { total: 0, size: 0 };
        return { total: u.total, active: 0, size: u.size, reclaimable: u.size };
      })(),
    };
  }
}

/** Parses `-p [IP:][HOST:]CONTAINER[/proto]` (a missing host port gets the container port: Simulation, docker picks a free one). */
export function parsePublish(spec: string): PortBinding {
  const [addr, proto = 'tcp'] = spec.split('/');
  const parts = addr.split(':');
  const containerPort = Number(parts.pop());
  const hostPort = parts.length ? Number(parts.pop() || containerPort) : containerPort;
  const hostIp = parts.length ? parts.join(':') : '0.0.0.0';
  if (!Number.isInteger(containerPort) || !Number.isInteger(hostPort)) {
    throw new LayerlabError('container/invalid-port', `invalid argument "${spec}" for "-p, --publish" flag: invalid port specification: "${spec}"`, { data: { spec, exitCode: 125 } });
  }
  return { hostIp, hostPort, containerPort, proto: proto === 'udp' ? 'udp' : 'tcp' };
}
