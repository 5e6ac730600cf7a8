import { describe, expect, test } from 'vitest';
import { familiarRefString, familiarString, normalizeRefString, normalizeReference, parseReference } from './reference.ts';

describe('image references (distribution/reference)', () => {
  test.each([
    ['alpine', 'docker.io/library/alpine:latest', 'alpine:latest'],
    ['alpine:3.20', 'docker.io/library/alpine:3.20', 'alpine:3.20'],
    ['library/alpine', 'docker.io/library/alpine:latest', 'alpine:latest'],
    ['index.docker.io/library/alpine', 'docker.io/library/alpine:latest', 'alpine:latest'],
    ['user/app:v2', 'docker.io/user/app:v2', 'user/app:v2'],
    ['localhost:5000/app:v1', 'localhost:5000/app:v1', 'localhost:5000/app:v1'],
    ['localhost/app', 'localhost/app:latest', 'localhost/app:latest'],
    ['ghcr.io/o/r/x:1.0', 'ghcr.io/o/r/x:1.0', 'ghcr.io/o/r/x:1.0'],
    [`busybox@sha256:${'a'.repeat(64)}`, `docker.io/library/busybox@sha256:${'a'.repeat(64)}`, `busybox@sha256:${'a'.repeat(64)}`],
    [`app:v1@sha256:${'b'.repeat(64)}`, `docker.io/library/app:v1@sha256:${'b'.repeat(64)}`, `app:v1@sha256:${'b'.repeat(64)}`],
  ])('%s', (input, full, familiar) => {
    expect(normalizeRefString(input)).toBe(full);
    expect(familiarRefString(full)).toBe(familiar);
    expect(familiarString(normalizeReference(input))).toBe(familiar);
  });

  test.each([
    ['Alpine', 'invalid reference format: repository name (library/Alpine) must be lowercase'],
    ['user/App', 'invalid reference format: repository name (user/App) must be lowercase'],
    ['alpine:', 'invalid reference format'],
    ['alpine:-x', 'invalid reference format'],
    [':latest', 'invalid reference format'],
    ['a//b', 'invalid reference format'],
    ['alpine@sha256:123', 'invalid reference format'],
    ['a'.repeat(64), `invalid repository name (${'a'.repeat(64)}), cannot specify 64-byte hexadecimal strings`],
  ])('rejects %s', (input, msg) => {
    expect(() => parseReference(input)).toThrow(msg);
  });

  test('a capitalised first component is a domain', () => {
    expect(parseReference('Example.com/app').domain).toBe('Example.com');
  });
});
