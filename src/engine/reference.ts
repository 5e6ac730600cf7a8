/**
 * Image references (`name[:tag][@digest]`) parsed and normalised as the docker CLI does, following
 * distribution/reference (`normalize.go`, `regexp.go`): `alpine` → `docker.io/library/alpine:latest`,
 * displayed in the familiar form `alpine:latest`. Errors use Docker's wording.
 */
import { LayerlabError } from './errors.ts';

/** Docker Hub's canonical domain. */
export const DEFAULT_DOMAIN = 'docker.io';
/** The repository prefix of Docker Hub's official images. */
export const OFFICIAL_REPO_PREFIX = 'library/';
/** The tag implied when a reference has neither tag nor digest. */
export const DEFAULT_TAG = 'latest';

/** A parsed, normalised image reference. */
export interface ImageReference {
  /** Registry host (with port): `docker.io`, `localhost:5000`. */
  domain: string;
  /** Repository path inside the registry: `library/alpine`, `app`. */
  path: string;
  tag?: string;
  digest?: string;
}

const alnum = '[a-z0-9]+';
const sep = '(?:[._]|__|[-]+)';
const pathComponent = `${alnum}(?:${sep}${alnum})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const domainPat = `${host}(?::[0-9]+)?`;
const tagPat = '[\\w][\\w.-]{0,127}';
const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const namePat = `(?:${domainPat}/)?${pathComponent}(?:/${pathComponent})*`;
const REFERENCE_RE = new RegExp(`^(${namePat})(?::(${tagPat}))?(?:@(${digestPat}))?$`);
const TAG_RE = new RegExp(`^${tagPat}$`);
const ANCHORED_ID = /^[a-f0-9]{64}$/;
const NAME_TOTAL_LENGTH_MAX = 255;

function invalid(msg = 'invalid reference format', data: Record<string, unknown> = {}): LayerlabError {
  return new LayerlabError('reference/invalid', msg, { data });
}

function splitDockerDomain(name: string): [string, string] {
  const i = name.indexOf('/');
  let domain: string;
  let remainder: string;
  const first = i === -1 ? '' : name.slice(0, i);
  if (i === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(i + 1);
  }
  if (domain === 'index.docker.io') domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return [domain, remainder];
}

/**
 * Parses a reference as `docker pull` does (ParseNormalizedNamed); no default tag is added.
 * Throws `reference/invalid` with Docker's messages.
 */
export function parseReference(s: string): ImageReference {
  if (ANCHORED_ID.test(s)) throw invalid(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  const [domain, remainder] = splitDockerDomain(s);
  const tagSep = remainder.search(/[:@]/);
  const remote = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (remote.toLowerCase() !== remote) {
    throw invalid(`invalid reference format: repository name (${remote}) must be lowercase`, { input: s });
  }
  const m = REFERENCE_RE.exec(`${domain}/${remainder}`);
  if (!m) throw invalid('invalid reference format', { input: s });
  if (m[1].length > NAME_TOTAL_LENGTH_MAX) throw invalid(`invalid reference format: repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`);
  const ref: ImageReference = { domain, path: m[1].slice(domain.length + 1) };
  if (m[2]) ref.tag = m[2];
  if (m[3]) {
    if (!/^sha256:[0-9a-f]{64}$/.test(m[3])) throw invalid(`invalid reference format: unsupported digest ${m[3]}`);
    ref.digest = m[3];
  }
  return ref;
}

/** Adds `:latest` when the reference has neither tag nor digest (docker's TagNameOnly). */
export function withDefaultTag(r: ImageReference): ImageReference {
  return r.tag || r.digest ? r : { ...r, tag: DEFAULT_TAG };
}

/** Parses and adds the default tag: what `docker pull`/`docker tag` resolve a user's string to. */
export function normalizeReference(s: string): ImageReference {
  return withDefaultTag(parseReference(s));
}

/** The repository name: `docker.io/library/alpine`. */
export function repositoryName(r: ImageReference): string {
  return `${r.domain}/${r.path}`;
}

/** The full string: `docker.io/library/alpine:latest`, `localhost:5000/app@sha256:…`. */
export function formatReference(r: ImageReference): string {
  return `${repositoryName(r)}${r.tag ? ':' + r.tag : ''}${r.digest ? '@' + r.digest : ''}`;
}

/** The familiar repository name docker prints: `alpine`, `user/app`, `localhost:5000/app`. */
export function familiarName(r: ImageReference): string {
  if (r.domain !== DEFAULT_DOMAIN) return repositoryName(r);
  return r.path.startsWith(OFFICIAL_REPO_PREFIX) && r.path.split('/').length === 2 ? r.path.slice(OFFICIAL_REPO_PREFIX.length) : r.path;
}

/** The familiar string docker prints: `alpine:latest`. */
export function familiarString(r: ImageReference): string {
  return `${familiarName(r)}${r.tag ? ':' + r.tag : ''}${r.digest ? '@' + r.digest : ''}`;
}

/** True if `s` is a valid tag (`[\w][\w.-]{0,127}`). */
export function isValidTag(s: string): boolean {
  return TAG_RE.test(s);
}

/** Normalises a user string to its full form with default tag: `alpine` → `docker.io/library/alpine:latest`. */
export function normalizeRefString(s: string): string {
  return formatReference(normalizeReference(s));
}

/** The familiar form of a full or familiar reference string (`docker.io/library/alpine:latest` → `alpine:latest`). */
export function familiarRefString(s: string): string {
  return familiarString(parseReference(s));
}

/**
 * The key of a named build context (`--build-context NAME=…`) and of the name a Dockerfile looks
 * it up by: the familiar reference without `:latest`, as buildx and the dockerfile frontend both
 * normalise it (`docker.io/library/alpine:latest` and `alpine` are one key); a name that is no
 * valid reference is its own key.
 */
export function namedContextKey(s: string): string {
  try {
    return familiarString(normalizeReference(s)).replace(/:latest$/, '');
  } catch {
    return s;
  }
}

/** The full form of a reference for messages and progress names, or the string as given when it is not a valid reference. */
export function displayRefString(s: string): string {
  try {
    return normalizeRefString(s);
  } catch {
    return s;
  }
}

/**
 * Splits a familiar `repository:tag` (an image's RepoTags entry) into the REPOSITORY and TAG
 * columns of `docker images`; a port in the registry host is not a tag.
 */
export function splitRepoTag(s: string): { repository: string; tag: string } {
  const i = s.lastIndexOf(':');
  if (i < 0 || s.indexOf('/', i) >= 0) return { repository: s, tag: '<none>' };
  return { repository: s.slice(0, i), tag: s.slice(i + 1) };
}
