/**
 * WHM's rate budget shared between callers (rateLimit.ts): round robin between the callers waiting,
 * a per-caller share, and calls of an abandoned request dropped — on a clock the test moves.
 */
import { withCallScope, type CallScope } from '../../../src/adapters/cpanel/callScope';
import { RateLimiter } from '../../../src/adapters/cpanel/rateLimit';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const limiter = () => new RateLimiter(20, sleep, Date.now);
const clock = { now: () => Date.now() };

beforeEach(() => {
  jest.useFakeTimers({ now: 0 });
});
afterEach(() => {
  jest.useRealTimers();
});

/** `count` calls in one scope, each recording when it was let through. */
function calls(limiter: RateLimiter, _clock: { now(): number }, scope: CallScope, count: number, into: Array<[string, number]>) {
  return Promise.allSettled(
    Array.from({ length: count }, () =>
      withCallScope(scope, () => limiter.acquire()).then(() => {
        into.push([scope.key, Date.now()]);
      }),
    ),
  );
}

describe('fair rate limit', () => {
  test('when one caller floods and another arrives, then the newcomer is let through at the next slot, not after the backlog', async () => {
    const rate = limiter();
    const grants: Array<[string, number]> = [];
    const flood = calls(rate, clock, { key: 'job:bob' }, 20, grants);
    await jest.advanceTimersByTimeAsync(120); // bob's backlog is queued and being served
    const alice = calls(rate, clock, { key: 'user:alice' }, 1, grants);
    await jest.advanceTimersByTimeAsync(2000);
    await Promise.all([flood, alice]);
    const aliceAt = grants.find(([key]) => key === 'user:alice')![1];
    expect(aliceAt).toBeLessThanOrEqual(120 + 50);
    expect(grants.filter(([key]) => key === 'job:bob')).toHaveLength(20);
  });

  test('when two callers each held to half the rate both wait, then each gets every other slot, as fast as when alone', async () => {
    const solo: Array<[string, number]> = [];
    const soloDone = calls(limiter(), clock, { key: 'user:alice', share: 0.5 }, 6, solo);
    await jest.advanceTimersByTimeAsync(1000);
    await soloDone;

    jest.setSystemTime(0);
    const rate = limiter();
    const both: Array<[string, number]> = [];
    const done = Promise.all([
      calls(rate, clock, { key: 'user:bob', share: 0.5 }, 30, both),
      calls(rate, clock, { key: 'user:alice', share: 0.5 }, 6, both),
    ]);
    await jest.advanceTimersByTimeAsync(4000);
    await done;
    const aliceTimes = both.filter(([key]) => key === 'user:alice').map(([, t]) => t);
    // Alone, alice's six calls are 100 ms apart (half of 20/s); beside a flooding bob, the same.
    expect(solo.map(([, t]) => t)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(aliceTimes[5]! - aliceTimes[0]!).toBe(500);
    expect(aliceTimes[0]).toBeLessThanOrEqual(50);
    // bob, held to half, never took alice's half.
    const bobTimes = both.filter(([key]) => key === 'user:bob').map(([, t]) => t);
    expect(bobTimes.slice(0, 6)).toEqual([0, 100, 200, 300, 400, 500]);
  });

  test('when nobody else waits, then a caller without a share uses the whole rate', async () => {
    const grants: Array<[string, number]> = [];
    const done = calls(limiter(), clock, { key: 'job:alice' }, 5, grants);
    await jest.advanceTimersByTimeAsync(1000);
    await done;
    expect(grants.map(([, t]) => t)).toEqual([0, 50, 100, 150, 200]);
  });

  test("when a request is abandoned, then its calls still waiting are dropped with a non-retryable error and the others' are not delayed", async () => {
    const rate = limiter();
    const controller = new AbortController();
    const grants: Array<[string, number]> = [];
    const abandoned = calls(rate, clock, { key: 'user:alice', signal: controller.signal }, 10, grants);
    const other = calls(rate, clock, { key: 'user:bob' }, 3, grants);
    await jest.advanceTimersByTimeAsync(60);
    controller.abort();
    await jest.advanceTimersByTimeAsync(1000);
    const results = await abandoned;
    await other;
    const made = grants.filter(([key]) => key === 'user:alice').length;
    expect(made).toBe(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(10 - made);
    expect(rejected[0]!.reason).toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('abandoned') });
    expect(grants.filter(([key]) => key === 'user:bob').map(([, t]) => t)).toEqual([50, 100, 150]);
    await expect(withCallScope({ key: 'user:alice', signal: controller.signal }, () => rate.acquire())).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    expect(rate.waiting()).toEqual({});
  });
});
