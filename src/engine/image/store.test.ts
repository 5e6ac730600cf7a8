import { describe, expect, test } from 'vitest';
import { MemoryPersistence, fixedClock } from '../host.ts';
import { SyntheticContent, textContent } from '../fs/content.ts';
import { LayerTree, makeFile } from '../fs/layer-tree.ts';
import { ImageStore } from './store.ts';
import { assertValidImage, validateImage } from './validate.ts';
import { parseIndex } from './image-index.ts';
import { configFor, storeWithImage } from './test-support.ts';

describe('ImageStore', () => {
  test('persists as an OCI layout with full-reference annotations', async () => {
    const { persistence, store, imageId, manifestDigest } = await storeWithImage(['alpine:latest', 'localhost:5000/app:v1']);
    expect(new TextDecoder().decode(persistence.files.get('oci-layout'))).toBe('{"imageLayoutVersion":"1.0.0"}');
    const ix = parseIndex(persistence.files.get('index.json')!);
    expect(ix.manifests.map((m) => m.annotations?.['org.opencontainers.image.ref.name'])).toEqual(['docker.io/library/alpine:latest', 'localhost:5000/app:v1']);
    expect(ix.manifests.every((m) => m.digest === manifestDigest)).toBe(true);
    expect(persistence.files.has(`blobs/sha256/${imageId.slice(7)}`)).toBe(true);
    await assertValidImage(store, 'alpine');
  });

  test('resolves tags, familiar names, digests and ID prefixes', async () => {
    const { store, imageId, manifestDigest } = await storeWithImage();
    for (const s of ['alpine', 'alpine:latest', 'docker.io/library/alpine:latest', imageId, imageId.slice(7), imageId.slice(7, 19), `alpine@${manifestDigest}`]) {
      expect(store.resolve(s).imageId).toBe(imageId);
    }
    expect(store.resolve('alpine').repoTags).toEqual(['alpine:latest']);
    expect(() => store.resolve('foo')).toThrow('Error response from daemon: No such image: foo:latest');
    expect(() => store.resolve('alpine:3.20')).toThrow('No such image: alpine:3.20');
    await assertValidImage(store, imageId);
  });

  test('a reopened store has the same images, tags and layer trees', async () => {
    const { persistence, store, imageId, layers } = await storeWithImage(['alpine:latest', 'mine:1']);
    const again = await ImageStore.open(persistence);
    expect(again.listImages().map((i) => [i.imageId, i.repoTags])).toEqual(store.listImages().map((i) => [i.imageId, i.repoTags]));
    const tree = await again.layerTree(layers[1].diffId);
    expect([...tree.walk()].map(([p]) => p)).toContain('/etc/motd');
    expect(await validateImage(again, imageId)).toEqual([]);
  });

  test('rmi untags, then deletes; shared layers survive', async () => {
    const { store, imageId, layers } = await storeWithImage(['alpine:latest', 'alpine:3.20']);
    const cfg2 = configFor([layers[0]], { author: 'x', history: [{ created_by: 'ADD rootfs' }] });
    const other = await store.putImage({ config: cfg2, layers: [layers[0]], tags: ['base:1'] });
    expect(await store.remove('alpine:3.20')).toEqual(['Untagged: alpine:3.20']);
    const out = await store.remove('alpine');
    expect(out[0]).toBe('Untagged: alpine:latest');
    expect(out[1]).toBe(`Deleted: ${imageId}`);
    expect(out).toHaveLength(3); // the unshared upper layer goes; the shared base layer stays
    expect(store.hasBlob(layers[0].digest)).toBe(true);
    expect(store.hasBlob(layers[1].digest)).toBe(false);
    await expect(store.remove('alpine')).rejects.toThrow('Error response from daemon: No such image: alpine:latest');
    await assertValidImage(store, other.imageId);
  });

  test('rmi by ID refuses when tags span repositories, unless forced', async () => {
    const { store, imageId } = await storeWithImage(['alpine:latest', 'mine:latest']);
    const short = imageId.slice(7, 19);
    await expect(store.remove(short)).rejects.toThrow(`conflict: unable to delete ${short} (must be forced) - image is referenced in multiple repositories`);
    const out = await store.remove(short, { force: true });
    expect(out.slice(0, 3)).toEqual(['Untagged: alpine:latest', 'Untagged: mine:latest', `Deleted: ${imageId}`]);
    expect(store.listImages()).toEqual([]);
  });

  test('untagged images are listed with no tags (<none>:<none>) and tag() names them', async () => {
    const { store, imageId } = await storeWithImage([]);
    expect(store.listImages().map((i) => i.repoTags)).toEqual([[]]);
    await store.tag(imageId.slice(7, 19), 'localhost:5000/app:v1');
    expect(store.resolve('localhost:5000/app:v1').repoTags).toEqual(['localhost:5000/app:v1']);
    await expect(store.tag('alpine', 'x:y')).rejects.toThrow('No such image: alpine:latest');
    await assertValidImage(store, imageId);
  });

  test('putBlob verifies; identical layers are stored once', async () => {
    const store = await ImageStore.open(new MemoryPersistence(), { clock: fixedClock() });
    await expect(store.putBlob(new Uint8Array([1]), `sha256:${'0'.repeat(64)}` as never)).rejects.toMatchObject({ code: 'image/digest-mismatch' });
    const mk = () => {
      const t = new LayerTree();
      t.set('/a', makeFile(new SyntheticContent(1000, 1)));
      return t;
    };
    const a = await store.commitLayer(mk());
    const b = await store.commitLayer(mk());
    expect(b).toEqual(a);
    const { imageId } = await store.putImage({ config: configFor([a], { history: [{ created_by: 'ADD a' }] }), layers: [a] });
    const img = await store.completeImage(imageId);
    expect(store.blobDigests()).toEqual([img.layers[0].digest, imageId, img.manifestDigest].sort());
  });

  test('a committed layer stays uncompressed (DiffID only) until its blob is needed, then the blob is kept', async () => {
    const persistence = new MemoryPersistence();
    const store = await ImageStore.open(persistence, { clock: fixedClock() });
    const t = new LayerTree();
    t.set('/app/hello.txt', makeFile(textContent('hello\n')));
    const l = await store.commitLayer(t);
    expect(l.digest).toBeUndefined();
    expect(l.uncompressedSize).toBeGreaterThan(0);
    expect(persistence.files.has(`layerlab/uncompressed/${l.diffId.slice(7)}.json`)).toBe(true);
    const { imageId, manifestDigest } = await store.putImage({ config: configFor([l], { history: [{ created_by: 'COPY hello.txt' }] }), layers: [l], tags: ['app:1'] });
    // Recorded by its config, no manifest yet; tags survive a reopen.
    expect(manifestDigest).toBeUndefined();
    expect(store.resolve('app:1').manifestDigest).toBeUndefined();
    const reopened = await ImageStore.open(persistence, { clock: fixedClock() });
    expect(reopened.resolve('app:1').imageId).toBe(imageId);
    expect([...(await reopened.layerTree(l.diffId)).walk()].map(([p]) => p)).toContain('/app/hello.txt');
    // A blob is needed: gzip once, keep it, write the manifest, forget the uncompressed copy.
    const img = await reopened.completeImage('app:1');
    expect(img.layers[0].digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(persistence.files.has(`blobs/sha256/${img.layers[0].digest.slice(7)}`)).toBe(true);
    expect(persistence.files.has(`layerlab/uncompressed/${l.diffId.slice(7)}.json`)).toBe(false);
    expect(reopened.resolve('app:1').manifestDigest).toBe(img.manifestDigest);
    await assertValidImage(reopened, imageId);
    const again = await ImageStore.open(persistence, { clock: fixedClock() });
    expect(again.resolve('app:1').manifestDigest).toBe(img.manifestDigest);
    expect(await again.completeImage('app:1')).toEqual(img);
  });

  test('lazy synthetic layers keep a recipe, not bytes, and materialise with the same digest', async () => {
    const persistence = new MemoryPersistence();
    const store = await ImageStore.open(persistence, { lazyThreshold: 1000 });
    const t = new LayerTree();
    t.set('/usr/lib/big.so', makeFile(new SyntheticContent(300_000, 9)));
    const committed = await store.commitLayer(t);
    const { imageId } = await store.putImage({ config: configFor([committed], { history: [{ created_by: 'ADD big' }] }), layers: [committed], tags: ['big'] });
    const [l] = (await store.completeImage(imageId)).layers;
    expect(persistence.files.has(`blobs/sha256/${l.digest.slice(7)}`)).toBe(false);
    expect(persistence.files.has(`layerlab/recipes/${l.digest.slice(7)}.json`)).toBe(true);
    const reopened = await ImageStore.open(persistence);
    expect((await reopened.getBlob(l.digest)).length).toBe(l.size);
    await assertValidImage(reopened, imageId);
  });
});
