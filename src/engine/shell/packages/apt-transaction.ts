/**
 * One `apt-get install` after the resolver has decided: apt's summary, the `Get:` lines, dpkg's
 * unpack and setup lines, and every file apt, dpkg and the maintainer scripts leave in the layer.
 * Output wording from apt 2.6 / dpkg 1.21 on bookworm (recorded in scripts/catalog/apt-layers.json's
 * logs), which noble's apt 2.8 / dpkg 1.22 print the same way; see README.md.
 */
import type { ShellFs } from '../types.ts';
import type { AptPackage, PackageFiles } from './apt-catalog.ts';
import { formatStatus, infoName, PathFilter, readStatus, stanzaOf, type StatusStanza } from './dpkg-db.ts';
import { unpackData, writeInfo, fnv1a, writeContent } from './dpkg-unpack.ts';
import { configureEffects } from './dpkg-effects.ts';
import { appendLog, logTime, readAutoInstalled, sizeToStr, writeAutoInstalled, mkdirp } from './apt-system.ts';
import type { InstallPlan } from './resolver.ts';
import { SyntheticContent } from '../../fs/content.ts';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** apt's ShowList: items after two spaces, wrapped before 80 columns. */
export function showList(items: string[]): string[] {
  const lines: string[] = [];
  let cur = ' ';
  for (const it of items) {
    if (cur.length + 1 + it.length >= 80 && cur.trim()) {
      lines.push(cur);
      cur = ' ';
    }
    cur += ' ' + it;
  }
  if (cur.trim()) lines.push(cur);
  return lines;
}

/** `libssl3:amd64` for Multi-Arch: same packages, as dpkg names them in its output. */
export function dpkgName(p: AptPackage): string {
  return p.multiArch === 'same' ? `${p.name}:${p.architecture}` : p.name;
}

/** The summary apt prints before downloading. */
export function summaryLines(plan: InstallPlan, notUpgraded: number, keptBack: string[] = []): string[] {
  const out: string[] = [];
  const all = plan.install.map((p) => p.name).sort();
  const names = all.filter((n) => !plan.upgrade.has(n));
  const upgrades = all.filter((n) => plan.upgrade.has(n));
  const extra = names.filter((n) => plan.auto.has(n));
  if (extra.length) out.push('The following additional packages will be installed:', ...showList(extra));
  if (plan.suggested.length) out.push('Suggested packages:', ...showList(plan.suggested));
  if (plan.recommended.length) out.push('Recommended packages:', ...showList(plan.recommended.sort()));
  if (names.length) out.push('The following NEW packages will be installed:', ...showList(names));
  if (keptBack.length) out.push('The following packages have been kept back:', ...showList(keptBack));
  if (upgrades.length) out.push('The following packages will be upgraded:', ...showList(upgrades));
  out.push(`${upgrades.length} upgraded, ${names.length} newly installed, 0 to remove and ${notUpgraded} not upgraded.`);
  return out;
}

/** Counts the paths dpkg's database lists (`(Reading database ... N files and directories currently installed.)`). */
export function countDatabase(fs: ShellFs): number {
  const seen = new Set<string>();
  let names: string[] = [];
  try {
    names = fs.readdir('/var/lib/dpkg/info');
  } catch {
    return 0;
  }
  for (const n of names) {
    if (!n.endsWith('.list')) continue;
    try {
      for (const l of decoder.decode(fs.readFile(`/var/lib/dpkg/info/${n}`)).split('\n')) if (l) seen.add(l);
    } catch {
      /* unreadable list */
    }
  }
  return seen.size;
}

/** The paths of an installed package's `info/<pkg>.list`. */
function readList(fs: ShellFs, s: { name: string; multiArch: string; architecture: string }): string[] {
  try {
    return decoder.decode(fs.readFile(`/var/lib/dpkg/info/${infoName(s)}.list`)).split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** After an upgrade's unpack: the old version's files the new one no longer ships (and no other package lists) go, as dpkg removes them. */
function removeVanished(fs: ShellFs, oldList: string[], newList: Set<string>, status: Map<string, StatusStanza>, self: string): void {
  const gone = oldList.filter((p) => p !== '/.' && !newList.has(p));
  if (gone.length === 0) return;
  const others = new Set<string>();
  for (const [n, o] of status) if (n !== self) for (const l of readList(fs, o)) others.add(l);
  for (const p of gone.reverse()) {
    if (others.has(p)) continue;
    try {
      const st = fs.lstat(p);
      if (st.type === 'dir') {
        if (fs.readdir(p).length === 0) fs.rmdir(p);
      } else fs.unlink(p);
    } catch {
      /* already gone */
    }
  }
}

/** What the transaction printed and wrote. */
export interface TransactionResult {
  stdout: string[];
  /** Real bytes written (synthetic package content excluded; see dpkg-unpack.ts). */
  bytes: number;
}

/** Unpacks and configures the plan's packages (files already loaded, in plan order). */
export function runTransaction(fs: ShellFs, plan: InstallPlan, files: PackageFiles[], opts: { now: number; commandLine: string; quiet: number }): TransactionResult {
  const out: string[] = [];
  let bytes = 0;
  const filter = PathFilter.read(fs);
  const status = readStatus(fs);
  const oldStatusText = formatStatus(status);
  const width = String(plan.install.length - 1).length;
  // apt-get's downloads (docker-clean deletes the .debs again: only the lock stays).
  mkdirp(fs, '/var/cache/apt/archives/partial', 0o700);
  try {
    fs.lstat('/var/cache/apt/archives/lock');
  } catch {
    fs.writeFile('/var/cache/apt/archives/lock', new Uint8Array(0), { mode: 0o640 });
  }
  plan.install.forEach((p, i) => {
    out.push(`Get:${i + 1} ${p.uri} ${p.suite}/${p.component} amd64 ${p.name} ${p.architecture} ${p.version} [${sizeToStr(p.size)}]`);
  });
  const needsDebconf = files.some((f) => f.control.templates !== undefined || f.control.config !== undefined);
  if (needsDebconf && !status.has('apt-utils')) out.push('debconf: delaying package configuration, since apt-utils is not installed');
  const total = plan.install.reduce((n, p) => n + p.size, 0);
  out.push(`Fetched ${sizeToStr(total)} in 0s (${sizeToStr(total * 5)}/s)`);
  const dbCount = countDatabase(fs);
  const kept = new Map<string, Set<string>>();
  const t = logTime(opts.now);
  let dpkgLog = `${t} startup archives unpack\n`;
  const oldVersions = new Map<string, string>();
  plan.install.forEach((p, i) => {
    const f = files[i];
    const n = dpkgName(p);
    const before = plan.upgrade.has(p.name) ? status.get(p.name) : undefined;
    if (!before) out.push(`Selecting previously unselected package ${n}.`);
    if (i === 0) out.push(`(Reading database ... ${dbCount} files and directories currently installed.)`);
    const deb = `${String(i).padStart(width, '0')}-${p.name}_${p.version.replace(/:/g, '%3a')}_${p.architecture}.deb`;
    out.push(`Preparing to unpack .../${deb} ...`, before ? `Unpacking ${n} (${p.version}) over (${before.version}) ...` : `Unpacking ${n} (${p.version}) ...`);
    const seed = `apt|${p.name}|${p.version}`;
    const oldList = before ? readList(fs, before) : [];
    if (before) {
      oldVersions.set(p.name, before.version);
      // dpkg replaces the old version's info files.
      for (const x of fs.readdir('/var/lib/dpkg/info')) if (x.startsWith(infoName(before) + '.')) fs.unlink(`/var/lib/dpkg/info/${x}`);
    }
    const r = unpackData(fs, f, filter, seed);
    if (before) removeVanished(fs, oldList, new Set(r.listed), status, p.name);
    kept.set(p.name, new Set(r.listed.filter((x) => !filter.excludes(x))));
    bytes += r.bytes + writeInfo(fs, f, r.listed, seed);
    const s = stanzaOf(f.status);
    status.set(p.name, s);
    dpkgLog += before
      ? `${t} upgrade ${n} ${before.version} ${p.version}\n${t} status half-configured ${n} ${before.version}\n${t} status unpacked ${n} ${before.version}\n${t} status half-installed ${n} ${before.version}\n${t} status unpacked ${n} ${p.version}\n`
      : `${t} install ${n} <none> ${p.version}\n${t} status half-installed ${n} ${p.version}\n${t} status unpacked ${n} ${p.version}\n`;
  });
  dpkgLog += `${t} startup packages configure\n`;
  const effects = configureEffects(fs, files, kept);
  bytes += effects.bytes;
  for (const p of plan.install) {
    const n = dpkgName(p);
    out.push(`Setting up ${n} (${p.version}) ...`);
    out.push(...(effects.output.get(p.name) ?? []));
    dpkgLog += `${t} configure ${n} ${p.version} ${oldVersions.get(p.name) ?? '<none>'}\n${t} status unpacked ${n} ${p.version}\n${t} status half-configured ${n} ${p.version}\n${t} status installed ${n} ${p.version}\n`;
  }
  if (effects.ldconfig) {
    const libc = status.get('libc-bin');
    if (libc) out.push(`Processing triggers for libc-bin (${libc.version}) ...`);
  }
  // dpkg's database: status (and the previous one as status-old), extended_states, logs.
  const statusText = formatStatus(status);
  fs.writeFile('/var/lib/dpkg/status-old', encoder.encode(oldStatusText));
  fs.writeFile('/var/lib/dpkg/status', encoder.encode(statusText));
  bytes += oldStatusText.length + statusText.length;
  for (const l of ['/var/lib/dpkg/lock', '/var/lib/dpkg/lock-frontend', '/var/lib/dpkg/triggers/Lock']) {
    try {
      fs.writeFile(l, new Uint8Array(0));
    } catch {
      /* no dpkg dir */
    }
  }
  const auto = readAutoInstalled(fs);
  for (const p of plan.install) if (plan.auto.has(p.name) && !plan.upgrade.has(p.name)) auto.set(p.name, p.architecture === 'all' ? 'amd64' : p.architecture);
  bytes += writeAutoInstalled(fs, auto);
  bytes += appendLog(fs, '/var/log/dpkg.log', dpkgLog);
  const end = logTime(opts.now, '  ');
  const arch = (p: AptPackage) => (p.architecture === 'all' ? 'amd64' : p.architecture);
  const inst = plan.install.filter((p) => !plan.upgrade.has(p.name)).map((p) => `${p.name}:${arch(p)} (${p.version}${plan.auto.has(p.name) ? ', automatic' : ''})`).join(', ');
  const upg = plan.install.filter((p) => plan.upgrade.has(p.name)).map((p) => `${p.name}:${arch(p)} (${oldVersions.get(p.name)}, ${p.version})`).join(', ');
  bytes += appendLog(fs, '/var/log/apt/history.log', `\nStart-Date: ${end}\nCommandline: ${opts.commandLine}\n${inst ? `Install: ${inst}\n` : ''}${upg ? `Upgrade: ${upg}\n` : ''}End-Date: ${end}\n`);
  bytes += appendLog(fs, '/var/log/apt/term.log', `\nLog started: ${end}\nLog ended: ${end}\n`, 0o640);
  // Simulation: apt's solver dump (eipp.log.xz) by size only, ~4.3 kB plus 50 bytes per new package
  // (bookworm: 5,276 bytes for curl's 22 packages, 8,564 for build-essential's).
  const eipp = 4300 + 50 * plan.install.length;
  writeContent(fs, '/var/log/apt/eipp.log.xz', new SyntheticContent(eipp, fnv1a(`eipp|${opts.commandLine}|${eipp}`)), 0o600);
  return { stdout: out, bytes };
}
