/**
 * docker's human texts for container state, computed in the engine so the UI shows the same words
 * as the CLI: STATUS (moby `container/state.go` `State.String`), PORTS (docker/cli
 * `DisplayablePorts`), and go-units `HumanDuration`.
 */
import type { ContainerRecord, PortBinding } from './types.ts';
import { humanDuration } from '../units.ts';

export { humanDuration };

/** STATUS as moby prints it: `Created`, `Up 5 seconds`, `Exited (0) 2 minutes ago`. */
export function statusText(state: ContainerRecord['state'], nowMs: number): string {
  switch (state.status) {
    case 'running':
      return `Up ${humanDuration(Math.max(0, nowMs - Date.parse(state.startedAt ?? '')))}${state.paused ? ' (Paused)' : ''}`;
    case 'exited': {
      const t = state.finishedAt ? Date.parse(state.finishedAt) : NaN;
      return Number.isFinite(t) ? `Exited (${state.exitCode}) ${humanDuration(Math.max(0, nowMs - t))} ago` : `Exited (${state.exitCode})`;
    }
    default:
      return 'Created';
  }
}

/**
 * PORTS as docker ps prints it for a running container: published ports as
 * `0.0.0.0:8080->80/tcp`, exposed-only ports as `80/tcp` (ranges of consecutive ports grouped).
 */
export function portsText(published: readonly PortBinding[], exposed: readonly string[]): string {
  const pub = [...published].sort((a, b) => a.containerPort - b.containerPort || a.hostPort - b.hostPort);
  const publishedKeys = new Set(pub.map((p) => `${p.containerPort}/${p.proto}`));
  const bare = exposed
    .filter((e) => !publishedKeys.has(e.includes('/') ? e : `${e}/tcp`))
    .map((e) => {
      const [port, proto = 'tcp'] = e.split('/');
      return { port: Number(port), proto };
    })
    .sort((a, b) => a.port - b.port);
  const out: string[] = [];
  let i = 0;
  while (i < bare.length) {
    let j = i;
    while (j + 1 < bare.length && bare[j + 1].proto === bare[i].proto && bare[j + 1].port === bare[j].port + 1) j++;
    out.push(`${bare[i].port}${j > i ? `-${bare[j].port}` : ''}/${bare[i].proto}`);
    i = j + 1;
  }
  for (const p of pub) out.push(`${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.proto}`);
  return out.join(', ');
}
