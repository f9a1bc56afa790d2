/** `plesk-template [--fix] [--json]`: the server DNS template's `_mailchannels` record (Plesk), and its fix. */
import type { Command } from 'commander';
import { checkDnsTemplate, fixDnsTemplate } from '../../usecases/dnsTemplate';
import { cliActor } from '../actor';
import { cliConfig, withServices } from '../context';
import { EXIT_OK, EXIT_PROBLEMS, printJson, type CliIO } from '../io';

export function registerTemplate(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('plesk-template')
    .description("Check the server DNS template's _mailchannels record, which every new domain copies (Plesk)")
    .option('--fix', "put the provider's record in the template in place of a stale one")
    .option('--json', 'print the report as JSON')
    .action(async (options: { fix?: boolean; json?: boolean }) => {
      const report = await withServices(cliConfig(io), (services) =>
        options.fix
          ? fixDnsTemplate(
              { template: services.panel.dnsTemplate, authId: services.config.provider.authId, audit: services.store },
              cliActor(io),
            )
          : checkDnsTemplate(services.panel.dnsTemplate, services.config.provider.authId),
      );
      if (options.json) printJson(io, report);
      else io.stdout.write(`${report.state}: ${report.message}\n`);
      setExit(report.state === 'stale' ? EXIT_PROBLEMS : EXIT_OK);
    });
}
