/**
 * A small command-line parser with the docker CLI's (cobra/pflag) conventions: `-t x`, `-tx`,
 * `--tag x`, `--tag=x`, grouped short booleans (`-it`), repeatable flags, `--` ends flags, and
 * flags stop at the first positional for commands that take a command line (`run IMAGE CMD…`).
 */

/** One flag a command accepts. */
export interface FlagSpec {
  long: string;
  short?: string;
  /** 'bool' takes no value; 'string' one value; 'list' may repeat. */
  kind: 'bool' | 'string' | 'list';
  description?: string;
  default?: string;
}

/** Parsed arguments: flag values by long name, and positionals. */
export interface ParsedArgs {
  flags: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** A usage error; printed as docker does (`unknown flag: --x\nSee 'docker build --help'.`), exit 125. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses `argv` against `specs`; with `stopAtPositional`, everything from the first positional on is positional. */
export function parseArgs(argv: string[], specs: FlagSpec[], opts: { stopAtPositional?: boolean } = {}): ParsedArgs {
  const flags: ParsedArgs['flags'] = {};
  const positionals: string[] = [];
  const byLong = new Map(specs.map((s) => [s.long, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  for (const s of specs) {
    if (s.kind === 'list') flags[s.long] = [];
    else if (s.default !== undefined) flags[s.long] = s.default;
  }
  const assign = (spec: FlagSpec, value: string | true) => {
    if (spec.kind === 'list') (flags[spec.long] as string[]).push(String(value));
    else flags[spec.long] = value;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const spec = byLong.get(name);
      if (!spec) throw new UsageError(`unknown flag: --${name}`);
      if (spec.kind === 'bool') {
        const v = eq >= 0 ? a.slice(eq + 1) : 'true';
        if (v !== 'true' && v !== 'false') throw new UsageError(`invalid argument "${v}" for "--${name}" flag: strconv.ParseBool: parsing "${v}": invalid syntax`);
        flags[spec.long] = v === 'true';
      } else if (eq >= 0) assign(spec, a.slice(eq + 1));
      else {
        if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: --${name}`);
        assign(spec, argv[++i]);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const ch = a[k];
        const spec = byShort.get(ch);
        if (!spec) throw new UsageError(`unknown shorthand flag: '${ch}' in ${a}`);
        if (spec.kind === 'bool') {
          flags[spec.long] = true;
          continue;
        }
        const rest = a.slice(k + 1).replace(/^=/, '');
        if (rest) assign(spec, rest);
        else {
          if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: '${ch}' in -${ch}`);
          assign(spec, argv[++i]);
        }
        break;
      }
      continue;
    }
    positionals.push(a);
    if (opts.stopAtPositional) {
      positionals.push(...argv.slice(i + 1));
      break;
    }
  }
  return { flags, positionals };
}

/** The `--run-timeout` flag shared by `build`, `run` and `exec`. */
export const RUN_TIMEOUT_FLAG: FlagSpec = {
  long: 'run-timeout',
  kind: 'string',
  description: 'Wall-time limit of each RUN step or process (e.g. 90s, 5m; default 30s)',
};

/**
 * A Go `time.ParseDuration`-style value (`1m30s`, `90s`, `500ms`, `2h`; a bare number means seconds)
 * in milliseconds, as docker flags such as `--health-interval` take it.
 */
export function parseDurationMs(value: string, flag: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    total += Number(m[1]) * units[m[2]];
    end = re.lastIndex;
  }
  if (!value || end !== value.length || !(total > 0)) throw new UsageError(`invalid argument "${value}" for "--${flag}" flag: time: invalid duration "${value}"`);
  return total;
}

/** `--run-timeout` in ms, or undefined when the flag is absent. */
export function runTimeoutOf(flags: ParsedArgs['flags']): number | undefined {
  const v = flags['run-timeout'];
  return typeof v === 'string' ? parseDurationMs(v, 'run-timeout') : undefined;
}
