/**
 * The Dockerfile editor's state: the build marks and the located error it draws (derived from the
 * last build, read through a getter so this store does not own the build), and the line that the
 * pointer is on, which the layer stack lights up ("hover a line and its slab lights up").
 */
import { marksFromSteps, type EditorError, type EditorMark, type EditorWarning, type StepLike } from '../components/editor/marks.ts';

/** What the editor needs from the build: its steps and where it failed. */
export interface BuildSource {
  steps: readonly StepLike[];
  problem?: { message: string; line?: number; column?: number; endLine?: number; endColumn?: number };
  /** Build check warnings with their ranges (BuildKit's rules). */
  warnings?: readonly EditorWarning[];
}

/** The editor area's state (not CodeMirror's `EditorState`, which lives inside cm-dockerfile.ts). */
export class EditorState {
  /** The instruction line under the pointer (its first line), or null. */
  hoverLine = $state<number | null>(null);
  /** A line to highlight from elsewhere (a hovered slab), or null. */
  highlightLine = $state<number | null>(null);

  readonly error = $derived.by((): EditorError | null => {
    const p = this.source().problem;
    if (!p?.line) return null;
    return { message: p.message, line: p.line, column: p.column ?? 1, endLine: p.endLine, endColumn: p.endColumn };
  });
  readonly warnings = $derived.by((): EditorWarning[] => [...(this.source().warnings ?? [])]);
  readonly marks = $derived.by((): EditorMark[] => marksFromSteps(this.source().steps, this.error));

  constructor(private readonly source: () => BuildSource) {}
}
