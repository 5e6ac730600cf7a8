/**
 * The CLI end to end over a real on-disk store: images, history, inspect, tag, rmi, save, load,
 * with docker's wording and exit codes. Images are made directly through the store (the builder
 * has its own suite).
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import type { CliIo } from '../src/cli/command.ts';
import { DiskPersistence } from '../src/cli/host-node.ts';
import { ImageStore } from '../src/engine/image/store.ts';
import { LayerTree, makeFile, WHITEOUT } from '../src/engine/fs/layer-tree.ts';
import { textContent } from '../src/engine/fs/content.ts';
import { assertValidImage } from '../src/engine/image/validate.ts';

const NOW = Date.parse('2026-03-01T00:00:00Z');

function capture(cwd: string) {
  const o = { out: '', err: '', bytes: [] as Uint8Array[] };
  const io: CliIo = {
    out: (s) => void (o.out += s),
    err: (s) => void (o.err += s),
    outBytes: (b) => void o.bytes.push(b),
    stdoutIsTty: true,
    cwd,
    now: () => NOW,
    readStdin: async () => new Uint8Array(),
  };
  return { o, io };
}

let root: string;
let work: string;
const cli = async (...argv: string[]) => {
  const { o, io } = capture(work);
  const code = await main(['--root', root, ...argv], io);
  return { code, ...o };
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'layerlab-cli-'));
  work = mkdtempSync(join(tmpdir(), 'layerlab-work-'));
  const store = await ImageStore.open(new DiskPersistence(root));
  const base = new LayerTree();
  base.set('/etc/os-release', makeFile(textContent('ID=demo\n'), { mtime: 1 }));
  base.set('/bin/tool', makeFile(textContent('x'.repeat(5000)), { mode: 0o755, mtime: 1 }));
  const top = new LayerTree();
  top.set('/app/hello.txt', makeFile(textContent('hello\n'), { mtime: 2 }));
  top.set('/bin/tool', WHITEOUT);
  const l1 = await store.commitLayer(base);
  const l2 = await store.commitLayer(top);
  await store.putImage({
    config: {
      created: '2026-02-15T00:00:00Z',
      architecture: 'amd64',
      os: 'linux',
      config: { Env: ['PATH=/usr/bin:/bin'], Cmd: ['/bin/sh'] },
      rootfs: { type: 'layers', diff_ids: [l1.diffId, l2.diffId] },
      history: [
        { created: '2026-02-15T00:00:00Z', created_by: 'ADD rootfs.tar /' },
        { created: '2026-02-15T00:00:00Z', created_by: 'ENV PATH=/usr/bin:/bin', empty_layer: true },
        { created: '2026-02-15T00:00:00Z', created_by: 'RUN /bin/sh -c mkdir /app && echo hello > /app/hello.txt && rm /bin/tool # buildkit', comment: 'buildkit.dockerfile.v0' },
      ],
    },
    layers: [l1, l2],
    tags: ['demo:1'],
  });
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('layerlab CLI (image commands)', () => {
  it('lists images with docker columns', async () => {
    const r = await cli('images');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
    expect(lines[1]).toMatch(/^demo\s+1\s+[0-9a-f]{12}\s+2 weeks ago\s+5\.01kB$/);
  });

  it('shows history newest first, with <missing> and truncation', async () => {
    const r = await cli('history', 'demo:1');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/);
    expect(lines[1]).toMatch(/^[0-9a-f]{12}\s+2 weeks ago\s+RUN \/bin\/sh -c mkdir \/app && echo hello > \/a…\s+6B\s+buildkit\.dockerfile\.v0$/);
    expect(lines[2]).toMatch(/^<missing>\s+2 weeks ago\s+ENV PATH=\/usr\/bin:\/bin\s+0B\s*$/);
    expect(lines[3]).toMatch(/^<missing>\s+2 weeks ago\s+ADD rootfs\.tar \/\s+5\.01kB\s*$/);
    const full = await cli('history', '--no-trunc', 'demo:1');
    expect(full.out).toContain('rm /bin/tool # buildkit');
    expect(full.out).toMatch(/sha256:[0-9a-f]{64}/);
  });

  it('inspects as docker image inspect JSON', async () => {
    const r = await cli('image', 'inspect', 'demo:1');
    expect(r.code).toBe(0);
    const [j] = JSON.parse(r.out);
    expect(j.Id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(j.RepoTags).toEqual(['demo:1']);
    expect(j.Config.Cmd).toEqual(['/bin/sh']);
    expect(j.RootFS.Layers).toHaveLength(2);
    expect(r.out.startsWith('[\n    {\n        "Id"')).toBe(true);
    const missing = await cli('image', 'inspect', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.out).toBe('[]\n');
    expect(missing.err).toBe('Error: No such image: nope\n');
  });

  it('tags, refuses ambiguous removal, untags and deletes like docker rmi', async () => {
    expect((await cli('tag', 'demo:1', 'other:2')).code).toBe(0);
    const both = await cli('images');
    expect(both.out.trimEnd().split('\n')).toHaveLength(3);
    const id = JSON.parse((await cli('image', 'inspect', 'demo:1')).out)[0].Id.slice(7, 19);
    const conflict = await cli('rmi', id);
    expect(conflict.code).toBe(1);
    expect(conflict.err).toContain('must be forced');
    const untag = await cli('rmi', 'other:2');
    expect(untag.out).toBe('Untagged: other:2\n');
    const missing = await cli('rmi', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('Error response from daemon: No such image: nope:latest\n');
  });

  it('saves and loads an archive, keeping every digest', async () => {
    const before = JSON.parse((await cli('image', 'inspect', 'demo:1')).out)[0];
    const saved = await cli('save', '-o', 'demo.tar', 'demo:1');
    expect(saved.err).toBe('');
    expect(saved.code).toBe(0);
    expect(existsSync(join(work, 'demo.tar'))).toBe(true);
    const rm = await cli('rmi', 'demo:1');
    expect(rm.out).toMatch(/^Untagged: demo:1\nDeleted: sha256:[0-9a-f]{64}\n/);
    expect((await cli('images', '-q')).out).toBe('');
    const loaded = await cli('load', '-i', 'demo.tar');
    expect(loaded.code).toBe(0);
    expect(loaded.out).toBe('Loaded image: demo:1\n');
    const after = JSON.parse((await cli('image', 'inspect', 'demo:1')).out)[0];
    expect(after.Id).toBe(before.Id);
    expect(after.RootFS.Layers).toEqual(before.RootFS.Layers);
    const store = await ImageStore.open(new DiskPersistence(root));
    await assertValidImage(store, 'demo:1');
  });

  it('rejects a hostile archive without touching the store', async () => {
    writeFileSync(join(work, 'bad.tar'), new Uint8Array(1024).fill(7));
    const before = (await cli('images', '-q', '--no-trunc')).out;
    const r = await cli('load', '-i', 'bad.tar');
    expect(r.code).toBe(1);
    expect(r.err.length).toBeGreaterThan(0);
    expect((await cli('images', '-q', '--no-trunc')).out).toBe(before);
  });

  it('load --max-layer-size and LAYERLAB_MAX_LAYER_SIZE lower the limits for one load', async () => {
    // demo.tar (written by the save test) holds a 5,000-byte file and layers of a few KiB.
    const tight = await cli('load', '-i', 'demo.tar', '--max-layer-size', '4k');
    expect(tight.code).toBe(1);
    expect(tight.err).toMatch(/over the limit maxFileBytes=4096|exceeds the limit max\w+=4096/);
    process.env.LAYERLAB_MAX_LAYER_SIZE = '4k';
    try {
      expect((await cli('load', '-i', 'demo.tar')).code).toBe(1);
      expect((await cli('load', '-i', 'demo.tar', '--max-layer-size', '1m')).out).toBe('Loaded image: demo:1\n');
    } finally {
      delete process.env.LAYERLAB_MAX_LAYER_SIZE;
    }
    const bad = await cli('load', '-i', 'demo.tar', '--max-layer-size', 'lots');
    expect(bad.code).toBe(125);
    expect(bad.err).toContain("invalid size: 'lots'");
  });

  it('reports usage errors like the docker CLI', async () => {
    const unknown = await cli('images', '--bogus');
    expect(unknown.code).toBe(125);
    expect(unknown.err).toBe("unknown flag: --bogus\nSee 'layerlab images --help'.\n");
    const noArgs = await cli('rmi');
    expect(noArgs.code).toBe(1);
    expect(noArgs.err).toContain('"layerlab rmi" requires at least 1 argument.');
    const notCmd = await cli('frobnicate');
    expect(notCmd.err).toContain("'frobnicate' is not a layerlab command");
    const tty = await cli('save', 'demo:1');
    expect(tty.err).toContain('cowardly refusing to save to a terminal');
  });
});
