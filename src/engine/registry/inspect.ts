/**
 * `docker manifest inspect REF` output, as docker/cli's `cli/command/manifest/inspect.go` prints
 * it: an image manifest is its raw JSON re-indented with tabs (Go's `json.Indent`); an index is
 * re-assembled by distribution's `manifestlist.FromDescriptors` (mediaType, size, digest,
 * platform per entry; OCI index type when the entries are OCI manifests) and printed with Go's
 * `json.MarshalIndent(…, "", "   ")`. `--verbose` prints docker's ImageManifest structs
 * (Ref, Descriptor, Raw as base64, SchemaV2Manifest or OCIManifest) indented with tabs.
 */
import type { Descriptor } from '../image/descriptor.ts';
import { goJson, type OrderedJson } from '../image/json.ts';
import { DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST } from '../image/media-types.ts';

/**
 * Go's `json.Indent(dst, src, prefix="", indent)`: re-indents compact or loose JSON text without
 * touching strings, key order or number spelling.
 */
export function goIndent(src: string, indent: string): string {
  let out = '';
  let depth = 0;
  let inString = false;
  let needIndent = false;
  const nl = () => '\n' + indent.repeat(depth);
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (inString) {
      out += c;
      if (c === '\\') out += src[++i];
      else if (c === '"') inString = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (needIndent && c !== ']' && c !== '}') {
      needIndent = false;
      depth++;
      out += nl();
    }
    switch (c) {
      case '"':
        inString = true;
        out += c;
        break;
      case '{':
      case '[':
        out += c;
        needIndent = true;
        break;
      case ',':
        out += c + nl();
        break;
      case ':':
        out += ': ';
        break;
      case '}':
      case ']':
        if (needIndent) needIndent = false; // empty: `{}` / `[]` stay compact
        else {
          depth--;
          out += nl();
        }
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

function platformJson(d: Descriptor): OrderedJson {
  const p = d.platform;
  // manifestlist.PlatformSpec: architecture and os always, the rest omitempty.
  return {
    architecture: p?.architecture ?? '',
    os: p?.os ?? '',
    'os.version': p?.['os.version'] || undefined,
    'os.features': p?.['os.features']?.length ? p['os.features'] : undefined,
    variant: p?.variant || undefined,
  };
}

/** The manifest list docker prints for an index (non-verbose). */
export function formatManifestList(manifests: readonly Descriptor[]): string {
  const mediaType = manifests[0]?.mediaType === OCI_MANIFEST ? OCI_INDEX : DOCKER_MANIFEST_LIST;
  const json = goJson({
    schemaVersion: 2,
    mediaType,
    manifests: manifests.map((d) => ({ mediaType: d.mediaType, size: d.size, digest: d.digest, platform: platformJson(d) })),
  });
  return goIndent(json, '   ') + '\n';
}

/** An image manifest as docker prints it (non-verbose): its raw bytes indented with tabs. */
export function formatManifest(raw: Uint8Array): string {
  return goIndent(new TextDecoder().decode(raw), '\t') + '\n';
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (Go's encoding of a `[]byte` field in JSON). */
export function base64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < b.length ? B64[n & 63] : '=');
  }
  return s;
}

/** One docker/cli `types.ImageManifest` for `--verbose`. */
export function imageManifestJson(ref: string, d: Descriptor, raw: Uint8Array): OrderedJson {
  const parsed = JSON.parse(new TextDecoder().decode(raw)) as OrderedJson;
  const desc: OrderedJson = {
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    platform: d.platform ? { architecture: d.platform.architecture, os: d.platform.os, variant: d.platform.variant } : undefined,
  };
  return {
    Ref: ref,
    Descriptor: desc,
    Raw: base64(raw),
    SchemaV2Manifest: d.mediaType === OCI_MANIFEST ? undefined : parsed,
    OCIManifest: d.mediaType === OCI_MANIFEST ? parsed : undefined,
  };
}

/** `--verbose` output: one ImageManifest, or a list of them for an index. */
export function formatVerbose(v: OrderedJson): string {
  return goIndent(goJson(v), '\t') + '\n';
}
