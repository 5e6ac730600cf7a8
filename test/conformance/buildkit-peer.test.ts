/**
 * BuildKit's own Dockerfile parser and shell-lexer test data, replayed against our parser and word
 * expander. The data lives outside the repository in ../shared/peer-tests/buildkit (copied verbatim
 * from moby/buildkit; see its README.md for the formats). When that folder is absent the suite is
 * skipped with a message naming the missing path. `BUILDKIT_PEER_DIR` points it elsewhere.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dumpAst, expandWord, expandWords, parseDockerfile } from '../../src/engine/dockerfile/index.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// BUILDKIT_PEER_DIR overrides the location (used to check the skip path).
const peerDir = process.env.BUILDKIT_PEER_DIR ?? resolve(projectRoot, '..', 'shared', 'peer-tests', 'buildkit');
const exists = existsSync(peerDir);
if (!exists) {
  console.warn(`[buildkit-peer] skipping BuildKit peer tests: folder not found: ${peerDir}`);
}

const read = (...p: string[]) => readFileSync(join(peerDir, ...p), 'utf8');
const caseDirs = (sub: string) =>
  exists ? readdirSync(join(peerDir, sub), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort() : [];

describe.skipIf(!exists)('BuildKit parser testfiles (positive)', () => {
  const cases = caseDirs('parser/testfiles');
  it('has the 33 upstream cases', () => {
    expect(cases).toHaveLength(33);
  });
  it.each(cases)('%s', (name) => {
    const src = read('parser/testfiles', name, 'Dockerfile');
    const expected = read('parser/testfiles', name, 'result');
    expect(dumpAst(parseDockerfile(src))).toBe(expected);
  });
});

describe.skipIf(!exists)('BuildKit parser testfiles-negative', () => {
  const cases = caseDirs('parser/testfiles-negative');
  it('has the 4 upstream cases', () => {
    expect(cases).toHaveLength(4);
  });
  it.each(cases)('%s fails to parse', (name) => {
    const src = read('parser/testfiles-negative', name, 'Dockerfile');
    expect(() => parseDockerfile(src)).toThrow(/dockerfile parse error on line \d+: /);
  });
});

describe.skipIf(!exists)('BuildKit parser testfile-line', () => {
  it('reports 1-based inclusive line ranges', () => {
    const ast = parseDockerfile(read('parser/testfile-line', 'Dockerfile'));
    expect(ast.children.map((c) => [c.keyword, c.range.start.line, c.range.end.line])).toEqual([
      ['from', 5, 5],
      ['env', 11, 12],
      ['run', 17, 31],
    ]);
    expect(ast.children[0].range.start.line).toBe(5);
    expect(ast.children[2].range.end.line).toBe(31);
  });
});

interface EnvVarRow {
  line: number;
  platform: string;
  input: string;
  expected: string;
}

function envVarRows(): EnvVarRow[] {
  if (!exists) return [];
  const rows: EnvVarRow[] = [];
  read('shell', 'envVarTest')
    .split('\n')
    .forEach((rawLine, idx) => {
      if (rawLine.startsWith('#')) return;
      const line = rawLine.trim();
      if (line === '') return;
      const fields = line.split('|');
      if (fields.length !== 3) throw new Error(`envVarTest line ${idx + 1}: expected 3 fields`);
      const [platform, input, expected] = fields.map((f) => f.trim());
      if (!['A', 'U', 'W'].includes(platform)) throw new Error(`envVarTest line ${idx + 1}: bad platform ${platform}`);
      rows.push({ line: idx + 1, platform, input, expected });
    });
  return rows;
}

describe.skipIf(!exists)('BuildKit shell/envVarTest (single-word expansion)', () => {
  const all = envVarRows();
  // Windows rows differ only in case-insensitive names; layerlab simulates Linux containers.
  const rows = all.filter((r) => r.platform !== 'W');
  const env = new Map([
    ['PWD', '/home'],
    ['SHELL', 'bash'],
    ['KOREAN', '한국어'],
    ['NULL', ''],
  ]);
  it('has the 228 A/U rows', () => {
    expect(rows).toHaveLength(228);
  });
  it.each(rows.map((r) => [`line ${r.line}: ${r.input}`, r] as const))('%s', (_, r) => {
    if (r.expected === 'error') {
      expect(() => expandWord(r.input, env, { escapeToken: '\\' })).toThrow();
    } else {
      expect(expandWord(r.input, env, { escapeToken: '\\' })).toBe(r.expected);
    }
  });
});

interface WordsRow {
  line: number;
  input: string;
  env: Map<string, string>;
  expected: string[];
}

function wordsRows(): WordsRow[] {
  if (!exists) return [];
  const rows: WordsRow[] = [];
  const env = new Map<string, string>();
  const lines = read('shell', 'wordsTest').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, idx) => {
    if (line.startsWith('#')) return;
    if (line.startsWith('ENV ')) {
      const def = line.slice(4).replace(/^ +/, '');
      const eq = def.indexOf('=');
      env.set(def.slice(0, eq), def.slice(eq + 1));
      return;
    }
    const parts = line.split('|');
    if (parts.length !== 2) throw new Error(`wordsTest line ${idx + 1}: expected one |`);
    rows.push({
      line: idx + 1,
      input: parts[0].trim(),
      env: new Map(env),
      expected: parts[1].replace(/^ +/, '').split(','),
    });
  });
  return rows;
}

describe.skipIf(!exists)('BuildKit shell/wordsTest (expansion + word splitting)', () => {
  const rows = wordsRows();
  it('has the 24 rows', () => {
    expect(rows).toHaveLength(24);
  });
  it.each(rows.map((r) => [`line ${r.line}: ${r.input}`, r] as const))('%s', (_, r) => {
    let words: string[];
    try {
      words = expandWords(r.input, r.env, { escapeToken: '\\' });
    } catch {
      words = ['error'];
    }
    expect(words).toEqual(r.expected);
  });
});
