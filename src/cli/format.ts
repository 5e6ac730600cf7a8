/**
 * Output formatting shared by CLI commands, reproducing the docker CLI's:
 * sizes (go-units HumanSizeWithPrecision, decimal units), durations (go-units HumanDuration)
 * and tables (text/tabwriter with minwidth 10, padding 3, as cli/command/formatter uses).
 */

import { humanDuration } from '../engine/units.ts';

export { humanDuration, humanSize } from '../engine/units.ts';

/** `N units ago` from an ISO timestamp, relative to `nowMs`; docker prints `N/A` for a zero time. */
export function createdAgo(iso: string | undefined, nowMs: number): string {
  if (!iso) return 'N/A';
  const t = Date.parse(iso);
  if (!Number.isFinite(t) || t <= 0) return 'N/A';
  return `${humanDuration(Math.max(0, nowMs - t))} ago`;
}

/**
 * A table as Go's tabwriter prints it with (minwidth 10, tabwidth 1, padding 3, ' ', 0):
 * each column but the last is padded to max(widest cell + 3, 10).
 */
export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const cols = Math.max(...rows.map((r) => r.length));
  const widths: number[] = [];
  for (let c = 0; c < cols - 1; c++) {
    const w = Math.max(...rows.map((r) => [...(r[c] ?? '')].length));
    widths.push(Math.max(w + 3, 10));
  }
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c < r.length - 1 ? cell + ' '.repeat(Math.max(0, widths[c] - [...cell].length)) : cell))
        .join(''),
    )
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .concat('\n');
}

/** Docker's `stringutils.Ellipsis`-style truncation used by `history` without --no-trunc (45 chars). */
export function ellipsis(s: string, max: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  return chars.slice(0, max - 1).join('') + '…';
}

/** Go's `time.Time.String()` of an ISO time in UTC (`2024-05-01 10:00:00 +0000 UTC`), as docker's CreatedAt columns print it. */
export function goTime(iso: string | undefined): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(t)) return '0001-01-01 00:00:00 +0000 UTC';
  return new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +0000 UTC');
}
