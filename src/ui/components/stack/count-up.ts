/**
 * The size count-up of a slab or an image as it settles (LAB-DESIGN "Motion that explains": "its size
 * counts up"): an ease-out from `from` to `to`, whole bytes, never past `to`, exactly `to` at the end.
 */
export function countUpValue(from: number, to: number, t: number): number {
  if (t >= 1) return to;
  if (t <= 0) return from;
  const eased = 1 - (1 - t) ** 3;
  return Math.round(from + (to - from) * eased);
}

/** How long a count-up lasts for a slab entrance of `animationMs` (0: no count-up, the value at once). */
export function countUpMs(animationMs: number): number {
  return animationMs <= 0 ? 0 : Math.max(600, animationMs * 2);
}
