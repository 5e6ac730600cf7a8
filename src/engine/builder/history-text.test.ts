import { describe, expect, it } from 'vitest';
import { goDuration, goPortSet, goQuoteRune, goQuoteSlice, healthcheckCreatedBy, runCreatedBy } from './history-text.ts';

describe('BuildKit history texts', () => {
  it('formats Go values', () => {
    expect(goQuoteSlice(['/bin/sh', '-c', 'echo "hi"'])).toBe('["/bin/sh" "-c" "echo \\"hi\\""]');
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(30e9)).toBe('30s');
    expect(goDuration(300e9)).toBe('5m0s');
    expect(goDuration(3600e9)).toBe('1h0m0s');
    expect(goDuration(1.5e9)).toBe('1.5s');
    expect(goDuration(500e6)).toBe('500ms');
    expect(goQuoteRune(3)).toBe("'\\x03'");
    expect(goQuoteRune(0)).toBe("'\\x00'");
    expect(goPortSet(['80/tcp', '443/tcp'])).toBe('map[443/tcp:{} 80/tcp:{}]');
  });
  it('writes RUN with the build-arg prefix', () => {
    expect(runCreatedBy(['/bin/sh', '-c', 'make'], [])).toBe('RUN /bin/sh -c make # buildkit');
    expect(runCreatedBy(['/bin/sh', '-c', 'make'], [{ key: 'V', value: '1' }, { key: 'W', value: '' }])).toBe('RUN |2 V=1 W= /bin/sh -c make # buildkit');
  });
  it('writes HEALTHCHECK like Go prints the struct', () => {
    expect(healthcheckCreatedBy({ test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], interval: 300e9, timeout: 3e9, startPeriod: 0, startInterval: 0, retries: 3 })).toBe(
      `HEALTHCHECK &{["CMD-SHELL" "curl -f http://localhost/ || exit 1"] "5m0s" "3s" "0s" "0s" '\\x03'}`,
    );
  });
});
