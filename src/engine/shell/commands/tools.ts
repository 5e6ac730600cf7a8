/**
 * Commands Dockerfiles commonly use that just-bash lacks: `mkfifo`, `mknod` (FIFOs and devices
 * land in the layer as tar fifo/char/block entries), `realpath`, `envsubst`, `df`, `ps`, `wget`
 * and `curl` (offline), `su`/`su-exec`/`gosu`, `update-alternatives`, `ldconfig`, `locale-gen`.
 * Messages follow the real tools (GNU, or BusyBox where the image's tool is a BusyBox link).
 */
import { findGroup, findUser, memberGroups } from './accounts.ts';
import { abs, errText, exists, fail, getopt, ok, readText, writeText, type CommandIO, type CommandOutput } from './command.ts';
import { canonicalize, isBusybox } from './links.ts';
import { MACHINE } from './system.ts';

function parseMode(spec: string | undefined, fallback: number): number | undefined {
  if (spec === undefined) return fallback;
  return /^[0-7]{1,4}$/.test(spec) ? parseInt(spec, 8) : undefined;
}

/** `mkfifo [-m MODE] NAME…`. */
export function mkfifo(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'm:', { mode: 'm' });
  if (g.error) return fail(`mkfifo: ${g.error}`);
  if (!g.rest.length) return fail("mkfifo: missing operand\nTry 'mkfifo --help' for more information.");
  const mode = parseMode(g.opts.get('m'), 0o644);
  if (mode === undefined) return fail('mkfifo: invalid mode');
  let stderr = '';
  for (const n of g.rest) {
    try {
      if (!io.fs.mknod) throw new Error('Operation not permitted');
      io.fs.mknod(abs(io, n), 'fifo', mode);
    } catch (e) {
      stderr += `mkfifo: cannot create fifo '${n}': ${errText(e)}\n`;
    }
  }
  return { stdout: '', stderr, exitCode: stderr ? 1 : 0 };
}

/** `mknod [-m MODE] NAME TYPE [MAJOR MINOR]` (TYPE `p`, `c`/`u`, `b`); devices need root. */
export function mknod(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'm:', { mode: 'm' });
  if (g.error) return fail(`mknod: ${g.error}`);
  const [name, type, major, minor] = g.rest;
  if (!name || !type) return fail("mknod: missing operand\nTry 'mknod --help' for more information.");
  const kind = type === 'p' ? 'fifo' : type === 'b' ? 'block' : type === 'c' || type === 'u' ? 'char' : undefined;
  if (!kind) return fail(`mknod: invalid device type '${type}'`);
  if (kind !== 'fifo' && (major === undefined || minor === undefined)) return fail(`mknod: missing operand after '${type}'\nSpecial files require major and minor device numbers.`);
  const mode = parseMode(g.opts.get('m'), 0o644);
  if (mode === undefined) return fail('mknod: invalid mode');
  try {
    if (!io.fs.mknod) throw new Error('Operation not permitted');
    io.fs.mknod(abs(io, name), kind, mode, Number(major ?? 0), Number(minor ?? 0));
  } catch (e) {
    return fail(`mknod: ${name}: ${errText(e)}`);
  }
  return ok();
}

/** coreutils `realpath [-e|-m] [-s] FILE…`. */
export function realpath(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'emsqzL', { 'canonicalize-existing': 'e', 'canonicalize-missing': 'm', strip: 's', 'no-symlinks': 's', quiet: 'q', zero: 'z' });
  if (g.error) return fail(`realpath: ${g.error}`);
  if (!g.rest.length) return fail("realpath: missing operand\nTry 'realpath --help' for more information.");
  const mode = g.opts.has('e') ? 'e' : g.opts.has('m') ? 'm' : 'f';
  let stdout = '';
  let stderr = '';
  for (const f of g.rest) {
    const p = abs(io, f);
    const r = g.opts.has('s') ? p : canonicalize(io.fs, p, mode);
    if (r === undefined) {
      if (!g.opts.has('q')) stderr += `realpath: ${f}: No such file or directory\n`;
    } else stdout += r + (g.opts.has('z') ? '\0' : '\n');
  }
  return { stdout, stderr, exitCode: stderr ? 1 : 0 };
}

/** GNU gettext `envsubst [SHELL-FORMAT]`: substitutes `$VAR` and `${VAR}` from the environment. */
export function envsubst(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'v', { variables: 'v' });
  if (g.error) return fail(`envsubst: ${g.error}`);
  const only = g.rest[0] !== undefined ? new Set([...g.rest[0].matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)].map((m) => m[1])) : undefined;
  if (g.opts.has('v')) return ok([...(only ?? [])].map((v) => v + '\n').join(''));
  const text = new TextDecoder().decode(io.stdin);
  return ok(text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (m, a, b) => {
    const name = a ?? b;
    if (only && !only.has(name)) return m;
    return io.env.get(name) ?? '';
  }));
}

/** `df [-h] [-k] [-T] [FILE…]`. Simulation: the sizes are those of a fixed 60 GiB disk. */
export function df(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'hkTPaBm', { 'human-readable': 'h', 'print-type': 'T', portability: 'P', all: 'a' });
  if (g.error) return fail(`df: ${g.error}`);
  const rows: [string, string, number, number, string][] = [
    ['overlay', 'overlay', 61255492, 18233108, '/'],
    ['tmpfs', 'tmpfs', 65536, 0, '/dev'],
    ['shm', 'tmpfs', 65536, 0, '/dev/shm'],
    ['/dev/vda1', 'ext4', 61255492, 18233108, '/etc/hosts'],
  ];
  const h = (k: number) => (k === 0 ? '0' : k >= 1 << 20 ? `${(k / (1 << 20)).toFixed(1)}G` : k >= 1024 ? `${Math.round(k / 1024)}M` : `${k}K`);
  const fmt = (k: number) => (g.opts.has('h') ? h(k) : String(k));
  const wanted = g.rest.length ? rows.filter((r) => g.rest.some((f) => abs(io, f) === r[4] || (r[4] === '/' && !rows.some((x) => x[4] !== '/' && abs(io, f).startsWith(x[4]))))) : rows;
  const head = `Filesystem${g.opts.has('T') ? '     Type' : ''}     ${g.opts.has('h') ? ' Size' : '1K-blocks'}      Used Available Use% Mounted on\n`;
  return ok(
    head +
      wanted
        .map(([fs, type, size, used, at]) => `${fs.padEnd(14)}${g.opts.has('T') ? type.padStart(9) : ''}${fmt(size).padStart(10)}${fmt(used).padStart(10)}${fmt(size - used).padStart(10)}${`${size ? Math.ceil((used / size) * 100) : 0}%`.padStart(5)} ${at}\n`)
        .join(''),
  );
}

/** `ps` (BusyBox's columns on BusyBox images, procps `ps`, `ps aux`, `ps -ef` elsewhere): the shell and ps itself. */
export function ps(io: CommandIO): CommandOutput {
  const user = io.user.name ?? findUser(io.fs, String(io.user.uid))?.name ?? String(io.user.uid);
  const cmd = readText(io.fs, '/proc/1/cmdline')?.split('\0').filter(Boolean).join(' ') || '/bin/sh';
  if (isBusybox(io)) return ok(`PID   USER     TIME  COMMAND\n    1 ${user.padEnd(8)}  0:00 ${cmd}\n    7 ${user.padEnd(8)}  0:00 ps ${io.args.join(' ')}`.trimEnd() + '\n');
  const a = io.args.join(' ');
  if (/aux|-[a-z]*e[a-z]*f|-ef/.test(a)) {
    if (/aux/.test(a)) return ok(`USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n${user.padEnd(8)}       1  0.0  0.0   2576  1536 ?        Ss   00:00   0:00 ${cmd}\n${user.padEnd(8)}       7  0.0  0.0   7064  2944 ?        R    00:00   0:00 ps ${a}\n`);
    return ok(`UID          PID    PPID  C STIME TTY          TIME CMD\n${user.padEnd(8)}       1       0  0 00:00 ?        00:00:00 ${cmd}\n${user.padEnd(8)}       7       1  0 00:00 ?        00:00:00 ps ${a}\n`);
  }
  return ok(`    PID TTY          TIME CMD\n      1 ?        00:00:00 ${cmd.split(' ')[0].split('/').pop()}\n      7 ?        00:00:00 ps\n`);
}

function hostOf(url: string): string {
  const m = /^(?:[a-z+]+:\/\/)?(?:[^@/]*@)?(\[[^\]]*\]|[^:/?#]+)/i.exec(url);
  return m ? m[1] : url;
}

/**
 * `wget URL` / `curl URL`. Simulation: the lab has no network; every host fails to resolve as it
 * would offline (GNU wget exit 4, BusyBox wget exit 1, curl exit 6).
 */
export function wget(io: CommandIO): CommandOutput {
  const url = io.args.filter((a) => !a.startsWith('-')).pop();
  if (!url) return fail(isBusybox(io) ? 'BusyBox wget: missing URL' : "wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.", 1);
  const host = hostOf(url);
  if (isBusybox(io)) return fail(`wget: bad address '${host}'`, 1);
  const quiet = io.args.some((a) => a === '-q' || a === '--quiet' || /^-[a-zA-Z]*q/.test(a));
  return fail(`${quiet ? '' : `--2026-01-01 00:00:00--  ${url}\nResolving ${host} (${host})... failed: Temporary failure in name resolution.\n`}wget: unable to resolve host address '${host}'`, 4);
}

/** `curl URL`: offline, as `wget`. */
export function curl(io: CommandIO): CommandOutput {
  const url = io.args.filter((a, i) => !a.startsWith('-') && !/^-(o|H|d|X|u|A|e|-output|-header|-data|-request|-user)$/.test(io.args[i - 1] ?? '')).pop();
  if (!url) return fail("curl: try 'curl --help' or 'curl --manual' for more information", 2);
  const silent = io.args.some((a) => /^-[a-zA-Z]*s/.test(a) && !io.args.includes('-S') && !/^-[a-zA-Z]*S/.test(a));
  return fail(silent ? '' : `curl: (6) Could not resolve host: ${hostOf(url)}`, 6);
}

// Runs `script` as `user` (su, su-exec, gosu): the child's files and `id` are the user's.
async function runAs(io: CommandIO, name: string, script: string): Promise<CommandOutput> {
  const entry = findUser(io.fs, name) ?? (/^\d+$/.test(name) ? { name, uid: Number(name), gid: Number(name), home: '/', shell: '/bin/sh' } : undefined);
  if (!entry || !io.exec || !io.setUser) return fail(`${io.name}: user ${name} does not exist`);
  const groups = memberGroups(io.fs, entry.name).map((g) => g.gid);
  const previous = io.user;
  io.setUser({ uid: entry.uid, gid: entry.gid, name: entry.name, groups });
  try {
    return await io.exec(script, { env: { HOME: entry.home, USER: entry.name, LOGNAME: entry.name } });
  } finally {
    io.setUser(previous);
  }
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** `su [-] [-s SHELL] [USER] [-c COMMAND]`: root switches without a password; others fail. */
export async function su(io: CommandIO): Promise<CommandOutput> {
  const g = getopt(io.args.filter((a) => a !== '-' && a !== '-l' && a !== '--login'), 'c:s:mp', { command: 'c', shell: 's', 'preserve-environment': 'p' });
  if (g.error) return fail(`su: ${g.error}`);
  const name = g.rest[0] ?? 'root';
  if (io.user.uid !== 0) return fail('su: Authentication failure', 1);
  if (!findUser(io.fs, name)) return fail(`su: user ${name} does not exist or the user entry does not contain all the required fields`, 1);
  const cmd = g.opts.get('c');
  if (cmd === undefined) return fail('su: an interactive shell is not simulated; use su -c COMMAND', 1);
  return runAs(io, name, cmd);
}

/** Alpine's `su-exec USER[:GROUP] COMMAND…` and `gosu USER[:GROUP] COMMAND…` (root only). */
export async function suExec(io: CommandIO): Promise<CommandOutput> {
  const [spec, ...argv] = io.args;
  if (!spec || !argv.length) return fail(io.name === 'gosu' ? `Usage: gosu user-spec command [args]\n   eg: gosu tianon bash` : 'Usage: su-exec user-spec command [args]', 1);
  if (io.user.uid !== 0) return fail(io.name === 'gosu' ? 'error: failed switching to "' + spec + '": operation not permitted' : 'su-exec: setgroups: Operation not permitted', 1);
  const [u, grp] = spec.split(':');
  if (grp && !findGroup(io.fs, grp) && !/^\d+$/.test(grp)) return fail(`${io.name}: getgrnam(${grp}): no such group`, 1);
  return runAs(io, u, argv.map(q).join(' '));
}

/** Debian's `update-alternatives --install LINK NAME PATH PRIORITY | --set NAME PATH | --display NAME | --query NAME`. */
export function updateAlternatives(io: CommandIO): CommandOutput {
  const args = io.args.filter((a) => a !== '--quiet');
  const i = args.findIndex((a) => /^--(install|set|display|query|remove|auto|list)$/.test(a));
  if (i < 0) return fail('update-alternatives: error: need --display, --query, --list, --get-selections, --config, --set, --set-selections, --install, --remove, --all, --remove-all or --auto', 2);
  const op = args[i];
  const admin = (name: string) => `/var/lib/dpkg/alternatives/${name}`;
  io.fs.mkdir('/var/lib/dpkg/alternatives', { recursive: true });
  io.fs.mkdir('/etc/alternatives', { recursive: true });
  const setLink = (name: string, path: string) => {
    try {
      io.fs.unlink(`/etc/alternatives/${name}`);
    } catch {
      // first time
    }
    io.fs.symlink(path, `/etc/alternatives/${name}`);
  };
  if (op === '--install') {
    const [link, name, path, prio] = args.slice(i + 1);
    if (!prio || !/^-?\d+$/.test(prio)) return fail('update-alternatives: error: --install needs <link> <name> <path> <priority>', 2);
    if (!exists(io.fs, abs(io, path))) return fail(`update-alternatives: error: alternative path ${path} doesn't exist`, 2);
    const current = readText(io.fs, admin(name));
    const entries = new Map<string, number>();
    if (current) {
      const lines = current.split('\n');
      for (let k = 4; k + 1 < lines.length && lines[k]; k += 3) entries.set(lines[k], Number(lines[k + 1]));
    }
    entries.set(path, Number(prio));
    const best = [...entries].sort((a, b) => b[1] - a[1])[0][0];
    writeText(io, admin(name), `auto\n${link}\n\n${[...entries].map(([p, n]) => `${p}\n${n}\n`).join('\n')}\n`);
    setLink(name, best);
    try {
      if (io.fs.lstat(link).type === 'symlink') io.fs.unlink(link);
    } catch {
      // no link yet
    }
    if (!exists(io.fs, link)) io.fs.symlink(`/etc/alternatives/${name}`, link);
    return ok(best === path ? `update-alternatives: using ${path} to provide ${link} (${name}) in auto mode\n` : '');
  }
  if (op === '--set') {
    const [name, path] = args.slice(i + 1);
    if (!readText(io.fs, admin(name))) return fail(`update-alternatives: error: no alternatives for ${name}`, 2);
    setLink(name, path);
    return ok(`update-alternatives: using ${path} to provide /usr/bin/${name} (${name}) in manual mode\n`);
  }
  const name = args[i + 1];
  const text = readText(io.fs, admin(name));
  if (!text) return fail(`update-alternatives: error: no alternatives for ${name}`, 2);
  const target = (() => {
    try {
      return io.fs.readlink(`/etc/alternatives/${name}`);
    } catch {
      return '';
    }
  })();
  return ok(`${name} - auto mode\n  link best version is ${target}\n  link currently points to ${target}\n  link ${name} is ${text.split('\n')[1]}\n`);
}

/**
 * `ldconfig`: glibc's rebuilds /etc/ld.so.cache from /etc/ld.so.conf(.d) and the trusted
 * directories; musl's (Alpine) is a script that does nothing. Simulation: the cache lists the
 * libraries found, as text, instead of glibc's binary format.
 */
export function ldconfig(io: CommandIO): CommandOutput {
  if (isBusybox(io) || exists(io.fs, '/etc/alpine-release')) return ok();
  if (io.user.uid !== 0) return fail("ldconfig: Can't create temporary cache file /etc/ld.so.cache~: Permission denied", 1);
  const dirs = new Set(['/lib', '/usr/lib', '/lib64', '/usr/lib64', `/lib/${MACHINE.machine}-linux-gnu`, `/usr/lib/${MACHINE.machine}-linux-gnu`]);
  const conf = (path: string) => {
    for (const line of (readText(io.fs, path) ?? '').split('\n')) {
      const l = line.trim();
      if (l.startsWith('include ')) {
        const dir = l.slice(8).trim().replace(/\/\*\.conf$/, '');
        try {
          for (const n of io.fs.readdir(dir)) if (n.endsWith('.conf')) conf(`${dir}/${n}`);
        } catch {
          // no such directory
        }
      } else if (l && !l.startsWith('#')) dirs.add(l);
    }
  };
  conf('/etc/ld.so.conf');
  const libs: string[] = [];
  for (const d of dirs) {
    try {
      for (const n of io.fs.readdir(d)) if (/\.so(\.\d+)*$/.test(n)) libs.push(`\t${n} (libc6,x86-64) => ${d}/${n}`);
    } catch {
      // not present
    }
  }
  writeText(io, '/etc/ld.so.cache', `glibc-ld.so.cache1.1\n${libs.length} libs found in cache\n${libs.join('\n')}\n`, 0o644);
  return ok();
}

/**
 * Debian's `locale-gen [LOCALE…]`: compiles the locales uncommented in /etc/locale.gen (or named)
 * into /usr/lib/locale/locale-archive. Simulation: the archive lists the locales as text.
 */
export function localeGen(io: CommandIO): CommandOutput {
  if (io.user.uid !== 0) return fail('locale-gen: Permission denied', 1);
  let wanted = io.args.filter((a) => !a.startsWith('-'));
  if (!wanted.length) {
    wanted = (readText(io.fs, '/etc/locale.gen') ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(/\s+/)[0]);
  }
  io.fs.mkdir('/usr/lib/locale', { recursive: true });
  writeText(io, '/usr/lib/locale/locale-archive', wanted.map((l) => `${l}\n`).join(''));
  return ok(`Generating locales (this might take a while)...\n${wanted.map((l) => `  ${l.replace(/\.UTF-8$/, '')}.UTF-8... done\n`).join('')}Generation complete.\n`);
}

/** shadow's `usermod [-a] [-G G1,G2] [-g GROUP] [-s SHELL] [-d HOME [-m]] [-u UID] [-c GECOS] [-l NEW] [-L|-U] USER`. */
export function usermod(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'aG:g:s:d:mu:c:l:LUo', { append: 'a', groups: 'G', gid: 'g', shell: 's', home: 'd', 'move-home': 'm', uid: 'u', comment: 'c', login: 'l', lock: 'L', unlock: 'U', 'non-unique': 'o' });
  if (g.error) return fail(`usermod: ${g.error}`, 2);
  if (g.rest.length !== 1) return fail('Usage: usermod [options] LOGIN', 2);
  if (io.user.uid !== 0) return fail('usermod: Permission denied.\nusermod: cannot lock /etc/passwd; try again later.', 1);
  const o = g.opts;
  const name = g.rest[0];
  const passwd = (readText(io.fs, '/etc/passwd') ?? '').split('\n');
  const idx = passwd.findIndex((l) => l.split(':')[0] === name);
  if (idx < 0) return fail(`usermod: user '${name}' does not exist`, 6);
  const f = passwd[idx].split(':');
  if (o.has('g')) {
    const grp = findGroup(io.fs, o.get('g')!);
    if (!grp) return fail(`usermod: group '${o.get('g')}' does not exist`, 6);
    f[3] = String(grp.gid);
  }
  if (o.has('u')) {
    const uid = o.get('u')!;
    if (!/^\d+$/.test(uid)) return fail(`usermod: invalid user ID '${uid}'`, 3);
    if (!o.has('o') && passwd.some((l, i) => i !== idx && l.split(':')[2] === uid)) return fail(`usermod: UID '${uid}' already exists`, 4);
    f[2] = uid;
  }
  if (o.has('s')) f[6] = o.get('s')!;
  if (o.has('c')) f[4] = o.get('c')!;
  if (o.has('d')) {
    const home = o.get('d')!;
    if (o.has('m') && exists(io.fs, f[5]) && !exists(io.fs, home)) io.fs.rename(f[5], home);
    f[5] = home;
  }
  const newName = o.get('l') ?? name;
  f[0] = newName;
  passwd[idx] = f.join(':');
  writeText(io, '/etc/passwd', passwd.join('\n'));
  if (o.has('L') || o.has('U') || o.has('l')) {
    const shadow = readText(io.fs, '/etc/shadow');
    if (shadow !== undefined) {
      const lines = shadow.split('\n').map((l) => {
        const s = l.split(':');
        if (s[0] !== name) return l;
        s[0] = newName;
        if (o.has('L') && !s[1].startsWith('!')) s[1] = '!' + s[1];
        if (o.has('U') && s[1].startsWith('!')) s[1] = s[1].slice(1);
        return s.join(':');
      });
      writeText(io, '/etc/shadow', lines.join('\n'), 0o640);
    }
  }
  if (o.has('G')) {
    const wanted = o.get('G')!.split(',').filter(Boolean);
    for (const w of wanted) if (!findGroup(io.fs, w)) return fail(`usermod: group '${w}' does not exist`, 6);
    const names = new Set(wanted.map((w) => findGroup(io.fs, w)!.name));
    const group = (readText(io.fs, '/etc/group') ?? '').split('\n').map((l) => {
      if (!l) return l;
      const s = l.split(':');
      const members = (s[3] ?? '').split(',').filter((m) => m && m !== name && m !== newName);
      const keep = o.has('a') ? (s[3] ?? '').split(',').includes(name) : false;
      if (names.has(s[0]) || keep) members.push(newName);
      s[3] = members.join(',');
      return s.join(':');
    });
    writeText(io, '/etc/group', group.join('\n'));
  }
  return ok();
}

/** GNU/BusyBox `xargs [-0] [-r] [-n N] [-L N] [-I STR] [-d DELIM] [-t] [-P N] [COMMAND [ARG…]]`. */
export async function xargs(io: CommandIO): Promise<CommandOutput> {
  // Options end at the command: re-split so the command's own flags are not parsed as ours.
  const args = [...io.args];
  const opts: string[] = [];
  while (args.length && args[0].startsWith('-') && args[0] !== '--') {
    const a = args.shift()!;
    opts.push(a);
    if (/^-[nLIidPsaE]$/.test(a)) opts.push(args.shift() ?? '');
  }
  if (args[0] === '--') args.shift();
  const o = getopt(opts, '0rn:L:I:i:d:tP:s:xa:E:', { null: '0', 'no-run-if-empty': 'r', 'max-args': 'n', 'max-lines': 'L', replace: 'I', delimiter: 'd', verbose: 't', 'max-procs': 'P' });
  if (o.error) return fail(`xargs: ${o.error}`);
  const cmd = args.length ? args : ['echo'];
  const input = new TextDecoder().decode(io.stdin);
  let items: string[];
  const delim = o.opts.has('0') ? '\0' : o.opts.get('d')?.replace('\\n', '\n');
  if (delim !== undefined) items = input.split(delim).filter((x, i, all) => x !== '' || i < all.length - 1);
  else if (o.opts.has('I') || o.opts.has('L')) items = input.split('\n').map((l) => l.trim()).filter(Boolean);
  else items = [...input.matchAll(/"([^"]*)"|'([^']*)'|((?:\\.|[^\s"'])+)/g)].map((m) => m[1] ?? m[2] ?? m[3].replace(/\\(.)/g, '$1'));
  if (!items.length && (o.opts.has('r') || isBusybox(io))) return ok();
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const groups: string[][] = [];
  const repl = o.opts.get('I') ?? o.opts.get('i');
  const per = repl !== undefined ? 1 : Number(o.opts.get('n') ?? o.opts.get('L') ?? Infinity);
  for (let i = 0; i < Math.max(items.length, 1); i += per) groups.push(items.slice(i, i + per));
  let stdout = '';
  let stderr = '';
  let code = 0;
  for (const grp of groups) {
    const argv = repl !== undefined ? cmd.map((a) => a.split(repl).join(grp[0] ?? '')) : [...cmd, ...grp];
    if (o.opts.has('t')) stderr += argv.join(' ') + '\n';
    const r = await io.exec?.(argv.map(q).join(' '));
    if (!r) return fail('xargs: cannot run commands here');
    stdout += typeof r.stdout === 'string' ? r.stdout : new TextDecoder().decode(r.stdout);
    stderr += r.stderr;
    if (r.exitCode === 127 || r.exitCode === 126) return { stdout, stderr, exitCode: r.exitCode };
    if (r.exitCode !== 0) code = 123;
  }
  return { stdout, stderr, exitCode: code };
}
