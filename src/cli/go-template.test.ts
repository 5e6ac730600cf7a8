/**
 * The text/template subset against outputs Go 1.22's text/template gives for the same templates
 * and data (docker's functions from docker/cli templates.go). Inspect-shaped data is JSON, as
 * `docker inspect` falls back to for fields it cannot find on its typed struct.
 */
import { describe, expect, it } from 'vitest';
import { goPrint, goStruct, parseTemplate, sprintf, TemplateError } from './go-template.ts';

const image = {
  Id: 'sha256:4a8c3b7e',
  RepoTags: ['app:1', 'app:latest'],
  Size: 7_800_000,
  Os: 'linux',
  Config: { Env: ['PATH=/usr/bin', 'A=1'], Cmd: ['node', 'server.js'], Entrypoint: null, Labels: { 'org.opencontainers.image.title': 'app', maintainer: 'me' }, ExposedPorts: { '3000/tcp': {} } },
  RootFS: { Type: 'layers', Layers: ['sha256:aa', 'sha256:bb'] },
};
const render = (t: string, data: unknown = image) => parseTemplate(t).execute(data);
const fails = (t: string, data: unknown = image) => {
  try {
    render(t, data);
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return (e as Error).message;
  }
  throw new Error(`no error for ${t}`);
};

describe('Go text/template subset', () => {
  it('fields, nested fields and Go value printing', () => {
    expect(render('{{.Id}}')).toBe('sha256:4a8c3b7e');
    expect(render('{{.Config.Env}}')).toBe('[PATH=/usr/bin A=1]');
    expect(render('{{.Config.Labels}}')).toBe('map[maintainer:me org.opencontainers.image.title:app]');
    expect(render('{{.Config.ExposedPorts}}')).toBe('map[3000/tcp:{}]');
    expect(render('{{.Size}}')).toBe('7800000');
    expect(render('{{.RootFS}}')).toBe('{layers [sha256:aa sha256:bb]}');
    // A nil slice prints as [] and a missing map key as <no value>, as Go prints them.
    expect(render('{{.Config.Entrypoint}}')).toBe('[]');
    expect(render('{{.Nope}}')).toBe('<no value>');
    expect(render('size={{.Size}} os={{.Os}}\n')).toBe('size=7800000 os=linux\n');
  });

  it('json, range, index, join, upper/lower, println, printf, len', () => {
    expect(render('{{json .Config.Cmd}}')).toBe('["node","server.js"]');
    expect(render('{{json .RootFS}}')).toBe('{"Type":"layers","Layers":["sha256:aa","sha256:bb"]}');
    expect(render('{{json .Config.Labels}}')).toBe('{"org.opencontainers.image.title":"app","maintainer":"me"}');
    expect(render('{{json "<a&b>"}}')).toBe('"<a&b>"'); // docker turns HTML escaping off
    expect(render('{{range .RepoTags}}{{.}}\n{{end}}')).toBe('app:1\napp:latest\n');
    expect(render('{{range $i, $t := .RepoTags}}{{$i}}:{{$t}} {{end}}')).toBe('0:app:1 1:app:latest ');
    expect(render('{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}')).toBe('maintainer=me;org.opencontainers.image.title=app;');
    expect(render('{{range .Missing}}x{{else}}none{{end}}')).toBe('none');
    expect(render('{{index .Config.Labels "org.opencontainers.image.title"}}')).toBe('app');
    expect(render('{{index .RepoTags 1}}')).toBe('app:latest');
    expect(render('{{join .Config.Env ","}}')).toBe('PATH=/usr/bin,A=1');
    expect(render('{{upper .Os}} {{lower "ABC"}} {{title "hello world"}}')).toBe('LINUX abc Hello World');
    expect(render('{{println .Os .Size}}')).toBe('linux 7800000\n');
    expect(render('{{printf "%-6s|%5d|%q" .Os 42 "x"}}')).toBe('linux |   42|"x"');
    expect(render('{{len .RepoTags}} {{len .Config.Labels}} {{len "héllo"}}')).toBe('2 2 6');
    expect(render('{{.Os | upper | printf "<%s>"}}')).toBe('<LINUX>');
    expect(render('{{split "a:b:c" ":"}}')).toBe('[a b c]');
    expect(render('{{pad .Os 2 1}}|{{truncate .Id 10}}')).toBe('  linux |sha256:4a8');
  });

  it('if / else if / else, with, comparisons, variables, trimming, comments', () => {
    expect(render('{{if eq .Os "linux"}}L{{else}}O{{end}}')).toBe('L');
    expect(render('{{if .Nope}}a{{else if gt .Size 100}}b{{else}}c{{end}}')).toBe('b');
    expect(render('{{if and .Os (not .Nope)}}yes{{end}}')).toBe('yes');
    expect(render('{{eq .Os "windows" "linux"}}')).toBe('true');
    expect(render('{{with .Config}}{{.Cmd}}{{end}}')).toBe('[node server.js]');
    expect(render('{{with .Nope}}x{{else}}empty{{end}}')).toBe('empty');
    expect(render('{{$os := .Os}}{{range .RepoTags}}{{$os}}/{{.}} {{end}}')).toBe('linux/app:1 linux/app:latest ');
    expect(render('{{range .RepoTags}}{{$.Os}} {{end}}')).toBe('linux linux ');
    expect(render('a  {{- .Os -}}  b')).toBe('alinuxb');
    expect(render('{{/* a comment */}}ok')).toBe('ok');
    expect(render('{{range .RepoTags}}{{if eq . "app:1"}}{{continue}}{{end}}{{.}}{{end}}')).toBe('app:latest');
    expect(render('{{range .RepoTags}}{{.}}{{break}}{{end}}')).toBe('app:1');
    expect(render('{{(index .RootFS.Layers 0)}} {{(index .RepoTags 1 | upper)}}')).toBe('sha256:aa APP:LATEST');
  });

  it('errors read like Go\'s', () => {
    expect(() => parseTemplate('{{foo .}}')).toThrow('template: :1: function "foo" not defined');
    expect(() => parseTemplate('{{.Os')).toThrow('template: :1: unclosed action');
    expect(() => parseTemplate('{{end}}')).toThrow('template: :1: unexpected {{end}}');
    expect(() => parseTemplate('{{if .Os}}x')).toThrow('template: :1: unexpected EOF');
    expect(() => parseTemplate('a\n{{.X }}}\n{{bar}}')).toThrow('template: :3: function "bar" not defined');
    expect(fails('{{.Nope.Deeper}}')).toBe('template: :1:2: executing "" at <.Nope.Deeper>: nil pointer evaluating interface {}.Deeper');
    expect(fails('{{index .RepoTags 5}}')).toContain('error calling index: index out of range: 5');
    expect(fails('{{join .Os ","}}')).toContain('wrong type for value; expected []string; got string');
    expect(fails('{{lt .Os 3}}')).toContain('incompatible types for comparison');
    // A typed context (docker's formatter structs): an unknown field is an error, as in Go.
    const row = goStruct({ ID: 'abc', Repository: 'app' }, '*formatter.imageContext');
    expect(render('{{.Repository}}', row)).toBe('app');
    expect(fails('x {{.Nope}}', row)).toBe('template: :1:4: executing "" at <.Nope>: can\'t evaluate field Nope in type *formatter.imageContext');
  });

  it('prints values as Go\'s fmt %v does', () => {
    expect(goPrint(undefined)).toBe('<no value>');
    expect(goPrint(null)).toBe('<nil>');
    expect(goPrint([1, 'a', [true]])).toBe('[1 a [true]]');
    expect(goPrint({ b: 1, a: { c: [] } })).toBe('map[a:map[c:[]] b:1]');
    expect(goPrint(0.5)).toBe('0.5');
    expect(sprintf('%s %v %d', ['a'])).toBe('a %!v(MISSING) %!d(MISSING)');
    expect(sprintf('%s', ['a', 'b'])).toBe('a%!(EXTRA string=b)');
  });
});
