/**
 * The repair promises on both panels, one suite: cPanel (its simulator, mass_edit_zone's serial check,
 * JetBackup) and Plesk (its simulator, the hand-built compare-and-set, Plesk's DNS export), each with
 * a real PowerDNS serving the zone files the panel writes, through the services a daemon builds with
 * config `panel` set. Repair and undo, undo from the backup, a refused backup, a failed and a hung
 * write, another user's edit between our read and our write, and a CLI killed mid-write.
 */
import { spawn } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { DnsClient } from '../../../src/adapters/dns';
import { reconcileInterruptedChanges, repairDomain, restoreFromBackup, rollbackChange } from '../../../src/usecases/repair';
import { PANELS, startPanel, type PanelHarness } from '../../support/panels';

jest.setTimeout(120_000);

const ACTOR = { kind: 'cli' as const, name: 'integration' };
const QUICK = { waitMs: 3000, intervalMs: 200 };
const ZONE = 'example.com';
const LOCKDOWN = `_mailchannels.${ZONE}.`;
const STALE = 'v=mc1 auth=oldhost';
const GOOD = 'v=mc1 auth=webhostingm';

async function servedTxt(panel: PanelHarness, name: string): Promise<string[]> {
  const client = new DnsClient();
  try {
    const answer = await client.query({ address: '127.0.0.1', port: panel.pdnsPort }, name, 'TXT', { timeoutMs: 1000, retries: 2 });
    return answer.answers.flatMap((r) => (r.type === 'TXT' ? [r.data.map((b) => b.toString('latin1')).join('')] : []));
  } finally {
    client.close();
  }
}

const lockdownOf = (records: string[]) => records.filter((r) => r.startsWith(`${LOCKDOWN} TXT`));
const withoutLockdown = (records: string[]) => records.filter((r) => !r.startsWith(`${LOCKDOWN} TXT`));

describe.each(PANELS)('on %s', (kind) => {
  let panel: PanelHarness;
  let migrated: string[];
  const repair = () =>
    repairDomain(panel.services.repairContext(), { domain: ZONE, actor: ACTOR, verifyOptions: QUICK, onStep: (e) => panel.onStep(e) });

  beforeEach(async () => {
    panel = await startPanel(kind);
    await panel.plantStale(ZONE, STALE);
    migrated = panel.records(ZONE);
    expect(lockdownOf(migrated)).toEqual([`${LOCKDOWN} TXT ${STALE}`]);
  });
  afterEach(async () => {
    await panel.stop();
  });

  it("when the zone carries the old host's record, then it is repaired, served, journalled with a backup, and undone to the same records", async () => {
    expect(await servedTxt(panel, LOCKDOWN)).toEqual([STALE]);
    const result = await repair();
    expect(result.status).toBe('verified');
    expect(await servedTxt(panel, LOCKDOWN)).toEqual([GOOD]);
    expect(lockdownOf(panel.records(ZONE))).toEqual([`${LOCKDOWN} TXT ${GOOD}`]);
    expect(withoutLockdown(panel.records(ZONE))).toEqual(withoutLockdown(migrated));

    const change = panel.services.store.getChange(result.changeId!)!;
    expect(change.removed.map((r) => r.data)).toEqual([[STALE]]);
    expect(change.backup).toMatchObject({ kind: panel.backupKind, user: 'alice' });

    const undone = await rollbackChange(panel.services.repairContext(), { changeId: change.id, actor: ACTOR, verifyOptions: QUICK });
    expect(undone.status).toBe('verified');
    expect(await servedTxt(panel, LOCKDOWN)).toEqual([STALE]);
    expect(panel.records(ZONE)).toEqual(migrated);
  });

  it('when asked to undo from the backup, then the zone holds exactly the records it had before the repair', async () => {
    const result = await repair();
    expect(result.status).toBe('verified');
    const restored = await restoreFromBackup(panel.services.repairContext(), { changeId: result.changeId!, actor: ACTOR });
    expect(restored.status).toBe('restored');
    expect(panel.records(ZONE)).toEqual(migrated);
    expect(panel.services.store.getChange(result.changeId!)!.status).toBe('rolled_back');
  });

  it('when the backup cannot be taken under policy "required", then nothing is written', async () => {
    panel.breakBackup();
    const result = await repair();
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('BACKUP_FAILED');
    expect(panel.writes()).toBe(0);
    expect(panel.records(ZONE)).toEqual(migrated);
  });

  it('when the panel answers HTTP 500 to the write, then the zone is exactly as it was and the repair says it failed', async () => {
    panel.failNextWrite();
    const result = await repair();
    expect(result.status).toBe('failed');
    expect(panel.records(ZONE)).toEqual(migrated);
    expect(await servedTxt(panel, LOCKDOWN)).toEqual([STALE]);
  });

  it('when the panel never answers the write, then the client times out, reads the zone back, and nothing changed', async () => {
    panel.hangNextWrite();
    const result = await repair();
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('TIMEOUT');
    expect(panel.records(ZONE)).toEqual(migrated);
  });

  it('when another user edits the zone between our read and our write, then it is re-read, their edit survives and ours lands', async () => {
    panel.otherEditBeforeNextWrite(ZONE, { host: 'blog', type: 'A', value: '192.0.2.20' });
    const result = await repair();
    expect(result.status).toBe('verified');
    expect(result.attempts).toBe(2);
    const now = panel.records(ZONE);
    expect(now).toContain(`blog.${ZONE}. A 192.0.2.20`);
    expect(lockdownOf(now)).toEqual([`${LOCKDOWN} TXT ${GOOD}`]);
  });

  it('when the CLI is killed while its write hangs, then start-up reconciliation settles it and a new repair lands once', async () => {
    panel.hangNextWrite();
    const input = JSON.parse(readFileSync(panel.configPath, 'utf8'));
    const childConfig = join(panel.configPath, '..', 'child-config.json');
    const section = kind === 'cpanel' ? 'cpanel' : 'plesk';
    writeFileSync(childConfig, JSON.stringify({ ...input, [section]: { ...input[section], timeoutMs: 60_000 } }));
    const cli = spawn(process.execPath, [join(__dirname, '../../../bin/fix-email-auth'), 'fix', ZONE, '--yes', '--backup', 'off'], {
      env: { ...panel.env, FIX_EMAIL_AUTH_CONFIG: childConfig },
      stdio: 'ignore',
    });
    const deadline = Date.now() + 30_000;
    while (panel.services.store.findApplying().length === 0 || panel.writes() === 0) {
      if (Date.now() > deadline) throw new Error('the CLI never reached the applying step');
      await new Promise((r) => setTimeout(r, 50));
    }
    cli.kill('SIGKILL');
    await new Promise((r) => cli.once('exit', r));

    const services = panel.restartServices();
    const report = await reconcileInterruptedChanges(services.repairContext());
    expect(report.notApplied).toHaveLength(1);
    expect(panel.records(ZONE)).toEqual(migrated);

    const again = await repair();
    expect({ status: again.status, error: again.error }).toEqual({ status: 'verified', error: undefined });
    expect(lockdownOf(panel.records(ZONE))).toEqual([`${LOCKDOWN} TXT ${GOOD}`]);
  });
});
