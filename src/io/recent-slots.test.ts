import { describe, expect, it } from "vitest";
import { RecentSlots } from "./recent-slots.js";

describe("RecentSlots", () => {
  it("keeps the most recently used values up to its capacity, dropping the least recently used", () => {
    const slots = new RecentSlots<string>(2);
    slots.keep(1, "a");
    slots.keep(2, "b");
    expect(slots.use(1)).toBe("a"); // 1 is now the most recent
    slots.keep(3, "c"); // drops 2
    expect(slots.use(2)).toBeUndefined();
    expect(slots.use(1)).toBe("a");
    expect(slots.use(3)).toBe("c");
    expect(slots.size).toBe(2);
    slots.keep(3, "c2"); // kept again: replaced, nothing dropped
    expect(slots.size).toBe(2);
    expect(slots.use(3)).toBe("c2");
  });

  it("two copies given the same calls agree on what is held", () => {
    const sender = new RecentSlots<true>(3);
    const receiver = new RecentSlots<number>(3);
    let seed = 7;
    for (let i = 0; i < 500; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const id = seed % 6;
      const known = sender.use(id) !== undefined;
      if (!known) sender.keep(id, true);
      const held = receiver.use(id);
      expect(held !== undefined, `call ${i}`).toBe(known);
      if (!known) receiver.keep(id, id);
    }
  });

  it("refuses a capacity that is not a positive integer", () => {
    expect(() => new RecentSlots(0)).toThrow("slot capacity must be a positive integer, got 0");
  });
});
