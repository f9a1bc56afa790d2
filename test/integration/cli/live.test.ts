/** The live CLI against the simulator and PowerDNS: diagnose, fix, verify, history, rollback. */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { CliIO } from '../../../src/cli/io';
import { run } from '../../../src/cli/main';
import { startStack, type Stack } from '../../support/stack';

jest.setTimeout(120_000);

describe('live commands', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { backup: { policy: 'off' } } });
    const text = readFileSync(join(stack.zonesDir, 'example.com.db'), 'latin1').replace(/\n*$/, '\n');
    await stack.sim.setZoneText(
      'example.com',
      `${text}_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=oldhost"\n_mailchannels.shop\t3600\tIN\tTXT\t"v=mc1"\n`,
      { reload: true },
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function cli(args: string[], confirm?: (question: string) => Promise<boolean>) {
    let out = '';
    let err = '';
    const io: CliIO = {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      env: stack.env,
      cwd: stack.dir,
      ...(confirm ? { confirm } : {}),
    };
    const code = await run(args, io);
    return { code, out, err, json: () => JSON.parse(out) };
  }

  it('when a domain is diagnosed live, then its zone, account and the plan come from cPanel', async () => {
    const result = await cli(['diagnose', 'example.com', '--json']);
    expect(result.code).toBe(1);
    const [report] = result.json().domains;
    expect(report).toMatchObject({ domain: 'example.com', zone: 'example.com', user: 'alice', status: 'error' });
    expect(Object.keys(report).sort()).toEqual(['domain', 'findings', 'plan', 'status', 'user', 'zone']);
    expect(report.plan).toMatchObject({
      zone: 'example.com',
      remove: [],
      add: [],
      edit: [{ dname: '_mailchannels', data: ['v=mc1 auth=webhostingm'] }],
    });
    expect(report.findings.map((f: { code: string }) => f.code)).toContain('LOCKDOWN_STALE');
  });

  it("when a whole account is diagnosed, then each domain is listed with the zone that holds it, sub-domains in their parent's", async () => {
    const { json } = await cli(['diagnose', '--user', 'alice', '--json']);
    const byDomain = Object.fromEntries(
      json().domains.map((d: { domain: string; zone: string; status: string; findings: Array<{ code: string }> }) => [d.domain, d]),
    );
    expect(Object.keys(byDomain).sort()).toEqual(['addon.tld', 'alias.tld', 'example.com', 'shop.example.com']);
    expect(byDomain['shop.example.com'].zone).toBe('example.com');
    expect(byDomain['shop.example.com'].findings.map((f: { code: string }) => f.code)).toContain('LOCKDOWN_BLOCK_ALL');
  });

  it('when the domain is unknown, then exit 2 and a clear message', async () => {
    const { code, err } = await cli(['diagnose', 'nope.example']);
    expect(code).toBe(2);
    expect(err).toMatch(/No account on this server has the domain nope\.example/);
  });

  it('when the person at the terminal declines, then the record before and after was shown and nothing changes', async () => {
    const before = readFileSync(join(stack.zonesDir, 'example.com.db'), 'latin1');
    const questions: string[] = [];
    const declined = await cli(['fix', 'example.com'], async (q) => {
      questions.push(q);
      return false;
    });
    expect(questions).toEqual(['Apply this change to zone example.com?']);
    expect(declined.out).toMatch(/before:\n\s+_mailchannels\.example\.com\. 3600 IN TXT "v=mc1 auth=oldhost"/);
    expect(declined.out).toMatch(/after:\n\s+_mailchannels\.example\.com\. 300 IN TXT "v=mc1 auth=webhostingm"/);
    expect(declined.out).toContain('Nothing changed.');
    expect(readFileSync(join(stack.zonesDir, 'example.com.db'), 'latin1')).toBe(before);
  });

  it('when the domain is fixed, then verify, history and rollback see the same change', async () => {
    const fixed = await cli(['fix', 'example.com', '--yes', '--json']);
    expect(fixed.code).toBe(0);
    const [result] = fixed.json().results;
    expect(result).toMatchObject({ domain: 'example.com', status: 'verified' });

    const verified = await cli(['verify', 'example.com', '--json']);
    expect(verified.code).toBe(0);
    expect(verified.json()).toMatchObject({ state: 'verified', expectedTxt: ['v=mc1 auth=webhostingm'] });

    const history = await cli(['history', '--domain', 'example.com', '--json']);
    expect(history.json().changes.map((c: { id: number; status: string }) => [c.id, c.status])).toEqual([[result.changeId, 'verified']]);

    const undone = await cli(['rollback', String(result.changeId), '--json']);
    expect(undone.code).toBe(0);
    expect(undone.json().status).toBe('verified');
    const after = await cli(['history', '--json']);
    expect(after.json().changes.map((c: { kind: string; status: string }) => [c.kind, c.status])).toEqual([
      ['rollback', 'verified'],
      ['repair', 'rolled_back'],
    ]);
    const again = await cli(['verify', 'example.com', '--json']);
    expect(again.json().expectedTxt).toEqual(['v=mc1 auth=oldhost']);
  });

  it('when fix runs without a terminal and without --yes, then it refuses and changes nothing', async () => {
    const before = readFileSync(join(stack.zonesDir, 'example.com.db'), 'latin1');
    const { code, err } = await cli(['fix', 'example.com']);
    expect(code).toBe(2);
    expect(err).toMatch(/--yes/);
    expect(readFileSync(join(stack.zonesDir, 'example.com.db'), 'latin1')).toBe(before);
  });

  it('when a record blocks all mail, then --yes alone does not replace it: a terminal asks, a script needs --allow-block-all', async () => {
    const before = readFileSync(join(stack.zonesDir, 'example.com.db'), 'latin1');
    const script = await cli(['fix', 'shop.example.com', '--yes']);
    expect(script.code).toBe(2);
    expect(script.err).toContain('This domain is set to block all mail; allow sending through webhostingm?');
    expect(script.err).toContain('--allow-block-all');
    const questions: string[] = [];
    const declined = await cli(['fix', 'shop.example.com', '--yes'], async (q) => {
      questions.push(q);
      return false;
    });
    expect(questions).toEqual(['shop.example.com: This domain is set to block all mail; allow sending through webhostingm?']);
    expect(declined.out).toContain('Nothing changed.');
    expect(readFileSync(join(stack.zonesDir, 'example.com.db'), 'latin1')).toBe(before);

    const allowed = await cli(['fix', 'shop.example.com', '--yes', '--allow-block-all', '--json']);
    expect(allowed.code).toBe(0);
    const [result] = allowed.json().results;
    expect(result).toMatchObject({ domain: 'shop.example.com', status: 'verified' });
    expect(readFileSync(join(stack.zonesDir, 'example.com.db'), 'latin1')).toContain(
      '_mailchannels.shop\t300\tIN\tTXT\t"v=mc1 auth=webhostingm"',
    );
    expect((await cli(['rollback', String(result.changeId), '--json'])).code).toBe(0);
  });

  it('when every stale domain is previewed, then the block-all one is left out unless --include-block-all asks for it', async () => {
    const plain = await cli(['fix', '--all-stale', '--dry-run', '--json']);
    const keys = (doc: any) => doc.dryRun.zones.flatMap((z: any) => z.domains.map((d: any) => d.domain)).sort();
    expect(keys(plain.json())).toContain('example.com');
    expect(keys(plain.json())).not.toContain('shop.example.com');
    expect(plain.err).toMatch(/1 domain\(s\) are set to block all mail/);
    const withBlockAll = await cli(['fix', '--all-stale', '--include-block-all', '--dry-run', '--json', '--no-scan']);
    expect(keys(withBlockAll.json())).toEqual(expect.arrayContaining(['example.com', 'shop.example.com']));
  });
});
