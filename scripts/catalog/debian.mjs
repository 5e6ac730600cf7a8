// debian:bookworm-slim from real bookworm packages, installed the way debootstrap (minbase, merged
// /usr) + debuerreotype's slimify do it; and the dpkg bookkeeping an apt-get install leaves behind.
import { readFileSync } from 'node:fs';
import { readDeb, fetchDebs, statusStanza, field } from './deb.mjs';
import { GenTree } from './tree.mjs';

/** Binary packages of debian:bookworm-slim (docker-library/repo-info repos/debian/local/bookworm-slim.md). */
export const BOOKWORM_SLIM_PACKAGES = `libacl1 adduser apt libapt-pkg6.0 libattr1 libaudit-common libaudit1 base-files
base-passwd bash libbz2-1.0 libdebconfclient0 coreutils dash libdb5.3 debconf debian-archive-keyring debianutils
diffutils dpkg e2fsprogs libcom-err2 libext2fs2 libss2 logsave findutils gcc-12-base libgcc-s1 libstdc++6 libc-bin
libc6 libgmp10 gpgv libgnutls30 grep gzip hostname init-system-helpers libcap-ng0 libcap2 libffi8 libgcrypt20
libgpg-error0 libidn2-0 libmd0 libseccomp2 libselinux1 libsemanage-common libsemanage2 libsepol2 libtasn1-6
libunistring2 libcrypt1 libzstd1 liblz4-1 mawk libtinfo6 ncurses-base ncurses-bin libhogweed6 libnettle8 libp11-kit0
libpam-modules libpam-modules-bin libpam-runtime libpam0g libpcre2-8-0 perl-base sed login passwd libsystemd0
libudev1 sysvinit-utils tar tzdata usr-is-merged bsdutils libblkid1 libmount1 libsmartcols1 libuuid1 mount
util-linux util-linux-extra libxxhash0 liblzma5 zlib1g`.split(/\s+/);

// debuerreotype scripts/.slimify-excludes and .slimify-includes.
const SLIM_EXCLUDE = [/^\/usr\/share\/(doc|groff|info|linda|locale|man)\/./, /^\/usr\/share\/lintian\/overrides\/./];
const SLIM_INCLUDE = [/^\/usr\/share\/doc\/[^/]+\/copyright$/, /^\/usr\/share\/locale\/locale\.alias$/,
  /^\/usr\/share\/locale\/(all_languages|languages)$/];
const slimmed = (p) => SLIM_EXCLUDE.some((r) => r.test(p)) && !SLIM_INCLUDE.some((r) => r.test(p));

// Merged /usr: debootstrap creates these symlinks first, so package files under them land in /usr.
const USRMERGE = [['/bin', 'usr/bin'], ['/sbin', 'usr/sbin'], ['/lib', 'usr/lib'], ['/lib64', 'usr/lib64']];
function merged(p) {
  for (const [from, to] of USRMERGE) if (p === from || p.startsWith(from + '/')) return '/' + to + p.slice(from.length);
  return p;
}

const inlineText = (p) => /^\/etc\//.test(p) || /^\/usr\/lib\/os-release$/.test(p) || /^\/usr\/share\/base-passwd\//.test(p);

/** Installs packages' files into `tree` (merged /usr, slim excludes) and returns the parsed debs. */
export function unpackDebs(tree, names, { slim = true } = {}) {
  fetchDebs(names);
  const debs = names.map((n) => readDeb(n));
  for (const deb of debs) {
    for (const e of deb.entries) {
      if (USRMERGE.some(([f]) => f === e.path)) continue;
      const p = merged(e.path);
      if (slim && slimmed(p)) continue;
      if (e.type === 'd') tree.dir(p, e.mode, e.uid, e.gid);
      else if (e.type === 'l') tree.symlink(p, e.target);
      else if (e.type === 'h') tree.hardlink(p, merged(e.linkTo));
      else if (e.type === 'f') {
        const text = inlineText(p) ? deb.text(e.path) : undefined;
        tree.file(p, text !== undefined ? { text, mode: e.mode, uid: e.uid, gid: e.gid } : { size: e.size, mode: e.mode, uid: e.uid, gid: e.gid });
      }
    }
  }
  return debs;
}

const infoName = (deb) => (field(deb, 'Multi-Arch') === 'same' ? `${deb.name}:${field(deb, 'Architecture')}` : deb.name);

/** /var/lib/dpkg/info/<pkg>.{list,md5sums,conffiles,postinst,...} as dpkg writes them. */
export function writeDpkgInfo(tree, debs) {
  for (const deb of debs) {
    const n = infoName(deb);
    const list = ['/.', ...deb.entries.map((e) => e.path)];
    tree.file(`/var/lib/dpkg/info/${n}.list`, { text: list.join('\n') + '\n' });
    for (const [k, v] of Object.entries(deb.control)) {
      const exec = ['preinst', 'postinst', 'prerm', 'postrm', 'config'].includes(k);
      // Simulation: big control files (debconf templates with every translation, symbols, md5sums)
      // keep their real size but synthetic bytes, to keep the catalog small.
      const inline = exec || k === 'conffiles' || k === 'triggers' || k === 'shlibs' || Buffer.byteLength(v) <= 4096;
      const meta = { mode: exec ? 0o755 : 0o644 };
      tree.file(`/var/lib/dpkg/info/${n}.${k}`, inline ? { text: v, ...meta } : { size: Buffer.byteLength(v), ...meta });
    }
  }
}

export function statusFile(debs) {
  return [...debs].sort((a, b) => (a.name < b.name ? -1 : 1)).map(statusStanza).join('\n');
}

/** Files debootstrap and the maintainer scripts create that no package ships. */
function systemFiles(t, debs, { created }) {
  for (const [from, to] of USRMERGE) t.symlink(from, to);
  for (const d of ['/dev', '/proc', '/sys']) t.dir(d);
  t.dir('/usr/lib64');
  // base-passwd's postinst copies its masters; shadow's postinst (shadowconfig on) creates shadow files.
  const passwd = t.entries.get('/usr/share/base-passwd/passwd.master').text.replace(/:\*:/g, ':x:');
  const group = t.entries.get('/usr/share/base-passwd/group.master').text.replace(/:\*:/g, ':x:');
  const days = Math.floor(Date.parse(created) / 86400000);
  t.file('/etc/passwd', { text: passwd });
  t.file('/etc/group', { text: group });
  t.file('/etc/shadow', { text: passwd.split('\n').filter(Boolean).map((l) => `${l.split(':')[0]}:*:${days}:0:99999:7:::`).join('\n') + '\n', mode: 0o640, gid: 42 });
  t.file('/etc/gshadow', { text: group.split('\n').filter(Boolean).map((l) => `${l.split(':')[0]}:*::`).join('\n') + '\n', mode: 0o640, gid: 42 });
  t.file('/etc/shells', { text: '# /etc/shells: valid login shells\n/bin/sh\n/usr/bin/sh\n/bin/bash\n/usr/bin/bash\n/bin/rbash\n/usr/bin/rbash\n/usr/bin/dash\n' });
  t.symlink('/etc/localtime', '/usr/share/zoneinfo/Etc/UTC');
  t.file('/etc/timezone', { text: 'Etc/UTC\n' });
  t.symlink('/etc/mtab', '../proc/self/mounts');
  t.file('/etc/ld.so.cache', { size: 7937 });
  // debuerreotype-minimizing-config and debuerreotype-slimify.
  t.file('/etc/apt/apt.conf.d/docker-autoremove-suggests', { text: "# Since Docker users are looking for the smallest possible final images, the\n# following emerges as a very common pattern:\n\n#   RUN apt-get update \\\n#       && apt-get install -y <packages> \\\n#       && <do some compilation work> \\\n#       && apt-get purge -y --auto-remove <packages>\n\n# By default, APT will actually _keep_ packages installed via Recommends or\n# Depends if another package Suggests them, even and including if the package\n# that originally caused them to be installed is removed.  Setting this to\n# \"false\" ensures that APT is appropriately aggressive about removing the\n# packages it added.\n\n# https://aptitude.alioth.debian.org/doc/en/ch02s05s05.html#configApt-AutoRemove-SuggestsImportant\nApt::AutoRemove::SuggestsImportant \"false\";\n" });
  t.file('/etc/apt/apt.conf.d/docker-clean', { text: '# Since for most Docker users, package installs happen in "docker build" steps,\n# they essentially become individual layers due to the way Docker handles\n# layering, especially using CoW filesystems.  What this means for us is that\n# the caches that APT keeps end up just wasting space in those layers, making\n# our layers unnecessarily large (especially since we\'ll normally never use\n# these caches again and will instead just "docker build" again and make a brand\n# new image).\n\n# Ideally, these would just be invoking "apt-get clean", but in our testing,\n# that ended up being cyclic and we got stuck on APT\'s lock, so we get this fun\n# creation that\'s essentially just "apt-get clean".\nDPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\nAPT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\n\nDir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n\n# Note that we do realize this isn\'t the ideal way to do this, and are always\n# open to better suggestions (https://github.com/docker-library/docker-brew-debian/issues).\n' });
  t.file('/etc/apt/apt.conf.d/docker-gzip-indexes', { text: '# Since Docker users using "RUN apt-get update && apt-get install -y ..." in\n# their Dockerfiles don\'t go delete the lists files afterwards, we want them to\n# be as small as possible on-disk, so we explicitly request that Apt keep them\n# compressed on-disk too instead of decompressing them.\n\n# For comparison, an "apt-get update" layer without this on a pristine\n# "debian:wheezy" base image was "29.88 MB", where with this it was only\n# "8.273 MB".\n\nAcquire::GzipIndexes "true";\n' });
  t.file('/etc/apt/apt.conf.d/docker-no-languages', { text: '# In Docker, we don\'t often need the "Translations" files, so we\'re just wasting\n# time and space by downloading them, and this inhibits that.  For users that do\n# need them, it\'s a simple matter to delete this file and "apt-get update". :)\n\nAcquire::Languages "none";\n' });
  t.file('/etc/dpkg/dpkg.cfg.d/docker-apt-speedup', { text: '# For most Docker users, package installs happen during "docker build", which\n# doesn\'t survive power loss and gets restarted clean afterwards anyhow, so\n# this minor tweak gives us a nice speedup (much nicer on spinning disks,\n# obviously).\n\nforce-unsafe-io\n' });
  t.file('/etc/dpkg/dpkg.cfg.d/docker', { text: '# This is the "slim" variant of the Debian base image.\n# Many files which are normally unnecessary in containers are excluded,\n# and this configuration file keeps them that way.\npath-exclude /usr/share/doc/*\npath-exclude /usr/share/groff/*\npath-exclude /usr/share/info/*\npath-exclude /usr/share/linda/*\npath-exclude /usr/share/lintian/overrides/*\npath-exclude /usr/share/locale/*\npath-exclude /usr/share/man/*\npath-include /usr/share/doc/*/copyright\npath-include /usr/share/doc/kde/HTML/C/*\npath-include /usr/share/gnome/help/*/C/*\npath-include /usr/share/locale/all_languages\npath-include /usr/share/locale/currency/*\npath-include /usr/share/locale/l10n/*\npath-include /usr/share/locale/languages\npath-include /usr/share/locale/locale.alias\npath-include /usr/share/omf/*/*-C.emf\n' });
  t.file('/etc/apt/sources.list.d/debian.sources', { text: 'Types: deb\n# http://snapshot.debian.org/archive/debian/20260918T000000Z\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\nTypes: deb\n# http://snapshot.debian.org/archive/debian-security/20260918T000000Z\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' });
  // update-alternatives links made by mawk, tar and debianutils postinsts.
  const alt = { awk: '/usr/bin/mawk', nawk: '/usr/bin/mawk', rmt: '/usr/sbin/rmt-tar', which: '/usr/bin/which.debianutils' };
  for (const [name, target] of Object.entries(alt)) {
    t.symlink(`/etc/alternatives/${name}`, target);
    t.symlink(`/usr/${name === 'rmt' ? 'sbin' : 'bin'}/${name}`, `/etc/alternatives/${name}`);
    t.file(`/var/lib/dpkg/alternatives/${name}`, { text: `auto\n/usr/${name === 'rmt' ? 'sbin' : 'bin'}/${name}\n\n${target}\n${name === 'which' ? 0 : 5}\n\n` });
  }
  // dpkg and apt state.
  t.file('/var/lib/dpkg/status', { text: statusFile(debs) });
  t.file('/var/lib/dpkg/status-old', { size: Buffer.byteLength(statusFile(debs)) });
  t.file('/var/lib/dpkg/arch', { text: 'amd64\n' });
  t.file('/var/lib/dpkg/available', { text: '' });
  t.file('/var/lib/dpkg/diversions', { text: '' });
  t.file('/var/lib/dpkg/statoverride', { text: '' });
  t.file('/var/lib/dpkg/lock', { text: '', mode: 0o640 });
  t.file('/var/lib/dpkg/lock-frontend', { text: '', mode: 0o640 });
  t.file('/var/lib/dpkg/triggers/File', { text: '' });
  t.file('/var/lib/dpkg/triggers/Unincorp', { text: '' });
  t.file('/var/lib/dpkg/triggers/Lock', { text: '', mode: 0o600 });
  t.dir('/var/lib/dpkg/updates');
  t.file('/var/lib/apt/extended_states', { text: '' });
  t.dir('/var/lib/apt/lists/partial', 0o700, 42, 0);
  t.dir('/var/cache/apt/archives/partial', 0o700, 42, 0);
  // Simulation: debconf's databases are modelled by size only.
  t.file('/var/cache/debconf/config.dat', { size: 11283 });
  t.file('/var/cache/debconf/config.dat-old', { size: 11283 });
  t.file('/var/cache/debconf/templates.dat', { size: 418316 });
  t.file('/var/cache/debconf/templates.dat-old', { size: 418316 });
  t.file('/var/cache/debconf/passwords.dat', { text: '', mode: 0o600 });
  // debuerreotype truncates logs.
  for (const l of ['/var/log/dpkg.log', '/var/log/alternatives.log', '/var/log/apt/history.log', '/var/log/apt/term.log']) t.file(l, { text: '' });
  t.file('/var/log/apt/eipp.log.xz', { size: 0, mode: 0o600 });
  t.file('/var/log/lastlog', { text: '', mode: 0o664, gid: 43 });
  t.file('/var/log/wtmp', { text: '', mode: 0o664, gid: 43 });
  t.file('/var/log/btmp', { text: '', mode: 0o660, gid: 43 });
  t.file('/var/log/faillog', { text: '' });
}

/**
 * What maintainer scripts write that no package ships (base-files' /etc/profile, motd, root's
 * dotfiles and the /usr/local tree; pam-auth-update's common-* files; alternatives with their
 * man-page slaves; ldconfig's aux-cache; debconf's databases by size), recorded from a real
 * bookworm root: see bookworm-maintscript-files.json.
 */
function maintainerScriptFiles(t) {
  const rec = JSON.parse(readFileSync(new URL('./bookworm-maintscript-files.json', import.meta.url), 'utf8'));
  for (const [p, d] of Object.entries(rec.dirs)) t.dir(p, d.mode, d.uid, d.gid);
  for (const [p, f] of Object.entries(rec.files)) t.file(p, { text: f.text, mode: f.mode, uid: f.uid, gid: f.gid });
  for (const [p, target] of Object.entries(rec.symlinks)) t.symlink(p, target);
  for (const [p, size] of Object.entries(rec.sizes)) {
    const e = t.entries.get(p);
    t.file(p, { size, mode: e?.mode ?? 0o644, uid: e?.uid ?? 0, gid: e?.gid ?? 0 });
  }
  // update-alternatives keeps one file per link group: nawk is a slave of awk, not a group.
  t.delete('/var/lib/dpkg/alternatives/nawk');
}

/** The single layer of debian:bookworm-slim. */
export function buildBookwormSlim({ created }) {
  const t = new GenTree();
  const debs = unpackDebs(t, BOOKWORM_SLIM_PACKAGES);
  writeDpkgInfo(t, debs);
  systemFiles(t, debs, { created });
  maintainerScriptFiles(t);
  return { tree: t, debs };
}
