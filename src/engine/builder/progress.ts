/**
 * Build output as text, from BuildEvents: BuildKit's plain progress (`--progress=plain`,
 * `#5 [2/4] RUN …`, `#5 CACHED`, `#5 DONE 0.2s`) and the classic builder's (`Step 2/4 : RUN …`,
 * ` ---> Using cache`, ` ---> 3f2a1b4c5d6e`). Tutorials show both, so the lab prints both.
 * A printer is a function fed every event; it returns the text to append.
 */
import type { BuildEvent } from './events.ts';

const secs = (ms: number) => (ms / 1000).toFixed(1);

/** BuildKit's plain progress printer. */
export function plainProgress(): (e: BuildEvent) => string {
  const names = new Map<number, string>();
  const outputs = new Map<number, string[]>();
  // Vertices whose last output chunk left a line open.
  const partial = new Set<number>();
  const checks: { rule: string; message: string; line?: number }[] = [];
  let first = true;
  return (e) => {
    switch (e.type) {
      case 'build-begin':
        return '#0 building with "default" instance using docker driver\n\n';
      case 'vertex-start':
        names.set(e.vertex, e.name);
        first = false;
        return `#${e.vertex} ${e.name}\n`;
      case 'vertex-log':
        return `#${e.vertex} ${e.text}\n`;
      case 'vertex-output': {
        // As BuildKit's progressui: a chunk that does not end a line leaves it open, and the next
        // chunk continues it without a new `#N time` prefix (`printf a; printf 'b\n'` is one line).
        if (!e.text) return '';
        const open = partial.has(e.vertex);
        const lines = e.text.split('\n');
        const ends = lines[lines.length - 1] === '';
        if (ends) lines.pop();
        const keep = outputs.get(e.vertex) ?? [];
        if (open && keep.length && lines.length) keep[keep.length - 1] += lines[0];
        keep.push(...lines.slice(open ? 1 : 0));
        outputs.set(e.vertex, keep.slice(-10));
        if (ends) partial.delete(e.vertex);
        else partial.add(e.vertex);
        const out = lines.map((l, i) => (i === 0 && open ? l : `#${e.vertex} ${(e.elapsedMs / 1000).toFixed(3)} ${l}`)).join('\n');
        return out + (ends ? '\n' : '');
      }
      case 'vertex-done': {
        // An open line is ended before the vertex's status.
        const close = partial.delete(e.vertex) ? '\n' : '';
        if (e.error) {
          const out = outputs.get(e.vertex) ?? [];
          return `${close}#${e.vertex} ERROR: ${e.error}\n------\n > ${names.get(e.vertex)}:\n${out.map((l) => `${l}\n`).join('')}------\n`;
        }
        return close + (e.cached ? `#${e.vertex} CACHED\n\n` : `#${e.vertex} DONE ${secs(e.durationMs)}s\n\n`);
      }
      case 'warning':
        if (e.rule) checks.push({ rule: e.rule, message: e.message, line: e.range?.start.line });
        return '';
      case 'build-done':
      case 'build-error': {
        // BuildKit prints the build checks' summary after the build, failed or not.
        if (!checks.length) return '';
        let s = `\n ${checks.length} warning${checks.length === 1 ? '' : 's'} found (use docker --debug to expand):\n`;
        for (const c of checks) s += ` - ${c.rule}: ${c.message}${c.line ? ` (line ${c.line})` : ''}\n`;
        return s;
      }
      default:
        void first;
        return '';
    }
  };
}

/** The classic (pre-BuildKit) builder's output. */
export function classicProgress(): (e: BuildEvent) => string {
  let total = 0;
  let running: string | undefined;
  let lastId = '';
  const idFor = (vertex: number) => (vertex * 0x9e3779b1 >>> 0).toString(16).padStart(8, '0') + 'c0ffee'.slice(0, 4);
  return (e) => {
    switch (e.type) {
      case 'build-start':
        total = e.totalSteps;
        return '';
      case 'vertex-start':
        if (e.kind === 'step') return `Step ${e.step}/${total} : ${e.instruction}\n`;
        return '';
      case 'vertex-output': {
        let s = '';
        if (!running) {
          running = idFor(e.vertex);
          s += ` ---> Running in ${running}\n`;
        }
        return s + e.text + (e.text.endsWith('\n') ? '' : '\n');
      }
      case 'step': {
        lastId = e.resultId;
        let s = '';
        if (e.outcome === 'from') s += `Step ${e.step}/${e.totalSteps} : ${e.instruction}\n`;
        else if (e.outcome === 'metadata') s += `Step ${e.step}/${e.totalSteps} : ${e.instruction}\n`;
        const noContainer = /^\s*(copy|add)\b/i.test(e.instruction);
        if (e.outcome !== 'from') {
          if (e.cache?.hit) s += ' ---> Using cache\n';
          else if (noContainer) {
            // The classic builder copies without a container.
          }
          else {
            const id = running ?? idFor(e.step * 7919);
            if (!running) s += ` ---> Running in ${id}\n`;
            s += ` ---> Removed intermediate container ${id}\n`;
          }
        }
        running = undefined;
        return s + ` ---> ${e.resultId}\n`;
      }
      case 'build-done':
        return `Successfully built ${e.imageId.slice(7, 19)}\n${e.tags.map((t) => `Successfully tagged ${t.includes(':') ? t : `${t}:latest`}\n`).join('')}`;
      case 'build-error':
        return `${e.message.startsWith('The command') ? e.message : e.message}\n`;
      default:
        void lastId;
        return '';
    }
  };
}
