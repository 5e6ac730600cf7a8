/**
 * Builds the `layerlab` CLI into dist/cli/ with esbuild: src/cli/main.ts bundled as ES modules
 * with code splitting, so what a command does not need (the builder, the shell interpreter,
 * just-bash, fflate, modern-tar, hash-wasm) stays in chunks loaded by `import()` on first use.
 * Packages stay external: node resolves them from node_modules, as with the sources.
 *
 * Each build goes to a fresh folder, dist/cli/<id>/, and dist/cli/current.json (written by
 * rename, so a concurrent reader sees the old or the new build) names it together with the
 * build's inputs and their newest mtime: bin/layerlab.mjs rebuilds when any input is newer.
 *
 *   node scripts/build-cli.mjs        (npm's `prepare`, run by `npm ci` and `npm install`)
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  const BUNDLED = new Set(['semver']);
  const started = Date.now();
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { main: 'src/cli/main.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Packages stay external (node resolves them from node_modules), except the small ones the
    // engine imports eagerly: bundled, the CLI starts without resolving them (and works from any dist folder).
    external: Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies).filter((d) => !BUNDLED.has(d)),
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
  const current = { dir: id, entry: 'main.js', builtAt: started, newestInput: newest, inputs };
  const tmp = join(dist, `current.json.tmp-${process.pid}`);
  writeFileSync(tmp, JSON.stringify(current, null, 1) + '\n');
  renameSync(tmp, join(dist, 'current.json'));
  // Keep the previous build (a CLI started before this one may still load its chunks); drop older ones.
  const builds = readdirSync(dist, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== id).map((e) => e.name);
  builds.sort((a, b) => statSync(join(dist, b)).mtimeMs - statSync(join(dist, a)).mtimeMs);
  for (const old of builds.slice(1)) rmSync(join(dist, old), { recursive: true, force: true });
  return current;
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
