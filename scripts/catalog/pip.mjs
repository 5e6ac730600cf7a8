#!/usr/bin/env node
/**
 * Builds layerlab's offline pip catalog (public/catalog/pip/) from Debian's archive, since PyPI is
 * not reachable from the machines that build layerlab (only Debian's archive and npm are).
 *
 *   node scripts/catalog/pip.mjs [PIP_NAME…]        (default: the popular set below)
 *   PIP_DEB_CACHE=/tmp/layerlab-pip-debs              where the .debs are kept between runs
 *
 * Source: Debian trixie (13) main/amd64, whose python3-* packages are the upstream projects built
 * as wheels by pybuild and unpacked into /usr/lib/python3/dist-packages — the same trees a wheel
 * puts into site-packages, at the versions Debian ships (flask 3.1.1, numpy 2.2.4, django 4.2.x…).
 * For each project:
 *   1. the Debian package is found by name (python3-<name>, a few known renames) and checked by the
 *      `*.dist-info`/`*.egg-info` it contains (its project name is authoritative);
 *   2. the .deb is downloaded from deb.debian.org (sha256 checked against the Packages file) and
 *      unpacked with `dpkg-deb -x`; every file under dist-packages is listed with its real size
 *      and sha256 (for pip's RECORD), the dist-info's text files are kept verbatim;
 *   3. every .py is byte-compiled with this machine's python3 (`compileall`, as pip does after an
 *      install) and the .pyc size recorded; the image's Python may be another minor version;
 *   4. `Requires-Dist` lines of METADATA (egg-info: requires.txt) give the dependencies; those
 *      whose markers can hold on CPython 3.11–3.13/Linux without extras are followed (closure).
 * Output: index.json (every project: version, summary, requires, wheel name and size, totals) and
 * files/<normalized name>.json (its site-packages table; loaded only when installed).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, lstatSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIRROR = 'http://deb.debian.org/debian';
const SUITE = 'trixie';
const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../public/catalog/pip');
const CACHE = process.env.PIP_DEB_CACHE ?? '/tmp/layerlab-pip-debs';
const DEFAULT_ROOTS = ['flask', 'django', 'requests', 'numpy', 'pandas', 'fastapi', 'uvicorn', 'gunicorn', 'sqlalchemy',
  'psycopg2-binary', 'pytest', 'scipy', 'matplotlib', 'pillow', 'boto3', 'celery', 'redis', 'pydantic', 'jinja2',
  'httpx', 'python-dotenv', 'pyyaml', 'beautifulsoup4', 'click', 'werkzeug', 'aiohttp', 'alembic', 'psutil', 'cryptography',
  'scikit-learn', 'black', 'pymongo', 'python-dateutil', 'pytz', 'six', 'setuptools', 'wheel', 'attrs', 'lxml', 'tqdm'];

/** PyPI name → Debian binary package, where Debian's name is not python3-<name>. */
const DEB_NAMES = {
  pillow: 'python3-pil', 'psycopg2-binary': 'python3-psycopg2', pyyaml: 'python3-yaml', beautifulsoup4: 'python3-bs4',
  attrs: 'python3-attr', pyjwt: 'python3-jwt', 'scikit-learn': 'python3-sklearn', gunicorn: 'gunicorn', black: 'black',
  'python-dateutil': 'python3-dateutil', 'python-dotenv': 'python3-dotenv', 'python-multipart': 'python3-multipart',
  pytz: 'python3-tz', 'typing-extensions': 'python3-typing-extensions', pyparsing: 'python3-pyparsing', pymongo: 'python3-pymongo',
  'charset-normalizer': 'python3-charset-normalizer', 'jmespath': 'python3-jmespath', 'prompt-toolkit': 'python3-prompt-toolkit',
  'pycparser': 'python3-pycparser', 'cffi': 'python3-cffi', 'sniffio': 'python3-sniffio', 'h11': 'python3-h11', 'pyopenssl': 'python3-openssl',
  'greenlet': 'python3-greenlet', 'websockets': 'python3-websockets', 'kiwisolver': 'python3-kiwisolver', 'fonttools': 'python3-fonttools',
  'contourpy': 'python3-contourpy', 'cycler': 'python3-cycler', 'tzdata': 'python3-tzdata', 'mako': 'python3-mako',
};
/**
 * A wheel installs its own name; Debian sometimes ships a project under another distribution name
 * (psycopg2-binary is the psycopg2 sources with libpq bundled). Simulation: the catalog installs
 * Debian's psycopg2 files under the name the user asked for.
 */
const DIST_RENAMES = { 'psycopg2-binary': 'psycopg2_binary' };

const norm = (n) => n.toLowerCase().replace(/[-_.]+/g, '-');

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { maxBuffer: 1 << 30, ...opts });
}

// ---- the archive index ----
function loadPackages() {
  mkdirSync(CACHE, { recursive: true });
  const xz = join(CACHE, `${SUITE}-main-amd64-Packages.xz`);
  if (!existsSync(xz)) sh('curl', ['-sfL', '-o', xz, `${MIRROR}/dists/${SUITE}/main/binary-amd64/Packages.xz`]);
  const text = sh('xz', ['-dc', xz]).toString('utf8');
  const byName = new Map();
  for (const block of text.split('\n\n')) {
    const f = {};
    let last = '';
    for (const line of block.split('\n')) {
      if (/^\s/.test(line) && last) f[last] += '\n' + line;
      else {
        const m = /^([A-Za-z0-9-]+):\s?(.*)$/.exec(line);
        if (m) f[(last = m[1])] = m[2];
      }
    }
    if (f.Package) byName.set(f.Package, f);
  }
  const date = sh('curl', ['-sfL', `${MIRROR}/dists/${SUITE}/InRelease`]).toString('utf8').match(/^Date: (.*)$/m)?.[1] ?? '';
  return { byName, date };
}

// ---- one .deb ----
function fetchDeb(f) {
  const file = join(CACHE, f.Filename.split('/').pop());
  if (!existsSync(file)) sh('curl', ['-sfL', '-o', file, `${MIRROR}/${f.Filename}`]);
  const sum = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (sum !== f.SHA256) throw new Error(`${f.Package}: sha256 mismatch (${sum} != ${f.SHA256})`);
  return file;
}

function walk(dir, base = dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) walk(p, base, out);
    else out.push({ rel: relative(base, p), st, link: st.isSymbolicLink() ? readlinkSync(p) : undefined });
  }
  return out;
}

/** Reads a Debian python package: its dist-info and every file under dist-packages. */
function readDeb(f) {
  const deb = fetchDeb(f);
  const root = join(CACHE, 'x', f.Package);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  sh('dpkg-deb', ['-x', deb, root]);
  const sp = join(root, 'usr/lib/python3/dist-packages');
  if (!existsSync(sp)) return undefined;
  // pip byte-compiles every .py it installs; compile with this machine's Python to get real .pyc sizes.
  sh('python3', ['-m', 'compileall', '-q', '-j', '0', sp], { stdio: ['ignore', 'ignore', 'ignore'] });
  const all = walk(sp);
  const tag = `cpython-${sh('python3', ['-c', 'import sys;print(f"{sys.version_info[0]}{sys.version_info[1]}")']).toString().trim()}`;
  const pyc = new Map();
  for (const e of all) {
    const m = new RegExp(`^(.*)__pycache__/([^/]+)\\.${tag}\\.pyc$`).exec(e.rel);
    if (m) pyc.set(`${m[1]}${m[2]}.py`, e.st.size);
  }
  const files = all.filter((e) => !e.rel.includes('__pycache__/'));
  const infoDir = [...new Set(files.map((e) => e.rel.split('/')[0]))].filter((d) => /\.(dist|egg)-info$/.test(d));
  return { root, sp, files, pyc, infoDir };
}

/** Parses `Requires-Dist` of METADATA, or an egg-info's requires.txt, into requirement strings. */
function requiresOf(sp, info) {
  const dir = join(sp, info);
  if (info.endsWith('.dist-info')) {
    const meta = readFileSync(join(dir, 'METADATA'), 'utf8');
    const head = meta.split(/\n\n/)[0];
    return [...head.matchAll(/^Requires-Dist: (.*)$/gm)].map((m) => m[1].trim());
  }
  const req = existsSync(join(dir, 'requires.txt')) ? readFileSync(join(dir, 'requires.txt'), 'utf8') : '';
  const out = [];
  let section = '';
  for (const line of req.split('\n').map((l) => l.trim())) {
    if (!line) continue;
    const s = /^\[(.*)\]$/.exec(line);
    if (s) { section = s[1]; continue; }
    const [extra, marker] = section.split(':');
    const ms = [marker, extra ? `extra == "${extra}"` : ''].filter(Boolean);
    out.push(ms.length ? `${line}; ${ms.join(' and ')}` : line);
  }
  return out;
}

/** True if a requirement applies without extras on CPython 3.11 or 3.13 on Linux (a crude marker evaluation). */
function applies(req) {
  const i = req.indexOf(';');
  if (i < 0) return true;
  const marker = req.slice(i + 1);
  if (/\bextra\s*==/.test(marker)) return false;
  return ['3.11', '3.13'].some((v) => {
    const py = (op, x) => {
      const c = cmpVersion(v, x);
      return { '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0, '==': c === 0, '!=': c !== 0 }[op];
    };
    let js = marker
      .replace(/python_full_version|python_version/g, 'PY')
      .replace(/PY\s*(<=|>=|==|!=|<|>)\s*["']([^"']+)["']/g, (_, op, x) => String(py(op, x)))
      .replace(/["']([^"']+)["']\s*(<=|>=|<|>)\s*PY/g, (_, x, op) => String(py({ '<': '>', '>': '<', '<=': '>=', '>=': '<=' }[op], x)))
      .replace(/(sys_platform|platform_system|os_name|platform_python_implementation|implementation_name|platform_machine)\s*(==|!=)\s*["']([^"']+)["']/g, (_, k, op, x) => {
        const val = { sys_platform: 'linux', platform_system: 'Linux', os_name: 'posix', platform_python_implementation: 'CPython', implementation_name: 'cpython', platform_machine: 'x86_64' }[k];
        return String(op === '==' ? val === x : val !== x);
      })
      .replace(/\band\b/g, '&&').replace(/\bor\b/g, '||');
    if (!/^[\s()truefalse&|]*$/.test(js)) return true;
    return Function(`return (${js})`)();
  });
}

function cmpVersion(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

const reqName = (r) => norm(/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(r)[1]);

// ---- the catalog ----
function build(roots) {
  const { byName, date } = loadPackages();
  const index = { format: 'layerlab-pip/1', source: `Debian ${SUITE} main/amd64 (${MIRROR}), python3-* packages`, archiveDate: date, generated: new Date().toISOString(), compiledWith: sh('python3', ['--version']).toString().trim(), packages: {} };
  mkdirSync(join(OUT, 'files'), { recursive: true });
  const queue = roots.map((r) => ({ name: norm(r), from: undefined }));
  const seen = new Set();
  const missing = [];
  while (queue.length) {
    const { name, from } = queue.shift();
    if (seen.has(name)) continue;
    seen.add(name);
    const candidates = [DEB_NAMES[name], `python3-${name}`, `python3-${name.replace(/^python-/, '')}`, `python3-${name.replace(/^py/, '')}`, name].filter(Boolean);
    let got;
    for (const c of candidates) {
      const f = byName.get(c);
      if (!f) continue;
      const d = readDeb(f);
      if (!d || !d.infoDir.length) continue;
      const info = d.infoDir.find((i) => norm(i.replace(/-[^-]*\.(dist|egg)-info$/, '')) === norm(DIST_RENAMES[name] ? name.replace('-binary', '') : name)) ?? d.infoDir[0];
      got = { f, d, info };
      break;
    }
    if (!got) { missing.push(`${name}${from ? ` (required by ${from})` : ''}`); continue; }
    const { f, d, info } = got;
    const requires = requiresOf(d.sp, info);
    const version = info.replace(/\.(dist|egg)-info$/, '').split('-').pop();
    const metaText = readFileSync(join(d.sp, info, info.endsWith('.dist-info') ? 'METADATA' : 'PKG-INFO'), 'utf8');
    const summary = /^Summary: (.*)$/m.exec(metaText)?.[1] ?? '';
    const display = /^Name: (.*)$/m.exec(metaText)?.[1] ?? name;
    // Files of other projects Debian ships in the same package stay out (they are listed under their own name).
    const otherInfo = d.infoDir.filter((x) => x !== info);
    const texts = [];
    const lines = [];
    let prev = '';
    let bytes = 0;
    let pyBytes = 0;
    let so = false;
    const rows = d.files.filter((e) => !otherInfo.some((o) => e.rel.startsWith(o + '/')));
    for (const e of rows) {
      let rel = e.rel;
      if (rel.startsWith(info + '/')) {
        const distName = DIST_RENAMES[name] ?? display.replace(/[-.]+/g, '_');
        rel = `${distName}-${version}.dist-info/${rel.slice(info.length + 1).replace(/^PKG-INFO$/, 'METADATA')}`;
        const base = rel.split('/').pop();
        // Debian's INSTALLER says "debian" and it has no RECORD: the engine writes both as pip does.
        if (base === 'INSTALLER' || base === 'RECORD' || base === 'dependency_links.txt' || base === 'SOURCES.txt') continue;
      }
      if (/\.so$/.test(rel)) so = true;
      let data;
      if (e.link) data = `>${e.link}`;
      else {
        const buf = readFileSync(join(d.sp, e.rel));
        const isInfoText = rel.includes('.dist-info/') && buf.length <= 64 * 1024;
        let text = isInfoText ? buf.toString('utf8') : undefined;
        if (text !== undefined && rel.endsWith('/METADATA') && info.endsWith('.egg-info')) {
          // An egg-info's PKG-INFO has no Requires-Dist; pip's wheel METADATA has, so add them (Simulation).
          const [head, ...body] = text.split('\n\n');
          text = [head + requires.map((r) => `\nRequires-Dist: ${r}`).join(''), ...body].join('\n\n');
        }
        const size = text !== undefined ? Buffer.byteLength(text) : buf.length;
        const hash = createHash('sha256').update(text !== undefined ? Buffer.from(text) : buf).digest('base64url');
        const mode = e.st.mode & 0o111 ? 'x' : '';
        data = `${text !== undefined ? '=' + (texts.push(text) - 1) : size}\t${hash}\t${d.pyc.get(e.rel) ?? ''}\t${mode}`;
        bytes += size;
        if (d.pyc.get(e.rel)) pyBytes += d.pyc.get(e.rel);
      }
      let shared = 0;
      while (shared < prev.length && shared < rel.length && prev[shared] === rel[shared]) shared++;
      lines.push(`${shared}\t${rel.slice(shared)}\t${data}`);
      prev = rel;
    }
    const entryPoints = rows.find((e) => e.rel === `${info}/entry_points.txt`);
    const scripts = entryPoints ? consoleScripts(readFileSync(join(d.sp, entryPoints.rel), 'utf8')) : [];
    const key = name;
    const pipName = DIST_RENAMES[name] ? name : display;
    const tag = so ? 'cp3XX-cp3XX-manylinux_2_17_x86_64.manylinux2014_x86_64' : 'py3-none-any';
    index.packages[key] = {
      name: pipName, version, summary, requires,
      wheel: { file: `${(DIST_RENAMES[name] ?? pipName).replace(/[-.]+/g, '_')}-${version}-${tag}.whl`, size: Number(f.Size) },
      files: lines.length, bytes, pycBytes: pyBytes, scripts,
      deb: `${f.Package} ${f.Version}`,
    };
    writeFileSync(join(OUT, 'files', `${key}.json`), JSON.stringify({ format: 'layerlab-pip/1', name: pipName, version, texts, entries: lines.join('\n') }));
    rmSync(d.root, { recursive: true, force: true });
    console.error(`${key} ${version} (${f.Package}) ${lines.length} files, ${bytes} B + ${pyBytes} B pyc`);
    for (const r of requires) if (applies(r)) queue.push({ name: reqName(r), from: key });
  }
  index.packages = Object.fromEntries(Object.entries(index.packages).sort(([a], [b]) => (a < b ? -1 : 1)));
  index.missing = missing;
  writeFileSync(join(OUT, 'index.json'), JSON.stringify(index, null, 1) + '\n');
  console.error(`${Object.keys(index.packages).length} projects; not found in Debian: ${missing.join(', ') || 'none'}`);
}

/** `[console_scripts]` of entry_points.txt → [name, module, function]. */
function consoleScripts(text) {
  const out = [];
  let inSection = false;
  for (const line of text.split('\n')) {
    const s = /^\s*\[(.*)\]\s*$/.exec(line);
    if (s) { inSection = s[1] === 'console_scripts'; continue; }
    const m = inSection && /^\s*([^=\s]+)\s*=\s*([\w.]+)\s*:\s*([\w.]+)/.exec(line);
    if (m) out.push([m[1], m[2], m[3]]);
  }
  return out;
}

build(process.argv.slice(2).length ? process.argv.slice(2) : DEFAULT_ROOTS);
