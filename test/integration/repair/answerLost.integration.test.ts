/**
 * "It landed, then the answer was lost", on real parts: the simulator carries out the edit (the zone
 * file is written and PowerDNS reloaded), then the answer never comes, comes as an HTTP 500, or the
 * connection closes — and once the CLI itself is killed (SIGKILL) while it waits for that answer.
 * Each time: exactly one applied change in the journal, the whole zone file exactly as one edit
 * leaves it, and nothing sent twice.
 */
import { spawn } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { FaultRule } from '../../../src/simulator/faults';
import { reconcileInterruptedChanges, repairDomain } from '../../../src/usecases/repair';
import { parseZoneFile } from '../../../src/zone/bindReader';
import { applyMassEdit } from '../../../src/zone/lineEdit';
import { startStack, type Stack } from '../../support/stack';

jest.setTimeout(120_000);

const ACTOR = { kind: 'cli' as const, name: 'integration' };
const QUICK = { waitMs: 3000, intervalMs: 200 };
const CLOCK = new Date('2026-11-28T12:00:00Z');
const STALE = '_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=oldhost"';

function zoneFile(stack: Stack): string {
  return readFileSync(join(stack.zonesDir, 'example.com.db'), 'latin1');
}

/** The migrated zone, and the zone file one correct edit of its lockdown line leaves (computed here, not by the planner). */
async function migrate(stack: Stack, pristine: string): Promise<{ before: string; expected: string }> {
  const before = `${pristine.replace(/\n*$/, '\n')}${STALE}\n`;
  await stack.sim.setZoneText('example.com', before, { reload: true });
  const line = parseZoneFile(before, 'example.com').records.find((r) => r.name === '_mailchannels.example.com.')!.lineIndex;
  const edit = { line_index: line, dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] };
  const expected = applyMassEdit(before, 'example.com', { add: [], edit: [edit], remove: [] }, { now: CLOCK }).text;
  return { before, expected };
}

/** Changes of example.com that reached the zone. */
function landed(stack: Stack) {
  return stack.services.store.listChanges({ domain: 'example.com' }).filter((c) => ['applied', 'verified'].includes(c.status));
}

describe('the edit landed, then its answer was lost', () => {
  let stack: Stack;
  /** The seed's example.com, before any test changed it. */
  let pristine: string;
  beforeAll(async () => {
    stack = await startStack({ clock: () => CLOCK, config: { backup: { policy: 'off' } } });
    pristine = zoneFile(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach(() => {
    stack.sim.log.clear();
    stack.sim.faults.clear();
  });

  it.each<[string, FaultRule, string]>([
    ['never answers', { kind: 'hang', after: true, match: 'mass_edit_dns_zone' }, 'TIMEOUT'],
    ['answers HTTP 500', { kind: 'status', status: 500, after: true, match: 'mass_edit_dns_zone' }, 'TRANSPORT'],
    ['closes the connection', { kind: 'drop', after: true, match: 'mass_edit_dns_zone' }, 'TRANSPORT'],
  ])(
    'when cPanel carries out the edit and then %s, then the zone is read back, the change counts once and is verified',
    async (_what, fault) => {
      const { expected } = await migrate(stack, pristine);
      const changesBefore = landed(stack).length;
      stack.sim.injectFault(fault);
      const result = await repairDomain(stack.services.repairContext(), { domain: 'example.com', actor: ACTOR, verifyOptions: QUICK });

      expect({ status: result.status, error: result.error }).toEqual({ status: 'verified', error: undefined });
      expect(result.steps.some((s) => s.step === 'apply' && s.state === 'warn' && /reading the zone/.test(s.message))).toBe(true);
      expect(stack.sim.log.find('mass_edit_dns_zone')).toEqual([expect.objectContaining({ carriedOut: true })]);
      expect(zoneFile(stack)).toBe(expected);
      expect(landed(stack)).toHaveLength(changesBefore + 1);
      expect(stack.services.store.getChange(result.changeId!)).toMatchObject({ status: 'verified', serialAfter: '2026112800' });
    },
  );

  it('when the CLI is killed (SIGKILL) after its edit landed and before the answer came, then the restart settles it as applied and nothing is sent again', async () => {
    const { expected } = await migrate(stack, pristine);
    const changesBefore = landed(stack).length;
    stack.sim.injectFault({ kind: 'hang', after: true, match: 'mass_edit_dns_zone' });
    const childConfig = join(stack.dir, 'child-config.json');
    const input = JSON.parse(readFileSync(stack.configPath, 'utf8'));
    writeFileSync(childConfig, JSON.stringify({ ...input, cpanel: { ...input.cpanel, timeoutMs: 60_000 } }));
    const cli = spawn(process.execPath, [join(__dirname, '../../../bin/fix-email-auth'), 'fix', 'example.com', '--yes'], {
      env: { ...stack.env, FIX_EMAIL_AUTH_CONFIG: childConfig },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => cli.once('exit', r));
    // Killed once the simulator has written the edit and holds the answer back.
    const deadline = Date.now() + 30_000;
    while (!stack.sim.log.find('mass_edit_dns_zone').some((e) => e.carriedOut)) {
      if (Date.now() > deadline) throw new Error('the CLI never reached the edit');
      await new Promise((r) => setTimeout(r, 20));
    }
    cli.kill('SIGKILL');
    await exited;
    expect(zoneFile(stack)).toBe(expected);

    const services = stack.restartServices();
    expect(services.store.findApplying()).toHaveLength(1);
    const report = await reconcileInterruptedChanges(services.repairContext());
    expect(report.applied.map((c) => c.serialAfter)).toEqual(['2026112800']);
    expect(landed(stack)).toHaveLength(changesBefore + 1);

    const again = await repairDomain(services.repairContext(), { domain: 'example.com', actor: ACTOR, verifyOptions: QUICK });
    expect(again.status).toBe('unchanged');
    expect(stack.sim.log.find('mass_edit_dns_zone')).toHaveLength(1);
    expect(zoneFile(stack)).toBe(expected);
    expect(landed(stack)).toHaveLength(changesBefore + 1);
  });
});
