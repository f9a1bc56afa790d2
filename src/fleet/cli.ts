/**
 * The fleet controller's commands, registered under `fix-email-auth fleet` (src/cli/commands/fleet.ts):
 * `serve`, `migrate`, `admin <name>`, `enroll --name N`, `servers`, `domains`, `repair`, `revoke`.
 * They work on the controller's PostgreSQL directly (FIX_EMAIL_AUTH_FLEET_CONFIG or
 * FIX_EMAIL_AUTH_FLEET_DATABASE_URL), so they run on any controller host, like `fleet serve` itself.
 */
import type { Command } from 'commander';
import { toCsv } from '../csv';
import { FixEmailAuthError } from '../errors';
import { staleFilter } from './app/stale';
import { databaseUrl, loadFleetConfig, type FleetConfig } from './config';
import { startController } from './controller';
import { startFleetJobs, type FleetJobs } from './jobs';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords';
import { newEnrollmentToken } from './protocol';
import {
  ADMIN_NAME,
  audit,
  createEnrollmentToken,
  createPool,
  getRepair,
  listServers,
  migrate,
  queryDomains,
  repairItems,
  revokeServer,
  setAdminPassword,
  type DomainFilter,
  type Pool,
} from './store';
import type { DomainStatus } from './protocol';

export interface FleetCliIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  /** The whole of standard input (the admin password is read from it, never from the command line). */
  readStdin(): Promise<string>;
}

async function withPool<T>(io: FleetCliIO, fn: (pool: Pool, config: FleetConfig) => Promise<T>): Promise<T> {
  const config = loadFleetConfig(io.env);
  const pool = createPool(databaseUrl(config), { max: 3, applicationName: 'fix-email-auth-fleet-cli' });
  try {
    await migrate(pool);
    return await fn(pool, config);
  } finally {
    await pool.end();
  }
}

const json = (io: FleetCliIO, value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

async function serverIdOf(pool: Pool, config: FleetConfig, nameOrId: string): Promise<number> {
  const servers = await listServers(pool, config.staleAfterSeconds);
  const found = servers.find((s) => !s.revokedAt && (s.name === nameOrId || String(s.id) === nameOrId));
  if (!found) throw new FixEmailAuthError('NOT_FOUND', `No enrolled server is named ${nameOrId}`);
  return found.id;
}

interface FilterOptions {
  server?: string;
  reseller?: string;
  account?: string;
  status?: string[];
  code?: string;
  prefix?: string;
}

async function filterOf(pool: Pool, config: FleetConfig, o: FilterOptions): Promise<DomainFilter> {
  const statuses = (o.status ?? []).filter((s): s is DomainStatus => ['ok', 'info', 'warning', 'error', 'unknown'].includes(s));
  return {
    ...(o.server ? { serverId: await serverIdOf(pool, config, o.server) } : {}),
    ...(o.reseller ? { owner: o.reseller } : {}),
    ...(o.account ? { user: o.account } : {}),
    ...(statuses.length ? { status: statuses } : {}),
    ...(o.code ? { codes: [o.code] } : {}),
    ...(o.prefix ? { prefix: o.prefix.toLowerCase() } : {}),
  };
}

function filterFlags(cmd: Command): Command {
  return cmd
    .option('--server <name>', 'one server (name or id)')
    .option('--reseller <user>', 'accounts of this reseller')
    .option('--account <user>', 'one cPanel account')
    .option('--status <status...>', 'error, unknown, warning, info, ok')
    .option('--code <code>', 'a finding code, e.g. LOCKDOWN_STALE')
    .option('--prefix <text>', 'domain names starting with this');
}

export function registerControllerCommands(fleet: Command, io: FleetCliIO, setExit: (code: number) => void): void {
  fleet
    .command('serve')
    .description('Run a fleet controller process (several may run on one PostgreSQL)')
    .option('--listen <host:port>', 'address to listen on (default: listen of the fleet configuration)')
    .action(async (opts: { listen?: string }) => {
      const config = loadFleetConfig(io.env);
      let listen = config.listen;
      if (opts.listen) {
        const m = /^(.+):(\d{1,5})$/.exec(opts.listen);
        if (!m) throw new FixEmailAuthError('BAD_INPUT', '--listen takes host:port');
        listen = { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
      }
      const log = (e: Record<string, unknown>) => io.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...e })}\n`);
      const controller = await startController(config, { listen, log });
      io.stderr.write(`fix-email-auth fleet: listening on ${controller.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void controller.close().finally(resolve);
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });

  fleet
    .command('migrate')
    .description('Create or update the controller’s tables (serve does this too)')
    .action(async () => {
      await withPool(io, async () => undefined);
      io.stdout.write('fleet database is up to date\n');
    });

  fleet
    .command('admin <username>')
    .description('Create a fleet admin, or set their password; the password is read from standard input')
    .action(async (username: string) => {
      if (!ADMIN_NAME.test(username)) throw new FixEmailAuthError('BAD_INPUT', 'An admin name is letters, digits, ".", "_", "@" and "-"');
      const password = (await io.readStdin()).replace(/\r?\n$/, '');
      if (password.length < MIN_PASSWORD_LENGTH)
        throw new FixEmailAuthError('BAD_INPUT', `The password must have at least ${MIN_PASSWORD_LENGTH} characters`);
      const hash = await hashPassword(password);
      await withPool(io, async (pool) => {
        await setAdminPassword(pool, username, hash);
        await audit(pool, `cli:${io.env.SUDO_USER ?? io.env.USER ?? 'root'}`, 'admin-password', null, { username });
      });
      io.stdout.write(`fleet admin ${username} can sign in\n`);
    });

  fleet
    .command('enroll')
    .description('Make a one-time token for a server to join with `fleet join`')
    .requiredOption('--name <name>', 'the server’s name in the fleet')
    .option('--hours <n>', 'how long the token stays valid')
    .option('--json', 'JSON output')
    .action(async (opts: { name: string; hours?: string; json?: boolean }) => {
      await withPool(io, async (pool, config) => {
        const token = newEnrollmentToken();
        const hours = opts.hours ? Number(opts.hours) : config.enrollmentTokenHours;
        if (!Number.isFinite(hours) || hours <= 0 || hours > 720)
          throw new FixEmailAuthError('BAD_INPUT', '--hours must be between 0 and 720');
        const created = await createEnrollmentToken(pool, {
          token,
          serverName: opts.name,
          createdBy: `cli:${io.env.USER ?? 'root'}`,
          expiresInHours: hours,
        });
        const url = config.publicUrl ?? `http://${config.listen.host}:${config.listen.port}`;
        const command = `fix-email-auth fleet join ${url} ${token}`;
        if (opts.json) json(io, { name: opts.name, token, expiresAt: created.expiresAt, command });
        else io.stdout.write(`On ${opts.name}, as root (the token works once, until ${created.expiresAt}):\n\n  ${command}\n`);
      });
    });

  fleet
    .command('servers')
    .description('The servers with their last report and counts')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }) => {
      await withPool(io, async (pool, config) => {
        const servers = await listServers(pool, config.staleAfterSeconds);
        if (opts.json) return void json(io, { servers });
        for (const s of servers) {
          const state = s.revokedAt ? 'revoked' : s.stale ? 'NOT REPORTING' : 'reporting';
          io.stdout.write(
            `${s.name.padEnd(20)} ${state.padEnd(14)} last ${s.lastSeenAt ?? 'never'}  ${s.domains} domains, ${s.byStatus.error} with problems, ${s.openRequests} open requests\n`,
          );
        }
        if (servers.some((s) => !s.revokedAt && s.stale)) setExit(1);
      });
    });

  filterFlags(fleet.command('domains').description('Every domain across servers, filtered'))
    .option('--limit <n>', 'most rows', '100')
    .option('--json', 'JSON output')
    .option('--csv', 'CSV output')
    .action(async (opts: FilterOptions & { limit: string; json?: boolean; csv?: boolean }) => {
      await withPool(io, async (pool, config) => {
        const filter = await filterOf(pool, config, opts);
        const page = await queryDomains(pool, { ...filter, limit: Math.min(Number(opts.limit) || 100, 5000) }, config.staleAfterSeconds);
        if (opts.json) return void json(io, page);
        if (opts.csv)
          return void io.stdout.write(
            toCsv(page.rows, [
              { header: 'server', value: (d) => d.server },
              { header: 'domain', value: (d) => d.domain },
              { header: 'account', value: (d) => d.user },
              { header: 'reseller', value: (d) => d.owner },
              { header: 'status', value: (d) => d.status },
              { header: 'codes', value: (d) => d.codes.join(' ') },
            ]),
          );
        for (const d of page.rows)
          io.stdout.write(
            `${d.status.padEnd(8)} ${d.domain.padEnd(40)} ${d.server.padEnd(16)} ${d.user}  ${d.codes.filter((c) => !c.endsWith('_OK')).join(' ')}\n`,
          );
        io.stdout.write(`${page.rows.length} of ${page.total}\n`);
      });
    });

  filterFlags(
    fleet
      .command('repair')
      .description('Ask the servers to repair domains: every stale one matching the filter, or --domain server:domain'),
  )
    .option('--all-stale', 'every stale domain matching the filter')
    .option('--domain <server:domain...>', 'these domains')
    .option('--wait', 'follow until every server has answered')
    .option('--json', 'JSON output')
    .action(async (opts: FilterOptions & { allStale?: boolean; domain?: string[]; wait?: boolean; json?: boolean }) => {
      await withPool(io, async (pool, config) => {
        let selection: Parameters<FleetJobs['requestRepair']>[1];
        if (opts.allStale) {
          const filter = await filterOf(pool, config, opts);
          selection = { kind: 'filter', filter: { ...filter, ...staleFilter() }, label: 'Stale domains (command line)' };
        } else if (opts.domain?.length) {
          const domains = [];
          for (const d of opts.domain) {
            const [server, domain] = d.split(':');
            if (!server || !domain) throw new FixEmailAuthError('BAD_INPUT', `--domain takes server:domain, not ${d}`);
            domains.push({ serverId: await serverIdOf(pool, config, server), domain: domain.toLowerCase() });
          }
          selection = { kind: 'domains', domains };
        } else throw new FixEmailAuthError('BAD_INPUT', 'Give --all-stale (with filters) or --domain server:domain');
        const jobs = await startFleetJobs({ connectionString: databaseUrl(config), pool, jobs: config.jobs, work: false });
        let repairId: number;
        try {
          repairId = await jobs.requestRepair(`cli:${io.env.USER ?? 'root'}`, selection);
        } finally {
          await jobs.stop();
        }
        if (!opts.wait) return void (opts.json ? json(io, { repairId }) : io.stdout.write(`repair ${repairId} requested\n`));
        for (;;) {
          const found = await getRepair(pool, repairId, config.staleAfterSeconds);
          if (found && ['done', 'cancelled', 'failed'].includes(found.repair.status)) {
            const items = await repairItems(pool, repairId);
            if (opts.json) json(io, { ...found, items });
            else
              for (const i of items)
                io.stdout.write(`${i.server.padEnd(16)} ${i.domain.padEnd(40)} ${i.state}${i.reason ? ` (${i.reason})` : ''}\n`);
            if (found.repair.counts.failed || found.repair.status !== 'done') setExit(1);
            return;
          }
          await new Promise((r) => setTimeout(r, 1000));
        }
      });
    });

  fleet
    .command('revoke <server>')
    .description('Stop accepting a server’s pushes and pulls; its open requests are cancelled')
    .action(async (server: string) => {
      await withPool(io, async (pool, config) => {
        const id = await serverIdOf(pool, config, server);
        await revokeServer(pool, id, `cli:${io.env.USER ?? 'root'}`);
        io.stdout.write(`${server} revoked\n`);
      });
    });
}
