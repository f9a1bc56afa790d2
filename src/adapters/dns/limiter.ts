/**
 * Bounded concurrency: at most `concurrency` tasks run at once, the rest wait in arrival order.
 * A scan of thousands of domains then keeps a steady number of queries in flight instead of
 * flooding a nameserver (and our own socket buffers) with all of them at the same moment.
 */
export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  let active = 0;
  // A plain array with a moving head: shift() on a long queue is O(n) per call.
  let queue: Array<() => void> = [];
  let head = 0;

  const release = () => {
    active--;
    if (head < queue.length) {
      const next = queue[head]!;
      queue[head++] = undefined as unknown as () => void;
      if (head > 1024 && head * 2 > queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
      active++;
      next();
    }
  };

  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const start = (): Promise<T> => {
        let p: Promise<T>;
        try {
          p = task();
        } catch (err) {
          p = Promise.reject(err instanceof Error ? err : new Error(String(err)));
        }
        // The slot is released on a side branch and the task's own promise goes back to the caller:
        // no extra promise in the caller's chain (thousands of queries pay for every hop).
        p.then(release, release);
        return p;
      };
      if (active < concurrency) {
        active++;
        return start();
      }
      return new Promise<T>((resolve, reject) => {
        queue.push(() => void start().then(resolve, reject));
      });
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length - head;
    },
  };
}
