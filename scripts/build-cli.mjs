/**
 * Builds the `layerlab` CLI into dist/cli/ with esbuild: src/cli/main.ts and the packages it uses
 * (just-bash, fflate, modern-tar, hash-wasm, semver…) bundled into one CommonJS file, main.cjs.
 * Modules reached only by `import()` stay lazily initialised inside it, so a command evaluates
 * only what it needs.
 *
 * Why one CommonJS file: Node 20 has no compile cache for ES modules, and compiling the CLI's
 * ~4 MB of JavaScript was most of a small `layerlab build`. bin/layerlab.mjs compiles main.cjs
 * with a V8 code cache (main.cjs.cache, written beside it) — see bin/layerlab.mjs. After the
 * bundle, a warm-up run (a 3-step build and `images` on a scratch store, in a child process)
 * writes that cache with the functions those commands compile, so the first real run is fast too.
 *
 * Each build goes to a fresh folder, dist/cli/<id>/, and dist/cli/current.json (written by
 * rename, so a concurrent reader sees the old or the new build) names it together with the
 * build's inputs and their newest mtime: bin/layerlab.mjs rebuilds when any input is newer.
 *
 *   node scripts/build-cli.mjs        (npm's `prepare`, run by `npm ci` and `npm install`)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** just-bash's optional packages, external in its own bundle too. */
const JUST_BASH_OPTIONAL = ['diff', 'minimatch', 'sprintf-js', 'turndown', 'sql.js', 'quickjs-emscripten', '@mongodb-js/zstd', 'node-liblzma', 'seek-bzip'];

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SELF = relative(ROOT, fileURLToPath(import.meta.url));

/** The folder the CLI is built into (LAYERLAB_CLI_DIST overrides it, for tests). */
export function distDir() {
  return process.env.LAYERLAB_CLI_DIST ? resolve(process.env.LAYERLAB_CLI_DIST) : join(ROOT, 'dist', 'cli');
}

/** Builds the CLI; returns the new current.json contents. */
export async function buildCli() {
  const esbuild = await import('esbuild');
  const dist = distDir();
  const id = `${Date.now().toString(36)}-${process.pid}`;
  const out = join(dist, id);
  const started = Date.now();
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { main: 'src/cli/main.ts' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.cjs' },
    // Less to read and hash at every start; names are kept, so stack traces stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    // just-bash's own optional packages (behind commands the lab does not expose) stay outside,
    // resolved from node_modules if a command ever asks for them.
    external: JUST_BASH_OPTIONAL,
    // ES modules read import.meta.url; in the CommonJS bundle it is this file's URL.
    define: { 'import.meta.url': '__layerlab_import_meta_url' },
    banner: { js: 'var __layerlab_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
    outdir: out,
    metafile: true,
    sourcemap: 'linked',
    logLevel: 'silent',
  });
  const inputs = [...Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('node_modules/')), SELF].sort();
  let newest = 0;
  for (const p of inputs) newest = Math.max(newest, statSync(join(ROOT, p)).mtimeMs);
  // An input edited while esbuild ran must count as newer than this build.
  newest = Math.min(newest, started);
  const current = { dir: id, entry: 'main.cjs', builtAt: started, newestInput: newest, inputs };
  warmUp(join(out, 'main.cjs'));
  const tmp = join(dist, `current.json.tmp-${process.pid}`);
  writeFileSync(tmp, JSON.stringify(current, null, 1) + '\n');
  renameSync(tmp, join(dist, 'current.json'));
  // Keep the previous build (a CLI started before this one may still load its chunks); drop older ones.
  const builds = readdirSync(dist, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== id).map((e) => e.name);
  builds.sort((a, b) => statSync(join(dist, b)).mtimeMs - statSync(join(dist, a)).mtimeMs);
  for (const old of builds.slice(1)) rmSync(join(dist, old), { recursive: true, force: true });
  return current;
}

/**
 * Runs a scratch build and `images` through the new bundle in a child process that writes the
 * bundle's code cache (LAYERLAB_WRITE_CODE_CACHE, read by bin/layerlab.mjs). A failure only
 * costs the cache: the first real run then compiles and writes it.
 */
function warmUp(entry) {
  const tmp = mkdtempSync(join(tmpdir(), 'layerlab-warmup-'));
  try {
    mkdirSync(join(tmp, 'ctx'));
    writeFileSync(join(tmp, 'ctx', 'hello.txt'), 'hello\n');
    writeFileSync(join(tmp, 'ctx', 'Dockerfile'), 'FROM busybox\nCOPY hello.txt /hello.txt\nRUN cat /hello.txt > /copy.txt && echo done\n');
    const bin = join(ROOT, 'bin', 'layerlab.mjs');
    const env = { ...process.env, LAYERLAB_CLI_ENTRY: entry, LAYERLAB_WRITE_CODE_CACHE: '1' };
    execFileSync(process.execPath, [bin, '--root', join(tmp, 'store'), 'build', '-q', '-t', 'warmup', join(tmp, 'ctx')], { env, stdio: 'ignore', timeout: 60_000 });
    // images after build: the cache written last holds both commands' functions.
    execFileSync(process.execPath, [bin, '--root', join(tmp, 'store'), 'images'], { env, stdio: 'ignore', timeout: 60_000 });
  } catch {
    // No cache yet; bin/layerlab.mjs writes one after its first run.
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** True when current.json exists and no input is newer than its build. */
export function isFresh(current) {
  try {
    for (const p of current.inputs) if (statSync(join(ROOT, p)).mtimeMs > current.newestInput) return false;
    return true;
  } catch {
    return false;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  mkdirSync(distDir(), { recursive: true });
  const t = performance.now();
  const c = await buildCli();
  console.log(`layerlab CLI built into ${relative(ROOT, join(distDir(), c.dir))} (${c.inputs.length} sources, ${(performance.now() - t).toFixed(0)} ms)`);
}
