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
 * constant insert/delete churn of a log). Each slot holds (entry, hash) side by side, and the slot
 * array grows with the number of open messages rather than being sized for the limit, so the probes
 * of a typical log stay in the CPU cache. When full, the oldest open message is evicted (a FIFO of
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

/** FNV-1a style mix over 4 bytes at a time (ids are 16 or 23 bytes; a quarter of the multiplies). */
function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5 | 0;
  let i = s;
  for (; i + 4 <= e; i += 4) {
    h ^= (b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16) | ((b[i + 3] as number) << 24);
    h = Math.imul(h, 0x01000193);
    h ^= h >>> 13;
  }
  for (; i < e; i++) {
    h ^= b[i] as number;
    h = Math.imul(h, 0x01000193);
  }
  return (h ^ (h >>> 15)) | 0;
}

export class ArrivalTable {
  readonly maxEntries: number;
  private readonly maxCapacity: number;
  private mask: number;
  /** Slot i: [2i] entry index (-1 = empty), [2i+1] hash of its id. */
  private slots: Int32Array;
  private readonly idBytes: Uint8Array;
  private readonly idLen: Uint8Array;
  private readonly fileOf: Int32Array;
  private readonly offsetOf: Float64Array;
  private readonly seqOf: Float64Array; // -1 = free entry
  /** Only for entries that cannot be re-read; a Map because a big `new Array(n)` is a slow dictionary in V8. */
  private readonly texts = new Map<number, string>();
  /** texts.size, as a plain field: this is checked on every put and remove. */
  private textCount = 0;
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
    let max = 16;
    while (max < this.maxEntries * 2) max *= 2;
    this.maxCapacity = max;
    const capacity = Math.min(max, 1024);
    this.mask = capacity - 1;
    this.slots = new Int32Array(capacity * 2).fill(-1);
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
      const entry = this.slots[found * 2] as number;
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
    if ((this.count + 1) * 2 > this.mask + 1 && this.mask + 1 < this.maxCapacity) {
      this.grow();
      this.put(b, s, e, file, offset, text);
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
    this.slots[slot * 2] = entry;
    this.slots[slot * 2 + 1] = h;
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
    return slot < 0 ? -1 : (this.slots[slot * 2] as number);
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
    return this.textCount === 0 ? undefined : this.texts.get(entry);
  }

  private setOrClearText(entry: number, text: string | undefined): void {
    if (text !== undefined) {
      this.texts.set(entry, text);
      this.textCount = this.texts.size;
    } else if (this.textCount > 0) this.clearText(entry);
  }

  private clearText(entry: number): void {
    this.texts.delete(entry);
    this.textCount = this.texts.size;
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
    const slots = this.slots;
    const mask = this.mask;
    let i = h & mask;
    for (;;) {
      const entry = slots[i * 2] as number;
      if (entry < 0) return -1 - i;
      if (slots[i * 2 + 1] === h && this.idLen[entry] === len) {
        const base = entry * ID_STRIDE;
        let k = 0;
        while (k < len && this.idBytes[base + k] === b[s + k]) k++;
        if (k === len) return i;
      }
      i = (i + 1) & mask;
    }
  }

  private removeSlot(slot: number): void {
    const slots = this.slots;
    const entry = slots[slot * 2] as number;
    this.seqOf[entry] = -1;
    if (this.textCount > 0) this.clearText(entry);
    this.freeList[this.freeTop++] = entry;
    this.count--;
    // Backward-shift deletion: pull later members of the probe chain into the hole.
    const mask = this.mask;
    let hole = slot;
    slots[hole * 2] = -1;
    let j = hole;
    for (;;) {
      j = (j + 1) & mask;
      const moving = slots[j * 2] as number;
      if (moving < 0) return;
      const hash = slots[j * 2 + 1] as number;
      const home = hash & mask;
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      slots[hole * 2] = moving;
      slots[hole * 2 + 1] = hash;
      slots[j * 2] = -1;
      hole = j;
    }
  }

  /** Double the slot array and re-insert every open entry (their hashes are kept). */
  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    const slots = new Int32Array(capacity * 2).fill(-1);
    const mask = capacity - 1;
    for (let i = 0; i < old.length; i += 2) {
      const entry = old[i] as number;
      if (entry < 0) continue;
      const hash = old[i + 1] as number;
      let j = hash & mask;
      while ((slots[j * 2] as number) >= 0) j = (j + 1) & mask;
      slots[j * 2] = entry;
      slots[j * 2 + 1] = hash;
    }
    this.slots = slots;
    this.mask = mask;
  }

  private evictOldest(): boolean {
    while (this.fifoLength > 0) {
      const at = this.fifoHead;
      this.fifoHead = (this.fifoHead + 1) & this.fifoMask;
      this.fifoLength--;
      const entry = this.fifoEntry[at] as number;
      if (this.seqOf[entry] !== this.fifoSeq[at]) continue; // removed since
      const base = entry * ID_STRIDE;
      const slot = this.probe(
        this.idBytes,
        base,
        base + (this.idLen[entry] as number),
        hashBytes(this.idBytes, base, base + (this.idLen[entry] as number)),
      );
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
