/**
 * Account commands: Debian's shadow-utils `useradd`/`groupadd`, BusyBox's `adduser`/`addgroup`
 * (Alpine; Debian's Perl `adduser --system …` long options are accepted too), and `id`, `whoami`,
 * `getent`. Messages and exit codes follow shadow-utils (useradd(8): 4 UID in use, 6 group
 * missing, 9 name in use) and BusyBox loginutils/adduser.c, addgroup.c.
 */
import {
  addMember,
  appendLine,
  epochDays,
  findGroup,
  findUser,
  groupLine,
  memberGroups,
  passwdLine,
  readGroups,
  readPasswd,
  type PasswdEntry,
} from './accounts.ts';
import { exists, fail, getopt, ok, type CommandIO, type CommandOutput } from './command.ts';

function requireRoot(io: CommandIO, msg: string): CommandOutput | undefined {
  return io.user.uid === 0 ? undefined : fail(msg, 1);
}

// The first free id in [lo, hi] scanning up (BusyBox, adduser) or down (shadow-utils system ids).
function freeId(used: Set<number>, lo: number, hi: number, down = false): number {
  if (down) {
    for (let i = hi; i >= lo; i--) if (!used.has(i)) return i;
  } else for (let i = lo; i <= hi; i++) if (!used.has(i)) return i;
  return -1;
}

// shadow-utils allocates above the highest id in use in the normal range.
function nextNormalId(used: number[]): number {
  const inRange = used.filter((u) => u >= 1000 && u < 60000);
  return inRange.length ? Math.max(...inRange) + 1 : 1000;
}

// Creates the home directory owned by the user, copying /etc/skel (useradd -m, adduser).
function makeHome(io: CommandIO, home: string, uid: number, gid: number, mode: number) {
  if (exists(io.fs, home)) return;
  io.fs.mkdir(home, { recursive: true });
  io.fs.chmod(home, mode);
  io.fs.chown(home, uid, gid);
  if (!exists(io.fs, '/etc/skel')) return;
  const copy = (src: string, dst: string) => {
    for (const name of io.fs.readdir(src)) {
      const s = `${src}/${name}`;
      const d = `${dst}/${name}`;
      const st = io.fs.lstat(s);
      if (st.type === 'dir') {
        io.fs.mkdir(d);
        io.fs.chmod(d, st.mode & 0o7777);
        copy(s, d);
      } else if (st.type === 'symlink') io.fs.symlink(io.fs.readlink(s), d);
      else {
        const data = io.fs.readFile(s);
        io.countWrite(data.length);
        io.fs.writeFile(d, data, { mode: st.mode & 0o7777 });
      }
      io.fs.lchown(d, uid, gid);
    }
  };
  copy('/etc/skel', home);
}

function addGroupEntry(io: CommandIO, name: string, gid: number) {
  appendLine(io, '/etc/group', groupLine({ name, password: 'x', gid, members: [] }));
  if (exists(io.fs, '/etc/gshadow')) appendLine(io, '/etc/gshadow', `${name}:!::`, 0o640);
}

function addUserEntry(io: CommandIO, p: PasswdEntry, shadowAging: string) {
  appendLine(io, '/etc/passwd', passwdLine(p));
  if (exists(io.fs, '/etc/shadow')) {
    appendLine(io, '/etc/shadow', `${p.name}:!:${epochDays(io)}:${shadowAging}`, 0o640);
  }
}

/** shadow-utils `useradd [-r] [-m|-M] [-u UID] [-g GROUP] [-G G1,G2] [-s SHELL] [-d HOME] [-c GECOS] [-N|-U] [-o] NAME`. */
export function useradd(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'rmMu:g:G:s:d:c:NUolk:K:e:f:p:b:D', {
    system: 'r', 'create-home': 'm', 'no-create-home': 'M', uid: 'u', gid: 'g', groups: 'G', shell: 's',
    'home-dir': 'd', comment: 'c', 'no-user-group': 'N', 'user-group': 'U', 'non-unique': 'o', 'no-log-init': 'l',
    skel: 'k', key: 'K', expiredate: 'e', inactive: 'f', password: 'p', 'base-dir': 'b',
  });
  if (g.error) return fail(`useradd: ${g.error}`, 2);
  if (g.rest.length !== 1) return fail('Usage: useradd [options] LOGIN', 2);
  const denied = requireRoot(io, 'useradd: Permission denied.');
  if (denied) return denied;
  const name = g.rest[0];
  const o = g.opts;
  const users = readPasswd(io.fs);
  const groups = readGroups(io.fs);
  if (users.some((u) => u.name === name)) return fail(`useradd: user '${name}' already exists`, 9);
  const system = o.has('r');
  let uid: number;
  if (o.has('u')) {
    uid = Number(o.get('u'));
    if (!Number.isInteger(uid) || uid < 0) return fail(`useradd: invalid user ID '${o.get('u')}'`, 3);
    if (!o.has('o') && users.some((u) => u.uid === uid)) return fail(`useradd: UID ${uid} is not unique`, 4);
  } else {
    uid = system ? freeId(new Set(users.map((u) => u.uid)), 100, 999, true) : nextNormalId(users.map((u) => u.uid));
  }
  let gid: number;
  let createGroup = false;
  if (o.has('g')) {
    const grp = findGroup(io.fs, o.get('g')!);
    if (!grp) return fail(`useradd: group '${o.get('g')}' does not exist`, 6);
    gid = grp.gid;
  } else if (o.has('N')) {
    gid = 100; // USERS_GID: the "users" group
  } else {
    if (groups.some((x) => x.name === name)) {
      return fail(`useradd: group ${name} exists - if you want to add this user to that group, use -g.`, 9);
    }
    const used = new Set(groups.map((x) => x.gid));
    gid = !used.has(uid) ? uid : system ? freeId(used, 100, 999, true) : nextNormalId([...used]);
    createGroup = true;
  }
  const supplementary = o.has('G') ? o.get('G')!.split(',').filter(Boolean) : [];
  for (const s of supplementary) if (!findGroup(io.fs, s)) return fail(`useradd: group '${s}' does not exist`, 6);
  const home = o.get('d') ?? `${o.get('b') ?? '/home'}/${name}`;
  const entry: PasswdEntry = { name, password: 'x', uid, gid, gecos: o.get('c') ?? '', home, shell: o.get('s') ?? '/bin/sh' };
  if (createGroup) addGroupEntry(io, name, gid);
  addUserEntry(io, entry, system ? ':::::' : '0:99999:7:::');
  for (const s of supplementary) addMember(io, findGroup(io.fs, s)!.name, name);
  if (o.has('m') && !o.has('M')) makeHome(io, home, uid, gid, 0o755);
  return ok();
}

/** shadow-utils `groupadd [-r] [-g GID] [-f] [-o] NAME`. */
export function groupadd(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'rg:foK:p:', { system: 'r', gid: 'g', force: 'f', 'non-unique': 'o', key: 'K', password: 'p' });
  if (g.error) return fail(`groupadd: ${g.error}`, 2);
  if (g.rest.length !== 1) return fail('Usage: groupadd [options] GROUP', 2);
  const denied = requireRoot(io, 'groupadd: Permission denied.');
  if (denied) return denied;
  const name = g.rest[0];
  const groups = readGroups(io.fs);
  if (groups.some((x) => x.name === name)) return g.opts.has('f') ? ok() : fail(`groupadd: group '${name}' already exists`, 9);
  const used = new Set(groups.map((x) => x.gid));
  let gid: number;
  if (g.opts.has('g')) {
    gid = Number(g.opts.get('g'));
    if (!Number.isInteger(gid) || gid < 0) return fail(`groupadd: invalid group ID '${g.opts.get('g')}'`, 3);
    if (used.has(gid) && !g.opts.has('o')) {
      if (!g.opts.has('f')) return fail(`groupadd: GID '${gid}' already exists`, 4);
      gid = nextNormalId([...used]);
    }
  } else gid = g.opts.has('r') ? freeId(used, 100, 999, true) : nextNormalId([...used]);
  addGroupEntry(io, name, gid);
  return ok();
}

function isBusybox(io: CommandIO): boolean {
  return exists(io.fs, '/bin/busybox') || exists(io.fs, '/etc/alpine-release');
}

/** `adduser`: BusyBox's (`-D -S -G GRP -u UID -h DIR -s SHELL -g GECOS -H USER [GROUP]`) or Debian's long options. */
export function adduser(io: CommandIO): CommandOutput {
  if (!isBusybox(io) || io.args.some((a) => a.startsWith('--'))) return debianAdduser(io);
  const g = getopt(io.args, 'h:g:s:G:DSHu:k:');
  if (g.error) return fail(`adduser: ${g.error}`, 1);
  if (g.rest.length < 1 || g.rest.length > 2) return fail('Usage: adduser [OPTIONS] USER [GROUP]', 1);
  const denied = requireRoot(io, 'adduser: permission denied (are you root?)');
  if (denied) return denied;
  const o = g.opts;
  const name = g.rest[0];
  if (o.size === 0 && g.rest[1]) return addgroupMember(io, 'adduser', name, g.rest[1]);
  const users = readPasswd(io.fs);
  if (users.some((u) => u.name === name)) return fail(`adduser: user '${name}' in use`);
  const system = o.has('S');
  let usegroup = o.get('G');
  let shell = o.get('s') ?? '/bin/sh';
  if (system) {
    usegroup ??= 'nogroup';
    if (!o.has('s')) shell = '/bin/false';
  }
  let gid = -1;
  if (usegroup !== undefined) {
    const grp = findGroup(io.fs, usegroup);
    if (!grp) return fail(`adduser: unknown group ${usegroup}`);
    gid = grp.gid;
  }
  const usedUids = new Set(users.map((u) => u.uid));
  const usedGids = new Set(readGroups(io.fs).map((x) => x.gid));
  let uid: number;
  if (o.has('u')) {
    uid = Number(o.get('u'));
    if (usedUids.has(uid) || (gid === -1 && usedGids.has(uid))) return fail(`adduser: uid '${uid}' in use`);
  } else {
    const [lo, hi] = system ? [100, 999] : [1000, 60000];
    uid = lo;
    while (usedUids.has(uid) || (gid === -1 && usedGids.has(uid))) {
      if (uid === hi) return fail('adduser: no uids left');
      uid++;
    }
  }
  if (gid === -1) {
    gid = uid;
    if (findGroup(io.fs, name)) return fail(`adduser: group '${name}' in use`);
  }
  const home = o.get('h') ?? `/home/${name}`;
  appendLine(io, '/etc/passwd', passwdLine({ name, password: 'x', uid, gid, gecos: o.get('g') ?? 'Linux User,,,', home, shell }));
  if (exists(io.fs, '/etc/shadow')) appendLine(io, '/etc/shadow', `${name}:!:${epochDays(io)}:0:99999:7:::`, 0o640);
  if (usegroup !== undefined) addMember(io, findGroup(io.fs, usegroup)!.name, name);
  else addGroupEntry(io, name, gid);
  if (!o.has('H')) {
    makeHome(io, home, uid, gid, 0o755);
    io.fs.chmod(home, 0o2755);
  }
  return ok();
}

// Debian's adduser(8): `--system --group --uid N --gid N --ingroup G --home D --shell S --no-create-home --disabled-password --gecos X NAME`.
function debianAdduser(io: CommandIO): CommandOutput {
  // Debian's adduser is a Perl script with long options only (Getopt::Long, case-insensitive):
  // BusyBox's `adduser -D` is an error there.
  const short = io.args.find((a) => /^-[A-Za-z]+$/.test(a) && a !== '-q');
  if (short) {
    return fail(
      `Unknown option: ${short[1].toLowerCase()}\n` +
        'adduser [--uid id] [--firstuid id] [--lastuid id] [--gid id] [--ingroup group] [--home dir] [--shell shell] [--no-create-home] [--disabled-password] [--disabled-login] [--gecos gecos] user\n',
      1,
    );
  }
  const g = getopt(io.args, 'SGu:i:h:s:Hdc:g:qD', {
    system: 'S', group: 'G', uid: 'u', gid: 'g', ingroup: 'i', home: 'h', shell: 's', 'no-create-home': 'H',
    'disabled-password': 'd', 'disabled-login': 'd', gecos: 'c', comment: 'c', quiet: 'q', debug: 'D',
  });
  if (g.error) return fail(`adduser: ${g.error}`, 1);
  if (g.rest.length === 2 && !g.opts.has('S')) return addgroupMember(io, 'adduser', g.rest[0], g.rest[1]);
  if (g.rest.length !== 1) return fail('adduser: Only one or two names allowed.', 1);
  const denied = requireRoot(io, 'adduser: Only root may add a user or group to the system.');
  if (denied) return denied;
  const o = g.opts;
  const name = g.rest[0];
  if (o.has('G') && !o.has('S')) return groupadd({ ...io, args: [name] });
  if (findUser(io.fs, name)) return fail(`adduser: The user \`${name}' already exists.`, 1);
  const system = o.has('S');
  const args = [system ? '-r' : '', '-s', o.get('s') ?? (system ? '/usr/sbin/nologin' : '/bin/bash')];
  if (o.has('u')) args.push('-u', o.get('u')!);
  if (o.has('h')) args.push('-d', o.get('h')!);
  if (o.has('c')) args.push('-c', o.get('c')!);
  if (o.has('i')) args.push('-g', o.get('i')!);
  else if (o.has('g')) args.push('-g', o.get('g')!);
  else if (system && !o.has('G')) args.push('-g', 'nogroup');
  if (!o.has('H') && !system) args.push('-m');
  return useradd({ ...io, args: [...args.filter(Boolean), name] });
}

function addgroupMember(io: CommandIO, tool: string, user: string, group: string): CommandOutput {
  if (!findUser(io.fs, user)) return fail(`${tool}: unknown user ${user}`);
  if (!findGroup(io.fs, group)) return fail(`${tool}: unknown group ${group}`);
  if (memberGroups(io.fs, user).some((x) => x.name === group)) return ok();
  addMember(io, group, user);
  return ok();
}

/** `addgroup`: BusyBox's `addgroup [-g GID] [-S] [USER] GROUP`, or Debian's `addgroup [--system] [--gid N] NAME`. */
export function addgroup(io: CommandIO): CommandOutput {
  if (!isBusybox(io) || io.args.some((a) => a.startsWith('--'))) {
    const g = getopt(io.args, 'Sg:q', { system: 'S', gid: 'g', quiet: 'q' });
    if (g.error) return fail(`addgroup: ${g.error}`, 1);
    if (g.rest.length === 2) return addgroupMember(io, 'addgroup', g.rest[0], g.rest[1]);
    const args = [...(g.opts.has('S') ? ['-r'] : []), ...(g.opts.has('g') ? ['-g', g.opts.get('g')!] : []), ...g.rest];
    return groupadd({ ...io, args });
  }
  const g = getopt(io.args, 'g:S', { gid: 'g', system: 'S' });
  if (g.error) return fail(`addgroup: ${g.error}`, 1);
  if (g.rest.length < 1 || g.rest.length > 2) return fail('Usage: addgroup [-g GID] [-S] [USER] GROUP', 1);
  const denied = requireRoot(io, 'addgroup: permission denied (are you root?)');
  if (denied) return denied;
  if (g.rest.length === 2) return addgroupMember(io, 'addgroup', g.rest[0], g.rest[1]);
  const name = g.rest[0];
  const groups = readGroups(io.fs);
  if (groups.some((x) => x.name === name)) return fail(`addgroup: group '${name}' in use`);
  const used = new Set(groups.map((x) => x.gid));
  let gid: number;
  if (g.opts.has('g')) {
    gid = Number(g.opts.get('g'));
    if (used.has(gid)) return fail(`addgroup: gid '${gid}' in use`);
  } else {
    const [lo, hi] = g.opts.has('S') ? [100, 999] : [1000, 60000];
    gid = freeId(used, lo, hi);
    if (gid < 0) return fail('addgroup: no gids left');
  }
  addGroupEntry(io, name, gid);
  return ok();
}

/** coreutils `id [-u|-g|-G] [-n] [USER]`. */
export function id(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'ugGnr', { user: 'u', group: 'g', groups: 'G', name: 'n', real: 'r' });
  if (g.error) return fail(`id: ${g.error}`, 1);
  let uid: number;
  let gid: number;
  let uname: string | undefined;
  let extra: number[];
  if (g.rest[0] !== undefined) {
    const p = findUser(io.fs, g.rest[0]);
    if (!p) return fail(`id: '${g.rest[0]}': no such user`, 1);
    uid = p.uid;
    gid = p.gid;
    uname = p.name;
    extra = memberGroups(io.fs, p.name).map((x) => x.gid);
  } else {
    uid = io.user.uid;
    gid = io.user.gid;
    const p = findUser(io.fs, String(uid));
    uname = p?.uid === uid ? p.name : undefined;
    extra = io.user.groups ?? (uname ? memberGroups(io.fs, uname).map((x) => x.gid) : []);
  }
  const groupName = (n: number) => {
    const grp = readGroups(io.fs).find((x) => x.gid === n);
    return grp?.name;
  };
  const all = [gid, ...extra.filter((x) => x !== gid)];
  const o = g.opts;
  if (o.has('u')) return ok(`${o.has('n') ? (uname ?? uid) : uid}\n`);
  if (o.has('g')) return ok(`${o.has('n') ? (groupName(gid) ?? gid) : gid}\n`);
  if (o.has('G')) return ok(all.map((x) => (o.has('n') ? (groupName(x) ?? x) : x)).join(' ') + '\n');
  const fmt = (n: number, name: string | undefined) => (name === undefined ? `${n}` : `${n}(${name})`);
  return ok(`uid=${fmt(uid, uname)} gid=${fmt(gid, groupName(gid))} groups=${all.map((x) => fmt(x, groupName(x))).join(',')}\n`);
}

/** coreutils `whoami`: the name of the effective user from /etc/passwd. */
export function whoami(io: CommandIO): CommandOutput {
  const p = readPasswd(io.fs).find((x) => x.uid === io.user.uid);
  return p ? ok(`${p.name}\n`) : fail(`whoami: cannot find name for user ID ${io.user.uid}`, 1);
}

/** glibc `getent passwd|group [KEY…]`; exit 2 when a key is not found. */
export function getent(io: CommandIO): CommandOutput {
  const [db, ...keys] = io.args;
  if (db !== 'passwd' && db !== 'group') {
    return db === undefined ? fail('getent: wrong number of arguments', 1) : fail(`Unknown database: ${db}`, 1);
  }
  const entries =
    db === 'passwd'
      ? readPasswd(io.fs).map((p) => ({ name: p.name, id: p.uid, line: passwdLine(p) }))
      : readGroups(io.fs).map((x) => ({ name: x.name, id: x.gid, line: groupLine(x) }));
  if (keys.length === 0) return ok(entries.map((e) => e.line + '\n').join(''));
  let out = '';
  let code = 0;
  for (const k of keys) {
    const e = entries.find((x) => x.name === k) ?? (/^\d+$/.test(k) ? entries.find((x) => x.id === Number(k)) : undefined);
    if (e) out += e.line + '\n';
    else code = 2;
  }
  return { stdout: out, stderr: '', exitCode: code };
}
