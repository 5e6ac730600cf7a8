/**
 * Share links: a scenario travels in the URL fragment (`#s=…`), never to a server. The JSON is
 * deflated (fflate, raw DEFLATE) and written in base64url. Opening the link decodes it with a
 * bound on the inflated size, so a hostile link cannot exhaust memory, and validates it.
 */
import { Inflate, deflateSync } from 'fflate';
import { ScenarioError, validateScenario, type Scenario } from './format.ts';

/** Scenario JSON (before compression) a link may carry: about 100 KB of context plus the Dockerfile. */
export const MAX_LINK_JSON_BYTES = 128 * 1024;
/** The fragment key. */
export const LINK_KEY = 's';

/** A scenario too large for a link; the message points to the workspace file instead. */
export class LinkTooLargeError extends Error {
  readonly code = 'scenario/link-too-large';
  constructor(readonly bytes: number) {
    super(
      `this workspace is ${Math.round(bytes / 1024)} KB, more than a link can carry (${MAX_LINK_JSON_BYTES / 1024} KB): use "Export workspace file" and share the file instead`,
    );
    this.name = 'LinkTooLargeError';
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new ScenarioError('link', 'the link is damaged (not base64url)');
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The fragment (without `#`) that carries `scenario`; throws LinkTooLargeError past the limit. */
export function encodeScenarioFragment(scenario: Scenario): string {
  const json = new TextEncoder().encode(JSON.stringify(validateScenario(scenario)));
  if (json.length > MAX_LINK_JSON_BYTES) throw new LinkTooLargeError(json.length);
  return `${LINK_KEY}=${toBase64Url(deflateSync(json, { level: 9 }))}`;
}

/** A full share link: `base` (the page URL, any fragment dropped) plus the scenario fragment. */
export function scenarioLink(base: string, scenario: Scenario): string {
  return `${base.replace(/#.*$/, '')}#${encodeScenarioFragment(scenario)}`;
}

/** The scenario a fragment carries (`#s=…` or `s=…`), or undefined when the fragment holds none. Throws ScenarioError on a damaged link. */
export function decodeScenarioFragment(fragment: string): Scenario | undefined {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const data = params.get(LINK_KEY);
  if (data === null) return undefined;
  const compressed = fromBase64Url(data);
  const parts: Uint8Array[] = [];
  let total = 0;
  let tooBig = false;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > MAX_LINK_JSON_BYTES) tooBig = true;
    else parts.push(chunk);
  });
  try {
    // Feed in small pieces so an expanding link is stopped soon after the bound.
    for (let i = 0; i < compressed.length && !tooBig; i += 1024) inflater.push(compressed.subarray(i, i + 1024), i + 1024 >= compressed.length);
  } catch {
    throw new ScenarioError('link', 'the link is damaged (its data does not decompress)');
  }
  if (tooBig) throw new ScenarioError('link', `the link expands past ${MAX_LINK_JSON_BYTES / 1024} KB and was not opened`);
  const json = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    json.set(p, off);
    off += p.length;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    throw new ScenarioError('link', 'the link is damaged (its data is not JSON)');
  }
  return validateScenario(parsed);
}
