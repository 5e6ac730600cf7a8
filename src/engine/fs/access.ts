/**
 * Linux permission checks for the union mount (the `generic_permission` rules of fs/namei.c):
 * owner, group or other bits pick one triple; root (uid 0) bypasses read/write checks and directory
 * search, but executing a non-directory needs at least one execute bit even for root.
 */
import { FsError } from '../errors.ts';
import type { Inode } from './layer-tree.ts';

/** Who is acting on the filesystem: a process's uid, primary gid and supplementary groups. */
export interface Credentials {
  uid: number;
  gid: number;
  groups?: readonly number[];
}

/** The superuser. */
export const ROOT: Credentials = Object.freeze({ uid: 0, gid: 0, groups: Object.freeze([]) });

/** Access bits as in access(2): read 4, write 2, execute/search 1. */
export const R_OK = 4;
export const W_OK = 2;
export const X_OK = 1;

/** True if `cred` may access `inode` with the `want` bits (R_OK | W_OK | X_OK). */
export function mayAccess(cred: Credentials, inode: Inode, want: number): boolean {
  if (cred.uid === 0) {
    if (!(want & X_OK) || inode.type === 'dir') return true;
    return (inode.mode & 0o111) !== 0;
  }
  let bits: number;
  if (cred.uid === inode.uid) bits = (inode.mode >> 6) & 7;
  else if (cred.gid === inode.gid || (cred.groups ?? []).includes(inode.gid)) bits = (inode.mode >> 3) & 7;
  else bits = inode.mode & 7;
  return (bits & want) === want;
}

/** Throws EACCES unless `cred` may access `inode` with `want`. */
export function checkAccess(cred: Credentials, inode: Inode, want: number, syscall: string, path: string): void {
  if (!mayAccess(cred, inode, want)) throw new FsError('EACCES', syscall, path);
}

/** True if `cred` owns `inode` or is root (who may chmod, utimes to an explicit time, …). */
export function isOwner(cred: Credentials, inode: Inode): boolean {
  return cred.uid === 0 || cred.uid === inode.uid;
}

/**
 * Sticky-directory rule (Linux `may_delete`): in a directory with the sticky bit (like /tmp) only the
 * owner of the entry, the owner of the directory or root may remove or rename the entry.
 */
export function checkSticky(cred: Credentials, dir: Inode, victim: Inode, syscall: string, path: string): void {
  if (cred.uid === 0 || !(dir.mode & 0o1000)) return;
  if (cred.uid === victim.uid || cred.uid === dir.uid) return;
  throw new FsError('EPERM', syscall, path);
}
