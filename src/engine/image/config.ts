/**
 * The image config blob (image-spec config.md, plus Docker's `Healthcheck`, `OnBuild`, `Shell`
 * from moby's dockerspec `DockerOCIImageConfig`). Its digest is the image ID. Serialised byte for
 * byte as BuildKit's exporter writes it (see `serializeConfig`), so the same inputs give Docker's image ID.
 */
import { LayerlabError } from '../errors.ts';
import { isDigest, type DiffID } from '../digest.ts';
import { goJsonBytes, isObject, parseJsonBytes, sortedMap, type OrderedJson } from './json.ts';

/** HEALTHCHECK settings; durations are integer nanoseconds as in moby's HealthConfig. */
export interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

/** The runtime defaults a container inherits (`config` in the config blob). */
export interface ContainerConfig {
  User?: string;
  ExposedPorts?: Record<string, Record<string, never>>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, Record<string, never>>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  ArgsEscaped?: boolean;
  Healthcheck?: HealthConfig;
  OnBuild?: string[] | null;
  Shell?: string[];
}

/** One history entry; `empty_layer` marks steps that produced no layer (ENV, CMD…). */
export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

/** The image config blob (image-spec config.md). */
export interface ImageConfig {
  created?: string;
  author?: string;
  architecture: string;
  variant?: string;
  os: string;
  config?: ContainerConfig;
  rootfs: { type: 'layers'; diff_ids: DiffID[] };
  history?: HistoryEntry[];
}

/** Go's `omitempty` for a duration or count: zero is left out. */
const nz = (n: number | undefined): number | undefined => (n ? n : undefined);
/** Go's `omitempty` for a slice: nil and empty are both left out. */
const ne = <T>(a: T[] | null | undefined): T[] | undefined => (a && a.length ? a : undefined);
/** Go's `omitempty` for a map: nil and empty are both left out; keys sorted as Go writes maps. */
const nm = <T>(m: Record<string, T> | undefined): Record<string, T> | undefined => (m && Object.keys(m).length ? sortedMap(m) : undefined);

function healthJson(h: HealthConfig): OrderedJson {
  // dockerspec.HealthcheckConfig: every field `json:",omitempty"`, so `--interval=30s --timeout=3s`
  // writes {"Test":[…],"Interval":30000000000,"Timeout":3000000000} and no zero StartPeriod/Retries.
  return { Test: ne(h.Test), Interval: nz(h.Interval), Timeout: nz(h.Timeout), StartPeriod: nz(h.StartPeriod), StartInterval: nz(h.StartInterval), Retries: nz(h.Retries) };
}

function containerConfigJson(c: ContainerConfig): OrderedJson {
  // dockerspec.DockerOCIImageConfig (what BuildKit's Dockerfile frontend marshals): the embedded
  // ocispec.ImageConfig fields in their order, ArgsEscaped last of them, then Healthcheck, OnBuild,
  // Shell. Every field is `omitempty`: an empty or null Cmd/Entrypoint/OnBuild, an empty map and a
  // false ArgsEscaped are all left out (BuildKit before v0.13 wrote "OnBuild":null; current does not).
  return {
    User: c.User || undefined,
    ExposedPorts: nm(c.ExposedPorts),
    Env: ne(c.Env),
    Entrypoint: ne(c.Entrypoint),
    Cmd: ne(c.Cmd),
    Volumes: nm(c.Volumes),
    WorkingDir: c.WorkingDir || undefined,
    Labels: nm(c.Labels),
    StopSignal: c.StopSignal || undefined,
    ArgsEscaped: c.ArgsEscaped || undefined,
    Healthcheck: c.Healthcheck ? healthJson(c.Healthcheck) : undefined,
    OnBuild: ne(c.OnBuild),
    Shell: ne(c.Shell),
  };
}

function historyJson(h: HistoryEntry): OrderedJson {
  // ocispec.History: every field omitempty.
  return { created: h.created, created_by: h.created_by || undefined, author: h.author || undefined, comment: h.comment || undefined, empty_layer: h.empty_layer || undefined };
}

/**
 * The config's canonical bytes: hash these for the image ID. BuildKit's exporter
 * (exporter/containerimage/writer.go `patchImageConfig`) decodes the frontend's config into a
 * `map[string]json.RawMessage`, replaces `rootfs` and `history` and marshals the map again, so the
 * top-level keys come out sorted (`architecture`, `author`, `config`, `created`, `history`, `os`,
 * `os.features`, `os.version`, `rootfs`, `variant`) while `config` keeps its struct order.
 * `config` is a struct in Go (omitempty has no effect), so it is always written, `{}` if empty;
 * `rootfs.diff_ids` has no omitempty, so an image without layers writes `"diff_ids":null`, and the
 * exporter always sets `history`, `null` when there is none.
 */
export function serializeConfig(c: ImageConfig): Uint8Array {
  return goJsonBytes(
    sortedMap<OrderedJson | undefined>({
      created: c.created,
      author: c.author || undefined,
      architecture: c.architecture,
      variant: c.variant || undefined,
      os: c.os,
      config: containerConfigJson(c.config ?? {}),
      rootfs: { type: c.rootfs.type, diff_ids: c.rootfs.diff_ids.length ? [...c.rootfs.diff_ids] : null },
      // The exporter always writes `history` (json.Marshal of a nil slice is null).
      history: c.history?.length ? c.history.map(historyJson) : null,
    }) as OrderedJson,
  );
}

function bad(msg: string): never {
  throw new LayerlabError('image/invalid-config', `invalid image config: ${msg}`);
}

const strArr = (v: unknown, f: string): string[] | undefined => {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) bad(`${f} must be a list of strings`);
  return v as string[];
};

/** Parses and checks an untrusted config blob; unknown fields are dropped. */
export function parseConfig(bytes: Uint8Array, maxBytes?: number): ImageConfig {
  const v = parseJsonBytes(bytes, 'image config', maxBytes);
  if (!isObject(v)) bad('not an object');
  if (typeof v.architecture !== 'string' || typeof v.os !== 'string') bad('architecture and os are required');
  const rootfs = v.rootfs;
  // Go writes a nil DiffIDs slice as `"diff_ids":null` (an image with no layers); read it as [].
  if (!isObject(rootfs) || rootfs.type !== 'layers' || !(Array.isArray(rootfs.diff_ids) || rootfs.diff_ids === null)) bad('rootfs must be {type:"layers", diff_ids:[…]}');
  const diffIds = (rootfs.diff_ids ?? []) as unknown[];
  for (const d of diffIds) if (!isDigest(d)) bad(`diff_id ${JSON.stringify(d)} is not a sha256 digest`);
  const c: ImageConfig = { architecture: v.architecture, os: v.os, rootfs: { type: 'layers', diff_ids: diffIds as DiffID[] } };
  if (typeof v.created === 'string') c.created = v.created;
  if (typeof v.author === 'string') c.author = v.author;
  if (typeof v.variant === 'string') c.variant = v.variant;
  if (isObject(v.config)) {
    const x = v.config;
    const cc: ContainerConfig = {};
    if (typeof x.User === 'string') cc.User = x.User;
    if (isObject(x.ExposedPorts)) cc.ExposedPorts = Object.fromEntries(Object.keys(x.ExposedPorts).map((k) => [k, {}]));
    cc.Env = strArr(x.Env ?? undefined, 'Env');
    if (x.Entrypoint === null) cc.Entrypoint = null;
    else cc.Entrypoint = strArr(x.Entrypoint, 'Entrypoint');
    if (x.Cmd === null) cc.Cmd = null;
    else cc.Cmd = strArr(x.Cmd, 'Cmd');
    if (isObject(x.Volumes)) cc.Volumes = Object.fromEntries(Object.keys(x.Volumes).map((k) => [k, {}]));
    if (typeof x.WorkingDir === 'string') cc.WorkingDir = x.WorkingDir;
    if (isObject(x.Labels)) cc.Labels = Object.fromEntries(Object.entries(x.Labels).map(([k, s]) => [k, String(s)]));
    if (typeof x.StopSignal === 'string') cc.StopSignal = x.StopSignal;
    if (x.ArgsEscaped === true) cc.ArgsEscaped = true;
    if (isObject(x.Healthcheck)) {
      const h = x.Healthcheck;
      const num = (n: unknown) => (typeof n === 'number' ? n : undefined);
      cc.Healthcheck = { Test: strArr(h.Test, 'Healthcheck.Test'), Interval: num(h.Interval), Timeout: num(h.Timeout), StartPeriod: num(h.StartPeriod), StartInterval: num(h.StartInterval), Retries: num(h.Retries) };
    }
    if (x.OnBuild === null) cc.OnBuild = null;
    else cc.OnBuild = strArr(x.OnBuild, 'OnBuild');
    cc.Shell = strArr(x.Shell, 'Shell');
    for (const k of Object.keys(cc) as (keyof ContainerConfig)[]) if (cc[k] === undefined) delete cc[k];
    c.config = cc;
  }
  if (Array.isArray(v.history)) {
    c.history = v.history.map((h) => {
      if (!isObject(h)) bad('history entries must be objects');
      const e: HistoryEntry = {};
      if (typeof h.created === 'string') e.created = h.created;
      if (typeof h.created_by === 'string') e.created_by = h.created_by;
      if (typeof h.author === 'string') e.author = h.author;
      if (typeof h.comment === 'string') e.comment = h.comment;
      if (h.empty_layer === true) e.empty_layer = true;
      return e;
    });
  }
  return c;
}

/** RFC 3339 time as Go formats `time.Time` in UTC (no trailing zero fractions): `2026-01-01T00:00:00Z`. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z').replace(/(\.\d*?)0+Z$/, '$1Z');
}
