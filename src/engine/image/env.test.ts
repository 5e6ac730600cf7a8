import { describe, expect, it } from 'vitest';
import { envKey, envMap, envRecord, mergeEnv } from './env.ts';

describe('Env lists', () => {
  it('reads entries with later ones winning, as runc does', () => {
    expect(envKey('PATH=/bin:/usr/bin')).toBe('PATH');
    expect(envKey('EMPTY')).toBe('EMPTY');
    expect([...envMap(['A=1', 'B=x=y', 'A=2', 'FLAG', '=nokey'])]).toEqual([['A', '2'], ['B', 'x=y'], ['FLAG', '']]);
    expect(envRecord(undefined)).toEqual({});
  });

  it('replaces a variable in place and appends new ones (ENV, run -e, commit --change ENV)', () => {
    const image = ['PATH=/bin', 'LANG=C'];
    expect(mergeEnv(image, ['LANG=C.UTF-8', 'APP=1'])).toEqual(['PATH=/bin', 'LANG=C.UTF-8', 'APP=1']);
    expect(image).toEqual(['PATH=/bin', 'LANG=C']);
    expect(mergeEnv(['FLAG'], ['FLAG=on'])).toEqual(['FLAG=on']);
  });
});
