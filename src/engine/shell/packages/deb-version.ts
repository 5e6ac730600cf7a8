/**
 * Debian version strings (`[epoch:]upstream[-revision]`) and their order, as dpkg compares them
 * (dpkg lib/dpkg/version.c `dpkg_version_compare`, `verrevcmp`): `~` sorts before everything,
 * letters before other characters, digit runs numerically.
 */

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');

function order(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (c === '~') return -1;
  if (isAlpha(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let first = 0;
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const d = order(a[i]) - order(b[j]);
      if (d) return d;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (!first) first = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (first) return first;
  }
  return 0;
}

function split(v: string): [number, string, string] {
  const c = v.indexOf(':');
  const epoch = c >= 0 ? Number(v.slice(0, c)) : 0;
  const rest = c >= 0 ? v.slice(c + 1) : v;
  const d = rest.lastIndexOf('-');
  return [epoch, d >= 0 ? rest.slice(0, d) : rest, d >= 0 ? rest.slice(d + 1) : ''];
}

/** Negative, zero or positive as `a` sorts before, equal to or after `b` (dpkg --compare-versions). */
export function compareDebVersions(a: string, b: string): number {
  const [ea, ua, ra] = split(a);
  const [eb, ub, rb] = split(b);
  if (ea !== eb) return ea - eb;
  return verrevcmp(ua, ub) || verrevcmp(ra, rb);
}

/** True if `version` satisfies a dependency relation (`<<`, `<=`, `=`, `>=`, `>>`; dpkg also reads `<` as `<=`, `>` as `>=`). */
export function satisfiesRelation(version: string, op: string | undefined, wanted: string | undefined): boolean {
  if (!op || wanted === undefined) return true;
  const c = compareDebVersions(version, wanted);
  switch (op) {
    case '<<': return c < 0;
    case '<=': case '<': return c <= 0;
    case '=': return c === 0;
    case '>=': case '>': return c >= 0;
    case '>>': return c > 0;
    default: return false;
  }
}
