import { describe, expect, it } from 'vitest';
import { LayerlabError } from '../errors.ts';
import { createShell } from './shell.ts';
import { DEFAULT_SHELL_LIMITS, limitExceeded, resolveShellLimits, toInterpreterLimits } from './limits.ts';
import { makeRootfs } from './test-support.ts';

describe('shell limits: time, output and disk, never counts', () => {
  it('runs a loop of 200 000 iterations and a million-line pipeline (no command or loop counter)', async () => {
    const sh = createShell({ fs: makeRootfs() });
    const r = await sh.run('n=0; for i in $(seq 1 200000); do :; done; echo "$i"; seq 1 1000000 | wc -l', { limits: { maxTimeMs: 120_000 } });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('200000\n1000000\n');
  }, 180_000);

  it('stops a run at its wall-time limit with shell/limit-exceeded naming the limit and how to raise it', async () => {
    const sh = createShell({ fs: makeRootfs() });
    const err = await sh.run('echo started; while :; do :; done', { limits: { maxTimeMs: 200 } }).catch((e) => e);
    expect(err).toBeInstanceOf(LayerlabError);
    expect(err.code).toBe('shell/limit-exceeded');
    expect(err.data).toMatchObject({ limit: 'maxTimeMs', value: 200 });
    expect(err.message).toMatch(/time limit \(maxTimeMs = 0\.2 s\).*--run-timeout/);
  });

  it('stops a run at its output limit', async () => {
    const sh = createShell({ fs: makeRootfs() });
    const err = await sh.run('while :; do echo 0123456789; done', { limits: { maxOutputBytes: 4096 } }).catch((e) => e);
    expect(err.code).toBe('shell/limit-exceeded');
    expect(err.data.limit).toBe('maxOutputBytes');
    expect(err.data.raise).toContain('maxOutputBytes');
  });

  it('stops a streaming run (output delivered live) at its output limit too, and counts none of it against the quota', async () => {
    const sh = createShell({ fs: makeRootfs() });
    let delivered = 0;
    const err = await sh
      .run('while :; do echo 0123456789; done', { limits: { maxOutputBytes: 4096, maxFsBytes: 2048, maxTimeMs: 60_000 }, onOutput: (_s, t) => (delivered += t.length) })
      .catch((e) => e);
    expect(err).toBeInstanceOf(LayerlabError);
    expect(err.data).toMatchObject({ limit: 'maxOutputBytes', value: 4096 });
    expect(delivered).toBeGreaterThan(2048);
    expect(delivered).toBeLessThanOrEqual(4096);
  });

  it('counts live stderr against the output limit like stdout', async () => {
    const sh = createShell({ fs: makeRootfs() });
    const seen = { stdout: 0, stderr: 0 };
    const err = await sh
      .run('while :; do echo 0123456789 >&2; echo x; done', { limits: { maxOutputBytes: 4096, maxTimeMs: 60_000 }, onOutput: (st, t) => (seen[st] += t.length) })
      .catch((e) => e);
    expect(err).toBeInstanceOf(LayerlabError);
    expect(err.data).toMatchObject({ limit: 'maxOutputBytes', value: 4096 });
    expect(seen.stderr).toBeGreaterThan(2048);
    expect(seen.stdout + seen.stderr).toBeLessThanOrEqual(4096);
  });

  // 41 bytes per line, 2 000 lines: 82 000 bytes appended to a file, nothing printed.
  const appendLoop = 'i=0; while [ $i -lt 2000 ]; do echo 0123456789012345678901234567890123456789 >> /tmp/log; i=$((i+1)); done';

  it('stops a RUN that appends past the filesystem quota with the quota, not the output limit', async () => {
    const sh = createShell({ fs: makeRootfs() });
    const err = await sh.run(appendLoop, { limits: { maxOutputBytes: 4096, maxFsBytes: 20_000 } }).catch((e) => e);
    expect(err).toBeInstanceOf(LayerlabError);
    expect(err.code).toBe('shell/limit-exceeded');
    expect(err.data).toMatchObject({ limit: 'maxFsBytes', value: 20_000 });
    expect(err.message).toMatch(/filesystem quota \(maxFsBytes = 20000 bytes\).*raise `limits\.maxFsBytes`/);
    expect(err.message).not.toMatch(/output limit/);
  });

  it('lets a RUN append more than the output limit to a file while it stays under the quota', async () => {
    const fs = makeRootfs();
    const sh = createShell({ fs });
    const r = await sh.run(`${appendLoop}; wc -c < /tmp/log`, { limits: { maxOutputBytes: 4096, maxFsBytes: 1_000_000 } });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe('82000');
    expect(fs.readFile('/tmp/log').length).toBe(82_000);
  }, 60_000);

  it('stops a RUN that prints past the output limit with the output limit, not the quota', async () => {
    const sh = createShell({ fs: makeRootfs() });
    const printLoop = appendLoop.replace(' >> /tmp/log', '');
    const err = await sh.run(printLoop, { limits: { maxOutputBytes: 4096, maxFsBytes: 1_000_000 } }).catch((e) => e);
    expect(err).toBeInstanceOf(LayerlabError);
    expect(err.code).toBe('shell/limit-exceeded');
    expect(err.data).toMatchObject({ limit: 'maxOutputBytes', value: 4096 });
    expect(err.message).toMatch(/output limit \(maxOutputBytes = 4096 bytes\).*raise `limits\.maxOutputBytes`/);
    expect(err.message).not.toMatch(/filesystem quota/);
  });

  it('one command printing more than the output limit in one go into a file is bounded by the quota, not the output limit (issue 14)', async () => {
    const fs = makeRootfs();
    const sh = createShell({ fs });
    // 588 895 bytes from seq, 200 000 from yes | head -c, 588 895 copied by just-bash's cat: all past the 4 KiB output limit.
    const r = await sh.run('seq 1 100000 > /tmp/numbers; yes | head -c 200000 > /tmp/y; cat /tmp/numbers > /tmp/copy; tail -n 1 /tmp/numbers', { limits: { maxOutputBytes: 4096 } });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('100000\n');
    expect(fs.readFile('/tmp/numbers').length).toBe(588_895);
    expect(fs.readFile('/tmp/copy').length).toBe(588_895);
    expect(new TextDecoder().decode(fs.readFile('/tmp/y'))).toBe('y\n'.repeat(100_000));
  });

  it('the same commands past the quota stop with the filesystem quota, saying how to raise it', async () => {
    for (const script of ['seq 1 100000 > /tmp/numbers; echo never', 'yes | head -c 200000 > /tmp/y; echo never', 'seq 1 10000 > /tmp/a; cat /tmp/a /tmp/a /tmp/a /tmp/a /tmp/a /tmp/a > /tmp/b; echo never']) {
      const err = await createShell({ fs: makeRootfs() }).run(script, { limits: { maxOutputBytes: 4096, maxFsBytes: 100_000 } }).catch((e) => e);
      expect(err, script).toBeInstanceOf(LayerlabError);
      expect(err.data, script).toMatchObject({ limit: 'maxFsBytes', value: 100_000 });
      expect(err.message, script).toMatch(/filesystem quota \(maxFsBytes = 100000 bytes\).*raise `limits\.maxFsBytes`/);
      expect(err.message, script).not.toMatch(/output limit/);
    }
  });

  it('what goes to the log is still bounded by the output limit: seq 1 100000, also through a pipe', async () => {
    for (const script of ['seq 1 100000', 'seq 1 100000 | cat', 'seq 1 100000 > /dev/stderr']) {
      const err = await createShell({ fs: makeRootfs() }).run(script, { limits: { maxOutputBytes: 4096 } }).catch((e) => e);
      expect(err, script).toBeInstanceOf(LayerlabError);
      expect(err.data, script).toMatchObject({ limit: 'maxOutputBytes', value: 4096 });
      expect(err.message, script).toMatch(/output limit \(maxOutputBytes = 4096 bytes\): seq produced more than the output limit in one go/);
    }
  });

  it('appends of a big command in a loop hit the quota, not the output limit', async () => {
    const err = await createShell({ fs: makeRootfs() })
      .run('i=0; while [ $i -lt 100 ]; do seq 1 2000 >> /tmp/log; i=$((i+1)); done', { limits: { maxOutputBytes: 4096, maxFsBytes: 200_000 } })
      .catch((e) => e);
    expect(err).toBeInstanceOf(LayerlabError);
    expect(err.data).toMatchObject({ limit: 'maxFsBytes', value: 200_000 });
  });

  it('keeps $?, $_ and set -e around redirected commands and pipelines', async () => {
    const r = await createShell({ fs: makeRootfs() }).run('false; echo "a=$?" > /tmp/s; false || echo "b=$?" | cat >> /tmp/s; set -e; false | seq 1 2 > /tmp/t; cat /tmp/s /tmp/t; echo x y > /tmp/u; echo "last=$_"');
    expect(r.stdout).toBe('a=1\nb=1\n1\n2\nlast=y\n');
    expect(r.exitCode).toBe(0);
  });

  it('defaults to 30 s and hands just-bash unreachable counters', () => {
    expect(DEFAULT_SHELL_LIMITS.maxTimeMs).toBe(30_000);
    const l = toInterpreterLimits(resolveShellLimits({ maxTimeMs: 5000 }));
    expect(l.maxExecutionTimeMs).toBe(5000);
    for (const k of ['maxCommandCount', 'maxLoopIterations', 'maxAwkIterations', 'maxSedIterations', 'maxWorkUnits']) expect(l[k]).toBeGreaterThan(1e15);
    // A string may hold what one command writes to a file (up to the quota) on top of the output limit.
    const d = toInterpreterLimits(resolveShellLimits());
    expect(d.maxStringLength).toBe(DEFAULT_SHELL_LIMITS.maxOutputBytes + DEFAULT_SHELL_LIMITS.maxFsBytes);
    expect(toInterpreterLimits(resolveShellLimits({ maxFsBytes: 2 ** 40 })).maxStringLength).toBe(2 ** 29 - 24);
  });

  it('ignores the retired counters and rejects negative values', () => {
    expect(resolveShellLimits({ maxSteps: 10 } as never)).toEqual(DEFAULT_SHELL_LIMITS);
    expect(() => resolveShellLimits({ maxTimeMs: -1 })).toThrow(/non-negative/);
    expect(limitExceeded('maxFsBytes', 100).data).toMatchObject({ limit: 'maxFsBytes', value: 100 });
  });
});
