import { JetBackupCli } from '../../../src/adapters/jetbackup/cli-client';
import { ExecFailure, type ExecFn, type ExecResult } from '../../../src/adapters/jetbackup/exec';
import { isJetBackupError } from '../../../src/adapters/jetbackup/jetbackup-error';

function answering(
  result: Partial<ExecResult> | Error,
  calls: Array<{ file: string; args: readonly string[]; timeoutMs: number }> = [],
): ExecFn {
  return async (file, args, request) => {
    calls.push({ file, args, timeoutMs: request.timeoutMs });
    if (result instanceof Error) throw result;
    return { stdout: '', stderr: '', exitCode: 0, ...result };
  };
}

const ok = (data: unknown, message = '') => JSON.stringify({ success: 1, message, data, system: {} });

async function failureOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('JetBackup CLI client (docs/reference/jetbackup-and-exim.md §1.1)', () => {
  it('when calling, then the argv is -F fn -D query -O json with a per-call timeout, and -D is left out when empty', async () => {
    const calls: Array<{ file: string; args: readonly string[]; timeoutMs: number }> = [];
    const cli = new JetBackupCli({ apiPath: '/usr/bin/jetbackup5api', callTimeoutMs: 1234, exec: answering({ stdout: ok({}) }, calls) });
    await cli.call('listAccounts', { find: { username: 'a b' } }, 'backup');
    await cli.call('getSettingsSnapshots', {}, 'backup');
    expect(calls).toEqual([
      { file: '/usr/bin/jetbackup5api', args: ['-F', 'listAccounts', '-D', 'find[username]=a%20b', '-O', 'json'], timeoutMs: 1234 },
      { file: '/usr/bin/jetbackup5api', args: ['-F', 'getSettingsSnapshots', '-O', 'json'], timeoutMs: 1234 },
    ]);
  });

  it('when the JSON says success but the exit code is not 0, then the JSON wins', async () => {
    const cli = new JetBackupCli({ apiPath: 'jb', callTimeoutMs: 1000, exec: answering({ stdout: ok({ x: 1 }, 'fine'), exitCode: 3 }) });
    await expect(cli.call('f', {}, 'backup')).resolves.toEqual({ data: { x: 1 }, message: 'fine' });
  });

  it('when the JSON says success 0 (whatever the exit code), then it is an api-error carrying the message and envelope', async () => {
    const envelope = { success: 0, message: 'Account not found', data: [], system: {} };
    const cli = new JetBackupCli({
      apiPath: 'jb',
      callTimeoutMs: 1000,
      exec: answering({ stdout: JSON.stringify(envelope), exitCode: 0 }),
    });
    const err = await failureOf(cli.call('getAccount', { _id: 'x' }, 'rollback'));
    expect(isJetBackupError(err, 'api-error')).toBe(true);
    expect(err).toMatchObject({
      code: 'BACKUP_FAILED',
      step: 'rollback',
      message: "JetBackup's getAccount failed: Account not found",
      upstream: { success: false },
    });
  });

  it('when the binary is missing, then the error says JetBackup is not installed and names the path', async () => {
    const cli = new JetBackupCli({
      apiPath: '/opt/none/jetbackup5api',
      callTimeoutMs: 1000,
      exec: answering(new ExecFailure('not-found', 'gone')),
    });
    const err = await failureOf(cli.call('f', {}, 'backup'));
    expect(isJetBackupError(err, 'not-installed')).toBe(true);
    expect((err as Error).message).toContain('/opt/none/jetbackup5api');
  });

  it('when one call hangs past its timeout, then it is a call-timeout', async () => {
    const cli = new JetBackupCli({ apiPath: 'jb', callTimeoutMs: 2000, exec: answering(new ExecFailure('timeout', 'slow')) });
    expect(isJetBackupError(await failureOf(cli.call('listBackups', {}, 'backup')), 'call-timeout')).toBe(true);
  });

  it('when the output is not an envelope, then it is bad-output with the exit code and stderr', async () => {
    const cli = new JetBackupCli({
      apiPath: 'jb',
      callTimeoutMs: 1000,
      exec: answering({ stdout: 'Segmentation fault', stderr: 'core dumped', exitCode: 139 }),
    });
    const err = await failureOf(cli.call('f', {}, 'backup'));
    expect(isJetBackupError(err, 'bad-output')).toBe(true);
    expect((err as Error).message).toMatch(/exit code 139.*core dumped/);
  });

  it('when the boolean switch is set, then every function gets that style', async () => {
    const calls: Array<{ file: string; args: readonly string[]; timeoutMs: number }> = [];
    const cli = new JetBackupCli({
      apiPath: 'jb',
      callTimeoutMs: 1000,
      booleanStyle: 'numeric',
      exec: answering({ stdout: ok({}) }, calls),
    });
    await cli.call('addQueueItems', { options: { merge: true } }, 'rollback');
    expect(calls[0]?.args).toContain('options[merge]=1');
  });
});
