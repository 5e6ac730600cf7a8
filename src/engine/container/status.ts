/**
 * docker's human texts for container state, computed in the engine so the UI shows the same words
 * as the CLI: STATUS (moby `container/state.go` `State.String`), PORTS (docker/cli
 * `DisplayablePorts`), and go-units `HumanDuration`.
 */
import type { ContainerRecord, PortBinding } from './types.ts';

/** go-units HumanDuration (`5 seconds`, `About a minute`, `2 hours`). */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3600000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(ms / 3600000 / 24 / 365)} years`;
}

/** STATUS as moby prints it: `Created`, `Up 5 seconds`, `Exited (0) 2 minutes ago`. */
export function statusText(state: ContainerRecord['state'], nowMs: number): string {
  switch (state.status) {
    case 'running':
      return `Up ${humanDuration(Math.max(0, nowMs - Date.parse(state.startedAt ?? '')))}`;
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
