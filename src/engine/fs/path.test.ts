import { describe, expect, it } from 'vitest';
import { cleanRelative, isCleanAbsolute, normalizePath, resolvePath } from './path.ts';

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

describe('isCleanAbsolute', () => {
  it('accepts dot-directories (.pnpm, .bin, ..foo) and refuses . and .. components anywhere', () => {
    for (const p of ['/', '/a', '/app/node_modules/.pnpm/a@1/node_modules/a', '/x/.bin/y', '/a/..foo', '/a/.../b', '/.a'])
      expect(isCleanAbsolute(p), p).toBe(true);
    for (const p of ['a', '/a/', '/a//b', '/.', '/..', '/a/.', '/a/..', '/a/./b', '/a/../b', '/.pnpm/../x', '/.bin/./x'])
      expect(isCleanAbsolute(p), p).toBe(false);
  });
});
