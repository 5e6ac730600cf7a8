import { describe, expect, it } from 'vitest';
import { LineEditor } from './line-editor.ts';

describe('LineEditor', () => {
  it('echoes typed text and submits it on Enter', () => {
    const ed = new LineEditor();
    expect(ed.input('ls').echo).toBe('ls');
    const r = ed.input('\r');
    expect(r.submitted).toEqual(['ls']);
    expect(ed.line).toBe('');
    expect(ed.history).toEqual(['ls']);
  });

  it('edits in the middle of the line with arrows and Backspace', () => {
    const ed = new LineEditor();
    ed.input('ecoh');
    ed.input('\x1b[D\x1b[D');
    ed.input('h');
    expect(ed.line).toBe('echoh');
    ed.input('\x05\x7f');
    expect(ed.line).toBe('echo');
    ed.input('\x01\x1b[3~');
    expect(ed.line).toBe('cho');
    ed.input('e');
    expect(ed.input('\r').submitted).toEqual(['echo']);
  });

  it('walks the history with up and down, keeping the draft', () => {
    const ed = new LineEditor(['one', 'two']);
    ed.input('dr');
    ed.input('\x1b[A');
    expect(ed.line).toBe('two');
    ed.input('\x1b[A');
    expect(ed.line).toBe('one');
    ed.input('\x1b[A');
    expect(ed.line).toBe('one');
    ed.input('\x1b[B\x1b[B');
    expect(ed.line).toBe('dr');
  });

  it('drops the line on Ctrl+C and reports the interrupt', () => {
    const ed = new LineEditor();
    const r = ed.input('rm -rf /\x03');
    expect(r.interrupted).toBe(true);
    expect(r.submitted).toEqual([]);
    expect(ed.line).toBe('');
    expect(ed.history).toEqual([]);
  });

  it('submits each line of a pasted block', () => {
    const ed = new LineEditor();
    const r = ed.input('echo a\r\necho b\rpart');
    expect(r.submitted).toEqual(['echo a', 'echo b']);
    expect(ed.line).toBe('part');
  });
});
