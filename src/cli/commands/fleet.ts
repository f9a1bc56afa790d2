/**
 * `fleet …`: on a cPanel server, `fleet join <controller-url> <token>` (enroll), `fleet sync` (push and
 * pull now, the daemon does it on its own) and `fleet status`; on the controller host, the
 * controller's commands (src/fleet/cli.ts: serve, migrate, admin, enroll, servers, domains, repair,
 * revoke). The two sides share no code but the wire protocol.
 */
import type { Command } from 'commander';
import { FixEmailAuthError } from '../../errors';
import { registerControllerCommands } from '../../fleet/cli';
import type { CliIO } from '../io';
import { cliConfig, withServices } from '../context';
import { printJson } from '../io';

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

export function register(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const fleet = program
    .command('fleet')
    .description('Report to a fleet controller (join, sync, status) or run one (serve, enroll, servers, domains, repair …)');

  fleet
    .command('join <controller-url> <token>')
    .description('Enroll this server with a fleet controller, using a one-time token from `fleet enroll`')
    .option('--ca-file <pem>', 'the CA the controller’s HTTPS certificate chains to (default: the system’s)')
    .option('--force', 'replace an existing enrollment')
    .action(async (url: string, token: string, opts: { caFile?: string; force?: boolean }) => {
      const { fleetJoinDeps } = await import('../../fleetWiring');
      const { joinFleet } = await import('../../usecases/fleet');
      await withServices(cliConfig(io), async (services) => {
        const joined = await joinFleet(fleetJoinDeps(services), {
          controllerUrl: url,
          token,
          ...(opts.caFile ? { caFile: opts.caFile } : {}),
          ...(opts.force ? { force: true } : {}),
        });
        io.stdout.write(
          `Joined the fleet as ${joined.name} (server ${joined.serverId}). The daemon reports to it from its next start or check; \`fix-email-auth fleet sync\` does it now.\n`,
        );
      });
    });

  fleet
    .command('sync')
    .description('Push what changed and pull repair requests now (the daemon does this on its own)')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }) => {
      const { fleetCredentials, fleetSyncDeps } = await import('../../fleetWiring');
      const { syncWithController } = await import('../../usecases/fleet');
      const { cliRunner } = await import('./jobs');
      await withServices(cliConfig(io), async (services) => {
        const credentials = fleetCredentials(services);
        if (!credentials)
          throw new FixEmailAuthError('BAD_INPUT', 'This server has not joined a fleet (fix-email-auth fleet join <url> <token>)');
        services.store.fleet.enableFleetFeed();
        const runner = cliRunner(services);
        const deps = fleetSyncDeps(services, runner, credentials);
        const report = await syncWithController(deps, { pull: true });
        // Repairs this process accepted run here: wait for them, then report how they ended.
        for (const id of runner.active()) await runner.settled(id);
        const final = report.accepted ? await syncWithController(deps, { pull: false }) : null;
        if (opts.json) return printJson(io, { ...report, settled: report.settled + (final?.settled ?? 0) });
        io.stdout.write(
          `pushed ${report.pushedEntries + (final?.pushedEntries ?? 0)} entries; ${report.pulled} requests: ${report.accepted} accepted, ${report.declined} declined\n`,
        );
      });
    });

  fleet
    .command('status')
    .description('Whether this server belongs to a fleet, and its last exchange')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }) => {
      const { fleetCredentials } = await import('../../fleetWiring');
      const { ACKED_SEQ, LAST_CONTACT } = await import('../../usecases/fleet');
      await withServices(cliConfig(io), async (services) => {
        const credentials = fleetCredentials(services);
        const status = credentials
          ? {
              joined: true,
              controller: credentials.controllerUrl,
              name: credentials.name,
              serverId: credentials.serverId,
              lastContact: services.store.fleet.fleetState(LAST_CONTACT) ?? null,
              acknowledged: Number(services.store.fleet.fleetState(ACKED_SEQ) ?? 0),
              waiting: services.store.fleet.outboxSize(),
            }
          : { joined: false };
        if (opts.json) return printJson(io, status);
        if (!credentials) {
          io.stdout.write('This server has not joined a fleet.\n');
          return setExit(1);
        }
        io.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      });
    });

  registerControllerCommands(fleet, { ...io, readStdin }, setExit);
}
