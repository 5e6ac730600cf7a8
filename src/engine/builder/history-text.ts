/**
 * History `created_by` texts exactly as BuildKit's dockerfile2llb writes them (convert.go:
 * commitToHistory, runCommandString, dispatchCmd…), including Go's `%q`/`%v` formatting of slices,
 * maps and the HEALTHCHECK struct.
 */
import { goQuote } from '../dockerfile/expand.ts';

/** Go's `fmt.Sprintf("%q", []string{…})`: `["a" "b"]`. */
export function goQuoteSlice(a: readonly string[]): string {
  return `[${a.map(goQuote).join(' ')}]`;
}

/** Go's `%v` of a []string: `[a b]`. */
export function goSlice(a: readonly string[]): string {
  return `[${a.join(' ')}]`;
}

/** Go's time.Duration.String() for a count of nanoseconds. */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let n = Math.abs(ns);
  let out: string;
  if (n < 1e9) {
    out = n < 1e3 ? `${n}ns` : n < 1e6 ? `${trim(n / 1e3)}µs` : `${trim(n / 1e6)}ms`;
  } else {
    const h = Math.floor(n / 3600e9);
    n -= h * 3600e9;
    const m = Math.floor(n / 60e9);
    n -= m * 60e9;
    const s = trim(n / 1e9);
    out = h ? `${h}h${m}m${s}s` : m ? `${m}m${s}s` : `${s}s`;
  }
  return (neg ? '-' : '') + out;
}
function trim(x: number): string {
  return String(Number(x.toFixed(9)));
}

/** Go's `%q` of an int: a quoted rune literal (`'\x03'`), as HEALTHCHECK's Retries shows in history. */
export function goQuoteRune(n: number): string {
  if (n >= 0x20 && n < 0x7f && n !== 0x27 && n !== 0x5c) return `'${String.fromCharCode(n)}'`;
  const special: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x27: "\\'", 0x5c: '\\\\' };
  if (special[n]) return `'${special[n]}'`;
  if (n < 0x100) return `'\\x${n.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCodePoint(n)}'`;
}

/** `RUN |2 A=1 B=2 /bin/sh -c …` (runCommandString) — the build-arg prefix appears when ARGs are in scope. */
export function runCreatedBy(argv: readonly string[], buildArgs: readonly { key: string; value: string }[]): string {
  const env: string[] = [];
  const idx = new Map<string, number>();
  for (const a of buildArgs) {
    const s = `${a.key}=${a.value}`;
    if (idx.has(a.key)) env[idx.get(a.key)!] = s;
    else {
      idx.set(a.key, env.length);
      env.push(s);
    }
  }
  const prefix = env.length ? [`|${env.length}`, ...env] : [];
  return `RUN ${[...prefix, ...argv].join(' ')} # buildkit`;
}

/** Go's `%v` of a nat.PortSet (a map): `map[443/tcp:{} 80/tcp:{}]`, keys sorted as strings. */
export function goPortSet(ports: readonly string[]): string {
  return `map[${[...new Set(ports)].sort().map((p) => `${p}:{}`).join(' ')}]`;
}

/** HEALTHCHECK's history text: `HEALTHCHECK &{["CMD-SHELL" "…"] "30s" "3s" "0s" "0s" '\x03'}`. */
export function healthcheckCreatedBy(h: { test: string[]; interval: number; timeout: number; startPeriod: number; startInterval: number; retries: number }): string {
  return `HEALTHCHECK &{${goQuoteSlice(h.test)} ${goQuote(goDuration(h.interval))} ${goQuote(goDuration(h.timeout))} ${goQuote(goDuration(h.startPeriod))} ${goQuote(goDuration(h.startInterval))} ${goQuoteRune(h.retries)}}`;
}
