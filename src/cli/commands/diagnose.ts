/**
 * `diagnose <domain…> [--zone-file F --zone Z] [--auth-id ID] [--cpanel-user U] [--keep-foreign] [--json]`
 * and `diagnose --user U`: offline on a zone file, or live through the configured cPanel connection.
 */
import { readFile } from 'fs/promises';
import { basename } from 'path';
import type { Command } from 'commander';
import { FixEmailAuthError } from '../../errors';
import { diagnoseDomain } from '../../usecases/diagnose';
import { inspectDomain, inspectUser } from '../../usecases/inspect';
import { diagnoseDocument, type DomainReport } from '../../usecases/report';
import { parseZoneFile } from '../../zone/bindReader';
import { normalizeDomain } from '../../zone/model';
import { cliConfig, withServices } from '../context';
import { EXIT_OK, EXIT_PROBLEMS, printJson, type CliIO } from '../io';
import { hasProblems, renderReports } from '../render/report';

interface DiagnoseOptions {
  zoneFile?: string;
  zone?: string;
  authId?: string;
  cpanelUser?: string;
  user?: string;
  keepForeign?: boolean;
  json?: boolean;
}

/** A zone file refused above this size: cPanel zones are kilobytes; this is not one. */
const MAX_ZONE_FILE_BYTES = 64 * 1024 * 1024;

function zoneNameFor(options: DiagnoseOptions, domains: string[]): string {
  if (options.zone) return normalizeDomain(options.zone);
  const file = basename(options.zoneFile ?? '');
  if (file.endsWith('.db') && file.length > 3) return normalizeDomain(file.slice(0, -3));
  return normalizeDomain(domains[0] ?? '');
}

async function offline(io: CliIO, domains: string[], options: DiagnoseOptions): Promise<DomainReport[]> {
  if (domains.length === 0) throw new FixEmailAuthError('BAD_INPUT', 'Name at least one domain to diagnose in the zone file');
  const config = cliConfig(io, { offline: true, ...(options.authId ? { authId: options.authId } : {}) });
  let bytes: Buffer;
  try {
    bytes = await readFile(options.zoneFile!);
  } catch (err) {
    throw new FixEmailAuthError('BAD_INPUT', `Cannot read the zone file ${options.zoneFile}: ${(err as Error).message}`);
  }
  if (bytes.length > MAX_ZONE_FILE_BYTES)
    throw new FixEmailAuthError('BAD_INPUT', `${options.zoneFile} is ${bytes.length} bytes; that is not a DNS zone file`);
  const zone = parseZoneFile(bytes, zoneNameFor(options, domains));
  const reports: DomainReport[] = [];
  for (const domain of domains) {
    reports.push(
      await diagnoseDomain({
        domain,
        zone,
        config,
        ...(options.cpanelUser ? { user: options.cpanelUser } : {}),
        ...(options.keepForeign ? { keepForeign: true } : {}),
      }),
    );
  }
  return reports;
}

/** docs/design.md's per-domain object (plus the owning `user`, as `scan --json` has it); nothing else. */
function contractFields(r: DomainReport): DomainReport {
  return {
    domain: r.domain,
    zone: r.zone,
    status: r.status,
    findings: r.findings,
    plan: r.plan,
    ...(r.user !== undefined ? { user: r.user } : {}),
  };
}

async function live(io: CliIO, domains: string[], options: DiagnoseOptions): Promise<DomainReport[]> {
  const config = cliConfig(io, options.authId ? { authId: options.authId } : {});
  return withServices(config, async (services) => {
    const ctx = { ...services.repairContext(), accounts: services.accounts };
    const keep = options.keepForeign ? { keepForeign: true } : {};
    const reports: DomainReport[] = [];
    if (options.user) reports.push(...(await inspectUser(ctx, options.user, keep)).map(contractFields));
    for (const domain of domains) reports.push(contractFields(await inspectDomain(ctx, domain, keep)));
    return reports;
  });
}

export function registerDiagnose(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('diagnose')
    .description('Check the lockdown, SPF, DKIM and DMARC records of domains and show the exact fix')
    .argument('[domains...]', 'domains to check')
    .option('--zone-file <file>', 'diagnose offline from a BIND-format zone file (as in /var/named)')
    .option('--zone <zone>', 'the zone the file holds (default: the file name without .db)')
    .option('--auth-id <id>', 'MailChannels account ID that must be authorized (default: provider.authId)')
    .option('--cpanel-user <user>', 'cPanel user owning the domains (sender-ID checks, offline)')
    .option('--user <user>', 'live: every domain of this cPanel account')
    .option('--keep-foreign', "keep other providers' auth= values in the planned record")
    .option('--json', 'print JSON: { "domains": [ … ] }')
    .action(async (domains: string[], options: DiagnoseOptions) => {
      if (!options.zoneFile && options.zone) throw new FixEmailAuthError('BAD_INPUT', '--zone needs --zone-file');
      if (options.zoneFile && options.user)
        throw new FixEmailAuthError('BAD_INPUT', '--user is for live diagnosis; it cannot be combined with --zone-file');
      if (!options.zoneFile && !options.user && domains.length === 0)
        throw new FixEmailAuthError('BAD_INPUT', 'Name at least one domain (or --user U)');
      const reports = options.zoneFile ? await offline(io, domains, options) : await live(io, domains, options);
      if (options.json) printJson(io, diagnoseDocument(reports));
      else io.stdout.write(renderReports(reports));
      setExit(hasProblems(reports) ? EXIT_PROBLEMS : EXIT_OK);
    });
}
