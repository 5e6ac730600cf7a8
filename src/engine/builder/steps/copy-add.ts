/**
 * COPY and ADD as filesystem steps (copy.ts holds their semantics): the sources come from the
 * build context, an earlier stage or an image (`--from`); their content checksums are the cache
 * inputs, so editing a file busts the cache and touching it does not.
 */
import type { AddInstruction, CopyInstruction } from '../../dockerfile/index.ts';
import type { SourceRange } from '../../errors.ts';
import type { UnionFs } from '../../fs/union.ts';
import type { ShellFs } from '../../shell/types.ts';
import { resolveUserSpec, UnknownUserError } from '../../shell/user-spec.ts';
import { buildError } from '../build-error.ts';
import { checkSources, checksumSources, performCopy, type CopySource } from '../copy.ts';
import type { StepContext, StepPlan } from './step.ts';

/** Plans COPY/ADD: resolves the source, checks and checksums what it names, and builds BuildKit's `created_by`. */
export async function planCopy(ins: CopyInstruction | AddInstruction, ctx: StepContext): Promise<StepPlan> {
  const x = ctx.expand;
  const c = ctx.config;
  const sources = ins.sources.map(x);
  const dest = x(ins.dest);
  const fromName = ins.from ? x(ins.from) : undefined;
  const src: CopySource = fromName !== undefined ? await ctx.fromSource(fromName) : ctx.contextSource;
  const chown = ins.chown ? x(ins.chown) : undefined;
  const chmod = ins.chmod ? x(ins.chmod) : undefined;
  let mode: number | undefined;
  if (chmod !== undefined) {
    if (!/^[0-7]{1,5}$/.test(chmod) || parseInt(chmod, 8) > 0o7777) throw buildError(`invalid chmod parameter: '${chmod}'. it should be octal string and between 0 and 07777`, ins.range);
    mode = parseInt(chmod, 8);
  }
  const word = ins.kind === 'add' ? 'ADD' : 'COPY';
  const flags = `${ins.parents ? ' --parents' : ''}${chown ? ` --chown=${chown}` : ''}${chmod ? ` --chmod=${chmod}` : ''}`;
  const createdBy = `${word}${flags} ${[...sources, ...ins.sourceContents.map((h) => `<<${h.path}`)].join(' ')} ${dest} # buildkit`;
  checkSources(src, sources, word);
  const inputs = await checksumSources(src, sources, ins.exclude.map(x));
  const op = `${word}${flags}|from=${fromName ?? 'context'}|exclude=${ins.exclude.join(',')}|${sources.join(' ')}|${ins.sourceContents.map((h) => `${h.path}:${h.data}`).join('|')}|${dest}|wd=${c.WorkingDir ?? ''}`;
  const execute = async (fs: UnionFs) => {
    const owner = chown ? resolveChown(fs, chown, ins.range) : undefined;
    await performCopy(fs, src, {
      instruction: word, sources, dest, workdir: c.WorkingDir || '/', owner, chmod: mode, exclude: ins.exclude.map(x), parents: ins.parents,
      maxExtractBytes: ctx.limits?.maxFsBytes,
      inline: ins.sourceContents.map((h) => ({ path: h.path, data: h.expand ? x(h.data) : h.data })),
    });
  };
  return { createdBy, op, inputs, execute };
}

/** `--chown=user:group` resolved through the destination image's /etc/passwd and /etc/group, reported at the instruction. */
function resolveChown(fs: UnionFs, spec: string, range: SourceRange): { uid: number; gid: number } {
  try {
    const { uid, gid } = resolveUserSpec(fs as unknown as ShellFs, spec, 'chown');
    return { uid, gid };
  } catch (e) {
    if (e instanceof UnknownUserError) throw buildError(e.message, range, e.data, e);
    throw e;
  }
}
