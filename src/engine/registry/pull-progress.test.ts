import { describe, expect, it } from 'vitest';
import type { LayerProgressEvent } from './events.ts';
import { applyPullEvent, formatPullRow, pullInProgress, type PullRow } from './pull-progress.ts';

const D1 = `sha256:${'a7'.repeat(32)}`;
const D2 = `sha256:${'26'.repeat(32)}`;
const ev = (digest: string, status: LayerProgressEvent['status'], current?: number, total = 3_400_000): LayerProgressEvent => ({
  type: 'progress', registry: 'docker.io', repository: 'library/node', digest, status, current, total,
});

describe('pull progress board', () => {
  it('keeps one row per layer, updated in place, in docker pull wording', () => {
    let rows: PullRow[] = [];
    rows = applyPullEvent(rows, ev(D1, 'Pulling fs layer'));
    rows = applyPullEvent(rows, ev(D2, 'Pulling fs layer'));
    expect(rows.map(formatPullRow)).toEqual(['a7a7a7a7a7a7: Pulling fs layer', '262626262626: Pulling fs layer']);
    rows = applyPullEvent(rows, ev(D1, 'Downloading', 1_700_000));
    expect(formatPullRow(rows[0])).toBe(`a7a7a7a7a7a7: Downloading [${'='.repeat(25)}>${' '.repeat(25)}]  1.7MB/3.4MB`);
    rows = applyPullEvent(rows, ev(D1, 'Pull complete', 3_400_000));
    expect(rows).toHaveLength(2);
    expect(formatPullRow(rows[0])).toBe('a7a7a7a7a7a7: Pull complete  3.4MB');
    expect(pullInProgress(rows)).toBe(true);
    rows = applyPullEvent(rows, ev(D2, 'Already exists'));
    expect(pullInProgress(rows)).toBe(false);
    expect(formatPullRow(rows[1])).toBe('262626262626: Already exists');
  });
});
