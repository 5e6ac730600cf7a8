/// <reference lib="webworker" />
/**
 * Worker entry: builds the engine on the browser host and exposes it with comlink.
 */
import * as Comlink from 'comlink';
import { createEngine } from '../engine/index.ts';
import { browserHost } from './host-browser.ts';
import { installWire } from './wire.ts';

installWire();
const engine = createEngine(await browserHost(import.meta.env.BASE_URL));
Comlink.expose(engine);
postMessage({ type: 'layerlab-ready' });
