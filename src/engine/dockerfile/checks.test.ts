import { describe, expect, it } from 'vitest';
import { formatCheckReport, formatCheckSummary, runChecks } from './checks.ts';
import { parseDockerfile } from './parse.ts';

const check = (src: string, opts = {}) => runChecks(parseDockerfile(src), opts).map((w) => `${w.range.start.line} ${w.name}: ${w.message}`);

describe('build checks (docker build --check)', () => {
  it('a clean Dockerfile has no warnings', () => {
    expect(check('FROM alpine:3.22 AS build\nWORKDIR /app\nCOPY . .\nRUN make\nCMD ["./app"]\n')).toEqual([]);
  });

  it('reports the classic mistakes with BuildKit rule names and messages', () => {
    const src = [
      'FROM alpine AS Builder', // 1 StageNameCasing
      'from alpine as b2', // 2 ConsistentInstructionCasing (majority upper)
      'FROM alpine as final', // 3 FromAsCasing
      'MAINTAINER me@example.com', // 4
      'ENV API_TOKEN abc', // 5 LegacyKeyValueFormat + SecretsUsedInArgOrEnv
      'ARG PUBLIC_KEY=x', // 6 allowed
      'WORKDIR app', // 7 WorkdirRelativePath
      'COPY $SRC /dst', // 8 UndefinedVar
      'EXPOSE 80/TCP 127.0.0.1:8080:80', // 9 two expose rules
      'CMD echo one', // 10 MultipleInstructionsDisallowed + JSONArgsRecommended
      'CMD ["two"]', // 11
      'ENTRYPOINT exec app', // 12 JSONArgsRecommended
    ].join('\n');
    expect(check(src)).toEqual([
      "1 StageNameCasing: Stage name 'Builder' should be lowercase",
      "2 ConsistentInstructionCasing: Command 'from' should match the case of the command majority (uppercase)",
      "3 FromAsCasing: 'as' and 'FROM' keywords' casing do not match",
      '4 MaintainerDeprecated: Maintainer instruction is deprecated in favor of using label',
      '5 LegacyKeyValueFormat: "ENV key=value" should be used instead of legacy "ENV key value" format',
      '5 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ENV "API_TOKEN")',
      '7 WorkdirRelativePath: Relative workdir "app" can have unexpected results if the base image changes',
      "8 UndefinedVar: Usage of undefined variable '$SRC'",
      "9 ExposeProtoCasing: Defined protocol '80/TCP' in EXPOSE instruction should be lowercase",
      "9 ExposeInvalidFormat: EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:8080:80'",
      '10 JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals',
      '10 MultipleInstructionsDisallowed: Multiple CMD instructions should not be used in the same stage because only the last one will be used',
      '12 JSONArgsRecommended: JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals',
    ]);
  });

  it('FROM variables must be declared ARGs; platform args are predefined', () => {
    expect(check('ARG VERSION=3.22\nFROM alpine:${VERSION}\nFROM alpine:$TAG\nFROM --platform=$BUILDPLATFORM alpine\n')).toEqual([
      "3 UndefinedArgInFrom: FROM argument 'TAG' is not declared",
    ]);
    expect(check('ARG IMG=\nFROM $IMG\n')).toEqual(['2 InvalidDefaultArgInFrom: Default value for ARG $IMG results in empty or invalid base image name']);
    expect(check('FROM --platform=$TARGETPLATFORM alpine\nFROM --platform=linux/amd64 alpine\n')).toEqual([
      '1 RedundantTargetPlatform: Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior',
      '2 FromPlatformFlagConstDisallowed: FROM --platform flag should not use constant value "linux/amd64"',
    ]);
  });

  it('a SHELL instruction silences JSONArgsRecommended; the base env and declared vars silence UndefinedVar', () => {
    expect(check('FROM alpine\nSHELL ["/bin/bash", "-c"]\nCMD echo hi\n')).toEqual([]);
    expect(check('FROM python:3.12-slim\nWORKDIR /$PYTHON_VERSION\n', { baseEnv: () => ['PYTHON_VERSION'] })).toEqual([]);
    expect(check('FROM alpine\nARG V\nENV W=$V\nWORKDIR /$W/$PATH\n')).toEqual([]);
  });

  it('honours # check=skip', () => {
    expect(check('# check=skip=JSONArgsRecommended,MaintainerDeprecated\nFROM alpine\nMAINTAINER x\nCMD echo\n')).toEqual([]);
    expect(check('# check=skip=all\nfrom alpine AS X\nCMD echo\n')).toEqual([]);
  });

  it('reports empty continuation lines', () => {
    expect(check('FROM alpine\nRUN echo a \\\n\n  && echo b\n')).toEqual(['2 NoEmptyContinuation: Empty continuation line']);
  });

  it('prints the report docker build --check prints, and the after-build summary', () => {
    const src = 'FROM alpine\nCMD echo hi\n';
    const w = runChecks(parseDockerfile(src));
    expect(formatCheckReport(w, src)).toBe(
      [
        'Check complete, 1 warning has been found!',
        '',
        'WARN: JSONArgsRecommended - https://docs.docker.com/go/dockerfile/rule/json-args-recommended/',
        'JSON arguments recommended for CMD to prevent unintended behavior related to OS signals',
        'Dockerfile:2',
        '--------------------',
        '   1 |     FROM alpine',
        '   2 | >>> CMD echo hi',
        '   3 |     ',
        '--------------------',
        '',
      ].join('\n'),
    );
    expect(formatCheckSummary(w)).toBe(
      ' 1 warning found (use docker --debug to expand):\n - JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 2)\n',
    );
    expect(formatCheckReport([], src)).toBe('Check complete, no warnings found.\n');
  });
});
