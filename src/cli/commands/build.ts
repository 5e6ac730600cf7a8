/** `build`: a Dockerfile build with BuildKit's plain progress (default) or the classic builder's output. */
import { chmod, lstat, mkdir, readFile, readdir, readlink, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { CopyEntry } from '../../engine/container/api.ts';
import type { CliIo } from '../command.ts';
import { classicProgress, formatCheckReport, formatCodeFrame, parseDockerfile, plainProgress, runChecks, type ContextFile } from '../../engine/index.ts';
import { LayerlabError } from '../../engine/errors.ts';
import type { Command } from '../command.ts';
import { RUN_TIMEOUT_FLAG, runTimeoutOf, UsageError } from '../args.ts';
import { humanSize } from '../format.ts';

/**
 * `--build-context NAME=VALUE` as buildx parses it: `docker-image://REF` names an image, anything
 * else that is not a URL is a local directory (read with its own .dockerignore, which the engine
 * applies). Remote contexts (git, https, oci-layout) need a network or a daemon the lab lacks.
 */
export async function readNamedContexts(values: string[], cwd: string): Promise<Record<string, { image: string } | { files: ContextFile[]; dockerignore?: string }> | undefined> {
  if (!values.length) return undefined;
  const out: Record<string, { image: string } | { files: ContextFile[]; dockerignore?: string }> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    if (i <= 0) throw new Error(`invalid context value: ${v}, expected key=value`);
    const name = v.slice(0, i);
    const value = v.slice(i + 1);
    if (value.startsWith('docker-image://')) {
      out[name] = { image: value.slice('docker-image://'.length) };
      continue;
    }
    if (/^(https?|git|ssh|oci-layout|target):|^git@|\.git(#|$)/.test(value)) {
      throw new Error(`failed to get build context ${name}: ${value.split(':')[0]} contexts are not available offline: the lab reads local directories and docker-image:// references`);
    }
    const dir = resolve(cwd, value);
    try {
      if (!(await lstat(dir)).isDirectory()) throw new Error('not a directory');
    } catch {
      throw new Error(`unable to prepare context ${name}: path "${value}" not found`);
    }
    const files = await readContextDir(dir);
    const ignore = files.find((f) => f.path === '.dockerignore')?.content;
    out[name] = { files, dockerignore: ignore ? new TextDecoder().decode(ignore) : undefined };
  }
  return out;
}

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
    { long: 'secret', kind: 'list', description: 'Secret to expose to the build (format: "id=mysecret[,src=/local/secret|env=VAR]")' },
    { long: 'label', kind: 'list', description: 'Set metadata for an image' },
    { long: 'iidfile', kind: 'string', description: 'Write the image ID to a file' },
    { long: 'build-context', kind: 'list', description: 'Additional build contexts (e.g., name=path or name=docker-image://ref)' },
    RUN_TIMEOUT_FLAG,
    { long: 'check', kind: 'bool', description: 'Shorthand for "--call=check": evaluate build checks, do not build' },
    { long: 'output', short: 'o', kind: 'list', description: 'Output destination (format: "type=local,dest=path")' },
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
    let output: BuildOutput | undefined;
    try {
      output = parseOutputs(args.flags.output as string[]);
    } catch (e) {
      io.err(`ERROR: ${(e as Error).message}\n`);
      return 1;
    }
    if (output?.dest === '-' && io.stdoutIsTty) {
      io.err('ERROR: output file is required for tar exporter. refusing to write to console\n');
      return 1;
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
    // `--label K=V` (a bare K is an empty label, as the docker CLI's ConvertKVStringsToMap).
    const labels: Record<string, string> = {};
    for (const kv of args.flags.label as string[]) {
      const i = kv.indexOf('=');
      labels[i < 0 ? kv : kv.slice(0, i)] = i < 0 ? '' : kv.slice(i + 1);
    }
    let secrets: Record<string, Uint8Array>;
    try {
      secrets = await readSecrets(args.flags.secret as string[], io.cwd);
    } catch (e) {
      io.err(`ERROR: ${(e as Error).message}\n`);
      return 1;
    }
    let namedContexts: Awaited<ReturnType<typeof readNamedContexts>>;
    try {
      namedContexts = await readNamedContexts(args.flags['build-context'] as string[], io.cwd);
    } catch (e) {
      io.err(`ERROR: ${(e as Error).message}\n`);
      return 1;
    }
    const printer = progress === 'classic' ? classicProgress() : progress === 'quiet' ? undefined : plainProgress();
    let lastStep = 0;
    const out = (s: string) => {
      if (!s) return;
      for (const m of s.matchAll(/^#(\d+) /gm)) lastStep = Math.max(lastStep, Number(m[1]));
      io.err(s);
    };
    const filename = fileFlag && fileFlag !== '-' ? fileFlag.split('/').pop()! : 'Dockerfile';
    try {
      const res = await engine.builds.build(
        {
          dockerfile, filename, files, dockerignore: dockerignore ? new TextDecoder().decode(dockerignore) : undefined,
          tags: args.flags.tag as string[], buildArgs, target: args.flags.target as string | undefined, noCache: !!args.flags['no-cache'],
          platform: args.flags.platform as string | undefined, runTimeoutMs: runTimeoutOf(args.flags), secrets, labels, namedContexts,
        },
        printer ? (e) => out(printer(e)) : undefined,
      );
      if (output) await exportOutput(engine.containers, res.imageId, output, io, progress === 'plain' || progress === 'auto' || progress === 'tty' ? lastStep + 1 : undefined);
      if (progress === 'quiet') io.out(res.imageId + '\n');
      if (args.flags.iidfile) await writeFile(resolve(io.cwd, String(args.flags.iidfile)), res.imageId);
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

/**
 * `--secret id=ID[,src=FILE|source=FILE][,env=VAR][,type=file|env]` as buildx parses it: with
 * neither a file nor a variable named, the variable called ID is read.
 */
export async function readSecrets(specs: readonly string[], cwd: string): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  for (const spec of specs) {
    const kv: Record<string, string> = {};
    for (const part of spec.split(',')) {
      const i = part.indexOf('=');
      if (i < 0) throw new Error(`invalid secret ${spec}: expected key=value fields`);
      const k = part.slice(0, i).trim().toLowerCase();
      if (!['id', 'src', 'source', 'env', 'type'].includes(k)) throw new Error(`unexpected key '${k}' in '${spec}'`);
      kv[k] = part.slice(i + 1);
    }
    const id = kv.id;
    if (!id) throw new Error(`invalid secret ${spec}: id is required`);
    const src = kv.src ?? kv.source;
    if (kv.type === 'env' || (kv.env !== undefined && src === undefined) || (src === undefined && kv.env === undefined)) {
      const name = kv.env ?? (kv.type === 'env' ? src : undefined) ?? id;
      const v = process.env[name];
      if (v === undefined) {
        if (kv.env !== undefined || kv.type === 'env') throw new Error(`secret ${id}: environment variable ${name} is not set`);
        continue; // buildx skips an id-only secret whose variable is unset; a required mount then fails
      }
      out[id] = new TextEncoder().encode(v);
    } else {
      try {
        out[id] = new Uint8Array(await readFile(resolve(cwd, src!)));
      } catch {
        throw new Error(`failed to stat ${src}: no such file or directory`);
      }
    }
  }
  return out;
}

/** One `--output` (`-o`): where the final stage's filesystem goes. */
export interface BuildOutput {
  type: 'local' | 'tar';
  /** A directory (local), a file (tar), or `-` for stdout (tar). */
  dest: string;
}

/**
 * `--output` values as buildx parses them (build/opts.go ParseOutputs): `type=local,dest=DIR`,
 * `type=tar,dest=FILE`, a bare path (= `type=local,dest=PATH`) or `-` (= `type=tar` to stdout).
 * `type=docker`/`image` are the default export and need nothing more. Only one output is allowed.
 */
export function parseOutputs(specs: readonly string[]): BuildOutput | undefined {
  if (specs.length > 1) throw new Error('multiple outputs are not supported');
  const spec = specs[0];
  if (spec === undefined) return undefined;
  if (!spec.includes('=')) return spec === '-' ? { type: 'tar', dest: '-' } : { type: 'local', dest: spec };
  const kv: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const i = part.indexOf('=');
    if (i < 0) throw new Error(`invalid value ${part}`);
    kv[part.slice(0, i).trim()] = part.slice(i + 1);
  }
  const type = kv.type ?? 'local';
  if (type === 'docker' || type === 'image') return undefined;
  if (type === 'registry' || type === 'oci' || type === 'cacheonly') throw new Error(`output type ${type} is not available in the lab (use type=local or type=tar, or push with layerlab push)`);
  if (type !== 'local' && type !== 'tar') throw new Error(`failed to solve: unsupported output type ${type}`);
  const dest = kv.dest;
  if (!dest) throw new Error(type === 'local' ? 'dest is required for local output' : 'output file is required for tar exporter. refusing to write to console');
  return { type, dest };
}

/**
 * Writes the built image's filesystem where `--output` says, as BuildKit's local and tar exporters
 * write the final stage (files, directories and symlinks with their modes and mtimes), and prints
 * the exporter's progress step (`#N exporting to client directory`).
 * Simulation: the image is also kept in the store (BuildKit's docker driver would not load it).
 */
async function exportOutput(containers: { imageRootfsTar(r: string): Promise<Uint8Array>; imageRootfsEntries(r: string): Promise<CopyEntry[]> }, imageId: string, o: BuildOutput, io: CliIo, step: number | undefined) {
  const t0 = io.now();
  const done = () => ((io.now() - t0) / 1000).toFixed(1);
  if (o.type === 'tar') {
    const tar = await containers.imageRootfsTar(imageId);
    if (step) io.err(`#${step} exporting to client tarball\n`);
    if (o.dest === '-') io.outBytes(tar);
    else await writeFile(resolve(io.cwd, o.dest), tar);
    if (step) io.err(`#${step} sending tarball ${done()}s done\n#${step} DONE ${done()}s\n`);
    return;
  }
  const entries = await containers.imageRootfsEntries(imageId);
  if (step) io.err(`#${step} exporting to client directory\n`);
  const root = resolve(io.cwd, o.dest);
  await mkdir(root, { recursive: true });
  let bytes = 0;
  const dirs: CopyEntry[] = [];
  for (const e of entries) {
    const p = join(root, e.path);
    await mkdir(dirname(p), { recursive: true });
    if (e.type === 'dir') {
      await mkdir(p, { recursive: true });
      dirs.push(e);
    } else if (e.type === 'symlink') {
      await rm(p, { force: true, recursive: true });
      await symlink(e.linkTarget ?? '', p);
    } else {
      await rm(p, { force: true, recursive: true }).catch(() => undefined);
      await writeFile(p, e.data ?? new Uint8Array());
      await chmod(p, e.mode & 0o7777);
      await utimes(p, e.mtime, e.mtime);
      bytes += e.data?.length ?? 0;
    }
  }
  // Directories last, deepest first, so writing their contents does not move their times.
  for (const e of dirs.reverse()) {
    const p = join(root, e.path);
    await chmod(p, e.mode & 0o7777);
    await utimes(p, e.mtime, e.mtime);
  }
  if (step) io.err(`#${step} copying files ${humanSize(bytes)} ${done()}s done\n#${step} DONE ${done()}s\n`);
}
