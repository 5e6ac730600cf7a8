import { describe, expect, it } from 'vitest';
import { humanSize, humanDuration, table, ellipsis } from './format.ts';

describe('docker CLI formatting', () => {
  it('formats sizes like go-units HumanSizeWithPrecision(…, 3)', () => {
    expect(humanSize(0)).toBe('0B');
    expect(humanSize(999)).toBe('999B');
    expect(humanSize(1000)).toBe('1kB');
    expect(humanSize(1234)).toBe('1.23kB');
    expect(humanSize(74_800_000)).toBe('74.8MB');
    expect(humanSize(7_800_000)).toBe('7.8MB');
    expect(humanSize(123_456_789)).toBe('123MB');
    expect(humanSize(1_500_000_000)).toBe('1.5GB');
  });
  it('formats durations like go-units HumanDuration', () => {
    expect(humanDuration(500)).toBe('Less than a second');
    expect(humanDuration(1000)).toBe('1 second');
    expect(humanDuration(30_000)).toBe('30 seconds');
    expect(humanDuration(60_000)).toBe('About a minute');
    expect(humanDuration(5 * 60_000)).toBe('5 minutes');
    expect(humanDuration(3600_000)).toBe('About an hour');
    expect(humanDuration(47 * 3600_000)).toBe('47 hours');
    expect(humanDuration(3 * 86400_000)).toBe('3 days');
    expect(humanDuration(21 * 86400_000)).toBe('3 weeks');
    expect(humanDuration(90 * 86400_000)).toBe('3 months');
    expect(humanDuration(800 * 86400_000)).toBe('2 years');
  });
  it('pads columns like tabwriter(minwidth 10, padding 3)', () => {
    expect(table([['REPOSITORY', 'TAG', 'SIZE'], ['alpine', 'latest', '7.8MB']])).toBe(
      'REPOSITORY   TAG       SIZE\nalpine       latest    7.8MB\n',
    );
  });
  it('truncates with an ellipsis', () => {
    expect(ellipsis('abcdef', 4)).toBe('abc…');
    expect(ellipsis('abc', 4)).toBe('abc');
  });
});
