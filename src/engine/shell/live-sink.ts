/**
 * Where a streaming run's output goes as it is printed (`RunOptions.onOutput`): the system mounts
 * hand over every write to `/proc/1/fd/1` and `/proc/1/fd/2` (interpreter.ts liveOutputPlugin
 * points each command's stdout and stderr there), and the sink delivers it in order, counts it
 * against the output limit, and keeps it for the run's result.
 *
 * Order within one command: just-bash writes a command's stdout, then its stderr, when the command
 * ends. A shell tracing with `set -x` prints the `+ cmd` line before the command runs, so the
 * sink holds a command's stdout until it knows whether that command's stderr starts with trace
 * lines, and delivers those first. It knows the command is over when the next one opens its
 * streams (an empty write), or when more output arrives; nothing is held past that, so output
 * still arrives before a following `sleep` starts.
 */

/** A trace line of `set -x` (`+ cmd`, `++ cmd` in nested shells) at the start of a chunk. */
const LEADING_TRACE = /^(?:\++ [^\n]*\n)+/;

export class LiveSink {
  /** Everything accepted so far, per stream (the run's result). */
  stdout = '';
  stderr = '';
  /** Set when the output passed the limit; later output is dropped and the run is stopped. */
  overflow = false;
  private held = '';

  constructor(
    private readonly deliver: (stream: 'stdout' | 'stderr', text: string) => void,
    private readonly maxChars: number,
    /** Rewrites the interpreter's diagnostics into the image shell's wording. */
    private readonly rewriteStderr: (text: string) => string,
  ) {}

  /** One write to the live stdout (fd 1) or stderr (fd 2); an empty write is a command opening them. */
  write(fd: 1 | 2, raw: string): void {
    if (raw === '') {
      this.flush();
      return;
    }
    const text = fd === 2 ? this.rewriteStderr(raw) : raw;
    if (this.overflow) return;
    if (this.stdout.length + this.stderr.length + text.length > this.maxChars) {
      this.overflow = true;
      this.flush();
      return;
    }
    if (fd === 1) {
      this.stdout += text;
      this.flush();
      this.held = text;
      return;
    }
    this.stderr += text;
    const trace = LEADING_TRACE.exec(text)?.[0] ?? '';
    if (trace) this.deliver('stderr', trace);
    this.flush();
    if (text.length > trace.length) this.deliver('stderr', text.slice(trace.length));
  }

  /** Delivers held stdout (also called when the run ends). */
  flush(): void {
    if (!this.held) return;
    const t = this.held;
    this.held = '';
    this.deliver('stdout', t);
  }
}
