/**
 * The user's work: Dockerfile, build context (files with bytes and modes, plus empty folders) and
 * tag. Saved to localStorage on every change so it survives a reload and a crashed worker (the
 * worker never holds the only copy). Binary files are stored base64-encoded.
 */
import type { ContextFile } from '../../worker/api.ts';
import { LESSONS } from '../../scenario/lessons/index.ts';
import { fileBytes, type Scenario } from '../../scenario/format.ts';
import {
  buildTree, contextSize, ignoreTest, isUnder, looksBinary, movedPath, nameProblem, normalizePath, type WorkspaceFile,
} from './context-tree.ts';

/** localStorage key of the current format. */
export const KEY = 'layerlab.workspace.v2';
/** The first format: text files only, all mode 0644. Read once and migrated. */
export const KEY_V1 = 'layerlab.workspace.v1';

type SavedFile = { path: string; mode: number; text?: string; base64?: string };
interface Saved {
  dockerfile: string;
  tag: string;
  files: SavedFile[];
  folders: string[];
  epochMs?: number;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function toBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}
function fromBase64(s: string): Uint8Array {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

const textFiles = (files: Record<string, string>): WorkspaceFile[] =>
  Object.entries(files).map(([path, text]) => ({ path: normalizePath(path), bytes: enc.encode(text), mode: 0o644 }));

/** A scenario's Dockerfile, context (`.dockerignore` as a file of it), tag and build clock, as a workspace. */
export function scenarioWorkspace(s: Scenario): WorkspaceSnapshot {
  const file = s.build?.file ?? ('Dockerfile' in s.dockerfiles ? 'Dockerfile' : Object.keys(s.dockerfiles)[0]);
  const files: WorkspaceFile[] = s.files.map((f) => ({ path: f.path, bytes: fileBytes(f), mode: f.mode ?? 0o644 }));
  if (s.dockerignore !== undefined && !files.some((f) => f.path === '.dockerignore')) files.push({ path: '.dockerignore', bytes: enc.encode(s.dockerignore), mode: 0o644 });
  return { dockerfile: s.dockerfiles[file], files, folders: [], tag: s.build?.tags?.[0] ?? `${s.id}:latest`, epochMs: s.clock };
}

/** The persisted part of a workspace. */
export interface WorkspaceSnapshot {
  dockerfile: string;
  tag: string;
  files: WorkspaceFile[];
  folders: string[];
  /** The workspace's build clock (BuildKit's SOURCE_DATE_EPOCH idea): builds of this workspace are reproducible. */
  epochMs?: number;
}

/** The stored form: text files as text, binary files base64-encoded (localStorage holds strings only). */
export function serializeWorkspace(state: WorkspaceSnapshot): string {
  const files = state.files.map((f): SavedFile => (looksBinary(f.bytes) ? { path: f.path, mode: f.mode, base64: toBase64(f.bytes) } : { path: f.path, mode: f.mode, text: dec.decode(f.bytes) }));
  return JSON.stringify({ dockerfile: state.dockerfile, tag: state.tag, folders: state.folders, files, epochMs: state.epochMs } satisfies Saved);
}

/** Reads the saved workspace (migrating the text-only v1 format), or the first starter scenario when nothing usable is stored. */
export function restoreWorkspace(storage: Pick<Storage, 'getItem'> | undefined): WorkspaceSnapshot {
  try {
    const raw = storage?.getItem(KEY);
    if (raw) {
      const s = JSON.parse(raw) as Saved;
      const files = s.files.map((f) => ({ path: f.path, mode: f.mode, bytes: f.base64 !== undefined ? fromBase64(f.base64) : enc.encode(f.text ?? '') }));
      return { dockerfile: s.dockerfile, tag: s.tag, files, folders: s.folders ?? [], epochMs: s.epochMs };
    }
    const v1 = storage?.getItem(KEY_V1);
    if (v1) {
      const s = JSON.parse(v1) as { dockerfile: string; files: Record<string, string>; tag: string };
      return { dockerfile: s.dockerfile, tag: s.tag, files: textFiles(s.files), folders: [] };
    }
  } catch {
    // a corrupt entry falls back to the first starter scenario
  }
  return scenarioWorkspace(LESSONS[0]);
}

export class Workspace {
  dockerfile = $state('');
  tag = $state('');
  /** The context's files, replaced whole on every change. */
  files = $state.raw<WorkspaceFile[]>([]);
  /**
   * The simulated clock every build of this workspace starts from (ms since the epoch), so a rebuild
   * and a shared link reproduce the same image IDs; set anew when a scenario is loaded or reset.
   */
  epochMs = $state(Math.floor(Date.now() / 1000) * 1000);
  /** Folders the user created; folders holding files are implied and need not be listed. */
  folders = $state.raw<string[]>([]);
  /** Set when the browser refused to save (storage full): the work stays in memory only. */
  saveProblem = $state('');
  /** The files and folders before the last delete, for Undo. */
  private lastRemoved = $state.raw<{ files: WorkspaceFile[]; folders: string[]; what: string } | undefined>(undefined);

  /** `.dockerignore` as text, when the context has one. */
  readonly dockerignore = $derived.by(() => {
    const f = this.files.find((x) => x.path === '.dockerignore');
    return f ? dec.decode(f.bytes) : undefined;
  });
  readonly isIgnored = $derived(ignoreTest(this.dockerignore));
  readonly tree = $derived(buildTree(this.files, this.folders, this.isIgnored));
  /** What a build would send, after `.dockerignore`. */
  readonly size = $derived(contextSize(this.files, this.isIgnored));

  /** `persist: false` (an embed): start from the first starter scenario and never save. */
  constructor(options: { persist?: boolean } = {}) {
    const persist = options.persist ?? true;
    const s = restoreWorkspace(persist ? globalThis.localStorage : undefined);
    this.dockerfile = s.dockerfile;
    this.tag = s.tag;
    this.files = s.files;
    this.folders = s.folders;
    if (s.epochMs !== undefined) this.epochMs = s.epochMs;
    // Saving encodes every file (base64 for binaries): it runs once typing pauses, and on leaving the page.
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending: (() => void) | undefined;
    const flush = () => {
      clearTimeout(timer);
      pending?.();
      pending = undefined;
    };
    if (!persist) return;
    globalThis.addEventListener?.('pagehide', flush);
    $effect.root(() => {
      $effect(() => {
        const state = { dockerfile: this.dockerfile, tag: this.tag, folders: this.folders, files: this.files, epochMs: this.epochMs };
        pending = () => this.save(state);
        clearTimeout(timer);
        timer = setTimeout(flush, 250);
      });
    });
  }

  private save(state: WorkspaceSnapshot) {
    try {
      globalThis.localStorage?.setItem(KEY, serializeWorkspace(state));
      this.saveProblem = '';
    } catch (e) {
      this.saveProblem = `Not saved in this browser (${e instanceof Error ? e.name : 'storage error'}): the context is too large for local storage. It stays until you close the tab.`;
    }
  }

  /** Replaces the workspace with a starter scenario (src/scenario/lessons/) by id. */
  usePreset(id: string) {
    const s = LESSONS.find((x) => x.id === id);
    if (s) this.useScenario(s);
  }

  /** Replaces the workspace with a scenario's Dockerfile, context, tag and build clock (a starter, a share link, a lesson). */
  useScenario(s: Scenario) {
    const w = scenarioWorkspace(s);
    this.dockerfile = w.dockerfile;
    this.files = w.files;
    this.folders = [];
    this.tag = w.tag;
    this.epochMs = w.epochMs ?? Math.floor(Date.now() / 1000) * 1000;
    this.lastRemoved = undefined;
  }

  /** The workspace as a scenario (for a share link or a workspace file). */
  toScenario(extra: { title?: string; lesson?: Scenario['lesson']; position?: number; id?: string } = {}): Scenario {
    const files = this.files.filter((f) => f.path !== '.dockerignore').map((f) =>
      looksBinary(f.bytes) ? { path: f.path, content: toBase64(f.bytes), encoding: 'base64' as const, mode: f.mode } : { path: f.path, content: dec.decode(f.bytes), mode: f.mode },
    );
    return {
      version: 1, id: extra.id ?? 'shared-workspace', title: extra.title ?? 'A layerlab workspace', dockerfiles: { Dockerfile: this.dockerfile }, files,
      ...(this.dockerignore !== undefined ? { dockerignore: this.dockerignore } : {}),
      build: { tags: this.tag ? [this.tag] : [] }, clock: this.epochMs,
      ...(extra.lesson ? { lesson: extra.lesson, position: extra.position ?? 0 } : {}),
    };
  }

  file(path: string): WorkspaceFile | undefined {
    return this.files.find((f) => f.path === path);
  }

  /** True if a file or folder exists at the path. */
  exists(path: string): boolean {
    const p = normalizePath(path);
    return this.files.some((f) => isUnder(f.path, p)) || this.folders.some((d) => isUnder(d, p));
  }

  /** Writes a file's bytes (creating it, mode 0644 unless given); implied folders need no entry. */
  writeFile(path: string, bytes: Uint8Array, mode?: number) {
    const p = normalizePath(path);
    if (!p) return;
    const old = this.file(p);
    const next = { path: p, bytes, mode: mode ?? old?.mode ?? 0o644 };
    this.files = old ? this.files.map((f) => (f.path === p ? next : f)) : [...this.files, next];
  }

  setText(path: string, text: string) {
    this.writeFile(path, enc.encode(text));
  }

  text(path: string): string {
    const f = this.file(path);
    return f ? dec.decode(f.bytes) : '';
  }

  /** Creates an empty file; returns a problem text instead when the name is unusable. */
  createFile(path: string): string | undefined {
    const problem = nameProblem(path, (p) => this.exists(p) || this.files.some((f) => isUnder(p, f.path)));
    if (problem) return problem;
    this.writeFile(path, new Uint8Array());
    return undefined;
  }

  createFolder(path: string): string | undefined {
    const problem = nameProblem(path, (p) => this.exists(p) || this.files.some((f) => isUnder(p, f.path)));
    if (problem) return problem;
    this.folders = [...this.folders, normalizePath(path)];
    return undefined;
  }

  /** Renames or moves a file or a folder with everything in it. */
  rename(from: string, to: string): string | undefined {
    const dest = normalizePath(to);
    if (dest === from) return undefined;
    if (isUnder(dest, from)) return 'A folder cannot move into itself.';
    const problem = nameProblem(dest, (p) => this.exists(p) || this.files.some((f) => isUnder(p, f.path)));
    if (problem) return problem;
    this.files = this.files.map((f) => ({ ...f, path: movedPath(f.path, from, dest) }));
    this.folders = this.folders.map((d) => movedPath(d, from, dest));
    return undefined;
  }

  /** Deletes a file, or a folder with everything below it; Undo restores it. */
  remove(path: string) {
    this.lastRemoved = { files: this.files, folders: this.folders, what: path };
    this.files = this.files.filter((f) => !isUnder(f.path, path));
    this.folders = this.folders.filter((d) => !isUnder(d, path));
  }

  get undoable(): string | undefined {
    return this.lastRemoved?.what;
  }

  undoRemove() {
    if (!this.lastRemoved) return;
    this.files = this.lastRemoved.files;
    this.folders = this.lastRemoved.folders;
    this.lastRemoved = undefined;
  }

  /** Sets or clears the executable bits (u+x, g+x, o+x where readable), as `chmod +x`/`-x`. */
  setExecutable(path: string, on: boolean) {
    const f = this.file(path);
    if (!f) return;
    const mode = on ? f.mode | ((f.mode & 0o444) >> 2) | 0o100 : f.mode & ~0o111;
    this.files = this.files.map((x) => (x.path === path ? { ...x, mode } : x));
  }

  /** Adds dropped or uploaded files (replacing same paths) and any empty folders among them. */
  addEntries(entries: { path: string; bytes?: Uint8Array }[]) {
    const incoming = new Map<string, WorkspaceFile>();
    const folders: string[] = [];
    for (const e of entries) {
      const p = normalizePath(e.path);
      if (!p) continue;
      if (e.bytes) incoming.set(p, { path: p, bytes: e.bytes, mode: this.file(p)?.mode ?? 0o644 });
      else folders.push(p);
    }
    this.files = [...this.files.filter((f) => !incoming.has(f.path)), ...incoming.values()];
    this.folders = [...this.folders, ...folders.filter((d) => !this.exists(d))];
  }

  /** The context as the engine's BuildRequest takes it (folders as directory entries, so empty ones are sent too). */
  contextFiles(): ContextFile[] {
    return [
      ...this.folders.map((d): ContextFile => ({ path: d, type: 'dir', mode: 0o755, mtime: 0 })),
      ...this.files.map((f): ContextFile => ({ path: f.path, type: 'file', mode: f.mode, content: f.bytes, mtime: 0 })),
    ];
  }
}
