/**
 * Shared pieces of the mail-path tests: minimal cPanel-style zone files for PowerDNS, a local test
 * message with a unique Message-ID, and the relay double wired to a PowerDNS whose lookup can be
 * swapped (to stage a DNS failure).
 */
import { randomBytes } from 'crypto';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { dnsTxtLookup, startRelay, type Relay, type RelayOptions, type TxtLookup } from '../../../src/simulator/relay';

export const PROVIDER = { username: 'webhostingm', password: 'relay-secret-1' } as const;

/** A zone as cPanel writes it, with extra record lines (e.g. `_mailchannels 300 IN TXT "v=mc1 …"`). */
export function writeZoneFile(dir: string, zone: string, extraLines: string[]): void {
  const text = [
    '$TTL 14400',
    `${zone}.\t86400\tIN\tSOA\tns1.example.net.\thostmaster.${zone}. ( 2026112801 3600 1800 1209600 300 )`,
    `${zone}.\t86400\tIN\tNS\tns1.example.net.`,
    `${zone}.\t14400\tIN\tA\t192.0.2.10`,
    ...extraLines,
    '',
  ].join('\n');
  writeFileSync(join(dir, `${zone}.db`), text);
}

export function lockdownLine(value: string): string {
  return `_mailchannels\t300\tIN\tTXT\t"${value}"`;
}

export interface TestMessage {
  messageId: string;
  text: string;
}

/** A plain message with a fresh Message-ID; `extraHeaders` lines go into the header as given. */
export function testMessage(from: string, to: string, subject: string, extraHeaders: string[] = []): TestMessage {
  const messageId = `t${randomBytes(8).toString('hex')}@fix-email-auth.test`;
  const text = [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: ${subject}`,
    `Message-ID: <${messageId}>`,
    ...extraHeaders,
    '',
    'test body',
    '',
  ].join('\n');
  return { messageId, text };
}

export interface SwitchableRelay {
  relay: Relay;
  /** Replace the relay's TXT lookup (restored by `useDns`). */
  setLookup(lookup: TxtLookup): void;
  useDns(): void;
  stop(): Promise<void>;
}

/** The relay double asking the PowerDNS on `dnsPort` for `_mailchannels` records. */
export async function startTestRelay(dnsPort: number, options: Partial<RelayOptions> = {}): Promise<SwitchableRelay> {
  const dns = dnsTxtLookup({ address: '127.0.0.1', port: dnsPort, timeoutMs: 1000, retries: 1 });
  let lookup: TxtLookup = dns;
  const relay = await startRelay({ accounts: [{ ...PROVIDER }], lookupTxt: (name) => lookup(name), ...options });
  return {
    relay,
    setLookup: (next) => {
      lookup = next;
    },
    useDns: () => {
      lookup = dns;
    },
    stop: async () => {
      await relay.stop();
      dns.close();
    },
  };
}
