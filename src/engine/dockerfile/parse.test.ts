import { describe, expect, it } from 'vitest';
import { LayerlabError } from '../errors.ts';
import { chompHeredocContent, heredocBody } from './heredoc.ts';
import { dumpAst, dumpNode, parseDockerfile } from './parse.ts';

const dump = (src: string) => dumpAst(parseDockerfile(src));

function parseError(src: string): LayerlabError {
  try {
    parseDockerfile(src);
  } catch (e) {
    return e as LayerlabError;
  }
  throw new Error('expected a parse error');
}

describe('parser directives', () => {
  it('reads syntax, escape and check at the top, case-insensitively', () => {
    const ast = parseDockerfile('# syntax=docker/dockerfile:1\n# ESCAPE = `\n#check=skip=JSONArgsRecommended,StageNameCasing;error=true\nFROM a\n');
    expect(ast.directives).toEqual({
      syntax: 'docker/dockerfile:1',
      escape: '`',
      check: { raw: 'skip=JSONArgsRecommended,StageNameCasing;error=true', skip: ['JSONArgsRecommended', 'StageNameCasing'], error: true },
    });
    expect(ast.escapeToken).toBe('`');
  });
  it('stops looking after the first other line', () => {
    const ast = parseDockerfile('# a comment\n# escape=`\nFROM a\n');
    expect(ast.escapeToken).toBe('\\');
    expect(ast.children[0].comments).toEqual(['a comment', 'escape=`']);
    expect(parseDockerfile('\n# syntax=x\nFROM a').directives.syntax).toBeUndefined();
  });
  it('rejects repeated directives and bad escape tokens with a line number', () => {
    const e = parseError('# escape=\\\n# escape=`\nFROM a\n');
    expect(e.code).toBe('dockerfile/parse');
    expect(e.message).toBe('dockerfile parse error on line 2: only one escape parser directive can be used');
    expect(parseError('# escape=x\nFROM a').message).toMatch(/invalid escape token 'x' does not match ` or \\/);
  });
  it('ignores a UTF-8 byte-order mark', () => {
    expect(parseDockerfile('\uFEFF# escape=`\nFROM a').escapeToken).toBe('`');
  });
});

describe('line continuations, comments and blank lines', () => {
  it('joins lines with the backtick escape and keeps backslashes literal', () => {
    expect(dump('# escape=`\nRUN dir c:\\ `\n  /b\nCOPY a\\ b\n')).toBe('(run "dir c:\\\\   /b")\n(copy "a\\\\" "b")\n');
  });
  it('drops comment lines inside a continuation and warns about blank ones', () => {
    const ast = parseDockerfile('RUN a \\\n# comment\n\n  b\nFROM x\n');
    expect(dumpNode(ast.children[0])).toBe('(run "a   b")');
    expect(ast.children[0].range).toEqual({ start: { line: 1, column: 1 }, end: { line: 4, column: 4 } });
    expect(ast.warnings).toHaveLength(1);
    expect(ast.warnings[0].message).toBe('Empty continuation line found in: RUN a   b');
    expect(ast.warnings[0].range.start.line).toBe(1);
  });
  it('handles CRLF line endings and indentation', () => {
    const ast = parseDockerfile('FROM a\r\n   run  echo \\\r\n hi\r\n');
    expect(dumpAst(ast)).toBe('(from "a")\n(run "echo  hi")\n');
    expect(ast.children[1].range.start).toEqual({ line: 2, column: 4 });
    expect(ast.children[1].keywordRange.end).toEqual({ line: 2, column: 7 });
    expect(ast.children[1].original).toBe('run  echo  hi');
  });
  it('keeps the keyword as written and lowercases it for dispatch', () => {
    const n = parseDockerfile('FrOm alpine').children[0];
    expect([n.keyword, n.rawKeyword]).toEqual(['from', 'FrOm']);
  });
  it('fails on a file with no instructions', () => {
    expect(parseError('# only\n\n').message).toMatch(/file with no instructions/);
  });
});

describe('exec and shell forms, flags', () => {
  it('marks JSON form and falls back to shell form on invalid JSON', () => {
    const [a, b, c] = parseDockerfile('CMD ["a", "b c"]\nCMD [\'a\']\nENTRYPOINT ["a"] trailing\n').children;
    expect([a.json, a.args]).toEqual([true, ['a', 'b c']]);
    expect([b.json, b.args]).toEqual([false, ["['a']"]]);
    // json.Unmarshal needs the whole rest to be JSON, so trailing text means shell form.
    expect([c.json, c.args]).toEqual([false, ['["a"] trailing']]);
  });
  it('rejects JSON arrays with non-string elements', () => {
    expect(parseError('FROM a\nCMD ["a", 1]').message).toBe(
      'dockerfile parse error on line 2: when using JSON array syntax, arrays must be comprised of strings only',
    );
  });
  it('reads flags with quotes and escapes, stopping at a bare --', () => {
    expect(dump('COPY --from="my stage" --chown=a\\ b -- --notflag /x\n')).toBe('(copy ["--from=my stage" "--chown=a b"] "--notflag" "/x")\n');
  });
  it('keeps ENV quotes raw and reports the old form with an empty separator', () => {
    expect(dump('ENV a=1 b="x y"\nENV K some value\n')).toBe('(env "a" "1" "=" "b" "\\"x y\\"" "=")\n(env "K" "some value" "")\n');
    expect(parseError('ENV a=1 b').message).toBe(
      'dockerfile parse error on line 1: Syntax error - can\'t find = in "b". Must be of the form: name=value',
    );
  });
  it('keeps unknown instructions with one empty argument (instructions reject them later)', () => {
    expect(dump('FROBNICATE x y\n')).toBe('(frobnicate "")\n');
  });
});

describe('ONBUILD', () => {
  it('parses the trigger as a nested instruction', () => {
    const n = parseDockerfile('ONBUILD COPY --chown=1 . /app').children[0];
    expect(dumpNode(n)).toBe('(onbuild (copy ["--chown=1"] "." "/app"))');
    expect(n.next?.keyword).toBe('copy');
    expect(dump('ONBUILD\n')).toBe('(onbuild)\n');
  });
});

describe('heredocs', () => {
  it('reads several heredocs per instruction, in order', () => {
    const ast = parseDockerfile('FROM a\nRUN <<A cat /dev/stdin <<B\nfirst\nA\nsecond\nB\nRUN echo done\n');
    const run = ast.children[1];
    expect(run.heredocs.map((h) => [h.name, h.content, h.expand, h.chomp])).toEqual([
      ['A', 'first\n', true, false],
      ['B', 'second\n', true, false],
    ]);
    expect(run.range).toEqual({ start: { line: 2, column: 1 }, end: { line: 6, column: 2 } });
    expect(ast.children[2].range.start.line).toBe(7);
  });
  it('does not expand bodies whose delimiter is quoted (any part)', () => {
    const ast = parseDockerfile('RUN <<"EOF"\n$x\nEOF\nRUN <<\'EOF\'\n$x\nEOF\nRUN <<E"O"F\n$x\nEOF\nRUN <<EOF\n$x\nEOF\n');
    expect(ast.children.map((c) => [c.heredocs[0].name, c.heredocs[0].expand])).toEqual([
      ['EOF', false],
      ['EOF', false],
      ['EOF', false],
      ['EOF', true],
    ]);
  });
  it('<<- accepts a tab-indented terminator and strips leading tabs from the body', () => {
    const ast = parseDockerfile('RUN <<-EOF\n\techo a\n\t\techo b\n\tEOF\n');
    const h = ast.children[0].heredocs[0];
    expect(h.chomp).toBe(true);
    expect(h.content).toBe('\techo a\n\t\techo b\n');
    expect(heredocBody(h)).toBe('echo a\necho b\n');
    expect(chompHeredocContent('\t x\n\ty')).toBe(' x\ny');
  });
  it('keeps the body line endings and reads the file descriptor', () => {
    const h = parseDockerfile('COPY 3<<EOF /x\r\nline\r\nEOF\r\n').children[0].heredocs[0];
    expect(h.content).toBe('line\r\n');
    expect(h.fileDescriptor).toBe(3);
  });
  it('only RUN, COPY and ADD in shell form take heredocs, also under ONBUILD', () => {
    const ast = parseDockerfile('CMD <<EOF\nRUN ["<<EOF"]\nONBUILD ADD <<EOF /f\nbody\nEOF\n');
    expect(ast.children.map((c) => c.heredocs.length)).toEqual([0, 0, 1]);
  });
  it('fails on an unterminated heredoc', () => {
    const e = parseError('FROM a\nRUN <<EOF\necho\n');
    expect(e.message).toBe('dockerfile parse error on line 2: unterminated heredoc');
    expect(e.range?.start.line).toBe(2);
    expect(e.range?.end.line).toBe(3);
  });
});

describe('robustness (property)', () => {
  it('either parses or throws a located LayerlabError, never anything else', async () => {
    const fc = await import('fast-check');
    const piece = fc.constantFrom('FROM a', 'RUN', 'COPY', 'ONBUILD', '<<EOF', 'EOF', '\\', '`', '"', "'", '#', ' ', '\t', '\n', '\r\n', '--x=', '[', ']', '$', '{', '}', '=', 'é', '# escape=`');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const src = parts.join('');
        try {
          const ast = parseDockerfile(src);
          for (const c of ast.children) {
            expect(c.range.start.line).toBeLessThanOrEqual(c.range.end.line);
            dumpNode(c);
          }
        } catch (e) {
          expect(e).toBeInstanceOf(LayerlabError);
          expect((e as LayerlabError).range?.start.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 500, seed: Number(process.env.FC_SEED ?? 20261123) },
    );
  });
});
