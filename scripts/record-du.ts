/**
 * Records what the real du prints, for src/engine/shell/commands/du.test.ts: builds a tree under
 * /tmp (ext4 expected: 4 KiB blocks), runs GNU coreutils `du` and `busybox du` on it with each
 * case's arguments (LC_ALL=C, as in an image) and prints the TypeScript block the test holds.
 *   node --import tsx scripts/record-du.ts > /tmp/du-recorded.ts
 * BusyBox's usage header names its own build (`BusyBox v1.35.0 (Debian …)`); it is rewritten to
 * the `BusyBox v1.37.0 multi-call binary.` the model prints. Not run by the tests.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as nfs from 'node:fs';

interface Entry { path: string; kind: 'dir' | 'file' | 'symlink' | 'hardlink'; size?: number; target?: string; mtime?: number }
/** Every entry's mtime unless it names its own (2026-01-15 00:00:00 UTC). */
const T0 = 1768435200;
const TREE: Entry[] = [
  { path: 'd', kind: 'dir' }, { path: 'd/f0', kind: 'file', size: 0 }, { path: 'd/f1', kind: 'file', size: 1, mtime: 1767323045 },
  { path: 'd/f4096', kind: 'file', size: 4096 }, { path: 'd/f4097', kind: 'file', size: 4097 }, { path: 'd/f1m', kind: 'file', size: 1048576 },
  { path: 'd/sub', kind: 'dir' }, { path: 'd/sub/a', kind: 'file', size: 2, mtime: 1769949296 }, { path: 'd/link', kind: 'symlink', target: 'f1' },
  { path: 'd/sub/hard', kind: 'hardlink', target: 'd/f4097' },
  { path: 'e', kind: 'dir' }, { path: 'e/hard1m', kind: 'hardlink', target: 'd/f1m' }, { path: 'e/own', kind: 'file', size: 1 },
  { path: 'dl', kind: 'symlink', target: 'd' }, { path: 'dangling', kind: 'symlink', target: 'nowhere' },
  { path: 'loop', kind: 'dir' }, { path: 'loop/up', kind: 'symlink', target: '..' },
];
const COMMON = [
  'd', '-a d', '-s d', '-sh d', '-h d', '-ah d', '-k d', '-m d', '-c d e', '-s d e', '-s e d', '-sl d e', '-sl d d', '-s d d', '-s d d/sub',
  '-d 1 d', '-d 0 d', '-b d', '-ab d', '-s d/f0 d/f1 d/f4096 d/f4097 d/f1m d/link', '-sh d/f1m', 'd/link', '-L d/link', 'nope d', '-c nope', '-s d/', '-a d/sub/',
  'dl', 'dl/', '-sL dl', '-sH dl', '-sL d', '-s dangling', '-sL dangling', '-s', '-sH dangling', '-x d', '-sx d', '-hc d e', '-ks d', '-ms d', '-ms d/f1', '-sk -h d', '-sh -k d', '-bs d/f1',
  '-b -k -s d', '-k -b -s d', '-z d', '-d x d', '-d -1 d', '-s -d 1 d', '-d 1 -s d', '-sa d', '-s d/f1m e/hard1m', '-as e d', '-sL loop', '-s d e/hard1m', ' d/f1/ dangling/',
];
const GNU_CASES = [...COMMON,
  '--apparent-size d', '--apparent-size -s d e', '-a --max-depth=1 d', '--max-depth=0 d', '-s --exclude=sub d', '--exclude=f1* -a d', '--exclude=d -s d', '-S d', '-sS d', '-0 -s d', '--bogus d', '--max d',
  '--si -s d', '-B 1 -s d', '-B 1M -s d', '-BK -s d', '--block-size=4K -s d', '-B 1KB -s d', '-B x d', '--block-size=0 d', '-B K -s d', '-B KB -s d', '-B KiB -s d', '-B M -s d/f1', '-s -d 0 d', '-H dl', '-D dl', '--count-links -s d d', '--summarize --all d', '-as d', '--max-depth=1 -s d', '--max-depth=0 -s d',
  '--inodes d', '--inodes -s d e', '--inodes -a d', '--inodes -sl d e', '--inodes -sh d', '-t 8K d', '-t 8K -a d', '-t -8K -a d', '-t 1M -a d', '-t x d', '--threshold=5k -a d',
  '--time -s d/f1', '--time d', '-a --time d', '--time -c -h d e', '-t 8K -c d e', '--time=mtime -s d',
];
const BB_CASES = [...COMMON, '--apparent-size d', '--max-depth=1 d', '-d 5 -s d', '-h -b -s d', '-b -h -s d', '-m -b -s d', '-b -m -s d', '-sH dl', '-HL -s dl'];
const SIZES = [0, 1, 2, 511, 512, 1000, 1023, 1024, 1025, 1535, 1536, 1537, 2047, 2048, 4096, 9215, 9216, 10239, 10240, 10241, 10700, 10752, 10753,
  102400, 236800, 237000, 237568, 1023 * 1024, 1048064, 1048065, 1048566, 1048575, 1048576, 1048577, 1077248, 1100000, 1153434, 10433332, 10485759, 10485760, 10485761,
  104857600, 1073741823, 1073741824, 1073741825, 5000000000, 1099511627776, 1099511627777];

const ROOT = '/tmp/du-record';
nfs.rmSync(ROOT, { recursive: true, force: true });
nfs.mkdirSync(ROOT);
for (const e of TREE) {
  const p = `${ROOT}/${e.path}`;
  if (e.kind === 'dir') nfs.mkdirSync(p);
  else if (e.kind === 'file') nfs.writeFileSync(p, Buffer.alloc(e.size!, 120));
  else if (e.kind === 'symlink') nfs.symlinkSync(e.target!, p);
  else nfs.linkSync(`${ROOT}/${e.target}`, p);
}
// Times last (creating an entry changes its directory's); a hard link shares its target's.
for (const e of TREE) if (e.kind !== 'hardlink') nfs.lutimesSync(`${ROOT}/${e.path}`, e.mtime ?? T0, e.mtime ?? T0);
const run = (dialect: 'gnu' | 'busybox', args: string[]): [string, string, string, number] => {
  const r = spawnSync(dialect === 'gnu' ? 'du' : 'busybox', dialect === 'gnu' ? args : ['du', ...args], { cwd: ROOT, env: { PATH: process.env.PATH, LC_ALL: 'C' }, encoding: 'utf8' });
  return [args.join(' '), r.stdout, r.stderr.replace(/BusyBox v[\d.]+ \([^)]*\) multi-call binary\./, 'BusyBox v1.37.0 multi-call binary.'), r.status ?? -1];
};
// Sparse files of each apparent size: the -h/-k/-m formatting of arbitrary byte counts.
nfs.mkdirSync(`${ROOT}/../du-record-sizes`, { recursive: true });
const SDIR = '/tmp/du-record-sizes';
for (const s of SIZES) {
  nfs.writeFileSync(`${SDIR}/${s}`, '');
  nfs.truncateSync(`${SDIR}/${s}`, s);
}
const formats: Record<string, string[]> = {};
for (const [label, cmd, args] of [
  ['gnu -h', 'du', ['--apparent-size', '-h']], ['gnu --si', 'du', ['--apparent-size', '--si']], ['gnu -k', 'du', ['--apparent-size', '-k']], ['gnu -m', 'du', ['--apparent-size', '-m']],
  ['busybox -h', 'busybox', ['du', '-b', '-h']], ['busybox -k', 'busybox', ['du', '-b', '-k']], ['busybox -m', 'busybox', ['du', '-b', '-m']], ['busybox -b', 'busybox', ['du', '-b']],
] as const) {
  const text = execFileSync(cmd, [...args, ...SIZES.map(String)], { cwd: SDIR, encoding: 'utf8' });
  formats[label] = text.trim().split('\n').map((l) => l.split('\t')[0]);
}
const rows = (cases: string[], dialect: 'gnu' | 'busybox') => cases.map((c) => `  ${JSON.stringify(run(dialect, c.split(' ').filter(Boolean)))},`).join('\n');
console.log(`const T0 = ${T0};`);
console.log(`const TREE: Entry[] = ${JSON.stringify(TREE)};`);
console.log(`const GNU: Recorded[] = [\n${rows(GNU_CASES, 'gnu')}\n];`);
console.log(`const BUSYBOX: Recorded[] = [\n${rows(BB_CASES, 'busybox')}\n];`);
console.log(`const SIZES = ${JSON.stringify(SIZES)};`);
console.log(`const FORMATS: Record<string, string[]> = {\n${Object.entries(formats).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`).join('\n')}\n};`);
