/**
 * `docker pull`'s output while it runs, from the engine's pull lines and layer events, the way
 * moby's `jsonmessage.DisplayJSONMessagesStream` prints it:
 * - on a terminal, one line per layer, redrawn in place (cursor up, clear line, rewrite, cursor
 *   down) as the layer moves from `Pulling fs layer` through `Downloading [==>  ] 1MB/3MB` to
 *   `Pull complete`; a line without a layer ID (`Pulling from`, `Digest:`, `Status:`) is printed
 *   below and ends the set of redrawable lines;
 * - elsewhere (a pipe, a file), every message as a plain line, except those that carry a progress
 *   bar (`Downloading`, `Extracting` with byte counts), which docker drops there.
 */
import type { TransferEvent } from '../engine/registry/events.ts';
import { humanSize } from './format.ts';

/** docker's short layer ID: the first 12 hex digits of the blob digest. */
export function shortLayerId(digest: string): string {
  const i = digest.indexOf(':');
  return digest.slice(i + 1, i + 13);
}

// moby's JSONProgress.String() on a wide terminal: a 50-column bar, then current/total.
function bar(current: number, total: number): string {
  const pct = Math.max(0, Math.min(100, Math.floor((current / total) * 100)));
  const filled = Math.floor(pct / 2);
  return `[${'='.repeat(filled)}>${' '.repeat(50 - filled)}] ${humanSize(current).padStart(8)}/${humanSize(total)}`;
}

const LAYER_LINE = /^([0-9a-f]{12}): (.*)$/;

/** Prints a pull as it happens; pass `onLine` and `onEvent` to `engine.registries.pull`. */
export function pullPrinter(out: (s: string) => void, tty: boolean): { onLine: (line: string) => void; onEvent: (e: TransferEvent) => void } {
  // Terminal: the row of each layer line among those printed since the last ID-less line.
  let rows = new Map<string, number>();
  const layer = (id: string, text: string) => {
    if (!tty) return out(`${id}: ${text}\n`);
    let row = rows.get(id);
    if (row === undefined) {
      row = rows.size;
      rows.set(id, row);
      out('\n');
    }
    const up = rows.size - row;
    out(`\x1b[${up}A\x1b[2K\r${id}: ${text}\r\x1b[${up}B`);
  };
  return {
    onLine(line) {
      const m = LAYER_LINE.exec(line);
      if (m) return layer(m[1], m[2]);
      // The cursor already sits on the line below the layer block.
      rows = new Map();
      out(line + '\n');
    },
    onEvent(e) {
      // `Pull complete` and `Already exists` arrive as lines too.
      if (e.type !== 'progress' || e.status === 'Pull complete' || e.status === 'Already exists') return;
      const measured = (e.status === 'Downloading' || e.status === 'Extracting') && !!e.total;
      if (measured && !tty) return;
      layer(shortLayerId(e.digest), measured ? `${e.status} ${bar(e.current ?? 0, e.total!)}` : e.status);
    },
  };
}
