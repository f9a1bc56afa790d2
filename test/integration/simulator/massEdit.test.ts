/**
 * Contract: editing a zone (docs/reference/cpanel-api.md §6) — the §6.3 worked example, the serial bump, Stale in
 * both APIs, concurrent edits, InvalidZoneFile, and the new_serial type knob.
 */
import { startTestSimulator, uapi, whm, TEST_TOKENS as T, type StartedSimulator } from '../../support/simulator';

const NOW = new Date('2026-11-28T12:00:00Z');
const DMARC_EDIT = JSON.stringify({ line_index: 19, dname: '_dmarc', ttl: 14400, record_type: 'TXT', data: ['v=DMARC1; p=quarantine;'] });
const LOCKDOWN_ADD = JSON.stringify({ dname: '_mailchannels', ttl: 14400, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] });

/** Decoded records of a parse_zone data array: `line dname TYPE data|data`. */
function describeItems(items: any[]): string[] {
  const d = (b64: string) => Buffer.from(b64, 'base64').toString('latin1');
  return items
    .filter((i) => i.type === 'record')
    .map((i) => `${i.line_index} ${d(i.dname_b64)} ${i.record_type} ${i.data_b64.map(d).join('|')}`);
}

describe('mass_edit_zone / mass_edit_dns_zone', () => {
  let started: StartedSimulator;
  let now: Date;
  beforeEach(async () => {
    now = NOW;
    started = await startTestSimulator({ clock: () => now });
  });
  afterEach(() => started.stop());

  test('when the §6.3 worked example is sent, then new_serial is today’s YYYYMMDD00, lines 0–19 keep their indexes and the add is appended', async () => {
    const before = await uapi(started.sim, 'alice', T.alice, 'DNS/parse_zone', [['zone', 'example.com']]);
    const answer = await uapi(
      started.sim,
      'alice',
      T.alice,
      'DNS/mass_edit_zone',
      [
        ['zone', 'example.com'],
        ['serial', '2024030101'],
        ['edit', DMARC_EDIT],
        ['add', LOCKDOWN_ADD],
      ],
      'POST',
    );
    expect(answer.json).toEqual({
      status: 1,
      errors: null,
      messages: null,
      warnings: null,
      metadata: {},
      data: { new_serial: 2026112800 },
    });

    const after = await uapi(started.sim, 'alice', T.alice, 'DNS/parse_zone', [['zone', 'example.com']]);
    const beforeRecords = describeItems(before.json.data);
    const afterRecords = describeItems(after.json.data);
    // Untouched records keep line and content; the SOA keeps its line with the new serial.
    for (const line of beforeRecords.filter((r) => !/^(3|19) /.test(r))) expect(afterRecords).toContain(line);
    expect(afterRecords).toContain('3 example.com. SOA ns1.example.net.|admin.example.net.|2026112800|3600|1800|1209600|86400');
    expect(afterRecords).toContain('19 _dmarc TXT v=DMARC1; p=quarantine;');
    expect(afterRecords).toContain('20 _mailchannels TXT v=mc1 auth=webhostingm');
    // The file itself: the new TXT is the last line, written the way cPanel writes records.
    const text = (await started.sim.zoneText('example.com')) as string;
    expect(text.endsWith('_mailchannels\t14400\tIN\tTXT\t"v=mc1 auth=webhostingm"\n')).toBe(true);
    expect(text).toContain('\t\t\t\t\t\t2026112800 ;Serial Number\n');
  });

  test('when a zone is saved twice on the same day, then the second bump is old + 1', async () => {
    const first = await uapi(started.sim, 'alice', T.alice, 'DNS/mass_edit_zone', [
      ['zone', 'example.com'],
      ['serial', '2024030101'],
      ['add', LOCKDOWN_ADD],
    ]);
    expect(first.json.data).toEqual({ new_serial: 2026112800 });
    const second = await uapi(started.sim, 'alice', T.alice, 'DNS/mass_edit_zone', [
      ['zone', 'example.com'],
      ['serial', '2026112800'],
      ['remove', '20'],
    ]);
    expect(second.json.data).toEqual({ new_serial: 2026112801 });
  });

  test('when the knob asks for string serials, then new_serial is a JSON string', async () => {
    started.sim.setNewSerialType('string');
    const answer = await whm(started.sim, 'root', T.root, 'mass_edit_dns_zone', [
      ['zone', 'example.com'],
      ['serial', '2024030101'],
      ['add', LOCKDOWN_ADD],
    ]);
    expect(answer.json).toEqual({
      metadata: { command: 'mass_edit_dns_zone', reason: 'OK', result: 1, version: 1 },
      data: { new_serial: '2026112800' },
    });
  });

  test('when the serial is old, then UAPI answers Stale with both serials, the zone’s apostrophe and the typed payload', async () => {
    const answer = await uapi(started.sim, 'alice', T.alice, 'DNS/mass_edit_zone', [
      ['zone', 'example.com'],
      ['serial', '2021031901'],
      ['add', LOCKDOWN_ADD],
    ]);
    expect(answer.json).toEqual({
      status: 0,
      errors: [
        'The given serial number (2021031901) does not match the DNS zone’s serial number (2024030101). Refresh your view of the DNS zone, then resubmit.',
      ],
      messages: null,
      warnings: null,
      metadata: {},
      data: { type: 'Stale', detail: null },
    });
  });

  test('when the serial is old on WHM, then the reason is the bare Stale text (no XID) and data is typed', async () => {
    const answer = await whm(started.sim, 'root', T.root, 'mass_edit_dns_zone', [
      ['zone', 'example.com'],
      ['serial', '2021031901'],
      ['add', LOCKDOWN_ADD],
    ]);
    expect(answer.json).toEqual({
      metadata: {
        command: 'mass_edit_dns_zone',
        result: 0,
        version: 1,
        reason:
          'The given serial number (2021031901) does not match the DNS zone’s serial number (2024030101). Refresh your view of the DNS zone, then resubmit.',
      },
      data: { type: 'Stale', detail: null },
    });
  });

  test('when another Zone Editor user edits between the read and the write (UAPI), then the write is Stale and, after a re-read, both edits survive', async () => {
    const read = await uapi(started.sim, 'alice', T.alice, 'DNS/parse_zone', [['zone', 'example.com']]);
    const serial = Buffer.from(read.json.data.find((i: any) => i.record_type === 'SOA').data_b64[2], 'base64').toString();
    started.sim.concurrentEditBeforeNextMassEdit('example.com');

    const stale = await uapi(started.sim, 'alice', T.alice, 'DNS/mass_edit_zone', [
      ['zone', 'example.com'],
      ['serial', serial],
      ['add', LOCKDOWN_ADD],
    ]);
    expect(stale.json.data).toEqual({ type: 'Stale', detail: null });
    expect(stale.json.errors[0]).toContain(`(${serial}) does not match the DNS zone’s serial number (2026112800)`);

    const retry = await uapi(started.sim, 'alice', T.alice, 'DNS/mass_edit_zone', [
      ['zone', 'example.com'],
      ['serial', '2026112800'],
      ['add', LOCKDOWN_ADD],
    ]);
    expect(retry.json.data).toEqual({ new_serial: 2026112801 });
    const after = describeItems((await uapi(started.sim, 'alice', T.alice, 'DNS/parse_zone', [['zone', 'example.com']])).json.data);
    expect(after).toContain('20 concurrent-edit TXT added by another Zone Editor user');
    expect(after).toContain('21 _mailchannels TXT v=mc1 auth=webhostingm');
  });

  test('when another user edits between the read and the write (WHM), then mass_edit_dns_zone is Stale too', async () => {
    started.sim.concurrentEditBeforeNextMassEdit('example.com', { dname: 'www2', ttl: 300, record_type: 'A', data: ['192.0.2.99'] });
    const stale = await whm(started.sim, 'root', T.root, 'mass_edit_dns_zone', [
      ['zone', 'example.com'],
      ['serial', '2024030101'],
      ['add', LOCKDOWN_ADD],
    ]);
    expect(stale.json.data).toEqual({ type: 'Stale', detail: null });
    expect((await started.sim.zoneText('example.com')) as string).toContain('www2\t300\tIN\tA\t192.0.2.99\n');
    // The hook fires once: the next edit with the fresh serial goes through.
    const retry = await whm(started.sim, 'root', T.root, 'mass_edit_dns_zone', [
      ['zone', 'example.com'],
      ['serial', '2026112800'],
      ['add', LOCKDOWN_ADD],
    ]);
    expect(retry.json.metadata.result).toBe(1);
  });

  test('when another party removes a record as removezonerecord does, then later lines shift up, the serial is bumped, the rest is byte for byte', async () => {
    const before = (await started.sim.zoneText('example.com'))!;
    const lines = before.split('\n');
    const www = lines.findIndex((l) => l.startsWith('www\t'));
    const serial = await started.sim.removeLinesAsOtherUser('example.com', www);
    expect(serial).toBe('2026112800');
    const after = (await started.sim.zoneText('example.com'))!.split('\n');
    const expected = lines.filter((_, i) => i !== www).map((l) => l.replace('2024030101 ;Serial Number', '2026112800 ;Serial Number'));
    expect(after).toEqual(expected);
  });

  test('when the zone file was changed on disk without a serial bump, then the serial check still uses the file on disk', async () => {
    const text = (await started.sim.zoneText('example.com')) as string;
    await started.sim.setZoneText('example.com', text.replace('2024030101 ;Serial', '2024030155 ;Serial'));
    const answer = await uapi(started.sim, 'alice', T.alice, 'DNS/mass_edit_zone', [
      ['zone', 'example.com'],
      ['serial', '2024030101'],
      ['add', LOCKDOWN_ADD],
    ]);
    expect(answer.json.errors[0]).toContain('does not match the DNS zone’s serial number (2024030155)');
  });

  test('when an InvalidZoneFile is injected, then both APIs answer the typed error and the file is unchanged', async () => {
    const before = await started.sim.zoneText('example.com');
    started.sim.injectInvalidZoneFile('example.com', ['line 21: bad things']);
    const viaUapi = await uapi(started.sim, 'alice', T.alice, 'DNS/mass_edit_zone', [
      ['zone', 'example.com'],
      ['serial', '2024030101'],
      ['add', LOCKDOWN_ADD],
    ]);
    expect(viaUapi.json.status).toBe(0);
    expect(viaUapi.json.data).toEqual({
      type: 'InvalidZoneFile',
      detail: { by_line: [{ line_index: null, message: 'line 21: bad things' }] },
    });
    expect(viaUapi.json.errors[0]).toContain('line 21: bad things');
    expect(await started.sim.zoneText('example.com')).toBe(before);

    started.sim.injectInvalidZoneFile('example.com');
    const viaWhm = await whm(started.sim, 'root', T.root, 'mass_edit_dns_zone', [
      ['zone', 'example.com'],
      ['serial', '2024030101'],
      ['add', LOCKDOWN_ADD],
    ]);
    expect(viaWhm.json.metadata.result).toBe(0);
    expect(viaWhm.json.metadata.reason).not.toMatch(/XID/);
    expect(viaWhm.json.data.type).toBe('InvalidZoneFile');
  });

  test('when an add would put a CNAME beside other data, then the zone check refuses it as InvalidZoneFile', async () => {
    const add = JSON.stringify({ dname: 'www', ttl: 14400, record_type: 'TXT', data: ['hello'] });
    const answer = await uapi(started.sim, 'alice', T.alice, 'DNS/mass_edit_zone', [
      ['zone', 'example.com'],
      ['serial', '2024030101'],
      ['add', add],
    ]);
    expect(answer.json.data).toEqual({
      type: 'InvalidZoneFile',
      detail: { by_line: [{ line_index: 15, message: 'www.example.com. has a CNAME record and other data.' }] },
    });
  });

  test('when the edit removes the last NS through WHM, then cPanel’s line editor refuses it with its own text', async () => {
    const answer = await whm(started.sim, 'root', T.root, 'mass_edit_dns_zone', [
      ['zone', 'example.com'],
      ['serial', '2024030101'],
      ['remove', '11'],
      ['remove', '12'],
    ]);
    expect(answer.json.metadata.result).toBe(0);
    expect(answer.json.metadata.reason).toMatch(
      /^API failure: \(XID [a-z0-9]+\) Every DNS zone must contain at least one \u201cNS\u201d record\.$/,
    );
    expect(answer.json.data?.type).toBeUndefined();
  });

  test('when a write succeeds, then the attached PowerDNS reloader is called for that zone once', async () => {
    const reloaded: string[] = [];
    started.sim.attachPdns({ reload: async (zone) => void reloaded.push(zone) });
    await uapi(started.sim, 'alice', T.alice, 'DNS/mass_edit_zone', [
      ['zone', 'example.com'],
      ['serial', '2024030101'],
      ['add', LOCKDOWN_ADD],
    ]);
    await uapi(started.sim, 'alice', T.alice, 'DNS/mass_edit_zone', [
      ['zone', 'example.com'],
      ['serial', '1'],
      ['add', LOCKDOWN_ADD],
    ]);
    expect(reloaded).toEqual(['example.com']);
  });

  test('when the time zone knob is set, then "today" of the bump is that zone’s date', async () => {
    await started.stop();
    now = new Date('2026-11-28T23:30:00Z');
    started = await startTestSimulator({ clock: () => now, timeZone: 'Asia/Tokyo' });
    const answer = await uapi(started.sim, 'alice', T.alice, 'DNS/mass_edit_zone', [
      ['zone', 'example.com'],
      ['serial', '2024030101'],
      ['add', LOCKDOWN_ADD],
    ]);
    expect(answer.json.data).toEqual({ new_serial: 2026112900 });
  });
});
