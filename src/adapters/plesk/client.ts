/**
 * `createPleskPanel`: the Plesk adapter assembled. With an API key (transport `api`): the XML API at
 * `url` for records, domains and zone modes; `rest`: records through REST (restDns.ts), the rest
 * through the XML API, one key for both. Without a key (transport `cli`): `plesk bin dns` and
 * `plesk bin site` on this server — reads and content-compared writes, no zone modes for aliases.
 */
import { readFileSync } from 'fs';
import { FixEmailAuthError } from '../../errors';
import { XmlAuthority } from './authority';
import { LocalPleskCli, type PleskCli } from './cli';
import { CliDns } from './cliDns';
import { CliInventory } from './cliInventory';
import { XmlDns } from './dns';
import type { PleskTls } from './https';
import { XmlInventory } from './inventory';
import type { PanelBackup } from './panel';
import { PleskPanel } from './pleskPanel';
import { RestDns } from './restDns';
import { HttpsXmlTransport, type PleskXmlTransport } from './xmlTransport';

export interface PleskSettings {
  /** api: XML API for everything · rest: REST for records, XML API for domains and zone modes · cli: plesk bin. */
  transport: 'api' | 'rest' | 'cli';
  /** `https://127.0.0.1:8443` */
  url: string;
  /** File holding the secret API key (root-only). */
  keyFile: string;
  caFile?: string;
  /** SHA-256 fingerprint of Plesk's certificate, `AA:BB:…`. */
  fingerprint?: string;
  insecure: boolean;
  timeoutMs: number;
  /** `/usr/sbin/plesk` */
  cli: string;
}

export interface PleskPanelOptions {
  apiKey?: string;
  xmlTransport?: PleskXmlTransport;
  cli?: PleskCli;
  cliEnv?: NodeJS.ProcessEnv;
  backup?: PanelBackup | null;
}

function readSecret(path: string, what: string): string {
  try {
    const text = readFileSync(path, 'utf8').trim();
    if (text) return text;
  } catch (err) {
    throw new FixEmailAuthError('CONFIG_INVALID', `Cannot read ${what} ${path}: ${(err as Error).message}`, { step: 'config', cause: err });
  }
  throw new FixEmailAuthError('CONFIG_INVALID', `${what} ${path} is empty`, { step: 'config' });
}

export function pleskTls(settings: Pick<PleskSettings, 'caFile' | 'fingerprint' | 'insecure'>): PleskTls {
  const tls: PleskTls = { insecure: settings.insecure };
  if (settings.caFile) tls.ca = readSecret(settings.caFile, 'plesk.caFile');
  if (settings.fingerprint) {
    const hex = settings.fingerprint
      .replace(/^sha256:/i, '')
      .replace(/:/g, '')
      .toUpperCase();
    if (!/^[0-9A-F]{64}$/.test(hex))
      throw new FixEmailAuthError('CONFIG_INVALID', 'plesk.fingerprint must be a SHA-256 fingerprint (64 hex digits)', { step: 'config' });
    tls.fingerprint = hex.match(/../g)?.join(':');
  }
  return tls;
}

export function createPleskPanel(settings: PleskSettings, options: PleskPanelOptions = {}): PleskPanel {
  const backup = options.backup ?? null;
  if (settings.transport === 'cli' && !options.xmlTransport) {
    const cli = options.cli ?? new LocalPleskCli({ binary: settings.cli, timeoutMs: settings.timeoutMs, env: options.cliEnv });
    return new PleskPanel({ dns: new CliDns(cli), inventory: new CliInventory(cli), authority: null, backup });
  }
  const apiKey = options.apiKey ?? (options.xmlTransport ? '' : readSecret(settings.keyFile, 'plesk.keyFile'));
  const tls = options.xmlTransport ? {} : pleskTls(settings);
  const transport = options.xmlTransport ?? new HttpsXmlTransport({ baseUrl: settings.url, apiKey, tls, timeoutMs: settings.timeoutMs });
  const dns =
    settings.transport === 'rest'
      ? new RestDns({ baseUrl: settings.url, apiKey, tls, timeoutMs: settings.timeoutMs })
      : new XmlDns(transport);
  return new PleskPanel({ dns, inventory: new XmlInventory(transport), authority: new XmlAuthority(transport), backup });
}
