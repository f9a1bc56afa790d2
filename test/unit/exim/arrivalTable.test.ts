import { ArrivalTable } from '../../../src/adapters/exim/arrivalTable';
import { seeded } from './helpers';

const id = (i: number) => Buffer.from(`1xT${String(i % 1000).padStart(3, '0')}-${String(i).padStart(6, '0')}-Ab`, 'latin1');

describe('ArrivalTable', () => {
  it('when random puts and removes are mirrored in a Map, then every lookup agrees (probe chains survive deletions)', () => {
    const rand = seeded(2026);
    const table = new ArrivalTable(5000);
    const reference = new Map<string, number>();
    for (let step = 0; step < 60_000; step++) {
      const i = Math.floor(rand() * 3000);
      const key = id(i);
      if (rand() < 0.55) {
        table.put(key, 0, key.length, 1, step);
        reference.set(key.toString('latin1'), step);
      } else {
        expect(table.remove(key, 0, key.length)).toBe(reference.delete(key.toString('latin1')));
      }
      if (step % 997 === 0) {
        for (let j = 0; j < 3000; j++) {
          const k = id(j);
          const entry = table.lookup(k, 0, k.length);
          const want = reference.get(k.toString('latin1'));
          expect(entry < 0 ? undefined : table.offset(entry)).toBe(want);
        }
      }
    }
    expect(table.size).toBe(reference.size);
  });

  it('when full, then the oldest open message is evicted first and newest() lists the newest first', () => {
    const table = new ArrivalTable(3);
    for (let i = 1; i <= 5; i++) table.put(id(i), 0, 16, 0, i * 10);
    expect(table.evicted).toBe(2);
    expect(table.lookup(id(1), 0, 16)).toBe(-1);
    expect(table.lookup(id(2), 0, 16)).toBe(-1);
    expect(table.newest(10).map((a) => a.offset)).toEqual([50, 40, 30]);
  });

  it('when an entry was removed, then it is not evicted again nor listed', () => {
    const table = new ArrivalTable(3);
    table.put(id(1), 0, 16, 0, 10);
    table.put(id(2), 0, 16, 0, 20);
    table.remove(id(1), 0, 16);
    table.put(id(3), 0, 16, 0, 30);
    table.put(id(4), 0, 16, 0, 40);
    expect(table.evicted).toBe(0);
    table.put(id(5), 0, 16, 0, 50);
    expect(table.evicted).toBe(1);
    expect(table.newest(10).map((a) => a.offset)).toEqual([50, 40, 30]);
  });

  it('when churn goes on far past the FIFO size, then memory stays bounded and order is kept', () => {
    const table = new ArrivalTable(10);
    for (let i = 0; i < 10_000; i++) {
      table.put(id(i), 0, 16, 0, i);
      if (i % 3 !== 0) table.remove(id(i), 0, 16);
    }
    expect(table.size).toBe(10);
    expect(table.newest(3).map((a) => a.offset)).toEqual([9999, 9996, 9993]);
  });

  it('when texts are kept (gzip, restored cursors), then they come back; a re-put without text clears them', () => {
    const table = new ArrivalTable(4);
    table.put(id(1), 0, 16, -1, 0, 'a@b U=a P=local');
    const e = table.lookup(id(1), 0, 16);
    expect(table.text(e)).toBe('a@b U=a P=local');
    table.put(id(1), 0, 16, 2, 99);
    expect(table.text(table.lookup(id(1), 0, 16))).toBeUndefined();
  });

  it('when an id is longer than any Exim id, then it is ignored', () => {
    const table = new ArrivalTable(4);
    const long = Buffer.from('x'.repeat(40));
    table.put(long, 0, long.length, 0, 1);
    expect(table.size).toBe(0);
    expect(table.lookup(long, 0, long.length)).toBe(-1);
  });
});
