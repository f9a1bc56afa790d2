/**
 * Realistic cPanel zones (test/fixtures/zones/): both readers agree, and the facts the checks rely on
 * come out as docs/reference/cpanel-api.md §5.3 says (dname rules, absolute RDATA names, TXT strings, line_index).
 */
import { parseZoneFile } from '../../../src/zone/bindReader';
import type { Zone, ZoneRecord } from '../../../src/zone/model';
import { parseZonePayload } from '../../../src/zone/payloadReader';
import { toParseZonePayload } from '../../../src/zone/payloadWriter';
import { corpus, corpusZone } from './corpus';

function read(zone: string): Zone {
  return parseZoneFile(corpusZone(zone).text, zone);
}

function at(zone: Zone, lineIndex: number): ZoneRecord {
  const record = zone.records.find((r) => r.lineIndex === lineIndex);
  if (!record) throw new Error(`no record at line ${lineIndex}`);
  return record;
}

describe('the zone corpus', () => {
  test('when the corpus is listed, then it holds the reference fixture and at least eight other zones', () => {
    const zones = corpus().map((c) => c.zone);
    expect(zones).toContain('example.com');
    expect(zones.length).toBeGreaterThanOrEqual(9);
  });

  test.each(corpus().map((c) => [c.zone, c] as const))(
    'when %s goes file → payload → payload reader, then both readers give the same zone',
    (_name, c) => {
      const fromFile = parseZoneFile(c.text, c.zone);
      const items = toParseZonePayload(fromFile);
      // The payload is what travels as JSON: make it do so.
      const fromPayload = parseZonePayload(JSON.parse(JSON.stringify(items)), c.zone);
      expect(fromPayload).toEqual(fromFile);
    },
  );

  test.each(corpus().map((c) => [c.zone, c] as const))(
    'when %s is read as a Buffer or as a binary string, then the zone is the same',
    (_name, c) => {
      expect(parseZoneFile(Buffer.from(c.text, 'latin1'), c.zone)).toEqual(parseZoneFile(c.text, c.zone));
    },
  );
});

describe('lockdown records of many shapes', () => {
  const zone = read('lockdown.example');

  test('when an owner is written without its final dot, then it lands under the zone twice (the misplaced record)', () => {
    expect(at(zone, 18)).toMatchObject({
      dname: '_mailchannels.lockdown.example',
      name: '_mailchannels.lockdown.example.lockdown.example.',
    });
  });

  test('when the owner is the absolute form of _mailchannels, then dname is relative like the others', () => {
    expect(at(zone, 17)).toMatchObject({ dname: '_mailchannels', name: '_mailchannels.lockdown.example.' });
    expect(zone.records.filter((r) => r.name === '_mailchannels.lockdown.example.').map((r) => r.lineIndex)).toEqual([15, 16, 17]);
  });

  test('when names are outside the zone, under a subdomain or lack the underscore, then dname and name say so', () => {
    expect(at(zone, 28)).toMatchObject({ dname: '_mailchannels.other.example.', name: '_mailchannels.other.example.' });
    expect(at(zone, 20)).toMatchObject({ dname: '_mailchannels.shop', name: '_mailchannels.shop.lockdown.example.' });
    expect(at(zone, 19)).toMatchObject({ dname: 'mailchannels', name: 'mailchannels.lockdown.example.' });
  });

  test('when an owner has capitals, then dname keeps them and name is lower case', () => {
    expect(at(zone, 25)).toMatchObject({
      dname: '_MailChannels.Case',
      name: '_mailchannels.case.lockdown.example.',
      data: ['v=mc1 auth=WebHostingM'],
    });
  });

  test('when TXT holds several strings or bare words, then each is one data item', () => {
    expect(at(zone, 23).data).toEqual(['v=mc1 ', 'auth=webhostingm']);
    expect(at(zone, 24).data).toEqual(['v=mc1', 'auth=webhostingm']);
    expect(at(zone, 27).data).toEqual(['']);
  });
});

describe('DKIM keys', () => {
  const zone = read('dkim.example');

  test('when a 2048-bit key is split in two strings, then the strings are kept apart and join to the whole key', () => {
    const dkim = at(zone, 15);
    expect(dkim.data).toHaveLength(2);
    expect(dkim.data.every((s) => s.length <= 255)).toBe(true);
    expect(dkim.data.join('')).toMatch(/^v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA[A-Za-z0-9+/]+IDAQAB$/);
    expect(dkim.data.join('').length).toBe('v=DKIM1; k=rsa; p='.length + 392);
  });

  test('when a TXT record spans three lines in parentheses with comments, then it is one record at its first line and the next record follows its last line', () => {
    const google = at(zone, 16);
    expect(google.data).toHaveLength(3);
    expect(google.data[0]).toBe('v=DKIM1; k=rsa; ');
    expect(google.ttl).toBe(3600);
    expect(zone.records.map((r) => r.lineIndex)).toEqual([3, 11, 12, 14, 15, 16, 19, 20, 21]);
  });
});

describe('$ORIGIN, blank owners and TTL units', () => {
  const zone = read('origins.example');

  test('when $TTL uses units and the SOA timers too, then all are seconds', () => {
    expect(at(zone, 3)).toMatchObject({
      dname: 'origins.example.',
      ttl: 3600,
      data: ['ns1.origins.example.', 'hostmaster.origins.example.', '2025020100', '7200', '1800', '1209600', '86400'],
    });
    expect(at(zone, 6).ttl).toBe(86400);
    expect(at(zone, 9).ttl).toBe(604800);
    expect(at(zone, 10).ttl).toBe(5400);
    expect(at(zone, 16).ttl).toBe(300);
  });

  test('when a line starts with white space, then the record belongs to the previous owner, even after $ORIGIN changed', () => {
    expect(at(zone, 4)).toMatchObject({ dname: 'origins.example.', type: 'NS', data: ['ns1.origins.example.'] });
    expect(at(zone, 8)).toMatchObject({ dname: 'ns1', type: 'AAAA', data: ['2001:db8::8'] });
    expect(at(zone, 13)).toMatchObject({ dname: 'www.sub', type: 'TXT' });
  });

  test('when $ORIGIN changes (absolute or relative), then owners and RDATA names follow it but dname stays relative to the zone', () => {
    expect(at(zone, 12)).toMatchObject({ dname: 'www.sub', name: 'www.sub.origins.example.', ttl: 3600 });
    expect(at(zone, 14)).toMatchObject({ dname: '_mailchannels.sub', ttl: 7200 });
    expect(at(zone, 16)).toMatchObject({ dname: 'leaf.deeper.sub', data: ['deeper.sub.origins.example.'] });
    expect(at(zone, 19)).toMatchObject({ dname: '_mailchannels', name: '_mailchannels.origins.example.' });
    expect(at(zone, 9).data).toEqual(['10', 'mx1.origins.example.']);
  });

  test('when $ORIGIN and $TTL lines are read, then they are control items with their text', () => {
    expect(zone.lines.filter((l) => l.kind === 'control').map((l) => [l.lineIndex, l.text])).toEqual([
      [1, '$TTL 1h'],
      [2, '$ORIGIN origins.example.'],
      [11, '$ORIGIN sub.origins.example.'],
      [15, '$ORIGIN deeper'],
      [17, '$ORIGIN origins.example.'],
    ]);
  });
});

describe('IPv6, SRV and CAA', () => {
  const zone = read('net6.example');

  test('when AAAA addresses are written in long or upper-case form, then they read in inet_ntop form', () => {
    expect([14, 15, 16, 17, 18].map((line) => at(zone, line).data[0])).toEqual([
      '2001:db8::1',
      '2001:db8:0:1::',
      '::ffff:192.0.2.1',
      '::1',
      '2001:db8::1:0:0:1',
    ]);
  });

  test('when SRV and MX targets are relative, then they are made absolute under the zone', () => {
    expect(at(zone, 19).data).toEqual(['10', '60', '5060', 'sipserver.net6.example.']);
    expect(at(zone, 20).data).toEqual(['5', '0', '5269', 'xmpp.other.example.']);
    expect(at(zone, 25).data).toEqual(['10', 'mail.net6.example.']);
  });

  test('when CAA values are quoted, then flag, tag and the unquoted value are three items', () => {
    expect(at(zone, 22).data).toEqual(['0', 'issue', 'letsencrypt.org']);
    expect(at(zone, 23).data).toEqual(['0', 'issuewild', ';']);
    expect(at(zone, 24).data).toEqual(['128', 'iodef', 'mailto:security@net6.example']);
  });
});

describe('escapes and bytes', () => {
  const zone = read('escapes.example');

  test('when TXT strings hold \\" \\\\ \\DDD and a quoted ;, then the data are the decoded bytes', () => {
    expect(at(zone, 14).data).toEqual(['say "hello" to \\ everyone']);
    expect(at(zone, 15).data).toEqual(['a;b ; c']);
    expect(at(zone, 16).data).toEqual(['caf\xe9 ; end']);
    expect(at(zone, 19).data).toEqual(['\xff\x00\x7f']);
    expect(at(zone, 22).data).toEqual(['(not a paren)']);
  });

  test('when the file holds raw latin1 and UTF-8 bytes, then they are kept byte for byte', () => {
    expect(at(zone, 17).data).toEqual(['caf\xe9']);
    expect(Buffer.from(at(zone, 18).data[0] as string, 'latin1').toString('utf8')).toBe('naïve');
  });

  test('when an owner holds an escaped space or dot, then dname keeps the ldns escape and the label its byte', () => {
    expect(at(zone, 23)).toMatchObject({ dname: 'weird\\032name', name: 'weird\\032name.escapes.example.' });
    expect(at(zone, 24)).toMatchObject({ dname: 'dot\\.inside' });
  });
});

describe('a zone migrated from another host', () => {
  const zone = read('migrated.example');

  test('when lines end with CRLF and keywords are lower case, then records read as usual and texts lose the CR', () => {
    expect(zone.serial).toBe('2019010101');
    expect(at(zone, 2)).toMatchObject({ type: 'SOA', ttl: 3600 });
    expect(zone.lines).toEqual([
      { kind: 'comment', lineIndex: 0, text: '; migrated from oldhost.example on 2025-01-02' },
      { kind: 'control', lineIndex: 1, text: '$ORIGIN migrated.example.' },
      { kind: 'comment', lineIndex: 11, text: '   ; an indented comment' },
    ]);
  });

  test('when there is no $TTL, then a record without TTL takes the previous record’s (RFC 1035 §5.1)', () => {
    expect([3, 4, 5, 8, 9, 10].map((line) => at(zone, line).ttl)).toEqual([3600, 3600, 3600, 600, 600, 600]);
  });

  test('when CNAME points at @ and MX at a relative name, then both are absolute', () => {
    expect(at(zone, 6).data).toEqual(['migrated.example.']);
    expect(at(zone, 7).data).toEqual(['10', 'mail.migrated.example.']);
    expect(at(zone, 12).data).toEqual(['v=DMARC1; p=reject; ', 'rua=mailto:d@migrated.example']);
  });
});

describe('less common types', () => {
  const zone = read('types.example');

  test('when DS, TLSA and SSHFP carry hex (even split by spaces), then it is one upper-case item', () => {
    expect(at(zone, 17).data).toEqual(['60485', '5', '1', '2BB183AF5F22588179A53B0A98631FAD1A292118']);
    expect(at(zone, 18).data.slice(0, 3)).toEqual(['3', '1', '1']);
    expect(at(zone, 18).data[3]).toMatch(/^[0-9A-F]{64}$/);
  });

  test('when HINFO, NAPTR, RP, AFSDB, PTR, DNAME, SPF, LOC, HTTPS and a TYPEnnn are read, then each has its fields', () => {
    expect(at(zone, 15).data).toEqual(['INTEL-386', 'Linux']);
    expect(at(zone, 16).data).toEqual(['100', '10', 'S', 'SIP+D2U', '', '_sip._udp.types.example.']);
    expect(at(zone, 22).data).toEqual(['admin.types.example.', 'who-txt.types.example.']);
    expect(at(zone, 21).data).toEqual(['1', 'afsdb.types.example.']);
    expect(at(zone, 25)).toMatchObject({ dname: '4.2', data: ['host.types.example.'] });
    expect(at(zone, 24).data).toEqual(['newplace.example.']);
    expect(at(zone, 26)).toMatchObject({ type: 'SPF', data: ['v=spf1 -all'] });
    expect(at(zone, 20).data).toEqual(['52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m']);
    expect(at(zone, 28).data).toEqual(['1', '.', 'alpn="h2,h3"', 'port=443']);
    expect(at(zone, 27)).toMatchObject({ type: 'TYPE65280', data: ['\\# 4 0A000001'] });
    expect(at(zone, 14)).toMatchObject({ dname: '*', name: '*.types.example.' });
  });
});
