/**
 * The image config's `Env` list (`KEY=VALUE` strings, config.md `config.Env`): the one place that
 * reads and edits it, for ENV and RUN in the builder, `docker run -e`, `commit --change ENV` and
 * the process environment runc builds from it.
 */

/** The variable an entry sets (`PATH` for `PATH=/bin`; the whole entry when it has no `=`). */
export function envKey(entry: string): string {
  const i = entry.indexOf('=');
  return i < 0 ? entry : entry.slice(0, i);
}

/** Env entries as a Map; later entries win, as runc's environment does. An entry without `=` is an empty value. */
export function envMap(env: readonly string[] | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of env ?? []) {
    const i = e.indexOf('=');
    if (i > 0) m.set(e.slice(0, i), e.slice(i + 1));
    else if (i < 0 && e) m.set(e, '');
  }
  return m;
}

/** Env entries as a plain record (later entries win). */
export function envRecord(env: readonly string[] | undefined): Record<string, string> {
  return Object.fromEntries(envMap(env));
}

/** A copy of `env` with each of `entries` replacing the entry of the same variable in place, or appended (`ENV`, `run -e`). */
export function mergeEnv(env: readonly string[] | undefined, entries: readonly string[]): string[] {
  const out = [...(env ?? [])];
  for (const e of entries) {
    const k = envKey(e);
    const i = out.findIndex((x) => envKey(x) === k);
    if (i >= 0) out[i] = e;
    else out.push(e);
  }
  return out;
}
