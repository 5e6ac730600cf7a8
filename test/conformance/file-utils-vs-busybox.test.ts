/**
 * Conformance: random sequences of file utilities (rm, mv, cp, ln, mkdir, chmod, touch) run
 * through the lab's shell on an Alpine-like union filesystem, and through real BusyBox applets in
 * a temporary directory on the kernel, leave the same tree (types, symlink targets, contents) and
 * the same exit code after every command. Symlinks are the point: dangling links, links to files
 * and to directories, `ln -sf`/`-snf` over links, `cp -P`/`-a`/`-r` copying links, `mkdir -p`
 * through a link. Skips with a message where /bin/busybox is missing. FC_SEED explores other seeds.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LayerTree } from '../../src/engine/fs/layer-tree.ts';
import { LowerStack } from '../../src/engine/fs/lower-stack.ts';
import { UnionFs } from '../../src/engine/fs/union.ts';
import { FlatFs } from '../../src/engine/shell/flat-fs.ts';
import { createShell } from '../../src/engine/shell/shell.ts';
import { populateRootfs } from '../../src/engine/shell/test-support.ts';
import type { ShellFs } from '../../src/engine/shell/types.ts';

const BUSYBOX = '/bin/busybox';
const APPLETS = ['sh', 'rm', 'mv', 'cp', 'ln', 'mkdir', 'chmod', 'touch', 'echo', 'readlink', 'cat', 'test', '['];
const NAMES = ['a', 'b', 'd', 'd/a', 'l', 'nowhere'];
const name = fc.constantFrom(...NAMES);

const command: fc.Arbitrary<string> = fc.oneof(
  // tee rather than `>`: a redirection the kernel refuses (ELOOP, EISDIR) ends the lab's script (a known gap).
  fc.tuple(name, fc.constantFrom('x', 'yy')).map(([n, t]) => `echo ${t} | tee ${n} >/dev/null`),
  name.map((n) => `mkdir -p ${n}`),
  name.map((n) => `mkdir -p ${n}/sub`),
  fc.tuple(fc.constantFrom('-s', '-sf', '-snf', '-sn'), name, name).map(([f, t, l]) => `ln ${f} ${t} ${l}`),
  fc.tuple(fc.constantFrom('', '-f', '-r', '-rf'), name).map(([f, n]) => `rm ${f} ${n}`.replace('  ', ' ')),
  fc.tuple(name, name).map(([a, b]) => `mv ${a} ${b}`),
  fc.tuple(fc.constantFrom('', '-P', '-a', '-r', '-R', '-L'), name, name).map(([f, a, b]) => `cp ${f} ${a} ${b}`.replace('  ', ' ')),
  name.map((n) => `touch ${n}`),
);

type Tree = Record<string, string>;

function hostTree(dir: string, rel = ''): Tree {
  const out: Tree = {};
  for (const n of readdirSync(join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${n}` : n;
    const st = lstatSync(join(dir, r));
    if (st.isSymbolicLink()) out[r] = `-> ${readlinkSync(join(dir, r))}`;
    else if (st.isDirectory()) {
      out[r] = 'dir';
      Object.assign(out, hostTree(dir, r));
    } else out[r] = `file ${readFileSync(join(dir, r), 'utf8')}`;
  }
  return out;
}

function labTree(fs: ShellFs, dir: string, rel = ''): Tree {
  const out: Tree = {};
  for (const n of fs.readdir(rel ? `${dir}/${rel}` : dir).sort()) {
    const r = rel ? `${rel}/${n}` : n;
    const p = `${dir}/${r}`;
    const st = fs.lstat(p);
    if (st.type === 'symlink') out[r] = `-> ${fs.readlink(p)}`;
    else if (st.type === 'dir') {
      out[r] = 'dir';
      Object.assign(out, labTree(fs, dir, r));
    } else out[r] = `file ${new TextDecoder().decode(fs.readFile(p))}`;
  }
  return out;
}

// Each command's exit code on its own line, whatever it printed to stderr.
const script = (cmds: string[]) => cmds.map((c) => `${c} 2>/dev/null; echo "rc=$?"`).join('\n');

const available = existsSync(BUSYBOX);
if (!available) console.warn(`skipping file-utils-vs-busybox: ${BUSYBOX} is not installed (apt-get install busybox-static)`);

describe.runIf(available)('file utilities: the lab\'s shell vs BusyBox on the kernel', () => {
  const bin = mkdtempSync(join(tmpdir(), 'layerlab-bb-bin-'));
  for (const a of APPLETS) if (!existsSync(join(bin, a))) symlinkSync(BUSYBOX, join(bin, a));

  it('leaves the same tree and exit codes after random sequences of rm/mv/cp/ln/mkdir/touch', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 8 }), async (cmds) => {
        const work = mkdtempSync(join(tmpdir(), 'layerlab-bb-'));
        let hostOut: string;
        let expected: Tree;
        try {
          hostOut = execFileSync(join(bin, 'sh'), ['-c', script(cmds)], { cwd: work, env: { PATH: bin }, encoding: 'utf8' });
          expected = hostTree(work);
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
        const base = new LayerTree();
        const flat = new FlatFs(base);
        populateRootfs(flat, 'alpine');
        flat.mkdir('/w');
        base.freeze();
        const fs = new UnionFs(new LowerStack([base]), { clock: () => 1_700_000_000 }) as unknown as ShellFs;
        const r = await createShell({ fs }).run(script(cmds), { cwd: '/w' });
        expect({ cmds, out: r.stdout, tree: labTree(fs, '/w') }).toEqual({ cmds, out: hostOut, tree: expected });
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 60), seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : 12 },
    );
  }, 120_000);

  it('keeps the cases the issue names', async () => {
    const cmds = ['ln -s nowhere dang', 'mkdir d', 'ln -s d ld', 'echo x > f', 'ln -s f lf', 'rm -f dang', 'rm ld', 'rm lf', 'ln -s gone g', 'mv g g2', 'ln -s f l1', 'ln -sf /dev/stderr l1', 'readlink l1'];
    const work = mkdtempSync(join(tmpdir(), 'layerlab-bb-'));
    mkdirSync(join(work, 'x'));
    const hostOut = execFileSync(join(bin, 'sh'), ['-c', script(cmds)], { cwd: join(work, 'x'), env: { PATH: bin }, encoding: 'utf8' });
    const expected = hostTree(join(work, 'x'));
    rmSync(work, { recursive: true, force: true });
    const fs = new FlatFs();
    populateRootfs(fs, 'alpine');
    fs.mkdir('/w');
    const r = await createShell({ fs }).run(script(cmds), { cwd: '/w' });
    expect(r.stdout).toBe(hostOut);
    expect(labTree(fs, '/w')).toEqual(expected);
    expect(expected).toEqual({ d: 'dir', f: 'file x\n', g2: '-> gone', l1: '-> /dev/stderr' });
  });
});
