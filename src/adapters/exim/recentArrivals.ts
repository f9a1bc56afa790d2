/**
 * The last few arrivals, kept in a small ring in front of the ArrivalTable. In a main log a message's
 * `Completed` line usually follows its arrival within a few lines (one delivery process does both),
 * so most messages are born and finished here, compared byte-wise from the newest, without ever
 * being hashed into the table. An arrival pushed out of the ring while still open moves to the table.
 */
import { MAX_ID_BYTES } from './arrivalTable';

const ID_STRIDE = 24;

/** What the ring hands to the table when an open arrival is pushed out. */
export type SpillArrival = (
  ids: Uint8Array,
  idStart: number,
  idEnd: number,
  file: number,
  offset: number,
  text: string | undefined,
) => void;

export class RecentArrivals {
  private readonly ids: Uint8Array;
  private readonly idLen: Uint8Array;
  private readonly fileOf: Int32Array;
  private readonly offsetOf: Float64Array;
  private readonly open: Uint8Array;
  private readonly texts: Array<string | undefined>;
  private next = 0;
  private filled = 0;

  constructor(
    private readonly size: number,
    private readonly spill: SpillArrival,
  ) {
    this.ids = new Uint8Array(size * ID_STRIDE);
    this.idLen = new Uint8Array(size);
    this.fileOf = new Int32Array(size);
    this.offsetOf = new Float64Array(size);
    this.open = new Uint8Array(size);
    this.texts = Array.from({ length: size }, () => undefined);
  }

  push(b: Uint8Array, s: number, e: number, file: number, offset: number, text: string | undefined): void {
    const len = e - s;
    if (len <= 0 || len > MAX_ID_BYTES) return;
    const slot = this.next;
    if (this.open[slot] === 1)
      this.spill(
        this.ids,
        slot * ID_STRIDE,
        slot * ID_STRIDE + (this.idLen[slot] as number),
        this.fileOf[slot] as number,
        this.offsetOf[slot] as number,
        this.texts[slot],
      );
    const base = slot * ID_STRIDE;
    for (let i = 0; i < len; i++) this.ids[base + i] = b[s + i] as number;
    this.idLen[slot] = len;
    this.fileOf[slot] = file;
    this.offsetOf[slot] = offset;
    this.texts[slot] = text;
    this.open[slot] = 1;
    this.next = slot + 1 === this.size ? 0 : slot + 1;
    if (this.filled < this.size) this.filled++;
  }

  /** Slot of the open arrival `b[s, e)`, newest first, or -1. */
  find(b: Uint8Array, s: number, e: number): number {
    const len = e - s;
    const size = this.size;
    let slot = this.next;
    for (let k = 0; k < this.filled; k++) {
      slot = slot === 0 ? size - 1 : slot - 1;
      if (this.open[slot] !== 1 || this.idLen[slot] !== len) continue;
      // The end of an id varies fastest (sub-second part, then pid): compare from the back.
      const base = slot * ID_STRIDE;
      let i = len - 1;
      while (i >= 0 && this.ids[base + i] === b[s + i]) i--;
      if (i < 0) return slot;
    }
    return -1;
  }

  /** Close the arrival `b[s, e)` if it is here; false when it is not (look in the table). */
  complete(b: Uint8Array, s: number, e: number): boolean {
    const slot = this.find(b, s, e);
    if (slot < 0) return false;
    this.open[slot] = 0;
    this.texts[slot] = undefined;
    return true;
  }

  file(slot: number): number {
    return this.fileOf[slot] as number;
  }

  offset(slot: number): number {
    return this.offsetOf[slot] as number;
  }

  text(slot: number): string | undefined {
    return this.texts[slot];
  }

  /** Move every open arrival to the table (before listing or persisting them). */
  spillAll(): void {
    const size = this.size;
    // Oldest first, so the table's eviction order stays arrival order.
    let slot = (this.next - this.filled + size) % size;
    for (let k = 0; k < this.filled; k++) {
      if (this.open[slot] === 1) {
        this.spill(
          this.ids,
          slot * ID_STRIDE,
          slot * ID_STRIDE + (this.idLen[slot] as number),
          this.fileOf[slot] as number,
          this.offsetOf[slot] as number,
          this.texts[slot],
        );
        this.open[slot] = 0;
        this.texts[slot] = undefined;
      }
      slot = slot + 1 === size ? 0 : slot + 1;
    }
  }
}
