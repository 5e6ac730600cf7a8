/**
 * `docker logs` as text: the main process's output chunks split into lines, optionally prefixed by
 * their time (`-t`) and cut to the last N lines (`--tail`). moby `daemon/logs.go` with the
 * json-file driver keeps one entry per line with its time; the lab keeps chunks and splits here.
 */
import type { LogEntry, LogsOptions } from './types.ts';

/** RFC 3339 with nine fraction digits (docker's `RFC3339NanoFixed`: `2026-11-28T09:00:00.123000000Z`). */
export function rfc3339NanoFixed(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** The entries as docker logs prints them: one entry per line (the last keeps no newline if it had none). */
export function logLines(entries: readonly LogEntry[], opts: LogsOptions = {}): LogEntry[] {
  const out: LogEntry[] = [];
  for (const e of entries) {
    const parts = e.text.split(/(?<=\n)/);
    for (const text of parts) {
      if (!text) continue;
      const stamp = opts.timestamps ? `${rfc3339NanoFixed(e.time ?? 0)} ` : '';
      out.push({ stream: e.stream, text: stamp + text, ...(e.time !== undefined ? { time: e.time } : {}) });
    }
  }
  if (opts.tail !== undefined && opts.tail >= 0) return out.slice(Math.max(0, out.length - opts.tail));
  return out;
}
