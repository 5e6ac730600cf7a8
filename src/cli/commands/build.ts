/** `build`: a Dockerfile build with BuildKit's plain progress (default) or the classic builder's output. */
import { readFile, readdir, lstat, readlink } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { classicProgress, formatCheckReport, formatCodeFrame, parseDockerfile, plainProgress, runChecks, type ContextFile } from '../../engine/index.ts';
import { LayerlabError } from '../../engine/errors.ts';
import type { Command } from '../command.ts';
import { RUN_TIMEOUT_FLAG, runTimeoutOf, UsageError } from '../args.ts';

/** Reads a context directory into ContextFiles (the engine applies .dockerignore). */
export async function readContextDir(dir: string): Promise<ContextFile[]> {
  const out: ContextFile[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      const rel = relative(dir, full).split(sep).join('/');
      const st = await lstat(full);
      const mtime = Math.floor(st.mtimeMs / 1000);
      if (e.isSymbolicLink()) out.push({ path: rel, type: 'symlink', mode: st.mode & 0o7777, target: await readlink(full), mtime });
      else if (e.isDirectory()) {
        out.push({ path: rel, type: 'dir', mode: st.mode & 0o7777, mtime });
        await walk(full);
      } else if (e.isFile()) out.push({ path: rel, type: 'file', mode: st.mode & 0o7777, content: new Uint8Array(await readFile(full)), mtime });
    }
  };
  await walk(dir);
  return out;
}

export const build: Command = {
  name: 'build',
  aliases: ['image build', 'buildx build'],
  usage: 'layerlab build [OPTIONS] PATH | -',
  summary: 'Build an image from a Dockerfile',
  flags: [
    { long: 'tag', short: 't', kind: 'list', description: "Name and optionally a tag (format: 'name:tag')" },
    { long: 'file', short: 'f', kind: 'string', description: "Name of the Dockerfile (default: 'PATH/Dockerfile')" },
    { long: 'build-arg', kind: 'list', description: 'Set build-time variables' },
    { long: 'target', kind: 'string', description: 'Set the target build stage to build' },
    { long: 'no-cache', kind: 'bool', description: 'Do not use cache when building the image' },
    { long: 'progress', kind: 'string', default: 'plain', description: 'Set type of progress output (plain, classic, quiet)' },
    { long: 'platform', kind: 'string', description: 'Set platform if server is multi-platform capable' },
    { long: 'quiet', short: 'q', kind: 'bool', description: 'Suppress the build output and print image ID on success' },
    RUN_TIMEOUT_FLAG,
    { long: 'check', kind: 'bool', description: 'Shorthand for "--call=check": evaluate build checks, do not build' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run({ engine, args, io }) {
    const ctxArg = args.positionals[0];
    const progress = args.flags.quiet ? 'quiet' : String(args.flags.progress);
    if (!['plain', 'classic', 'quiet', 'auto', 'tty', 'rawjson'].includes(progress)) throw new UsageError(`invalid progress mode: ${progress}`);
    let files: ContextFile[] = [];
    let dockerfile: string;
    const fileFlag = args.flags.file as string | undefined;
    const ctxDir = ctxArg === '-' ? undefined : resolve(io.cwd, ctxArg);
    if (ctxDir) {
      try {
        if (!(await lstat(ctxDir)).isDirectory()) throw new Error('not a directory');
      } catch {
        io.err(`ERROR: unable to prepare context: path "${ctxArg}" not found\n`);
        return 1;
      }
      files = await readContextDir(ctxDir);
    }
    if (ctxArg === '-' || fileFlag === '-') dockerfile = new TextDecoder().decode(await io.readStdin());
    else {
      const dfPath = fileFlag ? resolve(io.cwd, fileFlag) : join(ctxDir!, 'Dockerfile');
      try {
        dockerfile = await readFile(dfPath, 'utf8');
      } catch {
        io.err(`ERROR: failed to solve: failed to read dockerfile: open ${fileFlag ?? 'Dockerfile'}: no such file or directory\n`);
        return 1;
      }
    }
    if (args.flags.check) {
      // `docker build --check`: run the build checks only; exit 1 when any fired.
      const filename = fileFlag && fileFlag !== '-' ? fileFlag.split('/').pop()! : 'Dockerfile';
      try {
        const warnings = runChecks(parseDockerfile(dockerfile, { filename }));
        io.out(formatCheckReport(warnings, dockerfile, filename));
        return warnings.length ? 1 : 0;
      } catch (e) {
        if (!(e instanceof LayerlabError)) throw e;
        io.err(formatCodeFrame(dockerfile, { message: e.message, range: e.range }, filename));
        return 1;
      }
    }
    const dockerignore = files.find((f) => f.path === '.dockerignore')?.content;
    const buildArgs: Record<string, string> = {};
    for (const kv of args.flags['build-arg'] as string[]) {
      const i = kv.indexOf('=');
      if (i < 0) {
        const v = process.env[kv];
        if (v !== undefined) buildArgs[kv] = v;
      } else buildArgs[kv.slice(0, i)] = kv.slice(i + 1);
    }
    const printer = progress === 'classic' ? classicProgress() : progress === 'quiet' ? undefined : plainProgress();
    const out = (s: string) => {
      if (s) io.err(s);
    };
    const filename = fileFlag && fileFlag !== '-' ? fileFlag.split('/').pop()! : 'Dockerfile';
    try {
      const res = await engine.builds.build(
        {
          dockerfile, filename, files, dockerignore: dockerignore ? new TextDecoder().decode(dockerignore) : undefined,
          tags: args.flags.tag as string[], buildArgs, target: args.flags.target as string | undefined, noCache: !!args.flags['no-cache'],
          platform: args.flags.platform as string | undefined, runTimeoutMs: runTimeoutOf(args.flags),
        },
        printer ? (e) => out(printer(e)) : undefined,
      );
      if (progress === 'quiet') io.out(res.imageId + '\n');
      return 0;
    } catch (e) {
      if (!(e instanceof LayerlabError)) throw e;
      const message = e.message.replace(/^failed to solve: /, '');
      if (progress === 'classic') io.err(`${message}\n`);
      else io.err(formatCodeFrame(dockerfile, { message, range: e.range }, filename));
      return 1;
    }
  },
};
