/**
 * The account database in /etc/passwd, /etc/group, /etc/shadow and /etc/gshadow, read and written
 * with their real line formats (passwd(5), group(5), shadow(5)).
 */
import type { ShellFs } from '../types.ts';
import { readText, writeText, type CommandIO } from './command.ts';

/** One /etc/passwd line: `name:x:uid:gid:gecos:home:shell`. */
export interface PasswdEntry {
  name: string;
  password: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
}

/** One /etc/group line: `name:x:gid:member,member`. */
export interface GroupEntry {
  name: string;
  password: string;
  gid: number;
  members: string[];
}

function lines(text: string | undefined): string[] {
  return (text ?? '').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
}

/** Parses /etc/passwd (missing file: no entries). */
export function readPasswd(fs: ShellFs): PasswdEntry[] {
  return lines(readText(fs, '/etc/passwd')).map((l) => {
    const [name, password = 'x', uid = '0', gid = '0', gecos = '', home = '/', shell = ''] = l.split(':');
    return { name, password, uid: Number(uid), gid: Number(gid), gecos, home, shell };
  });
}

/** Parses /etc/group (missing file: no entries). */
export function readGroups(fs: ShellFs): GroupEntry[] {
  return lines(readText(fs, '/etc/group')).map((l) => {
    const [name, password = 'x', gid = '0', members = ''] = l.split(':');
    return { name, password, gid: Number(gid), members: members ? members.split(',') : [] };
  });
}

/** Formats a passwd line. */
export function passwdLine(p: PasswdEntry): string {
  return `${p.name}:${p.password}:${p.uid}:${p.gid}:${p.gecos}:${p.home}:${p.shell}`;
}

/** Formats a group line. */
export function groupLine(g: GroupEntry): string {
  return `${g.name}:${g.password}:${g.gid}:${g.members.join(',')}`;
}

/** Appends a line to an account file, keeping its mode (shadow files stay 0640/0600). */
export function appendLine(io: CommandIO, path: string, line: string, mode = 0o644): void {
  const old = readText(io.fs, path);
  const text = old === undefined || old === '' || old.endsWith('\n') ? (old ?? '') + line + '\n' : old + '\n' + line + '\n';
  writeText(io, path, text, old === undefined ? mode : undefined);
}

/** Rewrites /etc/group (and /etc/gshadow when present) with `user` added to `group`'s members. */
export function addMember(io: CommandIO, group: string, user: string): void {
  for (const path of ['/etc/group', '/etc/gshadow']) {
    const text = readText(io.fs, path);
    if (text === undefined) continue;
    const out = text.split('\n').map((l) => {
      const f = l.split(':');
      if (f[0] !== group || f.length < 4) return l;
      const members = f[3] ? f[3].split(',') : [];
      if (!members.includes(user)) members.push(user);
      f[3] = members.join(',');
      return f.join(':');
    });
    writeText(io, path, out.join('\n'));
  }
}

/** Finds a user by name or numeric id. */
export function findUser(fs: ShellFs, nameOrId: string): PasswdEntry | undefined {
  const all = readPasswd(fs);
  return all.find((p) => p.name === nameOrId) ?? (/^\d+$/.test(nameOrId) ? all.find((p) => p.uid === Number(nameOrId)) : undefined);
}

/** Finds a group by name or numeric id. */
export function findGroup(fs: ShellFs, nameOrId: string): GroupEntry | undefined {
  const all = readGroups(fs);
  return all.find((g) => g.name === nameOrId) ?? (/^\d+$/.test(nameOrId) ? all.find((g) => g.gid === Number(nameOrId)) : undefined);
}

/** The supplementary groups listing `user` as a member. */
export function memberGroups(fs: ShellFs, user: string): GroupEntry[] {
  return readGroups(fs).filter((g) => g.members.includes(user));
}

/** Days since the epoch, as shadow(5)'s "last password change" field counts them. */
export function epochDays(io: CommandIO): number {
  return Math.floor(io.now() / 86400);
}
