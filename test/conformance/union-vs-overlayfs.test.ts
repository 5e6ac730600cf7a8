/**
 * Differential test against the real kernel overlayfs: the same lower layers are written to temp
 * directories, the same operation script runs through node:fs on an overlay mount and through our
 * UnionFs, then the kernel's upperdir (whiteouts are char devices 0/0, opaque directories carry the
 * xattr trusted.overlay.opaque=y, read here with python3's os.getxattr) must equal our upper LayerTree,
 * and every operation must fail or succeed with the same errno.
 *
 * The mount uses redirect_dir=off,index=off,metacopy=off: Docker's overlay2 defaults, under which a
 * lower directory cannot be renamed (EXDEV). Needs root and overlay support; otherwise skipped.
 * Not compared: mtimes (the kernel uses the wall clock), inode numbers, the upper root's metadata.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { textContent } from '../../src/engine/fs/content.ts';
import { LayerTree, WHITEOUT, isWhiteout, makeDir, makeFile, makeSymlink } from '../../src/engine/fs/layer-tree.ts';
import { LowerStack } from '../../src/engine/fs/lower-stack.ts';
import { UnionFs } from '../../src/engine/fs/union.ts';
import { FsError } from '../../src/engine/errors.ts';

const OPTS = 'redirect_dir=off,index=off,metacopy=off';
const root = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'layerlab-ovl-'));
let counter = 0;

function probeMount(): string | undefined {
  try {
    const d = nodePath.join(root, 'probe');
    for (const s of ['l', 'u', 'w', 'm']) fs.mkdirSync(nodePath.join(d, s), { recursive: true });
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${d}/l,upperdir=${d}/u,workdir=${d}/w,${OPTS}`, `${d}/m`], { stdio: 'pipe' });
    execFileSync('umount', [`${d}/m`], { stdio: 'pipe' });
    execFileSync('python3', ['-c', 'import os'], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e).trim();
  }
}
const mountProblem = probeMount();
if (mountProblem) console.warn(`union-vs-overlayfs: skipped, cannot mount overlayfs here (needs root, overlay and python3): ${mountProblem}`);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// ------------------------------------------------------------------ lower layers

/** Bottom layer L1 and top lower layer L2 (with a whiteout and an opaque directory), as LayerTrees. */
function lowerLayers(): LayerTree[] {
  const f = (s: string, mode = 0o644) => makeFile(textContent(s), { mode });
  const l1 = new LayerTree();
  l1.set('/etc', makeDir({ mode: 0o755 }));
  l1.set('/etc/passwd', f('root:x:0:0\n'));
  l1.set('/etc/group', f('root:x:0:\n'));
  l1.set('/bin', makeDir({ mode: 0o755 }));
  l1.set('/bin/sh', f('ELF-sh', 0o755));
  l1.set('/var', makeDir({ mode: 0o755 }));
  l1.set('/var/cache', makeDir({ mode: 0o755 }));
  l1.set('/var/cache/a', f('aaaa'));
  l1.set('/var/cache/b', f('bbbb'));
  l1.set('/opt', makeDir({ mode: 0o755 }));
  l1.set('/opt/old', f('old'));
  l1.set('/gone', f('gone'));
  l1.set('/empty', makeDir({ mode: 0o755 }));
  l1.set('/empty/only', f('1'));
  const l2 = new LayerTree();
  l2.set('/etc', makeDir({ mode: 0o755 }));
  l2.set('/etc/hosts', f('127.0.0.1 localhost\n'));
  l2.set('/gone', WHITEOUT);
  const opt = makeDir({ mode: 0o755 });
  opt.opaque = true;
  l2.set('/opt', opt);
  l2.set('/opt/new', f('new'));
  l2.set('/usr', makeDir({ mode: 0o755 }));
  l2.set('/usr/lib', makeDir({ mode: 0o755 }));
  l2.set('/usr/lib/libc.so', f('libc'));
  l2.set('/lib', makeSymlink('usr/lib'));
  return [l1.freeze(), l2.freeze()];
}

/** Writes a LayerTree to a directory in overlayfs's on-disk format. */
function writeLayer(t: LayerTree, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const opaque: string[] = [];
  for (const [p, e] of t.walk()) {
    const full = dir + p;
    if (isWhiteout(e)) execFileSync('mknod', [full, 'c', '0', '0']);
    else if (e.type === 'dir') {
      fs.mkdirSync(full, { mode: e.mode });
      fs.chmodSync(full, e.mode);
      if (e.opaque) opaque.push(full);
    } else if (e.type === 'file') {
      fs.writeFileSync(full, e.content.read());
      fs.chmodSync(full, e.mode);
    } else if (e.type === 'symlink') fs.symlinkSync(e.target, full);
  }
  if (opaque.length) {
    execFileSync('python3', ['-c', "import os,sys\nfor p in sys.argv[1:]: os.setxattr(p, 'trusted.overlay.opaque', b'y')", ...opaque]);
  }
}

// ------------------------------------------------------------------ operations

type Op =
  | ['write' | 'append', string, string]
  | ['mkdir' | 'mkdirp' | 'rmr' | 'unlink' | 'rmdir', string]
  | ['rename' | 'link' | 'symlink', string, string]
  | ['chmod', string, number]
  | ['truncate', string, number];

interface FsLike {
  write(p: string, d: string): void;
  append(p: string, d: string): void;
  mkdir(p: string, recursive: boolean): void;
  rmr(p: string): void;
  unlink(p: string): void;
  rmdir(p: string): void;
  rename(a: string, b: string): void;
  link(a: string, b: string): void;
  symlink(target: string, p: string): void;
  chmod(p: string, m: number): void;
  truncate(p: string, n: number): void;
}

function apply(f: FsLike, op: Op): void {
  switch (op[0]) {
    case 'write': return f.write(op[1], op[2]);
    case 'append': return f.append(op[1], op[2]);
    case 'mkdir': return f.mkdir(op[1], false);
    case 'mkdirp': return f.mkdir(op[1], true);
    case 'rmr': return f.rmr(op[1]);
    case 'unlink': return f.unlink(op[1]);
    case 'rmdir': return f.rmdir(op[1]);
    case 'rename': return f.rename(op[1], op[2]);
    case 'link': return f.link(op[1], op[2]);
    case 'symlink': return f.symlink(op[1], op[2]);
    case 'chmod': return f.chmod(op[1], op[2]);
    case 'truncate': return f.truncate(op[1], op[2]);
  }
}

function kernelFs(m: string): FsLike {
  return {
    write: (p, d) => fs.writeFileSync(m + p, d, { mode: 0o644 }),
    append: (p, d) => fs.appendFileSync(m + p, d, { mode: 0o644 }),
    mkdir: (p, recursive) => void fs.mkdirSync(m + p, { recursive, mode: 0o755 }),
    rmr: (p) => fs.rmSync(m + p, { recursive: true }),
    unlink: (p) => fs.unlinkSync(m + p),
    rmdir: (p) => fs.rmdirSync(m + p),
    rename: (a, b) => fs.renameSync(m + a, m + b),
    link: (a, b) => fs.linkSync(m + a, m + b),
    symlink: (t, p) => fs.symlinkSync(t, m + p),
    chmod: (p, mode) => fs.chmodSync(m + p, mode),
    truncate: (p, n) => fs.truncateSync(m + p, n),
  };
}
function unionFs(u: UnionFs): FsLike {
  return {
    write: (p, d) => u.writeFile(p, d, { mode: 0o644 }),
    append: (p, d) => u.appendFile(p, d, { mode: 0o644 }),
    mkdir: (p, recursive) => u.mkdir(p, { recursive, mode: 0o755 }),
    rmr: (p) => u.rm(p, { recursive: true }),
    unlink: (p) => u.unlink(p),
    rmdir: (p) => u.rmdir(p),
    rename: (a, b) => u.rename(a, b),
    link: (a, b) => u.link(a, b),
    symlink: (t, p) => u.symlink(t, p),
    chmod: (p, mode) => u.chmod(p, mode),
    truncate: (p, n) => u.truncate(p, n),
  };
}
function outcome(f: () => void): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof FsError) return e.errno;
    const code = (e as { code?: string }).code;
    if (code) return code;
    throw e;
  }
}

// ------------------------------------------------------------------ dumps

function dumpDisk(dir: string): string[] {
  const opaque = new Set(
    execFileSync('python3', ['-c', [
      'import os,sys',
      'for r,ds,fs in os.walk(sys.argv[1]):',
      '  for d in ds:',
      '    p=os.path.join(r,d)',
      '    try:',
      "      if os.getxattr(p,'trusted.overlay.opaque',follow_symlinks=False)==b'y': print(p[len(sys.argv[1]):])",
      '    except OSError: pass',
    ].join('\n'), dir]).toString().split('\n').filter(Boolean),
  );
  const out: string[] = [];
  const rec = (rel: string) => {
    for (const name of fs.readdirSync(dir + rel).sort()) {
      const p = `${rel}/${name}`;
      const s = fs.lstatSync(dir + p);
      if (s.isCharacterDevice() && s.rdev === 0) out.push(`${p} whiteout`);
      else if (s.isSymbolicLink()) out.push(`${p} symlink -> ${fs.readlinkSync(dir + p)}`);
      else if (s.isDirectory()) {
        out.push(`${p} dir${opaque.has(p) ? ' opaque' : ''} ${(s.mode & 0o7777).toString(8)}`);
        rec(p);
      } else out.push(`${p} file ${(s.mode & 0o7777).toString(8)} nlink=${s.nlink} ${JSON.stringify(fs.readFileSync(dir + p, 'utf8'))}`);
    }
  };
  rec('');
  return out;
}
function dumpUpper(t: LayerTree): string[] {
  return [...t.walk()].map(([p, e]) => {
    if (isWhiteout(e)) return `${p} whiteout`;
    if (e.type === 'symlink') return `${p} symlink -> ${e.target}`;
    if (e.type === 'dir') return `${p} dir${e.opaque ? ' opaque' : ''} ${e.mode.toString(8)}`;
    return `${p} file ${e.mode.toString(8)} nlink=${e.nlink} ${JSON.stringify(new TextDecoder().decode(e.content.read()))}`;
  });
}
function dumpMerged(list: (p: string) => string[], lstat: (p: string) => string, dir = '', out: string[] = []): string[] {
  for (const name of list(dir || '/').sort()) {
    const p = `${dir}/${name}`;
    const kind = lstat(p);
    out.push(`${p} ${kind}`);
    if (kind === 'dir') dumpMerged(list, lstat, p, out);
  }
  return out;
}

/** Runs a script on both implementations and returns both sides for comparison. */
function runBoth(script: Op[]) {
  const dir = nodePath.join(root, `case${counter++}`);
  const layers = lowerLayers();
  writeLayer(layers[0], `${dir}/l1`);
  writeLayer(layers[1], `${dir}/l2`);
  for (const s of ['u', 'w', 'm']) fs.mkdirSync(`${dir}/${s}`);
  const m = `${dir}/m`;
  execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${dir}/l2:${dir}/l1,upperdir=${dir}/u,workdir=${dir}/w,${OPTS}`, m]);
  const union = new UnionFs(new LowerStack(layers), { clock: () => 1 });
  const kfs = kernelFs(m);
  const ufs = unionFs(union);
  const kernelOutcomes: string[] = [];
  const unionOutcomes: string[] = [];
  let kernelMerged: string[];
  try {
    for (const op of script) {
      kernelOutcomes.push(`${JSON.stringify(op)} ${outcome(() => apply(kfs, op))}`);
      unionOutcomes.push(`${JSON.stringify(op)} ${outcome(() => apply(ufs, op))}`);
    }
    const kind = (s: fs.Stats) => (s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'symlink' : 'file');
    kernelMerged = dumpMerged((p) => fs.readdirSync(m + p), (p) => kind(fs.lstatSync(m + p)));
  } finally {
    execFileSync('umount', [m]);
  }
  const unionMerged = dumpMerged((p) => union.readdir(p), (p) => union.lstat(p).type);
  return {
    kernel: { outcomes: kernelOutcomes, upper: dumpDisk(`${dir}/u`), merged: kernelMerged },
    union: { outcomes: unionOutcomes, upper: dumpUpper(union.upper), merged: unionMerged },
  };
}

const SCENARIOS: Record<string, Op[]> = {
  'copy-up on append, chmod, truncate': [['append', '/etc/passwd', 'bob\n'], ['chmod', '/bin/sh', 0o700], ['truncate', '/etc/hosts', 3]],
  'new file in a lower directory copies the parent up': [['write', '/var/cache/c', 'c']],
  'unlink lower file, unlink upper-only file': [['unlink', '/etc/group'], ['write', '/etc/tmp', 't'], ['unlink', '/etc/tmp']],
  'rm -r lower dir then mkdir makes it opaque': [['rmr', '/var/cache'], ['mkdir', '/var/cache'], ['write', '/var/cache/z', 'z']],
  'rmdir of a directory emptied in the merged view': [['unlink', '/empty/only'], ['rmdir', '/empty']],
  'rename lower file leaves a whiteout': [['rename', '/etc/passwd', '/etc/passwd.bak'], ['rename', '/etc/hosts', '/hosts']],
  'rename lower directory is EXDEV': [['rename', '/var/cache', '/var/cache2'], ['rename', '/etc', '/etc2']],
  'rename upper-only directory (into merged parents)': [['mkdirp', '/new/sub'], ['write', '/new/sub/f', 'f'], ['rename', '/new', '/moved'], ['rename', '/moved/sub', '/var/sub']],
  'hard link of a lower file': [['link', '/etc/passwd', '/etc/passwd.link'], ['append', '/etc/passwd.link', 'x']],
  'names whited out or opaque in a lower layer': [['write', '/gone', 'back'], ['mkdir', '/opt/old'], ['unlink', '/opt/new'], ['write', '/opt/x', 'x']],
  'mkdir over a lower whiteout, then inside': [['mkdir', '/gone'], ['write', '/gone/f', 'f']],
  'symlinks: write through, dangling, into lower dir': [['write', '/lib/libm.so', 'm'], ['symlink', '/nowhere/f', '/dangle'], ['write', '/dangle', 'x'], ['symlink', '../etc/passwd', '/usr/pw'], ['append', '/usr/pw', 'y']],
  'errors: ENOENT, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY': [['unlink', '/gone'], ['mkdir', '/etc'], ['write', '/etc/passwd/x', 'x'], ['unlink', '/etc'], ['rmdir', '/var'], ['rmdir', '/etc/passwd']],
  'delete and recreate a file, then delete again': [['unlink', '/bin/sh'], ['write', '/bin/sh', 'new'], ['unlink', '/bin/sh']],
  'file replaces a lower directory': [['rmr', '/var/cache'], ['write', '/var/cache', 'now a file']],
};

describe.skipIf(!!mountProblem)('union vs kernel overlayfs (upperdir and merged view)', () => {
  for (const [name, script] of Object.entries(SCENARIOS)) {
    it(name, () => {
      const { kernel, union } = runBoth(script);
      expect(union.outcomes).toEqual(kernel.outcomes);
      expect(union.upper).toEqual(kernel.upper);
      expect(union.merged).toEqual(kernel.merged);
    });
  }

  it('random scripts give the same upperdir as the kernel', { timeout: 180_000 }, () => {
    const paths = ['/etc/passwd', '/etc/new', '/var/cache', '/var/cache/a', '/opt/new', '/opt/old', '/gone', '/d', '/d/f', '/usr/lib/x', '/lib/y', '/empty/only', '/empty'];
    const p = fc.constantFrom(...paths);
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.tuple(fc.constantFrom('write' as const, 'append' as const), p, fc.constantFrom('1', 'ab')),
      fc.tuple(fc.constantFrom('mkdir' as const, 'rmr' as const, 'unlink' as const, 'rmdir' as const), p),
      fc.tuple(fc.constantFrom('rename' as const, 'link' as const), p, p),
      fc.tuple(fc.constant('chmod' as const), p, fc.constantFrom(0o600, 0o755)),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 12 }), (script) => {
        const { kernel, union } = runBoth(script);
        expect(union.outcomes).toEqual(kernel.outcomes);
        expect(union.upper).toEqual(kernel.upper);
        expect(union.merged).toEqual(kernel.merged);
      }),
      { numRuns: 60, seed: Number(process.env.FC_SEED ?? 20261123) },
    );
  });
});
