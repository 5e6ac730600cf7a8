import { describe, expect, it } from 'vitest';
import { LayerlabError } from '../errors.ts';
import { formatCodeFrame, suggest } from './errors.ts';
import { parseGoDuration, parseMountSpec } from './flags.ts';
import { parseInstruction, runCommandLine, type Instruction, type RunInstruction } from './instructions.ts';
import { parseDockerfile } from './parse.ts';
import { parseStages } from './stages.ts';

const one = (src: string): Instruction => parseInstruction(parseDockerfile(src).children[0]);

function failure(src: string): LayerlabError {
  try {
    parseStages(parseDockerfile(src));
  } catch (e) {
    return e as LayerlabError;
  }
  throw new Error('expected an error');
}

describe('unknown instructions', () => {
  it('suggests the nearest instruction, matching the case written', () => {
    const e = failure('FROM alpine\n\n\nRUNN echo hi\n');
    expect(e.code).toBe('dockerfile/unknown-instruction');
    expect(e.message).toBe('dockerfile parse error on line 4: unknown instruction: RUNN (did you mean RUN?)');
    expect(e.range).toEqual({ start: { line: 4, column: 1 }, end: { line: 4, column: 5 } });
    expect(e.data).toMatchObject({ line: 4, file: 'Dockerfile' });
    expect(failure('FROM a\ncopyy . /').message).toMatch(/unknown instruction: copyy \(did you mean copy\?\)$/);
    expect(failure('FROM a\nFROBNICATE x').message).toMatch(/unknown instruction: FROBNICATE$/);
  });
  it('uses edit distance below 3 like BuildKit suggest', () => {
    expect(suggest('WORKDR', ['workdir', 'user'])).toBe('WORKDIR');
    expect(suggest('xyz', ['workdir'])).toBeUndefined();
    expect(suggest('run', ['run'])).toBeUndefined();
  });
  it('prints the CLI code frame with two lines of context each side', () => {
    const src = 'FROM alpine\n\nRUNN echo hi';
    const e = failure(src);
    expect(formatCodeFrame(src, e)).toBe(
      [
        'Dockerfile:3',
        '--------------------',
        '   1 |     FROM alpine',
        '   2 |     ',
        '   3 | >>> RUNN echo hi',
        '--------------------',
        'ERROR: failed to solve: dockerfile parse error on line 3: unknown instruction: RUNN (did you mean RUN?)',
        '',
      ].join('\n'),
    );
  });
  it('marks every line of a multi-line instruction, one line of context each side', () => {
    const src = 'FROM a\nARG x\nENV a=1 \\\n  b\nUSER u\nUSER v\n';
    const e = failure(src);
    expect(e.message).toBe('dockerfile parse error on line 3: Syntax error - can\'t find = in "b". Must be of the form: name=value');
    expect(formatCodeFrame(src, e, 'build/Dockerfile').split('\n').slice(0, 7)).toEqual([
      'build/Dockerfile:3',
      '--------------------',
      '   2 |     ARG x',
      '   3 | >>> ENV a=1 \\',
      '   4 | >>>   b',
      '   5 |     USER u',
      '--------------------',
    ]);
  });
});

describe('flags', () => {
  it('rejects unknown flags per instruction, with suggestions', () => {
    const e = failure('FROM a\nCOPY --form=build /a /b\n');
    expect(e.code).toBe('dockerfile/flag');
    expect(e.message).toBe('dockerfile parse error on line 2: unknown flag: form (did you mean from?)');
    expect(failure('FROM a\nADD --from=x a b').message).toMatch(/unknown flag: from$/);
    expect(failure('FROM a\nENV --foo a=b').message).toMatch(/unknown flag: foo$/);
    expect(failure('FROM --platform linux/amd64 a').message).toMatch(/missing a value on flag: platform/);
    expect(failure('FROM a\nCOPY --link=maybe a b').message).toMatch(/expecting boolean value for flag link, not: maybe/);
    expect(failure('FROM a\nCOPY --from=a --from=b a b').message).toMatch(/duplicate flag specified: from/);
  });
  it('underlines the offending flag word, also across continuations and under ONBUILD', () => {
    const e = failure('FROM a\nCOPY --link \\\n   --form=build /a /b\n');
    expect(e.range).toEqual({ start: { line: 3, column: 4 }, end: { line: 3, column: 16 } });
    const m = failure('FROM a\n  RUN --network=none --mount=type=nfs,target=/x true');
    expect(m.range).toEqual({ start: { line: 2, column: 22 }, end: { line: 2, column: 48 } });
    // BuildKit checks ONBUILD triggers only when a child image builds, so --bad is no error here.
    const trigger = parseDockerfile('ONBUILD COPY --chmod=1 --bad . /').children[0].next;
    expect(trigger?.flagRanges[1]).toEqual({ start: { line: 1, column: 24 }, end: { line: 1, column: 29 } });
    expect(() => parseStages(parseDockerfile('FROM a\nONBUILD COPY --bad . /'))).not.toThrow();
    const ast = parseDockerfile('onbuild Run echo');
    expect(ast.children[0].next?.keywordRange).toEqual({ start: { line: 1, column: 9 }, end: { line: 1, column: 12 } });
  });
  it('types COPY flags', () => {
    const c = one('COPY --from=build --chown=app:app --chmod=0755 --link --parents --exclude=*.md --exclude=.git a b /dst/');
    expect(c).toMatchObject({
      kind: 'copy',
      sources: ['a', 'b'],
      dest: '/dst/',
      from: 'build',
      chown: 'app:app',
      chmod: '0755',
      link: true,
      parents: true,
      exclude: ['*.md', '.git'],
      keepGitDir: false,
    });
  });
  it('types ADD flags', () => {
    const a = one('ADD --keep-git-dir=true --checksum=sha256:abc --link=false https://x/y.tar /y');
    expect(a).toMatchObject({ kind: 'add', keepGitDir: true, checksum: 'sha256:abc', link: false, sources: ['https://x/y.tar'] });
  });
  it('types RUN mounts, network and security', () => {
    const r = one('RUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=tok --mount=type=bind,from=build,source=/out,target=/in,rw --mount=type=ssh --network=none apk add x');
    expect(r).toMatchObject({ kind: 'run', network: 'none', prependShell: true, command: ['apk add x'] });
    if (r.kind !== 'run') throw new Error('not run');
    expect(r.mounts).toEqual([
      { type: 'cache', target: '/root/.cache', readonly: false, sharing: 'shared', id: '/root/.cache' },
      { type: 'secret', target: '/run/secrets/tok', readonly: false, id: 'tok' },
      { type: 'bind', target: '/in', from: 'build', source: '/out', readonly: false },
      { type: 'ssh', target: '/run/buildkit/ssh_agent.0', readonly: false, id: 'default' },
    ]);
    expect(failure('FROM a\nRUN --mount=type=nfs,target=/x true').message).toMatch(/unsupported mount type "nfs"/);
    expect(failure('FROM a\nRUN --network=bridge true').message).toMatch(/unsupported network mode bridge/);
    expect(() => parseMountSpec('type=cache')).toThrow(/requires a target/);
  });
  it('types HEALTHCHECK with Go durations in nanoseconds', () => {
    const h = one('HEALTHCHECK --interval=30s --timeout=1m30s --start-period=1.5s --start-interval=500ms --retries=3 CMD curl -f http://localhost/');
    expect(h).toMatchObject({
      test: ['CMD-SHELL', 'curl -f http://localhost/'],
      interval: 30e9,
      timeout: 90e9,
      startPeriod: 1.5e9,
      startInterval: 5e8,
      retries: 3,
    });
    expect(one('HEALTHCHECK CMD ["pg_isready", "-q"]')).toMatchObject({ test: ['CMD', 'pg_isready', '-q'] });
    expect(one('HEALTHCHECK NONE')).toMatchObject({ test: ['NONE'] });
    expect(failure('FROM a\nHEALTHCHECK').message).toMatch(/HEALTHCHECK requires at least one argument/);
    expect(failure('FROM a\nHEALTHCHECK NONE x').message).toMatch(/HEALTHCHECK NONE takes no arguments/);
    expect(failure('FROM a\nHEALTHCHECK CMD').message).toMatch(/Missing command after HEALTHCHECK CMD/);
    expect(failure('FROM a\nHEALTHCHECK --interval=10 CMD x').message).toMatch(/missing unit in duration "10"/);
    expect(parseGoDuration('1h2m3.5s')).toBe(3723.5e9);
    expect(parseGoDuration('0')).toBe(0);
    expect(() => parseGoDuration('1x')).toThrow(/unknown unit/);
  });
});

describe('instruction arguments', () => {
  it('types FROM with stage names and platforms', () => {
    expect(one('FROM --platform=$BUILDPLATFORM golang:1.22 AS Build')).toMatchObject({
      image: 'golang:1.22',
      stageName: 'build',
      platform: '$BUILDPLATFORM',
    });
    expect(failure('FROM a b').message).toMatch(/FROM requires either one or three arguments/);
    expect(failure('FROM a AS 1st').message).toMatch(/invalid name for build stage: "1st"/);
  });
  it('types ENV, LABEL and ARG', () => {
    expect(one('ENV A=1 B="two words"')).toMatchObject({ pairs: [{ key: 'A', value: '1' }, { key: 'B', value: '"two words"' }] });
    expect(one('ENV OLD value with spaces')).toMatchObject({ pairs: [{ key: 'OLD', value: 'value with spaces' }] });
    expect(one('LABEL a=b')).toMatchObject({ kind: 'label', pairs: [{ key: 'a', value: 'b' }] });
    expect(one('ARG A B=2 C=')).toMatchObject({ args: [{ key: 'A' }, { key: 'B', value: '2' }, { key: 'C', value: '' }] });
    expect(failure('FROM a\nENV =x').message).toMatch(/ENV names can not be blank/);
    expect(failure('FROM a\nARG =x').message).toMatch(/ARG names can not be blank/);
  });
  it('checks single-argument instructions', () => {
    expect(one('USER app:app')).toMatchObject({ user: 'app:app' });
    expect(one('WORKDIR /a b')).toMatchObject({ path: '/a b' });
    expect(one('STOPSIGNAL SIGTERM')).toMatchObject({ signal: 'SIGTERM' });
    expect(failure('FROM a\nMAINTAINER').message).toMatch(/MAINTAINER requires exactly one argument/);
    expect(failure('FROM a\nWORKDIR').message).toMatch(/WORKDIR requires exactly one argument/);
  });
  it('types CMD, ENTRYPOINT, SHELL, EXPOSE, VOLUME', () => {
    expect(one('CMD echo hi')).toMatchObject({ command: ['echo hi'], prependShell: true });
    expect(one('ENTRYPOINT ["/bin/app", "--x"]')).toMatchObject({ command: ['/bin/app', '--x'], prependShell: false });
    expect(one('CMD []')).toMatchObject({ command: [], prependShell: false });
    expect(one('SHELL ["/bin/bash", "-c"]')).toMatchObject({ shell: ['/bin/bash', '-c'] });
    expect(failure('FROM a\nSHELL /bin/bash').message).toMatch(/SHELL requires the arguments to be in JSON form/);
    expect(one('EXPOSE 80/tcp 443')).toMatchObject({ ports: ['80/tcp', '443'] });
    expect(one('VOLUME ["/data", "/logs"]')).toMatchObject({ volumes: ['/data', '/logs'] });
    expect(failure('FROM a\nVOLUME [""]').message).toMatch(/VOLUME specified can not be an empty string/);
  });
  it('keeps RUN exec form and heredocs; COPY heredoc sources become contents', () => {
    expect(one('RUN ["sh", "-c", "echo"]')).toMatchObject({ command: ['sh', '-c', 'echo'], prependShell: false });
    const r = one('RUN <<EOF\necho $HOME\nEOF');
    expect(r).toMatchObject({ prependShell: true, command: ['<<EOF'] });
    expect(runCommandLine(r as RunInstruction)).toEqual(['echo $HOME\n']);
    const piped = one('RUN python3 <<PY > out\nprint(1)\nPY') as RunInstruction;
    expect(runCommandLine(piped)).toEqual(['python3 <<PY > out\nprint(1)\nPY']);
    expect(runCommandLine(one('RUN ls') as RunInstruction)).toEqual(['ls']);
    const c = one("COPY <<-'EOF' ./local /etc/conf\n\tkey=$v\n\tEOF");
    expect(c).toMatchObject({ sources: ['./local'], sourceContents: [{ path: 'EOF', data: 'key=$v\n', expand: false }], dest: '/etc/conf' });
    expect(failure('FROM a\nCOPY onlyone').message).toMatch(
      /COPY requires at least two arguments, but only one was provided. Destination could not be determined/,
    );
  });
});

describe('ONBUILD rules', () => {
  it('stores the trigger expression, with heredoc bodies', () => {
    expect(one('ONBUILD RUN echo hi')).toMatchObject({ kind: 'onbuild', expression: 'RUN echo hi' });
    expect(one('onbuild COPY <<EOF /x\nbody\nEOF')).toMatchObject({ expression: 'COPY <<EOF /x\nbody\nEOF' });
  });
  it('rejects ONBUILD ONBUILD, FROM and MAINTAINER triggers', () => {
    expect(failure('FROM a\nONBUILD ONBUILD RUN x').message).toBe(
      'dockerfile parse error on line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed',
    );
    expect(failure('FROM a\nONBUILD FROM b').message).toMatch(/FROM isn't allowed as an ONBUILD trigger/);
    expect(failure('FROM a\nONBUILD maintainer me').message).toMatch(/MAINTAINER isn't allowed as an ONBUILD trigger/);
    expect(failure('FROM a\nONBUILD').message).toMatch(/ONBUILD requires at least one argument/);
  });
});

describe('parseStages', () => {
  it('groups instructions by FROM and collects meta ARGs', () => {
    const plan = parseStages(
      parseDockerfile('ARG BASE=alpine\nARG V\nFROM $BASE AS build\nRUN make\nFROM scratch\nCOPY --from=build /out /\n'),
    );
    expect(plan.metaArgs.map((a) => a.args)).toEqual([[{ key: 'BASE', value: 'alpine' }], [{ key: 'V' }]]);
    expect(plan.stages.map((s) => [s.name, s.baseName, s.index, s.instructions.map((i) => i.kind)])).toEqual([
      ['build', '$BASE', 0, ['run']],
      [undefined, 'scratch', 1, ['copy']],
    ]);
    expect(plan.stages[0].range).toEqual({ start: { line: 3, column: 1 }, end: { line: 4, column: 9 } });
    expect(plan.stages[0].instructions[0].original).toBe('RUN make');
  });
  it('rejects instructions before the first FROM and duplicate stage names', () => {
    expect(failure('RUN x\nFROM a').message).toBe('dockerfile parse error on line 1: no build stage in current context');
    expect(failure('FROM a AS x\nFROM b AS X').message).toMatch(/duplicate stage name "x"/);
  });
});
