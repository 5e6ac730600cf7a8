/**
 * What the catalog images' main programs print when asked for their version (`python --version`,
 * `node -v`, `nginx -v`, `redis-server --version`, `psql --version`, `postgres --version`,
 * `mysql --version`, `httpd -v`, `java -version`, `javac -version`), in each program's own words.
 * The version comes from the environment variable the official image sets (PYTHON_VERSION,
 * NODE_VERSION, NGINX_VERSION, REDIS_VERSION, PG_VERSION, MYSQL_VERSION, HTTPD_VERSION,
 * JAVA_VERSION) or, for a package installed with apk/apt, from the package database.
 *
 * Simulation: any other invocation of these programs is not run (exit 126 and one line saying so),
 * as before this model; a version the image does not state prints the package's version or `unknown`.
 */
import type { CommandIO, CommandOutput, ShellCommand } from './command.ts';
import { readInstalled } from '../packages/apk-db.ts';

const out = (stdout: string, stderr = '', exitCode = 0): CommandOutput => ({ stdout, stderr, exitCode });
const notModelled = (io: CommandIO): CommandOutput =>
  out('', `${io.name}: cannot run ${io.name} ${io.args.join(' ')}: layerlab models only this program's version output (e.g. ${io.name} --version)\n`.replace(/ {2,}/g, ' '), 126);

/** The version of an apk-installed package, if the image has apk's database. */
function apkVersion(io: CommandIO, name: string): string | undefined {
  return readInstalled(io.fs).find((r) => r.name === name)?.version.replace(/-r\d+$/, '');
}

/** The version of a dpkg-installed package (`Version:` of its status stanza), without epoch and revision. */
function dpkgVersion(io: CommandIO, pattern: RegExp): string | undefined {
  try {
    const status = new TextDecoder().decode(io.fs.readFile('/var/lib/dpkg/status'));
    for (const stanza of status.split('\n\n')) {
      const name = /^Package: (.*)$/m.exec(stanza)?.[1];
      if (name && pattern.test(name)) return /^Version: (?:\d+:)?([^-\s]+)/m.exec(stanza)?.[1];
    }
  } catch {
    /* no dpkg database */
  }
  return undefined;
}

const env = (io: CommandIO, k: string) => io.env.get(k) || undefined;
const arch = () => 'x86_64';

const python: ShellCommand = (io) => {
  const a = io.args[0];
  if (a !== '--version' && a !== '-V') return notModelled(io);
  const fromName = /python(\d+\.\d+)$/.exec(io.name)?.[1];
  const v = env(io, 'PYTHON_VERSION') ?? apkVersion(io, 'python3') ?? dpkgVersion(io, /^python3\.\d+-minimal$/) ?? (fromName ? `${fromName}.0` : 'unknown');
  return out(`Python ${v}\n`);
};

const node: ShellCommand = (io) => {
  const a = io.args[0];
  if (a !== '--version' && a !== '-v') return notModelled(io);
  const v = env(io, 'NODE_VERSION') ?? apkVersion(io, 'nodejs') ?? dpkgVersion(io, /^nodejs$/) ?? 'unknown';
  return out(`v${v}\n`);
};

const nginx: ShellCommand = (io) => {
  const a = io.args[0];
  const v = env(io, 'NGINX_VERSION') ?? apkVersion(io, 'nginx') ?? dpkgVersion(io, /^nginx(-core)?$/) ?? 'unknown';
  if (a === '-v') return out('', `nginx version: nginx/${v}\n`);
  if (a === '-V') return out('', `nginx version: nginx/${v}\nbuilt by gcc 14.2.0 (Debian 14.2.0-19)\nbuilt with OpenSSL 3.5.1 1 Jul 2025\nTLS SNI support enabled\nconfigure arguments: --prefix=/etc/nginx --sbin-path=/usr/sbin/nginx --modules-path=/usr/lib/nginx/modules --conf-path=/etc/nginx/nginx.conf --error-log-path=/var/log/nginx/error.log --http-log-path=/var/log/nginx/access.log --pid-path=/run/nginx.pid --lock-path=/run/nginx.lock --user=nginx --group=nginx --with-compat --with-file-aio --with-threads --with-http_ssl_module --with-http_v2_module --with-http_v3_module --with-stream\n`);
  if (a === '-t') return out('', 'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n');
  return notModelled(io);
};

const redisServer: ShellCommand = (io) => {
  const a = io.args[0];
  if (a !== '--version' && a !== '-v') return notModelled(io);
  const v = env(io, 'REDIS_VERSION') ?? apkVersion(io, 'redis') ?? 'unknown';
  return out(`Redis server v=${v} sha=00000000:1 malloc=jemalloc-5.3.0 bits=64 build=${(v.length * 0x1f3d5b79 >>> 0).toString(16)}\n`);
};

const redisCli: ShellCommand = (io) => {
  const a = io.args[0];
  if (a !== '--version' && a !== '-v') return notModelled(io);
  return out(`redis-cli ${env(io, 'REDIS_VERSION') ?? apkVersion(io, 'redis') ?? 'unknown'}\n`);
};

/** `PG_VERSION=18.4-1.pgdg13+1` → `18.4 (Debian 18.4-1.pgdg13+1)`. */
function pgVersion(io: CommandIO): string {
  const pg = env(io, 'PG_VERSION');
  if (pg) return `${pg.split('-')[0]} (Debian ${pg})`;
  const apkV = apkVersion(io, 'postgresql17-client') ?? apkVersion(io, 'postgresql17');
  if (apkV) return apkV;
  return dpkgVersion(io, /^postgresql-client-\d+$/) ?? 'unknown';
}
const psql: ShellCommand = (io) => (io.args[0] === '--version' || io.args[0] === '-V' ? out(`psql (PostgreSQL) ${pgVersion(io)}\n`) : notModelled(io));
const postgres: ShellCommand = (io) => (io.args[0] === '--version' || io.args[0] === '-V' ? out(`postgres (PostgreSQL) ${pgVersion(io)}\n`) : notModelled(io));

function mysqlLine(io: CommandIO, prog: string): string {
  const v = env(io, 'MYSQL_VERSION');
  if (v) return `${prog}  Ver ${v.split('-')[0]} for Linux on ${arch()} (MySQL Community Server - GPL)`;
  const maria = apkVersion(io, 'mariadb-client') ?? dpkgVersion(io, /^mariadb-client(-core)?$/);
  if (maria) return `${prog.split('/').pop()} from ${maria}-MariaDB, client 15.2 for Linux (${arch()}) using readline 5.1`;
  return `${prog}  Ver unknown for Linux on ${arch()}`;
}
const mysql: ShellCommand = (io) => (io.args[0] === '--version' || io.args[0] === '-V' ? out(mysqlLine(io, 'mysql') + '\n') : notModelled(io));
const mysqld: ShellCommand = (io) => (io.args[0] === '--version' || io.args[0] === '-V' ? out(mysqlLine(io, '/usr/sbin/mysqld') + '\n') : notModelled(io));

const httpd: ShellCommand = (io) => {
  const a = io.args[0];
  if (a !== '-v' && a !== '-V') return notModelled(io);
  const v = env(io, 'HTTPD_VERSION') ?? apkVersion(io, 'apache2') ?? 'unknown';
  return out(`Server version: Apache/${v} (Unix)\nServer built:   Aug 25 2026 00:20:58\n`);
};

/** The JDK's release date, as `$JAVA_HOME/release` records it (`JAVA_VERSION_DATE="2026-07-21"`). */
function javaDate(io: CommandIO): string {
  const home = env(io, 'JAVA_HOME');
  try {
    const release = home ? new TextDecoder().decode(io.fs.readFile(`${home}/release`)) : '';
    return /^JAVA_VERSION_DATE="([^"]+)"/m.exec(release)?.[1] ?? '';
  } catch {
    return '';
  }
}

/** `JAVA_VERSION=jdk-21.0.12+8` → feature `21.0.12`, build `21.0.12+8`; the date from the JDK's release file. */
function javaVersion(io: CommandIO): { version: string; build: string; vendor: string; date: string } {
  const raw = env(io, 'JAVA_VERSION');
  if (raw) {
    const build = raw.replace(/^jdk-?/, '');
    return { version: build.split('+')[0], build, vendor: io.fs && env(io, 'JAVA_HOME') === '/opt/java/openjdk' ? `Temurin-${build}` : '', date: javaDate(io) };
  }
  const apkV = apkVersion(io, 'openjdk21-jre-headless') ?? apkVersion(io, 'openjdk17-jre-headless');
  const v = apkV?.replace(/_p(\d+)$/, '+$1') ?? 'unknown';
  return { version: v.split('+')[0], build: v, vendor: '', date: javaDate(io) };
}
const java: ShellCommand = (io) => {
  const a = io.args[0];
  const { version, build, vendor, date } = javaVersion(io);
  const when = date ? ` ${date}` : '';
  const lts = /^(8|11|17|21|25)\b/.test(version) ? ' LTS' : '';
  const rt = vendor ? `OpenJDK Runtime Environment ${vendor} (build ${build}${lts ? '-LTS' : ''})` : `OpenJDK Runtime Environment (build ${build})`;
  const vm = vendor ? `OpenJDK 64-Bit Server VM ${vendor} (build ${build}${lts ? '-LTS' : ''}, mixed mode, sharing)` : `OpenJDK 64-Bit Server VM (build ${build}, mixed mode, sharing)`;
  if (a === '-version') return out('', `openjdk version "${version}"${when}${lts}\n${rt}\n${vm}\n`);
  if (a === '--version') return out(`openjdk ${version}${when}${lts}\n${rt}\n${vm}\n`);
  return notModelled(io);
};
const javac: ShellCommand = (io) => (io.args[0] === '-version' || io.args[0] === '--version' ? out(`javac ${javaVersion(io).version}\n`) : notModelled(io));

/**
 * The version models by program name. `index.ts` spreads them first, so a fuller model of the same
 * program (e.g. a python that runs pip) registered there takes precedence.
 */
export const PROGRAM_MODELS: Readonly<Record<string, ShellCommand>> = {
  python, python3: python, 'python3.11': python, 'python3.12': python, 'python3.13': python, 'python3.14': python,
  node, nodejs: node, nginx, 'redis-server': redisServer, 'redis-cli': redisCli, psql, postgres, mysql, mysqld, mariadb: mysql, httpd, java, javac,
};
