/**
 * Heredocs in RUN, COPY and ADD (`<<EOF`, `<<-EOF`, `<<'EOF'`, several per line), as BuildKit finds
 * them (moby/buildkit frontend/dockerfile/parser/parser.go `heredocsFromLine`, `ParseHeredoc`).
 */

import { expandWords } from './expand.ts';

/** One heredoc attached to an instruction. */
export interface Heredoc {
  /** The terminator word with quotes removed, e.g. `EOF`. */
  name: string;
  /** The body as read, every line with its line ending; the terminator line excluded. */
  content: string;
  /** False when any part of the terminator word was quoted: the body is not variable-expanded. */
  expand: boolean;
  /** `<<-`: leading tabs are stripped from body lines (see chompHeredocContent). */
  chomp: boolean;
  /** The file descriptor written before `<<` (`3<<EOF`), 0 when absent. */
  fileDescriptor: number;
}

const RE_HEREDOC = /^(\d*)<<(-?)([^<]*)$/;
const NO_ENV = () => undefined;

/** Parse one word such as `<<-"EOF"` into a heredoc header (content empty), or undefined. */
export function parseHeredocWord(word: string): Omit<Heredoc, 'content'> | undefined {
  const m = RE_HEREDOC.exec(word);
  if (!m) return undefined;
  const rest = m[3];
  if (rest === '') return undefined;
  // Read the name with and without quote removal: differing quote counts mean it was quoted.
  const words = expandWords(rest, NO_ENV, { skipUnsetEnv: true });
  if (words.length !== 1) return undefined;
  const raw = expandWords(rest, NO_ENV, { skipUnsetEnv: true, rawQuotes: true });
  const quotes = (s: string) => s.split('').filter((c) => c === '"' || c === "'").length;
  return {
    name: words[0],
    expand: quotes(words[0]) === quotes(raw[0] ?? ''),
    chomp: m[2] === '-',
    fileDescriptor: m[1] === '' ? 0 : Number(m[1]),
  };
}

/** Every heredoc header on a logical line, in order (words split with quotes and escapes kept). */
export function heredocsFromLine(line: string): Omit<Heredoc, 'content'>[] {
  let words: string[];
  try {
    words = expandWords(line, NO_ENV, { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true });
  } catch {
    // BuildKit ignores lexing errors here (the instruction reports them later).
    words = [];
  }
  const out: Omit<Heredoc, 'content'>[] = [];
  for (const w of words) {
    const h = parseHeredocWord(w);
    if (h) out.push(h);
  }
  return out;
}

/** Remove leading tabs from every line, as `<<-` asks (BuildKit `ChompHeredocContent`). */
export function chompHeredocContent(content: string): string {
  return content.replace(/^\t+/gm, '');
}

/** The body as the build uses it: chomped when the heredoc was `<<-`. */
export function heredocBody(h: Heredoc): string {
  return h.chomp ? chompHeredocContent(h.content) : h.content;
}
