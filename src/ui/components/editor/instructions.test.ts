import { describe, expect, it } from 'vitest';
import { INSTRUCTIONS, describeInstruction, effectText, instructionSpans, spanAt } from './instructions.ts';

describe('the instruction dictionary', () => {
  it('covers every Dockerfile instruction and says which make layers with BuildKit', () => {
    const layers = Object.values(INSTRUCTIONS).filter((i) => i.effect === 'layer').map((i) => i.keyword).sort();
    expect(layers).toEqual(['ADD', 'COPY', 'RUN', 'WORKDIR']);
    expect(INSTRUCTIONS.FROM.effect).toBe('base');
    const metadata = Object.values(INSTRUCTIONS).filter((i) => i.effect === 'metadata').map((i) => i.keyword).sort();
    expect(metadata).toEqual(['ARG', 'CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME']);
    for (const i of Object.values(INSTRUCTIONS)) expect(i.summary.length).toBeGreaterThan(30);
  });

  it('looks keywords up in any case and knows nothing of typos', () => {
    expect(describeInstruction('copy')?.keyword).toBe('COPY');
    expect(describeInstruction('RUNN')).toBeUndefined();
    expect(effectText('metadata')).toMatch(/no layer/);
    expect(effectText('layer')).toBe('Makes a layer');
  });
});

describe('instructionSpans', () => {
  it('skips comments and blank lines and follows continuation lines', () => {
    const text = '# syntax=docker/dockerfile:1\n\nFROM alpine\n# a comment\nRUN apk add \\\n  # inside\n  curl \\\n  git\nCOPY . /app\n';
    expect(instructionSpans(text)).toEqual([
      { keyword: 'FROM', line: 3, endLine: 3 },
      { keyword: 'RUN', line: 5, endLine: 8 },
      { keyword: 'COPY', line: 9, endLine: 9 },
    ]);
  });

  it('honours the escape directive and heredocs', () => {
    const text = '# escape=`\nFROM alpine\nRUN echo a `\n  b\nRUN <<EOF\nset -e\necho hi \\\nEOF\nCMD ["sh"]';
    expect(instructionSpans(text)).toEqual([
      { keyword: 'FROM', line: 2, endLine: 2 },
      { keyword: 'RUN', line: 3, endLine: 4 },
      { keyword: 'RUN', line: 5, endLine: 8 },
      { keyword: 'CMD', line: 9, endLine: 9 },
    ]);
    const spans = instructionSpans(text);
    expect(spanAt(spans, 7)?.line).toBe(5);
    expect(spanAt(spans, 1)).toBeUndefined();
  });
});
