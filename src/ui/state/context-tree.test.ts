import { describe, expect, it } from 'vitest';
import {
  buildTree, contextSize, ignoreTest, looksBinary, movedPath, nameProblem, normalizePath, treeKeyAction, visibleRows, type TreeNode, type WorkspaceFile,
} from './context-tree.ts';

const enc = new TextEncoder();
const file = (path: string, text: string, mode = 0o644): WorkspaceFile => ({ path, bytes: enc.encode(text), mode });

/** Prints a tree one node a line, indented, with its flags, for inline snapshots. */
function print(nodes: TreeNode[], depth = 0): string {
  return nodes
    .map((n) => `${'  '.repeat(depth)}${n.name}${n.kind === 'dir' ? '/' : ''} ${n.size}${n.ignored ? ' ignored' : ''}${n.binary ? ' binary' : ''}\n${print(n.children, depth + 1)}`)
    .join('');
}

describe('buildTree', () => {
  const files = [
    file('server.js', 'console.log(1)\n'),
    file('src/lib/util.js', 'x'),
    file('node_modules/a/index.js', 'aaaa'),
    file('node_modules/keep.txt', 'k'),
    file('.dockerignore', 'node_modules\n!node_modules/keep.txt\n*.log\n'),
    file('debug.log', 'oops'),
    { path: 'logo.png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]), mode: 0o644 },
  ];
  const ignored = ignoreTest(new TextDecoder().decode(files[4].bytes));

  it('groups folders first, sums sizes, marks ignored files and binary files', () => {
    expect(print(buildTree(files, ['empty', 'src/lib'], ignored))).toMatchInlineSnapshot(`
      "empty/ 0
      node_modules/ 5
        a/ 4 ignored
          index.js 4 ignored
        keep.txt 1
      src/ 1
        lib/ 1
          util.js 1
      .dockerignore 42
      debug.log 4 ignored
      logo.png 7 binary
      server.js 15
      "
    `);
  });

  it('uses the engine matcher semantics: exceptions, ** and directory prefixes', () => {
    const t = ignoreTest('**/*.tmp\nbuild\n!build/keep\n');
    expect(t('a/b/c.tmp')).toBe(true);
    expect(t('build/out.o')).toBe(true);
    expect(t('build/keep')).toBe(false);
    expect(t('builder/x')).toBe(false);
    expect(ignoreTest(undefined)('anything')).toBe(false);
  });

  it('counts the context a build would send after .dockerignore', () => {
    expect(contextSize(files, ignored)).toEqual({ files: 5, bytes: 15 + 1 + 1 + 42 + 7, ignoredFiles: 2, ignoredBytes: 8 });
  });

  it('lists visible rows with ARIA level, position and parent, hiding collapsed folders', () => {
    const tree = buildTree(files, [], ignored);
    const rows = visibleRows(tree, (p) => p !== 'node_modules/a');
    expect(rows.map((r) => `${r.level}:${r.posinset}/${r.setsize}:${r.node.path}:${r.parent ?? ''}`)).toEqual([
      '1:1/6:node_modules:', '2:1/2:node_modules/a:node_modules', '2:2/2:node_modules/keep.txt:node_modules',
      '1:2/6:src:', '2:1/1:src/lib:src', '3:1/1:src/lib/util.js:src/lib',
      '1:3/6:.dockerignore:', '1:4/6:debug.log:', '1:5/6:logo.png:', '1:6/6:server.js:',
    ]);
    expect(visibleRows(tree, () => false)).toHaveLength(6);
  });
});

describe('paths and names', () => {
  it('normalizes typed paths and rejects taken or empty names', () => {
    expect(normalizePath('/src//./a\\b/../c')).toBe('src/a/b/c');
    expect(nameProblem('  ', () => false)).toBeUndefined();
    expect(nameProblem('/', () => false)).toBe('Give it a name.');
    expect(nameProblem('a.txt', (p) => p === 'a.txt')).toBe('a.txt already exists.');
  });

  it('moves a folder and everything below it, not look-alike siblings', () => {
    expect(movedPath('src/a.js', 'src', 'lib')).toBe('lib/a.js');
    expect(movedPath('src', 'src', 'lib')).toBe('lib');
    expect(movedPath('srcx/a.js', 'src', 'lib')).toBe('srcx/a.js');
  });

  it('tells binary from text, including UTF-8 cut at the 8 KiB boundary', () => {
    expect(looksBinary(enc.encode('héllo'))).toBe(false);
    expect(looksBinary(new Uint8Array([0xff, 0xfe, 0x41]))).toBe(true);
    expect(looksBinary(new Uint8Array([0x41, 0]))).toBe(true);
    const text = enc.encode('a'.repeat(8191) + 'é' + 'b'.repeat(10));
    expect(looksBinary(text)).toBe(false);
  });
});

describe('treeKeyAction (WAI-ARIA tree keys)', () => {
  const files = [file('a/b/c.txt', 'c'), file('a/d.txt', 'd'), file('z.txt', 'z')];
  const tree = buildTree(files, ['e'], () => false);
  const closed = new Set(['a/b']);
  const open = (p: string) => !closed.has(p);
  const rows = visibleRows(tree, open);
  const key = (k: string, at: string) => treeKeyAction(k, rows, at, open);

  it('walks visible rows with the arrows, Home and End', () => {
    expect(rows.map((r) => r.node.path)).toEqual(['a', 'a/b', 'a/d.txt', 'e', 'z.txt']);
    expect(key('ArrowDown', 'a/b')).toEqual({ kind: 'focus', path: 'a/d.txt' });
    expect(key('ArrowUp', 'a')).toBeNull();
    expect(key('ArrowDown', 'z.txt')).toBeNull();
    expect(key('Home', 'z.txt')).toEqual({ kind: 'focus', path: 'a' });
    expect(key('End', 'a')).toEqual({ kind: 'focus', path: 'z.txt' });
  });

  it('opens, enters, closes and leaves folders with right and left', () => {
    expect(key('ArrowRight', 'a/b')).toEqual({ kind: 'expand', path: 'a/b' });
    expect(key('ArrowRight', 'a')).toEqual({ kind: 'focus', path: 'a/b' });
    expect(key('ArrowRight', 'e')).toBeNull(); // open but empty
    expect(key('ArrowRight', 'z.txt')).toBeNull();
    expect(key('ArrowLeft', 'a')).toEqual({ kind: 'collapse', path: 'a' });
    expect(key('ArrowLeft', 'a/b')).toEqual({ kind: 'focus', path: 'a' });
    expect(key('ArrowLeft', 'z.txt')).toBeNull();
  });

  it('toggles folders with Enter/Space, renames with F2, removes with Delete, ignores other keys', () => {
    expect(key('Enter', 'a')).toEqual({ kind: 'toggle', path: 'a' });
    expect(key(' ', 'z.txt')).toEqual({ kind: 'focus', path: 'z.txt' });
    expect(key('F2', 'a/d.txt')).toEqual({ kind: 'rename', path: 'a/d.txt' });
    expect(key('Delete', 'e')).toEqual({ kind: 'remove', path: 'e' });
    expect(key('x', 'e')).toBeNull();
    expect(key('ArrowDown', 'missing')).toBeNull();
  });
});
