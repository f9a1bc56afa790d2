/**
 * The demo's simulated server (used by `npm start` and the browser tests): accounts whose domains
 * carry every kind of problem the plugin finds, so each page has something to show.
 *
 * | domain | account | what is wrong |
 * |---|---|---|
 * | migrated.example | alice | stale after a migration: `v=mc1 auth=oldhost` |
 * | shop.migrated.example | alice (sub) | stale record `_mailchannels.shop` in the parent zone |
 * | blockall.example | alice (addon) | block-all `v=mc1` |
 * | alias.example | alice (parked) | nothing: correct |
 * | cfid.example | bob (reseller's client) | `cfid=` (unsupported since 2024-08-31) |
 * | tworecords.example | bob (addon) | two `v=mc1` records |
 * | nolockdown.example | carol | no lockdown record; SPF without the MailChannels include |
 * | xss.example | carol (addon) | a TXT holding `<script>alert(1)</script>` (shown escaped) |
 * | elsewhere.example | dave | DNS hosted elsewhere (local authority 0) with a stale record |
 * | good.example | erin | nothing: correct |
 * | resell.example | resell (the reseller's own account) | stale |
 * | typo.example | frank | a lockdown record typed without its final dot (misplaced) and none at the right name |
 *
 * And the zone template `standard` carries the old relay's record, so every new account would get it.
 *
 * One seed for the demo, the daemon's tests and the simulator's own seed tests. Loopback-only demo
 * tokens, never real credentials.
 */
import type { SeedInput } from './seed';

export const DEMO_AUTH_ID = 'webhostingm';
/** What the installer writes by default: the record then names the cPanel user too. */
export const DEMO_SENDER_ID_TEMPLATE = `${DEMO_AUTH_ID}|x-authuser|{user}`;
export const DEMO_NAMESERVERS = ['ns1.webhostingm.example', 'ns2.webhostingm.example'];
export const DEMO_ROOT_TOKEN = 'DEMOROOTTOKEN0123456789ABCDEFGHIJ';

export const DEMO_TOKENS = {
  root: DEMO_ROOT_TOKEN,
  reseller: 'DEMORESELLERTOKEN0000000000000001',
  /** cPanel tokens: `DEMO<USER>TOKEN…`, one per demo account. */
  user: (user: string) => `DEMO${user.toUpperCase()}TOKEN00000000000000000001`.slice(0, 32),
} as const;

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'resell'] as const;
export const DEMO_IP = '192.0.2.10';

/** A real 2048-bit RSA public key (test/fixtures/zones/dkim.example.db), split as cPanel writes it. */
const DKIM = [
  'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApLgdOFh4MJ7uUZMGaud+iVDKf64gpK1dzMgN/LNUxteNft5lPWiD2XZnRKCI7HRl0L0ut59rfpCBcdozfwuedmABbFlpkWw1f1Uixq6V4+ZH5uJqjXNhBlUcnzOT16DqzqHKctxBbs9FnZNza6DaBnjzi9OrzOBLPgGdZq+VS2tZEdH7NE8VLVs+bb',
  'fTxx+vIflSPuO5yGlCKwJYnv+/WnvqxwFPrF9CyVojuGAKKu1bMGIqcrAZue5+F8AntPfdLt+6Urm/rofykxYCPEi5tEgZrGOMEp2fsTdv/lHJ3gqBc2OYM9vRA88SLdhASfYvcA1/5BWQ/0DiRUjMYzj8UQIDAQAB',
];

const SPF_WITH_MAILCHANNELS = `v=spf1 +a +mx +ip4:${DEMO_IP} include:relay.mailchannels.net ~all`;

type Rec = { name: string; type: string; data: string[]; ttl?: number };

/** cPanel's usual records for a mail domain, with SPF, DKIM and DMARC in order. */
function mailDomain(extra: Rec[], options: { spf?: string } = {}): Rec[] {
  return [
    { name: '@', type: 'A', data: [DEMO_IP] },
    { name: 'www', type: 'CNAME', data: ['@'] },
    { name: 'mail', type: 'CNAME', data: ['@'] },
    { name: '@', type: 'MX', data: ['0', '@'] },
    { name: '@', type: 'TXT', data: [options.spf ?? SPF_WITH_MAILCHANNELS] },
    { name: 'default._domainkey', type: 'TXT', data: [...DKIM] },
    { name: '_dmarc', type: 'TXT', data: ['v=DMARC1; p=quarantine; rua=mailto:dmarc@example.net'] },
    ...extra,
  ];
}

/** CNAME and MX targets written relative to the apex need the apex name itself. */
function zone(name: string, records: Rec[], more: Record<string, unknown> = {}) {
  const apex = `${name}.`;
  return {
    name,
    serial: '2024030101',
    records: records.map((r) => ({ ...r, data: r.data.map((d) => (d === '@' ? apex : d)) })),
    ...more,
  };
}

/**
 * cPanel's own `standard` zone template (/usr/local/cpanel/etc/zonetemplates/standard in cPanel 11.120),
 * copied to /var/cpanel/zonetemplates by a provider who once added its previous relay's lockdown
 * record: every account created since gets `v=mc1 auth=oldhost`.
 */
const STANDARD_TEMPLATE = [
  '; cPanel %cpversion%',
  '; Zone file for %domain%',
  '$TTL %ttl%',
  '@      %nsttl%\tIN      SOA     %nameserver%. %rpemail%. (',
  '\t\t%serial%\t; serial, todays date+todays',
  '\t\t3600\t\t; refresh, seconds',
  '\t\t1800\t\t; retry, seconds',
  '\t\t1209600\t\t; expire, seconds',
  '\t\t86400 )\t\t; minimum, seconds',
  '',
  '%domain%. %nsttl% IN NS %nameserver%.',
  '%domain%. %nsttl% IN NS %nameserver2%.',
  '%domain%. %nsttl% IN NS %nameserver3%.',
  '%domain%. %nsttl% IN NS %nameserver4%.',
  '',
  '%nameserverentry%. IN A %nameservera%',
  '%nameserverentry2%. IN A %nameservera2%',
  '%nameserverentry3%. IN A %nameservera3%',
  '%nameserverentry4%. IN A %nameservera4%',
  '',
  '%domain%. IN A %ip%',
  '%domain%. IN AAAA %ipv6%',
  'ipv6 IN AAAA %ipv6%',
  '',
  '%domain%. IN MX 0 %domain%.',
  '',
  'mail IN CNAME %maildomain%.',
  'www IN CNAME %domain%.',
  'ftp IN CNAME %domain%.',
  '_mailchannels IN TXT "v=mc1 auth=oldhost"',
  '',
].join('\n');

const lockdown = (value: string, name = '_mailchannels'): Rec => ({ name, type: 'TXT', data: [value], ttl: 14400 });

export function demoSeed(): SeedInput {
  return {
    server: {
      hostname: 'server.webhostingm.example',
      ip: DEMO_IP,
      nameservers: DEMO_NAMESERVERS,
      soaContact: 'hostmaster.webhostingm.example',
    },
    resellers: ['resell'],
    accounts: [
      {
        user: 'alice',
        domain: 'migrated.example',
        domains: [
          { domain: 'shop.migrated.example', type: 'sub' },
          { domain: 'blockall.example', type: 'addon', subdomain: 'blockall' },
          { domain: 'alias.example', type: 'parked' },
        ],
      },
      {
        user: 'bob',
        domain: 'cfid.example',
        owner: 'resell',
        domains: [{ domain: 'tworecords.example', type: 'addon', subdomain: 'tworecords' }],
      },
      { user: 'carol', domain: 'nolockdown.example', domains: [{ domain: 'xss.example', type: 'addon', subdomain: 'xss' }] },
      { user: 'dave', domain: 'elsewhere.example' },
      { user: 'erin', domain: 'good.example' },
      { user: 'resell', domain: 'resell.example', owner: 'resell', plan: 'reseller' },
      { user: 'frank', domain: 'typo.example' },
    ],
    zones: [
      zone(
        'migrated.example',
        mailDomain([
          { name: 'shop', type: 'A', data: [DEMO_IP] },
          lockdown('v=mc1 auth=oldhost'),
          lockdown('v=mc1 auth=oldhost', '_mailchannels.shop'),
        ]),
      ),
      zone('blockall.example', mailDomain([lockdown('v=mc1')])),
      zone('alias.example', mailDomain([lockdown(`v=mc1 auth=${DEMO_AUTH_ID}`)])),
      zone('cfid.example', mailDomain([lockdown('v=mc1 cfid=oldsite.workers.dev')])),
      zone('tworecords.example', mailDomain([lockdown('v=mc1 auth=oldhost'), lockdown(`v=mc1 auth=${DEMO_AUTH_ID}`)])),
      zone('nolockdown.example', mailDomain([], { spf: `v=spf1 +a +mx +ip4:${DEMO_IP} ~all` })),
      zone('xss.example', mailDomain([lockdown('<script>alert(1)</script>')])),
      zone('elsewhere.example', mailDomain([lockdown('v=mc1 auth=oldhost')]), {
        localAuthority: 0,
        publicNameservers: ['ns1.otherdns.example', 'ns2.otherdns.example'],
      }),
      zone('good.example', mailDomain([lockdown(`v=mc1 auth=${DEMO_AUTH_ID}`)])),
      zone('resell.example', mailDomain([lockdown('v=mc1 auth=previoushost')])),
      // Typed without the final dot in a zone editor: the owner becomes _mailchannels.typo.example.typo.example.
      zone('typo.example', mailDomain([lockdown(`v=mc1 auth=${DEMO_AUTH_ID}`, '_mailchannels.typo.example')])),
    ],
    zoneTemplates: { standard: STANDARD_TEMPLATE },
    tokens: [
      { kind: 'whm', user: 'root', token: DEMO_TOKENS.root },
      { kind: 'whm', user: 'resell', token: DEMO_TOKENS.reseller },
      ...USERS.map((user) => ({ kind: 'cpanel' as const, user, token: DEMO_TOKENS.user(user) })),
    ],
  };
}
