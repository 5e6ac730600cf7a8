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
  drawSelection, type Tooltip,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { HighlightStyle, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { dockerFile } from '@codemirror/legacy-modes/mode/dockerfile';
import { tags as t } from '@lezer/highlight';
import { instructionSpans, spanAt, type InstructionSpan } from './instructions.ts';
import { MARK_SYMBOL, cardFor, markText, type Card, type EditorError, type EditorMark } from './marks.ts';

/** What the Svelte component hands the view, and how the view reports back. */
export interface DockerfileViewOptions {
  value: string;
  onChange(text: string): void;
  onBuild(): void;
  onHoverLine(line: number | null): void;
  /** A card was opened from the keyboard (text for a live region), or closed (null). */
  onCard(card: Card | null): void;
}

/** The handle DockerfileEditor keeps; every setter is cheap when nothing changed. */
export interface DockerfileView {
  view: EditorView;
  setValue(text: string): void;
  setMarks(marks: readonly EditorMark[]): void;
  setError(error: EditorError | null): void;
  setHighlight(line: number | null): void;
  /** Moves the cursor to a line and opens its card (from the step list). */
  openCard(line: number): void;
  destroy(): void;
}

const setMarks = StateEffect.define<readonly EditorMark[]>();
const setError = StateEffect.define<EditorError | null>();
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
    const line = mapLine(tr, v.line);
    if (line === null) return null;
    return line === v.line ? v : { ...v, line, endLine: v.endLine === undefined ? undefined : v.endLine + line - v.line };
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

const decorations = EditorView.decorations.compute([errorField, highlightField, spansField, 'doc'], (state) => {
  const ranges = [];
  const hl = state.field(highlightField);
  if (hl !== null && hl >= 1 && hl <= state.doc.lines) {
    const span = spanAt(state.field(spansField), hl) ?? { line: hl, endLine: hl };
    for (let n = span.line; n <= Math.min(span.endLine, state.doc.lines); n++) {
      ranges.push(Decoration.line({ class: 'cm-slab-hover' }).range(state.doc.line(n).from));
    }
  }
  const err = state.field(errorField);
  if (err && err.line >= 1 && err.line <= state.doc.lines) {
    const line = state.doc.line(err.line);
    ranges.push(Decoration.line({ class: 'cm-error-line' }).range(line.from));
    let from = offsetOf(state, err.line, err.column);
    let to = err.endColumn !== undefined ? offsetOf(state, err.endLine ?? err.line, err.endColumn) : line.to;
    if (to <= from) {
      // An empty range (error at the end of a line) still gets one visible character.
      to = Math.min(from + 1, state.doc.length);
      if (to === from && from > line.from) from--;
    }
    if (to > from) {
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
  const card = cardFor(line, state.field(spansField), state.field(marksField));
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
  provide: (f) => showTooltip.compute([f, marksField, spansField], (s) => (s.field(f) === null ? null : tooltipAt(s, s.field(f)!))),
});

const hoverCard = hoverTooltip((view, pos) => tooltipAt(view.state, view.state.doc.lineAt(pos).number, pos), { hoverTime: 250 });

const highlight = HighlightStyle.define([
  { tag: t.keyword, color: 'var(--cm-keyword)', fontWeight: '700' },
  { tag: t.comment, color: 'var(--cm-comment)', fontStyle: 'italic' },
  { tag: t.string, color: 'var(--cm-string)' },
  { tag: [t.variableName, t.special(t.string)], color: 'var(--cm-variable)' },
  { tag: t.number, color: 'var(--cm-number)' },
]);

const theme = EditorView.theme({
  '&': { fontSize: 'var(--editor-font-size, 0.9rem)', backgroundColor: 'var(--panel)', color: 'var(--fg)', height: '100%' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-2px' },
  '.cm-gutters': { backgroundColor: 'var(--panel)', color: 'var(--cm-gutter)', borderRight: '1px solid var(--line)' },
  '.cm-activeLine': { backgroundColor: 'var(--cm-active-line)' },
  '.cm-slab-hover': { backgroundColor: 'var(--cm-slab-hover)', boxShadow: 'inset 3px 0 0 var(--accent)' },
  '.cm-error-line': { backgroundColor: 'var(--cm-error-bg)' },
  'mark.cm-parse-error': {
    backgroundColor: 'transparent', color: 'inherit',
    textDecoration: 'underline wavy var(--cm-error)', textDecorationThickness: '2px', textUnderlineOffset: '3px',
  },
  '.cm-step-gutter .cm-gutterElement': { padding: '0 0.35em', cursor: 'pointer', fontWeight: '700' },
  '.cm-step-cached': { color: 'var(--cm-cached)' },
  '.cm-step-rebuilt': { color: 'var(--cm-rebuilt)' },
  '.cm-step-metadata': { color: 'var(--cm-gutter)' },
  '.cm-step-error': { color: 'var(--cm-error)' },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', color: 'var(--fg)', border: '1px solid var(--line)', borderRadius: '6px' },
  '.cm-step-card': { padding: '0.5em 0.7em', maxWidth: '34em', fontFamily: 'system-ui, sans-serif', fontSize: 'var(--editor-font-size, 0.9rem)' },
  '.cm-step-card p': { margin: '0.3em 0' },
  '.cm-card-effect': { fontWeight: '600' },
  '.cm-step-card dl': { display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '0.1em 0.6em', margin: '0.3em 0 0' },
  '.cm-step-card dt': { opacity: '0.8' },
  '.cm-step-card dd': { margin: '0', overflowWrap: 'anywhere', fontFamily: 'var(--mono)' },
});

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
    lineNumbers(),
    stepGutter,
    history(),
    drawSelection(),
    highlightActiveLine(),
    // A narrow column or projector-size type wraps long RUN lines instead of scrolling sideways.
    EditorView.lineWrapping,
    StreamLanguage.define(dockerFile),
    syntaxHighlighting(highlight),
    keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
    marksField,
    spansField,
    errorField,
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
        opts.onCard(card === null ? null : (cardFor(card, u.state.field(spansField), u.state.field(marksField)) ?? null));
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
  return {
    view,
    setValue(text) {
      if (text !== view.state.doc.toString()) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setMarks(marks) {
      if (marks !== view.state.field(marksField)) view.dispatch({ effects: setMarks.of(marks) });
    },
    setError(error) {
      if (error !== view.state.field(errorField)) view.dispatch({ effects: setError.of(error) });
    },
    setHighlight(line) {
      if (line !== view.state.field(highlightField)) view.dispatch({ effects: setHighlight.of(line) });
    },
    openCard(line) {
      const l = view.state.doc.line(Math.min(Math.max(1, line), view.state.doc.lines));
      view.dispatch({ selection: { anchor: l.from }, effects: [setCard.of(l.number), EditorView.scrollIntoView(l.from, { y: 'center' })] });
      view.focus();
    },
    destroy: () => view.destroy(),
  };
}
