/**
 * Conformance against real container tools: an image built by the engine and written by
 * `engine.save` must be readable, verifiable and unpackable by skopeo, umoci and podman, and
 * archives those tools write must load back into a fresh engine with the same image ID and
 * diff_ids. Every tool runs as a child process in a temp dir; a missing tool skips its suite with
 * a console message naming the Debian package to install. See README.md in this folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { Engine } from '../../src/engine/index.ts';
import { MemoryPersistence } from '../../src/engine/host.ts';
import { LowerStack } from '../../src/engine/fs/lower-stack.ts';
import type { Inode } from '../../src/engine/fs/layer-tree.ts';
import { openTestStore, testEngine } from '../helpers.ts';
import { has, IS_ROOT, PODMAN, podmanFlags, podmanProblem as probePodman, run, RUN_LIMITS, staticBusybox } from './podman.ts';

// ------------------------------------------------------------------ tools

const SKOPEO = has('skopeo');
const UMOCI = has('umoci');
for (const [ok, tool] of [[SKOPEO, 'skopeo'], [UMOCI, 'umoci'], [PODMAN, 'podman']] as const) {
  if (!ok) console.warn(`real-tools: ${tool} tests skipped: ${tool} is not installed (apt-get install -y ${tool})`);
}

// Created on first use: when every suite is skipped, vitest runs no afterAll and nothing may be left behind.
let work: string | undefined;
const at = (...p: string[]) => nodePath.join((work ??= fs.mkdtempSync(nodePath.join(os.tmpdir(), 'layerlab-real-tools-'))), ...p);
// podman names an `oci:` image after its path, which must be lowercase (mkdtemp's is not).
const refLayout = nodePath.join(os.tmpdir(), `layerlab-real-tools-ref-${process.pid}`);
afterAll(() => {
  // conmon's asynchronous `podman container cleanup` may still be writing under the podman root.
  for (const d of [work, refLayout]) if (d) fs.rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

// ------------------------------------------------------------------ the image under test

const enc = (s: string) => new TextEncoder().encode(s);
const REF = 'layerlab/test:v1';
const FULL_REF = 'docker.io/layerlab/test:v1';

/** A path longer than ustar's 100-byte name field (PAX or prefix split in the tar). */
const LONG_DIR = `/app/long/${'d'.repeat(90)}`;
const LONG_FILE = `${LONG_DIR}/${'f'.repeat(90)}.txt`;

/**
 * On the offline alpine:3.22: a COPY, a RUN creating files (modes incl. setuid, an owner, a
 * symlink, a hard link, a long path), a RUN with tar edge cases (empty file and directory, sticky
 * bit, a UTF-8 name, a symlink target over 100 bytes, uid/gid over ustar's 2097151), a RUN deleting a base file and a base directory (→ whiteouts
 * `.wh.issue`, `.wh.periodic`) and a RUN replacing a base directory (→ opaque `/etc/apk`).
 */
const DOCKERFILE = `FROM alpine:3.22
COPY hello.txt /app/hello.txt
RUN mkdir -p /app/data ${LONG_DIR} && echo one > /app/data/a && echo two > /app/data/b && ln -s a /app/data/link && ln /app/data/a /app/data/hard && chmod 0600 /app/data/b && chown 1000:1000 /app/data/b && chmod 4755 /app/data/a && echo long > ${LONG_FILE}
RUN mkdir -p /app/edge/empty-dir && touch /app/edge/empty && echo ü > /app/edge/données-ü.txt && ln -s ${LONG_FILE} /app/edge/long-link && echo big > /app/edge/big-owner && chown 3000000:3000001 /app/edge/big-owner && chmod 1777 /app/edge/empty-dir
RUN rm /etc/issue && rm -rf /etc/periodic
RUN rm -rf /etc/apk && mkdir -p /etc/apk && echo new > /etc/apk/only
`;

interface Fixture {
  engine: Engine;
  persistence: MemoryPersistence;
  archive: string;
  imageId: string;
  diffIds: string[];
  layerDigests: string[];
  manifestDigest: string;
}

let fixturePromise: Promise<Fixture> | undefined;

/** Builds and saves the image once, on first use (so fully skipped runs build nothing). */
function fixture(): Promise<Fixture> {
  fixturePromise ??= (async () => {
    const persistence = new MemoryPersistence();
    const engine = testEngine(persistence);
    const built = await engine.builds.build({
      dockerfile: DOCKERFILE,
      files: [{ path: 'hello.txt', type: 'file', mode: 0o644, content: enc('hello from layerlab\n') }],
      tags: [REF],
    });
    const bytes = await engine.images.save([REF]);
    const archive = at('image.tar');
    fs.writeFileSync(archive, bytes);
    const inspect = await engine.images.inspect(REF);
    const layers = await engine.images.layers(REF);
    // The manifest digest is the one index.json entry of our own archive.
    const index = JSON.parse(run('tar', ['-xOf', archive, 'index.json']));
    expect(inspect.Id).toBe(built.imageId);
    return { engine, persistence, archive, imageId: built.imageId, diffIds: inspect.RootFS.Layers, layerDigests: layers.map((l) => l.digest!), manifestDigest: index.manifests[0].digest };
  })();
  return fixturePromise;
}

const sha256File = (p: string) => run('sha256sum', [p]).split(' ')[0];

// ------------------------------------------------------------------ skopeo

describe.skipIf(!SKOPEO)('skopeo reads and copies engine archives', () => {
  test('inspect docker-archive: reports our image ID (config) and diff_ids', async () => {
    const f = await fixture();
    // The docker-archive transport reads manifest.json; it exposes layers uncompressed, so its
    // layer digests are our diff_ids, and its generated schema2 manifest names our config.
    const info = JSON.parse(run('skopeo', ['inspect', `docker-archive:${f.archive}`]));
    expect(info.Layers).toEqual(f.diffIds);
    expect(info.Architecture).toBe('amd64');
    expect(info.Os).toBe('linux');
    const raw = JSON.parse(run('skopeo', ['inspect', '--raw', `docker-archive:${f.archive}:${REF}`]));
    expect(raw.config.digest).toBe(f.imageId);
    expect(raw.layers.map((l: { digest: string }) => l.digest)).toEqual(f.diffIds);
    const cfg = JSON.parse(run('skopeo', ['inspect', '--config', `docker-archive:${f.archive}:${REF}`]));
    expect(cfg.rootfs.diff_ids).toEqual(f.diffIds);
  });

  test('inspect oci-archive:FILE:TAG: reports our manifest digest and compressed layer digests', async () => {
    const f = await fixture();
    // skopeo 1.9's oci-archive reference is `oci-archive:PATH[:REF]`, REF matched against the
    // org.opencontainers.image.ref.name annotation, which Docker 25 (and we) set to the bare tag.
    const info = JSON.parse(run('skopeo', ['inspect', `oci-archive:${f.archive}:v1`]));
    expect(info.Digest).toBe(f.manifestDigest);
    expect(info.Layers).toEqual(f.layerDigests);
    // The raw manifest skopeo returns hashes to the digest index.json promised.
    const rawPath = at('manifest-raw.json');
    fs.writeFileSync(rawPath, run('skopeo', ['inspect', '--raw', `oci-archive:${f.archive}:v1`]));
    expect(`sha256:${sha256File(rawPath)}`).toBe(f.manifestDigest);
    const cfgPath = at('config-raw.json');
    fs.writeFileSync(cfgPath, run('skopeo', ['inspect', '--config', '--raw', `oci-archive:${f.archive}:v1`]));
    expect(`sha256:${sha256File(cfgPath)}`).toBe(f.imageId);
  });

  test('copy docker-archive: → oci: and oci-archive: → dir: verify every blob', async () => {
    const f = await fixture();
    run('skopeo', ['copy', '-q', `docker-archive:${f.archive}`, `oci:${at('oci-from-docker')}:v1`]);
    const index = JSON.parse(fs.readFileSync(at('oci-from-docker', 'index.json'), 'utf8'));
    expect(index.manifests).toHaveLength(1);
    const manifest = JSON.parse(fs.readFileSync(at('oci-from-docker', 'blobs', 'sha256', index.manifests[0].digest.slice(7)), 'utf8'));
    // Docker → OCI conversion re-compresses layers with Go's gzip; the config keeps our diff_ids.
    const config = JSON.parse(fs.readFileSync(at('oci-from-docker', 'blobs', 'sha256', manifest.config.digest.slice(7)), 'utf8'));
    expect(config.rootfs.diff_ids).toEqual(f.diffIds);

    run('skopeo', ['copy', '-q', `oci-archive:${f.archive}:v1`, `dir:${at('dir-from-oci')}`]);
    // The dir: transport stores each blob under its digest: byte-identical to ours.
    const names = fs.readdirSync(at('dir-from-oci')).sort();
    expect(names).toEqual([...f.layerDigests.map((d) => d.slice(7)), f.imageId.slice(7), 'manifest.json', 'version'].sort());
    expect(`sha256:${sha256File(at('dir-from-oci', 'manifest.json'))}`).toBe(f.manifestDigest);
    for (const d of [...f.layerDigests, f.imageId]) expect(`sha256:${sha256File(at('dir-from-oci', d.slice(7)))}`).toBe(d);
    // GNU tar reads our gzip layers; the last two carry the whiteouts and the opaque marker.
    const list = (d: string) => run('tar', ['-tzf', at('dir-from-oci', d.slice(7))]).trim().split('\n');
    expect(list(f.layerDigests.at(-2)!)).toEqual(['etc/', 'etc/.wh.issue', 'etc/.wh.periodic']);
    expect(list(f.layerDigests.at(-1)!)).toEqual(['etc/', 'etc/apk/', 'etc/apk/.wh..wh..opq', 'etc/apk/only']);
  });
});

describe.skipIf(!SKOPEO)('skopeo reads multi-image and untagged engine archives', () => {
  test('docker save A:1 A:latest B:2 → skopeo finds each image by RepoTag, by @index and by ref.name; save by ID → untagged', async () => {
    const f = await fixture();
    const a = await f.engine.builds.build({ dockerfile: 'FROM alpine:3.22\nRUN echo a > /a\n', files: [], tags: ['one/a:1'] });
    const b = await f.engine.builds.build({ dockerfile: 'FROM alpine:3.22\nRUN echo b > /b\n', files: [], tags: ['localhost:5000/two/b:2'] });
    await f.engine.images.tag('one/a:1', 'one/a:latest');
    const multi = at('multi.tar');
    fs.writeFileSync(multi, await f.engine.images.save(['one/a:1', 'one/a:latest', 'localhost:5000/two/b:2']));
    const configOf = (ref: string) => JSON.parse(run('skopeo', ['inspect', '--raw', ref])).config.digest;
    expect(configOf(`docker-archive:${multi}:one/a:1`)).toBe(a.imageId);
    expect(configOf(`docker-archive:${multi}:one/a:latest`)).toBe(a.imageId);
    expect(configOf(`docker-archive:${multi}:localhost:5000/two/b:2`)).toBe(b.imageId);
    expect(configOf(`docker-archive:${multi}:@0`)).toBe(a.imageId);
    expect(configOf(`docker-archive:${multi}:@1`)).toBe(b.imageId);
    expect(configOf(`oci-archive:${multi}:1`)).toBe(a.imageId);
    expect(configOf(`oci-archive:${multi}:2`)).toBe(b.imageId);
    // `docker save <ID>`: manifest.json RepoTags null, index.json entry without annotations.
    const byId = at('by-id.tar');
    fs.writeFileSync(byId, await f.engine.images.save([a.imageId]));
    expect(configOf(`docker-archive:${byId}`)).toBe(a.imageId);
    expect(configOf(`oci-archive:${byId}`)).toBe(a.imageId);
  });
});

// ------------------------------------------------------------------ umoci

/** The file type of an lstat result, named as InodeType. */
function typeOf(st: fs.Stats): Inode['type'] {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  if (st.isFIFO()) return 'fifo';
  return 'socket';
}

/** Every path below `root` as an absolute image path ("/etc/passwd"), parents first. */
function walkDisk(root: string, dir = '/'): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(nodePath.join(root, dir)).sort()) {
    const p = dir === '/' ? `/${name}` : `${dir}/${name}`;
    out.push(p);
    if (fs.lstatSync(nodePath.join(root, p)).isDirectory()) out.push(...walkDisk(root, p));
  }
  return out;
}

/** Our merged view of an image (path → inode), from the layers a second store reads back from `persistence`. */
async function mergedView(persistence: MemoryPersistence, ref: string): Promise<Map<string, Inode>> {
  const store = await openTestStore(persistence);
  const stack = new LowerStack(await store.imageLayerTrees(ref));
  const view = new Map<string, Inode>();
  for (const [p, e] of stack.walk()) view.set(p, e.inode);
  return view;
}

/**
 * Differences between an unpacked rootfs on disk and our merged view: every path of ours must exist
 * with the same type, permission bits, owner (when root), mtime, size, bytes (files ≤ 1 MiB),
 * symlink target and hard-link identity, and nothing else may exist on disk.
 */
function rootfsProblems(rootfs: string, ours: Map<string, Inode>): string[] {
  const problems: string[] = [];
  const inoOf = new Map<Inode, number>();
  const inodeOfIno = new Map<number, Inode>();
  for (const [p, inode] of ours) {
    const disk = nodePath.join(rootfs, p);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(disk);
    } catch {
      problems.push(`${p}: missing on disk`);
      continue;
    }
    const type = typeOf(st);
    if (type !== inode.type) {
      problems.push(`${p}: type ${type}, ours ${inode.type}`);
      continue;
    }
    // Rootless umoci cannot chown and may widen directory modes; a root unpack must match exactly.
    if ((IS_ROOT || type !== 'dir') && type !== 'symlink' && (st.mode & 0o7777) !== inode.mode) {
      problems.push(`${p}: mode ${(st.mode & 0o7777).toString(8)}, ours ${inode.mode.toString(8)}`);
    }
    if (IS_ROOT && (st.uid !== inode.uid || st.gid !== inode.gid)) problems.push(`${p}: owner ${st.uid}:${st.gid}, ours ${inode.uid}:${inode.gid}`);
    // Tar keeps whole seconds; Go's archive/tar (umoci repack) rounds a sub-second mtime to the nearest.
    const mtime = Math.round(st.mtimeMs / 1000);
    if (mtime !== inode.mtime) problems.push(`${p}: mtime ${mtime}, ours ${inode.mtime}`);
    if (type === 'file') {
      if (st.size !== inode.size) problems.push(`${p}: size ${st.size}, ours ${inode.size}`);
      else if (inode.size <= 1 << 20 && !Buffer.from(inode.content.read()).equals(fs.readFileSync(disk))) problems.push(`${p}: content differs`);
      // Hard links: one Inode under two names in ours ⇔ one inode number on disk.
      const seen = inoOf.get(inode);
      if (seen === undefined) inoOf.set(inode, st.ino);
      else if (seen !== st.ino) problems.push(`${p}: hard-linked in ours, not on disk`);
      const other = inodeOfIno.get(st.ino);
      if (other === undefined) inodeOfIno.set(st.ino, inode);
      else if (other !== inode) problems.push(`${p}: hard-linked on disk, not in ours`);
    }
    if (type === 'symlink' && fs.readlinkSync(disk) !== inode.target) problems.push(`${p}: link target ${fs.readlinkSync(disk)}, ours ${inode.target}`);
  }
  // Nothing extra on disk: no `.wh.*` files, nothing that a whiteout or opaque dir removed.
  for (const p of walkDisk(rootfs)) if (!ours.has(p)) problems.push(`${p}: on disk, not in our merged view`);
  return problems;
}

describe.skipIf(!SKOPEO || !UMOCI)('umoci unpacks engine images to the rootfs our merged view predicts', () => {
  test('umoci unpack: same paths, types, modes, owners, sizes, mtimes, contents, hard links; whiteouts and opaque dir honoured', async () => {
    const f = await fixture();
    // An identity copy: our OCI layout bytes, unpacked as an OCI runtime bundle by umoci.
    run('skopeo', ['copy', '-q', `oci-archive:${f.archive}:v1`, `oci:${at('oci')}:v1`]);
    const bundle = at('bundle');
    run('umoci', ['unpack', ...(IS_ROOT ? [] : ['--rootless']), '--image', `${at('oci')}:v1`, bundle]);
    const rootfs = nodePath.join(bundle, 'rootfs');

    const ours = await mergedView(f.persistence, REF);
    expect(rootfsProblems(rootfs, ours)).toEqual([]);

    // The scenario's three kinds of change, spelled out.
    expect(ours.size).toBeGreaterThan(400);
    expect(fs.readFileSync(nodePath.join(rootfs, 'app/hello.txt'), 'utf8')).toBe('hello from layerlab\n');
    expect(fs.existsSync(nodePath.join(rootfs, 'etc/issue'))).toBe(false);
    expect(fs.existsSync(nodePath.join(rootfs, 'etc/periodic'))).toBe(false);
    expect(fs.readFileSync(nodePath.join(rootfs, LONG_FILE), 'utf8')).toBe('long\n');
    expect(fs.statSync(nodePath.join(rootfs, 'app/data/hard')).ino).toBe(fs.statSync(nodePath.join(rootfs, 'app/data/a')).ino);
    expect(fs.statSync(nodePath.join(rootfs, 'app/data/a')).mode & 0o7777).toBe(0o4755);
    expect(fs.readdirSync(nodePath.join(rootfs, 'etc/apk'))).toEqual(['only']);
    expect(fs.statSync(nodePath.join(rootfs, 'app/data/b')).mode & 0o777).toBe(0o600);
    const edge = (p: string) => fs.lstatSync(nodePath.join(rootfs, 'app/edge', p));
    if (IS_ROOT) expect([edge('big-owner').uid, edge('big-owner').gid]).toEqual([3000000, 3000001]);
    expect(edge('empty-dir').mode & 0o7777).toBe(0o1777);
    expect(fs.readlinkSync(nodePath.join(rootfs, 'app/edge/long-link'))).toBe(LONG_FILE);
    expect(fs.readFileSync(nodePath.join(rootfs, 'app/edge/données-ü.txt'), 'utf8')).toBe('ü\n');
  });

  test('umoci repack: a layer written by umoci loads into a fresh engine whose merged view equals umoci\'s rootfs', async () => {
    const f = await fixture();
    run('skopeo', ['copy', '-q', `oci-archive:${f.archive}:v1`, `oci:${at('oci-repack')}:v1`]);
    const bundle = at('bundle-repack');
    run('umoci', ['unpack', ...(IS_ROOT ? [] : ['--rootless']), '--image', `${at('oci-repack')}:v1`, bundle]);
    const rootfs = nodePath.join(bundle, 'rootfs');
    // Changes umoci must express in its own layer tar: a new file, a removed file (umoci writes
    // whiteouts), a replaced directory, a mode change, a hard link, a dangling symlink.
    fs.writeFileSync(nodePath.join(rootfs, 'app/new.txt'), 'added by umoci\n');
    fs.rmSync(nodePath.join(rootfs, 'etc/hosts'));
    fs.rmSync(nodePath.join(rootfs, 'etc/ssl'), { recursive: true });
    fs.mkdirSync(nodePath.join(rootfs, 'etc/ssl'));
    fs.writeFileSync(nodePath.join(rootfs, 'etc/ssl/only'), 'x');
    fs.chmodSync(nodePath.join(rootfs, 'app/hello.txt'), 0o640);
    fs.linkSync(nodePath.join(rootfs, 'app/new.txt'), nodePath.join(rootfs, 'app/new-hard.txt'));
    fs.symlinkSync('/nowhere', nodePath.join(rootfs, 'app/dangling'));
    run('umoci', ['repack', ...(IS_ROOT ? [] : ['--rootless']), '--image', `${at('oci-repack')}:v2`, bundle]);
    const out = at('umoci-v2.tar');
    run('skopeo', ['copy', '-q', `oci:${at('oci-repack')}:v2`, `oci-archive:${out}:docker.io/layerlab/umoci:v2`]);

    const persistence = new MemoryPersistence();
    const engine = testEngine(persistence);
    expect(await engine.images.load(new Uint8Array(fs.readFileSync(out)))).toEqual(['Loaded image: layerlab/umoci:v2']);
    const inspect = await engine.images.inspect('layerlab/umoci:v2');
    expect(inspect.RootFS.Layers.slice(0, f.diffIds.length)).toEqual(f.diffIds);
    expect(inspect.RootFS.Layers).toHaveLength(f.diffIds.length + 1);
    // After repack the bundle's rootfs is what umoci says the image holds.
    const ours = await mergedView(persistence, 'layerlab/umoci:v2');
    expect(rootfsProblems(rootfs, ours)).toEqual([]);
    expect(ours.has('/etc/hosts')).toBe(false);
    expect([...ours.keys()].filter((p) => p.startsWith('/etc/ssl/'))).toEqual(['/etc/ssl/only']);
  });
});

// ------------------------------------------------------------------ archives written by skopeo → engine.load

describe.skipIf(!SKOPEO)('engine.load reads archives written by skopeo', () => {
  /** A fresh engine (own store) that loads `file`, then reports what it holds. */
  async function loadFresh(file: string, ref: string) {
    const engine = testEngine();
    const lines = await engine.images.load(new Uint8Array(fs.readFileSync(file)));
    const inspect = await engine.images.inspect(ref);
    return { lines, inspect };
  }

  test('classic docker-archive (manifest.json + <id>.json + <diffid>.tar, layer.tar symlinks): same image ID and diff_ids', async () => {
    const f = await fixture();
    run('skopeo', ['copy', '-q', `oci-archive:${f.archive}:v1`, `oci:${at('oci-rt')}:v1`]);
    const out = at('classic.tar');
    run('skopeo', ['copy', '-q', `oci:${at('oci-rt')}:v1`, `docker-archive:${out}:layerlab/roundtrip:v1`]);
    // It really is the classic `docker save` layout, not an OCI layout.
    const names = run('tar', ['-tf', out]).trim().split('\n');
    expect(names).toContain('manifest.json');
    expect(names).toContain(`${f.imageId.slice(7)}.json`);
    expect(names).not.toContain('index.json');
    expect(names.filter((n) => n.endsWith('/layer.tar'))).toHaveLength(f.diffIds.length);
    const { lines, inspect } = await loadFresh(out, 'layerlab/roundtrip:v1');
    expect(lines).toEqual(['Loaded image: layerlab/roundtrip:v1']);
    expect(inspect.Id).toBe(f.imageId);
    expect(inspect.RootFS.Layers).toEqual(f.diffIds);
  });

  test('classic docker-archive converted by skopeo from docker-archive → oci: same diff_ids, skopeo-rewritten config', async () => {
    const f = await fixture();
    // skopeo's Docker schema2 → OCI conversion re-serialises the config through Go's OCI struct,
    // which drops Docker's "OnBuild":null: the image ID changes (to the config skopeo wrote), the
    // layers do not.
    run('skopeo', ['copy', '-q', `docker-archive:${f.archive}`, `oci:${at('oci-conv')}:v1`]);
    const out = at('classic-conv.tar');
    run('skopeo', ['copy', '-q', `oci:${at('oci-conv')}:v1`, `docker-archive:${out}:layerlab/conv:v1`]);
    const skopeoConfig = JSON.parse(run('skopeo', ['inspect', '--raw', `oci:${at('oci-conv')}:v1`])).config.digest;
    const { inspect } = await loadFresh(out, 'layerlab/conv:v1');
    expect(inspect.Id).toBe(skopeoConfig);
    expect(inspect.RootFS.Layers).toEqual(f.diffIds);
  });

  test('oci-archive written by skopeo (ref.name only, no manifest.json): same image ID and diff_ids', async () => {
    const f = await fixture();
    run('skopeo', ['copy', '-q', `oci-archive:${f.archive}:v1`, `oci:${at('oci-rt2')}:v1`]);
    const out = at('skopeo-oci.tar');
    run('skopeo', ['copy', '-q', `oci:${at('oci-rt2')}:v1`, `oci-archive:${out}:${FULL_REF}`]);
    const names = run('tar', ['-tf', out]).trim().split('\n');
    expect(names).not.toContain('manifest.json');
    // containerd's importer (Docker 25+) takes a full name in org.opencontainers.image.ref.name as the image name.
    const { lines, inspect } = await loadFresh(out, REF);
    expect(lines).toEqual([`Loaded image: ${REF}`]);
    expect(inspect.Id).toBe(f.imageId);
    expect(inspect.RootFS.Layers).toEqual(f.diffIds);
  });
});

// ------------------------------------------------------------------ podman

/** Global podman flags (a private vfs store under the temp dir, see podman.ts) followed by `args`. */
const podmanArgs = (...args: string[]) => [...podmanFlags(at('podman'), 'vfs'), ...args];

/** Why podman cannot work here at all (probed with `podman info`), or undefined. */
const podmanProblem = () => probePodman(podmanArgs());

describe.skipIf(!PODMAN)('podman loads (and runs) engine images', () => {
  const problem = PODMAN ? podmanProblem() : undefined;

  test('podman load -i: image ID, manifest digest and diff_ids as ours; podman save loads back', async (ctx) => {
    if (problem) {
      console.warn(`real-tools: podman load skipped: podman does not work in this environment: ${problem}`);
      ctx.skip();
    }
    const f = await fixture();
    const out = run('podman', podmanArgs('load', '-i', f.archive));
    expect(out).toContain(`Loaded image: ${FULL_REF}`);
    const [img] = JSON.parse(run('podman', podmanArgs('image', 'inspect', REF)));
    expect(`sha256:${img.Id}`).toBe(f.imageId);
    expect(img.Digest).toBe(f.manifestDigest);
    expect(img.RootFS.Layers).toEqual(f.diffIds);
    expect(img.RepoTags).toContain(FULL_REF);
    // And back: podman save in both formats (layers uncompressed, as containers/storage keeps
    // them), loaded by a fresh engine, keeps the image ID and diff_ids.
    for (const format of ['docker-archive', 'oci-archive']) {
      const saved = at(`podman-${format}.tar`);
      run('podman', podmanArgs('save', '--format', format, '-o', saved, REF));
      const engine = testEngine();
      expect(await engine.images.load(new Uint8Array(fs.readFileSync(saved)))).toEqual([`Loaded image: ${REF}`]);
      const inspect = await engine.images.inspect(REF);
      expect(inspect.Id).toBe(f.imageId);
      expect(inspect.RootFS.Layers).toEqual(f.diffIds);
    }
  });

  test('podman run: a static busybox added by an engine build sees the merged filesystem', async (ctx) => {
    // The catalog's /bin/sh is modelled content (not a real program), so the container runs a real
    // static busybox that an engine build COPYs in.
    const bb = staticBusybox();
    const busybox = 'path' in bb ? bb.path : '';
    const why = problem ?? ('problem' in bb ? bb.problem : undefined);
    if (why) {
      console.warn(`real-tools: podman run skipped: ${why}`);
      ctx.skip();
    }
    const f = await fixture();
    const bbRef = 'layerlab/test:bb';
    await f.engine.builds.build({
      dockerfile: `FROM ${REF}\nCOPY busybox /busybox\n`,
      files: [{ path: 'busybox', type: 'file', mode: 0o755, content: new Uint8Array(fs.readFileSync(busybox)) }],
      tags: [bbRef],
    });
    const archive = at('image-bb.tar');
    fs.writeFileSync(archive, await f.engine.images.save([bbRef]));
    run('podman', podmanArgs('load', '-i', archive));
    // The sandbox may forbid raising rlimits (no CAP_SYS_RESOURCE), so ask for modest ones.
    const runArgs = podmanArgs('run', '--rm', '--network', 'none', ...RUN_LIMITS, bbRef);
    // Applets are called as `/busybox NAME`: the image's own /bin/* are alpine's modelled binaries.
    const script = ['cat /app/hello.txt', 'ls -A /etc/apk', 'test -e /etc/issue && echo issue-present || echo issue-gone', 'stat -c "%a %s" /app/data/b', 'readlink /app/data/link']
      .map((c) => `/busybox ${c}`)
      .join('; ');
    let out: string;
    try {
      out = run('podman', [...runArgs, '/busybox', 'sh', '-c', script]);
    } catch (e) {
      // Tell an environment failure from a broken image: run a reference image made by umoci alone.
      const msg = String((e as Error).message);
      const envProblem = referenceRunProblem(runArgs.slice(0, -1), busybox);
      if (envProblem) {
        console.warn(`real-tools: podman run skipped: containers cannot run here: ${envProblem}`);
        ctx.skip();
      }
      throw new Error(`podman run of our image failed although a umoci-made reference image runs:\n${msg}`);
    }
    expect(out.split('\n')).toEqual(['hello from layerlab', 'only', 'issue-gone', '600 4', 'a', '']);
  });
});

/** Runs a busybox image made by umoci itself under the same flags; returns the error, or undefined if it runs. */
function referenceRunProblem(runArgs: string[], busybox: string): string | undefined {
  try {
    if (!UMOCI) return 'umoci missing, cannot build a reference image';
    const layout = refLayout;
    fs.rmSync(layout, { recursive: true, force: true });
    run('umoci', ['init', '--layout', layout]);
    run('umoci', ['new', '--image', `${layout}:ref`]);
    run('umoci', ['insert', '--image', `${layout}:ref`, busybox, '/busybox']);
    const id = run('podman', podmanArgs('pull', '-q', `oci:${layout}:ref`)).trim();
    run('podman', [...runArgs, id, '/busybox', 'true']);
    return undefined;
  } catch (e) {
    return String((e as Error).message).trim();
  }
}
