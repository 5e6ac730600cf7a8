/**
 * `docker container inspect` JSON (Docker Engine API `ContainerInspectResponse`, the fields a
 * student meets first): Id, Created, Path, Args, State, Image, Name (`/name`), Config, Mounts,
 * GraphDriver, HostConfig's port bindings and NetworkSettings' ports.
 * Simulation: GraphDriver names `overlay2` but its directories are the lab's, not a host path.
 */
import type { ContainerRecord } from './types.ts';
import type { Volume } from './volumes.ts';

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** The inspect document of one container. */
export interface ContainerInspect {
  Id: string;
  Created: string;
  Path: string;
  Args: string[];
  State: {
    Status: string;
    Running: boolean;
    Paused: boolean;
    Restarting: boolean;
    OOMKilled: boolean;
    Dead: boolean;
    Pid: number;
    ExitCode: number;
    Error: string;
    StartedAt: string;
    FinishedAt: string;
  };
  Image: string;
  Name: string;
  RestartCount: number;
  Driver: string;
  Platform: string;
  HostConfig: { AutoRemove: boolean; PortBindings: Record<string, { HostIp: string; HostPort: string }[]>; Binds: string[] | null };
  GraphDriver: { Data: Record<string, string>; Name: string };
  Mounts: { Type: string; Name: string; Source: string; Destination: string; Driver: string; Mode: string; RW: boolean; Propagation: string }[];
  Config: {
    Hostname: string;
    Domainname: string;
    User: string;
    AttachStdin: boolean;
    AttachStdout: boolean;
    AttachStderr: boolean;
    ExposedPorts?: Record<string, Record<string, never>>;
    Tty: boolean;
    OpenStdin: boolean;
    StdinOnce: boolean;
    Env: string[];
    Cmd: string[] | null;
    Image: string;
    Volumes: Record<string, Record<string, never>> | null;
    WorkingDir: string;
    Entrypoint: string[] | null;
    OnBuild: null;
    Labels: Record<string, string>;
    StopSignal?: string;
  };
  NetworkSettings: { Ports: Record<string, { HostIp: string; HostPort: string }[] | null> };
}

/** Builds the inspect document; `volume` looks up a mounted volume by name. */
export function containerInspect(rec: ContainerRecord, volume: (name: string) => Volume | undefined): ContainerInspect {
  const s = rec.state;
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of rec.ports) (bindings[`${p.containerPort}/${p.proto}`] ??= []).push({ HostIp: p.hostIp === '0.0.0.0' ? '' : p.hostIp, HostPort: String(p.hostPort) });
  const netPorts: Record<string, { HostIp: string; HostPort: string }[] | null> = {};
  if (s.status === 'running') {
    for (const k of Object.keys(rec.config.ExposedPorts ?? {})) netPorts[k] = null;
    for (const p of rec.ports) (netPorts[`${p.containerPort}/${p.proto}`] ??= []).push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
  }
  const dir = `/var/lib/docker/overlay2/${rec.id}`;
  return {
    Id: rec.id,
    Created: rec.created,
    Path: rec.path,
    Args: [...rec.args],
    State: {
      Status: s.paused ? 'paused' : s.status,
      Running: s.status === 'running',
      Paused: !!s.paused,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: s.status === 'running' ? 1 : 0,
      ExitCode: s.exitCode,
      Error: s.error ?? '',
      StartedAt: s.startedAt ?? ZERO_TIME,
      FinishedAt: s.finishedAt ?? ZERO_TIME,
    },
    Image: rec.imageId,
    Name: `/${rec.name}`,
    RestartCount: rec.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    HostConfig: { AutoRemove: rec.autoRemove, PortBindings: bindings, Binds: null },
    GraphDriver: {
      Data: { LowerDir: `${dir}-init/diff:<image layers>`, MergedDir: `${dir}/merged`, UpperDir: `${dir}/diff`, WorkDir: `${dir}/work` },
      Name: 'overlay2',
    },
    Mounts: rec.mounts.map((m) => ({
      Type: 'volume',
      Name: m.name,
      Source: `/var/lib/docker/volumes/${volume(m.name)?.name ?? m.name}/_data`,
      Destination: m.destination,
      Driver: 'local',
      Mode: m.readOnly ? 'ro' : '',
      RW: !m.readOnly,
      Propagation: '',
    })),
    Config: {
      Hostname: rec.id.slice(0, 12),
      Domainname: '',
      User: rec.config.User,
      AttachStdin: rec.config.OpenStdin,
      AttachStdout: true,
      AttachStderr: true,
      ExposedPorts: rec.config.ExposedPorts,
      Tty: rec.config.Tty,
      OpenStdin: rec.config.OpenStdin,
      StdinOnce: rec.config.OpenStdin,
      Env: [...rec.config.Env],
      Cmd: rec.config.Cmd,
      Image: rec.image,
      Volumes: rec.config.Volumes ?? null,
      WorkingDir: rec.config.WorkingDir,
      Entrypoint: rec.config.Entrypoint,
      OnBuild: null,
      Labels: { ...rec.config.Labels },
      StopSignal: rec.config.StopSignal,
    },
    NetworkSettings: { Ports: netPorts },
  };
}
