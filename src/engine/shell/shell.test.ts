import { describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'fflate';
import { LayerTree, Inode, isWhiteout } from '../fs/layer-tree.ts';
import { LowerStack } from '../fs/lower-stack.ts';
import { UnionFs } from '../fs/union.ts';
import { LayerlabError } from '../errors.ts';
import { FlatFs } from './flat-fs.ts';
import { createShell, describeFailure, ShellError } from './shell.ts';
import { ShellSession } from './session.ts';
import { populateRootfs, makeRootfs } from './test-support.ts';
import type { ArchiveCodec, ArchiveEntry, ShellFs } from './types.ts';

// A small codec for tests: fflate gzip and a JSON "tar" (the real tar format belongs to image/tar.ts).
const codec: ArchiveCodec = {
  gzip: (b) => gzipSync(b, { mtime: 0 }),
  gunzip: (b) => gunzipSync(b),
  pack: (entries) => new TextEncoder().encode(JSON.stringify(entries.map((e) => ({ ...e, data: e.data ? Array.from(e.data) : undefined })))),
  unpack: (b) =>
    (JSON.parse(new TextDecoder().decode(b)) as (ArchiveEntry & { data?: number[] })[]).map((e) => ({ ...e, data: e.data ? Uint8Array.from(e.data) : undefined })),
};

function unionRootfs(flavour: 'debian' | 'alpine' = 'debian') {
  const base = new LayerTree();
  populateRootfs(new FlatFs(base), flavour);
  base.freeze();
  return new UnionFs(new LowerStack([base]), { clock: () => 1_700_000_000 });
}

const text = (fs: ShellFs, p: string) => new TextDecoder().decode(fs.readFile(p));

const backends: [string, (f?: 'debian' | 'alpine') => ShellFs][] = [
  ['FlatFs', (f) => makeRootfs(f)],
  ['UnionFs', (f) => unionRootfs(f) as unknown as ShellFs],
];

describe.each(backends)('RUN lines over %s', (_name, make) => {
  const shellFor = (f: 'debian' | 'alpine' = 'debian') => {
    const fs = make(f);
    return { fs, sh: createShell({ fs, archive: codec, now: () => 1_700_000_000 }) };
  };

  it('runs a set -eux chain with cd and redirections', async () => {
    const { fs, sh } = shellFor();
    const r = await sh.run('set -eux; mkdir -p /app && cd /app && echo hi > a.txt && ls -la');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('a.txt');
    expect(r.stderr).toContain('+ mkdir -p /app');
    expect(text(fs, '/app/a.txt')).toBe('hi\n');
    expect(r.argv).toEqual(['/bin/sh', '-c', 'set -eux; mkdir -p /app && cd /app && echo hi > a.txt && ls -la']);
  });

  it('runs loops, case, functions, $(…) and heredocs', async () => {
    const { fs, sh } = shellFor();
    const r = await sh.run(
      'for f in a b c; do echo $f >> /list; done\n' +
        'n=$(wc -l < /list)\n' +
        'case $n in 3) echo three;; *) echo other;; esac\n' +
        'greet() { echo "hello $1"; }; greet world\n' +
        'i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i\n' +
        'cat > /etc/app.conf <<EOF\nport=80\nhome=$HOME\nEOF\n' +
        'if [ -f /etc/app.conf ]; then echo yes; else echo no; fi',
    );
    expect(r.stdout).toBe('three\nhello world\n3\nyes\n');
    expect(text(fs, '/list')).toBe('a\nb\nc\n');
    expect(text(fs, '/etc/app.conf')).toBe('port=80\nhome=/root\n');
  });

  it('runs text tools: grep, sed -i, awk, sort, uniq, cut, tr, head, tail, sha256sum, find | xargs', async () => {
    const { fs, sh } = shellFor();
    const r = await sh.run(
      "mkdir -p /w && cd /w && printf 'b\\na\\nb\\n' > x.txt && echo one > y.txt\n" +
        "sort x.txt | uniq -c | awk '{print $2\"=\"$1}'\n" +
        "sed -i s/b/B/ x.txt && grep -c B x.txt\n" +
        "echo a:b:c | cut -d: -f2 | tr a-z A-Z\n" +
        "find . -name '*.txt' | sort | xargs wc -l | tail -1\n" +
        'echo -n abc | sha256sum',
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('a=1\nb=2\n2\nB\n  4 total\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -\n');
    expect(text(fs, '/w/x.txt')).toBe('B\na\nB\n');
  });

  it('reports exit codes as data and formats BuildKit failures', async () => {
    const { sh } = shellFor();
    const r = await sh.run('echo before; exit 3');
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('before\n');
    expect(describeFailure(r.argv, r.exitCode)).toBe('process "/bin/sh -c echo before; exit 3" did not complete successfully: exit code: 3');
    expect((await sh.run('set -e; false; echo no')).exitCode).toBe(1);
  });

  it('fails unknown commands with the image shell wording and 127', async () => {
    const deb = shellFor('debian');
    const r = await deb.sh.run('nosuchtool --version');
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toBe('/bin/sh: 1: nosuchtool: not found\n');
    const alp = shellFor('alpine');
    const r2 = await alp.sh.run('nosuchtool');
    expect(r2.stderr).toBe('/bin/sh: nosuchtool: not found\n');
  });

  it('requires binaries on PATH unless told otherwise', async () => {
    const { fs, sh } = shellFor();
    fs.unlink('/usr/bin/sed');
    expect((await sh.run('echo x | sed s/x/y/')).stderr).toBe('/bin/sh: 1: sed: not found\n');
    expect((await sh.run('echo builtin-still-works')).stdout).toBe('builtin-still-works\n');
    const loose = createShell({ fs, requireBinaries: false });
    expect((await loose.run('echo x | sed s/x/y/')).stdout).toBe('y\n');
  });

  it('adds users and groups Debian-style (useradd/groupadd) with real line formats', async () => {
    const { fs, sh } = shellFor();
    const r = await sh.run('groupadd -g 2000 devs && useradd -r -m -u 999 -s /bin/bash -G devs appuser && useradd -m bob && id appuser && id -un bob');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('uid=999(appuser) gid=999(appuser) groups=999(appuser),2000(devs)\nbob\n');
    expect(text(fs, '/etc/passwd')).toContain('appuser:x:999:999::/home/appuser:/bin/bash\nbob:x:1000:1000::/home/bob:/bin/sh\n');
    expect(text(fs, '/etc/group')).toContain('devs:x:2000:appuser\nappuser:x:999:\nbob:x:1000:\n');
    expect(text(fs, '/etc/shadow')).toContain(`appuser:!:19675::::::\nbob:!:19675:0:99999:7:::\n`);
    expect(text(fs, '/etc/gshadow')).toContain('devs:!::appuser\n');
    const home = fs.stat('/home/appuser');
    expect([home.uid, home.gid, home.type]).toEqual([999, 999, 'dir']);
    const dup = await sh.run('useradd bob');
    expect([dup.exitCode, dup.stderr]).toEqual([9, "useradd: user 'bob' already exists\n"]);
  });

  it('adds users BusyBox-style (adduser -D / addgroup -S) on Alpine', async () => {
    const { fs, sh } = shellFor('alpine');
    const r = await sh.run('addgroup -S app && adduser -S -D -G app -h /srv app && adduser -D -u 1000 dev && id app && id dev && whoami');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('uid=100(app) gid=100(app) groups=100(app)\nuid=1000(dev) gid=1000(dev) groups=1000(dev)\nroot\n');
    expect(text(fs, '/etc/passwd')).toContain('app:x:100:100:Linux User,,,:/srv:/bin/false\ndev:x:1000:1000:Linux User,,,:/home/dev:/bin/sh\n');
    expect(text(fs, '/etc/group')).toContain('app:x:100:app\ndev:x:1000:\n');
    const st = fs.stat('/home/dev');
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([1000, 1000, 0o2755]);
  });

  it('chowns recursively and runs as a non-root USER', async () => {
    const { fs, sh } = shellFor();
    await sh.run('useradd -u 1000 app && mkdir -p /app/data && touch /app/data/f && chown -R app:app /app');
    expect([fs.stat('/app/data/f').uid, fs.stat('/app/data/f').gid]).toEqual([1000, 1000]);
    const user = { uid: 1000, gid: 1000, name: 'app' };
    const r = await sh.run('id; echo $HOME; touch /app/mine', { user });
    expect(r.stdout).toBe('uid=1000(app) gid=1000(app) groups=1000(app)\n/home/app\n');
    const denied = await sh.run('echo x > /etc/nope', { user });
    expect([denied.exitCode, denied.stderr]).toEqual([2, '/bin/sh: 1: cannot create /etc/nope: Permission denied\n']);
    expect(fs.stat('/app/mine').uid).toBe(1000);
    const c = await sh.run('chown root /app/mine', { user });
    expect(c.stderr).toBe("chown: changing ownership of '/app/mine': Operation not permitted\n");
  });

  it('creates and extracts gzip tarballs with tar and gzip', async () => {
    const { sh } = shellFor();
    const r = await sh.run(
      'mkdir -p /src/d && echo a > /src/d/a && ln -s a /src/d/l && cd /src && tar czf /x.tgz d && mkdir -p /out && tar xzf /x.tgz -C /out && ' +
        'cat /out/d/a && readlink /out/d/l && tar tzf /x.tgz && echo zz > /z && gzip /z && gunzip -c /z.gz && ls /z.gz',
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('a\na\nd/\nd/a\nd/l\nzz\n/z.gz\n');
  });

  it('runs EXIT traps and the tools just-bash lacks (uname, nproc, mktemp, install, getent)', async () => {
    const { fs, sh } = shellFor();
    const r = await sh.run(
      'trap "echo cleanup" EXIT; uname -sm; nproc; d=$(mktemp -d); [ -d "$d" ] && echo tmpdir; ' +
        'echo x > /s && install -m 0750 -D /s /opt/bin/s && stat -c %a /opt/bin/s; getent passwd root',
    );
    expect(r.stdout).toBe('Linux x86_64\n2\ntmpdir\n750\nroot:x:0:0:root:/root:/bin/bash\ncleanup\n');
    expect(fs.stat('/opt/bin/s').mode & 0o777).toBe(0o750);
  });

  it('stops an infinite loop by time, naming the limit and how to raise it', async () => {
    const { sh } = shellFor();
    const err = await sh.run('echo started; while true; do :; done', { limits: { maxTimeMs: 300 } }).catch((e) => e);
    expect(err).toBeInstanceOf(LayerlabError);
    expect(err.code).toBe('shell/limit-exceeded');
    expect(err.data).toMatchObject({ limit: 'maxTimeMs', value: 300 });
    expect(err.message).toContain('--run-timeout');
  });

  it('enforces the filesystem quota', async () => {
    const { sh } = shellFor();
    const err = await sh.run('i=0; while [ $i -lt 50 ]; do echo 0123456789 >> /big; i=$((i+1)); done', { limits: { maxFsBytes: 100 } }).catch((e) => e);
    expect(err.code).toBe('shell/limit-exceeded');
    expect(err.data.limit).toBe('maxFsBytes');
  });

  it('needs /bin/sh for the shell form and a PATH hit for the exec form', async () => {
    const empty = new FlatFs();
    const sh0 = createShell({ fs: empty });
    const e = await sh0.run('echo hi').catch((x) => x);
    expect(e).toBeInstanceOf(ShellError);
    expect(e.message).toBe('exec: "/bin/sh": stat /bin/sh: no such file or directory');
    const { sh } = shellFor();
    const e2 = await sh.run(['foo', 'bar']).catch((x) => x);
    expect(e2.message).toBe('exec: "foo": executable file not found in $PATH');
    const r = await sh.run(['echo', 'a b', '$HOME']);
    expect(r.stdout).toBe('a b $HOME\n');
  });
});

describe('copy-up, whiteouts and ownership in the union upper layer', () => {
  it('records changes to lower files in the upper layer', async () => {
    const fs = unionRootfs();
    const sh = createShell({ fs: fs as unknown as ShellFs, archive: codec });
    const r = await sh.run('useradd -u 1000 app && rm /etc/debian_version && mkdir -p /app && echo hi > /app/x && chown app /app/x && mv /usr/bin/zcat /usr/local/bin/zcat');
    expect(r.stderr).toBe('');
    const up = fs.upper;
    expect(isWhiteout(up.get('/etc/debian_version'))).toBe(true);
    expect(up.get('/etc/passwd')).toBeInstanceOf(Inode); // copied up by useradd
    expect((up.get('/app/x') as Inode).uid).toBe(1000);
    expect(isWhiteout(up.get('/usr/bin/zcat'))).toBe(true);
    expect(up.get('/usr/local/bin/zcat')).toBeInstanceOf(Inode);
    expect(up.get('/usr/bin/ls')).toBeUndefined();
  });

  it('gives files created by a USER that user as owner', async () => {
    const fs = unionRootfs();
    const sh = createShell({ fs: fs as unknown as ShellFs });
    await sh.run('useradd -m -u 1001 app');
    await sh.run('cd && echo hi > note', { user: { uid: 1001, gid: 1001 } });
    const n = fs.upper.get('/home/app/note') as Inode;
    expect([n.uid, n.gid]).toEqual([1001, 1001]);
  });
});

describe('ShellSession', () => {
  it('keeps variables, cwd and functions between lines', async () => {
    const s = new ShellSession(createShell({ fs: makeRootfs() }));
    await s.runLine('X=1; cd /tmp; greet() { echo "hi $1"; }');
    const r = await s.runLine('echo $X; pwd; greet bob');
    expect(r.stdout).toBe('1\n/tmp\nhi bob\n');
    const e = await s.runLine('exit 4');
    expect([e.exitCode, s.exited]).toEqual([4, true]);
  });
});
