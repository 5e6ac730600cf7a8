/**
 * pip on python images over the offline catalog (public/catalog/pip, built from Debian trixie's
 * python3-* packages; see its README): the installed files and sizes against the catalog's own
 * tables, what `--no-cache-dir` saves, requirements files and the cache lesson, venvs, `--user`,
 * and pip's errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContextFile } from '../src/engine/index.ts';
import type { BuildEvent } from '../src/engine/builder/events.ts';
import { decodeWheelFiles, type PipIndex } from '../src/engine/shell/pip/pip-catalog.ts';
import { expectGolden, testEngine } from './helpers.ts';

const ROOT = join(import.meta.dirname, '..');
const enc = (s: string) => new TextEncoder().encode(s);
const file = (path: string, text: string): ContextFile => ({ path, type: 'file', mode: 0o644, content: enc(text), mtime: 0 });
const INDEX = JSON.parse(readFileSync(join(ROOT, 'public/catalog/pip/index.json'), 'utf8')) as PipIndex;
const wheel = (key: string) => decodeWheelFiles(new Uint8Array(readFileSync(join(ROOT, `public/catalog/pip/files/${key}.json`))), key);
const SITE = '/usr/local/lib/python3.12/site-packages';
/** A project's dist-info directory, as its wheel table names it. */
const infoOf = (key: string) => wheel(key).files.find((f) => f.path.endsWith('.dist-info/METADATA'))!.path.split('/')[0];
const FLASK_TREE = ['flask', 'blinker', 'click', 'itsdangerous', 'jinja2', 'markupsafe', 'werkzeug'];

async function build(engine: ReturnType<typeof testEngine>, dockerfile: string, files: ContextFile[] = [], tag = 'app') {
  let log = '';
  const res = await engine.builds.build({ dockerfile, files, tags: [tag] }, (e: BuildEvent) => {
    if (e.type === 'vertex-output') log += e.text;
  });
  return { res, log };
}

async function topLayer(engine: ReturnType<typeof testEngine>, tag = 'app') {
  const layers = await engine.images.layers(tag);
  const top = layers[layers.length - 1];
  return { layer: top, entries: await engine.images.layerEntries(top.diffId) };
}

async function failure(engine: ReturnType<typeof testEngine>, dockerfile: string, files: ContextFile[] = []) {
  const events: string[] = [];
  const err = await engine.builds.build({ dockerfile, files }, (e) => { if (e.type === 'vertex-output') events.push(e.text); }).then(() => undefined, (e: Error) => e);
  return { err, text: events.join('') };
}

describe('pip on python:3.12-slim', () => {
  it('pip install flask: the layer holds every file of the resolved tree with the catalog\'s sizes, .pyc, dist-info, scripts and the cache', async () => {
    const engine = testEngine();
    const { log } = await build(engine, 'FROM python:3.12-slim\nRUN pip install flask\n');
    const flask = INDEX.packages.flask;
    expect(log).toContain('Collecting flask\n');
    expect(log).toMatch(/Collecting werkzeug>=3\.1\.0 \(from flask\)\n {2}Downloading werkzeug-3\.1\.3-py3-none-any\.whl\.metadata \(\d+\.\d kB\)\n/);
    expect(log).toContain(`Downloading ${flask.wheel.file} (${Math.floor(flask.wheel.size / 1000)} kB)`);
    expect(log).toMatch(/Installing collected packages: [a-z0-9, ]+, flask\n/);
    expect(log).toContain(`Successfully installed ${FLASK_TREE.map((k) => `${k}-${INDEX.packages[k].version}`).sort().join(' ')}\n`);
    expect(log).toContain("WARNING: Running pip as the 'root' user can result in broken permissions");

    const { entries } = await topLayer(engine);
    const byPath = new Map(entries.map((e) => [e.path, e]));
    let expected = 0;
    for (const key of FLASK_TREE) {
      const w = wheel(key);
      for (const f of w.files) {
        const path = `${SITE}/${f.path.replace(/\.cpython-313-/, '.cpython-312-')}`;
        expect([path, byPath.get(path)?.size]).toEqual([path, f.size]);
        expected += f.size + f.pyc;
      }
      expect(INDEX.packages[key].bytes + INDEX.packages[key].pycBytes).toBe(w.files.reduce((n, f) => n + f.size + f.pyc, 0));
    }
    // pip compiles each .py; the .pyc sits in __pycache__ with the image's tag.
    const app = wheel('flask').files.find((f) => f.path === 'flask/app.py')!;
    expect(byPath.get(`${SITE}/flask/__pycache__/app.cpython-312.pyc`)?.size).toBe(app.pyc);
    // markupsafe's C speedups carry the image's CPython tag.
    expect(entries.some((e) => /markupsafe\/_speedups\.cpython-312-x86_64-linux-gnu\.so$/.test(e.path))).toBe(true);
    const info = `${SITE}/${infoOf('flask')}`;
    expect(info).toBe(`${SITE}/flask-${flask.version}.dist-info`);
    const text = async (p: string) => new TextDecoder().decode((await engine.inspector.readFile('app', p)).bytes);
    expect(await text(`${info}/INSTALLER`)).toBe('pip\n');
    expect(byPath.has(`${info}/REQUESTED`)).toBe(true);
    expect(byPath.has(`${SITE}/${infoOf('werkzeug')}/REQUESTED`)).toBe(false);
    expect(byPath.has(`${SITE}/${infoOf('werkzeug')}/RECORD`)).toBe(true);
    const record = await text(`${info}/RECORD`);
    expect(record).toContain(`flask/app.py,sha256=${app.hash},${app.size}\n`);
    expect(record).toContain('flask/__pycache__/app.cpython-312.pyc,,\n');
    expect(record).toMatch(/\.\.\/\.\.\/\.\.\/bin\/flask,sha256=[\w-]{43},\d+\n/);
    expect(await text('/usr/local/bin/flask')).toMatch(/^#!\/usr\/local\/bin\/python3\.12\n[\s\S]*from flask\.cli import main\n/);

    // Site-packages holds the catalog's bytes plus what pip writes (INSTALLER, REQUESTED, RECORD).
    const site = entries.filter((e) => e.type === 'file' && e.path.startsWith(SITE + '/')).reduce((n, e) => n + e.size, 0);
    expect(site).toBeGreaterThan(expected);
    expect(site).toBeLessThan(expected * 1.03);
    const cache = entries.filter((e) => e.type === 'file' && e.path.startsWith('/root/.cache/pip/http-v2/'));
    expect(cache.filter((e) => e.path.endsWith('.body')).length).toBe(FLASK_TREE.length * 2);
    expect(cache.reduce((n, e) => n + e.size, 0)).toBeGreaterThan(FLASK_TREE.reduce((n, k) => n + INDEX.packages[k].wheel.size, 0));
  });

  it('golden: the output and the layer of `pip install flask`, with and without the cache', async () => {
    const engine = testEngine();
    let text = '';
    for (const [tag, flags] of [['cached', ''], ['nocache', '--no-cache-dir ']]) {
      const { log } = await build(engine, `FROM python:3.12-slim\nRUN pip install ${flags}flask\n`, [], tag);
      const { layer, entries } = await topLayer(engine, tag);
      // The layer by directory: site-packages per top-level name, the rest per directory.
      const groups = new Map<string, [number, number]>();
      for (const e of entries) {
        if (e.type !== 'file') continue;
        const key = e.path.startsWith(SITE + '/') ? `${SITE}/${e.path.slice(SITE.length + 1).split('/')[0]}` : e.path.startsWith('/root/.cache/pip/') ? '/root/.cache/pip' : e.path.slice(0, e.path.lastIndexOf('/'));
        const g = groups.get(key) ?? [0, 0];
        groups.set(key, [g[0] + 1, g[1] + e.size]);
      }
      text += `$ pip install ${flags}flask\n${log.replace(/^#\d+ .*\n/gm, '')}\nlayer ${layer.size} bytes:\n${[...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, [n, b]]) => `  ${k}  ${n} files  ${b} bytes`).join('\n')}\n\n`;
    }
    expectGolden('pip/install-flask.txt', text);
  });

  it('--no-cache-dir makes the layer smaller by exactly the cache', async () => {
    const engine = testEngine();
    await build(engine, 'FROM python:3.12-slim\nRUN pip install flask\n', [], 'cached');
    await build(engine, 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n', [], 'nocache');
    const a = await topLayer(engine, 'cached');
    const b = await topLayer(engine, 'nocache');
    const cacheBytes = a.entries.filter((e) => e.type === 'file' && e.path.startsWith('/root/.cache/pip/')).reduce((n, e) => n + e.size, 0);
    // The cache holds every wheel (and its .metadata) of the tree.
    expect(cacheBytes).toBeGreaterThan(FLASK_TREE.reduce((n, k) => n + INDEX.packages[k].wheel.size, 0));
    expect(b.entries.some((e) => e.path.startsWith('/root/.cache'))).toBe(false);
    expect(a.layer.size - b.layer.size).toBe(cacheBytes);
  });

  it('COPY requirements.txt first: an edit to the app keeps the pip layer cached; -r origins as pip prints them', async () => {
    const engine = testEngine();
    const df = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n';
    const reqs = file('requirements.txt', '# web\nflask==3.1.1\nrequests>=2.31  # http\n\ngunicorn\n');
    const first = await build(engine, df, [reqs, file('app.py', 'print(1)\n')]);
    expect(first.log).toContain('Collecting flask==3.1.1 (from -r requirements.txt (line 2))');
    expect(first.log).toContain('Collecting requests>=2.31 (from -r requirements.txt (line 3))');
    expect(first.log).toContain('Collecting gunicorn (from -r requirements.txt (line 5))');
    expect(first.log).toContain('Collecting urllib3<3,>=1.21.1 (from requests>=2.31->-r requirements.txt (line 3))');
    const { entries } = await topLayer(engine).then(async () => {
      const layers = await engine.images.layers('app');
      const l = layers.find((x) => x.createdBy.includes('pip install'))!;
      return { entries: await engine.images.layerEntries(l.diffId) };
    });
    for (const k of ['flask', 'requests', 'gunicorn', 'urllib3', 'certifi', 'idna', 'charset-normalizer']) {
      expect(entries.some((e) => e.path === `${SITE}/${infoOf(k)}/METADATA`)).toBe(true);
    }
    const second = await build(engine, df, [reqs, file('app.py', 'print(2)\n')]);
    const steps = second.res.steps.filter((s) => s.outcome === 'layer' || s.outcome === 'empty').map((s) => `${s.instruction} | ${s.cached ? 'CACHED' : 'RUN'}`);
    expect(steps).toContain('RUN pip install --no-cache-dir -r requirements.txt | CACHED');
    expect(steps).toContain('COPY . . | RUN');
  });

  it('python -m venv + the venv\'s pip: packages go to the venv, no root warning', async () => {
    const engine = testEngine();
    const { log } = await build(engine, 'FROM python:3.12-slim\nRUN python -m venv /opt/venv\nENV PATH="/opt/venv/bin:$PATH"\nRUN pip install requests && python -m pip --version\n');
    expect(log).toContain('Successfully installed');
    expect(log).not.toContain("Running pip as the 'root' user");
    expect(log).toMatch(/pip \S+ from \/opt\/venv\/lib\/python3\.12\/site-packages\/pip \(python 3\.12\)/);
    const layers = await engine.images.layers('app');
    const venvLayer = await engine.images.layerEntries(layers.find((l) => l.createdBy.includes('venv'))!.diffId);
    const paths = new Set(venvLayer.map((e) => e.path));
    expect(paths.has('/opt/venv/pyvenv.cfg')).toBe(true);
    expect(venvLayer.find((e) => e.path === '/opt/venv/bin/python')?.type).toBe('symlink');
    expect(paths.has('/opt/venv/lib64')).toBe(true);
    expect(venvLayer.some((e) => e.path.startsWith('/opt/venv/lib/python3.12/site-packages/pip/_internal/'))).toBe(true);
    const { entries } = await topLayer(engine);
    expect(entries.some((e) => e.path === '/opt/venv/lib/python3.12/site-packages/requests/__init__.py')).toBe(true);
    expect(entries.some((e) => e.path.startsWith(SITE + '/requests'))).toBe(false);
  });

  it('--user installs under ~/.local and warns that its scripts are not on PATH', async () => {
    const engine = testEngine();
    const { log } = await build(engine, 'FROM python:3.12-slim\nRUN python3 -m pip install --user --no-cache-dir pytest\n');
    expect(log).toMatch(/WARNING: The scripts py\.test, pytest are installed in '\/root\/\.local\/bin' which is not on PATH\./);
    const { entries } = await topLayer(engine);
    expect(entries.some((e) => e.path === '/root/.local/lib/python3.12/site-packages/pytest/__init__.py')).toBe(true);
    expect(entries.some((e) => e.path === '/root/.local/bin/pytest')).toBe(true);
  });

  it('a package or version the catalog lacks gets pip\'s errors, exit 1, and where the list lives', async () => {
    const engine = testEngine();
    const unknown = await failure(engine, 'FROM python:3.12-slim\nRUN pip install no-such-package-xyz\n');
    expect(unknown.err?.message).toMatch(/exit code: 1/);
    expect(unknown.text).toContain('ERROR: Could not find a version that satisfies the requirement no-such-package-xyz (from versions: none)\nERROR: No matching distribution found for no-such-package-xyz\n');
    expect(unknown.text).toContain('public/catalog/pip/index.json');
    const version = await failure(engine, 'FROM python:3.12-slim\nRUN pip install flask==2.0.1\n');
    expect(version.text).toContain(`ERROR: Could not find a version that satisfies the requirement flask==2.0.1 (from versions: ${INDEX.packages.flask.version})`);
    const noFile = await failure(engine, 'FROM python:3.12-slim\nRUN pip install -r requirements.txt\n');
    expect(noFile.text).toContain("ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'requirements.txt'");
  });

  it("pip install 'uvicorn[standard]': the extra's dependencies as uvicorn's metadata lists them for Linux, httptools new enough", async () => {
    const engine = testEngine();
    const { log } = await build(engine, "FROM python:3.12-slim\nRUN pip install 'uvicorn[standard]'\n");
    // uvicorn's own Requires-Dist lines for the extra, minus colorama (sys_platform == 'win32').
    const standard = INDEX.packages.uvicorn.requires.filter((r) => /extra == .standard./.test(r)).map((r) => r.split(/[\s;<>=!~]/)[0].toLowerCase());
    expect(standard.sort()).toEqual(['colorama', 'httptools', 'python-dotenv', 'pyyaml', 'uvloop', 'watchfiles', 'websockets']);
    const installed = /Successfully installed (.*)\n/.exec(log)![1].split(' ');
    for (const k of ['uvicorn', 'click', 'h11', ...standard.filter((n) => n !== 'colorama')]) {
      expect(installed).toContain(`${k}-${INDEX.packages[k].version}`);
    }
    expect(installed.some((p) => p.toLowerCase().startsWith('colorama-'))).toBe(false);
    // uvicorn asks for httptools>=0.5.0; the catalog's httptools is Debian sid's.
    expect(log).toMatch(/Collecting httptools>=0\.5\.0 \(from uvicorn\[standard\]\)\n/);
    expect(INDEX.packages.httptools.version).toBe('0.9.0');
    const { entries } = await topLayer(engine);
    const paths = new Set(entries.map((e) => e.path));
    expect(paths.has(`${SITE}/httptools/parser/parser.cpython-312-x86_64-linux-gnu.so`)).toBe(true);
    expect([...paths].filter((p) => /httptools\/parser\/parser\.cpython-3\d+/.test(p))).toHaveLength(1);
  });

  it('a second install of the same requirement reports it satisfied and changes nothing', async () => {
    const engine = testEngine();
    const { log } = await build(engine, 'FROM python:3.12-slim\nRUN pip install six\nRUN pip install six\n');
    expect(log).toContain(`Requirement already satisfied: six in ${SITE} (${INDEX.packages.six.version})`);
    const steps = (await engine.images.history('app')).filter((h) => h.createdBy.includes('pip install six'));
    // history is newest first: the second install added nothing.
    expect(steps.map((s) => s.size > 0)).toEqual([false, true]);
  });

  it('pip install --upgrade pip replaces the image\'s pip; its old files become whiteouts in the layer', async () => {
    const engine = testEngine();
    const { log } = await build(engine, 'FROM python:3.12-slim\nRUN pip install --no-cache-dir --upgrade pip setuptools\n');
    expect(log).toContain(`Requirement already satisfied: pip in ${SITE} (25.0.1)\nCollecting pip\n`);
    expect(log).toContain('  Attempting uninstall: pip\n    Found existing installation: pip 25.0.1\n    Uninstalling pip-25.0.1:\n      Successfully uninstalled pip-25.0.1\n');
    expect(log).toContain(`Successfully installed pip-${INDEX.packages.pip.version} setuptools-${INDEX.packages.setuptools.version}\n`);
    const { entries } = await topLayer(engine);
    expect(entries.find((e) => e.path === `${SITE}/pip-25.0.1.dist-info`)?.type).toBe('whiteout');
    expect(entries.some((e) => e.path === `${SITE}/${infoOf('pip')}/RECORD`)).toBe(true);
    expect(entries.some((e) => e.path === `${SITE}/pip/_internal/cli/main.py`)).toBe(true);
    expect(entries.some((e) => e.path === '/usr/local/bin/pip3.12' && e.type === 'file')).toBe(true);
  });

  it('python --version and python -m pip --version name the image\'s Python and pip', async () => {
    const engine = testEngine();
    const { log } = await build(engine, 'FROM python:3.12-slim\nRUN python --version && python3 -m pip --version\n');
    expect(log).toContain('Python 3.12.13\n');
    expect(log).toMatch(new RegExp(`pip \\d+\\.\\d+(\\.\\d+)? from ${SITE}/pip \\(python 3\\.12\\)`));
  });
});

describe('pip on Debian\'s own python3 (apt-get install python3-pip)', () => {
  it('refuses as PEP 668 says (externally-managed-environment); a venv works', async () => {
    const engine = testEngine();
    const df = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends python3-pip python3-venv\n';
    const refused = await failure(engine, df + 'RUN pip install flask\n');
    expect(refused.err?.message).toMatch(/exit code: 1/);
    expect(refused.text).toContain('error: externally-managed-environment\n\n× This environment is externally managed\n╰─> To install Python packages system-wide, try apt install');
    expect(refused.text).toContain('passing --break-system-packages.');
    const { log } = await build(engine, df + 'RUN python3 -m venv /venv && /venv/bin/pip install --no-cache-dir six && /venv/bin/python --version\n');
    expect(log).toContain('Successfully installed six-');
    expect(log).toMatch(/Python 3\.11\.\d+\n/);
    const { entries } = await topLayer(engine);
    expect(entries.some((e) => e.path === '/venv/lib/python3.11/site-packages/six.py')).toBe(true);
    expect(entries.some((e) => e.path.startsWith('/venv/lib/python3.11/site-packages/pip/'))).toBe(true);
  });
});
