/**
 * RUN output streams while the script runs: each command's stdout and stderr reach onOutput when
 * that command ends (through the streaming /proc/1/fd/1 and /proc/1/fd/2, see interpreter.ts
 * liveOutputPlugin), not all at once at the end; what the run returns is unchanged. Times come from a host-like clock
 * read at each delivery, never asserted as wall time.
 */
import { describe, expect, it } from 'vitest';
import { createShell } from './shell.ts';
import { makeRootfs } from './test-support.ts';

async function runLive(script: string, opts: { user?: { uid: number; gid: number; name: string; groups: number[] }; flavour?: 'alpine' | 'debian' } = {}) {
  const fs = makeRootfs(opts.flavour ?? 'alpine');
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

  it('echo a >&2; sleep 1; echo b >&2: stderr is delivered as printed too', async () => {
    const { r, events } = await runLive('echo a >&2; sleep 1; echo b >&2');
    expect(r.stderr).toBe('a\nb\n');
    expect(events.map((e) => [e.stream, e.text])).toEqual([['stderr', 'a\n'], ['stderr', 'b\n']]);
    expect(events[1].at - events[0].at).toBeGreaterThanOrEqual(900);
  });

  it('keeps the order of stdout and stderr lines across commands, loops, subshells and pipelines', async () => {
    const { r, events } = await runLive(
      'echo out; echo err >&2; echo out2\nfor i in 1 2; do echo o$i; echo e$i >&2; done\n(echo so; echo se >&2)\ncat /nope | cat; echo x | cat /nope2; echo after',
      { flavour: 'debian' },
    );
    expect(events.map((e) => `${e.stream[3]}:${e.text}`).join('')).toBe(
      'o:out\ne:err\no:out2\no:o1\ne:e1\no:o2\ne:e2\no:so\ne:se\n' +
        'e:cat: /nope: No such file or directory\ne:cat: /nope2: No such file or directory\no:after\n',
    );
    expect(r.stdout).toBe('out\nout2\no1\no2\nso\nafter\n');
    expect(r.stderr).toBe('err\ne1\ne2\nse\ncat: /nope: No such file or directory\ncat: /nope2: No such file or directory\n');
  });

  it("user redirections keep their meaning: 2>/dev/null, 2>file, >&2, 2>&1 | cmd, 2>&1 >/dev/null, functions, exec 2>file", async () => {
    const script = [
      'echo hidden 2>/dev/null >&2',
      'cat /nope 2>/tmp/e; echo "[$(cat /tmp/e)]"',
      'cat /nope 2>&1 | tr a-z A-Z',
      'cat /nope2 2>&1 >/dev/null | tr a-z A-Z',
      'f() { echo fo; echo fe >&2; }; f; f 2>/dev/null; f >/dev/null; f 2>&1 | tr a-z A-Z',
      '{ echo g >&2; } 2>/dev/null',
      'exec 2>/tmp/x; echo to-file >&2; exec 2>&1; cat /tmp/x',
    ].join('\n');
    const { r, events } = await runLive(script, { flavour: 'debian' });
    const plain = await createShell({ fs: makeRootfs('debian'), mounts: 'build', now: () => 1_700_000_000 }).run(script);
    expect({ stdout: r.stdout, stderr: r.stderr, code: r.exitCode }).toEqual({ stdout: plain.stdout, stderr: plain.stderr, code: plain.exitCode });
    expect(r.stdout).toBe(
      '[cat: /nope: No such file or directory]\nCAT: /NOPE: NO SUCH FILE OR DIRECTORY\n' +
        'CAT: /NOPE2: NO SUCH FILE OR DIRECTORY\nfo\nfo\nFO\nFE\nto-file\n',
    );
    expect(r.stderr).toBe('fe\nfe\n');
    // The script's `exec 2>…` turns live stderr off for the whole script: it arrives at the end.
    expect(events.filter((e) => e.stream === 'stderr').map((e) => e.text)).toEqual(['fe\nfe\n']);
    const noExec = await runLive(script.replace(/\nexec .*$/, ''), { flavour: 'debian' });
    expect(noExec.events.filter((e) => e.stream === 'stderr').map((e) => e.text)).toEqual(['fe\n', 'fe\n']);
    expect(events.filter((e) => e.stream === 'stdout').map((e) => e.text).join('')).toBe(r.stdout);
  });

  it('streams the image shell\'s diagnostics in its wording, and set -x traces before the output they trace', async () => {
    const { r, events } = await runLive('set -x\necho a\nnosuch\necho b');
    expect(r.exitCode).toBe(0);
    expect(events.map((e) => `${e.stream[3]}:${e.text}`).join('')).toBe('e:+ echo a\no:a\ne:+ nosuch\ne:/bin/sh: nosuch: not found\ne:+ echo b\no:b\n');
  });
});
