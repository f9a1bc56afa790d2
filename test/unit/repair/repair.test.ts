import { repairDomain, reconcileInterruptedChanges, rollbackChange } from '../../../src/usecases/repair';
import { parseZoneFile } from '../../../src/zone/bindReader';
import { txtValue } from '../../../src/zone/model';
import { ACTOR, FAST_VERIFY, INCIDENT_ZONE, linesWithoutSerial, makeHarness } from './harness';

const lockdownValues = (text: string, name = '_mailchannels.example.com.') =>
  parseZoneFile(text, 'example.com')
    .records.filter((r) => r.type === 'TXT' && r.name === name)
    .map(txtValue);

describe('repairDomain', () => {
  it("when the zone carries the old host's record, then it is replaced, verified, journalled, and a second run changes nothing", async () => {
    const h = makeHarness();
    const result = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });

    expect(result.status).toBe('verified');
    expect(lockdownValues(h.cpanel.text('example.com'))).toEqual(['v=mc1 auth=webhostingm']);
    const change = h.store.getChange(result.changeId!)!;
    expect(change.status).toBe('verified');
    expect(change.serialBefore).toBe('2024030101');
    expect(change.serialAfter).toBe('2026112800');
    expect(change.removed.map((r) => ({ name: r.name, ttl: r.ttl, data: r.data, line: r.lineIndex }))).toEqual([
      { name: '_mailchannels.example.com.', ttl: 3600, data: ['v=mc1 auth=oldhost'], line: 18 },
    ]);
    expect(change.backup).toMatchObject({ kind: 'jetbackup', user: 'alice' });
    expect(h.backups.calls).toEqual(['alice']);

    const again = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(again.status).toBe('unchanged');
    expect(again.message).toMatch(/already correct/);
    expect(h.cpanel.writes).toHaveLength(1);
  });

  it('when the repair is done, then every other line of the zone is byte-identical', async () => {
    const h = makeHarness();
    await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    const before = linesWithoutSerial(INCIDENT_ZONE);
    const after = linesWithoutSerial(h.cpanel.text('example.com'));
    const changed = before.map((line, i) => (line === after[i] ? null : i)).filter((i) => i !== null);
    expect(changed).toEqual([18]);
  });

  it('when asked for a dry run, then the plan is returned and nothing is written or journalled', async () => {
    const h = makeHarness();
    const result = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, dryRun: true });
    expect(result.status).toBe('planned');
    expect(result.plan).toMatchObject({
      zone: 'example.com',
      serial: '2024030101',
      edit: [{ line_index: 18, data: ['v=mc1 auth=webhostingm'] }],
    });
    expect(h.cpanel.text('example.com')).toBe(INCIDENT_ZONE);
    expect(h.store.listChanges()).toHaveLength(0);
  });

  it("when a cPanel user asks for another account's domain, then it is refused and nothing changes", async () => {
    const h = makeHarness();
    await expect(repairDomain(h.ctx, { domain: 'other.org', actor: ACTOR, asUser: 'alice' })).rejects.toMatchObject({ code: 'NOT_OWNED' });
    expect(h.cpanel.writes).toHaveLength(0);
    expect(h.store.listChanges()).toHaveLength(0);
  });

  it('when the domain is unknown or not a domain name, then a clear error and nothing changes', async () => {
    const h = makeHarness();
    await expect(repairDomain(h.ctx, { domain: 'nope.example', actor: ACTOR })).rejects.toMatchObject({ code: 'UNKNOWN_DOMAIN' });
    await expect(repairDomain(h.ctx, { domain: 'exa mple.com"; rm -rf /', actor: ACTOR })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(h.cpanel.writes).toHaveLength(0);
  });

  it('when the backup fails under policy "required", then no change is made and the journal says why', async () => {
    const h = makeHarness({ policy: 'required' });
    h.backups.fail = 'JetBackup job finished with status 200 (failed)';
    const result = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('BACKUP_FAILED');
    expect(h.cpanel.text('example.com')).toBe(INCIDENT_ZONE);
    expect(h.cpanel.writes).toHaveLength(0);
    expect(h.store.getChange(result.changeId!)!.status).toBe('failed');
  });

  it('when the backup fails under policy "best-effort", then the change goes on with a warning', async () => {
    const h = makeHarness({ policy: 'best-effort' });
    h.backups.fail = 'JetBackup is busy';
    const result = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(result.status).toBe('verified');
    expect(result.warnings.join(' ')).toMatch(/JetBackup is busy/);
    expect(h.store.getChange(result.changeId!)!.backup).toMatchObject({ skipped: true });
  });

  it('when someone edits the zone between read and write, then their edit survives and ours lands after a re-plan', async () => {
    const h = makeHarness();
    h.cpanel.beforeNextWrite = (zone) =>
      h.cpanel.foreignEdit(zone, [{ dname: 'blog', ttl: 14400, record_type: 'A', data: ['192.0.2.20'] }]);
    const result = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(result.status).toBe('verified');
    expect(result.attempts).toBe(2);
    const zone = parseZoneFile(h.cpanel.text('example.com'), 'example.com');
    expect(zone.records.some((r) => r.name === 'blog.example.com.' && r.data[0] === '192.0.2.20')).toBe(true);
    expect(lockdownValues(h.cpanel.text('example.com'))).toEqual(['v=mc1 auth=webhostingm']);
    expect(h.cpanel.writes.map((w) => w.serial)).toEqual(['2024030101', '2026112800']);
  });

  it('when the zone keeps changing, then after three attempts it gives up with nothing changed by us', async () => {
    const h = makeHarness();
    let n = 0;
    const churn = (zone: string) => {
      h.cpanel.foreignEdit(zone, [{ dname: `churn${n++}`, ttl: 300, record_type: 'A', data: ['192.0.2.30'] }]);
      h.cpanel.beforeNextWrite = churn;
    };
    h.cpanel.beforeNextWrite = churn;
    const result = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    h.cpanel.beforeNextWrite = undefined;
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('STALE_SERIAL');
    expect(lockdownValues(h.cpanel.text('example.com'))).toEqual(['v=mc1 auth=oldhost']);
  });

  it('when another edit already fixed the record before our write, then ours is not sent again', async () => {
    const h = makeHarness();
    h.cpanel.beforeNextWrite = (zone) => {
      const zoneNow = parseZoneFile(h.cpanel.text(zone), zone);
      const line = zoneNow.records.find((r) => r.name === '_mailchannels.example.com.')!.lineIndex;
      const { applyMassEdit } = require('../../../src/zone/lineEdit');
      h.cpanel.texts.set(
        zone,
        applyMassEdit(
          h.cpanel.text(zone),
          zone,
          {
            add: [],
            remove: [],
            edit: [{ line_index: line, dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] }],
          },
          { now: h.cpanel.now },
        ).text,
      );
    };
    const result = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(result.status).toBe('unchanged');
    expect(h.cpanel.writes).toHaveLength(1);
    expect(h.store.getChange(result.changeId!)!.status).toBe('failed');
  });

  it('when cPanel times out after the edit landed, then the zone is read back and the change counts as applied', async () => {
    const h = makeHarness();
    h.cpanel.writeFaults = ['timeout-after-apply'];
    const result = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(result.status).toBe('verified');
    expect(h.cpanel.writes).toHaveLength(1);
    expect(lockdownValues(h.cpanel.text('example.com'))).toEqual(['v=mc1 auth=webhostingm']);
  });

  it('when cPanel times out before the edit landed, then nothing changed, nothing is re-sent, and the journal says so', async () => {
    const h = makeHarness();
    h.cpanel.writeFaults = ['timeout-before-apply'];
    const result = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/did not land/);
    expect(h.cpanel.writes).toHaveLength(1);
    expect(h.cpanel.text('example.com')).toBe(INCIDENT_ZONE);
    expect(h.store.getChange(result.changeId!)!.status).toBe('failed');
  });

  it('when cPanel answers an error, then the change fails with its message and the zone is unchanged', async () => {
    const h = makeHarness();
    h.cpanel.writeFaults = ['api-error'];
    const result = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'API_ERROR', message: 'The system failed to save the zone (test).' });
    expect(h.cpanel.text('example.com')).toBe(INCIDENT_ZONE);
  });

  it('when the nameservers still serve the old answer, then the change is applied and verification says pending', async () => {
    const h = makeHarness();
    h.verifyState.mode = 'pending';
    const result = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(result.status).toBe('applied');
    expect(result.verification?.state).toBe('pending');
    expect(result.after?.findings.find((f) => f.code === 'DNS_PROPAGATION_PENDING')?.message).toMatch(/old answer|not reached/);
    const change = h.store.getChange(result.changeId!)!;
    expect(change.status).toBe('applied');
    expect(change.verification).toMatchObject({ state: 'pending' });
  });

  it('when the nameservers cannot be asked at all, then the change is applied and says it could not be checked', async () => {
    const h = makeHarness();
    h.verifyState.mode = 'throw';
    const result = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(result.status).toBe('applied');
    expect(result.warnings.join(' ')).toMatch(/could not be checked/);
  });

  it('when the world does not ask this server for the domain, then nothing is changed and the record to publish is given', async () => {
    const h = makeHarness();
    h.cpanel.authority.set('example.com', false);
    const result = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(result.status).toBe('not-authoritative');
    expect(result.before.findings.map((f) => f.code)).toContain('DNS_NOT_AUTHORITATIVE');
    expect(h.cpanel.writes).toHaveLength(0);
  });

  it('when the confirmed preview no longer matches the zone, then nothing is sent', async () => {
    const h = makeHarness();
    const preview = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, dryRun: true });
    h.cpanel.foreignEdit('example.com', [{ dname: 'blog', ttl: 300, record_type: 'A', data: ['192.0.2.20'] }]);
    const result = await repairDomain(h.ctx, {
      domain: 'example.com',
      actor: ACTOR,
      confirmedPlan: preview.plan!,
      verifyOptions: FAST_VERIFY,
    });
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('CONFLICT');
    expect(h.cpanel.writes).toHaveLength(0);
  });
});

describe('rollbackChange', () => {
  it('when a repair is undone, then the old record is back byte for byte and both changes are journalled', async () => {
    const h = makeHarness();
    const repaired = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    const undone = await rollbackChange(h.ctx, { changeId: repaired.changeId!, actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(undone.status).toBe('verified');
    const zone = parseZoneFile(h.cpanel.text('example.com'), 'example.com');
    const original = parseZoneFile(INCIDENT_ZONE, 'example.com');
    const strip = (z: typeof zone) =>
      z.records.filter((r) => r.type !== 'SOA').map((r) => ({ line: r.lineIndex, name: r.name, ttl: r.ttl, type: r.type, data: r.data }));
    expect(strip(zone)).toEqual(strip(original));
    expect(h.store.getChange(repaired.changeId!)!.status).toBe('rolled_back');
    expect(undone.rollback).toMatchObject({ kind: 'rollback', rollbackOf: repaired.changeId, status: 'verified' });
  });

  it('when the lockdown record changed since the repair, then undo refuses unless forced', async () => {
    const h = makeHarness();
    const repaired = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    const zoneNow = parseZoneFile(h.cpanel.text('example.com'), 'example.com');
    const line = zoneNow.records.find((r) => r.name === '_mailchannels.example.com.')!.lineIndex;
    const { applyMassEdit } = require('../../../src/zone/lineEdit');
    h.cpanel.texts.set(
      'example.com',
      applyMassEdit(
        h.cpanel.text('example.com'),
        'example.com',
        {
          add: [],
          remove: [],
          edit: [{ line_index: line, dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm auth=partner'] }],
        },
        { now: h.cpanel.now },
      ).text,
    );
    const writes = h.cpanel.writes.length;

    const refused = await rollbackChange(h.ctx, { changeId: repaired.changeId!, actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(refused.status).toBe('failed');
    expect(refused.message).toMatch(/someone changed it since/);
    expect(h.cpanel.writes).toHaveLength(writes);

    const forced = await rollbackChange(h.ctx, { changeId: repaired.changeId!, actor: ACTOR, force: true, verifyOptions: FAST_VERIFY });
    expect(forced.status).toBe('verified');
    expect(lockdownValues(h.cpanel.text('example.com'))).toEqual(['v=mc1 auth=oldhost']);
  });

  it("when a user asks to undo another account's change, then it is refused as not found", async () => {
    const h = makeHarness();
    const repaired = await repairDomain(h.ctx, { domain: 'other.org', actor: ACTOR, verifyOptions: FAST_VERIFY });
    await expect(rollbackChange(h.ctx, { changeId: repaired.changeId!, actor: ACTOR, asUser: 'alice' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(h.store.getChange(repaired.changeId!)!.status).toBe('verified');
  });

  it('when a change is undone twice, then the second undo is refused', async () => {
    const h = makeHarness();
    const repaired = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    await rollbackChange(h.ctx, { changeId: repaired.changeId!, actor: ACTOR, verifyOptions: FAST_VERIFY });
    await expect(rollbackChange(h.ctx, { changeId: repaired.changeId!, actor: ACTOR })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('reconcileInterruptedChanges', () => {
  async function crashDuringApply(fault: 'hang-after-apply' | 'hang-before-apply') {
    const h = makeHarness();
    h.cpanel.writeFaults = [fault];
    // The process "dies" while mass_edit_zone is in flight: the promise never settles.
    void repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    await new Promise((r) => setTimeout(r, 50));
    expect(h.store.findApplying()).toHaveLength(1);
    return h;
  }

  it('when the process died after the edit landed, then the intent is settled as applied and nothing is sent again', async () => {
    const h = await crashDuringApply('hang-after-apply');
    const report = await reconcileInterruptedChanges(h.ctx);
    expect(report.applied).toHaveLength(1);
    expect(report.applied[0]!.serialAfter).toBe('2026112800');
    expect(h.cpanel.writes).toHaveLength(1);
    expect(lockdownValues(h.cpanel.text('example.com'))).toEqual(['v=mc1 auth=webhostingm']);
  });

  it('when the process died before the edit landed, then the intent is settled as not applied and the zone is as it was', async () => {
    const h = await crashDuringApply('hang-before-apply');
    const report = await reconcileInterruptedChanges(h.ctx);
    expect(report.notApplied).toHaveLength(1);
    expect(h.store.getChange(report.notApplied[0]!.id)!.status).toBe('failed');
    expect(h.cpanel.text('example.com')).toBe(INCIDENT_ZONE);
    // The domain can simply be repaired again: no duplicate record appears.
    const again = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(again.status).toBe('verified');
    expect(lockdownValues(h.cpanel.text('example.com'))).toEqual(['v=mc1 auth=webhostingm']);
  });

  it('when the zone cannot be read at start-up, then the intent stays for the next start', async () => {
    const h = await crashDuringApply('hang-after-apply');
    h.cpanel.readFailures = 1;
    const report = await reconcileInterruptedChanges(h.ctx);
    expect(report.unknown).toHaveLength(1);
    expect(h.store.findApplying()).toHaveLength(1);
  });
});
