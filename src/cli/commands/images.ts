/** `images`, `image inspect`, `history`, `tag`, `rmi`. */
import { shortId } from '../../engine/digest.ts';
import type { Command } from '../command.ts';
import { createdAgo, ellipsis, goTime, humanSize, table } from '../format.ts';
import { LayerlabError } from '../../engine/errors.ts';
import { formatInspect, formatList, printFormatted } from '../cli-format.ts';
import { goStruct } from '../go-template.ts';

const FORMAT_FLAG = { long: 'format', kind: 'string', description: 'Format output using a custom template' } as const;

export const images: Command = {
  name: 'images',
  aliases: ['image ls', 'image list'],
  usage: 'layerlab images [OPTIONS] [REPOSITORY[:TAG]]',
  summary: 'List images',
  flags: [
    { long: 'all', short: 'a', kind: 'bool' },
    { long: 'quiet', short: 'q', kind: 'bool' },
    { long: 'no-trunc', kind: 'bool' },
    FORMAT_FLAG,
  ],
  maxArgs: 1,
  async run({ engine, args, io }) {
    let rows = await engine.images.list();
    const filter = args.positionals[0];
    if (filter) {
      const [repo, tag] = filter.includes(':') ? [filter.slice(0, filter.lastIndexOf(':')), filter.slice(filter.lastIndexOf(':') + 1)] : [filter, undefined];
      rows = rows.filter((r) => r.repository === repo && (tag === undefined || r.tag === tag));
    }
    const id = (d: string) => (args.flags['no-trunc'] ? d : shortId(d));
    if (args.flags.quiet) {
      io.out([...new Set(rows.map((r) => id(r.imageId)))].map((l) => l + '\n').join(''));
      return 0;
    }
    const now = io.now();
    const format = typeof args.flags.format === 'string' ? args.flags.format : undefined;
    if (!format) {
      io.out(table([['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'], ...rows.map((r) => [r.repository, r.tag, id(r.imageId), createdAgo(r.created, now), humanSize(r.size)])]));
      return 0;
    }
    // docker/cli formatter/image.go imageContext: its fields, JSON keys sorted as its MarshalJSON writes them.
    const contexts = rows.map((r) =>
      goStruct(
        {
          Containers: 'N/A',
          CreatedAt: goTime(r.created),
          CreatedSince: createdAgo(r.created, now),
          Digest: '<none>',
          ID: id(r.imageId),
          Repository: r.repository,
          SharedSize: 'N/A',
          Size: humanSize(r.size),
          Tag: r.tag,
          UniqueSize: 'N/A',
          VirtualSize: humanSize(r.size),
        },
        '*formatter.imageContext',
      ),
    );
    return printFormatted(io, () =>
      formatList(
        {
          rows: contexts,
          headers: { Containers: 'CONTAINERS', CreatedAt: 'CREATED AT', CreatedSince: 'CREATED', Digest: 'DIGEST', ID: 'IMAGE ID', Repository: 'REPOSITORY', SharedSize: 'SHARED SIZE', Size: 'SIZE', Tag: 'TAG', UniqueSize: 'UNIQUE SIZE', VirtualSize: 'VIRTUAL SIZE' },
          defaultTable: 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}',
        },
        format,
      ),
    );
  },
};

export const inspect: Command = {
  name: 'image inspect',
  usage: 'layerlab image inspect [OPTIONS] IMAGE [IMAGE...]',
  summary: 'Display detailed information on one or more images',
  flags: [{ long: 'format', short: 'f', kind: 'string' }],
  minArgs: 1,
  async run({ engine, args, io }) {
    const found: unknown[] = [];
    const errors: string[] = [];
    for (const ref of args.positionals) {
      try {
        found.push(await engine.images.inspect(ref));
      } catch (e) {
        if (e instanceof LayerlabError && e.code === 'image/not-found') errors.push(`Error: No such image: ${ref}`);
        else throw e;
      }
    }
    const code = printFormatted(io, () => formatInspect(found, typeof args.flags.format === 'string' ? args.flags.format : undefined));
    for (const e of errors) io.err(e + '\n');
    return errors.length ? 1 : code;
  },
};

export const history: Command = {
  name: 'history',
  aliases: ['image history'],
  usage: 'layerlab history [OPTIONS] IMAGE',
  summary: 'Show the history of an image',
  flags: [
    { long: 'no-trunc', kind: 'bool' },
    { long: 'quiet', short: 'q', kind: 'bool' },
    { long: 'human', short: 'H', kind: 'bool', default: 'true' },
    FORMAT_FLAG,
  ],
  minArgs: 1,
  maxArgs: 1,
  async run({ engine, args, io }) {
    const rows = await engine.images.history(args.positionals[0]);
    const noTrunc = !!args.flags['no-trunc'];
    const id = (d: string) => (d === '<missing>' ? d : noTrunc ? d : shortId(d));
    if (args.flags.quiet) {
      io.out(rows.map((r) => id(r.id) + '\n').join(''));
      return 0;
    }
    const now = io.now();
    const human = args.flags.human !== false && args.flags.human !== 'false';
    const format = typeof args.flags.format === 'string' ? args.flags.format : undefined;
    if (format) {
      // docker/cli formatter/history.go historyContext.
      const contexts = rows.map((r) =>
        goStruct(
          {
            Comment: r.comment,
            CreatedAt: human ? goTime(r.created) : (r.created ?? ''),
            CreatedBy: noTrunc ? r.createdBy : ellipsis(r.createdBy.replace(/\t/g, ' '), 45),
            CreatedSince: human ? createdAgo(r.created, now) : (r.created ?? ''),
            ID: id(r.id),
            Size: human ? humanSize(r.size) : String(r.size),
          },
          '*formatter.historyContext',
        ),
      );
      return printFormatted(io, () =>
        formatList(
          {
            rows: contexts,
            headers: { Comment: 'COMMENT', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', CreatedSince: 'CREATED', ID: 'IMAGE', Size: 'SIZE' },
            defaultTable: 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}',
          },
          format,
        ),
      );
    }
    io.out(
      table([
        ['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'],
        ...rows.map((r) => {
          const by = r.createdBy.replace(/\t/g, ' ');
          return [
            id(r.id),
            human ? createdAgo(r.created, now) : (r.created ?? ''),
            noTrunc ? by : ellipsis(by, 45),
            human ? humanSize(r.size) : String(r.size),
            r.comment,
          ];
        }),
      ]),
    );
    return 0;
  },
};

export const tag: Command = {
  name: 'tag',
  aliases: ['image tag'],
  usage: 'layerlab tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  summary: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  flags: [],
  minArgs: 2,
  maxArgs: 2,
  async run({ engine, args }) {
    await engine.images.tag(args.positionals[0], args.positionals[1]);
    return 0;
  },
};

export const rmi: Command = {
  name: 'rmi',
  aliases: ['image rm', 'image remove'],
  usage: 'layerlab rmi [OPTIONS] IMAGE [IMAGE...]',
  summary: 'Remove one or more images',
  flags: [
    { long: 'force', short: 'f', kind: 'bool' },
    { long: 'no-prune', kind: 'bool' },
  ],
  minArgs: 1,
  async run({ engine, args, io }) {
    let status = 0;
    for (const ref of args.positionals) {
      try {
        const lines = await engine.images.remove([ref], { force: !!args.flags.force });
        io.out(lines.map((l) => l + '\n').join(''));
      } catch (e) {
        // docker rmi reports each failure and goes on with the others, exiting 1.
        io.err(`${e instanceof Error ? e.message : String(e)}\n`);
        status = 1;
      }
    }
    return status;
  },
};

/**
 * `docker inspect`: each name is looked up as a container, then an image, then a volume
 * (docker/cli inspect.go inspectAll, in its order), or `--type` restricts it to one kind.
 */
export const inspectAny: Command = {
  name: 'inspect',
  usage: 'layerlab inspect [OPTIONS] NAME|ID [NAME|ID...]',
  summary: 'Return low-level information on Docker objects',
  flags: [
    { long: 'format', short: 'f', kind: 'string' },
    { long: 'type', kind: 'string' },
    { long: 'size', short: 's', kind: 'bool' },
  ],
  minArgs: 1,
  async run({ engine, args, io }) {
    const type = typeof args.flags.type === 'string' ? args.flags.type : '';
    if (type && !['container', 'image', 'volume'].includes(type)) {
      io.err(`"${type}" is not a valid value for --type\n`);
      return 1;
    }
    const found: unknown[] = [];
    const errors: string[] = [];
    const missing = (e: unknown) => e instanceof LayerlabError && /not-found$/.test(e.code);
    for (const ref of args.positionals) {
      const tries: [string, () => Promise<unknown>][] = [
        ['container', () => engine.containers.inspect(ref)],
        ['image', () => engine.images.inspect(ref)],
        ['volume', () => engine.containers.volumeInspect(ref)],
      ];
      let hit = false;
      for (const [kind, get] of tries) {
        if (type && type !== kind) continue;
        try {
          found.push(await get());
          hit = true;
          break;
        } catch (e) {
          if (!missing(e) && !(e instanceof LayerlabError && kind === 'volume')) throw e;
        }
      }
      if (!hit) errors.push(type ? `Error: No such ${type}: ${ref}` : `Error: No such object: ${ref}`);
    }
    const code = printFormatted(io, () => formatInspect(found, typeof args.flags.format === 'string' ? args.flags.format : undefined));
    for (const e of errors) io.err(e + '\n');
    return errors.length ? 1 : code;
  },
};
