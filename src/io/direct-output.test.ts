import { randomBytes } from "node:crypto";
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { ConfigError } from "../errors.js";
import { DIRECT_MIN_BYTES_PER_MS, DIRECT_WINDOW_WRITES, DIRECT_WRITE_BYTES, DirectOutput, directIoAllowed, type DirectOutputCalls } from "./direct-output.js";

const dir = makeTmpDir("lw-direct-output-");
let counter = 0;
const fresh = (): string => join(dir, `${counter++}.bin`);
const MiB = DIRECT_WRITE_BYTES;

/** Pieces of the sizes the Parquet writer hands over: footers, whole pages, row groups, and empty ones. */
function pieces(sizes: number[]): Buffer[] {
  return sizes.map((size) => randomBytes(size));
}

interface Recorded {
  direct: Array<{ position: number; length: number }>;
  ordinary: Array<{ position: number | null; length: number }>;
  opened: number;
  closed: number[];
  /** Buffers taken and not given back. */
  buffers: number;
}

/**
 * Calls that write a real file through two ordinary descriptors (so the file's bytes are checked on any file
 * system), recording which writes would have gone direct; `change` alters the direct ones.
 */
function recordingCalls(
  ordinaryFd: () => number,
  change: {
    /** The direct open throws (a file system that refuses it) or gives undefined (a system without O_DIRECT). */
    open?: "refused" | "missing";
    direct?: (n: number, write: (length?: number) => number) => number;
    now?: () => number;
    /** The buffer cannot be had (a tight address-space limit). */
    noBuffer?: boolean;
  } = {},
): { calls: DirectOutputCalls; seen: Recorded } {
  const seen: Recorded = { direct: [], ordinary: [], opened: 0, closed: [], buffers: 0 };
  let directFd = -1;
  const calls: DirectOutputCalls = {
    openDirect(path) {
      seen.opened += 1;
      if (change.open === "refused") throw Object.assign(new Error("EINVAL: invalid argument"), { code: "EINVAL" });
      if (change.open === "missing") return undefined;
      directFd = openSync(path, "r+");
      return directFd;
    },
    write(fd, buffer, offset, length, position) {
      const write = (part = length) => writeSync(fd, buffer, offset, part, position);
      if (fd === directFd) {
        seen.direct.push({ position: position!, length });
        return change.direct ? change.direct(seen.direct.length, write) : write();
      }
      expect(fd).toBe(ordinaryFd());
      seen.ordinary.push({ position, length });
      return write();
    },
    close(fd) {
      seen.closed.push(fd);
      closeSync(fd);
    },
    now: change.now ?? (() => 0),
    takeBuffer() {
      if (change.noBuffer) throw new RangeError("WebAssembly.Memory(): could not allocate memory");
      seen.buffers += 1;
      return new Uint8Array(MiB);
    },
    giveBackBuffer() {
      seen.buffers -= 1;
    },
  };
  return { calls, seen };
}

/** Appends `parts` to a new file through a DirectOutput with `calls`, and returns the file's bytes. */
function writeThrough(parts: Buffer[], make: (fd: number, path: string) => DirectOutput): { bytes: Buffer; output: DirectOutput } {
  const path = fresh();
  const fd = openSync(path, "w");
  let output: DirectOutput;
  try {
    output = make(fd, path);
    for (const part of parts) output.append(part);
    expect(output.size).toBe(parts.reduce((sum, part) => sum + part.length, 0));
    output.finish();
  } finally {
    closeSync(fd);
  }
  return { bytes: readFileSync(path), output };
}

const SIZES = [4, 0, 700_000, MiB, 3 * MiB + 17, 1, MiB - 1, 2 * MiB, 123_456, 9];

describe("DirectOutput", () => {
  it("writes whole aligned MiB direct and the tail the ordinary way, the same bytes", () => {
    const parts = pieces(SIZES);
    let fd = -1;
    const { calls, seen } = recordingCalls(() => fd);
    const { bytes, output } = writeThrough(parts, (f, path) => {
      fd = f;
      return new DirectOutput(f, path, { direct: true, directAfter: 0, calls });
    });
    expect(bytes.equals(Buffer.concat(parts))).toBe(true);
    const total = bytes.length;
    expect(seen.opened).toBe(1);
    expect(seen.direct.length).toBe(Math.floor(total / MiB));
    seen.direct.forEach(({ position, length }, i) => expect({ position, length }).toEqual({ position: i * MiB, length: MiB }));
    expect(seen.ordinary).toEqual([{ position: Math.floor(total / MiB) * MiB, length: total % MiB }]);
    expect(seen.closed).toHaveLength(1);
    expect(seen.buffers).toBe(0); // given back for the next file
    expect(output.direct).toBe(false); // finished: the direct descriptor is closed
  });

  it("writes the same bytes with O_DIRECT itself where this file system takes it", () => {
    const parts = pieces(SIZES);
    const { bytes } = writeThrough(parts, (fd, path) => new DirectOutput(fd, path, { direct: true, directAfter: 0 }));
    expect(bytes.equals(Buffer.concat(parts))).toBe(true);
  });

  it("writes the first directAfter bytes the ordinary way and whole MiB direct from there", () => {
    // Pieces that end short of, exactly at, and across the 3 MiB mark.
    for (const sizes of [
      [MiB, MiB, MiB - 5, 10, 2 * MiB + 3],
      [3 * MiB, MiB + 1],
      [100, 5 * MiB],
    ]) {
      const parts = pieces(sizes);
      let fd = -1;
      const { calls, seen } = recordingCalls(() => fd);
      const { bytes } = writeThrough(parts, (f, path) => {
        fd = f;
        return new DirectOutput(f, path, { direct: true, directAfter: 3 * MiB, calls });
      });
      expect(bytes.equals(Buffer.concat(parts)), String(sizes)).toBe(true);
      const total = bytes.length;
      const wholeMiB = Math.floor(total / MiB);
      expect(
        seen.direct.map((write) => write.position),
        String(sizes),
      ).toEqual(Array.from({ length: wholeMiB - 3 }, (_, i) => (3 + i) * MiB));
      for (const { position, length } of seen.ordinary) {
        const before = position! + length <= 3 * MiB;
        expect(before || position === wholeMiB * MiB, `${sizes}: ordinary write at ${position}`).toBe(true);
      }
    }
    expect(() => new DirectOutput(0, "x", { direct: true, directAfter: 1000 })).toThrow("directAfter must be a multiple of 1048576");
  });

  it("never opens a direct descriptor when told not to, or for a file under 1 MiB", () => {
    for (const [direct, sizes] of [
      [false, SIZES],
      [true, [10, MiB - 11]],
    ] as const) {
      const parts = pieces([...sizes]);
      let fd = -1;
      const { calls, seen } = recordingCalls(() => fd);
      const { bytes } = writeThrough(parts, (f, path) => {
        fd = f;
        return new DirectOutput(f, path, { direct, directAfter: 0, calls });
      });
      expect(bytes.equals(Buffer.concat(parts))).toBe(true);
      expect(seen.opened).toBe(0);
      expect(seen.direct).toEqual([]);
    }
  });

  it("goes the ordinary way when the direct open is refused or O_DIRECT is missing", () => {
    for (const open of ["refused", "missing"] as const) {
      const parts = pieces(SIZES);
      let fd = -1;
      const { calls, seen } = recordingCalls(() => fd, { open });
      const { bytes } = writeThrough(parts, (f, path) => {
        fd = f;
        return new DirectOutput(f, path, { direct: true, directAfter: 0, calls });
      });
      expect(bytes.equals(Buffer.concat(parts)), open).toBe(true);
      expect(seen.opened, open).toBe(1);
      expect(seen.direct, open).toEqual([]);
      // In order, from 0, with no gap or overlap.
      let at = 0;
      for (const { position, length } of seen.ordinary) {
        expect(position, open).toBe(at);
        at += length;
      }
      expect(at, open).toBe(bytes.length);
    }
  });

  it("goes the ordinary way when no buffer can be had", () => {
    const parts = pieces(SIZES);
    let fd = -1;
    const { calls, seen } = recordingCalls(() => fd, { noBuffer: true });
    const { bytes, output } = writeThrough(parts, (f, path) => {
      fd = f;
      return new DirectOutput(f, path, { direct: true, directAfter: 0, calls });
    });
    expect(bytes.equals(Buffer.concat(parts))).toBe(true);
    expect(seen.opened).toBe(0);
    expect(seen.direct).toEqual([]);
    expect(output.direct).toBe(false);
  });

  it("writes a refused or short direct write's bytes the ordinary way, and the rest of the file too", () => {
    for (const failure of ["throws", "short"] as const) {
      const parts = pieces(SIZES);
      let fd = -1;
      const { calls, seen } = recordingCalls(() => fd, {
        direct: (n, write) => {
          if (n < 3) return write();
          if (failure === "throws") throw Object.assign(new Error("EINVAL: invalid argument"), { code: "EINVAL" });
          return write(4096); // a short write: only the first 4 KiB land
        },
      });
      const { bytes, output } = writeThrough(parts, (f, path) => {
        fd = f;
        return new DirectOutput(f, path, { direct: true, directAfter: 0, calls });
      });
      expect(bytes.equals(Buffer.concat(parts))).toBe(true);
      expect(seen.direct.length).toBe(3);
      expect(seen.closed).toHaveLength(1); // closed as soon as it failed
      expect(output.direct).toBe(false);
      expect(seen.ordinary[0]).toEqual(failure === "throws" ? { position: 2 * MiB, length: MiB } : { position: 2 * MiB + 4096, length: MiB - 4096 });
    }
  });

  it("goes back to the page cache after two slow 16 MiB windows in a row, not after one", () => {
    const slowMs = (2 * MiB) / DIRECT_MIN_BYTES_PER_MS; // twice the time the floor allows
    const fastMs = MiB / DIRECT_MIN_BYTES_PER_MS / 4;
    // Writes 1–16 slow, 17–32 fast, 33–64 slow: back to the page cache after the 64th.
    const slowWrite = (n: number) => n <= DIRECT_WINDOW_WRITES || n > 2 * DIRECT_WINDOW_WRITES;
    let clock = 0;
    let writes = 0;
    let fd = -1;
    const { calls, seen } = recordingCalls(() => fd, {
      direct: (n, write) => {
        writes = n;
        clock += slowWrite(n) ? slowMs : fastMs;
        return write();
      },
      now: () => clock,
    });
    const parts = pieces(Array.from({ length: 70 }, () => MiB)).concat(pieces([5]));
    const { bytes } = writeThrough(parts, (f, path) => {
      fd = f;
      return new DirectOutput(f, path, { direct: true, directAfter: 0, calls });
    });
    expect(bytes.equals(Buffer.concat(parts))).toBe(true);
    expect(writes).toBe(4 * DIRECT_WINDOW_WRITES);
    expect(seen.ordinary.map((write) => write.position)).toEqual([...Array.from({ length: 6 }, (_, i) => (64 + i) * MiB), 70 * MiB]);
  });

  it("close() lets go of the direct descriptor without writing what is staged", () => {
    const path = fresh();
    const fd = openSync(path, "w");
    const { calls, seen } = recordingCalls(() => fd);
    const output = new DirectOutput(fd, path, { direct: true, directAfter: 0, calls });
    output.append(randomBytes(MiB + 10));
    output.close();
    output.close();
    closeSync(fd);
    expect(seen.closed).toHaveLength(1);
    expect(seen.buffers).toBe(0);
    expect(readFileSync(path).length).toBe(MiB);
  });
});

describe("directIoAllowed", () => {
  it("reads LONGWRITER_DIRECT_IO: auto by default, off, and an error naming the variable otherwise", () => {
    expect(directIoAllowed({})).toBe(true);
    expect(directIoAllowed({ LONGWRITER_DIRECT_IO: "" })).toBe(true);
    expect(directIoAllowed({ LONGWRITER_DIRECT_IO: "auto" })).toBe(true);
    expect(directIoAllowed({ LONGWRITER_DIRECT_IO: "OFF" })).toBe(false);
    expect(() => directIoAllowed({ LONGWRITER_DIRECT_IO: "yes" })).toThrow(ConfigError);
    expect(() => directIoAllowed({ LONGWRITER_DIRECT_IO: "yes" })).toThrow('LONGWRITER_DIRECT_IO must be one of auto, off, got "yes"');
  });
});
