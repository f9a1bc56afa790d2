/** `verify <domain> [--json]`: ask every authoritative nameserver whether it serves the zone's record. */
import type { Command } from 'commander';
import { verifyDomain } from '../../usecases/verifyDomain';
import { cliConfig, withServices } from '../context';
import { EXIT_OK, EXIT_PROBLEMS, printJson, type CliIO } from '../io';
import { renderPropagation } from '../render/change';

export function registerVerify(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('verify')
    .description("Check that every authoritative nameserver serves the zone's _mailchannels record and serial")
    .argument('<domain>', 'the domain')
    .option('--json', 'print the propagation report as JSON')
    .action(async (domain: string, options: { json?: boolean }) => {
      const report = await withServices(cliConfig(io), (services) => verifyDomain(services.repairContext(), domain));
      if (options.json) printJson(io, report);
      else io.stdout.write(renderPropagation(report));
      setExit(report.state === 'verified' ? EXIT_OK : EXIT_PROBLEMS);
    });
}
