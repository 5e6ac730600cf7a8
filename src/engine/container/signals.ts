/**
 * Signal names and numbers as `docker kill -s` accepts them (moby `pkg/signal`, Linux x86-64
 * numbering): `KILL`, `SIGKILL` and `9` are the same signal; anything else is docker's
 * `Invalid signal: …` error.
 */
import { LayerlabError } from '../errors.ts';

/** Linux signal numbers by name (without the SIG prefix). */
export const SIGNALS: Readonly<Record<string, number>> = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15,
  STKFLT: 16, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20, TTIN: 21, TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27, WINCH: 28, IO: 29, PWR: 30, SYS: 31,
};

/** Parses a `-s` value to its name (`TERM`) and number; throws docker's error for an unknown one. */
export function parseSignal(raw: string): { name: string; number: number } {
  const s = raw.trim().toUpperCase().replace(/^SIG/, '');
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    const name = Object.keys(SIGNALS).find((k) => SIGNALS[k] === n);
    if (name) return { name, number: n };
  } else if (s in SIGNALS) return { name: s, number: SIGNALS[s] };
  throw new LayerlabError('container/invalid-signal', `Error response from daemon: Invalid signal: ${raw}`, { data: { signal: raw } });
}
