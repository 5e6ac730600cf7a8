import { describe, expect, it } from 'vitest';
import { ScenarioError, fileBytes, validateScenario } from './format.ts';

const minimal = { version: 1, id: 'hello', title: 'Hello', dockerfile: 'FROM busybox\n' };
const bad = (input: unknown) => {
  try {
    validateScenario(input);
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  return 'accepted';
};

describe('scenario format', () => {
  it('accepts a minimal scenario and normalises dockerfile to dockerfiles', () => {
    expect(validateScenario(minimal)).toEqual({ version: 1, id: 'hello', title: 'Hello', dockerfiles: { Dockerfile: 'FROM busybox\n' }, files: [] });
  });

  it('accepts the full format: files with modes and encodings, build options, runs, clock, lesson', () => {
    const s = validateScenario({
      ...minimal,
      files: [
        { path: 'run.sh', content: '#!/bin/sh\necho hi\n', mode: '0755' },
        { path: './bin/blob', content: 'AAEC/w==', encoding: 'base64' },
      ],
      dockerignore: '*.log\n',
      build: { tags: ['hello:1'], buildArgs: { V: '2' }, noCache: false },
      run: [{ name: 'c1', commands: ['echo hi > /x'] }],
      clock: Date.UTC(2026, 0, 1),
      lesson: {
        steps: [
          { id: 'build', title: 'Build it', explain: 'Each filesystem instruction makes a layer.', check: { kind: 'build', layers: 2 } },
          { id: 'edit', title: 'Edit run.sh and rebuild', predict: { question: 'Which steps run again?', answer: 'COPY and above' }, explain: '…', check: { kind: 'step-cache', step: 2, cached: false } },
        ],
      },
      position: 1,
    });
    expect(s.files[0].mode).toBe(0o755);
    expect(s.files[1].path).toBe('bin/blob');
    expect([...fileBytes(s.files[1])]).toEqual([0, 1, 2, 255]);
    expect(s.lesson!.steps[1].check).toEqual({ kind: 'step-cache', step: 2, cached: false });
  });

  it('rejects malformed scenarios naming the field', () => {
    expect(bad([])).toBe('invalid scenario: $: a scenario is a JSON object');
    expect(bad({ ...minimal, version: 2 })).toContain('$.version: version 2 is newer than this lab reads (1)');
    expect(bad({ ...minimal, id: 'Hello World' })).toContain('$.id: must be lowercase');
    expect(bad({ version: 1, id: 'x', title: 'x' })).toContain('$.dockerfiles: must be an object of strings');
    expect(bad({ ...minimal, files: [{ path: '../etc/passwd', content: '' }] })).toContain('$.files[0].path: "../etc/passwd" must be a relative path');
    expect(bad({ ...minimal, files: [{ path: '/abs', content: '' }] })).toContain('$.files[0].path');
    expect(bad({ ...minimal, files: [{ path: 'a', content: 'x' }, { path: './a', content: 'y' }] })).toContain('$.files[1].path: "a" appears twice');
    expect(bad({ ...minimal, files: [{ path: 'a', content: 1 }] })).toContain('$.files[0].content: must be a string');
    expect(bad({ ...minimal, files: [{ path: 'a', content: 'x', mode: '0999' }] })).toContain('$.files[0].mode');
    expect(bad({ ...minimal, build: { file: 'Dockerfile.dev' } })).toContain('$.build.file: "Dockerfile.dev" is not one of');
    expect(bad({ ...minimal, lesson: { steps: [{ id: 'a', title: 't', explain: 'e', check: { kind: 'magic' } }] } })).toContain('$.lesson.steps[0].check.kind: must be one of');
    expect(bad({ ...minimal, position: 3 })).toContain('$.position');
    expect(bad({ ...minimal, extra: 1 })).toContain('$.extra: is not a field');
    expect(bad({ ...minimal, expect: 'fail' })).toContain('$.expect: must be an object');
    expect(bad({ ...minimal, expect: { error: 3 } })).toContain('$.expect.error: must be a string');
    expect(bad({ ...minimal, expect: { exitCode: 3 } })).toContain('$.expect.exitCode: is not a field of expect');
  });

  it('keeps what a test corpus case expects of its build', () => {
    expect(validateScenario({ ...minimal, expect: { error: 'exit code: 3' } }).expect).toEqual({ error: 'exit code: 3' });
  });
});
