/**
 * A small pool of worker threads running one script, for CPU-bound work that must not hold the main
 * thread (parsing and diagnosing thousands of zones while the main thread reads files and writes
 * SQLite). Tasks go to the worker with the fewest in flight; each answer is matched by id. A worker
 * that dies fails only its own tasks, and the pool goes on with the others.
 *
 * The script receives `{ id, task }` messages and answers `{ id, result }` or `{ id, error }`.
 */
import { Worker, type TransferListItem } from 'worker_threads';

export interface WorkerPool<T, R> {
  readonly size: number;
  run(task: T, transfer?: TransferListItem[]): Promise<R>;
  /** Finish the tasks in flight, then stop every worker. */
  close(): Promise<void>;
}

export interface WorkerPoolOptions {
  /** Absolute path of the worker's compiled script. */
  script: string;
  size: number;
  workerData?: unknown;
  /** Extra Node flags for the workers (tests load TypeScript through a require hook). */
  execArgv?: string[];
}

interface Pending<R> {
  resolve(value: R): void;
  reject(err: Error): void;
}

interface Slot<R> {
  worker: Worker;
  inFlight: Map<number, Pending<R>>;
  alive: boolean;
}

export function createWorkerPool<T, R>(options: WorkerPoolOptions): WorkerPool<T, R> {
  const size = Math.max(1, Math.floor(options.size));
  let nextId = 1;
  let closing = false;
  const slots: Slot<R>[] = [];

  const fail = (slot: Slot<R>, err: Error) => {
    slot.alive = false;
    for (const pending of slot.inFlight.values()) pending.reject(err);
    slot.inFlight.clear();
  };

  for (let i = 0; i < size; i++) {
    const worker = new Worker(options.script, {
      workerData: options.workerData,
      ...(options.execArgv ? { execArgv: options.execArgv } : {}),
    });
    const slot: Slot<R> = { worker, inFlight: new Map(), alive: true };
    worker.on('message', (msg: { id: number; result?: R; error?: string }) => {
      const pending = slot.inFlight.get(msg.id);
      if (!pending) return;
      slot.inFlight.delete(msg.id);
      if (msg.error !== undefined) pending.reject(new Error(msg.error));
      else pending.resolve(msg.result as R);
    });
    worker.on('error', (err) => fail(slot, err instanceof Error ? err : new Error(String(err))));
    worker.on('exit', (code) => {
      if (slot.alive && !closing) fail(slot, new Error(`a scan worker stopped (exit code ${code})`));
      slot.alive = false;
    });
    slots.push(slot);
  }

  return {
    size,
    run(task, transfer) {
      const live = slots.filter((s) => s.alive);
      if (closing || live.length === 0) return Promise.reject(new Error('the worker pool is closed'));
      const slot = live.reduce((best, s) => (s.inFlight.size < best.inFlight.size ? s : best));
      const id = nextId++;
      return new Promise<R>((resolve, reject) => {
        slot.inFlight.set(id, { resolve, reject });
        try {
          slot.worker.postMessage({ id, task }, transfer);
        } catch (err) {
          slot.inFlight.delete(id);
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    },
    async close() {
      closing = true;
      await Promise.all(
        slots.map(async (slot) => {
          // Let answers in flight arrive, then stop the thread.
          while (slot.alive && slot.inFlight.size > 0) await new Promise((r) => setTimeout(r, 5));
          await slot.worker.terminate();
        }),
      );
    },
  };
}
