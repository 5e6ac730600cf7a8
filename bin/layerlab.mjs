#!/usr/bin/env node
// The `layerlab` CLI entry. Runs the prebuilt bundle in dist/cli/ (built by `npm ci` through the
// `prepare` script, see scripts/build-cli.mjs). When a source is newer than the bundle, it
// rebuilds first (about a quarter of a second), so an edited checkout never runs a stale CLI;
// when the build cannot run (esbuild missing or failing), it runs the TypeScript through tsx.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script, constants as vmConstants } from 'node:vm';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = process.env.LAYERLAB_CLI_DIST ? process.env.LAYERLAB_CLI_DIST.replace(/\/?$/, '/') : `${ROOT}dist/cli/`;
const debug = (m) => process.env.LAYERLAB_DEBUG && process.stderr.write(`debug: ${m}\n`);

/** current.json when every input is at most as new as the build; inlined so a fresh start reads one file and stats the inputs. */
function freshBuild() {
  let current;
  try {
    current = JSON.parse(readFileSync(`${DIST}current.json`, 'utf8'));
    for (const p of current.inputs) {
      if (statSync(ROOT + p).mtimeMs > current.newestInput) {
        debug(`${p} is newer than the CLI build: rebuilding`);
        return undefined;
      }
    }
  } catch {
    return undefined;
  }
  return current;
}

async function loadMain() {
  // A given bundle (the build's warm-up run): no freshness check, no rebuild.
  if (process.env.LAYERLAB_CLI_ENTRY) return loadBundle(process.env.LAYERLAB_CLI_ENTRY);
  let current = freshBuild();
  if (!current) {
    try {
      const { buildCli } = await import('../scripts/build-cli.mjs');
      current = await buildCli();
    } catch (e) {
      debug(`CLI build failed (${e?.message ?? e}); running the sources through tsx`);
      const { register } = await import('tsx/esm/api');
      register();
      return (await import('../src/cli/main.ts')).main;
    }
  }
  return loadBundle(`${DIST}${current.dir}/${current.entry}`);
}

/**
 * Compiles the CommonJS bundle with V8's code cache (`<bundle>.cache`), the way Node 22's
 * module compile cache would: most of a short command's start-up is compiling JavaScript, and
 * the cache skips it. The cache is checked by V8 (a cache from another Node or V8 build is
 * rejected and rewritten); a missing or rejected cache is written after the command has run,
 * so it holds the functions the command compiled. `prepare` writes it with a warm-up build.
 */
let finishBundle = () => {};
function loadBundle(file) {
  const cacheFile = `${file}.cache`;
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(file), mod, file, dirname(file));
  if (!cachedData || script.cachedDataRejected || process.env.LAYERLAB_WRITE_CODE_CACHE) {
    finishBundle = () => {
      debug(`writing the code cache ${cacheFile}${script.cachedDataRejected ? ' (the old one was rejected)' : ''}`);
      try {
        const tmp = `${cacheFile}.tmp-${process.pid}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch (e) {
        debug(`no code cache: ${e?.message ?? e}`);
      }
    };
  }
  return mod.exports.main;
}

const main = await loadMain();
process.exitCode = await main(process.argv.slice(2));
finishBundle();
