/**
 * Builder behaviours beyond the sample corpus: ONBUILD triggers, --target, images built earlier as
 * bases, limits and located errors, and the progress formats docker prints.
 */
import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '../src/engine/index.ts';
import { classicProgress, plainProgress } from '../src/engine/index.ts';
import { testEngine } from './helpers.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('builder features', () => {
  it('runs ONBUILD triggers in the child build and clears them from the child config', async () => {
    const engine = testEngine();
    await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nONBUILD COPY hello.txt /from-trigger.txt\nONBUILD RUN echo ran > /trigger-ran\n', files: [], tags: ['parent:1'] });
    const parent = await engine.images.inspect('parent:1');
    expect(parent.Config.OnBuild).toEqual(['COPY hello.txt /from-trigger.txt', 'RUN echo ran > /trigger-ran']);
    const child = await engine.builds.build({ dockerfile: 'FROM parent:1\nRUN cat /from-trigger.txt /trigger-ran\n', files: [{ path: 'hello.txt', type: 'file', mode: 0o644, content: enc('hi\n') }], tags: ['child:1'] });
    expect(child.steps.filter((s) => s.outcome === 'layer').map((s) => s.instruction)).toEqual(['COPY hello.txt /from-trigger.txt', 'RUN echo ran > /trigger-ran']);
    // The child's own RUN only reads: it succeeds (the trigger files exist) and adds no layer.
    expect(child.steps.find((s) => s.instruction.startsWith('RUN cat'))?.outcome).toBe('empty');
    expect((await engine.images.inspect('child:1')).Config.OnBuild).toBeNull();
  });

  it('builds only the stages --target needs', async () => {
    const engine = testEngine();
    const df = 'FROM alpine:3.22 AS base\nRUN echo base > /b\nFROM base AS test\nRUN exit 1\nFROM base AS release\nRUN echo rel > /r\n';
    const res = await engine.builds.build({ dockerfile: df, files: [], target: 'base', tags: ['t:base'] });
    expect(res.steps.map((s) => s.instruction)).toEqual(['FROM alpine:3.22 AS base', 'RUN echo base > /b']);
    await expect(engine.builds.build({ dockerfile: df, files: [], target: 'nope' })).rejects.toThrow('target stage "nope" could not be found');
    const rel = await engine.builds.build({ dockerfile: df, files: [], target: 'release' });
    expect(rel.steps.some((s) => s.instruction === 'RUN exit 1')).toBe(false);
  });

  it('uses an image built earlier as a base, sharing its layers', async () => {
    const engine = testEngine();
    await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nRUN echo 1 > /one\n', files: [], tags: ['base:1'] });
    await engine.builds.build({ dockerfile: 'FROM base:1\nRUN echo 2 > /two\n', files: [], tags: ['app:1'] });
    const base = await engine.images.inspect('base:1');
    const app = await engine.images.inspect('app:1');
    expect(app.RootFS.Layers.slice(0, 2)).toEqual(base.RootFS.Layers);
    expect(app.RootFS.Layers).toHaveLength(3);
  });

  it('leaves the previous image dangling when a tag moves', async () => {
    const engine = testEngine();
    const a = await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nRUN echo a > /f\n', files: [], tags: ['moving:1'] });
    await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nRUN echo b > /f\n', files: [], tags: ['moving:1'] });
    const rows = await engine.images.list();
    expect(rows.find((r) => r.imageId === a.imageId)).toMatchObject({ repository: '<none>', tag: '<none>' });
  });

  it('stops a runaway RUN at the request\'s time limit with a message, and names the line', async () => {
    const engine = testEngine();
    const err = await engine.builds.build({ dockerfile: 'FROM alpine:3.22\n\nRUN while true; do :; done\n', files: [], runTimeoutMs: 300 }).catch((e) => e);
    expect(err.code).toBe('shell/limit-exceeded');
    expect(err.message).toMatch(/time limit \(maxTimeMs = 0\.3 s\).*--run-timeout/);
    expect(err.range.start.line).toBe(3);
  });

  it('keeps RUN\'s /dev, /proc and /etc/hosts mounts out of the layer, and refuses writes to BuildKit\'s read-only /etc/hosts', async () => {
    const engine = testEngine();
    const res = await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nRUN echo x > /dev/null && cat /proc/self/status >/dev/null && ls /dev/shm\n', files: [] });
    expect(res.steps.find((s) => s.instruction.startsWith('RUN'))?.outcome).toBe('empty');
    const err = await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nRUN echo "10.0.0.1 db" >> /etc/hosts\n', files: [] }).catch((e) => e);
    expect(err.message).toMatch(/did not complete successfully/);
  });

  it('reports a missing base image like BuildKit', async () => {
    const engine = testEngine();
    const err = await engine.builds.build({ dockerfile: 'FROM nosuchimage:9\n', files: [] }).catch((e) => e);
    expect(err.message).toContain('failed to resolve source metadata for docker.io/library/nosuchimage:9');
    expect(err.range.start.line).toBe(1);
  });

  it('resolves --chown names through the image and fails clearly on unknown users', async () => {
    const engine = testEngine();
    const err = await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nCOPY --chown=ghost:ghost a /a\n', files: [{ path: 'a', type: 'file', mode: 0o644, content: enc('a') }] }).catch((e) => e);
    expect(err.message).toContain("can't find uid for user ghost");
  });

  it('prints BuildKit plain progress and the classic builder output', async () => {
    const engine = testEngine();
    const df = 'FROM alpine:3.22\nENV GREETING=hello\nRUN echo $GREETING\nCMD ["sh"]\n';
    const plain = plainProgress();
    let out = '';
    await engine.builds.build({ dockerfile: df, files: [], tags: ['greet:1'] }, (e: BuildEvent) => (out += plain(e)));
    expect(out).toMatch(/^#0 building with "default" instance using docker driver\n\n#1 \[internal\] load build definition from Dockerfile\n#1 transferring dockerfile: \d+B done\n#1 DONE 0\.0s\n/);
    expect(out).toMatch(/#\d+ \[1\/2\] FROM docker\.io\/library\/alpine:3\.22@sha256:[0-9a-f]{64}\n#\d+ CACHED\n/);
    expect(out).toMatch(/#(\d+) \[2\/2\] RUN echo hello\n#\1 \d+\.\d{3} hello\n#\1 DONE \d+\.\ds\n/);
    expect(out).toMatch(/#\d+ exporting to image\n#\d+ exporting layers done\n#\d+ writing image sha256:[0-9a-f]{64} done\n#\d+ naming to docker\.io\/library\/greet:1 done\n/);
    const classic = classicProgress();
    let c = '';
    await engine.builds.build({ dockerfile: df, files: [], tags: ['greet:1'] }, (e: BuildEvent) => (c += classic(e)));
    expect(c).toMatch(/^Step 1\/4 : FROM alpine:3\.22\n ---> [0-9a-f]{12}\nStep 2\/4 : ENV GREETING=hello\n ---> Using cache\n ---> [0-9a-f]{12}\nStep 3\/4 : RUN echo \$GREETING\n ---> Using cache\n ---> [0-9a-f]{12}\nStep 4\/4 : CMD \["sh"\]\n ---> Using cache\n ---> [0-9a-f]{12}\nSuccessfully built [0-9a-f]{12}\nSuccessfully tagged greet:1\n$/);
  });

  it('gives files created by RUN the uid/gid of USER', async () => {
    const engine = testEngine();
    const res = await engine.builds.build({ dockerfile: 'FROM alpine:3.22\nRUN adduser -D -u 1234 dev\nUSER dev\nRUN echo x > /tmp/owned\n', files: [], tags: ['own:1'] });
    const layers = await engine.images.layers(res.imageId);
    const entries = await engine.images.layerEntries(layers[layers.length - 1].diffId);
    expect(entries.find((e) => e.path === '/tmp/owned')).toMatchObject({ uid: 1234, gid: 1234 });
  });
});

describe('cancellation', () => {
  it('cancels a running build between steps with BuildKit wording', async () => {
    const engine = testEngine();
    const df = 'FROM alpine:3.22\nRUN echo one > /1\nRUN echo two > /2\nRUN echo three > /3\n';
    const p = engine.builds.build({ dockerfile: df, files: [], buildId: 'b1' }, (e: BuildEvent) => {
      if (e.type === 'step' && e.instruction === 'RUN echo one > /1') void engine.builds.cancel('b1');
    });
    await expect(p).rejects.toThrow('canceled');
    expect(await engine.builds.cancel('b1')).toBe(false);
  });
});

describe('engine events for the lab', () => {
  it('reports container copy-ups and registry transfers to watchers', async () => {
    const engine = testEngine();
    const seen: { source: string; type?: string; action?: string; event?: { type: string; path: string; bytes?: number } }[] = [];
    const id = await engine.events.watch((e) => seen.push(e as never));
    await engine.registries.pull('alpine:3.22');
    expect(seen.some((e) => e.source === 'registry' && e.action === 'downloaded')).toBe(true);
    await engine.containers.run({ image: 'alpine:3.22', cmd: ['sh', '-c', 'echo more >> /etc/motd; rm /etc/issue'] });
    const fs = seen.filter((e) => e.source === 'container').map((e) => e.event!);
    // Appending to a lower file copies the whole file up first; deleting a lower file leaves a whiteout.
    expect(fs.find((e) => e.type === 'copied-up' && e.path === '/etc/motd')?.bytes).toBeGreaterThan(0);
    expect(fs.some((e) => e.type === 'whited-out' && e.path === '/etc/issue')).toBe(true);
    await engine.events.unwatch(id);
    const before = seen.length;
    await engine.registries.pull('alpine:3.22');
    expect(seen.length).toBe(before);
  });
});
