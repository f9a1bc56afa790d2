/**
 * One controller process: migrate the database (safe when several start at once), start the pg-boss
 * workers, serve the servers' API and the admin pages. Processes share nothing but PostgreSQL, so
 * the controller scales out by starting more of them (behind one address) and survives losing one.
 */
import { readFileSync } from 'fs';
import { createServer as createHttpServer, type Server } from 'http';
import { createServer as createHttpsServer } from 'https';
import type { AddressInfo } from 'net';
import { databaseUrl, type FleetConfig } from './config';
import { startFleetJobs, type FleetJobs, type FleetLog } from './jobs';
import { createPool, migrate, type Pool } from './store';
import { buildFleetApp } from './web/app';
import { version as packageVersion } from '../../package.json';

export interface Controller {
  /** `http(s)://host:port` it listens on. */
  url: string;
  pool: Pool;
  jobs: FleetJobs;
  close(): Promise<void>;
}

export interface ControllerOptions {
  log?: FleetLog;
  /** Override `listen` (tests: port 0). */
  listen?: { host: string; port: number };
  onExpanded?: (repairId: number, serverId: number) => void;
}

export async function startController(config: FleetConfig, options: ControllerOptions = {}): Promise<Controller> {
  const log = options.log ?? (() => undefined);
  const connectionString = databaseUrl(config);
  const pool = createPool(connectionString, { max: config.database.poolSize });
  let jobs: FleetJobs | undefined;
  let server: Server | undefined;
  try {
    await migrate(pool);
    jobs = await startFleetJobs({
      connectionString,
      pool,
      jobs: config.jobs,
      work: true,
      log,
      ...(options.onExpanded ? { onExpanded: options.onExpanded } : {}),
    });
    const app = buildFleetApp({ pool, config, jobs, log, version: packageVersion });
    server = config.tls
      ? createHttpsServer({ cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) }, app)
      : createHttpServer(app);
    server.headersTimeout = 20_000;
    server.requestTimeout = 120_000;
    server.keepAliveTimeout = 5_000;
    const listen = options.listen ?? config.listen;
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(listen.port, listen.host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `${config.tls ? 'https' : 'http'}://${host}:${address.port}`;
    log({ level: 'info', msg: 'fleet controller listening', url, worker: jobs.worker });
    const started = { server, jobs };
    return {
      url,
      pool,
      jobs,
      async close() {
        await new Promise<void>((resolve) => {
          started.server.close(() => resolve());
          started.server.closeAllConnections();
        });
        await started.jobs.stop();
        await pool.end();
      },
    };
  } catch (err) {
    server?.close();
    await jobs?.stop().catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw err;
  }
}
