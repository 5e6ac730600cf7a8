/**
 * Offline support: registers the service worker (sw.js, emitted by the build) relative to the page,
 * so the lab works from any base path, and reports when a newer version is waiting.
 */
export function registerServiceWorker(onUpdateReady: (activate: () => void) => void): void {
  // import.meta.hot exists only under the dev server, which has no sw.js (and NODE_ENV may be 'test' in a build run by the test suite).
  if (import.meta.hot || !('serviceWorker' in navigator)) return;
  const url = new URL('./sw.js', document.baseURI);
  navigator.serviceWorker
    .register(url, { scope: './' })
    .then((reg) => {
      const activate = () => {
        reg.waiting?.postMessage('skip-waiting');
        navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
      };
      // A version downloaded on an earlier visit and still waiting, or one found now.
      if (reg.waiting && navigator.serviceWorker.controller) onUpdateReady(activate);
      reg.addEventListener('updatefound', () => {
        const w = reg.installing;
        w?.addEventListener('statechange', () => {
          if (w.state === 'installed' && navigator.serviceWorker.controller) onUpdateReady(activate);
        });
      });
    })
    .catch(() => {
      // No service worker (e.g. a file:// page or a browser setting): the lab still works online.
    });
}
