/**
 * Output formatting shared by CLI commands, reproducing the docker CLI's:
 * sizes (go-units HumanSizeWithPrecision, decimal units), durations (go-units HumanDuration)
 * and tables (text/tabwriter with minwidth 10, padding 3, as cli/command/formatter uses).
 */

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/** Go's `%.<p>g` for the values HumanSize produces (always < 1000 after scaling). */
function goG(x: number, precision: number): string {
  if (x === 0) return '0';
  const s = x.toPrecision(precision);
  // %g removes trailing zeros and a trailing decimal point.
  return s.includes('e') ? s : s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Docker's size column: `units.HumanSizeWithPrecision(size, 3)` → `74.8MB`, `0B`, `1.23kB`. */
export function humanSize(bytes: number, precision = 3): string {
  let size = bytes;
  let i = 0;
  while (size >= 1000 && i < UNITS.length - 1) {
    size /= 1000;
    i++;
  }
  return `${goG(size, precision)}${UNITS[i]}`;
}

/** go-units HumanDuration, as in docker's CREATED column (`2 weeks` → printed with ` ago`). */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3600000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(ms / 3600000 / 24 / 365)} years`;
}

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
