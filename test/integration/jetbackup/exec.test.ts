import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { JetBackupCli, isJetBackupError } from '../../../src/adapters/jetbackup';

/** The real execFile runner: missing, unrunnable and hanging binaries (no shell involved). */
describe('running jetbackup5api for real', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jb-exec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function reasonOf(apiPath: string, callTimeoutMs = 10_000): Promise<string | undefined> {
    try {
      await new JetBackupCli({ apiPath, callTimeoutMs }).call('listAccounts', {}, 'backup');
    } catch (err) {
      return isJetBackupError(err) ? err.reason : `unexpected: ${String(err)}`;
    }
    return 'no failure';
  }

  it('when the binary does not exist, then the reason is not-installed', async () => {
    expect(await reasonOf(join(dir, 'jetbackup5api'))).toBe('not-installed');
  });

  it('when the file is not executable, then the reason is not-runnable', async () => {
    const file = join(dir, 'jetbackup5api');
    writeFileSync(file, '#!/bin/sh\necho {}\n');
    chmodSync(file, 0o600);
    expect(await reasonOf(file)).toBe('not-runnable');
  });

  it('when the process hangs past the per-call timeout, then it is killed and the reason is call-timeout', async () => {
    const file = join(dir, 'jetbackup5api');
    writeFileSync(file, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(file, 0o700);
    expect(await reasonOf(file, 300)).toBe('call-timeout');
  });

  it('when a value holds shell syntax, then it reaches the program as one literal argument', async () => {
    const file = join(dir, 'jetbackup5api');
    const seen = join(dir, 'seen');
    writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' "$@" > '${seen}'\necho '{"success":1,"message":"","data":{}}'\n`);
    chmodSync(file, 0o700);
    await new JetBackupCli({ apiPath: file, callTimeoutMs: 10_000 }).call(
      'listAccounts',
      { find: { username: '$(touch pwned); `id`' } },
      'backup',
    );
    expect(readFileSync(seen, 'utf8').split('\n')[3]).toBe('find[username]=%24%28touch%20pwned%29%3B%20%60id%60');
    expect(existsSync(join(process.cwd(), 'pwned'))).toBe(false);
  });
});
