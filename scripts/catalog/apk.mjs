#!/usr/bin/env node
// The offline Alpine package index `apk add` installs from: public/catalog/apk/index.json.
//   node scripts/catalog/apk.mjs
// Alpine's archive (dl-cdn.alpinelinux.org) is not reachable from the generating machine, so every
// figure here is a documented estimate (see src/engine/shell/packages/README.md, "apk"):
// - names, origins, dependencies, licences and descriptions follow Alpine 3.22's aports as known;
// - versions are those of the v3.22 branch as known (the base packages take the versions the
//   installed database of each catalog image already lists);
// - installed sizes (KiB) are estimates within about ±30 %, package sizes (.apk download) are
//   estimated as 40 % of the installed size;
// - file lists take the real file list of the matching Debian bookworm package(s) from the apt
//   catalog (public/catalog/apt/bookworm/pkg), with Alpine's layout applied (no docs, man pages or
//   locales, which Alpine splits into -doc and -lang packages; /usr/lib instead of the multiarch
//   directory), scaled to the Alpine installed size; packages without a Debian counterpart get
//   their main file(s) only.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const APT = join(ROOT, 'public/catalog/apt/bookworm/pkg');
const OUT = join(ROOT, 'public/catalog/apk');

// name | version | installed KiB | depends | Debian source packages for the file list | repo | description | licence | url
// `-` means none. A `.` in the Debian column means "main file only": /usr/bin/<name>.
const SPEC = `
curl|8.14.1-r2|263|ca-certificates-bundle libcurl zlib|curl|main|URL retrival utility and library|curl|https://curl.se/
libcurl|8.14.1-r2|740|brotli-libs c-ares libidn2 libpsl nghttp2-libs zstd-libs libssl3 libcrypto3 zlib|libcurl4|main|The multiprotocol file transfer library|curl|https://curl.se/
ca-certificates|20250911-r0|680|ca-certificates-bundle|ca-certificates|main|Common CA certificates PEM files from Mozilla|MPL-2.0 AND MIT|https://www.mozilla.org/en-US/about/governance/policies/security-group/certs/
brotli-libs|1.1.0-r2|785|-|libbrotli1|main|Generic lossless compressor (libraries)|MIT|https://github.com/google/brotli
c-ares|1.34.5-r0|207|-|libc-ares2|main|An asynchronously DNS/names resolver library|MIT|https://c-ares.org/
libidn2|2.3.7-r0|136|libunistring|libidn2-0|main|Encode/Decode library for internationalized domain names|GPL-2.0-or-later OR LGPL-3.0-or-later|https://www.gnu.org/software/libidn#libidn2
libunistring|1.3-r0|1730|-|libunistring2|main|Library for manipulating Unicode strings and C strings|GPL-2.0-or-later OR LGPL-3.0-or-later|https://www.gnu.org/software/libunistring/
libpsl|0.21.5-r3|24|-|libpsl5|main|C library for the Publix Suffix List|MIT|https://rockdaboot.github.io/libpsl
nghttp2-libs|1.65.0-r0|171|-|libnghttp2-14|main|Experimental HTTP/2 client, server and proxy (libraries)|MIT|https://nghttp2.org
zstd-libs|1.5.7-r0|793|-|libzstd1|main|Zstandard - Fast real-time compression algorithm (libraries)|BSD-3-Clause OR GPL-2.0-or-later|https://www.zstd.net
zstd|1.5.7-r0|350|zstd-libs|.|main|Zstandard - Fast real-time compression algorithm|BSD-3-Clause OR GPL-2.0-or-later|https://www.zstd.net
wget|1.25.0-r1|522|libidn2 libunistring pcre2 libssl3 libcrypto3 zlib|wget|main|Network utility to retrieve files from the Web|GPL-3.0-or-later WITH OpenSSL-Exception|https://www.gnu.org/software/wget/wget.html
pcre2|10.46-r0|725|-|libpcre2-8-0|main|Perl-compatible regular expression library|BSD-3-Clause|https://pcre.org/
bash|5.2.37-r0|1216|readline ncurses-terminfo-base|.|main|The GNU Bourne Again shell|GPL-3.0-or-later|https://www.gnu.org/software/bash/bash.html
readline|8.2.13-r1|263|libncursesw|libreadline8|main|GNU readline library|GPL-3.0-or-later|https://tiswww.cwru.edu/php/chet/readline/rltop.html
libncursesw|6.5_p20250503-r0|400|ncurses-terminfo-base|libncursesw6|main|Console display library (libncursesw)|X11|https://invisible-island.net/ncurses/
ncurses-terminfo-base|6.5_p20250503-r0|17|-|ncurses-base|main|Descriptions of common terminals|X11|https://invisible-island.net/ncurses/
ncurses|6.5_p20250503-r0|380|libncursesw ncurses-terminfo-base|ncurses-bin|main|Console display library|X11|https://invisible-island.net/ncurses/
libpanelw|6.5_p20250503-r0|18|libncursesw|.|main|Console display library (libpanelw)|X11|https://invisible-island.net/ncurses/
git|2.49.1-r0|13740|libcurl expat pcre2 zlib|git|main|Distributed version control system|GPL-2.0-or-later|https://www.git-scm.com/
git-lfs|3.6.1-r4|11500|git|git-lfs|community|Git extension for versioning large files|MIT|https://git-lfs.github.com/
expat|2.7.1-r0|201|-|libexpat1|main|XML Parser library written in C|MIT|https://libexpat.github.io/
openssh-client-common|10.0_p1-r7|2900|libcrypto3 zlib|openssh-client|main|OpenBSD's SSH client common files|SSH-OpenSSH|https://www.openssh.com/portable.html
openssh-client-default|10.0_p1-r7|1060|openssh-client-common openssh-keygen|.|main|OpenBSD's SSH client|SSH-OpenSSH|https://www.openssh.com/portable.html
openssh-keygen|10.0_p1-r7|470|libcrypto3|.|main|ssh helper program for generating keys|SSH-OpenSSH|https://www.openssh.com/portable.html
openssh-client|10.0_p1-r7|0|openssh-client-default|-|main|OpenBSD's SSH client (virtual)|SSH-OpenSSH|https://www.openssh.com/portable.html
openssh-server|10.0_p1-r7|1150|openssh-keygen openssh-server-common|openssh-server|main|OpenSSH server|SSH-OpenSSH|https://www.openssh.com/portable.html
openssh-server-common|10.0_p1-r7|6|-|.|main|OpenSSH server common files|SSH-OpenSSH|https://www.openssh.com/portable.html
openssh|10.0_p1-r7|0|openssh-client openssh-server|-|main|Port of OpenBSD's free SSH release|SSH-OpenSSH|https://www.openssh.com/portable.html
openssl|3.5.8-r0|1300|libcrypto3 libssl3|openssl|main|Toolkit for Transport Layer Security (TLS)|Apache-2.0|https://www.openssl.org/
openssl-dev|3.5.8-r0|2920|libcrypto3 libssl3 pkgconf|libssl-dev|main|Toolkit for Transport Layer Security (TLS) (development files)|Apache-2.0|https://www.openssl.org/
tzdata|2025b-r0|1430|-|tzdata|main|Timezone data|Public-Domain|https://www.iana.org/time-zones
jq|1.8.0-r0|370|oniguruma|jq libjq1|main|A lightweight and flexible command-line JSON processor|MIT|https://jqlang.github.io/jq/
oniguruma|6.9.10-r0|540|-|libonig5|main|a regular expressions library|BSD-2-Clause|https://github.com/kkos/oniguruma
make|4.4.1-r3|270|-|make|main|GNU make utility to maintain groups of programs|GPL-3.0-or-later|https://www.gnu.org/software/make
gcc|14.2.0-r6|104000|binutils libgcc libstdc++ libgomp libatomic gmp isl26 mpc1 mpfr4 zlib zstd-libs|gcc-12 cpp-12 libgcc-12-dev|main|The GNU Compiler Collection|GPL-2.0-or-later AND LGPL-2.1-or-later|https://gcc.gnu.org
g++|14.2.0-r6|36600|gcc libstdc++-dev musl-dev|g++-12 libstdc++-12-dev|main|GNU C++ standard library and compiler|GPL-2.0-or-later AND LGPL-2.1-or-later|https://gcc.gnu.org
libstdc++-dev|14.2.0-r6|20300|libstdc++|libstdc++-12-dev|main|GNU C++ standard runtime library (development files)|GPL-2.0-or-later AND LGPL-2.1-or-later|https://gcc.gnu.org
libstdc++|14.2.0-r6|2740|libgcc|libstdc++6|main|GNU C++ standard runtime library|GPL-2.0-or-later AND LGPL-2.1-or-later|https://gcc.gnu.org
libgcc|14.2.0-r6|169|-|libgcc-s1|main|GNU C compiler runtime libraries|GPL-2.0-or-later AND LGPL-2.1-or-later|https://gcc.gnu.org
libgomp|14.2.0-r6|318|-|libgomp1|main|GCC shared-memory parallel programming API library|GPL-2.0-or-later AND LGPL-2.1-or-later|https://gcc.gnu.org
libatomic|14.2.0-r6|42|-|libatomic1|main|GCC Atomic library|GPL-2.0-or-later AND LGPL-2.1-or-later|https://gcc.gnu.org
gmp|6.3.0-r3|420|-|libgmp10|main|free library for arbitrary precision arithmetic|LGPL-3.0-or-later OR GPL-2.0-or-later|https://gmplib.org/
isl26|0.26-r1|2600|gmp|libisl23|main|An Integer Set Library for the Polyhedral Model|MIT|https://libisl.sourceforge.io
mpc1|1.3.1-r1|110|gmp mpfr4|libmpc3|main|Multiprecision C library|LGPL-3.0-or-later|https://www.multiprecision.org/
mpfr4|4.2.1_p1-r0|520|gmp|libmpfr6|main|multiple-precision floating-point library|LGPL-3.0-or-later|https://www.mpfr.org/
binutils|2.44-r3|10800|libstdc++ jansson zlib zstd-libs|binutils binutils-x86-64-linux-gnu libbinutils libctf0 libctf-nobfd0 libgprofng0|main|Tools necessary to build programs|GPL-2.0-or-later AND LGPL-2.0-or-later AND GPL-3.0-or-later|https://www.gnu.org/software/binutils/
jansson|2.14.1-r0|82|-|libjansson4|main|easy to use C library for working with JSON data|MIT|https://www.digip.org/jansson/
musl-dev|1.2.5-r12|10780|-|libc6-dev|main|the musl c library (libc) implementation (development files)|MIT|https://musl.libc.org/
libc-dev|0.7.2-r6|4|musl-dev|-|main|Meta package to pull in correct libc|BSD-2-Clause AND BSD-3-Clause|https://alpinelinux.org
fortify-headers|1.1-r5|98|-|.|main|libc-agnostic implementation of FORTIFY_SOURCE|0BSD|https://git.2f30.org/fortify-headers/
patch|2.8-r0|115|-|patch|main|Utility to apply diffs to files|GPL-3.0-or-later|https://www.gnu.org/software/patch/patch.html
file|5.46-r2|170|libmagic|file|main|File type identification utility|BSD-2-Clause|https://www.darwinsys.com/file
libmagic|5.46-r2|9900|-|libmagic1 libmagic-mgc|main|File type identification library|BSD-2-Clause|https://www.darwinsys.com/file
build-base|0.5-r3|0|binutils file gcc g++ make libc-dev fortify-headers patch|-|main|Meta package for build base|MIT|https://alpinelinux.org
linux-headers|6.14.2-r0|6700|-|linux-libc-dev|main|Linux system headers|GPL-2.0-only|https://kernel.org/
pkgconf|2.4.3-r0|145|-|pkgconf pkgconf-bin libpkgconf3|main|development framework configuration tools|ISC|https://gitea.treehouse.systems/ariadne/pkgconf
autoconf|2.72-r1|2000|m4 perl|autoconf|main|A GNU tool for automatically configuring source code|GPL-2.0-or-later|https://www.gnu.org/software/autoconf
automake|1.17-r1|1700|perl|automake|main|GNU tool for automatically creating Makefiles|GPL-2.0-or-later|https://www.gnu.org/software/automake
libtool|2.5.4-r1|2400|bash libltdl|libtool|main|A generic library support script|LGPL-2.0-or-later AND GPL-2.0-or-later|https://www.gnu.org/software/libtool
libltdl|2.5.4-r1|40|-|libltdl7|main|Runtime libraries for GNU Libtool Dynamic Module Loader|LGPL-2.0-or-later AND GPL-2.0-or-later|https://www.gnu.org/software/libtool
m4|1.4.19-r4|270|-|m4|main|GNU macro processor|GPL-3.0-or-later|https://www.gnu.org/software/m4
perl|5.40.3-r0|38000|-|perl perl-modules-5.36 libperl5.36|main|Larry Wall's Practical Extraction and Report Language|Artistic-1.0-Perl OR GPL-1.0-or-later|https://www.perl.org/
cmake|4.0.3-r0|43000|libcurl expat libarchive libuv rhash-libs zlib libstdc++|cmake cmake-data|main|Cross-platform, open-source make system|BSD-3-Clause|https://www.cmake.org/
libarchive|3.8.1-r0|880|acl-libs bzip2 expat lz4-libs xz-libs zlib zstd-libs|libarchive13|main|library that can create and read several streaming archive formats|BSD-2-Clause AND BSD-3-Clause|https://libarchive.org/
libuv|1.51.0-r0|210|-|libuv1|main|Cross-platform asychronous I/O|MIT AND CC-BY-4.0|https://libuv.org/
rhash-libs|1.4.6-r0|210|-|.|main|Utility for calculation and verification of hash sums (libraries)|0BSD|https://rhash.sourceforge.net/
acl-libs|2.3.2-r1|40|-|libacl1|main|Access control list utilities (libraries)|LGPL-2.1-or-later AND GPL-2.0-or-later|https://savannah.nongnu.org/projects/acl
bzip2|1.0.8-r6|300|libbz2|bzip2|main|A high-quality data compression program|bzip2-1.0.6|https://sourceware.org/bzip2/
libbz2|1.0.8-r6|72|-|libbz2-1.0|main|Shared library for bzip2|bzip2-1.0.6|https://sourceware.org/bzip2/
lz4-libs|1.10.0-r0|140|-|liblz4-1|main|LZ4 is lossless compression algorithm with fast decoder @ multiple GB/s per core. (libraries)|BSD-2-Clause AND GPL-2.0-only|https://github.com/lz4/lz4
xz-libs|5.8.1-r0|204|-|liblzma5|main|Library and CLI tools for XZ and LZMA compressed files (libraries)|0BSD AND GPL-2.0-or-later AND LGPL-2.1-or-later|https://tukaani.org/xz
xz|5.8.1-r0|170|xz-libs|xz-utils|main|Library and CLI tools for XZ and LZMA compressed files|0BSD AND GPL-2.0-or-later AND LGPL-2.1-or-later|https://tukaani.org/xz
python3|3.12.12-r0|48000|libbz2 libffi gdbm xz-libs mpdecimal libpanelw readline sqlite-libs|python3.11 python3.11-minimal libpython3.11-minimal libpython3.11-stdlib|main|A high-level scripting language|PSF-2.0|https://www.python.org/
python3-dev|3.12.12-r0|12000|python3 pkgconf|libpython3.11-dev python3.11-dev|main|A high-level scripting language (development files)|PSF-2.0|https://www.python.org/
py3-pip|25.1.1-r0|12500|python3 py3-setuptools|python3-pip|main|Tool for installing and managing Python packages|MIT|https://pip.pypa.io/
py3-setuptools|80.9.0-r0|4900|python3|python3-setuptools|main|Collection of enhancements to the Python3 distutils|MIT|https://setuptools.readthedocs.io/
py3-wheel|0.46.1-r0|200|python3|python3-wheel|main|built-package format for Python|MIT|https://github.com/pypa/wheel
libffi|3.4.8-r0|46|-|libffi8|main|portable, high level programming interface to various calling conventions.|MIT|https://sourceware.org/libffi/
libffi-dev|3.4.8-r0|48|libffi linux-headers|libffi-dev|main|portable, high level programming interface to various calling conventions. (development files)|MIT|https://sourceware.org/libffi/
gdbm|1.24-r0|230|-|libgdbm6|main|GNU dbm is a set of database routines that use extensible hashing|GPL-3.0-or-later|https://www.gnu.org/software/gdbm/
mpdecimal|4.0.1-r0|210|-|.|main|complete implementation of the General Decimal Arithmetic Specification|BSD-2-Clause|https://www.bytereef.org/mpdecimal/index.html
sqlite-libs|3.49.2-r1|1600|-|libsqlite3-0|main|Sqlite3 library|blessing|https://www.sqlite.org/
sqlite|3.49.2-r1|1800|sqlite-libs readline|sqlite3|main|C library that implements an SQL database engine|blessing|https://www.sqlite.org/
zlib-dev|1.3.1-r2|200|pkgconf|zlib1g-dev|main|A compression/decompression Library (development files)|Zlib|https://zlib.net/
nodejs|22.16.0-r2|49000|ada-libs brotli-libs c-ares icu-libs libcrypto3 libssl3 libstdc++ libgcc nghttp2-libs simdjson simdutf sqlite-libs zlib zstd-libs|.|main|JavaScript runtime built on V8 engine - LTS version|MIT|https://nodejs.org/
npm|11.3.0-r1|9700|nodejs|.|community|The package manager for JavaScript|Artistic-2.0|https://docs.npmjs.com/cli/
yarn|1.22.22-r1|5400|nodejs|.|community|Fast, reliable, and secure dependency management for Node.js|BSD-2-Clause|https://classic.yarnpkg.com/
ada-libs|2.9.2-r4|380|libstdc++|.|main|WHATWG-compliant and fast URL parser written in modern C++ (libraries)|Apache-2.0 OR MIT|https://github.com/ada-url/ada
icu-libs|76.1-r0|2350|icu-data-en libstdc++|libicu72|main|International Components for Unicode library (libraries)|ICU|https://icu.unicode.org/
icu-data-en|76.1-r0|2900|-|.|main|Stripped down ICU data with only en_US/GB locale and no legacy charset converters|ICU|https://icu.unicode.org/
icu-data-full|76.1-r0|30000|-|icu-devtools|main|Full ICU data|ICU|https://icu.unicode.org/
simdjson|3.13.0-r0|1050|libstdc++|.|main|Parsing gigabytes of JSON per second (libraries)|Apache-2.0|https://simdjson.org/
simdutf|7.3.0-r0|1430|libstdc++|.|main|Unicode validation and transcoding at billions of characters per second (libraries)|Apache-2.0 OR MIT|https://simdutf.github.io/simdutf/
postgresql17-client|17.6-r0|2000|libpq readline lz4-libs zstd-libs|postgresql-client-15|main|PostgreSQL client|PostgreSQL|https://www.postgresql.org/
postgresql-client|17-r3|0|postgresql17-client|-|main|PostgreSQL client (version-independent)|PostgreSQL|https://www.postgresql.org/
libpq|17.6-r0|400|libssl3 libcrypto3|libpq5|main|PostgreSQL client library|PostgreSQL|https://www.postgresql.org/
libpq-dev|17.6-r0|620|libpq openssl-dev|libpq-dev|main|PostgreSQL client library (development files)|PostgreSQL|https://www.postgresql.org/
postgresql-dev|17-r3|0|libpq-dev|-|main|PostgreSQL development files (version-independent)|PostgreSQL|https://www.postgresql.org/
mariadb-client|11.4.7-r0|4400|mariadb-common libstdc++ libgcc ncurses-terminfo-base libncursesw pcre2 libssl3 libcrypto3 zlib|default-mysql-client|main|The MariaDB client|GPL-2.0-or-later|https://www.mariadb.org/
mysql-client|11.4.7-r0|0|mariadb-client|-|main|The MariaDB client (MySQL compatible)|GPL-2.0-or-later|https://www.mariadb.org/
mariadb-common|11.4.7-r0|35|-|.|main|MariaDB common files|GPL-2.0-or-later|https://www.mariadb.org/
mariadb-connector-c|3.3.10-r1|590|libssl3 libcrypto3 zlib|.|main|The MariaDB Native Client library (C driver)|LGPL-2.1-or-later|https://mariadb.com/kb/en/mariadb-connector-c/
mariadb-dev|11.4.7-r0|3600|mariadb-connector-c-dev|default-libmysqlclient-dev|main|MariaDB embedded server and development files|GPL-2.0-or-later|https://www.mariadb.org/
mariadb-connector-c-dev|3.3.10-r1|640|mariadb-connector-c zlib-dev openssl-dev|.|main|The MariaDB Native Client library (C driver) (development files)|LGPL-2.1-or-later|https://mariadb.com/kb/en/mariadb-connector-c/
tini|0.19.0-r3|28|-|tini|community|A tiny but valid init for containers|MIT|https://github.com/krallin/tini
su-exec|0.2-r3|18|-|.|main|switch user and group id, setgroups and exec|MIT|https://github.com/ncopa/su-exec
dumb-init|1.2.5-r3|40|-|dumb-init|community|minimal init system for Linux containers|MIT|https://github.com/Yelp/dumb-init
shadow|4.17.3-r0|2500|linux-pam libbsd|passwd|main|PAM-using login and passwd utilities (usermod, useradd, ...)|BSD-3-Clause|https://github.com/shadow-maint/shadow
linux-pam|1.7.0-r4|1400|-|libpam0g libpam-modules libpam-modules-bin|main|Linux PAM (Pluggable Authentication Modules for Linux)|BSD-3-Clause|https://github.com/linux-pam/linux-pam
libbsd|0.12.2-r0|100|libmd|libbsd0|main|commonly-used BSD functions not implemented by all libcs|BSD-3-Clause|https://libbsd.freedesktop.org/
libmd|1.1.0-r0|56|-|libmd0|main|Message Digest functions from BSD systems|BSD-3-Clause|https://www.hadrons.org/software/libmd/
sudo|1.9.17_p2-r0|2800|-|sudo|main|Give certain users the ability to run some commands as root|ISC|https://www.sudo.ws/sudo/
vim|9.1.1415-r0|3300|xxd vim-common libncursesw ncurses-terminfo-base|vim vim-runtime|main|Improved vi-style text editor|Vim|https://www.vim.org/
vim-common|9.1.1415-r0|30000|-|.|main|Improved vi-style text editor (runtime files)|Vim|https://www.vim.org/
xxd|9.1.1415-r0|20|-|xxd|main|Tool for creating (or reversing) a hex dump|Vim|https://www.vim.org/
nano|8.4-r0|630|libncursesw libmagic|nano|main|Enhanced clone of the Pico text editor|GPL-3.0-or-later|https://www.nano-editor.org/
less|679-r0|170|libncursesw|less|main|File pager|GPL-3.0-or-later OR BSD-2-Clause|https://www.greenwoodsoftware.com/less/
htop|3.4.1-r0|270|libncursesw|htop|main|Interactive process viewer|GPL-2.0-or-later|https://htop.dev/
procps-ng|4.0.4-r3|650|libproc2 libncursesw utmps-libs|procps|main|Utilities for monitoring your system and processes on your system|GPL-2.0-or-later AND LGPL-2.0-or-later|https://gitlab.com/procps-ng/procps
libproc2|4.0.4-r3|140|-|libproc2-0|main|Library for monitoring system and processes|GPL-2.0-or-later AND LGPL-2.0-or-later|https://gitlab.com/procps-ng/procps
utmps-libs|0.1.3.1-r0|40|skalibs-libs|.|main|A secure utmp/wtmp implementation (libraries)|ISC|https://skarnet.org/software/utmps/
skalibs-libs|2.14.4.0-r0|190|-|.|main|Set of general-purpose C programming libraries for skarnet.org software. (libraries)|ISC|https://skarnet.org/software/skalibs/
coreutils|9.7-r1|1100|coreutils-env coreutils-fmt coreutils-sha512sum libattr acl-libs utmps-libs libcrypto3|coreutils|main|The basic file, shell and text manipulation utilities|GPL-3.0-or-later|https://www.gnu.org/software/coreutils/
coreutils-env|9.7-r1|30|-|.|main|The basic file, shell and text manipulation utilities (env)|GPL-3.0-or-later|https://www.gnu.org/software/coreutils/
coreutils-fmt|9.7-r1|30|-|.|main|The basic file, shell and text manipulation utilities (fmt)|GPL-3.0-or-later|https://www.gnu.org/software/coreutils/
coreutils-sha512sum|9.7-r1|40|-|.|main|The basic file, shell and text manipulation utilities (sha512sum)|GPL-3.0-or-later|https://www.gnu.org/software/coreutils/
libattr|2.5.2-r2|20|-|libattr1|main|utilities for managing filesystem extended attributes (libraries)|LGPL-2.1-or-later|https://savannah.nongnu.org/projects/attr
findutils|4.10.0-r0|540|-|findutils|main|GNU utilities for finding files|GPL-3.0-or-later|https://www.gnu.org/software/findutils/
grep|3.12-r0|330|pcre2|grep|main|Searches input files for lines containing a match to a specified pattern|GPL-3.0-or-later|https://www.gnu.org/software/grep/grep.html
sed|4.9-r2|250|-|sed|main|GNU stream editor|GPL-3.0-or-later|https://www.gnu.org/software/sed
gawk|5.3.2-r1|1100|-|gawk|main|GNU awk pattern-matching language|GPL-3.0-or-later|https://www.gnu.org/software/gawk/gawk.html
tar|1.35-r3|480|-|tar|main|Utility used to store, backup, and transport files|GPL-3.0-or-later|https://www.gnu.org/software/tar/
gzip|1.14-r0|90|-|.|main|Popular data compression program|GPL-3.0-or-later|https://www.gnu.org/software/gzip/
unzip|6.0-r16|330|-|unzip|main|Extract PKZIP-compatible .zip files|Info-ZIP|https://infozip.sourceforge.net/UnZip.html
zip|3.0-r13|470|-|zip|main|Creates PKZIP-compatible .zip files|Info-ZIP|https://infozip.sourceforge.net/Zip.html
rsync|3.4.1-r0|730|acl-libs libattr lz4-libs popt xxhash zlib zstd-libs|rsync|main|A file transfer program to keep remote files in sync|GPL-3.0-or-later|https://rsync.samba.org/
popt|1.19-r4|80|-|libpopt0|main|commandline option parser|MIT|https://github.com/rpm-software-management/popt
xxhash|0.8.3-r0|70|-|libxxhash0|main|Extremely fast non-cryptographic hash algorithm|BSD-2-Clause AND GPL-2.0-or-later|https://cyan4973.github.io/xxHash/
supervisor|4.2.5-r5|3500|python3 py3-setuptools|supervisor|main|A system for controlling process state|custom|http://supervisord.org
nginx|1.28.0-r3|1350|pcre2 libssl3 libcrypto3 zlib|nginx-common|main|HTTP and reverse proxy server (stable version)|BSD-2-Clause|https://www.nginx.org/
bind-tools|9.20.13-r0|380|bind-libs fstrm|bind9-dnsutils|main|The ISC DNS tools|MPL-2.0|https://www.isc.org/
bind-libs|9.20.13-r0|4400|json-c krb5-libs libuv libxml2 nghttp2-libs userspace-rcu|bind9-libs|main|The ISC DNS server shared libraries|MPL-2.0|https://www.isc.org/
fstrm|0.6.1-r4|50|-|libfstrm0|main|Frame Streams implementation in C|MIT|https://github.com/farsightsec/fstrm
json-c|0.18-r1|80|-|libjson-c5|main|A JSON implementation in C|MIT|https://github.com/json-c/json-c/wiki
krb5-libs|1.21.3-r0|1900|keyutils-libs krb5-conf libcom_err libverto|libkrb5-3 libk5crypto3 libkrb5support0 libgssapi-krb5-2|main|The shared libraries used by Kerberos 5|MIT|https://web.mit.edu/kerberos/www/
krb5-conf|1.0-r2|5|-|.|main|Shared krb5.conf for both MIT krb5 and heimdal|MIT|https://web.mit.edu/kerberos/www/
keyutils-libs|1.6.3-r4|30|-|libkeyutils1|main|Linux Key Management Utilities (libraries)|GPL-2.0-or-later LGPL-2.0-or-later|https://people.redhat.com/~dhowells/keyutils/
libcom_err|1.47.2-r2|25|-|libcom-err2|main|Common error description library|GPL-2.0-or-later AND LGPL-2.0-or-later AND BSD-3-Clause AND MIT|https://e2fsprogs.sourceforge.net/
libverto|0.3.2-r3|30|-|.|main|Main event loop abstraction library|MIT|https://github.com/latchset/libverto
libxml2|2.13.8-r0|1150|xz-libs zlib|libxml2|main|XML parsing library, version 2|MIT|https://gitlab.gnome.org/GNOME/libxml2
userspace-rcu|0.15.3-r0|400|-|.|main|Userspace RCU (read-copy-update) library|LGPL-2.1-or-later|https://liburcu.org
iputils|20250605-r0|0|iputils-ping iputils-tracepath|-|main|IP Configuration Utilities (and Ping)|BSD-3-Clause AND GPL-2.0-or-later|https://github.com/iputils/iputils/
iputils-ping|20250605-r0|100|libcap2|iputils-ping|main|A utility to send ICMP ECHO_REQUEST to network hosts|BSD-3-Clause AND GPL-2.0-or-later|https://github.com/iputils/iputils/
iputils-tracepath|20250605-r0|40|-|iputils-tracepath|main|Traces path to a network host discovering MTU along this path|BSD-3-Clause AND GPL-2.0-or-later|https://github.com/iputils/iputils/
libcap2|2.76-r0|60|-|libcap2|main|POSIX 1003.1e capabilities (libraries)|BSD-3-Clause OR GPL-2.0-only|https://sites.google.com/site/fullycapable/
net-tools|2.10-r3|400|-|.|main|Linux networking base tools|GPL-2.0-or-later|https://sourceforge.net/projects/net-tools/
netcat-openbsd|1.229.1-r0|60|libbsd libmd|netcat-openbsd|main|The TCP/IP swiss army knife. OpenBSD variant|BSD-3-Clause|https://cvsweb.openbsd.org/src/usr.bin/nc/
tcpdump|4.99.5-r1|1000|libpcap|tcpdump|main|A tool for network monitoring and data acquisition|BSD-3-Clause|https://www.tcpdump.org/
libpcap|1.10.5-r1|300|-|libpcap0.8|main|A system-independent interface for user-level packet capture|BSD-3-Clause|https://www.tcpdump.org/
busybox-extras|1.37.0-r20|600|-|.|main|Additional BusyBox commands|GPL-2.0-only|https://busybox.net/
zsh|5.9-r5|3900|libncursesw|zsh zsh-common|main|Very advanced and programmable command interpreter (shell)|custom|https://www.zsh.org/
go|1.24.6-r0|246000|binutils gcc musl-dev|golang-1.19-go golang-1.19-src|community|Go programming language compiler|BSD-3-Clause|https://go.dev/
rust|1.87.0-r0|260000|gcc llvm20-libs musl-dev libgcc|.|main|The Rust Programming Language|Apache-2.0 AND MIT|https://www.rust-lang.org/
cargo|1.87.0-r0|32000|rust libcurl libssh2 zlib|.|main|The Rust package manager|Apache-2.0 AND MIT|https://www.rust-lang.org/
llvm20-libs|20.1.8-r0|140000|libffi libxml2 zlib zstd-libs libstdc++|.|main|LLVM 20 runtime library|Apache-2.0 WITH LLVM-exception|https://llvm.org/
libssh2|1.11.1-r0|280|libssl3 libcrypto3 zlib|libssh2-1|main|Library for accessing ssh1/ssh2 protocol servers|BSD-3-Clause|https://libssh2.org/
ruby|3.4.4-r0|450|ruby-libs|.|main|An object-oriented language for quick and easy programming|Ruby|https://www.ruby-lang.org/
ruby-libs|3.4.4-r0|14000|gmp libffi libucontext yaml zlib|.|main|Libraries necessary to run Ruby|Ruby|https://www.ruby-lang.org/
libucontext|1.3.2-r0|40|-|.|main|ucontext function implementations|ISC|https://github.com/kaniini/libucontext
yaml|0.2.5-r2|120|-|libyaml-0-2|main|YAML 1.1 parser and emitter written in C|MIT|https://pyyaml.org/wiki/LibYAML
php83|8.3.24-r0|10500|php83-common argon2-libs libxml2 pcre2 readline zlib|.|community|The PHP8.3 language runtime engine|PHP-3.01 AND BSD-3-Clause AND LGPL-2.0-or-later AND MIT AND Zend-2.0|https://www.php.net/
php83-common|8.3.24-r0|1000|-|.|community|The PHP8.3 language runtime engine (common config)|PHP-3.01|https://www.php.net/
php83-fpm|8.3.24-r0|11000|php83|.|community|PHP8.3 FastCGI Process Manager (FPM)|PHP-3.01|https://www.php.net/
argon2-libs|20190702-r5|50|-|libargon2-1|main|The password hash Argon2 (libraries)|Apache-2.0 OR CC0-1.0|https://github.com/P-H-C/phc-winner-argon2
openjdk17-jre-headless|17.0.16_p8-r0|190000|java-common java-cacerts zlib|openjdk-17-jre-headless|community|OpenJDK 17 Runtime (Headless)|GPL-2.0-only WITH Classpath-exception-2.0|https://github.com/openjdk/jdk17u
openjdk21-jre-headless|21.0.8_p9-r0|200000|java-common java-cacerts zlib|.|community|OpenJDK 21 Runtime (Headless)|GPL-2.0-only WITH Classpath-exception-2.0|https://github.com/openjdk/jdk21u
java-common|0.5-r0|5|-|java-common|community|Java common (updates java links)|GPL-2.0-or-later|https://git.alpinelinux.org/aports/
java-cacerts|1.0-r1|10|ca-certificates p11-kit-trust|.|community|Script to update java cacerts store|MIT|https://git.alpinelinux.org/aports/
p11-kit-trust|0.25.5-r2|400|p11-kit|.|main|System trust module from p11-kit|BSD-3-Clause|https://p11-glue.freedesktop.org/
p11-kit|0.25.5-r2|1400|libffi libtasn1|libp11-kit0|main|Library for loading and sharing PKCS#11 modules|BSD-3-Clause|https://p11-glue.freedesktop.org/
libtasn1|4.20.0-r0|90|-|libtasn1-6|main|The ASN.1 library used in GNUTLS|LGPL-2.1-or-later|https://www.gnu.org/software/libtasn1/
freetype|2.13.3-r0|730|libbz2 libpng zlib brotli-libs|libfreetype6|main|TrueType font rendering library|FTL OR GPL-2.0-or-later|https://www.freetype.org/
libpng|1.6.49-r0|230|zlib|libpng16-16|main|Portable Network Graphics library|Libpng|http://www.libpng.org/
fontconfig|2.15.0-r3|600|expat freetype|fontconfig fontconfig-config libfontconfig1|main|Library for configuring and customizing font access|MIT|https://www.freedesktop.org/wiki/Software/fontconfig
ttf-dejavu|2.37-r6|10000|fontconfig|fonts-dejavu-core|main|Font family based on the Bitstream Vera Fonts|custom|https://dejavu-fonts.github.io/
gettext|0.24.1-r0|2700|gettext-envsubst gettext-libs libintl|gettext-base|main|GNU locale utilities|GPL-3.0-or-later AND LGPL-2.1-or-later AND MIT|https://www.gnu.org/software/gettext/gettext.html
gettext-envsubst|0.24.1-r0|40|libintl|.|main|GNU locale utilities (envsubst binary)|GPL-3.0-or-later AND LGPL-2.1-or-later AND MIT|https://www.gnu.org/software/gettext/gettext.html
gettext-libs|0.24.1-r0|1000|libintl|.|main|GNU locale utilities (libraries)|GPL-3.0-or-later AND LGPL-2.1-or-later AND MIT|https://www.gnu.org/software/gettext/gettext.html
libintl|0.24.1-r0|60|-|.|main|GNU gettext runtime library|LGPL-2.1-or-later|https://www.gnu.org/software/gettext/gettext.html
openrc|0.62.6-r0|2400|-|.|main|OpenRC manages the services, startup and shutdown of a host|BSD-2-Clause|https://github.com/OpenRC/openrc
bash-completion|2.16.0-r0|1000|bash|bash-completion|main|Command-line tab-completion for bash|GPL-2.0-or-later|https://github.com/scop/bash-completion
docker-cli|28.3.3-r1|42000|ca-certificates|.|community|Docker CLI|Apache-2.0|https://www.docker.com/
aws-cli|2.27.25-r0|110000|python3|awscli|community|Universal Command Line Interface for Amazon Web Services|Apache-2.0|https://github.com/aws/aws-cli
imagemagick|7.1.2.0-r0|4300|imagemagick-libs|imagemagick-6.q16|community|Collection of tools and libraries for many image formats|ImageMagick|https://imagemagick.org/
imagemagick-libs|7.1.2.0-r0|4500|fontconfig freetype lcms2 libgomp libltdl libxml2 zlib|imagemagick-6-common|community|Collection of tools and libraries for many image formats (libraries)|ImageMagick|https://imagemagick.org/
lcms2|2.17-r0|380|-|liblcms2-2|main|Color Management Engine|MIT|https://www.littlecms.com
ffmpeg|6.1.2-r2|1900|ffmpeg-libavcodec ffmpeg-libavformat ffmpeg-libavutil|ffmpeg|community|Complete and free Internet live audio and video broadcasting solution for Linux/Unix|GPL-2.0-or-later AND LGPL-2.1-or-later|https://ffmpeg.org/
ffmpeg-libavcodec|6.1.2-r2|17000|ffmpeg-libavutil|libavcodec59|community|Libraries for decoding and encoding audio and video (libavcodec)|GPL-2.0-or-later AND LGPL-2.1-or-later|https://ffmpeg.org/
ffmpeg-libavformat|6.1.2-r2|3600|ffmpeg-libavcodec ffmpeg-libavutil|libavformat59|community|Libraries for decoding and encoding audio and video (libavformat)|GPL-2.0-or-later AND LGPL-2.1-or-later|https://ffmpeg.org/
ffmpeg-libavutil|6.1.2-r2|800|-|libavutil57|community|Libraries for decoding and encoding audio and video (libavutil)|GPL-2.0-or-later AND LGPL-2.1-or-later|https://ffmpeg.org/
util-linux|2.41-r9|3000|libblkid libmount libsmartcols libuuid|util-linux|main|Random collection of Linux utilities|GPL-3.0-or-later AND GPL-2.0-or-later AND GPL-2.0-only AND GPL-1.0-or-later AND LGPL-2.1-or-later AND BSD-1-Clause AND BSD-3-Clause AND BSD-4-Clause-UC AND Public-Domain|https://git.kernel.org/cgit/utils/util-linux/util-linux.git
libblkid|2.41-r9|320|-|libblkid1|main|Block device identification library from util-linux|LGPL-2.1-or-later|https://git.kernel.org/cgit/utils/util-linux/util-linux.git
libmount|2.41-r9|370|libblkid|libmount1|main|Block device identification library from util-linux|LGPL-2.1-or-later|https://git.kernel.org/cgit/utils/util-linux/util-linux.git
libsmartcols|2.41-r9|160|-|libsmartcols1|main|Formatting library for ls-like programs.|LGPL-2.1-or-later|https://git.kernel.org/cgit/utils/util-linux/util-linux.git
libuuid|2.41-r9|40|-|libuuid1|main|DCE compatible Universally Unique Identifier library|BSD-3-Clause|https://git.kernel.org/cgit/utils/util-linux/util-linux.git
`;

function decode(name) {
  const f = join(APT, `${name}.json`);
  if (!existsSync(f)) return undefined;
  const j = JSON.parse(readFileSync(f, 'utf8'));
  const out = [];
  let prev = '';
  for (const line of j.entries.split('\n')) {
    const [shared, rest, km, , data] = line.split('\t');
    const path = prev.slice(0, Number(shared || 0)) + rest;
    prev = path;
    const kind = km[0];
    if (kind === 'f') out.push({ path, kind, mode: parseInt(km.slice(1), 8), size: data.startsWith('=') ? Buffer.byteLength(j.texts[Number(data.slice(1))]) : Number(data) });
    else if (kind === 'l') out.push({ path, kind, target: data });
    else if (kind === 'h') out.push({ path, kind, target: data });
  }
  return out;
}

/** Alpine's layout for a Debian path, or undefined when Alpine would not ship it in this package. */
function alpinePath(p) {
  if (/^\/usr\/share\/(doc|man|info|lintian|locale|bug|debhelper)\//.test(p) || p.startsWith('/etc/init.d/') || p.startsWith('/lib/systemd/') || p.startsWith('/usr/lib/systemd/')) return undefined;
  return p.replace(/^\/(usr\/)?lib\/x86_64-linux-gnu\//, '/usr/lib/').replace(/^\/lib\//, '/usr/lib/').replace(/^\/bin\//, '/usr/bin/').replace(/^\/sbin\//, '/usr/sbin/')
    // Alpine's names for the same things: its target triplet, gcc 14 without version suffixes,
    // python 3.12, perl 5.40, Go under /usr/lib/go.
    .replace(/x86_64-linux-gnu/g, 'x86_64-alpine-linux-musl').replace(/^(\/usr\/bin\/[^/]+)-12$/, '$1').replace(/\/gcc\/x86_64-alpine-linux-musl\/12\//, '/gcc/x86_64-alpine-linux-musl/14.2.0/')
    .replace(/python3\.11/g, 'python3.12').replace(/cpython-311/g, 'cpython-312').replace(/\/5\.36(\.\d+)?\//g, '/5.40/').replace(/^\/usr\/lib\/go-1\.19\//, '/usr/lib/go/').replace(/^\/usr\/share\/go-1\.19\//, '/usr/lib/go/');
}

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
function encodeFiles(files) {
  files.sort((a, b) => cmp(a.path, b.path));
  let prev = '';
  return files.map((f) => {
    let shared = 0;
    const max = Math.min(prev.length, f.path.length, 99);
    while (shared < max && prev.charCodeAt(shared) === f.path.charCodeAt(shared)) shared++;
    prev = f.path;
    const data = f.kind === 'f' ? String(f.size) : f.target;
    return `${shared || ''}\t${f.path.slice(shared)}\t${f.kind}${f.kind === 'f' ? f.mode.toString(8) : ''}\t${data}`;
  }).join('\n');
}

const packages = [];
for (const line of SPEC.trim().split('\n')) {
  const [name, version, kib, deps, debian, repo, desc, license, url] = line.split('|');
  const installed = Number(kib) * 1024;
  let files = [];
  if (debian === '.') files = [{ path: /-libs$|^lib/.test(name) ? `/usr/lib/lib${name.replace(/^lib|-libs$/g, '')}.so.1` : `/usr/bin/${name}`, kind: 'f', mode: 0o755, size: 0 }];
  else if (debian !== '-') {
    for (const d of debian.split(' ')) {
      const entries = decode(d);
      if (!entries) throw new Error(`${name}: no Debian package ${d} in the apt catalog`);
      for (const e of entries) {
        const p = alpinePath(e.path);
        if (p && !files.some((f) => f.path === p)) files.push({ ...e, path: p, target: e.kind === 'h' ? alpinePath(e.target) : e.target?.replace(/x86_64-linux-gnu/g, 'x86_64-alpine-linux-musl').replace(/-12$/, '').replace(/python3\.11/g, 'python3.12') });
      }
    }
  }
  // Scale regular files to the Alpine installed size (hard links are counted once, like apk's I:).
  const regular = files.filter((f) => f.kind === 'f');
  const sum = regular.reduce((n, f) => n + f.size, 0);
  if (installed && regular.length) {
    if (sum === 0) regular[0].size = installed;
    else {
      const k = installed / sum;
      for (const f of regular) f.size = Math.round(f.size * k);
      const big = regular.reduce((a, b) => (b.size > a.size ? b : a));
      big.size += installed - regular.reduce((n, f) => n + f.size, 0);
    }
  }
  files = files.filter((f) => f.kind !== 'h' || f.target);
  const cmds = files.filter((f) => /^\/usr\/s?bin\/[^/]+$/.test(f.path)).map((f) => `cmd:${f.path.split('/').pop()}=${version}`);
  packages.push({
    P: name, V: version, A: 'x86_64', S: Math.round(installed * 0.4) + 4096, I: installed, T: desc, U: url, L: license, o: name.replace(/-(libs|dev|common|client|client-common|client-default|keygen|server|server-common)$/, ''),
    D: deps === '-' ? [] : deps.split(' '), p: cmds, repo, files: encodeFiles(files),
  });
}

// The APKINDEX.tar.gz downloads per branch and repository (bytes) and the `apk update` description lines.
// Simulation: sizes estimated from the package counts of each branch (main ~1,600 packages, community ~22,000).
const repositories = {
  'v3.20': { main: { size: 487000, desc: 'v3.20.8-13-g0b1b7d21e5e' }, community: { size: 1638000, desc: 'v3.20.8-12-gf4d4c0d2a62' }, available: 24166 },
  'v3.21': { main: { size: 494000, desc: 'v3.21.8-19-g8fb6f0f3c3b' }, community: { size: 1702000, desc: 'v3.21.8-17-g2e7d3b0a1f4' }, available: 25401 },
  'v3.22': { main: { size: 501000, desc: 'v3.22.6-23-g5d1a3c7f9e2' }, community: { size: 1760000, desc: 'v3.22.6-21-gb7c2e4d8a10' }, available: 26120 },
  'v3.23': { main: { size: 509000, desc: 'v3.23.6-15-g0a7e2c5b4d9' }, community: { size: 1811000, desc: 'v3.23.6-14-g91c3f7a2e6b' }, available: 26795 },
  'v3.24': { main: { size: 515000, desc: 'v3.24.2-11-g3c9d1e7b2a5' }, community: { size: 1850000, desc: 'v3.24.2-10-g7e4b2a9c1d3' }, available: 27310 },
};

mkdirSync(join(OUT, 'pkg'), { recursive: true });
// index.json: every package's APKINDEX fields (what `apk add` resolves from); pkg/<name>.json: its
// file list, loaded only when the package is installed.
let filesBytes = 0;
for (const p of packages) {
  const body = JSON.stringify({ format: 'layerlab-apk/1', package: p.P, version: p.V, files: p.files });
  filesBytes += body.length;
  writeFileSync(join(OUT, 'pkg', `${p.P}.json`), body);
  delete p.files;
}
const data = { format: 'layerlab-apk/1', generated: 'scripts/catalog/apk.mjs', note: 'estimates: see src/engine/shell/packages/README.md (apk)', repositories, packages };
const json = JSON.stringify(data);
writeFileSync(join(OUT, 'index.json'), json);
console.log(`${packages.length} packages, index ${(json.length / 1024).toFixed(0)} KiB, file lists ${(filesBytes / 1024).toFixed(0)} KiB`);
