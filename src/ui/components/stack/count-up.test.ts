import { describe, expect, it } from 'vitest';
import { countUpMs, countUpValue } from './count-up.ts';

describe('count-up', () => {
  it('starts at from, ends exactly at to, and rises monotonically in whole bytes', () => {
    const to = 151_234_567;
    const seen = Array.from({ length: 61 }, (_, i) => countUpValue(0, to, i / 60));
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(to);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
      expect(Number.isInteger(seen[i])).toBe(true);
      expect(seen[i]).toBeLessThanOrEqual(to);
    }
    // Ease-out: most of the way there by half time.
    expect(countUpValue(0, 1000, 0.5)).toBe(875);
  });

  it('counts down as well (a smaller image after a rebuild) and clamps t', () => {
    expect(countUpValue(500, 100, 0.5)).toBe(150);
    expect(countUpValue(500, 100, -1)).toBe(500);
    expect(countUpValue(500, 100, 2)).toBe(100);
  });

  it('no count-up when entrances are instant (reduced motion or "Instant")', () => {
    expect(countUpMs(0)).toBe(0);
    expect(countUpMs(350)).toBe(700);
    expect(countUpMs(100)).toBe(600);
  });
});
