/**
 * `layerlab build --build-context NAME=VALUE` (BuildKit's named contexts): a local directory (its
 * own .dockerignore applied) for `COPY --from` and `RUN --mount=from`, an image
 * (`docker-image://`) that replaces `FROM NAME` or a stage of that name, with cache keys on content.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.ts';

let root: string;
let work: string;
const cli = (...argv: string[]) => runCli(root, work, argv);
const file = (p: string, s: string) => {
  mkdirSync(join(work, p, '..'), { recursive: true });
  writeFileSync(join(work, p), s);
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'layerlab-bc-'));
  work = mkdtempSync(join(tmpdir(), 'layerlab-bc-work-'));
  file('shared/lib.txt', 'shared library\n');
  file('shared/secret.key', 'do not ship\n');
  file('shared/.dockerignore', '*.key\n');
  file('app/Dockerfile', 'FROM base\nCOPY --from=shared . /opt/shared/\nRUN --mount=from=shared,target=/mnt cat /mnt/lib.txt > /copy.txt\n');
});

describe('layerlab build --build-context', () => {
  it('reads a local directory with its own .dockerignore, and replaces FROM NAME by a docker-image:// reference', async () => {
    const r = await cli('build', '--build-context', 'shared=./shared', '--build-context', 'base=docker-image://alpine:3.20', '-t', 'bc:1', 'app');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('[context shared] load from client');
    expect(r.err).toContain('[internal] load metadata for docker.io/library/alpine:3.20');
    expect(r.err).toMatch(/FROM docker\.io\/library\/alpine:3\.20@sha256:/);
    const run = await cli('run', '--rm', 'bc:1', 'sh', '-c', 'cat /etc/alpine-release /opt/shared/lib.txt /copy.txt; ls -a /opt/shared');
    expect(run.out).toMatch(/^3\.20\.\d+\nshared library\nshared library\n/);
    expect(run.out).not.toContain('secret.key');
  });

  it('keys the cache on the named context\'s content', async () => {
    const args = ['build', '--build-context', 'shared=./shared', '--build-context', 'base=docker-image://alpine:3.20', '-t', 'bc:2', 'app'];
    const again = await cli(...args);
    expect(again.err).toMatch(/\[2\/3\] COPY --from=shared[^\n]*\n#\d+ CACHED/);
    file('shared/lib.txt', 'changed\n');
    const changed = await cli(...args);
    expect(changed.code, changed.err).toBe(0);
    expect(changed.err).not.toMatch(/\[2\/3\] COPY --from=shared[^\n]*\n#\d+ CACHED/);
    // A change to an ignored file is not an input.
    file('shared/secret.key', 'still not shipped\n');
    const ignored = await cli(...args);
    expect(ignored.err).toMatch(/\[2\/3\] COPY --from=shared[^\n]*\n#\d+ CACHED/);
  });

  it('overrides a stage of the same name, and names match as normalised references', async () => {
    file('stage/Dockerfile', 'FROM busybox AS tools\nRUN echo from-stage > /origin\nFROM docker.io/library/alpine:latest\nCOPY --from=tools /etc /copied-etc/\n');
    const own = await cli('build', '-q', '-t', 'st:1', 'stage');
    expect(own.code, own.err).toBe(0);
    const r = await cli('build', '--build-context', 'tools=docker-image://alpine:3.20', '--build-context', 'alpine=docker-image://alpine:3.21', '-t', 'st:2', 'stage');
    expect(r.code, r.err).toBe(0);
    // The stage `tools` is not built: its name now means alpine:3.20.
    expect(r.err).not.toContain('echo from-stage');
    expect(r.err).toContain('load metadata for docker.io/library/alpine:3.21');
    const run = await cli('run', '--rm', 'st:2', 'sh', '-c', 'cat /etc/alpine-release /copied-etc/alpine-release');
    expect(run.out).toMatch(/^3\.21\.\d+\n3\.20\.\d+\n$/);
  });

  it('rejects bad values with buildx\'s messages, remote contexts as offline, and FROM a local directory clearly', async () => {
    const noEq = await cli('build', '--build-context', 'shared', 'app');
    expect(noEq).toMatchObject({ code: 1, err: 'ERROR: invalid context value: shared, expected key=value\n' });
    const missing = await cli('build', '--build-context', 'shared=./nope', 'app');
    expect(missing.err).toBe('ERROR: unable to prepare context shared: path "./nope" not found\n');
    const git = await cli('build', '--build-context', 'shared=https://github.com/x/y.git', 'app');
    expect(git.code).toBe(1);
    expect(git.err).toMatch(/not available offline/);
    const local = await cli('build', '--build-context', 'shared=./shared', '--build-context', 'base=./shared', 'app');
    expect(local.code).toBe(1);
    expect(local.err).toMatch(/FROM base: the build context "base" is a local directory/);
  });
});
