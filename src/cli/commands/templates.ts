/**
 * `templates [--json]`: check cPanel's zone templates (`paths.zoneTemplates`), from which every new
 * account's zone is made; `templates fix <name> [--yes]` repairs a stale `_mailchannels` line (the
 * previous file is kept, the change journalled); `templates undo <change-id> [--force]` reverses it.
 */
import type { Command } from 'commander';
import { FixEmailAuthError } from '../../errors';
import { checkZoneTemplates, repairZoneTemplate, rollbackZoneTemplate, type TemplateReport } from '../../usecases/templates';
import { cliActor } from '../actor';
import { cliConfig, withServices } from '../context';
import { EXIT_OK, EXIT_PROBLEMS, printJson, type CliIO } from '../io';

function describe(r: TemplateReport): string {
  if (r.error) return `UNKNOWN ${r.name}: could not be read as a zone: ${r.error}\n`;
  if (r.findings.length === 0) return `OK      ${r.name}\n`;
  const lines = r.findings.map((f) => `        ${f.code}: ${f.message}\n`).join('');
  const change =
    r.repaired !== null ? [...r.before.map((l) => `        - ${l}\n`), ...r.after.map((l) => `        + ${l}\n`)].join('') : '';
  return `${r.status === 'error' ? 'ERROR  ' : 'WARNING'} ${r.name}\n${lines}${change}`;
}

export function register(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const templates = program
    .command('templates')
    .description("Check cPanel's zone templates, which every new account's zone is made from")
    .option('--json', 'print { "dir", "templates": [ … ] }')
    .action(async (options: { json?: boolean }) => {
      const config = cliConfig(io);
      const reports = await withServices(config, (services) => checkZoneTemplates(services.templateContext()));
      if (options.json) printJson(io, { dir: config.paths.zoneTemplates, templates: reports });
      else if (reports.length === 0) io.stdout.write(`No zone template in ${config.paths.zoneTemplates}: cPanel uses its defaults.\n`);
      else for (const r of reports) io.stdout.write(describe(r));
      setExit(reports.some((r) => r.repaired !== null || r.error) ? EXIT_PROBLEMS : EXIT_OK);
    });

  templates
    .command('fix')
    .description("Repair a template's _mailchannels line (the previous file is kept; undo with `templates undo`)")
    .argument('<name>', 'the template, e.g. standard or reseller_standard')
    .option('--yes', 'do not ask (required when not on a terminal)')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, options: { yes?: boolean; json?: boolean }) => {
      const result = await withServices(cliConfig(io), async (services) => {
        const ctx = services.templateContext();
        const preview = (await checkZoneTemplates(ctx)).find((r) => r.name === name);
        if (!preview)
          throw new FixEmailAuthError('NOT_FOUND', `There is no zone template ${name} in ${services.config.paths.zoneTemplates}.`);
        if (preview.repaired !== null && !options.json) io.stdout.write(describe(preview));
        if (preview.repaired !== null && !options.yes) {
          if (!io.confirm)
            throw new FixEmailAuthError(
              'BAD_INPUT',
              'Refusing to change the template without confirmation when not on a terminal: add --yes',
            );
          if (!(await io.confirm(`Change the zone template ${name}?`))) return null;
        }
        return repairZoneTemplate(ctx, name, cliActor(io));
      });
      if (result === null) {
        io.stdout.write('Nothing changed.\n');
        return;
      }
      if (options.json) printJson(io, { status: result.status, message: result.message, change: result.change ?? null });
      else io.stdout.write(`${result.message}${result.change ? ` (change ${result.change.id})` : ''}\n`);
      setExit(result.status === 'failed' ? EXIT_PROBLEMS : EXIT_OK);
    });

  templates
    .command('undo')
    .description('Put back the text a template had before a repair')
    .argument('<change-id>', 'the template change to undo')
    .option('--force', 'undo even if the template was edited since')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, options: { force?: boolean; json?: boolean }) => {
      if (!/^[1-9][0-9]{0,14}$/.test(id)) throw new FixEmailAuthError('BAD_INPUT', 'The change id is a positive whole number');
      const result = await withServices(cliConfig(io), (services) =>
        rollbackZoneTemplate(services.templateContext(), Number(id), cliActor(io), options.force ? { force: true } : {}),
      );
      if (options.json) printJson(io, result);
      else io.stdout.write(`${result.message}\n`);
      setExit(result.status === 'failed' ? EXIT_PROBLEMS : EXIT_OK);
    });
}
