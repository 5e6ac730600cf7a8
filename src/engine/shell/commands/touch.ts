/**
 * `touch` over the host clock (`io.now()`): just-bash's own `touch` stamps the machine's time,
 * which would make a RUN's layer (and so the image ID) differ on every replay. Options follow GNU
 * coreutils: `-c` (no create), `-a`/`-m` (accepted; the union keeps only mtime), `-d DATE`,
 * `-t [[CC]YY]MMDDhhmm[.ss]`, `-r FILE`.
 */
import { abs, errText, fail, type CommandIO, type CommandOutput } from './command.ts';
import { parseDateArg } from './date.ts';

/** `-t [[CC]YY]MMDDhhmm[.ss]` in UTC, as seconds. */
function parseStamp(s: string): number | undefined {
  const m = /^(\d{2}|\d{4})?(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{2}))?$/.exec(s);
  if (!m) return undefined;
  let year = m[1] === undefined ? 1970 : Number(m[1]);
  if (m[1]?.length === 2) year += year < 69 ? 2000 : 1900;
  return Math.floor(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) / 1000);
}

/** coreutils `touch [-acm] [-d DATE | -t STAMP | -r FILE] FILE…`. */
export function touch(io: CommandIO): CommandOutput {
  const files: string[] = [];
  let when: number | undefined;
  let noCreate = false;
  const args = io.args;
  const needArg = (c: string) => fail(`touch: option requires an argument -- '${c}'\nTry 'touch --help' for more information.`);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      files.push(...args.slice(i + 1));
      break;
    }
    if (a === '--no-create') noCreate = true;
    else if (a.startsWith('--date=') || a === '--date') {
      const v = a === '--date' ? args[++i] : a.slice(7);
      if (v === undefined) return needArg('d');
      when = parseDateArg(v);
      if (when === undefined) return fail(`touch: invalid date format '${v}'`);
    } else if (a.startsWith('--reference=')) {
      const ref = a.slice(12);
      try {
        when = io.fs.stat(abs(io, ref)).mtime;
      } catch (e) {
        return fail(`touch: failed to get attributes of '${ref}': ${errText(e)}`);
      }
    } else if (a.startsWith('-') && a.length > 1 && !a.startsWith('--')) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (c === 'c') noCreate = true;
        else if (c === 'a' || c === 'm' || c === 'f') continue;
        else if (c === 'd' || c === 't' || c === 'r') {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) return needArg(c);
          if (c === 'r') {
            try {
              when = io.fs.stat(abs(io, v)).mtime;
            } catch (e) {
              return fail(`touch: failed to get attributes of '${v}': ${errText(e)}`);
            }
          } else {
            when = c === 'd' ? parseDateArg(v) : parseStamp(v);
            if (when === undefined) return fail(c === 'd' ? `touch: invalid date format '${v}'` : `touch: invalid date format '${v}'`);
          }
          break;
        } else return fail(`touch: invalid option -- '${c}'\nTry 'touch --help' for more information.`);
      }
    } else if (a.startsWith('--')) return fail(`touch: unrecognized option '${a}'\nTry 'touch --help' for more information.`);
    else files.push(a);
  }
  if (files.length === 0) return fail(`touch: missing file operand\nTry 'touch --help' for more information.`);
  const t = when ?? io.now();
  let stderr = '';
  let exitCode = 0;
  for (const f of files) {
    const p = abs(io, f);
    try {
      let exists = true;
      try {
        io.fs.stat(p);
      } catch {
        exists = false;
      }
      if (!exists) {
        if (noCreate) continue;
        io.fs.writeFile(p, new Uint8Array());
      }
      io.fs.utimes(p, t, t);
    } catch (e) {
      stderr += `touch: cannot touch '${f}': ${errText(e)}\n`;
      exitCode = 1;
    }
  }
  return { stdout: '', stderr, exitCode };
}
