/**
 * Running processes in a container with the lab's shell: the main process (`docker run/start`),
 * `docker exec`, and interactive sessions (`run -it IMAGE sh`, `exec -it`). Reproduces how runc
 * starts a process from the container config: Env (image Env, then `-e`), `HOSTNAME` = the short
 * container ID, `HOME` from the user's passwd entry, the working directory, and the user resolved
 * against the container's /etc/passwd and /etc/group (moby `oci` / runc `user.GetExecUser`).
 */
import type { PackageCatalogs } from '../shell/packages/apt-catalog.ts';
import { LayerlabError } from '../errors.ts';
import { envRecord } from '../image/env.ts';
import { createShell, ShellError, type Shell } from '../shell/shell.ts';
import { ShellSession } from '../shell/session.ts';
import { resolveUserSpec } from '../shell/user-spec.ts';
import type { ShellLimits } from '../shell/limits.ts';
import type { ArchiveCodec, ShellFs } from '../shell/types.ts';
import type { ExecResult, OutputListener } from './types.ts';
import { FN_END, FN_MARK } from '../shell/session.ts';

/** How one process of a container is started. */
export interface ProcessSpec {
  /** exec-form argv, or a script run with `/bin/sh -c`. */
  command: string[] | string;
  env: string[];
  user: string;
  cwd: string;
  hostname: string;
  stdin?: string;
  /** Wall-time limit of this process in ms (`--run-timeout`); the runtime's default otherwise. */
  timeoutMs?: number;
  /** Receives the process's output while it runs (see OutputListener); the result still carries all of it. */
  onOutput?: OutputListener;
}

/** Where a program name resolves on PATH (or as a path), like execvp; undefined if missing. */
export function findProgram(fs: ShellFs, name: string, path: string): string | undefined {
  const isFile = (p: string) => {
    try {
      return fs.stat(p).type === 'file';
    } catch {
      return false;
    }
  };
  if (name.includes('/')) return isFile(name) ? name : undefined;
  for (const dir of path.split(':')) if (dir && isFile(`${dir}/${name}`)) return `${dir}/${name}`;
  return undefined;
}

/** Runs processes over one container filesystem. */
export class ProcessRunner {
  private readonly shell: Shell;

  constructor(
    readonly fs: ShellFs,
    opts: { archive?: ArchiveCodec; packages?: PackageCatalogs; now: () => number; limits?: Partial<ShellLimits> },
  ) {
    this.shell = createShell({ fs, archive: opts.archive, packages: opts.packages, now: opts.now, limits: opts.limits, mounts: 'container' });
  }

  private prepare(spec: ProcessSpec) {
    const user = resolveUserSpec(this.fs, spec.user);
    const env = envRecord(spec.env);
    env.HOSTNAME = spec.hostname;
    return { user, env, cwd: spec.cwd || '/' };
  }

  /**
   * Runs a process to completion. A program that cannot be started raises docker's OCI runtime
   * error with `data.exitCode` 127 (126 for a permission problem), as `docker run` exits.
   */
  async run(spec: ProcessSpec): Promise<ExecResult> {
    const { user, env, cwd } = this.prepare(spec);
    try {
      const r = await this.shell.run(spec.command, { env, cwd, user, stdin: spec.stdin, limits: spec.timeoutMs ? { maxTimeMs: spec.timeoutMs } : undefined, onOutput: spec.onOutput });
      return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      if (e instanceof ShellError) throw startFailure(e.message, 127, e);
      if (e instanceof LayerlabError && e.code === 'shell/limit-exceeded') {
        // Simulation: a runaway process is killed as the OOM killer or a timeout would: exit 137.
        const d = e.data as { stdout?: string; stderr?: string };
        spec.onOutput?.('stderr', e.message + '\n');
        return { exitCode: 137, stdout: d.stdout ?? '', stderr: (d.stderr ?? '') + e.message + '\n' };
      }
      throw e;
    }
  }

  /**
   * Opens an interactive shell session (`/bin/sh` unless `shell` names another). Each line's output
   * streams to `session.listener` while the line runs, when one is set (see LiveSession).
   */
  session(spec: Omit<ProcessSpec, 'command' | 'onOutput'>): LiveSession {
    const { user, env, cwd } = this.prepare({ ...spec, command: [] });
    const live: { listener?: OutputListener } = {};
    // The session appends a trailer that prints its function definitions between FN_MARK and
    // FN_END: that is the session's bookkeeping, never the user's output.
    let hidden = false;
    const onOutput: OutputListener = (stream, text) => {
      if (!live.listener) return;
      if (stream === 'stdout') {
        let shown = '';
        while (text) {
          const mark = hidden ? FN_END : FN_MARK;
          const i = text.indexOf(mark);
          if (i < 0) {
            if (!hidden) shown += text;
            break;
          }
          if (!hidden) shown += text.slice(0, i);
          hidden = !hidden;
          text = text.slice(i + mark.length);
        }
        text = shown;
      }
      if (text) live.listener(stream, text);
    };
    const session = new ShellSession(this.shell, { env, cwd, user, onOutput }) as LiveSession;
    return Object.assign(session, {
      setListener(listener: OutputListener | undefined) {
        live.listener = listener;
        hidden = false;
      },
    });
  }
}

/** A shell session whose lines stream their output to the listener set before each line. */
export type LiveSession = ShellSession & { setListener(listener: OutputListener | undefined): void };

/** docker's error for a process that could not start (runc `exec: …`), carrying the CLI exit code. */
export function startFailure(detail: string, exitCode: number, cause?: unknown): LayerlabError {
  return new LayerlabError(
    'container/start-failed',
    `Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ${detail}: unknown`,
    { data: { exitCode, detail }, cause },
  );
}

/** One interactive line's result as the API returns it. */
export async function sessionLine(s: LiveSession, line: string, stdin?: string, onOutput?: OutputListener): Promise<ExecResult> {
  s.setListener(onOutput);
  try {
    const r = await s.runLine(line, stdin);
    return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, exited: s.exited };
  } catch (e) {
    const fail = (code: number, message: string): ExecResult => {
      onOutput?.('stderr', `${message}\n`);
      return { exitCode: code, stdout: '', stderr: `${message}\n`, exited: s.exited };
    };
    if (e instanceof ShellError) return fail(127, e.message);
    if (e instanceof LayerlabError && e.code === 'shell/limit-exceeded') return fail(137, e.message);
    throw e;
  } finally {
    s.setListener(undefined);
  }
}
