/**
 * BuildKit's cache rules, one test each, with the reasons the lab gives for every miss.
 */
import { describe, expect, it } from 'vitest';
import { MemoryPersistence } from '../src/engine/host.ts';
import type { ContextFile } from '../src/engine/index.ts';
import { testEngine } from './helpers.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const file = (path: string, text: string, mode = 0o644, mtime = 0): ContextFile => ({ path, type: 'file', mode, content: enc(text), mtime });

const NODE_APP = `FROM alpine:3.22
WORKDIR /app
COPY package.json .
RUN echo installing && cp package.json deps.lock
COPY . .
CMD ["node", "server.js"]
`;

function outcome(res: { steps: { instruction: string; outcome: string; cached?: boolean; reason?: string }[] }) {
  return res.steps.filter((s) => s.outcome === 'layer' || s.outcome === 'empty').map((s) => `${s.instruction} | ${s.cached ? 'CACHED' : `MISS: ${s.reason}`}`);
}

describe('build cache', () => {
  const ctx = (server: string, pkg = '{"name":"app"}', extra: ContextFile[] = []) => [file('package.json', pkg), file('server.js', server), ...extra];

  it('reuses every step when nothing changed, and explains a first build', async () => {
    const engine = testEngine();
    const first = await engine.builds.build({ dockerfile: NODE_APP, files: ctx('v1') });
    expect(outcome(first)[0]).toBe('WORKDIR /app | MISS: first build of this step: nothing is cached for it on this parent layer yet');
    expect(outcome(first)[1]).toBe('COPY package.json . | MISS: a step before it was rebuilt, so its parent layer is new and it runs again');
    const second = await engine.builds.build({ dockerfile: NODE_APP, files: ctx('v1') });
    expect(outcome(second).every((l) => l.endsWith('CACHED'))).toBe(true);
    expect(second.imageId).toBe(first.imageId);
  });

  it('keys COPY on content: editing server.js rebuilds only from COPY . . on', async () => {
    const engine = testEngine();
    await engine.builds.build({ dockerfile: NODE_APP, files: ctx('v1') });
    const res = await engine.builds.build({ dockerfile: NODE_APP, files: ctx('v2') });
    const o = outcome(res);
    expect(o.slice(0, 3).every((l) => l.endsWith('CACHED'))).toBe(true);
    expect(o[3]).toMatch(/^COPY \. \. \| MISS: server\.js changed since the last build$/);
  });

  it('a change early in the file invalidates every later step (cache order matters)', async () => {
    const engine = testEngine();
    await engine.builds.build({ dockerfile: NODE_APP, files: ctx('v1') });
    const res = await engine.builds.build({ dockerfile: NODE_APP, files: ctx('v1', '{"name":"app","v":2}') });
    const o = outcome(res);
    expect(o[0]).toBe('WORKDIR /app | CACHED');
    expect(o[1]).toMatch(/^COPY package\.json \. \| MISS: package\.json changed since the last build/);
    expect(o[2]).toBe('RUN echo installing && cp package.json deps.lock | MISS: a step before it was rebuilt, so its parent layer is new and it runs again');
    expect(o[3]).toBe('COPY . . | MISS: a step before it was rebuilt, so its parent layer is new and it runs again');
  });

  it('ignores mtime but not mode', async () => {
    const engine = testEngine();
    const df = 'FROM alpine:3.22\nCOPY run.sh /run.sh\n';
    await engine.builds.build({ dockerfile: df, files: [file('run.sh', 'echo hi', 0o644, 100)] });
    const touched = await engine.builds.build({ dockerfile: df, files: [file('run.sh', 'echo hi', 0o644, 999999)] });
    expect(outcome(touched)[0]).toBe('COPY run.sh /run.sh | CACHED');
    const chmodded = await engine.builds.build({ dockerfile: df, files: [file('run.sh', 'echo hi', 0o755, 100)] });
    expect(outcome(chmodded)[0]).toMatch(/MISS: run\.sh changed since the last build/);
  });

  it('files excluded by .dockerignore never bust the cache', async () => {
    const engine = testEngine();
    const df = 'FROM alpine:3.22\nCOPY . /src\n';
    const a = await engine.builds.build({ dockerfile: df, files: [file('a.txt', 'a'), file('debug.log', 'one')], dockerignore: '*.log\n' });
    const b = await engine.builds.build({ dockerfile: df, files: [file('a.txt', 'a'), file('debug.log', 'two')], dockerignore: '*.log\n' });
    expect(outcome(b)[0]).toBe('COPY . /src | CACHED');
    expect(b.imageId).toBe(a.imageId);
  });

  it('files left out by COPY --exclude are not inputs of the step', async () => {
    const engine = testEngine();
    const df = 'FROM alpine:3.22\nCOPY --exclude=*.log logs /opt/logs\n';
    await engine.builds.build({ dockerfile: df, files: [file('logs/keep.txt', 'k'), file('logs/drop.log', 'one')] });
    const res = await engine.builds.build({ dockerfile: df, files: [file('logs/keep.txt', 'k'), file('logs/drop.log', 'two')] });
    expect(outcome(res)[0]).toMatch(/CACHED$/);
    const changed = await engine.builds.build({ dockerfile: df, files: [file('logs/keep.txt', 'K'), file('logs/drop.log', 'two')] });
    expect(outcome(changed)[0]).toMatch(/MISS: logs\/keep\.txt changed since the last build/);
  });

  it('keys RUN on the expanded environment: ENV and --build-arg values', async () => {
    const engine = testEngine();
    const df = 'FROM alpine:3.22\nARG FLAVOR=plain\nENV MODE=${FLAVOR}\nRUN echo "$MODE" > /mode\n';
    await engine.builds.build({ dockerfile: df, files: [] });
    const same = await engine.builds.build({ dockerfile: df, files: [] });
    expect(outcome(same)[0]).toMatch(/CACHED$/);
    const other = await engine.builds.build({ dockerfile: df, files: [], buildArgs: { FLAVOR: 'spicy' } });
    expect(outcome(other)[0]).toMatch(/MISS: same command, but FLAVOR changed since the last build \(plain → spicy\), MODE changed since the last build \(plain → spicy\)$/);
  });

  it('keeps RUN apt-get update cached until its text or parent changes', async () => {
    const engine = testEngine();
    const df = 'FROM alpine:3.22\nRUN echo "pretend: apt-get update" > /var/lists\n';
    await engine.builds.build({ dockerfile: df, files: [] });
    const later = await engine.builds.build({ dockerfile: df, files: [] });
    expect(outcome(later)[0]).toMatch(/CACHED$/);
  });

  it('--no-cache rebuilds everything and says so', async () => {
    const engine = testEngine();
    await engine.builds.build({ dockerfile: NODE_APP, files: ctx('v1') });
    const res = await engine.builds.build({ dockerfile: NODE_APP, files: ctx('v1'), noCache: true });
    expect(outcome(res).every((l) => l.includes('MISS: --no-cache'))).toBe(true);
  });

  it('is shared by every build of the store and survives a restart', async () => {
    const persistence = new MemoryPersistence();
    const first = await testEngine(persistence).builds.build({ dockerfile: NODE_APP, files: ctx('v1') });
    const restarted = testEngine(persistence);
    const res = await restarted.builds.build({ dockerfile: NODE_APP, files: ctx('v1') });
    expect(outcome(res).every((l) => l.endsWith('CACHED'))).toBe(true);
    expect(res.imageId).toBe(first.imageId);
    const otherFile = await restarted.builds.build({ dockerfile: NODE_APP.replace('CMD ["node", "server.js"]', 'CMD ["node", "main.js"]'), files: ctx('v1') });
    expect(outcome(otherFile).every((l) => l.endsWith('CACHED'))).toBe(true);
    expect(otherFile.imageId).not.toBe(first.imageId);
  });

  it('a layer deleted from the store is a miss with a reason', async () => {
    const engine = testEngine();
    const df = 'FROM alpine:3.22\nRUN echo one > /one\n';
    await engine.builds.build({ dockerfile: df, files: [], tags: ['one:1'] });
    await engine.images.remove(['one:1']);
    const res = await engine.builds.build({ dockerfile: df, files: [] });
    expect(outcome(res)[0]).toMatch(/MISS: the cached layer was deleted from the store/);
  });
});
