/**
 * Who a process runs as, and who a copied file belongs to: one resolver for Dockerfile `USER` (and
 * the RUN and WORKDIR steps under it), `COPY/ADD --chown`, `docker run -u` and `docker exec -u`,
 * reading the image's /etc/passwd and /etc/group (shell/commands/accounts.ts).
 *
 * Rules (moby `user.GetExecUser` as runc applies it; BuildKit `dockerfile2llb` for --chown):
 * - `""` is root (0:0).
 * - `name` or `uid` is looked up in /etc/passwd; a found entry gives uid, primary gid and, for a
 *   process, the supplementary groups that list the user in /etc/group.
 * - A numeric uid missing from /etc/passwd is allowed: a process gets gid 0, a `--chown` owner gets
 *   gid = uid (BuildKit reads `--chown=1000` as 1000:1000 and never consults passwd for a number).
 * - `:group` (name or gid) replaces the primary gid; a numeric gid missing from /etc/group is allowed.
 * - An unknown name is an `UnknownUserError` (`user/unknown-user`, `user/unknown-group`), worded
 *   as the tool that reports it words it (runc for processes, BuildKit for --chown).
 */
import { LayerlabError } from '../errors.ts';
import { findGroup, findUser, memberGroups } from './commands/accounts.ts';
import type { ShellFs, ShellUser } from './types.ts';

/** What the spec is for: a process's credentials, or a `--chown` owner. */
export type UserSpecUse = 'process' | 'chown';

/** A user or group name that /etc/passwd or /etc/group does not know. */
export class UnknownUserError extends LayerlabError {
  constructor(kind: 'user' | 'group', name: string, use: UserSpecUse) {
    const message =
      use === 'chown'
        ? kind === 'user'
          ? `unable to convert uid/gid chown string to host mapping: can't find uid for user ${name}: no such user: ${name}`
          : `unable to convert uid/gid chown string to host mapping: can't find gid for group ${name}: no such group: ${name}`
        : `unable to find ${kind} ${name}: no matching entries in ${kind === 'user' ? 'passwd' : 'group'} file`;
    super(`user/unknown-${kind}`, message, { data: { [kind]: name, use } });
  }
}

const numeric = (s: string) => /^\d+$/.test(s);

/** Resolves `user[:group]` against the filesystem's account files; see the module comment for the rules. */
export function resolveUserSpec(fs: ShellFs, spec: string, use: UserSpecUse = 'process'): ShellUser & { groups: number[] } {
  if (!spec) return { uid: 0, gid: 0, name: 'root', groups: [] };
  const [u, g] = spec.split(':');
  let uid: number;
  let gid: number;
  let name: string | undefined;
  let groups: number[] = [];
  if (use === 'chown' && numeric(u)) {
    uid = Number(u);
    gid = uid;
  } else {
    const entry = findUser(fs, u);
    if (entry) {
      uid = entry.uid;
      gid = entry.gid;
      name = entry.name;
      if (use === 'process') groups = memberGroups(fs, entry.name).map((x) => x.gid);
    } else if (numeric(u) && use === 'process') {
      uid = Number(u);
      gid = 0;
    } else throw new UnknownUserError('user', u, use);
  }
  if (g !== undefined && !(use === 'chown' && g === '')) {
    const ge = findGroup(fs, g);
    if (ge) gid = ge.gid;
    else if (numeric(g)) gid = Number(g);
    else throw new UnknownUserError('group', g, use);
  }
  return { uid, gid, name, groups };
}
