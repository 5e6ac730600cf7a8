/**
 * `go` in the golang images, enough for the multi-stage lesson: `go version`, `go env [VAR…]`,
 * `go mod init NAME`, `go mod download` / `go mod tidy` (offline: only a module without
 * requirements succeeds), `go build [-o OUT] [-ldflags=…] [-trimpath] [PKG]` and `go run .`.
 *
 * Simulation: nothing is compiled. `go build` checks what the real tool checks first (a go.mod, Go
 * files in the package, `package main` for an executable) and writes an ELF-looking binary whose
 * size follows the imported standard packages (hello world with fmt ≈ 2.2 MB; net/http ≈ 7.6 MB;
 * `-ldflags="-s -w"` strips ~30 %; measured with Go 1.22–1.25 on linux/amd64). The binary embeds
 * what the program prints (the string literals passed to fmt.Print, fmt.Println, fmt.Printf, log.Print… and println, in
 * order); running it prints them. With CGO enabled (the default when a C compiler is installed, as
 * in golang:<ver>) a program importing net or os/user is linked dynamically against glibc, so it
 * fails in a `FROM scratch` stage exactly like the real one: `exec /app: no such file or directory`.
 */
import type { CommandIO, CommandOutput, ShellCommand } from './command.ts';
import { resolvePath } from '../../fs/path.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const out = (stdout: string, stderr = '', exitCode = 0): CommandOutput => ({ stdout, stderr, exitCode });

/** The marker layerlab's Go binaries carry after the ELF magic. */
export const GO_BINARY_MARKER = 'LAYERLAB-GO-MODEL:';

/** Approximate bytes each standard package adds to a static linux/amd64 binary (Go 1.22–1.25). */
const PKG_BYTES: Record<string, number> = {
  fmt: 900_000, 'net/http': 5_600_000, net: 1_500_000, 'encoding/json': 500_000, os: 150_000, log: 120_000, 'log/slog': 400_000, time: 120_000,
  strings: 60_000, strconv: 60_000, 'crypto/tls': 1_200_000, 'database/sql': 300_000, 'html/template': 900_000, 'text/template': 600_000, regexp: 300_000, 'os/exec': 150_000,
};
const BASE_BYTES = 1_250_000;

function readText(io: CommandIO, p: string): string | undefined {
  try {
    return dec.decode(io.fs.readFile(p));
  } catch {
    return undefined;
  }
}

function list(io: CommandIO, dir: string): string[] {
  try {
    return io.fs.readdir(dir);
  } catch {
    return [];
  }
}

/** The go.mod governing `dir` (searching upwards), as the real tool does. */
function findGoMod(io: CommandIO, dir: string): { path: string; module: string; requires: string[] } | undefined {
  for (let d = dir; ; d = d.slice(0, d.lastIndexOf('/')) || '/') {
    const text = readText(io, `${d === '/' ? '' : d}/go.mod`);
    if (text !== undefined) {
      const module = /^module\s+(\S+)/m.exec(text)?.[1] ?? '';
      const requires = [...text.matchAll(/^\s*(?:require\s+)?([\w.-]+\.[\w.-]+\/\S+)\s+v[\w.+-]+/gm)].map((m) => m[1]);
      return { path: `${d === '/' ? '' : d}/go.mod`, module, requires };
    }
    if (d === '/') return undefined;
  }
}

function goVersion(io: CommandIO): string {
  return io.env.get('GOLANG_VERSION') || readText(io, '/usr/local/go/VERSION')?.split('\n')[0]?.replace(/^go/, '') || 'unknown';
}

/** The string literals a `main` package prints, in source order. */
function printedLines(sources: string[]): string[] {
  const lines: string[] = [];
  const unq = (s: string) => s.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  for (const src of sources) {
    const re = /\b(fmt\.Println|fmt\.Printf|fmt\.Print|log\.Println|log\.Printf|log\.Print|println)\(\s*("(?:[^"\\]|\\.)*"|`[^`]*`)([^\n]*)/g;
    for (const m of src.matchAll(re)) {
      let s = m[2].startsWith('`') ? m[2].slice(1, -1) : unq(m[2].slice(1, -1));
      if (m[1].endsWith('Printf')) {
        // Verbs take the literal arguments that follow (numbers, strings); others stay as written.
        const args = (/^\s*,(.*)\)\s*$/.exec(m[3])?.[1] ?? '').split(',').map((a) => a.trim()).filter(Boolean);
        let k = 0;
        s = s.replace(/%([%dsvqfx])/g, (all, v: string) => {
          if (v === '%') return '%';
          const a = args[k++];
          if (a === undefined) return all;
          if (/^-?\d+(\.\d+)?$/.test(a)) return a;
          if (/^"(?:[^"\\]|\\.)*"$/.test(a)) return v === 'q' ? a : unq(a.slice(1, -1));
          return all;
        });
      }
      if (m[1].endsWith('ln') || m[1] === 'println') s += '\n';
      if (m[1].startsWith('log.') && !s.endsWith('\n')) s += '\n';
      lines.push(s);
    }
  }
  return lines;
}

function importsOf(sources: string[]): string[] {
  const out = new Set<string>();
  for (const src of sources) {
    for (const m of src.matchAll(/^import\s+"([^"]+)"/gm)) out.add(m[1]);
    for (const block of src.matchAll(/^import\s*\(([\s\S]*?)\)/gm)) for (const m of block[1].matchAll(/"([^"]+)"/g)) out.add(m[1]);
  }
  return [...out];
}

function cgoEnabled(io: CommandIO): boolean {
  const v = io.env.get('CGO_ENABLED');
  if (v !== undefined && v !== '') return v === '1';
  // Like cmd/go: on by default when a C compiler is found.
  const path = (io.env.get('PATH') ?? '/usr/bin').split(':');
  return path.some((d) => {
    try {
      io.fs.stat(`${d}/gcc`);
      return true;
    } catch {
      return false;
    }
  });
}

/** Writes the modelled binary: `\x7fELF`, the marker, a JSON description, then filler up to `size`. */
function writeBinary(io: CommandIO, path: string, desc: { prints: string[]; interpreter?: string; module: string }, size: number) {
  const head = enc.encode(`\x7fELF\x02\x01\x01\0${GO_BINARY_MARKER}${JSON.stringify(desc)}\n`);
  const bytes = new Uint8Array(Math.max(size, head.length));
  bytes.set(head);
  let s = 0x9e3779b9 ^ head.length;
  for (let i = head.length; i < bytes.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    bytes[i] = (i & 63) < 24 ? s & 0xff : 0;
  }
  io.countWrite(bytes.length);
  io.fs.writeFile(path, bytes, { mode: 0o755 });
  io.fs.chmod(path, 0o755);
}

/** The description a layerlab Go binary carries, if `bytes` is one. */
export function goBinaryModel(bytes: Uint8Array): { prints: string[]; interpreter?: string; module: string } | undefined {
  const head = dec.decode(bytes.subarray(0, Math.min(bytes.length, 65536)));
  const i = head.indexOf(GO_BINARY_MARKER);
  if (!head.startsWith('\x7fELF') || i < 0) return undefined;
  const end = head.indexOf('\n', i);
  try {
    return JSON.parse(head.slice(i + GO_BINARY_MARKER.length, end));
  } catch {
    return undefined;
  }
}

/**
 * Runs a layerlab Go binary at `path` (called by the interpreter's program stub): its printed lines,
 * or the exec failure of a dynamically linked binary whose loader is missing.
 */
export function runGoBinary(io: { fs: CommandIO['fs'] }, path: string, name: string): CommandOutput | undefined {
  let bytes: Uint8Array;
  try {
    bytes = io.fs.readFile(path);
  } catch {
    return undefined;
  }
  const m = goBinaryModel(bytes);
  if (!m) return undefined;
  if (m.interpreter) {
    try {
      io.fs.stat(m.interpreter);
    } catch {
      return out('', `exec ${name}: no such file or directory\n`, 127);
    }
  }
  return out(m.prints.join(''));
}

function build(io: CommandIO, args: string[], run: boolean): CommandOutput {
  let output: string | undefined;
  let strip = false;
  const pkgs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-o') output = args[++i];
    else if (a.startsWith('-o=')) output = a.slice(3);
    else if (a === '-ldflags') strip = /-s\b|-w\b/.test(args[++i] ?? '');
    else if (a.startsWith('-ldflags=')) strip = /-s\b|-w\b/.test(a);
    else if (a === '-tags' || a === '-gcflags' || a === '-mod') i++;
    else if (a.startsWith('-')) continue;
    else pkgs.push(a);
  }
  const dir = resolvePath(io.cwd, pkgs[0] && !pkgs[0].endsWith('.go') ? pkgs[0].replace(/\/\.\.\.$/, '') : '.');
  const mod = findGoMod(io, io.cwd);
  if (!mod) return out('', "go: go.mod file not found in current directory or any parent directory; see 'go help modules'\n", 1);
  const files = pkgs.some((p) => p.endsWith('.go')) ? pkgs.map((p) => resolvePath(io.cwd, p)) : list(io, dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go')).map((f) => `${dir === '/' ? '' : dir}/${f}`);
  const sources = files.map((f) => readText(io, f)).filter((s): s is string => s !== undefined);
  if (!sources.length) return out('', `no Go files in ${dir}\n`, 1);
  const isMain = sources.some((s) => /^package\s+main\b/m.test(s));
  for (const p of importsOf(sources)) {
    if (!p.includes('.') || mod.requires.some((r) => p.startsWith(r)) || p.startsWith(mod.module)) continue;
    return out('', `${files[0].slice(io.cwd.length + 1) || files[0]}:3:2: no required module provides package ${p}; to add it:\n\tgo get ${p}\n`, 1);
  }
  const imports = importsOf(sources);
  const size = Math.round((BASE_BYTES + imports.reduce((n, p) => n + (PKG_BYTES[p] ?? 80_000), 0) + sources.reduce((n, s) => n + s.length * 6, 0)) * (strip ? 0.7 : 1));
  const dynamic = cgoEnabled(io) && imports.some((p) => p === 'net' || p === 'net/http' || p === 'os/user');
  const desc = { prints: printedLines(sources), module: mod.module, ...(dynamic ? { interpreter: '/lib64/ld-linux-x86-64.so.2' } : {}) };
  if (run) return out(desc.prints.join(''));
  if (!isMain) return out('');
  const name = (mod.module.split('/').pop() || dir.split('/').pop() || 'main').replace(/\.go$/, '');
  let target = resolvePath(io.cwd, output ?? name);
  try {
    if (io.fs.stat(target).type === 'dir') target = `${target}/${name}`;
  } catch {
    /* a new file */
  }
  writeBinary(io, target, desc, size);
  return out('');
}

/** `go` (see the module comment). */
export const go: ShellCommand = (io) => {
  const [verb, ...rest] = io.args;
  if (verb === 'version') return out(`go version go${goVersion(io)} linux/amd64\n`);
  if (verb === 'env') {
    const vars: Record<string, string> = { GOPATH: io.env.get('GOPATH') || '/root/go', GOROOT: '/usr/local/go', GOOS: 'linux', GOARCH: 'amd64', CGO_ENABLED: cgoEnabled(io) ? '1' : '0', GOVERSION: `go${goVersion(io)}`, GOTOOLCHAIN: io.env.get('GOTOOLCHAIN') || 'auto', GOCACHE: '/root/.cache/go-build', GOMODCACHE: `${io.env.get('GOPATH') || '/root/go'}/pkg/mod` };
    if (rest.length) return out(rest.map((k) => vars[k] ?? '').join('\n') + '\n');
    return out(Object.entries(vars).map(([k, v]) => `${k}='${v}'`).join('\n') + '\n');
  }
  if (verb === 'mod' && rest[0] === 'init') {
    const name = rest[1];
    if (!name) return out('', 'go: cannot determine module path for source directory (outside GOPATH, module path must be specified)\n', 1);
    const p = `${io.cwd === '/' ? '' : io.cwd}/go.mod`;
    if (readText(io, p) !== undefined) return out('', `go: ${p} already exists\n`, 1);
    const text = `module ${name}\n\ngo ${goVersion(io).split('.').slice(0, 3).join('.')}\n`;
    io.countWrite(text.length);
    io.fs.writeFile(p, enc.encode(text), { mode: 0o644 });
    return out('', `go: creating new go.mod: module ${name}\n`);
  }
  if (verb === 'mod' && (rest[0] === 'download' || rest[0] === 'tidy' || rest[0] === 'verify')) {
    const mod = findGoMod(io, io.cwd);
    if (!mod) return out('', "go: go.mod file not found in current directory or any parent directory; see 'go help modules'\n", 1);
    if (mod.requires.length) {
      const r = mod.requires[0];
      return out('', `go: ${r}: Get "https://proxy.golang.org/${r.toLowerCase()}/@v/list": dial tcp: lookup proxy.golang.org: no such host\nSimulation: layerlab is offline; only modules without requirements build.\n`, 1);
    }
    return out(rest[0] === 'verify' ? 'all modules verified\n' : '');
  }
  if (verb === 'build' || verb === 'install') return build(io, rest, false);
  if (verb === 'run') return build(io, rest, true);
  if (verb === 'test') return out('?   \t' + (findGoMod(io, io.cwd)?.module ?? '.') + '\t[no test files]\n');
  return out('', `go ${verb ?? ''}: layerlab models go version, env, mod init/download/tidy, build, run and test\n`, verb ? 2 : 2);
};
