import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadApiToken } from '../../../src/adapters/cpanel/token';

const dir = mkdtempSync(join(tmpdir(), 'cpanel-token-'));
const TOKEN = 'JPQNSRU0DH448UJLGXH7KVJECC5QN9N9';

function tokenFile(name: string, text: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('API token file (config cpanel.tokenFile)', () => {
  it('when the file is 0600 and holds the token with a newline, then the token is returned trimmed', () => {
    expect(loadApiToken(tokenFile('ok', `${TOKEN}\n`, 0o600))).toBe(TOKEN);
  });

  it.each([0o644, 0o640, 0o604, 0o660])('when the file mode is %o, then it is refused with the mode and a chmod hint', (mode) => {
    const path = tokenFile(`loose-${mode.toString(8)}`, TOKEN, mode);
    expect(() => loadApiToken(path)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(`mode ${mode.toString(8)}`) }),
    );
    expect(() => loadApiToken(path)).toThrow(`chmod 600 ${path}`);
  });

  it('when the file is empty, then CONFIG_INVALID says so', () => {
    expect(() => loadApiToken(tokenFile('empty', '\n', 0o600))).toThrow(/is empty/);
  });

  it('when the file holds more than a token (user:token, spaces, two lines), then it is refused', () => {
    for (const [name, text] of [
      ['colon', `root:${TOKEN}`],
      ['space', `${TOKEN} x`],
      ['lines', `${TOKEN}\n${TOKEN}`],
    ] as const) {
      expect(() => loadApiToken(tokenFile(name, text, 0o600))).toThrow(/must hold only the token/);
    }
  });

  it('when the file is missing or a directory, then CONFIG_INVALID names it', () => {
    expect(() => loadApiToken(join(dir, 'missing'))).toThrow(/Cannot read the API token file .*missing/);
    const sub = join(dir, 'adir');
    mkdirSync(sub, { mode: 0o700 });
    expect(() => loadApiToken(sub)).toThrow(/not a regular file/);
  });
});
