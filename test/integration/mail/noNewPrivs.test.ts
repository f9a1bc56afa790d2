/**
 * The test email under the systemd unit exactly as shipped: the unit sets NoNewPrivileges=yes, and a
 * sendmail started as the cPanel user then cannot gain Exim's setuid root. `test-email` (the built
 * CLI, as root, with the default `mail.submitAs`) runs under `setpriv --no-new-privs` against the
 * real Exim of test/support/exim.ts and must deliver as alice; `setuid` asked for explicitly is refused
 * up front with what to set. Where systemd runs (not in CI: no init system), the same under
 * `systemd-run -p NoNewPrivileges=yes`.
 */
import { execFileSync, spawn } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { startRelay, type Relay } from '../../../src/simulator/relay';
import { startExim, type Exim } from '../../support/exim';
import { startTestSimulator, TEST_TOKENS, type StartedSimulator } from '../../support/simulator';
import { PROVIDER } from './support';

const REPO = join(__dirname, '../../..');
const CLI = join(REPO, 'bin/fix-email-auth');
const FROM = 'tiff@addon.tld';
const TO = 'someone@gmail.example';

jest.setTimeout(60_000);

let dir: string;
let started: StartedSimulator;
let relay: Relay;
let exim: Exim;
let configPath: string;

function runCli(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { PATH: process.env.PATH, FIX_EMAIL_AUTH_CONFIG: configPath, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const testEmail = ['test-email', '--user', 'alice', '--from', FROM, '--to', TO, '--timeout', '20s', '--json'];

function systemdRuns(): boolean {
  try {
    const state = execFileSync('systemctl', ['is-system-running'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return state === 'running' || state === 'degraded';
  } catch (err) {
    const stdout = (err as { stdout?: string | Buffer }).stdout;
    return (typeof stdout === 'string' ? stdout : (stdout?.toString('utf8') ?? '')).trim() === 'degraded';
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fea-nnp-'));
  started = await startTestSimulator();
  // No lockdown record anywhere: the relay accepts, so "delivered" is about the submission alone.
  relay = await startRelay({ accounts: [{ ...PROVIDER }], lookupTxt: async () => [] });
  exim = await startExim({ relayPort: relay.port, relayUsername: PROVIDER.username, relayPassword: PROVIDER.password });
  const tokenFile = join(dir, 'whm-token');
  writeFileSync(tokenFile, `${TEST_TOKENS.root}\n`, { mode: 0o600 });
  configPath = join(dir, 'config.json');
  const { sim } = started;
  writeFileSync(
    configPath,
    JSON.stringify({
      provider: { authId: 'webhostingm', relayHost: '127.0.0.1' },
      backup: { policy: 'off' },
      cpanel: { transport: 'https', whmUrl: sim.whmUrl, cpanelUrl: sim.cpanelUrl, fingerprint: sim.fingerprint256, tokenFile },
      paths: { journal: join(dir, 'journal.db'), eximMainlog: exim.mainlog, sendmail: exim.sendmailPath },
      // mail.submitAs left out: the default is what the unit runs with.
    }),
  );
});

afterAll(async () => {
  await exim?.stop();
  await relay?.stop();
  await started?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('when test-email runs under setpriv --no-new-privs with the default submitAs, then Exim takes the message as alice and it is delivered', async () => {
  const result = await runCli('setpriv', ['--no-new-privs', process.execPath, CLI, ...testEmail]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const answer = JSON.parse(result.stdout);
  expect(answer).toMatchObject({ status: 'delivered', user: 'alice' });
  expect(exim.log()).toMatch(new RegExp(`${answer.eximId} <= ${FROM} U=alice P=local`));
  expect(relay.messages.at(-1)).toMatchObject({ outcome: 'accepted', senderId: 'webhostingm|x-authuser|alice' });
});

test('when setuid is asked for under setpriv --no-new-privs, then nothing is sent and the error says to use auto or trusted-caller', async () => {
  const before = exim.log();
  const result = await runCli('setpriv', ['--no-new-privs', process.execPath, CLI, ...testEmail], {
    FIX_EMAIL_AUTH_SENDMAIL_IDENTITY: 'setuid',
  });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('NoNewPrivileges');
  expect(result.stderr).toContain('"auto"');
  expect(exim.log()).toBe(before);
});

(systemdRuns() ? test : test.skip)(
  'when test-email runs in a systemd-run unit with NoNewPrivileges=yes, then it is delivered as alice',
  async () => {
    const result = await runCli('systemd-run', [
      '--quiet',
      '--wait',
      '--pipe',
      '--collect',
      '-p',
      'NoNewPrivileges=yes',
      '-E',
      `FIX_EMAIL_AUTH_CONFIG=${configPath}`,
      process.execPath,
      CLI,
      ...testEmail,
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'delivered', user: 'alice' });
  },
);
