/**
 * The file utilities whose symlink handling a Dockerfile depends on: `rm`, `mv`, `cp`, `ln`,
 * `readlink`. Operands that are symlinks are acted on with lstat semantics unless the flags say
 * otherwise, as in coreutils and BusyBox:
 * - `rm`, `rm -f`, `rm -r` remove the link itself (dangling, to a file or to a directory);
 * - `mv` renames the link (coreutils `mv` copies then deletes across overlayfs' EXDEV);
 * - `cp` follows links by default; `cp -P`, `-d`, `-a` and recursive copies (`-r`/`-R` without
 *   `-L`/`-H`) copy the link; `-L` follows everywhere, `-H` on the command line only;
 * - `ln -sf`/`-snf` replace an existing link (with `-n`, a link to a directory is not descended);
 * - `readlink -f/-e/-m` canonicalise.
 * Messages are coreutils' (`rm: cannot remove 'x': No such file or directory`) or, on BusyBox
 * images, BusyBox's (`rm: can't remove 'x': No such file or directory`).
 */
import { FsError } from '../../errors.ts';
import { abs, errText, getopt, type CommandIO, type CommandOutput } from './command.ts';
import type { ShellFs, ShellStat } from '../types.ts';

/**
 * Whether the image's tools are BusyBox applets rather than GNU coreutils: the program is a
 * symlink to busybox (Alpine) or a hard link of /bin/busybox (the busybox image), or it is
 * missing and /bin/busybox exists.
 */
export function isBusybox(io: CommandIO): boolean {
  for (const p of [`/bin/${io.name}`, `/usr/bin/${io.name}`, `/sbin/${io.name}`, `/usr/sbin/${io.name}`]) {
    let st: ShellStat;
    try {
      st = io.fs.lstat(p);
    } catch {
      continue;
    }
    if (st.type === 'symlink') return /busybox/.test(io.fs.readlink(p));
    if (st.type !== 'file' || (st.nlink ?? 1) < 2 || st.ino === undefined) return false;
    try {
      return io.fs.lstat('/bin/busybox').ino === st.ino;
    } catch {
      return false;
    }
  }
  try {
    io.fs.lstat('/bin/busybox');
    return true;
  } catch {
    return false;
  }
}

function lstatOrNull(fs: ShellFs, p: string): ShellStat | null {
  try {
    return fs.lstat(p);
  } catch {
    return null;
  }
}

function statOrNull(fs: ShellFs, p: string): ShellStat | null {
  try {
    return fs.stat(p);
  } catch {
    return null;
  }
}

const join = (d: string, n: string) => (d === '/' ? `/${n}` : `${d}/${n}`);
const base = (p: string) => {
  const s = p.replace(/\/+$/, '');
  return s.slice(s.lastIndexOf('/') + 1) || '/';
};

class Out {
  stdout = '';
  stderr = '';
  code = 0;
  err(line: string, code = 1) {
    this.stderr += line + '\n';
    this.code = code;
  }
  done(): CommandOutput {
    return { stdout: this.stdout, stderr: this.stderr, exitCode: this.code };
  }
}

/** `rm [-rRfdv] FILE…`. */
export function rm(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'rRfidvI', { recursive: 'r', force: 'f', dir: 'd', verbose: 'v', interactive: 'i', 'no-preserve-root': 'N', 'preserve-root': 'p', 'one-file-system': 'o' });
  const bb = isBusybox(io);
  if (g.error) return { stdout: '', stderr: `rm: ${g.error}\n`, exitCode: 1 };
  const o = g.opts;
  const recursive = o.has('r') || o.has('R');
  const out = new Out();
  if (!g.rest.length && !o.has('f')) return { stdout: '', stderr: bb ? 'BusyBox: rm: missing operand\n' : "rm: missing operand\nTry 'rm --help' for more information.\n", exitCode: 1 };
  for (const f of g.rest) {
    const p = abs(io, f);
    if (p === '/' && recursive && !o.has('N')) {
      out.err(`rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe`);
      continue;
    }
    const cant = bb ? `rm: can't remove '${f}'` : `rm: cannot remove '${f}'`;
    let st: ShellStat;
    try {
      st = io.fs.lstat(p);
    } catch (e) {
      // -f silences only "No such file or directory" (a link loop on the way is still an error).
      if (!o.has('f') || !(e instanceof FsError && e.errno === 'ENOENT')) out.err(`${cant}: ${errText(e)}`);
      continue;
    }
    try {
      if (st.type === 'dir') {
        if (!recursive && !o.has('d')) {
          out.err(bb ? `rm: '${f}' is a directory` : `${cant}: Is a directory`);
          continue;
        }
        if (recursive) io.fs.rm(p, { recursive: true, force: true });
        else io.fs.rmdir(p);
      } else io.fs.unlink(p);
      if (o.has('v')) out.stdout += bb ? `removed '${f}'\n` : `removed ${st.type === 'dir' ? 'directory ' : ''}'${f}'\n`;
    } catch (e) {
      out.err(`${cant}: ${errText(e)}`);
    }
  }
  return out.done();
}

interface CopyOpts {
  /** 'all' follows every symlink, 'top' only command-line operands, 'none' copies links as links. */
  deref: 'all' | 'top' | 'none';
  recursive: boolean;
  preserve: boolean;
  noClobber: boolean;
  busybox?: boolean;
  /** A path not to descend into (the copy itself, when BusyBox copies a directory into itself). */
  skip?: string;
}

/**
 * Copies `src` to `dest` like cp: files by content, directories recursively (when allowed),
 * symlinks as links unless dereferenced. Returns the error text of the first failure.
 */
export function copyTree(io: CommandIO, src: string, dest: string, o: CopyOpts, top = true, shown = src): string | undefined {
  const fs = io.fs;
  const follow = o.deref === 'all' || (o.deref === 'top' && top);
  let st: ShellStat;
  try {
    st = follow ? fs.stat(src) : fs.lstat(src);
  } catch (e) {
    return `cannot stat '${shown}': ${errText(e)}`;
  }
  const existing = lstatOrNull(fs, dest);
  if (existing && o.noClobber) return undefined;
  if (st.type === 'dir') {
    if (!o.recursive) return `-r not specified; omitting directory '${shown}'`;
    if (existing && existing.type !== 'dir' && !(existing.type === 'symlink' && statOrNull(fs, dest)?.type === 'dir')) return `cannot overwrite non-directory '${dest}' with directory '${shown}'`;
    if (!existing) fs.mkdir(dest, { mode: st.mode & 0o7777 });
    for (const c of fs.readdir(src)) {
      if (join(src, c) === o.skip) continue;
      const e = copyTree(io, join(src, c), join(dest, c), o, false, join(shown, c));
      if (e) return e;
    }
  } else if (st.type === 'symlink') {
    const target = fs.readlink(src);
    if (existing) {
      if (existing.type === 'dir') return `cannot overwrite directory '${dest}' with non-directory`;
      fs.unlink(dest);
    }
    fs.symlink(target, dest);
  } else if (st.type === 'file') {
    if (existing?.type === 'dir') return `cannot overwrite directory '${dest}' with non-directory`;
    const data = fs.readFile(src);
    io.countWrite(data.length);
    // A dangling destination link: coreutils refuses; BusyBox opens it, creating the target.
    if (existing?.type === 'symlink' && !statOrNull(fs, dest) && !o.busybox) return `not writing through dangling symlink '${dest}'`;
    const created = !existing;
    fs.writeFile(dest, data, { mode: st.mode & 0o777 });
    if (created) fs.chmod(dest, st.mode & (o.preserve ? 0o7777 : 0o777));
  } else {
    // FIFOs and device nodes are recreated, not read (cp -a, cp -R).
    if (existing) fs.unlink(dest);
    if (!fs.mknod) return `cannot create special file '${dest}': Operation not permitted`;
    fs.mknod(dest, st.type as 'char' | 'block' | 'fifo', st.mode & 0o7777, (st.rdev ?? 0) >> 8, (st.rdev ?? 0) & 0xff);
  }
  if (o.preserve) {
    try {
      fs.lchown(dest, st.uid, st.gid);
    } catch {
      // a non-root user cannot give files away; cp -a then keeps its own ownership
    }
    if (st.type !== 'symlink') {
      fs.chmod(dest, st.mode & 0o7777);
      fs.utimes(dest, st.mtime, st.mtime);
    }
  }
  return undefined;
}

// The destination of one source: into DEST when DEST is (or points at) a directory.
function targetOf(io: CommandIO, src: string, dest: string, destIsDir: boolean): string {
  return destIsDir ? join(abs(io, dest), base(src)) : abs(io, dest);
}

/** `cp [-rRaPdLHpfnvT] SRC… DEST`. */
export function cp(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'rRaPdLHpfnvTtu:i', {
    recursive: 'R', archive: 'a', 'no-dereference': 'P', dereference: 'L', preserve: 'p', force: 'f', 'no-clobber': 'n',
    verbose: 'v', 'no-target-directory': 'T', 'target-directory': 't', update: 'u', interactive: 'i',
  });
  const bb = isBusybox(io);
  if (g.error) return { stdout: '', stderr: `cp: ${g.error}\n`, exitCode: 1 };
  const o = g.opts;
  const args = [...g.rest];
  if (o.has('t')) args.push(o.get('t')!);
  if (args.length < 2) return { stdout: '', stderr: args.length ? `cp: missing destination file operand after '${args[0]}'\n` : 'cp: missing file operand\n', exitCode: 1 };
  const recursive = o.has('r') || o.has('R') || o.has('a');
  const deref = o.has('L') ? 'all' : o.has('H') ? 'top' : o.has('P') || o.has('d') || o.has('a') || recursive ? 'none' : 'all';
  const dest = args.pop()!;
  const destIsDir = !o.has('T') && statOrNull(io.fs, abs(io, dest))?.type === 'dir';
  if (args.length > 1 && !destIsDir) return { stdout: '', stderr: `cp: target '${dest}' is not a directory\n`, exitCode: 1 };
  const out = new Out();
  for (const s of args) {
    const target = targetOf(io, s, dest, destIsDir);
    const src = abs(io, s);
    if (target === src) {
      out.err(`cp: '${s}' and '${destIsDir ? join(dest, base(s)) : dest}' are the same file`);
      continue;
    }
    const ss = statOrNull(io.fs, src);
    const ts = statOrNull(io.fs, target);
    if (ss && ts && ss.ino !== undefined && ss.ino === ts.ino && (deref === 'all' || lstatOrNull(io.fs, src)?.type !== 'symlink')) {
      if (bb && lstatOrNull(io.fs, target)?.type === 'symlink' && ss.type === 'file') {
        // BusyBox compares the source with the destination's lstat, then opens the link with
        // O_TRUNC: the file ends up empty and cp succeeds (observed with BusyBox 1.35).
        io.fs.truncate(target, 0);
        continue;
      }
      out.err(`cp: '${s}' and '${destIsDir ? join(dest, base(s)) : dest}' are the same file`);
      continue;
    }
    if (recursive && (target === src || target.startsWith(src + '/'))) {
      // coreutils refuses up front; BusyBox copies what was there, then meets the copy and stops.
      if (bb && target !== src) {
        copyTree(io, src, target, { deref, recursive, preserve: o.has('a') || o.has('p'), noClobber: o.has('n'), busybox: bb, skip: target }, true, s);
        out.err(`cp: recursion detected, omitting directory '${join(dest, base(s))}'`);
      } else out.err(`cp: cannot copy a directory, '${s}', into itself, '${destIsDir ? join(dest, base(s)) : dest}'`);
      continue;
    }
    try {
      const e = copyTree(io, src, target, { deref, recursive, preserve: o.has('a') || o.has('p'), noClobber: o.has('n'), busybox: bb }, true, s);
      if (e) out.err(bb ? `cp: ${e.replace('-r not specified; omitting', 'omitting')}` : `cp: ${e}`);
      else if (o.has('v')) out.stdout += `'${s}' -> '${target}'\n`;
    } catch (e) {
      out.err(`cp: cannot create ${lstatOrNull(io.fs, src)?.type === 'dir' ? 'directory' : 'regular file'} '${target}': ${errText(e)}`);
    }
  }
  return out.done();
}

/** `mv [-fnvT] SRC… DEST`: renames (symlinks as links); copies then deletes across EXDEV. */
export function mv(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'fnivTt:u', { force: 'f', 'no-clobber': 'n', interactive: 'i', verbose: 'v', 'no-target-directory': 'T', 'target-directory': 't', update: 'u' });
  const bb = isBusybox(io);
  if (g.error) return { stdout: '', stderr: `mv: ${g.error}\n`, exitCode: 1 };
  const o = g.opts;
  const args = [...g.rest];
  if (o.has('t')) args.push(o.get('t')!);
  if (args.length < 2) return { stdout: '', stderr: args.length ? `mv: missing destination file operand after '${args[0]}'\n` : 'mv: missing file operand\n', exitCode: 1 };
  const dest = args.pop()!;
  const destIsDir = !o.has('T') && statOrNull(io.fs, abs(io, dest))?.type === 'dir';
  if (args.length > 1 && !destIsDir) return { stdout: '', stderr: `mv: target '${dest}' is not a directory\n`, exitCode: 1 };
  const out = new Out();
  for (const s of args) {
    const src = abs(io, s);
    const st = lstatOrNull(io.fs, src);
    if (!st) {
      out.err(bb ? `mv: can't rename '${s}': No such file or directory` : `mv: cannot stat '${s}': No such file or directory`);
      continue;
    }
    const target = targetOf(io, s, dest, destIsDir);
    if (target === src) {
      // coreutils refuses; BusyBox renames a file onto itself (a no-op) but fails to stat a link loop.
      if (!bb) out.err(`mv: '${s}' and '${dest}' are the same file`);
      else {
        try {
          io.fs.stat(src);
        } catch (e) {
          if (!(e instanceof FsError && e.errno === 'ENOENT')) out.err(`mv: can't stat '${dest}': ${errText(e)}`);
        }
      }
      continue;
    }
    if (st.type === 'dir' && target.startsWith(src + '/')) {
      out.err(`mv: cannot move '${s}' to a subdirectory of itself, '${target}'`);
      continue;
    }
    const existing = lstatOrNull(io.fs, target);
    if (existing && o.has('n')) continue;
    try {
      if (existing) {
        if (existing.type === 'dir' && st.type !== 'dir') throw new Error(`cannot overwrite directory '${target}' with non-directory`);
        if (existing.type !== 'dir' && st.type === 'dir') throw new Error(`cannot overwrite non-directory '${target}' with directory '${s}'`);
        if (existing.type !== 'dir') io.fs.unlink(target);
      }
      try {
        io.fs.rename(src, target);
      } catch (e) {
        if (!(e instanceof FsError && e.errno === 'EXDEV')) throw e;
        const err = copyTree(io, src, target, { deref: 'none', recursive: true, preserve: true, noClobber: false });
        if (err) throw new Error(err);
        io.fs.rm(src, { recursive: true, force: true });
      }
      if (o.has('v')) out.stdout += bb ? `'${s}' -> '${target}'\n` : `renamed '${s}' -> '${target}'\n`;
    } catch (e) {
      const text = e instanceof FsError ? errText(e) : (e as Error).message;
      out.err(e instanceof FsError ? (bb ? `mv: can't rename '${s}': ${text}` : `mv: cannot move '${s}' to '${target}': ${text}`) : `mv: ${text}`);
    }
  }
  return out.done();
}

/** `ln [-sfnTv] TARGET [LINK]` and `ln [-sfn] TARGET… DIR`. */
export function ln(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'sfnTvrLP', { symbolic: 's', force: 'f', 'no-dereference': 'n', 'no-target-directory': 'T', verbose: 'v', relative: 'r' });
  const bb = isBusybox(io);
  if (g.error) return { stdout: '', stderr: `ln: ${g.error}\n`, exitCode: 1 };
  const o = g.opts;
  const args = [...g.rest];
  if (!args.length) return { stdout: '', stderr: 'ln: missing file operand\n', exitCode: 1 };
  if (args.length === 1) args.push('.');
  const dest = args.pop()!;
  const destAbs = abs(io, dest);
  const dl = lstatOrNull(io.fs, destAbs);
  // With -n a symlink to a directory is the link itself, not a directory to put links in.
  const destIsDir = !o.has('T') && statOrNull(io.fs, destAbs)?.type === 'dir' && !(o.has('n') && dl?.type === 'symlink');
  if (args.length > 1 && !destIsDir) return { stdout: '', stderr: `ln: target '${dest}' is not a directory\n`, exitCode: 1 };
  const out = new Out();
  const kind = o.has('s') ? 'symbolic link' : 'hard link';
  for (const target of args) {
    const link = destIsDir ? join(destAbs, base(target)) : destAbs;
    const shownLink = destIsDir ? join(dest, base(target)).replace(/^\.\//, '') : dest;
    try {
      const existing = lstatOrNull(io.fs, link);
      if (existing) {
        if (!o.has('f')) {
          out.err(bb ? `ln: ${shownLink}: File exists` : `ln: failed to create ${kind} '${shownLink}': File exists`);
          continue;
        }
        if (existing.type === 'dir') {
          out.err(bb ? `ln: ${shownLink}: Is a directory` : `ln: '${shownLink}': cannot overwrite directory`);
          continue;
        }
        io.fs.unlink(link);
      }
      if (o.has('s')) io.fs.symlink(target, link);
      else {
        const src = abs(io, target);
        const st = o.has('L') ? io.fs.stat(src) : io.fs.lstat(src);
        if (st.type === 'dir') {
          out.err(`ln: ${shownLink}: hard link not allowed for directory`);
          continue;
        }
        io.fs.link(src, link);
      }
      if (o.has('v')) out.stdout += `'${shownLink}' -> '${target}'\n`;
    } catch (e) {
      out.err(bb ? `ln: ${shownLink}: ${errText(e)}` : `ln: failed to create ${kind} '${shownLink}': ${errText(e)}`);
    }
  }
  return out.done();
}

/**
 * Canonicalises `path` (all symlinks resolved). `mode` is readlink's: `f` (all but the last
 * component must exist), `e` (all must exist), `m` (none need exist). Undefined when it fails.
 */
export function canonicalize(fs: ShellFs, path: string, mode: 'f' | 'e' | 'm'): string | undefined {
  let todo = path.split('/').filter(Boolean);
  let cur = '/';
  let hops = 0;
  while (todo.length) {
    const c = todo.shift()!;
    if (c === '.') continue;
    if (c === '..') {
      cur = cur.slice(0, cur.lastIndexOf('/')) || '/';
      continue;
    }
    const next = join(cur, c);
    const st = lstatOrNull(fs, next);
    if (!st) {
      if (mode === 'e' || (mode === 'f' && todo.length)) return undefined;
      cur = next;
      continue;
    }
    if (st.type === 'symlink') {
      if (++hops > 40) return undefined;
      const t = fs.readlink(next);
      todo = [...t.split('/').filter(Boolean), ...todo];
      if (t.startsWith('/')) cur = '/';
      continue;
    }
    if (st.type !== 'dir' && todo.length && mode !== 'm') return undefined;
    cur = next;
  }
  return cur;
}

/** `readlink [-fem] [-n] FILE…`. */
export function readlink(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'femnqsvz', { canonicalize: 'f', 'canonicalize-existing': 'e', 'canonicalize-missing': 'm', 'no-newline': 'n', quiet: 'q', silent: 's', verbose: 'v', zero: 'z' });
  if (g.error) return { stdout: '', stderr: `readlink: ${g.error}\n`, exitCode: 1 };
  const o = g.opts;
  const mode = o.has('e') ? 'e' : o.has('m') ? 'm' : o.has('f') ? 'f' : undefined;
  const out = new Out();
  const end = o.has('z') ? '\0' : o.has('n') && g.rest.length === 1 ? '' : '\n';
  if (!g.rest.length) return { stdout: '', stderr: 'readlink: missing operand\n', exitCode: 1 };
  for (const f of g.rest) {
    const p = abs(io, f);
    if (mode) {
      const r = canonicalize(io.fs, p, mode);
      if (r === undefined) out.code = 1;
      else out.stdout += r + end;
      continue;
    }
    try {
      out.stdout += io.fs.readlink(p) + end;
    } catch (e) {
      out.code = 1;
      if (o.has('v')) out.stderr += `readlink: ${f}: ${errText(e)}\n`;
    }
  }
  return out.done();
}
