import { describe, expect, it } from 'vitest';
import { LESSONS } from '../../scenario/lessons/index.ts';
import { KEY, KEY_V1, restoreWorkspace, serializeWorkspace } from './workspace.svelte.ts';

const storage = (entries: Record<string, string>) => ({ getItem: (k: string) => entries[k] ?? null });

describe('workspace persistence', () => {
  it('round-trips text and binary files, modes and empty folders', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0xff, 1]);
    const state = {
      dockerfile: 'FROM alpine\n', tag: 't:1', folders: ['empty'],
      files: [
        { path: 'run.sh', bytes: new TextEncoder().encode('#!/bin/sh\necho hé\n'), mode: 0o755 },
        { path: 'img/logo.png', bytes: png, mode: 0o644 },
      ],
    };
    const raw = serializeWorkspace(state);
    expect(JSON.parse(raw).files).toEqual([
      { path: 'run.sh', mode: 0o755, text: '#!/bin/sh\necho hé\n' },
      { path: 'img/logo.png', mode: 0o644, base64: 'iVBORwD/AQ==' },
    ]);
    expect(restoreWorkspace(storage({ [KEY]: raw }))).toEqual(state);
  });

  it('migrates the text-only v1 format (mode 0644) and falls back to the first starter scenario', () => {
    const v1 = JSON.stringify({ dockerfile: 'FROM a', tag: 'x', files: { '/src//app.js': 'x' } });
    expect(restoreWorkspace(storage({ [KEY_V1]: v1 }))).toEqual({
      dockerfile: 'FROM a', tag: 'x', folders: [], files: [{ path: 'src/app.js', bytes: new TextEncoder().encode('x'), mode: 0o644 }],
    });
    expect(restoreWorkspace(storage({ [KEY]: '{not json' })).dockerfile).toBe(LESSONS[0].dockerfiles.Dockerfile);
    expect(restoreWorkspace(undefined).tag).toBe(LESSONS[0].build!.tags![0]);
  });
});
