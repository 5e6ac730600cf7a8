import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SyntheticContent, bytesContent, sameContent, textContent } from './content.ts';

describe('file content', () => {
  it('synthetic content is deterministic, sized, chunked, and compresses like binaries (2–3×)', () => {
    const a = new SyntheticContent(3 * 256 * 1024 + 17, 42);
    const bytes = a.read();
    expect(bytes.length).toBe(a.size);
    expect(new SyntheticContent(a.size, 42).read()).toEqual(bytes);
    expect(new SyntheticContent(a.size, 43).read()).not.toEqual(bytes);
    const chunks = [...a.chunks(1 << 18)];
    expect(chunks.map((c) => c.length)).toEqual([1 << 18, 1 << 18, 1 << 18, 17]);
    const ratio = bytes.length / gzipSync(bytes, { level: 6 }).length;
    expect(ratio).toBeGreaterThan(2);
    expect(ratio).toBeLessThan(3);
  });
  it('compares contents cheaply by identity and by bytes', () => {
    expect(sameContent(textContent('x'), textContent('x'))).toBe(true);
    expect(sameContent(textContent('x'), textContent('y'))).toBe(false);
    expect(sameContent(bytesContent(new Uint8Array([1])), new SyntheticContent(1, 1))).toBe(false);
  });
});
