/**
 * System-information commands just-bash lacks: `uname`, `nproc`, and the `trap` builtin.
 * Simulation: the "kernel" is fixed (Linux 6.x on x86_64, like a Docker Desktop VM) and so is the CPU count.
 */
import { fail, getopt, ok, type CommandIO, type CommandOutput } from './command.ts';

/** The machine the simulated containers run on. */
export const MACHINE = {
  sysname: 'Linux',
  nodename: 'buildkitsandbox',
  release: '6.10.14-linuxkit',
  version: '#1 SMP PREEMPT_DYNAMIC Sat Jan 1 00:00:00 UTC 2025',
  machine: 'x86_64',
  os: 'GNU/Linux',
  cpus: 2,
};

/** coreutils `uname [-asnrvmpio]`. */
export function uname(io: CommandIO): CommandOutput {
  const g = getopt(io.args, 'asnrvmpio', {
    all: 'a', 'kernel-name': 's', nodename: 'n', 'kernel-release': 'r', 'kernel-version': 'v', machine: 'm',
    processor: 'p', 'hardware-platform': 'i', 'operating-system': 'o',
  });
  if (g.error) return fail(`uname: ${g.error}`, 1);
  const o = g.opts;
  const host = io.env.get('HOSTNAME') ?? MACHINE.nodename;
  if (o.has('a')) {
    return ok(`${MACHINE.sysname} ${host} ${MACHINE.release} ${MACHINE.version} ${MACHINE.machine} ${MACHINE.os}\n`);
  }
  const parts: string[] = [];
  if (o.has('s') || o.size === 0) parts.push(MACHINE.sysname);
  if (o.has('n')) parts.push(host);
  if (o.has('r')) parts.push(MACHINE.release);
  if (o.has('v')) parts.push(MACHINE.version);
  if (o.has('m')) parts.push(MACHINE.machine);
  if (o.has('p')) parts.push('unknown');
  if (o.has('i')) parts.push('unknown');
  if (o.has('o')) parts.push(MACHINE.os);
  return ok(parts.join(' ') + '\n');
}

/** coreutils `nproc`. */
export function nproc(_io: CommandIO): CommandOutput {
  return ok(`${MACHINE.cpus}\n`);
}

/**
 * The `trap` builtin. The EXIT (0) trap runs when the script ends; INT, TERM and HUP handlers are
 * recorded and fire when the container's main shell is stopped (`docker stop` sends SIGTERM).
 * Simulation: other signals are accepted and never fire, since nothing else sends signals.
 */
export function trap(io: CommandIO): CommandOutput {
  const args = io.args[0] === '--' ? io.args.slice(1) : io.args;
  if (args.length === 0 || args[0] === '-p' || args[0] === '-l') return ok();
  if (args.length === 1) {
    if (/^(EXIT|0)$/.test(args[0])) io.setExitTrap?.(undefined);
    return ok();
  }
  const [handler, ...sigs] = args;
  for (const s of sigs) {
    if (/^(SIG)?(EXIT|0)$/i.test(s)) io.setExitTrap?.(handler === '-' || handler === '' ? undefined : handler);
    else if (/^(SIG)?(INT|TERM|HUP)$/i.test(s) || /^(1|2|15)$/.test(s)) {
      const name = ({ '1': 'HUP', '2': 'INT', '15': 'TERM' } as Record<string, string>)[s] ?? s.toUpperCase().replace(/^SIG/, '');
      io.setSignalTrap?.(name, handler === '-' ? undefined : handler);
    } else if (!/^(SIG)?[A-Z0-9+-]+$/i.test(s)) return fail(`trap: ${s}: bad trap`, 1);
  }
  return ok();
}
