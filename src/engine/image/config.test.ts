import { describe, expect, it } from 'vitest';
import { parseConfig, serializeConfig, type ImageConfig } from './config.ts';
import type { DiffID } from '../digest.ts';

const td = new TextDecoder();
const text = (c: ImageConfig) => td.decode(serializeConfig(c));
const D1 = `sha256:${'a'.repeat(64)}` as DiffID;

describe('serializeConfig (BuildKit exporter bytes)', () => {
  it('omits zero healthcheck durations and retries (Go omitempty)', () => {
    const c: ImageConfig = {
      architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [D1] },
      config: { Healthcheck: { Test: ['CMD-SHELL', 'true'], Interval: 30e9, Timeout: 3e9, StartPeriod: 0, StartInterval: 0, Retries: 0 } },
    };
    expect(text(c)).toContain('"Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":30000000000,"Timeout":3000000000}}');
    expect(text(c)).not.toMatch(/StartPeriod|StartInterval|Retries/);
  });

  it('writes top-level keys sorted and config fields in struct order, omitting empty ones', () => {
    const c: ImageConfig = {
      created: '2026-01-01T00:00:00Z', author: 'me', architecture: 'arm64', variant: 'v8', os: 'linux',
      config: { Shell: ['/bin/bash', '-c'], OnBuild: null, Cmd: [], Entrypoint: null, Labels: {}, ExposedPorts: {}, Volumes: {}, Env: [], ArgsEscaped: false, User: 'app', StopSignal: 'SIGINT' },
      rootfs: { type: 'layers', diff_ids: [D1] },
      history: [{ created: '2026-01-01T00:00:00Z', created_by: 'X', comment: 'buildkit.dockerfile.v0', empty_layer: false }],
    };
    expect(text(c)).toBe(
      '{"architecture":"arm64","author":"me","config":{"User":"app","StopSignal":"SIGINT","Shell":["/bin/bash","-c"]},"created":"2026-01-01T00:00:00Z",' +
        '"history":[{"created":"2026-01-01T00:00:00Z","created_by":"X","comment":"buildkit.dockerfile.v0"}],"os":"linux",' +
        `"rootfs":{"type":"layers","diff_ids":["${D1}"]},"variant":"v8"}`,
    );
  });

  it('puts ArgsEscaped after StopSignal and before Healthcheck, OnBuild and Shell', () => {
    const c: ImageConfig = {
      architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] },
      config: { Shell: ['sh'], OnBuild: ['RUN x'], Healthcheck: { Test: ['NONE'] }, ArgsEscaped: true, StopSignal: 'SIGTERM', Cmd: ['a'] },
    };
    const s = text(c);
    const order = ['"Cmd"', '"StopSignal"', '"ArgsEscaped"', '"Healthcheck"', '"OnBuild"', '"Shell"'].map((k) => s.indexOf(k));
    expect(order.every((x) => x > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('writes an image without layers or history as BuildKit does: config {}, diff_ids null, history null', () => {
    const c: ImageConfig = { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } };
    expect(text(c)).toBe('{"architecture":"amd64","config":{},"history":null,"os":"linux","rootfs":{"type":"layers","diff_ids":null}}');
    // …and reads those bytes back to the same bytes.
    expect(text(parseConfig(serializeConfig(c)))).toBe(text(c));
  });

  it('escapes <, > and & as Go does', () => {
    const c: ImageConfig = { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [D1] }, config: { Cmd: ['a && b > c'] } };
    expect(text(c)).toContain('"Cmd":["a \\u0026\\u0026 b \\u003e c"]');
  });
});
