/**
 * The engine's `.dockerignore` matcher, for the UI: a pure module (no worker round trip, no engine
 * state), re-exported here so the lab can grey ignored files live with exactly the semantics the
 * build applies (moby/patternmatcher, see engine/builder/context.ts). Like the progress printers
 * re-exported by client.ts, it is the only engine code the UI bundle includes for this purpose.
 */
export { IgnoreMatcher, parseDockerignore } from '../engine/builder/context.ts';
