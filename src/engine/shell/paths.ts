/** POSIX path helpers for the shell (absolute, `/`-separated, `.` and `..` resolved lexically). */

/** Cleans an absolute path: `/a//b/../c/` → `/a/c`. */
export function normalizePath(p: string): string {
  const out: string[] = [];
  for (const c of p.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') out.pop();
    else out.push(c);
  }
  return '/' + out.join('/');
}

/** Resolves `path` against the directory `base`, as the shell does with a relative path. */
export function resolvePath(base: string, path: string): string {
  return normalizePath(path.startsWith('/') ? path : `${base}/${path}`);
}

/** The last component of a path (`basename`). */
export function baseName(p: string): string {
  const n = normalizePath(p);
  return n.slice(n.lastIndexOf('/') + 1);
}

/** The directory part of a path (`dirname`). */
export function dirName(p: string): string {
  const n = normalizePath(p);
  const i = n.lastIndexOf('/');
  return i <= 0 ? '/' : n.slice(0, i);
}
