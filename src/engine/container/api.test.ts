import { readFileSync } from 'node:fs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock, MemoryPersistence, seededRandom } from '../host.ts';
import { ImageStore } from '../image/store.ts';
import { LayerlabError } from '../errors.ts';
import { ContainerRuntime } from './api.ts';
import { BIG_FILE_SIZE, putAlpine, putTeachingImages } from './test-support.ts';
import type { ContainerFsEvent, VolumeFsEvent } from './types.ts';

const ALPINE = readFileSync(new URL('../../../public/catalog/alpine-3.22.json', import.meta.url));

let persistence: MemoryPersistence;
let store: ImageStore;
let events: ContainerFsEvent[];
let volumeEvents: VolumeFsEvent[];

const runtime = () =>
  new ContainerRuntime({ store, persistence, clock: fixedClock(Date.UTC(2026, 2, 1)), random: seededRandom(7), onEvent: (e) => events.push(e), onVolumeEvent: (e) => volumeEvents.push(e) });

// One store for the file (committing the 50 MB layer hashes its gzip); fresh container state per test.
beforeAll(async () => {
  store = await ImageStore.open(new MemoryPersistence());
  const alpine = await putAlpine(store, ALPINE);
  await putTeachingImages(store, alpine);
});
beforeEach(() => {
  persistence = new MemoryPersistence();
  events = [];
  volumeEvents = [];
});

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e instanceof LayerlabError ? e.code : String(e);
  }
  return 'ok';
};

describe('ContainerRuntime lifecycle', () => {
  it('runs a short command to completion and keeps its output for logs', async () => {
    const rt = runtime();
    const r = await rt.run({ image: 'alpine', cmd: ['sh', '-c', 'echo hello; echo oops >&2; exit 3'] });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('hello\n');
    expect(r.stderr).toBe('oops\n');
    const [row] = await rt.list({ all: true });
    expect(row.status).toBe('exited');
    expect(row.statusText).toMatch(/^Exited \(3\) \d+ seconds? ago$/);
    expect(row.command).toBe('sh -c echo hello; echo oops >&2; exit 3');
    expect((await rt.logs(r.id)).map((l) => l.text).join('')).toBe('hello\noops\n');
    // docker logs -t: every line with the time it was printed, RFC 3339 with nine fraction digits.
    const stamped = (await rt.logs(r.id, { timestamps: true })).map((l) => l.text);
    expect(stamped).toHaveLength(2);
    expect(stamped[0]).toMatch(/^2026-03-01T00:00:\d\d\.\d{9}Z hello\n$/);
    expect(stamped[1]).toMatch(/^2026-03-01T00:00:\d\d\.\d{9}Z oops\n$/);
    expect((await rt.logs(r.id, { tail: 1 })).map((l) => [l.stream, l.text])).toEqual([['stderr', 'oops\n']]);
    expect(r.id).toMatch(/^[0-9a-f]{64}$/);
    expect(r.name).toMatch(/^[a-z]+_[a-z]+$/);
  });

  it('resolves CMD/ENTRYPOINT like docker and refuses an image with neither', async () => {
    const rt = runtime();
    const r = await rt.run({ image: 'alpine', cmd: ['echo', 'a', 'b'] });
    expect(r.stdout).toBe('a b\n');
    const e = await rt.run({ image: 'alpine', entrypoint: 'echo', cmd: ['x'] });
    expect(e.stdout).toBe('x\n');
    const insp = await rt.inspect(e.id);
    expect([insp.Path, insp.Args, insp.Config.Entrypoint, insp.Config.Cmd]).toEqual(['echo', ['x'], ['echo'], ['x']]);
    expect(await code(rt.run({ image: 'alpine', entrypoint: '' , cmd: [] }))).toBe('ok'); // alpine CMD ["/bin/sh"]
    const img = store.resolve('alpine');
    const { putTestImage } = await import('./test-support.ts');
    await putTestImage(store, 'nocmd:1', [], {}, { base: { records: img.layers, config: img.config } });
    await expect(rt.run({ image: 'nocmd:1' })).rejects.toThrow('Error response from daemon: no command specified');
  });

  it('keeps a known server Up until stopped, with the documented stop exit codes', async () => {
    const rt = runtime();
    const r = await rt.run({ image: 'web:1', detach: true, name: 'web', publish: ['8080:8000'] });
    expect(r.status).toBe('running');
    const [row] = await rt.list();
    expect(row.statusText).toMatch(/^Up /);
    expect(row.ports).toBe('0.0.0.0:8080->8000/tcp');
    expect((await rt.logs('web'))[0].text).toContain('Serving HTTP on 0.0.0.0 port 8000');
    await expect(rt.remove('web')).rejects.toThrow(
      'Error response from daemon: cannot remove container "web": container is running: stop the container before removing or force remove',
    );
    await rt.stop('web');
    expect((await rt.inspect('web')).State.ExitCode).toBe(137); // python as PID 1 ignores SIGTERM
    await expect(rt.exec('web', ['ls'])).rejects.toThrow(/^Error response from daemon: container [0-9a-f]{64} is not running$/);
    await rt.start('web');
    expect((await rt.list()).length).toBe(1);
    expect((await rt.inspect('web')).RestartCount).toBe(1);
  });

  it('gives docker\'s name-conflict error', async () => {
    const rt = runtime();
    const { id } = await rt.create({ image: 'alpine', name: 'box' });
    await expect(rt.create({ image: 'alpine', name: 'box' })).rejects.toThrow(
      `Error response from daemon: Conflict. The container name "/box" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.`,
    );
  });

  it('exec runs as the given user and in the given directory; sessions keep state', async () => {
    const rt = runtime();
    const { id } = await rt.run({ image: 'alpine', cmd: ['sleep', 'infinity'], detach: true });
    const r = await rt.exec(id, ['sh', '-c', 'id -u; pwd'], { user: 'nobody', workdir: '/tmp' });
    expect(r.stdout).toBe('65534\n/tmp\n');
    const { sessionId } = await rt.openSession(id);
    await rt.sessionLine(sessionId, 'cd /etc; X=42');
    expect((await rt.sessionLine(sessionId, 'echo $X $(pwd)')).stdout).toBe('42 /etc\n');
    const end = await rt.sessionLine(sessionId, 'exit 5');
    expect(end.exited).toBe(true);
    expect((await rt.list())[0].status).toBe('running'); // exec sessions do not stop the container
  });

  it('run -it IMAGE sh: the main shell is a session whose exit stops the container', async () => {
    const rt = runtime();
    const r = await rt.run({ image: 'alpine', cmd: ['sh'], tty: true, interactive: true });
    expect(r.status).toBe('running');
    await rt.sessionLine(r.sessionId!, 'echo hi > /root/x');
    await rt.sessionLine(r.sessionId!, 'exit 2');
    const i = await rt.inspect(r.id);
    expect([i.State.Status, i.State.ExitCode]).toEqual(['exited', 2]);
    expect(await rt.diff(r.id)).toEqual([
      { kind: 'C', path: '/root' },
      { kind: 'A', path: '/root/x' },
    ]);
  });
});

describe('signals', () => {
  it('docker stop runs the main shell\'s TERM trap; its exit is the exit code, without a trap it is 137', async () => {
    const rt = runtime();
    const a = await rt.run({ image: 'alpine', cmd: ['sh'], tty: true, interactive: true });
    await rt.sessionLine(a.sessionId!, "trap 'echo caught TERM; exit 3' TERM INT");
    await rt.sessionLine(a.sessionId!, 'echo working');
    await rt.stop(a.id);
    expect((await rt.inspect(a.id)).State.ExitCode).toBe(3);
    expect((await rt.logs(a.id)).map((l) => l.text).join('')).toContain('caught TERM');
    const b = await rt.run({ image: 'alpine', cmd: ['sh'], tty: true, interactive: true });
    await rt.sessionLine(b.sessionId!, "trap 'echo bye' TERM; trap - TERM");
    await rt.stop(b.id);
    expect((await rt.inspect(b.id)).State.ExitCode).toBe(137);
  });

  it('docker kill -s INT / HUP / TERM run the matching trap; untrapped signals are ignored by PID 1; KILL is 137', async () => {
    const rt = runtime();
    const state = async (id: string) => (await rt.inspect(id)).State;
    const logs = async (id: string) => (await rt.logs(id)).map((l) => l.text).join('');
    const a = await rt.run({ image: 'alpine', cmd: ['sh'], tty: true, interactive: true });
    await rt.sessionLine(a.sessionId!, "trap 'echo reloading' HUP; trap 'echo interrupted; exit 130' INT");
    // HUP: the handler runs and the shell goes on.
    await rt.kill(a.id, 'SIGHUP');
    expect(await state(a.id)).toMatchObject({ Status: 'running' });
    expect(await logs(a.id)).toContain('reloading');
    // TERM is not trapped: PID 1 has no default action, so nothing happens.
    await rt.kill(a.id, '15');
    expect(await state(a.id)).toMatchObject({ Status: 'running' });
    // INT: the handler exits 130.
    await rt.kill(a.id, 'INT');
    expect(await state(a.id)).toMatchObject({ Status: 'exited', ExitCode: 130 });
    expect(await logs(a.id)).toContain('interrupted');
    const b = await rt.run({ image: 'alpine', cmd: ['sh'], tty: true, interactive: true });
    await rt.sessionLine(b.sessionId!, "trap 'echo never' TERM INT HUP");
    await rt.kill(b.id);
    expect(await state(b.id)).toMatchObject({ Status: 'exited', ExitCode: 137 });
    expect(await logs(b.id)).not.toContain('never');
    expect(await code(rt.kill(b.id))).toBe('container/not-running');
    expect(await code(rt.kill(a.id, 'BOGUS'))).toBe('container/invalid-signal');
  });

  it('a TERM trap also runs when a paused container is stopped (docker unfreezes it first)', async () => {
    const rt = runtime();
    const a = await rt.run({ image: 'alpine', cmd: ['sh'], tty: true, interactive: true });
    await rt.sessionLine(a.sessionId!, "trap 'echo cleanup; exit 0' TERM");
    await rt.pause(a.id);
    expect((await rt.list()).map((c) => c.statusText)[0]).toMatch(/\(Paused\)$/);
    await rt.stop(a.id);
    expect((await rt.inspect(a.id)).State).toMatchObject({ Status: 'exited', ExitCode: 0, Paused: false });
  });
});

describe('copy-on-write accounting', () => {
  it('a copy-up of a 50 MB lower file makes the container layer 50 MB; a delete is a zero-size whiteout', async () => {
    const rt = runtime();
    const { id } = await rt.run({ image: 'bigfile:1', cmd: ['sh', '-c', 'touch /opt/big.bin && rm /opt/notes.txt'] });
    const [row] = await rt.list({ all: true, size: true });
    expect(row.sizeRw).toBe(BIG_FILE_SIZE);
    expect(row.sizeRootFs).toBe(BIG_FILE_SIZE + row.sizeRootFs! - BIG_FILE_SIZE);
    expect(await rt.diff(id)).toEqual([
      { kind: 'C', path: '/opt' },
      { kind: 'C', path: '/opt/big.bin' },
      { kind: 'D', path: '/opt/notes.txt' },
    ]);
    const ev = await rt.events(id);
    expect(ev.totals.copiedUp).toBeGreaterThanOrEqual(1);
    expect(ev.totals.copiedUpBytes).toBe(BIG_FILE_SIZE);
    expect(ev.totals.whitedOut).toBe(1);
    expect(events.some((e) => e.containerId === id && e.event.type === 'copied-up' && e.event.path === '/opt/big.bin')).toBe(true);
  });

  it('containers of one image share its LowerStack; rm discards only the upper layer', async () => {
    const rt = runtime();
    const a = await rt.run({ image: 'alpine', cmd: ['sh', '-c', 'echo a > /a'] });
    const b = await rt.run({ image: 'alpine', cmd: ['sh', '-c', 'echo b > /b'] });
    const lowers = (rt as unknown as { live: Map<string, { lower: unknown }> }).live;
    expect(lowers.get(a.id)!.lower).toBe(lowers.get(b.id)!.lower);
    expect(await rt.diff(a.id)).toEqual([{ kind: 'A', path: '/a' }]);
    await rt.remove(a.id);
    expect(await rt.diff(b.id)).toEqual([{ kind: 'A', path: '/b' }]);
    expect(store.tryResolve('alpine')).toBeDefined();
    expect([...persistence.files.keys()].filter((k) => k.includes(a.id))).toEqual([]);
  });
});

describe('persistence', () => {
  it('a new runtime over the same persistence sees containers, their layers and volumes', async () => {
    const rt = runtime();
    const { id } = await rt.run({ image: 'alpine', name: 'keep', cmd: ['sh', '-c', 'echo saved > /etc/motd; echo v > /data/v'], volumes: ['vol1:/data'] });
    const rt2 = runtime();
    const [row] = await rt2.list({ all: true });
    expect(row.id).toBe(id);
    expect(await rt2.diff('keep')).toContainEqual({ kind: 'C', path: '/etc/motd' });
    const out = await rt2.run({ image: 'alpine', cmd: ['cat', '/data/v'], volumes: ['vol1:/data'] });
    expect(out.stdout).toBe('v\n');
  });
});

describe('volumes', () => {
  it('keep data outside the container layer, survive rm, and refuse rm while in use', async () => {
    const rt = runtime();
    const a = await rt.run({ image: 'alpine', cmd: ['sh', '-c', 'echo 1 > /data/x'], volumes: ['vol:/data'] });
    expect(await rt.diff(a.id)).toEqual([{ kind: 'A', path: '/data' }]);
    await expect(rt.volumeRm('vol')).rejects.toThrow(`Error response from daemon: remove vol: volume is in use - [${a.id}]`);
    await rt.remove(a.id);
    const b = await rt.run({ image: 'alpine', cmd: ['cat', '/data/x'], volumes: ['vol:/data'] });
    expect(b.stdout).toBe('1\n');
    await rt.remove(b.id);
    expect(await rt.volumeRm('vol')).toBe('vol');
    await expect(rt.volumeInspect('vol')).rejects.toThrow('Error response from daemon: get vol: no such volume');
  });

  it('report writes through a mount as volume events (paths inside the volume), not as container events', async () => {
    const rt = runtime();
    const a = await rt.run({ image: 'alpine', cmd: ['sh', '-c', 'echo hello > /data/greeting.txt; echo x > /outside.txt'], volumes: ['vol:/data'] });
    expect(volumeEvents).toContainEqual({ volume: 'vol', event: { type: 'created', path: '/greeting.txt', inodeType: 'file', size: 0 } });
    expect(volumeEvents.some((e) => e.event.type === 'modified' && e.event.path === '/greeting.txt' && e.event.size === 6)).toBe(true);
    const containerPaths = events.filter((e) => e.containerId === a.id).map((e) => e.event.path);
    expect(containerPaths).toContain('/outside.txt');
    expect(containerPaths.some((p) => p.includes('greeting'))).toBe(false);
    expect(volumeEvents.some((e) => e.event.path.includes('outside'))).toBe(false);
  });

  it('lists a volume’s entries for the drawing (paths from its root, file sizes)', async () => {
    const rt = runtime();
    await rt.run({ image: 'alpine', cmd: ['sh', '-c', 'mkdir -p /data/sub && echo hello > /data/sub/a.txt && ln -s sub/a.txt /data/link'], volumes: ['vol:/data'] });
    expect(await rt.volumeEntries('vol')).toEqual([
      { path: '/link', type: 'symlink', size: 0 },
      { path: '/sub', type: 'dir', size: 0 },
      { path: '/sub/a.txt', type: 'file', size: 6 },
    ]);
    expect(await rt.volumeEntries('vol', { limit: 1 })).toHaveLength(1);
    await expect(rt.volumeEntries('nope')).rejects.toThrow('get nope: no such volume');
  });

  it('volume prune removes unused anonymous volumes (named ones too with all), never a mounted one', async () => {
    const rt = runtime();
    await rt.volumeCreate('named');
    const anon = await rt.volumeCreate();
    const used = await rt.run({ image: 'alpine', cmd: ['sh', '-c', 'echo 12345 > /d/f'], volumes: ['kept:/d'] });
    const first = await rt.volumePrune();
    expect(first).toEqual({ deleted: [anon], reclaimed: 0 });
    expect((await rt.volumeLs()).map((v) => v.name).sort()).toEqual(['kept', 'named']);
    const all = await rt.volumePrune({ all: true });
    expect(all.deleted).toEqual(['named']);
    await rt.remove(used.id);
    expect(await rt.volumePrune({ all: true })).toEqual({ deleted: ['kept'], reclaimed: 6 });
    expect(await rt.volumeLs()).toEqual([]);
  });

  it('a new named volume is seeded with the image content at its path; anonymous volumes come from VOLUME', async () => {
    const rt = runtime();
    const r = await rt.run({ image: 'bigfile:1', cmd: ['cat', '/srv/data/seed.txt'], volumes: ['seeded:/srv/data'] });
    expect(r.stdout).toBe('seeded by the image\n');
    expect((await rt.volumeLs()).find((v) => v.name === 'seeded')!.size).toBe('seeded by the image\n'.length);
    const w = await rt.run({ image: 'web:1', detach: true });
    const i = await rt.inspect(w.id);
    expect(i.Mounts).toHaveLength(1);
    expect(i.Mounts[0].Destination).toBe('/var/cache/web');
    expect(i.Mounts[0].Name).toMatch(/^[0-9a-f]{64}$/);
  });

  it('are not part of commit or export', async () => {
    const rt = runtime();
    const a = await rt.run({ image: 'alpine', cmd: ['sh', '-c', 'echo in > /data/x; echo out > /y'], volumes: ['vol:/data'] });
    const imageId = await rt.commit(a.id, { repo: 'snap:1', message: 'snapshot' });
    const tree = (await store.imageLayerTrees(imageId)).at(-1)!;
    expect([...tree.walk()].map(([p]) => p)).toEqual(['/data', '/y']);
    const tar = await rt.export(a.id);
    const { listTar } = await import('../image/tar.ts');
    const names = (await listTar(tar)).map((e) => e.name);
    expect(names).toContain('y');
    expect(names).toContain('data/');
    expect(names).not.toContain('data/x');
  });
});

describe('commit', () => {
  it('adds the upper layer with docker\'s history entry and applies --change', async () => {
    const rt = runtime();
    const a = await rt.run({ image: 'alpine', cmd: ['sh', '-c', 'echo hi > /x'] });
    const imageId = await rt.commit(a.id, { repo: 'mine:1', message: 'add x', author: 'me', changes: ['CMD ["cat", "/x"]', 'ENV A=1'] });
    const img = store.resolve('mine:1');
    expect(img.imageId).toBe(imageId);
    expect(img.config.history!.at(-1)).toMatchObject({ created_by: 'sh -c echo hi > /x', comment: 'add x', author: 'me' });
    expect(img.config.config!.Cmd).toEqual(['cat', '/x']);
    expect(img.config.config!.Env).toContain('A=1');
    const b = await rt.run({ image: 'mine:1' });
    expect(b.stdout).toBe('hi\n');
    const { assertValidImage } = await import('../image/validate.ts');
    await assertValidImage(store, imageId);
  });

  it('rebuilding under the same tag leaves the old image as <none>:<none>; image prune removes it', async () => {
    const rt = runtime();
    const a = await rt.run({ image: 'alpine', cmd: ['sh', '-c', 'echo 1 > /x'] });
    const first = await rt.commit(a.id, { repo: 'app:1' });
    const b = await rt.run({ image: 'alpine', cmd: ['sh', '-c', 'echo 2 > /x'] });
    const second = await rt.commit(b.id, { repo: 'app:1' });
    expect(first).not.toBe(second);
    expect(store.resolve(first).repoTags).toEqual([]);
    const pruned = await rt.imagePrune();
    expect(pruned.deleted).toEqual([first]);
    expect(pruned.lines![0]).toBe(`deleted: ${first}`);
    expect(pruned.reclaimed).toBe(2);
  });

  it('rmi refuses an image a container uses, in docker\'s words', async () => {
    const rt = runtime();
    const a = await rt.create({ image: 'web:1' });
    const img = store.resolve('web:1');
    await expect(rt.checkImageRemovable('web:1')).rejects.toThrow(
      `Error response from daemon: conflict: unable to remove repository reference "web:1" (must force) - container ${a.id.slice(0, 12)} is using its referenced image ${img.imageId.slice(7, 19)}`,
    );
    await expect(rt.checkImageRemovable(img.imageId.slice(7, 19))).rejects.toThrow(/unable to delete [0-9a-f]{12} \(must be forced\) - image is being used by stopped container/);
    await rt.checkImageRemovable('web:1', { force: true });
  });
});

describe('cp', () => {
  it('copies files out as a tar and in from entries, docker cp style', async () => {
    const rt = runtime();
    const { id } = await rt.run({ image: 'alpine', cmd: ['sleep', 'infinity'], detach: true });
    await rt.cpInEntries(id, '/tmp', [{ path: 'hello.txt', type: 'file', mode: 0o644, mtime: 1, data: new TextEncoder().encode('hi\n') }]);
    await rt.cpInEntries(id, '/tmp/renamed.txt', [{ path: 'x.txt', type: 'file', mode: 0o600, mtime: 1, data: new TextEncoder().encode('x\n') }]);
    expect((await rt.exec(id, ['cat', '/tmp/hello.txt', '/tmp/renamed.txt'])).stdout).toBe('hi\nx\n');
    const out = await rt.cpOutEntries(id, '/etc/alpine-release');
    expect(out.map((e) => e.path)).toEqual(['alpine-release']);
    const tar = await rt.cpOut(id, '/tmp');
    const { listTar } = await import('../image/tar.ts');
    expect((await listTar(tar)).map((e) => e.name)).toEqual(['tmp/', 'tmp/hello.txt', 'tmp/renamed.txt']);
    await expect(rt.cpOut(id, '/nope')).rejects.toThrow(/Could not find the file \/nope in container/);
  });

  it('replaces an existing entry as moby’s Unpack does: over a lower file a whiteout and a new file (nothing copied up), a symlink itself, not its target', async () => {
    const rt = runtime();
    const { id } = await rt.run({ image: 'alpine', cmd: ['sleep', 'infinity'], detach: true });
    events = [];
    const data = new TextEncoder().encode('replaced\n');
    await rt.cpInEntries(id, '/etc', [{ path: 'alpine-release', type: 'file', mode: 0o644, mtime: 1, data }]);
    const kinds = events.map((e) => `${e.event.type} ${e.event.path}`);
    expect(kinds).toContain('whited-out /etc/alpine-release');
    expect(kinds).toContain('created /etc/alpine-release');
    expect(events.some((e) => e.event.type === 'copied-up' && e.event.path === '/etc/alpine-release')).toBe(false);
    expect(await rt.diff(id)).toEqual([{ kind: 'C', path: '/etc' }, { kind: 'C', path: '/etc/alpine-release' }]);
    // /etc/os-release is a symlink to ../usr/lib/os-release: cp replaces the link, the target stays.
    await rt.cpInEntries(id, '/etc', [{ path: 'os-release', type: 'file', mode: 0o644, mtime: 1, data }]);
    expect((await rt.exec(id, ['sh', '-c', 'cat /etc/alpine-release /etc/os-release; test -L /etc/os-release || echo not-a-link; grep -c ID= /usr/lib/os-release'])).stdout).toBe('replaced\nreplaced\nnot-a-link\n2\n');
  });
});

describe('prune and df', () => {
  it('prunes stopped containers and reports disk usage with shared layers', async () => {
    const rt = runtime();
    await rt.run({ image: 'alpine', cmd: ['sh', '-c', 'echo 12345 > /f'] });
    await rt.run({ image: 'web:1', detach: true });
    const df = await rt.systemDf();
    const alpine = df.images.items.find((i) => i.repository === 'alpine')!;
    const web = df.images.items.find((i) => i.repository === 'web')!;
    expect(alpine.sharedSize).toBe(alpine.size); // its only layer is also web's and bigfile's base
    expect(web.uniqueSize).toBe(web.size - alpine.size);
    expect(df.containers).toMatchObject({ total: 2, active: 1, size: 6, reclaimable: 6 });
    const p = await rt.prune();
    expect(p.deleted).toHaveLength(1);
    expect(p.reclaimed).toBe(6);
    expect((await rt.list({ all: true })).length).toBe(1);
  });
});

describe('errors', () => {
  it('no such container / executable not found', async () => {
    const rt = runtime();
    await expect(rt.logs('nope')).rejects.toThrow('Error response from daemon: No such container: nope');
    const e = await rt.run({ image: 'alpine', cmd: ['nosuchprog'], name: 'bad' }).catch((x) => x);
    expect(e.message).toContain('exec: "nosuchprog": executable file not found in $PATH');
    expect(e.data.exitCode).toBe(127);
    expect((await rt.inspect('bad')).State).toMatchObject({ Status: 'created', ExitCode: 127 });
  });
});
