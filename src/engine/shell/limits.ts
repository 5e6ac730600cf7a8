/**
 * The limits one RUN line (or one interactive line) runs under, with their defaults. Breaching one
 * raises `LayerlabError` `shell/limit-exceeded` with `data: {limit, value}`, so a runaway
 * `while true; do :; done` ends with a message instead of hanging the lab.
 *
 * Cancellation: `RunOptions.signal` is checked by the interpreter between commands. A tight loop
 * (`while :; do :; done`) never yields to the event loop, so an abort from outside cannot reach it;
 * the step and time limits end it, and a Stop button must terminate the worker instead.
 */
import { LayerlabError } from '../errors.ts';

/** Resource limits of one run; every field has a default in `DEFAULT_SHELL_LIMITS`. */
export interface ShellLimits {
  /** Commands executed (builtins, functions and programs), shared by nested shells. */
  maxSteps: number;
  /** Iterations of any one `for`/`while`/`until` loop. */
  maxLoopIterations: number;
  /** Wall-clock time of one run in milliseconds (just-bash's own default is one hour). */
  maxTimeMs: number;
  /** stdout + stderr bytes of one run. */
  maxOutputBytes: number;
  /** Bytes written to the filesystem (the container's upper layer) by one run. */
  maxFsBytes: number;
  /** Function call depth. */
  maxCallDepth: number;
}

/** Defaults sized for teaching: generous for real Dockerfiles, quick to stop a runaway loop. */
export const DEFAULT_SHELL_LIMITS: Readonly<ShellLimits> = Object.freeze({
  maxSteps: 200_000,
  maxLoopIterations: 100_000,
  maxTimeMs: 30_000,
  maxOutputBytes: 8 * 1024 * 1024,
  maxFsBytes: 256 * 1024 * 1024,
  maxCallDepth: 200,
});

/** Names a limit for messages. */
export type ShellLimitName = keyof ShellLimits;

const LIMIT_TEXT: Record<ShellLimitName, string> = {
  maxSteps: 'too many commands',
  maxLoopIterations: 'too many loop iterations',
  maxTimeMs: 'time limit',
  maxOutputBytes: 'output limit',
  maxFsBytes: 'filesystem quota',
  maxCallDepth: 'function call depth',
};

/** Fills in defaults. */
export function resolveShellLimits(partial: Partial<ShellLimits> = {}): ShellLimits {
  const out = { ...DEFAULT_SHELL_LIMITS };
  for (const k of Object.keys(partial) as ShellLimitName[]) {
    const v = partial[k];
    if (v !== undefined) {
      if (!(v >= 0)) throw new LayerlabError('shell/invalid-limit', `shell limit ${k} must be a non-negative number, got ${v}`, { data: { limit: k, value: v } });
      out[k] = v;
    }
  }
  return out;
}

/** The error raised when a run breaches a limit. */
export function limitExceeded(limit: ShellLimitName, value: number, detail?: string): LayerlabError {
  const unit = limit === 'maxTimeMs' ? ' ms' : limit === 'maxOutputBytes' || limit === 'maxFsBytes' ? ' bytes' : '';
  return new LayerlabError(
    'shell/limit-exceeded',
    `shell limit exceeded: ${LIMIT_TEXT[limit]} (${limit} = ${value}${unit})${detail ? `: ${detail}` : ''}; raise it with the limits.${limit} option of the build or container`,
    { data: { limit, value } },
  );
}

/** The just-bash `executionLimits` corresponding to ours (kept as plain data so no just-bash type leaks). */
export function toInterpreterLimits(l: ShellLimits): Record<string, number> {
  return {
    maxCommandCount: l.maxSteps,
    maxLoopIterations: l.maxLoopIterations,
    maxExecutionTimeMs: l.maxTimeMs,
    // just-bash counts every byte a command prints, also into a file (`>> f`): bytes that reach a
    // file are the filesystem quota's business, so its counter gets room for both and the output
    // limit is applied to what the run printed (checkLimits in shell.ts).
    maxOutputSize: l.maxOutputBytes + l.maxFsBytes,
    maxCallDepth: l.maxCallDepth,
  };
}

// just-bash reports a breached limit as exit 126 with one of these stderr lines.
const INTERPRETER_LIMIT_PATTERNS: [RegExp, ShellLimitName][] = [
  [/too many commands executed \(>\d+\)/, 'maxSteps'],
  [/(for|while|until) loop: too many iterations|iteration limit exceeded/, 'maxLoopIterations'],
  [/exceeded execution deadline/, 'maxTimeMs'],
  [/total output size exceeded/, 'maxOutputBytes'],
  [/maximum recursion depth \(\d+\) exceeded/, 'maxCallDepth'],
];

/** Which of our limits a just-bash error text names, if any. */
export function detectInterpreterLimit(stderr: string): ShellLimitName | undefined {
  for (const [re, name] of INTERPRETER_LIMIT_PATTERNS) if (re.test(stderr)) return name;
  return undefined;
}
