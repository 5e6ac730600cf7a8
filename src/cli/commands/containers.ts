/**
 * Container, volume and disk-usage commands with the docker CLI's output: `create`, `run`, `start`,
 * `stop`, `restart`, `exec`, `ps`, `logs`, `diff`, `commit`, `cp`, `export`, `rm`,
 * `container prune`, `container inspect`, `volume ls/create/rm/inspect`, `system df`, `image prune`.
 * They talk to the engine's container service (`engine.containers`, ContainerEngine in
 * src/engine/container/api.ts). `-it` reads lines from stdin and runs them in the container's shell session.
 */
import { mkdirSync, readdirSync, readFileSync, lstatSync, readlinkSync, statSync, symlinkSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ContainerEngine, ContainerSummary, CopyEntry, DfReport, ExecResult, OutputListener } from '../../engine/container/api.ts';
import { LayerlabError } from '../../engine/errors.ts';
import { formatError, type CliIo, type Command, type CommandContext } from '../command.ts';

/**
 * `docker run`/`create` report failures as `docker: <error>.` plus `See 'docker run --help'.` and
 * exit 125, or the code the error carries (126/127 when the command cannot be run).
 */
async function asDockerRun(ctx: CommandContext, verb: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    const msg = formatError(e).replace(/\.?$/, '.');
    ctx.io.err(`layerlab: ${msg}\nSee 'layerlab ${verb} --help'.\n`);
    const code = e instanceof LayerlabError && typeof e.data.exitCode === 'number' ? e.data.exitCode : 125;
    return code;
  }
}
import { RUN_TIMEOUT_FLAG, runTimeoutOf, type FlagSpec } from '../args.ts';
import { familiarRefString } from '../../engine/reference.ts';
import { createdAgo, ellipsis, goTime, humanDuration, humanSize, table } from '../format.ts';
import { formatInspect, formatList, printFormatted } from '../cli-format.ts';
import { goStruct } from '../go-template.ts';

const FORMAT_FLAG: FlagSpec = { long: 'format', kind: 'string', description: 'Format output using a custom template' };
const formatOf = (ctx: CommandContext) => (typeof ctx.args.flags.format === 'string' ? ctx.args.flags.format : undefined);

const engineOf = (ctx: CommandContext): ContainerEngine => ctx.engine.containers;
/** After this long a `run -d` process counts as started (its ID is printed). */
const STARTED_MS = 50;
/** How often `logs -f` and `attach` look for new output. */
const FOLLOW_POLL_MS = 100;

/**
 * Prints what a running container's main process prints from now on, until it stops; returns its
 * exit code. Its record is re-read each time (see ContainerRuntime.logs): the process that runs
 * it (the `run -d` command) persists its log as it goes.
 */
export async function followOutput(ctx: CommandContext, ref: string, opts: { timestamps?: boolean } = {}): Promise<number> {
  const engine = engineOf(ctx);
  let shown = (await engine.logs(ref, opts)).length;
  for (;;) {
    const state = await engine.waitState(ref);
    const all = await engine.logs(ref, opts);
    for (const l of all.slice(shown)) (l.stream === 'stdout' ? ctx.io.out : ctx.io.err)(l.text);
    shown = all.length;
    if (state.status !== 'running') return state.exitCode;
    await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
  }
}

/**
 * `docker run`/`create` pull a missing image first (`--pull=missing`), printing to stderr
 * `Unable to find image 'busybox:latest' locally` and then the pull's own lines.
 */
async function ensureImage(ctx: CommandContext): Promise<void> {
  const ref = ctx.args.positionals[0];
  if (!ref) return;
  try {
    await ctx.engine.images.inspect(ref);
    return;
  } catch (e) {
    if (!(e instanceof LayerlabError) || e.code !== 'image/not-found') throw e;
  }
  let shown = ref;
  try {
    shown = familiarRefString(ref);
  } catch {
    // an invalid reference is reported by the pull below
  }
  ctx.io.err(`Unable to find image '${shown}' locally\n`);
  const res = await ctx.engine.registries.pull(ref);
  ctx.io.err(lines(res.lines.slice(0, -1)));
}
const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);
const lines = (xs: readonly string[]) => xs.map((l) => l + '\n').join('');

/** STATUS at the CLI's now (moby State.String). */
function status(c: ContainerSummary, now: number): string {
  if (c.status === 'running') return `Up ${humanDuration(Math.max(0, now - Date.parse(c.startedAt ?? c.created)))}${c.paused ? ' (Paused)' : ''}`;
  if (c.status === 'exited') return c.finishedAt ? `Exited (${c.exitCode}) ${humanDuration(Math.max(0, now - Date.parse(c.finishedAt)))} ago` : `Exited (${c.exitCode})`;
  return 'Created';
}

/** docker's COMMAND column: Go's strconv.Quote of the command ellipsised to 20 characters. */
function quotedCommand(cmd: string, trunc: boolean): string {
  return JSON.stringify(trunc ? ellipsis(cmd, 20) : cmd);
}

const CREATE_FLAGS: FlagSpec[] = [
  { long: 'name', kind: 'string' },
  { long: 'env', short: 'e', kind: 'list' },
  { long: 'workdir', short: 'w', kind: 'string' },
  { long: 'user', short: 'u', kind: 'string' },
  { long: 'volume', short: 'v', kind: 'list' },
  { long: 'publish', short: 'p', kind: 'list' },
  { long: 'entrypoint', kind: 'string' },
  { long: 'label', short: 'l', kind: 'list' },
  { long: 'interactive', short: 'i', kind: 'bool' },
  { long: 'tty', short: 't', kind: 'bool' },
  { long: 'rm', kind: 'bool' },
];

function createOptions(ctx: CommandContext) {
  const f = ctx.args.flags;
  const [image, ...cmd] = ctx.args.positionals;
  return {
    image,
    cmd,
    name: str(f.name),
    env: list(f.env),
    workdir: str(f.workdir),
    user: str(f.user),
    volumes: list(f.volume),
    publish: list(f.publish),
    entrypoint: str(f.entrypoint),
    labels: Object.fromEntries(list(f.label).map((l) => [l.split('=')[0], l.slice(l.indexOf('=') + 1)])),
    interactive: !!f.interactive,
    tty: !!f.tty,
    rm: !!f.rm,
  };
}

/** Writes a process's output to our stdout and stderr as it is printed (docker attaches both streams). */
const printTo = (io: CliIo): OutputListener => (stream, text) => (stream === 'stdout' ? io.out(text) : io.err(text));

/** Reads stdin and runs it line by line in a session, printing each line's output as it comes; returns the last exit code. */
async function repl(engine: ContainerEngine, io: CliIo, sessionId: string): Promise<number> {
  const source: AsyncIterable<string> | string[] = io.readLines ? io.readLines(() => '# ') : new TextDecoder().decode(await io.readStdin()).split('\n');
  let last: ExecResult = { exitCode: 0, stdout: '', stderr: '' };
  for await (const line of source) {
    if (!line.trim()) continue;
    last = await engine.sessionLine(sessionId, line, undefined, printTo(io));
    if (last.exited) return last.exitCode;
  }
  await engine.closeSession(sessionId);
  return last.exitCode;
}

export const create: Command = {
  name: 'create',
  aliases: ['container create'],
  usage: 'layerlab create [OPTIONS] IMAGE [COMMAND] [ARG...]',
  summary: 'Create a new container',
  flags: CREATE_FLAGS,
  minArgs: 1,
  stopAtPositional: true,
  async run(ctx) {
    return asDockerRun(ctx, 'create', async () => {
      await ensureImage(ctx);
      const r = await engineOf(ctx).create(createOptions(ctx));
      ctx.io.out(r.id + '\n');
      return 0;
    });
  },
};

export const run: Command = {
  name: 'run',
  aliases: ['container run'],
  usage: 'layerlab run [OPTIONS] IMAGE [COMMAND] [ARG...]',
  summary: 'Create and run a new container from an image',
  flags: [...CREATE_FLAGS, { long: 'detach', short: 'd', kind: 'bool' }, RUN_TIMEOUT_FLAG],
  minArgs: 1,
  stopAtPositional: true,
  async run(ctx) {
    const engine = engineOf(ctx);
    const detach = !!ctx.args.flags.detach;
    return asDockerRun(ctx, 'run', async () => {
      await ensureImage(ctx);
      const opts = { ...createOptions(ctx), detach, runTimeoutMs: runTimeoutOf(ctx.args.flags) };
      if (detach) {
        // The ID is printed when the container starts; `logs -f` in another terminal follows it.
        // Simulation: the lab has no daemon, so this command's process runs the container's main
        // process and returns when it ends (docker's returns at once).
        // docker prints the ID once the start succeeded: here when the process has printed something
        // or run for STARTED_MS; a program that cannot start fails before, with no ID printed.
        const { id } = await engine.create(opts);
        let shown = false;
        const showId = () => {
          if (!shown) ctx.io.out(id + '\n');
          shown = true;
        };
        const timer = setTimeout(showId, STARTED_MS);
        try {
          await engine.start(id, { interactive: opts.interactive && opts.tty, runTimeoutMs: opts.runTimeoutMs }, showId);
        } finally {
          clearTimeout(timer);
        }
        showId();
        return 0;
      }
      // Attached: the output appears as the process prints it.
      const r = await engine.run(opts, printTo(ctx.io));
      if (r.sessionId) return repl(engine, ctx.io, r.sessionId);
      return r.exitCode ?? 0;
    });
  },
};

export const start: Command = {
  name: 'start',
  aliases: ['container start'],
  usage: 'layerlab start [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Start one or more stopped containers',
  flags: [
    { long: 'attach', short: 'a', kind: 'bool' },
    { long: 'interactive', short: 'i', kind: 'bool' },
  ],
  minArgs: 1,
  async run(ctx) {
    const engine = engineOf(ctx);
    let code = 0;
    for (const ref of ctx.args.positionals) {
      const attach = !!ctx.args.flags.attach;
      const r = await engine.start(ref, { interactive: !!ctx.args.flags.interactive }, attach ? printTo(ctx.io) : undefined);
      if (r.sessionId) code = await repl(engine, ctx.io, r.sessionId);
      else if (attach) code = r.exitCode ?? 0;
      else ctx.io.out(ref + '\n');
    }
    return code;
  },
};

function eachRef(name: string, summary: string, act: (e: ContainerEngine, ref: string) => Promise<string>, flags: FlagSpec[] = []): Command {
  return {
    name,
    aliases: [`container ${name}`],
    usage: `layerlab ${name} [OPTIONS] CONTAINER [CONTAINER...]`,
    summary,
    flags,
    minArgs: 1,
    async run(ctx) {
      let code = 0;
      for (const ref of ctx.args.positionals) {
        try {
          ctx.io.out((await act(engineOf(ctx), ref)) + '\n');
        } catch (e) {
          // docker reports each failure and goes on with the others, exiting 1.
          ctx.io.err(`${e instanceof Error ? e.message : String(e)}\n`);
          code = 1;
        }
      }
      return code;
    },
  };
}

export const stop = eachRef('stop', 'Stop one or more running containers', (e, r) => e.stop(r), [{ long: 'time', short: 't', kind: 'string' }]);
export const restart = eachRef('restart', 'Restart one or more containers', (e, r) => e.restart(r), [{ long: 'time', short: 't', kind: 'string' }]);

export const rm: Command = {
  ...eachRef('rm', 'Remove one or more containers', async () => ''),
  aliases: ['container rm', 'container remove'],
  flags: [
    { long: 'force', short: 'f', kind: 'bool' },
    { long: 'volumes', short: 'v', kind: 'bool' },
  ],
  async run(ctx) {
    let code = 0;
    for (const ref of ctx.args.positionals) {
      try {
        ctx.io.out((await engineOf(ctx).remove(ref, { force: !!ctx.args.flags.force, volumes: !!ctx.args.flags.volumes })) + '\n');
      } catch (e) {
        ctx.io.err(`${e instanceof Error ? e.message : String(e)}\n`);
        code = 1;
      }
    }
    return code;
  },
};

export const exec: Command = {
  name: 'exec',
  aliases: ['container exec'],
  usage: 'layerlab exec [OPTIONS] CONTAINER COMMAND [ARG...]',
  summary: 'Execute a command in a running container',
  flags: [
    { long: 'interactive', short: 'i', kind: 'bool' },
    { long: 'tty', short: 't', kind: 'bool' },
    { long: 'user', short: 'u', kind: 'string' },
    { long: 'workdir', short: 'w', kind: 'string' },
    { long: 'env', short: 'e', kind: 'list' },
    { long: 'detach', short: 'd', kind: 'bool' },
    RUN_TIMEOUT_FLAG,
  ],
  minArgs: 2,
  stopAtPositional: true,
  async run(ctx) {
    const engine = engineOf(ctx);
    const [ref, ...cmd] = ctx.args.positionals;
    const f = ctx.args.flags;
    const opts = { user: str(f.user), workdir: str(f.workdir), env: list(f.env), runTimeoutMs: runTimeoutOf(f) };
    if (f.interactive && cmd.length === 1 && /(^|\/)(sh|bash|ash|dash)$/.test(cmd[0])) {
      const { sessionId } = await engine.openSession(ref, opts);
      return repl(engine, ctx.io, sessionId);
    }
    const stdin = f.interactive ? new TextDecoder().decode(await ctx.io.readStdin()) : undefined;
    const r = await engine.exec(ref, cmd, { ...opts, stdin }, f.detach ? undefined : printTo(ctx.io));
    return r.exitCode;
  },
};

export const ps: Command = {
  name: 'ps',
  aliases: ['container ls', 'container list'],
  usage: 'layerlab ps [OPTIONS]',
  summary: 'List containers',
  flags: [
    { long: 'all', short: 'a', kind: 'bool' },
    { long: 'size', short: 's', kind: 'bool' },
    { long: 'quiet', short: 'q', kind: 'bool' },
    { long: 'no-trunc', kind: 'bool' },
    FORMAT_FLAG,
  ],
  maxArgs: 0,
  async run(ctx) {
    const f = ctx.args.flags;
    const format = formatOf(ctx);
    const rows = await engineOf(ctx).list({ all: !!f.all, size: !!f.size || /\.Size\b/.test(format ?? '') });
    const trunc = !f['no-trunc'];
    const id = (s: string) => (trunc ? s.slice(0, 12) : s);
    if (f.quiet) {
      ctx.io.out(lines(rows.map((r) => id(r.id))));
      return 0;
    }
    const now = ctx.io.now();
    if (format) {
      // docker/cli formatter/container.go ContainerContext; JSON keys sorted as its MarshalJSON writes them.
      const contexts = rows.map((r) =>
        goStruct(
          {
            Command: quotedCommand(r.command, trunc),
            CreatedAt: goTime(r.created),
            ID: id(r.id),
            Image: r.image,
            Labels: '',
            LocalVolumes: String(r.mounts.length),
            Mounts: r.mounts.map((m) => (trunc ? ellipsis(m.name, 15) : m.name)).join(','),
            Names: r.name,
            Networks: 'bridge',
            Ports: r.ports,
            RunningFor: createdAgo(r.created, now),
            Size: r.sizeRootFs ? `${humanSize(r.sizeRw ?? 0)} (virtual ${humanSize(r.sizeRootFs)})` : humanSize(r.sizeRw ?? 0),
            State: r.paused ? 'paused' : r.status,
            Status: status(r, now),
          },
          '*formatter.ContainerContext',
        ),
      );
      const head = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
      return printFormatted(ctx.io, () =>
        formatList(
          {
            rows: contexts,
            headers: {
              Command: 'COMMAND', CreatedAt: 'CREATED AT', ID: 'CONTAINER ID', Image: 'IMAGE', Labels: 'LABELS', LocalVolumes: 'LOCAL VOLUMES', Mounts: 'MOUNTS',
              Names: 'NAMES', Networks: 'NETWORKS', Ports: 'PORTS', RunningFor: 'CREATED', Size: 'SIZE', State: 'STATE', Status: 'STATUS',
            },
            defaultTable: f.size ? head + '\t{{.Size}}' : head,
          },
          format,
        ),
      );
    }
    const head = ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'];
    if (f.size) head.push('SIZE');
    ctx.io.out(
      table([
        head,
        ...rows.map((r) => {
          const row = [id(r.id), r.image, quotedCommand(r.command, trunc), createdAgo(r.created, now), status(r, now), r.ports, r.name];
          if (f.size) row.push(r.sizeRootFs ? `${humanSize(r.sizeRw ?? 0)} (virtual ${humanSize(r.sizeRootFs)})` : humanSize(r.sizeRw ?? 0));
          return row;
        }),
      ]),
    );
    return 0;
  },
};

export const logs: Command = {
  name: 'logs',
  aliases: ['container logs'],
  usage: 'layerlab logs [OPTIONS] CONTAINER',
  summary: 'Fetch the logs of a container',
  flags: [
    { long: 'follow', short: 'f', kind: 'bool' },
    { long: 'timestamps', short: 't', kind: 'bool', description: 'Show timestamps' },
    { long: 'tail', short: 'n', kind: 'string', description: 'Number of lines to show from the end of the logs (default "all")' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const tailFlag = ctx.args.flags.tail;
    const tail = typeof tailFlag === 'string' && tailFlag !== 'all' ? Number(tailFlag) : undefined;
    if (tail !== undefined && !Number.isInteger(tail)) {
      ctx.io.err(`invalid value "${String(tailFlag)}" for flag --tail: not a number\n`);
      return 125;
    }
    const engine = engineOf(ctx);
    const ref = ctx.args.positionals[0];
    const timestamps = !!ctx.args.flags.timestamps;
    const entries = await engine.logs(ref, { timestamps, tail });
    for (const l of entries) (l.stream === 'stdout' ? ctx.io.out : ctx.io.err)(l.text);
    if (!ctx.args.flags.follow) return 0;
    await followOutput(ctx, ref, { timestamps });
    return 0;
  },
};

export const diff: Command = {
  name: 'diff',
  aliases: ['container diff'],
  usage: 'layerlab diff CONTAINER',
  summary: "Inspect changes to files or directories on a container's filesystem",
  flags: [],
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    ctx.io.out(lines((await engineOf(ctx).diff(ctx.args.positionals[0])).map((c) => `${c.kind} ${c.path}`)));
    return 0;
  },
};

export const commit: Command = {
  name: 'commit',
  aliases: ['container commit'],
  usage: 'layerlab commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  summary: "Create a new image from a container's changes",
  flags: [
    { long: 'message', short: 'm', kind: 'string' },
    { long: 'author', short: 'a', kind: 'string' },
    { long: 'change', short: 'c', kind: 'list' },
    { long: 'pause', short: 'p', kind: 'bool', default: 'true' },
  ],
  minArgs: 1,
  maxArgs: 2,
  async run(ctx) {
    const f = ctx.args.flags;
    const [ref, repo] = ctx.args.positionals;
    ctx.io.out((await engineOf(ctx).commit(ref, { repo, message: str(f.message), author: str(f.author), changes: list(f.change) })) + '\n');
    return 0;
  },
};

/** Host files under `path` as copy entries named from its basename (docker cp's archive of a host path). */
function hostEntries(path: string): CopyEntry[] {
  const out: CopyEntry[] = [];
  const walk = (abs: string, rel: string) => {
    const st = lstatSync(abs);
    const mtime = Math.floor(st.mtimeMs / 1000);
    const mode = st.mode & 0o7777;
    if (st.isSymbolicLink()) out.push({ path: rel, type: 'symlink', mode, mtime, linkTarget: readlinkSync(abs) });
    else if (st.isDirectory()) {
      out.push({ path: rel, type: 'dir', mode, mtime });
      for (const n of readdirSync(abs).sort()) walk(join(abs, n), `${rel}/${n}`);
    } else out.push({ path: rel, type: 'file', mode, mtime, data: new Uint8Array(readFileSync(abs)) });
  };
  walk(path, basename(path));
  return out;
}

function writeHost(entries: CopyEntry[], dest: string): number {
  const into = existsSync(dest) && statSync(dest).isDirectory();
  const tops = new Set(entries.map((e) => e.path.split('/')[0]));
  let bytes = 0;
  for (const e of entries) {
    const p = into ? join(dest, e.path) : tops.size === 1 ? join(dest, e.path.split('/').slice(1).join('/')) : join(dest, e.path);
    if (e.type === 'dir') mkdirSync(p, { recursive: true });
    else if (e.type === 'symlink') symlinkSync(e.linkTarget ?? '', p);
    else {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, e.data ?? new Uint8Array());
      chmodSync(p, e.mode & 0o777);
      bytes += e.data?.length ?? 0;
    }
  }
  return bytes;
}

export const cp: Command = {
  name: 'cp',
  aliases: ['container cp'],
  usage: 'layerlab cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tlayerlab cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
  summary: 'Copy files/folders between a container and the local filesystem',
  flags: [
    { long: 'archive', short: 'a', kind: 'bool' },
    { long: 'follow-link', short: 'L', kind: 'bool' },
    { long: 'quiet', short: 'q', kind: 'bool' },
  ],
  minArgs: 2,
  maxArgs: 2,
  async run(ctx) {
    const engine = engineOf(ctx);
    const [src, dst] = ctx.args.positionals;
    const remote = (s: string) => /^[^/.][^:]*:/.test(s);
    if (remote(src) && remote(dst)) throw new LayerlabError('cli/cp', 'Error: copying between containers is not supported', { data: {} });
    if (remote(src)) {
      const i = src.indexOf(':');
      const [ref, path] = [src.slice(0, i), src.slice(i + 1)];
      if (dst === '-') {
        ctx.io.outBytes(await engine.cpOut(ref, path));
        return 0;
      }
      const bytes = writeHost(await engine.cpOutEntries(ref, path), resolve(ctx.io.cwd, dst));
      if (!ctx.args.flags.quiet) ctx.io.err(`Successfully copied ${humanSize(bytes)} to ${resolve(ctx.io.cwd, dst)}\n`);
      return 0;
    }
    if (!remote(dst)) throw new LayerlabError('cli/cp', 'Error: must specify at least one container source', { data: {} });
    const i = dst.indexOf(':');
    const [ref, path] = [dst.slice(0, i), dst.slice(i + 1)];
    if (src === '-') {
      await engine.cpIn(ref, path, await ctx.io.readStdin());
      return 0;
    }
    const entries = hostEntries(resolve(ctx.io.cwd, src));
    await engine.cpInEntries(ref, path, entries);
    const bytes = entries.reduce((n, e) => n + (e.data?.length ?? 0), 0);
    if (!ctx.args.flags.quiet) ctx.io.err(`Successfully copied ${humanSize(bytes)} to ${ref}:${path}\n`);
    return 0;
  },
};

export const exportCmd: Command = {
  name: 'export',
  aliases: ['container export'],
  usage: 'layerlab export [OPTIONS] CONTAINER',
  summary: "Export a container's filesystem as a tar archive",
  flags: [{ long: 'output', short: 'o', kind: 'string' }],
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const out = str(ctx.args.flags.output);
    if (!out && ctx.io.stdoutIsTty) {
      ctx.io.err('cowardly refusing to save to a terminal. Use the -o flag or redirect\n');
      return 1;
    }
    const tar = await engineOf(ctx).export(ctx.args.positionals[0]);
    if (out) writeFileSync(resolve(ctx.io.cwd, out), tar);
    else ctx.io.outBytes(tar);
    return 0;
  },
};

/** docker's `[y/N]` prompt unless `--force`; true to go on. */
export async function confirm(ctx: CommandContext, warning: string): Promise<boolean> {
  if (ctx.args.flags.force) return true;
  ctx.io.out(`${warning}\nAre you sure you want to continue? [y/N] `);
  const answer = new TextDecoder().decode(await ctx.io.readStdin()).trim().toLowerCase();
  return answer === 'y' || answer === 'yes';
}

export const containerPrune: Command = {
  name: 'container prune',
  usage: 'layerlab container prune [OPTIONS]',
  summary: 'Remove all stopped containers',
  flags: [{ long: 'force', short: 'f', kind: 'bool' }],
  maxArgs: 0,
  async run(ctx) {
    if (!(await confirm(ctx, 'WARNING! This will remove all stopped containers.'))) return 0;
    const r = await engineOf(ctx).prune();
    if (r.deleted.length) ctx.io.out(`Deleted Containers:\n${lines(r.deleted)}\n`);
    ctx.io.out(`Total reclaimed space: ${humanSize(r.reclaimed, 4)}\n`);
    return 0;
  },
};

export const imagePrune: Command = {
  name: 'image prune',
  usage: 'layerlab image prune [OPTIONS]',
  summary: 'Remove unused images',
  flags: [
    { long: 'all', short: 'a', kind: 'bool', description: 'Remove all unused images, not just dangling ones' },
    { long: 'force', short: 'f', kind: 'bool' },
  ],
  maxArgs: 0,
  async run(ctx) {
    const all = !!ctx.args.flags.all;
    if (!(await confirm(ctx, all ? 'WARNING! This will remove all images without at least one container associated to them.' : 'WARNING! This will remove all dangling images.'))) return 0;
    const r = await ctx.engine.images.prune({ all });
    if (r.lines?.length) ctx.io.out(`Deleted Images:\n${lines(r.lines)}\n`);
    ctx.io.out(`Total reclaimed space: ${humanSize(r.reclaimed, 4)}\n`);
    return 0;
  },
};

export const builderPrune: Command = {
  name: 'builder prune',
  aliases: ['buildx prune'],
  usage: 'layerlab builder prune [OPTIONS]',
  summary: 'Remove build cache',
  flags: [
    { long: 'all', short: 'a', kind: 'bool', description: 'Remove all unused build cache, not just dangling ones' },
    { long: 'force', short: 'f', kind: 'bool', description: 'Do not prompt for confirmation' },
  ],
  maxArgs: 0,
  async run(ctx) {
    // docker/cli builder/prune.go: the warning names dangling or all cache; the total is what was freed.
    const warning = ctx.args.flags.all ? 'WARNING! This will remove all build cache.' : 'WARNING! This will remove all dangling build cache.';
    if (!(await confirm(ctx, warning))) return 0;
    const before = (await ctx.engine.containers.systemDf()).buildCache.size;
    await ctx.engine.builds.pruneCache();
    ctx.io.out(`Total:\t${humanSize(before, 4)}\n`);
    return 0;
  },
};

export const containerInspect: Command = {
  name: 'container inspect',
  usage: 'layerlab container inspect [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Display detailed information on one or more containers',
  flags: [{ long: 'format', short: 'f', kind: 'string' }],
  minArgs: 1,
  async run(ctx) {
    const found: unknown[] = [];
    const errors: string[] = [];
    for (const ref of ctx.args.positionals) {
      try {
        found.push(await engineOf(ctx).inspect(ref));
      } catch (e) {
        if (e instanceof LayerlabError && e.code === 'container/not-found') errors.push(`Error: No such container: ${ref}`);
        else throw e;
      }
    }
    const code = printFormatted(ctx.io, () => formatInspect(found, formatOf(ctx)));
    for (const e of errors) ctx.io.err(e + '\n');
    return errors.length ? 1 : code;
  },
};

export const volumeLs: Command = {
  name: 'volume ls',
  aliases: ['volume list'],
  usage: 'layerlab volume ls [OPTIONS]',
  summary: 'List volumes',
  flags: [{ long: 'quiet', short: 'q', kind: 'bool' }, FORMAT_FLAG],
  maxArgs: 0,
  async run(ctx) {
    const vols = await engineOf(ctx).volumeLs();
    const format = formatOf(ctx);
    if (ctx.args.flags.quiet) ctx.io.out(lines(vols.map((v) => v.name)));
    else if (format) {
      // docker/cli formatter/volume.go volumeContext.
      const rows = vols.map((v) =>
        goStruct(
          {
            Driver: 'local',
            Labels: Object.entries(v.labels).map(([k, x]) => `${k}=${x}`).join(','),
            Links: 'N/A',
            Mountpoint: `/var/lib/docker/volumes/${v.name}/_data`,
            Name: v.name,
            Scope: 'local',
            Size: 'N/A',
          },
          '*formatter.volumeContext',
        ),
      );
      return printFormatted(ctx.io, () =>
        formatList(
          { rows, headers: { Driver: 'DRIVER', Labels: 'LABELS', Links: 'LINKS', Mountpoint: 'MOUNTPOINT', Name: 'VOLUME NAME', Scope: 'SCOPE', Size: 'SIZE' }, defaultTable: 'table {{.Driver}}\t{{.Name}}' },
          format,
        ),
      );
    } else ctx.io.out(table([['DRIVER', 'VOLUME NAME'], ...vols.map((v) => ['local', v.name])]));
    return 0;
  },
};

export const volumeCreate: Command = {
  name: 'volume create',
  usage: 'layerlab volume create [OPTIONS] [VOLUME]',
  summary: 'Create a volume',
  flags: [{ long: 'label', kind: 'list' }],
  maxArgs: 1,
  async run(ctx) {
    const labels = Object.fromEntries(list(ctx.args.flags.label).map((l) => [l.split('=')[0], l.slice(l.indexOf('=') + 1)]));
    ctx.io.out((await engineOf(ctx).volumeCreate(ctx.args.positionals[0], { labels })) + '\n');
    return 0;
  },
};

export const volumeRm: Command = {
  name: 'volume rm',
  aliases: ['volume remove'],
  usage: 'layerlab volume rm [OPTIONS] VOLUME [VOLUME...]',
  summary: 'Remove one or more volumes',
  flags: [{ long: 'force', short: 'f', kind: 'bool' }],
  minArgs: 1,
  async run(ctx) {
    let code = 0;
    for (const name of ctx.args.positionals) {
      try {
        ctx.io.out((await engineOf(ctx).volumeRm(name, { force: !!ctx.args.flags.force })) + '\n');
      } catch (e) {
        ctx.io.err(`${e instanceof Error ? e.message : String(e)}\n`);
        code = 1;
      }
    }
    return code;
  },
};

export const volumePrune: Command = {
  name: 'volume prune',
  usage: 'layerlab volume prune [OPTIONS]',
  summary: 'Remove unused local volumes',
  flags: [
    { long: 'all', short: 'a', kind: 'bool', description: 'Remove all unused volumes, not just anonymous ones' },
    { long: 'force', short: 'f', kind: 'bool', description: 'Do not prompt for confirmation' },
  ],
  maxArgs: 0,
  async run(ctx) {
    // docker 23+: only anonymous volumes unless --all; a volume any container mounts is kept.
    const all = !!ctx.args.flags.all;
    const warning = all ? 'WARNING! This will remove all local volumes not used by at least one container.' : 'WARNING! This will remove anonymous local volumes not used by at least one container.';
    if (!(await confirm(ctx, warning))) return 0;
    const { deleted, reclaimed } = await engineOf(ctx).volumePrune({ all });
    if (deleted.length) ctx.io.out(`Deleted Volumes:\n${deleted.join('\n')}\n\n`);
    ctx.io.out(`Total reclaimed space: ${humanSize(reclaimed, 4)}\n`);
    return 0;
  },
};

export const volumeInspect: Command = {
  name: 'volume inspect',
  usage: 'layerlab volume inspect [OPTIONS] VOLUME [VOLUME...]',
  summary: 'Display detailed information on one or more volumes',
  flags: [{ long: 'format', short: 'f', kind: 'string' }],
  minArgs: 1,
  async run(ctx) {
    const found: unknown[] = [];
    let code = 0;
    for (const name of ctx.args.positionals) {
      try {
        found.push(await engineOf(ctx).volumeInspect(name));
      } catch (e) {
        ctx.io.err(`${e instanceof Error ? e.message : String(e)}\n`);
        code = 1;
      }
    }
    return printFormatted(ctx.io, () => formatInspect(found, formatOf(ctx))) || code;
  },
};

/** `system df` tables exactly as docker/cli `formatter/disk_usage.go` prints them. */
function formatDf(df: DfReport, verbose: boolean, now: number): string {
  const h4 = (n: number) => humanSize(n, 4);
  const recl = (size: number, r: number) => (size > 0 ? `${h4(r)} (${Math.trunc((r * 100) / size)}%)` : h4(r));
  if (!verbose) {
    return table([
      ['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'],
      ['Images', String(df.images.total), String(df.images.active), h4(df.images.size), recl(df.images.size, df.images.reclaimable)],
      ['Containers', String(df.containers.total), String(df.containers.active), h4(df.containers.size), recl(df.containers.size, df.containers.reclaimable)],
      ['Local Volumes', String(df.volumes.total), String(df.volumes.active), h4(df.volumes.size), recl(df.volumes.size, df.volumes.reclaimable)],
      ['Build Cache', String(df.buildCache.total), String(df.buildCache.active), h4(df.buildCache.size), h4(df.buildCache.reclaimable)],
    ]);
  }
  const images = table([
    ['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE', 'SHARED SIZE', 'UNIQUE SIZE', 'CONTAINERS'],
    ...df.images.items.map((i) => [i.repository, i.tag, short(i.imageId), createdAgo(i.created, now), humanSize(i.size), h4(i.sharedSize), h4(i.uniqueSize), String(i.containers)]),
  ]);
  const containers = table([
    ['CONTAINER ID', 'IMAGE', 'COMMAND', 'LOCAL VOLUMES', 'SIZE', 'CREATED', 'STATUS', 'NAMES'],
    ...df.containers.items.map((c) => [c.id.slice(0, 12), c.image, quotedCommand(c.command, true), String(c.mounts.length), humanSize(c.sizeRw ?? 0), createdAgo(c.created, now), status(c, now), c.name]),
  ]);
  const volumes = table([['VOLUME NAME', 'LINKS', 'SIZE'], ...df.volumes.items.map((v) => [v.name, String(v.refCount), h4(v.size)])]);
  const cache = table([['CACHE ID', 'CACHE TYPE', 'SIZE', 'CREATED', 'LAST USED', 'USAGE', 'SHARED']]);
  return `Images space usage:\n\n${images}\nContainers space usage:\n\n${containers}\nLocal Volumes space usage:\n\n${volumes}\nBuild cache usage: ${h4(df.buildCache.size)}\n\n${cache}`;
}

export const systemDf: Command = {
  name: 'system df',
  usage: 'layerlab system df [OPTIONS]',
  summary: 'Show docker disk usage',
  flags: [{ long: 'verbose', short: 'v', kind: 'bool' }, FORMAT_FLAG],
  maxArgs: 0,
  async run(ctx) {
    const df = await engineOf(ctx).systemDf();
    const format = formatOf(ctx);
    if (format && !ctx.args.flags.verbose) {
      // docker/cli formatter/disk_usage.go diskUsage*Context rows.
      const h4 = (n: number) => humanSize(n, 4);
      const recl = (size: number, r: number) => (size > 0 ? `${h4(r)} (${Math.trunc((r * 100) / size)}%)` : h4(r));
      const row = (Type: string, x: { total: number; active: number; size: number; reclaimable: number }, pct = true) =>
        goStruct({ Active: String(x.active), Reclaimable: pct ? recl(x.size, x.reclaimable) : h4(x.reclaimable), Size: h4(x.size), TotalCount: String(x.total), Type }, '*formatter.diskUsageContext');
      const rows = [row('Images', df.images), row('Containers', df.containers), row('Local Volumes', df.volumes), row('Build Cache', df.buildCache, false)];
      return printFormatted(ctx.io, () =>
        formatList(
          {
            rows,
            headers: { Active: 'ACTIVE', Reclaimable: 'RECLAIMABLE', Size: 'SIZE', TotalCount: 'TOTAL', Type: 'TYPE' },
            defaultTable: 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}',
          },
          format,
        ),
      );
    }
    ctx.io.out(formatDf(df, !!ctx.args.flags.verbose, ctx.io.now()));
    return 0;
  },
};
