/**
 * A terminal line editor (what a shell's readline does before a line reaches the shell): printable
 * input inserted at the cursor, Backspace/Delete, ←/→, Home/End (and Ctrl+A/E), ↑/↓ through the
 * history, Ctrl+U to clear, Ctrl+C to drop the line, Enter to submit. It takes xterm's `onData`
 * strings and returns what to write back to the terminal (VT100 sequences) plus what happened.
 * Pure: no DOM, so it is unit-tested.
 */

/** What one chunk of input did. */
export interface EditResult {
  /** Text to write to the terminal (echo and cursor moves). */
  echo: string;
  /** Lines submitted with Enter (a pasted block can submit several). */
  submitted: string[];
  /** Ctrl+C was pressed. */
  interrupted: boolean;
}

const CSI = '\x1b[';

export class LineEditor {
  line = '';
  cursor = 0;
  readonly history: string[];
  /** Position in the history while browsing with ↑/↓ (history.length = the line being typed). */
  private browse: number;
  private draft = '';

  constructor(history: string[] = []) {
    this.history = [...history];
    this.browse = this.history.length;
  }

  /** Handles one `onData` chunk (a key, an escape sequence or a paste). */
  input(data: string): EditResult {
    const out: EditResult = { echo: '', submitted: [], interrupted: false };
    let i = 0;
    while (i < data.length) {
      const seq = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Z])/.exec(data.slice(i));
      if (seq) {
        out.echo += this.escape(seq[1]);
        i += seq[0].length;
        continue;
      }
      const ch = data[i++];
      if (ch === '\r' || ch === '\n') {
        if (ch === '\n' && data[i - 2] === '\r') continue;
        out.echo += '\r\n';
        out.submitted.push(this.submit());
      } else if (ch === '\x03') {
        out.echo += '^C\r\n';
        out.interrupted = true;
        this.reset();
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.cursor > 0) {
          this.line = this.line.slice(0, this.cursor - 1) + this.line.slice(this.cursor);
          this.cursor--;
          out.echo += '\b' + this.redrawTail(1);
        }
      } else if (ch === '\x01') out.echo += this.moveTo(0);
      else if (ch === '\x05') out.echo += this.moveTo(this.line.length);
      else if (ch === '\x15') out.echo += this.replace('');
      else if (ch === '\t') out.echo += this.insert('  ');
      else if (ch >= ' ') out.echo += this.insert(ch);
    }
    return out;
  }

  private escape(s: string): string {
    switch (s.at(-1)) {
      case 'A': return this.recall(-1);
      case 'B': return this.recall(1);
      case 'C': return this.cursor < this.line.length ? (this.cursor++, `${CSI}C`) : '';
      case 'D': return this.cursor > 0 ? (this.cursor--, `${CSI}D`) : '';
      case 'H': return this.moveTo(0);
      case 'F': return this.moveTo(this.line.length);
      case '~':
        if (s === '[3~' && this.cursor < this.line.length) {
          this.line = this.line.slice(0, this.cursor) + this.line.slice(this.cursor + 1);
          return this.redrawTail(1);
        }
        return '';
      default: return '';
    }
  }

  private insert(text: string): string {
    this.line = this.line.slice(0, this.cursor) + text + this.line.slice(this.cursor);
    this.cursor += text.length;
    return text + this.redrawTail(0);
  }

  /** Rewrites from the cursor to the end (clearing `extra` cells) and puts the cursor back. */
  private redrawTail(extra: number): string {
    const tail = this.line.slice(this.cursor);
    const back = tail.length + extra;
    return tail + ' '.repeat(extra) + (back ? `${CSI}${back}D` : '');
  }

  private moveTo(pos: number): string {
    const d = pos - this.cursor;
    this.cursor = pos;
    return d > 0 ? `${CSI}${d}C` : d < 0 ? `${CSI}${-d}D` : '';
  }

  /** Replaces the whole line (history recall, Ctrl+U). */
  private replace(text: string): string {
    const old = this.line.length;
    let echo = this.moveTo(0);
    this.line = text;
    this.cursor = text.length;
    echo += text;
    const pad = Math.max(0, old - text.length);
    if (pad) echo += ' '.repeat(pad) + `${CSI}${pad}D`;
    return echo;
  }

  private recall(dir: -1 | 1): string {
    const next = this.browse + dir;
    if (next < 0 || next > this.history.length) return '';
    if (this.browse === this.history.length) this.draft = this.line;
    this.browse = next;
    return this.replace(next === this.history.length ? this.draft : this.history[next]);
  }

  private submit(): string {
    const line = this.line;
    if (line.trim() && this.history.at(-1) !== line) this.history.push(line);
    this.reset();
    return line;
  }

  private reset() {
    this.line = '';
    this.cursor = 0;
    this.draft = '';
    this.browse = this.history.length;
  }
}
