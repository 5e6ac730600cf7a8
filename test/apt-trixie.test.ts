/**
 * apt-get on the trixie images (python:3.1x-slim, node:26, nginx, golang, debian:trixie*): `apt-get
 * update` fetches trixie's real lists (public/catalog/apt/trixie/index.json, names and sizes from
 * Debian's archive), and installs resolve against bookworm's packages (`packagesFrom`), which is
 * what the catalog's trixie images are built from (Simulation, said once per install).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '../src/engine/builder/events.ts';
import { ROOT, testEngine } from './helpers.ts';

const TRIXIE = JSON.parse(readFileSync(join(ROOT, 'public/catalog/apt/trixie/index.json'), 'utf8')) as {
  packagesFrom: string;
  lists: { suite: string; uri: string; inRelease: string; inReleaseSize: number; packages: string; packagesSize: number; packagesDownload: number }[];
};
const BOOKWORM = JSON.parse(readFileSync(join(ROOT, 'public/catalog/apt/bookworm/index.json'), 'utf8')) as { columns: string[]; packages: string[][] };
const bookwormVersion = (name: string) => BOOKWORM.packages.find((r) => r[0] === name)![1];

async function build(dockerfile: string) {
  const engine = testEngine();
  let output = '';
  const res = await engine.builds.build({ dockerfile, files: [] }, (e: BuildEvent) => {
    if (e.type === 'vertex-output') output += e.text;
  });
  return { res, output };
}

describe('apt-get on trixie images', () => {
  it('python:3.13-slim: update fetches trixie\'s real lists, install works and says whose versions it installs', { timeout: 300_000 }, async () => {
    const { res, output } = await build('FROM python:3.13-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\nRUN ls -l /var/lib/apt/lists && dpkg -l gcc && ls -l /usr/bin/gcc\n');
    expect(TRIXIE.packagesFrom).toBe('bookworm');
    for (const [i, l] of TRIXIE.lists.entries()) {
      const uri = l.uri.replace(/^http:\/\//, '');
      expect(output).toContain(`Get:${i + 1} http://${uri} ${l.suite} InRelease [`);
      expect(output).toMatch(new RegExp(`${l.packagesSize} [A-Z][a-z]{2} +\\d+ \\d\\d:\\d\\d ${l.packages.replace(/\./g, '\\.')}`));
    }
    expect(output).toContain(`trixie/main amd64 gcc-12 amd64 ${bookwormVersion('gcc-12')} [`);
    expect(output).toMatch(/Simulation: layerlab's trixie images are bookworm's packages with trixie's release files/);
    expect(output).toMatch(/\/usr\/bin\/gcc -> gcc-12$/m);
    expect(output).toMatch(/^ii {2}gcc /m);
    const install = res.steps.find((s) => s.instruction.startsWith('RUN apt-get'))!;
    expect(install.layerSize!).toBeGreaterThan(50e6);
  });

  it('node:26-slim and debian:trixie-slim: apt-get install curl', { timeout: 300_000 }, async () => {
    for (const image of ['node:26-slim', 'debian:trixie-slim']) {
      const { output } = await build(`FROM ${image}\nRUN apt-get update && apt-get install -y curl && dpkg -s curl | grep ^Version\n`);
      expect(output, image).toContain(`Version: ${bookwormVersion('curl')}\n`);
      expect(output, image).toMatch(/newly installed, 0 to remove and 0 not upgraded\./);
    }
  });
});
