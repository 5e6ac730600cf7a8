import { describe, expect, it } from 'vitest';
import { evaluateCheck, type LabFacts } from './checks.ts';

const facts: LabFacts = {
  lastBuild: { ok: true, layers: 4, steps: [{ step: 2, cached: true }, { step: 4, cached: false }] },
  changedFiles: ['server.js'],
  containers: [{ name: 'c1', running: true, diff: [{ kind: 'C', path: '/etc/hosts' }, { kind: 'D', path: '/etc/motd' }] }],
  lastPush: { skipped: 3, pushed: 1 },
  images: ['docker.io/library/shop:latest', 'shop:latest'],
};

describe('lesson checks', () => {
  it('evaluates each kind on the lab facts', () => {
    expect(evaluateCheck({ kind: 'build', layers: 4 }, facts).ok).toBe(true);
    expect(evaluateCheck({ kind: 'build', layers: 3 }, facts)).toEqual({ ok: false, detail: 'the image has 4 layers, expected 3' });
    expect(evaluateCheck({ kind: 'step-cache', step: 4, cached: false }, facts).ok).toBe(true);
    expect(evaluateCheck({ kind: 'step-cache', step: 2, cached: false }, facts)).toEqual({ ok: false, detail: 'step 2 was cached; expected rebuilt' });
    expect(evaluateCheck({ kind: 'step-cache', step: 9, cached: true }, facts).ok).toBe(false);
    expect(evaluateCheck({ kind: 'file-changed', path: 'server.js' }, facts).ok).toBe(true);
    expect(evaluateCheck({ kind: 'container-diff', path: '/etc/motd', change: 'D' }, facts).ok).toBe(true);
    expect(evaluateCheck({ kind: 'container-diff', path: '/etc/motd', change: 'C' }, facts).ok).toBe(false);
    expect(evaluateCheck({ kind: 'container-running' }, facts).ok).toBe(true);
    expect(evaluateCheck({ kind: 'push-skipped', atLeast: 3 }, facts).ok).toBe(true);
    expect(evaluateCheck({ kind: 'push-skipped', atLeast: 4 }, facts).ok).toBe(false);
    expect(evaluateCheck({ kind: 'image', ref: 'shop' }, facts).ok).toBe(true);
    expect(evaluateCheck({ kind: 'build' }, { changedFiles: [], containers: [], images: [] })).toEqual({ ok: false, detail: 'no build yet' });
  });
});
