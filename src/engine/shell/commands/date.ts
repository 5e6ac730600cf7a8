/**
 * `date` over the host clock (`io.now()`), so a build replayed with a fixed clock prints, and
 * writes into its layers, the same dates (just-bash's own `date` reads the machine's clock).
 * Formats follow GNU coreutils `date` (`+FORMAT` directives, `-u`, `-d`/`--date`, `-R`, `-I`).
 * Simulation: every container's time zone is UTC (Docker's default without TZ or /etc/localtime).
 */
import { fail, ok, type CommandIO, type CommandOutput } from './command.ts';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number, w = 2, c = '0') => String(n).padStart(w, c);

/** GNU `date`'s default output format (C locale, UTC). */
export const DEFAULT_DATE_FORMAT = '%a %b %e %H:%M:%S %Z %Y';

/** Expands a strftime-style format for a UTC time in seconds. */
export function formatDate(seconds: number, format: string): string {
  const d = new Date(seconds * 1000);
  const Y = d.getUTCFullYear(), m = d.getUTCMonth(), day = d.getUTCDate(), H = d.getUTCHours(), M = d.getUTCMinutes(), S = d.getUTCSeconds(), w = d.getUTCDay();
  const yday = Math.floor((Date.UTC(Y, m, day) - Date.UTC(Y, 0, 1)) / 86400000) + 1;
  const h12 = H % 12 === 0 ? 12 : H % 12;
  const one = (c: string): string | undefined => {
    switch (c) {
      case 'a': return DAYS[w].slice(0, 3);
      case 'A': return DAYS[w];
      case 'b': case 'h': return MONTHS[m].slice(0, 3);
      case 'B': return MONTHS[m];
      case 'c': return formatDate(seconds, '%a %b %e %H:%M:%S %Y');
      case 'C': return pad(Math.floor(Y / 100));
      case 'd': return pad(day);
      case 'D': return formatDate(seconds, '%m/%d/%y');
      case 'e': return pad(day, 2, ' ');
      case 'F': return formatDate(seconds, '%Y-%m-%d');
      case 'H': return pad(H);
      case 'I': return pad(h12);
      case 'j': return pad(yday, 3);
      case 'k': return pad(H, 2, ' ');
      case 'l': return pad(h12, 2, ' ');
      case 'm': return pad(m + 1);
      case 'M': return pad(M);
      case 'n': return '\n';
      case 'N': return '000000000';
      case 'p': return H < 12 ? 'AM' : 'PM';
      case 'P': return H < 12 ? 'am' : 'pm';
      case 'r': return formatDate(seconds, '%I:%M:%S %p');
      case 'R': return formatDate(seconds, '%H:%M');
      case 's': return String(Math.floor(seconds));
      case 'S': return pad(S);
      case 't': return '\t';
      case 'T': return formatDate(seconds, '%H:%M:%S');
      case 'u': return String(w === 0 ? 7 : w);
      case 'w': return String(w);
      case 'y': return pad(Y % 100);
      case 'Y': return String(Y);
      case 'z': return '+0000';
      case 'Z': return 'UTC';
      case '%': return '%';
      default: return undefined;
    }
  };
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%' || i + 1 >= format.length) {
      out += c;
      continue;
    }
    const r = one(format[i + 1]);
    out += r ?? `%${format[i + 1]}`;
    i++;
  }
  return out;
}

/** A `-d`/`--date` value: `@SECONDS` or a date string JavaScript's parser reads as UTC (ISO 8601, RFC 2822). */
export function parseDateArg(s: string): number | undefined {
  if (/^@-?\d+(\.\d+)?$/.test(s)) return Math.floor(Number(s.slice(1)));
  const iso = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$/.test(s) ? `${s.replace(' ', 'T')}${s.length > 10 ? 'Z' : ''}` : s;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** coreutils `date [-u] [-d STRING] [-R | -I[FMT] | +FORMAT]`. */
export function date(io: CommandIO): CommandOutput {
  let when = io.now();
  let format = DEFAULT_DATE_FORMAT;
  const args = [...io.args];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-u' || a === '--utc' || a === '--universal') continue;
    let value: string | undefined;
    if (a === '-d' || a === '--date') value = args[++i];
    else if (a.startsWith('--date=')) value = a.slice(7);
    else if (a.startsWith('-d') && a.length > 2) value = a.slice(2);
    if (value !== undefined || a === '-d' || a === '--date') {
      if (value === undefined) return fail(`date: option requires an argument -- 'd'\nTry 'date --help' for more information.`);
      const t = parseDateArg(value);
      if (t === undefined) return fail(`date: invalid date '${value}'`);
      when = t;
    } else if (a === '-R' || a === '--rfc-email') format = '%a, %d %b %Y %H:%M:%S %z';
    else if (a === '-I' || a === '-Idate' || a === '--iso-8601' || a === '--iso-8601=date') format = '%Y-%m-%d';
    else if (a === '-Iseconds' || a === '--iso-8601=seconds') format = '%Y-%m-%dT%H:%M:%S+00:00';
    else if (a === '-Iminutes' || a === '--iso-8601=minutes') format = '%Y-%m-%dT%H:%M+00:00';
    else if (a === '-Ihours' || a === '--iso-8601=hours') format = '%Y-%m-%dT%H+00:00';
    else if (a.startsWith('+')) format = a.slice(1);
    else if (a.startsWith('-')) return fail(`date: invalid option -- '${a.slice(1, 2)}'\nTry 'date --help' for more information.`);
    else return fail(`date: invalid date '${a}'`);
  }
  return ok(formatDate(when, format) + '\n');
}
