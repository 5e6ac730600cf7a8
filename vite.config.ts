import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * Emits `sw.js`: our service worker (src/sw/sw.js) with the precache list of this build: every
 * emitted file plus the public files it needs offline (the base-image catalog; larger package data
 * under catalog subfolders is cached when first used). Hand-written instead of vite-plugin-pwa,
 * whose workbox-build pulls babel, rollup and terser into every install for a 60-line worker.
 *
 * The list is made in `writeBundle`, from the files actually written: in `generateBundle` the bundle
 * still held chunks that Vite's CSS plugin drops later (a lazily imported stylesheet such as xterm's
 * leaves an empty JS chunk that is never written). One such 404 made `cache.addAll` reject, so the
 * worker never installed and never took control of the page.
 */
function layerlabServiceWorker(): Plugin {
  return {
    name: 'layerlab-service-worker',
    apply: 'build',
    writeBundle(options, bundle) {
      const outDir = options.dir!;
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map') && f !== 'sw.js' && existsSync(join(outDir, f)));
      const pub = join(import.meta.dirname, 'public');
      const publicFiles: string[] = [];
      for (const name of readdirSync(pub)) {
        const p = join(pub, name);
        if (statSync(p).isFile()) publicFiles.push(name);
        else if (name === 'catalog') for (const c of readdirSync(p)) if (statSync(join(p, c)).isFile()) publicFiles.push(relative(pub, join(p, c)).split('\\').join('/'));
      }
      const precache = ['./', ...files, ...publicFiles].map((f) => (f === './' ? f : `./${f}`));
      const hash = createHash('sha256');
      for (const f of files) {
        const o = bundle[f];
        hash.update(f).update(o.type === 'chunk' ? o.code : typeof o.source === 'string' ? o.source : Buffer.from(o.source));
      }
      for (const f of publicFiles) hash.update(f).update(readFileSync(join(pub, f)));
      const version = hash.digest('hex').slice(0, 16);
      const source = readFileSync(join(import.meta.dirname, 'src/sw/sw.js'), 'utf8');
      writeFileSync(join(outDir, 'sw.js'), `const VERSION = ${JSON.stringify(version)};\nconst PRECACHE = ${JSON.stringify(precache)};\n${source}`);
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the built site works from any base path (GitHub Pages, a docs sub-folder).
  base: './',
  plugins: [svelte(), layerlabServiceWorker()],
  worker: { format: 'es' },
  build: { target: 'es2022' },
});
