/**
 * Registry errors with the codes and messages of the distribution spec (distribution-spec
 * spec.md "Error Codes", distribution's `registry/api/errcode` and `registry/api/v2/errors.go`).
 * Each is a LayerlabError with code `registry/<lowercase-code>` and the spec's error body in
 * `data` (`{ errorCode, detail }`), as a registry's JSON `{"errors":[{code, message, detail}]}`.
 */
import { LayerlabError } from '../errors.ts';

/** The distribution spec's error codes used by the lab registry. */
export type DistributionErrorCode =
  | 'BLOB_UNKNOWN'
  | 'BLOB_UPLOAD_INVALID'
  | 'DIGEST_INVALID'
  | 'SIZE_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'NAME_INVALID'
  | 'NAME_UNKNOWN'
  | 'TAG_INVALID'
  | 'DENIED'
  | 'UNSUPPORTED';

/** The message distribution's registry sends for each code. */
export const DISTRIBUTION_MESSAGES: Readonly<Record<DistributionErrorCode, string>> = {
  BLOB_UNKNOWN: 'blob unknown to registry',
  BLOB_UPLOAD_INVALID: 'blob upload invalid',
  DIGEST_INVALID: 'provided digest did not match uploaded content',
  SIZE_INVALID: 'provided length did not match content length',
  MANIFEST_BLOB_UNKNOWN: 'blob unknown to registry',
  MANIFEST_INVALID: 'manifest invalid',
  MANIFEST_UNKNOWN: 'manifest unknown',
  NAME_INVALID: 'invalid repository name',
  NAME_UNKNOWN: 'repository name not known to registry',
  TAG_INVALID: 'manifest tag did not match URI',
  DENIED: 'requested access to the resource is denied',
  UNSUPPORTED: 'The operation is unsupported.',
};

/** A registry error: `registry/blob-unknown` with `data.errorCode === 'BLOB_UNKNOWN'`. */
export function distributionError(code: DistributionErrorCode, detail: Record<string, unknown> = {}, message?: string): LayerlabError {
  const msg = DISTRIBUTION_MESSAGES[code];
  return new LayerlabError(`registry/${code.toLowerCase().replace(/_/g, '-')}`, message ?? `${code.toLowerCase().replace(/_/g, ' ')}: ${msg}`, {
    data: { errorCode: code, message: msg, detail },
  });
}

/** True if `e` is a registry error with the given distribution code. */
export function isDistributionError(e: unknown, code: DistributionErrorCode): e is LayerlabError {
  return e instanceof LayerlabError && e.data.errorCode === code;
}
