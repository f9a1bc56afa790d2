/** The `diagnose` command offline on zone files: the JSON contract of docs/design.md and the exit codes. */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { commandsFor, COMMANDS } from '../../../src/cli/commands';
import type { CliIO } from '../../../src/cli/io';
import { run } from '../../../src/cli/main';

const ZONES = join(__dirname, '../../fixtures/zones');
const dir = mkdtempSync(join(tmpdir(), 'fea-cli-'));

async function cli(args: string[], env: NodeJS.ProcessEnv = { FIX_EMAIL_AUTH_CONFIG: join(dir, 'none.json') }) {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env, cwd: dir };
  const code = await run(args, io);
  return { code, out, err };
}

function zoneFile(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const SOA = [
  '$TTL 14400',
  'example.com.\t86400\tIN\tSOA\tns1.example.net.\tadmin.example.net.\t2024030101 3600 1800 1209600 86400',
  'example.com.\t86400\tIN\tNS\tns1.example.net.',
];

describe('diagnose --zone-file', () => {
  it("when a migrated zone is diagnosed with --json, then the document has exactly the contract's keys and a mass_edit_zone plan", async () => {
    const file = zoneFile('example.com.db', [...SOA, '_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=oldhost"']);
    const { code, out } = await cli(['diagnose', 'example.com', '--zone-file', file, '--auth-id', 'webhostingm', '--json']);
    expect(code).toBe(1);
    const doc = JSON.parse(out);
    expect(Object.keys(doc)).toEqual(['domains']);
    const [report] = doc.domains;
    expect(Object.keys(report).sort()).toEqual(['domain', 'findings', 'plan', 'status', 'zone']);
    expect(report).toMatchObject({ domain: 'example.com', zone: 'example.com', status: 'error' });
    for (const f of report.findings) {
      expect(f).toEqual(
        expect.objectContaining({
          code: expect.any(String),
          severity: expect.stringMatching(/^(ok|info|warning|error)$/),
          check: expect.any(String),
          message: expect.any(String),
          records: expect.any(Array),
        }),
      );
    }
    expect(report.findings.map((f: { code: string }) => f.code)).toContain('LOCKDOWN_STALE');
    expect(Object.keys(report.plan).sort()).toEqual(['add', 'edit', 'remove', 'serial', 'zone']);
    expect(report.plan).toEqual({
      zone: 'example.com',
      serial: '2024030101',
      remove: [],
      add: [],
      edit: [{ line_index: 3, dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] }],
    });
  });

  it('when the record is already right, then plan is null and the exit code is 0 only if nothing else is wrong', async () => {
    const file = zoneFile('good.db', [
      ...SOA,
      '_mailchannels\t300\tIN\tTXT\t"v=mc1 auth=webhostingm"',
      'example.com.\t14400\tIN\tTXT\t"v=spf1 +a +mx include:relay.mailchannels.net ~all"',
      '_dmarc\t14400\tIN\tTXT\t"v=DMARC1; p=quarantine;"',
    ]);
    const { code, out } = await cli([
      'diagnose',
      'example.com',
      '--zone-file',
      file,
      '--zone',
      'example.com',
      '--auth-id',
      'webhostingm',
      '--json',
    ]);
    const [report] = JSON.parse(out).domains;
    expect(report.plan).toBeNull();
    expect(report.findings.find((f: { code: string }) => f.code === 'LOCKDOWN_OK')).toBeDefined();
    // DKIM is missing in this zone: a warning, so problems were found.
    expect(report.findings.map((f: { code: string }) => f.code)).toContain('DKIM_MISSING');
    expect(code).toBe(1);
  });

  it('when the output is for a person, then each domain shows its status, what is wrong and the record to publish', async () => {
    const file = zoneFile('example.com.db', [...SOA, '_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=oldhost"']);
    const { out } = await cli(['diagnose', 'example.com', '--zone-file', file, '--auth-id', 'webhostingm']);
    expect(out).toMatch(/^ERROR\s+example\.com/m);
    expect(out).toContain('LOCKDOWN_STALE');
    expect(out).toContain('_mailchannels.example.com. 300 IN TXT "v=mc1 auth=webhostingm"');
  });

  it.each([
    [['diagnose', 'example.com', '--zone-file', '/nonexistent/zone.db', '--auth-id', 'x'], /Cannot read the zone file/],
    [['diagnose', 'example.com', '--zone-file', 'BROKEN', '--auth-id', 'x'], /ZONE_PARSE|unbalanced|quote/i],
    [['diagnose', 'example.com', '--zone-file', 'OK'], /auth-id/],
    [['diagnose', 'example.com', '--zone-file', 'OK', '--auth-id', 'web"hostingm'], /authId|letters, digits/],
    [['diagnose'], /at least one domain/],
    [['diagnose', 'example.com', '--zone', 'example.com'], /--zone needs --zone-file/],
  ])('when given bad input %j, then exit 2 with a clear message', async (args, message) => {
    const broken = zoneFile('broken.db', [...SOA, 'x\tIN\tTXT\t"unterminated']);
    const ok = zoneFile('ok.db', SOA);
    const resolved = args.map((a) => (a === 'BROKEN' ? broken : a === 'OK' ? ok : a));
    const { code, err } = await cli(resolved);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it('when the reference fixture is diagnosed, then every other check reads it as cPanel would', async () => {
    const { out } = await cli([
      'diagnose',
      'example.com',
      '--zone-file',
      join(ZONES, 'example.com.db'),
      '--auth-id',
      'webhostingm',
      '--json',
    ]);
    const codes = JSON.parse(out).domains[0].findings.map((f: { code: string }) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['LOCKDOWN_MISSING', 'SPF_NO_MAILCHANNELS', 'DMARC_POLICY_NONE']));
  });
});

describe('command loading', () => {
  it('when a command is named, then only its module is registered; otherwise every command is', () => {
    expect(commandsFor(['explain', 'x'])).toHaveLength(1);
    expect(commandsFor(['help', 'job'])).toHaveLength(1);
    expect(commandsFor(['--help'])).toHaveLength(COMMANDS.length);
    expect(commandsFor(['nosuch'])).toHaveLength(COMMANDS.length);
  });

  it('when the full help is printed, then every command of the contract is listed', async () => {
    const { code, out } = await cli(['--help']);
    expect(code).toBe(0);
    for (const name of [
      'diagnose',
      'scan',
      'fix',
      'rollback',
      'history',
      'verify',
      'bounces',
      'explain',
      'serve',
      'demo',
      'jobs',
      'job',
      'test-email',
    ]) {
      expect(out).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });
});
