/**
 * The demo server (`npm start`): one hosting provider relaying through MailChannels as
 * `webhostingm`, with accounts that carry every kind of problem the tool finds (DESIGN.md findings
 * vocabulary), a correct one to compare with, a reseller-owned account, a domain hosted elsewhere,
 * and hostile TXT text for escaping checks. Loopback-only demo tokens, never real credentials.
 */
import type { RecordSpec, SeedInput } from './seed';

/** The provider's MailChannels account in the demo (config `provider.authId`). */
export const DEMO_AUTH_ID = 'webhostingm';

export const DEMO_TOKENS = {
  root: 'DEMOROOTTOKEN000000000000000000001',
  reseller: 'DEMORESELLERTOKEN0000000000000001',
  /** cPanel tokens: `DEMO<USER>TOKEN…`, see `tokens` below. */
  user: (user: string) => `DEMO${user.toUpperCase()}TOKEN00000000000000000001`.slice(0, 32),
} as const;

const IP = '192.0.2.10';
const DEFAULT_SPF = `v=spf1 +a +mx +ip4:${IP} ~all`;
const MAILCHANNELS_SPF = `v=spf1 +a +mx +ip4:${IP} include:relay.mailchannels.net ~all`;

/** A 2048-bit RSA public key, in ≤255-byte character-strings as cPanel publishes long DKIM keys. */
const DKIM_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2HS2gSeDTf5qwAszxTtbMKtHBaelzKCD0kzY275fKMNEtTfuU+JLf/AIx3vC/xqMVpIYWnR7nd1KjyDl0rABk7aH+Pg0qB1ZI/Qs+TSWmfXATzo6ylmD14wAkj61O+VQHGZTvbabaaZjRnNceJph57YhZe+NikYYbLIgy3/pzvKgIXuBxAcfr5A/48dr1UqFR9q3c8zFP++mAc4gp9HnEnLfSL7TcH6c23cyfoj4Pj/fZJqZBd7tkkSh4e5FWmPRw7Y8iNTA0vLxM2t0shulX5rZM7l0gsF6l155PIY+e4xxVzXR7uKFtBLC1Gnwk5XWlfHaCO1Rij2AWYDPN8yD/wIDAQAB';
const DKIM = chunk(`v=DKIM1; k=rsa; p=${DKIM_KEY};`, 255);

function chunk(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** cPanel's usual records for a domain, with the SPF given. */
function base(zone: string, spf = DEFAULT_SPF): RecordSpec[] {
  const apex = `${zone}.`;
  return [
    { name: '@', ttl: 14400, type: 'A', data: [IP] },
    { name: 'www', ttl: 14400, type: 'CNAME', data: [apex] },
    { name: 'mail', ttl: 14400, type: 'CNAME', data: [apex] },
    { name: '@', ttl: 14400, type: 'MX', data: ['0', apex] },
    { name: '@', ttl: 14400, type: 'TXT', data: [spf] },
    { name: 'default._domainkey', ttl: 14400, type: 'TXT', data: DKIM },
  ];
}

const txt = (name: string, ...data: string[]): RecordSpec => ({ name, ttl: 14400, type: 'TXT', data });

const USERS = ['goodco', 'migrated', 'blockall', 'cfidco', 'twice', 'nolock', 'typoco', 'elsewhere', 'resold', 'hostile', 'reseller1'] as const;

export function demoSeed(): SeedInput {
  return {
    server: { hostname: 'server1.webhostingm.example', ip: IP, nameservers: ['ns1.webhostingm.example', 'ns2.webhostingm.example'], soaContact: 'hostmaster.webhostingm.example' },
    resellers: ['reseller1'],
    accounts: [
      // Correct: lockdown authorizes the provider, SPF includes MailChannels, DKIM and DMARC present.
      {
        user: 'goodco',
        domain: 'goodco.example',
        email: 'owner@goodco.example',
        startdate: 1690000000,
        domains: [
          { domain: 'goodco-store.example', type: 'addon', subdomain: 'store' },
          { domain: 'goodco.example.net', type: 'parked' },
        ],
      },
      // Migrated from another host: its record still names the old host → every message is rejected.
      {
        user: 'migrated',
        domain: 'migrated-shop.example',
        startdate: 1730000000,
        domains: [{ domain: 'shop.migrated-shop.example', type: 'sub' }],
      },
      { user: 'blockall', domain: 'blockall.example', startdate: 1700000000 },
      { user: 'cfidco', domain: 'cfidco.example', startdate: 1700000000 },
      { user: 'twice', domain: 'twice.example', startdate: 1700000000 },
      // No lockdown record at all (mail flows, the domain is spoofable by any MailChannels customer).
      { user: 'nolock', domain: 'nolock.example', startdate: 1700000000 },
      { user: 'typoco', domain: 'typoco.example', startdate: 1700000000 },
      // DNS hosted elsewhere: the local zone is not what the world sees.
      { user: 'elsewhere', domain: 'elsewhere.example', startdate: 1700000000 },
      // An account of a reseller (visible to the reseller's WHM token, not to other resellers).
      { user: 'resold', domain: 'resold.example', owner: 'reseller1', startdate: 1710000000 },
      { user: 'hostile', domain: 'hostile.example', startdate: 1700000000, features: ['zoneedit', 'emailauth'] },
      { user: 'reseller1', domain: 'reseller1.example', owner: 'reseller1', plan: 'reseller', startdate: 1680000000 },
    ],
    zones: [
      {
        name: 'goodco.example',
        serial: '2025010100',
        records: [...base('goodco.example', MAILCHANNELS_SPF), txt('_mailchannels', `v=mc1 auth=${DEMO_AUTH_ID}`), txt('_dmarc', 'v=DMARC1; p=quarantine; rua=mailto:dmarc@goodco.example')],
      },
      {
        name: 'goodco-store.example',
        serial: '2025010100',
        records: [...base('goodco-store.example', MAILCHANNELS_SPF), txt('_mailchannels', `v=mc1 auth=${DEMO_AUTH_ID}`), txt('_dmarc', 'v=DMARC1; p=none')],
      },
      {
        name: 'migrated-shop.example',
        serial: '2023061502',
        records: [
          ...base('migrated-shop.example'),
          txt('_mailchannels', 'v=mc1 auth=oldhost'),
          // The sub-domain's own stale record lives in the parent zone (sub-domains have no zone).
          { name: 'shop', ttl: 14400, type: 'A', data: [IP] },
          txt('_mailchannels.shop', 'v=mc1 auth=oldhost'),
          txt('_dmarc', 'v=DMARC1; p=none'),
        ],
      },
      { name: 'blockall.example', serial: '2024020100', records: [...base('blockall.example'), txt('_mailchannels', 'v=mc1')] },
      { name: 'cfidco.example', serial: '2024020100', records: [...base('cfidco.example'), txt('_mailchannels', 'v=mc1 cfid=cfidco.workers.dev')] },
      {
        name: 'twice.example',
        serial: '2024020100',
        records: [...base('twice.example'), txt('_mailchannels', `v=mc1 auth=${DEMO_AUTH_ID}`), txt('_mailchannels', 'v=mc1 auth=oldhost')],
      },
      { name: 'nolock.example', serial: '2024020100', records: base('nolock.example') },
      {
        name: 'typoco.example',
        serial: '2024020100',
        // Typed without the final dot in a zone editor: the owner becomes _mailchannels.typoco.example.typoco.example.
        records: [...base('typoco.example'), txt('_mailchannels.typoco.example', `v=mc1 auth=${DEMO_AUTH_ID}`)],
      },
      {
        name: 'elsewhere.example',
        serial: '2024020100',
        records: [...base('elsewhere.example'), txt('_mailchannels', 'v=mc1 auth=oldhost')],
        localAuthority: 0,
        publicNameservers: ['ns1.other-dns.example', 'ns2.other-dns.example'],
      },
      { name: 'resold.example', serial: '2024030100', records: [...base('resold.example'), txt('_mailchannels', 'v=mc1 auth=previoushost')] },
      {
        name: 'hostile.example',
        serial: '2024020100',
        records: [
          ...base('hostile.example'),
          txt('_mailchannels', 'v=mc1 auth=<script>alert(1)</script>'),
          txt('@', '<script>alert(1)</script>'),
          txt('_dmarc', 'v=DMARC1; p=none; rua=mailto:"><img src=x onerror=alert(1)>@hostile.example'),
        ],
      },
    ],
    tokens: [
      { kind: 'whm', user: 'root', token: DEMO_TOKENS.root },
      { kind: 'whm', user: 'reseller1', token: DEMO_TOKENS.reseller },
      ...USERS.map((user) => ({ kind: 'cpanel' as const, user, token: DEMO_TOKENS.user(user) })),
    ],
  };
}
