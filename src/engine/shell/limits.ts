/**
 * The limits one RUN line (or one interactive line) runs under, with their defaults. A real build
 * is bounded by time, memory and disk, not by how many commands or loop iterations a script runs,
 * so these are the only limits: wall time, output bytes, bytes written to the filesystem, and the
 * function call depth (the interpreter's stack, i.e. memory). Breaching one raises `LayerlabError`
 * `shell/limit-exceeded` with `data: {limit, value, raise}`: which limit, its value, and how to
 * raise it, so a runaway `while true; do :; done` ends with a message instead of hanging the lab.
 *
 * Cancellation: `RunOptions.signal` is checked by the interpreter between commands. A tight loop
 * (`while :; do :; done`) never yields to the event loop, so an abort from outside cannot reach it;
 * the time limit ends it, and a Stop button must terminate the worker instead.
 */
import { LayerlabError } from '../errors.ts';

/** Resource limits of one run; every field has a default in `DEFAULT_SHELL_LIMITS`. */
export interface ShellLimits {
  /** Wall-clock time of one run in milliseconds (`docker build` has none; the lab's default is 30 s). */
  maxTimeMs: number;
  /** stdout + stderr bytes of one run. */
  maxOutputBytes: number;
  /** Bytes written to the filesystem (the container's upper layer) by one run. */
  maxFsBytes: number;
  /** Function call depth (the interpreter's stack). */
  maxCallDepth: number;
}

/** Defaults sized for teaching: generous for real Dockerfiles, quick to stop a runaway loop. */
export const DEFAULT_SHELL_LIMITS: Readonly<ShellLimits> = Object.freeze({
  maxTimeMs: 30_000,
  maxOutputBytes: 8 * 1024 * 1024,
  maxFsBytes: 256 * 1024 * 1024,
  maxCallDepth: 200,
});

/** Names a limit for messages. */
export type ShellLimitName = keyof ShellLimits;

const LIMIT_TEXT: Record<ShellLimitName, string> = {
  maxTimeMs: 'time limit',
  maxOutputBytes: 'output limit',
  maxFsBytes: 'filesystem quota',
  maxCallDepth: 'function call depth',
};

/** How a user raises each limit (the CLI flag and the lab setting that carry it). */
export const LIMIT_RAISE: Record<ShellLimitName, string> = {
  maxTimeMs: 'raise it with `layerlab build --run-timeout 120s` (or `run`/`exec --run-timeout`), or the RUN time limit in the lab\'s settings',
  maxOutputBytes: 'print less (redirect verbose output to a file or /dev/null), or raise `limits.maxOutputBytes` in the build request',
  maxFsBytes: 'write less in one step, or raise `limits.maxFsBytes` in the build request',
  maxCallDepth: 'recursion this deep is usually a bug; `limits.maxCallDepth` in the build request raises it',
};

/** Fills in defaults; unknown keys (older requests' `maxSteps`, `maxLoopIterations`) are ignored. */
export function resolveShellLimits(partial: Partial<ShellLimits> = {}): ShellLimits {
  const out = { ...DEFAULT_SHELL_LIMITS };
  for (const k of Object.keys(partial) as ShellLimitName[]) {
    if (!(k in out)) continue;
    const v = partial[k];
    if (v !== undefined) {
      if (!(v >= 0)) throw new LayerlabError('shell/invalid-limit', `shell limit ${k} must be a non-negative number, got ${v}`, { data: { limit: k, value: v } });
      out[k] = v;
    }
  }
  return out;
}

/** The error raised when a run breaches a limit: names the limit, its value and how to raise it. */
export function limitExceeded(limit: ShellLimitName, value: number, detail?: string): LayerlabError {
  const shown = limit === 'maxTimeMs' ? `${value / 1000} s` : limit === 'maxOutputBytes' || limit === 'maxFsBytes' ? `${value} bytes` : String(value);
  return new LayerlabError(
    'shell/limit-exceeded',
    `shell limit exceeded: ${LIMIT_TEXT[limit]} (${limit} = ${shown})${detail ? `: ${detail}` : ''}; ${LIMIT_RAISE[limit]}`,
    { data: { limit, value, raise: LIMIT_RAISE[limit] } },
  );
}

/** V8's longest string on 64-bit hosts (String::kMaxLength). */
const MAX_V8_STRING = 2 ** 29 - 24;

// Counters just-bash would stop a script on; a container has none of them, so they are set out of reach.
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/** The just-bash `executionLimits` corresponding to ours (kept as plain data so no just-bash type leaks). */
export function toInterpreterLimits(l: ShellLimits): Record<string, number> {
  return {
    maxCommandCount: UNBOUNDED,
    maxLoopIterations: UNBOUNDED,
    maxAwkIterations: UNBOUNDED,
    maxSedIterations: UNBOUNDED,
    maxJqIterations: UNBOUNDED,
    maxWorkUnits: UNBOUNDED,
    maxTraversalEntries: UNBOUNDED,
    maxTraversalWork: UNBOUNDED,
    maxGlobOperations: UNBOUNDED,
    maxBraceExpansionResults: UNBOUNDED,
    maxExecutionTimeMs: l.maxTimeMs,
    // just-bash counts bytes redirected into a file (`>> f`) as output too. This is only the
    // starting value: `interpret` makes it grow with the bytes the run hands to files (see
    // `redirectAwareOutputLimit` there), so the filesystem quota stops writes and this counter
    // stops only what is printed.
    maxOutputSize: l.maxOutputBytes,
    // just-bash's commands also stop at one string's length (64 MiB by default): a command whose
    // output goes to a file may hold up to the quota (interpreter.ts outputRoomOf), so strings may
    // be as long as output limit + quota, within V8's longest string (2^29 - 24 characters).
    maxStringLength: Math.min(MAX_V8_STRING, Math.max(64 * 1024 * 1024, l.maxOutputBytes + l.maxFsBytes)),
    maxCallDepth: l.maxCallDepth,
  };
}

// just-bash reports a breached limit as exit 126 with one of these stderr lines.
const INTERPRETER_LIMIT_PATTERNS: [RegExp, ShellLimitName][] = [
  [/exceeded execution deadline/, 'maxTimeMs'],
  [/total output size exceeded/, 'maxOutputBytes'],
  // One command's own output (`seq 1 9999999`) checked while it is produced.
  [/: output size limit exceeded \(\d+ bytes\)/, 'maxOutputBytes'],
  [/maximum recursion depth \(\d+\) exceeded/, 'maxCallDepth'],
];

/** Which of our limits a just-bash error text names, if any. */
export function detectInterpreterLimit(stderr: string): ShellLimitName | undefined {
  for (const [re, name] of INTERPRETER_LIMIT_PATTERNS) if (re.test(stderr)) return name;
  return undefined;
}
