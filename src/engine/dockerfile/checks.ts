/**
 * Build checks: the rules `docker build --check` runs, with BuildKit's rule names, descriptions,
 * documentation URLs and message texts (moby/buildkit frontend/dockerfile/linter/ruleset.go; where
 * they fire: instructions/parse.go and dockerfile2llb/convert.go). `# check=skip=A,B` and
 * `# check=skip=all` turn rules off; `# check=error=true` makes the build fail on a warning
 * (the builder applies that).
 *
 * Simulation: BuildKit evaluates some rules while it converts the build (it knows the base image's
 * environment and shell); here the caller may pass each stage's base environment; without it,
 * variables a base image defines are not reported by UndefinedVar only when they are among the
 * usual ones (PATH, HOME, HOSTNAME…), which is what a base image sets in practice.
 */
import type { SourceRange } from '../errors.ts';
import { expandWordTracked } from './expand.ts';
import type { Instruction } from './instructions.ts';
import type { DockerfileNode, ParsedDockerfile } from './parse.ts';
import { parseStages } from './stages.ts';

/** One rule of the check set. */
export interface CheckRule {
  name: string;
  description: string;
  url: string;
}

/** A check that fired: its rule, BuildKit's message, and where. */
export interface CheckWarning extends CheckRule {
  message: string;
  range: SourceRange;
}

const rule = (name: string, description: string, slug: string): CheckRule => ({
  name,
  description,
  url: `https://docs.docker.com/go/dockerfile/rule/${slug}/`,
});

/** The rules, by name. */
export const CHECK_RULES = {
  StageNameCasing: rule('StageNameCasing', 'Stage names should be lowercase', 'stage-name-casing'),
  FromAsCasing: rule('FromAsCasing', "The 'as' keyword should match the case of the 'from' keyword", 'from-as-casing'),
  NoEmptyContinuation: rule('NoEmptyContinuation', 'Empty continuation lines will become errors in a future release', 'no-empty-continuation'),
  ConsistentInstructionCasing: rule('ConsistentInstructionCasing', 'All commands within the Dockerfile should use the same casing (either upper or lower)', 'consistent-instruction-casing'),
  ReservedStageName: rule('ReservedStageName', 'Reserved words should not be used as stage names', 'reserved-stage-name'),
  JSONArgsRecommended: rule('JSONArgsRecommended', 'JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals', 'json-args-recommended'),
  MaintainerDeprecated: rule('MaintainerDeprecated', 'The MAINTAINER instruction is deprecated, use a label instead to define an image author', 'maintainer-deprecated'),
  UndefinedArgInFrom: rule('UndefinedArgInFrom', 'FROM command must use declared ARGs', 'undefined-arg-in-from'),
  WorkdirRelativePath: rule('WorkdirRelativePath', 'Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes', 'workdir-relative-path'),
  UndefinedVar: rule('UndefinedVar', 'Variables should be defined before their use', 'undefined-var'),
  MultipleInstructionsDisallowed: rule('MultipleInstructionsDisallowed', 'Multiple instructions of the same type should not be used in the same stage', 'multiple-instructions-disallowed'),
  LegacyKeyValueFormat: rule('LegacyKeyValueFormat', 'Legacy key/value format with whitespace separator should not be used', 'legacy-key-value-format'),
  RedundantTargetPlatform: rule('RedundantTargetPlatform', 'Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior', 'redundant-target-platform'),
  SecretsUsedInArgOrEnv: rule('SecretsUsedInArgOrEnv', 'Sensitive data should not be used in the ARG or ENV commands', 'secrets-used-in-arg-or-env'),
  InvalidDefaultArgInFrom: rule('InvalidDefaultArgInFrom', 'Default value for global ARG results in an empty or invalid base image name', 'invalid-default-arg-in-from'),
  FromPlatformFlagConstDisallowed: rule('FromPlatformFlagConstDisallowed', 'FROM --platform flag should not use a constant value', 'from-platform-flag-const-disallowed'),
  ExposeProtoCasing: rule('ExposeProtoCasing', 'Protocol in EXPOSE instruction should be lowercase', 'expose-proto-casing'),
  ExposeInvalidFormat: rule('ExposeInvalidFormat', 'IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release', 'expose-invalid-format'),
} as const satisfies Record<string, CheckRule>;

type RuleName = keyof typeof CHECK_RULES;

/** Arguments BuildKit predefines (usable without an ARG in FROM, and in stages once declared). */
const PLATFORM_ARGS = ['BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT', 'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'TARGETSTAGE'];
/** Variables every base image of the catalog defines or a shell provides. */
const COMMON_BASE_ENV = ['PATH', 'HOME', 'HOSTNAME', 'TERM', 'USER', 'PWD', 'SHELL', 'LANG'];
const SECRET = /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i;
const SECRET_ALLOW = /(?:_|^)(?:public)(?:_|$)/i;
/** Instructions whose words BuildKit expands, where UndefinedVar applies (not RUN, CMD, ENTRYPOINT). */
const EXPANDED = new Set(['env', 'label', 'workdir', 'user', 'expose', 'copy', 'add', 'volume', 'stopsignal', 'arg']);

/** Options of runChecks. */
export interface CheckOptions {
  /** Environment variable names of each stage's base image, by stage index, when known. */
  baseEnv?: (stageIndex: number) => readonly string[] | undefined;
}

/** Runs every build check on a parsed Dockerfile; rules skipped by `# check=skip=` are left out. Warnings come in source order. */
export function runChecks(ast: ParsedDockerfile, opts: CheckOptions = {}): CheckWarning[] {
  const out: CheckWarning[] = [];
  const skip = new Set(ast.directives.check?.skip ?? []);
  const warn = (name: RuleName, message: string, range: SourceRange) => {
    if (skip.has('all') || skip.has(name)) return;
    out.push({ ...CHECK_RULES[name], message, range });
  };

  for (const w of ast.warnings) if (w.message.startsWith('Empty continuation')) warn('NoEmptyContinuation', 'Empty continuation line', w.range);
  checkCasing(ast.children, warn);

  let plan;
  try {
    plan = parseStages(ast);
  } catch {
    return sortByLine(out); // a parse error is reported on its own; the checks that ran still count
  }
  const nodeAt = new Map<SourceRange, DockerfileNode>();
  for (const n of ast.children) nodeAt.set(n.range, n);

  const metaDefaults = new Map<string, string | undefined>();
  for (const a of plan.metaArgs) {
    checkKeyValueLegacy(nodeAt.get(a.range), warn);
    for (const { key, value } of a.args) {
      metaDefaults.set(key, value);
      secret('ARG', key, a.range, warn);
    }
  }

  const stageNames = new Set<string>();
  for (const stage of plan.stages) {
    const from = stage.from;
    const node = nodeAt.get(from.range);
    // FROM … AS name: casing of the name and of the AS keyword.
    if (node && node.args.length === 3) {
      const [, asWord, rawName] = node.args;
      if (rawName !== rawName.toLowerCase()) warn('StageNameCasing', `Stage name '${rawName}' should be lowercase`, from.range);
      const fromUpper = node.rawKeyword === node.rawKeyword.toUpperCase();
      const fromLower = node.rawKeyword === node.rawKeyword.toLowerCase();
      if ((fromUpper && asWord !== asWord.toUpperCase()) || (fromLower && asWord !== asWord.toLowerCase())) {
        warn('FromAsCasing', `'${asWord}' and '${node.rawKeyword}' keywords' casing do not match`, from.range);
      }
    }
    if (stage.name === 'scratch' || stage.name === 'context') warn('ReservedStageName', `Stage name should not use the same name as reserved stage "${stage.name}"`, from.range);
    // Variables in FROM must be meta ARGs (or the predefined platform args).
    const fromVars = expandWordTracked(from.image, (n) => (metaDefaults.has(n) ? (metaDefaults.get(n) ?? '') : PLATFORM_ARGS.includes(n) ? 'x' : undefined), {
      skipUnsetEnv: false,
    });
    for (const v of fromVars.unset) if (!stageNames.has(v)) warn('UndefinedArgInFrom', `FROM argument '${v}' is not declared`, from.range);
    if (fromVars.used.size && fromVars.unset.size === 0 && !stageNames.has(fromVars.value.toLowerCase()) && !validImageRef(fromVars.value)) {
      warn('InvalidDefaultArgInFrom', `Default value for ARG ${from.image} results in empty or invalid base image name`, from.range);
    }
    if (from.platform !== undefined) {
      if (/^\$\{?TARGETPLATFORM\}?$/.test(from.platform)) warn('RedundantTargetPlatform', `Setting platform to predefined ${from.platform} in FROM is redundant as this is the default behavior`, from.range);
      else if (!from.platform.includes('$') && !(stage.name && stage.name.includes(from.platform.split('/')[1] ?? '\0'))) {
        warn('FromPlatformFlagConstDisallowed', `FROM --platform flag should not use constant value "${from.platform}"`, from.range);
      }
    }
    if (stage.name) stageNames.add(stage.name);

    // Per-stage state.
    const declared = new Set<string>([...COMMON_BASE_ENV, ...(opts.baseEnv?.(stage.index) ?? [])]);
    let shellSet = false;
    let absoluteWorkdir = false;
    const lastOnce = new Map<string, Instruction>();
    for (const ins of stage.instructions) {
      const n = nodeAt.get(ins.range);
      if (EXPANDED.has(ins.kind) && n) {
        for (const word of expandableWords(ins)) {
          let r;
          try {
            r = expandWordTracked(word, (name) => (declared.has(name) ? '' : undefined));
          } catch {
            continue; // a bad expansion is an error the build reports
          }
          for (const v of r.unset) warn('UndefinedVar', `Usage of undefined variable '$${v}'`, ins.range);
        }
      }
      switch (ins.kind) {
        case 'arg':
          checkKeyValueLegacy(n, warn);
          for (const { key } of ins.args) {
            declared.add(key);
            secret('ARG', key, ins.range, warn);
          }
          break;
        case 'env':
          checkKeyValueLegacy(n, warn);
          for (const { key } of ins.pairs) {
            declared.add(key);
            secret('ENV', key, ins.range, warn);
          }
          break;
        case 'label':
          checkKeyValueLegacy(n, warn);
          break;
        case 'shell':
          shellSet = true;
          break;
        case 'workdir':
          if (ins.path.startsWith('/') || ins.path.startsWith('$')) absoluteWorkdir = true;
          else if (!absoluteWorkdir) warn('WorkdirRelativePath', `Relative workdir "${ins.path}" can have unexpected results if the base image changes`, ins.range);
          break;
        case 'maintainer':
          warn('MaintainerDeprecated', 'Maintainer instruction is deprecated in favor of using label', ins.range);
          break;
        case 'expose':
          for (const p of ins.ports) {
            if (p.split(':').length > 1) warn('ExposeInvalidFormat', `EXPOSE instruction should not define an IP address or host-port mapping, found '${p}'`, ins.range);
            const proto = p.split('/')[1];
            if (proto && proto !== proto.toLowerCase()) warn('ExposeProtoCasing', `Defined protocol '${p}' in EXPOSE instruction should be lowercase`, ins.range);
          }
          break;
        case 'cmd':
        case 'entrypoint':
        case 'healthcheck': {
          const prev = lastOnce.get(ins.kind);
          if (prev) warn('MultipleInstructionsDisallowed', `Multiple ${ins.kind.toUpperCase()} instructions should not be used in the same stage because only the last one will be used`, prev.range);
          lastOnce.set(ins.kind, ins);
          if (ins.kind !== 'healthcheck' && ins.prependShell && !shellSet) {
            warn('JSONArgsRecommended', `JSON arguments recommended for ${ins.kind.toUpperCase()} to prevent unintended behavior related to OS signals`, ins.range);
          }
          break;
        }
      }
    }
  }
  return sortByLine(out);
}

function sortByLine(w: CheckWarning[]): CheckWarning[] {
  return w.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column);
}

/** ConsistentInstructionCasing: each keyword in one case, and in the case most keywords use. */
function checkCasing(nodes: DockerfileNode[], warn: (n: RuleName, m: string, r: SourceRange) => void) {
  let lower = 0;
  let upper = 0;
  const all: DockerfileNode[] = [];
  for (const n of nodes) {
    all.push(n);
    if (n.next) all.push(n.next);
  }
  for (const n of all) {
    const k = n.rawKeyword;
    if (k === k.toLowerCase()) lower++;
    else if (k === k.toUpperCase()) upper++;
  }
  const majorityLower = lower > upper;
  for (const n of all) {
    const k = n.rawKeyword;
    const correct = majorityLower ? (k !== k.toLowerCase() ? 'lowercase' : '') : k !== k.toUpperCase() ? 'uppercase' : '';
    if (correct) warn('ConsistentInstructionCasing', `Command '${k}' should match the case of the command majority (${correct})`, n.keywordRange);
  }
}

/** LegacyKeyValueFormat: `ENV key value` instead of `ENV key=value`. */
function checkKeyValueLegacy(node: DockerfileNode | undefined, warn: (n: RuleName, m: string, r: SourceRange) => void) {
  if (!node || node.keyword === 'arg') return; // ARG has no legacy form
  const rest = node.original.trim().slice(node.rawKeyword.length).trim();
  const first = rest.split(/\s+/)[0] ?? '';
  if (first && !first.includes('=')) {
    const cmd = node.keyword.toUpperCase();
    warn('LegacyKeyValueFormat', `"${cmd} key=value" should be used instead of legacy "${cmd} key value" format`, node.range);
  }
}

function secret(instruction: 'ARG' | 'ENV', key: string, range: SourceRange, warn: (n: RuleName, m: string, r: SourceRange) => void) {
  if (SECRET.test(key) && !SECRET_ALLOW.test(key)) warn('SecretsUsedInArgOrEnv', `Do not use ARG or ENV instructions for sensitive data (${instruction} "${key}")`, range);
}

/** The unexpanded words of an instruction that BuildKit expands with ARG/ENV. */
function expandableWords(ins: Instruction): string[] {
  switch (ins.kind) {
    case 'env':
    case 'label':
      return ins.pairs.map((p) => p.value);
    case 'arg':
      return ins.args.flatMap((a) => (a.value === undefined ? [] : [a.value]));
    case 'workdir':
      return [ins.path];
    case 'user':
      return [ins.user];
    case 'expose':
      return ins.ports;
    case 'volume':
      return ins.volumes;
    case 'stopsignal':
      return [ins.signal];
    case 'copy':
    case 'add':
      return [...ins.sources, ins.dest];
    default:
      return [];
  }
}

/** A loose check of an image reference after ARG defaults are applied (empty or malformed names fail). */
function validImageRef(ref: string): boolean {
  return /^[a-z0-9][a-z0-9._\-/:@]*$/.test(ref) && !ref.endsWith(':') && !ref.endsWith('/');
}

/** `docker build --check` output for a list of warnings (the CLI prints this and exits 1 when any warning fired). */
export function formatCheckReport(warnings: readonly CheckWarning[], source: string, filename = 'Dockerfile'): string {
  if (warnings.length === 0) return 'Check complete, no warnings found.\n';
  let out = `Check complete, ${warnings.length} warning${warnings.length === 1 ? ' has' : 's have'} been found!\n`;
  const lines = source.split('\n');
  for (const w of warnings) {
    out += `\nWARN: ${w.name} - ${w.url}\n${w.message}\n${filename}:${w.range.start.line}\n--------------------\n`;
    const from = Math.max(1, w.range.start.line - 2);
    const to = Math.min(lines.length, w.range.end.line + 2);
    for (let i = from; i <= to; i++) {
      const mark = i >= w.range.start.line && i <= w.range.end.line ? '>>>' : '   ';
      out += ` ${String(i).padStart(3, ' ')} | ${mark} ${lines[i - 1]}\n`;
    }
    out += '--------------------\n';
  }
  return out;
}

/** The short summary BuildKit prints after a build: ` N warnings found (use docker --debug to expand):` and one line each. */
export function formatCheckSummary(warnings: readonly CheckWarning[]): string {
  if (warnings.length === 0) return '';
  let out = ` ${warnings.length} warning${warnings.length === 1 ? '' : 's'} found (use docker --debug to expand):\n`;
  for (const w of warnings) out += ` - ${w.name}: ${w.message} (line ${w.range.start.line})\n`;
  return out;
}
