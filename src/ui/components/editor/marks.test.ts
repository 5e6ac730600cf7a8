import { describe, expect, it } from 'vitest';
import { instructionSpans } from './instructions.ts';
import { cardFor, cardText, marksFromSteps, markText } from './marks.ts';

const steps = [
  { step: 1, line: 1, outcome: 'from' },
  { step: 2, line: 2, outcome: 'layer', cached: true, reason: 'same parent, same instruction', size: 0, digest: 'sha256:aa' },
  { step: 3, line: 3, outcome: 'layer', cached: false, reason: 'app.py changed since the last build', size: 28, digest: 'sha256:bb' },
  { step: 4, line: 5, outcome: 'metadata' },
  { step: 5, line: 6, outcome: 'empty', cached: false, reason: 'first build' },
];

describe('marksFromSteps', () => {
  it('maps outcomes to rebuilt / cached / metadata and adds the error line', () => {
    const marks = marksFromSteps(steps, { line: 7, message: 'dockerfile parse error on line 7: unknown instruction: RUNN' });
    expect(marks.map((m) => [m.line, m.kind, m.createsLayer])).toEqual([
      [1, 'cached', undefined], [2, 'cached', true], [3, 'rebuilt', true], [5, 'metadata', false], [6, 'rebuilt', false], [7, 'error', false],
    ]);
    expect(markText(marks[2])).toBe('step 3: rebuilt · 28B · app.py changed since the last build');
    expect(markText(marks[4])).toBe('step 5: rebuilt · no new layer · first build');
    expect(markText(marks[0])).toBe('step 1: cached · base image: its layers are reused as they are');
  });
});

describe('cardFor', () => {
  const text = 'FROM alpine\nWORKDIR /app\nCOPY app.py \\\n  .\nENV A=1\nRUN true\n';
  const spans = instructionSpans(text);
  const marks = marksFromSteps(steps);

  it('explains an instruction and its built step, also from a continuation line', () => {
    const c = cardFor(4, spans, marks)!;
    expect(c.line).toBe(3);
    expect(c.keyword).toBe('COPY');
    expect(c.effect).toBe('Makes a layer');
    expect(c.rows).toEqual([
      ['Last build', '● rebuilt (step 3)'],
      ['Layer size', '28B'],
      ['Digest', 'sha256:bb'],
      ['Why rebuilt', 'app.py changed since the last build'],
    ]);
    expect(cardText(c)).toContain('Line 3: COPY. Makes a layer.');
  });

  it('names a layer by its DiffID while it has no blob digest yet (compressed at save or push)', () => {
    const c = cardFor(3, spans, marksFromSteps([{ step: 3, line: 3, outcome: 'layer', cached: false, size: 28, diffId: 'sha256:cc' }]))!;
    expect(c.rows).toContainEqual(['DiffID', 'sha256:cc']);
    expect(c.rows.some(([k]) => k === 'Digest')).toBe(false);
  });

  it('says a metadata step makes no layer and a RUN that changed nothing left none', () => {
    expect(cardFor(5, spans, marks)!.effect).toBe('Metadata only: no layer');
    expect(cardFor(6, spans, marks)!.rows).toContainEqual(['Layer', 'none: the step changed no file']);
  });

  it('has nothing to say on a blank line, and names an unknown word', () => {
    expect(cardFor(7, spans, marks)).toBeUndefined();
    const bad = instructionSpans('FROM a\nRUNN x');
    expect(cardFor(2, bad, [])!.summary).toBe('"RUNN" is not a Dockerfile instruction.');
  });

  it('lists build check warnings on any line of the instruction', () => {
    const warn = { message: "'as' and 'FROM' keywords' casing do not match", line: 4, column: 3, rule: 'FromAsCasing' };
    expect(cardFor(3, spans, marks, [warn])!.rows.at(-1)).toEqual(['Warning (FromAsCasing)', warn.message]);
    expect(cardFor(5, spans, marks, [warn])!.rows.some(([k]) => k.startsWith('Warning'))).toBe(false);
  });
});
