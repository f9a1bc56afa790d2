/**
 * The sendmail submitter against a stand-in sendmail script that records who ran it, with which
 * arguments, and what it read: the `setuid` identity really runs as the user from /etc/passwd (here
 * `nobody`, which every system has), the `trusted-caller` identity passes Exim's -oMai/-oMt.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { execFileSync } from 'child_process';
import { createSendmailSubmitter, hasNoNewPrivs } from '../../../src/adapters/mail/sendmail';
import { findPasswdEntry } from '../../../src/adapters/mail/passwd';
import { itIf } from '../../support/requires';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const nobody = findPasswdEntry(readFileSync('/etc/passwd', 'utf8'), 'nobody');

describe('sendmail submitter', () => {
  let dir: string;
  let fake: string;
  let out: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fea-sendmail-'));
    chmodSync(dir, 0o777); // nobody writes its record here
    out = join(dir, 'record');
    fake = join(dir, 'sendmail');
    writeFileSync(
      fake,
      `#!/bin/sh\n{ id -u; id -g; id -G; printf '%s\\n' "$@"; echo "LOGNAME=$LOGNAME"; echo ---; cat; } > ${out}\n[ -n "$FAIL" ] && { echo "$FAIL" >&2; exit 75; }\nexit 0\n`,
      { mode: 0o755 },
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const message = 'From: a@example.com\nTo: b@gmail.example\nSubject: t\n\nbody\n.\nmore\n';

  itIf(isRoot && nobody !== undefined && nobody !== null, 'root and a `nobody` user (the tests run as root in CI)')(
    'when the identity is setuid, then sendmail runs as the user (uid, gid, no supplementary groups of root) with -t -i -f and the message on stdin',
    async () => {
      const submitter = createSendmailSubmitter({ sendmail: fake, identity: 'setuid', noNewPrivs: () => false });
      await submitter.submit({ user: 'nobody', envelopeFrom: 'a@example.com', message });
      const [uid, gid, groups, ...rest] = readFileSync(out, 'utf8').split('\n');
      expect(Number(uid)).toBe(nobody?.uid);
      expect(Number(gid)).toBe(nobody?.gid);
      expect(groups?.split(' ')).toEqual([String(nobody?.gid)]);
      expect(rest.join('\n')).toBe(`-t\n-i\n-f\na@example.com\nLOGNAME=nobody\n---\n${message}`);
    },
  );

  test('when the identity is trusted-caller, then the user is passed as -oMai and -oMt before our arguments', async () => {
    const submitter = createSendmailSubmitter({ sendmail: fake, identity: 'trusted-caller', extraArgs: ['-C', '/tmp/x.conf'] });
    await submitter.submit({ user: 'alice', envelopeFrom: 'a@example.com', message });
    const lines = readFileSync(out, 'utf8').split('\n');
    expect(lines.slice(3, 13)).toEqual(['-C', '/tmp/x.conf', '-oMai', 'alice', '-oMt', 'alice', '-t', '-i', '-f', 'a@example.com']);
  });

  (isRoot && nobody ? test : test.skip)(
    'when the identity is auto, then sendmail runs as the user, or — under NoNewPrivileges — stays root with -oMai/-oMt',
    async () => {
      await createSendmailSubmitter({ sendmail: fake, identity: 'auto', noNewPrivs: () => false }).submit({
        user: 'nobody',
        envelopeFrom: 'a@example.com',
        message,
      });
      expect(Number(readFileSync(out, 'utf8').split('\n')[0])).toBe(nobody?.uid);
      await createSendmailSubmitter({ sendmail: fake, identity: 'auto', noNewPrivs: () => true }).submit({
        user: 'nobody',
        envelopeFrom: 'a@example.com',
        message,
      });
      const lines = readFileSync(out, 'utf8').split('\n');
      expect(Number(lines[0])).toBe(0);
      expect(lines.slice(3, 11)).toEqual(['-oMai', 'nobody', '-oMt', 'nobody', '-t', '-i', '-f', 'a@example.com']);
    },
  );

  test('when the identity is setuid under NoNewPrivileges, then nothing runs and the error says why and what to set', async () => {
    const submitter = createSendmailSubmitter({ sendmail: fake, identity: 'setuid', noNewPrivs: () => true });
    await expect(submitter.submit({ user: 'nobody', envelopeFrom: 'a@example.com', message })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('NoNewPrivileges'),
    });
    expect(() => readFileSync(out)).toThrow();
  });

  test('when a process runs under setpriv --no-new-privs, then NoNewPrivileges is read from its status; without, it is not', () => {
    expect(hasNoNewPrivs('Name:\tnode\nNoNewPrivs:\t1\nSeccomp:\t0\n')).toBe(true);
    expect(hasNoNewPrivs('Name:\tnode\nNoNewPrivs:\t0\n')).toBe(false);
    expect(hasNoNewPrivs(execFileSync('setpriv', ['--no-new-privs', 'cat', '/proc/self/status'], { encoding: 'utf8' }))).toBe(true);
    expect(hasNoNewPrivs()).toBe(/^NoNewPrivs:\s*1$/m.test(readFileSync('/proc/self/status', 'utf8')));
  });

  test('when the user has no Unix account, then nothing runs and the error says so', async () => {
    const submitter = createSendmailSubmitter({ sendmail: fake, identity: 'setuid', noNewPrivs: () => false });
    await expect(submitter.submit({ user: 'no-such-user-fea', envelopeFrom: 'a@example.com', message })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      step: 'mail',
    });
    expect(() => readFileSync(out)).toThrow();
  });

  test('when the user is root, then the submitter refuses (a test message is sent as a cPanel user)', async () => {
    const submitter = createSendmailSubmitter({ sendmail: fake, identity: 'setuid', noNewPrivs: () => false });
    await expect(submitter.submit({ user: 'root', envelopeFrom: 'a@example.com', message })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  test('when sendmail fails, then the error carries its exit status and message', async () => {
    writeFileSync(fake, `#!/bin/sh\ncat >/dev/null\necho "exim: no recipients" >&2\nexit 75\n`, { mode: 0o755 });
    const submitter = createSendmailSubmitter({ sendmail: fake, identity: 'trusted-caller' });
    await expect(submitter.submit({ user: 'alice', envelopeFrom: 'a@example.com', message })).rejects.toMatchObject({
      code: 'TRANSPORT',
      message: expect.stringContaining('exited with status 75: exim: no recipients'),
    });
  });

  test('when sendmail does not exist, then the error points at paths.sendmail', async () => {
    const submitter = createSendmailSubmitter({ sendmail: join(dir, 'missing'), identity: 'trusted-caller' });
    await expect(submitter.submit({ user: 'alice', envelopeFrom: 'a@example.com', message })).rejects.toMatchObject({
      code: 'TRANSPORT',
      message: expect.stringContaining('paths.sendmail'),
    });
  });

  test('when sendmail hangs, then it is killed at the timeout', async () => {
    writeFileSync(fake, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const submitter = createSendmailSubmitter({ sendmail: fake, identity: 'trusted-caller', timeoutMs: 300 });
    await expect(submitter.submit({ user: 'alice', envelopeFrom: 'a@example.com', message })).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});
