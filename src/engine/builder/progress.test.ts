import { describe, expect, it } from 'vitest';
import { plainProgress } from './progress.ts';
import type { BuildEvent } from './events.ts';

const out = (text: string, elapsedMs: number, stream: 'stdout' | 'stderr' = 'stdout') => ({ type: 'vertex-output', vertex: 5, stream, text, elapsedMs }) as BuildEvent;

describe('plainProgress', () => {
  it('joins a line printed in pieces (printf a; printf "b\\n"), as BuildKit\'s progressui does, and ends an open line before DONE', () => {
    const p = plainProgress();
    const text = [out('a', 10), out('b\nc\n', 20), out('d', 30, 'stderr'), { type: 'vertex-done', vertex: 5, cached: false, durationMs: 40 } as BuildEvent].map(p).join('');
    expect(text).toBe('#5 0.010 ab\n#5 0.020 c\n#5 0.030 d\n#5 DONE 0.0s\n\n');
  });

  it('keeps whole lines for the error summary', () => {
    const p = plainProgress();
    p({ type: 'vertex-start', vertex: 5, name: '[2/2] RUN x' } as BuildEvent);
    p(out('par', 1));
    p(out('tial\nnext\n', 2));
    expect(p({ type: 'vertex-done', vertex: 5, cached: false, durationMs: 3, error: 'boom' } as BuildEvent)).toBe('#5 ERROR: boom\n------\n > [2/2] RUN x:\npartial\nnext\n------\n');
  });
});
