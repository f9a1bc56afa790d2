import { cpanelError } from '../../../src/adapters/cpanel/failures';
import { UapiApi } from '../../../src/adapters/cpanel/uapiApi';
import { WhmApi } from '../../../src/adapters/cpanel/whmApi';
import { backoffDelay, DEFAULT_RETRY_POLICY, READ_CALLS } from '../../../src/adapters/cpanel/retry';
import { RateLimiter } from '../../../src/adapters/cpanel/rateLimit';
import * as s from './samples';
import { ScriptedUapi, ScriptedWhm } from './scripted';

const timeout = () => cpanelError('TIMEOUT', 'no answer', { step: 'read' });
const dropped = () => cpanelError('TRANSPORT', 'connection reset', { step: 'read' });
const http500 = () => cpanelError('TRANSPORT', 'HTTP 500', { step: 'read', upstream: { httpStatus: 500 } });

function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

describe('read retries (brief §3)', () => {
  it('when a read times out, is dropped and gets a 500, then it is retried with growing delays until it succeeds', async () => {
    const whm = new ScriptedWhm({ listzones: [timeout(), s.whmListzones] });
    const { delays, sleep } = recordingSleep();
    const result = await new WhmApi(whm, { sleep, retry: { attempts: 4 } }).call('listzones', {}, { step: 'read' });
    expect(result.command).toBe('listzones');
    expect(delays).toEqual([250]);

    const whm2 = new ScriptedWhm({ parse_dns_zone: [dropped(), http500(), s.whmListzones] });
    const second = recordingSleep();
    await new WhmApi(whm2, { sleep: second.sleep, retry: { attempts: 4 } }).call('parse_dns_zone', { zone: 'x' }, { step: 'read' });
    expect(whm2.calls).toHaveLength(3);
    expect(second.delays).toEqual([250, 500]);
  });

  it('when every try fails, then it stops after the bounded number of attempts with the last error', async () => {
    const whm = new ScriptedWhm({ get_domain_info: [timeout(), timeout(), timeout(), s.whmListzones] });
    const { delays, sleep } = recordingSleep();
    await expect(new WhmApi(whm, { sleep }).call('get_domain_info', {}, { step: 'read' })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(whm.calls).toHaveLength(DEFAULT_RETRY_POLICY.attempts);
    expect(delays).toEqual([250, 500]);
  });

  it('when mass_edit times out, then it is NEVER retried (a write may have landed), write flag or not', async () => {
    for (const write of [true, false, undefined]) {
      const whm = new ScriptedWhm({ mass_edit_dns_zone: [timeout(), s.whmMassEditOk] });
      const { sleep } = recordingSleep();
      await expect(new WhmApi(whm, { sleep }).call('mass_edit_dns_zone', {}, { step: 'apply', write })).rejects.toMatchObject({
        code: 'TIMEOUT',
      });
      expect(whm.calls).toHaveLength(1);
    }
    const uapi = new ScriptedUapi({ 'DNS::mass_edit_zone': [dropped(), s.uapiMassEditOk] });
    await expect(
      new UapiApi(uapi, { sleep: recordingSleep().sleep }).call('DNS', 'mass_edit_zone', {}, { step: 'apply', write: true }),
    ).rejects.toMatchObject({
      code: 'TRANSPORT',
    });
    expect(uapi.calls).toHaveLength(1);
  });

  it('when a read call is flagged write, then it is not retried either', async () => {
    const whm = new ScriptedWhm({ listaccts: [timeout(), s.listacctsSample] });
    await expect(
      new WhmApi(whm, { sleep: recordingSleep().sleep }).call('listaccts', {}, { step: 'read', write: true }),
    ).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(whm.calls).toHaveLength(1);
  });

  it('when cPanel answered with an API error, then it is not retried (an answer is not a transient failure)', async () => {
    const whm = new ScriptedWhm({ parse_dns_zone: [s.whmNoSuchDomain, s.whmListzones] });
    await expect(new WhmApi(whm, { sleep: recordingSleep().sleep }).call('parse_dns_zone', {}, { step: 'read' })).rejects.toMatchObject({
      code: 'NOT_OWNED',
    });
    expect(whm.calls).toHaveLength(1);
  });

  it('when the failure is permanent (TLS pin mismatch) or AUTHENTICATION, then it is not retried', async () => {
    const pin = cpanelError('TRANSPORT', 'pin mismatch', { step: 'read', retryable: false });
    const auth = cpanelError('AUTHENTICATION', 'HTTP 401', { step: 'read' });
    for (const failure of [pin, auth]) {
      const whm = new ScriptedWhm({ listzones: [failure, s.whmListzones] });
      await expect(new WhmApi(whm, { sleep: recordingSleep().sleep }).call('listzones', {}, { step: 'read' })).rejects.toBe(failure);
      expect(whm.calls).toHaveLength(1);
    }
  });

  it('when a UAPI read fails transiently, then it is retried under its Module::function name', async () => {
    const uapi = new ScriptedUapi({ 'DNS::parse_zone': [timeout(), s.uapiSuccessBare] });
    await new UapiApi(uapi, { sleep: recordingSleep().sleep }).call('DNS', 'parse_zone', { zone: 'x' }, { step: 'read' });
    expect(uapi.calls).toHaveLength(2);
  });

  it('when the retryable set is inspected, then it holds only reads', () => {
    expect([...READ_CALLS].some((name) => /mass_edit|edit|add|remove/i.test(name))).toBe(false);
    expect(backoffDelay({ attempts: 9, baseDelayMs: 250, maxDelayMs: 1000 }, 5)).toBe(1000);
  });
});

describe('rate limit (config cpanel.rateLimitPerSecond)', () => {
  it('when calls come faster than the rate, then each waits for its slot', async () => {
    let now = 1000;
    const waits: number[] = [];
    const limiter = new RateLimiter(
      20,
      async (ms) => {
        waits.push(ms);
      },
      () => now,
    );
    await limiter.acquire();
    await limiter.acquire();
    await limiter.acquire();
    expect(waits).toEqual([50, 100]);
    now = 2000;
    await limiter.acquire();
    expect(waits).toEqual([50, 100]);
  });
});
