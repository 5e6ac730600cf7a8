/**
 * Reads files and whole folders dropped from the computer (DataTransferItem.webkitGetAsEntry, the
 * File and Directory Entries API every current browser implements) or picked with a file input.
 * Browsers do not pass Unix modes, so every file arrives as 0644; the tree's checkbox sets +x.
 */

/** One dropped entry: a file with its bytes, or an (possibly empty) folder without. */
export interface DroppedEntry {
  path: string;
  bytes?: Uint8Array;
}

const fileOf = (e: FileSystemFileEntry) => new Promise<File>((res, rej) => e.file(res, rej));

async function readAll(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const out: FileSystemEntry[] = [];
  // readEntries returns at most 100 entries per call in Chromium: read until an empty batch.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
    if (!batch.length) return out;
    out.push(...batch);
  }
}

async function walk(entry: FileSystemEntry, prefix: string, out: DroppedEntry[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const f = await fileOf(entry as FileSystemFileEntry);
    out.push({ path, bytes: new Uint8Array(await f.arrayBuffer()) });
  } else if (entry.isDirectory) {
    const children = await readAll(entry as FileSystemDirectoryEntry);
    if (!children.length) out.push({ path });
    for (const c of children) await walk(c, path, out);
  }
}

/** Everything in a drop, folders walked recursively, paths placed under `into` ('' for the root). */
export async function readDrop(dt: DataTransfer, into: string): Promise<DroppedEntry[]> {
  const out: DroppedEntry[] = [];
  // Entries must be taken synchronously, before the first await: the DataTransfer empties afterwards.
  const entries = [...dt.items].filter((i) => i.kind === 'file').map((i) => i.webkitGetAsEntry?.() ?? null);
  if (entries.length && entries.every((e) => e !== null)) {
    for (const e of entries) await walk(e!, into, out);
    return out;
  }
  return readFileList(dt.files, into);
}

/** Files from an `<input type=file>` (with `webkitdirectory`, their relative paths keep the folder). */
export async function readFileList(files: FileList | readonly File[], into: string): Promise<DroppedEntry[]> {
  const out: DroppedEntry[] = [];
  for (const f of files) {
    const rel = f.webkitRelativePath || f.name;
    out.push({ path: into ? `${into}/${rel}` : rel, bytes: new Uint8Array(await f.arrayBuffer()) });
  }
  return out;
}
