/**
 * `plesk bin dns` and `plesk bin site` as the simulator runs them (for the `plesk` shim and REST's
 * `POST /api/v2/cli/<utility>/call`). What is known
 * (https://docs.plesk.com/en-US/obsidian/cli-linux/using-command-line-utilities/dns-dns-zones-on-domains.37771):
 * `dns --info <domain>` prints one record per line, `<absolute name> <TYPE> <value>`, no TTL and no
 * ids; `--add` of a record that exists exits 2. Option pairs `-txt <value> -domain <sub>` come from
 * public scripts. The header line's exact text, the error texts, and `site --info`'s layout are
 * unverified: the simulator's own, and the adapter reads them leniently.
 */
import type { DnsRecord, PleskDomain } from './model';
import { PleskOpError } from './records';
import { absoluteHost, type PleskState } from './state';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const done = (stdout: string): CliResult => ({ code: 0, stdout, stderr: '' });
const fail = (code: number, stderr: string): CliResult => ({ code, stdout: '', stderr: `${stderr}\n` });

/** `-txt value -domain sub` style pairs after the command's own argument. */
function options(args: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg.startsWith('-') && !arg.startsWith('--')) {
      out.set(arg.slice(1), args[i + 1] ?? '');
      i++;
    }
  }
  return out;
}

function infoLine(record: DnsRecord): string {
  const value = record.type === 'MX' || record.type === 'SRV' ? `${record.opt} ${record.value}` : record.value;
  return `${record.host} ${record.type} ${value}`;
}

/** The zone a `dns` command names: a domain with a zone of its own (main, additional, alias). */
function zoneDomain(state: PleskState, name: string | undefined): PleskDomain | undefined {
  if (!name) return undefined;
  const domain = state.domainByName(name);
  return domain && domain.kind !== 'subdomain' && domain.zoneId !== null ? domain : undefined;
}

const RECORD_OPTIONS: Record<string, string> = { txt: 'TXT', a: 'A', cname: 'CNAME', mx: 'MX', ns: 'NS', aaaa: 'AAAA' };

function recordFromOptions(opts: Map<string, string>): { type: string; value: string; host: string; opt: string } | null {
  for (const [flag, type] of Object.entries(RECORD_OPTIONS)) {
    if (!opts.has(flag)) continue;
    if (type === 'MX')
      return { type, host: opts.get(flag) ?? '', value: opts.get('mailexchanger') ?? '', opt: opts.get('priority') ?? '10' };
    if (type === 'TXT') return { type, host: opts.get('domain') ?? '', value: opts.get(flag) ?? '', opt: '' };
    return { type, host: opts.get(flag) ?? '', value: opts.get('ip') ?? opts.get('canonical') ?? opts.get('nameserver') ?? '', opt: '' };
  }
  return null;
}

export function runDnsCli(state: PleskState, args: readonly string[], changed: Set<number>): CliResult {
  const [command, name, ...rest] = args;
  const domain = zoneDomain(state, name);
  if (command !== '--info' && command !== '--add' && command !== '--del') return fail(1, `Unknown command: ${String(command)}`);
  if (!domain || domain.zoneId === null) return fail(1, `An error occurred during domain search: Unable to find domain ${String(name)}`);
  const zoneId = domain.zoneId;
  if (command === '--info') {
    const lines = state.recordsOf(zoneId).map(infoLine);
    return done(`SUCCESS: Getting information for Domain '${domain.name}' complete.\n\n${lines.join('\n')}\n`);
  }
  const record = recordFromOptions(options(rest));
  if (!record) return fail(1, 'A record type option (-a, -txt, -mx, -cname, -ns) is required');
  if (command === '--add') {
    try {
      state.insertRecord(zoneId, record.type, record.host, record.value, record.opt);
    } catch (err) {
      if (err instanceof PleskOpError) return fail(err.errcode === 1007 ? 2 : 1, err.errtext);
      throw err;
    }
    changed.add(zoneId);
    return done(`SUCCESS: Creation of DNS record in Domain '${domain.name}' complete.\n`);
  }
  const host = absoluteHost(record.host, domain.name);
  const target = state
    .recordsOf(zoneId)
    .find((r) => r.type === record.type && r.host === host && r.value === record.value && (record.type !== 'MX' || r.opt === record.opt));
  if (!target) return fail(1, `Unable to remove DNS record: the record does not exist in Domain '${domain.name}'`);
  state.deleteRecord(target.id);
  changed.add(zoneId);
  return done(`SUCCESS: Removal of DNS record in Domain '${domain.name}' complete.\n`);
}

function kindLabel(domain: PleskDomain): string {
  if (domain.kind === 'subdomain') return 'subdomain';
  return domain.main ? 'main' : 'additional';
}

export function runSiteCli(state: PleskState, args: readonly string[]): CliResult {
  const [command, name] = args;
  const sites = [...state.domains.values()].filter((d) => d.kind !== 'alias').sort((a, b) => a.id - b.id);
  if (command === '--list') return done(`${sites.map((d) => d.name).join('\n')}\n`);
  if (command !== '--info') return fail(1, `Unknown command: ${String(command)}`);
  const site = sites.find((d) => d.name === name);
  if (!site) return fail(1, `An error occurred during domain search: Unable to find site ${String(name)}`);
  const owner = state.clients.get(site.ownerId);
  const zone = site.zoneId === null ? undefined : state.zones.get(site.zoneId);
  const lines = [
    `Domain name:              ${site.name}`,
    `Site type:                ${kindLabel(site)}`,
    `Subscription:             ${state.domains.get(site.webspaceId)?.name ?? ''}`,
    `Owner's login:            ${owner?.login ?? ''}`,
    `DNS zone:                 ${zone?.name ?? ''}`,
    `DNS zone status:          ${zone?.mode === 'disabled' ? 'Off' : 'On'}`,
    `DNS server mode:          ${zone?.mode === 'secondary' ? 'Secondary' : 'Primary'}`,
  ];
  return done(`${lines.join('\n')}\n\nSUCCESS: Gathering information for '${site.name}' complete.\n`);
}

/** One utility call; `changed` collects the zones to write afterwards. */
export function runPleskCli(state: PleskState, utility: string, params: readonly string[], changed: Set<number>): CliResult {
  if (utility === 'dns') return runDnsCli(state, params, changed);
  if (utility === 'site') return runSiteCli(state, params);
  return fail(1, `${utility}: the simulator runs only the dns and site utilities`);
}
