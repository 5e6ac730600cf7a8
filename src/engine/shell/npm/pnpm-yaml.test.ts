import { describe, expect, it } from 'vitest';
import { parseYamlMap, yamlScalar } from './pnpm-yaml.ts';

describe('pnpm lockfile YAML', () => {
  it('quotes scalars as js-yaml does', () => {
    expect(yamlScalar('^4.21.0')).toBe('^4.21.0');
    expect(yamlScalar('*')).toBe("'*'");
    expect(yamlScalar('>= 0.6')).toBe("'>= 0.6'");
    expect(yamlScalar('@scope/x')).toBe("'@scope/x'");
    expect(yamlScalar('1.2')).toBe("'1.2'");
    expect(yamlScalar('1.2.3')).toBe('1.2.3');
    expect(yamlScalar('1.2.8000 || >= 1.4.16')).toBe('1.2.8000 || >= 1.4.16');
  });

  it('reads the YAML pnpm writes, block lists included', () => {
    const doc = parseYamlMap("a:\n  'b@1':\n    resolution: {integrity: sha512-x==, tarball: 'u'}\n    cpu: [x64, arm64]\n    transitivePeerDependencies:\n      - supports-color\n      - bufferutil\n  c@2: {}\n");
    expect(doc).toEqual({ a: { 'b@1': { resolution: { integrity: 'sha512-x==', tarball: 'u' }, cpu: ['x64', 'arm64'], transitivePeerDependencies: ['supports-color', 'bufferutil'] }, 'c@2': {} } });
    expect(() => parseYamlMap('just text\n')).toThrow();
  });
});
