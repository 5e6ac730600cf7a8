/* layerlab's service worker: makes the lab work offline after the first visit.
 * `VERSION` and `PRECACHE` are prepended at build time by the `layerlabServiceWorker` Vite plugin
 * (vite.config.ts): the app's files and the base-image catalog, relative to this file's folder, so
 * the site works from any base path. Strategy:
 * - install: precache everything into `layerlab-<VERSION>`; the new worker then waits, so an open
 *   lab keeps its version and the page shows "update ready" (used on the next visit);
 * - activate: drop caches of older versions and take control of open pages at once (first visit);
 * - fetch (same-origin GET): cached copy first; otherwise the network, keeping a copy in
 *   `layerlab-runtime` (package data loaded lazily, e.g. apt file lists); a navigation falls back to
 *   the cached index.html, whatever its query (`?embed`) or fragment (share links).
 */
/* global VERSION, PRECACHE */
const CACHE = `layerlab-${VERSION}`;
const RUNTIME = 'layerlab-runtime';
const scopeUrl = new URL('./', self.location.href);

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((c) => c.addAll(PRECACHE.map((p) => new URL(p, scopeUrl).href))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const k of await caches.keys()) if (k.startsWith('layerlab-') && k !== CACHE && k !== RUNTIME) await caches.delete(k);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || !url.href.startsWith(scopeUrl.href)) return;
  event.respondWith(
    (async () => {
      const key = req.mode === 'navigate' ? new URL('./index.html', scopeUrl).href : url.origin + url.pathname;
      const cached = (await caches.match(key, { ignoreSearch: true })) ?? (req.mode === 'navigate' ? await caches.match(scopeUrl.href) : undefined);
      if (cached) return cached;
      try {
        const res = await fetch(req);
        if (res.ok && res.type === 'basic') (await caches.open(RUNTIME)).put(key, res.clone());
        return res;
      } catch (e) {
        const fallback = await caches.match(key, { ignoreSearch: true, cacheName: RUNTIME });
        if (fallback) return fallback;
        throw e;
      }
    })(),
  );
});
