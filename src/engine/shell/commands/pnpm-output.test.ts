import { describe, expect, it } from 'vitest';
import { plusBar, pnpmError, prettyMs, warningBox } from './pnpm-output.ts';

describe('pnpm reporter pieces', () => {
  it('prints the Done time as pretty-ms does', () => {
    expect(prettyMs(812)).toBe('812ms');
    expect(prettyMs(1580)).toBe('1.5s');
    expect(prettyMs(2000)).toBe('2s');
    expect(prettyMs(61_250)).toBe('1m 1.2s');
  });

  it('draws the Packages bar in 80 columns (printPlusesAndMinuses)', () => {
    expect(plusBar(3, 0)).toBe('+++');
    expect(plusBar(200, 0)).toBe('+'.repeat(80));
    expect(plusBar(150, 50)).toBe('+'.repeat(60) + '-'.repeat(20));
  });

  it('frames errors and the ignored-builds warning as pnpm 10.34.9 printed them off a terminal', () => {
    expect(pnpmError('ERR_PNPM_X', 'Boom', 'Hint')).toBe('\u2009ERR_PNPM_X\u2009 Boom\n\nHint\n');
    // Captured from the real pnpm 10.34.9 (`pnpm add esbuild@0.27` off a TTY).
    const real = [
      '╭ Warning ─────────────────────────────────────────────────────────────────────╮',
      '│                                                                              │',
      '│   Ignored build scripts: esbuild@0.27.7.                                     │',
      '│   Run "pnpm approve-builds" to pick which dependencies should be allowed     │',
      '│   to run scripts.                                                            │',
      '│                                                                              │',
      '╰──────────────────────────────────────────────────────────────────────────────╯',
    ].join('\n') + '\n';
    expect(warningBox('Warning', 'Ignored build scripts: esbuild@0.27.7.\nRun "pnpm approve-builds" to pick which dependencies should be allowed to run scripts.')).toBe(real);
  });
});
