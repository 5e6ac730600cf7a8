/**
 * Deterministic JSON the way Go's encoding/json writes it, so that configs and manifests built
 * here hash like the ones Docker and BuildKit write: no spaces, object keys in the order the
 * caller built them (Go: struct field order), maps sorted by key (Go sorts map keys), and `<`,
 * `>`, `&`, U+2028, U+2029 escaped as `\u003c`… (Go's default HTML-safe escaping, which is why a
 * real config reads `apt-get update \u0026\u0026 …`).
 */
import { LayerlabError } from '../errors.ts';

/** A JSON value whose object keys are already in the wanted order. */
export type OrderedJson = string | number | boolean | null | OrderedJson[] | { [k: string]: OrderedJson | undefined };

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Serialises `v` as Go's json.Marshal would a struct with the same field order; `undefined` fields are omitted. */
export function goJson(v: OrderedJson | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goString(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`goJson: non-finite number ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return `[${v.map((x) => goJson(x)).join(',')}]`;
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v)) if (x !== undefined) parts.push(`${goString(k)}:${goJson(x)}`);
  return `{${parts.join(',')}}`;
}

/** A copy of a string-keyed map with keys sorted bytewise (Go's map encoding order). */
export function sortedMap<T>(m: Record<string, T> | undefined): Record<string, T> | undefined {
  if (!m) return undefined;
  const out: Record<string, T> = {};
  for (const k of Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = m[k];
  return out;
}

/** UTF-8 bytes of `goJson(v)`. */
export function goJsonBytes(v: OrderedJson | undefined): Uint8Array {
  return new TextEncoder().encode(goJson(v));
}

/** Parses JSON bytes, raising `image/invalid-json` with `what` in the message. */
export function parseJsonBytes(bytes: Uint8Array, what: string, maxBytes = 4 * 1024 * 1024): unknown {
  if (bytes.length > maxBytes) {
    throw new LayerlabError('image/too-large', `${what} is ${bytes.length} bytes, over the limit maxJsonBytes=${maxBytes}`, {
      data: { limit: 'maxJsonBytes', size: bytes.length },
    });
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new LayerlabError('image/invalid-json', `invalid ${what}: ${(e as Error).message}`, { cause: e });
  }
}

/** True if `v` is a plain JSON object. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
