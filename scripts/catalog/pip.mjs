#!/usr/bin/env node
/**
 * Builds layerlab's offline pip catalog (public/catalog/pip/) from Debian's archive, since PyPI is
 * not reachable from the machines that build layerlab (only Debian's archive and npm are).
 *
 *   node scripts/catalog/pip.mjs [PIP_NAME…]        (default: the popular set below)
 *   node scripts/catalog/pip.mjs --update NAME…      rebuild only these projects in the existing index
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
 * Projects whose trixie release is older than what a catalog project requires are taken from Debian
 * unstable (sid) instead (NEWER_SUITE: httptools, since uvicorn[standard] needs httptools>=0.5.0 and
 * trixie ships 0.1.1); the index records the suite and its archive date per project.
 * Output: index.json (every project: version, summary, requires, wheel name and size, totals) and
 * files/<normalized name>.json (its site-packages table; loaded only when installed).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, lstatSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIRROR = 'http://deb.debian.org/debian';
const SUITE = 'trixie';
const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../public/catalog/pip');
const CACHE = process.env.PIP_DEB_CACHE ?? '/tmp/layerlab-pip-debs';
const DEFAULT_ROOTS = ['flask', 'django', 'requests', 'numpy', 'pandas', 'fastapi', 'uvicorn', 'gunicorn', 'sqlalchemy',
  'psycopg2-binary', 'pytest', 'scipy', 'matplotlib', 'pillow', 'boto3', 'celery', 'redis', 'pydantic', 'jinja2',
  'uvicorn[standard]', 'celery[redis]', 'httpx', 'python-dotenv', 'pyyaml', 'beautifulsoup4', 'click', 'werkzeug', 'aiohttp', 'alembic', 'psutil', 'cryptography',
  'scikit-learn', 'black', 'pymongo', 'python-dateutil', 'pytz', 'six', 'setuptools', 'wheel', 'attrs', 'lxml', 'tqdm', 'pip'];

/**
 * Projects taken from another suite than SUITE: trixie's release is older than a requirement of a
 * catalog project (uvicorn[standard]: `httptools>=0.5.0`; trixie has httptools 0.1.1, sid 0.9.0).
 */
const NEWER_SUITE = { httptools: 'sid' };

/** PyPI name → Debian binary package, where Debian's name is not python3-<name>. */
const DEB_NAMES = {
  pillow: 'python3-pil', 'psycopg2-binary': 'python3-psycopg2', pyyaml: 'python3-yaml', beautifulsoup4: 'python3-bs4',
  attrs: 'python3-attr', pyjwt: 'python3-jwt', 'scikit-learn': 'python3-sklearn', gunicorn: 'gunicorn', black: 'black',
  'python-dateutil': 'python3-dateutil', 'python-dotenv': 'python3-dotenv', 'python-multipart': 'python3-multipart',
  pytz: 'python3-tz', 'typing-extensions': 'python3-typing-extensions', pyparsing: 'python3-pyparsing', pymongo: 'python3-pymongo',
  'charset-normalizer': 'python3-charset-normalizer', 'jmespath': 'python3-jmespath', 'prompt-toolkit': 'python3-prompt-toolkit',
  'pycparser': 'python3-pycparser', 'cffi': 'python3-cffi', 'sniffio': 'python3-sniffio', 'h11': 'python3-h11', 'pyopenssl': 'python3-openssl',
  'greenlet': 'python3-greenlet', 'websockets': 'python3-websockets', 'kiwisolver': 'python3-kiwisolver', 'fonttools': 'python3-fonttools',
  'contourpy': 'python3-contourpy', 'cycler': 'python3-cycler', 'mako': 'python3-mako',
};
/**
 * A wheel installs its own name; Debian sometimes ships a project under another distribution name
 * (psycopg2-binary is the psycopg2 sources with libpq bundled). Simulation: the catalog installs
 * Debian's psycopg2 files under the name the user asked for.
 */
const DIST_RENAMES = { 'psycopg2-binary': 'psycopg2_binary' };

/** Debian splits some projects: these packages' dist-packages files belong to the same wheel. */
const COMPANIONS = { pandas: ['python3-pandas-lib'], 'scikit-learn': ['python3-sklearn-lib'], numpy: ['python3-numpy-dev'] };

/**
 * Shared libraries a manylinux wheel bundles under `<name>.libs/` (auditwheel repair), where Debian
 * links the system's copy instead: [Debian package, file name pattern, name stem in the wheel].
 * Simulation: the sizes are Debian trixie's builds of the same libraries; the wheels' copies are
 * built by each project's CI on manylinux2014 and differ (see README.md for the accuracy).
 */
const BUNDLED = {
  numpy: [['libopenblas64-0-pthread', /libopenblas64\.so\.0$/, 'libscipy_openblas64_'], ['libgfortran5', /libgfortran\.so\.5\./, 'libgfortran'], ['libquadmath0', /libquadmath\.so\.0\./, 'libquadmath']],
  scipy: [['libopenblas0-pthread', /libopenblas\.so\.0$/, 'libscipy_openblas'], ['libgfortran5', /libgfortran\.so\.5\./, 'libgfortran'], ['libquadmath0', /libquadmath\.so\.0\./, 'libquadmath']],
  pillow: [['libjpeg62-turbo', /libjpeg\.so\.62\./, 'libjpeg'], ['libopenjp2-7', /libopenjp2\.so\.2\./, 'libopenjp2'], ['libtiff6', /libtiff\.so\.6\./, 'libtiff'],
    ['libwebp7', /libwebp\.so\.7\./, 'libwebp'], ['libwebpmux3', /libwebpmux\.so\.3\./, 'libwebpmux'], ['libwebpdemux2', /libwebpdemux\.so\.2\./, 'libwebpdemux'],
    ['libsharpyuv0', /libsharpyuv\.so\.0\./, 'libsharpyuv'], ['liblcms2-2', /liblcms2\.so\.2\./, 'liblcms2'], ['libpng16-16t64', /libpng16\.so\.16\./, 'libpng16'],
    ['libfreetype6', /libfreetype\.so\.6\./, 'libfreetype'], ['libharfbuzz0b', /libharfbuzz\.so\.0\./, 'libharfbuzz'], ['libbrotli1', /libbrotlicommon\.so\.1\./, 'libbrotlicommon'],
    ['libbrotli1', /libbrotlidec\.so\.1\./, 'libbrotlidec'], ['libxcb1', /libxcb\.so\.1\./, 'libxcb'], ['libxau6', /libXau\.so\.6\./, 'libXau'], ['liblzma5', /liblzma\.so\.5\./, 'liblzma']],
  'psycopg2-binary': [['libpq5', /libpq\.so\.5\./, 'libpq'], ['libssl3t64', /libssl\.so\.3$/, 'libssl'], ['libssl3t64', /libcrypto\.so\.3$/, 'libcrypto'],
    ['libgssapi-krb5-2', /libgssapi_krb5\.so\.2\./, 'libgssapi_krb5'], ['libkrb5-3', /libkrb5\.so\.3\./, 'libkrb5'], ['libk5crypto3', /libk5crypto\.so\.3\./, 'libk5crypto'],
    ['libkrb5support0', /libkrb5support\.so\.0\./, 'libkrb5support'], ['libcom-err2', /libcom_err\.so\.2\./, 'libcom_err'], ['libkeyutils1', /libkeyutils\.so\.1\./, 'libkeyutils'],
    ['libldap2', /liblber\.so\.2\./, 'liblber'], ['libldap2', /libldap\.so\.2\./, 'libldap'], ['libsasl2-2', /libsasl2\.so\.2\./, 'libsasl2']],
};

/**
 * Data Debian moves out of dist-packages into another package (leaving a symlink): [package, its
 * directory, where the wheel has it]. Symlinks inside it that point out of the tree (Debian links
 * the fonts to its font packages) are left out.
 */
const MOVED_DATA = { matplotlib: [['python-matplotlib-data', 'usr/share/matplotlib/mpl-data', 'matplotlib/mpl-data']] };

/** Requirements Debian patches out of a project's metadata (it ships the data elsewhere) that the wheel on PyPI has. */
const UPSTREAM_REQUIRES = { pandas: ['tzdata>=2022.7'] };

/** Files Debian ships in dist-packages that the wheels leave out (matplotlib's test images are a separate download upstream). */
const NOT_IN_WHEEL = /(^|\/)baseline_images\//;

const norm = (n) => n.toLowerCase().replace(/[-_.]+/g, '-');

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { maxBuffer: 1 << 30, ...opts });
}

// ---- the archive index ----
function loadPackages(suite = SUITE) {
  mkdirSync(CACHE, { recursive: true });
  const xz = join(CACHE, `${suite}-main-amd64-Packages.xz`);
  if (!existsSync(xz)) sh('curl', ['-sfL', '-o', xz, `${MIRROR}/dists/${suite}/main/binary-amd64/Packages.xz`]);
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
  const date = sh('curl', ['-sfL', `${MIRROR}/dists/${suite}/InRelease`]).toString('utf8').match(/^Date: (.*)$/m)?.[1] ?? '';
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
  return { root, sp, files, pyc, infoDir, f };
}

/** Parses `Requires-Dist` of METADATA, or an egg-info's requires.txt, into requirement strings. */
function requiresOf(sp, info) {
  const dir = join(sp, info);
  if (info.endsWith('.dist-info')) {
    const meta = readFileSync(join(dir, 'METADATA'), 'utf8');
    return [...meta.matchAll(/^Requires-Dist: (.*)$/gm)].map((m) => m[1].trim());
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
function applies(req, extras = []) {
  const i = req.indexOf(';');
  if (i < 0) return true;
  // An extra's dependency applies only when that extra is asked for (`uvicorn[standard]`).
  const marker = req.slice(i + 1).replace(/\bextra\s*==\s*["']([^"']+)["']/g, (_, x) => String(extras.map(norm).includes(norm(x))));
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
const reqExtras = (r) => (/^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*\[([^\]]*)\]/.exec(r)?.[1] ?? '').split(',').map((x) => x.trim()).filter(Boolean);

// ---- the catalog ----
const cleanVersion = (v) => v.replace(/\+(dfsg|ds)\d*$/, '');

/** A file row: where it goes in site-packages, where its bytes are on this machine, its .pyc size. */
function rowsOf(d, skipInfo) {
  // A package built for several CPython versions (sid: 3.14 and 3.15) ships one extension module per
  // version; a wheel has one, so the oldest build is kept (the engine renames it to the image's tag).
  const ext = /^(.*)\.cpython-(3\d+)-x86_64-linux-gnu\.so$/;
  const oldest = new Map();
  for (const e of d.files) {
    const m = ext.exec(e.rel);
    if (m && !(Number(oldest.get(m[1])) <= Number(m[2]))) oldest.set(m[1], m[2]);
  }
  return d.files
    .filter((e) => { const m = ext.exec(e.rel); return !m || oldest.get(m[1]) === m[2]; })
    .filter((e) => !skipInfo.some((o) => e.rel === o || e.rel.startsWith(o + '/')) && !NOT_IN_WHEEL.test(e.rel))
    .map((e) => ({ rel: e.rel, abs: join(d.sp, e.rel), link: e.link, exec: !!(e.st.mode & 0o111), pyc: d.pyc.get(e.rel), deb: d.f }));
}

/** The `<name>.libs/` rows of a wheel that bundles shared libraries (see BUNDLED), and the .debs' sizes. */
function bundledRows(byName, name, libsDir) {
  const rows = [];
  let debBytes = 0;
  const seenDebs = new Set();
  for (const [pkg, re, stem] of BUNDLED[name] ?? []) {
    const f = byName.get(pkg);
    if (!f) throw new Error(`${name}: bundled library package ${pkg} not in ${SUITE}`);
    const deb = fetchDeb(f);
    const root = join(CACHE, 'x', pkg);
    if (!seenDebs.has(pkg)) {
      rmSync(root, { recursive: true, force: true });
      mkdirSync(root, { recursive: true });
      sh('dpkg-deb', ['-x', deb, root]);
      seenDebs.add(pkg);
      debBytes += Number(f.Size);
    }
    const hit = walk(root).find((e) => re.test(e.rel));
    if (!hit) throw new Error(`${name}: no file matching ${re} in ${pkg}`);
    const abs = realpathSync(join(root, hit.rel));
    const base = hit.rel.split('/').pop();
    const soname = base.slice(base.indexOf('.so'));
    // auditwheel names a grafted library `<stem>-<8 hex of its hash><.so suffix>`.
    const h = createHash('sha256').update(readFileSync(abs)).digest('hex').slice(0, 8);
    rows.push({ rel: `${libsDir}/${stem}-${h}${soname}`, abs, exec: true, deb: f });
  }
  return { rows, debBytes };
}

/** The tzdata wheel (pandas needs it; Debian ships the same IANA files as its `tzdata` package instead). */
function tzdataProject(byName) {
  const f = byName.get('tzdata');
  const deb = fetchDeb(f);
  const root = join(CACHE, 'x', 'tzdata');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  sh('dpkg-deb', ['-x', deb, root]);
  const zi = join(root, 'usr/share/zoneinfo');
  const iana = /^(\d{4})([a-z])/.exec(f.Version);
  const version = `${iana[1]}.${iana[2].charCodeAt(0) - 96}`;
  const rows = [];
  const dirs = new Set(['tzdata', 'tzdata/zoneinfo']);
  for (const e of walk(zi)) {
    if (/^(posix|right)\//.test(e.rel) || /\.(tab)$/.test(e.rel) && !/^(iso3166|zone1970|zonenow)\.tab$/.test(e.rel) || e.rel === 'leap-seconds.list' || e.rel === 'leapseconds') continue;
    const rel = `tzdata/zoneinfo/${e.rel}`;
    let abs = join(zi, e.rel);
    try { abs = sh('readlink', ['-f', abs]).toString().trim(); } catch { continue; }
    if (!existsSync(abs)) continue;
    for (let dir = rel.slice(0, rel.lastIndexOf('/')); dir.length > 'tzdata'.length; dir = dir.slice(0, dir.lastIndexOf('/'))) dirs.add(dir);
    rows.push({ rel, abs, deb: f });
  }
  const texts = {
    'tzdata/__init__.py': `# IANA versions like 2020a are not valid PEP 440 identifiers; the recommended\n# way to translate the version is to use YYYY.n where \`n\` is a 0-based index.\n__version__ = "${version}"\n\n# This exposes the original IANA version number.\nIANA_VERSION = "${iana[0]}"\n`,
  };
  for (const d of dirs) if (!texts[`${d}/__init__.py`]) texts[`${d}/__init__.py`] = '';
  const meta = `Metadata-Version: 2.1\nName: tzdata\nVersion: ${version}\nSummary: Provider of IANA time zone data\nHome-page: https://github.com/python/tzdata\nAuthor: Python Software Foundation\nAuthor-email: datetime-sig@python.org\nLicense: Apache-2.0\nRequires-Python: >=2\nDescription-Content-Type: text/x-rst\nLicense-File: LICENSE\nLicense-File: licenses/LICENSE_APACHE\n\n`;
  texts[`tzdata-${version}.dist-info/METADATA`] = meta;
  texts[`tzdata-${version}.dist-info/WHEEL`] = 'Wheel-Version: 1.0\nGenerator: setuptools (75.8.0)\nRoot-Is-Purelib: true\nTag: py2-none-any\nTag: py3-none-any\n\n';
  texts[`tzdata-${version}.dist-info/top_level.txt`] = 'tzdata\n';
  for (const [rel, text] of Object.entries(texts)) rows.push({ rel, text, pyc: rel.endsWith('.py') ? pycSizeOf(text) : undefined });
  rows.sort((a, b) => (a.rel < b.rel ? -1 : 1));
  return { f, version, rows, summary: 'Provider of IANA time zone data', display: 'tzdata', requires: [], info: `tzdata-${version}.dist-info` };
}

/** The size of the .pyc this machine's Python writes for a source text. */
function pycSizeOf(text) {
  const dir = join(CACHE, 'pyc');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'm.py'), text);
  sh('python3', ['-c', `import py_compile;py_compile.compile(${JSON.stringify(join(dir, 'm.py'))}, cfile=${JSON.stringify(join(dir, 'm.pyc'))})`]);
  return lstatSync(join(dir, 'm.pyc')).size;
}

function build(roots, { update = false } = {}) {
  const main = loadPackages();
  const suites = new Map([[SUITE, main]]);
  const suiteOf = (name) => {
    const s = NEWER_SUITE[name] ?? SUITE;
    if (!suites.has(s)) suites.set(s, loadPackages(s));
    return { suite: s, ...suites.get(s) };
  };
  const fresh = { format: 'layerlab-pip/1', source: `Debian ${SUITE} main/amd64 (${MIRROR}), python3-* packages`, archiveDate: main.date, generated: new Date().toISOString(), compiledWith: sh('python3', ['--version']).toString().trim(), packages: {} };
  // --update: the existing index stays as it is but for the named projects (and new dependencies they bring).
  const index = update ? JSON.parse(readFileSync(join(OUT, 'index.json'), 'utf8')) : fresh;
  if (update) index.updated = fresh.generated;
  mkdirSync(join(OUT, 'files'), { recursive: true });
  const queue = roots.map((r) => ({ name: reqName(r), extras: reqExtras(r), from: undefined }));
  const extrasDone = new Map();
  const seen = new Set(update ? Object.keys(index.packages).filter((k) => !roots.some((r) => reqName(r) === k)) : []);
  const missing = update ? [...(index.missing ?? [])] : [];
  while (queue.length) {
    const { name, from, extras } = queue.shift();
    if (seen.has(name)) {
      // A project met again with new extras: follow the dependencies those extras add.
      const done = extrasDone.get(name) ?? new Set();
      const fresh = extras.filter((x) => !done.has(x));
      fresh.forEach((x) => done.add(x));
      extrasDone.set(name, done);
      const known = index.packages[name];
      if (known && fresh.length) for (const r of known.requires) if (!applies(r) && applies(r, fresh)) queue.push({ name: reqName(r), extras: reqExtras(r), from: name });
      continue;
    }
    seen.add(name);
    extrasDone.set(name, new Set(extras));
    let p;
    const { suite, byName, date: suiteDate } = suiteOf(name);
    if (name === 'tzdata') p = tzdataProject(byName);
    else {
      const candidates = [DEB_NAMES[name], `python3-${name}`, `python3-${name.replace(/^python-/, '')}`, `python3-${name.replace(/^py/, '')}`, name].filter(Boolean);
      for (const c of candidates) {
        const f = byName.get(c);
        if (!f) continue;
        const d = readDeb(f);
        if (!d || !d.infoDir.length) continue;
        const want = norm(DIST_RENAMES[name] ? name.replace('-binary', '') : name);
        const info = d.infoDir.find((i) => norm(i.replace(/-[^-]*\.(dist|egg)-info$/, '')) === want) ?? d.infoDir[0];
        const metaText = readFileSync(join(d.sp, info, info.endsWith('.dist-info') ? 'METADATA' : 'PKG-INFO'), 'utf8');
        const display = DIST_RENAMES[name] ? name : (/^Name: (.*)$/m.exec(metaText)?.[1] ?? name);
        const version = cleanVersion(info.replace(/\.(dist|egg)-info$/, '').split('-').pop());
        const requires = [...requiresOf(d.sp, info), ...(UPSTREAM_REQUIRES[name] ?? [])];
        // The dist-info's name as the project's build backend wrote it (flit and recent setuptools: lower case).
        const distName = DIST_RENAMES[name] ?? info.replace(/-[^-]*\.(dist|egg)-info$/, '').replace(/[-.]+/g, '_');
        const newInfo = `${distName}-${version}.dist-info`;
        const rows = [];
        let p0extra = 0;
        for (const r of rowsOf(d, d.infoDir.filter((x) => x !== info))) {
          if (r.rel.startsWith(info + '/')) {
            const rest = r.rel.slice(info.length + 1).replace(/^PKG-INFO$/, 'METADATA');
            // Debian's INSTALLER says "debian" and it has no RECORD: the engine writes both as pip does.
            if (['INSTALLER', 'RECORD', 'dependency_links.txt', 'SOURCES.txt', 'requires.txt', 'not-zip-safe'].includes(rest)) continue;
            let text = readFileSync(r.abs, 'utf8');
            if (rest === 'METADATA' && info.endsWith('.egg-info')) {
              // An egg-info's PKG-INFO has no Requires-Dist; pip's wheel METADATA has, so add them (Simulation).
              const [head, ...body] = text.split('\n\n');
              text = [head + requires.map((q) => `\nRequires-Dist: ${q}`).join(''), ...body].join('\n\n');
            }
            if (rest === 'METADATA') {
              text = text.replace(/^Version: .*$/m, `Version: ${version}`);
              for (const q of UPSTREAM_REQUIRES[name] ?? []) text = text.replace(/^(Requires-Dist: [^\n]*\n)(?!Requires-Dist)/m, `$1Requires-Dist: ${q}\n`);
            }
            rows.push({ rel: `${newInfo}/${rest}`, text, deb: f });
          } else rows.push(r);
        }
        for (const comp of COMPANIONS[name] ?? []) {
          const cf = byName.get(comp);
          const cd = cf && readDeb(cf);
          if (cd) rows.push(...rowsOf(cd, cd.infoDir));
        }
        for (const [pkg, from, to] of MOVED_DATA[name] ?? []) {
          const mf = byName.get(pkg);
          const root = join(CACHE, 'x', pkg);
          rmSync(root, { recursive: true, force: true });
          mkdirSync(root, { recursive: true });
          sh('dpkg-deb', ['-x', fetchDeb(mf), root]);
          const at = rows.findIndex((r) => r.rel === to);
          if (at >= 0) rows.splice(at, 1);
          for (const e of walk(join(root, from))) {
            if (e.link && (e.link.startsWith('/') || e.link.includes('..'))) continue;
            rows.push({ rel: `${to}/${e.rel}`, abs: join(root, from, e.rel), link: e.link, exec: !!(e.st.mode & 0o111), deb: mf });
          }
          p0extra += Number(mf.Size);
        }
        const bundled = bundledRows(byName, name, `${distName}.libs`);
        rows.push(...bundled.rows);
        rows.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
        p = { f, d, version, rows, summary: /^Summary: (.*)$/m.exec(metaText)?.[1] ?? '', display, requires, info: newInfo, extraDownload: p0extra + bundled.debBytes + (COMPANIONS[name] ?? []).reduce((n, c) => n + Number(byName.get(c)?.Size ?? 0), 0) };
        break;
      }
    }
    if (!p) { missing.push(`${name}${from ? ` (required by ${from})` : ''}`); continue; }
    const texts = [];
    const lines = [];
    let prev = '';
    let bytes = 0;
    let pyBytes = 0;
    let so = false;
    const perDeb = new Map();
    for (const r of p.rows) {
      const rel = r.rel;
      if (/\.so(\.|$)/.test(rel) && !rel.includes('.libs/')) so = true;
      let data;
      if (r.link) data = `>${r.link}`;
      else {
        const buf = r.text !== undefined ? Buffer.from(r.text) : readFileSync(r.abs);
        const keepText = r.text !== undefined || (rel.includes('.dist-info/') && buf.length <= 64 * 1024);
        const hash = createHash('sha256').update(buf).digest('base64url');
        const exec = r.exec ? 'x' : '';
        data = `${keepText ? '=' + (texts.push(buf.toString('utf8')) - 1) : buf.length}\t${hash}\t${r.pyc ?? ''}\t${exec}`;
        bytes += buf.length;
        pyBytes += r.pyc ?? 0;
        if (r.deb) perDeb.set(r.deb, (perDeb.get(r.deb) ?? 0) + buf.length);
      }
      let shared = 0;
      while (shared < prev.length && shared < rel.length && prev[shared] === rel[shared]) shared++;
      lines.push(`${shared}\t${rel.slice(shared)}\t${data}`);
      prev = rel;
    }
    const ep = p.rows.find((r) => r.rel === `${p.info}/entry_points.txt`);
    // Debian adds versioned copies of some scripts (f2py3, f2py3.13); the wheel's entry points do not have them.
    const scripts = ep ? consoleScripts(ep.text ?? readFileSync(ep.abs, 'utf8')).filter(([n], _, all) => !all.some(([o]) => o !== n && new RegExp(`^${o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}3(\\.\\d+)?$`).test(n))) : [];
    const key = name;
    const tag = so ? 'cp3XX-cp3XX-manylinux_2_17_x86_64.manylinux2014_x86_64' : 'py3-none-any';
    index.packages[key] = {
      name: p.display, version: p.version, summary: p.summary, requires: p.requires,
      // The wheel is named as its dist-info is (both come from the project's build backend: `flask-…`, `MarkupSafe-…`).
      wheel: { file: `${p.info.replace(/-[^-]*\.dist-info$/, '')}-${p.version}-${tag}.whl`, size: downloadSize(perDeb) },
      files: lines.length, bytes, pycBytes: pyBytes, scripts,
      deb: `${p.f.Package} ${p.f.Version}${(COMPANIONS[name] ?? []).map((c) => ` + ${c}`).join('')}${BUNDLED[name] ? ` + bundled libraries from ${[...new Set(BUNDLED[name].map((x) => x[0]))].join(', ')}` : ''}`,
      ...(suite !== SUITE ? { suite: `${suite} (InRelease ${suiteDate})` } : {}),
    };
    writeFileSync(join(OUT, 'files', `${key}.json`), JSON.stringify({ format: 'layerlab-pip/1', name: p.display, version: p.version, texts, entries: lines.join('\n') }));
    if (p.d) rmSync(p.d.root, { recursive: true, force: true });
    console.error(`${key} ${p.version} (${p.f.Package}) ${lines.length} files, ${bytes} B + ${pyBytes} B pyc`);
    for (const r of p.requires) if (applies(r, extras)) queue.push({ name: reqName(r), extras: reqExtras(r), from: key });
  }
  index.packages = Object.fromEntries(Object.entries(index.packages).sort(([a], [b]) => (a < b ? -1 : 1)));
  index.missing = missing;
  writeFileSync(join(OUT, 'index.json'), JSON.stringify(index, null, 1) + '\n');
  console.error(`${Object.keys(index.packages).length} projects; not found in Debian: ${missing.join(', ') || 'none'}`);
}

/**
 * The download a wheel of these files would be: each contributing .deb's size in proportion to the
 * share of its unpacked bytes (Installed-Size) the wheel takes from it. Simulation: .debs are xz,
 * wheels zip/deflate, so a real wheel is usually somewhat larger (see README.md).
 */
function downloadSize(perDeb) {
  let n = 0;
  for (const [f, bytes] of perDeb) n += Number(f.Size) * Math.min(1, bytes / (Number(f['Installed-Size']) * 1024));
  return Math.round(n);
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

const argv = process.argv.slice(2);
if (argv[0] === '--update') build(argv.slice(1), { update: true });
else build(argv.length ? argv : DEFAULT_ROOTS);
