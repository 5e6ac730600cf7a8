import { describe, expect, it } from 'vitest';
import { logLines, rfc3339NanoFixed } from './logs.ts';

describe('docker logs text', () => {
  it('prints times as RFC3339NanoFixed (nine fraction digits, always)', () => {
    expect(rfc3339NanoFixed(Date.UTC(2026, 10, 28, 9, 5, 7, 120))).toBe('2026-11-28T09:05:07.120000000Z');
    expect(rfc3339NanoFixed(Date.UTC(2026, 0, 1))).toBe('2026-01-01T00:00:00.000000000Z');
  });

  it('splits chunks into lines, stamps each with its chunk time, keeps a last line without newline, and tails', () => {
    const t1 = Date.UTC(2026, 10, 28, 9, 0, 1);
    const t2 = Date.UTC(2026, 10, 28, 9, 0, 2, 500);
    const entries = [
      { stream: 'stdout' as const, text: 'a\nb\n', time: t1 },
      { stream: 'stderr' as const, text: 'err\npartial', time: t2 },
    ];
    expect(logLines(entries).map((l) => l.text)).toEqual(['a\n', 'b\n', 'err\n', 'partial']);
    expect(logLines(entries, { timestamps: true }).map((l) => `${l.stream} ${l.text}`)).toEqual([
      'stdout 2026-11-28T09:00:01.000000000Z a\n',
      'stdout 2026-11-28T09:00:01.000000000Z b\n',
      'stderr 2026-11-28T09:00:02.500000000Z err\n',
      'stderr 2026-11-28T09:00:02.500000000Z partial',
    ]);
    expect(logLines(entries, { tail: 2 }).map((l) => l.text)).toEqual(['err\n', 'partial']);
    expect(logLines(entries, { tail: 0 })).toEqual([]);
  });
});
