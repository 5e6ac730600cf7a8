/**
 * Per-line build marks for the Dockerfile editor (rebuilt / cached / metadata-only / error) and the
 * texts that explain them. Each kind has a symbol and a word, so colour is never the only carrier.
 */
import { humanSize } from '../../format.ts';
import { describeInstruction, effectText, spanAt, type InstructionSpan } from './instructions.ts';

export type MarkKind = 'rebuilt' | 'cached' | 'metadata' | 'error';

/** One build mark on a Dockerfile line (the line an instruction starts on). */
export interface EditorMark {
  line: number;
  kind: MarkKind;
  step?: number;
  /** Bytes of file content in the layer the step made. */
  size?: number;
  /** Compressed blob digest of that layer (undefined until the layer is compressed, at save or push). */
  digest?: string;
  /** DiffID (sha256 of the uncompressed tar) of that layer: known as soon as it is committed. */
  diffId?: string;
  /** The cache decision in words ("same parent, same instruction…", "app.py changed…"). */
  reason?: string;
  /** False for a metadata step or a filesystem step that changed nothing. */
  createsLayer?: boolean;
}

/**
 * A located Dockerfile error. Lines and columns are 1-based; `endColumn` is exclusive (one past
 * the last character), as the engine's `SourceRange` end is.
 */
export interface EditorError {
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** A build check warning (BuildKit's rules, e.g. FromAsCasing) at its source range; same coordinates as EditorError. */
export interface EditorWarning extends EditorError {
  /** The check's name, e.g. `FromAsCasing`. */
  rule?: string;
  url?: string;
}

export const MARK_SYMBOL: Readonly<Record<MarkKind, string>> = { rebuilt: '●', cached: '✓', metadata: '◦', error: '✗' };
export const MARK_WORD: Readonly<Record<MarkKind, string>> = { rebuilt: 'rebuilt', cached: 'cached', metadata: 'metadata only', error: 'error' };

/** The step fields the editor needs, as the build state lists them. */
export interface StepLike {
  step: number;
  line: number;
  outcome: string;
  cached?: boolean;
  reason?: string;
  size?: number;
  digest?: string;
  diffId?: string;
}

/** Marks for the steps of a build (one per start line; a later step on the same line wins) plus the error line. */
export function marksFromSteps(steps: readonly StepLike[], error?: { line?: number; message: string } | null): EditorMark[] {
  const byLine = new Map<number, EditorMark>();
  for (const s of steps) {
    const kind: MarkKind = s.outcome === 'metadata' ? 'metadata' : s.outcome === 'from' || s.cached ? 'cached' : 'rebuilt';
    const reason = s.outcome === 'from' && !s.reason ? 'base image: its layers are reused as they are' : s.reason;
    byLine.set(s.line, { line: s.line, kind, step: s.step, size: s.size, digest: s.digest, diffId: s.diffId, reason, createsLayer: s.outcome === 'from' ? undefined : s.outcome === 'layer' });
  }
  if (error?.line) byLine.set(error.line, { line: error.line, kind: 'error', reason: error.message, createsLayer: false });
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

/** A short one-line text for a mark (gutter title, aria text, step list). */
export function markText(m: EditorMark): string {
  const parts = [`${m.step ? `step ${m.step}: ` : ''}${MARK_WORD[m.kind]}`];
  if (m.kind !== 'error' && m.kind !== 'metadata' && m.createsLayer && m.size !== undefined) parts.push(humanSize(m.size));
  if (m.kind !== 'error' && m.createsLayer === false && m.kind !== 'metadata' && m.size === undefined) parts.push('no new layer');
  if (m.reason) parts.push(m.reason);
  return parts.join(' · ');
}

/** The hover card's content for a line: what the instruction does, and what the last build did there. */
export interface Card {
  line: number;
  keyword: string;
  /** Dictionary summary, or a note for an unknown word. */
  summary: string;
  /** "Makes a layer" / "Metadata only: no layer" / "Uses the base image's layers". */
  effect?: string;
  mark?: EditorMark;
  /** Label/value rows for the built step: result, layer size, digest, cache reason. */
  rows: [string, string][];
}

/** Builds the card for `line`, or undefined on a blank/comment line without a mark. */
export function cardFor(line: number, spans: readonly InstructionSpan[], marks: readonly EditorMark[], warnings: readonly EditorWarning[] = []): Card | undefined {
  const span = spanAt(spans, line);
  const start = span?.line ?? line;
  const end = span?.endLine ?? line;
  const mark = marks.find((m) => m.line === start) ?? marks.find((m) => m.line === line);
  const warned = warnings.filter((w) => w.line >= start && w.line <= end);
  if (!span && !mark && !warned.length) return undefined;
  const keyword = span?.keyword.toUpperCase() ?? '';
  const def = describeInstruction(keyword);
  const rows: [string, string][] = [];
  if (mark) {
    rows.push(['Last build', `${MARK_SYMBOL[mark.kind]} ${MARK_WORD[mark.kind]}${mark.step ? ` (step ${mark.step})` : ''}`]);
    if (mark.kind !== 'error' && mark.kind !== 'metadata') {
      if (mark.createsLayer && mark.size !== undefined) rows.push(['Layer size', humanSize(mark.size)]);
      else if (mark.createsLayer === false && keyword !== 'FROM') rows.push(['Layer', 'none: the step changed no file']);
      if (mark.digest) rows.push(['Digest', mark.digest]);
      else if (mark.diffId) rows.push(['DiffID', mark.diffId]);
    }
    if (mark.reason) rows.push([mark.kind === 'error' ? 'Error' : mark.kind === 'cached' ? 'Why cached' : mark.kind === 'rebuilt' ? 'Why rebuilt' : 'Note', mark.reason]);
  }
  for (const w of warned) rows.push([`Warning${w.rule ? ` (${w.rule})` : ''}`, w.message]);
  return {
    line: start,
    keyword,
    summary: def ? def.summary : keyword ? `"${keyword}" is not a Dockerfile instruction.` : '',
    effect: def ? effectText(def.effect) : undefined,
    mark,
    rows,
  };
}

/** The card as plain text (announced to screen readers when opened from the keyboard). */
export function cardText(c: Card): string {
  return [`Line ${c.line}${c.keyword ? `: ${c.keyword}` : ''}.`, c.effect ? `${c.effect}.` : '', c.summary, ...c.rows.map(([k, v]) => `${k}: ${v}.`)]
    .filter(Boolean)
    .join(' ');
}
