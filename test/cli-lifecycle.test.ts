/**
 * `kill`, `pause`/`unpause`, `rename`, `top`, `wait`, `attach`, `stats --no-stream`,
 * `system prune` and `image prune -a` end to end through `main`, one engine per command over an
 * on-disk store (as separate `layerlab` processes are), with docker's wording and exit codes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import type { CliIo } from '../src/cli/command.ts';
import { DiskPersistence } from '../src/cli/host-node.ts';
import { ImageStore } from '../src/engine/image/store.ts';
import { putAlpine, putTeachingImages } from '../src/engine/container/test-support.ts';
import { ROOT } from './helpers.ts';

let root: string;
const cli = async (...argv: string[]) => {
  const o = { out: '', err: '' };
  const io: CliIo = { out: (s) => void (o.out += s), err: (s) => void (o.err += s), outBytes: () => {}, stdoutIsTty: false, cwd: root, now: () => Date.now(), readStdin: async () => new Uint8Array() };
  const code = await main(['--root', root, ...argv], io);
  return { code, ...o };
};
const idOf = async (name: string) => (await cli('inspect', '-f', '{{.Id}}', name)).out.trim();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'layerlab-life-'));
  const store = await ImageStore.open(new DiskPersistence(root));
  await putTeachingImages(store, await putAlpine(store, readFileSync(join(ROOT, 'public/catalog/alpine-3.22.json'))));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('container lifecycle commands', () => {
  it('pause / unpause: ps shows (Paused), exec is refused, docker\'s errors on repeats', async () => {
    expect((await cli('run', '-d', '--name', 'web', 'web:1')).code).toBe(0);
    const id = await idOf('web');
    expect(await cli('pause', 'web')).toMatchObject({ code: 0, out: 'web\n' });
    expect((await cli('ps', '--format', '{{.Names}} {{.State}} {{.Status}}')).out).toMatch(/^web paused Up .* \(Paused\)\n$/);
    expect((await cli('inspect', '-f', '{{.State.Status}} {{.State.Paused}}', 'web')).out).toBe('paused true\n');
    expect(await cli('exec', 'web', 'true')).toMatchObject({ code: 1, err: 'Error response from daemon: Container web is paused, unpause the container before exec\n' });
    expect(await cli('pause', 'web')).toMatchObject({ code: 1, err: `Error response from daemon: Container ${id} is already paused\n` });
    expect(await cli('kill', '-s', 'TERM', 'web')).toMatchObject({ code: 1, err: `Error response from daemon: cannot kill container: web: Container ${id} is paused. Unpause the container before stopping or killing\n` });
    expect(await cli('unpause', 'web')).toMatchObject({ code: 0, out: 'web\n' });
    expect(await cli('unpause', 'web')).toMatchObject({ code: 1, err: `Error response from daemon: Container ${id} is not paused\n` });
    expect((await cli('exec', 'web', 'echo', 'hi')).out).toBe('hi\n');
  });

  it('rename: the new name works everywhere, conflicts and same-name are refused', async () => {
    expect((await cli('create', '--name', 'other', 'alpine', 'true')).code).toBe(0);
    expect(await cli('rename', 'web', 'other')).toMatchObject({ code: 1, err: expect.stringContaining('Conflict. The container name "/other" is already in use by container') });
    expect(await cli('rename', 'web', 'web')).toMatchObject({ code: 1, err: 'Error response from daemon: Renaming a container with the same name as its current name\n' });
    expect(await cli('rename', 'web', 'site')).toMatchObject({ code: 0, out: '' });
    expect((await cli('inspect', '-f', '{{.Name}}', 'site')).out).toBe('/site\n');
    expect((await cli('ps', '--format', '{{.Names}}')).out).toBe('site\n');
  });

  it('top lists ps -ef columns; stats --no-stream prints docker\'s table', async () => {
    const t = await cli('top', 'site');
    const [head, row] = t.out.trimEnd().split('\n');
    expect(head).toMatch(/^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
    expect(row).toMatch(/^root\s+\d+\s+\d+\s+0\s+\d\d:\d\d\s+\?\s+00:00:00\s+python3 -m http\.server 8000$/);
    expect(await cli('top', 'other')).toMatchObject({ code: 1, err: expect.stringMatching(/^Error response from daemon: container [0-9a-f]{64} is not running\n$/) });
    const s = await cli('stats', '--no-stream');
    const lines = s.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^[0-9a-f]{12}\s+site\s+0\.00%\s+0B \/ 2GiB\s+0\.00%\s+0B \/ 0B\s+0B \/ \S+\s+1$/);
  });

  it('kill: a PID-1 server without handlers ignores HUP and TERM, KILL gives 137; wait blocks until then', async () => {
    expect(await cli('kill', '-s', 'SIGFOO', 'site')).toMatchObject({ code: 1, err: 'Error response from daemon: Invalid signal: SIGFOO\n' });
    expect(await cli('kill', '-s', 'HUP', 'site')).toMatchObject({ code: 0, out: 'site\n' });
    // python as PID 1 installs no TERM handler, so the kernel's default (terminate) does not apply to it.
    expect(await cli('kill', '-s', '15', 'site')).toMatchObject({ code: 0, out: 'site\n' });
    expect((await cli('inspect', '-f', '{{.State.Status}}', 'site')).out).toBe('running\n');
    // wait blocks until another process ends the container.
    const waiting = cli('wait', 'site');
    await new Promise((r) => setTimeout(r, 300));
    expect(await cli('kill', 'site')).toMatchObject({ code: 0, out: 'site\n' });
    expect(await waiting).toMatchObject({ code: 0, out: '137\n' });
    expect(await cli('kill', 'site')).toMatchObject({ code: 1, err: expect.stringMatching(/^Error response from daemon: cannot kill container: site: container [0-9a-f]{64} is not running\n$/) });
    expect((await cli('start', 'site')).code).toBe(0);
    expect(await cli('kill', 'site')).toMatchObject({ code: 0, out: 'site\n' });
    expect((await cli('wait', 'site')).out).toBe('137\n');
    expect((await cli('ps', '-a', '--format', '{{.Names}} {{.Status}}', '--no-trunc')).out).toMatch(/site Exited \(137\)/);
  });

  it('attach: a stopped container is refused as docker does (a running one: test/cli-live-output.test.ts)', async () => {
    expect(await cli('attach', 'site')).toMatchObject({ code: 1, err: 'You cannot attach to a stopped container, start it first\n' });
  });

  it('system prune -a --volumes -f: docker\'s sections and total; the warning lists what goes', async () => {
    const ask = await cli('system', 'prune', '-a', '--volumes');
    expect(ask.out).toBe(
      'WARNING! This will remove:\n  - all stopped containers\n  - all anonymous volumes not used by at least one container\n  - all networks not used by at least one container\n  - all images without at least one container associated to them\n  - all build cache\n\nAre you sure you want to continue? [y/N] ',
    );
    const ids = (await cli('ps', '-a', '-q', '--no-trunc')).out;
    const r = await cli('system', 'prune', '-a', '--volumes', '-f');
    expect(r.code).toBe(0);
    const section = r.out.match(/^Deleted Containers:\n((?:[0-9a-f]{64}\n)+)\n/);
    expect(section?.[1].split('\n').sort()).toEqual(ids.split('\n').sort());
    expect(r.out).toMatch(/Deleted Volumes:\n[0-9a-f]{64}\n\n/); // web:1's anonymous /var/cache/web volume
    expect(r.out).toMatch(/Deleted Images:\nuntagged: alpine:latest\n(.*\n)*deleted: sha256:[0-9a-f]{64}\n/);
    expect(r.out).toMatch(/\nTotal reclaimed space: \d[\d.]*[kMG]?B\n$/);
    expect((await cli('images', '-q')).out).toBe('');
    expect((await cli('ps', '-aq')).out).toBe('');
    expect((await cli('system', 'prune', '-f')).out).toBe('Total reclaimed space: 0B\n');
  });
});
