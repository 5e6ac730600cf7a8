/**
 * Linux's path limits in the union filesystem (issue 14): ENAMETOOLONG for a name over NAME_MAX
 * (255 bytes) or a path of PATH_MAX (4,096) bytes or more, ELOOP after 40 symlink hops, and
 * deep `mkdir -p` trees built in one pass.
 */
import { describe, expect, it } from 'vitest';
import { isErrno } from '../errors.ts';
import { LayerTree } from './layer-tree.ts';
import { LowerStack } from './lower-stack.ts';
import { MAX_SYMLINK_HOPS, UnionFs } from './union.ts';
import { NAME_MAX, PATH_MAX, utf8Length } from './path.ts';

const fresh = () => new UnionFs(new LowerStack([new LayerTree().freeze()]), { clock: () => 1 });
const errnoOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return isErrno(e, 'ENAMETOOLONG') ? 'ENAMETOOLONG' : isErrno(e, 'ELOOP') ? 'ELOOP' : isErrno(e, 'ENOENT') ? 'ENOENT' : String(e);
  }
  return 'ok';
};

describe('name and path limits', () => {
  it('accepts a 255-byte name and refuses 256 bytes, counting UTF-8 bytes', () => {
    const fs = fresh();
    expect(errnoOf(() => fs.writeFile('/' + 'a'.repeat(NAME_MAX), 'x'))).toBe('ok');
    expect(errnoOf(() => fs.writeFile('/' + 'a'.repeat(NAME_MAX + 1), 'x'))).toBe('ENAMETOOLONG');
    // 'é' is two bytes: 128 of them are 256 bytes although the string has 128 characters.
    expect(errnoOf(() => fs.mkdir('/' + 'é'.repeat(128)))).toBe('ENAMETOOLONG');
    expect(errnoOf(() => fs.stat('/' + 'b'.repeat(300)))).toBe('ENAMETOOLONG');
  });

  it('refuses a path argument of PATH_MAX bytes and any entry whose absolute path would reach it', () => {
    const fs = fresh();
    const deepest = '/d'.repeat((PATH_MAX - 2) / 2); // 4,094 bytes
    fs.mkdir(deepest, { recursive: true });
    expect(utf8Length(deepest)).toBe(PATH_MAX - 2);
    expect(errnoOf(() => fs.writeFile(deepest + '/f', 'x'))).toBe('ENAMETOOLONG'); // 4,096 bytes
    expect(errnoOf(() => fs.stat(deepest + '/ff'))).toBe('ENAMETOOLONG');
    // Relative paths cannot go past the limit either (Simulation: Linux would allow it).
    fs.chdir(deepest);
    expect(errnoOf(() => fs.mkdir('e'))).toBe('ENAMETOOLONG');
    expect(errnoOf(() => fs.symlink('t'.repeat(PATH_MAX), '/l'))).toBe('ENAMETOOLONG');
  });

  it('refuses a rename that would put a subtree past the limit', () => {
    const fs = fresh();
    fs.mkdir('/a' + '/d'.repeat(1100), { recursive: true });
    fs.mkdir('/b' + '/e'.repeat(1100), { recursive: true });
    expect(errnoOf(() => fs.rename('/a', '/b' + '/e'.repeat(1100) + '/a'))).toBe('ENAMETOOLONG');
    expect(errnoOf(() => fs.rename('/a', '/c'))).toBe('ok');
  });

  it('builds 2,000 nested directories with mkdir -p', () => {
    const fs = fresh();
    const p = '/d'.repeat(2000);
    fs.mkdir(p, { recursive: true });
    expect(fs.stat(p).isDirectory()).toBe(true);
    expect(fs.freezeUpper().entryCount).toBe(2000);
  });
});

describe('symlink hops', () => {
  it(`follows ${MAX_SYMLINK_HOPS} symlinks and refuses the ${MAX_SYMLINK_HOPS + 1}st with ELOOP`, () => {
    const fs = fresh();
    fs.writeFile('/target', 'x');
    fs.symlink('/target', '/l0');
    for (let i = 1; i <= MAX_SYMLINK_HOPS; i++) fs.symlink(`/l${i - 1}`, `/l${i}`);
    expect(errnoOf(() => fs.readFile(`/l${MAX_SYMLINK_HOPS - 1}`))).toBe('ok');
    expect(errnoOf(() => fs.readFile(`/l${MAX_SYMLINK_HOPS}`))).toBe('ELOOP');
    fs.symlink('/loop-b', '/loop-a');
    fs.symlink('/loop-a', '/loop-b');
    expect(errnoOf(() => fs.stat('/loop-a/x'))).toBe('ELOOP');
  });
});
