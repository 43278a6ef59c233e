/**
 * @module mix/row-key-table — the mixer's exact-dedup set. Per row kept so far: its key hash (64 bits,
 * `messagesKeyHash`) and where its text is (its spool index, or for a row a later step dropped, its
 * normalised turns kept here), in an open-addressing table of typed arrays at most half full: 12 bytes a slot,
 * no string per row.
 * A row whose hash is in the table is a duplicate only when its normalised turns (the UTF-8 of its
 * `normalisedTurns`) are those of a row with that hash, so a hash collision costs one comparison, never a row;
 * and the hash need not be cryptographic (an SHA-256 key was ~0.23 s per reader thread and a Set of its strings
 * ~0.12 s on the bench mix).
 */

const EMPTY = -1;

/** The slot a hash's probe starts at, in a table of `mask + 1` slots. */
const home = (low: number, high: number, mask: number): number => (low ^ Math.imul(high, 0x9e3779b1)) & mask;

/** How a row's normalised turns (the UTF-8 of its `normalisedTurns`) are found: its own, or the row at a spool index's. */
export interface RowTexts {
  /** The normalised turns of the row being checked (asked once, when a hash matches; kept as they are by `keepText`). */
  candidate(): Uint8Array;
  /** The normalised turns of the row at spool index `index` (used at once: may be a reused buffer). */
  spooled(index: number): Uint8Array;
}

export class RowKeyTable {
  private lows = new Uint32Array(1 << 12);
  private highs = new Uint32Array(1 << 12);
  /** Per slot: a spool index (≥ 0), `EMPTY`, or -2 - k for `kept[k]`. */
  private refs = new Int32Array(1 << 12).fill(EMPTY);
  private readonly kept: Uint8Array[] = [];
  private count = 0;

  /** Rows in the table. */
  get size(): number {
    return this.count;
  }

  /**
   * Whether a row with hash (`low`, `high`) and the same text is in the table; when not, adds this one as the
   * row at spool index `spoolIndex` and returns its slot (for `keepText`), else -1.
   */
  add(low: number, high: number, spoolIndex: number, texts: RowTexts): number {
    let mask = this.refs.length - 1;
    let slot = home(low, high, mask);
    let text: Buffer | undefined;
    for (; this.refs[slot] !== EMPTY; slot = (slot + 1) & mask) {
      if (this.lows[slot] !== low || this.highs[slot] !== high) continue;
      const ref = this.refs[slot]!;
      if (text === undefined) {
        const bytes = texts.candidate();
        text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }
      if (text.equals(ref >= 0 ? texts.spooled(ref) : this.kept[-2 - ref]!)) return -1;
    }
    if (2 * (this.count + 1) > this.refs.length) {
      this.grow();
      mask = this.refs.length - 1;
      for (slot = home(low, high, mask); this.refs[slot] !== EMPTY; slot = (slot + 1) & mask);
    }
    this.lows[slot] = low;
    this.highs[slot] = high;
    this.refs[slot] = spoolIndex;
    this.count++;
    return slot;
  }

  /** The row added at `slot` will not be in the spool: its normalised turns are kept here for later rows. */
  keepText(slot: number, text: Uint8Array): void {
    this.refs[slot] = -2 - this.kept.length;
    this.kept.push(text);
  }

  private grow(): void {
    const { lows, highs, refs } = this;
    const size = refs.length * 2;
    this.lows = new Uint32Array(size);
    this.highs = new Uint32Array(size);
    this.refs = new Int32Array(size).fill(EMPTY);
    const mask = size - 1;
    for (let old = 0; old < refs.length; old++) {
      if (refs[old] === EMPTY) continue;
      let slot = home(lows[old]!, highs[old]!, mask);
      while (this.refs[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.lows[slot] = lows[old]!;
      this.highs[slot] = highs[old]!;
      this.refs[slot] = refs[old]!;
    }
  }
}
