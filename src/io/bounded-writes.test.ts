import { randomBytes } from "node:crypto";
import { close, closeSync, createWriteStream, open as openCb, openSync, readFileSync, write, writeFileSync, writeSync, writev } from "node:fs";
import { open } from "node:fs/promises";
import { once } from "node:events";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { AtomicFile } from "./atomic-file.js";
import { boundedWriteStreamFs, MAX_WRITE_BYTES, writeAllSync, writeAllTo, type StreamFsCalls } from "./bounded-writes.js";

const dir = makeTmpDir("lw-bounded-writes-");
let counter = 0;
const fresh = (name = "out.bin"): string => join(dir, `${counter++}-${name}`);

/** Where two byte strings first differ (-1: equal); deep equality on megabytes is too slow for a test. */
function firstDifference(actual: Uint8Array, expected: Uint8Array): number {
  if (Buffer.compare(actual, expected) === 0) return -1;
  for (let i = 0; i < Math.min(actual.length, expected.length); i++) if (actual[i] !== expected[i]) return i;
  return Math.min(actual.length, expected.length);
}

describe("writeAllSync", () => {
  it("writes everything at a position in calls of at most MAX_WRITE_BYTES", () => {
    const path = fresh();
    writeFileSync(path, Buffer.alloc(10, 0x2e));
    const bytes = randomBytes(2.5 * MAX_WRITE_BYTES + 7);
    const calls: number[] = [];
    const fd = openSync(path, "r+");
    try {
      writeAllSync(fd, bytes, 10, (f, buffer, offset, length, position) => {
        calls.push(length);
        return writeSync(f, buffer, offset, length, position);
      });
    } finally {
      closeSync(fd);
    }
    expect(calls).toEqual([MAX_WRITE_BYTES, MAX_WRITE_BYTES, 0.5 * MAX_WRITE_BYTES + 7]);
    expect(firstDifference(readFileSync(path), Buffer.concat([Buffer.alloc(10, 0x2e), bytes]))).toBe(-1);
  });

  it("appends at the file's offset and continues short writes where they stopped", () => {
    const path = fresh();
    const first = randomBytes(MAX_WRITE_BYTES + 3);
    const second = randomBytes(1000);
    const fd = openSync(path, "w");
    try {
      // A call that writes at most 1,001 bytes: the rest must follow, in order, with nothing repeated.
      const short = (f: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number =>
        writeSync(f, buffer, offset, Math.min(length, 1001), position);
      writeAllSync(fd, first, null, short);
      writeAllSync(fd, second);
    } finally {
      closeSync(fd);
    }
    expect(firstDifference(readFileSync(path), Buffer.concat([first, second]))).toBe(-1);
  });
});

describe("writeAllTo", () => {
  it("writes through a file handle in bounded calls, continuing short writes", async () => {
    const path = fresh();
    const bytes = randomBytes(3 * MAX_WRITE_BYTES + 1);
    const handle = await open(path, "w");
    const calls: number[] = [];
    try {
      await writeAllTo(
        {
          write: ((buffer: Uint8Array, offset: number, length: number) => {
            calls.push(length);
            // Half of what was asked, as a short write would.
            return handle.write(buffer, offset, Math.ceil(length / 2));
          }) as never,
        },
        bytes,
      );
    } finally {
      await handle.close();
    }
    expect(Math.max(...calls)).toBeLessThanOrEqual(MAX_WRITE_BYTES);
    expect(firstDifference(readFileSync(path), bytes)).toBe(-1);
  });
});

describe("boundedWriteStreamFs", () => {
  /** node:fs's calls, recording each one's size. */
  function recordingCalls(sizes: { write: number[]; writev: number[] }, shortBy = 0): StreamFsCalls {
    return {
      open: openCb,
      close,
      write: (fd, buffer, offset, length, position, done) => {
        sizes.write.push(length);
        write(fd, buffer, offset, Math.max(1, length - shortBy), position ?? null, done);
      },
      writev: (fd, buffers, position, done) => {
        const total = buffers.reduce((n, b) => n + b.length, 0);
        sizes.writev.push(total);
        // A short writev: all but the last `shortBy` bytes of the batch.
        const kept: Uint8Array[] = [];
        let left = Math.max(1, total - shortBy);
        for (const b of buffers) {
          if (left === 0) break;
          kept.push(b.subarray(0, Math.min(b.length, left)));
          left -= Math.min(b.length, left);
        }
        writev(fd, kept, position ?? null, done);
      },
    };
  }

  for (const shortBy of [0, 12_345]) {
    it(`keeps the stream's batching, writes every byte in order, no call over the bound${shortBy ? " (short writes)" : ""}`, async () => {
      const path = fresh();
      const sizes = { write: [] as number[], writev: [] as number[] };
      const stream = createWriteStream(path, { flags: "wx", fs: boundedWriteStreamFs(recordingCalls(sizes, shortBy)) });
      await once(stream, "open");
      const chunks: Buffer[] = [];
      // Written without waiting, so the stream queues chunks behind the first write and hands the queue
      // to writev: small ones, one far over the bound, more small ones.
      for (let i = 0; i < 50; i++) chunks.push(randomBytes(20_000 + i));
      chunks.push(randomBytes(5 * MAX_WRITE_BYTES + 11));
      for (let i = 0; i < 50; i++) chunks.push(randomBytes(30_000 - i));
      chunks.push(randomBytes(2 * MAX_WRITE_BYTES)); // alone at the end: the plain write path
      for (const chunk of chunks.slice(0, -1)) stream.write(chunk);
      await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
      stream.write(chunks.at(-1)!);
      stream.end();
      await once(stream, "close");
      expect(firstDifference(readFileSync(path), Buffer.concat(chunks))).toBe(-1);
      expect(sizes.writev.length).toBeGreaterThan(0);
      expect(sizes.write.length).toBeGreaterThan(0);
      expect(Math.max(...sizes.writev, ...sizes.write)).toBeLessThanOrEqual(MAX_WRITE_BYTES);
    });
  }

  it("passes a failing call's error to the stream", async () => {
    const path = fresh();
    const failing: StreamFsCalls = {
      ...recordingCalls({ write: [], writev: [] }),
      write: (_fd, _buffer, _offset, _length, _position, done) => done(Object.assign(new Error("disk full"), { code: "ENOSPC" }), 0),
    };
    const stream = createWriteStream(path, { fs: boundedWriteStreamFs(failing) });
    stream.write(Buffer.alloc(10));
    const [error] = (await once(stream, "error")) as [NodeJS.ErrnoException];
    expect(error.code).toBe("ENOSPC");
  });

  it("is what AtomicFile writes through: a big chunk between small ones lands whole", async () => {
    const path = fresh("atomic.bin");
    const file = await AtomicFile.open(path);
    const big = randomBytes(3 * MAX_WRITE_BYTES + 5);
    await file.write("head\n");
    await file.write(big);
    await file.write("tail\n");
    await file.commit();
    expect(firstDifference(readFileSync(path), Buffer.concat([Buffer.from("head\n"), big, Buffer.from("tail\n")]))).toBe(-1);
  });
});
