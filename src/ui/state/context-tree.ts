/**
 * The build context as the file tree shows it: pure functions over a flat file list (no runes, no
 * DOM), so they are unit-tested and shared by the workspace state and the tree component.
 * `.dockerignore` marking uses the engine's own matcher (moby/patternmatcher semantics) through
 * `worker/dockerignore.ts`, so the tree greys exactly what a build would leave out.
 */
import { IgnoreMatcher, parseDockerignore } from '../../worker/dockerignore.ts';

/** One file of the workspace's build context. */
export interface WorkspaceFile {
  /** Relative to the context root, `/`-separated, no leading `/` (`src/app.js`). */
  path: string;
  bytes: Uint8Array;
  /** Permission bits (0o644, 0o755 for an executable). */
  mode: number;
}

/** A node of the tree: a folder (explicit or implied by its files) or a file. */
export interface TreeNode {
  name: string;
  path: string;
  kind: 'file' | 'dir';
  /** File bytes, or the sum over a folder's files. */
  size: number;
  mode: number;
  /** Left out of the build by `.dockerignore` (a folder: every file in it is, or the folder itself matches). */
  ignored: boolean;
  binary: boolean;
  children: TreeNode[];
}

/** One visible row of the tree, in display order, with the ARIA tree's level/position data. */
export interface TreeRow {
  node: TreeNode;
  level: number;
  posinset: number;
  setsize: number;
  parent?: string;
}

/** Cleans a user-typed path: `/`-separated, no empty, `.` or `..` segments; '' when nothing is left. */
export function normalizePath(p: string): string {
  return p
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.' && s !== '..')
    .join('/');
}

/** Why a new name cannot be used, or undefined when it can. */
export function nameProblem(path: string, taken: (p: string) => boolean): string | undefined {
  const p = normalizePath(path);
  if (!p) return 'Give it a name.';
  if (taken(p)) return `${p} already exists.`;
  return undefined;
}

/** True when the bytes are not text: a NUL byte or invalid UTF-8 in the first 8 KiB. */
export function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.length < bytes.length ? trimPartialUtf8(head) : head);
    return false;
  } catch {
    return true;
  }
}

/** Drops a multi-byte sequence cut at the end of a slice, so a text file's head still decodes. */
function trimPartialUtf8(b: Uint8Array): Uint8Array {
  let i = b.length - 1;
  let back = 0;
  while (i >= 0 && back < 3 && (b[i] & 0xc0) === 0x80) {
    i--;
    back++;
  }
  return i >= 0 && b[i] >= 0xc0 ? b.subarray(0, i) : b;
}

/** A `.dockerignore` test for context paths; nothing is ignored when there is no file. */
export function ignoreTest(dockerignore: string | undefined): (path: string) => boolean {
  if (!dockerignore) return () => false;
  const m = new IgnoreMatcher(parseDockerignore(dockerignore));
  return (p) => m.matches(p);
}

/** Builds the tree: folders first, then files, each by name; implied parent folders are added. */
export function buildTree(files: readonly WorkspaceFile[], folders: readonly string[], isIgnored: (p: string) => boolean): TreeNode[] {
  const root: TreeNode = { name: '', path: '', kind: 'dir', size: 0, mode: 0o755, ignored: false, binary: false, children: [] };
  const dirs = new Map<string, TreeNode>([['', root]]);
  const dir = (path: string): TreeNode => {
    let d = dirs.get(path);
    if (d) return d;
    const cut = path.lastIndexOf('/');
    const parent = dir(cut < 0 ? '' : path.slice(0, cut));
    d = { name: path.slice(cut + 1), path, kind: 'dir', size: 0, mode: 0o755, ignored: false, binary: false, children: [] };
    parent.children.push(d);
    dirs.set(path, d);
    return d;
  };
  for (const f of folders) dir(f);
  for (const f of files) {
    const cut = f.path.lastIndexOf('/');
    const parent = dir(cut < 0 ? '' : f.path.slice(0, cut));
    parent.children.push({
      name: f.path.slice(cut + 1), path: f.path, kind: 'file', size: f.bytes.length, mode: f.mode,
      ignored: isIgnored(f.path), binary: looksBinary(f.bytes), children: [],
    });
  }
  const finish = (d: TreeNode): void => {
    d.children.sort((a, b) => (a.kind !== b.kind ? (a.kind === 'dir' ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let files = 0;
    let ignored = 0;
    for (const c of d.children) {
      if (c.kind === 'dir') finish(c);
      d.size += c.size;
    }
    const walk = (n: TreeNode) => n.children.forEach((c) => (c.kind === 'file' ? (files++, c.ignored && ignored++) : walk(c)));
    walk(d);
    if (d.path) d.ignored = files > 0 ? ignored === files : isIgnored(d.path);
  };
  finish(root);
  return root.children;
}

/** The rows a reader sees: children of collapsed folders are left out. */
export function visibleRows(nodes: readonly TreeNode[], isExpanded: (path: string) => boolean, level = 1, parent?: string): TreeRow[] {
  const rows: TreeRow[] = [];
  nodes.forEach((node, i) => {
    rows.push({ node, level, posinset: i + 1, setsize: nodes.length, parent });
    if (node.kind === 'dir' && isExpanded(node.path)) rows.push(...visibleRows(node.children, isExpanded, level + 1, node.path));
  });
  return rows;
}

/** What a build would send: files and bytes after `.dockerignore`, and what it leaves out. */
export function contextSize(files: readonly WorkspaceFile[], isIgnored: (p: string) => boolean) {
  const out = { files: 0, bytes: 0, ignoredFiles: 0, ignoredBytes: 0 };
  for (const f of files) {
    if (isIgnored(f.path)) {
      out.ignoredFiles++;
      out.ignoredBytes += f.bytes.length;
    } else {
      out.files++;
      out.bytes += f.bytes.length;
    }
  }
  return out;
}

/** `path` itself or anything below it. */
export function isUnder(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + '/');
}

/** The path after moving `from` (a file or a folder) to `to`; unrelated paths are unchanged. */
export function movedPath(path: string, from: string, to: string): string {
  return isUnder(path, from) ? to + path.slice(from.length) : path;
}

/** What a key does on a treeitem (WAI-ARIA APG tree view pattern, single select). */
export type TreeKeyAction =
  | { kind: 'focus'; path: string }
  | { kind: 'expand' | 'collapse' | 'toggle'; path: string }
  | { kind: 'rename' | 'remove'; path: string }
  | null;

/**
 * The action for `key` on the row at `path`: ↓/↑ next/previous visible row, Home/End first/last,
 * → opens a closed folder or enters an open one, ← closes an open folder or goes to the parent,
 * Enter/Space toggles a folder, F2 renames, Delete removes. Null when the key is not the tree's.
 */
export function treeKeyAction(key: string, rows: readonly TreeRow[], path: string, isExpanded: (path: string) => boolean): TreeKeyAction {
  const i = rows.findIndex((r) => r.node.path === path);
  const row = rows[i];
  if (!row) return null;
  const dir = row.node.kind === 'dir';
  const open = dir && isExpanded(path);
  const focus = (r: TreeRow | undefined): TreeKeyAction => (r ? { kind: 'focus', path: r.node.path } : null);
  switch (key) {
    case 'ArrowDown': return focus(rows[i + 1]);
    case 'ArrowUp': return focus(rows[i - 1]);
    case 'Home': return focus(rows[0]);
    case 'End': return focus(rows[rows.length - 1]);
    case 'ArrowRight':
      if (dir && !open) return { kind: 'expand', path };
      return open && row.node.children.length ? focus(rows[i + 1]) : null;
    case 'ArrowLeft':
      if (open) return { kind: 'collapse', path };
      return row.parent !== undefined ? { kind: 'focus', path: row.parent } : null;
    case 'Enter':
    case ' ':
      return dir ? { kind: 'toggle', path } : { kind: 'focus', path };
    case 'F2': return { kind: 'rename', path };
    case 'Delete': return { kind: 'remove', path };
    default: return null;
  }
}
