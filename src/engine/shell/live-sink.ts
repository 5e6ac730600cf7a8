/**
 * Where a streaming run's output goes as it is printed (`RunOptions.onOutput`): the system mounts
 * hand over every write to `/proc/1/fd/1` and `/proc/1/fd/2` (interpreter.ts liveOutputPlugin
 * points each command's stdout and stderr there), and the sink delivers it in order, counts it
 * against the output limit, and keeps it for the run's result.
 *
 * Order within one command: just-bash writes a command's stdout, then its stderr, when the command
 * ends. A shell tracing with `set -x` prints the `+ cmd` line before the command runs, so the
 * sink holds what one command writes until the command is over, and delivers the trace lines at
 * the start of its stderr first. It knows the command is over when the next one opens its
 * streams (an empty write) or the run ends; nothing is held past that, so output still arrives
 * before a following `sleep` starts.
 */

/** A trace line of `set -x` (`+ cmd`, `++ cmd` in nested shells) at the start of a chunk. */
const LEADING_TRACE = /^(?:\++ [^\n]*\n)+/;

export class LiveSink {
  /** Everything delivered so far, per stream (the run's result). */
  stdout = '';
  stderr = '';
  /** Characters accepted (delivered or held), counted against the limit. */
  private accepted = 0;
  /** Set when the output passed the limit; later output is dropped and the run is stopped. */
  overflow = false;
  private held: { stream: 'stdout' | 'stderr'; text: string }[] = [];

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
    if (this.overflow || !text) return;
    if (this.accepted + text.length > this.maxChars) {
      this.overflow = true;
      this.flush();
      return;
    }
    this.accepted += text.length;
    this.held.push({ stream: fd === 1 ? 'stdout' : 'stderr', text });
  }

  /** Delivers what the last command wrote, its trace lines first (also called when the run ends). */
  flush(): void {
    if (!this.held.length) return;
    const held = this.held;
    this.held = [];
    const rest: typeof held = [];
    for (const h of held) {
      const trace = h.stream === 'stderr' ? (LEADING_TRACE.exec(h.text)?.[0] ?? '') : '';
      if (trace) this.send('stderr', trace);
      if (h.text.length > trace.length) rest.push({ stream: h.stream, text: h.text.slice(trace.length) });
    }
    for (const h of rest) this.send(h.stream, h.text);
  }

  private send(stream: 'stdout' | 'stderr', text: string) {
    if (stream === 'stdout') this.stdout += text;
    else this.stderr += text;
    this.deliver(stream, text);
  }
}
