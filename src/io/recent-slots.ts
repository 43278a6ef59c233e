/**
 * @module io/recent-slots — the last few values two threads have agreed on by number, dropped least recently
 * used first. Both sides keep one with the same capacity and make the same calls in the same (message)
 * order, so the sender knows, without asking, whether the receiver still holds a value: it sends a
 * `SharedArrayBuffer` once, then only its number (see io/row-group-pool).
 */
import { OptionError } from "../errors.js";

export class RecentSlots<V> {
  private readonly entries = new Map<number, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new OptionError(`slot capacity must be a positive integer, got ${capacity}`, { field: "capacity" });
  }

  /** The value kept for `id`, now the most recently used; undefined when it is not kept. */
  use(id: number): V | undefined {
    const value = this.entries.get(id);
    if (value === undefined) return undefined;
    this.entries.delete(id);
    this.entries.set(id, value);
    return value;
  }

  /** Keeps `value` for `id` as the most recently used, dropping the least recently used beyond capacity. */
  keep(id: number, value: V): void {
    this.entries.delete(id);
    this.entries.set(id, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as number);
  }

  get size(): number {
    return this.entries.size;
  }
}
