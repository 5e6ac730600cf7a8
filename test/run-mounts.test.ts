/**
 * RUN --mount: cache volumes persist across builds and steps but never enter a layer; tmpfs and
 * secrets exist only during the step; ssh fails offline. The cache-mount walk-through is pinned in
 * test/golden/builds/cache-mount.txt.
 */
import { describe, expect, it } from 'vitest';
import { expectGolden, testEngine } from './helpers.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const td = new TextDecoder();

describe('RUN --mount', () => {
  it('a cache mount shows the second build the first build\'s files while the image stays the same size', async () => {
    const engine = testEngine();
    const df = (n: string) =>
      `FROM alpine:3.22\nRUN --mount=type=cache,target=/var/cache/pkgs echo ${n} > /var/cache/pkgs/${n}.pkg && ls /var/cache/pkgs && echo ${n} > /installed.txt\n`;
    const out: string[] = [];
    const log = (label: string) => (e: { type: string; text?: string }) => {
      if (e.type === 'vertex-output') out.push(`${label}: ${e.text!.trimEnd()}`);
    };
    const a = await engine.builds.build({ dockerfile: df('one'), files: [], tags: ['cm:1'] }, log('build 1'));
    const b = await engine.builds.build({ dockerfile: df('two'), files: [], tags: ['cm:2'] }, log('build 2'));
    const [ia, ib] = [await engine.images.inspect('cm:1'), await engine.images.inspect('cm:2')];
    const paths = async (ref: string) => (await engine.inspector.merged(ref)).map((e) => e.path).filter((p) => p.startsWith('/var/cache/pkgs') || p === '/installed.txt');
    // The step of build 2 lists build 1's file; neither image holds the cache's files.
    expect(out.join('\n')).toMatch(/build 2: one\.pkg\s+two\.pkg/);
    expect(await paths('cm:1')).not.toContain('/var/cache/pkgs/one.pkg');
    expect(await paths('cm:2')).not.toContain('/var/cache/pkgs/one.pkg');
    expect(ia.Size).toBe(ib.Size);
    expectGolden(
      'builds/cache-mount.txt',
      [
        '# RUN --mount=type=cache,target=/var/cache/pkgs, built twice with different package names',
        ...out,
        `# image 1: ${a.imageId.slice(7, 19)} size ${ia.Size}, files: ${(await paths('cm:1')).join(' ')}`,
        `# image 2: ${b.imageId.slice(7, 19)} size ${ib.Size}, files: ${(await paths('cm:2')).join(' ')}`,
        '',
      ].join('\n'),
    );
  });

  it('shares a cache volume between steps by id, and keeps separate ids apart', async () => {
    const engine = testEngine();
    const df = 'FROM alpine:3.22\nRUN --mount=type=cache,id=shared,target=/a echo x > /a/f\nRUN --mount=type=cache,id=shared,target=/b cat /b/f > /seen-b\nRUN --mount=type=cache,id=other,target=/a ls /a > /seen-other\n';
    await engine.builds.build({ dockerfile: df, files: [], tags: ['share:1'] });
    expect(td.decode((await engine.inspector.readFile('share:1', '/seen-b')).bytes)).toBe('x\n');
    expect(td.decode((await engine.inspector.readFile('share:1', '/seen-other')).bytes)).toBe('');
  });

  it('a tmpfs mount is empty and writable during the step and leaves nothing in the layer', async () => {
    const engine = testEngine();
    await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nRUN --mount=type=tmpfs,target=/scratch echo t > /scratch/x && cat /scratch/x > /copied\n', files: [], tags: ['tmp:1'] });
    const paths = (await engine.inspector.merged('tmp:1')).map((e) => e.path);
    expect(paths).toContain('/copied');
    expect(paths.filter((p) => p.startsWith('/scratch/'))).toEqual([]);
  });

  it('a secret is readable at /run/secrets/ID during the step only, and is not part of the cache key', async () => {
    const engine = testEngine();
    const df = 'FROM alpine:3.22\nRUN --mount=type=secret,id=token wc -c < /run/secrets/token > /token-length\n';
    const first = await engine.builds.build({ dockerfile: df, files: [], tags: ['sec:1'], secrets: { token: enc('s3cret') } });
    expect(td.decode((await engine.inspector.readFile('sec:1', '/token-length')).bytes).trim()).toBe('6');
    const paths = (await engine.inspector.merged('sec:1')).map((e) => e.path);
    expect(paths.filter((p) => p.startsWith('/run/secrets'))).toEqual([]);
    // Another value for the same secret: the step is still cached (BuildKit keys secrets by id only).
    const again = await engine.builds.build({ dockerfile: df, files: [], tags: ['sec:2'], secrets: { token: enc('other-value') } });
    expect(again.imageId).toBe(first.imageId);
    expect(again.steps.find((s) => s.instruction.startsWith('RUN'))?.cached).toBe(true);
  });

  it('a secret as an environment variable, and a missing required secret fails', async () => {
    const engine = testEngine();
    await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nRUN --mount=type=secret,id=api,env=API_KEY test "$API_KEY" = k3y && echo ok > /ok\n', files: [], tags: ['senv:1'], secrets: { api: enc('k3y') } });
    expect(td.decode((await engine.inspector.readFile('senv:1', '/ok')).bytes)).toBe('ok\n');
    const err = await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nRUN --mount=type=secret,id=nope,required=true true\n', files: [] }).catch((e) => e);
    expect(err.message).toContain('secret nope not found');
  });

  it('type=ssh fails with an offline message', async () => {
    const engine = testEngine();
    const err = await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nRUN --mount=type=ssh true\n', files: [] }).catch((e) => e);
    expect(err.message).toMatch(/type=ssh.*offline/);
  });
});

describe('cache mounts as build cache', () => {
  it('count in system df and are removed by builder prune', async () => {
    const engine = testEngine();
    await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nRUN --mount=type=cache,target=/c printf 12345 > /c/five\n', files: [], tags: ['df:1'] });
    const df = await engine.containers.systemDf();
    expect(df.buildCache).toMatchObject({ total: 1, size: 5, reclaimable: 5 });
    expect(await engine.builds.pruneCache()).toBeGreaterThanOrEqual(1);
    expect((await engine.containers.systemDf()).buildCache).toMatchObject({ total: 0, size: 0 });
    // After the prune the volume starts empty again.
    await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nRUN --mount=type=cache,target=/c ls /c > /listing\n', files: [], tags: ['df:2'] });
    expect(td.decode((await engine.inspector.readFile('df:2', '/listing')).bytes)).toBe('');
  });
});

describe('bind mounts', () => {
  const files = (v: string) => [
    { path: 'src', type: 'dir' as const, mode: 0o755 },
    { path: 'src/app.txt', type: 'file' as const, mode: 0o644, content: enc(v) },
  ];

  it('mounts the context read-only, keeps it out of the layer, and keys the step by its content', async () => {
    const engine = testEngine();
    const df = 'FROM alpine:3.22\nRUN --mount=type=bind,source=src,target=/mnt/src cat /mnt/src/app.txt > /copied && (touch /mnt/src/new 2>/dev/null || echo ro > /ro)\n';
    const a = await engine.builds.build({ dockerfile: df, files: files('v1\n'), tags: ['bind:1'] });
    expect(td.decode((await engine.inspector.readFile('bind:1', '/copied')).bytes)).toBe('v1\n');
    expect(td.decode((await engine.inspector.readFile('bind:1', '/ro')).bytes)).toBe('ro\n');
    const paths = (await engine.inspector.merged('bind:1')).map((e) => e.path);
    expect(paths.filter((p) => p.startsWith('/mnt/src/'))).toEqual([]);
    const same = await engine.builds.build({ dockerfile: df, files: files('v1\n'), tags: ['bind:1b'] });
    expect(same.imageId).toBe(a.imageId);
    const changed = await engine.builds.build({ dockerfile: df, files: files('v2\n'), tags: ['bind:2'] });
    expect(changed.steps.find((s) => s.instruction.startsWith('RUN'))?.cached).toBeFalsy();
    expect(td.decode((await engine.inspector.readFile('bind:2', '/copied')).bytes)).toBe('v2\n');
  });

  it('mounts another stage with from=, read-write when asked (writes are discarded)', async () => {
    const engine = testEngine();
    const df = 'FROM alpine:3.22 AS build\nRUN mkdir /out && echo built > /out/artifact\nFROM alpine:3.22\nRUN --mount=type=bind,from=build,source=/out,target=/in,rw echo scribble > /in/tmp && cp /in/artifact /artifact\n';
    await engine.builds.build({ dockerfile: df, files: [], tags: ['bindstage:1'] });
    expect(td.decode((await engine.inspector.readFile('bindstage:1', '/artifact')).bytes)).toBe('built\n');
    expect((await engine.inspector.merged('bindstage:1')).map((e) => e.path).filter((p) => p.startsWith('/in/'))).toEqual([]);
  });
});
