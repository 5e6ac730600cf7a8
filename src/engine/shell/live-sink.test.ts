import { describe, expect, it } from 'vitest';
import { LiveSink } from './live-sink.ts';

function sink(max = 1000) {
  const got: string[] = [];
  const s = new LiveSink((st, t) => got.push(`${st[3]}:${t}`), max, (t) => t.replace(/^bash: /gm, '/bin/sh: '));
  return { s, got };
}

describe('LiveSink', () => {
  it('delivers in arrival order, holding a command\'s stdout only until its stderr or the next command', () => {
    const { s, got } = sink();
    s.write(1, '');
    s.write(1, 'a\n');
    expect(got).toEqual([]);
    s.write(1, ''); // the next command opens its streams: `a` is out before it runs
    expect(got).toEqual(['o:a\n']);
    s.write(2, 'bash: x: not found\n');
    s.write(1, ''); // next command
    s.write(1, 'b\n');
    s.flush();
    expect(got).toEqual(['o:a\n', 'e:/bin/sh: x: not found\n', 'o:b\n']);
    expect([s.stdout, s.stderr]).toEqual(['a\nb\n', '/bin/sh: x: not found\n']);
  });

  it('puts set -x trace lines ahead of the output of the command they trace', () => {
    const { s, got } = sink();
    s.write(1, 'a\n');
    s.write(2, '+ echo a\nwarn\n');
    s.write(1, '');
    expect(got).toEqual(['e:+ echo a\n', 'o:a\n', 'e:warn\n']);
    // `echo err >&2`: its stdout reaches the stderr stream first, then its stderr (the trace).
    s.write(2, 'err\n');
    s.write(2, '+ echo err\n');
    s.flush();
    expect(got.slice(3)).toEqual(['e:+ echo err\n', 'e:err\n']);
  });

  it('counts stdout and stderr together against the limit and stops delivering past it', () => {
    const { s, got } = sink(10);
    s.write(2, '12345\n');
    s.write(1, '1234\n');
    expect(s.overflow).toBe(true);
    s.write(2, 'x\n');
    s.flush();
    expect(got).toEqual(['e:12345\n']);
    expect(s.stdout + s.stderr).toBe('12345\n');
  });
});
