/**
 * The container CLI end to end over an on-disk store, one engine per command (as separate
 * `layerlab` processes would be), with docker's wording and exit codes. The teaching scenarios'
 * `diff`, `ps -a -s` and `system df -v` outputs are compared with golden files under
 * test/golden/containers/ (regenerate with UPDATE_GOLDEN=1, which fails under CI=true); container
 * and image IDs are masked (same length, so the table columns stay aligned), times come from a
 * controlled clock.
 *
 * The commands are driven through the same steps as src/cli/main.ts (find, parseArgs, run,
 * formatError) because main.ts's command list is the integrator's to extend.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as containerCommands from '../src/cli/commands/containers.ts';
import { parseArgs } from '../src/cli/args.ts';
import type { CliIo, Command } from '../src/cli/command.ts';
import { DiskPersistence } from '../src/cli/host-node.ts';
import { formatError } from '../src/cli/main.ts';
import { createEngine } from '../src/engine/index.ts';
import { offlineFetcher, silentLog } from '../src/engine/host.ts';
import { ROOT } from './helpers.ts';
import { putAlpine, putTeachingImages } from '../src/engine/container/test-support.ts';
import { LayerlabError } from '../src/engine/errors.ts';
import { seededRandom, type Clock } from '../src/engine/host.ts';
import { ImageStore } from '../src/engine/image/store.ts';

const COMMANDS = Object.values(containerCommands) as Command[];
const GOLDEN = join(import.meta.dirname, 'golden/containers');
const ALPINE = readFileSync(join(import.meta.dirname, '../public/catalog/alpine-3.22.json'));

let nowMs = Date.parse('2026-10-01T00:00:00Z');
const tick = (seconds: number) => void (nowMs += seconds * 1000);
const clock: Clock = { now: () => nowMs, monotonic: () => nowMs };
const random = seededRandom(2026);
let root: string;
let work: string;

async function cli(argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const o = { out: '', err: '' };
  const io: CliIo = {
    out: (s) => void (o.out += s),
    err: (s) => void (o.err += s),
    outBytes: (b) => void (o.out += `<${b.length} bytes>`),
    stdoutIsTty: true,
    cwd: work,
    now: () => nowMs,
    readStdin: async () => new TextEncoder().encode(stdin),
  };
  let cmd: Command | undefined;
  let rest: string[] = [];
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    cmd = COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
    if (cmd) {
      rest = argv.slice(words);
      break;
    }
  }
  if (!cmd) throw new Error(`no command ${argv.join(' ')}`);
  const args = parseArgs(rest, cmd.flags, { stopAtPositional: cmd.stopAtPositional });
  const persistence = new DiskPersistence(root);
  // The real facade over the on-disk store, with the test's clock and randomness.
  const engine = createEngine({ clock, random, persistence, fetcher: offlineFetcher, log: silentLog, asset: async (p) => new Uint8Array(readFileSync(join(ROOT, 'public', p))) });
  try {
    const code = (await cmd.run({ engine: engine as never, args, io, root })) ?? 0;
    return { code, ...o };
  } catch (e) {
    io.err(formatError(e) + '\n');
    return { code: e instanceof LayerlabError && typeof e.data.exitCode === 'number' ? e.data.exitCode : 1, ...o };
  }
}

/** IDs masked with `#` of the same length. */
const mask = (s: string) => s.replace(/\b[0-9a-f]{64}\b/g, '#'.repeat(64)).replace(/\b[0-9a-f]{12}\b/g, '#'.repeat(12));

function golden(name: string, text: string) {
  const file = join(GOLDEN, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN) {
    if (process.env.CI === 'true') throw new Error('UPDATE_GOLDEN must not be set under CI');
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, text);
    return;
  }
  expect(text).toBe(readFileSync(file, 'utf8'));
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'layerlab-ctr-'));
  work = mkdtempSync(join(tmpdir(), 'layerlab-ctr-work-'));
  const store = await ImageStore.open(new DiskPersistence(root));
  await putTeachingImages(store, await putAlpine(store, ALPINE));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('layerlab CLI (containers): teaching scenarios', () => {
  it('sets up: a 50 MB copy-up, a whiteout, two containers of one image, a server, a volume', async () => {
    expect(await cli(['run', '--name', 'bigmod', 'bigfile:1', 'sh', '-c', 'touch /opt/big.bin && rm /opt/notes.txt'])).toMatchObject({ code: 0, out: '' });
    tick(3);
    expect((await cli(['run', '--name', 'delonly', 'bigfile:1', 'rm', '/opt/notes.txt'])).code).toBe(0);
    tick(3);
    expect(await cli(['run', '--name', 'twin1', 'alpine', 'sh', '-c', 'echo one > /one'])).toMatchObject({ code: 0 });
    expect(await cli(['run', '--name', 'twin2', 'alpine', 'sh', '-c', 'echo two > /two; cat /two'])).toMatchObject({ code: 0, out: 'two\n' });
    tick(3);
    const web = await cli(['run', '-d', '--name', 'web', '-p', '8080:8000', 'web:1']);
    expect(web.out).toMatch(/^[0-9a-f]{64}\n$/);
    expect(await cli(['volume', 'create', 'appdata'])).toMatchObject({ code: 0, out: 'appdata\n' });
    expect(await cli(['run', '--name', 'writer', '-v', 'appdata:/data', 'alpine', 'sh', '-c', 'echo persisted > /data/file'])).toMatchObject({ code: 0 });
    tick(125);
  });

  it('diff: a copy-up is C, a deleted lower file is D (golden)', async () => {
    const a = await cli(['diff', 'bigmod']);
    const b = await cli(['diff', 'delonly']);
    const c = await cli(['diff', 'writer']);
    golden('diff', `$ layerlab diff bigmod\n${a.out}$ layerlab diff delonly\n${b.out}$ layerlab diff writer\n${c.out}`);
    expect(a.out).toBe('C /opt\nC /opt/big.bin\nD /opt/notes.txt\n');
  });

  it('ps -a -s: the copy-up costs 50MB, the whiteout nothing, the image is shared (golden)', async () => {
    const r = await cli(['ps', '-a', '-s']);
    golden('ps-size', mask(r.out));
    expect(r.out).toMatch(/bigmod\s+50MB \(virtual [\d.]+MB\)/);
    expect(r.out).toMatch(/delonly\s+0B \(virtual /);
    expect(r.out).toContain('0.0.0.0:8080->8000/tcp');
    expect(r.out).toContain('"sh -c touch /opt/bi…"'); // Path + Args joined, unquoted, as docker
    const running = await cli(['ps']);
    expect(running.out.trimEnd().split('\n')).toHaveLength(2);
    expect(running.out).toMatch(/Up 2 minutes/);
  });

  it('system df and system df -v: shared and unique image sizes (golden)', async () => {
    const s = await cli(['system', 'df']);
    const v = await cli(['system', 'df', '-v']);
    golden('system-df', mask(`$ layerlab system df\n${s.out}\n$ layerlab system df -v\n${v.out}`));
    expect(s.out).toMatch(/^Containers\s+6\s+1\s+50MB/m);
  });

  it('commit, then run from the committed image: the whiteout and the copy-up come along (golden)', async () => {
    const c = await cli(['commit', '-m', 'touched the big file', '-c', 'CMD ["cat", "/opt/notes.txt"]', 'bigmod', 'bigsnap:1']);
    expect(c.out).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    const r = await cli(['run', '--name', 'fromsnap', 'bigsnap:1']);
    expect(r.code).toBe(1);
    const d = await cli(['diff', 'fromsnap']);
    const ps = await cli(['ps', '-a', '-s', '--no-trunc']);
    golden('commit-run', mask(`$ layerlab run --name fromsnap bigsnap:1\n${r.out}${r.err}exit ${r.code}\n$ layerlab diff fromsnap\n${d.out}$ layerlab ps -a -s --no-trunc\n${ps.out}`));
    expect(r.err).toBe('cat: /opt/notes.txt: No such file or directory\n');
    expect(d.out).toBe('');
  });

  it('rm keeps volume data: a new container sees it; volume rm refuses while in use (golden)', async () => {
    const busy = await cli(['volume', 'rm', 'appdata']);
    const rm = await cli(['rm', 'writer']);
    const ls = await cli(['volume', 'ls']);
    const again = await cli(['run', '--rm', '-v', 'appdata:/data', 'alpine', 'cat', '/data/file']);
    const inspect = await cli(['volume', 'inspect', 'appdata']);
    const gone = await cli(['volume', 'rm', 'appdata']);
    golden(
      'volumes',
      mask(`$ layerlab volume rm appdata\n${busy.err}$ layerlab rm writer\n${rm.out}$ layerlab volume ls\n${ls.out}$ layerlab run --rm -v appdata:/data alpine cat /data/file\n${again.out}$ layerlab volume inspect appdata\n${inspect.out}$ layerlab volume rm appdata\n${gone.out}`),
    );
    expect(busy.code).toBe(1);
    expect(again.out).toBe('persisted\n');
    expect(gone.code).toBe(0);
  });
});

describe('layerlab CLI (containers): errors and the rest', () => {
  it('uses docker\'s errors and exit codes', async () => {
    const rmRunning = await cli(['rm', 'web']);
    expect(rmRunning).toMatchObject({ code: 1, err: 'Error response from daemon: cannot remove container "web": container is running: stop the container before removing or force remove\n' });
    const execStopped = await cli(['exec', 'delonly', 'ls']);
    expect(execStopped.err).toMatch(/^Error response from daemon: container [0-9a-f]{64} is not running\n$/);
    const conflict = await cli(['run', '--name', 'web', 'alpine']);
    expect(conflict.code).toBe(125);
    expect(conflict.err).toMatch(/^layerlab: Error response from daemon: Conflict\. The container name "\/web" is already in use by container "[0-9a-f]{64}"\. You have to remove \(or rename\) that container to be able to reuse that name\.\nSee 'layerlab run --help'\.\n$/);
    const pulled = await cli(['run', '--rm', 'busybox:1.37.0', 'echo', 'pulled first']);
    expect(pulled.code).toBe(0);
    expect(pulled.out).toBe('pulled first\n');
    expect(pulled.err).toMatch(/^Unable to find image 'busybox:1\.37\.0' locally\n1\.37\.0: Pulling from library\/busybox\n[0-9a-f]{12}: Pull complete\nDigest: sha256:[0-9a-f]{64}\nStatus: Downloaded newer image for busybox:1\.37\.0\n$/);
    const unknownImage = await cli(['run', 'nosuch:1']);
    expect(unknownImage.code).toBe(125);
    expect(unknownImage.err).toBe(
      "Unable to find image 'nosuch:1' locally\nlayerlab: Error response from daemon: pull access denied for nosuch, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\nSimulation: layerlab's offline Docker Hub catalog has no nosuch:1 (its images and tags: public/catalog/index.json).\nSee 'layerlab run --help'.\n",
    );
    const missing = await cli(['run', 'alpine', 'nosuch']);
    expect(missing.code).toBe(127);
    expect(missing.err).toContain('exec: "nosuch": executable file not found in $PATH');
    expect(await cli(['logs', 'nope'])).toMatchObject({ code: 1, err: 'Error response from daemon: No such container: nope\n' });
  });

  it('exec, logs, stop, restart, inspect', async () => {
    expect(await cli(['exec', '-u', 'nobody', '-w', '/tmp', 'web', 'sh', '-c', 'id -u; pwd'])).toMatchObject({ code: 0, out: '65534\n/tmp\n' });
    expect((await cli(['logs', 'web'])).out).toContain('Serving HTTP on 0.0.0.0 port 8000');
    // -t: each line prefixed with RFC3339NanoFixed; --tail 1: only the last line.
    const stamped = (await cli(['logs', '-t', 'web'])).out.split('\n').filter(Boolean);
    expect(stamped.length).toBeGreaterThan(0);
    for (const l of stamped) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /);
    const all = (await cli(['logs', 'web'])).out.split(/(?<=\n)/).filter(Boolean);
    expect((await cli(['logs', '--tail', '1', 'web'])).out).toBe(all.at(-1));
    expect((await cli(['logs', '--tail', 'x', 'web'])).code).toBe(125);
    expect(await cli(['stop', 'web'])).toMatchObject({ code: 0, out: 'web\n' });
    const insp = JSON.parse((await cli(['container', 'inspect', 'web'])).out);
    expect(insp[0]).toMatchObject({ Name: '/web', Path: 'python3', Args: ['-m', 'http.server', '8000'], State: { Status: 'exited', ExitCode: 137, Running: false } });
    expect(await cli(['restart', 'web'])).toMatchObject({ code: 0, out: 'web\n' });
    expect((await cli(['ps'])).out).toMatch(/Up Less than a second/);
  });

  it('run -it reads lines from stdin into the container shell', async () => {
    const r = await cli(['run', '-it', '--name', 'shell', 'alpine', 'sh'], 'cd /etc\necho "in $(pwd)"\nexit 3\necho never\n');
    expect(r).toMatchObject({ code: 3, out: 'in /etc\n' });
    const st = JSON.parse((await cli(['container', 'inspect', 'shell'])).out)[0].State;
    expect([st.Status, st.ExitCode]).toEqual(['exited', 3]);
  });

  it('cp both ways and export', async () => {
    writeFileSync(join(work, 'hello.txt'), 'hello from the host\n');
    expect((await cli(['cp', 'hello.txt', 'twin1:/root/'])).err).toBe('Successfully copied 20B to twin1:/root/\n');
    expect(await cli(['diff', 'twin1'])).toMatchObject({ out: 'A /one\nC /root\nA /root/hello.txt\n' });
    await cli(['cp', 'twin1:/root/hello.txt', 'back.txt']);
    expect(readFileSync(join(work, 'back.txt'), 'utf8')).toBe('hello from the host\n');
    expect(await cli(['export', 'twin1'])).toMatchObject({ code: 1, err: 'cowardly refusing to save to a terminal. Use the -o flag or redirect\n' });
    expect((await cli(['export', '-o', 'twin1.tar', 'twin1'])).code).toBe(0);
    expect(existsSync(join(work, 'twin1.tar'))).toBe(true);
  });

  it('container prune and image prune print docker\'s summaries', async () => {
    await cli(['commit', 'twin2', 'again:1']);
    await cli(['commit', 'twin1', 'again:1']);
    const ip = await cli(['image', 'prune', '-f']);
    expect(ip.out).toMatch(/^Deleted Images:\ndeleted: sha256:[0-9a-f]{64}\ndeleted: sha256:[0-9a-f]{64}\n\nTotal reclaimed space: 4B\n$/);
    await cli(['rm', '-f', 'web']);
    const cp = await cli(['container', 'prune', '-f']);
    expect(cp.out).toMatch(/^Deleted Containers:\n([0-9a-f]{64}\n)+\nTotal reclaimed space: 50MB\n$/);
    expect(await cli(['container', 'prune', '-f'])).toMatchObject({ out: 'Total reclaimed space: 0B\n' });
    expect((await cli(['ps', '-a', '-q'])).out).toBe('');
  });
});
