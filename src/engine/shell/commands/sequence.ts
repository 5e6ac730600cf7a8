/**
 * `seq` and `yes`: commands that print a lot from a few arguments, written so that their output
 * is bounded by the room the interpreter gives one command (`CommandIO.outputRoom`: the output
 * limit, or the filesystem quota left when their stdout goes to a file), checked as they go, and
 * built in large chunks instead of one array entry per line (just-bash's `seq` keeps every number
 * in an array and stops at a million lines). `seq 1 9999999 > /f` (79 MB) therefore writes the
 * file under the default quota.
 *
 * Reproduced behaviour: GNU coreutils `seq [-w] [-s SEP] [FIRST [INCREMENT]] LAST` (also
 * BusyBox's), with just-bash's messages for bad arguments; `yes [STRING…]`.
 *
 * Simulation: programs run one after another, so `yes` cannot be stopped by its reader closing the
 * pipe. The shell tells it how much `head -c N` or `head -n N` after it will read (see interpreter.ts
 * `yesBoundPlugin`); with another reader it prints 64 KiB of lines and exits as if the reader had
 * gone (a reader that consumes everything, `yes | wc -l`, would run forever in a container).
 */
import type { CommandIO, CommandOutput, ShellCommand } from './command.ts';
import { fail } from './command.ts';

/**
 * Collects output items separated by `sep` as large flat strings: items are gathered in an array
 * and joined every 64 Ki items (a `+=` per item would build a rope of millions of nodes), the
 * chunks joined once at the end.
 */
class Chunks {
  private parts: string[] = [];
  private items: string[] = [];
  /** Characters so far, separators included. */
  length = 0;
  constructor(private readonly sep: string) {}
  add(s: string) {
    this.length += s.length + (this.length > 0 ? this.sep.length : 0);
    this.items.push(s);
    if (this.items.length >= 65536) this.seal();
  }
  private seal() {
    if (this.items.length) this.parts.push(this.items.join(this.sep));
    this.items = [];
  }
  text(): string {
    this.seal();
    const t = this.parts.length === 1 ? this.parts[0] : this.parts.join(this.sep);
    this.parts = [];
    return t;
  }
}

const room = (io: CommandIO) => io.outputRoom?.() ?? Number.MAX_SAFE_INTEGER;

function tooLarge(io: CommandIO, limit: number): CommandOutput {
  return io.outputTooLarge?.() ?? fail(`${io.name}: output size limit exceeded (${limit} bytes)`, 126);
}

const decimals = (n: string) => {
  const i = n.indexOf('.');
  return i === -1 ? 0 : n.length - i - 1;
};

/** `seq [-w] [-s SEP] [FIRST [INCREMENT]] LAST`. */
export const seq: ShellCommand = (io) => {
  let sep = '\n';
  let pad = false;
  const nums: string[] = [];
  const args = io.args;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-w') pad = true;
    else if (a === '-s' && i + 1 < args.length) sep = args[++i];
    else if (a.startsWith('-s') && a.length > 2) sep = a.slice(2);
    else if ((a === '-ws' || a === '-sw') && i + 1 < args.length) {
      pad = true;
      sep = args[++i];
    } else nums.push(a);
  }
  nums.push(...args.slice(i));
  if (nums.length === 0) return fail('seq: missing operand');
  const [firstS, incS, lastS] = nums.length === 1 ? ['1', '1', nums[0]] : nums.length === 2 ? [nums[0], '1', nums[1]] : nums;
  const bad = [firstS, incS, lastS].find((n) => !Number.isFinite(parseFloat(n)));
  if (bad !== undefined) return fail(`seq: invalid floating point argument: '${bad}'`);
  const first = parseFloat(firstS);
  const inc = parseFloat(incS);
  const last = parseFloat(lastS);
  if (inc === 0) return fail(`seq: invalid Zero increment value: '0'`);
  const places = Math.max(decimals(firstS), decimals(incS), decimals(lastS));
  const show = (v: number) => (places > 0 ? v.toFixed(places) : String(Math.round(v)));
  const count = (inc > 0 ? last < first : last > first) ? 0 : Math.floor((last - first) / inc + 1e-10) + 1;
  if (count <= 0) return { stdout: '', stderr: '', exitCode: 0 };
  // -w: every number as wide as the widest end, sign included (GNU: `seq -w -1 1` is -1 00 01).
  let width = 0;
  if (pad) for (const v of [first, first + (count - 1) * inc]) width = Math.max(width, show(v).length);
  const fmt = (v: number) => {
    const s = show(v);
    if (!pad) return s;
    return s.startsWith('-') ? `-${s.slice(1).padStart(width - 1, '0')}` : s.padStart(width, '0');
  };
  const limit = room(io);
  const out = new Chunks(sep);
  const plain = places === 0 && !pad;
  for (let k = 0; k < count; k++) {
    const v = first + k * inc;
    out.add(plain ? String(v) : fmt(v));
    if (out.length + 1 > limit) return tooLarge(io, limit);
  }
  return { stdout: out.text() + '\n', stderr: '', exitCode: 0 };
};

/** Hidden first argument the shell adds to `yes` when `head` reads its output: how much it reads. */
export const YES_BOUND_ARG = '--layerlab-reader-wants=';

/** What `yes` prints without a known reader before it exits as if the reader had gone. */
const YES_DEFAULT_BYTES = 64 * 1024;

/** `yes [STRING…]`: the line (default `y`) over and over, as much as its reader takes. */
export const yes: ShellCommand = (io) => {
  let args = io.args;
  let wantBytes = YES_DEFAULT_BYTES;
  if (args[0]?.startsWith(YES_BOUND_ARG)) {
    const [kind, n] = args[0].slice(YES_BOUND_ARG.length).split(':');
    args = args.slice(1);
    const line = (args.length ? args.join(' ') : 'y') + '\n';
    wantBytes = kind === 'lines' ? Number(n) * line.length : Number(n);
  }
  const line = (args.length ? args.join(' ') : 'y') + '\n';
  const limit = room(io);
  if (wantBytes > limit) return tooLarge(io, limit);
  const copies = Math.ceil(wantBytes / line.length);
  // Doubling: log2(copies) concatenations instead of one per line.
  let block = line;
  let out = '';
  let left = copies;
  while (left > 0) {
    if (left & 1) out += block;
    left >>= 1;
    if (left) block += block;
  }
  return { stdout: out, stderr: '', exitCode: 0 };
};
