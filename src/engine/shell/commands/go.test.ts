import { describe, expect, it } from 'vitest';
import { createShell } from '../shell.ts';
import { makeRootfs } from '../test-support.ts';
import type { ShellFs } from '../types.ts';
import { goBinaryModel } from './go.ts';

const enc = new TextEncoder();
const HELLO = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("Hello, layers!")\n\tfmt.Printf("%d%% static\\n", 100)\n}\n';
const SERVER = 'package main\n\nimport (\n\t"log"\n\t"net/http"\n)\n\nfunc main() {\n\tlog.Println("listening on :8080")\n\thttp.ListenAndServe(":8080", nil)\n}\n';

function setup(files: Record<string, string>, opts: { gcc?: boolean } = {}) {
  const fs = makeRootfs('alpine') as unknown as ShellFs;
  fs.mkdir('/src', { recursive: true });
  for (const [p, t] of Object.entries(files)) fs.writeFile(`/src/${p}`, enc.encode(t));
  if (opts.gcc) fs.writeFile('/usr/bin/gcc', enc.encode('\x7fELF'), { mode: 0o755 });
  // The toolchain as the golang image has it (a program file on PATH).
  fs.mkdir('/usr/local/go/bin', { recursive: true });
  fs.writeFile('/usr/local/go/bin/go', enc.encode('\x7fELF\x02\x01\x01\0'), { mode: 0o755 });
  const sh = createShell({ fs, now: () => 1_700_000_000 });
  const env = { PATH: '/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', GOLANG_VERSION: '1.25.4' };
  return { fs, run: (script: string) => sh.run(script, { env, cwd: '/src' }) };
}

describe('go (model)', () => {
  it('needs a go.mod, as module mode does', async () => {
    const { run } = setup({ 'main.go': HELLO });
    const r = await run('go build -o /app .');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("go: go.mod file not found in current directory or any parent directory; see 'go help modules'\n");
  });

  it('go build writes a static binary of plausible size that prints what main prints', async () => {
    const { fs, run } = setup({ 'main.go': HELLO, 'go.mod': 'module example.com/hello\n\ngo 1.25\n' });
    expect((await run('go version')).stdout).toBe('go version go1.25.4 linux/amd64\n');
    expect((await run('CGO_ENABLED=0 go build -o /app .')).exitCode).toBe(0);
    const size = fs.stat('/app').size;
    expect(size).toBeGreaterThan(1.8e6);
    expect(size).toBeLessThan(2.8e6);
    expect(fs.stat('/app').mode & 0o111).not.toBe(0);
    expect(goBinaryModel(fs.readFile('/app'))?.interpreter).toBeUndefined();
    const r = await run('/app');
    expect(r.stdout).toBe('Hello, layers!\n100% static\n');
    // -ldflags "-s -w" strips the symbol table and DWARF: a smaller file.
    await run('go build -ldflags="-s -w" -o /app-small .');
    expect(fs.stat('/app-small').size).toBeLessThan(size * 0.8);
  });

  it('with cgo (a C compiler present) a net/http program is linked against glibc and cannot start without its loader', async () => {
    const { fs, run } = setup({ 'main.go': SERVER, 'go.mod': 'module example.com/srv\n\ngo 1.25\n' }, { gcc: true });
    expect((await run('go build -o /srv-dyn . && CGO_ENABLED=0 go build -o /srv-static .')).exitCode).toBe(0);
    expect(goBinaryModel(fs.readFile('/srv-dyn'))?.interpreter).toBe('/lib64/ld-linux-x86-64.so.2');
    expect(fs.stat('/srv-static').size).toBeGreaterThan(6e6);
    const dyn = await run('/srv-dyn');
    expect(dyn.exitCode).toBe(127);
    expect((await run('/srv-static')).stdout).toBe('listening on :8080\n');
  });

  it('a module with requirements cannot be downloaded offline; one without builds', async () => {
    const { run } = setup({ 'main.go': HELLO, 'go.mod': 'module example.com/hello\n\ngo 1.25\n\nrequire github.com/gorilla/mux v1.8.1\n' });
    const r = await run('go mod download');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('github.com/gorilla/mux');
  });
});
