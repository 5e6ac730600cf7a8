/**
 * The editor's look: syntax colours and chrome from CSS variables (set by DockerfileEditor for light
 * and dark schemes, and by the page), so dark mode and projector mode need no JavaScript.
 */
import { HighlightStyle } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';

/** Dockerfile mode tokens: keywords, comments, strings, variables, numbers. */
export const highlight = HighlightStyle.define([
  { tag: t.keyword, color: 'var(--cm-keyword)', fontWeight: '700' },
  { tag: t.comment, color: 'var(--cm-comment)', fontStyle: 'italic' },
  { tag: t.string, color: 'var(--cm-string)' },
  { tag: [t.variableName, t.special(t.string)], color: 'var(--cm-variable)' },
  { tag: t.number, color: 'var(--cm-number)' },
]);

/** Sizes, colours and the marks' styles; `--editor-font-size` is the projector-mode hook. */
export const theme = EditorView.theme({
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
  '.cm-build-warning': { textDecoration: 'underline dotted var(--cm-rebuilt)', textDecorationThickness: '2px', textUnderlineOffset: '3px' },
  '.cm-step-gutter .cm-gutterElement': { padding: '0 0.35em', cursor: 'pointer', fontWeight: '700' },
  '.cm-step-cached': { color: 'var(--cm-cached)' },
  '.cm-step-rebuilt': { color: 'var(--cm-rebuilt)' },
  '.cm-step-metadata': { color: 'var(--cm-gutter)' },
  '.cm-step-error': { color: 'var(--cm-error)' },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', color: 'var(--fg)', border: '1px solid var(--line)', borderRadius: '6px' },
  '.cm-step-card': { padding: '0.5em 0.7em', maxWidth: 'min(34em, 90vw)', minWidth: 'min(22em, 90vw)', fontFamily: 'system-ui, sans-serif', fontSize: 'var(--editor-font-size, 0.9rem)' },
  '.cm-step-card p': { margin: '0.3em 0' },
  '.cm-card-effect': { fontWeight: '600' },
  '.cm-step-card dl': { display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '0.1em 0.6em', margin: '0.3em 0 0' },
  '.cm-step-card dt': { opacity: '0.8' },
  '.cm-step-card dd': { margin: '0', overflowWrap: 'anywhere', fontFamily: 'var(--mono)' },
});
