/**
 * Open messages (arrived, not yet `Completed`) keyed by the message id's bytes, in typed arrays.
 *
 * Why not a Map<string, …>: a main log has one arrival and one completion per message, and creating
 * an id string plus a Map insert and delete for each cost ~0.5 µs per message, most of the reader's
 * time on a busy server's log. Here an arrival costs a hash of ~20 bytes and a probe; no string is made.
 * Each entry stores only where its arrival line is (file index + byte offset); the text is re-read
 * when a failure needs it, which is rare. Texts that cannot be re-read (inflated `.gz` data, entries
 * restored from a cursor) are kept as strings.
 *
 * Linear probing with backward-shift deletion (no tombstones, so probe chains stay short under the
 * constant insert/delete churn of a log). When full, the oldest open message is evicted (a FIFO of
 * entry+sequence pairs, stale pairs skipped and compacted away).
 */

export const MAX_ID_BYTES = 23;
const ID_STRIDE = 24;

export interface OpenArrival {
  id: string;
  file: number;
  offset: number;
  text: string | undefined;
}

function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = s; i < e; i++) {
    h ^= b[i] as number;
    h = Math.imul(h, 0x01000193);
  }
  return (h ^ (h >>> 15)) | 0;
}

export class ArrivalTable {
  readonly maxEntries: number;
  private readonly mask: number;
  private readonly slots: Int32Array; // entry index, -1 = empty
  private readonly slotHash: Int32Array;
  private readonly idBytes: Uint8Array;
  private readonly idLen: Uint8Array;
  private readonly fileOf: Int32Array;
  private readonly offsetOf: Float64Array;
  private readonly seqOf: Float64Array; // -1 = free entry
  /** Only for entries that cannot be re-read; a Map because a big `new Array(n)` is a slow dictionary in V8. */
  private readonly texts = new Map<number, string>();
  private readonly freeList: Int32Array;
  private freeTop: number;
  private readonly fifoEntry: Int32Array;
  private readonly fifoSeq: Float64Array;
  private readonly fifoMask: number;
  private fifoHead = 0;
  private fifoLength = 0;
  private seq = 0;
  private count = 0;
  /** Messages dropped because the table was full. */
  evicted = 0;

  constructor(maxEntries: number) {
    this.maxEntries = Math.max(1, Math.floor(maxEntries));
    let capacity = 16;
    while (capacity < this.maxEntries * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.slots = new Int32Array(capacity).fill(-1);
    this.slotHash = new Int32Array(capacity);
    const n = this.maxEntries;
    this.idBytes = new Uint8Array(n * ID_STRIDE);
    this.idLen = new Uint8Array(n);
    this.fileOf = new Int32Array(n);
    this.offsetOf = new Float64Array(n);
    this.seqOf = new Float64Array(n).fill(-1);
    this.freeList = new Int32Array(n);
    for (let i = 0; i < n; i++) this.freeList[i] = n - 1 - i;
    this.freeTop = n;
    let fifo = 16;
    while (fifo < n * 4) fifo *= 2;
    this.fifoMask = fifo - 1;
    this.fifoEntry = new Int32Array(fifo);
    this.fifoSeq = new Float64Array(fifo);
  }

  get size(): number {
    return this.count;
  }

  /** Record (or re-record) the arrival of the message whose id is `b[s, e)`. */
  put(b: Uint8Array, s: number, e: number, file: number, offset: number, text?: string): void {
    if (e - s > MAX_ID_BYTES || e <= s) return;
    const h = hashBytes(b, s, e);
    const found = this.probe(b, s, e, h);
    if (found >= 0) {
      const entry = this.slots[found] as number;
      this.fileOf[entry] = file;
      this.offsetOf[entry] = offset;
      this.setOrClearText(entry, text);
      return;
    }
    if (this.count >= this.maxEntries) {
      // Evicting moves slots, so probe again afterwards.
      if (this.evictOldest()) this.put(b, s, e, file, offset, text);
      return;
    }
    const entry = this.freeList[--this.freeTop] as number;
    const base = entry * ID_STRIDE;
    for (let i = s; i < e; i++) this.idBytes[base + i - s] = b[i] as number;
    this.idLen[entry] = e - s;
    this.fileOf[entry] = file;
    this.offsetOf[entry] = offset;
    this.setOrClearText(entry, text);
    this.seqOf[entry] = ++this.seq;
    const slot = -1 - found;
    this.slots[slot] = entry;
    this.slotHash[slot] = h;
    this.count++;
    this.pushFifo(entry, this.seq);
  }

  /** Forget the message `b[s, e)`; true when it was open. */
  remove(b: Uint8Array, s: number, e: number): boolean {
    if (e - s > MAX_ID_BYTES || e <= s) return false;
    const slot = this.probe(b, s, e, hashBytes(b, s, e));
    if (slot < 0) return false;
    this.removeSlot(slot);
    return true;
  }

  /** Entry index of the open message `b[s, e)`, or -1. */
  lookup(b: Uint8Array, s: number, e: number): number {
    if (e - s > MAX_ID_BYTES || e <= s) return -1;
    const slot = this.probe(b, s, e, hashBytes(b, s, e));
    return slot < 0 ? -1 : (this.slots[slot] as number);
  }

  lookupId(id: string): number {
    const b = Buffer.from(id, 'latin1');
    return this.lookup(b, 0, b.length);
  }

  file(entry: number): number {
    return this.fileOf[entry] as number;
  }

  offset(entry: number): number {
    return this.offsetOf[entry] as number;
  }

  text(entry: number): string | undefined {
    return this.texts.size === 0 ? undefined : this.texts.get(entry);
  }

  private setOrClearText(entry: number, text: string | undefined): void {
    if (text !== undefined) this.texts.set(entry, text);
    else if (this.texts.size > 0) this.texts.delete(entry);
  }

  /** Open messages, newest first, at most `max`. */
  newest(max: number): OpenArrival[] {
    const out: OpenArrival[] = [];
    for (let k = this.fifoLength - 1; k >= 0 && out.length < max; k--) {
      const at = (this.fifoHead + k) & this.fifoMask;
      const entry = this.fifoEntry[at] as number;
      if (this.seqOf[entry] !== this.fifoSeq[at]) continue;
      const len = this.idLen[entry] as number;
      const base = entry * ID_STRIDE;
      out.push({
        id: Buffer.from(this.idBytes.buffer, this.idBytes.byteOffset + base, len).toString('latin1'),
        file: this.fileOf[entry] as number,
        offset: this.offsetOf[entry] as number,
        text: this.text(entry),
      });
    }
    return out;
  }

  /** Slot holding `b[s, e)`, or -1 - (the empty slot where it would go). */
  private probe(b: Uint8Array, s: number, e: number, h: number): number {
    const len = e - s;
    let i = h & this.mask;
    for (;;) {
      const entry = this.slots[i] as number;
      if (entry < 0) return -1 - i;
      if (this.slotHash[i] === h && this.idLen[entry] === len) {
        const base = entry * ID_STRIDE;
        let k = 0;
        while (k < len && this.idBytes[base + k] === b[s + k]) k++;
        if (k === len) return i;
      }
      i = (i + 1) & this.mask;
    }
  }

  private removeSlot(slot: number): void {
    const entry = this.slots[slot] as number;
    this.seqOf[entry] = -1;
    if (this.texts.size > 0) this.texts.delete(entry);
    this.freeList[this.freeTop++] = entry;
    this.count--;
    // Backward-shift deletion: pull later members of the probe chain into the hole.
    const mask = this.mask;
    let hole = slot;
    this.slots[hole] = -1;
    let j = hole;
    for (;;) {
      j = (j + 1) & mask;
      const moving = this.slots[j] as number;
      if (moving < 0) return;
      const home = (this.slotHash[j] as number) & mask;
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      this.slots[hole] = moving;
      this.slotHash[hole] = this.slotHash[j] as number;
      this.slots[j] = -1;
      hole = j;
    }
  }

  private evictOldest(): boolean {
    while (this.fifoLength > 0) {
      const at = this.fifoHead;
      this.fifoHead = (this.fifoHead + 1) & this.fifoMask;
      this.fifoLength--;
      const entry = this.fifoEntry[at] as number;
      if (this.seqOf[entry] !== this.fifoSeq[at]) continue; // removed since
      const base = entry * ID_STRIDE;
      const slot = this.probe(this.idBytes, base, base + (this.idLen[entry] as number), hashBytes(this.idBytes, base, base + (this.idLen[entry] as number)));
      if (slot >= 0) {
        this.removeSlot(slot);
        this.evicted++;
        return true;
      }
    }
    return false;
  }

  private pushFifo(entry: number, seq: number): void {
    if (this.fifoLength > this.fifoMask) this.compactFifo();
    const at = (this.fifoHead + this.fifoLength) & this.fifoMask;
    this.fifoEntry[at] = entry;
    this.fifoSeq[at] = seq;
    this.fifoLength++;
  }

  /** Drop pairs of entries removed since they were queued (at most `maxEntries` stay live). */
  private compactFifo(): void {
    const cap = this.fifoEntry.length;
    let write = 0;
    const entries = new Int32Array(cap);
    const seqs = new Float64Array(cap);
    for (let k = 0; k < this.fifoLength; k++) {
      const at = (this.fifoHead + k) & this.fifoMask;
      const entry = this.fifoEntry[at] as number;
      if (this.seqOf[entry] !== this.fifoSeq[at]) continue;
      entries[write] = entry;
      seqs[write] = this.fifoSeq[at] as number;
      write++;
    }
    this.fifoEntry.set(entries);
    this.fifoSeq.set(seqs);
    this.fifoHead = 0;
    this.fifoLength = write;
  }
}
