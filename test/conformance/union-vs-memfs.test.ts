/**
 * Conformance: random sequences of file operations, with periodic commits (freeze the upper layer,
 * push it onto the lower stack, mount a new empty upper), give the same merged view as the same
 * operations on a flat memfs Volume. Directory renames are left out: overlayfs refuses them with
 * EXDEV for lower directories (see src/engine/fs/README.md), which a flat fs never does.
 */
import fc from 'fast-check';
import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { LowerStack } from '../../src/engine/fs/lower-stack.ts';
import { UnionFs } from '../../src/engine/fs/union.ts';

type Op =
  | { op: 'write'; path: string; data: string }
  | { op: 'append'; path: string; data: string }
  | { op: 'mkdir'; path: string }
  | { op: 'rmr'; path: string }
  | { op: 'rename'; from: string; to: string }
  | { op: 'chmod'; path: string; mode: number }
  | { op: 'symlink'; target: string; path: string }
  | { op: 'unlink'; path: string }
  | { op: 'commit' };

const DIRS = ['', '/a', '/a/b', '/c'];
const NAMES = ['x', 'y', 'b', 'c'];
const path = fc.tuple(fc.constantFrom(...DIRS), fc.constantFrom(...NAMES)).map(([d, n]) => `${d}/${n}`);
const data = fc.string({ maxLength: 6 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('write' as const), path, data }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('append' as const), path, data }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('mkdir' as const), path }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('rmr' as const), path }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('rename' as const), from: path, to: path }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('chmod' as const), path, mode: fc.constantFrom(0o600, 0o644, 0o755, 0o700) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('symlink' as const), target: path, path }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('unlink' as const), path }) },
  { weight: 2, arbitrary: fc.constant({ op: 'commit' as const }) },
);

type Ref = ReturnType<typeof Volume.fromJSON>;

/** Applies one op to the reference; returns whether it succeeded. File renames only. */
function applyRef(v: Ref, o: Op): boolean {
  try {
    switch (o.op) {
      case 'write':
        v.writeFileSync(o.path, o.data, { mode: 0o644 });
        break;
      case 'append':
        v.appendFileSync(o.path, o.data, { mode: 0o644 });
        break;
      case 'mkdir':
        // memfs 4.80 quirk: mkdir -p over an existing file or a dangling symlink succeeds (replacing
        // the symlink); Node and Linux fail with EEXIST / ENOENT. Check each prefix as Linux would.
        for (let i = o.path.indexOf('/', 1); ; i = o.path.indexOf('/', i + 1)) {
          const prefix = i < 0 ? o.path : o.path.slice(0, i);
          let exists = true;
          try {
            v.lstatSync(prefix);
          } catch {
            exists = false;
          }
          if (exists && !(v.existsSync(prefix) && v.statSync(prefix).isDirectory())) return false;
          if (i < 0) break;
        }
        v.mkdirSync(o.path, { recursive: true, mode: 0o755 });
        break;
      case 'rmr':
        // memfs 4.80 quirk: rmSync follows a symlink; rm -r removes the link itself.
        if (v.lstatSync(o.path).isSymbolicLink()) v.unlinkSync(o.path);
        else v.rmSync(o.path, { recursive: true });
        break;
      case 'rename':
        // Files only; memfs 4.80 also mis-handles renaming a symlink (it resolves it), so those are skipped too.
        if (!v.lstatSync(o.from).isFile()) return false;
        // memfs 4.80 quirk: renames a file over a directory; Linux says EISDIR.
        if (v.existsSync(o.to) && v.lstatSync(o.to).isDirectory()) return false;
        v.renameSync(o.from, o.to);
        break;
      case 'chmod':
        v.chmodSync(o.path, v.statSync(o.path).isDirectory() ? 0o755 : o.mode);
        break;
      case 'symlink': {
        // memfs 4.80 quirk: it cannot create an entry under a parent reached through a symlink
        // (`/c/y` with `/c -> /a/b`); Linux resolves the parent first, so the reference does too.
        const slash = o.path.lastIndexOf('/');
        const parent = v.realpathSync(o.path.slice(0, slash) || '/') as string;
        v.symlinkSync(o.target, `${parent === '/' ? '' : parent}/${o.path.slice(slash + 1)}`);
        break;
      }
      case 'unlink':
        v.unlinkSync(o.path);
        break;
      case 'commit':
        break;
    }
    return true;
  } catch {
    return false;
  }
}

function applyUnion(u: UnionFs, o: Op): boolean {
  try {
    switch (o.op) {
      case 'write':
        u.writeFile(o.path, o.data, { mode: 0o644 });
        break;
      case 'append':
        u.appendFile(o.path, o.data, { mode: 0o644 });
        break;
      case 'mkdir':
        u.mkdir(o.path, { recursive: true, mode: 0o755 });
        break;
      case 'rmr':
        u.rm(o.path, { recursive: true });
        break;
      case 'rename':
        if (!u.lstat(o.from).isFile()) return false;
        u.rename(o.from, o.to);
        break;
      case 'chmod':
        u.chmod(o.path, u.stat(o.path).isDirectory() ? 0o755 : o.mode);
        break;
      case 'symlink':
        u.symlink(o.target, o.path);
        break;
      case 'unlink':
        u.unlink(o.path);
        break;
      case 'commit':
        break;
    }
    return true;
  } catch {
    return false;
  }
}

/** The whole tree as `path type mode content` lines (symlinks not followed). */
function dumpRef(v: Ref, dir = '/', out: string[] = []): string[] {
  for (const name of (v.readdirSync(dir) as string[]).slice().sort()) {
    const p = dir === '/' ? `/${name}` : `${dir}/${name}`;
    const s = v.lstatSync(p);
    if (s.isSymbolicLink()) out.push(`${p} symlink -> ${v.readlinkSync(p)}`);
    else if (s.isDirectory()) {
      out.push(`${p} dir ${(Number(s.mode) & 0o7777).toString(8)}`);
      dumpRef(v, p, out);
    } else out.push(`${p} file ${(Number(s.mode) & 0o7777).toString(8)} ${JSON.stringify(v.readFileSync(p, 'utf8'))}`);
  }
  return out;
}
function dumpUnion(u: UnionFs, dir = '/', out: string[] = []): string[] {
  for (const name of u.readdir(dir)) {
    const p = dir === '/' ? `/${name}` : `${dir}/${name}`;
    const s = u.lstat(p);
    if (s.isSymbolicLink()) out.push(`${p} symlink -> ${u.readlink(p)}`);
    else if (s.isDirectory()) {
      out.push(`${p} dir ${(s.mode & 0o7777).toString(8)}`);
      dumpUnion(u, p, out);
    } else out.push(`${p} file ${(s.mode & 0o7777).toString(8)} ${JSON.stringify(u.readTextFile(p))}`);
  }
  return out;
}

function run(ops: Op[]) {
  const ref = Volume.fromJSON({});
  let u = new UnionFs(LowerStack.empty(), { clock: () => 1 });
  ops.forEach((o, i) => {
    if (o.op === 'commit') {
      u = new UnionFs(u.commit().lower, { clock: () => 1 });
      return;
    }
    const okRef = applyRef(ref, o);
    const okUnion = applyUnion(u, o);
    expect(okUnion, `op ${i} ${JSON.stringify(o)} succeeded in ${okRef ? 'memfs' : 'union'} only`).toBe(okRef);
  });
  expect(dumpUnion(u)).toEqual(dumpRef(ref));
  return u;
}

describe('union view vs a flat memfs Volume', () => {
  it('random operations with commits give the same merged view', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => {
        run(ops);
      }),
      // A fixed seed keeps CI reproducible; FC_SEED=<n> explores other sequences locally.
      { numRuns: 500, seed: Number(process.env.FC_SEED ?? 20261123) },
    );
  });

  it('a fixed scenario: delete in one layer, re-create in the next', () => {
    const u = run([
      { op: 'mkdir', path: '/a/b' },
      { op: 'write', path: '/a/b/x', data: '1' },
      { op: 'commit' },
      { op: 'rmr', path: '/a' },
      { op: 'commit' },
      { op: 'mkdir', path: '/a' },
      { op: 'write', path: '/a/y', data: '2' },
    ]);
    expect(u.lower.depth).toBe(2);
  });
});
