import { describe, expect, it } from 'vitest';
import { cleanRelative, normalizePath, resolvePath } from './path.ts';

describe('path cleaning (the engine\'s only copy)', () => {
  it('normalises absolute paths lexically and never leaves the root', () => {
    expect(normalizePath('/a//b/../c/./')).toBe('/a/c');
    expect(normalizePath('/../..')).toBe('/');
    expect(normalizePath('rel/x', '/work')).toBe('/work/rel/x');
  });

  it('resolves against a working directory, as the shell and WORKDIR do', () => {
    expect(resolvePath('/app', 'src/../lib')).toBe('/app/lib');
    expect(resolvePath('/app', '/etc')).toBe('/etc');
    expect(resolvePath('/', '..')).toBe('/');
  });

  it('cleans build-context paths like Go\'s filepath.Clean, relative form', () => {
    expect(cleanRelative('./src//app.js')).toBe('src/app.js');
    expect(cleanRelative('/')).toBe('.');
    expect(cleanRelative('a/../../b')).toBe('b');
  });
});
