/**
 * The Dockerfile front end: parser (AST with source ranges), typed instructions and stages, and
 * BuildKit-compatible ARG/ENV word expansion. See README.md in this folder.
 */

export { parseDockerfile, dumpNode, dumpAst } from './parse.ts';
export type { DockerfileNode, ParsedDockerfile, ParseWarning, ParseOptions } from './parse.ts';
export type { Directives, CheckDirective } from './directives.ts';
export { parseCheckDirective } from './directives.ts';
export type { Heredoc } from './heredoc.ts';
export { chompHeredocContent, heredocBody, parseHeredocWord } from './heredoc.ts';
export {
  expandWord,
  expandWords,
  expandWordTracked,
  expandWordsTracked,
  EXPAND_ERROR,
} from './expand.ts';
export type { EnvLookup, ExpandOptions, ExpandResult } from './expand.ts';
export { DockerfileErrorCode, formatCodeFrame, suggest, editDistance } from './errors.ts';
export { parseInstruction, runCommandLine } from './instructions.ts';
export type {
  Instruction,
  FromInstruction,
  RunInstruction,
  CopyInstruction,
  AddInstruction,
  CopyLikeInstruction,
  SourceContent,
  EnvInstruction,
  ArgInstruction,
  LabelInstruction,
  UserInstruction,
  WorkdirInstruction,
  ExposeInstruction,
  VolumeInstruction,
  CmdInstruction,
  EntrypointInstruction,
  ShellInstruction,
  HealthcheckInstruction,
  StopsignalInstruction,
  OnbuildInstruction,
  MaintainerInstruction,
  KeyValue,
} from './instructions.ts';
export { parseStages } from './stages.ts';
export type { Stage, StagePlan } from './stages.ts';
export { BuildFlags, parseGoDuration, parseMountSpec } from './flags.ts';
export type { RunMount } from './flags.ts';
export { runChecks, formatCheckReport, formatCheckSummary, CHECK_RULES } from './checks.ts';
export type { CheckWarning, CheckRule, CheckOptions } from './checks.ts';
