/**
 * A cPanel tool that fails prints its reasons on stderr. That text stays out of error messages (the
 * daemon's pages and job results show messages to cPanel users), but root at a shell sees it.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { CliIO } from '../../../src/cli/io';
import { run } from '../../../src/cli/main';

test('when whmapi1 fails without JSON, then the CLI prints the message and, for root, the tool’s error output (escaped)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fea-tool-errors-'));
  const tool = join(dir, 'whmapi1');
  writeFileSync(
    tool,
    '#!/bin/sh\nprintf "Usage: whmapi1 ...\\n"\nprintf "Cpanel::Exception at /usr/local/cpanel/Whostmgr/x.pm line 7 \\033[2J\\n" >&2\nexit 255\n',
    {
      mode: 0o755,
    },
  );
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      provider: { authId: 'webhostingm' },
      cpanel: { transport: 'cli', whmapi1: tool },
      paths: { journal: join(dir, 'journal.db') },
    }),
  );
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: { FIX_EMAIL_AUTH_CONFIG: config },
    cwd: dir,
  };
  const code = await run(['verify', 'example.com'], io);
  expect(code).toBe(3);
  expect(out).toBe('');
  expect(err).toMatch(/whmapi1 .*exited with 255 without printing JSON \(its error output is in the log\)/);
  expect(err).toContain("the tool's error output: Cpanel::Exception at /usr/local/cpanel/Whostmgr/x.pm line 7 \\x1b[2J");
  expect(err).not.toContain('\u001b');
});
