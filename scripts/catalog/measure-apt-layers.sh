#!/bin/sh
# Measures what real apt-get runs add to a real debian:bookworm-slim-like root, for the figures
# test/apt-reference.test.ts checks the simulation against. Needs root, debootstrap and network
# access to deb.debian.org (a Debian bookworm machine). Writes scripts/catalog/apt-layers.json.
#   sh scripts/catalog/measure-apt-layers.sh
# The base root: debootstrap --variant=minbase bookworm (merged /usr), then what debuerreotype does
# for the slim variant: the docker-* apt/dpkg snippets, the dpkg path-excludes applied to what is
# already installed, debian.sources with bookworm, bookworm-updates and bookworm-security, and
# empty apt lists/caches. Each build runs in `chroot` over a fresh copy of that root; the layer is
# every regular file added or changed (content or metadata), summed by size with hard links counted
# once, as docker counts a layer (deleted files become whiteouts of size 0).
set -eu
WORK=${WORK:-/tmp/realroot}
HERE=$(cd "$(dirname "$0")" && pwd)
BASE=$WORK/base
if [ ! -x "$BASE/usr/bin/apt-get" ]; then
  debootstrap --variant=minbase bookworm "$BASE" http://deb.debian.org/debian
fi
if [ ! -e "$BASE/.slimmed" ]; then
  # debuerreotype-minimizing-config + debuerreotype-slimify (same texts as scripts/catalog/debian.mjs).
  node -e '
    const fs = require("fs"); const p = process.argv[1];
    const src = fs.readFileSync(process.argv[2], "utf8");
    for (const m of src.matchAll(/t\.file\(\x27(\/etc\/(?:apt\/apt\.conf\.d\/docker-[a-z-]+|dpkg\/dpkg\.cfg\.d\/docker[a-z-]*|apt\/sources\.list\.d\/debian\.sources))\x27, \{ text: (\x27(?:[^\x27\\]|\\.)*\x27|"(?:[^"\\]|\\.)*") \}\)/g)) {
      fs.writeFileSync(p + m[1], eval(m[2]));
    }' "$BASE" "$HERE/debian.mjs"
  rm -f "$BASE/etc/apt/sources.list"
  cd "$BASE"
  find usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete
  find usr/share/doc -mindepth 1 -type d -empty -delete
  rm -rf usr/share/groff/* usr/share/info/* usr/share/linda/* usr/share/lintian/overrides/* usr/share/man/*
  find usr/share/locale -mindepth 1 -maxdepth 1 -not -name locale.alias -not -name all_languages -not -name languages -exec rm -rf {} +
  rm -rf var/lib/apt/lists/* var/cache/apt/*.bin var/cache/apt/archives/*.deb
  mkdir -p var/lib/apt/lists/partial
  : > var/log/dpkg.log; : > var/log/apt/history.log; : > var/log/apt/term.log
  touch .slimmed
  cd - >/dev/null
fi
cp /etc/resolv.conf "$BASE/etc/resolv.conf"
if [ ! -e "$BASE/.upgraded" ]; then
  # The published image carries the point release's and security updates; debootstrap took
  # bookworm only. Without this, installs that pull an exact-version dependency (git → perl →
  # perl-base) also upgrade base packages and the layer holds their files too.
  chroot "$BASE" /bin/sh -c 'apt-get update && apt-get -y upgrade && apt-get clean && rm -rf /var/lib/apt/lists/* && mkdir -p /var/lib/apt/lists/partial' > "$WORK/upgrade.log" 2>&1
  ( cd "$BASE" && find usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete && rm -rf usr/share/man/* usr/share/locale/*/ usr/share/info/* )
  : > "$BASE/var/log/dpkg.log"; : > "$BASE/var/log/apt/history.log"; : > "$BASE/var/log/apt/term.log"; : > "$BASE/var/log/apt/eipp.log.xz"
  touch "$BASE/.upgraded"
fi

snapshot() { # path<TAB>type<TAB>size<TAB>mode<TAB>uid:gid<TAB>link target<TAB>inode
  ( cd "$1" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev \) -prune -o -printf '%p\t%y\t%s\t%m\t%U:%G\t%l\t%i\n' ) | sort > "$2.meta"
  ( cd "$1" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev \) -prune -o -type f -print0 | xargs -0 sha1sum ) | awk '{print substr($2,1) "\t" $1}' | sort > "$2.sha"
}

measure() { # name, script
  name=$1; script=$2; root=$WORK/run-$name
  rm -rf "$root"; cp -a "$BASE" "$root"
  snapshot "$root" "$WORK/$name.before"
  chroot "$root" /bin/sh -c "$script" > "$WORK/$name.log" 2>&1
  snapshot "$root" "$WORK/$name.after"
  node "$HERE/measure-diff.mjs" "$name" "$script" "$WORK/$name.before" "$WORK/$name.after" "$WORK/$name.log"
}

OUT=$HERE/apt-layers.json
echo '[' > "$OUT.tmp"
measure update 'apt-get update' >> "$OUT.tmp"; echo ',' >> "$OUT.tmp"
measure python3 'apt-get update && apt-get install -y --no-install-recommends python3' >> "$OUT.tmp"; echo ',' >> "$OUT.tmp"
measure curl 'apt-get update && apt-get install -y curl' >> "$OUT.tmp"; echo ',' >> "$OUT.tmp"
measure git 'apt-get update && apt-get install -y --no-install-recommends ca-certificates curl git' >> "$OUT.tmp"; echo ',' >> "$OUT.tmp"
measure build-essential 'apt-get update && apt-get install -y --no-install-recommends build-essential' >> "$OUT.tmp"; echo ',' >> "$OUT.tmp"
measure nginx 'apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*' >> "$OUT.tmp"
echo ']' >> "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT"
