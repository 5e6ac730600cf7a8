import { describe, expect, it } from 'vitest';
import { LayerTree, type Inode } from '../../fs/layer-tree.ts';
import { LowerStack } from '../../fs/lower-stack.ts';
import { UnionFs } from '../../fs/union.ts';
import { FlatFs } from '../flat-fs.ts';
import { createShell } from '../shell.ts';
import { populateRootfs } from '../test-support.ts';
import type { ShellFs } from '../types.ts';

const ELF = Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0);
const TOOLS = ['mkfifo', 'mknod', 'realpath', 'envsubst', 'df', 'ps', 'wget', 'curl', 'su', 'su-exec', 'gosu', 'usermod', 'update-alternatives', 'ldconfig', 'locale-gen'];

function image(flavour: 'debian' | 'alpine') {
  const base = new LayerTree();
  const flat = new FlatFs(base);
  populateRootfs(flat, flavour);
  for (const t of TOOLS) {
    if (flavour === 'alpine' && !['su-exec', 'curl'].includes(t)) flat.symlink('/bin/busybox', `/usr/bin/${t}`);
    else flat.writeFile(`/usr/${t === 'usermod' || t === 'ldconfig' || t === 'locale-gen' || t === 'update-alternatives' ? 'sbin' : 'bin'}/${t}`, ELF, { mode: 0o755 });
  }
  base.freeze();
  const fs = new UnionFs(new LowerStack([base]), { clock: () => 1_700_000_000 });
  return { fs, sh: createShell({ fs: fs as unknown as ShellFs }) };
}

describe('commands Dockerfiles use', () => {
  it('mkfifo and mknod create FIFOs and devices in the layer (devices for root only)', async () => {
    const { fs, sh } = image('debian');
    const r = await sh.run('mkfifo /tmp/pipe && mknod /dev-null c 1 3 && ls -l /tmp/pipe /dev-null | cut -c1-10; mkfifo /tmp/pipe; echo rc=$?');
    expect(r.stdout).toBe('crw-r--r--\nprw-r--r--\nrc=1\n');
    expect(r.stderr).toBe("mkfifo: cannot create fifo '/tmp/pipe': File exists\n");
    const tmp = fs.upper.root.children!.get('tmp') as Inode;
    expect((tmp.children!.get('pipe') as Inode).type).toBe('fifo');
    expect((fs.upper.root.children!.get('dev-null') as Inode).rdev).toEqual({ major: 1, minor: 3 });
    const denied = await sh.run('mknod /x c 1 3', { user: { uid: 65534, gid: 65534 } });
    expect(denied.stderr).toBe('mknod: /x: Operation not permitted\n');
  });

  it('usermod -aG, -s, -l change passwd and group', async () => {
    const { fs, sh } = image('debian');
    const r = await sh.run('groupadd docker && useradd -m app && usermod -aG docker,users -s /bin/sh app && id app && usermod -aG nope app; echo rc=$?; usermod ghost; echo rc=$?');
    // groupadd took gid 1000 first, so useradd gave app's own group 1001 (shadow's rule).
    expect(r.stdout).toBe('uid=1000(app) gid=1001(app) groups=1001(app),100(users),1000(docker)\nrc=6\nrc=6\n');
    expect(r.stderr).toBe("usermod: group 'nope' does not exist\nusermod: user 'ghost' does not exist\n");
    expect(new TextDecoder().decode(fs.readFile('/etc/passwd'))).toMatch(/^app:x:1000:1001::\/home\/app:\/bin\/sh$/m);
  });

  it('wget and curl fail offline with the tools\' own errors and exit codes', async () => {
    const deb = await image('debian').sh.run('wget -q https://example.com/x.tgz; echo rc=$?; curl -fsSL https://deb.nodesource.com/setup_20.x; echo rc=$?; curl https://a.b/c; echo rc=$?');
    expect(deb.stdout).toBe('rc=4\nrc=6\nrc=6\n');
    // -fsSL: -s silences progress, -S still shows the error.
    expect(deb.stderr).toBe("wget: unable to resolve host address 'example.com'\ncurl: (6) Could not resolve host: deb.nodesource.com\ncurl: (6) Could not resolve host: a.b\n");
    const alp = await image('alpine').sh.run('wget -O- http://dl-cdn.alpinelinux.org/x; echo rc=$?');
    expect(alp.stdout).toBe('rc=1\n');
    expect(alp.stderr).toBe("wget: bad address 'dl-cdn.alpinelinux.org'\n");
  });

  it('su -c, su-exec and gosu run as the user; realpath, envsubst, df, ps', async () => {
    const { sh } = image('debian');
    const r = await sh.run(
      'useradd -m app && su app -c "id -un; touch ~/mine" && su-exec app id -u && gosu app:app sh -c "echo \\$HOME" && stat -c %U /home/app/mine; ' +
        'mkdir -p /opt/a && ln -s /opt/a /l && realpath /l/../opt/./a /nope/x; echo \'port=$PORT ${HOME}\' | PORT=80 envsubst; df -h / | tail -1 | cut -c1-7; ps | head -1',
    );
    expect(r.stdout).toBe('app\n1000\n/home/app\napp\n/opt/a\nport=80 /root\noverlay\n    PID TTY          TIME CMD\n');
    expect(r.stderr).toBe('realpath: /nope/x: No such file or directory\n');
    const denied = await sh.run('su root -c id', { user: { uid: 1000, gid: 1000 } });
    expect(denied.stderr).toBe('su: Authentication failure\n');
  });

  it('update-alternatives, ldconfig and locale-gen write the files the real tools write', async () => {
    const { fs, sh } = image('debian');
    const r = await sh.run(
      'echo "en_US.UTF-8 UTF-8" > /etc/locale.gen && locale-gen && ' +
        'mkdir -p /opt/jdk/bin && touch /opt/jdk/bin/java && update-alternatives --install /usr/bin/java java /opt/jdk/bin/java 100 && readlink /usr/bin/java /etc/alternatives/java && ' +
        'mkdir -p /usr/local/lib && touch /usr/local/lib/libx.so.1 && echo /usr/local/lib > /etc/ld.so.conf && ldconfig && grep -c libx /etc/ld.so.cache',
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'Generating locales (this might take a while)...\n  en_US.UTF-8... done\nGeneration complete.\n' +
        'update-alternatives: using /opt/jdk/bin/java to provide /usr/bin/java (java) in auto mode\n/etc/alternatives/java\n/opt/jdk/bin/java\n1\n',
    );
    expect(new TextDecoder().decode(fs.readFile('/usr/lib/locale/locale-archive'))).toBe('en_US.UTF-8\n');
    expect(new TextDecoder().decode(fs.readFile('/var/lib/dpkg/alternatives/java'))).toBe('auto\n/usr/bin/java\n\n/opt/jdk/bin/java\n100\n\n');
  });

  it('xargs -n, -I, -r, -0 as Dockerfiles use them', async () => {
    const { sh } = image('debian');
    const r = await sh.run('printf "a b\\nc\\n" | xargs -n1 echo x; printf "1\\n2\\n" | xargs -I{} echo "<{}>"; printf "" | xargs -r echo none; printf "f1\\0f2\\0" | xargs -0 echo; echo /etc/passwd | xargs wc -l');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('x a\nx b\nx c\n<1>\n<2>\nf1 f2\n3 /etc/passwd\n');
  });
});
