/**
 * The lab's `seq` and `yes` (src/engine/shell/commands/sequence.ts) print what GNU coreutils prints
 * on this machine for the same arguments; skipped with a message where /usr/bin/seq is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createShell } from '../src/engine/shell/shell.ts';
import { makeRootfs } from '../src/engine/shell/test-support.ts';

const CASES = ['seq 5', 'seq 2 2 7', 'seq -w 8 10', 'seq -s, 3', 'seq 1 0.5 2', 'seq -w -1 1', 'seq 5 -2 1', 'seq 0.1 0.1 0.5', 'seq 10 1', 'seq -w 1 0.5 3', 'seq 3 1 1',
  'yes | head -n 3', 'yes ab cd | head -c 11', 'yes | head -5', 'yes x | head --bytes=3', 'yes "" | head -n 2', 'seq 100000 | tail -n 2', 'seq -s " " 1 100000 | wc -c'];
const hasCoreutils = existsSync('/usr/bin/seq') && existsSync('/usr/bin/yes') && existsSync('/usr/bin/head');

describe('seq and yes', () => {
  it.runIf(hasCoreutils)('print what coreutils prints', async () => {
    for (const c of CASES) {
      const want = spawnSync('/bin/sh', ['-c', c], { encoding: 'utf8' });
      const r = await createShell({ fs: makeRootfs('debian'), mounts: 'build', now: () => 1 }).run(c);
      expect({ c, out: r.stdout, code: r.exitCode }).toEqual({ c, out: want.stdout, code: want.status });
    }
  });

  it.skipIf(hasCoreutils)('needs coreutils seq, yes and head to compare with (not installed here)', () => {
    expect(hasCoreutils).toBe(false);
  });
});
