/**
 * A zone can send escape sequences to root's terminal: `diagnose`, `fix` (its confirmation screen
 * included), `history` and `verify` show every control character of a record escaped, and the CLI's
 * stdout escapes whatever a renderer missed. JSON output stays valid and keeps the exact value.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { CliIO } from '../../../src/cli/io';
import { run } from '../../../src/cli/main';
import { renderBeforeAfter, renderChangeDetail, renderPropagation } from '../../../src/cli/render/change';
import { escapeControls, terminalSafe } from '../../../src/cli/render/terminal';
import type { Change } from '../../../src/adapters/store/changes';
import type { PropagationReport } from '../../../src/adapters/dns/propagation';
import type { RepairResult } from '../../../src/usecases/repair/repair';

/** ESC [2J (clear screen), BEL, the one-character C1 CSI, a right-to-left override, DEL. */
const HOSTILE = 'v=mc1 auth=oldhost\u001b[2J\u0007\u009b31m\u202egnp.exe\u007f';
/** The same as records hold it: its UTF-8 bytes, one char per byte (src/zone/bytes.ts). */
const HOSTILE_BYTES = Buffer.from(HOSTILE, 'utf8').toString('latin1');
/** Any character a terminal acts on, other than the line feed (and CR before LF, tab). */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;

const dir = mkdtempSync(join(tmpdir(), 'fea-terminal-'));

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: { FIX_EMAIL_AUTH_CONFIG: join(dir, 'none.json') },
    cwd: dir,
  };
  const code = await run(args, io);
  return { code, out, err };
}

describe('escaping for the terminal', () => {
  test('when a value holds C0, DEL, C1 and bidi controls, then each shows as an escape and nothing raw is left', () => {
    expect(escapeControls(HOSTILE)).toBe('v=mc1 auth=oldhost\\x1b[2J\\x07\\u009b31m\\u202egnp.exe\\x7f');
    expect(escapeControls('a\nb\tc')).toBe('a\\x0ab\\x09c');
    expect(terminalSafe('line one\nrow,1\r\nx\ty\rz')).toBe('line one\nrow,1\r\nx\ty\\x0dz');
  });

  test('when the fix confirmation shows a record holding escapes, then they are escaped in before and after', () => {
    const result = {
      domain: 'example.com',
      zone: 'example.com',
      user: 'alice',
      recordsBefore: [
        { name: '_mailchannels.example.com.\u001b]0;owned\u0007', ttl: 300, type: 'TXT', data: [HOSTILE_BYTES], lineIndex: 4 },
      ],
      plan: {
        zone: 'example.com',
        serial: '1',
        remove: [],
        add: [],
        edit: [{ line_index: 4, dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] }],
      },
    } as unknown as RepairResult;
    const text = renderBeforeAfter(result);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain('\\x1b[2J');
    expect(text).toContain('\\x1b]0;owned\\x07');
  });

  test('when history details or a propagation report hold escapes, then they are escaped', () => {
    const change = {
      id: 7,
      createdAt: '2026-11-28T12:00:00Z',
      status: 'verified',
      kind: 'repair',
      domain: 'example.com',
      zone: 'example.com',
      user: 'alice',
      actor: { kind: 'user', name: 'alice' },
      serialBefore: '1',
      serialAfter: '2',
      removed: [{ name: '_mailchannels.example.com.', ttl: 300, type: 'TXT', data: [HOSTILE_BYTES], lineIndex: 4 }],
      added: [{ dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] }],
    } as unknown as Change;
    expect(renderChangeDetail(change)).not.toMatch(RAW_CONTROL);
    const report = {
      name: '_mailchannels.example.com',
      state: 'pending',
      summary: 'one server still answers the old record',
      servers: [{ state: 'pending', nameserver: 'ns1.example.net', address: '192.0.2.1', serial: '1', txt: [HOSTILE_BYTES] }],
    } as unknown as PropagationReport;
    expect(renderPropagation(report)).not.toMatch(RAW_CONTROL);
    expect(renderPropagation(report)).toContain('\\u009b31m');
  });

  test('when diagnose reads a zone file whose TXT holds escapes, then the human output has none raw and the JSON keeps the exact value', async () => {
    const file = join(dir, 'example.com.db');
    writeFileSync(
      file,
      [
        '$TTL 14400',
        'example.com.\t86400\tIN\tSOA\tns1.example.net.\tadmin.example.net.\t2024030101 3600 1800 1209600 86400',
        'example.com.\t86400\tIN\tNS\tns1.example.net.',
        // ESC [2J, BEL, and the UTF-8 bytes of U+009B (C2 9B) and U+202E (E2 80 AE), as zone-file escapes.
        '_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=oldhost\\027[2J\\007\\194\\15531m\\226\\128\\174x"',
        '',
      ].join('\n'),
    );
    const human = await cli(['diagnose', 'example.com', '--zone-file', file, '--auth-id', 'webhostingm']);
    expect(human.code).toBe(1);
    expect(human.out).toContain('LOCKDOWN_STALE');
    expect(human.out).not.toMatch(RAW_CONTROL);
    expect(human.out).toContain('\\x1b[2J');

    const json = await cli(['diagnose', 'example.com', '--zone-file', file, '--auth-id', 'webhostingm', '--json']);
    expect(json.out).not.toMatch(RAW_CONTROL);
    const records = JSON.parse(json.out).domains[0].findings.flatMap((f: { records: Array<{ data: string[] }> }) => f.records);
    expect(records.some((r: { data: string[] }) => r.data.join('').includes('\u001b[2J\u0007'))).toBe(true);
  });
});
