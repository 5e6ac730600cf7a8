import { describe, expect, it } from 'vitest';
import { createShell } from '../shell.ts';
import { makeRootfs } from '../test-support.ts';
import { SystemMountsFs } from '../system-mounts.ts';
import { busyboxSize, gnuSize } from './du-size.ts';
import type { FlatFs } from '../flat-fs.ts';

interface Entry { path: string; kind: 'dir' | 'file' | 'symlink' | 'hardlink'; size?: number; target?: string; mtime?: number }
/** [arguments, stdout, stderr, exit code] */
type Recorded = [string, string, string, number];

// Recorded with scripts/record-du.ts (`node --import tsx scripts/record-du.ts`) on Debian 12, ext4
// (4 KiB blocks), LC_ALL=C: GNU coreutils 9.1 `du` and BusyBox 1.35.0 `busybox du` on TREE built
// under /tmp; FORMATS are both du's sizes of sparse files of each apparent size in SIZES. The
// BusyBox usage header was rewritten to the model's `BusyBox v1.37.0 multi-call binary.`.
// Real ext4 lists a directory in hash order: the stdout lines are compared as a set, and the
// model's order is checked to be post-order (entries before their directory).
const T0 = 1768435200;
const TREE: Entry[] = [{"path":"d","kind":"dir"},{"path":"d/f0","kind":"file","size":0},{"path":"d/f1","kind":"file","size":1,"mtime":1767323045},{"path":"d/f4096","kind":"file","size":4096},{"path":"d/f4097","kind":"file","size":4097},{"path":"d/f1m","kind":"file","size":1048576},{"path":"d/sub","kind":"dir"},{"path":"d/sub/a","kind":"file","size":2,"mtime":1769949296},{"path":"d/link","kind":"symlink","target":"f1"},{"path":"d/sub/hard","kind":"hardlink","target":"d/f4097"},{"path":"e","kind":"dir"},{"path":"e/hard1m","kind":"hardlink","target":"d/f1m"},{"path":"e/own","kind":"file","size":1},{"path":"dl","kind":"symlink","target":"d"},{"path":"dangling","kind":"symlink","target":"nowhere"},{"path":"loop","kind":"dir"},{"path":"loop/up","kind":"symlink","target":".."}];
const GNU: Recorded[] = [
  ["d","8\td/sub\n1052\td\n","",0],
  ["-a d","8\td/f4097\n4\td/f1\n0\td/f0\n0\td/link\n4\td/sub/a\n8\td/sub\n1024\td/f1m\n4\td/f4096\n1052\td\n","",0],
  ["-s d","1052\td\n","",0],
  ["-sh d","1.1M\td\n","",0],
  ["-h d","8.0K\td/sub\n1.1M\td\n","",0],
  ["-ah d","8.0K\td/f4097\n4.0K\td/f1\n0\td/f0\n0\td/link\n4.0K\td/sub/a\n8.0K\td/sub\n1.0M\td/f1m\n4.0K\td/f4096\n1.1M\td\n","",0],
  ["-k d","8\td/sub\n1052\td\n","",0],
  ["-m d","1\td/sub\n2\td\n","",0],
  ["-c d e","8\td/sub\n1052\td\n8\te\n1060\ttotal\n","",0],
  ["-s d e","1052\td\n8\te\n","",0],
  ["-s e d","1032\te\n28\td\n","",0],
  ["-sl d e","1060\td\n1032\te\n","",0],
  ["-sl d d","1060\td\n1060\td\n","",0],
  ["-s d d","1052\td\n","",0],
  ["-s d d/sub","1052\td\n","",0],
  ["-d 1 d","8\td/sub\n1052\td\n","",0],
  ["-d 0 d","1052\td\n","",0],
  ["-b d","4098\td/sub\n1064966\td\n","",0],
  ["-ab d","4097\td/f4097\n1\td/f1\n0\td/f0\n2\td/link\n2\td/sub/a\n4098\td/sub\n1048576\td/f1m\n4096\td/f4096\n1064966\td\n","",0],
  ["-s d/f0 d/f1 d/f4096 d/f4097 d/f1m d/link","0\td/f0\n4\td/f1\n4\td/f4096\n8\td/f4097\n1024\td/f1m\n0\td/link\n","",0],
  ["-sh d/f1m","1.0M\td/f1m\n","",0],
  ["d/link","0\td/link\n","",0],
  ["-L d/link","4\td/link\n","",0],
  ["nope d","8\td/sub\n1052\td\n","du: cannot access 'nope': No such file or directory\n",1],
  ["-c nope","0\ttotal\n","du: cannot access 'nope': No such file or directory\n",1],
  ["-s d/","1052\td/\n","",0],
  ["-a d/sub/","8\td/sub/hard\n4\td/sub/a\n16\td/sub/\n","",0],
  ["dl","0\tdl\n","",0],
  ["dl/","8\tdl/sub\n1052\tdl/\n","",0],
  ["-sL dl","1052\tdl\n","",0],
  ["-sH dl","1052\tdl\n","",0],
  ["-sL d","1052\td\n","",0],
  ["-s dangling","0\tdangling\n","",0],
  ["-sL dangling","","du: cannot access 'dangling'\n",1],
  ["-s","1068\t.\n","",0],
  ["-sH dangling","","du: cannot access 'dangling'\n",1],
  ["-x d","8\td/sub\n1052\td\n","",0],
  ["-sx d","1052\td\n","",0],
  ["-hc d e","8.0K\td/sub\n1.1M\td\n8.0K\te\n1.1M\ttotal\n","",0],
  ["-ks d","1052\td\n","",0],
  ["-ms d","2\td\n","",0],
  ["-ms d/f1","1\td/f1\n","",0],
  ["-sk -h d","1.1M\td\n","",0],
  ["-sh -k d","1052\td\n","",0],
  ["-bs d/f1","1\td/f1\n","",0],
  ["-b -k -s d","1041\td\n","",0],
  ["-k -b -s d","1064966\td\n","",0],
  ["-z d","","du: invalid option -- 'z'\nTry 'du --help' for more information.\n",1],
  ["-d x d","","du: invalid maximum depth 'x'\nTry 'du --help' for more information.\n",1],
  ["-d -1 d","","du: invalid maximum depth '-1'\nTry 'du --help' for more information.\n",1],
  ["-s -d 1 d","","du: warning: summarizing conflicts with --max-depth=1\nTry 'du --help' for more information.\n",1],
  ["-d 1 -s d","","du: warning: summarizing conflicts with --max-depth=1\nTry 'du --help' for more information.\n",1],
  ["-sa d","","du: cannot both summarize and show all entries\nTry 'du --help' for more information.\n",1],
  ["-s d/f1m e/hard1m","1024\td/f1m\n","",0],
  ["-as e d","","du: cannot both summarize and show all entries\nTry 'du --help' for more information.\n",1],
  ["-sL loop","1068\tloop\n","du: cannot access 'loop/up/dangling'\n",1],
  ["-s d e/hard1m","1052\td\n","",0],
  ["d/f1/ dangling/","","du: cannot access 'd/f1/': Not a directory\ndu: cannot access 'dangling/': No such file or directory\n",1],
  ["--apparent-size d","5\td/sub\n1041\td\n","",0],
  ["--apparent-size -s d e","1041\td\n5\te\n","",0],
  ["-a --max-depth=1 d","8\td/f4097\n4\td/f1\n0\td/f0\n0\td/link\n8\td/sub\n1024\td/f1m\n4\td/f4096\n1052\td\n","",0],
  ["--max-depth=0 d","1052\td\n","",0],
  ["-s --exclude=sub d","1044\td\n","",0],
  ["--exclude=f1* -a d","8\td/f4097\n0\td/f0\n0\td/link\n4\td/sub/a\n8\td/sub\n4\td/f4096\n24\td\n","",0],
  ["--exclude=d -s d","","",0],
  ["-S d","8\td/sub\n1044\td\n","",0],
  ["-sS d","1044\td\n","",0],
  ["-0 -s d","1052\td\u0000","",0],
  ["--bogus d","","du: unrecognized option '--bogus'\nTry 'du --help' for more information.\n",1],
  ["--max d","","du: invalid maximum depth 'd'\nTry 'du --help' for more information.\n",1],
  ["--si -s d","1.1M\td\n","",0],
  ["-B 1 -s d","1077248\td\n","",0],
  ["-B 1M -s d","2\td\n","",0],
  ["-BK -s d","1052K\td\n","",0],
  ["--block-size=4K -s d","263\td\n","",0],
  ["-B 1KB -s d","1078\td\n","",0],
  ["-B x d","","du: invalid -B argument 'x'\n",1],
  ["--block-size=0 d","","du: invalid --block-size argument '0'\n",1],
  ["-B K -s d","1052K\td\n","",0],
  ["-B KB -s d","1078kB\td\n","",0],
  ["-B KiB -s d","1052KiB\td\n","",0],
  ["-B M -s d/f1","1M\td/f1\n","",0],
  ["-s -d 0 d","1052\td\n","du: warning: summarizing is the same as using --max-depth=0\n",0],
  ["-H dl","8\tdl/sub\n1052\tdl\n","",0],
  ["-D dl","8\tdl/sub\n1052\tdl\n","",0],
  ["--count-links -s d d","1060\td\n1060\td\n","",0],
  ["--summarize --all d","","du: cannot both summarize and show all entries\nTry 'du --help' for more information.\n",1],
  ["-as d","","du: cannot both summarize and show all entries\nTry 'du --help' for more information.\n",1],
  ["--max-depth=1 -s d","","du: warning: summarizing conflicts with --max-depth=1\nTry 'du --help' for more information.\n",1],
  ["--max-depth=0 -s d","1052\td\n","du: warning: summarizing is the same as using --max-depth=0\n",0],
  ["--inodes d","2\td/sub\n9\td\n","",0],
  ["--inodes -s d e","9\td\n2\te\n","",0],
  ["--inodes -a d","1\td/f4097\n1\td/f1\n1\td/f0\n1\td/link\n1\td/sub/a\n2\td/sub\n1\td/f1m\n1\td/f4096\n9\td\n","",0],
  ["--inodes -sl d e","10\td\n3\te\n","",0],
  ["--inodes -sh d","9\td\n","",0],
  ["-t 8K d","8\td/sub\n1052\td\n","",0],
  ["-t 8K -a d","8\td/f4097\n8\td/sub\n1024\td/f1m\n1052\td\n","",0],
  ["-t -8K -a d","8\td/f4097\n4\td/f1\n0\td/f0\n0\td/link\n4\td/sub/a\n8\td/sub\n4\td/f4096\n","",0],
  ["-t 1M -a d","1024\td/f1m\n1052\td\n","",0],
  ["-t x d","","du: invalid -t argument 'x'\n",1],
  ["--threshold=5k -a d","8\td/f4097\n8\td/sub\n1024\td/f1m\n1052\td\n","",0],
  ["--time -s d/f1","4\t2026-01-02 03:04\td/f1\n","",0],
  ["--time d","8\t2026-02-01 12:34\td/sub\n1052\t2026-02-01 12:34\td\n","",0],
  ["-a --time d","8\t2026-01-15 00:00\td/f4097\n4\t2026-01-02 03:04\td/f1\n0\t2026-01-15 00:00\td/f0\n0\t2026-01-15 00:00\td/link\n4\t2026-02-01 12:34\td/sub/a\n8\t2026-02-01 12:34\td/sub\n1024\t2026-01-15 00:00\td/f1m\n4\t2026-01-15 00:00\td/f4096\n1052\t2026-02-01 12:34\td\n","",0],
  ["--time -c -h d e","8.0K\t2026-02-01 12:34\td/sub\n1.1M\t2026-02-01 12:34\td\n8.0K\t2026-01-15 00:00\te\n1.1M\t2026-02-01 12:34\ttotal\n","",0],
  ["-t 8K -c d e","8\td/sub\n1052\td\n8\te\n1060\ttotal\n","",0],
  ["--time=mtime -s d","","du: invalid argument 'mtime' for '--time'\nValid arguments are:\n  - 'atime', 'access', 'use'\n  - 'ctime', 'status'\nTry 'du --help' for more information.\n",1],
];
const BUSYBOX: Recorded[] = [
  ["d","8\td/sub\n1052\td\n","",0],
  ["-a d","8\td/f4097\n4\td/f1\n0\td/f0\n0\td/link\n4\td/sub/a\n8\td/sub\n1024\td/f1m\n4\td/f4096\n1052\td\n","",0],
  ["-s d","1052\td\n","",0],
  ["-sh d","1.0M\td\n","",0],
  ["-h d","8.0K\td/sub\n1.0M\td\n","",0],
  ["-ah d","8.0K\td/f4097\n4.0K\td/f1\n0\td/f0\n0\td/link\n4.0K\td/sub/a\n8.0K\td/sub\n1.0M\td/f1m\n4.0K\td/f4096\n1.0M\td\n","",0],
  ["-k d","8\td/sub\n1052\td\n","",0],
  ["-m d","1\td/sub\n2\td\n","",0],
  ["-c d e","8\td/sub\n1052\td\n8\te\n1060\ttotal\n","",0],
  ["-s d e","1052\td\n8\te\n","",0],
  ["-s e d","1032\te\n28\td\n","",0],
  ["-sl d e","1060\td\n1032\te\n","",0],
  ["-sl d d","1060\td\n1060\td\n","",0],
  ["-s d d","1052\td\n","",0],
  ["-s d d/sub","1052\td\n","",0],
  ["-d 1 d","8\td/sub\n1052\td\n","",0],
  ["-d 0 d","1052\td\n","",0],
  ["-b d","4098\td/sub\n1064966\td\n","",0],
  ["-ab d","4097\td/f4097\n1\td/f1\n0\td/f0\n2\td/link\n2\td/sub/a\n4098\td/sub\n1048576\td/f1m\n4096\td/f4096\n1064966\td\n","",0],
  ["-s d/f0 d/f1 d/f4096 d/f4097 d/f1m d/link","0\td/f0\n4\td/f1\n4\td/f4096\n8\td/f4097\n1024\td/f1m\n0\td/link\n","",0],
  ["-sh d/f1m","1.0M\td/f1m\n","",0],
  ["d/link","0\td/link\n","",0],
  ["-L d/link","4\td/link\n","",0],
  ["nope d","8\td/sub\n1052\td\n","du: nope: No such file or directory\n",1],
  ["-c nope","0\ttotal\n","du: nope: No such file or directory\n",1],
  ["-s d/","1052\td/\n","",0],
  ["-a d/sub/","8\td/sub/hard\n4\td/sub/a\n16\td/sub/\n","",0],
  ["dl","0\tdl\n","",0],
  ["dl/","8\tdl/sub\n1052\tdl/\n","",0],
  ["-sL dl","1056\tdl\n","",0],
  ["-sH dl","1056\tdl\n","",0],
  ["-sL d","1056\td\n","",0],
  ["-s dangling","0\tdangling\n","",0],
  ["-sL dangling","","du: dangling: No such file or directory\n",1],
  ["-s","1068\t.\n","",0],
  ["-sH dangling","","du: dangling: No such file or directory\n",1],
  ["-x d","8\td/sub\n1052\td\n","",0],
  ["-sx d","1052\td\n","",0],
  ["-hc d e","8.0K\td/sub\n1.0M\td\n8.0K\te\n1.0M\ttotal\n","",0],
  ["-ks d","1052\td\n","",0],
  ["-ms d","2\td\n","",0],
  ["-ms d/f1","1\td/f1\n","",0],
  ["-sk -h d","1.0M\td\n","",0],
  ["-sh -k d","1052\td\n","",0],
  ["-bs d/f1","1\td/f1\n","",0],
  ["-b -k -s d","1040\td\n","",0],
  ["-k -b -s d","1040\td\n","",0],
  ["-z d","","du: invalid option -- 'z'\nBusyBox v1.37.0 multi-call binary.\n\nUsage: du [-aHLdclsxhmk] [FILE]...\n\nSummarize disk space used for FILEs (or directories)\n\n\t-a\tShow file sizes too\n\t-b\tApparent size (including holes)\n\t-L\tFollow all symlinks\n\t-H\tFollow symlinks on command line\n\t-d N\tLimit output to directories (and files with -a) of depth < N\n\t-c\tShow grand total\n\t-l\tCount sizes many times if hard linked\n\t-s\tDisplay only a total for each argument\n\t-x\tSkip directories on different filesystems\n\t-h\tSizes in human readable format (e.g., 1K 243M 2G)\n\t-m\tSizes in megabytes\n\t-k\tSizes in kilobytes (default)\n",1],
  ["-d x d","","du: invalid number 'x'\n",1],
  ["-d -1 d","","du: invalid number '-1'\n",1],
  ["-s -d 1 d","8\td/sub\n1052\td\n","",0],
  ["-d 1 -s d","1052\td\n","",0],
  ["-sa d","1052\td\n","",0],
  ["-s d/f1m e/hard1m","1024\td/f1m\n","",0],
  ["-as e d","1032\te\n28\td\n","",0],
  ["-sL loop","1072\tloop\n","du: loop/up/dangling: No such file or directory\n",1],
  ["-s d e/hard1m","1052\td\n","",0],
  ["d/f1/ dangling/","","du: d/f1/: Not a directory\ndu: dangling/: No such file or directory\n",1],
  ["--apparent-size d","","du: unrecognized option '--apparent-size'\nBusyBox v1.37.0 multi-call binary.\n\nUsage: du [-aHLdclsxhmk] [FILE]...\n\nSummarize disk space used for FILEs (or directories)\n\n\t-a\tShow file sizes too\n\t-b\tApparent size (including holes)\n\t-L\tFollow all symlinks\n\t-H\tFollow symlinks on command line\n\t-d N\tLimit output to directories (and files with -a) of depth < N\n\t-c\tShow grand total\n\t-l\tCount sizes many times if hard linked\n\t-s\tDisplay only a total for each argument\n\t-x\tSkip directories on different filesystems\n\t-h\tSizes in human readable format (e.g., 1K 243M 2G)\n\t-m\tSizes in megabytes\n\t-k\tSizes in kilobytes (default)\n",1],
  ["--max-depth=1 d","","du: unrecognized option '--max-depth=1'\nBusyBox v1.37.0 multi-call binary.\n\nUsage: du [-aHLdclsxhmk] [FILE]...\n\nSummarize disk space used for FILEs (or directories)\n\n\t-a\tShow file sizes too\n\t-b\tApparent size (including holes)\n\t-L\tFollow all symlinks\n\t-H\tFollow symlinks on command line\n\t-d N\tLimit output to directories (and files with -a) of depth < N\n\t-c\tShow grand total\n\t-l\tCount sizes many times if hard linked\n\t-s\tDisplay only a total for each argument\n\t-x\tSkip directories on different filesystems\n\t-h\tSizes in human readable format (e.g., 1K 243M 2G)\n\t-m\tSizes in megabytes\n\t-k\tSizes in kilobytes (default)\n",1],
  ["-d 5 -s d","1052\td\n","",0],
  ["-h -b -s d","1.0M\td\n","",0],
  ["-b -h -s d","1.0M\td\n","",0],
  ["-m -b -s d","1\td\n","",0],
  ["-b -m -s d","1\td\n","",0],
  ["-sH dl","1056\tdl\n","",0],
  ["-HL -s dl","1056\tdl\n","",0],
];
const SIZES = [0,1,2,511,512,1000,1023,1024,1025,1535,1536,1537,2047,2048,4096,9215,9216,10239,10240,10241,10700,10752,10753,102400,236800,237000,237568,1047552,1048064,1048065,1048566,1048575,1048576,1048577,1077248,1100000,1153434,10433332,10485759,10485760,10485761,104857600,1073741823,1073741824,1073741825,5000000000,1099511627776,1099511627777];
const FORMATS: Record<string, string[]> = {
  "gnu -h": ["0","1","2","511","512","1000","1023","1.0K","1.1K","1.5K","1.5K","1.6K","2.0K","2.0K","4.0K","9.0K","9.0K","10K","10K","11K","11K","11K","11K","100K","232K","232K","232K","1023K","1.0M","1.0M","1.0M","1.0M","1.0M","1.1M","1.1M","1.1M","1.2M","10M","10M","10M","11M","100M","1.0G","1.0G","1.1G","4.7G","1.0T","1.1T"],
  "gnu --si": ["0","1","2","511","512","1.0k","1.1k","1.1k","1.1k","1.6k","1.6k","1.6k","2.1k","2.1k","4.1k","9.3k","9.3k","11k","11k","11k","11k","11k","11k","103k","237k","237k","238k","1.1M","1.1M","1.1M","1.1M","1.1M","1.1M","1.1M","1.1M","1.1M","1.2M","11M","11M","11M","11M","105M","1.1G","1.1G","1.1G","5.0G","1.1T","1.1T"],
  "gnu -k": ["0","1","1","1","1","1","1","1","2","2","2","2","2","2","4","9","9","10","10","11","11","11","11","100","232","232","232","1023","1024","1024","1024","1024","1024","1025","1052","1075","1127","10189","10240","10240","10241","102400","1048576","1048576","1048577","4882813","1073741824","1073741825"],
  "gnu -m": ["0","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","1","2","2","2","2","10","10","10","11","100","1024","1024","1025","4769","1048576","1048577"],
  "busybox -h": ["0","1","2","511","512","1000","1023","1.0K","1.0K","1.5K","1.5K","1.5K","2.0K","2.0K","4.0K","9.0K","9.0K","10.0K","10.0K","10.0K","10.4K","10.5K","10.5K","100.0K","231.3K","231.4K","232.0K","1023.0K","1023.5K","1023.5K","1024.0K","1024.0K","1.0M","1.0M","1.0M","1.0M","1.1M","9.9M","10.0M","10.0M","10.0M","100.0M","1024.0M","1.0G","1.0G","4.7G","1.0T","1.0T"],
  "busybox -k": ["0","0","0","0","1","1","1","1","1","1","2","2","2","2","4","9","9","10","10","10","10","11","11","100","231","231","232","1023","1024","1024","1024","1024","1024","1024","1052","1074","1126","10189","10240","10240","10240","102400","1048576","1048576","1048576","4882813","1073741824","1073741824"],
  "busybox -m": ["0","0","0","0","0","0","0","0","0","0","0","0","0","0","0","0","0","0","0","0","0","0","0","0","0","0","0","1","1","1","1","1","1","1","1","1","1","10","10","10","10","100","1024","1024","1024","4768","1048576","1048576"],
  "busybox -b": ["0","1","2","511","512","1000","1023","1024","1025","1535","1536","1537","2047","2048","4096","9215","9216","10239","10240","10241","10700","10752","10753","102400","236800","237000","237568","1047552","1048064","1048065","1048566","1048575","1048576","1048577","1077248","1100000","1153434","10433332","10485759","10485760","10485761","104857600","1073741823","1073741824","1073741825","5000000000","1099511627776","1099511627777"],
};

const ELF = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);

/** A rootfs whose du is GNU's (/usr/bin/du a program) or BusyBox's (/bin/du → busybox), with TREE under /w. */
function treeFs(dialect: 'gnu' | 'busybox'): FlatFs {
  const fs = makeRootfs(dialect === 'gnu' ? 'debian' : 'alpine');
  if (dialect === 'gnu') fs.writeFile('/usr/bin/du', ELF, { mode: 0o755 });
  else fs.symlink('/bin/busybox', '/bin/du');
  fs.now = () => T0;
  fs.mkdir('/w');
  for (const e of TREE) {
    const p = `/w/${e.path}`;
    if (e.kind === 'dir') fs.mkdir(p);
    else if (e.kind === 'file') fs.writeFile(p, new Uint8Array(e.size!));
    else if (e.kind === 'symlink') fs.symlink(e.target!, p);
    else fs.link(`/w/${e.target}`, p);
  }
  for (const e of TREE) if (e.mtime !== undefined) fs.utimes(`/w/${e.path}`, e.mtime, e.mtime);
  return fs;
}

const lines = (s: string) => s.split(/[\n\0]/).filter(Boolean);

/** Each printed path comes after every path below it. */
function isPostOrder(out: string): boolean {
  const paths = lines(out).map((l) => l.slice(l.indexOf('\t') + 1));
  return paths.every((p, i) => !paths.slice(i + 1).some((q) => q.startsWith(p.endsWith('/') ? p : p + '/')));
}

describe.each([
  ['gnu', GNU],
  ['busybox', BUSYBOX],
] as const)('du as %s du prints it', (dialect, recorded) => {
  it.each(recorded.map((r) => [r[0], r] as const))('du %s', async (_args, [args, stdout, stderr, code]) => {
    const sh = createShell({ fs: treeFs(dialect) });
    const r = await sh.run(`cd /w && du ${args}`);
    expect(r.stderr).toBe(stderr);
    expect(r.exitCode).toBe(code);
    expect(lines(r.stdout).sort()).toEqual(lines(stdout).sort());
    expect(r.stdout.endsWith('\0')).toBe(stdout.endsWith('\0'));
    expect(isPostOrder(r.stdout)).toBe(true);
  });
});

describe('du sizes', () => {
  it.each(Object.keys(FORMATS))('%s formats every recorded byte count as the real du', (label) => {
    const format = (n: number): string => {
      switch (label) {
        case 'gnu -h': return gnuSize(n, { human: true, base: 1024 });
        case 'gnu --si': return gnuSize(n, { human: true, base: 1000 });
        case 'gnu -k': return gnuSize(n, { human: false, unit: 1024 });
        case 'gnu -m': return gnuSize(n, { human: false, unit: 1024 * 1024 });
        case 'busybox -h': return busyboxSize(n, { bytes: true, unit: 0 });
        case 'busybox -k': return busyboxSize(n, { bytes: true, unit: 1024 });
        case 'busybox -m': return busyboxSize(n, { bytes: true, unit: 1024 * 1024 });
        default: return busyboxSize(n, { bytes: true, unit: 1 });
      }
    };
    expect(SIZES.map(format)).toEqual(FORMATS[label]);
  });

  it('counts blocks: a 3-byte file is 4 KiB, a hard link once (twice with -l), -h of 236 KiB per dialect', async () => {
    for (const dialect of ['gnu', 'busybox'] as const) {
      const fs = treeFs(dialect);
      // 57 files of 4 KiB and one of 1 byte in a directory: 58 blocks + the directory's = 236 KiB.
      fs.mkdir('/m');
      for (let i = 0; i < 57; i++) fs.writeFile(`/m/${i}`, new Uint8Array(4096));
      fs.writeFile('/m/one', new Uint8Array(1));
      const r = await createShell({ fs }).run('du -s /m; du -sh /m; echo hi > /a; du /a; mkdir /h; echo x > /h/1; ln /h/1 /h/2; du -s /h; du -sl /h');
      expect(r.stdout).toBe(`236\t/m\n236K\t/m\n4\t/a\n8\t/h\n12\t/h\n`.replace('236K', dialect === 'gnu' ? '236K' : '236.0K'));
    }
  });
});

describe('stat %b uses the same block model', () => {
  // Recorded as `stat -c '%b %n' d/link dl d d/f1 d/f4097` (GNU coreutils 9.1, ext4): fast symlinks hold no block.
  it('symlinks 0, a directory 8, a 1-byte file 8, a 4097-byte file 16 (512-byte units)', async () => {
    const r = await createShell({ fs: treeFs('gnu') }).run("cd /w && stat -c '%b %n' d/link dl d d/f1 d/f4097");
    expect(r.stdout).toBe('0 d/link\n0 dl\n8 d\n8 d/f1\n16 d/f4097\n');
  });
});

describe('du of an empty operand', () => {
  // Recorded as `du ''` (GNU 9.1 and BusyBox 1.35, LC_ALL=C).
  it.each([
    ['gnu', 'du: invalid zero-length file name\n'],
    ['busybox', 'du: : No such file or directory\n'],
  ] as const)('%s', async (dialect, message) => {
    const r = await createShell({ fs: treeFs(dialect) }).run("cd /w && du '' d/f1");
    expect([r.stderr, r.stdout, r.exitCode]).toEqual([message, '4\td/f1\n', 1]);
  });
});

describe('du in a directory it cannot read', () => {
  // Recorded as `runuser -u nobody -- du t` (GNU 9.1, BusyBox 1.35) with t/locked mode 700, owned by root.
  const RECORDED = {
    gnu: ["du: cannot read directory 't/locked': Permission denied\n", '4\tt/locked\n12\tt\n'],
    busybox: ["du: can't open 't/locked': Permission denied\n", '12\tt\n'],
  };
  it.each(['gnu', 'busybox'] as const)('%s: the message, the directory printed (GNU) or not (BusyBox), exit 1', async (dialect) => {
    const sh = createShell({ fs: treeFs(dialect) });
    await sh.run('mkdir -p /p/t/locked/in && echo x > /p/t/locked/in/f && echo y > /p/t/ok && chmod 700 /p/t/locked');
    const r = await sh.run('cd /p && du t', { user: { uid: 65534, gid: 65534 } });
    expect([r.stderr, r.stdout, r.exitCode]).toEqual([...RECORDED[dialect], 1]);
  });
});

describe('du and the runtime mounts', () => {
  it('counts nothing on proc and sysfs, and -x leaves the mounts out', async () => {
    const inner = treeFs('gnu');
    const fs = new SystemMountsFs(inner, { kind: 'build', hostname: 'buildkitsandbox' });
    const sh = createShell({ fs });
    const r = await sh.run('du -s /proc /sys; du -sx /w; du -x -d 1 / | grep -c -E "	/(proc|sys|dev)$"; du -d 1 / | grep -E "	/(proc|sys)$" | sort');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('0\t/proc\n0\t/sys\n1068\t/w\n0\n0\t/proc\n0\t/sys\n');
  });

  it('reads no file content: a tree of 2,000 files costs stat and readdir only', async () => {
    const fs = treeFs('gnu');
    fs.mkdir('/big');
    for (let i = 0; i < 2000; i++) fs.writeFile(`/big/${i}`, new Uint8Array(5000));
    let reads = 0;
    const readFile = fs.readFile.bind(fs);
    fs.readFile = (p: string) => {
      if (p.startsWith('/big')) reads++;
      return readFile(p);
    };
    const r = await createShell({ fs }).run('du -sh /big');
    // 2,000 × 2 blocks + the directory's: 16,004 KiB, 15.6 MiB rounded up.
    expect(r.stdout).toBe('16M\t/big\n');
    expect(reads).toBe(0);
  });
});
