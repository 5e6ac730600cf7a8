// One measured build: the layer a docker build would commit, from file-tree snapshots taken
// before and after the RUN (see measure-apt-layers.sh). Prints one JSON object.
import { readFileSync } from 'node:fs';
const [name, script, before, after, log] = process.argv.slice(2);
const read = (f) => {
  const m = new Map();
  for (const l of readFileSync(f + '.meta', 'utf8').split('\n')) {
    if (!l) continue;
    const [p, type, size, mode, owner, target, inode] = l.split('\t');
    m.set(p, { type, size: Number(size), mode, owner, target, inode });
  }
  for (const l of readFileSync(f + '.sha', 'utf8').split('\n')) {
    if (!l) continue;
    const [p, sha] = l.split('\t');
    if (m.has(p)) m.get(p).sha = sha;
  }
  return m;
};
const a = read(before);
const b = read(after);
let bytes = 0;
let added = 0;
let changed = 0;
let removed = 0;
const top = [];
const seenInodes = new Set();
const byDir = {};
for (const [p, e] of b) {
  const o = a.get(p);
  const same = o && o.type === e.type && o.mode === e.mode && o.owner === e.owner && o.sha === e.sha && o.target === e.target && o.size === e.size;
  if (same) continue;
  if (o) changed++;
  else added++;
  if (e.type === 'f') {
    // A hard link's second name adds no bytes (docker's archive.ChangesSize counts an inode once).
    if (seenInodes.has(e.inode)) continue;
    seenInodes.add(e.inode);
    bytes += e.size;
    const d = p.split('/').slice(0, 4).join('/');
    byDir[d] = (byDir[d] ?? 0) + e.size;
    top.push([p, e.size]);
  }
}
for (const p of a.keys()) if (!b.has(p)) removed++;
const text = readFileSync(log, 'utf8');
const summary = /(\d+) upgraded, (\d+) newly installed, (\d+) to remove and (\d+) not upgraded\./.exec(text);
const needGet = /Need to get (.*) of archives\./.exec(text);
const after_ = /After this operation, (.*) of additional disk space will be used\./.exec(text);
const newPkgs = /The following NEW packages will be installed:\n((?:  .*\n)+)/.exec(text);
console.log(JSON.stringify({
  name, script, layerBytes: bytes, added, changed, removed,
  newlyInstalled: summary ? Number(summary[2]) : 0, notUpgraded: summary ? Number(summary[4]) : 0,
  needToGet: needGet?.[1], additionalDisk: after_?.[1],
  packages: newPkgs ? newPkgs[1].trim().split(/\s+/) : [],
  byDir: Object.fromEntries(Object.entries(byDir).sort((x, y) => y[1] - x[1]).slice(0, 12)),
  largest: top.sort((x, y) => y[1] - x[1]).slice(0, 8),
}, null, 1));
