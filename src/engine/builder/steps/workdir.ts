/** WORKDIR as a filesystem step: BuildKit creates the directory (owned by USER) in a layer of its own. */
import type { WorkdirInstruction } from '../../dockerfile/index.ts';
import { resolvePath } from '../../fs/path.ts';
import type { ShellFs } from '../../shell/types.ts';
import { resolveUserSpec } from '../../shell/user-spec.ts';
import type { StepContext, StepPlan } from './step.ts';

/** Plans WORKDIR: the path resolves against the previous WORKDIR; missing parents are created too. */
export async function planWorkdir(ins: WorkdirInstruction, ctx: StepContext): Promise<StepPlan> {
  const c = ctx.config;
  const p = ctx.expand(ins.path);
  const wd = resolvePath(c.WorkingDir || '/', p);
  c.WorkingDir = wd;
  const createdBy = `WORKDIR ${wd}`;
  const op = `WORKDIR ${wd}|user=${c.User ?? ''}`;
  const execute = async (fs: Parameters<StepPlan['execute']>[0]) => {
    const owner = c.User ? resolveUserSpec(fs as unknown as ShellFs, c.User) : undefined;
    const parts = wd.split('/').filter(Boolean);
    let cur = '';
    for (const part of parts) {
      cur += '/' + part;
      if (!fs.exists(cur)) {
        fs.mkdir(cur, { mode: 0o755 });
        if (owner) fs.lchown(cur, owner.uid, owner.gid);
      }
    }
  };
  return { createdBy, op, inputs: {}, execute, noop: wd === '/' ? 'WORKDIR / creates nothing' : undefined };
}
