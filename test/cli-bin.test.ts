/** `npx layerlab` works straight after `npm ci`: the bin entry runs the TypeScript CLI through tsx. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.ts';

describe('the layerlab bin entry', () => {
  it('prints its version and an empty image list on a fresh --root', () => {
    const bin = join(ROOT, 'bin', 'layerlab.mjs');
    expect(execFileSync('node', [bin, '--version'], { encoding: 'utf8' })).toBe('layerlab version 0.1.0\n');
    const root = mkdtempSync(join(tmpdir(), 'layerlab-bin-'));
    const out = execFileSync('node', [bin, '--root', root, 'images'], { encoding: 'utf8' });
    expect(out).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\n$/);
  });
  it('exits like docker on an unknown command', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync('node', [join(ROOT, 'bin', 'layerlab.mjs'), 'nosuch'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = (e as { stderr: string }).stderr;
    }
    expect(status).toBe(1);
    expect(stderr).toContain("'nosuch' is not a layerlab command");
  });
});
