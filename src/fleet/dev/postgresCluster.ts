/**
 * A throw-away PostgreSQL cluster on a loopback port, from the system's own packages (Debian's
 * `postgresql`: /usr/lib/postgresql/<version>/bin), for the tests, the benchmarks and trying the
 * fleet controller on a laptop. `initdb` into a temporary folder, then `postgres` in the foreground
 * as a child process, tuned for speed over durability (fsync off: the data is thrown away).
 *
 * PostgreSQL refuses to run as root (https://www.postgresql.org/docs/current/app-postgres.html), so
 * as root both run as the `postgres` user the package creates, owning the temporary folder.
 * A missing installation is an error that says what to install, never a quiet skip.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import { createConnection, createServer } from 'net';
import { tmpdir, userInfo } from 'os';
import { join } from 'path';

export const POSTGRES_INSTALL_HINT = 'apt-get install -y postgresql';

export interface PostgresCluster {
  /** `postgres://fleet@127.0.0.1:<port>/postgres` (trust authentication on loopback). */
  url: string;
  port: number;
  /** The connection string of a new, empty database in this cluster. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** The newest PostgreSQL's bin folder, from PG_BIN, Debian's layout or `pg_config --bindir`. */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string | null {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
  if (env.PG_BIN) return has(env.PG_BIN) ? env.PG_BIN : null;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (has(join(root, v, 'bin'))) return join(root, v, 'bin');
  }
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (has(dir)) return dir;
  } catch {
    // no pg_config on PATH
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** uid/gid to run PostgreSQL as: the `postgres` user when we are root, else ourselves. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  let entry = '';
  try {
    entry = execFileSync('getent', ['passwd', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // no such user
  }
  const [, , uid, gid] = entry.split(':');
  if (!uid || !gid) throw new Error(`Running as root, but there is no "postgres" user to run PostgreSQL as: ${POSTGRES_INSTALL_HINT}`);
  return { uid: Number(uid), gid: Number(gid) };
}

export interface StartClusterOptions {
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string | number>;
}

export async function startPostgresCluster(options: StartClusterOptions = {}): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error(`PostgreSQL is not installed (initdb and postgres not found): ${POSTGRES_INSTALL_HINT}`);
  const owner = runAs();
  const home = mkdtempSync(join(tmpdir(), 'fea-pg-'));
  const data = join(home, 'data');
  const sockets = join(home, 'sock');
  mkdirSync(sockets);
  if (owner) {
    chownSync(home, owner.uid, owner.gid);
    chownSync(sockets, owner.uid, owner.gid);
  }
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
  try {
    execFileSync(
      join(bin, 'initdb'),
      ['-D', data, '-U', 'fleet', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      { ...asOwner, stdio: ['ignore', 'ignore', 'pipe'], cwd: home, env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (err) {
    rmSync(home, { recursive: true, force: true });
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`initdb failed: ${stderr || (err as Error).message}`, { cause: err });
  }

  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: sockets,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: 200,
    shared_buffers: '64MB',
    log_min_messages: 'warning',
    ...options.settings,
  };
  let child: ChildProcess | undefined;
  let port = 0;
  let output = '';
  for (let attempt = 0; attempt < 3 && !child; attempt++) {
    port = await freePort();
    const args = ['-D', data, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
    const candidate = spawn(join(bin, 'postgres'), args, { ...asOwner, cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
    candidate.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    candidate.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    for (let i = 0; i < 200 && candidate.exitCode === null; i++) {
      if (await canConnect(port)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // Accepting TCP is not yet accepting queries: wait for the "ready" line.
    for (let i = 0; i < 200 && candidate.exitCode === null && !/ready to accept connections/.test(output); i++)
      await new Promise((r) => setTimeout(r, 25));
    if (candidate.exitCode === null && /ready to accept connections/.test(output)) child = candidate;
    else candidate.kill('SIGKILL');
  }
  if (!child) {
    rmSync(home, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start (as ${owner ? 'postgres' : userInfo().username}):\n${output.slice(-2000)}`);
  }
  const proc = child;
  const url = `postgres://fleet@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    port,
    async createDatabase(name) {
      if (!/^[a-z][a-z0-9_]{0,40}$/.test(name)) throw new Error(`refusing database name ${JSON.stringify(name)}`);
      const { Client } = await import('pg');
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://fleet@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (proc.exitCode === null) {
        const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
        proc.kill('SIGINT'); // "fast shutdown"
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
