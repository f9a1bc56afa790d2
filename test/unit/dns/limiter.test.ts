import { createLimiter } from '../../../src/adapters/dns/limiter';

/** A task that finishes only when the test says so. */
function gate() {
  let open!: () => void;
  const done = new Promise<void>((r) => (open = r));
  return { done, open };
}

describe('createLimiter', () => {
  test('when more tasks than the limit are started, then only the limit run and the rest start in arrival order', async () => {
    const limiter = createLimiter(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const results = gates.map((g, i) =>
      limiter.run(async () => {
        started.push(i);
        await g.done;
        return i;
      }),
    );
    await Promise.resolve();
    expect([started, limiter.active, limiter.waiting]).toEqual([[0, 1], 2, 2]);
    gates[1]!.open();
    await results[1];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    gates.forEach((g) => g.open());
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3]);
    expect([limiter.active, limiter.waiting]).toEqual([0, 0]);
  });

  test('when a task fails or throws synchronously, then its slot is released and the error reaches its caller', async () => {
    const limiter = createLimiter(1);
    const failing = limiter.run(() => {
      throw new Error('sync boom');
    });
    const rejecting = limiter.run(async () => Promise.reject(new Error('async boom')));
    const fine = limiter.run(async () => 'ok');
    await expect(failing).rejects.toThrow('sync boom');
    await expect(rejecting).rejects.toThrow('async boom');
    expect(await fine).toBe('ok');
    expect(limiter.active).toBe(0);
  });

  test('when 10 000 tasks go through a limit of 8, then all finish and no more than 8 ever run at once', async () => {
    const limiter = createLimiter(8);
    let running = 0;
    let peak = 0;
    const all = Array.from({ length: 10_000 }, (_, i) =>
      limiter.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running--;
        return i;
      }),
    );
    const out = await Promise.all(all);
    expect(out[9999]).toBe(9999);
    expect(peak).toBe(8);
  });

  test('when the limit is not a positive integer, then creating the limiter fails', () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
  });
});
