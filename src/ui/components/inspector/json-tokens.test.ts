import { describe, expect, it } from 'vitest';
import { fieldHelp, tokenizeJson } from './json-tokens.ts';

describe('JSON tokens', () => {
  it('keeps every character and knows each value’s field path', () => {
    const text = JSON.stringify({ schemaVersion: 2, config: { digest: 'sha256:ab', size: 12 }, layers: [{ digest: 'sha256:cd' }], x: [true, null, -1.5e3] }, null, 2);
    const t = tokenizeJson(text);
    expect(t.map((x) => x.text).join('')).toBe(text);
    expect(t.find((x) => x.text === '"sha256:ab"')).toMatchObject({ kind: 'string', path: 'config.digest' });
    expect(t.find((x) => x.text === '"sha256:cd"')).toMatchObject({ kind: 'string', path: 'layers.digest' });
    expect(t.find((x) => x.text === '12')).toMatchObject({ kind: 'number', path: 'config.size' });
    expect(t.filter((x) => x.kind === 'literal').map((x) => x.text)).toEqual(['true', 'null']);
    expect(fieldHelp('config.digest')).toContain('image ID');
    expect(fieldHelp('rootfs.diff_ids')).toContain('UNCOMPRESSED');
  });
});
