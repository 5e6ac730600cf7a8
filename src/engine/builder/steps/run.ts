/**
 * RUN as a filesystem step: the command runs in the stage's shell (shell/) as USER, in WORKDIR,
 * with the declared ARGs and ENV; the cache key holds the command, that environment, the working
 * directory, the user, and the network and mount flags.
 */
import { runCommandLine, type RunInstruction } from '../../dockerfile/index.ts';
import type { UnionFs } from '../../fs/union.ts';
import { envMap } from '../../image/env.ts';
import { createShell, describeFailure, ShellError } from '../../shell/shell.ts';
import { mountAdd, mountDir, mountEntry, mountFile, type MountNode, type RunMountTree } from '../../shell/system-mounts.ts';
import { checksumSources, type CopySource, type SourceEntry } from '../copy.ts';
import type { RunMount } from '../../dockerfile/flags.ts';
import type { ShellFs } from '../../shell/types.ts';
import { resolveUserSpec } from '../../shell/user-spec.ts';
import { buildError } from '../build-error.ts';
import { runCreatedBy } from '../history-text.ts';
import { DEFAULT_SHELL, type StepContext, type StepPlan } from './step.ts';

/** ARGs BuildKit predefines without a declaration (proxy variables), not exported to history. */
const PROXY_ARGS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];

/** Plans RUN: the argv (shell form through SHELL), its environment, and BuildKit's `RUN |N K=V …` created_by. */
export async function planRun(ins: RunInstruction, ctx: StepContext): Promise<StepPlan> {
  const c = ctx.config;
  const env = ctx.env;
  const cmdLine = runCommandLine(ins);
  const argv = ins.prependShell ? [...(c.Shell?.length ? c.Shell : DEFAULT_SHELL), cmdLine.join(' ')] : cmdLine;
  const declared = ctx.args.filter((a) => a.value !== undefined).map((a) => ({ key: a.key, value: env.get(a.key) ?? a.value! }));
  const createdBy = runCreatedBy(argv, declared.filter((a) => !PROXY_ARGS.includes(a.key)));
  const runEnv: Record<string, string> = {};
  for (const a of declared) runEnv[a.key] = a.value;
  for (const [k, v] of envMap(c.Env)) runEnv[k] = v;
  const op = JSON.stringify({ run: argv, env: Object.entries(runEnv).sort(), wd: c.WorkingDir ?? '/', user: c.User ?? '', network: ins.network ?? 'default', mounts: ins.mounts });
  // Secrets are checked when planning so a missing required one fails before the cache is consulted.
  for (const m of ins.mounts ?? []) {
    if (m.type === 'ssh') throw buildError(`RUN --mount=type=ssh needs an SSH agent forwarded with --ssh; layerlab runs offline and has none (mount id "${m.id}")`, ins.range);
    if (m.type === 'secret' && m.required && !ctx.secrets?.[secretId(m)]) throw buildError(`secret ${secretId(m)} not found`, ins.range);
  }
  // Bind mounts: the source tree (context or stage) is read now; its content is part of the cache
  // key, as BuildKit keys a bind mount by the checksum of what it mounts.
  const inputs: Record<string, string> = {};
  const binds: RunMountTree[] = [];
  for (const m of ins.mounts ?? []) {
    if (m.type !== 'bind') continue;
    const src = m.from ? await ctx.fromSource(m.from) : ctx.contextSource;
    const rel = cleanRel(m.source ?? '.');
    const top = src.get(rel);
    if (!top) throw buildError(`failed to compute cache key: "/${rel === '.' ? '' : rel}" not found`, ins.range);
    const sums = await checksumSources(src, [rel]);
    for (const [k, v] of Object.entries(sums)) inputs[`mount:${m.target}:${k}`] = v;
    binds.push({ at: m.target, root: bindTree(src, top, rel, m.readonly) });
  }
  const execute = async (fs: UnionFs) => {
    const user = c.User ? resolveUserSpec(fs as unknown as ShellFs, c.User) : { uid: 0, gid: 0, groups: [] as number[], name: 'root' };
    const cwd = c.WorkingDir || '/';
    if (!fs.exists(cwd)) fs.mkdir(cwd, { recursive: true });
    const clock = ctx.clock;
    const runMounts = [...binds, ...mountTrees(ins.mounts ?? [], ctx)];
    for (const m of ins.mounts ?? []) if (m.type === 'secret' && m.env && ctx.secrets?.[secretId(m)]) runEnv[m.env] = new TextDecoder().decode(ctx.secrets[secretId(m)]);
    const shell = createShell({ fs: fs as unknown as ShellFs, archive: ctx.archive, packages: ctx.packages, runMounts, now: () => Math.floor(clock.now() / 1000), monotonic: () => clock.monotonic() });
    const t0 = clock.monotonic();
    let res;
    try {
      const runOpts = {
        env: runEnv, cwd, user, limits: ctx.limits, signal: ctx.signal,
        onOutput: (stream: 'stdout' | 'stderr', text: string) => ctx.onOutput(stream, text, clock.monotonic() - t0),
        shell: ins.prependShell ? argv.slice(0, -1) : undefined,
      };
      res = ins.prependShell ? await shell.run(argv[argv.length - 1], runOpts) : await shell.run(argv, runOpts);
    } catch (e) {
      if (e instanceof ShellError) throw buildError(`process "${argv.join(' ')}" did not complete successfully: runc run failed: unable to start container process: ${e.message}`, ins.range, { ...e.data, exitCode: 1 }, e);
      throw e;
    }
    if (res.simulatedMs) ctx.onSimulatedTime?.(res.simulatedMs);
    if (res.exitCode !== 0) {
      throw buildError(describeFailure(argv, res.exitCode), ins.range, { exitCode: res.exitCode, stderr: res.stderr.slice(-4096) });
    }
  };
  return { createdBy, op, inputs, execute };
}

/** A secret mount's id: `id=`, else the target's file name (BuildKit's default). */
function secretId(m: RunMount): string {
  return m.id ?? (m.target ?? '').split('/').pop() ?? '';
}

/**
 * The in-memory trees `RUN --mount` lays over the step's filesystem: a cache volume (one tree per
 * id, kept by the build service so the next build and other steps see it), a fresh tmpfs, a
 * secret's file. None is part of the union, so nothing under them reaches the layer.
 * Simulation: `sharing=locked|private` behave as `shared` (steps run one at a time here); a cache
 * volume lives as long as the engine (BuildKit keeps it until `builder prune`).
 */
function mountTrees(mounts: readonly RunMount[], ctx: StepContext): RunMountTree[] {
  const out: RunMountTree[] = [];
  for (const m of mounts) {
    if (m.type === 'cache') {
      const key = m.id ?? m.target;
      let root = ctx.cacheMounts?.get(key);
      if (!root) {
        root = mountDir(m.mode ?? 0o755, m.uid ?? 0, m.gid ?? 0);
        ctx.cacheMounts?.set(key, root);
      }
      out.push({ at: m.target, root });
    } else if (m.type === 'tmpfs') {
      out.push({ at: m.target, root: mountDir(0o1777) });
    } else if (m.type === 'secret' && m.target) {
      const data = ctx.secrets?.[secretId(m)];
      if (data) out.push({ at: m.target, root: mountFile(data, m.mode ?? 0o400, m.uid ?? 0, m.gid ?? 0) });
    }
  }
  return out;
}

const cleanRel = (p: string) => p.split('/').filter((x) => x && x !== '.').join('/') || '.';

/**
 * A bind mount's tree: the source's entry at `rel` and everything below it, read-only unless
 * `rw` (BuildKit's `readwrite`: writes are allowed and thrown away with the step).
 */
function bindTree(src: CopySource, top: SourceEntry, rel: string, readOnly: boolean): MountNode {
  const conv = (e: SourceEntry) => mountEntry({ ...e, data: e.type === 'file' ? e.content?.read() : undefined }, readOnly);
  const root = conv(top);
  if (top.type !== 'dir') return root;
  const prefix = rel === '.' ? '' : rel + '/';
  for (const e of src.below(rel)) {
    const sub = cleanRel(e.path).slice(prefix.length);
    if (sub && sub !== '.') mountAdd(root, sub, conv(e));
  }
  return root;
}
