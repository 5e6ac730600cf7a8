/**
 * What `du` adds up and how it prints it (see du.ts): st_blocks and st_size of an entry as ext4
 * reports them, and the two size formats, gnulib's human_readable() (GNU du) and BusyBox's
 * make_human_readable_str(), checked in du.test.ts against both du's outputs for byte counts
 * from 0 to 1 TiB.
 */
import type { ShellStat } from '../types.ts';

/** Simulation: the block size of ext4 and of overlayfs' upper directory on it. */
export const BLOCK = 4096;

/** st_blocks (512-byte units) of an entry on a disk filesystem (ext4, overlayfs); see the Simulation note. */
export function diskBlocks(st: ShellStat): number {
  if (st.type === 'file') return Math.ceil(st.size / BLOCK) * (BLOCK / 512);
  if (st.type === 'dir') return BLOCK / 512;
  return 0;
}

/** st_size as stat(2) reports it on ext4: a directory's is its one block. */
export function apparentSize(st: ShellStat): number {
  return st.type === 'dir' ? st.size || BLOCK : st.size;
}

const GNU_POWERS = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];

/**
 * gnulib's human_readable() for an exact byte count, in the modes du uses: `human: false` prints
 * ceil(bytes / unit); `human: true` autoscales by `base` (1024 for `-h`, 1000 for `--si`), rounding
 * up, with one decimal below 10 (`4.0K`, `1.1M`, `10M`, `232K`) and `1024K` carried into `1.0M`.
 */
export function gnuSize(bytes: number, opts: { human: boolean; base?: number; unit?: number }): string {
  if (!opts.human) return String(Math.ceil(bytes / (opts.unit ?? 1024)));
  const base = opts.base ?? 1024;
  let amt = bytes;
  let exponent = 0;
  // tenths: the next decimal digit; rest: whether anything is left below it.
  let tenths = 0;
  let rest = false;
  if (amt >= base) {
    do {
      const r10 = (amt % base) * 10 + tenths;
      rest = rest || r10 % base !== 0;
      amt = Math.floor(amt / base);
      tenths = Math.floor(r10 / base);
      exponent++;
    } while (amt >= base && exponent < GNU_POWERS.length - 1);
    if (amt < 10) {
      if (rest) {
        tenths++;
        rest = false;
        if (tenths === 10) {
          amt++;
          tenths = 0;
        }
      }
      if (amt < 10) return `${amt}.${tenths}${suffix(exponent, base)}`;
    }
  }
  if (tenths > 0 || rest) {
    amt++;
    if (amt === base && exponent > 0 && exponent < GNU_POWERS.length - 1) return `1.0${suffix(exponent + 1, base)}`;
  }
  return `${amt}${suffix(exponent, base)}`;
}

function suffix(exponent: number, base: number): string {
  return base === 1000 && exponent === 1 ? 'k' : GNU_POWERS[exponent];
}

const BB_UNITS = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];

/**
 * BusyBox's `print()` + make_human_readable_str(): `size` in 512-byte blocks (bytes with `-b`),
 * `unit` 0 for `-h` (a tenth rounded to nearest from the last division only: 1052 KiB is `1.0M`,
 * 1023.99 KiB `1024.0K`), else the display unit in bytes (1024, or 1 MiB rounded up as the
 * ENABLE_DESKTOP build adds `unit - 1` KiB first, or 1 for `-b`).
 */
export function busyboxSize(size: number, opts: { bytes: boolean; unit: number }): string {
  if (opts.unit) size += Math.floor((opts.unit - 1) / 1024);
  if (size === 0) return '0';
  let val = opts.bytes ? size : size * 512;
  if (opts.unit) return String(Math.floor((val + Math.floor(opts.unit / 2)) / opts.unit));
  let u = 0;
  let frac = 0;
  while (val >= 1024) {
    u++;
    frac = Math.floor((((val % 1024) * 10) + 512) / 1024);
    val = Math.floor(val / 1024);
  }
  if (frac >= 10) {
    val++;
    frac = 0;
  }
  return u === 0 ? String(val) : `${val}.${frac}${BB_UNITS[u]}`;
}
