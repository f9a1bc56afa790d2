import { parseEnvelope } from '../../../src/adapters/jetbackup/envelope';
import { createBackupOnDemandAnswer } from './samples';

function parsed(text: string) {
  const result = parseEnvelope(text);
  if (!result.ok) throw new Error(`expected an envelope, got: ${result.problem}`);
  return result.envelope;
}

describe('JetBackup envelope (docs/reference/jetbackup-and-exim.md §1.1)', () => {
  it("when the vendor's createBackupOnDemand answer is read, then it is a success with its message and empty data", () => {
    const envelope = parsed(JSON.stringify(createBackupOnDemandAnswer));
    expect(envelope).toMatchObject({ success: true, message: 'Backup on demand added to the queue', data: {} });
  });

  it('when empty data is [] instead of {}, then the envelope is still accepted', () => {
    expect(parsed('{"success":1,"message":"","data":[],"system":{}}').data).toEqual([]);
  });

  it('when success is 0, then it reads as a failure and keeps the message', () => {
    expect(parsed('{"success":0,"message":"No such account","data":{},"system":{}}')).toMatchObject({
      success: false,
      message: 'No such account',
    });
  });

  it('when success is a string or a boolean, then it is understood', () => {
    expect(parsed('{"success":"1","message":null,"data":{}}')).toMatchObject({ success: true, message: '' });
    expect(parsed('{"success":false,"data":{}}').success).toBe(false);
  });

  it('when a PHP notice precedes the JSON, then the envelope is still found', () => {
    expect(
      parsed('PHP Notice:  Undefined index: x in /usr/local/jetapps/api.php on line 3\n{"success":1,"message":"ok","data":{}}').message,
    ).toBe('ok');
  });

  it('when the output is empty, not JSON, or lacks success, then it is rejected with the reason', () => {
    expect(parseEnvelope('  ')).toEqual({ ok: false, problem: 'empty output' });
    expect(parseEnvelope('Usage: jetbackup5api -F ...')).toMatchObject({ ok: false, problem: expect.stringContaining('not JSON') });
    expect(parseEnvelope('{"message":"hi"}')).toMatchObject({ ok: false, problem: expect.stringContaining('success') });
    expect(parseEnvelope('{"success":2,"data":{}}')).toMatchObject({ ok: false });
  });
});
