import { describe, expect, it } from 'vitest';
import type { TransferEvent } from '../engine/registry/events.ts';
import { pullPrinter, shortLayerId } from './pull-progress.ts';

/** A minimal terminal: applies \n, \r, ESC[nA, ESC[nB and ESC[2K to a screen of lines. */
function screen(bytes: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  let col = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === '\x1b') {
      const m = /^\x1b\[(\d*)([ABK])/.exec(bytes.slice(i))!;
      const n = Number(m[1] || 1);
      if (m[2] === 'A') row = Math.max(0, row - n);
      else if (m[2] === 'B') row += n;
      else lines[row] = '';
      while (lines.length <= row) lines.push('');
      i += m[0].length - 1;
    } else if (c === '\n') {
      row++;
      col = 0;
      while (lines.length <= row) lines.push('');
    } else if (c === '\r') col = 0;
    else {
      const l = lines[row].padEnd(col);
      lines[row] = l.slice(0, col) + c + l.slice(col + 1);
      col++;
    }
  }
  return lines;
}

const A = 'sha256:' + 'a'.repeat(64);
const B = 'sha256:' + 'b'.repeat(64);
const progress = (digest: string, status: string, current?: number, total = 3_000_000): TransferEvent =>
  ({ type: 'progress', registry: 'docker.io', repository: 'library/x', digest, status, current, total }) as TransferEvent;

function drive(tty: boolean): string {
  let out = '';
  const p = pullPrinter((s) => void (out += s), tty);
  p.onLine('1: Pulling from library/x');
  p.onEvent(progress(A, 'Pulling fs layer'));
  p.onEvent(progress(B, 'Pulling fs layer'));
  p.onEvent(progress(A, 'Downloading', 1_500_000));
  p.onEvent(progress(B, 'Downloading', 0));
  p.onEvent(progress(A, 'Verifying Checksum'));
  p.onEvent(progress(A, 'Download complete'));
  p.onEvent(progress(A, 'Extracting', 3_000_000));
  p.onLine(`${shortLayerId(A)}: Pull complete`);
  p.onEvent(progress(A, 'Pull complete'));
  p.onEvent(progress(B, 'Download complete'));
  p.onLine(`${shortLayerId(B)}: Pull complete`);
  p.onLine('Digest: sha256:' + 'c'.repeat(64));
  p.onLine('Status: Downloaded newer image for x:1');
  p.onLine('docker.io/library/x:1');
  return out;
}

describe('pull output as docker prints it', () => {
  it('on a pipe: plain lines in order, without the progress-bar messages', () => {
    expect(drive(false).split('\n')).toEqual([
      '1: Pulling from library/x',
      'aaaaaaaaaaaa: Pulling fs layer',
      'bbbbbbbbbbbb: Pulling fs layer',
      'aaaaaaaaaaaa: Verifying Checksum',
      'aaaaaaaaaaaa: Download complete',
      'aaaaaaaaaaaa: Pull complete',
      'bbbbbbbbbbbb: Download complete',
      'bbbbbbbbbbbb: Pull complete',
      'Digest: sha256:' + 'c'.repeat(64),
      'Status: Downloaded newer image for x:1',
      'docker.io/library/x:1',
      '',
    ]);
  });

  it('on a terminal: one line per layer, redrawn in place, bars while downloading', () => {
    const out = drive(true);
    expect(screen(out)).toEqual([
      '1: Pulling from library/x',
      'aaaaaaaaaaaa: Pull complete',
      'bbbbbbbbbbbb: Pull complete',
      'Digest: sha256:' + 'c'.repeat(64),
      'Status: Downloaded newer image for x:1',
      'docker.io/library/x:1',
      '',
    ]);
    // Part-way, the first layer's line showed a half-full bar with its byte counts.
    // Cut right before the cursor moves up to write `Verifying Checksum`.
    const cut = out.lastIndexOf('\x1b[', out.lastIndexOf('\x1b[2K', out.indexOf('Verifying Checksum')) - 1);
    const mid = screen(out.slice(0, cut));
    expect(mid[1]).toBe(`aaaaaaaaaaaa: Downloading [${'='.repeat(25)}>${' '.repeat(25)}]    1.5MB/3MB`);
    expect(mid[2]).toMatch(/^bbbbbbbbbbbb: Downloading \[>\s{50}\]\s+0B\/3MB$/);
  });
});
