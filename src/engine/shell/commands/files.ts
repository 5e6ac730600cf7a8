/**
 * File commands just-bash lacks: coreutils `chown`/`chgrp` (ownership lives in our filesystem, not
 * in just-bash's), `install`, and `mktemp`. Messages follow coreutils.
 */
import { findGroup, findUser } from './accounts.ts';
import { abs, errText, exists, fail, getopt, ok, type CommandIO, type CommandOutput } from './command.ts';

// `user`, `user:group`, `user:`, `:group`, numeric ids; returns -1 for "unchanged".
function parseOwner(io: CommandIO, spec: string, tool: string): { uid: number; gid: number } | string {
  const m = /^([^:.]*)(?:[:.](.*))?$/.exec(spec)!;
  const [, u, grp] = m;
  let uid = -1;
  let gid = -1;
  if (u) {
    const p = findUser(io.fs, u);
    if (p) uid = p.uid;
    else if (/^\d+$/.test(u)) uid = Number(u);
    else return `${tool}: invalid user: '${spec}'`;
    if (grp === '' && p) gid = p.gid; // `user:` means the user's login group
  }
  if (grp) {
    const x = findGroup(io.fs, grp);
    if (x) gid = x.gid;
    else if (/^\d+$/.test(grp)) gid = Number(grp);
    else return `${tool}: invalid group: '${spec}'`;
  }
  return { uid, gid };
}

function chownTree(io: CommandIO, tool: string, files: string[], uid: number, gid: number, o: Map<string, string>): CommandOutput {
  let stderr = '';
  const deref = !o.has('h');
  const walk = (p: string, top: boolean) => {
    const st = io.fs.lstat(p);
    if (st.type === 'symlink' && (!deref || !top)) io.fs.lchown(p, uid, gid);
    else io.fs.chown(p, uid, gid);
    const isDir = st.type === 'dir' || (top && st.type === 'symlink' && o.has('H') && io.fs.stat(p).type === 'dir');
    if (o.has('R') && isDir) for (const c of io.fs.readdir(p)) walk(p === '/' ? `/${c}` : `${p}/${c}`, false);
  };
  for (const f of files) {
    try {
      walk(abs(io, f), true);
    } catch (e) {
      const verb = tool === 'chown' ? 'changing ownership of' : 'changing group of';
      stderr += errText(e) === 'No such file or directory'
        ? `${tool}: cannot access '${f}': No such file or directory\n`
        : `${tool}: ${verb} '${f}': ${errText(e)}\n`;
    }
  }
  return { stdout: '', stderr, exitCode: stderr ? 1 : 0 };
}

/** coreutils `chown [-R] [-h] OWNER[:GROUP] FILE…`. */
export function chown(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'RhHLPfv', { recursive: 'R', 'no-dereference': 'h', silent: 'f', quiet: 'f', verbose: 'v' });
  if (g.error) return fail(`chown: ${g.error}`, 1);
  if (g.rest.length < 2) return fail(g.rest.length ? `chown: missing operand after '${g.rest[0]}'` : 'chown: missing operand', 1);
  const owner = parseOwner(io, g.rest[0], 'chown');
  if (typeof owner === 'string') return fail(owner, 1);
  return chownTree(io, 'chown', g.rest.slice(1), owner.uid, owner.gid, g.opts);
}

/** coreutils `chgrp [-R] [-h] GROUP FILE…`. */
export function chgrp(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'RhHLPfv', { recursive: 'R', 'no-dereference': 'h', silent: 'f', quiet: 'f', verbose: 'v' });
  if (g.error) return fail(`chgrp: ${g.error}`, 1);
  if (g.rest.length < 2) return fail('chgrp: missing operand', 1);
  const x = findGroup(io.fs, g.rest[0]);
  const gid = x ? x.gid : /^\d+$/.test(g.rest[0]) ? Number(g.rest[0]) : undefined;
  if (gid === undefined) return fail(`chgrp: invalid group: '${g.rest[0]}'`, 1);
  return chownTree(io, 'chgrp', g.rest.slice(1), -1, gid, g.opts);
}

/** coreutils `install [-d] [-m MODE] [-o OWNER] [-g GROUP] [-D] SRC… DEST`. */
export function install(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'dm:o:g:DsvpCt:T', { directory: 'd', mode: 'm', owner: 'o', group: 'g', strip: 's', verbose: 'v', 'target-directory': 't' });
  if (g.error) return fail(`install: ${g.error}`, 1);
  const o = g.opts;
  const mode = o.has('m') ? parseInt(o.get('m')!, 8) : 0o755;
  if (Number.isNaN(mode)) return fail(`install: invalid mode '${o.get('m')}'`, 1);
  let uid = -1;
  let gid = -1;
  if (o.has('o')) {
    const p = findUser(io.fs, o.get('o')!);
    if (!p) return fail(`install: invalid user '${o.get('o')}'`, 1);
    uid = p.uid;
  }
  if (o.has('g')) {
    const x = findGroup(io.fs, o.get('g')!);
    if (!x) return fail(`install: invalid group '${o.get('g')}'`, 1);
    gid = x.gid;
  }
  const finish = (p: string) => {
    io.fs.chmod(p, mode);
    if (uid >= 0 || gid >= 0) io.fs.chown(p, uid, gid);
  };
  try {
    if (o.has('d')) {
      if (!g.rest.length) return fail('install: missing operand', 1);
      for (const d of g.rest) {
        io.fs.mkdir(abs(io, d), { recursive: true });
        finish(abs(io, d));
      }
      return ok();
    }
    const ops = o.has('t') ? [...g.rest, o.get('t')!] : g.rest;
    if (ops.length < 2) return fail(ops.length ? `install: missing destination file operand after '${ops[0]}'` : 'install: missing file operand', 1);
    const dest = abs(io, ops[ops.length - 1]);
    const srcs = ops.slice(0, -1);
    if (o.has('D')) io.fs.mkdir(srcs.length > 1 || o.has('t') ? dest : dest.slice(0, dest.lastIndexOf('/')) || '/', { recursive: true });
    const destIsDir = exists(io.fs, dest) && io.fs.stat(dest).type === 'dir';
    if (srcs.length > 1 && !destIsDir) return fail(`install: target '${ops[ops.length - 1]}' is not a directory`, 1);
    for (const s of srcs) {
      const data = io.fs.readFile(abs(io, s));
      const target = destIsDir ? `${dest}/${s.slice(s.lastIndexOf('/') + 1)}` : dest;
      io.countWrite(data.length);
      io.fs.writeFile(target, data);
      finish(target);
    }
    return ok();
  } catch (e) {
    return fail(`install: ${errText(e)}`, 1);
  }
}

let mktempCounter = 0;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** coreutils `mktemp [-d] [-p DIR] [-t] [TEMPLATE]`: creates a unique file (0600) or directory (0700). */
export function mktemp(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'dp:tqu', { directory: 'd', tmpdir: 'p', quiet: 'q', 'dry-run': 'u' });
  if (g.error) return fail(`mktemp: ${g.error}`, 1);
  const template = g.rest[0] ?? 'tmp.XXXXXXXXXX';
  const xs = /X{3,}$/.exec(template);
  if (!xs) return fail(`mktemp: too few X's in template '${template}'`, 1);
  const dir = g.opts.get('p') ?? (g.rest[0] === undefined || g.opts.has('t') ? (io.env.get('TMPDIR') ?? '/tmp') : '');
  for (let attempt = 0; attempt < 100; attempt++) {
    // Simulation: names come from a deterministic counter, not from a random source.
    let n = ++mktempCounter * 2654435761 + attempt;
    let suffix = '';
    for (let i = 0; i < xs[0].length; i++) {
      suffix += ALNUM[n % ALNUM.length];
      n = Math.floor(n / ALNUM.length) + i * 7919;
    }
    const name = template.slice(0, xs.index) + suffix;
    const path = dir ? `${dir.replace(/\/+$/, '')}/${name}` : name;
    const full = abs(io, path);
    if (exists(io.fs, full)) continue;
    try {
      if (g.opts.has('d')) {
        io.fs.mkdir(full, { mode: 0o700 });
      } else io.fs.writeFile(full, new Uint8Array(0), { mode: 0o600 });
    } catch (e) {
      return fail(`mktemp: failed to create ${g.opts.has('d') ? 'directory' : 'file'} via template '${path.replace(suffix, xs[0])}': ${errText(e)}`, 1);
    }
    return ok(path + '\n');
  }
  return fail('mktemp: too many attempts', 1);
}
