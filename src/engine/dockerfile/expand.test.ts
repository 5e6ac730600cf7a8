import { describe, expect, it } from 'vitest';
import { LayerlabError } from '../errors.ts';
import { expandWord, expandWords, expandWordTracked, goQuote } from './expand.ts';

const env = new Map([
  ['PATHV', '/usr/local/bin/app.tar.gz'],
  ['FILE', 'archive.tar.gz'],
  ['GREETING', 'hello world hello'],
  ['EMPTY', ''],
  ['SPACED', 'a b  c'],
]);
const x = (w: string) => expandWord(w, env);

describe('pattern removal ${VAR#pat} ${VAR##pat} ${VAR%pat} ${VAR%%pat}', () => {
  it('removes the shortest and longest prefix', () => {
    expect(x('${PATHV#*/}')).toBe('usr/local/bin/app.tar.gz');
    expect(x('${PATHV##*/}')).toBe('app.tar.gz');
    expect(x('${FILE#*.}')).toBe('tar.gz');
    expect(x('${FILE##*.}')).toBe('gz');
  });
  it('removes the shortest and longest suffix', () => {
    expect(x('${FILE%.*}')).toBe('archive.tar');
    expect(x('${FILE%%.*}')).toBe('archive');
    expect(x('${PATHV%/*}')).toBe('/usr/local/bin');
  });
  it('leaves the value alone when nothing matches, and ? matches one character', () => {
    expect(x('${FILE#zzz}')).toBe('archive.tar.gz');
    expect(x('${FILE%?z}')).toBe('archive.tar.');
    expect(x('${FILE#arch}')).toBe('ive.tar.gz');
  });
  it('treats an escaped wildcard literally', () => {
    const e = new Map([['V', 'a*b*c']]);
    expect(expandWord('${V#*\\*}', e)).toBe('b*c');
    expect(expandWord('${V%\\**}', e)).toBe('a*b');
  });
  it('gives an empty result for unset variables and rejects the :# and :% forms', () => {
    expect(x('${NOPE#a}')).toBe('');
    expect(() => x('${FILE:#a}')).toThrow(/unsupported modifier \(:#\)/);
    expect(() => x('${FILE:%a}')).toThrow(LayerlabError);
  });
  it('expands variables inside the pattern', () => {
    const e = new Map([
      ['V', 'prefix-rest'],
      ['P', 'prefix-'],
    ]);
    expect(expandWord('${V#$P}', e)).toBe('rest');
  });
});

describe('replacement ${VAR/a/b} ${VAR//a/b}', () => {
  it('replaces the first or every match', () => {
    expect(x('${GREETING/hello/bye}')).toBe('bye world hello');
    expect(x('${GREETING//hello/bye}')).toBe('bye world bye');
  });
  it('supports wildcards, greedy like Go regexp', () => {
    expect(x('${GREETING/w*d/X}')).toBe('hello X hello');
    expect(x('${FILE//./_}')).toBe('archive_tar_gz');
    expect(x('${FILE/a*./}')).toBe('gz');
  });
  it('allows an empty replacement and reports a missing separator', () => {
    expect(x('${GREETING// /}')).toBe('helloworldhello');
    expect(() => x('${GREETING/hello')).toThrow(/missing '\/'/);
    expect(() => x('${GREETING/hello/x')).toThrow(/missing '}'/);
  });
  it('does not interpret $& in the replacement as a regex back-reference', () => {
    const e = new Map([['V', 'abc']]);
    expect(expandWord("${V/b/'$&'}", e)).toBe('a$&c');
  });
});

describe('defaults and errors', () => {
  it('distinguishes unset from empty', () => {
    expect(x('${EMPTY-d}')).toBe('');
    expect(x('${EMPTY:-d}')).toBe('d');
    expect(x('${EMPTY+s}')).toBe('s');
    expect(x('${EMPTY:+s}')).toBe('');
    expect(() => x('${NOPE?custom message}')).toThrow(/NOPE: custom message/);
    expect(() => x('${EMPTY:?}')).toThrow(/EMPTY: is not allowed to be empty/);
  });
  it('wraps lexer errors as LayerlabError with the word quoted', () => {
    try {
      x('"unterminated');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LayerlabError);
      expect((e as LayerlabError).code).toBe('dockerfile/expand');
      expect((e as Error).message).toBe(
        'failed to process "\\"unterminated": unexpected end of statement while looking for matching double-quote',
      );
    }
  });
});

describe('escape token and splitting', () => {
  it('uses the backtick as escape when asked', () => {
    expect(expandWord('a`$FILE', env, { escapeToken: '`' })).toBe('a$FILE');
    expect(expandWord('a\\b', env, { escapeToken: '`' })).toBe('a\\b');
  });
  it('splits unquoted variable values but not quoted ones', () => {
    expect(expandWords('$SPACED "$SPACED" x', env)).toEqual(['a', 'b', 'c', 'a b  c', 'x']);
  });
  it('accepts a record or a function as environment', () => {
    expect(expandWord('$A-$B', { A: '1', B: '2' })).toBe('1-2');
    expect(expandWord('${A:-z}', (n) => (n === 'A' ? '' : undefined))).toBe('z');
  });
});

describe('used-variable tracking (for ARG-aware cache keys)', () => {
  it('reports set and unset names that were referenced', () => {
    const r = expandWordTracked('$FILE ${NOPE:-$EMPTY} \\$GREETING \'$SPACED\'', env);
    expect(r.value).toBe('archive.tar.gz  $GREETING $SPACED');
    expect([...r.used].sort()).toEqual(['EMPTY', 'FILE']);
    expect([...r.unset]).toEqual(['NOPE']);
  });
});

describe('goQuote (strconv.Quote)', () => {
  it('escapes like Go', () => {
    expect(goQuote('a"b\\c\n\t\x00\x07\v\x7f')).toBe('"a\\"b\\\\c\\n\\t\\x00\\a\\v\\x7f"');
    expect(goQuote('☃♥한')).toBe('"☃♥한"');
    expect(goQuote('\u00a0\u2028\ufeff')).toBe('"\\u00a0\\u2028\\ufeff"');
    expect(goQuote('\u{1F600}')).toBe('"\u{1F600}"');
    expect(goQuote('\u{E0001}')).toBe('"\\U000e0001"');
  });
});

describe('robustness (property)', () => {
  it('expandWord either returns or throws a dockerfile/expand LayerlabError', async () => {
    const fc = await import('fast-check');
    const piece = fc.constantFrom('$', '{', '}', ':', '-', '+', '?', '#', '%', '/', '*', '\\', '"', "'", 'FILE', 'X', ' ', 'é', '`');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.constantFrom('\\', '`'), (parts, escapeToken) => {
        const w = parts.join('');
        try {
          expandWord(w, env, { escapeToken });
          expandWords(w, env, { escapeToken });
        } catch (e) {
          expect(e).toBeInstanceOf(LayerlabError);
          expect((e as LayerlabError).code).toBe('dockerfile/expand');
        }
      }),
      { numRuns: 1000, seed: Number(process.env.FC_SEED ?? 20261123) },
    );
  });
});
