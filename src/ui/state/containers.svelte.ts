/**
 * Containers on the page: `ps -a -s`, the Run form, terminal sessions into containers, each
 * container's writable layer (folded from the engine's union events, batched per frame so a
 * command touching thousands of files does not freeze the page) and its live `docker diff`, and
 * the lifecycle verbs (stop, start, restart, rm, commit, prune), `docker logs` and `docker cp` in and
 * out. Containers live in the engine's
 * store (IndexedDB), so `start()` reloads them; terminal history is kept in localStorage.
 */
import * as Comlink from 'comlink';
import { FrameBatch } from './frame-batch.ts';
import type { ContainerFsEvent, ContainerSummary, EngineEvent, ExecResult, LogEntry, OutputListener, StatsRow, TopResult } from '../../worker/api.ts';
import type { EngineState } from './engine.svelte.ts';
import type { ImagesState } from './images.svelte.ts';
import { applyUnionEvents, changesFromDiff, diffLines, sortedChanges, type ContainerChange } from './container-changes.ts';

/** What the Run form sends (docker run's flags the lab offers). */
export interface RunForm {
  image: string;
  name: string;
  command: string;
  env: string;
  volumes: string;
  user: string;
  workdir: string;
}

/** One open terminal: the main shell of `run -it` or an `exec` session. */
export interface TerminalSession {
  key: number;
  containerId: string;
  name: string;
  sessionId: string;
  /** The container's main process (`run -it IMAGE sh`); otherwise an exec. */
  main: boolean;
  /** Lines already written (replayed when the terminal is drawn again). */
  transcript: string;
}

/** A dock view about one container (Logs, Files, Processes), asked for from a container slab. */
export interface DockRequest {
  tab: 'Logs' | 'Files' | 'Processes';
  containerId: string;
  n: number;
}

/** A file read out of a container (`docker cp CONTAINER:PATH -`): one file's bytes, or a tar of a directory. */
export interface CopiedOut {
  name: string;
  bytes: Uint8Array;
  tar: boolean;
}

/** Events folded per animation frame (each fold is cheap; the cap keeps a frame short). */
const EVENTS_PER_FRAME = 3000;
const HISTORY_KEY = 'layerlab.terminal-history.v1';
const SHELLS = new Set(['sh', '/bin/sh', 'bash', '/bin/bash', 'ash', '/bin/ash']);

/** Splits a command line into words (quotes respected), as docker run's CMD override. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] ?? m[2] ?? m[3]);
  return words;
}

const lines = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean);

/** docker's container name rule (moby `daemon/names.go` validContainerNamePattern). */
const NAME_RULE = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** The signals the Kill control offers (docker kill -s), KILL first as docker's default. */
export const KILL_SIGNALS = ['KILL', 'TERM', 'INT', 'HUP', 'QUIT', 'USR1', 'USR2'] as const;

/** Docker's error for a name `docker rename` / `run --name` refuses, or '' when the name is valid. */
export function nameError(name: string): string {
  return NAME_RULE.test(name) ? '' : `Error response from daemon: Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`;
}

export class ContainersState {
  containers = $state.raw<ContainerSummary[]>([]);
  /** Rows of each container's layer, path order (by container ID). */
  changes = $state.raw<Record<string, ContainerChange[]>>({});
  /** `docker diff` lines of each container. */
  diff = $state.raw<Record<string, string[]>>({});
  /** Copy-up bytes seen since the page loaded, per container (the slab's size jump). */
  copiedUp = $state.raw<Record<string, number>>({});
  terminals = $state.raw<TerminalSession[]>([]);
  /** The terminal shown in the dock. */
  current = $state<number | undefined>(undefined);
  /** The image the Run form is open for. */
  runFor = $state<string | undefined>(undefined);
  /** Bumped when a terminal should come to the front (the dock switches to its Terminal tab). */
  terminalRequest = $state(0);
  error = $state('');
  message = $state('');
  busy = $state(false);
  /** The container whose Logs / Files view is open, and the request that brings its dock tab forward. */
  viewing = $state<string | undefined>(undefined);
  dockRequest = $state<DockRequest | undefined>(undefined);
  /** The Logs view's `-t` and `-f` (kept while the dock shows other tabs). */
  logTimestamps = $state(false);
  logFollow = $state(true);
  /** `docker top` and `docker stats --no-stream` of the container the Processes view shows (read on request). */
  top = $state.raw<{ containerId: string; result?: TopResult; error?: string } | undefined>(undefined);
  stats = $state.raw<{ containerId: string; row?: StatsRow; error?: string } | undefined>(undefined);
  /** Bumped whenever a container may have printed or changed (a terminal line, a verb): Logs follow it. */
  activity = $state(0);
  /** The container whose writable layer is being committed (its slab turns solid and sinks into the stack). */
  committing = $state<string | undefined>(undefined);
  /** The container being removed (its slab dissolves). */
  removing = $state<string | undefined>(undefined);
  /** Length of one animation step in ms (0 with reduced motion or instant speed); set by the lab. */
  animationMs: () => number = () => 0;
  /** Shows a freshly committed image in the stack, its new top layer arriving; set by the lab. */
  onCommitted?: (imageId: string) => Promise<void>;

  private maps = new Map<string, Map<string, ContainerChange>>();
  private readonly events = new FrameBatch<ContainerFsEvent>(EVENTS_PER_FRAME, (batch) => this.fold(batch));
  private nextKey = 1;

  constructor(private readonly engine: EngineState, private readonly images: ImagesState) {
    engine.listeners.add((e: EngineEvent) => {
      if (e.source !== 'container') return;
      this.events.push({ containerId: e.containerId, seq: e.seq, event: e.event });
    });
  }

  /** Folds one frame's events (at most EVENTS_PER_FRAME), then publishes the touched containers' rows. */
  private fold(batch: ContainerFsEvent[]) {
    const touched = new Set<string>();
    const bytes: Record<string, number> = { ...this.copiedUp };
    for (const { containerId, event } of batch) {
      let map = this.maps.get(containerId);
      if (!map) this.maps.set(containerId, (map = new Map()));
      applyUnionEvents(map, [event]);
      if (event.type === 'copied-up') bytes[containerId] = (bytes[containerId] ?? 0) + event.bytes;
      touched.add(containerId);
    }
    this.copiedUp = bytes;
    if (touched.size) {
      const next = { ...this.changes };
      for (const id of touched) next[id] = sortedChanges(this.maps.get(id)!);
      this.changes = next;
    }
  }

  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    this.error = '';
    this.message = '';
    this.busy = true;
    try {
      return await this.engine.track(what, fn);
    } catch (e) {
      this.error = `${what}: ${e instanceof Error ? e.message : String(e)}`;
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  /** On page load: the containers of the store, their diffs, and terminals into the running ones. */
  async start() {
    await this.guard('reading containers', async () => {
      await this.refresh();
      for (const c of this.containers) await this.refreshDiff(c.id, true);
    });
  }

  async refresh() {
    const api = await this.engine.api();
    this.containers = await api.containers.list({ all: true, size: true });
    const ids = new Set(this.containers.map((c) => c.id));
    const gone = this.terminals.filter((t) => !ids.has(t.containerId));
    if (gone.length) this.terminals = this.terminals.filter((t) => ids.has(t.containerId));
    if (this.current !== undefined && !this.terminals.some((t) => t.key === this.current)) this.current = this.terminals.at(-1)?.key;
  }

  /** Reads `docker diff`; with `seed`, rows for a container no event was seen for (after a reload). */
  async refreshDiff(id: string, seed = false) {
    const api = await this.engine.api();
    const d = await api.containers.diff(id);
    this.diff = { ...this.diff, [id]: diffLines(d) };
    if (seed && !this.maps.has(id)) {
      const map = changesFromDiff(d);
      this.maps.set(id, map);
      this.changes = { ...this.changes, [id]: sortedChanges(map) };
    }
  }

  /** The containers of one image (drawn side by side on its stack). */
  ofImage(imageId: string | undefined): ContainerSummary[] {
    return imageId ? this.containers.filter((c) => c.imageId === imageId) : [];
  }

  byId(id: string): ContainerSummary | undefined {
    return this.containers.find((c) => c.id === id);
  }

  /** Defaults of the Run form from the image config (CMD, ENV, USER, WORKDIR). */
  async formDefaults(image: string): Promise<RunForm> {
    const api = await this.engine.api();
    const cfg = ((await api.images.inspect(image)).Config ?? {}) as { Entrypoint?: string[] | null; Cmd?: string[] | null; User?: string; WorkingDir?: string };
    const cmd = [...(cfg.Entrypoint ?? []), ...(cfg.Cmd ?? [])];
    return { image, name: '', command: cmd.length ? cmd.join(' ') : 'sh', env: '', volumes: '', user: cfg.User ?? '', workdir: cfg.WorkingDir ?? '' };
  }

  /** `docker run -d` (a plain shell runs as `-it`, its session the terminal); opens a terminal. */
  async run(form: RunForm) {
    const res = await this.guard(`running ${form.image}`, async () => {
      const api = await this.engine.api();
      const cmd = splitWords(form.command);
      const shell = cmd.length === 1 && SHELLS.has(cmd[0]);
      // A command that runs to completion shows its output while it runs (the message, then the result).
      let printed = '';
      const r = await api.containers.run({
        image: form.image, name: form.name.trim() || undefined, cmd: cmd.length ? cmd : undefined, env: lines(form.env), volumes: lines(form.volumes),
        user: form.user.trim() || undefined, workdir: form.workdir.trim() || undefined, detach: true, interactive: shell, tty: shell,
      }, shell ? undefined : Comlink.proxy((_stream: 'stdout' | 'stderr', text: string) => {
        printed = (printed + text).slice(-4000);
        this.message = `Output so far:\n${printed}`;
      }));
      let sessionId = r.sessionId;
      if (!sessionId && r.status === 'running') sessionId = (await api.containers.openSession(r.id)).sessionId;
      await this.refresh();
      await this.refreshDiff(r.id, true);
      return { r, sessionId };
    });
    if (!res) return;
    this.runFor = undefined;
    const { r, sessionId } = res;
    if (sessionId) this.addTerminal(r.id, r.name, sessionId, !!r.sessionId, r.output);
    else this.message = `${r.name} ran and exited (${r.exitCode ?? 0})${r.output ? `:\n${r.output}` : ''}`;
  }

  private addTerminal(containerId: string, name: string, sessionId: string, main: boolean, output = '') {
    const key = this.nextKey++;
    this.terminals = [...this.terminals, { key, containerId, name, sessionId, main, transcript: output }];
    this.current = key;
    this.terminalRequest++;
  }

  /** `docker exec -it NAME sh`: a second terminal into a running container (or the first after a reload). */
  async exec(id: string) {
    const c = this.byId(id);
    const sid = await this.guard(`exec into ${c?.name ?? id}`, async () => (await (await this.engine.api()).containers.openSession(id)).sessionId);
    if (sid) this.addTerminal(id, c?.name ?? id.slice(0, 12), sid, false);
  }

  /**
   * One line typed in a terminal; its output reaches `onOutput` as the shell prints it (the result
   * comes after the last piece); afterwards the container's diff and sizes are read again.
   */
  async line(t: TerminalSession, line: string, onOutput?: OutputListener): Promise<ExecResult> {
    this.remember(t.containerId, line);
    const api = await this.engine.api();
    try {
      return await api.containers.sessionLine(t.sessionId, line, undefined, onOutput && Comlink.proxy(onOutput));
    } finally {
      await this.refreshDiff(t.containerId).catch(() => undefined);
      await this.refresh().catch(() => undefined);
      this.activity++;
    }
  }

  /** The terminal's shell exited (`exit`) or its tab was closed. */
  async close(t: TerminalSession) {
    this.terminals = this.terminals.filter((x) => x.key !== t.key);
    if (this.current === t.key) this.current = this.terminals.at(-1)?.key;
    await (await this.engine.api()).containers.closeSession(t.sessionId).catch(() => undefined);
    await this.refresh();
  }

  history(containerId: string): string[] {
    try {
      return JSON.parse(globalThis.localStorage?.getItem(HISTORY_KEY) ?? '{}')[containerId] ?? [];
    } catch {
      return [];
    }
  }

  private remember(containerId: string, line: string) {
    if (!line.trim()) return;
    try {
      const all = JSON.parse(globalThis.localStorage?.getItem(HISTORY_KEY) ?? '{}') as Record<string, string[]>;
      all[containerId] = [...(all[containerId] ?? []), line].slice(-200);
      globalThis.localStorage?.setItem(HISTORY_KEY, JSON.stringify(all));
    } catch {
      // history is a convenience
    }
  }

  private async verb(what: string, fn: (api: Awaited<ReturnType<EngineState['api']>>) => Promise<unknown>) {
    await this.guard(what, async () => {
      await fn(await this.engine.api());
      await this.refresh();
      this.activity++;
    });
  }

  stop = (id: string) => this.verb('stopping', (api) => api.containers.stop(id));
  /** `docker start` (with `-ai` for a shell container, as it was run with `-it`): its shell is the new terminal. */
  async startContainer(id: string) {
    const r = await this.guard('starting', async () => {
      const res = await (await this.engine.api()).containers.start(id, { interactive: true });
      await this.refresh();
      return res;
    });
    if (r?.sessionId) this.addTerminal(r.id, r.name, r.sessionId, true);
  }
  restart = (id: string) => this.verb('restarting', (api) => api.containers.restart(id));
  /** `docker pause`: the container's processes freeze (cgroup freezer); terminal lines are refused until `unpause`. */
  pause = (id: string) => this.verb('pausing', (api) => api.containers.pause(id));
  unpause = (id: string) => this.verb('unpausing', (api) => api.containers.unpause(id));
  /**
   * `docker kill -s SIGNAL`. A container still running afterwards is said to be: its PID 1 ignored
   * the signal (the kernel gives PID 1 no default action; only a handler, a `trap`, acts on it).
   */
  async kill(id: string, signal: string) {
    await this.verb(`kill -s ${signal}`, (api) => api.containers.kill(id, signal));
    const c = this.byId(id);
    if (!this.error && c?.status === 'running') {
      this.message = `SIG${signal} delivered; ${c.name} is still running: the kernel gives PID 1 no default action, so only a handler it installed (a shell's trap, a server's reload on HUP) acts on it`;
    }
  }

  /** `docker rename`: returns docker's error text, or '' when renamed (open terminals take the new name). */
  async rename(id: string, name: string): Promise<string> {
    const invalid = nameError(name);
    if (invalid) return invalid;
    try {
      await this.engine.track('renaming', async () => (await this.engine.api()).containers.rename(id, name));
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    const bare = name.replace(/^\//, '');
    this.terminals = this.terminals.map((t) => (t.containerId === id ? { ...t, name: bare } : t));
    await this.refresh();
    this.activity++;
    return '';
  }

  /** Reads `docker top` and `docker stats --no-stream` of a container for the Processes view. */
  async probe(id: string) {
    const api = await this.engine.api();
    const [top, stats] = await Promise.allSettled([api.containers.top(id), api.containers.stats([id])]);
    const why = (r: PromiseRejectedResult) => (r.reason instanceof Error ? r.reason.message : String(r.reason));
    this.top = top.status === 'fulfilled' ? { containerId: id, result: top.value } : { containerId: id, error: why(top) };
    this.stats = stats.status === 'fulfilled' ? { containerId: id, row: stats.value[0] } : { containerId: id, error: why(stats) };
  }

  async remove(id: string) {
    this.removing = id;
    await this.verb('removing', (api) => api.containers.remove(id, { force: true }));
    if (this.viewing === id) this.viewing = undefined;
    // The slab dissolves with its rows still drawn; they are dropped once it has gone.
    const ms = this.animationMs();
    if (ms > 0) await new Promise((r) => setTimeout(r, ms * 3));
    if (this.removing === id) this.removing = undefined;
    if (this.byId(id)) return;
    this.maps.delete(id);
    const { [id]: _, ...rest } = this.changes;
    this.changes = rest;
  }

  /**
   * `docker commit`: the dashed slab turns solid and sinks onto the stack (an animation step), the
   * engine writes the layer, then the new image is shown with that layer arriving on top.
   */
  async commit(id: string, repo: string) {
    this.committing = id;
    const ms = this.animationMs();
    try {
      if (ms > 0) await new Promise((r) => setTimeout(r, ms * 2));
      const imageId = await this.guard('committing', async () => (await this.engine.api()).containers.commit(id, repo.trim() ? { repo: repo.trim() } : {}));
      if (!imageId) return;
      this.message = imageId;
      await this.images.refresh();
      await this.onCommitted?.(imageId);
    } finally {
      this.committing = undefined;
    }
  }

  /** Opens the Logs or Files view of a container in the dock. */
  show(tab: DockRequest['tab'], containerId: string) {
    this.viewing = containerId;
    this.dockRequest = { tab, containerId, n: (this.dockRequest?.n ?? 0) + 1 };
  }

  /** `docker logs [-t]`: the main process's output (exec sessions are not part of it, as in docker). */
  async logs(id: string, timestamps: boolean): Promise<LogEntry[]> {
    return (await this.engine.api()).containers.logs(id, { timestamps });
  }

  /**
   * `docker cp FILE CONTAINER:DEST`: into DEST if it is a directory, else as DEST. Replacing a lower
   * file hides it under a new file (`~` replaced, nothing copied up); a new path shows `+`; a volume
   * path lands in the volume.
   */
  async copyIn(id: string, dest: string, file: { name: string; bytes: Uint8Array; mtimeMs: number }) {
    await this.guard(`copying ${file.name} into the container`, async () => {
      const api = await this.engine.api();
      const entry = { path: file.name, type: 'file' as const, mode: 0o644, mtime: Math.floor(file.mtimeMs / 1000), data: file.bytes };
      await api.containers.cpInEntries(id, dest.trim() || '/', [entry]);
      await this.refreshDiff(id);
      await this.refresh();
      this.message = `Successfully copied ${file.bytes.length}B to ${this.byId(id)?.name ?? id}:${dest.trim() || '/'}`;
    });
  }

  /** `docker cp CONTAINER:PATH -`: the merged view's bytes of a file, or a tar of a directory. */
  async copyOut(id: string, path: string): Promise<CopiedOut | undefined> {
    return this.guard(`copying ${path} out of the container`, async () => {
      const api = await this.engine.api();
      const entries = await api.containers.cpOutEntries(id, path);
      const base = path.replace(/\/+$/, '').split('/').pop() || 'root';
      if (entries.length === 1 && entries[0].type === 'file') return { name: base, bytes: entries[0].data ?? new Uint8Array(0), tar: false };
      return { name: `${base}.tar`, bytes: await api.containers.cpOut(id, path), tar: true };
    });
  }

  async prune() {
    await this.verb('pruning containers', async (api) => {
      const r = await api.containers.prune();
      this.message = `${r.deleted.length ? `Deleted Containers:\n${r.deleted.join('\n')}\n\n` : ''}Total reclaimed space: ${r.reclaimed}B`;
    });
  }
}
