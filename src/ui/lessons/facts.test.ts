import { describe, expect, it } from 'vitest';
import { evaluateCheck } from '../../scenario/checks.ts';
import { LESSONS_KEY, gatherFacts, readLessonsSaved, writeLessonsSaved, type FactSources } from './facts.ts';

const enc = new TextEncoder();
const base = (over: Partial<FactSources> = {}): FactSources => ({
  build: { since: 0, count: 0, phase: 'idle', layerCount: 0, steps: [] },
  original: [{ path: 'server.js', content: 'listen()\n' }, { path: 'package.json', content: '{}\n' }],
  current: (p) => (p === 'server.js' ? enc.encode('listen()\n') : p === 'package.json' ? enc.encode('{}\n') : undefined),
  containers: [],
  images: [],
  ...over,
});

describe('lesson facts', () => {
  it('count only builds finished after the lesson opened, with their cache results', () => {
    expect(gatherFacts(base({ build: { since: 2, count: 2, phase: 'done', layerCount: 4, steps: [] } })).lastBuild).toBeUndefined();
    expect(gatherFacts(base({ build: { since: 2, count: 3, phase: 'building', layerCount: 0, steps: [] } })).lastBuild).toBeUndefined();
    const f = gatherFacts(base({ build: { since: 2, count: 3, phase: 'done', layerCount: 5, steps: [{ step: 1 }, { step: 4, cached: true }, { step: 5, cached: false }] } }));
    expect(f.lastBuild).toEqual({ ok: true, layers: 5, steps: [{ step: 4, cached: true }, { step: 5, cached: false }] });
    expect(evaluateCheck({ kind: 'step-cache', step: 5, cached: false }, f).ok).toBe(true);
    expect(evaluateCheck({ kind: 'step-cache', step: 4, cached: false }, f)).toEqual({ ok: false, detail: 'step 4 was cached; expected rebuilt' });
    expect(gatherFacts(base({ build: { since: 0, count: 1, phase: 'failed', layerCount: 0, steps: [] } })).lastBuild?.ok).toBe(false);
  });

  it('tell edited and deleted context files from untouched ones by their bytes', () => {
    const f = gatherFacts(base({ current: (p) => (p === 'server.js' ? enc.encode('listen(1)\n') : undefined) }));
    expect(f.changedFiles).toEqual(['server.js', 'package.json']);
    expect(gatherFacts(base()).changedFiles).toEqual([]);
  });

  it('read docker diff lines, containers, the last push and image references', () => {
    const f = gatherFacts(base({
      containers: [{ name: 'cow1', status: 'running', diff: ['C /data', 'C /data/big.log', 'D /data/old-name.txt'] }, { name: 'old', status: 'exited', diff: [] }],
      lastPush: { skipped: 3, pushed: 1 },
      images: [{ repository: 'report-b', tag: 'latest', imageId: 'sha256:ab' }],
    }));
    expect(f.containers[0]).toEqual({ name: 'cow1', running: true, diff: [{ kind: 'C', path: '/data' }, { kind: 'C', path: '/data/big.log' }, { kind: 'D', path: '/data/old-name.txt' }] });
    expect(evaluateCheck({ kind: 'container-diff', path: '/data/old-name.txt', change: 'D' }, f).ok).toBe(true);
    expect(evaluateCheck({ kind: 'push-skipped', atLeast: 3 }, f).ok).toBe(true);
    expect(evaluateCheck({ kind: 'image', ref: 'report-b' }, f).ok).toBe(true);
  });

  it('saved progress round-trips; unknown lessons and corrupt entries are dropped', () => {
    const m = new Map<string, string>();
    const storage = { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
    writeLessonsSaved(storage, { open: 'a', progress: { a: { position: 2, passed: ['x'], revealed: ['x'] }, gone: { position: 0, passed: [], revealed: [] } } });
    expect(readLessonsSaved(storage, ['a', 'b'])).toEqual({ open: 'a', progress: { a: { position: 2, passed: ['x'], revealed: ['x'] } } });
    expect(readLessonsSaved(storage, ['b'])).toEqual({ open: undefined, progress: {} });
    m.set(LESSONS_KEY, '{broken');
    expect(readLessonsSaved(storage, ['a'])).toEqual({ progress: {} });
    m.set(LESSONS_KEY, JSON.stringify({ progress: { a: { position: 'x' } } }));
    expect(readLessonsSaved(storage, ['a']).progress).toEqual({});
  });
});
