/**
 * The container's main process: which argv Docker runs (ENTRYPOINT + CMD merged as moby's
 * `daemon/create.go` `merge` does), and how the lab models what that process does over time
 * (`classifyProcess`: a short command that runs to completion, or a long-running server that keeps
 * the container Up until it is stopped).
 */
import { LayerlabError } from '../errors.ts';
import type { ContainerConfig } from '../image/config.ts';

/** What the user asked for on `docker create/run`, before merging with the image. */
export interface CommandRequest {
  /** Arguments after IMAGE (replace the image's CMD when non-empty). */
  cmd?: string[];
  /** `--entrypoint` (a string, split on whitespace like the docker CLI does; `""` resets the image's ENTRYPOINT). */
  entrypoint?: string;
}

/** The resolved main process: `path` + `args` as docker inspect shows them, and the config fields kept on the container. */
export interface ResolvedCommand {
  path: string;
  args: string[];
  entrypoint: string[] | null;
  cmd: string[] | null;
}

/**
 * Docker's merge of a run request with the image config (moby `daemon/create.go` `merge` and
 * `daemon/container.go` `getEntrypointAndArgs`): a user ENTRYPOINT drops the image's CMD; user
 * arguments replace CMD; the process is ENTRYPOINT ++ CMD. Neither → `no command specified`.
 */
export function resolveCommand(image: ContainerConfig | undefined, req: CommandRequest): ResolvedCommand {
  let entrypoint: string[] | null;
  let cmd: string[] | null = req.cmd && req.cmd.length > 0 ? [...req.cmd] : null;
  if (req.entrypoint !== undefined) {
    // The docker CLI sends `--entrypoint ""` as an empty (non-nil) list: it clears the image's ENTRYPOINT.
    entrypoint = req.entrypoint.trim() === '' ? [] : req.entrypoint.trim().split(/\s+/);
  } else {
    entrypoint = image?.Entrypoint ?? null;
    if (!cmd) cmd = image?.Cmd ?? null;
  }
  if (req.entrypoint !== undefined && req.entrypoint.trim() === '' && !cmd) cmd = image?.Cmd ?? null;
  const argv = [...(entrypoint ?? []), ...(cmd ?? [])];
  if (argv.length === 0) {
    throw new LayerlabError('container/no-command', 'Error response from daemon: no command specified', { data: { exitCode: 125 } });
  }
  return { path: argv[0], args: argv.slice(1), entrypoint: entrypoint && entrypoint.length ? entrypoint : null, cmd };
}

/** How the lab runs a main process; see `classifyProcess`. */
export type ProcessModel =
  /** Run the argv through the shell to completion; the container exits with its status. */
  | { kind: 'run' }
  /**
   * A long-running server: `prelude` (the script part before the server in a `sh -c` line, if any)
   * runs through the shell, then the container stays Up printing `startup` until stopped; `stop`
   * gives the exit code of `docker stop`.
   */
  | { kind: 'server'; program: string; prelude?: string; startup: string[]; stopExitCode: number };

/**
 * Programs the lab treats as long-running servers, with the exit code `docker stop` gives them.
 * Docker stop sends SIGTERM (or the image's StopSignal), waits 10 s, then SIGKILLs. Programs that
 * handle SIGTERM exit 0; a PID 1 without a handler ignores SIGTERM (the kernel does not apply the
 * default action to init), so it is killed after the timeout: exit 137 (128 + SIGKILL).
 * Simulation: the lab never runs these programs' code; it keeps the container Up instead.
 */
export const KNOWN_SERVERS: Readonly<Record<string, { handlesSigterm: boolean; startup: (argv: string[]) => string[] }>> = {
  nginx: { handlesSigterm: true, startup: () => ['/docker-entrypoint.sh: Configuration complete; ready for start up'] },
  httpd: { handlesSigterm: true, startup: () => ['AH00558: httpd: Could not reliably determine the server\'s fully qualified domain name', 'AH00094: Command line: \'httpd -D FOREGROUND\''] },
  'httpd-foreground': { handlesSigterm: true, startup: () => ["AH00094: Command line: 'httpd -D FOREGROUND'"] },
  'apache2-foreground': { handlesSigterm: true, startup: () => ["AH00094: Command line: 'apache2 -D FOREGROUND'"] },
  'redis-server': { handlesSigterm: true, startup: () => ['1:M * Ready to accept connections tcp'] },
  postgres: { handlesSigterm: true, startup: () => ['LOG:  database system is ready to accept connections'] },
  mysqld: { handlesSigterm: true, startup: () => ["[Server] /usr/sbin/mysqld: ready for connections."] },
  mongod: { handlesSigterm: true, startup: () => ['Waiting for connections'] },
  caddy: { handlesSigterm: true, startup: () => ['serving initial configuration'] },
  gunicorn: { handlesSigterm: true, startup: () => ['[INFO] Listening at: http://0.0.0.0:8000'] },
  uvicorn: { handlesSigterm: true, startup: () => ['INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)'] },
  node: { handlesSigterm: false, startup: () => [] },
  npm: { handlesSigterm: false, startup: (a) => [`> ${a.slice(1).join(' ')}`] },
  python: { handlesSigterm: false, startup: (a) => httpServerLine(a) },
  python3: { handlesSigterm: false, startup: (a) => httpServerLine(a) },
  sleep: { handlesSigterm: false, startup: () => [] },
  tail: { handlesSigterm: false, startup: () => [] },
  top: { handlesSigterm: false, startup: () => [] },
  java: { handlesSigterm: false, startup: () => [] },
};

function httpServerLine(argv: string[]): string[] {
  const i = argv.indexOf('http.server');
  const port = argv[i + 1] && /^\d+$/.test(argv[i + 1]) ? argv[i + 1] : '8000';
  return i >= 0 ? [`Serving HTTP on 0.0.0.0 port ${port} (http://0.0.0.0:${port}/) ...`] : [];
}

const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** True if `argv` (one simple command) starts a long-running server from KNOWN_SERVERS. */
export function isServerArgv(argv: string[]): boolean {
  if (argv.length === 0) return false;
  const prog = base(argv[0]);
  const rest = argv.slice(1);
  if (!(prog in KNOWN_SERVERS)) return false;
  switch (prog) {
    case 'nginx':
    case 'httpd':
      return !rest.some((a) => a === '-v' || a === '-V' || a === '-t' || a === '-h');
    case 'node':
      // `node server.js` serves; `node -e …`, `node --version` and a bare REPL without -it exit.
      return rest.length > 0 && !rest[0].startsWith('-');
    case 'npm':
      return rest[0] === 'start' || (rest[0] === 'run' && /^(start|serve|dev)$/.test(rest[1] ?? ''));
    case 'python':
    case 'python3':
      return rest[0] === '-m' && rest[1] === 'http.server';
    case 'sleep':
      return rest[0] === 'infinity' || (/^\d+$/.test(rest[0] ?? '') && Number(rest[0]) >= 60);
    case 'tail':
      return rest.includes('-f') || rest.includes('-F');
    case 'java':
      return rest.includes('-jar');
    default:
      return true;
  }
}

// Splits a simple `sh -c` script into words (single/double quotes honoured) — enough to recognise a server.
function words(s: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:\\.|[^"\\])*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/**
 * Decides how to model the main process `argv` (see ProcessModel). Recognised: a server program
 * directly; after an entrypoint wrapper script (`docker-entrypoint.sh nginx …`); and as the last
 * command of a `sh -c` script (`echo hi && exec nginx -g 'daemon off;'`).
 */
export function classifyProcess(argv: string[]): ProcessModel {
  const server = (a: string[], prelude?: string): ProcessModel => {
    const prog = base(a[0]);
    const k = KNOWN_SERVERS[prog];
    return { kind: 'server', program: prog, prelude, startup: k.startup(a), stopExitCode: k.handlesSigterm ? 0 : 137 };
  };
  if (isServerArgv(argv)) return server(argv);
  if (argv.length > 1 && /entrypoint/.test(base(argv[0])) && isServerArgv(argv.slice(1))) return server(argv.slice(1));
  if (argv.length >= 3 && /^(sh|bash|ash|dash)$/.test(base(argv[0])) && argv[1] === '-c') {
    const script = argv[2];
    // The last top-level command of a simple script (no quoting of separators handled).
    const m = /^(.*)(?:&&|;|\n)\s*([^;&\n]*)$/s.exec(script);
    const last = (m ? m[2] : script).trim().replace(/^exec\s+/, '');
    const w = words(last);
    if (isServerArgv(w)) return server(w, m ? m[1].trim() : undefined);
  }
  return { kind: 'run' };
}

/** The command column of `docker ps`: Path and Args joined by spaces (moby `container.Summary.Command`). */
export function commandLine(path: string, args: readonly string[]): string {
  return [path, ...args].join(' ');
}
