/** The filesystem-step planners by instruction kind; see step.ts. */
import type { Instruction } from '../../dockerfile/index.ts';
import { buildError } from '../build-error.ts';
import { planCopy } from './copy-add.ts';
import { planRun } from './run.ts';
import type { StepContext, StepPlan } from './step.ts';
import { planWorkdir } from './workdir.ts';

export { DEFAULT_SHELL, type StepContext, type StepPlan } from './step.ts';

/** Plans a WORKDIR, COPY, ADD or RUN instruction; any other kind is not a filesystem step. */
export function planStep(ins: Instruction, ctx: StepContext): Promise<StepPlan> {
  switch (ins.kind) {
    case 'workdir':
      return planWorkdir(ins, ctx);
    case 'copy':
    case 'add':
      return planCopy(ins, ctx);
    case 'run':
      return planRun(ins, ctx);
    default:
      throw buildError(`not a filesystem step: ${ins.kind}`, ins.range);
  }
}
