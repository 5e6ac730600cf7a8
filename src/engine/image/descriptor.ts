/**
 * Content descriptors (image-spec descriptor.md): `{mediaType, digest, size}` pointing at a blob,
 * and platforms (image-index.md) naming the os/architecture a manifest is for.
 */
import { LayerlabError } from '../errors.ts';
import { isDigest, type Digest } from '../digest.ts';
import type { OrderedJson } from './json.ts';
import { isObject, sortedMap } from './json.ts';

/** A pointer to a blob: its media type, digest and size in bytes (image-spec descriptor.md). */
export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  platform?: Platform;
  artifactType?: string;
}

/** The platform a manifest runs on (image-spec image-index.md `platform`). */
export interface Platform {
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
}

/** A descriptor as ordered JSON (ocispec.Descriptor field order). */
export function descriptorJson(d: Descriptor): OrderedJson {
  return {
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    urls: d.urls,
    annotations: sortedMap(d.annotations),
    platform: d.platform ? platformJson(d.platform) : undefined,
    artifactType: d.artifactType,
  };
}

/** A platform as ordered JSON (ocispec.Platform field order). */
export function platformJson(p: Platform): OrderedJson {
  return {
    architecture: p.architecture,
    os: p.os,
    'os.version': p['os.version'],
    'os.features': p['os.features'],
    variant: p.variant,
  };
}

function bad(what: string, msg: string): never {
  throw new LayerlabError('image/invalid-descriptor', `invalid ${what}: ${msg}`, { data: { what } });
}

/** Checks and copies an untrusted descriptor. */
export function parseDescriptor(v: unknown, what = 'descriptor'): Descriptor {
  if (!isObject(v)) bad(what, 'not an object');
  if (typeof v.mediaType !== 'string') bad(what, 'mediaType missing');
  if (!isDigest(v.digest)) bad(what, `digest ${JSON.stringify(v.digest)} is not sha256:<64 hex>`);
  if (typeof v.size !== 'number' || !Number.isSafeInteger(v.size) || v.size < 0) bad(what, 'size must be a non-negative integer');
  const d: Descriptor = { mediaType: v.mediaType, digest: v.digest, size: v.size };
  if (Array.isArray(v.urls)) d.urls = v.urls.map(String);
  if (isObject(v.annotations)) d.annotations = Object.fromEntries(Object.entries(v.annotations).map(([k, x]) => [k, String(x)]));
  if (isObject(v.platform)) d.platform = parsePlatform(v.platform);
  if (typeof v.artifactType === 'string') d.artifactType = v.artifactType;
  return d;
}

/** Checks and copies an untrusted platform. */
export function parsePlatform(v: unknown): Platform {
  if (!isObject(v) || typeof v.architecture !== 'string' || typeof v.os !== 'string') bad('platform', 'needs architecture and os');
  const p: Platform = { architecture: v.architecture, os: v.os };
  if (typeof v['os.version'] === 'string') p['os.version'] = v['os.version'];
  if (Array.isArray(v['os.features'])) p['os.features'] = v['os.features'].map(String);
  if (typeof v.variant === 'string') p.variant = v.variant;
  return p;
}

/** `linux/amd64`, `linux/arm64/v8`: the platform string docker prints. */
export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}
