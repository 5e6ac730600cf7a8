/**
 * Path helpers, the engine's only ones: the union filesystem, the shell, the builder (WORKDIR, COPY
 * destinations) and the build context all clean paths here. Paths inside a mount are POSIX paths;
 * the merged view never lets a path escape its root (`/..` is `/`, as the kernel does at a chroot or
 * mount root).
 */

/** Linux NAME_MAX: the longest file name, in bytes. */
export const NAME_MAX = 255;
/** Linux PATH_MAX: the longest path argument, in bytes including its terminating NUL. */
export const PATH_MAX = 4096;

/** Bytes of `s` in UTF-8, without encoding it. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** True if the path argument `p` is too long for Linux (ENAMETOOLONG): `PATH_MAX` bytes or more. */
export function pathTooLong(p: string): boolean {
  // A UTF-16 unit is at most 3 UTF-8 bytes: short strings need no count.
  return p.length * 3 >= PATH_MAX && utf8Length(p) >= PATH_MAX;
}

/** True if one path component is longer than `NAME_MAX` bytes (ENAMETOOLONG). */
export function nameTooLong(name: string): boolean {
  return name.length * 3 > NAME_MAX && utf8Length(name) > NAME_MAX;
}

/** The path components of `p`, with empty and `.` components dropped; `..` is kept for the resolver. */
export function components(p: string): string[] {
  const out: string[] = [];
  for (const c of p.split('/')) if (c !== '' && c !== '.') out.push(c);
  return out;
}

/** Joins components into a clean absolute path (`[]` is `/`). */
export function fromComponents(parts: readonly string[]): string {
  return parts.length === 0 ? '/' : '/' + parts.join('/');
}

/** Lexically normalises `p` against `cwd` (absolute), folding `.` and `..` without following symlinks. */
export function normalizePath(p: string, cwd = '/'): string {
  const parts: string[] = [];
  const all = p.startsWith('/') ? components(p) : [...components(cwd), ...components(p)];
  for (const c of all) {
    if (c === '..') parts.pop();
    else parts.push(c);
  }
  return fromComponents(parts);
}

/** Resolves `path` against the absolute directory `base`, as a shell or WORKDIR does with a relative path. */
export function resolvePath(base: string, path: string): string {
  return normalizePath(path, base);
}

/** Cleans a path like Go's filepath.Clean, relative form (no leading `/`), `.` for empty: build-context paths. */
export function cleanRelative(p: string): string {
  return normalizePath(p).slice(1) || '.';
}

/** The path of the child `name` of the clean absolute directory path `dir`. */
export function childPath(dir: string, name: string): string {
  return dir === '/' ? '/' + name : dir + '/' + name;
}

/** The parent of a clean absolute path (`/` is its own parent). */
export function parentPath(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** The last component of a clean absolute path (`''` for `/`). */
export function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * True if `p` is already clean and absolute (no empty, `.` or `..` components, no trailing slash),
 * so the resolver may look it up in one step.
 */
export function isCleanAbsolute(p: string): boolean {
  if (p.charCodeAt(0) !== 47) return false;
  if (p.length === 1) return true;
  if (p.charCodeAt(p.length - 1) === 47) return false;
  if (p.indexOf('//') >= 0) return false;
  // A `.`/`..` component starts with `/.`; names like `.pnpm` or `.bin` do too, so each `/.` is
  // checked in place (no split: package managers' paths are full of dot-directories).
  for (let i = p.indexOf('/.'); i >= 0; i = p.indexOf('/.', i + 2)) {
    const next = p.charCodeAt(i + 2);
    if (next !== next || next === 47) return false; // `/.` at the end, or `/./`
    if (next === 46) {
      const after = p.charCodeAt(i + 3);
      if (after !== after || after === 47) return false; // `/..` at the end, or `/../`
    }
  }
  return true;
}

/** Compares clean absolute paths component by component, so a directory sorts right before its children (Go's filepath.Walk order). */
export function comparePaths(a: string, b: string): number {
  const x = components(a);
  const y = components(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length;
}
