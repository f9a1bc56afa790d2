/**
 * `demo [--port N]`: the self-contained demo — a simulated cPanel/WHM server with broken domains,
 * the built-in demo DNS answerer and the daemon on http://127.0.0.1:8765 with a user picker.
 * (`npm start` runs the same demo and uses real PowerDNS when it is installed.)
 */
import type { Command } from 'commander';
import { runDemo } from '../../daemon/demo';
import { FixEmailAuthError } from '../../errors';
import type { CliIO } from '../io';

export function register(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description('Run the demo: a simulated cPanel server with broken domains and the web pages on http://127.0.0.1:8765')
    .option('--port <n>', 'TCP port on 127.0.0.1', process.env.PORT ?? '8765')
    .action(async (opts: { port: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new FixEmailAuthError('BAD_INPUT', '--port must be a TCP port number');
      await runDemo({ port, out: io.stdout });
    });
}
