/**
 * `push`, `pull` (from the lab's registries), `manifest inspect`, and the lab extras
 * `registry ls`, `registry rm-tag`, `registry gc`. They call the engine's registry service
 * (`engine.registries`, RegistryEngine in src/engine/registry/api.ts).
 */
import { LayerlabError } from '../../engine/errors.ts';
import type { Command } from '../command.ts';
import { humanSize, table } from '../format.ts';
import { pullPrinter } from '../pull-progress.ts';

const lines = (ls: string[]) => ls.map((l) => l + '\n').join('');

export const registryPush: Command = {
  name: 'push',
  aliases: ['image push'],
  usage: 'layerlab push [OPTIONS] NAME[:TAG]',
  summary: 'Upload an image to a registry',
  flags: [{ long: 'quiet', short: 'q', kind: 'bool', description: 'Suppress verbose output' }],
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const res = await ctx.engine.registries.push(ctx.args.positionals[0]);
    ctx.io.out(ctx.args.flags.quiet ? res.reference + '\n' : lines(res.lines));
    return 0;
  },
};

export const registryPull: Command = {
  name: 'pull',
  aliases: ['image pull'],
  usage: 'layerlab pull [OPTIONS] NAME[:TAG|@DIGEST]',
  summary: 'Download an image from a registry',
  flags: [
    { long: 'platform', kind: 'string', description: 'Set platform if server is multi-platform capable' },
    { long: 'quiet', short: 'q', kind: 'bool', description: 'Suppress verbose output' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const platform = ctx.args.flags.platform as string | undefined;
    if (ctx.args.flags.quiet) {
      const res = await ctx.engine.registries.pull(ctx.args.positionals[0], { platform });
      ctx.io.out(res.lines[res.lines.length - 1] + '\n');
      return 0;
    }
    // Live, like `docker pull`: each line and layer status as the engine reaches it (pull-progress.ts).
    await ctx.engine.registries.pull(ctx.args.positionals[0], { platform, ...pullPrinter(ctx.io.out, ctx.io.stdoutIsTty) });
    return 0;
  },
};

export const manifestInspect: Command = {
  name: 'manifest inspect',
  usage: 'layerlab manifest inspect [OPTIONS] [MANIFEST_LIST] MANIFEST',
  summary: 'Display an image manifest, or manifest list',
  flags: [
    { long: 'insecure', kind: 'bool', description: 'Allow communication with an insecure registry' },
    { long: 'verbose', short: 'v', kind: 'bool', description: 'Output additional info including layers and platform' },
  ],
  minArgs: 1,
  maxArgs: 2,
  async run(ctx) {
    if (ctx.args.positionals.length === 2) {
      // Simulation: there is no local manifest-list store (`docker manifest create`), so the two-argument form finds nothing.
      throw new LayerlabError('registry/manifest-unknown', `No such manifest: ${ctx.args.positionals[1]}`, { data: { ref: ctx.args.positionals[1] } });
    }
    const res = await ctx.engine.registries.inspectManifest(ctx.args.positionals[0], { verbose: !!ctx.args.flags.verbose });
    ctx.io.out(res.text);
    return 0;
  },
};

export const registryLs: Command = {
  name: 'registry ls',
  usage: 'layerlab registry ls',
  summary: 'List the lab registries, their repositories and tags',
  flags: [],
  maxArgs: 0,
  async run(ctx) {
    const regs = await ctx.engine.registries.list();
    const rows = [['REGISTRY', 'REPOSITORY', 'TAGS', 'BLOBS']];
    for (const r of regs) {
      for (const repo of r.repositories) rows.push([r.host, repo.name, repo.tags.map((t) => t.tag).join(', ') || '<none>', String(repo.blobs)]);
      if (r.repositories.length === 0) rows.push([r.host, '<none>', '', '0']);
    }
    ctx.io.out(table(rows));
    for (const r of regs) {
      ctx.io.out(`\n${r.host}: ${r.blobCount} blobs, ${humanSize(r.blobBytes)}${r.available.length ? `; not yet fetched: ${r.available.join(', ')}` : ''}\n`);
    }
    return 0;
  },
};

export const registryRmTag: Command = {
  name: 'registry rm-tag',
  usage: 'layerlab registry rm-tag NAME:TAG [NAME:TAG...]',
  summary: 'Delete tags in a registry (blobs stay until registry gc)',
  flags: [],
  minArgs: 1,
  async run(ctx) {
    const eng = ctx.engine.registries;
    for (const ref of ctx.args.positionals) ctx.io.out(lines(await eng.deleteTag(ref)));
    return 0;
  },
};

export const registryGc: Command = {
  name: 'registry gc',
  usage: 'layerlab registry gc [HOST]',
  summary: "Remove a registry's untagged manifests and unreferenced blobs (garbage-collect --delete-untagged)",
  flags: [{ long: 'dry-run', short: 'd', kind: 'bool', description: 'do everything except remove the blobs' }],
  maxArgs: 1,
  async run(ctx) {
    const res = await ctx.engine.registries.gc(ctx.args.positionals[0], { dryRun: !!ctx.args.flags['dry-run'] });
    ctx.io.out(lines(res.lines));
    return 0;
  },
};
