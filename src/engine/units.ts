/**
 * docker's go-units texts, shared by the CLI, the UI (through worker/client.ts) and the engine's
 * own human strings (container STATUS): `HumanSizeWithPrecision` and `HumanDuration`.
 */

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/** Go's `%.<p>g` for the values HumanSize produces (always < 1000 after scaling). */
function goG(x: number, precision: number): string {
  if (x === 0) return '0';
  const s = x.toPrecision(precision);
  return s.includes('e') ? s : s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** go-units `HumanSizeWithPrecision(size, p)`, decimal units: docker's SIZE columns use p = 3 (`74.8MB`, `0B`). */
export function humanSize(bytes: number, precision = 3): string {
  let size = bytes;
  let i = 0;
  while (size >= 1000 && i < UNITS.length - 1) {
    size /= 1000;
    i++;
  }
  return `${goG(size, precision)}${UNITS[i]}`;
}

/** go-units `HumanDuration` (`5 seconds`, `About a minute`, `2 weeks`). */
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
