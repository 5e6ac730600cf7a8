import { describe, expect, it } from 'vitest';
import { COMMANDS, help } from './main.ts';

describe('layerlab --help', () => {
  it('lists only commands, each name separated from its summary', () => {
    const text = help();
    expect(text).not.toContain('undefined');
    expect(text).not.toMatch(/registryEngine|readContextDir/);
    const rows = text.split('Commands:\n')[1].trimEnd().split('\n');
    expect(rows).toHaveLength(COMMANDS.length);
    for (const [i, row] of rows.entries()) {
      const c = COMMANDS[i];
      expect(row).toMatch(new RegExp(`^  ${c.name.replace(/ /g, ' ')} {2,}${c.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    }
    expect(text).toContain('container inspect');
    expect(text).toMatch(/ {2}manifest inspect {2,}Display an image manifest/);
  });
});
