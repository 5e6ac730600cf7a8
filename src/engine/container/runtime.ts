/**
 * Running processes in a container with the lab's shell: the main process (`docker run/start`),
 * `docker exec`, and interactive sessions (`run -it IMAGE sh`, `exec -it`). Reproduces how runc
 * starts a process from the container config: Env (image Env, then `-e`), `HOSTNAME` = the short
 * container ID, `HOME` from the user's passwd entry, the working directory, and the user resolved
 * against the container's /etc/passwd and /etc/group (moby `oci` / runc `user.GetExecUser`).
 */
import { LayerlabError } from '../errors.ts';
import { envRecord } from '../image/env.ts';
import { createShell, ShellError, type Shell } from '../shell/shell.ts';
import { ShellSession } from '../shell/session.ts';
import { resolveUserSpec } from '../shell/user-spec.ts';
import type { ShellLimits } from '../shell/limits.ts';
import type { ArchiveCodec, ShellFs } from '../shell/types.ts';
import type { ExecResult } from './types.ts';

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
    opts: { archive?: ArchiveCodec; now: () => number; limits?: Partial<ShellLimits> },
  ) {
    this.shell = createShell({ fs, archive: opts.archive, now: opts.now, limits: opts.limits, mounts: 'container' });
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
      const r = await this.shell.run(spec.command, { env, cwd, user, stdin: spec.stdin, limits: spec.timeoutMs ? { maxTimeMs: spec.timeoutMs } : undefined });
      return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      if (e instanceof ShellError) throw startFailure(e.message, 127, e);
      if (e instanceof LayerlabError && e.code === 'shell/limit-exceeded') {
        // Simulation: a runaway process is killed as the OOM killer or a timeout would: exit 137.
        const d = e.data as { stdout?: string; stderr?: string };
        return { exitCode: 137, stdout: d.stdout ?? '', stderr: (d.stderr ?? '') + e.message + '\n' };
      }
      throw e;
    }
  }

  /** Opens an interactive shell session (`/bin/sh` unless `shell` names another). */
  session(spec: Omit<ProcessSpec, 'command'>): ShellSession {
    const { user, env, cwd } = this.prepare({ ...spec, command: [] });
    return new ShellSession(this.shell, { env, cwd, user });
  }
}

/** docker's error for a process that could not start (runc `exec: …`), carrying the CLI exit code. */
export function startFailure(detail: string, exitCode: number, cause?: unknown): LayerlabError {
  return new LayerlabError(
    'container/start-failed',
    `Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ${detail}: unknown`,
    { data: { exitCode, detail }, cause },
  );
}

/** One interactive line's result as the API returns it. */
export async function sessionLine(s: ShellSession, line: string, stdin?: string): Promise<ExecResult> {
  try {
    const r = await s.runLine(line, stdin);
    return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, exited: s.exited };
  } catch (e) {
    if (e instanceof ShellError) return { exitCode: 127, stdout: '', stderr: `${e.message}\n`, exited: s.exited };
    if (e instanceof LayerlabError && e.code === 'shell/limit-exceeded') return { exitCode: 137, stdout: '', stderr: `${e.message}\n`, exited: s.exited };
    throw e;
  }
}
