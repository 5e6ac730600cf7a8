import { describe, expect, it } from 'vitest';
import { compareVersions, evaluateMarker, normalizeName, parseRequirement, satisfies } from './pep508.ts';

const env = (v: string, extras: string[] = []) => ({ python_version: v, python_full_version: `${v}.4`, extras });

describe('PEP 508 requirements', () => {
  it('parses names, extras, specifiers and markers as pip prints them', () => {
    expect(parseRequirement('Werkzeug>=3.1.0')).toMatchObject({ name: 'Werkzeug', key: 'werkzeug', specifier: '>=3.1.0', text: 'Werkzeug>=3.1.0', extras: [] });
    expect(parseRequirement('uvicorn[standard] >= 0.12.0 ; extra == "all"')).toMatchObject({ key: 'uvicorn', extras: ['standard'], specifier: '>=0.12.0', marker: 'extra == "all"', text: 'uvicorn[standard]>=0.12.0' });
    expect(parseRequirement('typing_extensions (>=4.6.0,!=4.7.0)')).toMatchObject({ key: 'typing-extensions', specifier: '>=4.6.0,!=4.7.0' });
    expect(parseRequirement('git+https://example.com/x.git')).toBeUndefined();
    expect(parseRequirement('flask 3.0')).toBeUndefined();
    expect(normalizeName('Zope.Interface__x')).toBe('zope-interface-x');
  });

  it('orders versions as PEP 440 does', () => {
    const sorted = ['1.0', '1.0.post1', '1.0rc1', '1.0a1', '1.0b2', '0.9', '1.0.dev3', '1.1', '1.0.0'].sort(compareVersions);
    expect(sorted).toEqual(['0.9', '1.0.dev3', '1.0a1', '1.0b2', '1.0rc1', '1.0', '1.0.0', '1.0.post1', '1.1']);
    expect(compareVersions('2.2.3+dfsg', '2.2.3')).toBe(0);
    expect(compareVersions('10.0', '9.9')).toBeGreaterThan(0);
  });

  it('matches specifiers, including ~= and wildcards', () => {
    expect(satisfies('3.1.1', '>=3.1.0')).toBe(true);
    expect(satisfies('3.1.1', '>=2,<3')).toBe(false);
    expect(satisfies('2.2.4', '~=2.2')).toBe(true);
    expect(satisfies('3.0', '~=2.2')).toBe(false);
    expect(satisfies('1.4.2', '~=1.4.0')).toBe(true);
    expect(satisfies('1.5.0', '~=1.4.0')).toBe(false);
    expect(satisfies('4.2.28', '==4.2.*')).toBe(true);
    expect(satisfies('4.3', '!=4.2.*')).toBe(true);
    expect(satisfies('3.1.1', '==3.1.1')).toBe(true);
    expect(satisfies('3.1.1', '==3.1')).toBe(false);
    expect(satisfies('4.7.0', '>=4.6.0,!=4.7.0')).toBe(false);
  });

  it('evaluates markers for the image\'s Python on Linux, and extras', () => {
    expect(evaluateMarker("python_version < '3.10'", env('3.12'))).toBe(false);
    expect(evaluateMarker('python_version >= "3.12"', env('3.12'))).toBe(true);
    expect(evaluateMarker('python_version == "3.11"', env('3.12'))).toBe(false);
    expect(evaluateMarker('"3.11" <= python_version', env('3.12'))).toBe(true);
    expect(evaluateMarker("platform_system == 'Windows'", env('3.12'))).toBe(false);
    expect(evaluateMarker("sys_platform != 'win32' and implementation_name == 'cpython'", env('3.12'))).toBe(true);
    expect(evaluateMarker('(sys_platform == "darwin" or sys_platform == "linux") and python_version < "3.13"', env('3.12'))).toBe(true);
    expect(evaluateMarker('extra == "async"', env('3.12'))).toBe(false);
    expect(evaluateMarker('extra == "async"', env('3.12', ['async']))).toBe(true);
    expect(evaluateMarker('python_version >= "3.8" and extra == "Standard"', env('3.12', ['standard']))).toBe(true);
  });
});
