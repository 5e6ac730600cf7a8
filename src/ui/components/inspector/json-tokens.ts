/**
 * JSON text to tokens for highlighting (rendered as text spans, never HTML), with the key path of
 * each value so a field can be explained on hover and a digest linked to the object it names.
 */
export interface JsonToken {
  text: string;
  kind: 'key' | 'string' | 'number' | 'literal' | 'punct' | 'space';
  /** For keys and values: the dotted path of the field (`config.digest`, `rootfs.diff_ids`). */
  path?: string;
}

const RE = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null)|([{}[\],:])|(\s+)/gy;

/** Tokenises pretty JSON; unknown characters become punctuation so nothing is lost. */
export function tokenizeJson(text: string): JsonToken[] {
  const out: JsonToken[] = [];
  const stack: (string | number)[] = [];
  const kinds: ('obj' | 'arr')[] = [];
  let pendingKey: string | undefined;
  const pathOf = (k?: string | number) => [...stack, ...(k === undefined ? [] : [k])].filter((p) => typeof p === 'string' && p !== '').join('.');
  RE.lastIndex = 0;
  let i = 0;
  while (i < text.length) {
    RE.lastIndex = i;
    const m = RE.exec(text);
    if (!m) {
      out.push({ text: text[i], kind: 'punct' });
      i++;
      continue;
    }
    i = RE.lastIndex;
    if (m[1] !== undefined && m[2] !== undefined) {
      pendingKey = JSON.parse(m[1]) as string;
      out.push({ text: m[1], kind: 'key', path: pathOf(pendingKey) });
      out.push({ text: m[2], kind: 'punct' });
      continue;
    }
    const valuePath = pathOf(pendingKey);
    if (m[1] !== undefined) out.push({ text: m[1], kind: 'string', path: valuePath });
    else if (m[3] !== undefined) out.push({ text: m[3], kind: 'number', path: valuePath });
    else if (m[4] !== undefined) out.push({ text: m[4], kind: 'literal', path: valuePath });
    else if (m[5] !== undefined) {
      const c = m[5];
      if (c === '{' || c === '[') {
        stack.push(pendingKey ?? (kinds.at(-1) === 'arr' ? 0 : ''));
        kinds.push(c === '{' ? 'obj' : 'arr');
      } else if (c === '}' || c === ']') {
        stack.pop();
        kinds.pop();
      }
      out.push({ text: c, kind: 'punct' });
      if (c !== ':') pendingKey = undefined;
      continue;
    } else out.push({ text: m[6], kind: 'space' });
    if (m[6] === undefined) pendingKey = undefined;
  }
  return out;
}

/** What each field of an index, manifest or config means (OCI image-spec), shown on hover. */
export const FIELD_HELP: Record<string, string> = {
  schemaVersion: 'Always 2 for OCI and Docker v2 manifests and indexes.',
  mediaType: 'The exact type of the object; tells a client how to parse it.',
  manifests: 'An index lists one manifest per platform (or per tag in an image layout).',
  'manifests.digest': 'sha256 of the manifest bytes: click to open it.',
  'manifests.size': 'Length of the manifest in bytes: a client checks it before trusting the digest.',
  'manifests.annotations': 'Names for the manifest: the image name (containerd) and the tag (OCI ref.name).',
  'manifests.platform': 'The OS and CPU architecture this manifest is for.',
  config: 'The descriptor of the image config: its digest is the image ID.',
  'config.digest': 'sha256 of the config bytes = the image ID. Click to open the config.',
  'config.size': 'Length of the config in bytes.',
  'config.mediaType': 'The config media type.',
  layers: 'The layer blobs, bottom first, as a registry stores them (compressed).',
  'layers.digest': 'sha256 of the compressed layer blob (not the diff_id). Click to open the layer.',
  'layers.size': 'Size of the compressed blob a pull downloads.',
  'layers.mediaType': 'How the layer is packed: a tar, usually gzip-compressed.',
  architecture: 'CPU architecture the image is built for.',
  os: 'Operating system the image runs on.',
  created: 'When the image was built (from the build clock).',
  author: 'MAINTAINER or the committer.',
  rootfs: 'The layers as the runtime stacks them.',
  'rootfs.type': 'Always "layers".',
  'rootfs.diff_ids': 'sha256 of each UNCOMPRESSED layer tar, bottom first. The image ID depends on these, not on compression.',
  history: 'One entry per Dockerfile instruction; empty_layer entries made no filesystem layer.',
  'history.created_by': 'The instruction that made the entry, as BuildKit records it.',
  'history.empty_layer': 'true: metadata only (ENV, CMD…): no layer in rootfs.',
  'history.comment': 'buildkit.dockerfile.v0 for BuildKit builds.',
  'history.created': 'When the step ran.',
  'config.Env': 'Environment variables every container gets.',
  'config.Cmd': 'Default command (CMD), appended to the entrypoint.',
  'config.Entrypoint': 'ENTRYPOINT: the executable a container runs.',
  'config.WorkingDir': 'WORKDIR: the container’s current directory.',
  'config.User': 'USER: who the container runs as.',
  'config.ExposedPorts': 'EXPOSE: documentation only; publishing is done at run time.',
  'config.Labels': 'LABEL key/values.',
  'config.Volumes': 'VOLUME: mount points that get a volume at run time.',
  'config.ArgsEscaped': 'Windows-only quoting flag; set for shell-form CMD/ENTRYPOINT by BuildKit.',
  'config.Healthcheck': 'HEALTHCHECK: command and timings (nanoseconds).',
  'config.StopSignal': 'STOPSIGNAL: signal sent by docker stop.',
  'config.Shell': 'SHELL: the shell used for shell-form instructions.',
};

/** The help text for a field path (array indexes already dropped), trying the full path, then its last part. */
export function fieldHelp(path: string | undefined): string | undefined {
  if (!path) return undefined;
  return FIELD_HELP[path] ?? FIELD_HELP[path.split('.').slice(-2).join('.')] ?? FIELD_HELP[path.split('.').at(-1)!];
}
