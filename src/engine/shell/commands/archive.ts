/**
 * `tar` (c/x/t with -z, -C, -f, -v, --strip-components) and `gzip`/`gunzip`/`zcat` over the
 * `ArchiveCodec` injected into the shell (the image module owns the tar and gzip libraries), so
 * they work in the browser, where just-bash's own do not. Owners and modes are kept: extraction by
 * root restores uid/gid like GNU tar's --same-owner default for root.
 */
import type { ArchiveEntry } from '../types.ts';
import { abs, errText, exists, fail, getopt, ok, type CommandIO, type CommandOutput } from './command.ts';

function codec(io: CommandIO) {
  if (!io.archive) throw new Error('no archive codec was given to the shell');
  return io.archive;
}

function isGzip(b: Uint8Array) {
  return b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;
}

// Old-style `tar czf x.tgz dir`: the first word is a bundle of letters without a dash.
function normalizeTarArgs(args: string[]): string[] {
  if (args.length === 0 || args[0].startsWith('-')) return args;
  return ['-' + args[0], ...args.slice(1)];
}

/** GNU tar subset: `tar -c|-x|-t [-z] [-v] [-f FILE] [-C DIR] [--strip-components=N] [PATH…]`. */
export async function tar(io: CommandIO): Promise<CommandOutput> {
  const g = getopt(normalizeTarArgs(io.args), 'cxtzvf:C:jJpo', {
    create: 'c', extract: 'x', get: 'x', list: 't', gzip: 'z', gunzip: 'z', verbose: 'v', file: 'f', directory: 'C',
    'strip-components': 'S', 'no-same-owner': 'o', 'same-owner': 'O', 'preserve-permissions': 'p',
  });
  // getopt has no value-taking letter for --strip-components: parse it here.
  let strip = 0;
  const rest: string[] = [];
  for (const a of g.rest) rest.push(a);
  for (const a of io.args) {
    const m = /^--strip-components=(\d+)$/.exec(a);
    if (m) strip = Number(m[1]);
  }
  if (g.error && !/strip-components/.test(g.error)) return fail(`tar: ${g.error}`, 2);
  const o = g.opts;
  const modes = ['c', 'x', 't'].filter((m) => o.has(m));
  if (modes.length !== 1) return fail("tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\nTry 'tar --help' or 'tar --usage' for more information.", 2);
  if (o.has('j') || o.has('J')) return fail('tar: bzip2/xz compression is not available in this simulator', 2);
  const file = o.get('f') ?? '-';
  const base = abs(io, o.get('C') ?? '.');
  let verbose = '';
  try {
    if (o.has('c')) {
      if (rest.length === 0) return fail('tar: Cowardly refusing to create an empty archive', 2);
      const entries: ArchiveEntry[] = [];
      const seen = new Map<number, string>();
      const add = (rel: string) => {
        const p = abs({ ...io, cwd: base }, rel);
        const st = io.fs.lstat(p);
        const name = rel.replace(/^\/+/, '');
        verbose += (st.type === 'dir' ? name.replace(/\/?$/, '/') : name) + '\n';
        const meta = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
        if (st.type === 'dir') {
          entries.push({ path: name.replace(/\/?$/, '/'), type: 'dir', ...meta });
          for (const c of io.fs.readdir(p)) add(`${rel.replace(/\/+$/, '')}/${c}`);
        } else if (st.type === 'symlink') entries.push({ path: name, type: 'symlink', linkTarget: io.fs.readlink(p), ...meta });
        else if (st.type === 'file') {
          if (st.ino !== undefined && (st.nlink ?? 1) > 1 && seen.has(st.ino)) {
            entries.push({ path: name, type: 'hardlink', linkTarget: seen.get(st.ino), ...meta });
          } else {
            if (st.ino !== undefined) seen.set(st.ino, name);
            entries.push({ path: name, type: 'file', data: io.fs.readFile(p), ...meta });
          }
        }
      };
      for (const r of rest) add(r);
      let bytes = await codec(io).pack(entries);
      if (o.has('z')) bytes = await codec(io).gzip(bytes);
      const out = o.has('v') ? verbose : '';
      if (file === '-') return { stdout: bytes, stderr: out, exitCode: 0 };
      const target = abs(io, file);
      io.countWrite(bytes.length);
      io.fs.writeFile(target, bytes);
      return ok(out);
    }
    let bytes = file === '-' ? io.stdin : io.fs.readFile(abs(io, file));
    if (o.has('z') || isGzip(bytes)) bytes = await codec(io).gunzip(bytes);
    const entries = await codec(io).unpack(bytes);
    const wanted = rest.map((r) => r.replace(/^\.\//, '').replace(/\/+$/, ''));
    const matches = (p: string) => wanted.length === 0 || wanted.some((w) => p === w || p.startsWith(w + '/'));
    if (o.has('t')) {
      const list = entries.filter((e) => matches(e.path.replace(/\/+$/, ''))).map((e) => e.path + '\n').join('');
      return ok(list);
    }
    const sameOwner = io.user.uid === 0 && !o.has('o');
    for (const e of entries) {
      const parts = e.path.replace(/^\/+/, '').split('/').filter((c) => c !== '' && c !== '.');
      if (parts.includes('..')) {
        verbose += '';
        continue;
      }
      if (!matches(parts.join('/'))) continue;
      if (parts.length <= strip) continue;
      const rel = parts.slice(strip).join('/');
      const target = base === '/' ? `/${rel}` : `${base}/${rel}`;
      if (o.has('v')) verbose += e.path + '\n';
      const parent = target.slice(0, target.lastIndexOf('/')) || '/';
      io.fs.mkdir(parent, { recursive: true });
      if (e.type === 'dir') {
        if (!exists(io.fs, target)) io.fs.mkdir(target);
      } else {
        try {
          const st = io.fs.lstat(target);
          if (st.type !== 'dir') io.fs.unlink(target);
        } catch {
          // nothing to replace
        }
        if (e.type === 'symlink') io.fs.symlink(e.linkTarget ?? '', target);
        else if (e.type === 'hardlink') {
          const lp = (e.linkTarget ?? '').split('/').filter(Boolean).slice(strip).join('/');
          io.fs.link(base === '/' ? `/${lp}` : `${base}/${lp}`, target);
        } else {
          const data = e.data ?? new Uint8Array(0);
          io.countWrite(data.length);
          io.fs.writeFile(target, data);
        }
      }
      if (e.type !== 'symlink' && e.type !== 'hardlink') {
        io.fs.chmod(target, e.mode & 0o7777);
        io.fs.utimes(target, e.mtime, e.mtime);
      }
      if (sameOwner && e.type !== 'hardlink') io.fs.lchown(target, e.uid, e.gid);
    }
    return ok(o.has('v') ? verbose : '');
  } catch (e) {
    const msg = errText(e);
    if (msg === 'No such file or directory' && file !== '-' && !exists(io.fs, abs(io, file)) && !o.has('c')) {
      return fail(`tar: ${file}: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now`, 2);
    }
    return fail(`tar: ${msg}`, 2);
  }
}

/** gzip/gunzip/zcat: `gzip [-d] [-c] [-k] [-f] [FILE…]`, replacing FILE with FILE.gz unless -c/-k. */
export async function gzip(io: CommandIO): Promise<CommandOutput> {
  const g = getopt(io.args, 'dckfvqn123456789', { decompress: 'd', stdout: 'c', 'to-stdout': 'c', keep: 'k', force: 'f' });
  if (g.error) return fail(`${io.name}: ${g.error}`, 1);
  const o = g.opts;
  const decompress = o.has('d') || io.name === 'gunzip' || io.name === 'zcat';
  const toStdout = o.has('c') || io.name === 'zcat';
  const c = codec(io);
  const transform = (b: Uint8Array) => (decompress ? c.gunzip(b) : c.gzip(b));
  if (g.rest.length === 0 || (g.rest.length === 1 && g.rest[0] === '-')) {
    return { stdout: await transform(io.stdin), stderr: '', exitCode: 0 };
  }
  const chunks: Uint8Array[] = [];
  let stderr = '';
  for (const f of g.rest) {
    const p = abs(io, f);
    try {
      if (decompress && !toStdout && !/\.(gz|tgz|z)$/i.test(f)) {
        stderr += `${io.name}: ${f}: unknown suffix -- ignored\n`;
        continue;
      }
      const out = await transform(io.fs.readFile(p));
      if (toStdout) {
        chunks.push(out);
        continue;
      }
      const target = decompress ? p.replace(/\.tgz$/i, '.tar').replace(/\.(gz|z)$/i, '') : `${p}.gz`;
      if (exists(io.fs, target) && !o.has('f')) {
        stderr += `${io.name}: ${target.slice(target.lastIndexOf('/') + 1)} already exists; not overwritten\n`;
        continue;
      }
      const st = io.fs.stat(p);
      io.countWrite(out.length);
      io.fs.writeFile(target, out);
      io.fs.chmod(target, st.mode & 0o7777);
      io.fs.utimes(target, st.mtime, st.mtime);
      if (!o.has('k')) io.fs.unlink(p);
    } catch (e) {
      stderr += `${io.name}: ${f}: ${errText(e)}\n`;
    }
  }
  const total = chunks.reduce((n, b) => n + b.length, 0);
  const stdout = new Uint8Array(total);
  let off = 0;
  for (const b of chunks) {
    stdout.set(b, off);
    off += b.length;
  }
  return { stdout: toStdout ? stdout : '', stderr, exitCode: stderr ? 1 : 0 };
}
