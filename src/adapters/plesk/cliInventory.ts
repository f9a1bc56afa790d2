/**
 * Domains through `plesk bin site --list` and `--info <site>` when there is no API key. The
 * `--info` fields read here (site type, subscription, owner's login, DNS zone and its mode) and
 * their labels are unverified (docs/reference/plesk.md §4 lists `site --list` itself as unverified); aliases are
 * not sites and are not listed this way. Owners' resellers are not shown by `site --info`: `owner`
 * is reported as `unknown`.
 */
import type { DomainType } from '../../ports';
import { cliFailure, type PleskCli } from './cli';
import type { PleskZoneMode, PleskDomainInfo } from './types';

function field(text: string, label: string): string | undefined {
  const line = text.split('\n').find((l) => l.toLowerCase().startsWith(`${label.toLowerCase()}:`));
  return line?.slice(line.indexOf(':') + 1).trim();
}

const TYPES: Record<string, DomainType> = { main: 'main', additional: 'addon', subdomain: 'sub' };

export interface CliSite {
  info: PleskDomainInfo;
  mode: PleskZoneMode | null;
}

export class CliInventory {
  constructor(private readonly cli: PleskCli) {}

  async sites(): Promise<CliSite[]> {
    const list = await this.cli.run('site', ['--list'], 'read');
    if (list.code !== 0) throw cliFailure('Listing Plesk sites', list, 'read');
    const names = list.stdout
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter((l) => /^[a-z0-9_.-]+$/.test(l));
    const out: CliSite[] = [];
    for (const name of names) {
      const answer = await this.cli.run('site', ['--info', name], 'read');
      if (answer.code !== 0) throw cliFailure(`Reading the Plesk site ${name}`, answer, 'read');
      const zone = field(answer.stdout, 'DNS zone') || null;
      const status = field(answer.stdout, 'DNS zone status')?.toLowerCase();
      const server = field(answer.stdout, 'DNS server mode')?.toLowerCase();
      const mode: PleskZoneMode | null =
        status === 'off' ? 'disabled' : server === 'secondary' ? 'secondary' : server === 'primary' ? 'primary' : null;
      out.push({
        info: {
          domain: name,
          type: TYPES[field(answer.stdout, 'Site type')?.toLowerCase() ?? ''] ?? 'addon',
          user: field(answer.stdout, "Owner's login") || 'unknown',
          owner: 'unknown',
          subscription: field(answer.stdout, 'Subscription') || name,
          zone,
          zoneRef: zone ? { zone } : null,
          siteId: null,
          aliasId: null,
        },
        mode,
      });
    }
    return out;
  }
}
