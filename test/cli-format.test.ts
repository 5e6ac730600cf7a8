/**
 * `--format` on the list and inspect commands end to end through `main`, over an on-disk store
 * holding the catalog's alpine: the forms people paste from docker tutorials, with the output
 * docker prints for them (tabwriter tables, `json` lines, Go value printing) and docker's
 * `template parsing error: …` lines with exit 1.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import type { CliIo } from '../src/cli/command.ts';
import { DiskPersistence } from '../src/cli/host-node.ts';
import { ImageStore } from '../src/engine/image/store.ts';
import { putAlpine } from '../src/engine/container/test-support.ts';
import { ROOT } from './helpers.ts';

let root: string;
const cli = async (...argv: string[]) => {
  const o = { out: '', err: '' };
  const io: CliIo = { out: (s) => void (o.out += s), err: (s) => void (o.err += s), outBytes: () => {}, stdoutIsTty: false, cwd: root, now: () => Date.now(), readStdin: async () => new Uint8Array() };
  const code = await main(['--root', root, ...argv], io);
  return { code, ...o };
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'layerlab-format-'));
  const store = await ImageStore.open(new DiskPersistence(root));
  await putAlpine(store, readFileSync(join(ROOT, 'public/catalog/alpine-3.22.json')));
  expect((await cli('create', '--name', 'web', '-l', 'tier=front', 'alpine', 'sh')).code).toBe(0);
  expect((await cli('volume', 'create', 'data')).code).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('--format', () => {
  it('images: a template per row, a table with a header from the column names, json lines', async () => {
    const id = JSON.parse((await cli('image', 'inspect', 'alpine')).out)[0].Id.slice(7, 19);
    expect(await cli('images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}')).toMatchObject({ code: 0, out: `alpine:latest ${id}\n` });
    const t = await cli('images', '--format', 'table {{.Repository}}\\t{{.Tag}}\\t{{.ID}}');
    expect(t.out).toBe(`REPOSITORY   TAG       IMAGE ID\nalpine       latest    ${id}\n`);
    const j = await cli('images', '--format', 'json');
    const row = JSON.parse(j.out);
    expect(Object.keys(row)).toEqual(['Containers', 'CreatedAt', 'CreatedSince', 'Digest', 'ID', 'Repository', 'SharedSize', 'Size', 'Tag', 'UniqueSize', 'VirtualSize']);
    expect(row).toMatchObject({ Repository: 'alpine', Tag: 'latest', ID: id, Size: '8.3MB' });
    expect(row.CreatedAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/);
    expect((await cli('images', '--format', '{{upper .Repository}}|{{lower "X"}}|{{printf "%-8s|" .Tag}}')).out).toBe('ALPINE|x|latest  |\n');
  });

  it('image inspect / inspect: nested fields, json, range, index, join, if, println', async () => {
    const f = (t: string) => cli('inspect', '-f', t, 'alpine');
    expect((await f('{{.Config.Env}}')).out).toBe('[PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin]\n');
    expect((await f('{{json .Config.Cmd}}')).out).toBe('["/bin/sh"]\n');
    expect(JSON.parse((await f('{{json .}}')).out).RepoTags).toEqual(['alpine:latest']);
    expect((await f('{{json .Config}}')).out).toMatch(/^\{.*"Cmd":\["\/bin\/sh"\].*\}\n$/);
    expect((await f('{{range .RepoTags}}{{.}};{{end}}')).out).toBe('alpine:latest;\n');
    expect((await f('{{index .RepoTags 0}}')).out).toBe('alpine:latest\n');
    expect((await f('{{join .Config.Env ","}}')).out).toBe('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n');
    expect((await f('{{if eq .Os "linux"}}linux{{else}}other{{end}}/{{.Architecture}}')).out).toBe('linux/amd64\n');
    expect((await f('{{println .Os}}')).out).toBe('linux\n\n');
    // Zero values of the typed struct: a nil slice and a nil map; an unknown key of the raw JSON.
    expect((await f('{{.Config.Entrypoint}}|{{.Config.ExposedPorts}}|{{.Nope}}')).out).toBe('[]|map[]|<no value>\n');
    const two = await cli('image', 'inspect', '--format', '{{.Os}}', 'alpine', 'alpine:latest');
    expect(two.out).toBe('linux\nlinux\n');
  });

  it('ps, container inspect, history, volume ls, system df', async () => {
    expect((await cli('ps', '-a', '--format', '{{.Names}} {{.State}} {{.Command}}')).out).toBe('web created "sh"\n');
    expect((await cli('ps', '-a', '--format', 'table {{.Names}}\\t{{.Image}}\\t{{.Status}}')).out).toBe('NAMES     IMAGE     STATUS\nweb       alpine    Created\n');
    expect((await cli('ps', '--format', '{{.Names}}')).out).toBe(''); // not running
    expect((await cli('container', 'inspect', '-f', '{{.Name}} {{.State.Status}} {{.Config.Cmd}} {{index .Config.Labels "tier"}}', 'web')).out).toBe('/web created [sh] front\n');
    const h = await cli('history', '--format', '{{.ID}}|{{.CreatedBy}}|{{.Size}}', 'alpine');
    expect(h.out).toMatch(/^[0-9a-f]{12}\|CMD \["\/bin\/sh"\]\|0B\n<missing>\|ADD alpine-minirootfs-3\.22\.6-x86_64\.tar\.gz \/…\|8\.3MB\n$/);
    expect((await cli('volume', 'ls', '--format', '{{.Name}} {{.Driver}} {{.Mountpoint}}')).out).toBe('data local /var/lib/docker/volumes/data/_data\n');
    expect((await cli('system', 'df', '--format', 'table {{.Type}}\\t{{.TotalCount}}')).out).toBe('TYPE            TOTAL\nImages          1\nContainers      1\nLocal Volumes   1\nBuild Cache     0\n');
  });

  it('template errors are docker\'s lines, exit 1', async () => {
    expect(await cli('images', '--format', '{{.Nope}}')).toMatchObject({
      code: 1,
      out: '',
      err: 'template parsing error: template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type *formatter.imageContext\n',
    });
    expect(await cli('images', '--format', '{{foo}}')).toMatchObject({ code: 1, err: 'template parsing error: template: :1: function "foo" not defined\n' });
    expect(await cli('inspect', '-f', '{{.Os', 'alpine')).toMatchObject({ code: 1, err: 'template parsing error: template: :1: unclosed action\n' });
    expect(await cli('ps', '-a', '--format', '{{.Names.X}}')).toMatchObject({ code: 1 });
  });
});
