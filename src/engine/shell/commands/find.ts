/**
 * `find` over our filesystem (GNU findutils / BusyBox): `-H`/`-L`/`-P`, tests `-name -iname -path
 * -ipath -type -xtype -user -group -uid -gid -nouser -nogroup -perm -size -empty -links -newer
 * -mindepth -maxdepth`, actions `-print -print0 -delete -prune -quit -exec … ; / + -execdir`,
 * operators `! -not -a -and -o -or ( )`. Owners are the image's (`-user www-data`); `-type l`
 * sees symlinks because the walk uses lstat unless `-L` is given.
 */
import { findGroup, findUser } from './accounts.ts';
import { abs, errText, type CommandIO, type CommandOutput } from './command.ts';
import type { ShellStat } from '../types.ts';

type Node =
  | { k: 'and' | 'or'; a: Node; b: Node }
  | { k: 'not'; a: Node; b?: undefined }
  | { k: 'test'; f: (c: Ctx) => boolean | Promise<boolean>; action?: boolean };

interface Ctx {
  path: string;
  abs: string;
  st: ShellStat;
  depth: number;
  prune: boolean;
}

/** A shell pattern (`*`, `?`, `[...]`) as an anchored RegExp (fnmatch without FNM_PATHNAME: `*` matches `/` too). */
export function glob(pattern: string, flags = ''): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const j = pattern.indexOf(']', i + 2);
      if (j < 0) re += '\\[';
      else {
        re += '[' + pattern.slice(i + 1, j).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = j;
      }
    } else if (c === '\\' && i + 1 < pattern.length) re += '\\' + pattern[++i];
    else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's' + flags);
}

const TYPE_LETTER: Record<string, string> = { file: 'f', dir: 'd', symlink: 'l', char: 'c', block: 'b', fifo: 'p', socket: 's' };

function cmpNum(spec: string, value: number, scale = 1): boolean {
  const sign = spec[0] === '+' || spec[0] === '-' ? spec[0] : '';
  const n = Number(spec.slice(sign ? 1 : 0)) * scale;
  return sign === '+' ? value > n : sign === '-' ? value < n : value === n;
}

/** GNU/BusyBox `find`. */
export async function find(io: CommandIO): Promise<CommandOutput> {
  const args = [...io.args];
  let follow = 'P' as 'P' | 'L' | 'H';
  while (args[0] === '-L' || args[0] === '-H' || args[0] === '-P') follow = args.shift()!.slice(1) as 'P' | 'L' | 'H';
  const roots: string[] = [];
  while (args.length && !/^[-!(]/.test(args[0])) roots.push(args.shift()!);
  if (!roots.length) roots.push('.');
  let stdout = '';
  let stderr = '';
  let minDepth = 0;
  let maxDepth = Infinity;
  let quit = false;
  let hasAction = false;
  const batches: { argv: string[]; paths: string[] }[] = [];
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  let pos = 0;
  const need = (op: string) => {
    if (pos >= args.length) throw new Error(`missing argument to \`${op}'`);
    return args[pos++];
  };
  const statCache = (p: string) => io.fs.stat(p);

  const primary = (): Node => {
    const op = args[pos++];
    const t = (f: (c: Ctx) => boolean | Promise<boolean>, action = false): Node => ({ k: 'test', f, action });
    switch (op) {
      case '(': {
        const n = expr();
        if (args[pos++] !== ')') throw new Error("invalid expression; I was expecting to find a ')' somewhere but did not see one.");
        return n;
      }
      case '!': case '-not': return { k: 'not', a: primary() };
      case '-name': { const re = glob(need(op)); return t((c) => re.test(c.path === '/' ? '/' : c.path.replace(/\/+$/, '').slice(c.path.replace(/\/+$/, '').lastIndexOf('/') + 1))); }
      case '-iname': { const re = glob(need(op), 'i'); return t((c) => re.test(c.path.slice(c.path.lastIndexOf('/') + 1))); }
      case '-path': case '-wholename': { const re = glob(need(op)); return t((c) => re.test(c.path)); }
      case '-ipath': { const re = glob(need(op), 'i'); return t((c) => re.test(c.path)); }
      case '-type': { const ts = need(op).split(','); for (const x of ts) if (!'fdlcbps'.includes(x) || x.length !== 1) throw new Error(`Unknown argument to -type: ${x}`); return t((c) => ts.includes(TYPE_LETTER[c.st.type])); }
      case '-xtype': { const ts = need(op).split(','); return t((c) => { try { return ts.includes(TYPE_LETTER[(follow === 'L' ? io.fs.lstat(c.abs) : statCache(c.abs)).type]); } catch { return ts.includes('l'); } }); }
      case '-user': { const v = need(op); const u = findUser(io.fs, v); const uid = u ? u.uid : /^\d+$/.test(v) ? Number(v) : undefined; if (uid === undefined) throw new Error(`'${v}' is not the name of a known user`); return t((c) => c.st.uid === uid); }
      case '-group': { const v = need(op); const gr = findGroup(io.fs, v); const gid = gr ? gr.gid : /^\d+$/.test(v) ? Number(v) : undefined; if (gid === undefined) throw new Error(`'${v}' is not the name of an existing group`); return t((c) => c.st.gid === gid); }
      case '-uid': { const v = need(op); return t((c) => cmpNum(v, c.st.uid)); }
      case '-gid': { const v = need(op); return t((c) => cmpNum(v, c.st.gid)); }
      case '-nouser': return t((c) => !findUser(io.fs, String(c.st.uid)));
      case '-nogroup': return t((c) => !findGroup(io.fs, String(c.st.gid)));
      case '-links': { const v = need(op); return t((c) => cmpNum(v, c.st.nlink ?? 1)); }
      case '-perm': {
        const v = need(op);
        const mode = parseInt(v.replace(/^[-/+]/, ''), 8);
        if (Number.isNaN(mode)) throw new Error(`invalid mode '${v}'`);
        return t((c) => { const m = c.st.mode & 0o7777; return v[0] === '-' ? (m & mode) === mode : v[0] === '/' || v[0] === '+' ? mode === 0 || (m & mode) !== 0 : m === mode; });
      }
      case '-size': {
        const v = need(op);
        const m = /^([+-]?\d+)([bcwkMG]?)$/.exec(v);
        if (!m) throw new Error(`invalid argument \`${v}' to \`-size'`);
        const unit = { b: 512, c: 1, w: 2, k: 1024, M: 1 << 20, G: 1 << 30, '': 512 }[m[2] as 'b'];
        return t((c) => cmpNum(m[1], Math.ceil(c.st.size / unit)));
      }
      case '-empty': return t((c) => (c.st.type === 'dir' ? io.fs.readdir(c.abs).length === 0 : c.st.type === 'file' && c.st.size === 0));
      case '-newer': { const ref = io.fs.stat(abs(io, need(op))).mtime; return t((c) => c.st.mtime > ref); }
      case '-mtime': case '-mmin': { const v = need(op); const unit = op === '-mtime' ? 86400 : 60; return t((c) => cmpNum(v, Math.floor((io.now() - c.st.mtime) / unit))); }
      case '-readable': case '-writable': case '-executable': { const bit = op === '-readable' ? 4 : op === '-writable' ? 2 : 1; return t((c) => io.user.uid === 0 ? bit !== 1 || (c.st.mode & 0o111) !== 0 || c.st.type === 'dir' : ((c.st.uid === io.user.uid ? c.st.mode >> 6 : c.st.gid === io.user.gid ? c.st.mode >> 3 : c.st.mode) & bit) !== 0); }
      case '-maxdepth': maxDepth = Number(need(op)); return t(() => true);
      case '-mindepth': minDepth = Number(need(op)); return t(() => true);
      case '-xdev': case '-mount': case '-depth': case '-d': case '-noleaf': case '-ignore_readdir_race': return t(() => true);
      case '-true': return t(() => true);
      case '-false': return t(() => false);
      case '-prune': return t((c) => ((c.prune = true), true));
      case '-quit': hasAction = true; return t(() => ((quit = true), true), true);
      case '-print': hasAction = true; return t((c) => ((stdout += c.path + '\n'), true), true);
      case '-print0': hasAction = true; return t((c) => ((stdout += c.path + '\0'), true), true);
      case '-delete': hasAction = true; return t((c) => { try { if (c.st.type === 'dir') io.fs.rmdir(c.abs); else io.fs.unlink(c.abs); } catch (e) { stderr += `find: cannot delete '${c.path}': ${errText(e)}\n`; } return true; }, true);
      case '-exec': case '-execdir': case '-ok': {
        hasAction = true;
        const argv: string[] = [];
        while (pos < args.length && args[pos] !== ';' && !(args[pos] === '+' && argv[argv.length - 1] === '{}')) argv.push(args[pos++]);
        if (pos >= args.length) throw new Error(`missing argument to \`${op}'`);
        const plus = args[pos++] === '+';
        if (plus) {
          const batch = { argv: argv.slice(0, -1), paths: [] as string[] };
          batches.push(batch);
          return t((c) => (batch.paths.push(c.path), true), true);
        }
        return t(async (c) => {
          const res = await io.exec?.(argv.map((a) => q(a.replace(/\{\}/g, c.path))).join(' '));
          if (!res) return false;
          stdout += typeof res.stdout === 'string' ? res.stdout : new TextDecoder().decode(res.stdout);
          stderr += res.stderr;
          return res.exitCode === 0;
        }, true);
      }
      default:
        if (op?.startsWith('-')) throw new Error(`unknown predicate \`${op}'`);
        throw new Error(`paths must precede expression: \`${op}'`);
    }
  };
  const unary = (): Node => primary();
  const andExpr = (): Node => {
    let n = unary();
    while (pos < args.length && args[pos] !== ')' && args[pos] !== '-o' && args[pos] !== '-or') {
      if (args[pos] === '-a' || args[pos] === '-and') pos++;
      n = { k: 'and', a: n, b: unary() };
    }
    return n;
  };
  const expr = (): Node => {
    let n = andExpr();
    while (args[pos] === '-o' || args[pos] === '-or') {
      pos++;
      n = { k: 'or', a: n, b: andExpr() };
    }
    return n;
  };
  let tree: Node = { k: 'test', f: () => true };
  try {
    if (args.length) tree = expr();
    if (pos < args.length) throw new Error(`paths must precede expression: \`${args[pos]}'`);
  } catch (e) {
    return { stdout: '', stderr: `find: ${(e as Error).message}\n`, exitCode: 1 };
  }
  if (!hasAction) tree = { k: 'and', a: tree, b: { k: 'test', f: (c) => ((stdout += c.path + '\n'), true), action: true } };
  const evaluate = async (n: Node, c: Ctx): Promise<boolean> => {
    if (n.k === 'and') return (await evaluate(n.a, c)) && evaluate(n.b, c);
    if (n.k === 'or') return (await evaluate(n.a, c)) || evaluate(n.b, c);
    if (n.k === 'not') return !(await evaluate(n.a, c));
    if (n.k === 'test') return n.f(c);
    return false;
  };
  // Directories on the way down (by inode), so -L stops at a loop as findutils does.
  const walk = async (path: string, absPath: string, depth: number, ancestors: ReadonlySet<string> = new Set()) => {
    if (quit) return;
    let st: ShellStat;
    try {
      st = follow === 'L' || (follow === 'H' && depth === 0) ? io.fs.stat(absPath) : io.fs.lstat(absPath);
    } catch (e) {
      try {
        st = io.fs.lstat(absPath);
      } catch {
        stderr += `find: '${path}': ${errText(e)}\n`;
        return;
      }
    }
    const c: Ctx = { path, abs: absPath, st, depth, prune: false };
    if (depth >= minDepth && depth <= maxDepth) await evaluate(tree, c);
    if (st.type === 'dir' && depth < maxDepth && !c.prune && !quit) {
      const key = String(st.ino ?? absPath);
      if (ancestors.has(key)) {
        stderr += `find: File system loop detected; '${path}' is part of the same file system loop.\n`;
        return;
      }
      const below = new Set(ancestors).add(key);
      let names: string[];
      try {
        names = io.fs.readdir(absPath);
      } catch (e) {
        stderr += `find: '${path}': ${errText(e)}\n`;
        return;
      }
      for (const n of names) await walk(path.endsWith('/') ? path + n : `${path}/${n}`, absPath === '/' ? `/${n}` : `${absPath}/${n}`, depth + 1, below);
    }
  };
  for (const r of roots) await walk(r, abs(io, r), 0);
  let code = stderr ? 1 : 0;
  for (const b of batches) {
    if (!b.paths.length) continue;
    const res = await io.exec?.([...b.argv, ...b.paths].map(q).join(' '));
    if (res) {
      stdout += typeof res.stdout === 'string' ? res.stdout : new TextDecoder().decode(res.stdout);
      stderr += res.stderr;
      if (res.exitCode) code = 1;
    }
  }
  return { stdout, stderr, exitCode: code };
}
