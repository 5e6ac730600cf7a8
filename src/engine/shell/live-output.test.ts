/**
 * RUN output streams while the script runs: each top-level command's stdout reaches onOutput when
 * that command ends (through the streaming /dev/stdout, see interpreter.ts liveOutputPlugin), not
 * all at once at the end; what the run returns is unchanged. Times come from a host-like clock
 * read at each delivery, never asserted as wall time.
 */
import { describe, expect, it } from 'vitest';
import { createShell } from './shell.ts';
import { makeRootfs } from './test-support.ts';

async function runLive(script: string, opts: { user?: { uid: number; gid: number; name: string; groups: number[] } } = {}) {
  const fs = makeRootfs('alpine');
  let t = 0;
  const shell = createShell({ fs, mounts: 'build', now: () => 1_700_000_000 });
  const events: { stream: string; text: string; at: number }[] = [];
  const started = performance.now();
  const r = await shell.run(script, { onOutput: (stream, text) => events.push({ stream, text, at: performance.now() - started + 0 * t++ }), user: opts.user });
  return { r, events };
}

describe('live RUN output', () => {
  it('echo a; sleep 1; echo b: `a` is delivered before the sleep, `b` after it', async () => {
    const { r, events } = await runLive('echo a; sleep 1; echo b');
    expect(r.stdout).toBe('a\nb\n');
    expect(events.map((e) => e.text)).toEqual(['a\n', 'b\n']);
    // a came out before the one-second sleep ran, b after it.
    expect(events[1].at - events[0].at).toBeGreaterThanOrEqual(900);
  });

  it('streams per loop iteration and per && step; pipes, captures and redirections keep their meaning', async () => {
    const { r, events } = await runLive(
      'for i in 1 2; do echo "it $i"; done\necho x && echo y\nv=$(echo captured)\necho hidden > /tmp/f\necho "$v" | tr a-z A-Z\ncd /tmp && cat f\necho err >&2\necho both 2>&1',
    );
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('it 1\nit 2\nx\ny\nCAPTURED\nhidden\nboth\n');
    expect(events.filter((e) => e.stream === 'stdout').map((e) => e.text)).toEqual(['it 1\n', 'it 2\n', 'x\n', 'y\n', 'CAPTURED\n', 'hidden\n', 'both\n']);
    expect(r.stderr).toBe('err\n');
    expect(r.cwd).toBe('/tmp');
  });

  it('keeps exit codes, set -e, PIPESTATUS and functions', async () => {
    const { r, events } = await runLive('f() { echo in-f; }\nf\nfalse | true; echo "ps=${PIPESTATUS[0]}"\nset -e\necho before\nfalse\necho never');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('in-f\nps=1\nbefore\n');
    expect(events.map((e) => e.text).join('')).toBe('in-f\nps=1\nbefore\n');
  });

  it('a command with output redirections still reads its piped stdin (echo x | tee a >/dev/null)', async () => {
    const fs = makeRootfs('alpine');
    const shell = createShell({ fs, mounts: 'build', now: () => 1_700_000_000 });
    const r = await shell.run('cd /tmp && echo x | tee a >/dev/null && cat a && printf "%s" in | cat > b && cat b', { stdin: 'ignored' });
    expect(r.stdout).toBe('x\nin');
  });

  it('without onOutput nothing changes (sessions and exec read the whole output)', async () => {
    const fs = makeRootfs('alpine');
    const shell = createShell({ fs, mounts: 'build', now: () => 1_700_000_000 });
    const r = await shell.run('echo a; echo b >&2; echo c');
    expect(r.stdout).toBe('a\nc\n');
    expect(r.stderr).toBe('b\n');
  });
});
