/**
 * `--format` for the docker-like commands, as docker/cli's `formatter.Context` and
 * `inspect.TemplateInspector` apply it: `table` (the default table), `json` (one JSON object per
 * row), `table {{.A}}\t{{.B}}` (a tabwriter table whose header is the template run over the
 * column names), or any other template (run per row, a newline after each). Literal `\t` and `\n`
 * in a list format become a tab and a newline (formatter.Context.preFormat). Template errors are
 * printed as docker prints them: `template parsing error: template: :1: …`, exit 1.
 */
import type { CliIo } from './command.ts';
import { table } from './format.ts';
import { DOCKER_FUNCS, HEADER_FUNCS, parseTemplate, TemplateError, type Template } from './go-template.ts';

/** A bad `--format`: the message is docker's whole stderr line. */
export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}

function compile(src: string): Template {
  try {
    return parseTemplate(src, DOCKER_FUNCS);
  } catch (e) {
    if (e instanceof TemplateError) throw new FormatError(`template parsing error: ${e.message}`);
    throw e;
  }
}

function run(t: Template, data: unknown, funcs = DOCKER_FUNCS): string {
  try {
    return t.execute(data, funcs);
  } catch (e) {
    if (e instanceof TemplateError) throw new FormatError(`template parsing error: ${e.message}`);
    throw e;
  }
}

/**
 * `inspect -f`: each object through the template, a newline after each; without a format the
 * objects as a 4-space indented JSON array (docker's IndentedJSON). Returns the text for stdout.
 */
export function formatInspect(items: unknown[], format: string | undefined): string {
  if (!format) return JSON.stringify(items, null, 4) + '\n';
  if (format === 'json') return items.map((x) => JSON.stringify(x) + '\n').join('');
  const t = compile(format);
  return items.map((x) => run(t, x) + '\n').join('');
}

/** One list's columns: the row objects (Go structs, see goStruct) and the header names by field. */
export interface ListFormat<Row> {
  rows: Row[];
  /** Field name → column header (`ID` → `IMAGE ID`), docker's SubHeaderContext. */
  headers: Record<string, string>;
  /** The default `table …` format of the command. */
  defaultTable: string;
}

/** Renders a list command's rows per `--format` (empty = the command's default table). */
export function formatList<Row extends object>(list: ListFormat<Row>, format: string | undefined): string {
  let f = format && format.trim() !== '' ? format : 'table';
  if (f === 'json') f = '{{json .}}';
  else if (f === 'table') f = list.defaultTable;
  const isTable = f.startsWith('table');
  let body = isTable ? f.slice(5) : f;
  body = body.replace(/^ +| +$/g, '').replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  const t = compile(body);
  const rendered = list.rows.map((r) => run(t, r));
  if (!isTable) return rendered.map((l) => l + '\n').join('');
  const header = run(t, list.headers, HEADER_FUNCS);
  const lines = [header, ...rendered].join('\n').split('\n');
  return table(lines.map((l) => l.split('\t')));
}

/** Writes `text` to stdout, or a format error to stderr; returns the exit code (docker exits 1). */
export function printFormatted(io: CliIo, make: () => string): number {
  try {
    io.out(make());
    return 0;
  } catch (e) {
    if (e instanceof FormatError) {
      io.err(e.message + '\n');
      return 1;
    }
    throw e;
  }
}
