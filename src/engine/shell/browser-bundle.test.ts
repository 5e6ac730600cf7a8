/**
 * The lab runs just-bash's browser bundle (`just-bash/browser`, what Vite resolves in the worker),
 * which exports less than its Node bundle. Here the shell runs on that bundle, so a helper the
 * Node bundle has and the browser's lacks fails in `npm test` and not only in the lab: large ASCII
 * output handed over as bytes (`seq` into a file) and binary output (`gzip -c`).
 */
import { gunzipSync, gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { setShellImporter } from './interpreter.ts';
import { createShell } from './shell.ts';
import { makeRootfs } from './test-support.ts';
import type { ArchiveCodec } from './types.ts';

const codec: ArchiveCodec = { gzip: (b) => gzipSync(b, { mtime: 0 }), gunzip: (b) => gunzipSync(b), pack: () => new Uint8Array(), unpack: () => [] };

setShellImporter(() => import('just-bash/browser') as unknown as Promise<typeof import('just-bash')>);

describe('the shell on just-bash\'s browser bundle', () => {
  it('writes a large seq to a file and pipes binary gzip output', async () => {
    const fs = makeRootfs('debian');
    const r = await createShell({ fs, archive: codec }).run('seq 1 200000 > /big; wc -c < /big; echo hello > /a; gzip -c /a > /a.gz; gunzip -c /a.gz; gzip -c /a | gunzip -c');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1288895\nhello\nhello\n');
    expect(r.exitCode).toBe(0);
  });
});
