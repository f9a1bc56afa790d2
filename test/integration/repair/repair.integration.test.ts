/**
 * Issue 4's promises against real parts: the cPanel simulator over HTTPS, PowerDNS serving its zone
 * files, the fake jetbackup5api, and the SQLite journal — through the same services a daemon builds.
 */
import { spawn } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { DnsClient } from '../../../src/adapters/dns';
import { repairDomain, reconcileInterruptedChanges, restoreFromBackup, rollbackChange } from '../../../src/usecases/repair';
import { parseZoneFile } from '../../../src/zone/bindReader';
import { startStack, type Stack } from '../../support/stack';

jest.setTimeout(120_000);

const ACTOR = { kind: 'cli' as const, name: 'integration' };
const QUICK = { waitMs: 3000, intervalMs: 200 };
const OLD_RECORD = '_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=oldhost"';

async function servedTxt(stack: Stack, name: string): Promise<string[]> {
  const client = new DnsClient();
  try {
    const answer = await client.query({ address: '127.0.0.1', port: stack.pdns.port }, name, 'TXT', { timeoutMs: 1000, retries: 2 });
    return answer.answers.flatMap((r) => (r.type === 'TXT' ? [r.data.map((b) => b.toString('latin1')).join('')] : []));
  } finally {
    client.close();
  }
}

function zoneFile(stack: Stack, zone: string): string {
  return readFileSync(join(stack.zonesDir, `${zone}.db`), 'latin1');
}

/** The zone's records without the SOA (its serial changes on every save). */
function recordsOf(text: string, zone: string) {
  return parseZoneFile(text, zone)
    .records.filter((r) => r.type !== 'SOA')
    .map((r) => ({ line: r.lineIndex, name: r.name, ttl: r.ttl, type: r.type, data: r.data }));
}

async function migrate(stack: Stack): Promise<string> {
  const text = `${zoneFile(stack, 'example.com').replace(/\n*$/, '\n')}${OLD_RECORD}\n`;
  await stack.sim.setZoneText('example.com', text, { reload: true });
  return text;
}

describe('one safe repair on real parts', () => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(async () => {
    await stack.stop();
  });

  it("when the migrated zone carries the old host's record, then it is repaired, served by PowerDNS, journalled with a JetBackup snapshot, and undone byte for byte", async () => {
    const migrated = await migrate(stack);
    expect(await servedTxt(stack, '_mailchannels.example.com')).toEqual(['v=mc1 auth=oldhost']);

    const result = await repairDomain(stack.services.repairContext(), { domain: 'example.com', actor: ACTOR, verifyOptions: QUICK });
    expect(result.status).toBe('verified');
    expect(await servedTxt(stack, '_mailchannels.example.com')).toEqual(['v=mc1 auth=webhostingm']);
    expect(result.verification?.servers.every((s) => s.state === 'current')).toBe(true);

    const change = stack.services.store.getChange(result.changeId!)!;
    expect(change.removed.map((r) => r.data)).toEqual([['v=mc1 auth=oldhost']]);
    expect(change.backup).toMatchObject({ kind: 'jetbackup', user: 'alice' });
    expect(stack.jetbackup.invocations().map((i) => i.fn)).toContain('createBackupOnDemand');

    // Every other record of the zone is unchanged.
    const changedLines = new Set(change.removed.map((r) => r.lineIndex));
    const keep = (rs: ReturnType<typeof recordsOf>) => rs.filter((r) => !changedLines.has(r.line));
    expect(keep(recordsOf(zoneFile(stack, 'example.com'), 'example.com'))).toEqual(keep(recordsOf(migrated, 'example.com')));

    const undone = await rollbackChange(stack.services.repairContext(), { changeId: change.id, actor: ACTOR, verifyOptions: QUICK });
    expect(undone.status).toBe('verified');
    expect(await servedTxt(stack, '_mailchannels.example.com')).toEqual(['v=mc1 auth=oldhost']);
    expect(recordsOf(zoneFile(stack, 'example.com'), 'example.com')).toEqual(recordsOf(migrated, 'example.com'));
  });

  it('when asked to undo from the JetBackup snapshot, then only the DNS item is restored and the zone file is back byte for byte', async () => {
    const migrated = await migrate(stack);
    const result = await repairDomain(stack.services.repairContext(), { domain: 'example.com', actor: ACTOR, verifyOptions: QUICK });
    expect(result.status).toBe('verified');
    const restored = await restoreFromBackup(stack.services.repairContext(), { changeId: result.changeId!, actor: ACTOR });
    expect(restored.status).toBe('restored');
    expect(zoneFile(stack, 'example.com')).toBe(migrated);
    const restore = stack.jetbackup.invocations().find((i) => i.fn === 'addQueueItems');
    expect(restore?.params).toMatchObject({ type: '2' });
    expect(stack.services.store.getChange(result.changeId!)!.status).toBe('rolled_back');
    expect(restored.restore).toMatchObject({ kind: 'rollback', rollbackOf: result.changeId, status: 'applied' });
  });

  it('when the JetBackup snapshot fails under policy "required", then the zone file is exactly as it was', async () => {
    const migrated = await migrate(stack);
    stack.jetbackup.setKnobs({ finalStatus: 200 });
    const result = await repairDomain(stack.services.repairContext(), { domain: 'example.com', actor: ACTOR, verifyOptions: QUICK });
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('BACKUP_FAILED');
    expect(result.message).toMatch(/change was not made/);
    expect(zoneFile(stack, 'example.com')).toBe(migrated);
  });

  it('when cPanel answers HTTP 500 to the edit, then the zone file is exactly as it was and the message says so', async () => {
    const migrated = await migrate(stack);
    stack.sim.injectFault({ kind: 'status', status: 500, match: 'mass_edit_dns_zone' });
    const result = await repairDomain(stack.services.repairContext(), { domain: 'example.com', actor: ACTOR, verifyOptions: QUICK });
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/did not land|nothing was changed/);
    expect(zoneFile(stack, 'example.com')).toBe(migrated);
  });

  it('when cPanel never answers the edit, then the client times out, reads the zone back, and nothing changed', async () => {
    const migrated = await migrate(stack);
    stack.sim.injectFault({ kind: 'hang', match: 'mass_edit_dns_zone' });
    const result = await repairDomain(stack.services.repairContext(), { domain: 'example.com', actor: ACTOR, verifyOptions: QUICK });
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('TIMEOUT');
    expect(zoneFile(stack, 'example.com')).toBe(migrated);
    expect(stack.sim.log.find('mass_edit_dns_zone').length).toBe(1);
  });

  it('when another user edits the zone between our read and write, then their edit survives and ours lands', async () => {
    await migrate(stack);
    stack.sim.concurrentEditBeforeNextMassEdit('example.com', { dname: 'blog', ttl: 14400, record_type: 'A', data: ['192.0.2.20'] });
    const result = await repairDomain(stack.services.repairContext(), { domain: 'example.com', actor: ACTOR, verifyOptions: QUICK });
    expect(result.status).toBe('verified');
    expect(result.attempts).toBe(2);
    const zone = parseZoneFile(zoneFile(stack, 'example.com'), 'example.com');
    expect(zone.records.find((r) => r.name === 'blog.example.com.')?.data).toEqual(['192.0.2.20']);
    expect(await servedTxt(stack, '_mailchannels.example.com')).toEqual(['v=mc1 auth=webhostingm']);
  });

  it('when PowerDNS is down, then the change is applied and verification says unknown, not failed', async () => {
    await migrate(stack);
    await stack.pdns.stop();
    stack.sim.attachPdns(undefined);
    const result = await repairDomain(stack.services.repairContext(), { domain: 'example.com', actor: ACTOR, verifyOptions: QUICK });
    expect(result.status).toBe('applied');
    expect(result.verification?.state).toBe('unknown');
    expect(stack.services.store.getChange(result.changeId!)!.status).toBe('applied');
    expect(
      parseZoneFile(zoneFile(stack, 'example.com'), 'example.com')
        .records.filter((r) => r.name === '_mailchannels.example.com.')
        .map((r) => r.data),
    ).toEqual([['v=mc1 auth=webhostingm']]);
  });

  it('when the process is killed between intent and apply, then start-up reconciliation settles it and nothing is lost or duplicated', async () => {
    const migrated = await migrate(stack);
    // The edit request hangs, so the CLI sits in `applying` until we kill it.
    stack.sim.injectFault({ kind: 'hang', match: 'mass_edit_dns_zone' });
    // The CLI waits up to a minute for cPanel, so it is surely still waiting when it is killed.
    const childConfig = join(stack.dir, 'child-config.json');
    const input = JSON.parse(readFileSync(stack.configPath, 'utf8'));
    writeFileSync(childConfig, JSON.stringify({ ...input, cpanel: { ...input.cpanel, timeoutMs: 60_000 } }));
    const cli = spawn(
      process.execPath,
      [join(__dirname, '../../../bin/fix-email-auth'), 'fix', 'example.com', '--yes', '--backup', 'off'],
      {
        env: { ...stack.env, FIX_EMAIL_AUTH_CONFIG: childConfig },
        stdio: 'ignore',
      },
    );
    // Kill it once the intent is journalled and the edit request has reached cPanel (and hangs there):
    // killed any earlier, the request would never use up the hang, and the next edit would hang instead.
    const deadline = Date.now() + 30_000;
    while (stack.services.store.findApplying().length === 0 || stack.sim.log.find('mass_edit_dns_zone').length === 0) {
      if (Date.now() > deadline) throw new Error('the CLI never reached the applying step');
      await new Promise((r) => setTimeout(r, 50));
    }
    cli.kill('SIGKILL');
    await new Promise((r) => cli.once('exit', r));

    const services = stack.restartServices();
    const report = await reconcileInterruptedChanges(services.repairContext());
    expect(report.notApplied).toHaveLength(1);
    expect(zoneFile(stack, 'example.com')).toBe(migrated);

    const again = await repairDomain(services.repairContext(), { domain: 'example.com', actor: ACTOR, verifyOptions: QUICK });
    expect({ status: again.status, error: again.error }).toEqual({ status: 'verified', error: undefined });
    expect(await servedTxt(stack, '_mailchannels.example.com')).toEqual(['v=mc1 auth=webhostingm']);
  });
});
