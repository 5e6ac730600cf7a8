/**
 * The image config blob's exact bytes per Dockerfile instruction kind, pinned in
 * test/golden/config/*.json (regenerate with UPDATE_GOLDEN=1 and review by eye). The bytes follow
 * BuildKit's exporter: top-level keys sorted (its map-based patch), `config` in
 * dockerspec.DockerOCIImageConfig field order with Go `omitempty`, history in ocispec.History order.
 */
import { describe, expect, it } from 'vitest';
import { expectGolden, testEngine } from './helpers.ts';

const enc = (s: string) => new TextEncoder().encode(s);

/** One Dockerfile per instruction kind; `FROM scratch` where no shell is needed keeps them fast. */
const CASES: Record<string, string> = {
  'from-scratch': 'FROM scratch\n',
  env: 'FROM scratch\nENV A=1 B="two words"\n',
  label: 'FROM scratch\nLABEL b=2 a=1 "with space"="x<y&z"\n',
  user: 'FROM scratch\nUSER 1000:1000\n',
  expose: 'FROM scratch\nEXPOSE 8080 53/udp 443/tcp\n',
  volume: 'FROM scratch\nVOLUME ["/data", "/cache"]\n',
  'cmd-exec': 'FROM scratch\nCMD ["/app", "--serve"]\n',
  'cmd-shell': 'FROM scratch\nCMD echo hello && sleep 1\n',
  entrypoint: 'FROM scratch\nCMD ["x"]\nENTRYPOINT ["/bin/tini", "--"]\n',
  'entrypoint-clears-cmd': 'FROM scratch\nENTRYPOINT ["/bin/tini"]\n',
  shell: 'FROM scratch\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nCMD echo hi\n',
  healthcheck: 'FROM scratch\nHEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost/ || exit 1\n',
  'healthcheck-all': 'FROM scratch\nHEALTHCHECK --interval=5s --timeout=2s --start-period=10s --start-interval=1s --retries=4 CMD ["/check"]\n',
  'healthcheck-none': 'FROM scratch\nHEALTHCHECK NONE\n',
  stopsignal: 'FROM scratch\nSTOPSIGNAL SIGQUIT\n',
  onbuild: 'FROM scratch\nONBUILD RUN echo child\n',
  maintainer: 'FROM scratch\nMAINTAINER Jane <jane@example.com>\n',
  arg: 'FROM scratch\nARG V=1\nENV V=$V\n',
  workdir: 'FROM scratch\nWORKDIR /srv/app\n',
  copy: 'FROM scratch\nCOPY hello.txt /hello.txt\n',
  add: 'FROM scratch\nADD hello.txt /added/\n',
  run: 'FROM alpine:3.22\nRUN echo hi > /hi\n',
};

describe('config bytes per instruction kind', () => {
  const engine = testEngine();
  for (const [name, dockerfile] of Object.entries(CASES)) {
    it(name, async () => {
      const files = [{ path: 'hello.txt', type: 'file' as const, mode: 0o644, content: enc('hello\n') }];
      const res = await engine.builds.build({ dockerfile, files, tags: [`cfg-${name}:1`] });
      const raw = (await engine.inspector.objects(`cfg-${name}:1`)).config.raw;
      // The image ID is the digest of exactly these bytes.
      expect((await engine.images.inspect(`cfg-${name}:1`)).Id).toBe(res.imageId);
      expect(JSON.parse(raw)).toBeTypeOf('object');
      expectGoldenBytes(`config/${name}.json`, raw);
    });
  }
});

function expectGoldenBytes(file: string, raw: string): void {
  // The golden file holds the bytes plus one trailing newline so it reads well in a diff.
  expectGolden(file, `${raw}\n`);
}
