/**
 * The scenario format (version 1): one small data file that holds everything needed to replay a
 * lab situation — Dockerfile(s), build-context files with modes, `.dockerignore`, build options,
 * commands to run in a container, a fixed simulated clock, and optional lesson steps. Starter
 * presets, guided lessons, share links, embeds and the build corpus all use it, so every lesson
 * is also a test. See `src/scenario/README.md` for the field-by-field description and an example.
 *
 * A scenario is plain JSON: no functions, no classes. `validateScenario` turns unknown input into a
 * `Scenario` or throws `ScenarioError` naming the first bad field by its JSON path.
 */

/** The current format version. Readers accept this version only; a newer file gets a clear error. */
export const SCENARIO_VERSION = 1;

/** One file of the build context. Text by default; `base64` for binary files. */
export interface ScenarioFile {
  /** Relative path inside the context, `/`-separated, no `..`. */
  path: string;
  content: string;
  encoding?: 'utf8' | 'base64';
  /** Permission bits, e.g. 0o755 (written in JSON as 493, or as the string "0755"). Default 0o644. */
  mode?: number;
}

/** `docker build` options. */
export interface ScenarioBuild {
  /** Which Dockerfile of `dockerfiles` to build; default `Dockerfile`. */
  file?: string;
  tags?: string[];
  buildArgs?: Record<string, string>;
  target?: string;
  noCache?: boolean;
}

/** Commands to run in a container of the built image (a `docker run` then shell lines). */
export interface ScenarioRun {
  name?: string;
  /** Image reference; default the first build tag. */
  image?: string;
  commands: string[];
  volumes?: string[];
}

/**
 * A check of a lesson step, evaluated on the engine's real state and events:
 * - `build`: the last build succeeded (optionally with `layers` filesystem layers);
 * - `step-cache`: step `step` (1-based, as the classic builder counts) was `cached` or rebuilt;
 * - `file-changed`: the context file `path` differs from the scenario's original;
 * - `container-diff`: a container's `docker diff` has `change` (A/C/D) at `path`;
 * - `container-running`: some container is running;
 * - `push-skipped`: the last push reported at least `atLeast` layers as already existing;
 * - `image`: an image with reference `ref` exists.
 */
export type ScenarioCheck =
  | { kind: 'build'; layers?: number }
  | { kind: 'step-cache'; step: number; cached: boolean }
  | { kind: 'file-changed'; path: string }
  | { kind: 'container-diff'; path: string; change: 'A' | 'C' | 'D' }
  | { kind: 'container-running' }
  | { kind: 'push-skipped'; atLeast: number }
  | { kind: 'image'; ref: string };

/**
 * An action the learner is asked to do, as data: the lab's "Show me" button performs it, and the
 * test suite plays every lesson with it.
 */
export type LessonAction =
  | { do: 'build' }
  | { do: 'edit'; path: string; append: string }
  | { do: 'tag'; tag: string }
  | { do: 'run'; name: string; command?: string[] }
  | { do: 'exec'; container: string; command: string }
  | { do: 'rm'; container: string }
  | { do: 'push'; ref?: string };

/** One step of a guided lesson. */
export interface LessonStep {
  id: string;
  /** What to do, in one short sentence ("Build it"). */
  title: string;
  /** More guidance, plain text. */
  text?: string;
  /** A question to answer before the explanation is revealed. */
  predict?: { question: string; choices?: string[]; answer: string };
  /** The truth the step shows, one paragraph. */
  explain: string;
  check: ScenarioCheck;
  /** What doing the step means, as actions (for "Show me" and for tests). */
  try?: LessonAction[];
}

/** A scenario; see the module comment. */
export interface Scenario {
  version: typeof SCENARIO_VERSION;
  id: string;
  title: string;
  description?: string;
  /** Dockerfiles by name; `Dockerfile` is the default one. */
  dockerfiles: Record<string, string>;
  files: ScenarioFile[];
  dockerignore?: string;
  build?: ScenarioBuild;
  run?: ScenarioRun[];
  /** The simulated clock in milliseconds since the epoch; with it a rebuild reproduces image IDs. */
  clock?: number;
  lesson?: { steps: LessonStep[] };
  /** Where a shared link left the learner: the index of the current lesson step. */
  position?: number;
  /** What a test expects of the build (the test corpus): `error`, a text the failure message contains. */
  expect?: { error?: string };
}

/** A scenario that does not follow the format: `path` is the JSON path of the first bad field. */
export class ScenarioError extends Error {
  readonly code = 'scenario/invalid';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`invalid scenario: ${path}: ${message}`);
    this.name = 'ScenarioError';
  }
}

const ACTIONS = ['build', 'edit', 'tag', 'run', 'exec', 'rm', 'push'] as const;

function action(v: unknown, path: string): LessonAction {
  if (!isObj(v) || !ACTIONS.includes(v.do as (typeof ACTIONS)[number])) throw new ScenarioError(`${path}.do`, `must be one of ${ACTIONS.join(', ')}`);
  switch (v.do) {
    case 'build':
      return { do: 'build' };
    case 'edit':
      return { do: 'edit', path: contextPath(str(v, 'path', path)!, `${path}.path`), append: str(v, 'append', path)! };
    case 'tag':
      return { do: 'tag', tag: str(v, 'tag', path)! };
    case 'run':
      return v.command === undefined ? { do: 'run', name: str(v, 'name', path)! } : { do: 'run', name: str(v, 'name', path)!, command: strList(v.command, `${path}.command`) };
    case 'exec':
      return { do: 'exec', container: str(v, 'container', path)!, command: str(v, 'command', path)! };
    case 'rm':
      return { do: 'rm', container: str(v, 'container', path)! };
    default: {
      const ref = str(v, 'ref', path, false);
      return ref === undefined ? { do: 'push' } : { do: 'push', ref };
    }
  }
}

const CHECK_KINDS = ['build', 'step-cache', 'file-changed', 'container-diff', 'container-running', 'push-skipped', 'image'] as const;
const TOP_KEYS = new Set(['$schema', 'version', 'id', 'title', 'description', 'dockerfiles', 'dockerfile', 'files', 'dockerignore', 'build', 'run', 'clock', 'lesson', 'position', 'expect']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(o: Obj, key: string, path: string, required = true): string | undefined {
  const v = o[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string') throw new ScenarioError(`${path}.${key}`, required && v === undefined ? 'is required' : 'must be a string');
  return v;
}

function strList(v: unknown, path: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ScenarioError(path, 'must be a list of strings');
  return v as string[];
}

function strMap(v: unknown, path: string): Record<string, string> {
  if (!isObj(v)) throw new ScenarioError(path, 'must be an object of strings');
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') throw new ScenarioError(`${path}.${k}`, 'must be a string');
  return v as Record<string, string>;
}

function mode(v: unknown, path: string): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && /^0?[0-7]{3,4}$/.test(v) ? parseInt(v, 8) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0o7777) throw new ScenarioError(path, 'must be permission bits, e.g. "0755" or 493');
  return n;
}

function contextPath(p: string, path: string): string {
  const clean = p.replace(/^\.\//, '');
  if (clean === '' || clean.startsWith('/') || clean.split('/').some((c) => c === '..' || c === '')) {
    throw new ScenarioError(path, `"${p.slice(0, 80)}" must be a relative path inside the context (no leading /, no ..)`);
  }
  return clean;
}

function check(v: unknown, path: string): ScenarioCheck {
  if (!isObj(v)) throw new ScenarioError(path, 'must be an object with a "kind"');
  const kind = v.kind;
  if (!CHECK_KINDS.includes(kind as (typeof CHECK_KINDS)[number])) throw new ScenarioError(`${path}.kind`, `must be one of ${CHECK_KINDS.join(', ')}`);
  const num = (k: string) => {
    if (typeof v[k] !== 'number' || !Number.isInteger(v[k]) || (v[k] as number) < 0) throw new ScenarioError(`${path}.${k}`, 'must be a non-negative integer');
    return v[k] as number;
  };
  switch (kind) {
    case 'build':
      return v.layers === undefined ? { kind } : { kind, layers: num('layers') };
    case 'step-cache':
      if (typeof v.cached !== 'boolean') throw new ScenarioError(`${path}.cached`, 'must be true or false');
      return { kind, step: num('step'), cached: v.cached };
    case 'file-changed':
      return { kind, path: str(v, 'path', path)! };
    case 'container-diff': {
      const change = v.change;
      if (change !== 'A' && change !== 'C' && change !== 'D') throw new ScenarioError(`${path}.change`, 'must be "A", "C" or "D"');
      return { kind, path: str(v, 'path', path)!, change };
    }
    case 'container-running':
      return { kind };
    case 'push-skipped':
      return { kind, atLeast: num('atLeast') };
    default:
      return { kind: 'image', ref: str(v, 'ref', path)! };
  }
}

/** Checks unknown input (parsed JSON) against the format; returns a normalised Scenario or throws ScenarioError. */
export function validateScenario(input: unknown): Scenario {
  if (!isObj(input)) throw new ScenarioError('$', 'a scenario is a JSON object');
  for (const k of Object.keys(input)) if (!TOP_KEYS.has(k)) throw new ScenarioError(`$.${k}`, 'is not a field of the scenario format');
  if (input.version !== SCENARIO_VERSION) {
    throw new ScenarioError('$.version', typeof input.version === 'number' && input.version > SCENARIO_VERSION ? `version ${input.version} is newer than this lab reads (${SCENARIO_VERSION}); update layerlab` : `must be ${SCENARIO_VERSION}`);
  }
  const id = str(input, 'id', '$')!;
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id)) throw new ScenarioError('$.id', 'must be lowercase letters, digits and dashes (at most 64)');
  const out: Scenario = { version: SCENARIO_VERSION, id, title: str(input, 'title', '$')!, dockerfiles: {}, files: [] };
  const description = str(input, 'description', '$', false);
  if (description !== undefined) out.description = description;

  if (input.dockerfile !== undefined && input.dockerfiles !== undefined) throw new ScenarioError('$.dockerfile', 'give either "dockerfile" or "dockerfiles", not both');
  if (typeof input.dockerfile === 'string') out.dockerfiles = { Dockerfile: input.dockerfile };
  else if (input.dockerfile !== undefined) throw new ScenarioError('$.dockerfile', 'must be a string');
  else out.dockerfiles = strMap(input.dockerfiles, '$.dockerfiles');
  if (Object.keys(out.dockerfiles).length === 0) throw new ScenarioError('$.dockerfiles', 'needs at least one Dockerfile');

  if (input.files !== undefined) {
    if (!Array.isArray(input.files)) throw new ScenarioError('$.files', 'must be a list of {path, content}');
    const seen = new Set<string>();
    input.files.forEach((f, i) => {
      const p = `$.files[${i}]`;
      if (!isObj(f)) throw new ScenarioError(p, 'must be an object {path, content}');
      const path = contextPath(str(f, 'path', p)!, `${p}.path`);
      if (seen.has(path)) throw new ScenarioError(`${p}.path`, `"${path}" appears twice`);
      seen.add(path);
      const file: ScenarioFile = { path, content: str(f, 'content', p)! };
      if (f.encoding !== undefined) {
        if (f.encoding !== 'utf8' && f.encoding !== 'base64') throw new ScenarioError(`${p}.encoding`, 'must be "utf8" or "base64"');
        if (f.encoding === 'base64') {
          if (!/^[A-Za-z0-9+/]*={0,2}$/.test(file.content)) throw new ScenarioError(`${p}.content`, 'is not valid base64');
          file.encoding = 'base64';
        }
      }
      const m = mode(f.mode, `${p}.mode`);
      if (m !== undefined) file.mode = m;
      out.files.push(file);
    });
  }
  const ignore = str(input, 'dockerignore', '$', false);
  if (ignore !== undefined) out.dockerignore = ignore;

  if (input.build !== undefined) {
    if (!isObj(input.build)) throw new ScenarioError('$.build', 'must be an object');
    const b = input.build;
    const build: ScenarioBuild = {};
    const file = str(b, 'file', '$.build', false);
    if (file !== undefined) {
      if (!(file in out.dockerfiles)) throw new ScenarioError('$.build.file', `"${file}" is not one of the scenario's Dockerfiles (${Object.keys(out.dockerfiles).join(', ')})`);
      build.file = file;
    }
    if (b.tags !== undefined) build.tags = strList(b.tags, '$.build.tags');
    if (b.buildArgs !== undefined) build.buildArgs = strMap(b.buildArgs, '$.build.buildArgs');
    const target = str(b, 'target', '$.build', false);
    if (target !== undefined) build.target = target;
    if (b.noCache !== undefined) {
      if (typeof b.noCache !== 'boolean') throw new ScenarioError('$.build.noCache', 'must be true or false');
      build.noCache = b.noCache;
    }
    out.build = build;
  }

  if (input.run !== undefined) {
    if (!Array.isArray(input.run)) throw new ScenarioError('$.run', 'must be a list');
    out.run = input.run.map((r, i) => {
      const p = `$.run[${i}]`;
      if (!isObj(r)) throw new ScenarioError(p, 'must be an object {commands}');
      const run: ScenarioRun = { commands: strList(r.commands, `${p}.commands`) };
      const name = str(r, 'name', p, false);
      if (name !== undefined) run.name = name;
      const image = str(r, 'image', p, false);
      if (image !== undefined) run.image = image;
      if (r.volumes !== undefined) run.volumes = strList(r.volumes, `${p}.volumes`);
      return run;
    });
  }

  if (input.clock !== undefined) {
    if (typeof input.clock !== 'number' || !Number.isSafeInteger(input.clock) || input.clock < 0) throw new ScenarioError('$.clock', 'must be milliseconds since the epoch');
    out.clock = input.clock;
  }

  if (input.lesson !== undefined) {
    if (!isObj(input.lesson) || !Array.isArray(input.lesson.steps)) throw new ScenarioError('$.lesson', 'must be {steps: [...]}');
    const ids = new Set<string>();
    out.lesson = {
      steps: input.lesson.steps.map((s, i) => {
        const p = `$.lesson.steps[${i}]`;
        if (!isObj(s)) throw new ScenarioError(p, 'must be an object');
        const stepId = str(s, 'id', p)!;
        if (ids.has(stepId)) throw new ScenarioError(`${p}.id`, `"${stepId}" appears twice`);
        ids.add(stepId);
        const step: LessonStep = { id: stepId, title: str(s, 'title', p)!, explain: str(s, 'explain', p)!, check: check(s.check, `${p}.check`) };
        const text = str(s, 'text', p, false);
        if (text !== undefined) step.text = text;
        if (s.try !== undefined) {
          if (!Array.isArray(s.try)) throw new ScenarioError(`${p}.try`, 'must be a list of actions');
          step.try = s.try.map((a, k) => action(a, `${p}.try[${k}]`));
        }
        if (s.predict !== undefined) {
          if (!isObj(s.predict)) throw new ScenarioError(`${p}.predict`, 'must be {question, answer}');
          step.predict = { question: str(s.predict, 'question', `${p}.predict`)!, answer: str(s.predict, 'answer', `${p}.predict`)! };
          if (s.predict.choices !== undefined) step.predict.choices = strList(s.predict.choices, `${p}.predict.choices`);
        }
        return step;
      }),
    };
  }
  if (input.position !== undefined) {
    const max = out.lesson?.steps.length ?? 0;
    if (typeof input.position !== 'number' || !Number.isInteger(input.position) || input.position < 0 || input.position > max) {
      throw new ScenarioError('$.position', `must be a lesson step index from 0 to ${max}`);
    }
    out.position = input.position;
  }
  if (input.expect !== undefined) {
    if (!isObj(input.expect)) throw new ScenarioError('$.expect', 'must be an object, e.g. {"error": "exit code: 3"}');
    for (const k of Object.keys(input.expect)) if (k !== 'error') throw new ScenarioError(`$.expect.${k}`, 'is not a field of expect (only "error")');
    const error = str(input.expect, 'error', '$.expect', false);
    out.expect = error === undefined ? {} : { error };
  }
  return out;
}

/** The bytes of a scenario file (base64 decoded when needed). */
export function fileBytes(f: ScenarioFile): Uint8Array {
  if (f.encoding !== 'base64') return new TextEncoder().encode(f.content);
  const bin = atob(f.content);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
