/**
 * Grouping typed instructions into build stages, as BuildKit's `instructions.Parse` does
 * (moby/buildkit frontend/dockerfile/instructions/parse.go): ARGs before the first FROM are meta
 * args (usable in FROM lines), every FROM starts a stage, anything else before a FROM is an error.
 */

import type { SourceRange } from '../errors.ts';
import { DockerfileErrorCode, dockerfileError } from './errors.ts';
import { parseInstruction, type ArgInstruction, type FromInstruction, type Instruction } from './instructions.ts';
import type { ParsedDockerfile } from './parse.ts';

/** One build stage: its FROM line and the instructions after it, up to the next FROM. */
export interface Stage {
  /** The `AS name`, lowercased, if any. */
  name?: string;
  /** The base image reference or earlier stage name, unexpanded (may contain `$ARG`). */
  baseName: string;
  /** `--platform`, unexpanded. */
  platform?: string;
  /** The stage's position among all stages (0-based), which `COPY --from=<n>` may use. */
  index: number;
  from: FromInstruction;
  /** Instructions after FROM (FROM itself not included). */
  instructions: Instruction[];
  /** From the FROM line to the stage's last instruction. */
  range: SourceRange;
}

/** A Dockerfile's stages plus the ARGs declared before the first FROM. */
export interface StagePlan {
  metaArgs: ArgInstruction[];
  stages: Stage[];
}

/** Type every instruction of the AST and group them into stages; throws located LayerlabErrors. */
export function parseStages(ast: ParsedDockerfile): StagePlan {
  const metaArgs: ArgInstruction[] = [];
  const stages: Stage[] = [];
  const seen = new Set<string>();
  for (const node of ast.children) {
    const ins = parseInstruction(node, { filename: ast.filename });
    if (ins.kind === 'from') {
      if (ins.stageName !== undefined) {
        if (seen.has(ins.stageName)) {
          throw dockerfileError(DockerfileErrorCode.instruction, `duplicate stage name "${ins.stageName}"`, node.range, {
            file: ast.filename,
          });
        }
        seen.add(ins.stageName);
      }
      stages.push({
        name: ins.stageName,
        baseName: ins.image,
        platform: ins.platform,
        index: stages.length,
        from: ins,
        instructions: [],
        range: { start: ins.range.start, end: ins.range.end },
      });
      continue;
    }
    const current = stages[stages.length - 1];
    if (!current) {
      if (ins.kind === 'arg') {
        metaArgs.push(ins);
        continue;
      }
      throw dockerfileError(DockerfileErrorCode.instruction, 'no build stage in current context', node.range, {
        file: ast.filename,
      });
    }
    current.instructions.push(ins);
    current.range = { start: current.range.start, end: ins.range.end };
  }
  return { metaArgs, stages };
}
