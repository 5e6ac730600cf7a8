/**
 * Typed instructions: AST nodes checked and turned into objects for the builder, following BuildKit's
 * instructions package (moby/buildkit frontend/dockerfile/instructions/parse.go, commands.go). Words
 * stay unexpanded here; the builder expands them with expandWord/expandWords and the stage's ARG/ENV.
 */

import type { SourceRange } from '../errors.ts';
import { DockerfileErrorCode, dockerfileError, excerpt, withSuggestion } from './errors.ts';
import { BuildFlags, FlagError, parseGoDuration, parseMountSpec, type RunMount } from './flags.ts';
import { heredocBody, parseHeredocWord, type Heredoc } from './heredoc.ts';
import { INSTRUCTIONS } from './lexer.ts';
import type { DockerfileNode } from './parse.ts';

/** What every typed instruction carries. */
interface Base {
  /** BuildKit's `node.Original`: the instruction as written (history `created_by` uses it). */
  original: string;
  range: SourceRange;
}

/** A key/value pair of ENV or LABEL (raw, unexpanded). */
export interface KeyValue {
  key: string;
  value: string;
}

/** `FROM [--platform=…] image [AS name]`. */
export interface FromInstruction extends Base {
  kind: 'from';
  image: string;
  stageName?: string;
  platform?: string;
}

/** `RUN`: shell form (`prependShell`, command has one element) or exec form. */
export interface RunInstruction extends Base {
  kind: 'run';
  command: string[];
  prependShell: boolean;
  heredocs: Heredoc[];
  mounts: RunMount[];
  network?: 'default' | 'none' | 'host';
  security?: 'sandbox' | 'insecure';
}

/** A COPY/ADD source given inline as a heredoc (`COPY <<EOF /file`). */
export interface SourceContent {
  path: string;
  data: string;
  expand: boolean;
}

/** `COPY` and `ADD` share one shape; the fields that only ADD takes are false/undefined on COPY. */
export interface CopyLikeInstruction extends Base {
  /** Source paths or URLs (heredoc sources are in sourceContents). */
  sources: string[];
  sourceContents: SourceContent[];
  dest: string;
  from?: string;
  chown?: string;
  chmod?: string;
  link: boolean;
  exclude: string[];
  parents: boolean;
  heredocs: Heredoc[];
  keepGitDir: boolean;
  checksum?: string;
  unpack?: boolean;
}

/** `COPY`. */
export interface CopyInstruction extends CopyLikeInstruction {
  kind: 'copy';
}
/** `ADD`. */
export interface AddInstruction extends CopyLikeInstruction {
  kind: 'add';
}
/** `ENV k=v …` (or the old `ENV k v`). */
export interface EnvInstruction extends Base {
  kind: 'env';
  pairs: KeyValue[];
}
/** `ARG name[=default] …`. */
export interface ArgInstruction extends Base {
  kind: 'arg';
  args: { key: string; value?: string }[];
}
/** `LABEL k=v …`. */
export interface LabelInstruction extends Base {
  kind: 'label';
  pairs: KeyValue[];
}
/** `USER user[:group]`. */
export interface UserInstruction extends Base {
  kind: 'user';
  user: string;
}
/** `WORKDIR path`. */
export interface WorkdirInstruction extends Base {
  kind: 'workdir';
  path: string;
}
/** `EXPOSE port[/proto] …`. */
export interface ExposeInstruction extends Base {
  kind: 'expose';
  ports: string[];
}
/** `VOLUME path …`. */
export interface VolumeInstruction extends Base {
  kind: 'volume';
  volumes: string[];
}
/** `CMD`: exec form, or shell form with prependShell. */
export interface CmdInstruction extends Base {
  kind: 'cmd';
  command: string[];
  prependShell: boolean;
}
/** `ENTRYPOINT`: exec form, or shell form with prependShell. */
export interface EntrypointInstruction extends Base {
  kind: 'entrypoint';
  command: string[];
  prependShell: boolean;
}
/** `SHELL ["exe", "arg"]`. */
export interface ShellInstruction extends Base {
  kind: 'shell';
  shell: string[];
}
/** `HEALTHCHECK`, durations in nanoseconds as in Docker's image config (0 = inherit/default). */
export interface HealthcheckInstruction extends Base {
  kind: 'healthcheck';
  test: string[];
  interval: number;
  timeout: number;
  startPeriod: number;
  startInterval: number;
  retries: number;
}
/** `STOPSIGNAL sig`. */
export interface StopsignalInstruction extends Base {
  kind: 'stopsignal';
  signal: string;
}
/** `ONBUILD <instruction>`: the trigger text stored in the image config. */
export interface OnbuildInstruction extends Base {
  kind: 'onbuild';
  expression: string;
}
/** `MAINTAINER name` (deprecated; becomes a label-less `author`). */
export interface MaintainerInstruction extends Base {
  kind: 'maintainer';
  maintainer: string;
}

/** Every typed instruction. */
export type Instruction =
  | FromInstruction
  | RunInstruction
  | CopyInstruction
  | AddInstruction
  | EnvInstruction
  | ArgInstruction
  | LabelInstruction
  | UserInstruction
  | WorkdirInstruction
  | ExposeInstruction
  | VolumeInstruction
  | CmdInstruction
  | EntrypointInstruction
  | ShellInstruction
  | HealthcheckInstruction
  | StopsignalInstruction
  | OnbuildInstruction
  | MaintainerInstruction;

/** An instruction-level failure; parseInstruction adds the location and code. */
class InstructionError extends Error {
  constructor(
    message: string,
    readonly code: string = DockerfileErrorCode.instruction,
    readonly range?: SourceRange,
  ) {
    super(message);
  }
}

const fail = (msg: string): never => {
  throw new InstructionError(msg);
};
const atLeastOne = (kw: string) => `${kw} requires at least one argument`;
const exactlyOne = (kw: string) => `${kw} requires exactly one argument`;

function flagsOf(node: DockerfileNode, declare: (f: BuildFlags) => void): BuildFlags {
  const f = new BuildFlags(node.flags);
  declare(f);
  try {
    return f.parse();
  } catch (e) {
    const at = e instanceof FlagError ? node.flagRanges[e.index] : undefined;
    throw new InstructionError((e as Error).message, DockerfileErrorCode.flag, at);
  }
}

function keyValues(node: DockerfileNode, kw: string): KeyValue[] {
  if (node.args.length === 0) fail(atLeastOne(kw));
  if (node.args.length % 3 !== 0) fail(`Bad input to ${kw}, too many arguments`);
  const pairs: KeyValue[] = [];
  for (let i = 0; i < node.args.length; i += 3) {
    if (node.args[i] === '') fail(`${kw} names can not be blank`);
    pairs.push({ key: node.args[i], value: node.args[i + 1] });
  }
  return pairs;
}

function single(node: DockerfileNode, kw: string): string {
  if (node.args.length !== 1) fail(exactlyOne(kw));
  return node.args[0];
}

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

function parseFrom(node: DockerfileNode): FromInstruction {
  const f = flagsOf(node, (f) => f.addString('platform'));
  const a = node.args;
  if (a.length !== 1 && a.length !== 3) fail('FROM requires either one or three arguments');
  let stageName: string | undefined;
  if (a.length === 3) {
    if (a[1].toLowerCase() !== 'as') fail('FROM requires either one or three arguments');
    stageName = a[2].toLowerCase();
    if (!STAGE_NAME.test(stageName)) {
      fail(`invalid name for build stage: "${a[2]}", name can't start with a number or contain symbols`);
    }
  }
  return { kind: 'from', original: node.original, range: node.range, image: a[0], stageName, platform: f.string('platform') };
}

function parseRun(node: DockerfileNode): RunInstruction {
  const f = flagsOf(node, (f) => f.addStrings('mount').addString('network').addString('security').addStrings('device'));
  if (node.args.length === 0) fail(atLeastOne('RUN'));
  const network = f.string('network');
  if (network !== undefined && !['default', 'none', 'host'].includes(network)) fail(`unsupported network mode ${network}`);
  const security = f.string('security');
  if (security !== undefined && !['sandbox', 'insecure'].includes(security)) fail(`unsupported security mode ${security}`);
  let ssh = 0;
  const mountRanges = node.flagRanges.filter((_, i) => node.flags[i].startsWith('--mount='));
  const mounts = f.strings('mount').map((spec, k) => {
    try {
      const m = parseMountSpec(spec, ssh);
      if (m.type === 'ssh') ssh++;
      return m;
    } catch (e) {
      throw new InstructionError((e as Error).message, DockerfileErrorCode.flag, mountRanges[k]);
    }
  });
  return {
    kind: 'run',
    original: node.original,
    range: node.range,
    command: node.json ? [...node.args] : [node.args.join(' ')],
    prependShell: !node.json,
    heredocs: node.heredocs,
    mounts,
    network: network as RunInstruction['network'],
    security: security as RunInstruction['security'],
  };
}

function parseCopyLike(node: DockerfileNode, kind: 'copy' | 'add'): CopyInstruction | AddInstruction {
  const f = flagsOf(node, (f) => {
    f.addString('chown').addString('chmod').addBool('link').addStrings('exclude');
    if (kind === 'copy') f.addString('from').addBool('parents');
    else f.addBool('keep-git-dir').addString('checksum').addString('unpack');
  });
  const kw = kind.toUpperCase();
  if (node.args.length < 2) {
    fail(`${kw} requires at least two arguments, but only one was provided. Destination could not be determined`);
  }
  const sources: string[] = [];
  const sourceContents: SourceContent[] = [];
  for (const src of node.args.slice(0, -1)) {
    const h = node.json ? undefined : parseHeredocWord(src);
    const doc = h && node.heredocs.find((d) => d.name === h.name);
    if (doc) sourceContents.push({ path: doc.name, data: heredocBody(doc), expand: doc.expand });
    else sources.push(src);
  }
  const unpack = f.string('unpack');
  if (unpack !== undefined && !['true', 'false'].includes(unpack.toLowerCase())) {
    throw new InstructionError(`expecting boolean value for flag unpack, not: ${unpack}`, DockerfileErrorCode.flag);
  }
  return {
    kind,
    original: node.original,
    range: node.range,
    sources,
    sourceContents,
    dest: node.args[node.args.length - 1],
    from: f.string('from'),
    chown: f.string('chown'),
    chmod: f.string('chmod'),
    link: f.bool('link'),
    exclude: f.strings('exclude'),
    parents: kind === 'copy' && f.bool('parents'),
    heredocs: node.heredocs,
    keepGitDir: kind === 'add' && f.bool('keep-git-dir'),
    checksum: f.string('checksum'),
    unpack: unpack === undefined ? undefined : unpack.toLowerCase() === 'true',
  } as CopyInstruction | AddInstruction;
}

function parseHealthcheck(node: DockerfileNode): HealthcheckInstruction {
  const base = { kind: 'healthcheck' as const, original: node.original, range: node.range };
  if (node.args.length === 0) fail(atLeastOne('HEALTHCHECK'));
  const typ = node.args[0].toUpperCase();
  const rest = node.args.slice(1);
  const zero = { interval: 0, timeout: 0, startPeriod: 0, startInterval: 0, retries: 0 };
  if (typ === 'NONE') {
    if (rest.length !== 0) fail('HEALTHCHECK NONE takes no arguments');
    flagsOf(node, () => {});
    return { ...base, test: ['NONE'], ...zero };
  }
  const f = flagsOf(node, (f) =>
    f.addString('interval').addString('timeout').addString('start-period').addString('start-interval').addString('retries'),
  );
  if (typ !== 'CMD') fail(`Unknown type "${typ}" in HEALTHCHECK (try CMD)`);
  const cmd = node.json ? rest : rest.length ? [rest.join(' ')] : [];
  if (cmd.length === 0) fail('Missing command after HEALTHCHECK CMD');
  const duration = (name: string): number => {
    const v = f.string(name);
    if (v === undefined || v === '') return 0;
    let d: number;
    try {
      d = parseGoDuration(v);
    } catch (e) {
      throw new InstructionError((e as Error).message, DockerfileErrorCode.flag);
    }
    if (d < 0) fail(`Interval "${name}" cannot be negative`);
    if (d > 0 && d < 1e6) fail(`Interval "${name}" cannot be less than 1ms`);
    return d;
  };
  let retries = 0;
  const r = f.string('retries');
  if (r !== undefined && r !== '') {
    if (!/^[+-]?\d+$/.test(r)) fail(`strconv.ParseInt: parsing "${r}": invalid syntax`);
    retries = Number(r);
    if (retries < 0) fail(`--retries cannot be negative (${retries})`);
  }
  return {
    ...base,
    test: [node.json ? 'CMD' : 'CMD-SHELL', ...cmd],
    interval: duration('interval'),
    timeout: duration('timeout'),
    startPeriod: duration('start-period'),
    startInterval: duration('start-interval'),
    retries,
  };
}

function parseOnbuild(node: DockerfileNode): OnbuildInstruction {
  flagsOf(node, () => {});
  const trigger = node.next;
  if (!trigger) fail(atLeastOne('ONBUILD'));
  const t = (trigger as DockerfileNode).keyword.toUpperCase();
  if (t === 'ONBUILD') fail('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
  if (t === 'MAINTAINER' || t === 'FROM') fail(`${t} isn't allowed as an ONBUILD trigger`);
  let expression = node.original.replace(/^\s*ONBUILD\s*/i, '');
  for (const h of node.heredocs) expression += '\n' + h.content + h.name;
  return { kind: 'onbuild', original: node.original, range: node.range, expression };
}

function dispatch(node: DockerfileNode): Instruction {
  const b = { original: node.original, range: node.range };
  const noFlags = () => flagsOf(node, () => {});
  switch (node.keyword) {
    case 'from':
      return parseFrom(node);
    case 'run':
      return parseRun(node);
    case 'copy':
    case 'add':
      return parseCopyLike(node, node.keyword);
    case 'healthcheck':
      return parseHealthcheck(node);
    case 'onbuild':
      return parseOnbuild(node);
    case 'env':
      noFlags();
      return { kind: 'env', ...b, pairs: keyValues(node, 'ENV') };
    case 'label':
      noFlags();
      return { kind: 'label', ...b, pairs: keyValues(node, 'LABEL') };
    case 'arg': {
      noFlags();
      if (node.args.length === 0) fail(atLeastOne('ARG'));
      const args = node.args.map((w) => {
        const eq = w.indexOf('=');
        const key = eq < 0 ? w : w.slice(0, eq);
        if (key === '') fail('ARG names can not be blank');
        return eq < 0 ? { key } : { key, value: w.slice(eq + 1) };
      });
      return { kind: 'arg', ...b, args };
    }
    case 'user':
      noFlags();
      return { kind: 'user', ...b, user: single(node, 'USER') };
    case 'workdir':
      noFlags();
      return { kind: 'workdir', ...b, path: single(node, 'WORKDIR') };
    case 'stopsignal':
      noFlags();
      return { kind: 'stopsignal', ...b, signal: single(node, 'STOPSIGNAL') };
    case 'maintainer':
      noFlags();
      return { kind: 'maintainer', ...b, maintainer: single(node, 'MAINTAINER') };
    case 'expose':
      noFlags();
      if (node.args.length === 0) fail(atLeastOne('EXPOSE'));
      return { kind: 'expose', ...b, ports: [...node.args] };
    case 'volume': {
      noFlags();
      if (node.args.length === 0) fail(atLeastOne('VOLUME'));
      const volumes = node.args.map((v) => v.trim());
      if (volumes.some((v) => v === '')) fail('VOLUME specified can not be an empty string');
      return { kind: 'volume', ...b, volumes };
    }
    case 'cmd':
    case 'entrypoint':
      noFlags();
      return {
        kind: node.keyword,
        ...b,
        command: node.json ? [...node.args] : node.args.length ? [node.args.join(' ')] : [],
        prependShell: !node.json,
      };
    case 'shell':
      noFlags();
      if (node.args.length === 0) fail(atLeastOne('SHELL'));
      if (!node.json) fail('SHELL requires the arguments to be in JSON form');
      return { kind: 'shell', ...b, shell: [...node.args] };
    default:
      throw new InstructionError(
        withSuggestion(`unknown instruction: ${excerpt(node.rawKeyword)}`, node.rawKeyword, INSTRUCTIONS),
        DockerfileErrorCode.unknownInstruction,
      );
  }
}

/**
 * Check one AST node and return its typed instruction. Throws a LayerlabError coded
 * `dockerfile/unknown-instruction`, `dockerfile/flag` or `dockerfile/instruction` with BuildKit's
 * message (`dockerfile parse error on line 4: unknown instruction: RUNN (did you mean RUN?)`).
 */
export function parseInstruction(node: DockerfileNode, opts: { filename?: string } = {}): Instruction {
  try {
    return dispatch(node);
  } catch (e) {
    if (!(e instanceof InstructionError)) throw e;
    const range = e.range ?? (e.code === DockerfileErrorCode.unknownInstruction ? node.keywordRange : node.range);
    throw dockerfileError(e.code, e.message, range, { file: opts.filename, cause: e });
  }
}

/**
 * The command line a RUN with heredocs really executes, as BuildKit's dispatchRun builds it: when
 * the whole shell-form command is one heredoc word (`RUN <<EOF`), the (chomped) body itself is the
 * script; otherwise the heredocs are appended so the shell reads them (`cmd <<EOF\nbody\nEOF`).
 * Bodies are not expanded by the builder: the shell does that when it runs them.
 * Simulation: BuildKit runs a single heredoc that starts with `#!` as an executable file; here it is
 * returned as the script like any other body, and the caller decides.
 */
export function runCommandLine(run: RunInstruction): string[] {
  if (run.heredocs.length === 0 || !run.prependShell || run.command.length !== 1) return run.command;
  const only = parseHeredocWord(run.command[0]);
  if (only) return [heredocBody(run.heredocs[0])];
  let full = run.command[0];
  for (const h of run.heredocs) full += '\n' + h.content + h.name;
  return [full];
}
