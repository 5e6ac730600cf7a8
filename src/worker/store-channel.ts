/**
 * The names tabs share the store by: the Web Lock writers take, and the BroadcastChannel on which a tab's worker announces that it changed the shared IndexedDB
 * store (host-browser.ts posts after releasing the store's Web Lock), so every open tab of the lab
 * can re-read what it shows.
 */

/** The Web Lock every tab's worker holds across a read-modify-write of the store (host-browser.ts). */
export const STORE_LOCK = 'layerlab-store';

/** The channel's name (same origin: every tab and worker of the lab). */
export const STORE_CHANNEL = 'layerlab-store-changes';

/**
 * Calls `listener` whenever a worker of any tab (this one included) announces a store change;
 * returns the unsubscribe. A no-op where BroadcastChannel is missing.
 */
export function onStoreChanged(listener: () => void): () => void {
  if (typeof BroadcastChannel !== 'function') return () => {};
  const channel = new BroadcastChannel(STORE_CHANNEL);
  channel.onmessage = () => listener();
  return () => channel.close();
}
