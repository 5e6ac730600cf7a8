/**
 * Loads one hostile archive (HOSTILE_CASES[argv[2]]) into a store that holds one image, in a
 * process of its own, and prints what happened as JSON: the error code and limit, the time the
 * load took (wall and CPU), the compressed bytes the reader pulled, whether the store is unchanged, and the
 * process's peak resident memory as the OS reports it (VmHWM, else resourceUsage().maxRSS).
 *
 *   node --import tsx test/hostile/child.ts <index>
 */
import { readFileSync } from 'node:fs';
import { loadArchive } from '../../src/engine/image/docker-archive.ts';
import { useSha256 } from '../../src/engine/digest.ts';
import { nodeSha256 } from '../../src/cli/host-node.ts';
import { snapshot, storeWithImage } from '../../src/engine/image/test-support.ts';
import { HOSTILE_CASES } from './archives.ts';

function peakRssBytes(): { bytes: number; source: string } {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return { bytes: Number(m[1]) * 1024, source: 'VmHWM' };
  } catch {
    // not Linux
  }
  return { bytes: process.resourceUsage().maxRSS * 1024, source: 'maxRSS' };
}

const c = HOSTILE_CASES[Number(process.argv[2])];
useSha256(nodeSha256); // as the CLI host does
const { persistence, store } = await storeWithImage();
const before = snapshot(persistence);
const counter = { bytes: 0 };
const rssBefore = peakRssBytes().bytes;
const t = performance.now();
const cpu0 = process.cpuUsage();
let code: string | undefined;
let limit: string | undefined;
let message = '';
try {
  await loadArchive(store, c.stream(counter), c.limits);
  code = 'loaded';
} catch (e) {
  const err = e as { code?: string; data?: { limit?: string }; message: string };
  code = err.code ?? 'crash';
  limit = err.data?.limit;
  message = err.message;
}
const ms = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
const peak = peakRssBytes();
console.log(JSON.stringify({ name: c.name, code, limit, message: message.slice(0, 300), ms, cpuMs, pulledBytes: counter.bytes, unchanged: snapshot(persistence) === before && store.listImages().length === 1, peakRss: peak.bytes, rssSource: peak.source, rssBeforeLoad: rssBefore }));
