/** `serve --listen` refuses what it must not bind as bad input: exit 2, nothing started. */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { CliIO } from '../../../src/cli/io';
import { run } from '../../../src/cli/main';
import { parseListen } from '../../../src/daemon';
import { errorAnswer } from '../../../src/daemon/httpErrors';
import { FixEmailAuthError, isInputError } from '../../../src/errors';

const dir = mkdtempSync(join(tmpdir(), 'fea-serve-'));
const config = join(dir, 'config.json');
writeFileSync(config, JSON.stringify({ provider: { authId: 'webhostingm' }, paths: { journal: join(dir, 'journal.sqlite') } }));

async function cli(args: string[]) {
  let err = '';
  const io: CliIO = {
    stdout: { write: () => undefined },
    stderr: { write: (s: string) => (err += s) },
    env: { FIX_EMAIL_AUTH_CONFIG: config },
    cwd: dir,
  };
  return { code: await run(args, io), err };
}

describe('serve --listen', () => {
  test('when the address is not loopback or not HOST:PORT, then BAD_INPUT', () => {
    for (const text of ['0.0.0.0:8765', '192.0.2.1:80', 'localhost', '127.0.0.1:99999']) {
      let thrown: unknown;
      try {
        parseListen(text);
      } catch (err) {
        thrown = err;
      }
      expect(isInputError(thrown)).toBe(true);
    }
    expect(parseListen('[::1]:8765')).toEqual({ host: '::1', port: 8765 });
  });

  test('when the CLI is asked to listen on a public address, then it exits 2 with the reason', async () => {
    const { code, err } = await cli(['serve', '--listen', '0.0.0.0:8765', '--dev']);
    expect(code).toBe(2);
    expect(err).toContain('loopback only');
  });
});

describe('input errors are one set for the CLI and the daemon', () => {
  test('when an input error has no status of its own, then the daemon answers 400, and anything else 500', () => {
    expect(errorAnswer(new FixEmailAuthError('CONFIRMATION_REQUIRED', 'confirm')).status).toBe(400);
    expect(errorAnswer(new FixEmailAuthError('NOT_OWNED', 'no')).status).toBe(403);
    expect(errorAnswer(new FixEmailAuthError('INTERNAL', 'boom')).status).toBe(500);
    expect(isInputError(new FixEmailAuthError('TRANSPORT', 'down'))).toBe(false);
    expect(isInputError(new Error('plain'))).toBe(false);
  });
});
