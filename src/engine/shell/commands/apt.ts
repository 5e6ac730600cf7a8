/**
 * Debian's package tools over the offline archive (shell/packages/): `apt-get update/install/
 * remove/purge/autoremove/clean`, `apt-cache policy/show/depends`, `apt list --installed`,
 * `dpkg -l/-L/-S/-s`. They read and write the image's own database (/var/lib/dpkg/status,
 * info/*.list, /var/lib/apt/lists), so layers, caches and `rm -rf /var/lib/apt/lists/*` behave
 * as in a real build. Exit codes as apt's: 100 for errors.
 */
import { fail, type CommandIO, type CommandOutput } from './command.ts';
import type { AptCatalog, PackageFiles } from '../packages/apt-catalog.ts';
import { formatStatus, infoName, isInstalled, readStatus } from '../packages/dpkg-db.ts';
import { listsPresent, osRelease, readAutoInstalled, sizeToStr, updateLists, writeAutoInstalled } from '../packages/apt-system.ts';
import { planInstall, ResolveError, type InstallPlan, type InstallRequest } from '../packages/resolver.ts';
import { countDatabase, runTransaction, showList, summaryLines } from '../packages/apt-transaction.ts';
import { compareDebVersions } from '../packages/deb-version.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Options apt-get understands (the ones Dockerfiles use); the rest are accepted and ignored. */
interface AptOptions {
  yes: boolean;
  quiet: number;
  noRecommends: boolean;
  purge: boolean;
  autoRemove: boolean;
  rest: string[];
}

function parseAptArgs(args: string[]): AptOptions | string {
  const o: AptOptions = { yes: false, quiet: 0, noRecommends: false, purge: false, autoRemove: false, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-y' || a === '--yes' || a === '--assume-yes' || a === '--force-yes' || a === '--allow-unauthenticated') o.yes = o.yes || a !== '--allow-unauthenticated';
    else if (/^-q+$/.test(a)) o.quiet += a.length - 1;
    else if (a === '--quiet') o.quiet++;
    else if (/^-q=?\d$/.test(a)) o.quiet = Number(a.slice(-1));
    else if (/^-[yq]+$/.test(a)) {
      for (const c of a.slice(1)) if (c === 'y') o.yes = true; else o.quiet++;
    } else if (a === '--no-install-recommends') o.noRecommends = true;
    else if (a === '--install-recommends') o.noRecommends = false;
    else if (a === '--purge') o.purge = true;
    else if (a === '--auto-remove' || a === '--autoremove') o.autoRemove = true;
    else if (a === '-o') {
      const v = args[++i] ?? '';
      if (/^APT::Install-Recommends=(false|0|no)$/i.test(v)) o.noRecommends = true;
      if (/^APT::Get::Assume-Yes=(true|1|yes)$/i.test(v)) o.yes = true;
    } else if (a.startsWith('-o')) {
      if (/APT::Install-Recommends=(false|0|no)$/i.test(a)) o.noRecommends = true;
    } else if (['--no-install-suggests', '--fix-missing', '-f', '--fix-broken', '--no-upgrade', '--only-upgrade', '--reinstall', '-m', '--allow-downgrades',
      '--allow-remove-essential', '--allow-change-held-packages', '--no-download', '--show-progress', '-V', '--verbose-versions', '--allow-releaseinfo-change'].includes(a)) continue;
    else if (a.startsWith('--')) return `E: Command line option '${a}' [from ${a}] is not understood in combination with the other options.`;
    else if (a.startsWith('-') && a.length > 1) return `E: Command line option '${a[1]}' [from ${a}] is not understood in combination with the other options.`;
    else o.rest.push(a);
  }
  return o;
}

/** The catalog note that follows a "not found" error (one line, as the issue asks). */
async function catalogNote(cat: AptCatalog | undefined, name: string, codename: string): Promise<string> {
  if (!cat) return `Simulation: layerlab's offline catalog has no apt archive for '${codename || 'this image'}' (what it has: public/catalog/apt/).`;
  if (await cat.inArchive(name)) return `Simulation: '${name}' is in ${cat.vendor} ${codename} but not in layerlab's offline catalog (its package list: ${cat.indexPath}).`;
  return `Simulation: layerlab's offline catalog of ${cat.vendor} ${codename} has no package '${name}' (its package list: ${cat.indexPath}).`;
}

async function catalogFor(io: CommandIO): Promise<{ cat?: AptCatalog; codename: string; id: string }> {
  const { id, codename } = osRelease(io.fs);
  const cat = codename && io.packages ? await io.packages.aptFor(codename) : undefined;
  return { cat, codename, id };
}

function result(stdout: string[], stderr: string[], exitCode: number): CommandOutput {
  return { stdout: stdout.length ? stdout.join('\n') + '\n' : '', stderr: stderr.length ? stderr.join('\n') + '\n' : '', exitCode };
}

function notRoot(io: CommandIO, tool: string): CommandOutput | undefined {
  if (io.user.uid === 0) return undefined;
  return result([], [`E: Could not open lock file /var/lib/${tool === 'dpkg' ? 'dpkg' : 'apt/lists'}/lock - open (13: Permission denied)`, `E: Unable to lock directory /var/lib/${tool === 'dpkg' ? 'dpkg' : 'apt/lists'}/`, ...(tool === 'update' ? [] : ['E: Are you root?'])], 100);
}

const hasExtendedStates = (io: CommandIO) => {
  try {
    io.fs.stat('/var/lib/apt/extended_states');
    return true;
  } catch {
    return false;
  }
};

function readingLines(io: CommandIO, quiet: number): string[] {
  if (quiet >= 2) return [];
  return ['Reading package lists...', 'Building dependency tree...', ...(hasExtendedStates(io) ? ['Reading state information...'] : [])];
}

async function aptUpdate(io: CommandIO, o: AptOptions): Promise<CommandOutput> {
  const denied = notRoot(io, 'update');
  if (denied) return denied;
  const { cat, codename, id } = await catalogFor(io);
  if (!cat) {
    const host = id === 'ubuntu' ? 'archive.ubuntu.com' : 'deb.debian.org';
    const suite = codename || 'stable';
    return result(
      o.quiet >= 2 ? [] : [`Ign:1 http://${host}/${id || 'debian'} ${suite} InRelease`, `Err:1 http://${host}/${id || 'debian'} ${suite} InRelease`, `  Temporary failure resolving '${host}'`, 'Reading package lists...'],
      [`W: Failed to fetch http://${host}/${id || 'debian'}/dists/${suite}/InRelease  Temporary failure resolving '${host}'`, 'W: Some index files failed to download. They have been ignored, or old ones used instead.', await catalogNote(undefined, '', codename)],
      0,
    );
  }
  const r = updateLists(io.fs, cat, 1);
  io.countWrite(r.bytes);
  return result(o.quiet >= 2 ? [] : o.quiet === 1 ? r.lines.filter((l) => !l.startsWith('Reading')) : r.lines, [], 0);
}

function installedSet(io: CommandIO): Map<string, { version: string; installedSize: number }> {
  const out = new Map<string, { version: string; installedSize: number }>();
  for (const [n, s] of readStatus(io.fs)) if (isInstalled(s)) out.set(n, { version: s.version, installedSize: Number(/^Installed-Size: (\d+)/m.exec(s.text)?.[1] ?? 0) });
  return out;
}

/** Installed packages whose candidate in the archive is newer (what `apt-get upgrade` would take). */
function upgradableOf(cat: AptCatalog, installed: Map<string, { version: string }>): Set<string> {
  const out = new Set<string>();
  for (const [n, s] of installed) {
    const c = cat.packages.get(n);
    if (c && compareDebVersions(c.version, s.version) > 0) out.add(n);
  }
  return out;
}

/** The summary, the download, and the transaction of a resolved plan (install and upgrade share it). */
async function execute(io: CommandIO, o: AptOptions, cat: AptCatalog, plan: InstallPlan, installed: Map<string, { version: string; installedSize: number }>, stdout: string[], opts: { commandLine: string; notUpgraded: number; keptBack?: string[]; ask: boolean }): Promise<CommandOutput> {
  if (o.quiet < 2) stdout.push(...summaryLines(plan, opts.notUpgraded, opts.keptBack));
  if (plan.install.length === 0) return result(stdout, [], 0);
  const need = plan.install.reduce((n, p) => n + p.size, 0);
  const disk = plan.install.reduce((n, p) => n + p.installedSize - (plan.upgrade.has(p.name) ? (installed.get(p.name)?.installedSize ?? 0) : 0), 0) * 1024;
  if (o.quiet < 2) {
    stdout.push(`Need to get ${sizeToStr(need)} of archives.`);
    if (disk > 0) stdout.push(`After this operation, ${sizeToStr(disk)} of additional disk space will be used.`);
    else if (disk < 0) stdout.push(`After this operation, ${sizeToStr(-disk)} disk space will be freed.`);
  }
  if (!o.yes && opts.ask) {
    // apt asks when it installs more than was named; a build has no terminal, so it reads EOF.
    stdout.push('Do you want to continue? [Y/n] Abort.');
    return result(stdout, [], 1);
  }
  let files: PackageFiles[];
  try {
    files = await Promise.all(plan.install.map((p) => cat.filesOf(p.name)));
  } catch (e) {
    return result(stdout, [`E: Failed to fetch ${plan.install[0].filename}  ${e instanceof Error ? e.message : String(e)}`, 'E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?'], 100);
  }
  const t = runTransaction(io.fs, plan, files, { now: io.now(), commandLine: opts.commandLine, quiet: o.quiet });
  io.countWrite(t.bytes);
  stdout.push(...(o.quiet >= 2 ? t.stdout.filter((l) => !/^(Get:|Fetched )/.test(l)) : t.stdout));
  return result(stdout, [], 0);
}

/**
 * `apt-get upgrade`: every installed package with a newer candidate whose dependencies are met
 * without new packages; the others are kept back (`dist-upgrade`/`full-upgrade` would install
 * those new packages: here they do the same as upgrade). Simulation: versioned dependencies are not
 * compared, Breaks/Conflicts not checked, and nothing is removed.
 */
async function aptUpgrade(io: CommandIO, o: AptOptions, commandLine: string): Promise<CommandOutput> {
  const denied = notRoot(io, 'install');
  if (denied) return denied;
  const stdout = readingLines(io, o.quiet);
  if (o.quiet < 2) stdout.push('Calculating upgrade...');
  const { cat } = await catalogFor(io);
  const installed = installedSet(io);
  if (!cat || !listsPresent(io.fs, cat)) return result(stdout.concat('0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.'), [], 0);
  const names = new Set(installed.keys());
  const upgradable = upgradableOf(cat, installed);
  const keptBack: string[] = [];
  for (const n of [...upgradable].sort()) {
    const alone = planInstall(cat, names, [{ name: n }], { noRecommends: true, upgradable });
    if (alone.install.some((p) => !alone.upgrade.has(p.name))) keptBack.push(n);
  }
  const take = [...upgradable].filter((n) => !keptBack.includes(n)).sort();
  const plan = planInstall(cat, names, take.map((name) => ({ name })), { noRecommends: true, upgradable: new Set(take) });
  return execute(io, o, cat, plan, installed, stdout, { commandLine, notUpgraded: keptBack.length, keptBack, ask: plan.install.length > 0 });
}

async function aptInstall(io: CommandIO, o: AptOptions, commandLine: string): Promise<CommandOutput> {
  const denied = notRoot(io, 'install');
  if (denied) return denied;
  const stdout = readingLines(io, o.quiet);
  const { cat, codename } = await catalogFor(io);
  const requests: InstallRequest[] = [];
  for (const a of o.rest) {
    const eq = a.indexOf('=');
    requests.push(eq > 0 ? { name: a.slice(0, eq), version: a.slice(eq + 1) } : { name: a.replace(/:amd64$/, '') });
  }
  if (requests.length === 0) return result(stdout.concat('0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.'), [], 0);
  const installed = installedSet(io);
  if (!cat || !listsPresent(io.fs, cat)) {
    const first = requests.find((r) => !installed.has(r.name));
    if (!first) return result(stdout.concat(requests.map((r) => `${r.name} is already the newest version (${installed.get(r.name)!.version}).`), '0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.'), [], 0);
    const note = cat ? [] : [await catalogNote(undefined, first.name, codename)];
    return result(stdout, [`E: Unable to locate package ${first.name}`, ...note], 100);
  }
  // A name only one package provides (noble's t64 renames: libssl3 → libssl3t64): apt picks the provider and says so.
  // A name several packages provide (noble's libasound2): apt lists them and installs none.
  for (const r of requests) {
    const prov = cat.packages.has(r.name) ? undefined : cat.providers.get(r.name);
    if (prov?.length === 1 && r.version === undefined) stdout.push(`Note, selecting '${prov[0]}' instead of '${r.name}'`);
    if (prov && prov.length > 1) {
      stdout.push(`Package ${r.name} is a virtual package provided by:`, ...prov.map((n) => `  ${n} ${cat.packages.get(n)!.version}`), 'You should explicitly select one to install.', '');
      return result(stdout, [`E: Package '${r.name}' has no installation candidate`], 100);
    }
  }
  const upgradable = upgradableOf(cat, installed);
  let plan;
  try {
    plan = planInstall(cat, new Set(installed.keys()), requests, { noRecommends: o.noRecommends, upgradable });
  } catch (e) {
    if (!(e instanceof ResolveError)) throw e;
    if (e.kind === 'unknown-package') return result(stdout, [`E: ${e.message}`, await catalogNote(cat, e.packageName, codename)], 100);
    if (e.kind === 'unknown-version') return result(stdout, [`E: ${e.message}`, `Simulation: layerlab's offline catalog has only ${e.packageName} ${cat.packages.get(e.packageName)?.version ?? ''} (the ${codename} candidate on ${cat.generated.slice(0, 10)}; list: ${cat.indexPath}).`], 100);
    return result(stdout, ['E: Unable to correct problems, you have held broken packages.', `E: ${e.message}`], 100);
  }
  // Naming an automatically installed package makes it manual (apt-pkg MarkInstall + "set to manually installed").
  const auto = readAutoInstalled(io.fs);
  let manual = false;
  for (const n of plan.alreadyInstalled) {
    stdout.push(`${n} is already the newest version (${installed.get(n)!.version}).`);
    if (auto.delete(n)) {
      stdout.push(`${n} set to manually installed.`);
      manual = true;
    }
  }
  if (manual) io.countWrite(writeAutoInstalled(io.fs, auto));
  const notUpgraded = [...upgradable].filter((n) => !plan.upgrade.has(n)).length;
  return execute(io, o, cat, plan, installed, stdout, { commandLine, notUpgraded, ask: plan.auto.size > 0 });
}

/** Removes a package's files (dpkg --remove; --purge also conffiles and the status stanza). */
function removePackage(io: CommandIO, name: string, purge: boolean, status: ReturnType<typeof readStatus>): void {
  const s = status.get(name)!;
  const base = `/var/lib/dpkg/info/${infoName(s)}`;
  let list: string[] = [];
  try {
    list = decoder.decode(io.fs.readFile(`${base}.list`)).split('\n').filter(Boolean);
  } catch {
    /* no list */
  }
  const conffiles = new Set((/^Conffiles:\n((?: .*\n?)*)/m.exec(s.text)?.[1] ?? '').split('\n').map((l) => l.trim().split(' ')[0]).filter(Boolean));
  const others = new Set<string>();
  for (const [n, o] of status) {
    if (n === name) continue;
    try {
      for (const l of decoder.decode(io.fs.readFile(`/var/lib/dpkg/info/${infoName(o)}.list`)).split('\n')) others.add(l);
    } catch {
      /* none */
    }
  }
  for (const p of [...list].reverse()) {
    if (p === '/.' || others.has(p) || (!purge && conffiles.has(p))) continue;
    try {
      const st = io.fs.lstat(p);
      if (st.type === 'dir') {
        if (io.fs.readdir(p).length === 0) io.fs.rmdir(p);
      } else io.fs.unlink(p);
    } catch {
      /* already gone */
    }
  }
  for (const f of io.fs.readdir('/var/lib/dpkg/info')) {
    if (!f.startsWith(infoName(s) + '.')) continue;
    if (!purge && (f.endsWith('.postrm') || f.endsWith('.conffiles') || f.endsWith('.list'))) continue;
    io.fs.unlink(`/var/lib/dpkg/info/${f}`);
  }
  if (purge || conffiles.size === 0) {
    status.delete(name);
    try {
      io.fs.unlink(`${base}.list`);
    } catch {
      /* gone */
    }
  } else status.set(name, { ...s, status: 'deinstall ok config-files', text: s.text.replace(/^Status: .*$/m, 'Status: deinstall ok config-files') });
}

async function aptRemove(io: CommandIO, o: AptOptions, mode: 'remove' | 'purge' | 'autoremove'): Promise<CommandOutput> {
  const denied = notRoot(io, 'remove');
  if (denied) return denied;
  const stdout = readingLines(io, o.quiet);
  const status = readStatus(io.fs);
  const purge = mode === 'purge' || o.purge;
  const targets: string[] = [];
  for (const n of o.rest) {
    const name = n.replace(/:amd64$/, '');
    if (!isInstalled(status.get(name))) {
      if (!status.has(name)) {
        const { cat } = await catalogFor(io);
        if (!cat?.packages.has(name)) return result(stdout, [`E: Unable to locate package ${name}`], 100);
      }
      stdout.push(`Package '${name}' is not installed, so not removed`);
      continue;
    }
    targets.push(name);
  }
  const auto = readAutoInstalled(io.fs);
  if (mode === 'autoremove' || o.autoRemove) {
    // Packages installed automatically that nothing still installed (and not being removed) depends on.
    const keep = new Set<string>();
    const deps = (text: string) => ['Pre-Depends', 'Depends', 'Recommends'].flatMap((f) => (new RegExp(`^${f}: (.*)$`, 'm').exec(text)?.[1] ?? '').split(/[,|]/).map((x) => x.trim().split(/[\s:(]/)[0]).filter(Boolean));
    const provides = new Map<string, string[]>();
    for (const [n, s] of status) for (const v of (/^Provides: (.*)$/m.exec(s.text)?.[1] ?? '').split(',').map((x) => x.trim().split(/[\s(]/)[0]).filter(Boolean)) provides.set(v, [...(provides.get(v) ?? []), n]);
    const mark = (n: string) => {
      if (keep.has(n) || !isInstalled(status.get(n)) || targets.includes(n)) return;
      keep.add(n);
      for (const d of deps(status.get(n)!.text)) {
        mark(d);
        for (const p of provides.get(d) ?? []) mark(p);
      }
    };
    for (const [n, s] of status) if (isInstalled(s) && !auto.has(n) && !targets.includes(n)) mark(n);
    for (const [n, s] of status) if (isInstalled(s) && auto.has(n) && !keep.has(n) && !targets.includes(n)) targets.push(n);
  }
  // apt counts the upgradable packages it leaves alone (none before apt-get update, or when image and archive agree).
  const { cat: listedCat } = await catalogFor(io);
  const notUpgraded = listedCat && listsPresent(io.fs, listedCat) ? [...upgradableOf(listedCat, installedSet(io))].filter((n) => !targets.includes(n)).length : 0;
  if (targets.length === 0) return result(stdout.concat(`0 upgraded, 0 newly installed, 0 to remove and ${notUpgraded} not upgraded.`), [], 0);
  targets.sort();
  stdout.push('The following packages will be REMOVED:', ...showList(targets.map((t) => (purge ? t + '*' : t))));
  stdout.push(`0 upgraded, 0 newly installed, ${targets.length} to remove and ${notUpgraded} not upgraded.`);
  const freed = targets.reduce((n, t) => n + Number(/^Installed-Size: (\d+)/m.exec(status.get(t)!.text)?.[1] ?? 0), 0) * 1024;
  stdout.push(`After this operation, ${sizeToStr(freed)} disk space will be freed.`);
  if (!o.yes) return result(stdout.concat('Do you want to continue? [Y/n] Abort.'), [], 1);
  const count = countDatabase(io.fs);
  stdout.push(`(Reading database ... ${count} files and directories currently installed.)`);
  for (const t of targets) {
    const s = status.get(t)!;
    stdout.push(`Removing ${s.multiArch === 'same' ? `${t}:${s.architecture}` : t} (${s.version}) ...`);
    removePackage(io, t, purge, status);
    auto.delete(t);
  }
  if (purge) for (const t of targets) if (!status.has(t)) stdout.push(`Purging configuration files for ${t} (${'…'}) ...`.replace(' (…)', ''));
  const text = formatStatus(status);
  io.fs.writeFile('/var/lib/dpkg/status', encoder.encode(text));
  writeAutoInstalled(io.fs, auto);
  return result(stdout, [], 0);
}

function aptClean(io: CommandIO): CommandOutput {
  for (const dir of ['/var/cache/apt/archives', '/var/cache/apt/archives/partial']) {
    try {
      for (const n of io.fs.readdir(dir)) if (n.endsWith('.deb')) io.fs.unlink(`${dir}/${n}`);
    } catch {
      /* none */
    }
  }
  for (const f of ['/var/cache/apt/pkgcache.bin', '/var/cache/apt/srcpkgcache.bin']) {
    try {
      io.fs.unlink(f);
    } catch {
      /* none */
    }
  }
  return result([], [], 0);
}

/** `apt-get`. */
export async function aptGet(io: CommandIO): Promise<CommandOutput> {
  const o = parseAptArgs(io.args);
  if (typeof o === 'string') return fail(o, 100);
  const [verb, ...rest] = o.rest;
  o.rest = rest;
  const line = ['apt-get', ...io.args].join(' ');
  switch (verb) {
    case 'update':
      return aptUpdate(io, o);
    case 'install': {
      const r = await aptInstall(io, o, line);
      const { cat } = await catalogFor(io);
      if (!cat || cat.dataCodename === cat.codename || o.quiet >= 2) return r;
      // Said once per install: the versions printed are the other release's (apt-catalog.ts `packagesFrom`).
      return { ...r, stderr: `${r.stderr}Simulation: layerlab's ${cat.codename} images are ${cat.dataCodename}'s packages with ${cat.codename}'s release files, so apt installs ${cat.dataCodename}'s versions (${cat.indexPath}).\n` };
    }
    case 'remove':
      return aptRemove(io, o, 'remove');
    case 'purge':
      return aptRemove(io, o, 'purge');
    case 'autoremove':
    case 'auto-remove':
      return aptRemove(io, o, 'autoremove');
    case 'clean':
    case 'autoclean':
    case 'auto-clean':
      return aptClean(io);
    case 'upgrade':
    case 'dist-upgrade':
    case 'full-upgrade':
      return aptUpgrade(io, o, line);
    case undefined:
      // apt prints its own version: the image's installed apt (2.6.1 on bookworm, 2.8.x on noble).
      return result([`apt ${readStatus(io.fs).get('apt')?.version ?? '2.6.1'} (amd64)`, 'Usage: apt-get [options] command'], [], 1);
    default:
      return result([], [`E: Invalid operation ${verb}`], 100);
  }
}

/** `apt` (the interactive front end; Dockerfiles mostly use `apt install`, `apt update`, `apt list`). */
export async function apt(io: CommandIO): Promise<CommandOutput> {
  const [verb] = io.args.filter((a) => !a.startsWith('-'));
  if (verb === 'list') {
    const status = readStatus(io.fs);
    const auto = readAutoInstalled(io.fs);
    // With an Ubuntu archive's lists present, apt names the suites that carry the installed version
    // (`curl/noble-updates,noble-security,now …`) and a newer candidate (`[installed,upgradable to: …]`).
    // Simulation: bookworm's rows keep only the candidate's suite, so Debian images print `/now` as before `apt-get update`.
    const { cat } = await catalogFor(io);
    const listed = cat && listsPresent(io.fs, cat) ? cat : undefined;
    const lines = ['Listing...'];
    for (const s of [...status.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!isInstalled(s)) continue;
      const arch = s.architecture;
      const p = listed?.packages.get(s.name);
      const suites = p ? [...new Set(p.origins.filter((o) => o.version === s.version).map((o) => o.source.split('/')[0]))] : [];
      const flags = ['installed', ...(auto.has(s.name) ? ['automatic'] : []), ...(p?.origins.length && compareDebVersions(p.version, s.version) > 0 ? [`upgradable to: ${p.version}`] : [])];
      lines.push(`${s.name}/${[...suites, 'now'].join(',')} ${s.version} ${arch} [${flags.join(',')}]`);
    }
    return result(lines, ['', 'WARNING: apt does not have a stable CLI interface. Use with caution in scripts.', ''], 0);
  }
  const r = await aptGet(io);
  return { ...r, stderr: '\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n' + r.stderr };
}

/** `apt-cache policy|show|depends|search`. */
export async function aptCache(io: CommandIO): Promise<CommandOutput> {
  const [verb, ...names] = io.args.filter((a) => !a.startsWith('-'));
  const { cat, codename } = await catalogFor(io);
  const listed = cat && listsPresent(io.fs, cat) ? cat : undefined;
  const status = readStatus(io.fs);
  const out: string[] = [];
  const err: string[] = [];
  for (const n of names) {
    const p = listed?.packages.get(n);
    const s = status.get(n);
    if (verb === 'policy') {
      if (!p && !s) {
        err.push(`N: Unable to locate package ${n}`);
        continue;
      }
      out.push(`${n}:`, `  Installed: ${isInstalled(s) ? s!.version : '(none)'}`, `  Candidate: ${p ? p.version : isInstalled(s) ? s!.version : '(none)'}`, '  Version table:');
      if (p && p.origins.length) {
        // Every version in every source, newest first; the installed one marked *** with dpkg's status as its 100 source.
        const versions = new Map<string, { pin: number; lines: string[] }>();
        for (const o of p.origins) {
          const [suite, component] = o.source.split('/');
          const uri = listed!.lists.find((l) => l.suite === suite)?.uri ?? '';
          const v = versions.get(o.version) ?? { pin: 0, lines: [] };
          v.pin = Math.max(v.pin, o.pin);
          v.lines.push(`        ${o.pin} ${uri} ${suite}/${component} amd64 Packages`);
          versions.set(o.version, v);
        }
        const inst = isInstalled(s) ? s!.version : undefined;
        if (inst && !versions.has(inst)) versions.set(inst, { pin: 100, lines: [] });
        const order = [...versions.keys()].sort((a, b) => compareDebVersions(b, a));
        for (const v of order) {
          const e = versions.get(v)!;
          out.push(`${v === inst ? ' *** ' : '     '}${v} ${e.pin}`, ...e.lines, ...(v === inst ? ['        100 /var/lib/dpkg/status'] : []));
        }
        continue;
      }
      if (p) {
        out.push(`${isInstalled(s) && s!.version === p.version ? ' *** ' : '     '}${p.version} 500`);
        out.push(`        500 ${p.uri} ${p.suite}/${p.component} amd64 Packages`);
      }
      if (isInstalled(s)) {
        if (!p || s!.version !== p.version) out.push(` *** ${s!.version} 100`);
        out.push('        100 /var/lib/dpkg/status');
      }
    } else if (verb === 'show') {
      if (!p) {
        err.push(`N: Unable to locate package ${n}`, `E: No packages found`);
        continue;
      }
      const r = p.raw;
      const f: [string, string][] = [['Package', p.name], ['Version', p.version], ['Installed-Size', String(p.installedSize)], ['Maintainer', r.maintainer], ['Architecture', p.architecture],
        ['Multi-Arch', p.multiArch], ['Source', r.source], ['Pre-Depends', r.preDepends], ['Depends', r.depends], ['Recommends', r.recommends], ['Suggests', r.suggests], ['Provides', r.provides],
        ['Breaks', r.breaks], ['Conflicts', r.conflicts], ['Description', p.description], ['Section', p.section], ['Priority', p.priority], ['Filename', p.filename], ['Size', String(p.size)], ['SHA256', p.sha256]];
      out.push(...f.filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`), '');
    } else if (verb === 'depends') {
      if (!p) {
        err.push(`E: No packages found`);
        continue;
      }
      out.push(n);
      for (const [label, list] of [['PreDepends', p.preDepends], ['Depends', p.depends], ['Recommends', p.recommends], ['Suggests', p.suggests]] as const) {
        for (const g of list) g.forEach((a, i) => out.push(`  ${i < g.length - 1 ? '|' : ' '}${label}: ${listed!.packages.has(a.name) ? a.name : `<${a.name}>`}`));
      }
    } else if (verb === 'search') {
      const re = new RegExp(n, 'i');
      for (const q of listed?.packages.values() ?? []) if (re.test(q.name) || re.test(q.description)) out.push(`${q.name} - ${q.description}`);
    } else return result([], [`E: Invalid operation ${verb ?? ''}`], 100);
  }
  if (!cat && verb !== 'policy') err.push(await catalogNote(undefined, '', codename));
  return result(out, err, err.some((l) => l.startsWith('E:')) ? 100 : 0);
}

/** `dpkg -l [pattern]`, `-L pkg`, `-S path`, `-s pkg`, `--get-selections`, `--print-architecture`. */
export function dpkg(io: CommandIO): CommandOutput {
  const [flag, ...args] = io.args;
  const status = readStatus(io.fs);
  const listOf = (n: string) => {
    const s = status.get(n);
    if (!s) return undefined;
    try {
      return decoder.decode(io.fs.readFile(`/var/lib/dpkg/info/${infoName(s)}.list`)).split('\n').filter(Boolean);
    } catch {
      return undefined;
    }
  };
  switch (flag) {
    case '--print-architecture':
      return result(['amd64'], [], 0);
    case '-l':
    case '--list': {
      const pats = args.map((a) => new RegExp('^' + a.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$'));
      const rows = [...status.values()].filter((s) => pats.length === 0 || pats.some((r) => r.test(s.name))).sort((a, b) => (a.name < b.name ? -1 : 1));
      if (rows.length === 0) return result([], [`dpkg-query: no packages found matching ${args.join(' ')}`], 1);
      const w = [Math.max(14, ...rows.map((r) => (r.multiArch === 'same' ? r.name.length + 6 : r.name.length))), Math.max(15, ...rows.map((r) => r.version.length)), 12];
      const pad = (s: string, n: number) => s.padEnd(n);
      const lines = ['Desired=Unknown/Install/Remove/Purge/Hold', '| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend', '|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)',
        `||/ ${pad('Name', w[0])} ${pad('Version', w[1])} ${pad('Architecture', w[2])} Description`, `+++-${'='.repeat(w[0])}-${'='.repeat(w[1])}-${'='.repeat(w[2])}-${'='.repeat(Math.max(0, 80 - w[0] - w[1] - w[2] - 7))}`];
      for (const s of rows) {
        const st = s.status.endsWith('installed') && s.status.startsWith('install') ? 'ii' : s.status.endsWith('config-files') ? 'rc' : 'iU';
        const desc = /^Description: (.*)$/m.exec(s.text)?.[1] ?? '';
        lines.push(`${st}  ${pad(s.multiArch === 'same' ? `${s.name}:${s.architecture}` : s.name, w[0])} ${pad(s.version, w[1])} ${pad(s.architecture, w[2])} ${desc}`);
      }
      return result(lines, [], 0);
    }
    case '-L':
    case '--listfiles': {
      const out: string[] = [];
      const err: string[] = [];
      for (const n of args) {
        const l = listOf(n);
        if (!l) err.push(`dpkg-query: package '${n}' is not installed`, 'Use dpkg --contents (= dpkg-deb --contents) to list archive files contents.');
        else out.push(...l);
      }
      return result(out, err, err.length ? 1 : 0);
    }
    case '-S':
    case '--search': {
      const out: string[] = [];
      for (const a of args) {
        const owners: string[] = [];
        for (const n of [...status.keys()].sort()) if (listOf(n)?.some((p) => (a.startsWith('/') ? p === a : p.includes(a)))) owners.push(status.get(n)!.multiArch === 'same' ? `${n}:amd64` : n);
        if (owners.length) out.push(`${owners.join(', ')}: ${a}`);
        else return result(out, [`dpkg-query: no path found matching pattern *${a}*`], 1);
      }
      return result(out, [], 0);
    }
    case '-s':
    case '--status': {
      const out: string[] = [];
      for (const n of args) {
        const s = status.get(n);
        if (!s) return result(out, [`dpkg-query: package '${n}' is not installed and no information is available`], 1);
        out.push(s.text, '');
      }
      return result(out, [], 0);
    }
    case '--get-selections':
      return result([...status.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((s) => `${(s.multiArch === 'same' ? `${s.name}:${s.architecture}` : s.name).padEnd(48)}${s.status.split(' ')[0]}`), [], 0);
    default:
      return result([], [`dpkg: error: need an action option`, '', 'Type dpkg --help for help about installing and deinstalling packages [*];', "Use 'apt' or 'aptitude' for user-friendly package management;"], 2);
  }
}

/** `dpkg-query` accepts the same query actions as `dpkg`. */
export const dpkgQuery = dpkg;
