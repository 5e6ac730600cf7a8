/**
 * `docker commit`: the container's upper layer becomes a new image layer on top of its image
 * (moby `daemon/commit.go`): the new config is the container's config with `--change`
 * instructions applied, and one history entry is appended whose `created_by` is the container's
 * CMD joined by spaces and whose `comment` is the `-m` message. A container without changes adds
 * an `empty_layer` history entry and no layer.
 */
import { LayerlabError } from '../errors.ts';
import { rfc3339, type ContainerConfig, type ImageConfig } from '../image/config.ts';
import { mergeEnv } from '../image/env.ts';
import type { ImageStore } from '../image/store.ts';
import { cloneTree } from './container.ts';
import type { Container } from './container.ts';

/** Options of `commit`. */
export interface CommitOptions {
  /** `REPOSITORY[:TAG]` to tag the new image with. */
  repo?: string;
  message?: string;
  author?: string;
  /** Dockerfile instructions (`CMD ["nginx"]`, `ENV A=b`, `EXPOSE 80`…) applied to the config. */
  changes?: string[];
}

/** The instructions `docker commit --change` accepts (moby `builder/dockerfile` `validCommitCommands`). */
const COMMIT_INSTRUCTIONS = ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'USER', 'VOLUME', 'WORKDIR'];

function jsonOrShell(rest: string): string[] {
  const t = rest.trim();
  if (t.startsWith('[')) {
    try {
      const v = JSON.parse(t);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
    } catch {
      // not JSON: shell form, as BuildKit falls back
    }
  }
  return ['/bin/sh', '-c', t];
}

function keyValues(rest: string): [string, string][] {
  const out: [string, string][] = [];
  const re = /([^\s=]+)=("(?:\\.|[^"\\])*"|'[^']*'|\S*)/g;
  let m: RegExpExecArray | null;
  if (!rest.includes('=')) {
    // Legacy `ENV KEY value` form.
    const [k, ...v] = rest.trim().split(/\s+/);
    return [[k, v.join(' ')]];
  }
  while ((m = re.exec(rest))) {
    let v = m[2];
    if (v.startsWith('"')) v = JSON.parse(v);
    else if (v.startsWith("'")) v = v.slice(1, -1);
    out.push([m[1], v]);
  }
  return out;
}

/** Applies `--change` instructions to a container config; unknown instructions fail as docker's do. */
export function applyChanges(config: ContainerConfig, changes: readonly string[]): ContainerConfig {
  const c: ContainerConfig = JSON.parse(JSON.stringify(config));
  for (const line of changes) {
    const m = /^\s*(\S+)\s*(.*)$/s.exec(line);
    if (!m) continue;
    const ins = m[1].toUpperCase();
    const rest = m[2];
    if (!COMMIT_INSTRUCTIONS.includes(ins)) {
      throw new LayerlabError('container/invalid-change', `Error response from daemon: ${m[1].toLowerCase()} is not a valid change command`, { data: { change: line } });
    }
    switch (ins) {
      case 'CMD':
        c.Cmd = jsonOrShell(rest);
        break;
      case 'ENTRYPOINT':
        c.Entrypoint = jsonOrShell(rest);
        break;
      case 'ENV': {
        c.Env = mergeEnv(c.Env, keyValues(rest).map(([k, v]) => `${k}=${v}`));
        break;
      }
      case 'EXPOSE':
        c.ExposedPorts = { ...c.ExposedPorts };
        for (const p of rest.trim().split(/\s+/)) c.ExposedPorts[p.includes('/') ? p : `${p}/tcp`] = {};
        break;
      case 'LABEL':
        c.Labels = { ...c.Labels, ...Object.fromEntries(keyValues(rest)) };
        break;
      case 'ONBUILD':
        c.OnBuild = [...(c.OnBuild ?? []), rest.trim()];
        break;
      case 'USER':
        c.User = rest.trim();
        break;
      case 'VOLUME':
        c.Volumes = { ...c.Volumes };
        for (const v of jsonOrShell(rest)[0] === '/bin/sh' ? rest.trim().split(/\s+/) : jsonOrShell(rest)) c.Volumes[v] = {};
        break;
      case 'WORKDIR':
        c.WorkingDir = rest.trim();
        break;
    }
  }
  return c;
}

/**
 * Commits a container: snapshots its upper layer (the container keeps running on the original),
 * stores it as a layer and writes the new image. Returns the image ID.
 */
export async function commitContainer(store: ImageStore, c: Container, opts: CommitOptions, nowMs: number): Promise<string> {
  const base = store.resolve(c.record.imageId);
  const r = c.record;
  const containerConfig: ContainerConfig = {
    ...base.config.config,
    User: r.config.User || undefined,
    Env: r.config.Env,
    Cmd: r.config.Cmd,
    Entrypoint: r.config.Entrypoint,
    WorkingDir: r.config.WorkingDir || undefined,
    ExposedPorts: r.config.ExposedPorts,
    Volumes: r.config.Volumes,
    Labels: Object.keys(r.config.Labels).length ? r.config.Labels : undefined,
  };
  for (const k of Object.keys(containerConfig) as (keyof ContainerConfig)[]) if (containerConfig[k] === undefined) delete containerConfig[k];
  const config = applyChanges(containerConfig, opts.changes ?? []);
  const created = rfc3339(nowMs);
  const empty = c.upper.root.children!.size === 0;
  const layers = [...base.layers];
  const diffIds = [...base.config.rootfs.diff_ids];
  if (!empty) {
    const rec = await store.commitLayer(cloneTree(c.upper).freeze());
    layers.push(rec);
    diffIds.push(rec.diffId);
  }
  const history = [...(base.config.history ?? [])];
  history.push({
    created,
    created_by: (r.config.Cmd ?? []).join(' '),
    author: opts.author || undefined,
    comment: opts.message || undefined,
    empty_layer: empty || undefined,
  });
  const image: ImageConfig = {
    created,
    author: opts.author || undefined,
    architecture: base.config.architecture,
    variant: base.config.variant,
    os: base.config.os,
    config,
    rootfs: { type: 'layers', diff_ids: diffIds },
    history,
  };
  const { imageId } = await store.putImage({ config: image, layers, tags: opts.repo ? [opts.repo] : [] });
  return imageId;
}
