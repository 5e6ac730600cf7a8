/** Display helpers shared by components (docker's decimal units, short IDs). */
export { humanSize } from '../worker/client.ts';

export function shortId(d: string): string {
  return d.replace(/^sha256:/, '').slice(0, 12);
}
/** `ls -l`-style mode string. */
export function modeString(type: string, mode: number): string {
  const t = { dir: 'd', symlink: 'l', char: 'c', block: 'b', fifo: 'p', socket: 's', hardlink: 'h', whiteout: 'w' }[type] ?? '-';
  const r = (m: number, s: number, x: string, X: string) => (m & s ? (mode & 1 ? x : X) : '');
  let out = t;
  for (const [shift, special, sx, SX] of [[6, 0o4000, 's', 'S'], [3, 0o2000, 's', 'S'], [0, 0o1000, 't', 'T']] as const) {
    const bits = (mode >> shift) & 7;
    out += bits & 4 ? 'r' : '-';
    out += bits & 2 ? 'w' : '-';
    const exec = bits & 1;
    out += mode & special ? (exec ? sx : SX) : exec ? 'x' : '-';
    void r;
  }
  return out;
}
