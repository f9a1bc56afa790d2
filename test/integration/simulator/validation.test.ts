/**
 * Contract: mass_edit's refusals (docs/reference/cpanel-api.md §6.5, §6.6) with their exact texts, and the order
 * v120 checks them in (§10.4) — above all, validation before the serial check (§9.7).
 */
import { startTestSimulator, uapi, whm, TEST_TOKENS as T, type StartedSimulator } from '../../support/simulator';

const OK_ADD = JSON.stringify({ dname: '_mailchannels', ttl: 14400, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] });
const CURRENT = '2024030101';
const OLD = '2021031901';
const add = (item: Record<string, unknown>) => ['add', JSON.stringify(item)] as [string, string];
const edit = (item: Record<string, unknown>) => ['edit', JSON.stringify(item)] as [string, string];

describe('mass_edit validation', () => {
  let started: StartedSimulator;
  beforeAll(async () => {
    started = await startTestSimulator({ clock: () => new Date('2026-11-28T12:00:00Z') });
  });
  afterAll(() => started.stop());

  /** UAPI as alice (zoneedit + simplezoneedit + changemx) on example.com; returns errors[0]. */
  async function aliceError(params: Array<[string, string]>): Promise<string> {
    const answer = await uapi(started.sim, 'alice', T.alice, 'DNS/mass_edit_zone', params, 'POST');
    expect(answer.status).toBe(200);
    expect(answer.json.status).toBe(0);
    return answer.json.errors[0];
  }
  const onZone = (serial: string, ...rest: Array<[string, string]>): Array<[string, string]> => [
    ['zone', 'example.com'],
    ['serial', serial],
    ...rest,
  ];

  test.each([
    ['no add, edit or remove', onZone(CURRENT), 'You must provide at least one change to the DNS zone.'],
    ['an add that is not JSON', onZone(CURRENT, ['add', '{nope']), 'Each “add” must be an object.'],
    ['an add that is a JSON array', onZone(CURRENT, ['add', '[1,2]']), 'Each “add” must be an object.'],
    ['an edit that is a JSON string', onZone(CURRENT, ['edit', '"x"']), 'Each “edit” must be an object.'],
    ['a negative remove', onZone(CURRENT, ['remove', '-1']), 'Each “remove” must be a nonnegative integer.'],
    ['a fractional remove', onZone(CURRENT, ['remove', '1.5']), 'Each “remove” must be a nonnegative integer.'],
    [
      'an add without data',
      onZone(CURRENT, add({ dname: 'x', ttl: 300, record_type: 'TXT' })),
      'Each “add” requires “dname”, “ttl”, “record_type”, and “data”.',
    ],
    [
      'an edit without line_index',
      onZone(CURRENT, edit({ dname: 'x', ttl: 300, record_type: 'TXT', data: ['a'] })),
      'Each “edit” requires “line_index”, “dname”, “ttl”, “record_type”, and “data”.',
    ],
    [
      'data that is not an array',
      onZone(CURRENT, add({ dname: 'x', ttl: 300, record_type: 'TXT', data: 'a' })),
      '“data” must be an array.',
    ],
    [
      'a TTL that is not digits',
      onZone(CURRENT, add({ dname: 'x', ttl: 'x', record_type: 'TXT', data: ['a'] })),
      'Time-To-Live (TTL) values must be positive integers, not “x”.',
    ],
    [
      'an unknown record type',
      onZone(CURRENT, add({ dname: 'x', ttl: 300, record_type: 'FOO', data: ['a'] })),
      '“FOO” is not a valid DNS resource record type.',
    ],
    [
      'a TXT item with a non-ASCII character',
      onZone(CURRENT, add({ dname: 'x', ttl: 300, record_type: 'TXT', data: ['ok', 'café'] })),
      'You gave “café” as “TXT” record data item #2. This value must contain only printable ASCII characters.',
    ],
    [
      'an NS add by a cPanel user',
      onZone(CURRENT, add({ dname: 'sub', ttl: 300, record_type: 'NS', data: ['ns.example.net.'] })),
      'This interface cannot create “NS” records. It can only create A, AAAA, CAA, CNAME, MX, SRV, and TXT records.',
    ],
    [
      'an edit of the NS line',
      onZone(CURRENT, edit({ line_index: 11, dname: 'example.com.', ttl: 300, record_type: 'NS', data: ['ns3.example.net.'] })),
      'Line 11 contains a record of type “NS”. You cannot edit or remove “NS” records. You can only edit or remove A, AAAA, CAA, CNAME, MX, SRV, and TXT records.',
    ],
    [
      'a removal of the SOA line',
      onZone(CURRENT, ['remove', '3']),
      'Line 3 contains a record of type “SOA”. You cannot edit or remove “SOA” records. You can only edit or remove A, AAAA, CAA, CNAME, MX, SRV, and TXT records.',
    ],
    ['a removal of a line inside the SOA', onZone(CURRENT, ['remove', '5']), 'No record exists at line 5 in the “example.com” DNS zone.'],
    ['a removal of a blank line', onZone(CURRENT, ['remove', '13']), 'No record exists at line 13 in the “example.com” DNS zone.'],
    [
      'an edit and a removal of one line',
      onZone(CURRENT, edit({ line_index: 19, dname: '_dmarc', ttl: 300, record_type: 'TXT', data: ['v=DMARC1; p=none;'] }), [
        'remove',
        '19',
      ]),
      'You submitted multiple edits for line index 19. This interface forbids multiple edits per line.',
    ],
  ])('when alice sends %s, then the answer is cPanel’s exact text', async (_label, params, expected) => {
    expect(await aliceError(params)).toBe(expected);
    // A refused edit never touches the file.
    expect(await started.sim.zoneText('example.com')).toContain('2024030101 ;Serial Number');
  });

  test('when a user with only simplezoneedit adds a TXT, then the allowed list is “A and CNAME”', async () => {
    const answer = await uapi(started.sim, 'bob', T.bob, 'DNS/mass_edit_zone', [
      ['zone', 'bob.example'],
      ['serial', '2024030101'],
      ['add', OK_ADD],
    ]);
    expect(answer.json.errors).toEqual(['This interface cannot create “TXT” records. It can only create A and CNAME records.']);
  });

  test('when a user without any zone-edit feature calls mass_edit_zone, then the features error comes first, even before missing arguments', async () => {
    const answer = await uapi(started.sim, 'carol', T.carol, 'DNS/mass_edit_zone', []);
    expect(answer.json.errors).toEqual(['You do not have the features “simplezoneedit”, “zoneedit”, or “changemx”.']);
    expect(answer.json.data).toBeNull();
  });

  test('when a feature is granted at run time, then the same call passes the gate', async () => {
    started.sim.setFeatures('carol', ['zoneedit']);
    try {
      const answer = await uapi(started.sim, 'carol', T.carol, 'DNS/mass_edit_zone', [
        ['zone', 'carol.example'],
        ['serial', OLD],
        ['add', OK_ADD],
      ]);
      expect(answer.json.data).toEqual({ type: 'Stale', detail: null });
    } finally {
      started.sim.setFeatures('carol', ['emailauth']);
    }
  });

  test('when zone or serial is missing, then the argument error names it', async () => {
    expect(
      await aliceError([
        ['serial', CURRENT],
        ['add', OK_ADD],
      ]),
    ).toBe('Provide the “zone” argument.');
    expect(
      await aliceError([
        ['zone', 'example.com'],
        ['add', OK_ADD],
      ]),
    ).toBe('Provide the “serial” argument.');
    expect(
      await aliceError([
        ['zone', 'example.com'],
        ['serial', ''],
        ['add', OK_ADD],
      ]),
    ).toBe('The “serial” argument cannot be empty.');
  });

  test('when the zone is not the user’s and there is no change either, then ownership is reported first', async () => {
    expect(
      await aliceError([
        ['zone', 'bob.example'],
        ['serial', CURRENT],
      ]),
    ).toBe('You do not control a DNS zone named “bob.example”.');
  });

  describe('validation runs before the serial check (§9.7)', () => {
    test.each([
      ['a malformed add', ['add', '{nope'] as [string, string], 'Each “add” must be an object.'],
      ['a bad remove', ['remove', 'x'] as [string, string], 'Each “remove” must be a nonnegative integer.'],
      [
        'a bad TTL',
        add({ dname: 'x', ttl: '5m', record_type: 'TXT', data: ['a'] }),
        'Time-To-Live (TTL) values must be positive integers, not “5m”.',
      ],
      [
        'a forbidden type',
        add({ dname: 'x', ttl: 300, record_type: 'NS', data: ['ns.example.net.'] }),
        'This interface cannot create “NS” records. It can only create A, AAAA, CAA, CNAME, MX, SRV, and TXT records.',
      ],
    ])('when %s comes with an old serial, then the validation error wins over Stale', async (_label, change, expected) => {
      const answer = await uapi(started.sim, 'alice', T.alice, 'DNS/mass_edit_zone', onZone(OLD, change));
      expect(answer.json.errors).toEqual([expected]);
      expect(answer.json.data).toBeNull();
    });

    test('when a line check would fail and the serial is old, then Stale wins (line checks come after the serial)', async () => {
      const answer = await uapi(started.sim, 'alice', T.alice, 'DNS/mass_edit_zone', onZone(OLD, ['remove', '13']));
      expect(answer.json.data).toEqual({ type: 'Stale', detail: null });
    });

    test('when JSON parsing fails and a remove is bad too, then the add error comes first (step 3 before 4)', async () => {
      expect(await aliceError(onZone(CURRENT, ['remove', 'x'], ['add', '{nope']))).toBe('Each “add” must be an object.');
    });
  });

  describe('WHM (root token)', () => {
    async function whmReason(params: Array<[string, string]>): Promise<string> {
      const answer = await whm(started.sim, 'root', T.root, 'mass_edit_dns_zone', params, 'POST');
      expect(answer.json.metadata.result).toBe(0);
      expect(answer.json).not.toHaveProperty('data');
      return answer.json.metadata.reason;
    }

    test('when a validation error happens, then the reason is wrapped as an API failure with an XID', async () => {
      expect(await whmReason(onZone(CURRENT))).toMatch(
        /^API failure: \(XID [a-z0-9]{6}\) You must provide at least one change to the DNS zone\.$/,
      );
    });

    test('when root adds an NS record, then there is no feature gate and it is written', async () => {
      const answer = await whm(started.sim, 'root', T.root, 'mass_edit_dns_zone', [
        ['zone', 'orphan.example'],
        ['serial', '2024070100'],
        add({ dname: 'delegated', ttl: 300, record_type: 'NS', data: ['ns.elsewhere.example.'] }),
      ]);
      expect(answer.json.metadata.result).toBe(1);
      expect(await started.sim.zoneText('orphan.example')).toContain('delegated\t300\tIN\tNS\tns.elsewhere.example.\n');
    });

    test('when root adds a known type WHM cannot create, then the long allowed list is given', async () => {
      expect(await whmReason(onZone(CURRENT, add({ dname: 'x', ttl: 300, record_type: 'SPF', data: ['v=spf1 -all'] })))).toMatch(
        /\) This interface cannot create “SPF” records\. It can only create A, AAAA, AFSDB, CAA, CNAME, DNAME, DS, HINFO, LOC, MX, NAPTR, NS, PTR, RP, SRV, TLSA, and TXT records\.$/,
      );
    });

    test('when root edits the SOA with another serial, then cPanel’s “upate” text comes back', async () => {
      const soa = edit({
        line_index: 3,
        dname: 'example.com.',
        ttl: 86400,
        record_type: 'SOA',
        data: ['ns1.example.net.', 'admin.example.net.', '2024039999', '3600', '1800', '1209600', '86400'],
      });
      expect(await whmReason(onZone(CURRENT, soa))).toMatch(
        /\) This system forbids direct updates to the SOA record’s serial number\. Provide the old serial number \(2024030101\) instead, and the system will upate the serial number for you\.$/,
      );
    });
  });

  test('when two simulators use the same XID seed, then their XIDs are the same sequence', async () => {
    const other = await startTestSimulator({ xidSeed: 99 });
    const again = await startTestSimulator({ xidSeed: 99 });
    try {
      const reasons = async (s: StartedSimulator) => {
        const out: string[] = [];
        for (let i = 0; i < 3; i++)
          out.push((await whm(s.sim, 'root', T.root, 'parse_dns_zone', [['zone', 'nope.example']])).json.metadata.reason);
        return out;
      };
      const first = await reasons(other);
      expect(await reasons(again)).toEqual(first);
      expect(new Set(first).size).toBe(3);
    } finally {
      await other.stop();
      await again.stop();
    }
  });
});
