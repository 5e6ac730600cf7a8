/** A scenario as a build request for the engine (context files with their modes, the chosen Dockerfile, options). */
import type { BuildRequest, ContextFile } from '../engine/index.ts';
import { fileBytes, type Scenario } from './format.ts';

/** The context files of a scenario, as the engine takes them (mtime 0: it never enters a cache key). */
export function scenarioContext(s: Scenario): ContextFile[] {
  return s.files.map((f) => ({ path: f.path, type: 'file', mode: f.mode ?? 0o644, content: fileBytes(f), mtime: 0 }));
}

/** The build request that replays a scenario's build. */
export function scenarioBuildRequest(s: Scenario): BuildRequest {
  const filename = s.build?.file ?? ('Dockerfile' in s.dockerfiles ? 'Dockerfile' : Object.keys(s.dockerfiles)[0]);
  return {
    dockerfile: s.dockerfiles[filename],
    filename,
    files: scenarioContext(s),
    dockerignore: s.dockerignore,
    tags: s.build?.tags ?? [`${s.id}:latest`],
    buildArgs: s.build?.buildArgs,
    target: s.build?.target,
    noCache: s.build?.noCache,
    epochMs: s.clock,
  };
}
