/**
 * The workspace file: everything needed to continue elsewhere when a link is too small — the
 * scenario (Dockerfile, context, build clock) and the images, as a `docker save` archive.
 * JSON: `{ "layerlab-workspace": 1, "scenario": {…}, "images": "<base64 of the archive>" }`.
 */
import { validateScenario, type Scenario } from '../scenario/format.ts';

function toBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

/** The file's bytes. */
export function workspaceFile(scenario: Scenario, images?: Uint8Array): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ 'layerlab-workspace': 1, scenario, ...(images ? { images: toBase64(images) } : {}) }));
}

/** Reads a workspace file (or a bare scenario file); throws ScenarioError / Error with a clear message. */
export function readWorkspaceFile(text: string): { scenario: Scenario; images?: Uint8Array } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error('not a layerlab workspace file (not JSON)');
  }
  const o = v as Record<string, unknown>;
  if (o && typeof o === 'object' && o['layerlab-workspace'] === 1) {
    const images = typeof o.images === 'string' ? Uint8Array.from(atob(o.images), (c) => c.charCodeAt(0)) : undefined;
    return { scenario: validateScenario(o.scenario), images };
  }
  return { scenario: validateScenario(v) };
}
