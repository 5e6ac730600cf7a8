/**
 * The CodeMirror 6 Dockerfile editor, loaded with `import()` after first paint (DockerfileEditor
 * shows a textarea until then). Highlighting comes from the legacy-modes Dockerfile mode; build
 * marks sit in their own gutter (symbol + title, never colour alone); the engine's parse error is
 * a `<mark>` over the exact range; a card explains the instruction under the pointer or, with
 * Ctrl/Cmd+I, at the cursor.
 */
import { EditorState, RangeSet, StateEffect, StateField, Prec, type Extension, type Transaction } from '@codemirror/state';
import {
  Decoration, EditorView, GutterMarker, gutter, highlightActiveLine, hoverTooltip, keymap, lineNumbers, showTooltip,
  drawSelection, tooltips, type Tooltip,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { dockerFile } from '@codemirror/legacy-modes/mode/dockerfile';
import { instructionSpans, spanAt, type InstructionSpan } from './instructions.ts';
import { highlight, theme } from './cm-theme.ts';
import { MARK_SYMBOL, cardFor, markText, type Card, type EditorError, type EditorMark, type EditorWarning } from './marks.ts';

/** What the Svelte component hands the view, and how the view reports back. */
export interface DockerfileViewOptions {
  value: string;
  onChange(text: string): void;
  onBuild(): void;
  onHoverLine(line: number | null): void;
  /** A card was opened from the keyboard (text for a live region), or closed (null). */
  onCard(card: Card | null): void;
}

/** The handle DockerfileEditor keeps; every setter is cheap when nothing changed (marks, error and warnings apply at the next frame). */
export interface DockerfileView {
  view: EditorView;
  setValue(text: string): void;
  setMarks(marks: readonly EditorMark[]): void;
  setError(error: EditorError | null): void;
  setWarnings(warnings: readonly EditorWarning[]): void;
  setHighlight(line: number | null): void;
  /** Moves the cursor to a line and opens its card (from the step list). */
  openCard(line: number): void;
  destroy(): void;
}

const setMarks = StateEffect.define<readonly EditorMark[]>();
const setError = StateEffect.define<EditorError | null>();
const setWarnings = StateEffect.define<readonly EditorWarning[]>();
const setHighlight = StateEffect.define<number | null>();
const setCard = StateEffect.define<number | null>();

/**
 * Where a line of the last build's text is after an edit: its new number, or null when the edit
 * touched it (its mark or error no longer describes what is written there).
 */
function mapLine(tr: Transaction, line: number): number | null {
  const old = tr.startState.doc;
  if (line < 1 || line > old.lines) return null;
  const l = old.line(line);
  let touched = false;
  tr.changes.iterChangedRanges((fromA, toA) => {
    if (fromA <= l.to && toA >= l.from) touched = true;
  });
  return touched ? null : tr.state.doc.lineAt(tr.changes.mapPos(l.from)).number;
}

const marksField = StateField.define<readonly EditorMark[]>({
  create: () => [],
  update(v, tr) {
    for (const e of tr.effects) if (e.is(setMarks)) return e.value;
    if (!tr.docChanged || !v.length) return v;
    return v.flatMap((m) => {
      const line = mapLine(tr, m.line);
      return line === null ? [] : [line === m.line ? m : { ...m, line }];
    });
  },
});
const spansField = StateField.define<InstructionSpan[]>({
  create: (s) => instructionSpans(s.doc.toString()),
  update: (v, tr) => (tr.docChanged ? instructionSpans(tr.state.doc.toString()) : v),
});
const errorField = StateField.define<EditorError | null>({
  create: () => null,
  update(v, tr) {
    for (const e of tr.effects) if (e.is(setError)) return e.value;
    if (!tr.docChanged || !v) return v;
    return mapProblem(tr, v);
  },
});
/** Maps a located problem through an edit; null once its line was edited. */
function mapProblem<T extends EditorError>(tr: Transaction, v: T): T | null {
  const line = mapLine(tr, v.line);
  if (line === null) return null;
  return line === v.line ? v : { ...v, line, endLine: v.endLine === undefined ? undefined : v.endLine + line - v.line };
}

const warningsField = StateField.define<readonly EditorWarning[]>({
  create: () => [],
  update(v, tr) {
    for (const e of tr.effects) if (e.is(setWarnings)) return e.value;
    if (!tr.docChanged || !v.length) return v;
    return v.flatMap((w) => mapProblem(tr, w) ?? []);
  },
});

const highlightField = StateField.define<number | null>({
  create: () => null,
  update: (v, tr) => tr.effects.reduce<number | null>((acc, e) => (e.is(setHighlight) ? e.value : acc), v),
});

class StepMarker extends GutterMarker {
  constructor(readonly mark: EditorMark) {
    super();
  }
  override eq(other: StepMarker) {
    return markText(other.mark) === markText(this.mark) && other.mark.kind === this.mark.kind;
  }
  override toDOM() {
    const el = document.createElement('span');
    el.className = `cm-step-mark cm-step-${this.mark.kind}`;
    el.textContent = MARK_SYMBOL[this.mark.kind];
    el.title = `${markText(this.mark)} (Ctrl+I at the line for details)`;
    return el;
  }
}

const stepGutter = gutter({
  class: 'cm-step-gutter',
  markers: (view) => {
    const doc = view.state.doc;
    const ranges = view.state
      .field(marksField)
      .filter((m) => m.line >= 1 && m.line <= doc.lines)
      .map((m) => new StepMarker(m).range(doc.line(m.line).from));
    return RangeSet.of(ranges, true);
  },
  initialSpacer: () => new StepMarker({ line: 1, kind: 'rebuilt' }),
  domEventHandlers: {
    click: (view, block) => {
      const line = view.state.doc.lineAt(block.from).number;
      view.dispatch({ effects: setCard.of(line), selection: { anchor: block.from } });
      return true;
    },
  },
});

/** Clamps a 1-based line/column to a document offset. */
function offsetOf(state: EditorState, line: number, column: number): number {
  const l = state.doc.line(Math.min(Math.max(1, line), state.doc.lines));
  return Math.min(l.to, l.from + Math.max(0, column - 1));
}

/** Document offsets of a located problem; an empty range still covers one character. */
function problemRange(state: EditorState, p: EditorError): [number, number] | null {
  if (p.line < 1 || p.line > state.doc.lines) return null;
  const line = state.doc.line(p.line);
  let from = offsetOf(state, p.line, p.column);
  let to = p.endColumn !== undefined ? offsetOf(state, p.endLine ?? p.line, p.endColumn) : line.to;
  if (to <= from) {
    to = Math.min(from + 1, state.doc.length);
    if (to === from && from > line.from) from--;
  }
  return to > from ? [from, to] : null;
}

const decorations = EditorView.decorations.compute([errorField, warningsField, highlightField, spansField, 'doc'], (state) => {
  const ranges = [];
  const hl = state.field(highlightField);
  if (hl !== null && hl >= 1 && hl <= state.doc.lines) {
    const span = spanAt(state.field(spansField), hl) ?? { line: hl, endLine: hl };
    for (let n = span.line; n <= Math.min(span.endLine, state.doc.lines); n++) {
      ranges.push(Decoration.line({ class: 'cm-slab-hover', attributes: { 'aria-current': 'true' } }).range(state.doc.line(n).from));
    }
  }
  for (const w of state.field(warningsField)) {
    const r = problemRange(state, w);
    if (r) ranges.push(Decoration.mark({ class: 'cm-build-warning', attributes: { title: `Warning${w.rule ? ` (${w.rule})` : ''}: ${w.message}` } }).range(r[0], r[1]));
  }
  const err = state.field(errorField);
  if (err && err.line >= 1 && err.line <= state.doc.lines) {
    ranges.push(Decoration.line({ class: 'cm-error-line' }).range(state.doc.line(err.line).from));
    const r = problemRange(state, err);
    if (r) {
      const [from, to] = r;
      ranges.push(
        Decoration.mark({
          tagName: 'mark',
          class: 'cm-parse-error',
          attributes: { 'aria-description': `Error: ${err.message}`, title: err.message, 'data-line': String(err.line), 'data-column': String(err.column) },
        }).range(from, to),
      );
    }
  }
  return Decoration.set(ranges, true);
});

/** The card's DOM; all user and engine text goes in as text nodes. */
function cardDom(card: Card): HTMLElement {
  const el = document.createElement('div');
  el.className = 'cm-step-card';
  el.setAttribute('role', 'tooltip');
  const h = el.appendChild(document.createElement('strong'));
  h.textContent = card.keyword ? `${card.keyword} · line ${card.line}` : `Line ${card.line}`;
  if (card.effect) {
    const e = el.appendChild(document.createElement('div'));
    e.className = 'cm-card-effect';
    e.textContent = card.effect;
  }
  if (card.summary) el.appendChild(document.createElement('p')).textContent = card.summary;
  if (card.rows.length) {
    const dl = el.appendChild(document.createElement('dl'));
    for (const [k, v] of card.rows) {
      dl.appendChild(document.createElement('dt')).textContent = k;
      dl.appendChild(document.createElement('dd')).textContent = v;
    }
  }
  return el;
}

function tooltipAt(state: EditorState, line: number, pos?: number): Tooltip | null {
  const card = cardFor(line, state.field(spansField), state.field(marksField), state.field(warningsField));
  if (!card) return null;
  return { pos: pos ?? state.doc.line(Math.min(line, state.doc.lines)).from, above: false, create: () => ({ dom: cardDom(card) }) };
}

/** Keyboard card: opened by Ctrl/Cmd+I or a gutter click, closed by Escape or any edit. */
const cardField = StateField.define<number | null>({
  create: () => null,
  update(v, tr) {
    for (const e of tr.effects) if (e.is(setCard)) return e.value;
    return tr.docChanged ? null : v;
  },
  provide: (f) => showTooltip.compute([f, marksField, spansField, warningsField], (s) => (s.field(f) === null ? null : tooltipAt(s, s.field(f)!))),
});

const hoverCard = hoverTooltip((view, pos) => tooltipAt(view.state, view.state.doc.lineAt(pos).number, pos), { hoverTime: 250 });

/** Creates the editor in `parent`. */
export function createDockerfileView(parent: HTMLElement, opts: DockerfileViewOptions, extraAttrs: Record<string, string> = {}): DockerfileView {
  let hovered: number | null = null;
  let lastCard: number | null = null;
  const extensions: Extension[] = [
    Prec.highest(
      keymap.of([
        { key: 'Mod-Enter', run: () => (opts.onBuild(), true) },
        { key: 'Mod-i', run: (v) => (v.dispatch({ effects: setCard.of(v.state.field(cardField) === null ? v.state.doc.lineAt(v.state.selection.main.head).number : null) }), true) },
        { key: 'Escape', run: (v) => (v.state.field(cardField) === null ? false : (v.dispatch({ effects: setCard.of(null) }), true)) },
      ]),
    ),
    // Cards live in <body>: inside the editor's box (overflow hidden) a card near its bottom lost its
    // size, digest and cache reason rows.
    tooltips({ parent: document.body }),
    lineNumbers(),
    stepGutter,
    history(),
    drawSelection(),
    highlightActiveLine(),
    // A narrow column or projector-size type wraps long RUN lines instead of scrolling sideways.
    EditorView.lineWrapping,
    StreamLanguage.define(dockerFile),
    syntaxHighlighting(highlight),
    // No Tab binding: Tab keeps moving focus out of the editor (keyboard users are never trapped).
    keymap.of([...defaultKeymap, ...historyKeymap]),
    marksField,
    spansField,
    errorField,
    warningsField,
    highlightField,
    cardField,
    decorations,
    hoverCard,
    theme,
    EditorView.contentAttributes.of({ 'aria-label': 'Dockerfile', 'aria-multiline': 'true', ...extraAttrs }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) opts.onChange(u.state.doc.toString());
      const card = u.state.field(cardField);
      if (card !== lastCard) {
        lastCard = card;
        opts.onCard(card === null ? null : (cardFor(card, u.state.field(spansField), u.state.field(marksField), u.state.field(warningsField)) ?? null));
      }
    }),
    EditorView.domEventHandlers({
      mousemove(e, view) {
        const pos = view.posAtCoords({ x: e.clientX, y: e.clientY }, false);
        const line = view.state.doc.lineAt(pos).number;
        const span = spanAt(view.state.field(spansField), line);
        const at = span?.line ?? null;
        if (at !== hovered) opts.onHoverLine((hovered = at));
      },
      mouseleave() {
        if (hovered !== null) opts.onHoverLine((hovered = null));
      },
    }),
  ];
  const view = new EditorView({ state: EditorState.create({ doc: opts.value, extensions }), parent });
  // Marks, the error and the warnings change step by step while a build runs. They reach the editor
  // in one transaction per frame, and only when they differ: each transaction makes CodeMirror read
  // the DOM selection and measure, which forces the whole page's layout there and then.
  let pending: { marks?: readonly EditorMark[]; error?: EditorError | null; warnings?: readonly EditorWarning[] } = {};
  let frame = 0;
  const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);
  const flush = () => {
    frame = 0;
    const p = pending;
    pending = {};
    const effects: StateEffect<unknown>[] = [];
    if (p.marks !== undefined && !same(p.marks, view.state.field(marksField))) effects.push(setMarks.of(p.marks));
    if (p.error !== undefined && !same(p.error, view.state.field(errorField))) effects.push(setError.of(p.error));
    if (p.warnings !== undefined && !same(p.warnings, view.state.field(warningsField))) effects.push(setWarnings.of(p.warnings));
    if (effects.length) view.dispatch({ effects });
  };
  const later = () => {
    frame ||= requestAnimationFrame(flush);
  };
  return {
    view,
    setValue(text) {
      if (text !== view.state.doc.toString()) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setMarks(marks) {
      pending.marks = marks;
      later();
    },
    setError(error) {
      pending.error = error;
      later();
    },
    setWarnings(warnings) {
      pending.warnings = warnings;
      later();
    },
    setHighlight(line) {
      if (line !== view.state.field(highlightField)) view.dispatch({ effects: setHighlight.of(line) });
    },
    openCard(line) {
      const l = view.state.doc.line(Math.min(Math.max(1, line), view.state.doc.lines));
      view.dispatch({ selection: { anchor: l.from }, effects: [setCard.of(l.number), EditorView.scrollIntoView(l.from, { y: 'center' })] });
      view.focus();
    },
    destroy: () => {
      cancelAnimationFrame(frame);
      view.destroy();
    },
  };
}
