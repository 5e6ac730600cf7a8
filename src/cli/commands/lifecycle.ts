/**
 * More container commands with the docker CLI's output: `kill`, `pause`, `unpause`, `rename`,
 * `top`, `wait`, `attach`, `stats`, and `system prune`. Each CLI run is its own process over the
 * on-disk store, so `wait` polls the persisted state until another process (`stop`, `kill`)
 * ends the container, as `docker wait` blocks until the daemon reports the exit.
 */
import type { FlagSpec } from '../args.ts';
import type { Command, CommandContext } from '../command.ts';
import { humanSize, table } from '../format.ts';
import { confirm, followOutput } from './containers.ts';

const lines = (xs: readonly string[]) => xs.map((l) => l + '\n').join('');

/** A command that acts on each CONTAINER argument, printing it, reporting failures and going on (exit 1). */
function eachContainer(name: string, summary: string, act: (ctx: CommandContext, ref: string) => Promise<string>, flags: FlagSpec[] = []): Command {
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
          ctx.io.out((await act(ctx, ref)) + '\n');
        } catch (e) {
          ctx.io.err(`${e instanceof Error ? e.message : String(e)}\n`);
          code = 1;
        }
      }
      return code;
    },
  };
}

export const kill = eachContainer('kill', 'Kill one or more running containers', (ctx, ref) => ctx.engine.containers.kill(ref, typeof ctx.args.flags.signal === 'string' ? ctx.args.flags.signal : 'KILL'), [
  { long: 'signal', short: 's', kind: 'string', description: 'Signal to send to the container (default "KILL")' },
]);
export const pause = eachContainer('pause', 'Pause all processes within one or more containers', (ctx, ref) => ctx.engine.containers.pause(ref));
export const unpause = eachContainer('unpause', 'Unpause all processes within one or more containers', (ctx, ref) => ctx.engine.containers.unpause(ref));

export const rename: Command = {
  name: 'rename',
  aliases: ['container rename'],
  usage: 'layerlab rename CONTAINER NEW_NAME',
  summary: 'Rename a container',
  flags: [],
  minArgs: 2,
  maxArgs: 2,
  async run(ctx) {
    const [ref, name] = ctx.args.positionals;
    // docker/cli container/rename.go: an empty name is refused before the daemon is asked.
    if (!name.trim()) {
      ctx.io.err('Error: neither old nor new names may be empty\n');
      return 1;
    }
    await ctx.engine.containers.rename(ref, name);
    return 0;
  },
};

export const top: Command = {
  name: 'top',
  aliases: ['container top'],
  usage: 'layerlab top CONTAINER [ps OPTIONS]',
  summary: 'Display the running processes of a container',
  flags: [],
  minArgs: 1,
  async run(ctx) {
    const r = await ctx.engine.containers.top(ctx.args.positionals[0]);
    // docker/cli container/top.go: a tabwriter (20, 1, 3, ' ') table.
    const widths = r.titles.map((t, i) => Math.max(20, Math.max(t.length, ...r.processes.map((p) => p[i].length)) + 3));
    const row = (cells: string[]) => cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]) : c)).join('');
    ctx.io.out(lines([row(r.titles), ...r.processes.map(row)]));
    return 0;
  },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const wait: Command = {
  name: 'wait',
  aliases: ['container wait'],
  usage: 'layerlab wait CONTAINER [CONTAINER...]',
  summary: 'Block until one or more containers stop, then print their exit codes',
  flags: [],
  minArgs: 1,
  async run(ctx) {
    let code = 0;
    for (const ref of ctx.args.positionals) {
      try {
        // docker wait (condition not-running): a created or running container is waited for.
        let s = await ctx.engine.containers.waitState(ref);
        while (s.status !== 'exited') {
          await sleep(200);
          s = await ctx.engine.containers.waitState(ref);
        }
        ctx.io.out(`${s.exitCode}\n`);
      } catch (e) {
        ctx.io.err(`${e instanceof Error ? e.message : String(e)}\n`);
        code = 1;
      }
    }
    return code;
  },
};

export const attach: Command = {
  name: 'attach',
  aliases: ['container attach'],
  usage: 'layerlab attach [OPTIONS] CONTAINER',
  summary: "Attach local standard input, output, and error streams to a running container",
  flags: [
    { long: 'no-stdin', kind: 'bool' },
    { long: 'sig-proxy', kind: 'bool', default: 'true' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const ref = ctx.args.positionals[0];
    const s = await ctx.engine.containers.waitState(ref);
    if (s.status !== 'running') {
      // docker/cli container/attach.go: a client-side error, printed as it is.
      ctx.io.err('You cannot attach to a stopped container, start it first\n');
      return 1;
    }
    // Output only. Simulation: the main process runs inside the command that started it (`run -d`),
    // so its stdin cannot be joined from here; what it prints from now on is followed until it
    // exits, and attach exits with its code, as docker's does.
    return followOutput(ctx, ref);
  },
};

const pct = (n: number) => `${n.toFixed(2)}%`;
const binSize = (n: number) => {
  // go-units BytesSize (binary units), as docker stats prints memory.
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) (n /= 1024), i++;
  return `${Number(n.toFixed(3)).toString().replace(/(\.\d{0,3})\d*$/, '$1')}${units[i]}`;
};

export const stats: Command = {
  name: 'stats',
  aliases: ['container stats'],
  usage: 'layerlab stats [OPTIONS] [CONTAINER...]',
  summary: 'Display a live stream of container(s) resource usage statistics',
  flags: [
    { long: 'all', short: 'a', kind: 'bool' },
    { long: 'no-stream', kind: 'bool' },
    { long: 'no-trunc', kind: 'bool' },
  ],
  async run(ctx) {
    const rows = await ctx.engine.containers.stats(ctx.args.positionals, { all: !!ctx.args.flags.all });
    const trunc = !ctx.args.flags['no-trunc'];
    // docker/cli formatter/stats.go default table; sizes: memory in binary units, I/O in decimal.
    ctx.io.out(
      table([
        ['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'],
        ...rows.map((r) => [
          trunc ? r.id.slice(0, 12) : r.id,
          r.name,
          r.pids ? pct(r.cpuPercent) : '--',
          r.pids ? `${binSize(r.memUsage)} / ${binSize(r.memLimit)}` : '0B / 0B',
          r.pids ? pct(r.memLimit ? (r.memUsage * 100) / r.memLimit : 0) : '--',
          `${humanSize(r.netRx)} / ${humanSize(r.netTx)}`,
          `${humanSize(r.blockRead)} / ${humanSize(r.blockWrite)}`,
          String(r.pids),
        ]),
      ]),
    );
    // Simulation: without --no-stream docker keeps redrawing; the lab's numbers do not change, so one sample is printed.
    return 0;
  },
};

export const systemPrune: Command = {
  name: 'system prune',
  usage: 'layerlab system prune [OPTIONS]',
  summary: 'Remove unused data',
  flags: [
    { long: 'all', short: 'a', kind: 'bool', description: 'Remove all unused images not just dangling ones' },
    { long: 'force', short: 'f', kind: 'bool', description: 'Do not prompt for confirmation' },
    { long: 'volumes', kind: 'bool', description: 'Prune anonymous volumes' },
  ],
  maxArgs: 0,
  async run(ctx) {
    const all = !!ctx.args.flags.all;
    const volumes = !!ctx.args.flags.volumes;
    // docker/cli system/prune.go confirmationMessage, in its order.
    const warnings = ['all stopped containers'];
    if (volumes) warnings.push('all anonymous volumes not used by at least one container');
    warnings.push('all networks not used by at least one container');
    warnings.push(all ? 'all images without at least one container associated to them' : 'all dangling images');
    warnings.push(all ? 'all build cache' : 'unused build cache');
    if (!(await confirm(ctx, `WARNING! This will remove:\n${warnings.map((w) => `  - ${w}`).join('\n')}\n`))) return 0;
    const c = ctx.engine.containers;
    let reclaimed = 0;
    const containers = await c.prune();
    reclaimed += containers.reclaimed;
    if (containers.deleted.length) ctx.io.out(`Deleted Containers:\n${lines(containers.deleted)}\n`);
    if (volumes) {
      const victims = (await c.volumeLs()).filter((v) => v.refCount === 0 && v.anonymous);
      const deleted: string[] = [];
      for (const v of victims) {
        deleted.push(await c.volumeRm(v.name));
        reclaimed += v.size;
      }
      if (deleted.length) ctx.io.out(`Deleted Volumes:\n${lines(deleted)}\n`);
    }
    const images = await ctx.engine.images.prune({ all });
    reclaimed += images.reclaimed;
    if (images.lines?.length) ctx.io.out(`Deleted Images:\n${lines(images.lines)}\n`);
    // Simulation: BuildKit lists each removed cache record's ID; the lab's cache records have none, so only their size counts.
    const cacheSize = (await c.systemDf()).buildCache.size;
    if ((await ctx.engine.builds.pruneCache()) > 0) reclaimed += cacheSize;
    ctx.io.out(`Total reclaimed space: ${humanSize(reclaimed, 4)}\n`);
    return 0;
  },
};
