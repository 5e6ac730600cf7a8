// SyntheticContent's gzip -6 ratio (compressed/uncompressed) by random share (content.ts),
// measured on 4 MiB with node:zlib; used to pick the share that gives a layer a target blob size.
export const RATIO = [[0, 0.1131], [10, 0.1582], [20, 0.1978], [40, 0.2731], [60, 0.3406], [80, 0.413], [100, 0.4833], [140, 0.6224], [180, 0.7562], [220, 0.892], [256, 1.0]];
/** The random share whose synthetic bytes gzip to `f` of their size (0–256). */
export function shareFor(f) {
  if (f <= RATIO[0][1]) return 0;
  for (let i = 1; i < RATIO.length; i++) {
    const [r0, f0] = RATIO[i - 1];
    const [r1, f1] = RATIO[i];
    if (f <= f1) return Math.round(r0 + ((f - f0) / (f1 - f0)) * (r1 - r0));
  }
  return 256;
}
/** The gzip ratio of synthetic bytes at random share `r`. */
export function ratioOf(r) {
  for (let i = 1; i < RATIO.length; i++) if (r <= RATIO[i][0]) return RATIO[i - 1][1] + ((r - RATIO[i - 1][0]) / (RATIO[i][0] - RATIO[i - 1][0])) * (RATIO[i][1] - RATIO[i - 1][1]);
  return 1;
}
