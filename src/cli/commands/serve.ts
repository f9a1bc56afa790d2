/**
 * `serve [--socket PATH | --listen 127.0.0.1:PORT --dev]`: the daemon behind the cPanel and WHM
 * plugins. Production listens on the root-only Unix socket (`paths.socket` by default) and trusts the
 * bridges' identity headers; `--listen` is for development only and needs `--dev`, because its user
 * picker lets anyone who can reach the port on this machine act as any user, including the admin.
 * Stops gracefully on SIGTERM/SIGINT (running jobs get `--shutdown-seconds` to finish).
 */
import type { Command } from 'commander';
import { createDaemon, parseListen, type ListenTarget } from '../../daemon';
import { FixEmailAuthError } from '../../errors';
import { createServices } from '../../services';
import { cliConfig } from '../context';
import type { CliIO } from '../io';

interface ServeOptions {
  socket?: string;
  listen?: string;
  dev?: boolean;
  shutdownSeconds?: string;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('serve')
    .description('Run the daemon: on the root-only Unix socket (production) or on loopback TCP for development (--listen … --dev)')
    .option('--socket <path>', 'Unix socket to listen on (default: paths.socket of the configuration)')
    .option('--listen <host:port>', 'loopback TCP instead of the socket, with the demo user picker (needs --dev)')
    .option('--dev', 'allow --listen: anyone who can reach the port may act as any user')
    .option('--shutdown-seconds <n>', 'how long running jobs may take to finish at shutdown', '20')
    .action(async (opts: ServeOptions) => {
      if (opts.socket && opts.listen) throw new FixEmailAuthError('BAD_INPUT', 'Give --socket or --listen, not both');
      if (opts.listen && !opts.dev) {
        throw new FixEmailAuthError(
          'BAD_INPUT',
          '--listen runs the development picker (anyone who can reach the port may act as any user, the admin included); add --dev to confirm, or use the socket',
        );
      }
      const deadline = Number(opts.shutdownSeconds);
      if (!Number.isFinite(deadline) || deadline < 0 || deadline > 3600)
        throw new FixEmailAuthError('BAD_INPUT', '--shutdown-seconds must be between 0 and 3600');
      const config = cliConfig(io);
      let listen: ListenTarget;
      try {
        listen = opts.listen ? parseListen(opts.listen) : { socket: opts.socket ?? config.paths.socket };
      } catch (err) {
        throw new FixEmailAuthError('BAD_INPUT', (err as Error).message);
      }
      const services = createServices(config);
      const daemon = createDaemon(services, {
        listen,
        shutdownDeadlineMs: deadline * 1000,
        ...(opts.listen ? { demo: { notes: ['development mode: identities come from the picker'] } } : {}),
      });
      try {
        const { address } = await daemon.listen();
        io.stderr.write(`fix-email-auth: listening on ${address}\n`);
      } catch (err) {
        await daemon.close();
        services.close();
        throw err;
      }
      await new Promise<void>((resolve) => {
        const stop = () => {
          void daemon.close().finally(() => {
            services.close();
            resolve();
          });
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}
