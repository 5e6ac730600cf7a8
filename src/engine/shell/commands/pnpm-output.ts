/**
 * What pnpm prints off a terminal (its append-only reporter, @pnpm/default-reporter in pnpm
 * 10.34.9): error blocks, the `Packages:` bar, boxed warnings, the Progress lines, `Done in`.
 */
import { modelledSeconds } from './npm.ts';
import type { LayoutResult } from './pnpm-layout.ts';

/** pnpm's error block: ` ERR_PNPM_X  message` (thin spaces round the code, as formatErrorSummary writes it off a colour terminal), then the hint. */
export function pnpmError(code: string, message: string, hint?: string): string {
  return `\u2009${code}\u2009 ${message}${hint ? `\n\n${hint}` : ''}\n`;
}

/** pretty-ms as pnpm's "Done in" uses it: milliseconds under a second, else seconds floored to one decimal. */
export function prettyMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const minutes = Math.floor(ms / 60000);
  const seconds = Math.floor(((ms % 60000) / 1000) * 10) / 10;
  return minutes ? `${minutes}m ${seconds}s` : `${seconds}s`;
}

/** The `+`/`-` bar under `Packages:` (printPlusesAndMinuses, 80 columns off a terminal). */
export function plusBar(added: number, removed: number, width = 80): string {
  const changes = added + removed;
  let a = added;
  let r = removed;
  if (changes > width) {
    if (!added) { a = 0; r = width; }
    else if (!removed) { a = width; r = 0; }
    else {
      a = Math.min(Math.max(Math.floor(added * (width / changes)), 1), width - 1);
      r = width - a;
    }
  }
  return '+'.repeat(a) + '-'.repeat(r);
}

/** boxen's round box as pnpm's warnings use it (padding 1, title in the top border), fitted to 80 columns. */
export function warningBox(title: string, text: string, columns = 80): string {
  const inner = columns - 2;
  const wrapAt = inner - 6;
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let cur = '';
    for (const word of para.split(' ')) {
      if (cur && (cur + ' ' + word).length > wrapAt) { lines.push(cur); cur = word; }
      else cur = cur ? `${cur} ${word}` : word;
    }
    lines.push(cur);
  }
  // boxen takes the whole width once a line had to wrap, else fits the longest line.
  const wrapped = lines.length > text.split('\n').length;
  const width = wrapped ? inner : Math.min(inner, Math.max(...lines.map((l) => l.length)) + 6);
  const row = (s: string) => `│   ${s.padEnd(width - 6)}   │`;
  return [`╭ ${title} ${'─'.repeat(width - title.length - 2)}╮`, `│${' '.repeat(width)}│`, ...lines.map(row), `│${' '.repeat(width)}│`, `╰${'─'.repeat(width)}╯`].join('\n') + '\n';
}

/** The Progress and Packages lines: every package of the install counts as resolved, and as reused unless it had to be downloaded (pnpm counts packages found in the store, linked or not). */
export function progress(resolved: number, r: LayoutResult): string {
  const n = r.added.length;
  let s = `Progress: resolved 1, reused 0, downloaded 0, added 0\n`;
  if (n || r.removed) s += `Packages:${n ? ` +${n}` : ''}${r.removed ? ` -${r.removed}` : ''}\n${plusBar(n, r.removed)}\n`;
  if (r.crossDevice) s += `\u2009WARN\u2009 EXDEV: cross-device link not permitted, link '${r.crossDevice.src}' -> '${r.crossDevice.dst}'\nFalling back to copying packages from store\n`;
  s += `Progress: resolved ${resolved}, reused ${resolved - r.downloaded}, downloaded ${r.downloaded}, added ${n}, done\n`;
  return s;
}

/** `Done in …`: Simulation: the time is modelled from the bytes fetched; an install that links nothing takes 0.3 s. */
export function done(version: string, r?: LayoutResult): string {
  const ms = r ? modelledSeconds(r.tarBytes, r.added.length) * 1000 : 300;
  return `Done in ${prettyMs(ms)} using pnpm v${version}\n`;
}
