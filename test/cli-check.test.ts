/** `layerlab build --check` and the build-check summary after a build, as docker build prints them. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import type { CliIo } from '../src/cli/command.ts';

async function cli(cwd: string, ...argv: string[]) {
  const o = { out: '', err: '' };
  const io: CliIo = {
    out: (s) => void (o.out += s), err: (s) => void (o.err += s), outBytes: () => {}, stdoutIsTty: false, cwd,
    now: () => Date.parse('2026-03-01T00:00:00Z'), readStdin: async () => new Uint8Array(),
  };
  const root = mkdtempSync(join(tmpdir(), 'layerlab-check-root-'));
  const code = await main(['--root', root, ...argv], io);
  return { code, ...o };
}

function context(dockerfile: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-check-'));
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

describe('build checks in the CLI', () => {
  it('--check prints each warning with its rule, URL and code frame, builds nothing, and exits 1', async () => {
    const dir = context('FROM busybox\nENV DB_PASSWORD=x\nCMD echo hi\n');
    const r = await cli(dir, 'build', '--check', '.');
    expect(r.code).toBe(1);
    expect(r.out).toContain('Check complete, 2 warnings have been found!');
    expect(r.out).toContain('WARN: SecretsUsedInArgOrEnv - https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/');
    expect(r.out).toContain('   3 | >>> CMD echo hi');
    const images = await cli(dir, 'images', '-q');
    expect(images.out).toBe('');
  });

  it('--check on a clean Dockerfile exits 0', async () => {
    const r = await cli(context('FROM busybox\nCMD ["sh"]\n'), 'build', '--check', '.');
    expect(r).toMatchObject({ code: 0, out: 'Check complete, no warnings found.\n' });
  });

  it('a build prints the warnings summary at the end; check=error=true fails the build', async () => {
    const ok = await cli(context('FROM busybox\nCMD echo hi\n'), 'build', '.');
    expect(ok.code).toBe(0);
    expect(ok.err).toContain(' 1 warning found (use docker --debug to expand):\n - JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 2)\n');
    const bad = await cli(context('# check=error=true\nFROM busybox\nCMD echo hi\n'), 'build', '.');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('lint violation found for rules: JSONArgsRecommended');
  });
});
