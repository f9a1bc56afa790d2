/**
 * The fast path's pre-filter must change nothing the diagnosis sees: the same TXT/CNAME records (same
 * line_index, names, TTLs, data), the same serial, the same reports, and the same error when the
 * full reader refuses the file. Checked on the fixture zones, on generated cPanel zones, and on
 * random zone-like text full of the constructs that make dropping unsafe.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseConfig } from '../../../src/config';
import { diagnoseDomain } from '../../../src/usecases/diagnose';
import { reduceZoneText } from '../../../src/usecases/scan/relevantLines';
import { parseZoneFile } from '../../../src/zone/bindReader';
import type { Zone } from '../../../src/zone/model';
import { prng, zonesOf } from '../../fixtures/bulk/synthetic';

const ZONES_DIR = join(__dirname, '../../fixtures/zones');
const config = parseConfig({ provider: { authId: 'webhostingm' } });
const DROPPABLE_TYPES = new Set(['A', 'AAAA', 'NS', 'MX', 'SRV']);
const SOA = 'example.com. 86400 IN SOA ns1.example.net. admin.example.net. ( 2024030101 3600 1800 1209600 86400 )';

type Outcome = { zone: Zone } | { error: string };

function parse(bytes: Buffer, zone: string): Outcome {
  try {
    return { zone: parseZoneFile(bytes, zone) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** What the diagnosis can see of a zone: everything but the droppable types. */
function visible(zone: Zone) {
  return { name: zone.name, serial: zone.serial, records: zone.records.filter((r) => !DROPPABLE_TYPES.has(r.type)) };
}

function expectSameView(bytes: Buffer, zoneName: string): { dropped: number } {
  const reduced = reduceZoneText(bytes, zoneName);
  const full = parse(bytes, zoneName);
  const fast = parse(reduced.bytes, zoneName);
  if ('error' in full) {
    expect(fast).toEqual(full);
  } else {
    expect('zone' in fast).toBe(true);
    expect(visible((fast as { zone: Zone }).zone)).toEqual(visible(full.zone));
    // Kept records are untouched, droppable ones only ever disappear.
    const fullByLine = new Map(full.zone.records.map((r) => [r.lineIndex, r]));
    for (const r of (fast as { zone: Zone }).zone.records) expect(fullByLine.get(r.lineIndex)).toEqual(r);
  }
  return { dropped: reduced.dropped };
}

describe('reduceZoneText', () => {
  it('when the fixture zones are reduced, then every TXT/CNAME record, the serial and every error are those of the full reader', () => {
    const files = readdirSync(ZONES_DIR).filter((f) => f.endsWith('.db'));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) expectSameView(readFileSync(join(ZONES_DIR, file)), file.slice(0, -3));
  });

  it('when generated cPanel zones are reduced, then most lines are dropped and the reports are identical', async () => {
    let dropped = 0;
    for (const zone of zonesOf({ accounts: 40, staleEvery: 5 })) {
      const bytes = Buffer.from(zone.text, 'latin1');
      dropped += expectSameView(bytes, zone.name).dropped;
      const full = parseZoneFile(bytes, zone.name);
      const fast = parseZoneFile(reduceZoneText(bytes, zone.name).bytes, zone.name);
      for (const domain of zone.lockdownDomains) {
        const a = await diagnoseDomain({ domain, zone: full, user: zone.user, config });
        const b = await diagnoseDomain({ domain, zone: fast, user: zone.user, config });
        expect(b).toEqual(a);
      }
    }
    // ~20 A/NS/MX/SRV lines per generated zone: the filter really works.
    expect(dropped).toBeGreaterThan(40 * 15);
  });

  it.each([
    ['a record that inherits the owner of a dropped line', 'www 300 IN A 192.0.2.1\n\tTXT "v=mc1 auth=x"\n'],
    ['an owner inherited across a blank line and a comment', 'www 300 IN A 192.0.2.1\n\n; note\n\tIN TXT "x"\n'],
    ['an owner inherited by an entry that opens a parenthesis first', 'www 300 IN A 192.0.2.1\n\t(\n TXT "x" )\n'],
    ['a $ORIGIN', '$ORIGIN sub.example.com.\nwww 300 IN A 192.0.2.1\n_mailchannels TXT "v=mc1 auth=x"\n'],
    ['a bad address in an A record', 'www 300 IN A 192.0.2.300\n'],
    ['a leading zero in an address', 'www 300 IN A 192.0.2.01\n'],
    ['an over-long label', `${'a'.repeat(64)} 300 IN A 192.0.2.1\n`],
    ['a name too long with the zone appended', `${Array(5).fill('a'.repeat(60)).join('.')} 300 IN A 192.0.2.1\n`],
    ['an empty label', 'a..b 300 IN A 192.0.2.1\n'],
    ['a TTL above 2^31-1', 'www 2147483648 IN A 192.0.2.1\n'],
    ['a TTL with units', 'www 1h IN A 192.0.2.1\n'],
    ['class CH', 'www 300 CH A 192.0.2.1\n'],
    ['two classes', 'www IN IN A 192.0.2.1\n'],
    ['an MX preference above 65535', 'example.com. 300 IN MX 70000 mail.example.com.\n'],
    ['an SRV with a missing field', '_sip._tcp 300 IN SRV 0 5 mail.example.com.\n'],
    ['an A record with an extra field', 'www 300 IN A 192.0.2.1 192.0.2.2\n'],
    ['a record continued with a backslash-newline', 'www 300 IN A 192.0.2.\\\n1\n_mailchannels TXT "x"\n'],
    ['a quoted string continued with a backslash-newline', '_mailchannels TXT "a\\\nwww 300 IN A 192.0.2.1"\n'],
    ['CRLF line ends', 'www 300 IN A 192.0.2.1\r\n_mailchannels 300 IN TXT "v=mc1 auth=x"\r\n'],
    ['a parenthesised A record', 'www 300 IN A ( 192.0.2.1 )\n'],
    ['an unbalanced parenthesis after dropped lines', 'www 300 IN A 192.0.2.1\nmail 300 IN A 192.0.2.2 )\n'],
    ['a comment after a record', 'www 300 IN A 192.0.2.1 ; web\n_mailchannels TXT "v=mc1 auth=x" ; lockdown\n'],
    ['lower-case types and classes', 'www 300 in a 192.0.2.1\nexample.com. in 300 mx 10 mail\n_mailchannels txt "v=mc1 auth=x"\n'],
    ['an AAAA record, good and bad', 'www 300 IN AAAA 2001:db8::1\nweb 300 IN AAAA 2001:db8::1::2\n'],
    ['a closing parenthesis inside a quoted string of a multi-line entry', '_mailchannels TXT ( "a)"\nwww 300 IN A 192.0.2.1\n)\n'],
    ['a semicolon inside a quoted string before an opening parenthesis', '_mailchannels TXT "a;b" (\nwww 300 IN A 192.0.2.1\n)\n'],
    ['a CNAME at the lockdown name', '_mailchannels 300 IN CNAME elsewhere.example.net.\n'],
  ])('when the file holds %s, then the reduced file reads the same (or fails the same)', (_what, body) => {
    expectSameView(Buffer.from(`$TTL 14400\n${SOA}\n${body}`, 'latin1'), 'example.com');
  });

  it('when no $TTL precedes the records (TTLs may then pass from record to record), then nothing is dropped', () => {
    const bytes = Buffer.from(`${SOA}\nwww 300 IN A 192.0.2.1\n_mailchannels TXT "v=mc1 auth=x"\n`, 'latin1');
    expect(reduceZoneText(bytes, 'example.com')).toEqual({ bytes, dropped: 0 });
    expectSameView(bytes, 'example.com');
  });

  it('when a zone has $ORIGIN, then nothing is dropped', () => {
    const bytes = Buffer.from(`$TTL 300\n${SOA}\n$ORIGIN sub.example.com.\nwww 300 IN A 192.0.2.1\n`, 'latin1');
    expect(reduceZoneText(bytes, 'example.com').dropped).toBe(0);
  });

  it('when random zone-like text is reduced, then it always reads the same as the full file', () => {
    const rnd = prng(42);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
    /** Mostly lines the reader accepts (so dropping is exercised), some it refuses or reads specially. */
    const either = <T>(good: readonly T[], odd: readonly T[]): T => (rnd() < 0.93 ? pick(good) : pick(odd));
    const owner = () =>
      either(
        ['www', '@', 'example.com.', '_mailchannels', 'mail.example.com.', '*', '_dmarc', 'default._domainkey', ''],
        ['a..b', 'x'.repeat(64), '.', 'other.example.net.'],
      );
    const middle = () => either(['300 IN', 'IN 300', '300', 'IN', ''], ['1h IN', 'CH', '300 IN IN', '99999999999', 'CLASS1']);
    const body = () =>
      either(
        [
          'A 192.0.2.1',
          'AAAA 2001:db8::1',
          'NS ns1.example.net.',
          'MX 10 mail',
          'SRV 0 5 5060 sip.example.com.',
          'CNAME target.example.net.',
          'TXT "v=mc1 auth=webhostingm"',
          'TXT "v=spf1 include:relay.mailchannels.net ~all"',
          'TXT "a" "b"',
          'A 192.0.2.1 ; comment',
        ],
        [
          'A 192.0.2.256',
          'MX 99999 mail',
          'SRV 0 5 sip',
          'TXT "unterminated',
          'TXT ( "a"\n "b" )',
          'A ( 192.0.2.1 )',
          'TXT "x\\\ny"',
          'A 192.0.2.\\\n1',
          'A 010.0.0.1',
          'AAAA 1::2::3',
        ],
      );
    const lineOf = () => {
      if (rnd() < 0.05) return pick(['', '; comment', '\t; indented comment', '$TTL 300', '$ORIGIN sub.example.com.', ')', '(']);
      const o = owner();
      const sep = pick([' ', '\t', '  ']);
      return `${o === '' ? pick([' ', '\t']) : o + sep}${middle()}${sep}${body()}${rnd() < 0.02 ? '\r' : ''}`;
    };
    let parsedWhole = 0;
    let dropped = 0;
    for (let n = 0; n < 1500; n++) {
      const lines = ['$TTL 14400', SOA];
      const count = 1 + Math.floor(rnd() * 12);
      for (let i = 0; i < count; i++) lines.push(lineOf());
      if (rnd() < 0.1) lines.unshift('www 300 IN A 192.0.2.1');
      const bytes = Buffer.from(`${lines.join('\n')}\n`, 'latin1');
      dropped += expectSameView(bytes, 'example.com').dropped;
      if ('zone' in parse(bytes, 'example.com')) parsedWhole++;
    }
    // Both outcomes were exercised: files the reader accepts and files it refuses.
    expect(parsedWhole).toBeGreaterThan(100);
    expect(parsedWhole).toBeLessThan(1400);
    expect(dropped).toBeGreaterThan(1000);
  });
});
