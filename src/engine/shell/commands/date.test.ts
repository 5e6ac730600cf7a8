import { describe, expect, it } from 'vitest';
import { createShell } from '../shell.ts';
import { makeRootfs } from '../test-support.ts';
import { formatDate } from './date.ts';

// 2026-01-15T09:05:03Z, a Thursday.
const T = Date.UTC(2026, 0, 15, 9, 5, 3) / 1000;

describe('date', () => {
  it('formats like GNU date in UTC', () => {
    expect(formatDate(T, '%a %b %e %H:%M:%S %Z %Y')).toBe('Thu Jan 15 09:05:03 UTC 2026');
    expect(formatDate(T, '%F %T %s %j %u %I%p %%')).toBe(`2026-01-15 09:05:03 ${T} 015 4 09AM %`);
  });

  it('reads the shell clock, not the machine clock, and honours -d and -u', async () => {
    const sh = createShell({ fs: makeRootfs(), now: () => T });
    expect((await sh.run('date')).stdout).toBe('Thu Jan 15 09:05:03 UTC 2026\n');
    expect((await sh.run('date -u +%Y-%m-%dT%H:%M:%SZ')).stdout).toBe('2026-01-15T09:05:03Z\n');
    expect((await sh.run('date -d @0 +%F')).stdout).toBe('1970-01-01\n');
    expect((await sh.run('date -R')).stdout).toBe('Thu, 15 Jan 2026 09:05:03 +0000\n');
    const bad = await sh.run('date -d yesterdayish');
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toBe("date: invalid date 'yesterdayish'\n");
  });
});
