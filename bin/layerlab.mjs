#!/usr/bin/env node
// The `layerlab` CLI entry. Runs the prebuilt bundle in dist/cli/ (built by `npm ci` through the
// `prepare` script, see scripts/build-cli.mjs). When a source is newer than the bundle, it
// rebuilds first (about a quarter of a second), so an edited checkout never runs a stale CLI;
// when the build cannot run (esbuild missing or failing), it runs the TypeScript through tsx.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
  return (await import(pathToFileURL(`${DIST}${current.dir}/${current.entry}`).href)).main;
}

const main = await loadMain();
process.exitCode = await main(process.argv.slice(2));
