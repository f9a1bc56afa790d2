/**
 * The server DNS template on Plesk (docs/reference/plesk.md §6.1): a stale `_mailchannels` record in
 * it is reported and fixed through `plesk bin server_dns` (the shim forwarding to the simulator), by
 * the `template` command of the real CLI; a domain created afterwards gets the provider's record.
 */
import { execFile } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { LocalPleskCli, PleskDnsTemplate } from '../../../src/adapters/plesk';
import { checkDnsTemplate } from '../../../src/usecases/dnsTemplate';
import { PLESK_KEY, pleskShimEnv, SHIM_BIN_DIR, startTestPlesk, type StartedPlesk } from '../../support/plesk';

jest.setTimeout(60_000);

const lockdownInTemplate = (p: StartedPlesk) =>
  p.sim.state
    .templateRecords()
    .filter((r) => r.host === '_mailchannels.<domain>.')
    .map((r) => r.value);

describe('the server DNS template', () => {
  let p: StartedPlesk;
  let dir: string;
  beforeEach(async () => {
    p = await startTestPlesk();
    dir = mkdtempSync(join(tmpdir(), 'fea-plesk-template-'));
  });
  afterEach(async () => {
    await p.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function cli(args: string[]) {
    const keyFile = join(dir, 'plesk-key');
    writeFileSync(keyFile, `${PLESK_KEY}\n`, { mode: 0o600 });
    const config = {
      provider: { authId: 'webhostingm' },
      panel: 'plesk',
      plesk: { url: p.sim.url, fingerprint: p.sim.fingerprint256, keyFile, cli: join(SHIM_BIN_DIR, 'plesk') },
      backup: { policy: 'off' },
      paths: { journal: join(dir, 'journal.db') },
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    // Asynchronous: the simulator answering the shim runs in this process.
    return new Promise<{ status: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [join(__dirname, '../../../bin/fix-email-auth'), 'plesk-template', ...args],
        { env: { ...pleskShimEnv(p.sim, dir), FIX_EMAIL_AUTH_CONFIG: join(dir, 'config.json') }, timeout: 30_000 },
        (err, stdout) => resolve({ status: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }),
      );
    });
  }

  test('when the template holds no lockdown record, then the check says absent and there is nothing to fix', async () => {
    const template = new PleskDnsTemplate(
      new LocalPleskCli({ binary: join(SHIM_BIN_DIR, 'plesk'), timeoutMs: 10_000, env: pleskShimEnv(p.sim, dir) }),
    );
    const report = await checkDnsTemplate(template, 'webhostingm');
    expect(report).toMatchObject({ state: 'absent', values: [] });
  });

  test("when the template holds an old host's record, then the CLI reports it, fixes it, and a new domain gets the provider's record", async () => {
    p.sim.state.insertRecord(null, 'TXT', '_mailchannels', 'v=mc1 auth=oldhost', '');

    const check = await cli([]);
    expect(check.stdout).toMatch(/^stale: .*"v=mc1 auth=oldhost"/);
    expect(check.status).not.toBe(0);
    expect(lockdownInTemplate(p)).toEqual(['v=mc1 auth=oldhost']);

    const fix = await cli(['--fix', '--json']);
    expect(JSON.parse(fix.stdout)).toMatchObject({ state: 'current', values: ['v=mc1 auth=webhostingm'] });
    expect(fix.status).toBe(0);
    expect(lockdownInTemplate(p)).toEqual(['v=mc1 auth=webhostingm']);

    await p.sim.addSubscription('new.example', 'alice');
    expect(
      p.sim
        .records('new.example')
        .filter((r) => r.host === '_mailchannels.new.example.')
        .map((r) => r.value),
    ).toEqual(['v=mc1 auth=webhostingm']);
  });
});
