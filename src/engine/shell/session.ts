/**
 * An interactive shell session (`docker run -it IMAGE sh`, `docker exec -it`): lines run one at a
 * time over the same filesystem, and variables, the working directory and functions carry over.
 * just-bash resets all of them on every exec, so the session keeps them itself: the final
 * variables and PWD come back with each result, and functions are re-declared from their
 * definitions (`type NAME`) captured after each line.
 * Simulation: every carried-over variable is passed back as exported; `exit` ends the session.
 */
import type { RunOptions, RunResult } from './types.ts';
import type { Shell } from './shell.ts';

// Interpreter-owned variables that must not be passed back in.
const VOLATILE = new Set(['?', '#', '@', '*', '$', '!', '0', '-', 'PPID', 'BASHPID', 'SHELLOPTS', 'BASHOPTS', 'RANDOM', 'LINENO', 'SECONDS', 'UID', 'EUID', 'OLDPWD', '_', 'PIPESTATUS', 'FUNCNAME']);
/** Printed before the function definitions the session captures after each line (a streaming reader hides what follows). */
export const FN_MARK = '\u0001layerlab-functions\u0001';
/** Printed after them: output after this mark (e.g. an EXIT trap's) is the line's again. */
export const FN_END = '\u0001layerlab-functions-end\u0001';

/** A line-by-line shell keeping env, cwd, functions and signal traps between lines. */
export class ShellSession {
  env: Record<string, string>;
  cwd: string;
  functions = '';
  exited = false;
  /** INT/TERM/HUP handlers set by `trap` in earlier lines. */
  traps: Record<string, string> = {};

  constructor(
    private readonly shell: Shell,
    private readonly base: Omit<RunOptions, 'env' | 'cwd' | 'stdin'> & { env?: Record<string, string>; cwd?: string } = {},
  ) {
    this.env = { ...base.env };
    this.cwd = base.cwd ?? '/';
  }

  /** Runs one line; returns its result with the function-capture trailer removed from stdout. */
  async runLine(line: string, stdin?: string): Promise<RunResult> {
    if (this.exited) throw new Error('the shell session has exited');
    // just-bash's `declare -f` prints placeholder bodies; `type NAME` prints the real definition.
    const trailer =
      `__ll_rc=$?; printf '%s' '${FN_MARK}'; for __ll_f in $(declare -F); do case $__ll_f in declare|-f) continue;; esac; ` +
      `__ll_t=$(type "$__ll_f"); printf '%s\\n' "\${__ll_t#*\n}"; done; printf '%s' '${FN_END}'; (exit $__ll_rc)`;
    const script = `${this.functions}\n${line}\n${trailer}`;
    const r = await this.shell.run(script, { ...this.base, env: this.env, cwd: this.cwd, stdin });
    const i = r.stdout.lastIndexOf(FN_MARK);
    let stdout = r.stdout;
    if (i >= 0) {
      // Output delivered at the end (not streamed) lands after the trailer: it is the line's.
      const j = stdout.indexOf(FN_END, i);
      this.functions = stdout.slice(i + FN_MARK.length, j >= 0 ? j : undefined);
      stdout = stdout.slice(0, i) + (j >= 0 ? stdout.slice(j + FN_END.length) : '');
    } else this.exited = true; // `exit` (or `set -e`) ended the shell before the trailer
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.env)) if (!VOLATILE.has(k) && !/^\d+$/.test(k) && !k.startsWith('__ll_')) env[k] = v;
    this.env = env;
    this.cwd = r.cwd;
    for (const [sig, h] of Object.entries(r.signalTraps ?? {})) {
      if (h === undefined) delete this.traps[sig];
      else this.traps[sig] = h;
    }
    return { ...r, stdout, env };
  }

  /**
   * Delivers a signal to the shell (`docker stop` → TERM): runs its trap handler, if any. Returns
   * the handler's result, or undefined when the signal is not trapped (the default action applies).
   */
  async signal(sig: 'TERM' | 'INT' | 'HUP'): Promise<RunResult | undefined> {
    const handler = this.traps[sig];
    if (handler === undefined || this.exited) return undefined;
    return this.runLine(handler);
  }
}
