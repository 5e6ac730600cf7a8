import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError, type FlagSpec } from './args.ts';

const specs: FlagSpec[] = [
  { long: 'tag', short: 't', kind: 'list' },
  { long: 'file', short: 'f', kind: 'string' },
  { long: 'interactive', short: 'i', kind: 'bool' },
  { long: 'no-cache', kind: 'bool' },
];

describe('parseArgs', () => {
  it('reads long, short, = and repeated forms', () => {
    const p = parseArgs(['-t', 'a:1', '--tag=b', '-fDockerfile.dev', '--no-cache', '.'], specs);
    expect(p.flags.tag).toEqual(['a:1', 'b']);
    expect(p.flags.file).toBe('Dockerfile.dev');
    expect(p.flags['no-cache']).toBe(true);
    expect(p.positionals).toEqual(['.']);
  });
  it('stops at the first positional when asked (run IMAGE CMD…)', () => {
    const p = parseArgs(['-i', 'alpine', 'ls', '-la'], specs, { stopAtPositional: true });
    expect(p.flags.interactive).toBe(true);
    expect(p.positionals).toEqual(['alpine', 'ls', '-la']);
  });
  it('rejects unknown flags with pflag wording', () => {
    expect(() => parseArgs(['--nope'], specs)).toThrow(new UsageError('unknown flag: --nope'));
    expect(() => parseArgs(['-z'], specs)).toThrow("unknown shorthand flag: 'z' in -z");
    expect(() => parseArgs(['--file'], specs)).toThrow('flag needs an argument: --file');
  });
});

describe('parseDurationMs (--run-timeout)', () => {
  it('reads Go durations and bare seconds, and rejects the rest like docker', async () => {
    const { parseDurationMs } = await import('./args.ts');
    expect(parseDurationMs('90s', 'run-timeout')).toBe(90_000);
    expect(parseDurationMs('1m30s', 'run-timeout')).toBe(90_000);
    expect(parseDurationMs('500ms', 'run-timeout')).toBe(500);
    expect(parseDurationMs('2', 'run-timeout')).toBe(2000);
    expect(() => parseDurationMs('soon', 'run-timeout')).toThrow('invalid argument "soon" for "--run-timeout" flag: time: invalid duration "soon"');
    expect(() => parseDurationMs('5x', 'run-timeout')).toThrow(/invalid duration/);
  });
});
