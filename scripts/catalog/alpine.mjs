// Models of Alpine-based trees (alpine, node:22-alpine, nginx:alpine) and the busybox image.
// Simulation: Alpine's package archive is not reachable from here, so file lists are written from
// the real packages' layouts and sized from the installed sizes docker-library/repo-info reports.
import { createHash } from 'node:crypto';
import { GenTree } from './tree.mjs';

const K = 1024;

// busybox applets Alpine links (busybox --install -s, recorded in /etc/busybox-paths.d/busybox).
export const APPLETS = {
  '/bin': `arch ash base64 bbconfig cat chattr chgrp chmod chown cp date dd df dmesg dnsdomainname dumpkmap echo egrep
false fatattr fdflush fgrep fsync getopt grep gunzip gzip hostname ionice iostat ipcalc kbd_mode kill link linux32
linux64 ln login ls lsattr lzop makemime mkdir mknod mktemp more mount mountpoint mpstat mv netstat nice pidof ping
ping6 pipe_progress printenv ps pwd reformime rev rm rmdir run-parts sed setpriv setserial sh sleep stat stty su sync
tar touch true umount uname usleep watch zcat`,
  '/sbin': `acpid adjtimex arp blkid blockdev depmod fbsplash fdisk findfs fsck fstrim getty halt hwclock ifconfig
ifdown ifenslave ifup init inotifyd insmod ip ipaddr iplink ipneigh iproute iprule iptunnel klogd loadkmap logread
losetup lsmod mdev mkdosfs mkfs.vfat mkswap modinfo modprobe nameif nologin pivot_root poweroff raidautorun reboot
rmmod route setconsole slattach swapoff swapon switch_root sysctl syslogd tunctl udhcpc vconfig watchdog`,
  '/usr/bin': `[ [[ awk basename bc beep blkdiscard bunzip2 bzcat bzip2 cal chvt cksum clear cmp comm cpio crontab
cryptpw cut dc deallocvt diff dirname dos2unix du eject env expand expr factor fallocate find flock fold free fuser
groups hd head hexdump hostid id install ipcrm ipcs killall last less logger lsof lsusb lzcat lzma lzopcat md5sum mesg
microcom mkfifo mkpasswd nc nl nmeter nohup nproc nsenter nslookup od openvt passwd paste pgrep pkill pmap printf
pscan pstree pwdx readlink realpath renice reset resize seq setkeycodes setsid sha1sum sha256sum sha3sum sha512sum
showkey shred shuf sort split strings sum tac tail tee test time timeout top tr traceroute traceroute6 tree truncate
tty ttysize udhcpc6 unexpand uniq unix2dos unlink unlzma unlzop unshare unxz unzip uptime uudecode uuencode vi vlock
volname wc wget which whoami whois xargs xxd xzcat yes`,
  '/usr/sbin': `add-shell addgroup adduser arping brctl chpasswd chroot crond delgroup deluser ether-wake fbset
killall5 loadfont nanddump nandwrite nbd-client ntpd partprobe rdate rdev readahead remove-shell sendmail setfont
setlogcons`,
};
const applets = () => Object.entries(APPLETS).flatMap(([d, s]) => s.split(/\s+/).filter(Boolean).map((n) => `${d}/${n}`));

const ALPINE_PASSWD = `root:x:0:0:root:/root:/bin/sh
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin
sync:x:5:0:sync:/sbin:/bin/sync
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
mail:x:8:12:mail:/var/mail:/sbin/nologin
news:x:9:13:news:/usr/lib/news:/sbin/nologin
uucp:x:10:14:uucp:/var/spool/uucppublic:/sbin/nologin
cron:x:16:16:cron:/var/spool/cron:/sbin/nologin
ftp:x:21:21::/var/lib/ftp:/sbin/nologin
sshd:x:22:22:sshd:/dev/null:/sbin/nologin
games:x:35:35:games:/usr/games:/sbin/nologin
ntp:x:123:123:NTP:/var/empty:/sbin/nologin
guest:x:405:100:guest:/dev/null:/sbin/nologin
nobody:x:65534:65534:nobody:/:/sbin/nologin
`;
const ALPINE_GROUP = `root:x:0:root
bin:x:1:root,bin,daemon
daemon:x:2:root,bin,daemon
sys:x:3:root,bin
adm:x:4:root,daemon
tty:x:5:
disk:x:6:root
lp:x:7:lp
kmem:x:9:
wheel:x:10:root
floppy:x:11:root
mail:x:12:mail
news:x:13:news
uucp:x:14:uucp
cron:x:16:cron
audio:x:18:
cdrom:x:19:
dialout:x:20:root
ftp:x:21:
sshd:x:22:
input:x:23:
tape:x:26:root
video:x:27:root
netdev:x:28:
kvm:x:34:kvm
games:x:35:
shadow:x:42:
www-data:x:82:
users:x:100:games
ntp:x:123:
abuild:x:300:
utmp:x:406:
ping:x:999:
nogroup:x:65533:
nobody:x:65534:
`;
const shadowOf = (passwd) => passwd.split('\n').filter(Boolean).map((l) => {
  const n = l.split(':')[0];
  return n === 'root' ? 'root:*::0:::::' : `${n}:!::0:::::`;
}).join('\n') + '\n';

/** An Alpine package: name, version, installed size (KiB, from repo-info) and its files. */
function pkg(name, version, kib, files, meta = {}) {
  return { name, version, kib, files, ...meta };
}

const so = (lib, real) => [`f:/usr/lib/${real}`, `l:/usr/lib/${lib}>${real}`];

/** Package file lists of the Alpine base (alpine-minirootfs) for a release. */
function basePackages(v) {
  return [
    pkg('alpine-baselayout', '3.7.0-r0', 6.4, ['t:/etc/profile.d/color_prompt.sh.disabled', 't:/etc/profile.d/locale.sh', 't:/etc/profile.d/20locale.sh', 't:/etc/crontabs/root', 'f:/etc/modprobe.d/aliases.conf:1000', 'f:/etc/modprobe.d/blacklist.conf:1200', 'f:/etc/modprobe.d/i386.conf:122', 'f:/etc/modprobe.d/kms.conf:91', 'f:/etc/sysctl.d/00-alpine.conf:1300', 'f:/etc/periodic/15min/.keep:0'], { desc: 'Alpine base dir structure and init scripts', license: 'GPL-2.0-only' }),
    pkg('alpine-baselayout-data', '3.7.0-r0', 18, ['t:/etc/fstab', 't:/etc/group', 't:/etc/hostname', 't:/etc/hosts', 't:/etc/inittab', 't:/etc/modules', 't:/etc/motd', 't:/etc/mtab', 't:/etc/nsswitch.conf', 't:/etc/passwd', 't:/etc/profile', 'f:/etc/protocols:3144', 'f:/etc/services:12813', 't:/etc/shadow', 't:/etc/shells', 't:/etc/sysctl.conf'], { desc: 'Alpine base dir structure and init scripts', license: 'GPL-2.0-only' }),
    pkg('alpine-keys', '2.5-r0', 13, [...['4a6a0840', '5243ef4b', '524d27bb', '5261cecb', '58199dcc', '58cbb476', '58e4f17d', '5e69ca50', '60ac2099', '6165ee59', '61666e3f', '616a9724', '616abc23', '616ac3bc', '616adfeb', '616ae350', '616db30d', '66ba20fe'].map((k) => `f:/usr/share/apk/keys/alpine-devel@lists.alpinelinux.org-${k}.rsa.pub:451`)], { desc: 'Public keys for Alpine Linux packages', license: 'MIT' }),
    pkg('alpine-release', `${v.release}-r0`, 0.3, ['t:/etc/alpine-release', 't:/usr/lib/os-release', 'l:/etc/os-release>../usr/lib/os-release', 't:/etc/issue', 't:/etc/secfixes.d/alpine'], { desc: 'Alpine release data', license: 'MIT' }),
    pkg('apk-tools', v.apk, v.apk.startsWith('3') ? 112 : 68, ['f:/sbin/apk', 't:/etc/apk/arch', 't:/etc/apk/repositories', 't:/etc/apk/world'], { desc: 'Alpine Package Keeper - package manager for alpine', license: 'GPL-2.0-only' }),
    pkg('busybox', v.busybox, 798, ['f:/bin/busybox', 't:/etc/busybox-paths.d/busybox', 't:/etc/securetty', 't:/etc/udhcpc/udhcpc.conf', 'f:/etc/logrotate.d/acpid:80', 'f:/etc/network/if-up.d/dad:400', 'f:/usr/share/udhcpc/default.script:3600'], { desc: 'Size optimized toolbox of many common UNIX utilities', license: 'GPL-2.0-only' }),
    pkg('busybox-binsh', v.busybox, 0, ['l:/bin/sh>/bin/busybox'], { desc: 'busybox ash /bin/sh', license: 'GPL-2.0-only' }),
    pkg('ca-certificates-bundle', '20260909-r0', 177, ['f:/etc/ssl/certs/ca-certificates.crt', 'l:/etc/ssl/cert.pem>certs/ca-certificates.crt'], { desc: 'Pre generated bundle of Mozilla certificates', license: 'MPL-2.0 AND MIT' }),
    pkg(v.libapk, v.apk, v.apk.startsWith('3') ? 270 : 179, so(v.apk.startsWith('3') ? 'libapk.so.3.0' : 'libapk.so.2.14', v.apk.startsWith('3') ? 'libapk.so.3.0.0' : 'libapk.so.2.14.0').slice(0, 1), { desc: 'Alpine Package Keeper - package manager for alpine', license: 'GPL-2.0-only' }),
    pkg('libcrypto3', '3.5.8-r0', 5103, ['f:/usr/lib/libcrypto.so.3', 'f:/usr/lib/engines-3/afalg.so:20000', 'f:/usr/lib/engines-3/capi.so:14000', 'f:/usr/lib/engines-3/loader_attic.so:58000', 'f:/usr/lib/engines-3/padlock.so:14000', 'f:/usr/lib/ossl-modules/legacy.so:126000', 't:/etc/ssl/ct_log_list.cnf', 't:/etc/ssl/ct_log_list.cnf.dist', 'f:/etc/ssl/openssl.cnf:12324', 'f:/etc/ssl/openssl.cnf.dist:12324', 'd:/etc/ssl/certs', 'd:/etc/ssl/private'], { desc: 'Crypto library from openssl', license: 'Apache-2.0' }),
    pkg('libssl3', '3.5.8-r0', 823, ['f:/usr/lib/libssl.so.3'], { desc: 'SSL shared libraries', license: 'Apache-2.0' }),
    pkg('musl', v.musl, 646, [`f:/lib/ld-musl-x86_64.so.1`, `l:/lib/libc.musl-x86_64.so.1>ld-musl-x86_64.so.1`], { desc: 'the musl c library (libc) implementation', license: 'MIT' }),
    pkg('musl-utils', v.musl, 54, ['f:/sbin/ldconfig:400', 'f:/usr/bin/getconf', 'f:/usr/bin/getent:9000', 'f:/usr/bin/iconv:22000', 'l:/usr/bin/ldd>../../lib/ld-musl-x86_64.so.1'], { desc: 'the musl c library (libc) implementation', license: 'MIT AND BSD-2-Clause AND GPL-2.0-or-later' }),
    pkg('scanelf', '1.3.8-r1', 65, ['f:/usr/bin/scanelf'], { desc: 'Scan ELF binaries for stuff', license: 'GPL-2.0-only' }),
    pkg('ssl_client', v.busybox, 14, ['f:/usr/bin/ssl_client'], { desc: 'External ssl_client for busybox wget', license: 'GPL-2.0-only' }),
    pkg('zlib', '1.3.2-r0', 101, ['f:/usr/lib/libz.so.1.3.2', 'l:/usr/lib/libz.so.1>libz.so.1.3.2'], { desc: 'A compression/decompression Library', license: 'Zlib' }),
  ];
}

/** Installs package files into a tree; the first unsized file of each package takes the remaining installed size. */
function installApks(t, pkgs, texts) {
  for (const p of pkgs) {
    let left = Math.round(p.kib * K);
    const sized = [];
    for (const f of p.files) {
      const [kind, rest] = [f[0], f.slice(2)];
      if (kind === 'f') {
        const [path, size] = rest.split(':');
        if (size !== undefined) {
          t.file(path, { size: Number(size), mode: modeOf(path) });
          left -= Number(size);
        } else sized.push(path);
      } else if (kind === 't') {
        const text = texts[rest] ?? '';
        t.file(rest, { text, mode: rest === '/etc/shadow' ? 0o640 : rest === '/etc/crontabs/root' ? 0o600 : 0o644, gid: rest === '/etc/shadow' ? 42 : 0 });
        left -= Buffer.byteLength(text);
      } else if (kind === 'l') {
        const [path, target] = rest.split('>');
        t.symlink(path, target);
      } else if (kind === 'd') t.dir(rest);
    }
    sized.forEach((path, i) => {
      const size = i === 0 ? Math.max(left - 4096 * (sized.length - 1), 0) : 4096;
      t.file(path, { size, mode: modeOf(path) });
    });
  }
}
const modeOf = (p) => (/\/(s?bin)\/|\.so(\.|$)|ld-musl/.test(p) ? 0o755 : 0o644);

/** /lib/apk/db/installed in apk's text format (C, P, V, A, S, I, T, U, L, o, m, t, c, F, R, a, Z lines). */
function apkInstalled(t, pkgs, arch = 'x86_64') {
  const q1 = (s) => 'Q1' + createHash('sha1').update(s).digest('base64');
  const out = [];
  for (const p of pkgs) {
    out.push(`C:${q1(p.name + p.version)}`, `P:${p.name}`, `V:${p.version}`, `A:${arch}`, `S:${Math.round(p.kib * K * 0.45)}`,
      `I:${Math.round(p.kib * K)}`, `T:${p.desc ?? p.name}`, `U:${p.url ?? 'https://alpinelinux.org'}`, `L:${p.license ?? 'MIT'}`,
      `o:${p.origin ?? p.name}`, `m:${p.maintainer ?? 'Natanael Copa <ncopa@alpinelinux.org>'}`, `t:1758000000`, `c:${createHash('sha1').update(p.name).digest('hex')}`);
    const byDir = new Map();
    for (const f of p.files) {
      if (f[0] === 'd') continue;
      const path = f.slice(2).split(/[:>]/)[0].slice(1);
      const i = path.lastIndexOf('/');
      const d = path.slice(0, i);
      if (!byDir.has(d)) byDir.set(d, []);
      byDir.get(d).push(path.slice(i + 1));
    }
    for (const [d, names] of byDir) {
      out.push(`F:${d}`);
      for (const n of names) out.push(`R:${n}`, `Z:${q1(p.name + d + n)}`);
    }
    out.push('');
  }
  t.file('/lib/apk/db/installed', { text: out.join('\n') + '\n' });
}

/** Every file of an alpine-minirootfs for the release `v`. */
export function buildAlpineBase(v) {
  const t = new GenTree();
  for (const d of ['/dev', '/home', '/media/cdrom', '/media/floppy', '/media/usb', '/mnt', '/opt', '/proc', '/run', '/srv', '/sys', '/usr/local/bin', '/usr/local/lib', '/usr/local/share', '/usr/share/man', '/usr/share/misc', '/var/cache/misc', '/var/lib/misc', '/var/local', '/var/log', '/var/mail', '/var/opt', '/var/spool/mail', '/etc/apk/protected_paths.d', '/etc/conf.d', '/etc/init.d', '/etc/modules-load.d', '/etc/network/if-down.d', '/etc/network/if-post-down.d', '/etc/network/if-pre-up.d', '/etc/opt', '/etc/periodic/daily', '/etc/periodic/hourly', '/etc/periodic/monthly', '/etc/periodic/weekly', '/lib/firmware', '/lib/modules-load.d', '/lib/sysctl.d', '/usr/lib/modules-load.d', '/var/lib/udhcpd']) t.dir(d);
  t.dir('/root', 0o700);
  t.dir('/tmp', 0o1777);
  t.dir('/var/tmp', 0o1777);
  t.dir('/var/empty', 0o555);
  t.dir('/etc/crontabs', 0o755);
  t.dir('/var/spool/cron');
  t.symlink('/var/spool/cron/crontabs', '/etc/crontabs');
  t.symlink('/var/lock', '../run/lock');
  t.symlink('/var/run', '../run');
  t.symlink('/var/spool/mail', '../mail');
  const minor = v.release.split('.').slice(0, 2).join('.');
  const appletList = applets();
  const texts = {
    '/etc/alpine-release': `${v.release}\n`,
    '/usr/lib/os-release': `NAME="Alpine Linux"\nID=alpine\nVERSION_ID=${v.release}\nPRETTY_NAME="Alpine Linux v${minor}"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n`,
    '/etc/issue': `Welcome to Alpine Linux ${minor}\nKernel \\r on \\m (\\l)\n\n`,
    '/etc/passwd': ALPINE_PASSWD,
    '/etc/group': ALPINE_GROUP,
    '/etc/shadow': shadowOf(ALPINE_PASSWD),
    '/etc/hostname': 'localhost\n',
    '/etc/hosts': '127.0.0.1\tlocalhost localhost.localdomain\n::1\t\tlocalhost localhost.localdomain\n',
    '/etc/fstab': '/dev/cdrom\t/media/cdrom\tiso9660\tnoauto,ro 0 0\n/dev/usbdisk\t/media/usb\tvfat\tnoauto,ro 0 0\n',
    '/etc/shells': '# valid login shells\n/bin/sh\n/bin/ash\n',
    '/etc/modules': 'af_packet\nipv6\n',
    '/etc/motd': 'Welcome to Alpine!\n\nThe Alpine Wiki contains a large amount of how-to guides and general\ninformation about administrating Alpine systems.\nSee <https://wiki.alpinelinux.org/>.\n\nYou can setup the system with the command: setup-alpine\n\nYou may change this message by editing /etc/motd.\n\n',
    '/etc/mtab': '',
    '/etc/nsswitch.conf': '# musl itself does not support NSS, however some third-party DNS\n# implementations use the nsswitch.conf file to determine what\n# policy to follow.\n# Editing this file is not recommended.\nhosts: files dns\n',
    '/etc/inittab': '# /etc/inittab\n\n::sysinit:/sbin/openrc sysinit\n::sysinit:/sbin/openrc boot\n::wait:/sbin/openrc default\n\n# Set up a couple of getty\'s\ntty1::respawn:/sbin/getty 38400 tty1\ntty2::respawn:/sbin/getty 38400 tty2\ntty3::respawn:/sbin/getty 38400 tty3\ntty4::respawn:/sbin/getty 38400 tty4\ntty5::respawn:/sbin/getty 38400 tty5\ntty6::respawn:/sbin/getty 38400 tty6\n\n# Put a getty on the serial port\n#ttyS0::respawn:/sbin/getty -L 115200 ttyS0 vt100\n\n# Stuff to do for the 3-finger salute\n::ctrlaltdel:/sbin/reboot\n\n# Stuff to do before rebooting\n::shutdown:/sbin/openrc shutdown\n',
    '/etc/profile': 'export CHARSET=UTF-8\nexport LANG=C.UTF-8\nexport LC_COLLATE=C\n\nappend_path () {\n\tcase ":$PATH:" in\n\t\t*:"$1":*)\n\t\t\t;;\n\t\t*)\n\t\t\tPATH="${PATH:+$PATH:}$1"\n\tesac\n}\n\nappend_path "/usr/local/sbin"\nappend_path "/usr/local/bin"\nappend_path "/usr/sbin"\nappend_path "/usr/bin"\nappend_path "/sbin"\nappend_path "/bin"\nunset -f append_path\n\nexport PATH\nexport PAGER=less\numask 022\n\n# set up fallback default PS1\n: "${HOSTNAME:=$(hostname)}"\nPS1=\'${HOSTNAME%%.*}:$PWD\'\n[ "$(id -u)" -eq 0 ] && PS1="${PS1}# " || PS1="${PS1}\\$ "\n\n# use nicer PS1 for bash and busybox ash\n[ -n "$BASH_VERSION" -o "$BB_ASH_VERSION" ] && PS1=\'\\h:\\w\\$ \'\n\n# use nicer PS1 for zsh\n[ -n "$ZSH_VERSION" ] && PS1=\'%m:%~%# \'\n\n# export PS1 as before\nexport PS1\n\nfor script in /etc/profile.d/*.sh ; do\n\tif [ -r "$script" ] ; then\n\t\t. "$script"\n\tfi\ndone\nunset script\n',
    '/etc/sysctl.conf': '# content of this file will override /etc/sysctl.d/*\n',
    '/etc/securetty': 'console\ntty1\ntty2\ntty3\ntty4\ntty5\ntty6\ntty7\ntty8\ntty9\ntty10\ntty11\nttyS0\n',
    '/etc/crontabs/root': '# do daily/weekly/monthly maintenance\n# min\thour\tday\tmonth\tweekday\tcommand\n*/15\t*\t*\t*\t*\trun-parts /etc/periodic/15min\n0\t*\t*\t*\t*\trun-parts /etc/periodic/hourly\n0\t2\t*\t*\t*\trun-parts /etc/periodic/daily\n0\t3\t*\t*\t6\trun-parts /etc/periodic/weekly\n0\t5\t1\t*\t*\trun-parts /etc/periodic/monthly\n',
    '/etc/profile.d/locale.sh': '# This file is intentionally empty; locale settings are in /etc/profile.\n',
    '/etc/profile.d/20locale.sh': 'export CHARSET=${CHARSET:-UTF-8}\nexport LANG=${LANG:-C.UTF-8}\nexport LC_COLLATE=${LC_COLLATE:-C}\n',
    '/etc/profile.d/color_prompt.sh.disabled': '# Setup a red prompt for root and a green one for users.\n# rename this file to color_prompt.sh to actually enable it\nNORMAL="\\[\\e[0m\\]"\nRED="\\[\\e[1;31m\\]"\nGREEN="\\[\\e[1;32m\\]"\nif [ "$USER" = root ]; then\n\tPS1="$RED\\h [$NORMAL\\w$RED]# $NORMAL"\nelse\n\tPS1="$GREEN\\h [$NORMAL\\w$GREEN]\\$ $NORMAL"\nfi\n',
    '/etc/apk/arch': 'x86_64\n',
    '/etc/apk/repositories': `https://dl-cdn.alpinelinux.org/alpine/v${minor}/main\nhttps://dl-cdn.alpinelinux.org/alpine/v${minor}/community\n`,
    '/etc/apk/world': 'alpine-baselayout\nalpine-keys\nalpine-release\napk-tools\nbusybox\nca-certificates-bundle\nlibc-utils\n',
    '/etc/busybox-paths.d/busybox': appletList.map((p) => p.slice(1)).join('\n') + '\n',
    '/etc/udhcpc/udhcpc.conf': '# udhcpc configuration\n#RESOLV_CONF="no"\n',
    '/etc/secfixes.d/alpine': 'secfixes:\n  3.12.6-r0:\n    - CVE-2021-23840\n',
    '/etc/ssl/ct_log_list.cnf': '# This file specifies the Certificate Transparency logs\n# that are to be trusted.\n\n# Google\'s list of logs can be found here:\n#       www.certificate-transparency.org/known-logs\n# Arrange for you to save the content of that list to a file\n# and then set this to that file\'s name.\n',
    '/etc/ssl/ct_log_list.cnf.dist': '# This file specifies the Certificate Transparency logs\n# that are to be trusted.\n\n# Google\'s list of logs can be found here:\n#       www.certificate-transparency.org/known-logs\n# Arrange for you to save the content of that list to a file\n# and then set this to that file\'s name.\n',
  };
  const pkgs = basePackages(v);
  installApks(t, pkgs, texts);
  for (const p of appletList) if (p !== '/bin/busybox' && p !== '/bin/sh') t.symlink(p, '/bin/busybox');
  for (const k of pkgs.find((p) => p.name === 'alpine-keys').files) {
    const f = k.slice(2).split(':')[0];
    t.symlink('/etc/apk/keys/' + f.split('/').pop(), f);
  }
  apkInstalled(t, pkgs);
  t.file('/lib/apk/db/lock', { text: '', mode: 0o600 });
  t.file('/lib/apk/db/triggers', { text: 'Q1' + 'm'.repeat(27) + '= /usr/share/udhcpc\n' });
  t.file('/lib/apk/db/scripts.tar', { size: 10240 });
  t.dir('/lib/apk/exec');
  return { tree: t, pkgs };
}

/** Adds packages on top of a base in a new layer (what `apk add` leaves in a RUN layer). */
export function apkAddLayer(base, extra, { world, passwd, group, shadow } = {}) {
  const t = new GenTree();
  installApks(t, extra, {});
  apkInstalled(t, [...base.pkgs, ...extra]);
  t.file('/lib/apk/db/scripts.tar', { size: 10240 + 2048 * extra.length });
  t.file('/lib/apk/db/triggers', { text: 'Q1' + 'm'.repeat(27) + '= /usr/share/udhcpc\n' });
  if (world) t.file('/etc/apk/world', { text: world });
  if (passwd) t.file('/etc/passwd', { text: passwd });
  if (group) t.file('/etc/group', { text: group });
  if (shadow) t.file('/etc/shadow', { text: shadow, mode: 0o640, gid: 42 });
  return t;
}

export { ALPINE_PASSWD, ALPINE_GROUP, shadowOf, pkg, so };

const BUSYBOX_PASSWD = `root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
`;
const BUSYBOX_GROUP = `root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
kmem:x:9:
wheel:x:10:root
cdrom:x:11:
dialout:x:18:
floppy:x:19:
video:x:28:
audio:x:29:
tape:x:32:
www-data:x:33:
operator:x:37:
utmp:x:43:
plugdev:x:46:
staff:x:50:
lock:x:54:
netdev:x:82:
users:x:100:
nogroup:x:65534:
`;

/**
 * busybox:1.37.0 (glibc variant, the default): one static-ish busybox binary hard-linked under
 * every applet name in /bin, plus the few glibc libraries and /etc files docker-library/busybox ships.
 */
export function buildBusybox({ targetSize }) {
  const t = new GenTree();
  for (const d of ['/dev', '/home', '/proc', '/sys', '/usr/sbin', '/var/spool/mail', '/var/www']) t.dir(d);
  t.dir('/root', 0o700);
  t.dir('/tmp', 0o1777);
  t.dir('/etc/network/if-down.d');
  t.dir('/etc/network/if-post-down.d');
  t.dir('/etc/network/if-pre-up.d');
  t.dir('/etc/network/if-up.d');
  t.file('/etc/passwd', { text: BUSYBOX_PASSWD });
  t.file('/etc/group', { text: BUSYBOX_GROUP });
  t.file('/etc/shadow', { text: BUSYBOX_PASSWD.split('\n').filter(Boolean).map((l) => `${l.split(':')[0]}:${l.startsWith('root') ? '' : '*'}:10933:0:99999:7:::`).join('\n') + '\n', mode: 0o640 });
  t.file('/etc/localtime', { size: 114 });
  t.file('/etc/nsswitch.conf', { text: 'hosts:\t\tfiles dns\nnetworks:\tfiles\n\npasswd:\t\tfiles\ngroup:\t\tfiles\nshadow:\t\tfiles\n\nprotocols:\tfiles\nservices:\tfiles\nethers:\t\tfiles\nrpc:\t\tfiles\n' });
  // glibc pieces copied from Debian 12 (real sizes from bookworm's libc6 2.36).
  const libs = { 'libc.so.6': 1926232, 'ld-linux-x86-64.so.2': 210968, 'libm.so.6': 907784, 'libresolv.so.2': 68552, 'libnss_dns.so.2': 14368, 'libnss_files.so.2': 14368, 'libpthread.so.0': 14480 };
  let used = 0;
  for (const [n, s] of Object.entries(libs)) {
    t.file(`/lib/${n}`, { size: s, mode: 0o755 });
    used += s;
  }
  t.symlink('/lib64', 'lib');
  for (const f of t.entries.values()) if (f.type === 'f' && f.text !== undefined) used += f.size;
  t.file('/bin/busybox', { size: targetSize - used - 114, mode: 0o755 });
  for (const p of applets()) {
    const name = p.split('/').pop();
    if (name !== 'busybox') t.hardlink(`/bin/${name}`, '/bin/busybox');
  }
  return t;
}
