/**
 * Hostile Dockerfile input ends in a short, located error (issue 14): nested substitutions are
 * depth-bounded, an unknown megabyte token gets no suggestion and is quoted in 80 characters.
 */
import { describe, expect, it } from 'vitest';
import { LayerlabError } from '../errors.ts';
import { expandWords, MAX_EXPANSION_DEPTH } from './expand.ts';
import { suggest } from './errors.ts';
import { parseInstruction } from './instructions.ts';
import { parseDockerfile } from './parse.ts';

const nested = (n: number) => {
  let w = 'x';
  for (let i = 0; i < n; i++) w = '${A:-' + w + '}';
  return w;
};

describe('nested substitutions', () => {
  it(`expands ${MAX_EXPANSION_DEPTH} levels`, () => {
    expect(expandWords(nested(MAX_EXPANSION_DEPTH), {})).toEqual(['x']);
  });

  it.each([1_500, 20_000])('refuses %i levels with a short dockerfile/expand error, not a RangeError', (n) => {
    const e = (() => {
      try {
        expandWords(nested(n), {});
      } catch (err) {
        return err;
      }
    })() as LayerlabError;
    expect(e).toBeInstanceOf(LayerlabError);
    expect(e.code).toBe('dockerfile/expand');
    expect(e.message).toMatch(new RegExp(`nested more than ${MAX_EXPANSION_DEPTH} deep \\(at character \\d+\\)`));
    expect(e.message.length).toBeLessThan(200);
  });
});

describe('unknown instructions', () => {
  const unknown = (line: string) => {
    const ast = parseDockerfile(`FROM scratch\n${line}\n`);
    try {
      for (const n of ast.children) parseInstruction(n);
    } catch (e) {
      return e as LayerlabError;
    }
    throw new Error('no error');
  };

  it('suggests the instruction for a plausible typo', () => {
    expect(unknown('RUNN x').message).toBe('dockerfile parse error on line 2: unknown instruction: RUNN (did you mean RUN?)');
    expect(unknown('cpy a b').message).toBe('dockerfile parse error on line 2: unknown instruction: cpy (did you mean copy?)');
  });

  it('quotes at most 80 characters of a 1 MB token, suggests nothing, and is located', () => {
    const e = unknown('Q'.repeat(1_000_000) + ' x');
    expect(e.code).toBe('dockerfile/unknown-instruction');
    expect(e.message).toBe(`dockerfile parse error on line 2: unknown instruction: ${'Q'.repeat(80)}…`);
    expect(e.range?.start.line).toBe(2);
  });

  it('skips the edit distance when lengths alone rule a typo out', () => {
    expect(suggest('x'.repeat(50), ['RUN', 'COPY'])).toBeUndefined();
    expect(suggest('COPYYY', ['RUN', 'COPY'])).toBe('COPY');
    expect(suggest('COPYYYY', ['RUN', 'COPY'])).toBeUndefined();
  });
});
