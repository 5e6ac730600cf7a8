/**
 * semver, loaded on first use: only npm commands need it, and loading it costs about 20 ms of
 * CPU at start-up (the CLI) or a chunk (the page) otherwise.
 */
import type SemverModule from 'semver';

type Semver = typeof SemverModule;
let loading: Promise<Semver> | undefined;

export function loadSemver(): Promise<Semver> {
  loading ??= import('semver').then((m) => (m as { default?: Semver }).default ?? (m as unknown as Semver));
  return loading;
}
