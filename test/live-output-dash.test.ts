/**
 * Live RUN output keeps the order a real container's log shows: the lab's stream of stdout and
 * stderr events, joined in delivery order, equals what the real dash on this machine writes when
 * both its streams go to one pipe (as `docker build` collects them), for scripts whose commands
 * each print to one stream (within one command the lab delivers stdout, then stderr; see
 * interpreter.ts liveOutputPlugin). Skipped with a message where /bin/dash is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createShell } from '../src/engine/shell/shell.ts';
import { makeRootfs } from '../src/engine/shell/test-support.ts';

const SCRIPTS = [
  'echo out; echo err >&2; echo out2',
  'echo a 2>/dev/null; cat /nope 2>/dev/null; echo st=$?; cat /nope; echo st=$?',
  'cat /nope 2>$D/e; echo "[$(cat $D/e)]"; echo x 1>&2; echo y',
  'cat /nope 2>&1 | tr a-z A-Z; cat /nope2 2>&1 >/dev/null | tr a-z A-Z; echo st=$?',
  'f() { echo fo; }; g() { echo ge >&2; }; f; g; g 2>/dev/null; f >/dev/null; g 2>&1 | tr a-z A-Z',
  '(echo so; echo se >&2); (echo so2; echo se2 >&2) 2>&1; { echo g >&2; } 2>/dev/null; echo end',
  'cat /nope | cat; echo x | cat /nope2; echo after',
  'for i in 1 2; do echo o$i; echo e$i >&2; done; if true; then echo ie >&2; fi 2>&1; printf "a\\nb\\n" | while read l; do echo "$l" >&2; echo "<$l>"; done',
  'nosuch; echo st=$?; echo x > $D/no/such; echo st=$?',
  'exec 2>$D/x; echo to-file >&2; cat /nope; exec 2>&1; cat $D/x; echo tail >&2',
  'set -x; echo out; echo err >&2; cat /nope; f() { echo in-f; }; f; echo next',
];

const hasDash = existsSync('/bin/dash');

describe('live stdout and stderr in the order dash writes them', () => {
  it.runIf(hasDash)('matches the real dash, script by script (both streams into one pipe)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'layerlab-live-'));
    try {
      for (const s of SCRIPTS) {
        const real = spawnSync('/bin/dash', ['-c', `D=${dir}; rm -rf ${dir}/*; ${s}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        // One pipe for both streams, as the builder's log collects them.
        const merged = spawnSync('/bin/sh', ['-c', `exec /bin/dash -c "$0" 2>&1`, `D=${dir}; rm -rf ${dir}/*; ${s}`], { encoding: 'utf8' });
        const fs = makeRootfs('debian');
        fs.mkdir('/d', { recursive: true });
        const got: string[] = [];
        const r = await createShell({ fs, mounts: 'build', now: () => 1 }).run(`D=/d; ${s}`, { onOutput: (_st, t) => got.push(t) });
        const norm = (t: string) => t.replace(/^(\/bin\/)?dash: /gm, '/bin/sh: ').replaceAll(dir, '/d');
        expect({ s, log: got.join('') }).toEqual({ s, log: norm(merged.stdout) });
        expect({ s, code: r.exitCode, stdout: r.stdout, stderr: r.stderr }).toEqual({ s, code: real.status, stdout: norm(real.stdout), stderr: norm(real.stderr) });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it.skipIf(hasDash)('needs /bin/dash to compare with (not installed here)', () => {
    expect(hasDash).toBe(false);
  });
});
