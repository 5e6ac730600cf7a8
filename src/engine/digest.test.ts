import fc from 'fast-check';
import { afterEach, expect, test } from 'vitest';
import { createHasher, digestOf, sha256Provider, useSha256, webSha256, type Sha256Provider } from './digest.ts';

afterEach(() => useSha256(webSha256));

test('the default provider (WebCrypto one-shot, hash-wasm streaming) gives the known digest of "abc"', async () => {
  expect(sha256Provider().name).toBe('webcrypto+hash-wasm');
  const abc = new TextEncoder().encode('abc');
  expect(await digestOf(abc)).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  // Above the one-shot threshold WebCrypto answers; streaming must agree with it.
  const big = new Uint8Array(200_000).map((_, i) => i * 7);
  const h = await createHasher();
  for (let i = 0; i < big.length; i += 33_333) h.update(big.subarray(i, i + 33_333));
  expect(h.digest()).toBe(await digestOf(big));
  expect(h.size).toBe(big.length);
});

test('useSha256 routes every digest through the installed provider', async () => {
  const calls: string[] = [];
  const counting: Sha256Provider = {
    name: 'counting',
    oneShot: (b) => (calls.push('oneShot'), webSha256.oneShot(b)),
    create: async () => (calls.push('create'), webSha256.create()),
  };
  useSha256(counting);
  await digestOf(new Uint8Array([1]));
  await createHasher();
  expect(calls).toEqual(['oneShot', 'create']);
});

test('property: chunked streaming equals one-shot for any split', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), fc.array(fc.nat(5000), { maxLength: 6 }), async (data, cuts) => {
      const h = await createHasher();
      let prev = 0;
      for (const c of [...cuts].sort((a, b) => a - b).map((c) => Math.min(c, data.length))) {
        h.update(data.subarray(prev, c));
        prev = c;
      }
      h.update(data.subarray(prev));
      expect(h.digest()).toBe(await digestOf(data));
    }),
    { numRuns: 100, seed: Number(process.env.FC_SEED ?? 20261128) },
  );
});
