import {
  KIND_ARRIVAL,
  KIND_COMPLETED,
  KIND_DEFERRED,
  KIND_FAILED,
  KIND_NONE,
  isMessageId,
  lineTime,
  newLineHead,
  readLineHead,
} from '../../../src/adapters/exim/lineHead';

function head(line: string) {
  const b = Buffer.from(line, 'utf8');
  const h = newLineHead();
  const kind = readLineHead(b, 0, b.length, h);
  return {
    kind,
    id: kind === KIND_NONE ? null : b.toString('latin1', h.idStart, h.idEnd),
    rest: b.toString('utf8', h.restStart),
    time: kind === KIND_NONE ? null : lineTime(b, 0, h),
  };
}

describe('readLineHead', () => {
  it('when the id has the ≤ 4.96 shape (6-6-2), then a failure line is recognised', () => {
    const r = head('2026-11-28 23:37:35 1xXRz5-0002X2-2t ** someone@gmail.example R=smarthost: x');
    expect(r).toMatchObject({ kind: KIND_FAILED, id: '1xXRz5-0002X2-2t', rest: 'someone@gmail.example R=smarthost: x' });
  });

  it('when the id has the ≥ 4.97 shape (6-11-4), then it is recognised too', () => {
    expect(head('2026-11-28 10:22:33 1xXQ0b-00000004Qx2-AbCd ** a@b R=r : SMTP error').id).toBe('1xXQ0b-00000004Qx2-AbCd');
  });

  it.each([
    ['<=', KIND_ARRIVAL],
    ['(=', KIND_ARRIVAL],
    ['**', KIND_FAILED],
    ['==', KIND_DEFERRED],
    ['=>', KIND_NONE],
    ['->', KIND_NONE],
    ['>>', KIND_NONE],
    ['*>', KIND_NONE],
  ])('when the flag is %s, then the kind is %d', (flag, kind) => {
    expect(head(`2026-11-28 23:37:35 1xXRz5-0002X2-2t ${flag} someone@gmail.example R=x T=y`).kind).toBe(kind);
  });

  it('when the line says Completed, then it is a completion, and "Completed later" is not', () => {
    expect(head('2026-11-28 23:37:35 [9632] 1xXRz5-0002X2-2t Completed').kind).toBe(KIND_COMPLETED);
    expect(head('2026-11-28 23:37:35 [9632] 1xXRz5-0002X2-2t Completed later').kind).toBe(KIND_NONE);
    expect(head('2026-11-28 23:37:35 [9632] 1xXRz5-0002X2-2t Compleded').kind).toBe(KIND_NONE);
  });

  it('when +pid, +millisec and log_timezone are on (real Exim 4.96 shapes), then the head is still found', () => {
    expect(head('2026-11-29 00:08:39 [9632] 1xXST9-0002VK-2S ** someone@gmail.example R=smarthost').id).toBe('1xXST9-0002VK-2S');
    expect(head('2026-11-29 00:09:06.051 +0000 1xXSTZ-0002cE-31 ** someone@gmail.example F=<tiff@example.com>').id).toBe(
      '1xXSTZ-0002cE-31',
    );
    expect(head('2017-07-30 18:51:05.712 [123] 10HmbA-000000005vi-0000 ** d@test.ex R=to_server').id).toBe('10HmbA-000000005vi-0000');
  });

  it.each([
    [
      'flagless per-host line',
      '2026-11-28 10:00:00 1xXRz5-0002X2-2t H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after end of data: 452 busy',
    ],
    ['no id', '2026-11-29 00:08:39 [9632] exim user lost privilege for using -C option'],
    ['continuation line', ' Suggested action: use keep_environment.'],
    ['cPanel doc odd date', '2015-12-4 08:27:23 refused relay (host) to <user@example.com> from <example@user.com> H=x [192.168.0.20]'],
    ['7-char id', '2015-12-07 09:23:14 [3428] luggage-1234Bz-Rm ** H=mailhost.domain.com [192.168.0.20]:58241'],
    ['empty', ''],
    ['short', '2026-11-28 23:37:35 1xXRz5-0002X2-2t **'],
    ['unclosed pid', '2026-11-28 23:37:35 [12 1xXRz5-0002X2-2t ** a@b x'],
  ])('when the line is a %s, then it is ignored', (_name, line) => {
    expect(head(line).kind).toBe(KIND_NONE);
  });

  it('when the line has the shape but the id has other characters, then isMessageId rejects it', () => {
    const b = Buffer.from('1xX$z5-0002X2-2t');
    expect(isMessageId(b, 0, b.length)).toBe(false);
    expect(isMessageId(Buffer.from('1xXRz5-0002X2-2t'), 0, 16)).toBe(true);
    expect(isMessageId(Buffer.from('16VDhn-000000001bo-D342'), 0, 23)).toBe(true);
  });
});

describe('lineTime', () => {
  it('when the time has no zone, then it is read as local time (the server writes local time)', () => {
    expect(head('2026-11-28 23:37:35 1xXRz5-0002X2-2t ** a@b x').time?.getTime()).toBe(new Date(2026, 10, 28, 23, 37, 35).getTime());
  });

  it('when there are milliseconds, then they are kept', () => {
    expect(head('2017-07-30 18:51:05.712 10HmbA-000000005vi-0000 ** d@test.ex x').time?.getTime()).toBe(
      new Date(2017, 6, 30, 18, 51, 5, 712).getTime(),
    );
  });

  it('when log_timezone wrote an offset, then the offset is applied', () => {
    expect(head('2026-11-29 00:09:06.051 +0130 1xXSTZ-0002cE-31 ** a@b x').time?.toISOString()).toBe('2026-11-28T22:39:06.051Z');
    expect(head('2026-11-29 00:09:06 -0500 1xXSTZ-0002cE-31 ** a@b x').time?.toISOString()).toBe('2026-11-29T05:09:06.000Z');
  });

  it('when the date is impossible, then there is no time', () => {
    expect(head('2026-13-28 23:37:35 1xXRz5-0002X2-2t ** a@b x').time).toBeNull();
    expect(head('2026-1x-28 23:37:35 1xXRz5-0002X2-2t ** a@b x').time).toBeNull();
  });
});
