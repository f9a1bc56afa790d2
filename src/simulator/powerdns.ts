/**
 * A real PowerDNS Authoritative (bind backend) on a loopback port, serving the simulator's zone files
 * the way cPanel's PowerDNS serves /var/named (docs/reference/cpanel-plugins.md §9). `reload` is what cPanel's
 * RELOADBIND does after an API edit; `addZone` what it does for a new zone.
 */
import { execFile, spawn, type ChildProcess } from 'child_process';
import { createSocket } from 'dgram';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { delimiter, join } from 'path';
import * as dnsPacket from 'dns-packet';

export interface PowerDns {
  port: number;
  address: '127.0.0.1';
  /** Re-read one zone file now (`pdns_control bind-reload-now`); adds the zone when it is new. */
  reload(zone: string): Promise<void>;
  /** Start serving a zone whose file is `<zonesDir>/<zone>.db` (`pdns_control bind-add-zone`). */
  addZone(zone: string): Promise<void>;
  stop(): Promise<void>;
}

export interface StartPowerDnsOptions {
  zonesDir: string;
  zones: string[];
}

const INSTALL_HINT = 'apt-get install pdns-server pdns-backend-bind';

function findExecutable(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

/** A port free for both UDP and TCP on 127.0.0.1 right now (PowerDNS binds both). */
async function freeDnsPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (port && udpFree) return port;
  }
  throw new Error('no free UDP+TCP port on 127.0.0.1');
}

/** One UDP query; resolves with the answer packet or null on timeout. */
function query(port: number, name: string, type: 'SOA' | 'TXT', timeoutMs = 300): Promise<dnsPacket.Packet | null> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(null);
    }, timeoutMs);
    socket.on('message', (message) => {
      clearTimeout(timer);
      socket.close();
      try {
        resolve(dnsPacket.decode(message));
      } catch {
        resolve(null);
      }
    });
    socket.on('error', () => {
      clearTimeout(timer);
      socket.close();
      resolve(null);
    });
    const packet = dnsPacket.encode({ type: 'query', id: 4242, flags: 0, questions: [{ type, name, class: 'IN' }] });
    socket.send(packet, port, '127.0.0.1');
  });
}

function run(file: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 10000 }, (err, stdout, stderr) => {
      const exitCode = (err as { code?: unknown } | null)?.code;
      const code = err ? (typeof exitCode === 'number' ? exitCode : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}`.trim() });
    });
  });
}

function namedConfEntry(zonesDir: string, zone: string): string {
  return `zone "${zone}" { type master; file "${join(zonesDir, `${zone}.db`)}"; };\n`;
}

export async function startPowerDns(opts: StartPowerDnsOptions): Promise<PowerDns> {
  const server = findExecutable('pdns_server');
  const control = findExecutable('pdns_control');
  if (!server || !control) throw new Error(`PowerDNS is not installed (pdns_server/pdns_control not found): ${INSTALL_HINT}`);
  for (const zone of opts.zones) {
    if (!/^[a-z0-9_.-]+$/.test(zone)) throw new Error(`refusing zone name ${JSON.stringify(zone)} in named.conf`);
  }

  const home = mkdtempSync(join(tmpdir(), 'fea-pdns-'));
  const configDir = join(home, 'conf');
  const socketDir = join(home, 'sock');
  const namedConf = join(home, 'named.conf');
  mkdirSync(configDir);
  mkdirSync(socketDir);
  // An empty pdns.conf: nothing from /etc/powerdns may leak in (no other backends, no API).
  writeFileSync(join(configDir, 'pdns.conf'), '');
  writeFileSync(namedConf, opts.zones.map((zone) => namedConfEntry(opts.zonesDir, zone)).join(''));
  const known = new Set(opts.zones);

  let child: ChildProcess | undefined;
  let output = '';
  let port = 0;
  for (let attempt = 0; attempt < 3 && !child; attempt++) {
    port = await freeDnsPort();
    const candidate = spawn(
      server,
      [
        `--config-dir=${configDir}`,
        '--launch=bind',
        `--bind-config=${namedConf}`,
        '--local-address=127.0.0.1',
        `--local-port=${port}`,
        `--socket-dir=${socketDir}`,
        '--daemon=no',
        '--guardian=no',
        '--disable-syslog=yes',
        '--write-pid=no',
        // Answers must change the moment a zone is reloaded.
        '--cache-ttl=0',
        '--query-cache-ttl=0',
        '--negquery-cache-ttl=0',
        '--zone-cache-refresh-interval=0',
        // No security-status query to the internet.
        '--security-poll-suffix=',
        '--distributor-threads=1',
        '--receiver-threads=1',
        '--loglevel=4',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    candidate.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    candidate.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<'exited'>((resolve) => candidate.once('exit', () => resolve('exited')));
    const ready = (async () => {
      for (let i = 0; i < 100; i++) {
        if (candidate.exitCode !== null) return 'exited' as const;
        if (await query(port, opts.zones[0] ?? '.', 'SOA', 100)) return 'ready' as const;
      }
      return 'timeout' as const;
    })();
    const outcome = await Promise.race([ready, exited]);
    if (outcome === 'ready') child = candidate;
    else candidate.kill('SIGKILL');
  }
  if (!child) {
    rmSync(home, { recursive: true, force: true });
    throw new Error(`pdns_server did not start:\n${output.slice(-2000)}`);
  }
  const proc = child;

  const controlArgs = [`--config-dir=${configDir}`, `--socket-dir=${socketDir}`];
  const addZone = async (zone: string) => {
    if (!/^[a-z0-9_.-]+$/.test(zone)) throw new Error(`refusing zone name ${JSON.stringify(zone)}`);
    appendFileSync(namedConf, namedConfEntry(opts.zonesDir, zone));
    const file = join(opts.zonesDir, `${zone}.db`);
    const result = await run(control, [...controlArgs, 'bind-add-zone', zone, file]);
    if (result.code !== 0 || /error|fail/i.test(result.output)) throw new Error(`pdns_control bind-add-zone ${zone}: ${result.output}`);
    known.add(zone);
  };
  const reload = async (zone: string) => {
    if (!known.has(zone)) return addZone(zone);
    const result = await run(control, [...controlArgs, 'bind-reload-now', zone]);
    // Success prints "<zone>: parsed into memory at …"; a broken file prints the parse error.
    if (result.code !== 0 || !result.output.includes('parsed into memory'))
      throw new Error(`pdns_control bind-reload-now ${zone}: ${result.output}`);
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (proc.exitCode === null) {
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(home, { recursive: true, force: true });
  };
  return { port, address: '127.0.0.1', reload, addZone, stop };
}

export { query as queryPowerDns };
