import { describe, expect, it } from 'vitest';
import { BuildContext, IgnoreMatcher, parseDockerignore, type ContextFile } from './context.ts';

const f = (path: string): ContextFile => ({ path, type: 'file', mode: 0o644, content: new Uint8Array() });

describe('.dockerignore (moby/patternmatcher semantics)', () => {
  const m = (lines: string, path: string) => new IgnoreMatcher(parseDockerignore(lines)).matches(path);
  it('matches simple names, directories and everything below them', () => {
    expect(m('node_modules', 'node_modules')).toBe(true);
    expect(m('node_modules', 'node_modules/x/y.js')).toBe(true);
    expect(m('node_modules', 'src/node_modules')).toBe(false);
  });
  it('handles *, ? and **', () => {
    expect(m('*.md', 'README.md')).toBe(true);
    expect(m('*.md', 'docs/a.md')).toBe(false);
    expect(m('**/*.md', 'docs/a.md')).toBe(true);
    expect(m('**/*.md', 'a.md')).toBe(true);
    expect(m('temp?', 'temp1')).toBe(true);
    expect(m('temp?', 'temp12')).toBe(false);
    expect(m('**', 'anything/at/all')).toBe(true);
  });
  it('lets the last matching pattern win, with ! exceptions', () => {
    expect(m('*.md\n!README.md', 'README.md')).toBe(false);
    expect(m('*.md\n!README.md', 'CHANGES.md')).toBe(true);
    expect(m('!README.md\n*.md', 'README.md')).toBe(true);
  });
  it('cleans patterns: leading slash, ./ and comments', () => {
    expect(parseDockerignore('# c\n/foo/../bar\n./baz/\n\n  !  keep ')).toEqual(['bar', 'baz', '!keep']);
  });
  it('applies to a context and implies parent directories', () => {
    const ctx = new BuildContext([f('a/b/c.txt'), f('a/d.md'), f('x.md')], '*.md\n');
    expect([...ctx.files.keys()].sort()).toEqual(['a', 'a/b', 'a/b/c.txt', 'a/d.md']);
    expect(ctx.ignored).toEqual(['x.md']);
    expect(ctx.glob('a/*')).toEqual(['a/b', 'a/d.md']);
    expect(ctx.glob('*/d.*')).toEqual(['a/d.md']);
  });
});
