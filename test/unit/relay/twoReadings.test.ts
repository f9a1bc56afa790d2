/**
 * The relay double and the product read the `_mailchannels` record independently (the double imports
 * nothing of src/checks). Each documented case below states what MailChannels does with one message
 * and what the product's check says of the record for the sending account; both readings are run on
 * the same record. Where the product is deliberately stricter than MailChannels (a case it repairs
 * although some mail would pass), the case says so.
 *
 * Sources: https://docs.mailchannels.com/outbound/domain-lockdown and
 * https://docs.mailchannels.com/email-api/domain-lockdown (fields, one value per field, any one
 * match admits, sidw, cfid dead since 2024-08-31).
 */
import { checkLockdown } from '../../../src/checks/lockdown';
import { parseZoneFile } from '../../../src/zone/bindReader';
import { decideLockdown, relaySenderId } from '../../../src/simulator/relay/lockdownRule';

const PROVIDER = 'webhostingm';
const DOMAIN = 'example.com';

interface Case {
  name: string;
  /** The TXT records at `_mailchannels.example.com`, each as its character-strings. */
  records: string[][];
  /** Who sends: the relay account and the X-AuthUser MailChannels turns into the sender ID. */
  account?: string;
  authUser: string;
  /** The relay's verdict for that message. */
  relay: boolean;
  /** The product's lockdown verdict code for the cPanel user `bob` owning example.com. */
  product: string;
  /** Why the two differ, when they do on purpose. */
  stricter?: string;
}

const CASES: Case[] = [
  { name: 'no record: no restriction', records: [], authUser: 'bob', relay: true, product: 'LOCKDOWN_MISSING' },
  { name: 'auth= of the provider', records: [['v=mc1 auth=webhostingm']], authUser: 'bob', relay: true, product: 'LOCKDOWN_OK' },
  { name: "the old host's auth=", records: [['v=mc1 auth=oldhost']], authUser: 'bob', relay: false, product: 'LOCKDOWN_STALE' },
  {
    name: "the provider's example record (auth= and the user's sender ID)",
    records: [['v=mc1 auth=webhostingm senderid=webhostingm|x-authuser|bob']],
    authUser: 'bob',
    relay: true,
    product: 'LOCKDOWN_OK',
  },
  {
    name: "the account's own sender ID only",
    records: [['v=mc1 senderid=webhostingm|x-authuser|bob']],
    authUser: 'bob',
    relay: true,
    product: 'LOCKDOWN_OK',
  },
  {
    name: "a mailbox login of the domain under the account's sender IDs",
    records: [['v=mc1 senderid=webhostingm|x-authuser|bob senderid=webhostingm|x-authuser|joe@example.com']],
    authUser: 'joe@example.com',
    relay: true,
    product: 'LOCKDOWN_OK',
  },
  {
    name: "another user's sender ID only",
    records: [['v=mc1 senderid=webhostingm|x-authuser|alice']],
    authUser: 'bob',
    relay: false,
    product: 'LOCKDOWN_WRONG_SENDERID',
  },
  { name: 'bare v=mc1 blocks all mail', records: [['v=mc1']], authUser: 'bob', relay: false, product: 'LOCKDOWN_BLOCK_ALL' },
  { name: 'a dead cfid= only', records: [['v=mc1 cfid=site.workers.dev']], authUser: 'bob', relay: false, product: 'LOCKDOWN_STALE' },
  {
    name: 'one value per field: a comma list matches nothing',
    records: [['v=mc1 auth=oldhost,webhostingm']],
    authUser: 'bob',
    relay: false,
    product: 'LOCKDOWN_STALE',
  },
  {
    name: 'any one field admits: another provider besides ours',
    records: [['v=mc1 auth=other auth=webhostingm']],
    authUser: 'bob',
    relay: true,
    product: 'LOCKDOWN_OK',
  },
  {
    name: 'strings joined with nothing',
    records: [['v=mc1 auth=oldhost ', 'auth=webhostingm']],
    authUser: 'bob',
    relay: true,
    product: 'LOCKDOWN_OK',
  },
  {
    name: 'strings joined with nothing, even inside a field',
    records: [['v=mc1 auth=webhost', 'ingm']],
    authUser: 'bob',
    relay: true,
    product: 'LOCKDOWN_OK',
  },
  { name: 'IDs compared exactly', records: [['v=mc1 auth=WebHostingM']], authUser: 'bob', relay: false, product: 'LOCKDOWN_STALE' },
  {
    name: 'sender IDs compared exactly, identity type included',
    records: [['v=mc1 senderid=webhostingm|x-authsender|bob']],
    authUser: 'bob',
    relay: false,
    product: 'LOCKDOWN_WRONG_SENDERID',
  },
  {
    name: 'a tenant-isolated record: another customer of the same provider',
    records: [['v=mc1 senderid=webhostingm|x-authuser|bob senderid=webhostingm|x-authuser|joe@example.com']],
    authUser: 'mallory',
    relay: false,
    product: 'LOCKDOWN_OK',
    stricter: "the product judges the record for bob's account (it lets bob's mail through); mallory is another tenant, whom it must stop",
  },
  {
    name: 'another MailChannels customer under auth= of the provider',
    records: [['v=mc1 auth=webhostingm']],
    account: 'oldhost',
    authUser: 'bob',
    relay: false,
    product: 'LOCKDOWN_OK',
    stricter: 'auth= admits only the provider’s own relay account; the message comes from another customer',
  },
  {
    name: 'several records: MailChannels undefined, the double pools the fields',
    records: [['v=mc1 auth=oldhost'], ['v=mc1 auth=webhostingm']],
    authUser: 'bob',
    relay: true,
    product: 'LOCKDOWN_MULTIPLE',
    stricter: 'which record MailChannels reads is not documented, so the product merges them into one',
  },
  {
    name: 'upper-case tags: read by the double, flagged by the product',
    records: [['v=mc1 AUTH=webhostingm']],
    authUser: 'bob',
    relay: true,
    product: 'LOCKDOWN_STALE',
    stricter: 'MailChannels documents only lower-case tags; the product rewrites a record that works only if tags are case-folded',
  },
];

function zoneWith(records: string[][]) {
  const lines = [
    '$TTL 3600',
    `${DOMAIN}. 3600 IN SOA ns1.example.net. admin.example.net. 2024030101 3600 1800 1209600 86400`,
    `${DOMAIN}. 3600 IN NS ns1.example.net.`,
    ...records.map((strings) => `_mailchannels 3600 IN TXT ${strings.map((s) => `"${s}"`).join(' ')}`),
  ];
  return parseZoneFile(`${lines.join('\n')}\n`, DOMAIN);
}

function productVerdict(records: string[][]): string {
  const zone = zoneWith(records);
  const findings = checkLockdown({ domain: DOMAIN, records: zone.records, zoneName: DOMAIN, authId: PROVIDER, user: 'bob' });
  const verdicts = [
    'LOCKDOWN_OK',
    'LOCKDOWN_MISSING',
    'LOCKDOWN_STALE',
    'LOCKDOWN_WRONG_SENDERID',
    'LOCKDOWN_BLOCK_ALL',
    'LOCKDOWN_MULTIPLE',
  ];
  return findings.map((f) => f.code).find((c) => verdicts.includes(c)) ?? 'none';
}

describe('the relay double and the product read the same documented records', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const account = c.account ?? PROVIDER;
    const relay = decideLockdown(c.records, { accountId: account, senderId: relaySenderId(account, c.authUser) });
    expect({ relay: relay.allowed, product: productVerdict(c.records) }).toEqual({ relay: c.relay, product: c.product });
  });

  it('when the product says a record lets the account send, then the relay delivers the account’s own mail (unless a case says why not)', () => {
    for (const c of CASES) {
      if (c.stricter) continue;
      const ok = c.product === 'LOCKDOWN_OK' || c.product === 'LOCKDOWN_MISSING';
      expect([c.name, ok]).toEqual([c.name, c.relay]);
    }
  });
});
