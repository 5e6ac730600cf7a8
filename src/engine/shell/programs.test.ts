import { describe, expect, it } from 'vitest';
import { createShell } from './shell.ts';
import { makeRootfs } from './test-support.ts';
import { classifyExecutable } from './union-fs-adapter.ts';

const enc = (s: string) => new TextEncoder().encode(s);
// Bytes like the catalog's synthetic binaries: not text, and (by chance) no ELF header.
const noise = Uint8Array.from({ length: 4096 }, (_, i) => ((i * 7919 + 13) % 251) + 1);

function nodeImage() {
  const fs = makeRootfs('alpine');
  fs.mkdir('/usr/local/lib/node_modules/npm/bin', { recursive: true });
  fs.writeFile('/usr/local/lib/node_modules/npm/bin/npm-cli.js', enc('#!/usr/bin/env node\nrequire("../lib/cli.js")(process)\n'), { mode: 0o755 });
  fs.symlink('../lib/node_modules/npm/bin/npm-cli.js', '/usr/local/bin/npm');
  fs.writeFile('/usr/local/lib/node_modules/npm/bin/npx-cli.js', enc('#!/usr/bin/env node\nrequire("../lib/cli.js")(process)\n'), { mode: 0o755 });
  fs.symlink('../lib/node_modules/npm/bin/npx-cli.js', '/usr/local/bin/npx');
  fs.writeFile('/usr/local/lib/node_modules/npm/package.json', enc('{"name":"npm","version":"10.9.2"}'));
  fs.writeFile('/usr/local/bin/node', noise, { mode: 0o755 });
  fs.mkdir('/app');
  fs.writeFile('/app/server', noise, { mode: 0o755 });
  fs.writeFile('/app/run.sh', enc('echo from-script "$@"\n'), { mode: 0o755 });
  fs.writeFile('/app/tool.py', enc('#!/usr/bin/python3\nprint(1)\n'), { mode: 0o755 });
  return fs;
}

describe('programs are executed by what they are', () => {
  it('classifies shebangs, ELF and noise', () => {
    expect(classifyExecutable(enc('#!/bin/sh\necho'))).toEqual({ kind: 'script' });
    expect(classifyExecutable(enc('#!/usr/bin/env bash\n'))).toEqual({ kind: 'script' });
    expect(classifyExecutable(enc('#!/usr/bin/env node\n'))).toEqual({ kind: 'interpreted', interpreter: 'node' });
    expect(classifyExecutable(enc('#!/usr/bin/env -S python3 -u\n'))).toEqual({ kind: 'interpreted', interpreter: 'python3' });
    expect(classifyExecutable(enc('echo plain text is a shell script (ENOEXEC)\n'))).toEqual({ kind: 'script' });
    expect(classifyExecutable(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, 2, 1))).toEqual({ kind: 'binary' });
    expect(classifyExecutable(noise)).toEqual({ kind: 'binary' });
  });

  it('never feeds a program\'s bytes to the shell: npx on node:alpine fails in one line, earlier output kept; npm has a model', async () => {
    const sh = createShell({ fs: nodeImage() });
    const r = await sh.run('echo before; npx --version; echo rc=$?; npm --version; /app/server; echo rc=$?; /app/run.sh a b; /app/tool.py; echo rc=$?');
    expect(r.stdout).toBe('before\nrc=126\n10.9.2\nrc=126\nfrom-script a b\nrc=127\n');
    expect(r.stderr).toBe(
      'npx: cannot run /usr/local/lib/node_modules/npm/bin/npx-cli.js: a script for node that layerlab does not simulate\n' +
        'server: cannot run /app/server: a binary program that layerlab does not simulate\n' +
        '/bin/sh: tool.py: not found\n',
    );
  });

  it('does not trace the lab\'s program stub under set -x', async () => {
    const sh = createShell({ fs: makeRootfs('debian') });
    const r = await sh.run('set -x; useradd -m app; id -u app');
    expect(r.stdout).toBe('1000\n');
    expect(r.stderr).toBe('+ useradd -m app\n+ id -u app\n');
  });

  it('uses the distribution\'s tools: BusyBox adduser -D on Alpine, rejected by Debian\'s adduser', async () => {
    const alpine = await createShell({ fs: makeRootfs('alpine') }).run('adduser -D bob && id -u bob');
    expect(alpine.stdout).toBe('1000\n');
    const debian = await createShell({ fs: makeRootfs('debian') }).run('adduser -D bob; echo rc=$?; adduser --disabled-password --gecos "" bob >/dev/null && id -u bob');
    expect(debian.stdout).toBe('rc=1\n1000\n');
    expect(debian.stderr).toMatch(/^Unknown option: d\nadduser \[--uid id\]/);
  });
});

describe('command -v and type see the image, not the command table', () => {
  it('report a modelled program only when its file is on PATH (yarn is modelled, but this image has none)', async () => {
    const sh = createShell({ fs: nodeImage() });
    const r = await sh.run('command -v yarn; echo rc=$?; command -v npm node cd; type npm; type yarn; echo rc=$?');
    expect(r.stdout).toBe('rc=1\n/usr/local/bin/npm\n/usr/local/bin/node\ncd\nnpm is /usr/local/bin/npm\nrc=1\n');
    const fs = nodeImage();
    fs.writeFile('/usr/local/bin/yarn', enc('#!/usr/bin/env node\n'), { mode: 0o755 });
    expect((await createShell({ fs }).run('command -v yarn')).stdout).toBe('/usr/local/bin/yarn\n');
  });
});
