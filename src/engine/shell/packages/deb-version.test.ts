import { describe, expect, it } from 'vitest';
import { compareDebVersions, satisfiesRelation } from './deb-version.ts';

describe('compareDebVersions (dpkg order)', () => {
  it.each([
    ['1.0', '1.0', 0],
    ['1.0~rc1', '1.0', -1],
    ['1:0.1', '2.0', 1],
    ['7.88.1-10+deb12u14', '7.88.1-10+deb12u15', -1],
    ['7.88.1-10+deb12u5', '7.88.1-10+deb12u15', -1],
    ['2.36-9+deb12u10', '2.36-9+deb12u9', 1],
    ['1.0a', '1.0+', -1],
    ['1.10', '1.9', 1],
    ['3.11.2-6+deb12u6', '3.11.2-6', 1],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareDebVersions(a, b))).toBe(sign);
    expect(Math.sign(compareDebVersions(b, a))).toBe(sign === 0 ? 0 : -sign);
  });
  it('reads relations', () => {
    expect(satisfiesRelation('2.36-9', '>=', '2.34')).toBe(true);
    expect(satisfiesRelation('2.36-9', '<<', '2.36')).toBe(false);
    expect(satisfiesRelation('1.0', undefined, undefined)).toBe(true);
  });
});
