/** The commands layerlab adds to just-bash, by name. */
import type { ShellCommand } from './command.ts';
import { tar, gzip } from './archive.ts';
import { apt, aptCache, aptGet, dpkg, dpkgQuery } from './apt.ts';
import { apk } from './apk.ts';
import { go } from './go.ts';
import { PROGRAM_MODELS } from './programs.ts';
import { date } from './date.ts';
import { npm } from './npm.ts';
import { corepack, pnpm, yarn } from './corepack.ts';
import { pip, python } from './pip.ts';
import { touch } from './touch.ts';
import { chgrp, chown, install, mktemp } from './files.ts';
import { cp, ln, mv, readlink, rm } from './links.ts';
import { ls, stat } from './listing.ts';
import { find } from './find.ts';
import { du } from './du.ts';
import { seq, yes } from './sequence.ts';
import { curl, df, envsubst, ldconfig, localeGen, mkfifo, mknod, ps, realpath, su, suExec, updateAlternatives, usermod, wget, xargs } from './tools.ts';
import { nproc, trap, uname } from './system.ts';
import { addgroup, adduser, getent, groupadd, id, useradd, whoami } from './users.ts';

/** Our commands; they take precedence over just-bash's built-ins of the same name (whoami, tar, gzip, date, touch, du). */
export const LAYERLAB_COMMANDS: Readonly<Record<string, ShellCommand>> = {
  // Version models first: a fuller model of the same program below takes precedence.
  ...PROGRAM_MODELS,
  chown, chgrp, install, mktemp, id, whoami, getent, useradd, groupadd, adduser, addgroup, uname, nproc, trap,
  tar, gzip, gunzip: gzip, zcat: gzip, date, touch, rm, mv, cp, ln, readlink, stat, ls, find, du,
  mkfifo, mknod, realpath, envsubst, df, ps, wget, curl, su, 'su-exec': suExec, gosu: suExec, usermod,
  'update-alternatives': updateAlternatives, ldconfig, 'locale-gen': localeGen, xargs, seq, yes,
  'apt-get': aptGet, apt, 'apt-cache': aptCache, dpkg, 'dpkg-query': dpkgQuery,
  npm, yarn, yarnpkg: yarn, pnpm, pnpx: pnpm, corepack,
  apk,
  go,
  pip, pip3: pip, 'pip3.11': pip, 'pip3.12': pip, 'pip3.13': pip,
  python, python3: python, 'python3.11': python, 'python3.12': python, 'python3.13': python,
};
