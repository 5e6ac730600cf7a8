import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/index.ts';
import { fixedClock, MemoryPersistence, offlineFetcher, seededRandom, silentLog } from '../engine/host.ts';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validateScenario, type Scenario } from './format.ts';
import { scenarioBuildRequest } from './build.ts';
import { LinkTooLargeError, MAX_LINK_JSON_BYTES, decodeScenarioFragment, encodeScenarioFragment, scenarioLink } from './link.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const scenario: Scenario = validateScenario({
  version: 1,
  id: 'hello-layers',
  title: 'Hello layers',
  dockerfile: 'FROM busybox:1.37\nWORKDIR /app\nCOPY app.sh .\nRUN echo built > /app/info\nCMD ["/app/app.sh"]\n',
  files: [{ path: 'app.sh', content: '#!/bin/sh\necho "hello ✓"\n', mode: 0o755 }],
  clock: Date.UTC(2026, 4, 1),
  lesson: { steps: [{ id: 'b', title: 'Build it', explain: 'x', check: { kind: 'build' } }] },
  position: 1,
});

const b64url = (b: Uint8Array) => btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

describe('share links', () => {
  it('round-trips a scenario through the fragment, unicode and modes included', () => {
    const link = scenarioLink('https://lab.example/sub/path/?embed#old', scenario);
    expect(link.startsWith('https://lab.example/sub/path/?embed#s=')).toBe(true);
    expect(decodeScenarioFragment(new URL(link).hash)).toEqual(scenario);
    expect(decodeScenarioFragment('#other=1')).toBeUndefined();
  });

  it('compresses: a typical scenario makes a short link', () => {
    expect(encodeScenarioFragment(scenario).length).toBeLessThan(600);
  });

  it('refuses a workspace too large for a link, with the export alternative', () => {
    const big = { ...scenario, files: [{ path: 'data.txt', content: 'x'.repeat(MAX_LINK_JSON_BYTES) }] };
    expect(() => encodeScenarioFragment(big)).toThrow(LinkTooLargeError);
    expect(() => encodeScenarioFragment(big)).toThrow(/Export workspace file/);
  });

  it('rejects damaged and hostile links without expanding them', () => {
    expect(() => decodeScenarioFragment('#s=***')).toThrow(/damaged \(not base64url\)/);
    expect(() => decodeScenarioFragment('#s=AAAA')).toThrow(/damaged/);
    expect(() => decodeScenarioFragment(`#s=${b64url(deflateSync(new TextEncoder().encode('not json')))}`)).toThrow(/not JSON/);
    // 64 MB of spaces deflates to ~64 KB: the decoder stops at the bound.
    const bomb = b64url(deflateSync(new Uint8Array(64 << 20).fill(32), { level: 9 }));
    expect(() => decodeScenarioFragment(`#s=${bomb}`)).toThrow(/expands past/);
    const wrong = b64url(deflateSync(new TextEncoder().encode(JSON.stringify({ version: 1, id: 'x' }))));
    expect(() => decodeScenarioFragment(`#s=${wrong}`)).toThrow(/\$\.title/);
  });

  it('rebuilds a link to the same image ID with the clock it carries', async () => {
    const build = async (s: Scenario, clockMs: number) => {
      const engine = createEngine({
        clock: fixedClock(clockMs), random: seededRandom(1), persistence: new MemoryPersistence(), fetcher: offlineFetcher, log: silentLog,
        asset: async (p) => new Uint8Array(readFileSync(join(ROOT, 'public', p))),
      });
      return (await engine.builds.build(scenarioBuildRequest(s))).imageId;
    };
    const opened = decodeScenarioFragment(encodeScenarioFragment(scenario))!;
    // Two machines whose own clocks differ by a year: the link's clock decides.
    const first = await build(scenario, Date.UTC(2026, 0, 1));
    expect(await build(opened, Date.UTC(2027, 0, 1))).toBe(first);
    expect(await build({ ...opened, clock: opened.clock! + 86_400_000 }, Date.UTC(2027, 0, 1))).not.toBe(first);
  }, 60_000);
});
